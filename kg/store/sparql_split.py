"""Splitting a SELECT whose ``VALUES`` block is too big for the server into several SELECTs.

Virtuoso 7.2.5 refuses a single-variable ``VALUES`` block of about 4,095 entries or more ("Too
many arguments for standard built-in function"), and a ``UNION`` of smaller blocks runs past
its time limit; tmkg's batched lookups send up to 5,000 keys at once. A query of the shape
those lookups use is split into one query per chunk of the block, whose answers together are
the answer (inline data is a bag of solutions, and joining a union is the union of the joins).
Only shapes where that holds are split: a SELECT whose one big ``VALUES ?v { <iri> … }`` sits
directly in the top-level ``WHERE`` group, with no ``ORDER BY``, ``LIMIT`` or ``OFFSET`` at the
top, and aggregates only when grouped by ``?v`` (whose values are then unique). ``DISTINCT``
answers are deduplicated when merged.

>>> query = "SELECT DISTINCT ?h WHERE { VALUES ?who { <a:1> <a:2> <a:3> } ?h <a:owner> ?who }"
>>> split = split_values(query, limit=2)
>>> [part.split("{ ", 2)[2].split(" }")[0] for part in split.queries], split.distinct
(['<a:1> <a:2>', '<a:3>'], True)
>>> split_values(query + " ORDER BY ?h", limit=2) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.store.sparql_scan import Token, tokens

__all__ = ["SplitQuery", "split_values"]

_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


@dataclass(frozen=True)
class SplitQuery:
    """The queries to run instead of one, and whether their merged rows must be deduplicated."""

    queries: tuple[str, ...]
    distinct: bool


def split_values(sparql: str, *, limit: int) -> SplitQuery | None:
    """One query per `limit` entries of the query's big VALUES block, or ``None`` when the
    query has no block bigger than `limit` or is not of a shape that splits exactly."""
    items = list(tokens(sparql))
    depth = 0
    block: tuple[int, int, int] | None = None  # index of the VALUES token, "{", "}"
    top: list[Token] = []  # tokens outside every group
    for index, token in enumerate(items):
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
            continue
        if depth == 0:
            top.append(token)
        if token.keyword == "VALUES" and depth == 1:
            found = _single_variable_block(items, index)
            if found is not None and found[2] - found[1] - 1 > limit:
                if block is not None:
                    return None  # two big blocks: leave it to the server
                block = found
    if block is None:
        return None
    keywords = [t.keyword for t in top]
    if "SELECT" not in keywords or any(w in keywords for w in ("ORDER", "LIMIT", "OFFSET")):
        return None
    variable = items[block[0] + 1].text
    entries = [token.text for token in items[block[1] + 1 : block[2]]]
    # Aggregates: groups by ?v stay whole only if no value of ?v is in two chunks.
    if any(word in _AGGREGATES for word in keywords) and (
        not _grouped_by(top, variable) or len(set(entries)) != len(entries)
    ):
        return None
    head = sparql[: items[block[1]].start + 1]
    tail = sparql[items[block[2]].start :]
    queries = tuple(
        f"{head} {' '.join(entries[start : start + limit])} {tail}"
        for start in range(0, len(entries), limit)
    )
    return SplitQuery(queries, distinct="DISTINCT" in keywords or "REDUCED" in keywords)


def _single_variable_block(items: list[Token], index: int) -> tuple[int, int, int] | None:
    """``VALUES ?v { <iri> … }`` at `index`: the indexes of VALUES, "{" and "}", else None."""
    if index + 2 >= len(items) or items[index + 1].kind != "var":
        return None
    if items[index + 2].text != "{":
        return None
    end = index + 3
    while end < len(items) and items[end].kind == "iri":
        end += 1
    if end >= len(items) or items[end].text != "}":
        return None  # literals, prefixed names, UNDEF: not split
    return index, index + 2, end


def _grouped_by(top: list[Token], variable: str) -> bool:
    words = [t.keyword or t.text for t in top]
    for position, word in enumerate(words[:-1]):
        if word == "GROUP" and words[position + 1] == "BY":
            following = words[position + 2 :]
            group = []
            for item in following:
                if item in ("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"):
                    break
                group.append(item)
            return variable in group
    return False
