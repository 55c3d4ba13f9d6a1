"""The highest-risk conflicts only (issue 19): `Analyst.conflicts(top=N)`, `kg conflicts --top
N` and GraphQL's `conflicts(first, after)` keep the first N conflicts of the ranking as they
are found and count the rest, so a register's millions are never held. The answer must be
the first N of the whole answer, whatever N and however the places are batched, also where
a proceeding raises a conflict ranked low by similarity alone, or adds a pair of its own;
and its total must be the whole answer's length."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis import service
from kg.analysis.arguments import ArgumentError
from kg.analysis.conflicts import top_conflicts
from kg.analysis.service import Analyst
from tests.conftest import run_kg
from tests.graphql_support import ThreadedServer, post
from tests.test_conflict_batches import PREFIXES, source_of

# (registration, holder, mark text, jurisdiction, classes, kind of holding)
RIGHTS = [
    ("us-1", "orbix", "ORBIX", "US", (9,), "Registration"),
    ("us-2", "orbixx", "ORBIXX", "US", (9,), "Registration"),
    ("us-3", "orbix-user", "ORBIX", "US", (9,), "Use"),  # registered vs used: 1.0
    ("us-4", "orbics", "ORBICS", "US", (42,), "Registration"),  # related class: lower
    ("gb-1", "kestrel", "KESTREL", "GB", (32,), "Registration"),
    ("gb-2", "kestral", "KESTRAL", "GB", (32,), "Registration"),
    ("gb-3", "kestril", "KESTRIL", "GB", (33,), "Registration"),
    ("jp-1", "sunmoto", "SUNMOTO", "JP", (12,), "Registration"),
    ("jp-2", "sunmotto", "SUNMOTTO", "JP", (7,), "Registration"),  # unrelated? a low pair
    ("jp-3", "sunmotor", "SUNMOTOR", "JP", (12,), "Registration"),
    ("fr-1", "lumen", "LUMEN", "FR", (9,), "Registration"),
    ("fr-2", "lumena", "LUMENA", "FR", (9,), "Registration"),
]
# two oppositions filed in 2024: one between the parties of a low-ranked similarity conflict
# (its 0.95 raises it to the top), one between parties whose marks are not alike (a new pair)
OPPOSITIONS = [
    ("op-1", "kestril", "kestrel", "gb-3", "gb-1", "GB", 33),
    ("op-2", "lumen", "sunmoto", "jp-1", "fr-1", "JP", 12),
]


def _trig() -> str:
    lines = [PREFIXES, "@prefix case: <https://w3id.org/tmkg/id/case/> ."]
    for number, holder, text, place, classes, kind in RIGHTS:
        role = "owner" if kind == "Registration" else "user"
        lines.append(
            f"graph:{number} {{\n"
            f'  party:{holder} a tm:Company ; schema:name "{holder.title()} Ltd" .\n'
            f'  mark:{text.lower()} a tm:Mark ; tm:text "{text}" .\n'
            f"  reg:{number} a tm:{kind} ; tm:mark mark:{text.lower()} ;\n"
            f"    tm:{role} party:{holder} ; tm:jurisdiction cc:{place} ;\n"
            + "".join(f"    tm:niceClass nice:{nice} ;\n" for nice in classes)
            + (
                f'    tm:registrationNumber "{number}" ; tm:filingDate "2019-01-01"^^xsd:date .\n'
                if kind == "Registration"
                else '    tm:startDate "2019-01-01"^^xsd:date .\n'
            )
            + "}\n"
            + source_of(number, f"register record {number}")
        )
    for case, plaintiff, defendant, contested, earlier, place, nice in OPPOSITIONS:
        lines.append(
            f"graph:{case} {{\n"
            f'  case:{case} a tm:Opposition ; tm:caseNumber "{case}" ; tm:jurisdiction cc:{place} ;\n'
            f"    tm:plaintiff party:{plaintiff} ; tm:defendant party:{defendant} ;\n"
            f"    tm:contestedRegistration reg:{contested} ; tm:earlierRight reg:{earlier} ;\n"
            f'    tm:niceClass nice:{nice} ; tm:proceedingFilingDate "2024-03-01"^^xsd:date ;\n'
            "    tm:outcome tm:OutcomePending .\n"
            "}\n" + source_of(case, f"opposition {case}")
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("top")
    (path / "rights.trig").write_text(_trig(), encoding="utf-8")
    run_kg("load", "--store", path / "store", path / "rights.trig", check=True)
    return path / "store"


@pytest.fixture(scope="module")
def graph(store: Path) -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store_path=store, read_only=True))


def _rows(pairs: list) -> list[tuple]:
    return [
        (p.parties[0].id, p.parties[1].id, p.jurisdiction, p.score, p.holdings, p.reasons)
        for p in pairs
    ]


def _names(pair: object) -> frozenset[str]:
    return frozenset(p.name for p in pair.parties)  # type: ignore[attr-defined]


def test_the_fixture_raises_a_low_pair_and_adds_one(graph: KnowledgeGraph) -> None:
    """Guards the comparisons below: a proceeding must move a pair up, and add one."""
    before = Analyst(graph).conflicts(as_of="2023-12-31")  # the oppositions not filed yet
    now = Analyst(graph).conflicts()
    raised = frozenset({"Kestril Ltd", "Kestrel Ltd"})
    ranks_before = [_names(p) for p in before]
    assert raised in ranks_before and ranks_before.index(raised) >= 3
    assert [_names(p) for p in now].index(raised) == 1  # 0.95: below ORBIX registered vs used
    assert frozenset({"Lumen Ltd", "Sunmoto Ltd"}) in {_names(p) for p in now}
    assert frozenset({"Lumen Ltd", "Sunmoto Ltd"}) not in set(ranks_before)
    assert len(now) >= 8


@pytest.mark.parametrize("budget", [1, 1_000_000])
@pytest.mark.parametrize(
    "asked",
    [{}, {"as_of": "2023-12-31"}, {"jurisdiction": "GB"}, {"nice_class": 9}, {"min_score": 0.3}],
    ids=lambda a: ",".join(f"{k}={v}" for k, v in a.items()) or "all",
)
def test_top_n_is_the_first_n_of_the_whole_answer(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, asked: dict, budget: int
) -> None:
    monkeypatch.setattr(service, "CONFLICT_BATCH_MARKS", budget)  # 1: a place a batch
    whole = Analyst(graph).conflicts(**asked)
    assert whole.total == len(whole)
    for top in range(1, len(whole) + 3):
        found = Analyst(graph).conflicts(top=top, **asked)
        assert _rows(found) == _rows(whole)[:top], top
        assert found.total == len(whole), top


@pytest.mark.parametrize("top", [0, -1, True, 2.5, "3"])
def test_a_top_that_is_no_count_of_one_or_more_is_refused(
    graph: KnowledgeGraph, top: object
) -> None:
    with pytest.raises(ArgumentError, match="top must be between 1 and"):
        Analyst(graph).conflicts(top=top)  # type: ignore[arg-type]


def test_top_conflicts_cuts_each_list_as_it_comes() -> None:
    """Memory: the lists are consumed one at a time and never held together."""
    whole = Analyst(KnowledgeGraph.open(Settings(memory=True))).conflicts()
    assert whole == []  # an empty store: nothing, and a total of 0
    assert whole.total == 0
    with pytest.raises(ValueError, match="limit must be 1 or more"):
        top_conflicts([], 0)


def test_cli_top_prints_the_first_n_and_says_how_many_in_all(
    store: Path, graph: KnowledgeGraph
) -> None:
    whole = Analyst(graph).conflicts()
    shown = run_kg("conflicts", "--store", store, "--top", "2", check=True).stdout
    assert f"(2 of {len(whole)} conflicts shown, the highest-risk: --top 2)" in shown
    assert "Kestril Ltd" in shown  # the raised pair second
    as_json = run_kg("conflicts", "--store", store, "--top", "3", "--format", "json", check=True)
    assert [c["score"] for c in json.loads(as_json.stdout)] == [c.score for c in whole[:3]]
    assert f"kg: 3 of {len(whole)} conflicts shown" in as_json.stderr
    assert "warning" not in as_json.stderr  # a note, not a fault
    every = run_kg("conflicts", "--store", store, "--top", "1000", check=True).stdout
    assert f"(all {len(whole)} conflicts shown: --top 1000)" in every
    plain = run_kg("conflicts", "--store", store, check=True).stdout
    assert "conflicts shown" not in plain  # without --top: nothing said
    refused = run_kg("conflicts", "--store", store, "--top", "0")
    assert refused.returncode == 2
    assert "top must be between 1 and" in refused.stderr and "Traceback" not in refused.stderr


def test_graphql_pages_are_cut_from_the_whole_ranking(
    store: Path, graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.api.app import create_app

    whole = Analyst(graph).conflicts()
    searches: list[int | None] = []
    search = Analyst.conflicts

    def counted(self: Analyst, *args: object, **asked: object) -> object:
        searches.append(asked.get("top"))  # type: ignore[arg-type]
        return search(self, *args, **asked)  # type: ignore[arg-type]

    monkeypatch.setattr(Analyst, "conflicts", counted)
    query = """query($first: Int, $after: String) { conflicts(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { score parties { name } } } } }"""
    with ThreadedServer(create_app(graph, Settings(memory=True))) as server:
        url = f"{server.url}/graphql"
        seen: list[tuple[float, frozenset[str]]] = []
        after = None
        while True:
            answer = post(url, query, {"first": 3, "after": after})["data"]["conflicts"]
            assert answer["totalCount"] == len(whole)
            seen += [
                (e["node"]["score"], frozenset(p["name"] for p in e["node"]["parties"]))
                for e in answer["edges"]
            ]
            if not answer["pageInfo"]["hasNextPage"]:
                break
            after = answer["pageInfo"]["endCursor"]
        first_page = post(url, query, {"first": 2})["data"]["conflicts"]  # cached: cut again
    assert seen == [(c.score, _names(c)) for c in whole]
    assert searches == [1_000]  # every page, and the first again, from one search
    assert [e["node"]["score"] for e in first_page["edges"]] == [c.score for c in whole[:2]]


def test_cli_top_names_a_single_conflict_in_the_singular() -> None:
    shown = run_kg("--memory", "conflicts", "--party", "Amazon", "--top", "20", check=True)
    assert shown.stdout.rstrip().endswith("(the one conflict shown: --top 20)"), shown.stdout
