"""Conflict paths that explain the conflict (issue 16, item 3): the route through the marks
first, each path with its kind, every step citing exactly the sources that state it (checked
by SPARQL, tests/provenance_support.py), labels without internal identifiers; the same steps
and sources from the Python API, the CLI and GraphQL over HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.model import Cited, ConflictPath
from kg.analysis.neighbourhood import Stated, neighbourhood
from kg.analysis.path_labels import PathLabels, path_labels
from kg.analysis.paths import KINDS, build_graph, shortest_paths
from kg.analysis.service import Analyst
from tests.conftest import DATA, run_kg
from tests.graphql_support import GraphQLServer, post
from tests.provenance_support import check_answer

ID = "https://w3id.org/tmkg/id/"
GRAPH = ID + "graph/"
CUR = GRAPH + "curation/"
TM = "https://w3id.org/tmkg/ontology#"
FIXTURES = [
    DATA / name for name in ("conflicting-sources.trig", "second-case.trig", "oppositions.trig")
]
# pairs of parties whose marks conflict: one case per fixture, same and similar marks
PAIRS = [
    ("Amazon", "ActionSoft"),
    ("Lumora Lighting", "Rival Lamps"),
    ("Zephyr Fans", "Zephir Air"),
    ("Novalux Lighting", "Nova Lux GmbH"),
    ("Brightway", "Novalux Lighting"),
    ("Lamp Mall", "Lumora Lighting"),
    ("Kestrel Beverages", "Ana Example"),
]
# an internal identifier: an IRI, or a slug such as aws-cn-2018-judgment or lumora-v-rival
# (a date, 2023-03-23, has no letter: a step may say when a right lapsed)
IDENTIFIER = re.compile(
    r"https?://|\b(?=[a-z0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+){2,}\b|aws-cn-2018-\w+"
)


@pytest.fixture(scope="module")
def analyst() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load(FIXTURES)
    yield Analyst(graph)
    graph.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paths") / "store"
    run_kg("load", "--seed", "--store", path, check=True)
    run_kg("load", *FIXTURES, "--store", path, check=True)
    return path


@pytest.fixture(scope="module")
def graphql(store: Path) -> Iterator[str]:
    with GraphQLServer("--store", store) as running:
        yield running.graphql


_NAMES = {"https://schema.org/name", "https://schema.org/alternateName"}


def _linked(step: Any) -> list[Cited]:
    """The statements of a step's link, not of the names it gives its parties."""
    return [s for s in step.statements if s.facts[0][0] not in _NAMES]


def _link_graphs(step: Any) -> set[str]:
    return {g for s in _linked(step) for g in (*s.sources, *s.identities)}


def _named(step: Any) -> set[str]:
    """The parties whose names the step cites."""
    return {s.subject for s in step.statements if s.facts[0][0] in _NAMES}


def _step(paths: list[ConflictPath], text: str) -> Any:
    """The first step whose sentence contains `text`."""
    found = [s for p in paths for s in p.steps if text in s.explanation]
    assert found, f"no step says {text!r}"
    return found[0]


# ------------------------------------------------------------------ the route through the marks


def test_the_first_seed_path_is_the_mark_conflict_through_aws(analyst: Analyst) -> None:
    path = analyst.conflict_path("Amazon", "ActionSoft")
    assert path is not None and path.kind == "mark conflict"
    uses, owns = path.steps
    assert (uses.source, uses.predicate, uses.target) == (
        ID + "party/amazon",
        TM + "user",
        ID + "mark/aws",
    )
    assert uses.via == ID + "use/amazon-aws-cn"
    assert uses.explanation == "Amazon.com Inc. uses 'AWS' in CN (class 42)"
    assert (owns.predicate, owns.target, owns.via) == (
        TM + "owner",
        ID + "party/beijing-actionsoft",
        ID + "registration/cn-4249189",
    )
    assert owns.explanation.endswith("owns registration No. 4249189 of 'AWS' (CN, class 42)")
    assert owns.via_label == "registration No. 4249189 of 'AWS' (CN, class 42)"
    assert (uses.similarity, owns.similarity) == (None, None)  # one mark: nothing to compare


