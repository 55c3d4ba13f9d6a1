"""Co-owned registrations (one registration, several tm:owner parties) in conflicts and
priority (tests/data/co-owners.ttl): one conflict per pair of rights naming every holder of
each side, not one row per pair of co-owners; a priority holder named with its co-owners in
every output, and a co-owned competing right listed once. Two and three co-owners, on both
sides or one, single owners beside them. Through the service, a real `kg` process and
GraphQL over HTTP (user trial, session 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import KnowledgeGraph
from kg.analysis.model import ConflictPair
from kg.analysis.service import Analyst
from kg.report.document import build_report
from kg.report.markdown import render_markdown
from tests.conftest import DATA, PREFIXES, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "co-owners.ttl"
graph, store, graphql = fixture_world(FIXTURE)

AS_OF = "2024-01-01"
REG = "https://w3id.org/tmkg/id/registration/"
OWNER = "https://w3id.org/tmkg/ontology#owner"

# mark, class, the holders of the earlier right, those of the later one (names sorted)
RIGHTS = [
    ("VANTORIQ", 9, ["Alder Works Ltd", "Birch Labs Ltd"], ["Elm Systems Ltd", "Fir Devices Ltd"]),
    ("SOLVENNA", 25, ["Kite One Ltd", "Kite Three Ltd", "Kite Two Ltd"], ["Sole Trader Ltd"]),
    (
        "MIRABELT",
        41,
        ["Wren Media Ltd"],
        ["Xeno Films Ltd", "Yarrow Studios Ltd", "Zinnia Pictures Ltd"],
    ),
    ("QUORVEX", 12, ["Pike Motors Ltd"], ["Quill Cars Ltd"]),
]


@pytest.fixture(scope="module")
def analyst(graph: KnowledgeGraph) -> Analyst:
    return Analyst(graph)


def conflicts_in(analyst: Analyst, nice_class: int) -> list[ConflictPair]:
    return analyst.conflicts(jurisdiction="GB", nice_class=nice_class, as_of=AS_OF)


def sides(pair: ConflictPair) -> set[tuple[str, ...]]:
    """Each side's holders, names sorted, whatever the order of the sides."""
    return {tuple(sorted(p.name for p in side)) for side in pair.holders}


def owners_stated(pair_or_claim) -> set[tuple[str, str]]:
    """(registration tail, owner tail) of every owner statement an answer cites."""
    return {
        (s.subject.rsplit("/", 1)[-1], value.rsplit("/", 1)[-1])
        for s in pair_or_claim.statements
        for prop, value in s.facts
        if prop == OWNER
    }


# ------------------------------------------------------------------ conflicts


@pytest.mark.parametrize(("mark", "nice_class", "earlier", "later"), RIGHTS)
def test_two_rights_are_one_conflict_naming_every_holder(
    analyst: Analyst, mark: str, nice_class: int, earlier: list[str], later: list[str]
) -> None:
    [pair] = conflicts_in(analyst, nice_class)
    assert sides(pair) == {tuple(earlier), tuple(later)}
    # `parties` stays one holder of each side: the first of its holders
    assert [side[0] for side in pair.holders] == list(pair.parties)
    assert pair.parties[0].id != pair.parties[1].id
    for side, held in zip(pair.holders, pair.holdings, strict=True):
        rest = [p.name for p in side[1:]]
        assert rest == sorted(rest)  # then the others by name
        assert held.startswith(REG)
    assert {m.text for m in pair.marks if m} == {mark}


def test_a_conflict_of_co_owned_rights_cites_every_owner(analyst: Analyst) -> None:
    [pair] = conflicts_in(analyst, 25)
    assert owners_stated(pair) == {
        ("gb-r3", "kite-1"),
        ("gb-r3", "kite-2"),
        ("gb-r3", "kite-3"),
        ("gb-r4", "sole"),
    }
    assert {s.graph for s in pair.sources}  # each owner's statement has its source


