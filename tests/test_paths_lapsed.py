"""A conflict path through a right that is dead today says so, and comes after the paths
through rights in force: "Zeta Corp owned registration No. GB-2 of 'ZEPHYRANTA' (GB, class
9), which lapsed on 2020-06-01: expired ...", never "owns" (a trial of 2026-12-02 found a
report's first conflict path leading with an expired registration and not saying so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from tests.test_conflict_batches import PREFIXES, source_of

# (registration, holder, text, jurisdiction, class, expiry, status)
RIGHTS = [
    ("gb-1", "alpha", "ZEPHYRANTO", "GB", 9, None, None),
    ("us-1", "alpha", "ZEPHYRANTO", "US", 42, None, None),
    ("gb-2", "zeta", "ZEPHYRANTA", "GB", 9, "2020-06-01", None),  # expired, no renewal
    ("us-2", "zeta", "ZEPHYRANTA", "US", 9, None, None),
    ("fr-1", "omega", "ZEPHYRANTE", "FR", 9, None, "abandoned"),  # ended by its status
    ("fr-2", "alpha", "ZEPHYRANTO", "FR", 9, None, None),
    ("fr-3", "kappa", "ZEPHYRANTU", "FR", 9, None, "refused"),  # never registered
]


def _trig(rights: list[tuple] = RIGHTS) -> str:
    lines = [PREFIXES, "@prefix status: <https://w3id.org/tmkg/id/status/> ."]
    for number, holder, text, place, nice, expiry, status in rights:
        extra = f' ; tm:expiryDate "{expiry}"^^xsd:date' if expiry else ""
        if status:
            extra += f' ; tm:markStatus status:{status} ; tm:statusDate "2021-03-01"^^xsd:date'
        lines.append(
            f"graph:{number} {{\n"
            f'  party:{holder} a tm:Company ; schema:name "{holder.title()} Corp" .\n'
            f'  mark:{text.lower()} a tm:Mark ; tm:text "{text}" .\n'
            f"  reg:{number} a tm:Registration ; tm:mark mark:{text.lower()} ;\n"
            f"    tm:owner party:{holder} ; tm:jurisdiction cc:{place} ; tm:niceClass nice:{nice} ;\n"
            + (
                ""  # an application the office refused: no number, never registered
                if status == "refused"
                else f'    tm:registrationNumber "{number.upper()}" ;'
                ' tm:registrationDate "2010-06-01"^^xsd:date ;\n'
            )
            + f'    tm:filingDate "2010-01-01"^^xsd:date{extra} .\n}}\n'
            + source_of(number, f"register record {number}")
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Analyst:
    path = tmp_path_factory.mktemp("lapsed-paths") / "rights.trig"
    path.write_text(_trig(), encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([path])
    return Analyst(graph)


def test_a_path_through_an_expired_registration_says_it_lapsed(analyst: Analyst) -> None:
    paths = [
        p
        for p in analyst.conflict_paths("Alpha Corp", "Zeta Corp", every=True)
        if p.kind == "mark conflict"
    ]
    told = [step.explanation for path in paths for step in path.steps]
    expired = [s for s in told if "GB-2" in s]
    assert expired, told
    said = (
        "Zeta Corp owned registration No. GB-2 of 'ZEPHYRANTA' (GB, class 9), which lapsed on "
        "2020-06-01: expired (its term ended, no renewal recorded)"
    )
    assert all(s == said for s in expired), expired
    assert not any("owns registration No. GB-2" in s for s in told)
    live = [s for s in told if "US-2" in s]
    assert live and all(s.startswith("Zeta Corp owns registration No. US-2") for s in live)


def test_paths_through_rights_in_force_come_first(analyst: Analyst) -> None:
    """The GB pair (same place, same class) led before; the live US pair (one place, classes
    42 and 9) leads now, then the expired GB pair (one place), then the live pairs of rights
    in different places."""
    paths = [
        p
        for p in analyst.conflict_paths("Alpha Corp", "Zeta Corp", every=True)
        if p.kind == "mark conflict"
    ]
    first, *others = paths
    assert "US-2" in first.summary and "lapsed" not in first.summary
    assert "GB-1" in others[0].summary and "GB-2" in others[0].summary
    assert "which lapsed on 2020-06-01" in others[0].summary
    assert all("lapsed" not in p.summary for p in others[1:3])  # FR-2 or GB-1 with US-2
    assert analyst.conflict_path("Alpha Corp", "Zeta Corp") == first


@pytest.mark.parametrize(
    ("other", "said"),
    [
        # a registration ended by its status
        (
            "Omega Corp",
            "Omega Corp owned registration No. FR-1 of 'ZEPHYRANTE' (FR, class 9), which lapsed "
            "on 2021-03-01: abandoned",
        ),
        # an application refused before it was registered is told as an application
        (
            "Kappa Corp",
            "Kappa Corp filed an application of 'ZEPHYRANTU' (FR, class 9), which lapsed on "
            "2021-03-01: refused",
        ),
    ],
)
def test_a_right_ended_by_its_status_says_why(analyst: Analyst, other: str, said: str) -> None:
    path = analyst.conflict_path("Alpha Corp", other)
    assert path is not None
    assert said in path.summary, path.summary


def test_a_live_pair_ranks_before_a_dead_pair_of_the_same_score(tmp_path: Path) -> None:
    """`kg conflicts --include-lapsed`: the same parties, place and score, one pair through an
    expired registration: the pair in force first (the trial of 12-02, F11)."""
    rights = [
        ("gb-1", "alpha", "ZEPHYRANTO", "GB", 9, None, None),
        ("gb-2", "zeta", "ZEPHYRANTA", "GB", 9, "2020-06-01", None),  # expired
        ("gb-3", "zeta", "ZEPHYRANTA", "GB", 9, None, None),  # in force, the same text
    ]
    path = tmp_path / "tie.trig"
    path.write_text(_trig(rights), encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([path])
    pairs = Analyst(graph).conflicts(include_lapsed=True)
    assert [(p.score, p.lapsed) for p in pairs] == [(pairs[0].score, False), (pairs[0].score, True)]
    assert [p.holdings[1].rsplit("/", 1)[-1] for p in pairs] == ["gb-3", "gb-2"]


def test_a_party_report_gives_each_pair_of_parties_its_paths_once(tmp_path: Path) -> None:
    """With --include-lapsed one pair of parties has several conflicts (a live pair, a dead
    pair, other places): the report's paths were repeated once per conflict (trial of
    12-02, F9)."""
    from kg.report.document import build_report

    rights = [
        ("gb-1", "alpha", "ZEPHYRANTO", "GB", 9, None, None),
        ("gb-2", "zeta", "ZEPHYRANTA", "GB", 9, "2020-06-01", None),
        ("gb-3", "zeta", "ZEPHYRANTA", "GB", 9, None, None),
        ("us-1", "alpha", "ZEPHYRANTO", "US", 9, None, None),
        ("us-2", "zeta", "ZEPHYRANTA", "US", 9, None, "refused"),
    ]
    path = tmp_path / "report.trig"
    path.write_text(_trig(rights), encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([path])
    report = build_report(graph, party="Alpha Corp", include_lapsed=True)
    assert len(report.conflicts) >= 3  # one pair of parties, three conflicts
    summaries = [p.summary for p in report.paths]
    assert summaries and len(summaries) == len(set(summaries)), summaries
    assert any(step.lapsed for p in report.paths for step in p.steps)  # dead rights asked
    live = build_report(graph, party="Alpha Corp")  # not asked: no path through a dead right
    assert live.paths and not any(step.lapsed for p in live.paths for step in p.steps)
    assert all("lapsed" not in p.summary for p in live.paths)


@pytest.mark.parametrize(
    ("joint", "alder", "birch"),
    [
        ("ALDERWICK", "ALDERWICK", "ALDERWICK"),  # all three the same text
        ("ALDERWICK", "ALDERWICK", "ALDERWICO"),  # the co-owned right is Alder's text
        ("ALDERWICO", "ALDERWICK", "ALDERWICO"),  # ... Birch's
        ("ALDERWIKA", "ALDERWICK", "ALDERWICK"),  # the solo rights the same
    ],
)
def test_a_path_never_pairs_a_right_both_parties_hold(
    tmp_path: Path, joint: str, alder: str, birch: str
) -> None:
    """Alder and Birch co-own GB-1 and each holds a similar right alone: the only mark
    conflict is between their own rights, as `kg conflicts` lists it (trial of 12-02)."""
    rights = [
        ("gb-1", "alder", joint, "GB", 9, None, None),
        ("gb-2", "alder", alder, "GB", 9, None, None),
        ("gb-3", "birch", birch, "GB", 9, None, None),
    ]
    trig = _trig(rights).replace(  # GB-1 co-owned: one source names both
        "reg:gb-1 a tm:Registration ; tm:mark mark:"
        + joint.lower()
        + " ;\n    tm:owner party:alder",
        "reg:gb-1 a tm:Registration ; tm:mark mark:"
        + joint.lower()
        + " ;\n    tm:owner party:alder , party:birch",
    )
    assert "party:alder , party:birch" in trig
    trig = trig.replace(  # Birch named in GB-1's graph too
        'party:alder a tm:Company ; schema:name "Alder Corp" .\n  mark:' + joint.lower(),
        'party:alder a tm:Company ; schema:name "Alder Corp" .\n'
        '  party:birch a tm:Company ; schema:name "Birch Corp" .\n  mark:' + joint.lower(),
        1,
    )
    path = tmp_path / "co.trig"
    path.write_text(trig, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([path])
    analyst = Analyst(graph)
    conflicts = analyst.conflicts()
    assert [sorted(h.rsplit("/", 1)[-1] for h in c.holdings) for c in conflicts] == [
        ["gb-2", "gb-3"]
    ]
    marks = [
        p
        for p in analyst.conflict_paths("Alder Corp", "Birch Corp", every=True)
        if p.kind == "mark conflict"
    ]
    assert marks and all("GB-1" not in p.summary for p in marks), [p.summary for p in marks]
    assert "GB-2" in marks[0].summary and "GB-3" in marks[0].summary


def test_two_parties_owning_one_registration_together_are_a_business_tie(tmp_path: Path) -> None:
    """Two co-owners of one registration and nothing else: a business tie, as the docs say
    (the paths said "no path within the length limit"; second trial of 12-02)."""
    trig = (
        _trig([("gb-1", "alder", "ALDERWICK", "GB", 9, None, None)])
        .replace("tm:owner party:alder", "tm:owner party:alder , party:birch")
        .replace(
            'party:alder a tm:Company ; schema:name "Alder Corp" .',
            'party:alder a tm:Company ; schema:name "Alder Corp" .\n'
            '  party:birch a tm:Company ; schema:name "Birch Corp" .',
        )
    )
    path = tmp_path / "tie.trig"
    path.write_text(trig, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([path])
    paths = Analyst(graph).conflict_paths("Alder Corp", "Birch Corp")
    assert [p.kind for p in paths] == ["business tie"]
    assert paths[0].summary == (
        "Alder Corp owns registration No. GB-1 of 'ALDERWICK' (GB, class 9); "
        "Birch Corp owns registration No. GB-1 of 'ALDERWICK' (GB, class 9)."
    )
    assert Analyst(graph).conflicts() == []  # and no conflict
