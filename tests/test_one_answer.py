"""One answer everywhere (issue 16): the Python API, the CLI (`--format json`), GraphQL over
HTTP on a real `kg serve`, and the report give the same statements with the same sources and
wording, on the seed and on two cases whose sources disagree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.report.document import build_report
from kg.report.markdown import render_markdown
from tests.conftest import DATA, run_kg
from tests.graphql_support import GraphQLServer, post

FIXTURE = DATA / "conflicting-sources.trig"
QUESTIONS = [("AWS", 42, "CN"), ("LUMORA", 11, "CN"), ("ZEPHYR", 11, "US")]
CASES = ["aws-cn-2018", "lumora-v-rival"]

_STATEMENTS = (
    "statements { subject facts { property value } sources { graph } identities { graph } }"
)
WHO = f"""query($mark: String!, $niceClass: Int, $jurisdiction: String) {{
  whoElseUses(mark: $mark, niceClass: $niceClass, jurisdiction: $jurisdiction) {{
    party {{ name }} mark {{ text }} jurisdiction {{ code }} since sources {{ graph }} {_STATEMENTS}
  }} }}"""
PRIORITY = f"""query($mark: String!, $niceClass: Int!, $jurisdiction: String!) {{
  priority(mark: $mark, niceClass: $niceClass, jurisdiction: $jurisdiction) {{
    holder {{ name }} date explanation sources {{ graph }} {_STATEMENTS}
    competingClaims {{ party {{ name }} date description sources {{ graph }} {_STATEMENTS} }}
  }} }}"""
TIMELINE = f"""query($case: ID) {{ timeline(case: $case) {{
    date kind description sources {{ graph }} {_STATEMENTS} }} }}"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("one-answer") / "store"
    run_kg("load", "--seed", "--store", path, check=True)
    run_kg("load", FIXTURE, "--store", path, check=True)
    return path


@pytest.fixture(scope="module")
def analyst() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load([FIXTURE])
    yield Analyst(graph)
    graph.close()


@pytest.fixture(scope="module")
def graphql(store: Path, analyst: Analyst) -> Iterator[str]:
    with GraphQLServer("--store", store) as running:
        yield running.graphql


# ------------------------------------------------------------------ one shape for all


def _statements(items: list[dict[str, Any]]) -> list[tuple]:
    """Statements as comparable tuples, from a to_dict() or from GraphQL."""

    def graph(source: Any) -> str:
        return source["graph"] if isinstance(source, dict) else source

    found = []
    for item in items:
        facts = tuple(
            (f["property"], f["value"]) if isinstance(f, dict) else tuple(f) for f in item["facts"]
        )
        found.append(
            (
                item["subject"],
                facts,
                tuple(graph(s) for s in item["sources"]),
                tuple(graph(s) for s in item["identities"]),
            )
        )
    return found


def _hit(item: dict[str, Any]) -> tuple:
    where = item["jurisdiction"]
    code = where["code"] if isinstance(where, dict) else where
    return (
        item["party"]["name"],
        item["mark"]["text"],
        code,
        item["since"],
        tuple(s["graph"] for s in item["sources"]),
        tuple(_statements(item["statements"])),
    )


def _claim(item: dict[str, Any]) -> tuple:
    return (
        item["party"]["name"],
        item["date"],
        item["description"],
        tuple(s["graph"] for s in item["sources"]),
        tuple(_statements(item["statements"])),
    )


def _finding(item: dict[str, Any]) -> tuple:
    return (
        item["holder"]["name"] if item["holder"] else None,
        item["date"],
        item["explanation"],
        tuple(s["graph"] for s in item["sources"]),
        tuple(_statements(item["statements"])),
        tuple(_claim(c) for c in item.get("competing_claims", item.get("competingClaims", []))),
    )


def _entry(item: dict[str, Any]) -> tuple:
    return (
        item["date"],
        item["kind"],
        item["description"],
        tuple(s["graph"] for s in item["sources"]),
        tuple(_statements(item["statements"])),
    )