def test_single_owners_keep_their_best_pair_of_rights(analyst: Analyst) -> None:
    """Pike holds QUORVEX and QUORVEXX, Quill QUORVEX: one conflict, the exact marks."""
    [pair] = conflicts_in(analyst, 12)
    assert pair.holdings == (REG + "gb-r7", REG + "gb-r9")
    assert pair.holders == ((pair.parties[0],), (pair.parties[1],))


def test_a_co_owner_holding_a_similar_right_alone(analyst: Analyst) -> None:
    """Gorse co-owns HALDRIX with Hazel and holds another HALDRIX alone: no conflict, since
    Gorse holds both rights and its co-owner is its partner (a trial found such pairs
    listed as conflicts, and `kg path` calling the partners a mark conflict)."""
    assert [c for c in conflicts_in(analyst, 3) if not c.proceedings] == []


def test_a_proceeding_between_co_owners_joins_the_conflict_of_their_rights(
    analyst: Analyst,
) -> None:
    """Birch (co-owner of R1) opposes R2 (Elm and Fir): one conflict, not one per pair."""
    [pair] = conflicts_in(analyst, 9)
    assert pair.proceedings == ("https://w3id.org/tmkg/id/case/gb-opp-500001",)
    assert any("held by Elm Systems Ltd jointly with Fir Devices Ltd" in r for r in pair.reasons)
    assert "a case between the two parties exists" in pair.reasons
    assert {p.name for p in pair.parties} == {"Birch Labs Ltd", "Fir Devices Ltd"}


def test_a_proceeding_against_a_co_owned_right_names_every_owner(analyst: Analyst) -> None:
    """A cancellation naming one defendant, against a registration of two owners, with no
    similarity conflict to join: one conflict naming both owners."""
    [pair] = [c for c in conflicts_in(analyst, 3) if c.proceedings]
    assert sides(pair) == {("Nonuse Watch LLC",), ("Gorse Cosmetics Ltd", "Hazel Beauty Ltd")}
    assert pair.parties[0].name == "Nonuse Watch LLC"
    assert any(
        "held by Gorse Cosmetics Ltd jointly with Hazel Beauty Ltd" in r for r in pair.reasons
    )


@pytest.mark.parametrize(
    ("party", "cluster"),
    [
        (
            "Birch Labs Ltd",
            ["Alder Works Ltd", "Birch Labs Ltd", "Elm Systems Ltd", "Fir Devices Ltd"],
        ),
        (
            "Elm Systems Ltd",
            ["Alder Works Ltd", "Birch Labs Ltd", "Elm Systems Ltd", "Fir Devices Ltd"],
        ),
        ("Kite Three Ltd", ["Kite One Ltd", "Kite Three Ltd", "Kite Two Ltd", "Sole Trader Ltd"]),
        (
            "Zinnia Pictures Ltd",
            ["Wren Media Ltd", "Xeno Films Ltd", "Yarrow Studios Ltd", "Zinnia Pictures Ltd"],
        ),
        ("Quill Cars Ltd", ["Pike Motors Ltd", "Quill Cars Ltd"]),
    ],
)
def test_every_co_owner_is_in_the_conflict_cluster(
    analyst: Analyst, party: str, cluster: list[str]
) -> None:
    assert [p.name for p in analyst.conflict_cluster(party)] == cluster


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Alder Works Ltd", "Elm Systems Ltd"), ("Kite Two Ltd", "Sole Trader Ltd")],
)
def test_co_owners_not_named_first_still_have_a_mark_conflict_path(
    analyst: Analyst, origin: str, destination: str
) -> None:
    paths = analyst.conflict_paths(origin, destination, max_length=4)
    assert paths and paths[0].kind == "mark conflict", [p.summary for p in paths]


def test_co_owners_of_one_right_have_no_mark_conflict_path(analyst: Analyst) -> None:
    paths = analyst.conflict_paths("Kite One Ltd", "Kite Two Ltd", max_length=4)
    assert all(p.kind != "mark conflict" for p in paths)


# ------------------------------------------------------------------ priority


