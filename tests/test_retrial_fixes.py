"""Faults the second fresh-eyes trial found (issue 13): GraphQL showed a proceeding's later
decision in an answer as of an earlier date. Fixture: tests/data/as-of-life.ttl (cancellation
92000001, filed 2022, rejected 2023-02-01)."""

from __future__ import annotations

from tests.conftest import DATA
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "as-of-life.ttl"
graph, store, graphql = fixture_world(FIXTURE)

CONFLICTS = """query($asOf: Date) {
  conflicts(jurisdiction: "US", niceClass: 25, asOf: $asOf, first: 50) {
    nodes { reasons proceedings { number outcome decisionDate } }
  }
}"""


def _cancellation(graphql: str, as_of: str) -> list[dict]:
    answer = post(graphql, CONFLICTS, {"asOf": as_of})
    assert "errors" not in answer, answer
    return [
        p
        for node in answer["data"]["conflicts"]["nodes"]
        for p in node["proceedings"]
        if p["number"] == "92000001"
    ]


def test_a_proceeding_decided_later_is_pending_on_the_date_asked(graphql: str) -> None:
    for as_of in ("2022-06-01", "2023-01-31", "2023-01"):
        found = _cancellation(graphql, as_of)
        assert found and all(
            p == {"number": "92000001", "outcome": "pending", "decisionDate": None} for p in found
        ), (as_of, found)


def test_once_decided_it_shows_its_outcome(graphql: str) -> None:
    for as_of in ("2023-02-01", "2023", "2024-06-01"):
        found = _cancellation(graphql, as_of)
        assert found and all(
            p["outcome"] == "rejected" and p["decisionDate"] == "2023-02-01" for p in found
        ), (as_of, found)


REGISTERS = {
    "st66.xml": (
        '<?xml version="1.0"?><Transaction xmlns="http://www.wipo.int/standards/XMLSchema/'
        'trademarks"><TradeMarkTransactionBody/></Transaction>',
        "this is a WIPO ST.66 trademark file, not RDF/XML",
    ),
    "tmview.xml": (
        '<Transaction xmlns="http://ro.tmview.europa.eu/trademark/data"><A>RO</A></Transaction>',
        "this is a TMview per-office ST.66 file, not RDF/XML",
    ),
    "st96.xml": (
        '<tmk:TrademarkTransaction xmlns:tmk="http://www.wipo.int/standards/XMLSchema/ST96/'
        'Trademark"><x>2018-04-17-04:00</x></tmk:TrademarkTransaction>',
        "this is a WIPO ST.96 trademark file, not RDF/XML",
    ),
    "daily.xml": (
        "<trademark-applications-daily><version>2.0</version></trademark-applications-daily>",
        "this is a USPTO Trademark Daily XML file, not RDF/XML",
    ),
    "register.csv": ("number,mark,owner\n1,ACME,Acme Inc\n", "kg import reads it"),
}


def test_register_files_given_to_kg_load_point_to_kg_import(tmp_path) -> None:
    from tests.conftest import run_kg

    for name, (content, message) in REGISTERS.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        for command in ("validate", "load"):
            args = [command, path] + (["--store", tmp_path / "s"] if command == "load" else [])
            result = run_kg(*args)
            assert result.returncode == 4 and message in result.stderr, (name, result.stderr)
            assert "Traceback" not in result.stderr
    folder = run_kg("validate", tmp_path)
    assert folder.returncode == 4 and "is a directory" in folder.stderr


def test_a_broken_rdf_xml_file_keeps_its_own_error(tmp_path) -> None:
    from tests.conftest import run_kg

    path = tmp_path / "broken.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><x>', encoding="utf-8"
    )
    result = run_kg("validate", path)
    assert result.returncode == 4 and "not RDF/XML" not in result.stderr


def test_timelines_show_a_rights_end_and_its_application_number(graph) -> None:
    from kg.analysis.service import Analyst

    analyst = Analyst(graph)
    alpha = [e.description for e in analyst.timeline(party="Alpha Apparel")]
    assert "Alpha Apparel LLC files application No. 90000001 for 'ZEPHYRA' in US, class 25" in alpha
    assert any("90000001" in d and "ends: abandoned" in d for d in alpha)
    beta = {e.date: e.description for e in analyst.timeline(party="Beta Wear")}
    assert "ends: expired" in beta["2016-02-01"]  # its term ended, no renewal recorded
    gamma = [e.description for e in analyst.timeline(party="Gamma Sports")]
    assert not any("ends:" in d for d in gamma)  # a pending application has not ended
