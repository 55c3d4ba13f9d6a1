"""Owners over time (issue 13): after a chain of title the owner on a date is the one who
held it then, "since" it acquired it; a security interest changes nothing; owner country and
representatives. Real-shaped records (tests/data/ownership.trig) through the service, the CLI
(a real `kg` process) and GraphQL (over HTTP)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.model import OwnershipChange
from kg.analysis.ownership import change_order, owner_periods
from kg.analysis.ownership_facts import registration_ownership
from kg.analysis.service import Analyst
from kg.resources import QUERIES_DIR
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post
from tests.provenance_support import check_answer

FIXTURE = DATA / "ownership.trig"
MSG = "MADISON SQUARE GARDEN"
HOLDINGS = "MSG ENTERTAINMENT HOLDINGS, LLC"
GROUP = "MSG ENTERTAINMENT GROUP, LLC"
SPORTS = "MSG SPORTS & ENTERTAINMENT, LLC"
LP = "Madison Square Garden L.P."
LP_RENAMED = "MSG HOLDINGS, L.P."
ORIGINAL = "MADISON SQUARE GARDEN CORPORATION"
ASSIGNMENTS = "https://w3id.org/tmkg/id/graph/uspto-assignments"
TM = "https://w3id.org/tmkg/ontology#"
WHO = """query($asOf: Date, $lapsed: Boolean) {
  whoElseUses(mark: "MADISON SQUARE GARDEN", jurisdiction: "US", niceClass: 41, asOf: $asOf,
              includeLapsed: $lapsed) { party { name country { code } } kind since lapsed ended }
}"""
REGISTRATION = """{ mark(text: "MADISON SQUARE GARDEN") { registrations {
  owner { name }
  ownersOverTime { party { name } since until
                   acquiredBy { kind date dateIsUpperBound conveyance assignors { name }
                                sources { graph } } }
  ownershipChanges { kind date }
  representatives { name types }
} } }"""


graph, store, graphql = fixture_world(FIXTURE)


def _owners(graph: KnowledgeGraph, as_of: str, **options: bool) -> dict[str, tuple]:
    hits = Analyst(graph).who_else_uses(MSG, 41, "US", as_of=as_of, **options)
    return {h.party.name: (h.since, h.lapsed, h.ended) for h in hits if h.kind.value != "USER"}


# ------------------------------------------------------------------ the owner on a date


@pytest.mark.parametrize(
    ("as_of", "owner", "since"),
    [
        ("2010", LP, "2007-05-30"),
        ("2016-01", SPORTS, "2015-10-21"),
        ("2021", GROUP, "2020-09-16"),
        ("2024", HOLDINGS, "2023-05-03"),
    ],
)
def test_the_owner_on_a_date_holds_it_since_it_acquired_it(
    graph: KnowledgeGraph, as_of: str, owner: str, since: str
) -> None:
    assert _owners(graph, as_of) == {owner: (since, False, None)}


def test_a_change_of_name_keeps_the_holders_date(graph: KnowledgeGraph) -> None:
    assert _owners(graph, "2012") == {LP_RENAMED: ("2007-05-30", False, None)}


def test_before_the_chain_the_original_owner_holds_it_since_registration(
    graph: KnowledgeGraph,
) -> None:
    # the register record names only today's owner: the chain names the first one
    assert _owners(graph, "1980") == {ORIGINAL: ("1967-09-12", False, None)}


def test_a_former_owner_is_listed_only_on_request_until_it_assigned(graph: KnowledgeGraph) -> None:
    assert SPORTS not in _owners(graph, "2024")
    found = _owners(graph, "2024", include_lapsed=True)
    assert found[SPORTS] == ("2015-10-21", True, "2020-09-16")
    assert found[HOLDINGS] == ("2023-05-03", False, None)
    assert LP not in found  # its old name: the same holder, renamed
    hits = Analyst(graph).who_else_uses(MSG, 41, "US", as_of="2024", include_lapsed=True)
    [sports] = [h for h in hits if h.party.name == SPORTS]
    assert "assigned on 2020-09-16" in sports.end_reason  # type: ignore[operator]
    [merged] = [h for h in hits if h.party.name == ORIGINAL]  # by 1986: a bound, said so
    assert merged.end_reason == "no longer the owner: merged into another entity on or before 1986"
    # the change that ended its time: assignor, date and bound, each cited
    facts = {f for s in merged.statements if "/event/" in s.subject for f in s.facts}
    assert {(TM + "date", "1986"), (TM + "dateIsUpperBound", "true")} <= facts
    assert any(p == TM + "assignor" for p, _ in facts)
    [holder] = [h for h in hits if h.party.name == HOLDINGS]
    assert ASSIGNMENTS in {s.graph for s in holder.sources}  # the change's record is cited


def test_a_graph_stating_only_the_bound_is_cited_for_the_bound_alone(tmp_path: Path) -> None:
    """A second source saying only that a change's date is a bound is cited for that, not
    for the change's parties or date (helper-122: it was cited for the assignor)."""
    extra = "<https://w3id.org/tmkg/id/event/asgn-0835284-2> tm:dateIsUpperBound true ."
    with _former_owner(tmp_path, "bound-note", extra) as (graph, analyst, hits, former):
        assert former.end_reason == "no longer the owner: assigned on or before 2007-05-30"
        note = "https://w3id.org/tmkg/id/graph/bound-note"
        by_fact = {s.facts[0][0]: s.sources for s in former.statements if "/event/" in s.subject}
        assert by_fact[TM + "dateIsUpperBound"] == (note,)
        assert note not in by_fact[TM + "assignor"] and note not in by_fact[TM + "date"]
        assert check_answer(graph, analyst.facts, hits) == []
        lines = [e for e in analyst.timeline(party=LP) if e.kind == "assignment"]
        assert lines and lines[0].description.endswith("; it took effect on or before that day")
        assert note in {s.graph for s in lines[0].sources}


