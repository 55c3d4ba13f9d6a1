"""As of a date, a right that did not exist yet is no right (the trial of issue 13's "a mark's
life in every answer"): conflicts, priority and reports leave out registrations not filed, uses
not begun and owners not yet owners on the date asked, and count only cases begun by then;
timelines name the owners of each date; a regional right's "since" is one date everywhere.
tests/data/as-of-life.ttl through the service, a real `kg` process and GraphQL over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg import KnowledgeGraph
from kg.analysis.dates import PartialDate
from kg.analysis.lifecycle import start_of
from kg.analysis.service import Analyst
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "as-of-life.ttl"
ALPHA, BETA, GAMMA = "Alpha Apparel LLC", "Beta Wear Inc.", "Gamma Sports GmbH"
DELTA, OMEGA = "Delta Textiles Inc.", "Omega Brand Holdings LLC"
FIGURA, PLACEHOLDER = "Figura Design Ltd", "Placeholder Co"
EUROFASH, EPSILON, KAPPA = "Eurofash S.p.A.", "Epsilon Mode SARL", "Fabrique Kappa SA"
CASE_REASON = "a case between the two parties exists"

graph, store, graphql = fixture_world(FIXTURE)

# before any filing; between filings; Delta between filing (2010-05-05) and grant (2011-06-07);
# after the EU trade mark's grant; after Beta's expiry (2016) and Alpha's abandonment (2019);
# after the assignment to Omega (2021-03-15); before and after Gamma's filing (2023-06-01),
# the opposition (2024-02-01) and the court case (2024-05-10)
DATES = ["1900", "2000", "2008", "2011-01", "2012", "2016", "2020-06-01", "2021-06",
         "2023-01-01", "2023-12", "2024-03", "2025"]  # fmt: skip


def _starts(graph: KnowledgeGraph) -> dict[str, PartialDate]:
    """Holding IRI -> the day it began (filing, else registration; a use's start)."""
    found = {}
    for holding in Analyst(graph).facts.holdings():
        start = PartialDate.try_parse(start_of(holding))
        if start is not None:
            found[holding.id] = start
    return found


def _pairs(conflicts) -> set[frozenset[str]]:
    """Every pair of parties in conflict: each holder of one side with each of the other (a
    conflict of co-owned rights names them all, `ConflictPair.holders`)."""
    return {
        frozenset((a.name, b.name)) for c in conflicts for a in c.holders[0] for b in c.holders[1]
    }


# ------------------------------------------------------------------ conflicts


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("where", [("US", 25), ("FR", None), (None, None)])
def test_no_conflict_involves_a_right_not_filed_yet(
    graph: KnowledgeGraph, as_of: str, where: tuple
) -> None:
    starts, asked = _starts(graph), PartialDate.parse(as_of)
    for include_lapsed in (False, True):
        for conflict in Analyst(graph).conflicts(
            jurisdiction=where[0], nice_class=where[1], as_of=as_of, include_lapsed=include_lapsed
        ):
            for holding in conflict.holdings:
                if holding in starts:
                    assert starts[holding].first_day <= asked.last_day, (conflict, holding)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("1900", set()),
        ("2000", set()),
        ("2008", set()),  # Beta alone (filed 2005)
        ("2012", {(BETA, DELTA), (BETA, PLACEHOLDER), (DELTA, PLACEHOLDER)}),
        ("2020-06-01", {(DELTA, FIGURA), (DELTA, PLACEHOLDER), (FIGURA, PLACEHOLDER)}),
        ("2023-01-01", {(OMEGA, FIGURA), (OMEGA, PLACEHOLDER), (FIGURA, PLACEHOLDER)}),
    ],
)
def test_us_conflicts_on_a_date(graph: KnowledgeGraph, as_of: str, expected: set) -> None:
    found = Analyst(graph).conflicts(jurisdiction="US", nice_class=25, as_of=as_of)
    assert _pairs(found) == {frozenset(pair) for pair in expected}
    assert all(GAMMA not in pair for pair in _pairs(found))  # Gamma filed 2023-06-01


