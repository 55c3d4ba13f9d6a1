"""Loading: formats, atomicity, idempotence, and clear errors that leave the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg import KnowledgeGraph, NotFound, ParseError, ValidationError
from tests.conftest import DATA, all_quads

PREFIXES = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix party: <https://w3id.org/tmkg/id/party/> .
@prefix mark: <https://w3id.org/tmkg/id/mark/> .
@prefix reg: <https://w3id.org/tmkg/id/registration/> .
@prefix cc: <https://w3id.org/tmkg/id/jurisdiction/> .
@prefix nice: <https://w3id.org/tmkg/id/nice/> .
"""
GOOD = (
    PREFIXES
    + """
party:acme a tm:Company ; schema:name "Acme" .
mark:acme a tm:Mark ; tm:text "ACME" .
reg:us-1 a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ;
    tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2001-02-03"^^xsd:date .
"""
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_own_case_loads_and_validates_without_code(disk_graph: KnowledgeGraph) -> None:
    report = disk_graph.load([DATA / "own-case.ttl"])
    assert report.quads_added == report.quads_read > 30
    rows = disk_graph.query("SELECT ?t WHERE { ?m a tm:Mark ; tm:text ?t } ORDER BY ?t")
    assert [row["t"].value for row in rows] == ["TESLA", "特斯拉"]


def test_loading_twice_changes_nothing_even_with_blank_nodes(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    text = (
        GOOD
        + 'reg:us-1 tm:registrationNumber "1" . [] a tm:Source ; <http://purl.org/dc/terms/title> "a note" .\n'
    )
    path = write(tmp_path, "case.ttl", text)
    first = disk_graph.load([path])
    before = all_quads(disk_graph)
    second = disk_graph.load([path])
    assert first.quads_added > 0
    assert second.quads_added == 0
    assert all_quads(disk_graph) == before
    assert not any(isinstance(q.subject, ox.BlankNode) for q in before)


@pytest.mark.parametrize("rdf_format", ["ntriples", "nquads", "trig", "json-ld", "xml"])
def test_every_rdf_syntax_loads_the_same_facts(
    disk_graph: KnowledgeGraph, tmp_path: Path, rdf_format: str
) -> None:
    graph = rdflib.Dataset()
    named = graph.graph(rdflib.URIRef("https://w3id.org/tmkg/id/graph/test"))
    named.parse(data=GOOD, format="turtle")
    extension = {
        "ntriples": "nt",
        "nquads": "nq",
        "trig": "trig",
        "json-ld": "jsonld",
        "xml": "rdf",
    }
    source = named if rdf_format in ("ntriples", "xml") else graph
    path = tmp_path / f"case.{extension[rdf_format]}"
    source.serialize(path, format=rdf_format, encoding="utf-8")
    report = disk_graph.load([path])
    assert report.quads_added == len(named)
    assert disk_graph.ask('ASK { ?r tm:owner ?o . ?o <https://schema.org/name> "Acme" }')


def test_graph_option_puts_triples_in_a_named_graph(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path = write(tmp_path, "case.ttl", GOOD)
    disk_graph.load([path], graph="https://example.org/my-source")
    assert disk_graph.ask("ASK { GRAPH <https://example.org/my-source> { ?m tm:text 'ACME' } }")


def test_syntax_error_names_file_line_and_column(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path = write(tmp_path, "broken.ttl", GOOD + "party:x a tm:Company ;\n  schema:name 'X' ,, .\n")
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        disk_graph.load([path])
    assert f"{path}:15:20: , is not a valid RDF object" == str(caught.value)
    assert all_quads(disk_graph) == before


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (
            "reg:x a tm:Registration ; tm:mark mark:acme ; tm:jurisdiction cc:US .",
            "id:registration/x tm:owner: a registration needs a tm:owner",
        ),
        (
            "reg:x a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ; "
            "tm:jurisdiction cc:US ; tm:niceClass nice:46 .",
            "tm:niceClass must be a Nice class 1-45 (https://w3id.org/tmkg/id/nice/{N}) (got id:nice/46)",
        ),
        (
            "reg:x a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ; tm:jurisdiction cc:XX .",
            "known jurisdiction: an ISO 3166-1 country or EM (EU trade marks), BX, OA, WO (https://w3id.org/tmkg/id/jurisdiction/{CODE}) (got id:jurisdiction/XX)",
        ),
        (
            "reg:x a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ; tm:jurisdiction cc:US ; "
            'tm:filingDate "2008-13-45"^^xsd:date .',
            'id:registration/x tm:filingDate: "2008-13-45" is not a valid xsd:date',
        ),
        (
            "reg:x a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ; tm:jurisdiction cc:US ; "
            'tm:filingDate "last spring" .',
            "tm:filingDate must be a valid xsd:date, xsd:gYearMonth or xsd:gYear",
        ),
        ('mark:two a tm:Mark ; tm:text "A", "B" .', "a mark needs exactly one tm:text"),
        ("party:nobody a tm:Company .", "id:party/nobody schema:name: a party needs at least one"),
    ],
)
def test_invalid_data_is_rejected_with_node_and_problem(
    disk_graph: KnowledgeGraph, tmp_path: Path, fragment: str, expected: str
) -> None:
    disk_graph.load([write(tmp_path, "good.ttl", GOOD)])
    before = all_quads(disk_graph)
    bad = write(tmp_path, "bad.ttl", PREFIXES + fragment + "\n")
    with pytest.raises(ValidationError) as caught:
        disk_graph.load([bad])
    assert expected in str(caught.value)
    assert str(bad) in str(caught.value)
    assert all_quads(disk_graph) == before


def test_validation_sees_what_the_store_holds(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    # The owner is defined in an earlier load: the new file alone would not say it is a Party.
    disk_graph.load(
        [write(tmp_path, "owner.ttl", PREFIXES + 'party:p a tm:Person ; schema:name "P" .')]
    )
    later = PREFIXES + (
        'mark:m a tm:Mark ; tm:text "M" .\n'
        "reg:m a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:CN ; "
        "tm:niceClass nice:42 ."
    )
    assert disk_graph.load([write(tmp_path, "later.ttl", later)]).quads_added == 7


def test_a_multi_file_load_is_all_or_nothing(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ttl", GOOD)
    bad = write(tmp_path, "bad.ttl", PREFIXES + "party:nobody a tm:Company .")
    before = all_quads(disk_graph)
    with pytest.raises(ValidationError):
        disk_graph.load([good, bad])
    assert all_quads(disk_graph) == before


def test_missing_registration_class_is_a_warning_not_an_error(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    text = GOOD.replace("tm:niceClass nice:9 ;", "")
    report = disk_graph.load([write(tmp_path, "noclass.ttl", text)])
    assert report.quads_added > 0
    assert any("names no Nice class" in warning for warning in report.warnings)


def test_unknown_extension_and_missing_file(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="pass --format"):
        disk_graph.load([write(tmp_path, "case.txt", GOOD)])
    with pytest.raises(NotFound, match="no such file"):
        disk_graph.load([tmp_path / "absent.ttl"])
    assert disk_graph.load([tmp_path / "case.txt"], format_name="turtle").quads_added > 0


def test_json_ld_remote_context_is_not_fetched(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "remote.jsonld",
        '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://x/a", "name": "A"}',
    )
    before = all_quads(disk_graph)
    with pytest.raises(ParseError, match=r"remote\.jsonld"):
        disk_graph.load([path])
    assert all_quads(disk_graph) == before


def test_large_files_show_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.ingest.load import parse_file

    lines = "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{i:0>40}" .\n' for i in range(20000)
    )
    path = write(tmp_path, "big.nt", lines)
    assert path.stat().st_size > 1 << 20
    parsed = parse_file(path, progress=True)
    assert len(parsed.quads) == 20000
    assert "big.nt" in capsys.readouterr().err