@pytest.mark.parametrize(("mark", "nice_class", "earlier", "later"), RIGHTS)
def test_priority_names_every_holder_and_one_claim_per_competing_right(
    analyst: Analyst, mark: str, nice_class: int, earlier: list[str], later: list[str]
) -> None:
    found = analyst.priority(mark, nice_class, "GB", as_of=AS_OF)
    assert [p.name for p in found.holders] == earlier
    assert found.holder == found.holders[0]
    if len(earlier) > 1:
        joint = f"{earlier[0]} jointly with {' and '.join(earlier[1:])}"
        assert f"goes to {joint}." in found.explanation
    else:
        assert "jointly" not in found.explanation
    rights = [
        c for c in found.competing_claims if c.description.count(mark) and c.party.name in later
    ]
    [claim] = rights  # the later right, once, whatever its number of owners
    assert [p.name for p in claim.holders] == later
    assert claim.party == claim.holders[0]
    assert len({p.id for p in claim.holders}) == len(later)


def test_a_co_owned_competing_right_cites_every_owner(analyst: Analyst) -> None:
    found = analyst.priority("MIRABELT", 41, "GB", as_of=AS_OF)
    [claim] = found.competing_claims
    assert owners_stated(claim) == {("gb-r6", "xeno"), ("gb-r6", "yarrow"), ("gb-r6", "zinnia")}
    assert claim.effective_date == "2014-02-01"


def test_a_single_owner_with_two_rights_keeps_two_claims(analyst: Analyst) -> None:
    """Claims are merged per right, not per party: Pike's later QUORVEXX stays a claim."""
    found = analyst.priority("QUORVEX", 12, "GB", as_of=AS_OF)
    assert sorted((c.party.name, c.date) for c in found.competing_claims) == [
        ("Pike Motors Ltd", "2013-01-01"),
        ("Quill Cars Ltd", "2017-01-01"),
    ]
    assert all(len(c.holders) == 1 for c in found.competing_claims)


def test_a_winning_co_owner_that_holds_a_later_right_alone(analyst: Analyst) -> None:
    found = analyst.priority("HALDRIX", 3, "GB", as_of=AS_OF)
    assert sorted(p.name for p in found.holders) == ["Gorse Cosmetics Ltd", "Hazel Beauty Ltd"]
    [claim] = found.competing_claims  # Gorse's own later registration, alone
    assert [p.name for p in claim.holders] == ["Gorse Cosmetics Ltd"]


# ------------------------------------------------------------------ the CLI


def test_kg_priority_names_every_holder(store: Path) -> None:
    args = ("priority", "SOLVENNA", "--class", "25", "--jurisdiction", "GB", "--as-of", AS_OF)
    out = run_kg(*args, "--store", store, check=True).stdout
    assert "holder: Kite One Ltd jointly with Kite Three Ltd and Kite Two Ltd, 2016-01-04" in out
    listed = json.loads(run_kg(*args, "--store", store, "--format", "json", check=True).stdout)
    [finding] = listed
    assert finding["holder"]["name"] == "Kite One Ltd"
    assert [p["name"] for p in finding["holders"]] == [
        "Kite One Ltd",
        "Kite Three Ltd",
        "Kite Two Ltd",
    ]
    assert [[p["name"] for p in c["holders"]] for c in finding["competing_claims"]] == [
        ["Sole Trader Ltd"]
    ]


def test_kg_priority_lists_a_co_owned_competing_right_once(store: Path) -> None:
    args = ("priority", "MIRABELT", "--class", "41", "--jurisdiction", "GB", "--as-of", AS_OF)
    out = run_kg(*args, "--store", store, check=True).stdout
    assert "holder: Wren Media Ltd, 2010-02-01" in out
    claims = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(claims) == 1
    assert claims[0].startswith(
        "  - Xeno Films Ltd jointly with Yarrow Studios Ltd and Zinnia Pictures Ltd: filing"
    )