def test_a_case_counts_from_its_filing(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)

    def reasons(as_of: str, pair: set[str]) -> tuple[str, ...]:
        found = analyst.conflicts(jurisdiction="US", nice_class=25, as_of=as_of)
        [conflict] = [c for c in found if {p.name for p in c.parties} == pair]
        return conflict.reasons

    # the court case Figura v. Placeholder was filed 2024-05-10
    for as_of in ("2013", "2020-06-01", "2024-05-09", "2024-04"):
        assert CASE_REASON not in reasons(as_of, {FIGURA, PLACEHOLDER}), as_of
    for as_of in ("2024-05", "2024", "2025"):
        assert CASE_REASON in reasons(as_of, {FIGURA, PLACEHOLDER}), as_of
    # Gamma's application (2023-06-01) and Alpha's opposition to it (2024-02-01)
    found = analyst.conflicts(
        jurisdiction="US", nice_class=25, as_of="2023-12", include_lapsed=True
    )
    [pair] = [c for c in found if {p.name for p in c.parties} == {ALPHA, GAMMA}]
    assert CASE_REASON not in pair.reasons and not any("opposition" in r for r in pair.reasons)
    found = analyst.conflicts(jurisdiction="US", nice_class=25, as_of="2024-03")
    [pair] = [c for c in found if {p.name for p in c.parties} == {ALPHA, GAMMA}]
    assert any("opposition No. 91000001" in r for r in pair.reasons)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2012", set()),  # the EU trade mark was filed 2015-02-02, the French one 2017-09-01
        ("2016", set()),  # the EU trade mark alone
        ("2017-10", {(EUROFASH, EPSILON), (EUROFASH, KAPPA)}),
    ],
)
def test_fr_conflicts_on_a_date(graph: KnowledgeGraph, as_of: str, expected: set) -> None:
    found = Analyst(graph).conflicts(jurisdiction="FR", as_of=as_of)
    assert _pairs(found) == {frozenset(pair) for pair in expected}
    assert len(found) == min(len(expected), 1)  # Epsilon and Kappa co-own one right


def test_seed_conflicts_before_the_marks_existed(seeded: KnowledgeGraph) -> None:
    analyst = Analyst(seeded)
    assert analyst.conflicts(jurisdiction="CN") != []  # today: the AWS conflicts, unchanged
    # in 1990 only rights no source dates remain (unknown dates do not exclude): ActionSoft's
    # undated No. 8967031 and the article's undated Ningxia use by Huanghuanxin (Sinnet); no
    # source dates that use (the AWS blog's 2017 is NWCD's, issue 16)
    undated = {
        "https://w3id.org/tmkg/id/registration/cn-8967031",
        "https://w3id.org/tmkg/id/use/aws-cn-ningxia-region",
    }
    for lapsed in (False, True):
        found = analyst.conflicts(jurisdiction="CN", as_of="1990", include_lapsed=lapsed)
        assert {h for pair in found for h in pair.holdings} == undated


def test_cli_conflicts_as_of(store: Path) -> None:
    def names(*args: str) -> set[frozenset[str]]:
        out = run_kg("conflicts", "--store", store, "--format", "json", *args, check=True)
        return {frozenset(p["name"] for p in c["parties"]) for c in json.loads(out.stdout)}

    us = ("--jurisdiction", "US", "--class", "25")
    assert names(*us, "--as-of", "2000") == set()
    assert all(GAMMA not in pair for pair in names(*us, "--as-of", "2020-06-01"))
    assert all(GAMMA not in pair for pair in names(*us, "--as-of", "2023-01-01"))
    assert frozenset({ALPHA, GAMMA}) in names(*us, "--as-of", "2024-03")
    assert names("--jurisdiction", "FR", "--as-of", "2012") == set()