def _cli(store: Path, *args: str | Path) -> Any:
    result = run_kg(*args, "--store", store, "--format", "json", check=True)
    return json.loads(result.stdout)


# ------------------------------------------------------------------ the questions


@pytest.mark.parametrize(("mark", "nice_class", "jurisdiction"), QUESTIONS)
def test_who_else_uses_is_one_answer(
    analyst: Analyst, store: Path, graphql: str, mark: str, nice_class: int, jurisdiction: str
) -> None:
    api = [_hit(u.to_dict()) for u in analyst.who_else_uses(mark, nice_class, jurisdiction)]
    assert api and all(hit[-1] for hit in api)  # every hit states something
    cli = [
        _hit(u)
        for u in _cli(
            store, "who-else-uses", mark, "--class", str(nice_class), "--jurisdiction", jurisdiction
        )
    ]
    variables = {"mark": mark, "niceClass": nice_class, "jurisdiction": jurisdiction}
    answer = post(graphql, WHO, variables)
    assert "errors" not in answer, answer
    over_http = [_hit(u) for u in answer["data"]["whoElseUses"]]
    assert cli == api
    assert over_http == api
    report = build_report(analyst, mark=mark, nice_class=nice_class, jurisdiction=jurisdiction)
    assert [_hit(u.to_dict()) for u in report.usages] == api
    text = render_markdown(report)
    for usage in report.usages:
        assert usage.party.name.replace(".", "\\.") in text or usage.party.name in text
        for source in usage.sources:
            assert (source.title or source.graph) in text


@pytest.mark.parametrize(("mark", "nice_class", "jurisdiction"), QUESTIONS)
def test_priority_is_one_answer(
    analyst: Analyst, store: Path, graphql: str, mark: str, nice_class: int, jurisdiction: str
) -> None:
    api = _finding(analyst.priority(mark, nice_class, jurisdiction).to_dict())
    (cli,) = [
        _finding(f)
        for f in _cli(
            store, "priority", mark, "--class", str(nice_class), "--jurisdiction", jurisdiction
        )
    ]
    variables = {"mark": mark, "niceClass": nice_class, "jurisdiction": jurisdiction}
    answer = post(graphql, PRIORITY, variables)
    assert "errors" not in answer, answer
    assert cli == api
    assert _finding(answer["data"]["priority"]) == api
    report = build_report(analyst, mark=mark, nice_class=nice_class, jurisdiction=jurisdiction)
    found = [_finding(f.to_dict()) for f in report.priority if f.nice_class == nice_class]
    assert api in found


@pytest.mark.parametrize("case", CASES)
def test_case_timeline_is_one_answer(
    analyst: Analyst, store: Path, graphql: str, case: str
) -> None:
    api = [_entry(e.to_dict()) for e in analyst.timeline(case=case)]
    assert api
    cli = [_entry(e) for e in _cli(store, "timeline", case)]
    answer = post(graphql, TIMELINE, {"case": case})
    assert "errors" not in answer, answer
    assert cli == api
    assert [_entry(e) for e in answer["data"]["timeline"]] == api
    report = build_report(analyst, case=case)
    text = render_markdown(report)
    for entry in analyst.timeline(case=case):
        if entry.description:
            assert entry.description[:40] in text.replace("\\", "")


CONFLICTS = f"""query($jurisdiction: String) {{
  conflicts(jurisdiction: $jurisdiction, first: 100) {{ edges {{ node {{
    parties {{ name }} marks {{ text }} jurisdiction {{ code }} score reasons
    sources {{ graph }} {_STATEMENTS} }} }} }} }}"""
CASE = f"""query($id: ID!) {{ case(id: $id) {{
    number plaintiffs {{ name }} defendants {{ name }} courts {{ name }} description
    sources {{ graph }} {_STATEMENTS} }} }}"""


def _pair(item: dict[str, Any]) -> tuple:
    where = item["jurisdiction"]
    return (
        tuple(p["name"] for p in item["parties"]),
        tuple(m["text"] if m else None for m in item["marks"]),
        where["code"] if isinstance(where, dict) else where,
        item["score"],
        tuple(item["reasons"]),
        tuple(s["graph"] for s in item["sources"]),
        tuple(_statements(item["statements"])),
    )


