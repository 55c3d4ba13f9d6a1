"""Regional and international rights in every answer (issue 13, item 7): an EU trade mark
counts in each member state on the date asked (the UK until 2020-12-31), an international
registration in each designated jurisdiction whose designation is in force. Real-shaped
records (tests/data/regional-rights.trig) through the service, the CLI (a real `kg` process)
and GraphQL (over HTTP); the membership table (schema/regional-members.csv) as loaded."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pycountry

from kg import KnowledgeGraph
from kg.analysis.coverage import members_on, memberships
from kg.analysis.dates import PartialDate
from kg.analysis.service import Analyst
from kg.resources import SCHEMA_DIR
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "regional-rights.trig"
NORDVIK = "Nordvik Outdoor AB"  # EUTM 017912345, filed 2018-06-14
NORDVIC = "Vêtements Nordvic SARL"  # French national mark, filed 2021-01-18
KALDERA = "Kaldera Systems Oy"  # IR 1456789: EM (2023), US refused (2020), DE (2021)
WHO = """query($mark: String!, $cc: String, $n: Int, $asOf: Date) {
  whoElseUses(mark: $mark, jurisdiction: $cc, niceClass: $n, asOf: $asOf) {
    party { name } jurisdiction { code name } via reasons
  }
}"""
REGISTRATIONS = """query($text: String!, $asOf: String) {
  mark(text: $text) {
    registrations {
      number jurisdiction { code name }
      coverage(asOf: $asOf) { jurisdiction { code } via since }
      designations { jurisdiction { code } designationDate status statusDate statusText
                     sources { title } }
    }
  }
}"""


graph, store, graphql = fixture_world(FIXTURE)


def _names(hits: list) -> set[str]:
    return {h.party.name for h in hits}


def _who(store: Path, *args: str) -> list[dict]:
    out = run_kg("who-else-uses", *args, "--format", "json", "--store", store, check=True)
    return json.loads(out.stdout)


# ------------------------------------------------------------------ the service


def test_an_eu_trade_mark_counts_in_a_member_state(graph: KnowledgeGraph) -> None:
    hits = Analyst(graph).who_else_uses("NORDVIK", 25, "FR", as_of="2024-01-01")
    by_party = {h.party.name: h for h in hits}
    assert set(by_party) == {NORDVIK, NORDVIC}
    eutm = by_party[NORDVIK]
    assert (eutm.jurisdiction, eutm.via) == ("EM", "EM")
    assert any(
        "counts in FR through the regional right (EM) covering it, since 2018-10-02" in r
        for r in eutm.reasons
    )  # since its owner holds it registered (as the hit's since), not the EU's opening in 1996
    assert eutm.since == "2018-10-02"
    assert by_party[NORDVIC].via is None  # the national right counts as its own


def test_an_eu_trade_mark_left_the_uk_at_the_end_of_2020(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    assert _names(analyst.who_else_uses("NORDVIK", 25, "GB", as_of="2021-06-01")) == set()
    before = analyst.who_else_uses("NORDVIK", 25, "GB", as_of="2020-06-01")
    assert [(h.party.name, h.via) for h in before] == [(NORDVIK, "EM")]


def test_an_international_registration_counts_only_where_designated(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    # DE was designated on 2021-05-03 (a subsequent designation): not before
    assert _names(analyst.who_else_uses("KALDERA", 9, "DE", as_of="2020-06-01")) == set()
    [hit] = analyst.who_else_uses("KALDERA", 9, "DE", as_of="2022-06-01")
    assert (hit.party.name, hit.jurisdiction, hit.via) == (KALDERA, "WO", "WO/DE")
    assert any("designating DE, since 2021-05-03" in r for r in hit.reasons)
    # never designated: JP
    assert _names(analyst.who_else_uses("KALDERA", 9, "JP", as_of="2024")) == set()


def test_a_refused_designation_drops_out_from_its_status_date(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    assert _names(analyst.who_else_uses("KALDERA", 9, "US", as_of="2019-06")) == {KALDERA}
    assert _names(analyst.who_else_uses("KALDERA", 9, "US", as_of="2024")) == set()


def test_a_designation_of_em_covers_its_member_states(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    assert _names(analyst.who_else_uses("KALDERA", 9, "FR", as_of="2022")) == set()
    [hit] = analyst.who_else_uses("KALDERA", 9, "FR", as_of="2024")
    assert hit.via == "WO/EM"


def test_priority_in_a_member_state_weighs_the_eu_trade_mark(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORDVIK", 25, "FR", as_of="2024")
    assert finding.holder is not None and finding.holder.name == NORDVIK
    assert finding.date == "2018-06-14"
    assert "counts in FR through the regional right (EM)" in finding.explanation
    assert NORDVIC in {c.party.name for c in finding.competing_claims}


def test_conflicts_pair_an_eu_trade_mark_with_a_national_mark(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    for asked in ("FR", None):
        [pair] = [
            c
            for c in analyst.conflicts(jurisdiction=asked, as_of="2024")
            if {p.name for p in c.parties} == {NORDVIK, NORDVIC}
        ]
        assert pair.jurisdiction == "FR"
        assert any("'NORDVIK' (EM) counts in FR" in r for r in pair.reasons)
    assert analyst.conflicts(jurisdiction="GB", as_of="2024") == []


def test_regional_codes_are_jurisdictions_to_every_question(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    for code in ("EM", "BX", "OA", "WO"):
        analyst.who_else_uses("NORDVIK", 25, code)  # no NotFound
    [own] = analyst.who_else_uses("NORDVIK", 25, "EM", as_of="2024")
    assert (own.party.name, own.via) == (NORDVIK, None)


# ------------------------------------------------------------------ the CLI, a real process


def test_cli_who_else_uses_lists_the_eutm_holder_in_france(store: Path) -> None:
    hits = {
        h["party"]["name"]: h
        for h in _who(store, "NORDVIK", "--class", "25", "--jurisdiction", "FR", "--as-of", "2024")
    }
    assert hits[NORDVIK]["via"] == "EM"
    assert NORDVIC in hits


def test_cli_who_else_uses_in_gb_after_brexit_leaves_the_eutm_out(store: Path) -> None:
    args = ("NORDVIK", "--class", "25", "--jurisdiction", "GB")
    assert _who(store, *args, "--as-of", "2021-06-01") == []
    assert [h["party"]["name"] for h in _who(store, *args, "--as-of", "2020-06-01")] == [NORDVIK]


def test_cli_priority_in_france_goes_to_the_earlier_eutm(store: Path) -> None:
    out = run_kg(
        "priority",
        "NORDVIK",
        "--class",
        "25",
        "--jurisdiction",
        "FR",
        "--as-of",
        "2024",
        "--format",
        "json",
        "--store",
        store,
        check=True,
    )
    [finding] = json.loads(out.stdout)
    assert finding["holder"]["name"] == NORDVIK
    assert finding["date"] == "2018-06-14"


def test_cli_imports_eu_and_international_office_codes(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
        "SKYRNA,Skyrna Oy,25,EM,2019-04-02,2019-08-20,018045678,registered\n"
        "SKYRNA,Skyrna Oy,25,WO,2020-01-10,2020-01-10,1523456,registered\n",
        encoding="utf-8",
    )
    path = tmp_path / "store"
    run_kg("import", "--store", path, register, "--source-title", "Register", check=True)
    hits = _who(path, "SKYRNA", "--class", "25", "--jurisdiction", "IT", "--as-of", "2024")
    assert [(h["party"]["name"], h["jurisdiction"], h["via"]) for h in hits] == [
        ("Skyrna Oy", "EM", "EM")
    ]


# ------------------------------------------------------------------ GraphQL over HTTP


def test_graphql_hit_says_through_which_right(graphql: str) -> None:
    body = post(graphql, WHO, {"mark": "NORDVIK", "cc": "FR", "n": 25, "asOf": "2024"})
    hits = {h["party"]["name"]: h for h in body["data"]["whoElseUses"]}
    assert hits[NORDVIK]["via"] == "EM"
    assert hits[NORDVIK]["jurisdiction"] == {"code": "EM", "name": "European Union trade mark"}
    assert hits[NORDVIC]["via"] is None


def test_graphql_registration_coverage_on_a_date(graphql: str) -> None:
    def coverage(as_of: str) -> dict[str, str]:
        body = post(graphql, REGISTRATIONS, {"text": "NORDVIK", "asOf": as_of})
        [registration] = body["data"]["mark"]["registrations"]
        return {c["jurisdiction"]["code"]: c["via"] for c in registration["coverage"]}

    before, after = coverage("2020-06-01"), coverage("2021-06-01")
    assert "GB" in before and "GB" not in after
    assert len(after) == 27 and set(after.values()) == {"EM"}


def test_graphql_designations_each_with_its_status(graphql: str) -> None:
    body = post(graphql, REGISTRATIONS, {"text": "KALDERA", "asOf": "2024"})
    [registration] = body["data"]["mark"]["registrations"]
    designations = {d["jurisdiction"]["code"]: d for d in registration["designations"]}
    assert {c: (d["status"], d["statusDate"]) for c, d in designations.items()} == {
        "DE": ("registered", "2022-01-12"),
        "EM": ("registered", "2023-11-20"),
        "US": ("refused", "2020-03-10"),
    }
    assert designations["US"]["sources"] == [
        {"title": "WIPO Madrid Monitor, IR 1456789 (test record)"}
    ]
    covered = {c["jurisdiction"]["code"]: c["via"] for c in registration["coverage"]}
    assert covered["DE"] == "WO/DE" and covered["FR"] == "WO/EM" and "US" not in covered


def test_graphql_coverage_checks_its_date(graphql: str) -> None:
    body = post(graphql, REGISTRATIONS, {"text": "NORDVIK", "asOf": "2021-13"})
    assert body["errors"] and body["errors"][0]["extensions"]["argument"] == "asOf"


# ------------------------------------------------------------------ the membership table


def _rows() -> list[dict[str, str]]:
    with (SCHEMA_DIR / "regional-members.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_membership_row_cites_a_source_and_names_real_states() -> None:
    rows = _rows()
    countries = {c.alpha_2 for c in pycountry.countries}
    for row in rows:
        assert len(row["source"]) > 30, row
        assert row["member"] in countries, row
        assert row["system"] in {"EM", "BX", "OA"}, row
    by_system: dict[str, set[str]] = {}
    for row in rows:
        by_system.setdefault(row["system"], set()).add(row["member"])
    assert len(by_system["EM"]) == 28  # the 27 and the United Kingdom until 2020-12-31
    assert by_system["BX"] == {"BE", "NL", "LU"}
    assert len(by_system["OA"]) == 17


def test_the_membership_rows_load_into_the_reference_graph(seeded: KnowledgeGraph) -> None:
    rows = seeded.query(
        """SELECT ?system ?member ?from ?until ?source WHERE {
             GRAPH <https://w3id.org/tmkg/id/graph/reference> {
               ?m a tm:Membership ; tm:regionalSystem/tm:code ?system ;
                  tm:memberState/tm:code ?member ; tm:memberFrom ?from ; dcterms:source ?source
               OPTIONAL { ?m tm:memberUntil ?until } } }"""
    )
    loaded = {
        (
            r["system"].value,
            r["member"].value,
            r["from"].value,
            r["until"].value if r["until"] else "",
        )
        for r in rows
    }
    expected = {(r["system"], r["member"], r["from"], r["until"]) for r in _rows()}
    assert loaded == expected
    assert ("EM", "GB", "1996-04-01", "2020-12-31") in loaded
    regional = seeded.query("SELECT ?code WHERE { ?j a tm:RegionalJurisdiction ; tm:code ?code }")
    assert {r["code"].value for r in regional} == {"EM", "BX", "OA", "WO"}


def test_a_designation_needs_one_designated_jurisdiction(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "des:wo-1456789-de a tm:Designation ; tm:jurisdiction cc:DE ;",
        "des:wo-1456789-de a tm:Designation ;",
    )
    bad = tmp_path / "no-designated-party.trig"
    bad.write_text(text, encoding="utf-8")
    result = run_kg("validate", bad)
    assert result.returncode != 0
    assert "a designation needs exactly one tm:jurisdiction" in result.stdout + result.stderr
    assert run_kg("validate", FIXTURE).returncode == 0


def test_members_on_a_date_follow_the_table(seeded: KnowledgeGraph) -> None:
    table = memberships(Analyst(seeded).facts)
    on = PartialDate.parse
    assert "KM" not in members_on("OA", table, on("2013-01-01"))  # Comoros: in force 2013-05-25
    assert len(members_on("OA", table, on("2014"))) == 17
    assert "HR" not in members_on("EM", table, on("2013-06-30"))  # Croatia: from 2013-07-01
    assert set(members_on("BX", table, on("1970"))) == set()  # Benelux law: from 1971-01-01
    assert set(members_on("BX", table, on("1971-01-01"))) == {"BE", "LU", "NL"}


def test_a_systems_rights_share_its_members_each_from_its_own_filing() -> None:
    """`with_coverage` finds a regional system's members once and dates each right's coverage
    from its own filing: the same as `covered` right by right (filed before and after a
    state joined or left, year-only, undated, two rights filed the same day)."""
    from kg.analysis.coverage import Membership, covered, with_coverage
    from kg.analysis.model import Holding, HoldingKind, MarkRef

    table = [
        Membership("EM", "FR", "1996-04-01"),
        Membership("EM", "GB", "1996-04-01", "2020-12-31"),
        Membership("EM", "HR", "2013-07-01"),
        Membership("BX", "NL", "1971-01-01"),
    ]
    filed = ["1995-01-05", "2010-03-01", "2013", "2013-07-01", None, "2019-05-05", "2019-05-05"]
    rights = [
        Holding(id=f"r{i}", kind=HoldingKind.REGISTERED_OWNER, mark=MarkRef("m", "X"),
                party=f"p{i}", on_behalf_of=None, jurisdiction=system, classes=(25,),
                filing_date=day, registration_date="1999-02-02" if day is None else None,
                start_date=None, end_date=None, registration_number=None, region=None,
                sources=())
        for i, (day, system) in enumerate((d, s) for d in filed for s in ("EM", "BX"))
    ]  # fmt: skip
    for as_of in ("2020-06-01", "2014", "2022-01-01"):
        on = PartialDate.parse(as_of)
        found = with_coverage(rights, table, {}, on)
        assert [h.coverage for h in found] == [covered(h, table, [], on) for h in rights]
    assert {c.code: c.since for c in found[2].coverage} == {"FR": "2010-03-01", "HR": "2013-07-01"}