def test_kg_conflicts_names_the_co_owners(store: Path) -> None:
    args = ("conflicts", "--jurisdiction", "GB", "--as-of", AS_OF, "--store", store)
    listed = json.loads(run_kg(*args, "--format", "json", check=True).stdout)
    by_marks = {}
    for conflict in listed:
        if not conflict["proceedings"] or conflict["marks"][0]:
            by_marks.setdefault(conflict["marks"][1]["text"], []).append(conflict)
    assert {mark: len(found) for mark, found in by_marks.items()} == {
        "VANTORIQ": 1,
        "SOLVENNA": 1,
        "MIRABELT": 1,
        "QUORVEX": 1,
    }
    [kites] = by_marks["SOLVENNA"]
    assert sorted(sorted(p["name"] for p in side) for side in kites["holders"]) == [
        ["Kite One Ltd", "Kite Three Ltd", "Kite Two Ltd"],
        ["Sole Trader Ltd"],
    ]
    assert [side[0] for side in kites["holders"]] == kites["parties"]
    table = " ".join(run_kg(*args, check=True).stdout.split())  # cells wrap: words only
    assert "Kite One Ltd jointly with Kite Three Ltd" in table
    assert "Xeno Films Ltd jointly with Yarrow" in table


# ------------------------------------------------------------------ GraphQL

CONFLICTS = """query($class: Int) {
  conflicts(jurisdiction: "GB", niceClass: $class, asOf: "2024-01-01") {
    nodes { parties { name } holders { name } holdings proceedings { id } }
  }
}"""

PRIORITY = """query($mark: String!, $class: Int!) {
  priority(mark: $mark, niceClass: $class, jurisdiction: "GB", asOf: "2024-01-01") {
    holder { name } holders { name } explanation
    competingClaims { party { name } holders { name } date }
  }
}"""


@pytest.mark.parametrize(("mark", "nice_class", "earlier", "later"), RIGHTS)
def test_graphql_conflicts_and_priority_name_every_holder(
    graphql: str, mark: str, nice_class: int, earlier: list[str], later: list[str]
) -> None:
    answer = post(graphql, CONFLICTS, {"class": nice_class})
    assert "errors" not in answer, answer
    [node] = answer["data"]["conflicts"]["nodes"]
    named = sorted(sorted(p["name"] for p in side) for side in node["holders"])
    assert named == sorted([earlier, later])
    assert [side[0] for side in node["holders"]] == node["parties"]

    answer = post(graphql, PRIORITY, {"mark": mark, "class": nice_class})
    assert "errors" not in answer, answer
    found = answer["data"]["priority"]
    assert [p["name"] for p in found["holders"]] == earlier
    assert found["holder"] == found["holders"][0]
    claims = [c for c in found["competingClaims"] if c["party"]["name"] in later]
    assert [[p["name"] for p in c["holders"]] for c in claims] == [later]


# ------------------------------------------------------------------ reports


def test_a_report_names_the_co_owners_and_a_co_owners_report_has_the_conflict(
    graph: KnowledgeGraph,
) -> None:
    report = build_report(graph, mark="VANTORIQ", jurisdiction="GB", nice_class=9, as_of=AS_OF)
    text = render_markdown(report)
    assert "goes to Alder Works Ltd jointly with Birch Labs Ltd under the first-to-file" in text
    assert "| Elm Systems Ltd jointly with Fir Devices Ltd | filing" in text
    assert "Fir Devices Ltd jointly with Elm Systems Ltd" in text  # the conflicts table
    # a co-owner not named first among `parties` still finds the conflict of its right
    for party in ("Alder Works Ltd", "Elm Systems Ltd"):
        mine = build_report(graph, party=party, as_of=AS_OF, max_nodes=10)
        assert len(mine.conflicts) == 1, party
        assert [f.mark for f in mine.priority] == ["VANTORIQ"]
        # its co-owner holds the same right: not one of the others who use the mark
        co_owner, rivals = {
            "Alder Works Ltd": ("Birch Labs Ltd", {"Elm Systems Ltd", "Fir Devices Ltd"}),
            "Elm Systems Ltd": ("Fir Devices Ltd", {"Alder Works Ltd", "Birch Labs Ltd"}),
        }[party]
        others = {u.party.name for u in mine.usages}
        assert co_owner not in others and rivals <= others, (party, others)