@pytest.mark.parametrize(("origin", "destination"), PAIRS)
@pytest.mark.parametrize("every", [False, True])
def test_mark_conflicts_come_first_then_proceedings_then_business_ties(
    analyst: Analyst, origin: str, destination: str, every: bool
) -> None:
    paths = analyst.conflict_paths(origin, destination, 6, every=every)
    assert paths and paths[0].kind == "mark conflict"
    order = [KINDS.index(p.kind) for p in paths]
    assert order == sorted(order)
    for path in paths:
        assert path.steps[0].source == path.origin.id
        assert path.steps[-1].target == path.destination.id
        assert all(a.target == b.source for a, b in zip(path.steps, path.steps[1:], strict=False))
        if path.kind == "mark conflict":
            marks = [s for s in path.steps if s.predicate == TM + "similarMark"]
            assert len(path.steps) == 2 + len(marks) and len(marks) <= 1
            assert all(s.via for s in path.steps if s not in marks)


def test_two_similar_marks_give_the_score_and_reasons(analyst: Analyst) -> None:
    paths = analyst.conflict_paths("Lumora Lighting", "Rival Lamps")
    first = paths[0]
    assert first.kind == "mark conflict" and first.length == 3
    owns, similar, uses = first.steps
    assert owns.explanation == (
        "Lumora Lighting Co., Ltd. owns registration No. 5012345 of 'LUMORA' (CN, class 11)"
    )
    assert (similar.source, similar.target) == (ID + "mark/lumora", ID + "mark/lumorra")
    assert similar.similarity == pytest.approx(0.91, abs=0.02)
    assert "phonetic" in similar.reasons
    assert similar.explanation.startswith("The mark 'LUMORA' is similar to the mark 'LUMORRA'")
    assert uses.explanation == "Rival Lamps Co. uses 'LUMORRA' in CN (class 11)"
    # ... and through the case, after the mark conflicts
    case = [p for p in paths if p.kind == "proceeding"]
    assert case and case[0].steps[0].explanation == (
        "Lumora Lighting Co., Ltd. is a plaintiff in case (2018)粤73民初1号"
    )
    assert (
        case[0].steps[1].explanation == "Rival Lamps Co. is a defendant in case (2018)粤73民初1号"
    )
    zephyr = analyst.conflict_path("Zephyr Fans", "Zephir Air")
    assert zephyr is not None and zephyr.steps[1].reasons and zephyr.steps[1].similarity


def test_a_mark_conflict_needs_its_steps_within_the_length(analyst: Analyst) -> None:
    short = analyst.conflict_paths("Lumora Lighting", "Rival Lamps", 2)
    assert short and {p.kind for p in short} == {"proceeding"}  # LUMORA ~ LUMORRA is 3 steps
    same_mark = analyst.conflict_paths("Amazon", "ActionSoft", 2)
    assert same_mark[0].kind == "mark conflict" and same_mark[0].length == 2


def test_a_partner_operating_the_brand_is_a_business_tie_not_a_conflict(analyst: Analyst) -> None:
    for partner in ("Sinnet", "NWCD"):
        paths = analyst.conflict_paths(partner, "Amazon", 2)
        assert [p.kind for p in paths] == ["business tie"], partner
        (step,) = paths[0].steps
        assert step.predicate == TM + "onBehalfOf" and step.via
        assert re.fullmatch(
            r".+ operates the use of 'AWS' in CN \((Beijing|Ningxia) region, class 42\) "
            r"on behalf of Amazon\.com Inc\.",
            step.explanation,
        )
    # the Ningxia use per source: the blog names NWCD as its operator, the article Sinnet
    # (as "Huanghuanxin.com", linked by the curators' identities)
    every = analyst.conflict_paths("Amazon", "ActionSoft", 2, every=True)
    nwcd = _step(every, "Ningxia region, class 42) used on its behalf by Ningxia Western")
    sinnet = _step(every, "Ningxia region, class 42) used on its behalf by Beijing Sinnet")
    assert _link_graphs(nwcd) == {CUR + "aws-enterprise-strategy-blog"}
    assert _link_graphs(sinnet) == {GRAPH + "aws-trademark-article", CUR + "identities"}
    # and the names the sentences give: Amazon's and the operator's, from their own sources
    amazon, nwcd_id = (analyst.find_party(n).id for n in ("Amazon", "NWCD"))
    assert _named(nwcd) == {amazon, nwcd_id}
    blog = CUR + "aws-enterprise-strategy-blog"
    [said] = [s for s in nwcd.statements if s.subject == nwcd_id]
    assert said.sources == (blog,)  # only the blog names NWCD


