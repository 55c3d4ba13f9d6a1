"""Turning query results into text: SPARQL result formats, RDF syntaxes, and a readable table.

A table's columns are measured in terminal display columns (`wcwidth`), not characters, so
Chinese, Japanese and Korean (two columns each), combining marks (none) and emoji line up.
Whatever the data holds, the output stays safe for where it goes: a table shows control
characters as escapes (``\\x1b``), so none reaches the terminal; XML (SPARQL XML results,
RDF/XML) is always well-formed (`kg.xml_text`); CSV and TSV can be made safe to open in a
spreadsheet (`spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

import orjson
import pyoxigraph as ox

from kg.errors import QueryError
from kg.lazy import lazy_module
from kg.namespaces import PREFIXES
from kg.store import QueryResult
from kg.text_characters import escaped
from kg.xml_text import xml_safe_bytes

wcwidth = lazy_module("wcwidth")  # ~0.06 s of width tables: read at a first table

__all__ = [
    "compact",
    "json_array",
    "printable",
    "render_query_result",
    "render_table",
    "spreadsheet_safe",
]

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
# C0 and C1 controls, DEL, line and paragraph separators, surrogates, noncharacters and the
# bidirectional formatting characters ("Trojan Source"): kg.text_characters' classes.
# OWASP's list of what makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def json_array(results: Iterable[Any], block: int = 1_000) -> Iterator[str]:
    """Analysis results (`kg.analysis.model.Result` dataclasses) as one JSON array, in parts
    of `block` results: the text ``json.dumps([r.to_dict() for r in results],
    ensure_ascii=False, indent=2)`` gives, then a newline. orjson writes the dataclasses
    themselves (their fields in order, enums as their values, ~20 times as fast as `to_dict`
    and `json`: a whole register's conflicts); a result it cannot write (a value of a type it
    does not know) is written by `to_dict` and `json`, as before."""
    results = iter(results)
    first = True
    while chunk := list(islice(results, block)):
        try:
            text = orjson.dumps(chunk, option=orjson.OPT_INDENT_2).decode()
        except (TypeError, orjson.JSONEncodeError):
            text = json.dumps([r.to_dict() for r in chunk], ensure_ascii=False, indent=2)
        yield ("[" if first else ",") + text[1:-2]  # "[\n  {…},\n  {…}\n]": the items alone
        first = False
    yield "[]\n" if first else "\n]\n"


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


def printable(text: str, *, lines: bool = False) -> str:
    r"""`text` for a terminal: control, bidi-override and invisible characters as escapes
    (`kg.text_characters.escaped`; with `lines`, newlines are kept: a message of several
    lines).

    >>> print(printable("AWS\x1b[2J\nnext\u202e"))
    AWS\x1b[2J\nnext\u202e
    >>> print(printable("ACME\ufdd0 \U0001fffe \u061c \u2028"))
    ACME\ufdd0 \U0001fffe \u061c \u2028
    """
    if lines:
        return "\n".join(printable(line) for line in text.split("\n"))
    return escaped(text)


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text, not as a formula: one starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote (OWASP).

    >>> print(spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("AWS"))
    '=HYPERLINK("http://x") AWS
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def render_table(variables: list[str], rows: list[list[str]], *, wrap: bool = False) -> str:
    """A plain-text table with a header rule; long cells are cut with an ellipsis
    (or, with `wrap`, folded over several lines). Control characters show as escapes.
    Widths are display columns, so any script lines up in a terminal.

    >>> print(render_table(["a", "b"], [["1", "xy"]]), end="")
    a | b
    --+---
    1 | xy
    >>> print(render_table(["mark", "n"], [["亚马逊", "1"], ["AWS", "2"]]), end="")
    mark   | n
    -------+--
    亚马逊 | 1
    AWS    | 2
    """
    variables = [printable(v) for v in variables]
    rows = [[printable(c) for c in row] for row in rows]
    if wrap:
        folded = [[_wrapped(cell) for cell in row] for row in rows]
    else:
        folded = [[[_cut(cell, _MAX_CELL)] for cell in row] for row in rows]
    widths = [
        max([_width(v)] + [_width(line) for row in folded for line in row[i]])
        for i, v in enumerate(variables)
    ]
    rule = "-+-".join("-" * w for w in widths)
    lines = [_line(variables, widths), rule]
    separate = wrap and any(len(cell) > 1 for row in folded for cell in row)
    for number, row in enumerate(folded):
        if separate and number:
            lines.append(rule)
        for index in range(max(len(cell) for cell in row)):
            lines.append(_line([cell[index] if index < len(cell) else "" for cell in row], widths))
    return "\n".join(lines) + "\n"


_WRAP_WIDTH = 40


def _wrapped(cell: str) -> list[str]:
    """`cell` folded into lines of at most `_WRAP_WIDTH` display columns; a short printable
    ASCII cell with no space at either end is its own one line, as wrapping gives it (the
    common cell, without the cost of wrapping: a whole register's table)."""
    if len(cell) <= _WRAP_WIDTH and cell.isascii() and cell.isprintable() and cell == cell.strip():
        return [cell]
    return wcwidth.wrap(cell, _WRAP_WIDTH) or [""]


def _width(text: str) -> int:
    """Display columns `text` takes in a terminal (graphemes: a ZWJ emoji is two)."""
    return wcwidth.width(text)


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` columns, an ellipsis marking the cut."""
    if _width(text) <= limit:
        return text
    return wcwidth.clip(text, 0, limit - 1).rstrip() + "…"


def _line(cells: list[str], widths: list[int]) -> str:
    padded = (cell + " " * (w - _width(cell)) for cell, w in zip(cells, widths, strict=True))
    return " | ".join(padded).rstrip()


def render_query_result(
    result: QueryResult,
    format_name: str | None = None,
    *,
    csv_safe: bool = False,
    warn: Callable[[str], None] | None = None,
) -> str:
    """Serialize a query result in the named format (see `kg query --help`).

    `csv_safe` makes CSV and TSV cells safe to open in a spreadsheet (`spreadsheet_safe`);
    `warn` is told when XML output had characters XML 1.0 forbids replaced by U+FFFD.
    """
    if csv_safe and format_name not in ("csv", "tsv"):
        raise QueryError("--csv-safe applies to the csv and tsv formats only")
    if isinstance(result, ox.QueryBoolean):
        if format_name in (None, "table"):
            return ("true" if bool(result) else "false") + "\n"
        return _serialize_results(result, format_name, csv_safe, warn)
    if isinstance(result, ox.QuerySolutions):
        if format_name in (None, "table"):
            variables = [v.value for v in result.variables]
            rows = [[compact(solution[v]) for v in variables] for solution in result]
            return (
                render_table(variables, rows)
                + f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
            )
        return _serialize_results(result, format_name, csv_safe, warn)
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
    data = ox.serialize(triples, format=rdf_format, **options)
    if rdf_format == ox.RdfFormat.RDF_XML:
        data = _well_formed(data, warn)  # type: ignore[arg-type]
    return data.decode("utf-8")  # type: ignore[union-attr]


def _serialize_results(
    result: ox.QuerySolutions | ox.QueryBoolean,
    format_name: str,
    csv_safe: bool = False,
    warn: Callable[[str], None] | None = None,
) -> str:
    results_format = _RESULT_FORMATS.get(format_name)
    if results_format is None:
        raise QueryError(
            f"format {format_name!r} is for CONSTRUCT/DESCRIBE results",
            suggestion=f"for SELECT/ASK use table or one of {', '.join(_RESULT_FORMATS)}",
        )
    data: bytes = result.serialize(format=results_format)  # type: ignore[assignment]
    if format_name == "xml":
        data = _well_formed(data, warn)
    text = data.decode("utf-8")
    if csv_safe and format_name == "csv":
        return _safe_csv(text)
    if csv_safe and format_name == "tsv":
        return _safe_tsv(text)
    return text


def _well_formed(document: bytes, warn: Callable[[str], None] | None) -> bytes:
    document, replaced = xml_safe_bytes(document)
    if replaced and warn is not None:
        warn(
            f"replaced {replaced} character(s) that XML 1.0 forbids (control characters) "
            "with U+FFFD"
        )
    return document


def _safe_csv(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([rows[0], *([spreadsheet_safe(c) for c in row] for row in rows[1:])])
    return out.getvalue()


def _safe_tsv(text: str) -> str:
    # TSV cells are N-Triples terms; a literal's quotes are read away by a spreadsheet, so
    # the quote goes inside them: "=1+1" becomes "'=1+1".
    def cell(term: str) -> str:
        if term.startswith('"'):
            return '"' + spreadsheet_safe(term[1:]) if term[1:].startswith(FORMULA_START) else term
        return spreadsheet_safe(term)

    lines = text.split("\n")
    return "\n".join(
        [
            lines[0],
            *("\t".join(cell(c) for c in line.split("\t")) if line else line for line in lines[1:]),
        ]
    )
