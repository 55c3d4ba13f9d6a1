"""Paths follow chains of title (helper-123, helper-124 #10): a former owner and the owner it
assigned the right to are connected through the recorded change, each step naming the change
("BRISKWATER HOLDINGS LLC is the assignor in the assignment of registration No. 5100001 of
'BRISKWATER' (US) on or before 2025-01-08"), cited to the file recording it; a path of several
changes goes through every owner between. A party that came to own the right with no change
recorded is not connected that way. The files: tests/test_ownership_record.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.api.app import create_app
from kg.registries.importer import import_registry
from tests.conftest import run_kg
from tests.graphql_support import ThreadedServer, post
from tests.provenance_support import check_answer
from tests.test_ownership_record import DELTA, TIDEWELL, daily

HOLDINGS = "BRISKWATER HOLDINGS LLC"
APPLICANT = "Ilse Example Brandt"


@pytest.fixture
def titled(disk_graph: KnowledgeGraph, tmp_path: Path) -> KnowledgeGraph:
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("10", DELTA)])])
    return disk_graph


def test_a_former_owner_and_its_assignee_are_one_change_apart(titled: KnowledgeGraph) -> None:
    analyst = Analyst(titled)
    path = analyst.conflict_path(HOLDINGS, TIDEWELL)
    assert path is not None and path.kind == "business tie"
    told = [step.explanation for step in path.steps]
    change = (
        "the assignment of registration No. 5100001 of 'BRISKWATER' (US) on or before 2025-01-08"
    )
    assert told == [
        f"{HOLDINGS} is the assignor in {change}",
        f"{TIDEWELL} is the assignee in {change}",
    ]
    assert all([s.title for s in step.sources] == ["apc250108.xml"] for step in path.steps)
    assert check_answer(titled, analyst.facts, [path]) == []


def test_a_chain_of_three_changes_is_a_path_of_six_steps(titled: KnowledgeGraph) -> None:
    analyst = Analyst(titled)
    path = analyst.conflict_path(APPLICANT, TIDEWELL)
    assert path is not None and len(path.steps) == 6
    names = [step.target_label for step in path.steps[1::2]]
    assert names == ["BRISKWATER SPRINGS LLC", HOLDINGS, TIDEWELL]
    assert analyst.conflict_path(APPLICANT, TIDEWELL, max_length=4) is None


def test_an_owner_no_change_names_is_not_connected_by_one(titled: KnowledgeGraph) -> None:
    assert Analyst(titled).conflict_path(TIDEWELL, DELTA) is None


def test_graphql_gives_the_path(titled: KnowledgeGraph) -> None:
    query = """query($a: String!, $b: String!) { conflictPath(from: $a, to: $b) {
      kind steps { explanation sources { title } } } }"""
    with ThreadedServer(create_app(titled, Settings(memory=True))) as server:
        document = post(server.graphql, query, {"a": HOLDINGS, "b": TIDEWELL})
    assert "errors" not in document, document
    found = document["data"]["conflictPath"]
    assert found["kind"] == "business tie"
    assert [s["sources"] for s in found["steps"]] == [[{"title": "apc250108.xml"}]] * 2


def test_a_step_through_a_change_cites_the_date_it_states(titled: KnowledgeGraph) -> None:
    """helper-126 #8: the step says "on or before 2025-01-08"; its statements hold that date
    and that it is a bound, from the file stating them."""
    path = Analyst(titled).conflict_path(HOLDINGS, TIDEWELL)
    assert path is not None
    tm = "https://w3id.org/tmkg/ontology#"
    for step in path.steps:
        facts = {f for s in step.statements for f in s.facts}
        assert {(tm + "date", "2025-01-08"), (tm + "dateIsUpperBound", "true")} <= facts


def test_the_cli_says_how_to_look_further(titled: KnowledgeGraph, store_path: Path) -> None:
    """helper-126 #7: "no path within the length limit" said neither the limit nor how to
    raise it; a chain of three changes is six steps."""
    titled.close()
    short = run_kg("path", APPLICANT, TIDEWELL, "--max-length", "4", "--store", store_path)
    assert short.returncode == 0
    assert "no path within the length limit: 4 steps (--max-length N" in short.stdout
    assert "up to 12" in short.stdout
    longer = run_kg("path", APPLICANT, TIDEWELL, "--max-length", "6", "--store", store_path)
    assert "business tie (6 steps)" in longer.stdout