def test_a_timeline_says_a_bound_beside_the_source_s_words(graph: KnowledgeGraph) -> None:
    """The 1986 merger has words of its own (dcterms:description) and a date that is a bound:
    the entry keeps the words and says the date is a bound (helper-122)."""
    [merger] = [e for e in Analyst(graph).timeline(party=ORIGINAL) if e.kind == "merger"]
    assert merger.description.startswith("MADISON SQUARE GARDEN CORPORATION (Michigan) merges")
    assert merger.description.endswith("; it took effect on or before that day")


def test_an_assignment_dated_by_year_only(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    [old] = analyst.who_else_uses("SARGENT", 6, "US", as_of="1950")
    assert (old.party.name, old.since) == ("SARGENT & CO.", "1914-07-28")
    [today] = analyst.who_else_uses("SARGENT", 6, "US", as_of="2024")
    assert (today.party.name, today.since) == ("SARGENT MANUFACTURING COMPANY", "1973")


def test_a_security_agreement_changes_no_owner(graph: KnowledgeGraph) -> None:
    # recorded 2021-11-12 with MSG ENTERTAINMENT GROUP as grantor, to a collateral agent
    found = _owners(graph, "2022", include_lapsed=True)
    assert found[GROUP] == ("2020-09-16", False, None)
    assert "Example Bank, N.A., as Collateral Agent" not in found


def test_a_co_owned_registration_is_assigned_by_both_owners(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    before = analyst.who_else_uses("EXAMPLE ORCHARD", 31, "NZ", as_of="2018")
    assert {(h.party.name, h.since) for h in before} == {
        ("Ann Example", "2012-09-03"),
        ("Ben Example", "2012-09-03"),
    }
    after = analyst.who_else_uses("EXAMPLE ORCHARD", 31, "NZ", as_of="2020")
    assert [(h.party.name, h.since) for h in after] == [("Example Orchards Limited", "2019-03-01")]
    assert after[0].party.country == "NZ"


def test_conflicts_and_priority_name_the_owner_of_the_date(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    for as_of, owner in (("2019", SPORTS), ("2024", HOLDINGS)):
        [pair] = analyst.conflicts(jurisdiction="US", as_of=as_of)
        assert {p.name for p in pair.parties} == {owner, "Garden Events Co."}
        finding = analyst.priority(MSG, 41, "US", as_of=as_of)
        claimants = {c.party.name for c in finding.competing_claims} | {
            finding.holder.name if finding.holder else ""
        }
        assert owner in claimants and ORIGINAL not in claimants


@pytest.mark.parametrize(
    ("as_of", "holder", "since"),
    [("2024", HOLDINGS, "2023-05-03"), ("2019", SPORTS, "2015-10-21"), ("1970", None, None)],
)
def test_priority_says_a_successor_counts_its_predecessors_date(
    graph: KnowledgeGraph, as_of: str, holder: str | None, since: str | None
) -> None:
    """The owner of the date holds priority from the registration's filing, 1967, though it
    acquired the right later: the answer says the date is its predecessors' in title (a trial
    of 2026-12-06: "MSG ENTERTAINMENT HOLDINGS, LLC … since 1960" with no word of it); the
    filer itself gets no such note."""
    finding = Analyst(graph).priority(MSG, 41, "US", as_of=as_of)
    said = "through its predecessors in title: the right passed to it by a recorded change"
    if holder is None:
        assert said not in finding.explanation
    else:
        assert finding.holder is not None and finding.holder.name == holder
        assert f"{said} of owner on {since}, and their earlier date with it" in finding.explanation
        # the change it names is cited: its assignee, its date, from the graph stating them
        change = {s.facts[0] for s in finding.statements if "/event/" in s.subject}
        assert {(TM + "assignee", finding.holder.id), (TM + "date", since)} <= change
        cited = {g for s in finding.statements if "/event/" in s.subject for g in s.sources}
        assert cited == {ASSIGNMENTS} and ASSIGNMENTS in {s.graph for s in finding.sources}


def test_owner_country_and_representative(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    assert analyst.find_party("Ben Example").country == "AU"
    [registration] = [h for h in analyst.facts.holdings() if h.registration_number == "0835284"]
    _, representatives, _ = registration_ownership(analyst.facts, [registration.id])[
        registration.id
    ]
    assert representatives == ("https://w3id.org/tmkg/id/party/morgan-example",)


def test_the_timeline_lists_changes_of_owner(graph: KnowledgeGraph) -> None:
    entries = Analyst(graph).timeline(party=SPORTS)
    assert [(e.date, e.description) for e in entries if e.kind == "assignment"] == [
        (
            "2015-10-21",
            f"{LP_RENAMED} assigns registration No. 0835284 of {MSG!r} (US) to {SPORTS}",
        ),
        ("2020-09-16", f"{SPORTS} assigns registration No. 0835284 of {MSG!r} (US) to {GROUP}"),
    ]
    [security] = [e for e in Analyst(graph).timeline(party=GROUP) if e.kind == "security interest"]
    assert security.date == "2021-11-12" and "no change of owner" in security.description


# ------------------------------------------------------------------ the CLI


def test_cli_names_the_owner_of_the_date(store: Path) -> None:
    def who(*extra: str) -> dict[str, dict]:
        out = run_kg(
            "who-else-uses", MSG, "--class", "41", "--jurisdiction", "US", "--format", "json",
            "--store", store, *extra, check=True,
        )  # fmt: skip
        return {hit["party"]["name"]: hit for hit in json.loads(out.stdout)}

    today = who("--as-of", "2024")
    assert today[HOLDINGS]["since"] == "2023-05-03" and SPORTS not in today
    assert who("--as-of", "2016")[SPORTS]["since"] == "2015-10-21"
    lapsed = who("--as-of", "2024", "--include-lapsed")[SPORTS]
    assert (lapsed["lapsed"], lapsed["ended"]) == (True, "2020-09-16")
    table = run_kg(
        "who-else-uses", MSG, "--class", "41", "--jurisdiction", "US", "--as-of", "2024",
        "--store", store, check=True,
    ).stdout  # fmt: skip
    assert "2023-05-03" in table and "1967-09-12" not in table


def test_cli_timeline_shows_the_assignment(store: Path) -> None:
    out = run_kg("timeline", GROUP, "--store", store, check=True).stdout
    assert "2023-05-03" in out and "2020-09-16" in out and "assigns" in out


# ------------------------------------------------------------------ GraphQL over HTTP


def test_graphql_who_else_uses_on_dates(graphql: str) -> None:
    hits = post(graphql, WHO, {"asOf": "2024"})["data"]["whoElseUses"]
    owners = {h["party"]["name"]: h for h in hits if h["kind"] == "REGISTERED_OWNER"}
    assert list(owners) == [HOLDINGS]
    assert owners[HOLDINGS]["since"] == "2023-05-03"
    assert owners[HOLDINGS]["party"]["country"] == {"code": "US"}
    hits = post(graphql, WHO, {"asOf": "2024", "lapsed": True})["data"]["whoElseUses"]
    former = {h["party"]["name"]: h for h in hits if h["lapsed"]}
    assert former[SPORTS]["ended"] == "2020-09-16"


def test_graphql_owners_over_time_and_representatives(graphql: str) -> None:
    [registration] = post(graphql, REGISTRATION)["data"]["mark"]["registrations"]
    periods = registration["ownersOverTime"]
    assert [(p["party"]["name"], p["since"], p["until"]) for p in periods] == [
        (ORIGINAL, "1967-09-12", "1986"),  # the registration date, as the CLI's "since"
        ("MADISON SQUARE GARDEN CORPORATION (DE)", "1986", "2007-05-30"),
        (LP, "2007-05-30", "2011-05-18"),
        (LP_RENAMED, "2007-05-30", "2015-10-21"),
        (SPORTS, "2015-10-21", "2020-09-16"),
        (GROUP, "2020-09-16", "2023-05-03"),
        (HOLDINGS, "2023-05-03", None),
    ]
    # the merger's year is only the latest it may have taken effect (tm:dateIsUpperBound)
    assert [p["acquiredBy"]["dateIsUpperBound"] for p in periods[1:3]] == [True, False]
    last = periods[-1]["acquiredBy"]
    assert (last["kind"], last["date"], last["assignors"]) == (
        "Assignment",
        "2023-05-03",
        [{"name": GROUP}],
    )
    assert last["sources"] == [{"graph": ASSIGNMENTS}]
    kinds = [c["kind"] for c in registration["ownershipChanges"]]
    assert kinds.count("SecurityInterest") == 1 and kinds.count("NameChange") == 1
    assert registration["representatives"] == [{"name": "Morgan T. Example", "types": ["Person"]}]


# ------------------------------------------------------------------ validation, saved query


def test_an_ownership_change_needs_a_date_and_a_new_owner(tmp_path: Path) -> None:
    bad = tmp_path / "undated.trig"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8").replace(
            'tm:date "2019-03-01"^^xsd:date .', "tm:nationality <https://w3id.org/tmkg/id/x> ."
        ),
        encoding="utf-8",
    )
    result = run_kg("validate", bad)
    assert result.returncode != 0
    assert "an ownership change needs a tm:date" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "bound",
    ['"yes"', '"1986"^^xsd:gYear', "true, false", "<https://w3id.org/tmkg/id/x>"],
)
def test_a_date_bound_is_one_truth_value(tmp_path: Path, bound: str) -> None:
    bad = tmp_path / "bound.trig"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8").replace(
            "tm:dateIsUpperBound true ;", f"tm:dateIsUpperBound {bound} ;"
        ),
        encoding="utf-8",
    )
    result = run_kg("validate", bad)
    assert result.returncode != 0
    assert "tm:dateIsUpperBound must be one xsd:boolean" in result.stdout + result.stderr


