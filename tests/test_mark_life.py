"""A mark's life in every answer (issue 13): dead rights drop out as of a date, pending
applications are held by applicants. Real-shaped records (tests/data/mark-life.trig) through
the service, the CLI (a real `kg` process) and GraphQL (over HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.errors import KGError
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "mark-life.trig"
LA_PERLA = "GRUPPO LA PERLA S.P.A."
UTOPIA = "Utopia Holdings Limited"
BURGER = "Burger Addict Renton LLC"
WHO = """query($mark: String!, $cc: String, $n: Int, $asOf: Date, $lapsed: Boolean) {
  whoElseUses(mark: $mark, jurisdiction: $cc, niceClass: $n, asOf: $asOf,
              includeLapsed: $lapsed) {
    party { name } kind status lapsed ended endReason since
  }
}"""


graph, store, graphql = fixture_world(FIXTURE)


def _who(store: Path, *args: str) -> list[dict]:
    out = run_kg("who-else-uses", *args, "--format", "json", "--store", store, check=True)
    return json.loads(out.stdout)


def _by_party(hits: list[dict]) -> dict[str, dict]:
    return {hit["party"]["name"]: hit for hit in hits}


# ------------------------------------------------------------------ the abandoned application


def test_an_abandoned_application_is_not_listed_in_2024(graph: KnowledgeGraph) -> None:
    hits = Analyst(graph).who_else_uses("GRIGIOPERLA", 25, "US", as_of="2024")
    assert LA_PERLA not in {h.party.name for h in hits}
    assert "Example Apparel Inc." in {h.party.name for h in hits}


def test_an_abandoned_application_is_listed_lapsed_on_request(graph: KnowledgeGraph) -> None:
    hits = Analyst(graph).who_else_uses("GRIGIOPERLA", 25, "US", as_of="2024", include_lapsed=True)
    [hit] = [h for h in hits if h.party.name == LA_PERLA]
    assert (hit.lapsed, hit.ended, hit.status) == (True, "2001-09-20", "abandoned")
    assert hit.kind.value == "APPLICANT"  # never registered: no registration date or number
    assert "602" in hit.end_reason and "abandoned" in hit.end_reason  # type: ignore[operator]


def test_before_it_was_abandoned_it_was_a_pending_application(graph: KnowledgeGraph) -> None:
    hits = Analyst(graph).who_else_uses("GRIGIOPERLA", 25, "US", as_of="1995")
    [hit] = [h for h in hits if h.party.name == LA_PERLA]
    assert (hit.kind.value, hit.lapsed, hit.since) == ("APPLICANT", False, "1987-02-10")


def test_cli_abandoned(store: Path) -> None:
    args = ("GRIGIOPERLA", "--class", "25", "--jurisdiction", "US", "--as-of", "2024")
    assert LA_PERLA not in _by_party(_who(store, *args))
    lapsed = _by_party(_who(store, *args, "--include-lapsed"))[LA_PERLA]
    assert (lapsed["lapsed"], lapsed["ended"], lapsed["kind"]) == (True, "2001-09-20", "APPLICANT")
    table = run_kg("who-else-uses", *args, "--include-lapsed", "--store", store, check=True).stdout
    assert "lapsed 2001-09-20" in table and "abandoned" in table


def test_graphql_abandoned(graphql: str) -> None:
    variables = {"mark": "GRIGIOPERLA", "cc": "US", "n": 25, "asOf": "2024"}
    answer = post(graphql, WHO, variables)
    assert LA_PERLA not in _by_party(answer["data"]["whoElseUses"])
    answer = post(graphql, WHO, {**variables, "lapsed": True})
    hit = _by_party(answer["data"]["whoElseUses"])[LA_PERLA]
    assert (hit["lapsed"], hit["ended"], hit["status"]) == (True, "2001-09-20", "abandoned")
    assert "602" in hit["endReason"]


def test_conflicts_leave_out_a_dead_right(graph: KnowledgeGraph, store: Path) -> None:
    analyst = Analyst(graph)
    assert not analyst.conflicts(jurisdiction="US")
    [pair] = analyst.conflicts(jurisdiction="US", include_lapsed=True)
    assert pair.lapsed and any("lapsed on 2001-09-20" in r for r in pair.reasons)
    out = run_kg(
        "conflicts", "--jurisdiction", "US", "--format", "json", "--store", store, check=True
    )
    assert json.loads(out.stdout) == []
    out = run_kg(
        "conflicts", "--jurisdiction", "US", "--include-lapsed", "--format", "json",
        "--store", store, check=True,
    )  # fmt: skip
    assert [c["lapsed"] for c in json.loads(out.stdout)] == [True]


def test_graphql_conflicts_include_lapsed(graphql: str) -> None:
    query = """query($lapsed: Boolean) { conflicts(jurisdiction: "US", includeLapsed: $lapsed) {
      totalCount nodes { lapsed parties { name } } } }"""
    assert post(graphql, query)["data"]["conflicts"]["totalCount"] == 0
    found = post(graphql, query, {"lapsed": True})["data"]["conflicts"]
    assert found["totalCount"] == 1 and found["nodes"][0]["lapsed"] is True


# ------------------------------------------------------------------ the expired registration


def test_an_expired_registration_is_not_listed_after_expiry(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    before = analyst.who_else_uses("THE TWISTED TAILOR", 25, "GB", as_of="2027")
    assert [(h.party.name, h.kind.value, h.lapsed) for h in before] == [
        (UTOPIA, "REGISTERED_OWNER", False)
    ]
    assert not analyst.who_else_uses("THE TWISTED TAILOR", 25, "GB", as_of="2030")
    [hit] = analyst.who_else_uses("THE TWISTED TAILOR", 25, "GB", as_of="2030", include_lapsed=True)
    assert (hit.lapsed, hit.ended) == (True, "2028-02-12")
    assert "expired" in hit.end_reason  # type: ignore[operator]


def test_priority_leaves_out_the_expired_registration(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    in_force = analyst.priority("THE TWISTED TAILOR", 25, "GB", as_of="2027")
    assert in_force.holder is not None and in_force.holder.name == UTOPIA  # GB: first-to-file
    assert not analyst.priority("THE TWISTED TAILOR", 25, "GB", as_of="2030").competing_claims
    listed = analyst.priority("THE TWISTED TAILOR", 25, "GB", as_of="2030", include_lapsed=True)
    [claim] = listed.competing_claims
    assert (claim.lapsed, claim.ended) == (True, "2028-02-12") and listed.holder is None


def test_cli_expired(store: Path) -> None:
    args = ("THE TWISTED TAILOR", "--class", "25", "--jurisdiction", "GB")
    assert UTOPIA in _by_party(_who(store, *args, "--as-of", "2027"))
    assert _who(store, *args, "--as-of", "2030") == []
    hit = _by_party(_who(store, *args, "--as-of", "2030", "--include-lapsed"))[UTOPIA]
    assert (hit["lapsed"], hit["ended"]) == (True, "2028-02-12")
    priority = run_kg(
        "priority", *args, "--as-of", "2030", "--include-lapsed", "--store", store, check=True
    ).stdout
    assert "lapsed on 2028-02-12" in priority


def test_graphql_expired(graphql: str) -> None:
    variables = {"mark": "THE TWISTED TAILOR", "cc": "GB", "n": 25, "asOf": "2030"}
    assert post(graphql, WHO, variables)["data"]["whoElseUses"] == []
    [hit] = post(graphql, WHO, {**variables, "lapsed": True})["data"]["whoElseUses"]
    assert (hit["lapsed"], hit["ended"]) == (True, "2028-02-12")
    query = """{ priority(mark: "THE TWISTED TAILOR", niceClass: 25, jurisdiction: "GB",
                          asOf: "2030", includeLapsed: true) {
                   competingClaims { lapsed ended } } }"""
    claims = post(graphql, query)["data"]["priority"]["competingClaims"]
    assert claims == [{"lapsed": True, "ended": "2028-02-12"}]


# ------------------------------------------------------------------ the pending application


def test_a_pending_application_is_held_by_an_applicant(graph: KnowledgeGraph) -> None:
    [hit] = Analyst(graph).who_else_uses("BURGER ADDICT", 43, "US")
    assert (hit.party.name, hit.kind.value, hit.status) == (BURGER, "APPLICANT", "filed")
    assert hit.since == "2018-04-17" and not hit.lapsed


def test_cli_pending(store: Path) -> None:
    [hit] = _who(store, "BURGER ADDICT", "--class", "43", "--jurisdiction", "US")
    assert (hit["party"]["name"], hit["kind"]) == (BURGER, "APPLICANT")
    table = run_kg("who-else-uses", "BURGER ADDICT", "--store", store, check=True).stdout
    assert "applicant" in table and "registered owner" not in table


def test_graphql_pending(graphql: str) -> None:
    [hit] = post(graphql, WHO, {"mark": "BURGER ADDICT"})["data"]["whoElseUses"]
    assert (hit["party"]["name"], hit["kind"], hit["status"]) == (BURGER, "APPLICANT", "filed")
    query = """{ mark(text: "BURGER ADDICT") { registrations {
                   number applicationNumber status statusCode statusDate } } }"""
    [registration] = post(graphql, query)["data"]["mark"]["registrations"]
    assert registration == {
        "number": None,
        "applicationNumber": "87881347",
        "status": "filed",
        "statusCode": "680",
        "statusDate": "2018-08-27",
    }


# ------------------------------------------------------------------ the model as data


def test_every_uspto_code_row_names_where_it_is_defined() -> None:
    import csv

    from kg.resources import SCHEMA_DIR

    with (SCHEMA_DIR / "status-uspto.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    statuses = (SCHEMA_DIR / "status.ttl").read_text(encoding="utf-8")
    assert {"602", "630", "680", "800"} <= {row["code"] for row in rows}  # used in real files
    for row in rows:
        assert row["defined_in"] and row["url"].startswith("https://"), row
        assert f"st:{row['status']} a tm:MarkStatus" in statuses, row


def test_a_stated_status_must_be_in_the_scheme(tmp_path: Path) -> None:
    bad = tmp_path / "bad-status.ttl"
    bad.write_text(
        """@prefix tm: <https://w3id.org/tmkg/ontology#> .
        @prefix id: <https://w3id.org/tmkg/id/> .
        id:m a tm:Mark ; tm:text "X" .
        id:p a tm:Company .
        id:r a tm:Registration ; tm:mark id:m ; tm:owner id:p ;
            tm:jurisdiction <https://w3id.org/tmkg/id/jurisdiction/US> ;
            tm:niceClass <https://w3id.org/tmkg/id/nice/25> ;
            tm:markStatus <https://w3id.org/tmkg/id/status/lost> .
        """,
        encoding="utf-8",
    )
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        with pytest.raises(KGError, match="markStatus"):
            graph.load([bad])
    finally:
        graph.close()