# ------------------------------------------------------------------ every step cited


@pytest.mark.parametrize(("origin", "destination"), PAIRS)
def test_every_step_cites_exactly_the_graphs_that_state_it(
    analyst: Analyst, origin: str, destination: str
) -> None:
    paths = analyst.conflict_paths(origin, destination, 6, every=True)
    for path in paths:
        for step in path.steps:
            assert step.sources and step.statements, step.explanation
            cited = {g for s in step.statements for g in (*s.sources, *s.identities)}
            assert {s.graph for s in step.sources} == cited
            assert all(s.title for s in step.sources)  # described, not bare graph IRIs
    # one SPARQL ASK per cited graph, and no graph that states a step left out
    assert check_answer(analyst.graph, analyst.facts, paths) == []


def test_a_step_read_through_an_identity_cites_the_identity(analyst: Analyst) -> None:
    paths = analyst.conflict_paths("Lumora Lighting", "Rival Lamps")
    plaintiff = _step(paths, "Lumora Lighting Co., Ltd. is a plaintiff in case")
    (statement,) = _linked(plaintiff)
    assert statement.facts == ((TM + "plaintiff", ID + "party/lumora-co"),)
    # the news report names the plaintiff "Lumora Company", the curators' notes link the two
    assert statement.sources == (GRAPH + "lumora-extract", GRAPH + "lumora-news")
    assert statement.identities == (GRAPH + "lumora-notes",)
    rival = _step(paths, "Rival Lamps Co. uses 'LUMORRA' in CN (class 11)")
    assert _link_graphs(rival) == {GRAPH + "lumora-news"}
    # a similarity is tmkg's: it cites the graphs stating the two texts compared
    similar = _step(paths, "is similar to")
    assert {(s.subject, s.facts[0][1]) for s in similar.statements} == {
        (ID + "mark/lumora", "LUMORA"),
        (ID + "mark/lumorra", "LUMORRA"),
    }


def test_the_neighbourhood_keeps_the_graphs_of_each_edge(analyst: Analyst) -> None:
    facts = analyst.facts
    party = analyst.find_party("Lumora Lighting").id
    found = neighbourhood(facts, [party], 1)
    edge = (ID + "case/lumora-v-rival", TM + "plaintiff", party)
    assert found.stated[edge] == {
        Stated(ID + "case/lumora-v-rival", ID + "party/lumora-co", GRAPH + "lumora-extract"),
        Stated(ID + "case/lumora-v-rival", ID + "party/lumora-company", GRAPH + "lumora-news"),
    }
    assert edge in found.edges


def test_a_party_with_more_links_than_the_cut_keeps_its_mark_conflicts(analyst: Analyst) -> None:
    facts = analyst.facts
    amazon, actionsoft = (analyst.find_party(p) for p in ("Amazon", "ActionSoft"))
    starts = [amazon.id, actionsoft.id]
    cut = neighbourhood(facts, starts, 1, max_neighbours=2)
    assert cut.truncated and (ID + "use/amazon-aws-cn", TM + "user", amazon.id) not in cut.stated
    kept = neighbourhood(facts, starts, 1, max_neighbours=2, through_holdings=True)
    assert (ID + "use/amazon-aws-cn", TM + "user", amazon.id) in kept.stated
    assert (ID + "use/amazon-aws-cn", TM + "mark", ID + "mark/aws") in kept.stated
    graph = build_graph(kept, facts.identities, set(facts.marks))

    def describe(nodes: set[str], holdings: set[str]) -> PathLabels:
        return path_labels(facts, nodes, holdings)

    paths = shortest_paths(graph, describe, amazon, actionsoft, 2)
    assert paths[0].kind == "mark conflict"
    assert paths[0].steps[0].explanation == "Amazon.com Inc. uses 'AWS' in CN (class 42)"