def test_the_chain_of_title_query(graph: KnowledgeGraph) -> None:
    query = (QUERIES_DIR / "chain-of-title.rq").read_text(encoding="utf-8")
    answer = graph.query(query).serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(answer)))
    assert [(r["kind"], r["date"], r["assigneeName"]) for r in rows] == [
        ("Merger", "1986", "MADISON SQUARE GARDEN CORPORATION (DE)"),
        ("Assignment", "2007-05-30", LP),
        ("NameChange", "2011-05-18", LP_RENAMED),
        ("Assignment", "2015-10-21", SPORTS),
        ("Assignment", "2020-09-16", GROUP),
        ("Assignment", "2023-05-03", HOLDINGS),
    ]


# ------------------------------------------------------------------ the rule, as pure functions


def _change(
    iri: str, date: str, giving: tuple[str, ...], taking: tuple[str, ...], kind: str = "Assignment"
) -> OwnershipChange:
    return OwnershipChange(
        id=iri, kind=kind, registration="r", date=date, assignors=giving, assignees=taking
    )


def test_one_co_owner_can_pass_its_share_alone() -> None:
    periods = owner_periods(["a", "b"], [_change("c1", "2019-03-01", ("b",), ("c",))])
    assert [(p.party, p.since, p.until) for p in periods] == [
        ("b", None, "2019-03-01"),
        ("a", None, None),
        ("c", "2019-03-01", None),
    ]