def _case(item: dict[str, Any]) -> tuple:
    return (
        item["number"],
        tuple(p["name"] for p in item["plaintiffs"]),
        tuple(p["name"] for p in item["defendants"]),
        tuple(p["name"] for p in item["courts"]),
        item["description"],
        tuple(s["graph"] for s in item["sources"]),
        tuple(_statements(item["statements"])),
    )


@pytest.mark.parametrize("jurisdiction", ["CN", "US"])
def test_conflicts_are_one_answer(
    analyst: Analyst, store: Path, graphql: str, jurisdiction: str
) -> None:
    api = [_pair(p.to_dict()) for p in analyst.conflicts(jurisdiction=jurisdiction)]
    assert api
    cli = [_pair(p) for p in _cli(store, "conflicts", "--jurisdiction", jurisdiction)]
    answer = post(graphql, CONFLICTS, {"jurisdiction": jurisdiction})
    assert "errors" not in answer, answer
    over_http = [_pair(e["node"]) for e in answer["data"]["conflicts"]["edges"]]
    assert cli == api
    assert over_http == api


CONFLICTS_OVER = f"""query($mark: String, $jurisdiction: String, $niceClass: Int) {{
  conflicts(mark: $mark, jurisdiction: $jurisdiction, niceClass: $niceClass, first: 100) {{
    edges {{ node {{ parties {{ name }} marks {{ text }} jurisdiction {{ code }} score reasons
    sources {{ graph }} {_STATEMENTS} }} }} }} }}"""


@pytest.mark.parametrize(("mark", "nice_class", "jurisdiction"), QUESTIONS)
def test_the_conflicts_over_a_mark_are_one_answer(
    analyst: Analyst, store: Path, graphql: str, mark: str, nice_class: int, jurisdiction: str
) -> None:
    """`kg conflicts --mark`, `conflicts(mark:)` over GraphQL, `Analyst.conflicts(mark=)` and
    a mark's report list the same conflicts: over the mark and the marks like it."""
    for asked in (
        {},
        {"jurisdiction": jurisdiction},
        {"jurisdiction": jurisdiction, "nice_class": nice_class},
    ):
        api = [_pair(p.to_dict()) for p in analyst.conflicts(mark=mark, **asked)]
        options = [
            *(("--jurisdiction", asked["jurisdiction"]) if "jurisdiction" in asked else ()),
            *(("--class", str(asked["nice_class"])) if "nice_class" in asked else ()),
        ]
        cli = [_pair(p) for p in _cli(store, "conflicts", "--mark", mark, *options)]
        variables = {
            "mark": mark,
            "jurisdiction": asked.get("jurisdiction"),
            "niceClass": asked.get("nice_class"),
        }
        answer = post(graphql, CONFLICTS_OVER, variables)
        assert "errors" not in answer, answer
        over_http = [_pair(e["node"]) for e in answer["data"]["conflicts"]["edges"]]
        assert cli == api
        assert over_http == api
        report = build_report(analyst, mark=mark, **asked)
        assert [_pair(c.to_dict()) for c in report.conflicts] == api[:5]
    assert api  # the seed's and the fixtures' marks are in conflict where they are held


@pytest.mark.parametrize("case", CASES)
def test_a_case_is_one_answer(analyst: Analyst, store: Path, graphql: str, case: str) -> None:
    api = _case(analyst.case(case).to_dict())
    (cli,) = [_case(c) for c in _cli(store, "case", case)]
    answer = post(graphql, CASE, {"id": case})
    assert "errors" not in answer, answer
    assert cli == api
    assert _case(answer["data"]["case"]) == api


_VALUE = "{ value text sources { graph } identities { graph } }"
JUDGMENTS = f"""query($case: String!) {{ judgments(case: $case) {{
    dates {_VALUE} damages {_VALUE} payers {_VALUE} sources {{ graph }} }} }}"""