# ------------------------------------------------------------------ labels


@pytest.mark.parametrize(("origin", "destination"), PAIRS)
def test_no_label_shows_an_internal_identifier(
    analyst: Analyst, origin: str, destination: str
) -> None:
    paths = analyst.conflict_paths(origin, destination, 6, every=True)
    for path in paths:
        for step in path.steps:
            for text in (step.source_label, step.target_label, step.explanation, step.via_label):
                assert text is None or not IDENTIFIER.search(text), text
                assert text is None or "under use of" not in text
                assert text is None or "no stated jurisdiction" not in text
            assert step.source_label and step.target_label
            assert "  " not in step.explanation and not step.explanation.endswith(" by")
            assert step.via_label != "a registration or use"  # the fallback: facts unread
        assert not IDENTIFIER.search(path.summary)


def test_events_and_cases_are_named_by_their_case(analyst: Analyst) -> None:
    paths = analyst.conflict_paths("Amazon", "ActionSoft", 3, every=True)
    case = "case (2018)京民初127号"
    _step(paths, f"Amazon.com Inc. is ordered to pay by the judgment in {case}")
    _step(paths, f"Amazon.com Inc. takes part in the filing of {case}")
    _step(paths, f"Amazon.com Inc. takes part in the appeal in {case}")
    _step(paths, "Amazon.com Inc. makes the first use claim to 'AWS' in CN")
    # an opposition is brought by the opponent against the applicant
    opposed = analyst.conflict_paths("Kestrel Beverages", "Ana Example")
    assert [p.kind for p in opposed] == ["mark conflict", "proceeding"]
    assert [s.explanation for s in opposed[1].steps] == [
        "Kestrel Beverages Limited brought opposition No. 1300002",
        "Opposition No. 1300002 is brought against Ana Example",
    ]
    # a case no source numbers is named by its parties
    unnumbered = analyst.conflict_paths("Novalux Lighting", "Nova Lux GmbH")
    _step(
        unnumbered,
        "Novalux Lighting Inc. is a plaintiff in case Novalux Lighting Inc. v. Brightway "
        "Distribution LLC and Nova Lux GmbH",
    )


# ------------------------------------------------------------------ one answer everywhere

_STEPS = """kind length summary steps { from { id label } to { id label } predicate explanation
    via { id label } similarity reasons sources { graph title } STATEMENTS }"""
_STATEMENTS = (
    "statements { subject facts { property value } sources { graph } identities { graph } }"
)
# every path with every step's statements is over the server's default cost limit: the list of
# paths is asked with each step's sources, the first path with its statements too
PATHS = f"""query($from: String!, $to: String!, $max: Int) {{
  conflictPaths(from: $from, to: $to, maxLength: $max) {{ {_STEPS.replace("STATEMENTS", "")} }} }}"""
PATH = f"""query($from: String!, $to: String!, $max: Int) {{
  conflictPath(from: $from, to: $to, maxLength: $max) {{
    {_STEPS.replace("STATEMENTS", _STATEMENTS)} }} }}"""


