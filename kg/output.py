"""Turning query results into text: SPARQL result formats, RDF syntaxes, and a readable table."""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import QueryResult

__all__ = ["PREFIXES", "compact", "render_query_result", "render_table"]

PREFIXES: dict[str, str] = {
    "tm": "https://w3id.org/tmkg/ontology#",
    "id": "https://w3id.org/tmkg/id/",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_MAX_CELL = 70


def compact(term: object) -> str:
    """A short, readable form of an RDF term for tables.

    >>> compact(ox.NamedNode("https://w3id.org/tmkg/ontology#Mark"))
    'tm:Mark'
    >>> compact(ox.Literal("AWS"))
    'AWS'
    >>> compact(None)
    ''
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def render_table(variables: list[str], rows: list[list[str]], *, wrap: bool = False) -> str:
    """A plain-text table with a header rule; long cells are cut with an ellipsis
    (or, with `wrap`, folded over several lines).

    >>> print(render_table(["a", "b"], [["1", "xy"]]), end="")
    a | b
    --+---
    1 | xy
    """
    if wrap:
        return _wrapped_table(variables, rows)
    cells = [[c if len(c) <= _MAX_CELL else c[: _MAX_CELL - 1] + "…" for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    lines = [" | ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines) + "\n"


def _wrapped_table(variables: list[str], rows: list[list[str]]) -> str:
    import textwrap

    width = 40
    folded = [[textwrap.wrap(cell, width) or [""] for cell in row] for row in rows]
    widths = [
        max([len(v)] + [len(line) for row in folded for line in row[i]])
        for i, v in enumerate(variables)
    ]
    lines = [" | ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    separate = any(len(cell) > 1 for row in folded for cell in row)
    for number, row in enumerate(folded):
        if separate and number:
            lines.append("-+-".join("-" * w for w in widths))
        height = max(len(cell) for cell in row)
        for index in range(height):
            parts = [
                (cell[index] if index < len(cell) else "").ljust(w)
                for cell, w in zip(row, widths, strict=True)
            ]
            lines.append(" | ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def render_query_result(result: QueryResult, format_name: str | None = None) -> str:
    """Serialize a query result in the named format (see `kg query --help`)."""
    if isinstance(result, ox.QueryBoolean):
        if format_name in (None, "table"):
            return ("true" if bool(result) else "false") + "\n"
        return _serialize_results(result, format_name)
    if isinstance(result, ox.QuerySolutions):
        if format_name in (None, "table"):
            variables = [v.value for v in result.variables]
            rows = [[compact(solution[v]) for v in variables] for solution in result]
            return (
                render_table(variables, rows)
                + f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
            )
        return _serialize_results(result, format_name)
    rdf_format = _GRAPH_FORMATS.get(format_name or "turtle")
    if rdf_format is None:
        raise QueryError(
            f"format {format_name!r} is for SELECT/ASK results",
            suggestion=f"for CONSTRUCT/DESCRIBE use one of {', '.join(_GRAPH_FORMATS)}",
        )
    triples = list(result)
    if rdf_format.supports_datasets:
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    options = (
        {"prefixes": PREFIXES} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    )
    return ox.serialize(triples, format=rdf_format, **options).decode("utf-8")  # type: ignore[union-attr]


def _serialize_results(result: ox.QuerySolutions | ox.QueryBoolean, format_name: str) -> str:
    results_format = _RESULT_FORMATS.get(format_name)
    if results_format is None:
        raise QueryError(
            f"format {format_name!r} is for CONSTRUCT/DESCRIBE results",
            suggestion=f"for SELECT/ASK use table or one of {', '.join(_RESULT_FORMATS)}",
        )
    return result.serialize(format=results_format).decode("utf-8")  # type: ignore[union-attr]
