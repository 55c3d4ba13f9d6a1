"""Oppositions and cancellations as proceedings (issue 13, model item 8): every one is a
conflict (listed, scored, explained, cited), on conflict paths and timelines, and a case.
Records in the IPONZ shape (tests/data/oppositions.trig) through the service, the CLI (a real
`kg` process) and GraphQL (over HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph
from kg.analysis.arguments import ArgumentError
from kg.analysis.service import Analyst
from kg.api.graphql.playground import example_queries
from kg.resources import QUERIES_DIR
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "oppositions.trig"
KESTREL = "Kestrel Beverages Limited"
HARBOUR = "Harbour Brewing Co Limited"
ANA = "Ana Example"
LUMEN = "Lumen Software Inc."
LUMENA = "Lumena Holdings Limited"
TUI = "Tui Outdoor Limited"
TRAILHEAD = "Trailhead Gear Limited"
POHUTUKAWA = "Pohutukawa Foods Limited"
OPPOSITIONS_GRAPH = "https://w3id.org/tmkg/id/graph/iponz-oppositions"
REGISTER_GRAPH = "https://w3id.org/tmkg/id/graph/iponz-register"


graph, store, graphql = fixture_world(FIXTURE)


def _pairs(conflicts: list) -> dict[frozenset[str], object]:
    return {frozenset(p.name for p in c.parties): c for c in conflicts}


# ------------------------------------------------------------------ the model


def test_every_proceeding_is_read_with_its_parties_and_outcome(graph: KnowledgeGraph) -> None:
    found = {p.number: p for p in Analyst(graph).proceedings()}
    assert set(found) == {"1300001", "1300002", "1300003", "1300004", "R-800004"}
    pending = found["1300001"]
    assert (pending.kind, pending.outcome, pending.jurisdiction) == ("opposition", "pending", "NZ")
    assert [p.name for p in pending.plaintiffs] == [KESTREL]
    assert [p.name for p in pending.holders] == [HARBOUR]
    assert [m.text for m in pending.earlier_marks] == ["KESTREL"]
    assert pending.classes == (32,) and pending.office is not None
    assert found["R-800004"].kind == "cancellation"
    assert found["R-800004"].outcome == "partly upheld"
    assert found["1300004"].outcome is None  # unstated


def test_filters_by_party_mark_kind_and_outcome(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    assert {p.number for p in analyst.proceedings(party=KESTREL)} == {"1300001", "1300002"}
    assert {p.number for p in analyst.proceedings(mark="KESTREL")} == {"1300001", "1300002"}
    assert {p.number for p in analyst.proceedings(kind="cancellation")} == {"R-800004"}
    assert {p.number for p in analyst.proceedings(outcome="withdrawn")} == {"1300003"}
    assert {p.number for p in analyst.proceedings(outcome="pending")} == {"1300001", "1300004"}
    with pytest.raises(ArgumentError, match="unknown outcome"):
        analyst.proceedings(outcome="won")


def test_a_proceeding_needs_a_contested_registration(tmp_path: Path) -> None:
    bad = tmp_path / "bad.trig"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8").replace(
            "tm:contestedRegistration reg:nz-1300003 ;", ""
        ),
        encoding="utf-8",
    )
    result = run_kg("validate", bad)
    assert result.returncode != 0
    assert "nz-opposition-1300003" in result.stderr
    assert "a proceeding needs a tm:contestedRegistration" in result.stderr


# ------------------------------------------------------------------ conflicts


def test_every_opposition_and_cancellation_is_a_conflict(graph: KnowledgeGraph) -> None:
    pairs = _pairs(Analyst(graph).conflicts(as_of="2025-01-01", include_lapsed=True))
    for left, right in ((KESTREL, HARBOUR), (KESTREL, ANA), (LUMEN, LUMENA), (TUI, TRAILHEAD)):
        assert frozenset((left, right)) in pairs, (left, right)
    # opponent first, then the holder of the contested application
    pair = pairs[frozenset((KESTREL, HARBOUR))]
    assert [p.name for p in pair.parties] == [KESTREL, HARBOUR]  # type: ignore[attr-defined]
    assert [m.text for m in pair.marks] == ["KESTREL", "KESTREL BREW"]  # type: ignore[attr-defined]


def test_a_proceeding_conflict_is_scored_explained_and_cited(graph: KnowledgeGraph) -> None:
    pairs = _pairs(Analyst(graph).conflicts(as_of="2025-01-01", include_lapsed=True))
    upheld = pairs[frozenset((KESTREL, ANA))]
    withdrawn = pairs[frozenset((LUMEN, LUMENA))]
    pending = pairs[frozenset((KESTREL, HARBOUR))]
    assert upheld.score == 1.0 and pending.score == 0.95 and withdrawn.score == 0.7  # type: ignore[attr-defined]
    why = " ".join(pending.reasons)  # type: ignore[attr-defined]
    for part in ("opposition No. 1300001", "application No. 1300001", "classes 32", "pending"):
        assert part in why, part
    assert "upheld on 2023-03-23" in " ".join(upheld.reasons)  # type: ignore[attr-defined]
    graphs = {s.graph for s in pending.sources}  # type: ignore[attr-defined]
    assert {OPPOSITIONS_GRAPH, REGISTER_GRAPH} <= graphs
    assert pending.proceedings == ("https://w3id.org/tmkg/id/case/nz-opposition-1300001",)  # type: ignore[attr-defined]


def test_an_actual_dispute_ranks_above_similarity_alone(graph: KnowledgeGraph) -> None:
    ranked = [frozenset(p.name for p in c.parties) for c in Analyst(graph).conflicts()]
    # pending and partly upheld (0.95), then KESTRAL's use against KESTREL by similarity alone
    assert set(ranked[:2]) == {frozenset((KESTREL, HARBOUR)), frozenset((TUI, TRAILHEAD))}
    assert ranked[2] == frozenset(("Kestral Cafe Limited", KESTREL))
    assert ranked[-1] == frozenset((LUMEN, LUMENA))  # withdrawn: 0.7


def test_an_upheld_opposition_ends_the_contested_right(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    # KESTRIL was refused when the opposition was upheld: a dead right, left out by default
    assert frozenset((KESTREL, ANA)) not in _pairs(analyst.conflicts())
    kept = _pairs(analyst.conflicts(include_lapsed=True))[frozenset((KESTREL, ANA))]
    assert kept.lapsed  # type: ignore[attr-defined]
    assert "'KESTRIL' (No. 1300002) lapsed on 2023-03-23: refused" in kept.reasons  # type: ignore[attr-defined]


def test_a_decision_after_the_date_asked_is_not_known_yet(graph: KnowledgeGraph) -> None:
    pairs = _pairs(Analyst(graph).conflicts(as_of="2022-12-31"))
    pair = pairs[frozenset((KESTREL, ANA))]  # decided (upheld) only on 2023-03-23
    assert pair.score == 0.95 and not pair.lapsed  # type: ignore[attr-defined]
    assert any("decided later" in reason for reason in pair.reasons)  # type: ignore[attr-defined]


def test_a_party_never_conflicts_with_itself(graph: KnowledgeGraph) -> None:
    # Pohutukawa Foods opposed its own NZ arm's application (one party by owl:sameAs)
    for pair in Analyst(graph).conflicts():
        assert POHUTUKAWA not in {p.name for p in pair.parties}


def test_a_proceeding_filed_after_the_date_asked_is_not_yet_a_conflict(
    graph: KnowledgeGraph,
) -> None:
    analyst = Analyst(graph)
    before = _pairs(analyst.conflicts(as_of="2022-12-31"))
    # KESTREL BREW contains the earlier KESTREL: a conflict by the marks alone, but the
    # opposition filed 2023-02-10 is not part of it yet
    assert not before[frozenset((KESTREL, HARBOUR))].proceedings  # type: ignore[attr-defined]
    assert frozenset((KESTREL, ANA)) in before  # filed 2022-05-01
    after = _pairs(analyst.conflicts(as_of="2023"))
    assert after[frozenset((KESTREL, HARBOUR))].proceedings  # type: ignore[attr-defined]


def test_filters_apply_to_proceeding_conflicts(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    assert not analyst.conflicts(jurisdiction="GB")
    in_25 = _pairs(analyst.conflicts(nice_class=25))
    assert set(in_25) == {frozenset((TUI, TRAILHEAD))}
    assert frozenset((LUMEN, LUMENA)) not in _pairs(analyst.conflicts(min_score=0.8))


def test_cli_conflicts_list_proceedings(store: Path) -> None:
    out = run_kg("conflicts", "--format", "json", "--store", store, check=True)
    found = {frozenset(p["name"] for p in c["parties"]): c for c in json.loads(out.stdout)}
    assert frozenset((TUI, TRAILHEAD)) in found
    assert found[frozenset((TUI, TRAILHEAD))]["proceedings"] == [
        "https://w3id.org/tmkg/id/case/nz-revocation-800004"
    ]
    table = run_kg("conflicts", "--store", store, check=True).stdout
    assert "cancellation No. R-800004" in table
    early = run_kg("conflicts", "--as-of", "2022-12-31", "--format", "json", "--store", store)
    early_pairs = {frozenset(p["name"] for p in c["parties"]): c for c in json.loads(early.stdout)}
    assert not early_pairs[frozenset((KESTREL, HARBOUR))]["proceedings"]  # opposed in 2023


# ------------------------------------------------------------------ paths, timeline, case


def test_a_conflict_path_steps_through_the_proceeding(graph: KnowledgeGraph, store: Path) -> None:
    path = Analyst(graph).conflict_path(TUI, TRAILHEAD)
    assert path is not None
    assert "cancellation No. R-800004" in path.summary
    out = run_kg("path", KESTREL, ANA, "--store", store, check=True).stdout
    assert "opposition No. 1300002" in out


def test_timeline_shows_proceedings(graph: KnowledgeGraph, store: Path) -> None:
    entries = Analyst(graph).timeline(party=TRAILHEAD)
    kinds = [(e.date, e.kind) for e in entries]
    assert ("2024-03-01", "cancellation filed") in kinds
    assert ("2024-11-20", "cancellation partly upheld") in kinds
    out = run_kg("timeline", "nz-opposition-1300002", "--store", store, check=True).stdout
    assert "opposition upheld" in out and "2022-05-01" in out


def test_a_proceeding_is_a_case(graph: KnowledgeGraph) -> None:
    summary = Analyst(graph).case("1300001")
    assert (summary.kind, summary.outcome) == ("opposition", "pending")
    assert [p.name for p in summary.plaintiffs] == [KESTREL]
    assert [p.name for p in summary.defendants] == [HARBOUR]
    assert summary.courts == ()
    assert summary.office is not None and summary.office.name.startswith("Intellectual Property")
    [hit, *_] = Analyst(graph).search("R-800004")
    assert (hit.kind, hit.id) == ("case", "https://w3id.org/tmkg/id/case/nz-revocation-800004")


# ------------------------------------------------------------------ GraphQL


def test_graphql_proceedings_query(graphql: str) -> None:
    query = """query($party: String, $kind: String, $outcome: String) {
      proceedings(party: $party, kind: $kind, outcome: $outcome) {
        number kind outcome filingDate decisionDate niceClasses
        plaintiffs { name } holders { name } marks { text } earlierMarks { text }
        office { name } sources { title } } }"""
    answer = post(graphql, query, {"party": KESTREL})
    found = {p["number"]: p for p in answer["data"]["proceedings"]}
    assert set(found) == {"1300001", "1300002"}
    assert found["1300002"]["outcome"] == "upheld"
    assert found["1300002"]["decisionDate"] == "2023-03-23"
    assert found["1300001"]["earlierMarks"] == [{"text": "KESTREL"}]
    cancellations = post(graphql, query, {"kind": "cancellation"})["data"]["proceedings"]
    assert [p["number"] for p in cancellations] == ["R-800004"]
    wrong = post(graphql, query, {"outcome": "won"})
    assert wrong["errors"][0]["extensions"]["suggestion"].startswith("one of: pending")


def test_graphql_registration_and_conflict_show_proceedings(graphql: str) -> None:
    query = """{ party(name: "Trailhead Gear Limited") {
      registrations { number proceedings { number kind outcome plaintiffs { name } } } } }"""
    [registration] = post(graphql, query)["data"]["party"]["registrations"]
    assert registration["proceedings"] == [
        {
            "number": "R-800004",
            "kind": "cancellation",
            "outcome": "partly upheld",
            "plaintiffs": [{"name": TUI}],
        }
    ]
    conflicts = """{ conflicts(jurisdiction: "NZ", first: 50) { nodes {
      score parties { name } proceedings { number outcome } } } }"""
    nodes = post(graphql, conflicts)["data"]["conflicts"]["nodes"]
    by_pair = {frozenset(p["name"] for p in n["parties"]): n for n in nodes}
    assert by_pair[frozenset((LUMEN, LUMENA))]["proceedings"] == [
        {"number": "1300003", "outcome": "withdrawn"}
    ]


def test_graphql_case_is_the_proceeding(graphql: str) -> None:
    query = '{ case(id: "R-800004") { kind outcome plaintiffs { name } defendants { name } } }'
    case = post(graphql, query)["data"]["case"]
    assert case == {
        "kind": "cancellation",
        "outcome": "partly upheld",
        "plaintiffs": [{"name": TUI}],
        "defendants": [{"name": TRAILHEAD}],
    }
    cases = post(
        graphql, '{ party(name: "Tui Outdoor Limited") { cases { number kind events { kind } } } }'
    )
    assert cases["data"]["party"]["cases"] == [
        {
            "number": "R-800004",
            "kind": "cancellation",
            "events": [{"kind": "cancellation filed"}, {"kind": "cancellation partly upheld"}],
        }
    ]


# ------------------------------------------------------------------ the saved query


def test_saved_query_lists_proceedings(graph: KnowledgeGraph) -> None:
    text = (QUERIES_DIR / "proceedings.rq").read_text(encoding="utf-8")
    result = graph.query(text)
    rows = result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8").splitlines()
    assert rows[0].split(",")[:4] == ["proceeding", "kind", "number", "opponent"]
    assert len(rows) == 1 + 5
    assert any("R-800004" in row and TUI in row and "partly upheld" in row for row in rows)


def test_the_example_graphql_query_answers_on_the_fixture(graphql: str) -> None:
    [example] = [q for q in example_queries() if q.name == "proceedings"]
    answer = post(graphql, example.query, example.variables)
    assert "errors" not in answer, answer.get("errors")
    numbers = {p["number"] for p in answer["data"]["proceedings"]}
    assert numbers == {"1300001", "1300002", "1300003", "1300004"}


def test_cli_case_and_proceedings(store: Path) -> None:
    case = run_kg("case", "R-800004", "--format", "json", "--store", store, check=True)
    [summary] = json.loads(case.stdout)
    assert (summary["kind"], summary["outcome"]) == ("cancellation", "partly upheld")
    assert summary["office"]["name"] == "Intellectual Property Office of New Zealand"
    table = run_kg("case", "1300002", "--store", store, check=True).stdout
    assert "upheld" in table and KESTREL in table
    listed = run_kg(
        "proceedings", "--party", KESTREL, "--format", "json", "--store", store, check=True
    )
    assert [p["number"] for p in json.loads(listed.stdout)] == ["1300002", "1300001"]
    settled = run_kg("proceedings", "--outcome", "partly-upheld", "--store", store, check=True)
    assert "R-800004" in settled.stdout and "1300001" not in settled.stdout
