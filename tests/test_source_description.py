"""Giving a Turtle, N-Triples or RDF/XML file its source on the command line (issue 16):
`kg load FILE --source-title ...` describes the file's graph in the same transaction, on the
streamed (on disk) and the in-memory paths; answers then cite the title; bad options are
errors that write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import kg_in_process, run_kg

TM = "https://w3id.org/tmkg/ontology#"
ID = "https://w3id.org/tmkg/id/"
TURTLE = f"""@prefix tm: <{TM}> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ID}party/brightlamp> a tm:Company ; schema:name "Brightlamp Ltd."@en .
<{ID}mark/brightlamp> a tm:Mark ; tm:text "BRIGHTLAMP" .
<{ID}registration/gb-brightlamp> a tm:Registration ; tm:mark <{ID}mark/brightlamp> ;
    tm:owner <{ID}party/brightlamp> ; tm:jurisdiction <{ID}jurisdiction/GB> ;
    tm:niceClass <{ID}nice/11> ; tm:filingDate "2019-02-03"^^xsd:date .
"""
NTRIPLES = (
    f"<{ID}party/glowco> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{TM}Company> .\n"
    f'<{ID}party/glowco> <https://schema.org/name> "Glowco"@en .\n'
)
RDFXML = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:schema="https://schema.org/">
  <rdf:Description rdf:about="{ID}party/lampworks">
    <rdf:type rdf:resource="{TM}Company"/><schema:name>Lampworks</schema:name>
  </rdf:Description>
</rdf:RDF>
"""


def _sources(store: Path) -> dict[str, dict[str, str]]:
    query = """SELECT ?g ?t ?p ?d ?k WHERE { ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?s .
      ?s <http://purl.org/dc/terms/title> ?t .
      OPTIONAL { ?s <http://purl.org/dc/terms/publisher> ?p }
      OPTIONAL { ?s <http://purl.org/dc/terms/date> ?d }
      OPTIONAL { ?s <https://w3id.org/tmkg/ontology#sourceKind> ?k } }"""
    out = kg_in_process("query", query, "--store", store, "--format", "json", check=True)
    rows = json.loads(out.stdout)["results"]["bindings"]
    return {row["g"]["value"]: {k: v["value"] for k, v in row.items() if k != "g"} for row in rows}


@pytest.mark.parametrize("route", ["streamed", "through Python"])
@pytest.mark.parametrize(
    ("name", "text"), [("extract.ttl", TURTLE), ("names.nt", NTRIPLES), ("names.rdf", RDFXML)]
)
def test_a_triples_file_gets_its_source(
    tmp_path: Path, name: str, text: str, route: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On disk a file this small goes through Python (`kg.ingest.load.PYTHON_MAX_BYTES`);
    streamed when that is lowered."""
    if route == "streamed":
        monkeypatch.setattr("kg.ingest.load.PYTHON_MAX_BYTES", -1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    kg_in_process(
        "load", path, "--store", store, "--source-title", "UKIPO register extract",
        "--source-publisher", "UKIPO", "--source-date", "2024-05", "--source-kind", "primary",
        check=True,
    )  # fmt: skip
    found = _sources(store)
    from kg.ingest.load import file_graph

    assert found == {
        file_graph(path): {
            "t": "UKIPO register extract",
            "p": "UKIPO",
            "d": "2024-05",
            "k": "primary",
        }
    }
    again = kg_in_process(
        "load", path, "--store", store, "--source-title", "UKIPO register extract"
    )
    assert again.returncode == 0 and "0 new" in again.stdout  # the same file, the same quads


def test_answers_cite_the_title(tmp_path: Path) -> None:
    path = tmp_path / "extract.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    store = tmp_path / "store"
    run_kg("load", path, "--store", store, "--source-title", "UKIPO register extract", check=True)
    out = run_kg("who-else-uses", "BRIGHTLAMP", "--store", store, "--format", "json", check=True)
    (hit,) = json.loads(out.stdout)
    assert [s["title"] for s in hit["sources"]] == ["UKIPO register extract"]
    for name in ("--memory",):  # the in-memory (Python) path describes it the same way
        memory = run_kg(
            "load", path, name, "--source-title", "UKIPO register extract", "--source-date", "2024"
        )
        assert memory.returncode == 0, memory.stderr


def test_the_graph_option_names_the_graph_described(tmp_path: Path) -> None:
    path = tmp_path / "extract.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    store = tmp_path / "store"
    graph = "https://example.org/graph/ukipo-2024"
    run_kg("load", path, "--store", store, "--graph", graph, "--source-title", "UKIPO", check=True)
    assert _sources(store) == {graph: {"t": "UKIPO"}}


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("refused") / "store"
    run_kg("load", "--seed", "--store", store, check=True)
    return store


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--source-date", "2024"], "give its --source-title too"),
        (["--source-title", "X", "--source-date", "2024-13"], "'2024-13' is not a date"),
        (["--source-title", "X", "--source-date", "May 2024"], "is not a date"),
        (["--source-title", "  "], "--source-title is empty"),
        (["--source-kind", "primary"], "give its --source-title too"),
    ],
)
def test_bad_source_options_are_errors_that_write_nothing(
    seeded_store: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    path = tmp_path / "extract.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    store = seeded_store  # shared: a refused load writes nothing
    before = kg_in_process("stats", "--store", store, check=True).stdout
    run = run_kg if "--source-kind" in options else kg_in_process  # the executable once
    result = run("load", path, "--store", store, *options)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert kg_in_process("stats", "--store", store, check=True).stdout == before


def test_a_quad_file_describes_its_own_graphs(tmp_path: Path) -> None:
    path = tmp_path / "case.trig"
    party = f'<{ID}party/a> a <{TM}Company> ; <https://schema.org/name> "A" .'
    path.write_text(f"<{ID}graph/x> {{ {party} }}\n{party}\n", encoding="utf-8")
    result = kg_in_process("load", path, "--memory", "--source-title", "X")
    assert result.returncode != 0 and "names its own graphs" in result.stderr
    with_graph = kg_in_process(
        "load", path, "--memory", "--source-title", "X", "--graph", f"{ID}graph/y"
    )
    assert with_graph.returncode == 0, with_graph.stderr


def test_a_file_without_a_source_is_loaded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "extract.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    store = tmp_path / "store"
    plain = run_kg("load", path, "--store", store)
    assert plain.returncode == 0
    assert "which no source describes" in plain.stderr and "--source-title" in plain.stderr
    described = run_kg("load", path, "--store", store, "--source-title", "UKIPO register extract")
    assert described.returncode == 0 and "no source describes" not in described.stderr
    again = run_kg("load", path, "--store", store)  # described now: no warning
    assert "no source describes" not in again.stderr
