"""Seed-shaped data whose every free-text field carries a hostile payload: math text for the
figures, HTML and Markdown syntax for the reports, control characters for the exports."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import KnowledgeGraph, Settings

__all__ = ["FREE_TEXT", "MARKUP", "MATH_TEXT", "hostile_graph", "write_nquads"]

_TM = "https://w3id.org/tmkg/ontology#"
FREE_TEXT = frozenset(
    {
        "https://schema.org/name",
        "https://schema.org/alternateName",
        "http://purl.org/dc/terms/description",
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/publisher",
        _TM + "sourceKind",
        _TM + "text",
        _TM + "caseNumber",
        _TM + "orders",
        _TM + "region",
        _TM + "currency",
        _TM + "registrationNumber",
    }
)
"""The seed's free-text properties (names, marks, titles, case numbers, source kinds, ...)."""

MATH_TEXT = {
    "dollars": "MONEY$$",
    "inline math": "$x$",
    "empty math": "$$",
    "escaped dollar": r"\$5",
    "sub and superscript": "^_{}",
    "fraction": r"$\frac{a}{b}$",
    "lone dollar": "US$ 5",
    "tex command": r"\textbf{x} $\alpha",
}
MARKUP = {
    "script": "<script>alert(1)</script>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "javascript link": "[click](javascript:alert(1))",
    "javascript image": "![i](javascript:alert(1))",
    "autolink": "<javascript:alert(1)>",
    "pipe": "a | b || c",
    "newline": "first\nsecond\r\n| x | y |",
    "backticks": "`code` ``more``",
    "entity": "&lt;script&gt;&#60;b&#62;",
    "heading": "# H\n- item\n1. one",
    "html comment": "<!-- x --> <b>bold</b>",
}


def hostile_graph(payload: str, where: frozenset[str] = FREE_TEXT) -> KnowledgeGraph:
    """The seed in memory with `payload` appended to every literal of the `where` properties
    (outside the reference graphs). Written to the store directly: no SHACL is applied."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    old = [
        q
        for q in graph.store.quads()
        if q.predicate.value in where
        and isinstance(q.object, ox.Literal)
        and not str(q.graph_name).startswith(
            (
                "<https://w3id.org/tmkg/id/graph/reference",
                "<https://w3id.org/tmkg/id/graph/ontology",
            )
        )
    ]
    new = [ox.Quad(q.subject, q.predicate, _appended(q.object, payload), q.graph_name) for q in old]
    graph.store.remove(old)
    graph.store.add(new)
    graph.changed()
    return graph


def _appended(literal: ox.Literal, payload: str) -> ox.Literal:
    value = f"{literal.value} {payload}"
    if literal.language:
        return ox.Literal(value, language=literal.language)
    return ox.Literal(value, datatype=literal.datatype)


def write_nquads(graph: KnowledgeGraph, path: Path) -> Path:
    """Every quad of the graph as N-Quads (control characters escaped, so `kg load` reads it)."""
    path.write_bytes(ox.serialize(list(graph.store.quads()), format=ox.RdfFormat.N_QUADS))
    return path
