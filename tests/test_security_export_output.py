"""Exports and `kg query` output on data holding control characters and formulas: GraphML,
GEXF, SVG, SPARQL XML results and RDF/XML stay well-formed (characters XML 1.0 forbids become
U+FFFD, with a warning), terminal tables show control characters as escapes, and
`--csv-safe` keeps a cell like ``=HYPERLINK(…)`` from being a live formula."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kg.cli.output import printable, render_table
from kg.report.export import export
from kg.report.figures import network_figure, svg
from kg.xml_text import xml_safe, xml_safe_bytes
from tests.conftest import run_kg
from tests.hardening_support import record
from tests.injection_support import hostile_graph

CONTROL = {
    "NUL": "\x00",
    "ESC": "\x1b[31mred\x1b[0m",
    "U+0001": "\x01",
    "U+000B": "\x0b",
    "U+001F": "\x1f",
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
    "mixed": "a\x00b\x08c\x0cd\ufffee",
}


@pytest.mark.parametrize("payload", list(CONTROL.values()), ids=list(CONTROL))
def test_network_exports_stay_well_formed(payload: str, tmp_path: Path) -> None:
    graph = hostile_graph(payload)
    outcome = False
    try:
        for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
            path = tmp_path / f"g.{fmt}"
            summary = export(graph, fmt, path)
            assert summary.replaced > 0
            network = read(path)
            assert network.number_of_nodes() == summary.nodes
            labels = [d.get("label", "") for _, d in network.nodes(data=True)]
            assert any("\ufffd" in label for label in labels)
            assert not any(xml_safe(label) != label for label in labels)
        cyjs = tmp_path / "g.cyjs"
        export(graph, "cytoscape", cyjs)  # JSON escapes control characters itself
        elements = json.loads(cyjs.read_text(encoding="utf-8"))["elements"]["nodes"]
        assert any(payload in node["data"].get("label", "") for node in elements)
        ET.fromstring(svg(network_figure(conflict_network_of(graph)), payload))
        outcome = True
    finally:
        record("input", surface="export", name=f"control character {payload!r}", expected=outcome)
        graph.close()


def conflict_network_of(graph):  # the case's network, drawn with the hostile labels
    from kg.report.document import build_report

    return build_report(graph, case="aws-cn-2018").network


def test_export_warns_how_many_characters_it_replaced(tmp_path: Path) -> None:
    from tests.injection_support import write_nquads

    # The shapes refuse control characters in names and mark texts (kg.text_characters),
    # not in descriptions, which the export writes too
    descriptions = frozenset({"http://purl.org/dc/terms/description"})
    graph = hostile_graph("\x00\x1b", where=descriptions)
    data = write_nquads(graph, tmp_path / "hostile.nq")
    graph.close()
    store = tmp_path / "store"
    loaded = run_kg("load", "--store", store, data)
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "out.graphml"
    result = run_kg("export", "--store", store, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "kg: warning: replaced" in result.stderr and "U+FFFD" in result.stderr
    nx.read_graphml(out)
    record("input", surface="kg export", name="control characters to GraphML", expected=True)


def test_xml_safe_bytes_matches_xml_safe() -> None:
    text = "".join(chr(c) for c in range(0x20)) + "\ufffe\uffff\ud7ff\ue000é\U0001f600"
    assert xml_safe_bytes(text.encode())[0] == xml_safe(text).encode()
    assert xml_safe_bytes(text.encode())[1] == 29 + 2
    ET.fromstring(f"<a>{xml_safe(text)}</a>".encode())


# ------------------------------------------------------------------ kg query


@pytest.mark.parametrize(
    ("name", "query", "fmt"),
    [
        ("SELECT as XML", 'SELECT ?x WHERE { BIND("a\\u0000b\\u001bc\\uFFFE" AS ?x) }', "xml"),
        (
            "CONSTRUCT as RDF/XML",
            'CONSTRUCT { <http://a/s> <http://a/p> "x\\u0001y\\u000Bz" } WHERE {}',
            "rdfxml",
        ),
    ],
)
def test_kg_query_xml_is_well_formed(name: str, query: str, fmt: str) -> None:
    result = run_kg("query", "--memory", "--format", fmt, query)
    ok = result.returncode == 0 and "replaced" in result.stderr
    if ok:
        ET.fromstring(result.stdout.encode())
    record("input", surface="kg query", name=name, expected=ok)
    assert ok, result.stderr


def test_kg_query_tables_show_control_characters_as_escapes() -> None:
    query = (
        'SELECT ?x WHERE { VALUES ?x { "a\\u001b[2Jb" "c\\u0007d\\u009be" "f\\u202Eg" "h\\ni" } }'
    )
    result = run_kg("query", "--memory", query)
    ok = result.returncode == 0 and not any(c in result.stdout for c in "\x1b\x07\x9b\u202e")
    record("input", surface="kg query", name="control characters in a table", expected=ok)
    assert ok, repr(result.stdout)
    for shown in ("a\\x1b[2Jb", "c\\x07d\\x9be", "f\\u202eg", "h\\ni"):
        assert shown in result.stdout
    assert "(4 rows)" in result.stdout


def test_tables_escape_headers_and_wrapped_cells() -> None:
    table = render_table(["x\x1b"], [["a\x1b[0m" * 20]], wrap=True)
    assert "\x1b" not in table and "\\x1b" in table
    assert printable("plain text, 漢字") == "plain text, 漢字"


FORMULAS = [
    '=HYPERLINK("http://127.0.0.1/","x")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def _formula_query() -> str:
    values = " ".join('"' + f.replace("\\", "\\\\").replace('"', '\\"') + '"' for f in FORMULAS)
    values = values.replace("\t", "\\t").replace("\r", "\\r")
    return f'SELECT ?x WHERE {{ VALUES ?x {{ {values} "AWS" }} }}'


def test_csv_safe_keeps_formulas_as_text() -> None:
    import pyoxigraph as ox

    from kg.cli.output import render_query_result

    store = ox.Store()
    plain = render_query_result(store.query(_formula_query()), "csv")
    rows = list(csv.reader(io.StringIO(plain, newline="")))
    assert [r[0] for r in rows[1:]] == [*FORMULAS, "AWS"]  # standard SPARQL CSV by default
    safe = render_query_result(store.query(_formula_query()), "csv", csv_safe=True)
    rows = list(csv.reader(io.StringIO(safe, newline="")))
    assert rows[0] == ["x"]
    assert [r[0] for r in rows[1:]] == [*("'" + f for f in FORMULAS), "AWS"]
    tsv = render_query_result(store.query(_formula_query()), "tsv", csv_safe=True)
    cells = tsv.split("\n")[1:-1]
    assert cells[0] == '"\'=HYPERLINK(\\"http://127.0.0.1/\\",\\"x\\")"'
    assert cells[1:4] == ['"\'+1+1"', '"\'-2+3"', '"\'@SUM(1)"']
    assert cells[-1] == '"AWS"'
    for formula in FORMULAS:
        record("input", surface="kg query", name=f"csv formula {formula!r}", expected=True)


def test_kg_query_csv_safe_flag() -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { "=1+1" "AWS" } }'
    safe = run_kg("query", "--memory", "--format", "csv", "--csv-safe", query, check=True)
    assert safe.stdout.splitlines() == ["x", "'=1+1", "AWS"]
    plain = run_kg("query", "--memory", "--format", "csv", query, check=True)
    assert plain.stdout.splitlines() == ["x", "=1+1", "AWS"]
    refused = run_kg("query", "--memory", "--csv-safe", query)
    assert refused.returncode == 6 and "csv and tsv" in refused.stderr


def test_error_lines_show_control_characters_as_escapes(tmp_path: Path) -> None:
    from tests.injection_support import write_nquads

    graph = hostile_graph(
        "\x1b[2J\x07", where=frozenset({"https://w3id.org/tmkg/ontology#currency"})
    )
    data = write_nquads(graph, tmp_path / "hostile.nq")
    graph.close()
    result = run_kg("load", "--memory", data)
    ok = result.returncode == 5 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    record("input", surface="kg load", name="control characters in an error line", expected=ok)
    assert ok, repr(result.stderr)
    assert "\\x1b[2J\\x07" in result.stderr
