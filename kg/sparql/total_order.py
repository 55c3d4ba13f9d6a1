"""ORDER BY conditions rewritten so that the engine's sort sees a total order.

SPARQL 1.1 §15.1 orders solutions by the ``<`` operator where it is defined and leaves the
rest to the implementation: unbound < blank node < IRI < literal, and between literals that
``<`` cannot compare (a date and a number, two partial dates, a string and a
language-tagged string) any order will do. Oxigraph 0.5.13 sorts with a comparator that
reports such pairs as equal, which is not an order (a < b, b ~ c, c ~ a), and Rust's sort
aborts the process when it notices ("user-provided comparison function does not correctly
implement a total order", docs/engine-faults.md §1): ``SELECT * { ?s ?p ?o } ORDER BY ?o``
over tmkg's own seed data kills its worker.

`totally_ordered` rewrites each condition ``c`` of every ``ORDER BY`` clause (the query's
own and its subqueries') into three with the same direction: the kind of term (blank node,
IRI, number, not-a-number, literal, language-tagged string), then the literal's datatype,
language and whether it carries a timezone and is well-formed, then the value itself (or,
for datatypes whose values are not totally ordered, such as ``xsd:duration`` or a datatype
unknown to the engine, its lexical form). Within one kind and datatype the engine's own
``<`` then decides, so wherever §15.1 fixes the order the answer is the same; only pairs
§15.1 leaves open get an order of tmkg's choosing (numbers before strings before
language-tagged strings before other literals; datatypes by IRI; languages by tag).

The endpoint runs every query with the kinds of terms apart (`kinds_apart`, which costs
little: the engine's comparator can also misorder without aborting, numbers among dates),
and the full rewrite for a query the engine crashed on (`CrashedSorts`, called by
`kg.sparql.service`).

>>> totally_ordered("SELECT * { ?s ?p ?o }") is None
True
>>> rewritten = totally_ordered("SELECT * { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 5")
>>> rewritten.startswith("SELECT * { ?s ?p ?o } ORDER BY DESC(IF(isLITERAL((?o))")
True
>>> rewritten.endswith(") LIMIT 5"), rewritten.count("DESC(")
(True, 3)
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

from kg.errors import QueryCrashed, QueryError
from kg.sparql.worker import QueryJob
from kg.store.sparql_scan import Token, tokens

__all__ = ["CrashedSorts", "SortPlan", "kinds_apart", "order_clauses", "totally_ordered"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_TIMEZONED = ("dateTime", "dateTimeStamp", "date", "time", "gYear", "gYearMonth", "gMonth",
              "gDay", "gMonthDay")  # fmt: skip
# Datatypes whose values the engine's `<` orders totally once timezones are apart (XPath
# 2.0 §10.4 and §10.6: durations in general are only partially ordered, these two are not).
_ORDERED = ("string", "boolean", *_TIMEZONED, "yearMonthDuration", "dayTimeDuration")
_OPENING, _CLOSING = frozenset("({["), frozenset(")}]")
_ENDS_CLAUSE = frozenset({"LIMIT", "OFFSET", "VALUES"})
_ORDER = re.compile("order", re.IGNORECASE)
Condition = tuple[str, int, int, int]
"""An ORDER BY condition: its direction, and where it, its expression and it end in the text."""


def _iris(names: Sequence[str]) -> str:
    return ", ".join(f"<{_XSD}{name}>" for name in names)


# `{e}` is the condition's expression. Each key is an error (unbound, sorted first) for an
# unbound or erroneous {e}, as {e} itself would be.
# literal first, then number (the commonest sort keys: the fewest tests; langMatches cheaper
# than comparing LANG's string: bench/order_by.py)
_KIND = (
    "IF(isLITERAL({e}), IF(isNUMERIC({e}), IF({e} = {e}, 3, 4), "
    'IF(langMatches(LANG({e}), "*"), 6, 5)), IF(isIRI({e}), 2, 1))'
)
_DATATYPE = (
    'IF(isLITERAL({e}) && !isNUMERIC({e}), CONCAT(STR(DATATYPE({e})), "@", LANG({e}), '
    f"IF(DATATYPE({{e}}) IN ({_iris(_TIMEZONED)}), "
    'IF(REGEX(STR({e}), "(Z|[+-][0-9][0-9]:[0-9][0-9])$"), "+", ""), ""), '
    'COALESCE(IF({e} >= {e}, "", "!"), "!")), "")'
)
_VALUE = (
    'IF(isIRI({e}) || isBLANK({e}) || isNUMERIC({e}) || LANG({e}) != "" || '
    f"DATATYPE({{e}}) IN ({_iris(_ORDERED)}), "
    "COALESCE(IF({e} >= {e}, {e}, STR({e})), STR({e})), STR({e}))"
)


def totally_ordered(sparql: str) -> str | None:
    """`sparql` with every ORDER BY condition split into keys the engine can sort by.

    Returns ``None`` when the text has no ``ORDER BY`` or a clause whose conditions cannot
    be read (the text is then left to the engine, which reports its own syntax error).
    The result asks for the same solutions in an order §15.1 allows.
    """
    return _rewritten(sparql, (_KIND, _DATATYPE, _VALUE))


def kinds_apart(sparql: str) -> str | None:
    """`sparql` with the kind of term (blank node, IRI, number, NaN, literal,
    language-tagged string) as a key before each ORDER BY condition: the cheap part of
    `totally_ordered`, which costs less (`bench/order_by.py`: 1.3-1.6x the engine's own
    time for a query sorting 100,000 dates or texts; the total keys 3.7-44x). ``None`` as
    for `totally_ordered`.

    The engine's comparator does not always abort where it is no order: over numbers mixed
    with dates it can return numbers out of order (20 after 11000000), silently; with the
    kinds apart numbers are compared only with numbers.
    """
    return _rewritten(sparql, (_KIND, "{e}"))


def _rewritten(sparql: str, keys: Sequence[str]) -> str | None:
    clauses = order_clauses(sparql)
    if not clauses:
        return None
    pieces: list[str] = []
    done = 0
    for conditions in clauses:
        for direction, start, expression_start, end in conditions:
            expression = sparql[expression_start:end]
            pieces += [
                sparql[done:start],
                " ".join(f"{direction}({key.replace('{e}', expression)})" for key in keys),
            ]
            done = end
    pieces.append(sparql[done:])
    return "".join(pieces)


def order_clauses(sparql: str) -> list[list[Condition]] | None:
    """Each ORDER BY clause of `sparql`, as its conditions: (direction, start, expression
    start, end), offsets in the text of the condition and of its expression (after ASC or
    DESC). ``None`` when a clause cannot be read as the grammar's OrderCondition+ (SPARQL
    1.1 [23]-[24]).

    >>> order_clauses("SELECT * { ?a ?b ?c } ORDER BY ?c DESC(STR(?a)) <f:x>(?b) LIMIT 1")
    [[('ASC', 31, 31, 33), ('DESC', 34, 38, 47), ('ASC', 48, 48, 57)]]
    """
    if _ORDER.search(sparql) is None:  # most queries: no tokens read (~30 us a text)
        return []
    items = list(tokens(sparql))
    clauses: list[list[Condition]] = []
    index = 0
    while index < len(items) - 1:
        if items[index].keyword == "ORDER" and items[index + 1].keyword == "BY":
            read = _conditions(items, index + 2)
            if read is None:
                return None
            conditions, index = read
            clauses.append(conditions)
        else:
            index += 1
    return clauses


def _conditions(items: list[Token], index: int) -> tuple[list[Condition], int] | None:
    conditions: list[Condition] = []
    while index < len(items):
        token = items[index]
        keyword = token.keyword
        if keyword in _ENDS_CLAUSE or token.text == "}":
            break
        direction, start = "ASC", token.start
        if keyword in ("ASC", "DESC"):
            direction, index = keyword, index + 1
            if index >= len(items) or items[index].text != "(":
                return None
        first = index
        if items[index].kind == "var":
            last = index
        elif items[index].text == "(":
            last = _closing(items, index)
        elif keyword == "NOT" and index + 1 < len(items) and items[index + 1].keyword == "EXISTS":
            last = _closing(items, index + 2)
        elif items[index].kind in ("word", "iri", "pname"):
            last = _closing(items, index + 1)
        else:
            return None
        if last is None:
            return None
        end = items[last].start + len(items[last].text)
        conditions.append((direction, start, items[first].start, end))
        index = last + 1
    return (conditions, index) if conditions else None


def _closing(items: list[Token], index: int) -> int | None:
    """The index of the bracket closing the one at `index` (``(`` or ``{``), else ``None``."""
    if index >= len(items) or items[index].text not in ("(", "{"):
        return None
    depth = 0
    for place in range(index, len(items)):
        text = items[place].text
        if items[place].kind != "other":
            continue
        if text in _OPENING:
            depth += 1
        elif text in _CLOSING:
            depth -= 1
            if depth == 0:
                return place
    return None


class CrashedSorts:
    """How each query's ORDER BY is run (`plan`): with the kinds of terms apart
    (`kinds_apart`) at first; with total keys (`totally_ordered`) once the engine crashed on
    it, and from then on for that text, so that one query does not kill a worker each time
    (at most `size` texts are remembered, the oldest forgotten first). Thread-safe.
    """

    def __init__(self, size: int = 256) -> None:
        self._rewritten: OrderedDict[str, str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def plan(self, job: QueryJob) -> SortPlan:
        """The first job to run for `job`, and what to run if that fails."""
        with self._lock:
            rewritten = self._rewritten.get(job.sparql)
            if rewritten is not None:
                self._rewritten.move_to_end(job.sparql)
        first = rewritten if rewritten is not None else kinds_apart(job.sparql)
        return SortPlan(self, job, job if first is None else dataclasses.replace(job, sparql=first))

    def _crashed(self, job: QueryJob) -> QueryJob | None:
        rewritten = totally_ordered(job.sparql)
        if rewritten is None:
            return None
        with self._lock:
            self._rewritten[job.sparql] = rewritten
            while len(self._rewritten) > self._size:
                self._rewritten.popitem(last=False)
        return dataclasses.replace(job, sparql=rewritten)


@dataclasses.dataclass(frozen=True)
class SortPlan:
    """`first` is run for the asked `job`; `retry` says what to run if it fails."""

    sorts: CrashedSorts
    job: QueryJob
    first: QueryJob

    def retry(self, error: QueryError, ran: QueryJob) -> QueryJob | None:
        """What to run after `ran` failed with `error`, or ``None`` (raise it): after a crash
        the total keys (unless they were what crashed); after a plain error of a rewrite
        (a text the grammar reads otherwise than `order_clauses` did) the asked text itself,
        whose own error is the one to report (or whose answer)."""
        if isinstance(error, QueryCrashed):
            total = self.sorts._crashed(self.job)
            return None if total is None or total.sparql == ran.sparql else total
        if type(error) is QueryError and ran.sparql != self.job.sparql:
            return self.job
        return None
