"""A register-wide conflict search reads a few places' holdings at a time (issue 19): the
marks that may meet another are chosen by place before any holding is read
(`conflict_marks_by_place`), packed into batches (`place_batches`) and searched batch by
batch (`find_conflicts`'s ``places_only``), the lists joined (`merge_conflicts`). The answer
must be the one a search of every holding at once gives, whatever the batch size, with
national, EU (EM) and international (WO) rights meeting in member states, in EM and among
themselves; `--jurisdiction` and `--class` choose the marks before any holding is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis import conflicts as conflicts_module
from kg.analysis import service
from kg.analysis.service import Analyst
from kg.errors import KGError

PREFIXES = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix party: <https://w3id.org/tmkg/id/party/> .
@prefix mark: <https://w3id.org/tmkg/id/mark/> .
@prefix reg: <https://w3id.org/tmkg/id/registration/> .
@prefix des: <https://w3id.org/tmkg/id/designation/> .
@prefix source: <https://w3id.org/tmkg/id/source/> .
@prefix graph: <https://w3id.org/tmkg/id/graph/> .
@prefix cc: <https://w3id.org/tmkg/id/jurisdiction/> .
@prefix nice: <https://w3id.org/tmkg/id/nice/> .
"""
# (registration, holder, mark text, jurisdiction, classes, designations of a WO right)
RIGHTS = [
    ("em-1", "nordvik", "NORDVIK", "EM", (25,), ()),
    ("em-2", "nordvick", "NORDVICK", "EM", (25, 18), ()),  # EM meets EM, in EM
    ("fr-1", "nordvic", "NORDVIC", "FR", (25,), ()),  # meets both EUTMs in FR
    ("de-1", "nordwik", "NORDWIK", "DE", (35,), ()),  # class 35 meets 25? not related
    ("wo-1", "kaldera", "KALDERA", "WO", (9, 42), ("EM", "CN")),
    ("em-3", "kalderra", "KALDERRA", "EM", (9,), ()),  # WO designating EM meets an EUTM
    ("cn-1", "caldera", "CALDERA", "CN", (42,), ()),  # meets the WO right in CN
    ("cn-2", "kaldera-cn", "KALDERA", "CN", (9,), ()),
    ("us-1", "kaldera-us", "KALDERA", "US", (9,), ()),  # WO not designating US: alone
    ("us-2", "orbix", "ORBIX", "US", (9,), ()),
    ("us-3", "orbixx", "ORBIXX", "US", (9, 42), ()),
    ("gb-1", "orbix-gb", "ORBIX", "GB", (30,), ()),
    ("gb-2", "orbics", "ORBICS", "GB", (30, 43), ()),
    ("jp-1", "sunmoto", "SUNMOTO", "JP", (12,), ()),
    ("jp-2", "sunmotto", "SUNMOTTO", "JP", (12,), ()),
    ("jp-3", "sunmoto-2", "SUNMOTO", "JP", (7,), ()),
]


def _trig() -> str:
    lines = [PREFIXES]
    for number, holder, text, place, classes, designated in RIGHTS:
        mark = text.lower()
        lines.append(
            f"graph:{number} {{\n"
            f'  party:{holder} a tm:Company ; schema:name "{holder.title()} Ltd" .\n'
            f'  mark:{mark} a tm:Mark ; tm:text "{text}" .\n'
            f"  reg:{number} a tm:Registration ; tm:mark mark:{mark} ;\n"
            f"    tm:owner party:{holder} ; tm:jurisdiction cc:{place} ;\n"
            f'    tm:registrationNumber "{number}" ;\n'
            f'    tm:filingDate "2019-01-01"^^xsd:date ; tm:registrationDate "2019-06-01"^^xsd:date'
        )
        for nice in classes:
            lines.append(f"    ; tm:niceClass nice:{nice}")
        for code in designated:
            lines.append(f"    ; tm:designation des:{number}-{code.lower()}")
        lines.append("  .")
        for code in designated:
            lines.append(
                f"  des:{number}-{code.lower()} a tm:Designation ;"
                f" tm:jurisdiction cc:{code} ;"
                ' tm:designationDate "2019-01-01"^^xsd:date .'
            )
        lines.append("}")
        lines.append(source_of(number, f"register record {number}"))
    return "\n".join(lines) + "\n"


