"""One party's conflicts (issue 19: a party's report over a register must not search the
whole register): `Analyst.conflicts(party=P)`, `kg conflicts --party P` and GraphQL's
`conflicts(party:)` list exactly the conflicts of the whole list where P holds a side (alone
or with co-owners), over every test fixture of conflicts, co-owners, proceedings, regional
rights, ownership changes, evidence and translations, as of dates and with lapsed rights; and
only the holdings of P's marks and of the marks meeting them are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.errors import NotFound
from kg.resources import SEED_DIR
from tests.conftest import DATA, run_kg
from tests.test_conflict_batches import _trig as batches_trig
from tests.test_conflicts_top import _trig as top_trig

FIXTURES = [
    *(
        DATA / name
        for name in (
            "co-owners.ttl",
            "combined-marks.trig",
            "conflicting-sources.trig",
            "designation-conflicts.trig",
            "evidence-conflicts.trig",
            "mark-life.trig",
            "oppositions.trig",
            "ownership.trig",
            "regional-rights.trig",
            "translation-conflicts.trig",
            "as-of-life.ttl",
            "mark-kinds.trig",
            "figurative-marks.trig",
            "party-names.trig",
            "priority-claims.trig",
            "second-case.trig",
            "trial-faults.ttl",
        )
    ),
    "batches",
    "top",
    "seed",
]
ASKED = [
    {},
    {"include_lapsed": True},
    {"as_of": "2019"},
    {"min_score": 0.3},
    {"jurisdiction": "CN"},
]


def _graph(fixture: Path | str, tmp_path: Path) -> KnowledgeGraph:
    graph = KnowledgeGraph.open(Settings(memory=True))
    if fixture == "seed":
        graph.load(sorted(SEED_DIR.glob("*.trig")))
    elif isinstance(fixture, str):
        path = tmp_path / f"{fixture}.trig"
        path.write_text(batches_trig() if fixture == "batches" else top_trig(), encoding="utf-8")
        graph.load([path])
    else:
        graph.load([fixture])
    return graph


def _rows(pairs: list) -> list[tuple]:
    return [
        (p.parties[0].id, p.parties[1].id, p.jurisdiction, p.score, p.holdings, p.reasons)
        for p in pairs
    ]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f if isinstance(f, str) else f.name)
def test_a_partys_conflicts_are_those_of_the_whole_list(
    fixture: Path | str, tmp_path: Path
) -> None:
    graph = _graph(fixture, tmp_path)
    analyst = Analyst(graph)
    parties = sorted(analyst.facts.all_parties())
    assert parties
    seen = 0
    for asked in ASKED:
        whole = analyst.conflicts(**asked)  # type: ignore[arg-type]
        for party in parties:
            expected = [c for c in whole if party in {p.id for side in c.holders for p in side}]
            found = analyst.conflicts(party=party, **asked)  # type: ignore[arg-type]
            assert _rows(found) == _rows(expected), (party, asked)
            assert found.total == len(expected)
            seen += bool(expected)
        for pair in zip(parties, parties[1:] + parties[:1], strict=True):  # several at once
            expected = [c for c in whole if set(pair) & {p.id for s in c.holders for p in s}]
            found = analyst.conflicts(party=list(pair), **asked)  # type: ignore[arg-type]
            assert _rows(found) == _rows(expected), (pair, asked)
        assert analyst.conflicts(party=[], **asked) == []  # type: ignore[arg-type]
    if fixture not in (DATA / "as-of-life.ttl",):
        assert seen, "the fixture has no conflict: the comparison proves nothing"


def test_only_the_marks_meeting_the_partys_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = _graph("batches", tmp_path)
    analyst = Analyst(graph)
    asked: list[set[str]] = []
    holdings = analyst.facts.holdings

    def recorded(marks: object = None) -> object:
        asked.append(set(marks) if marks is not None else {"every mark"})  # type: ignore[call-overload]
        return holdings(marks)  # type: ignore[arg-type]

    monkeypatch.setattr(analyst.facts, "holdings", recorded)
    found = analyst.conflicts(party="Orbix Ltd")
    assert {c.parties[0].name for c in found} | {c.parties[1].name for c in found} >= {"Orbix Ltd"}
    read = {iri.rsplit("/", 1)[-1] for marks in asked for iri in marks}
    assert read == {"orbix", "orbixx", "orbics"}, read  # not NORDVIK, KALDERA, SUNMOTO...


def test_an_unknown_party_is_refused(tmp_path: Path) -> None:
    analyst = Analyst(_graph("batches", tmp_path))
    with pytest.raises(NotFound, match="Nobody Ltd"):
        analyst.conflicts(party="Nobody Ltd")


def test_cli_party(tmp_path: Path) -> None:
    trig = tmp_path / "top.trig"
    trig.write_text(top_trig(), encoding="utf-8")
    store = tmp_path / "store"
    run_kg("load", "--store", store, trig, check=True)
    shown = run_kg("conflicts", "--store", store, "--party", "Kestrel Ltd", check=True).stdout
    rows = [line for line in shown.splitlines() if line[:4].replace(".", "").isdigit()]
    assert rows and all("Kestrel Ltd" in row for row in rows), shown
    assert "Orbix" not in shown and "Sunmoto" not in shown
    assert "is " not in run_kg("conflicts", "--store", store, "--party", "Kestrel Ltd").stderr
    partial = run_kg("conflicts", "--store", store, "--party", "kestrel", check=True)
    assert "kg: --party 'kestrel' is Kestrel Ltd (https://w3id.org/tmkg/id/party/kestrel)" in (
        partial.stderr
    )  # a name not given whole: the answer says whose conflicts these are
    assert partial.stdout == shown
    unknown = run_kg("conflicts", "--store", store, "--party", "Nobody Ltd")
    assert unknown.returncode != 0 and "Nobody Ltd" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_graphql_party(tmp_path: Path) -> None:
    from kg.api.app import create_app
    from tests.graphql_support import ThreadedServer, post

    graph = _graph("top", tmp_path)
    expected = Analyst(graph).conflicts(party="Kestrel Ltd")
    query = """query($party: String) { conflicts(party: $party, first: 50) {
        totalCount party { name } edges { node { score parties { name } } } } }"""
    with ThreadedServer(create_app(graph, Settings(memory=True))) as server:
        answer = post(server.graphql, query, {"party": "Kestrel Ltd"})
        everyone = post(server.graphql, query, {"party": None})["data"]["conflicts"]
        unknown = post(server.graphql, query, {"party": "Nobody Ltd"})
    found = answer["data"]["conflicts"]
    assert found["totalCount"] == len(expected) < everyone["totalCount"]
    assert [e["node"]["score"] for e in found["edges"]] == [c.score for c in expected]
    assert all("Kestrel Ltd" in {p["name"] for p in e["node"]["parties"]} for e in found["edges"])
    assert unknown["errors"] and "Nobody Ltd" in unknown["errors"][0]["message"]
    assert found["party"] == {"name": "Kestrel Ltd"} and everyone["party"] is None


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("韓商LG生活健康股份有限公司", "韓商ＬＧ生活健康股份有限公司"),  # half-width for full-width
        ("韓商ＬＧ生活健康股份有限公司", "韓商LG生活健康股份有限公司"),  # and the other way
        ("Ｂｅｔａ Ｃｏ", "Beta Co"),
        ("beta co", "Beta Co"),
        ("ＢＥＴＡ", "Beta Co"),  # a word of the name, full-width capitals
        ("韓商LG生活健康", "韓商ＬＧ生活健康股份有限公司"),  # without its legal form (no spaces)
        ("Kestrel Beverages", "Kestrel Beverages Limited"),
    ],
)
def test_a_party_is_found_by_its_name_in_either_width(
    tmp_path: Path, typed: str, named: str
) -> None:
    """NFKC, as party resolution reads names (the trial of 12-02, F5: TIPO writes ＬＧ)."""
    trig = tmp_path / "names.ttl"  # a Turtle file: its own graph, as a source
    trig.write_text(
        "@prefix schema: <https://schema.org/> . @prefix tm: <https://w3id.org/tmkg/ontology#> .\n"
        f'<https://w3id.org/tmkg/id/party/p1> a tm:Company ; schema:name "{named}" .\n'
        '<https://w3id.org/tmkg/id/party/p2> a tm:Company ; schema:name "Gamma Holdings" .\n',
        encoding="utf-8",
    )
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([trig])
    assert Analyst(graph).find_party(typed).name == named


def test_a_party_named_by_its_iri_is_found_without_reading_every_party(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1M, reading every party takes 20-26 s: an IRI (any of its owl:sameAs records) is
    looked up alone, and gives the party the name lookup gives."""
    graph = _graph("seed", tmp_path)
    parties = Analyst(graph).facts.all_parties()
    for party in parties.values():
        for member in party.iris:
            analyst = Analyst(graph)
            monkeypatch.setattr(analyst.facts, "all_parties", lambda: pytest.fail("read all"))
            assert analyst.find_party(member) == party
    monkeypatch.undo()  # the analysts of one graph share their facts
    with pytest.raises(NotFound):  # an IRI of something that is no party
        Analyst(graph).find_party("https://w3id.org/tmkg/id/mark/aws")
