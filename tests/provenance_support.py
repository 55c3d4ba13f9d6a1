"""A generic provenance checker (issue 16): every statement of an answer, with exactly the
sources that state it.

`check_answer` walks any result (dataclasses, lists, tuples) and, for each
`kg.analysis.model.Cited` statement in it, asks the store with SPARQL:
- every cited graph states all the statement's facts together about the subject (the
  subject and IRI values may be named by any record owl:sameAs them): one ASK per graph;
- no other graph states them all (no source left out);
- every identity graph states an owl:sameAs link;
and, for each result carrying both `sources` and `statements`, that the sources are exactly
the graphs its statements cite (no source cited for nothing). A result with sources and no
statements is a fault: its sources cannot be checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from kg import KnowledgeGraph
from kg.analysis.facts import FactBase
from kg.analysis.model import Cited, SourceRef

_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def statements_in(value: Any) -> Iterator[Cited]:
    """Every `Cited` anywhere in a result."""
    if isinstance(value, Cited):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from statements_in(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from statements_in(item)


def _results_with_sources(value: Any) -> Iterator[Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = {f.name for f in dataclasses.fields(value)}
        if "sources" in names and not isinstance(value, Cited):
            yield value
        for name in names:
            yield from _results_with_sources(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _results_with_sources(item)


def _term(iri_or_literal: str, members: set[str], variable: str) -> tuple[str, str]:
    """(the pattern's object, a restriction on it)."""
    if iri_or_literal.startswith(("http://", "https://", "urn:")):
        values = " ".join(f"<{m}>" for m in sorted(members))
        return variable, f"VALUES {variable} {{ {values} }}"
    text = iri_or_literal.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return variable, f'FILTER(STR({variable}) = "{text}")'


def _pattern(statement: Cited, facts: FactBase) -> str:
    members = facts.identities.members
    subjects = " ".join(f"<{m}>" for m in sorted(members(statement.subject)))
    parts = [f"VALUES ?s {{ {subjects} }}"]
    triples = []
    for index, (prop, value) in enumerate(statement.facts):
        variable, restriction = _term(value, members(value), f"?o{index}")
        triples.append(f"?s <{prop}> {variable} .")
        parts.append(restriction)
    return " ".join(triples), " ".join(parts)


def check_statement(graph: KnowledgeGraph, facts: FactBase, statement: Cited) -> list[str]:
    """The faults of one statement (empty: its sources are exactly the graphs stating it)."""
    faults = []
    triples, restrictions = _pattern(statement, facts)
    if not statement.sources:
        faults.append(f"no source: {statement}")
    for source in statement.sources:
        if not graph.ask(f"ASK {{ {restrictions} GRAPH <{source}> {{ {triples} }} }}"):
            faults.append(f"{source} does not state {statement.facts} of {statement.subject}")
    rows = graph.query(f"SELECT DISTINCT ?g WHERE {{ {restrictions} GRAPH ?g {{ {triples} }} }}")
    stating = {row[0].value for row in rows}  # type: ignore[union-attr,index]
    missing = stating - set(statement.sources)
    if missing:
        faults.append(f"{sorted(missing)} also state {statement.facts} of {statement.subject}")
    for link_graph in statement.identities:
        if not graph.ask(f"ASK {{ GRAPH <{link_graph}> {{ ?a <{_SAME_AS}> ?b }} }}"):
            faults.append(f"{link_graph} states no owl:sameAs link")
    return faults


def check_answer(graph: KnowledgeGraph, facts: FactBase, answer: Any) -> list[str]:
    """Every fault of an answer's provenance (empty: it is citable as it stands)."""
    faults: list[str] = []
    for statement in dict.fromkeys(statements_in(answer)):
        faults += check_statement(graph, facts, statement)
    for result in _results_with_sources(answer):
        cited = {
            s.graph if isinstance(s, SourceRef) else s
            for s in result.sources  # SourceRefs, or graph IRIs on a Holding
        }
        statements = list(statements_in(getattr(result, "statements", ())))
        if cited and not statements:
            faults.append(f"{type(result).__name__} cites {sorted(cited)} but states nothing")
            continue
        stated = {g for s in statements for g in (*s.sources, *s.identities)}
        if cited != stated:
            faults.append(
                f"{type(result).__name__} cites {sorted(cited)}; its statements cite "
                f"{sorted(stated)}"
            )
    return faults
