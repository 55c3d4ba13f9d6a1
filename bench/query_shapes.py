"""Benchmark: how a small fixed set of IRIs is written into a store query (prints a table).

    .venv/bin/python bench/query_shapes.py [--size 20000] [--batch 500]

On a synthetic register of `kg.registries.synth` (in-memory Oxigraph), each query shape tmkg
asks in batches is timed, one batch of `--batch` subjects, in two writings in the same run:

- ``VALUES``: the batch in one VALUES block and the fixed set (roles, kinds, properties) in
  a second one;
- ``FILTER``: the batch in the VALUES block, the fixed set in ``FILTER(?x IN (...))``
  (`kg.analysis.sparql_text.iri_in`), which tmkg writes.

and the one shape where the second VALUES block is the fast writing: inside a UNION branch
that does not bind the batch's variable (`FactBase` marks-of-nodes), where the FILTER makes
Oxigraph read every statement of the branch. Both writings return the same rows (checked).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from kg.analysis.sparql_text import TM, iri_in, iri_values
from kg.registries.synth import generate
from kg.store import open_store

_ROLES = (TM + "owner", TM + "user")
_KINDS = (TM + "Registration", TM + "Use")
_NAMES = ("https://schema.org/name", "https://schema.org/alternateName")
_LINKING = (TM + "owner", TM + "user", TM + "onBehalfOf", TM + "jurisdiction")


def _shapes(
    marks: str, parties: str, registrations: str
) -> list[tuple[str, Callable[[bool], str]]]:
    """(name, writing -> query text): True for two VALUES blocks, False for VALUES + FILTER."""

    def fixed(variable: str, iris: tuple[str, ...], values: bool) -> tuple[str, str]:
        """(before the patterns, after them)."""
        if values:
            return f"VALUES ?{variable} {{ {iri_values(iris)} }}", ""
        return "", iri_in(variable, iris)

    def holders(values: bool) -> str:
        (role, role_filter), (kind, kind_filter) = (
            fixed("role", _ROLES, values),
            fixed("kind", _KINDS, values),
        )
        return f"""SELECT DISTINCT ?p WHERE {{ VALUES ?m {{ {marks} }} {role} {kind}
                   ?h <{TM}mark> ?m ; ?role ?p ; a ?kind . {role_filter} {kind_filter} }}"""

    def held(values: bool) -> str:
        (role, role_filter), (kind, kind_filter) = (
            fixed("role", _ROLES, values),
            fixed("kind", _KINDS, values),
        )
        return f"""SELECT ?h ?role ?p ?m WHERE {{ VALUES ?p {{ {parties} }} {role} {kind}
                   ?h ?role ?p ; <{TM}mark> ?m ; a ?kind . {role_filter} {kind_filter} }}"""

    def names(values: bool) -> str:
        name, name_filter = fixed("q", _NAMES, values)
        return f"""SELECT ?p ?q ?n WHERE {{ VALUES ?p {{ {parties} }} {name}
                   ?p ?q ?n {name_filter} }}"""

    def statements(values: bool) -> str:
        prop, prop_filter = fixed("p", (TM + "mark", TM + "owner"), values)
        return f"""SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {registrations} }} {prop}
                   GRAPH ?g {{ ?s ?p ?o }} {prop_filter} }}"""

    def in_union(values: bool) -> str:
        prop, prop_filter = fixed("p", _LINKING, values)
        return f"""SELECT DISTINCT ?m WHERE {{ VALUES ?t {{ {parties} }}
                   {{ ?t <{TM}mark> ?m }}
                   UNION {{ {prop} ?h ?p ?t ; <{TM}mark> ?m {prop_filter} }} }}"""

    return [
        ("holders of marks (owner_names)", holders),
        ("holdings of parties (owner_names)", held),
        ("names of parties (owner_names)", names),
        ("statements of properties (judgment_facts)", statements),
        ("in a UNION branch (facts: marks of nodes)", in_union),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20000, help="marks in the register")
    parser.add_argument("--batch", type=int, default=500, help="subjects in the VALUES block")
    args = parser.parse_args()
    if args.size < 1 or args.batch < 1:
        parser.error("--size and --batch must be at least 1")
    store = open_store("memory")
    store.add(generate(args.size, seed=7))

    def column(sparql: str) -> str:
        return iri_values(row[0].value for row in store.query(sparql))  # type: ignore[union-attr]

    limit = f"LIMIT {args.batch}"
    marks = column(f"SELECT DISTINCT ?m WHERE {{ ?h <{TM}mark> ?m }} {limit}")
    parties = column(f"SELECT DISTINCT ?p WHERE {{ ?h <{TM}owner> ?p }} {limit}")
    registrations = column(f"SELECT ?r WHERE {{ ?r a <{TM}Registration> }} {limit}")
    print(f"{args.size} marks, {store.count()} quads, batches of {args.batch}")
    print("| query | rows | two VALUES s | VALUES + FILTER s | ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, shape in _shapes(marks, parties, registrations):
        seconds, answers = [], []
        for values in (True, False):
            started = time.perf_counter()
            answers.append(sorted(tuple(map(str, row)) for row in store.query(shape(values))))  # type: ignore[union-attr]
            seconds.append(time.perf_counter() - started)
        assert answers[0] == answers[1], name
        ratio = seconds[0] / max(seconds[1], 1e-9)
        print(
            f"| {name} | {len(answers[0])} | {seconds[0]:.3f} | {seconds[1]:.3f} | {ratio:.1f}x |"
        )


if __name__ == "__main__":
    main()