def _loaded(tmp_path_factory: pytest.TempPathFactory, name: str, trig: str) -> KnowledgeGraph:
    """A store on disk holding `trig` (after `PREFIXES`), loaded as a user's file."""
    from kg import Settings

    folder = tmp_path_factory.mktemp(name)
    (folder / f"{name}.trig").write_text(PREFIXES + trig, encoding="utf-8")
    opened = KnowledgeGraph.open(Settings(store_path=folder / "store"))
    opened.load([folder / f"{name}.trig"])
    return opened


USES = """graph:register {
  party:owner a tm:Company ; schema:name "Orla Registered Ltd" .
  mark:tavlo a tm:Mark ; tm:text "TAVLO" .
  reg:gb-1 a tm:Registration ; tm:mark mark:tavlo ; tm:owner party:owner ;
    tm:jurisdiction cc:GB ; tm:niceClass nice:9 ; tm:filingDate "2010-01-01"^^xsd:date .
}
graph:news-a {
  party:user-a a tm:Company ; schema:name "Ash Users Ltd" .
  use:shop a tm:Use ; tm:mark mark:tavlo ; tm:user party:user-a ; tm:jurisdiction cc:GB ;
    tm:niceClass nice:9 ; tm:startDate "2015"^^xsd:gYear .
}
graph:news-b {
  party:user-b a tm:Company ; schema:name "Beech Users Ltd" .
  use:shop a tm:Use ; tm:mark mark:tavlo ; tm:user party:user-b ; tm:jurisdiction cc:GB ;
    tm:niceClass nice:9 ; tm:startDate "2016"^^xsd:gYear .
}
"""