def test_graphql_conflicts_as_of(graphql: str) -> None:
    query = """query($asOf: Date) { conflicts(jurisdiction: "US", niceClass: 25, asOf: $asOf,
                                              includeLapsed: true) {
                 nodes { parties { name } reasons } } }"""
    assert post(graphql, query, {"asOf": "2000"})["data"]["conflicts"]["nodes"] == []
    nodes = post(graphql, query, {"asOf": "2020-06-01"})["data"]["conflicts"]["nodes"]
    assert nodes and all(GAMMA not in {p["name"] for p in n["parties"]} for n in nodes)
    assert not any(CASE_REASON in r for n in nodes for r in n["reasons"])


# ------------------------------------------------------------------ priority


@pytest.mark.parametrize(
    ("as_of", "holder"),
    [
        ("1900", None),
        ("2000", None),
        ("2008", BETA),  # constructive use from its 2005 filing
        ("2011-01", BETA),  # Delta's application (2010-05-05) competes
        ("2020", DELTA),  # Beta expired 2016; Gamma not filed
        ("2022", OMEGA),  # the assignee takes the right with its date
        # Omega's registration counts from its 2010 filing (Lanham Act §7(c)), before
        # Gamma's stated use since 2021-04-01
        ("2024", OMEGA),
    ],
)
def test_priority_only_among_rights_that_exist(
    graph: KnowledgeGraph, as_of: str, holder: str | None
) -> None:
    starts, asked = _starts(graph), PartialDate.parse(as_of)
    analyst = Analyst(graph)
    finding = analyst.priority("ZEPHYRA", 25, "US", as_of=as_of)
    assert (finding.holder.name if finding.holder else None) == holder
    for include_lapsed in (False, True):
        listed = analyst.priority("ZEPHYRA", 25, "US", as_of=as_of, include_lapsed=include_lapsed)
        for claim in listed.competing_claims:
            date = PartialDate.try_parse(claim.date)
            assert date is None or date.first_day <= asked.last_day, claim
        if listed.holding is not None:
            assert starts[listed.holding].first_day <= asked.last_day
    if holder is None:
        assert finding.competing_claims == () and "no dated use" in finding.explanation