def _graphql_path(path: dict[str, Any]) -> tuple:
    return (
        path["kind"],
        path["summary"],
        tuple(
            (
                s["from"]["id"],
                s["to"]["id"],
                s["predicate"],
                s["explanation"],
                s["via"]["id"] if s["via"] else None,
                s["similarity"],
                tuple(s["reasons"]),
                tuple(src["graph"] for src in s["sources"]),
                tuple(
                    (
                        st["subject"],
                        tuple((f["property"], f["value"]) for f in st["facts"]),
                        tuple(g["graph"] for g in st["sources"]),
                        tuple(g["graph"] for g in st["identities"]),
                    )
                    for st in s.get("statements", ())
                ),
            )
            for s in path["steps"]
        ),
    )


def _plain_path(path: dict[str, Any]) -> tuple:
    """A path from to_dict() (Python API) or the CLI's JSON, in GraphQL's shape."""
    return _graphql_path(
        {
            "kind": path["kind"],
            "summary": path["summary"],
            "steps": [
                {
                    "from": {"id": s["source"]},
                    "to": {"id": s["target"]},
                    "predicate": s["predicate"],
                    "explanation": s["explanation"],
                    "via": {"id": s["via"]} if s["via"] else None,
                    "similarity": s["similarity"],
                    "reasons": s["reasons"],
                    "sources": s["sources"],
                    "statements": [
                        {
                            "subject": st["subject"],
                            "facts": [{"property": p, "value": v} for p, v in st["facts"]],
                            "sources": [{"graph": g} for g in st["sources"]],
                            "identities": [{"graph": g} for g in st["identities"]],
                        }
                        for st in s["statements"]
                    ],
                }
                for s in path["steps"]
            ],
        }
    )


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Amazon", "ActionSoft"), ("Lumora Lighting", "Rival Lamps"), ("Sinnet", "Amazon")],
)
def test_the_api_the_cli_and_graphql_give_the_same_steps_and_sources(
    analyst: Analyst, store: Path, graphql: str, origin: str, destination: str
) -> None:
    paths = analyst.conflict_paths(origin, destination, 4, every=True)
    api = [_plain_path(p.to_dict()) for p in paths]
    cli = run_kg(
        "path", origin, destination, "--all", "--max-length", "4", "--store", store,
        "--format", "json", check=True,
    )  # fmt: skip
    assert [_plain_path(p) for p in json.loads(cli.stdout)] == api
    variables = {"from": origin, "to": destination, "max": 4}
    answer = post(graphql, PATHS, variables)
    assert "errors" not in answer, answer
    without_statements = [_plain_path(_no_statements(p.to_dict())) for p in paths]
    assert [_graphql_path(p) for p in answer["data"]["conflictPaths"]] == without_statements
    first = post(graphql, PATH, variables)
    assert "errors" not in first, first
    expected = analyst.conflict_path(origin, destination, 4)
    assert expected is not None
    assert _graphql_path(first["data"]["conflictPath"]) == _plain_path(expected.to_dict())


def _no_statements(path: dict[str, Any]) -> dict[str, Any]:
    return path | {"steps": [s | {"statements": []} for s in path["steps"]]}


def test_the_cli_prints_each_paths_kind_and_each_steps_sources(store: Path) -> None:
    out = run_kg("path", "Lumora Lighting", "Rival Lamps", "--store", store, check=True).stdout
    lines = out.splitlines()
    assert (
        lines[0] == "path 1, mark conflict (3 steps): Lumora Lighting Co., Ltd. -> Rival Lamps Co."
    )
    assert lines[1] == (
        "  1. Lumora Lighting Co., Ltd. owns registration No. 5012345 of 'LUMORA' (CN, class 11)"
    )
    assert lines[2].startswith("     sources: Register extract for LUMORA (fictional)")
    assert "The mark 'LUMORA' is similar to the mark 'LUMORRA' (similarity 0.91; phonetic" in out
    assert re.search(r"^path \d+, proceeding \(2 steps\)", out, re.MULTILINE)
    tie = run_kg("path", "NWCD", "Amazon", "--max-length", "2", "--store", store, check=True)
    assert tie.stdout.startswith("path 1, business tie (1 step): ")
    [cited] = [line for line in tie.stdout.splitlines() if line.strip().startswith("sources:")]
    assert "AWS enterprise-strategy blog post" in cited