@pytest.fixture(scope="module")
def uses_graph(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """One use IRI given a different user by each of two sources: not co-owners."""
    return _loaded(tmp_path_factory, "uses", USES)


def test_users_of_one_use_named_by_two_sources_are_not_co_owners(
    uses_graph: KnowledgeGraph,
) -> None:
    analyst = Analyst(uses_graph)
    pairs = analyst.conflicts(jurisdiction="GB", as_of=AS_OF)
    users = sorted(
        name for pair in pairs for side in pair.holders for name in (p.name for p in side)
    )
    # one conflict per user, each user alone on its side
    assert len(pairs) == 2
    assert all(len(side) == 1 for pair in pairs for side in pair.holders)
    assert users == sorted(["Ash Users Ltd", "Beech Users Ltd"] + ["Orla Registered Ltd"] * 2)
    finding = analyst.priority("TAVLO", 9, "GB", as_of=AS_OF)
    claims = {claim.party.name: claim for claim in finding.competing_claims}
    assert {"Ash Users Ltd", "Beech Users Ltd"} <= set(claims)
    assert all(len(claim.holders) == 1 for claim in finding.competing_claims)
    assert [p.name for p in finding.holders] == ["Orla Registered Ltd"]


TRIAL = """# a dead right and a live one of one holder, each similar to another party's
graph:gb {
  party:zeta a tm:Company ; schema:name "Zeta Corp" .
  party:delta a tm:Company ; schema:name "Delta Ltd" .
  mark:zephyranta a tm:Mark ; tm:text "ZEPHYRANTA" .
  mark:zephyrantax a tm:Mark ; tm:text "ZEPHYRANTAX" .
  mark:zephyrantos a tm:Mark ; tm:text "ZEPHYRANTOS" .
  reg:gb-z1 a tm:Registration ; tm:mark mark:zephyranta ; tm:owner party:zeta ;
    tm:jurisdiction cc:GB ; tm:niceClass nice:9 ; tm:filingDate "2010-01-01"^^xsd:date ;
    tm:markStatus status:expired ; tm:statusDate "2020-06-01"^^xsd:date .
  reg:gb-z2 a tm:Registration ; tm:mark mark:zephyrantax ; tm:owner party:zeta ;
    tm:jurisdiction cc:GB ; tm:niceClass nice:9 ; tm:filingDate "2021-01-01"^^xsd:date ;
    tm:markStatus status:registered .
  reg:gb-d1 a tm:Registration ; tm:mark mark:zephyranta ; tm:owner party:delta ;
    tm:jurisdiction cc:GB ; tm:niceClass nice:9 ; tm:filingDate "2019-01-01"^^xsd:date ;
    tm:markStatus status:registered .
}
# two sources disagree on the owner of one registration: not co-owners
graph:register-it {
  party:xanthe a tm:Company ; schema:name "Xanthe Moda SpA" .
  mark:peltravo a tm:Mark ; tm:text "PELTRAVO" .
  reg:it-1 a tm:Registration ; tm:mark mark:peltravo ; tm:owner party:xanthe ;
    tm:jurisdiction cc:IT ; tm:niceClass nice:25 ; tm:filingDate "2015-01-01"^^xsd:date .
}
graph:news-it {
  party:ypsilon a tm:Company ; schema:name "Ypsilon Tessuti Srl" .
  party:zaffiro a tm:Company ; schema:name "Zaffiro Abbigliamento Srl" .
  mark:peltrava a tm:Mark ; tm:text "PELTRAVA" .
  reg:it-1 tm:owner party:ypsilon .
  reg:it-2 a tm:Registration ; tm:mark mark:peltrava ; tm:owner party:zaffiro ;
    tm:jurisdiction cc:IT ; tm:niceClass nice:25 ; tm:filingDate "2018-01-01"^^xsd:date .
}
# the same two co-owners hold two similar registrations: partners, no conflict
graph:register-fr {
  party:rho a tm:Company ; schema:name "Rho Ltd" .
  party:sigma a tm:Company ; schema:name "Sigma Ltd" .
  mark:brixolum a tm:Mark ; tm:text "BRIXOLUM" .
  mark:brixoluma a tm:Mark ; tm:text "BRIXOLUMA" .
  reg:fr-1 a tm:Registration ; tm:mark mark:brixolum ; tm:owner party:rho , party:sigma ;
    tm:jurisdiction cc:FR ; tm:niceClass nice:9 ; tm:filingDate "2015-01-01"^^xsd:date .
  reg:fr-2 a tm:Registration ; tm:mark mark:brixoluma ; tm:owner party:sigma , party:rho ;
    tm:jurisdiction cc:FR ; tm:niceClass nice:9 ; tm:filingDate "2016-01-01"^^xsd:date .
}
"""


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Analyst:
    """The user trial's cases (session 16)."""
    return Analyst(_loaded(tmp_path_factory, "trial", TRIAL))


def _listed(pairs: list[ConflictPair]) -> set[tuple]:
    return {(tuple(sorted(pair.holdings)), pair.lapsed) for pair in pairs}


def test_dead_rights_are_listed_beside_the_live_conflicts_not_instead(trial: Analyst) -> None:
    live = trial.conflicts(jurisdiction="GB", as_of=AS_OF)
    both = trial.conflicts(jurisdiction="GB", as_of=AS_OF, include_lapsed=True)
    assert _listed(live) == {((REG + "gb-d1", REG + "gb-z2"), False)}
    assert _listed(both) == _listed(live) | {((REG + "gb-d1", REG + "gb-z1"), True)}
    for pair in both:  # each in its place: the live one as without the flag
        if not pair.lapsed:
            assert pair in live


def test_owners_two_sources_give_one_registration_are_not_co_owners(trial: Analyst) -> None:
    pairs = trial.conflicts(jurisdiction="IT", as_of=AS_OF)
    assert sorted(tuple(sorted(p.name for side in c.holders for p in side)) for c in pairs) == [
        ("Xanthe Moda SpA", "Zaffiro Abbigliamento Srl"),
        ("Ypsilon Tessuti Srl", "Zaffiro Abbigliamento Srl"),
    ]
    finding = trial.priority("PELTRAVA", 25, "IT", as_of=AS_OF)
    assert len(finding.holders) == 1  # one of the two owners, not both jointly
    assert "jointly" not in finding.explanation
    claims = [c for c in finding.competing_claims if c.party.name != "Zaffiro Abbigliamento Srl"]
    assert all(len(claim.holders) == 1 for claim in claims)


def test_two_rights_of_the_same_co_owners_are_no_conflict(trial: Analyst) -> None:
    assert trial.conflicts(jurisdiction="FR", as_of=AS_OF) == []
    assert trial.conflicts(jurisdiction="FR", as_of=AS_OF, nice_class=9) == []


def test_a_co_owned_filing_is_one_timeline_entry_naming_every_owner(
    analyst: Analyst, graph: KnowledgeGraph
) -> None:
    for party in ("Kite One Ltd", "Kite Two Ltd", "Kite Three Ltd"):
        [filing] = [e for e in analyst.timeline(party=party) if "SOLVENNA" in e.description]
        assert filing.description.startswith(f"{party} jointly with ")
        assert sorted(filing.parties) == ["Kite One Ltd", "Kite Three Ltd", "Kite Two Ltd"]
    ids = {analyst.find_party(n).id for n in ("Kite One Ltd", "Kite Two Ltd", "Kite Three Ltd")}
    entries = [e for e in analyst.facts._holding_entries(ids) if "SOLVENNA" in e.description]
    assert len(entries) == 1  # one filing, not one per co-owner
    report = build_report(graph, mark="SOLVENNA", jurisdiction="GB", as_of=AS_OF)
    filings = [e for e in report.timeline if "SOLVENNA" in e.description and e.kind == "filing"]
    assert len({e.subject for e in filings}) == len(filings)  # each right's filing once


# two co-owners of one right each hold a similar right alone (the trial of 12-02, F13): their
# own rights conflict whichever of their pairs scores best; the pairs through the co-owned
# right never do (a holder of both rights)
SOLO = """graph:register {{
  party:kappa a tm:Company ; schema:name "Kappa Inc" .
  party:lambda a tm:Company ; schema:name "Lambda Co" .
  mark:joint a tm:Mark ; tm:text "{joint}" .
  mark:kappa a tm:Mark ; tm:text "{kappa}" .
  mark:lambda a tm:Mark ; tm:text "{lambda_}" .
  reg:us-joint a tm:Registration ; tm:mark mark:joint ; tm:owner party:kappa , party:lambda ;
    tm:jurisdiction cc:US ; tm:niceClass nice:12 ; tm:filingDate "2010-01-01"^^xsd:date .
  reg:us-kappa a tm:Registration ; tm:mark mark:kappa ; tm:owner party:kappa ;
    tm:jurisdiction cc:US ; tm:niceClass nice:12 ; tm:filingDate "2011-01-01"^^xsd:date .
  reg:us-lambda a tm:Registration ; tm:mark mark:lambda ; tm:owner party:lambda ;
    tm:jurisdiction cc:US ; tm:niceClass nice:12 ; tm:filingDate "2012-01-01"^^xsd:date .
}}
"""


@pytest.mark.parametrize(
    ("joint", "kappa", "lambda_"),
    [
        ("VELMORIQ", "VELMORIX", "VELMORIX"),  # the solo pair is the best pair
        ("KORVANTIX", "KORVANTIX", "KORVANTIQ"),  # a pair through the co-owned right is best
        ("ZIGGURATI", "ZIGGURATU", "ZIGGURATA"),
        ("TRELLOVAN", "TRELLOVAN", "TRELLOVAN"),  # all three the same text
    ],
)
def test_co_owners_own_rights_conflict_whichever_pair_is_best(
    tmp_path_factory: pytest.TempPathFactory, joint: str, kappa: str, lambda_: str
) -> None:
    graph = _loaded(
        tmp_path_factory, "solo", SOLO.format(joint=joint, kappa=kappa, lambda_=lambda_)
    )
    pairs = Analyst(graph).conflicts(as_of=AS_OF)
    reg = "https://w3id.org/tmkg/id/registration/"
    assert [sorted(p.holdings) for p in pairs] == [[reg + "us-kappa", reg + "us-lambda"]]
    assert [sorted(p.name for p in pair.parties) for pair in pairs] == [["Kappa Inc", "Lambda Co"]]