def test_a_gap_in_the_chain_the_dated_change_wins() -> None:
    # the record says x owns it; a change from y (never an owner here) to z is dated: z owns it
    periods = owner_periods(["x"], [_change("c1", "2020", ("y",), ("z",))])
    assert [(p.party, p.until) for p in periods] == [("y", "2020"), ("z", None)]
    periods = owner_periods(["x"], [_change("c1", "2020", (), ("z",))])
    assert [(p.party, p.until) for p in periods] == [("x", "2020"), ("z", None)]


def test_changes_of_one_day_follow_the_chain_and_security_changes_nothing() -> None:
    later = _change("a-later", "2020-01-01", ("q",), ("r",))
    earlier = _change("z-earlier", "2020-01-01", ("p",), ("q",))
    security = _change("s", "2019-01-01", ("p",), ("bank",), kind="SecurityInterest")
    assert [c.id for c in change_order([later, earlier, security])] == ["z-earlier", "a-later"]
    periods = owner_periods(["r"], [later, earlier, security])
    assert [p.party for p in periods if p.until is None] == ["r"]
    assert "bank" not in {p.party for p in periods}


def test_a_former_owners_filing_cites_no_later_owner(graph: KnowledgeGraph) -> None:
    # issue 16 (trial): the original owner's filing entry must not state that the current
    # owner (the only tm:owner the registration's sources name) filed it
    analyst = Analyst(graph)
    [filing] = [e for e in analyst.timeline(party=ORIGINAL) if e.kind == "filing"]
    assert filing.description.startswith(ORIGINAL)
    owners = {v for s in filing.statements for p, v in s.facts if p.endswith("#owner")}
    original = analyst.find_party(ORIGINAL).id
    assert owners <= {original}