def _judgment(item: dict[str, Any]) -> tuple:
    def graphs(sources: list[Any]) -> tuple[str, ...]:
        return tuple(s["graph"] if isinstance(s, dict) else s for s in sources)

    def values(name: str) -> tuple:
        found = []
        for v in item[name]:
            cited = v.get("statement", v)  # the Python API nests them in the statement
            found.append(
                (v["value"], v["text"], graphs(cited["sources"]), graphs(cited["identities"]))
            )
        return tuple(found)

    return (values("dates"), values("damages"), values("payers"), graphs(item["sources"]))


@pytest.mark.parametrize("case", CASES)
def test_judgments_are_one_answer(analyst: Analyst, store: Path, graphql: str, case: str) -> None:
    api = [_judgment(j.to_dict()) for j in analyst.judgments(case)]
    assert api
    cli = [_judgment(j) for j in _cli(store, "judgments", case)]
    answer = post(graphql, JUDGMENTS, {"case": case})
    assert "errors" not in answer, answer
    assert cli == api
    assert [_judgment(j) for j in answer["data"]["judgments"]] == api
    table = run_kg("judgments", case, "--store", store, check=True).stdout
    for judgment in analyst.judgments(case):
        for value in judgment.damages:
            assert value.text in table


CONTRADICTIONS = """{ contradictions { subject { id label } property kind explanation
    sides { value sources { graph } statements { subject facts { property value }
            sources { graph } identities { graph } } } } }"""
PARTY_TIMELINE = f"""query($party: String) {{ timeline(party: $party) {{
    date kind description sources {{ graph }} {_STATEMENTS} }} }}"""
CLAIMS = """query($mark: String) { claims(mark: $mark) {
    id dates { value text sources { graph } identities { graph } }
    descriptions { value text sources { graph } identities { graph } } sources { graph } } }"""


def _contradiction(item: dict[str, Any]) -> tuple:
    subject = item["subject"]
    return (
        subject["id"] if isinstance(subject, dict) else subject,
        subject["label"] if isinstance(subject, dict) else item["subject_label"],
        item["property"],
        item["kind"],
        item["explanation"],
        tuple(
            (
                side["value"],
                tuple(s["graph"] for s in side["sources"]),
                tuple(_statements(side["statements"])),
            )
            for side in item["sides"]
        ),
    )


def _claim_record(item: dict[str, Any]) -> tuple:
    return (item["id"], *_judgment({**item, "damages": [], "payers": item["descriptions"]}))


def test_contradictions_are_one_answer(analyst: Analyst, store: Path, graphql: str) -> None:
    api = [_contradiction(c.to_dict()) for c in analyst.contradictions()]
    assert len(api) >= 5
    cli = [_contradiction(c) for c in _cli(store, "contradictions")]
    answer = post(graphql, CONTRADICTIONS)
    assert "errors" not in answer, answer
    assert cli == api
    assert [_contradiction(c) for c in answer["data"]["contradictions"]] == api


@pytest.mark.parametrize("party", ["Amazon", "Sinnet", "Lumora Lighting"])
def test_party_timeline_is_one_answer(
    analyst: Analyst, store: Path, graphql: str, party: str
) -> None:
    api = [_entry(e.to_dict()) for e in analyst.timeline(party=party)]
    assert api
    cli = [_entry(e) for e in _cli(store, "timeline", party)]
    answer = post(graphql, PARTY_TIMELINE, {"party": party})
    assert "errors" not in answer, answer
    assert cli == api
    assert [_entry(e) for e in answer["data"]["timeline"]] == api


def test_claims_are_one_answer(analyst: Analyst, store: Path, graphql: str) -> None:
    api = [_claim_record(c.to_dict()) for c in analyst.claims(mark="AWS")]
    assert len(api) >= 3
    cli = [_claim_record(c) for c in _cli(store, "claims", "--mark", "AWS")]
    answer = post(graphql, CLAIMS, {"mark": "AWS"})
    assert "errors" not in answer, answer
    assert cli == api
    assert [_claim_record(c) for c in answer["data"]["claims"]] == api
