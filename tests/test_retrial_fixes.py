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
        assert found and all(p == {"number": "92000001", "outcome": "pending",
                                   "decisionDate": None} for p in found), (as_of, found)


def test_once_decided_it_shows_its_outcome(graphql: str) -> None:
    for as_of in ("2023-02-01", "2023", "2024-06-01"):
        found = _cancellation(graphql, as_of)
        assert found and all(p["outcome"] == "rejected" and p["decisionDate"] == "2023-02-01"
                             for p in found), (as_of, found)