def test_each_owners_hit_states_that_owner_with_its_sources(graph: KnowledgeGraph) -> None:
    # issue 16 (trial): a former owner's hit cites the change that made it owner and the
    # one that ended its time, never the current owner's holder statement
    from tests.provenance_support import check_answer

    analyst = Analyst(graph)
    hits = analyst.who_else_uses(MSG, include_lapsed=True, as_of="2024")
    assert len({h.party.id for h in hits}) >= 4
    for hit in hits:
        owners = {v for s in hit.statements for p, v in s.facts if p.endswith("#owner")}
        assert owners <= {hit.party.id}, (hit.party.name, owners)
    assert check_answer(graph, analyst.facts, hits) == []


@pytest.mark.parametrize(
    ("date", "shown", "bound"),
    [
        ("2008-01-01", "on 2007-05-30", False),  # the other source's later date, its bound
        ("2006-01-01", "on or before 2006-01-01", True),  # its own earlier date is the bound
    ],
)
def test_a_bound_is_its_own_dates(tmp_path: Path, date: str, shown: str, bound: bool) -> None:
    """A source dating a change and saying its date is a bound says nothing of another
    source's date for it (helper-123: the bound of 2010-06-30 was applied to 2009-02-01)."""
    extra = f"""<https://w3id.org/tmkg/id/event/asgn-0835284-2> a tm:Assignment ;
        tm:date "{date}"^^xsd:date ; tm:dateIsUpperBound true ."""
    with _former_owner(tmp_path, "late-note", extra) as (graph, analyst, hits, former):
        assert former.end_reason.endswith(shown)
        note = "https://w3id.org/tmkg/id/graph/late-note"
        change = "https://w3id.org/tmkg/id/event/asgn-0835284-2"  # the one that ended its time
        with_bound = [
            s
            for s in former.statements
            if s.subject == change and (TM + "dateIsUpperBound", "true") in s.facts
        ]
        assert bool(with_bound) is bound
        assert all(s.sources == (note,) for s in with_bound)
        assert check_answer(graph, analyst.facts, hits) == []
        # the timeline: the entry of the note's date says it is a bound, the other does not
        said = {
            e.date: e.description.endswith("on or before that day")
            for e in analyst.timeline(party=LP)
            if e.kind == "assignment" and e.subject == change
        }
        assert said == {"2007-05-30": False, date: True}


def test_an_owner_no_source_names_rests_on_the_change_it_made(graph: KnowledgeGraph) -> None:
    """The original owner is named owner by no source once the register names its successor:
    its hit rests on the change in which it assigned the right (helper-123)."""
    hits = Analyst(graph).who_else_uses(MSG, 41, "US", as_of="1980")
    [original] = [h for h in hits if h.party.name == ORIGINAL]
    said = {f for s in original.statements if "/event/" in s.subject for f in s.facts}
    assert (TM + "assignor", original.party.id) in said


@contextmanager
def _former_owner(tmp_path: Path, note: str, extra: str) -> Iterator[tuple]:
    """The fixture with graph `note` stating `extra` (Turtle) loaded in memory: (graph,
    analyst, the MSG hits of 2012 with lapsed rights, the hit of MSG CORPORATION (DE), which
    assigned the right on 2007-05-30)."""
    world = tmp_path / f"{note}.trig"
    text = FIXTURE.read_text(encoding="utf-8")
    world.write_text(f"{text}\n<https://w3id.org/tmkg/id/graph/{note}> {{\n{extra}\n}}\n")
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        graph.load([world])
        analyst = Analyst(graph)
        hits = analyst.who_else_uses(MSG, 41, "US", as_of="2012", include_lapsed=True)
        [former] = [h for h in hits if h.party.name == "MADISON SQUARE GARDEN CORPORATION (DE)"]
        yield graph, analyst, hits, former
    finally:
        graph.close()