def source_of(graph: str, title: str) -> str:
    """TriG stating that graph:`graph` is derived from a source titled `title`."""
    return (
        f'source:{graph} a tm:Source ; dcterms:title "{title}" .\n'
        f"graph:{graph} a tm:SourceGraph ; prov:wasDerivedFrom source:{graph} ."
    )


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    path = tmp_path_factory.mktemp("batches")
    (path / "rights.trig").write_text(_trig(), encoding="utf-8")
    opened = KnowledgeGraph.open(Settings(store_path=path / "store"))
    opened.load([path / "rights.trig"])
    service.index_marks(opened)
    return opened


def _rows(pairs: list) -> list[tuple]:
    return [
        (p.parties[0].id, p.parties[1].id, p.jurisdiction, p.score, p.holdings, p.reasons)
        for p in pairs
    ]


def _forget(graph: KnowledgeGraph) -> None:
    """No conflicts kept from an earlier question (`kg.analysis.conflict_memo`): searched."""
    Analyst(graph)._shared.forget_conflicts()


def _every_holding_at_once(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, **asked: object
) -> list[tuple]:
    """The search reading every holding (as without a synced index), none kept."""
    _forget(graph)
    with monkeypatch.context() as patch:
        patch.setattr(service, "conflict_marks_by_place", lambda *a, **k: None)
        return _rows(Analyst(graph).conflicts(**asked))  # type: ignore[arg-type]


ASKED = [
    {},
    {"jurisdiction": "FR"},
    {"jurisdiction": "EM"},
    {"jurisdiction": "CN"},
    {"jurisdiction": "US"},
    {"jurisdiction": "IT"},  # no national right: EU trade marks meet each other there
    {"jurisdiction": "DE"},
    {"nice_class": 9},
    {"nice_class": 25, "jurisdiction": "FR"},
    {"nice_class": 12},
    {"min_score": 0.3},
]


@pytest.mark.parametrize("asked", ASKED, ids=lambda a: ",".join(f"{k}={v}" for k, v in a.items()))
@pytest.mark.parametrize("budget", [1, 3, 1_000_000])
def test_batched_search_gives_the_answer_of_one_search(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, asked: dict, budget: int
) -> None:
    expected = _every_holding_at_once(graph, monkeypatch, **asked)
    batches: list[set[str]] = []
    real = conflicts_module.place_batches

    def counted(*args: object) -> object:
        for marks, places in real(*args):  # type: ignore[arg-type]
            batches.append(places)
            yield marks, places

    monkeypatch.setattr(service, "CONFLICT_BATCH_MARKS", budget)
    monkeypatch.setattr(service, "place_batches", counted)
    _forget(graph)
    assert _rows(Analyst(graph).conflicts(**asked)) == expected
    if budget == 1 and not asked:
        assert len(batches) > 3  # one place a batch: CN, US, GB, JP, FR...