def test_priority_2011_lists_the_application_filed_2010(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("ZEPHYRA", 25, "US", as_of="2011-01", include_lapsed=True)
    assert [(c.party.name, c.date) for c in finding.competing_claims] == [(DELTA, "2010-05-05")]
    assert "application No. 2000004" in finding.competing_claims[0].description


def test_cli_and_graphql_priority_as_of(store: Path, graphql: str) -> None:
    for as_of in ("1900", "2008", "2020"):
        out = run_kg(
            "priority", "ZEPHYRA", "--class", "25", "--jurisdiction", "US", "--as-of", as_of,
            "--include-lapsed", "--store", store, "--format", "json", check=True,
        ).stdout  # fmt: skip
        [finding] = json.loads(out)
        assert (finding["holder"] or {}).get("name") != GAMMA
        assert GAMMA not in {c["party"]["name"] for c in finding["competing_claims"]}
    query = """{ priority(mark: "ZEPHYRA", niceClass: 25, jurisdiction: "US", asOf: "1900",
                          includeLapsed: true) { holder { name } competingClaims { date } } }"""
    assert post(graphql, query)["data"]["priority"] == {"holder": None, "competingClaims": []}


# ------------------------------------------------------------------ the report


def _summary(text: str) -> str:
    return text.split("## Summary", 1)[1].split("\n## ", 1)[0]


def test_report_summary_follows_the_date(graph: KnowledgeGraph) -> None:
    text = kg.report(
        graph, mark="ZEPHYRA", jurisdiction="US", nice_class=25, format="md", as_of="2020-06-01"
    )
    summary = _summary(text)
    assert "goes to Delta Textiles Inc." in summary and GAMMA not in summary
    assert "riskiest: Figura Design Ltd and Placeholder Co" in summary
    # the cancellation (2022), the opposition (2024) and the suit (2024) came later
    assert "\n- Case " not in summary
    assert "Filed after 2020-06-01" in summary
    for number in ("91000001", "92000001", "1:24-cv-00001"):
        assert number in summary.split("Filed after", 1)[1]


def test_report_summary_after_the_cases(graph: KnowledgeGraph) -> None:
    asked = {"mark": "ZEPHYRA", "jurisdiction": "US", "nice_class": 25, "format": "md"}
    summary = _summary(kg.report(graph, **asked, as_of="2022-06"))
    assert "goes to Omega Brand Holdings LLC" in summary
    assert "- Case 92000001" in summary and "- Case 91000001" not in summary
    later = _summary(kg.report(graph, **asked))
    assert "Filed after" not in later and "- Case 91000001" in later


# ------------------------------------------------------------------ timelines


def test_filing_and_grant_name_the_owner_of_their_date(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    omega = [(e.date, e.kind, e.description) for e in analyst.timeline(party="Omega Brand")]
    assert [kind for _, kind, _ in omega][:1] == ["assignment"]
    assert not any(kind in ("filing", "registration") for _, kind, _ in omega)
    delta = {(e.date, e.kind): e.description for e in analyst.timeline(party="Delta Textiles")}
    assert delta[("2010-05-05", "filing")].startswith(
        "Delta Textiles Inc. files application No. 2000004"
    )
    assert delta[("2011-06-07", "registration")].startswith("Delta Textiles Inc.'s registration")
    assert ("2021-03-15", "assignment") in delta
    # a registration never assigned keeps its entries, one per co-owner
    epsilon = [e.kind for e in analyst.timeline(party=EPSILON)]
    assert epsilon == ["filing", "registration"]


def test_cli_timeline(store: Path) -> None:
    out = run_kg("timeline", "Omega Brand", "--store", store, "--format", "json", check=True)
    entries = json.loads(out.stdout)
    assert not any(OMEGA in e["description"] and " files " in e["description"] for e in entries)
    out = run_kg("timeline", "Delta Textiles", "--store", store, "--format", "json", check=True)
    assert any(
        e["description"].startswith(f"{DELTA} files application") for e in json.loads(out.stdout)
    )


# ------------------------------------------------------------------ "since", one date


@pytest.mark.parametrize(
    ("as_of", "since"),
    [("2015-05", "2015-02-02"), ("2016", "2015-08-02"), (None, "2015-08-02")],
)
def test_an_eu_trade_marks_since_is_one_date(
    graph: KnowledgeGraph, as_of: str | None, since: str
) -> None:
    hits = Analyst(graph).who_else_uses("ZEPHYRA", 25, "FR", as_of=as_of)
    [eutm] = [h for h in hits if h.party.name == EUROFASH]
    assert eutm.since == since
    assert any(r.endswith(f"covering it, since {since}") for r in eutm.reasons), eutm.reasons
    assert not any("since" in r and since not in r for r in eutm.reasons)


def test_conflict_reasons_date_the_eu_trade_mark_as_who_else_uses(graph: KnowledgeGraph) -> None:
    found = Analyst(graph).conflicts(jurisdiction="FR", as_of="2024")
    notes = [r for c in found for r in c.reasons if "regional right (EM)" in r]
    assert notes and all(r.endswith("since 2015-08-02") for r in notes)


def test_graphql_original_owner_since_is_the_registration_date(graphql: str) -> None:
    query = """{ mark(text: "ZEFYRA") { registrations {
                   ownersOverTime { party { name } since until } } } }"""
    [registration] = post(graphql, query)["data"]["mark"]["registrations"]
    assert registration["ownersOverTime"] == [
        {"party": {"name": DELTA}, "since": "2011-06-07", "until": "2021-03-15"},
        {"party": {"name": OMEGA}, "since": "2021-03-15", "until": None},
    ]


def test_cli_since_agrees_with_graphql(store: Path) -> None:
    out = run_kg(
        "who-else-uses", "ZEFYRA", "--class", "25", "--jurisdiction", "US", "--as-of", "2020",
        "--store", store, "--format", "json", check=True,
    ).stdout  # fmt: skip
    [hit] = [h for h in json.loads(out) if h["party"]["name"] == DELTA]
    assert hit["since"] == "2011-06-07"


@pytest.mark.parametrize("as_of", [None, "2021-06", "2025"])
def test_a_report_counts_the_holders_of_rights_in_force(graph: KnowledgeGraph, as_of) -> None:
    """With dead rights shown (`include_lapsed`), a report's summary counts who owns or
    uses the mark on the date, and the former holders (an expired right's, an assignor)
    apart: a trial read six successive owners of one registration as "6 parties own or use"."""
    from kg.report.document import build_report

    analyst = Analyst(graph)
    plain = build_report(analyst, mark="ZEPHYRA", jurisdiction="US", as_of=as_of)
    shown = build_report(
        analyst, mark="ZEPHYRA", jurisdiction="US", as_of=as_of, include_lapsed=True
    )
    assert shown.summary[0] == plain.summary[0]  # the same holders in force
    former = {u.party.id for u in shown.usages if u.lapsed} - {
        u.party.id for u in shown.usages if not u.lapsed
    }
    assert former  # Beta's expired right, Alpha's abandoned one, Delta before Omega ...
    noun = "party" if len(former) == 1 else "parties"
    assert f"{len(former)} more {noun} held one whose right has lapsed" in " ".join(shown.summary)


def test_a_former_owner_says_it_assigned_the_right_before_it_ended(tmp_path) -> None:
    """An application assigned in 1989 and abandoned in 2001 (a real USPTO record's life,
    GRIGIOPERLA): with dead rights shown, the assignor's hit ended in 1989 because it
    assigned the application, the assignee's in 2001 because it was abandoned."""
    world = tmp_path / "assigned.ttl"
    world.write_text(
        "\n".join(
            line
            for line in FIXTURE.read_text(encoding="utf-8").splitlines()
            if line.startswith("@prefix")
        )
        + """
party:dalmas a tm:Company ; schema:name "Dalmas S.p.A." .
party:perla a tm:Company ; schema:name "Gruppo Perla S.p.A." .
mark:grigio a tm:Mark ; tm:text "GRIGIOPERLO" .
reg:us-7480 a tm:Registration ; tm:mark mark:grigio ; tm:owner party:perla ;
  tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:applicationNumber "7480" ;
  tm:filingDate "1987-02-10"^^xsd:date ; tm:statusCode "602" ; tm:markStatus status:abandoned ;
  tm:statusDate "2001-09-20"^^xsd:date .
event:asgn-7480 a tm:Assignment ; tm:registration reg:us-7480 ;
  tm:assignor party:dalmas ; tm:assignee party:perla ; tm:date "1989-11-27"^^xsd:date .
""",
        encoding="utf-8",
    )
    graph = KnowledgeGraph.open(kg.Settings(memory=True))
    try:
        graph.load([world])
        hits = Analyst(graph).who_else_uses("GRIGIOPERLO", include_lapsed=True)
        ends = {u.party.name: (u.ended, u.end_reason) for u in hits}
        assert ends["Dalmas S.p.A."] == (
            "1989-11-27",
            "no longer the owner: assigned on 1989-11-27",
        )
        assert ends["Gruppo Perla S.p.A."][0] == "2001-09-20"
        assert "abandoned" in ends["Gruppo Perla S.p.A."][1]
        on_1995 = Analyst(graph).who_else_uses("GRIGIOPERLO", as_of="1995")
        assert {u.party.name for u in on_1995} == {"Gruppo Perla S.p.A."}
    finally:
        graph.close()