def test_the_fixture_has_each_kind_of_meeting(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the comparison above: it must meet rights in each way."""
    monkeypatch.setattr(service, "CONFLICT_BATCH_MARKS", 1)
    found = {
        (frozenset(p.holdings), p.jurisdiction) for p in Analyst(graph).conflicts(min_score=0.3)
    }
    reg = "https://w3id.org/tmkg/id/registration/"

    def met(a: str, b: str, place: str) -> bool:
        return (frozenset((reg + a, reg + b)), place) in found

    assert met("em-1", "em-2", "EM")  # two EU trade marks, once, in EM
    assert not any(place == "FR" and reg + "em-2" in h and reg + "em-1" in h for h, place in found)
    assert met("em-1", "fr-1", "FR") and met("em-2", "fr-1", "FR")  # an EUTM in a member state
    assert met("wo-1", "em-3", "EM")  # a WO designation of the EU meets an EUTM
    assert met("wo-1", "cn-1", "CN") and met("wo-1", "cn-2", "CN")  # designated CN
    assert not any(reg + "us-1" in h and reg + "wo-1" in h for h, _ in found)  # US not designated
    assert met("us-2", "us-3", "US") and met("jp-1", "jp-2", "JP")
    in_italy = {frozenset(p.holdings) for p in Analyst(graph).conflicts(jurisdiction="IT")}
    assert frozenset((reg + "em-1", reg + "em-2")) in in_italy  # EU trade marks cover IT


def _chosen(graph: KnowledgeGraph, **asked: object) -> dict[str, set[str]]:
    """`conflict_marks_by_place` of the fixture: place -> the marks' last IRI segments."""
    facts = Analyst(graph).facts
    by_place = conflicts_module.conflict_marks_by_place(
        facts.holding_statements(),
        facts.marks,
        facts.mark_index,
        facts.identities.canonical,
        {"EM", "WO"},
        facts.relatedness,
        **asked,  # type: ignore[arg-type]
    )
    assert by_place is not None
    return {place: {iri.rsplit("/", 1)[-1] for iri in marks} for place, marks in by_place.items()}


@pytest.mark.parametrize(
    ("asked", "kept", "left_out"),
    [
        # national rights of other places are left out (regional and international rights
        # are kept: whether they cover the place is only known once they are read)
        ({"jurisdiction": "JP"}, {"sunmoto", "sunmotto"}, {"orbix", "nordvic", "caldera"}),
        ({"jurisdiction": "FR"}, {"nordvik", "nordvick", "nordvic"}, {"orbix", "caldera"}),
        ({"nice_class": 12}, {"sunmoto", "sunmotto"}, {"orbix", "nordvik", "caldera"}),
        ({"nice_class": 30}, {"orbix", "orbics"}, {"orbixx", "sunmoto"}),
    ],
)
def test_the_question_chooses_the_marks_before_any_holding_is_read(
    graph: KnowledgeGraph, asked: dict, kept: set[str], left_out: set[str]
) -> None:
    names = set().union(*_chosen(graph, **asked).values())
    assert kept <= names
    assert not names & left_out


def test_marks_are_chosen_by_the_place_they_meet_in(graph: KnowledgeGraph) -> None:
    names = _chosen(graph)
    assert {"sunmoto", "sunmotto"} <= names["JP"]
    assert {"nordvic", "nordvik", "nordvick"} <= names["FR"]  # the EUTMs meet NORDVIC in FR
    assert {"nordvik", "nordvick", "kaldera", "kalderra"} <= names[""]  # rights of EM / WO
    assert "nordvik" not in names.get("JP", set())


def test_place_batches_cover_every_place_once() -> None:
    by_place = {
        "CN": {"a", "b", "c"},
        "US": {"c", "d"},
        "GB": {"e"},
        "JP": {"f", "g"},
        "": {"w"},
    }
    for budget in (1, 2, 3, 4, 10):
        batches = list(conflicts_module.place_batches(by_place, budget, ["EM", "WO"]))
        places = [p for _, ps in batches for p in ps]
        assert sorted(places) == sorted(["CN", "US", "GB", "JP", "EM", "WO"])  # each once
        assert all("w" in marks for marks, _ in batches)  # a regional right meets any place
        for marks, ps in batches:
            needed = set().union(*(by_place[p] for p in ps if p in by_place))
            assert needed <= marks
            assert len(ps - {"EM", "WO"}) == 1 or len(marks - {"w"}) <= budget
    assert list(conflicts_module.place_batches({}, 5, ["EM"])) == []
    only_wide = list(conflicts_module.place_batches({"": {"w"}}, 5, ["EM"]))
    assert only_wide == [({"w"}, {"EM"})]  # two EUTMs alone still meet, in EM


ALIASED = f"""{PREFIXES}@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix use: <https://w3id.org/tmkg/id/use/> .
graph:alias-1 {{
  party:quarrix a tm:Company ; schema:name "Quarrix Ltd" .
  mark:quarrix a tm:Mark ; tm:text "QUARRIX" .
  use:alias-1 a tm:Use ; tm:mark mark:quarrix ; tm:user party:quarrix ; tm:niceClass nice:9 ;
    tm:startDate "2019-01-01"^^xsd:date .
}}
{source_of("alias-1", "a shop's catalogue")}
graph:alias-2 {{
  use:alias-1b a tm:Use ; tm:mark mark:quarrix ; tm:user party:quarrix ;
    tm:jurisdiction cc:GB .
  use:alias-1 owl:sameAs use:alias-1b .
}}
{source_of("alias-2", "a trade fair's list naming the use otherwise")}
graph:alias-3 {{
  party:quarix a tm:Company ; schema:name "Quarix Co" .
  mark:quarix a tm:Mark ; tm:text "QUARIX" .
  reg:alias-3 a tm:Registration ; tm:mark mark:quarix ; tm:owner party:quarix ;
    tm:jurisdiction cc:GB ; tm:niceClass nice:42 ; tm:registrationNumber "AL-3" ;
    tm:filingDate "2020-01-01"^^xsd:date .
}}
{source_of("alias-3", "register record AL-3")}
"""


def test_a_place_asked_reads_a_right_stated_there_under_another_iri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a question about GB reads only the holdings stated in GB (or in EM, WO): one whose
    # place is stated by another IRI of it (owl:sameAs) is among them with all its IRIs'
    # statements (its class 9 is stated by the IRI that states no place: asked for class 9,
    # the rights would seem not to meet without it)
    (tmp_path / "aliased.trig").write_text(ALIASED, encoding="utf-8")
    aliased = KnowledgeGraph.open(Settings(store_path=tmp_path / "store"))
    try:
        aliased.load([tmp_path / "aliased.trig"])
        service.index_marks(aliased)
        for asked in ({"jurisdiction": "GB"}, {"jurisdiction": "GB", "nice_class": 9}):
            expected = _every_holding_at_once(aliased, monkeypatch, **asked)
            assert len(expected) == 1
            assert _rows(Analyst(aliased).conflicts(**asked)) == expected  # type: ignore[arg-type]
        assert Analyst(aliased).conflicts(jurisdiction="FR") == []
    finally:
        aliased.close()


MARK_SETS = [
    {"nordvik"},
    {"kaldera"},
    {"caldera", "orbix"},
    {"sunmoto", "nordwik"},
    {"orbics"},
]


@pytest.mark.parametrize("marks", MARK_SETS, ids=lambda s: "+".join(sorted(s)))
@pytest.mark.parametrize("asked", ASKED, ids=lambda asked: repr(asked))
def test_the_conflicts_over_some_marks_are_those_of_every_holding(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, marks: set[str], asked: dict
) -> None:
    """`conflicts(marks=...)` reads only the marks' holdings and those meeting them, and finds
    what a search of every holding finds over those marks, in every place and class."""
    iris = {f"https://w3id.org/tmkg/id/mark/{mark}" for mark in marks}
    found = _rows(Analyst(graph).conflicts(marks=iris, **asked))
    assert found == _every_holding_at_once(graph, monkeypatch, marks=iris, **asked)
    for row in found:
        assert {h.rsplit("/", 1)[-1] for h in row[4]} & {  # a right of one of the marks
            number for number, _, text, *_ in RIGHTS if text.lower() in marks
        }


def test_the_conflicts_over_a_mark_weigh_the_rights_of_that_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two parties meet over KASTRIX (identical) and over VELMORA / VELMORRA: the register's
    list keeps their riskiest pair (KASTRIX), the conflicts over VELMORA their pair over it,
    whether every holding is read or only VELMORA's neighbourhood; a party or marks, not
    both."""
    rights = [
        ("us-a1", "alpha", "VELMORA"),
        ("us-a2", "alpha", "KASTRIX"),
        ("us-b1", "beta", "VELMORRA"),
        ("us-b2", "beta", "KASTRIX"),
    ]
    lines = [PREFIXES]
    for number, holder, text in rights:
        lines.append(
            f"graph:{number} {{\n"
            f'  party:{holder} a tm:Company ; schema:name "{holder.title()} Ltd" .\n'
            f'  mark:{text.lower()} a tm:Mark ; tm:text "{text}" .\n'
            f"  reg:{number} a tm:Registration ; tm:mark mark:{text.lower()} ;\n"
            f'    tm:owner party:{holder} ; tm:jurisdiction cc:US ; tm:registrationNumber "{number}" ;\n'
            f'    tm:filingDate "2019-01-01"^^xsd:date ; tm:niceClass nice:9 .\n}}\n'
            + source_of(number, f"register record {number}")
        )
    (tmp_path / "two.trig").write_text("\n".join(lines) + "\n", encoding="utf-8")
    opened = KnowledgeGraph.open(Settings(store_path=tmp_path / "store"))
    try:
        opened.load([tmp_path / "two.trig"])
        service.index_marks(opened)
        analyst = Analyst(opened)
        [whole] = analyst.conflicts()
        assert {m.text for m in whole.marks} == {"KASTRIX"}
        velmora = ["https://w3id.org/tmkg/id/mark/velmora"]
        [over] = analyst.conflicts(marks=velmora)
        assert {m.text for m in over.marks} == {"VELMORA", "VELMORRA"}
        assert _every_holding_at_once(opened, monkeypatch, marks=velmora) == _rows([over])
        assert {p.name for p in over.parties} == {"Alpha Ltd", "Beta Ltd"}
        assert analyst.conflicts(marks=[]) == []
        with pytest.raises(KGError):
            analyst.conflicts(party="Alpha Ltd", marks=velmora)
    finally:
        opened.close()
