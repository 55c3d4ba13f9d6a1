"""Reports on the seed (mark AWS, party Amazon, case aws-cn-2018) and on the second case:
their content (names, dates, amounts, sources), self-containment, Markdown with its figures,
readable figures (no overlapping labels), big neighbourhoods cut to what matters, and the
notebook helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg import KnowledgeGraph, NotFound, Settings
from kg.analysis.arguments import ArgumentError
from kg.analysis.model import MarkUsage, ResultList
from kg.analysis.service import Analyst
from kg.registries.synth import generate
from kg.report.document import Report, ReportParameterError, build_report
from kg.report.figures import label_boxes, network_figure, timeline_figure
from kg.report.network import ConflictNetwork
from kg.report.render import write_report

DATA = Path(__file__).parent / "data"
SEED_SOURCES = (
    "News article on the Beijing High People's Court's AWS trademark ruling (seed article)",
    "Wall Street Journal report on the AWS trademark judgment",
    "The Register report on the AWS trademark judgment",
    "elecfans.com report on the AWS trademark judgment",
)
# No script, style sheet, image or font from elsewhere: an http(s) URL in a src/href of a
# script, link, img or style element, an @import, or a url(http...) in CSS.
EXTERNAL = re.compile(
    r"<(script|link|img|style|iframe|embed|object|source|image|use)\b[^>]*"
    r"\b(src|href|xlink:href|data)\s*=\s*[\"']?\s*(https?:)?//",
    re.IGNORECASE,
)


def assert_self_contained(text: str) -> None:
    assert not EXTERNAL.search(text), EXTERNAL.search(text).group(0)  # type: ignore[union-attr]
    assert "@import" not in text
    assert not re.search(r"url\(\s*[\"']?\s*(https?:)?//", text)
    assert "<script" not in text.lower()


@pytest.fixture(scope="module")
def second() -> Iterator[KnowledgeGraph]:
    """The seed and the second case (NOVALUX, US) in one store."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load([DATA / "second-case.trig"])
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def mark_report(seeded: KnowledgeGraph) -> Report:
    return build_report(seeded, mark="AWS", jurisdiction="CN", nice_class=42)


def test_mark_report_names_dates_amounts_and_sources(mark_report: Report) -> None:
    html = mark_report.to_html()
    assert_self_contained(html)
    for text in (
        "The mark &#39;AWS&#39;",
        "Beijing ActionSoft Science &amp; Technology Development Co., Ltd.",
        "Amazon.com Inc.",
        "Beijing Sinnet Technology Co., Ltd.",
        "Ningxia Western Cloud Data Technology Co., Ltd.",
        "Rule: first-to-file",
        "Trademark Law of the PRC (2019), Art. 31",  # its basis
        "2004-09",  # ActionSoft's filing: priority
        "2018-07-12",
        "2020-05",
        "CNY 300,000,000",  # claimed
        "CNY 76,460,000",  # awarded, as the article says
        "CNY 76,463,000",  # and as elecfans.com says
        "USD 11,000,000",
        "(2018)京民初127号",
    ):
        assert text in html, text
    for source in SEED_SOURCES:
        assert source.replace("'", "&#39;") in html, source
    # Every citation points into the sources list, and every listed source is cited.
    cited = {int(n) for n in re.findall(r'href="#source-(\d+)"', html)}
    listed = {int(n) for n in re.findall(r'<li id="source-(\d+)"', html)}
    assert cited == listed == set(range(1, len(mark_report.sources) + 1))
    # Figures are inline SVG, with their text as paths (no font needed).
    assert html.count("<svg") == 2
    assert "Priority to &#39;AWS&#39; in class 42 in CN goes to Beijing ActionSoft" in html


def test_mark_report_sections(mark_report: Report) -> None:
    assert [f.holder.name for f in mark_report.priority if f.holder] == [
        "Beijing ActionSoft Science & Technology Development Co., Ltd."
    ]
    assert {u.party.name for u in mark_report.usages} >= {
        "Amazon.com Inc.",
        "Beijing ActionSoft Science & Technology Development Co., Ltd.",
    }
    assert mark_report.paths and all(p.steps for p in mark_report.paths)
    assert [c.title for c in mark_report.cases] == ["(2018)京民初127号"]
    kinds = {c.kind for c in mark_report.contradictions}
    assert "payer is also payee" in kinds
    assert any(e.date == "2018-07-09" for e in mark_report.timeline)


def test_party_report(seeded: KnowledgeGraph) -> None:
    report = build_report(seeded, party="Amazon")
    text = report.to_markdown()
    assert text.startswith("# Amazon.com Inc.\n")
    assert "Amazon.com Inc." not in {u.party.name for u in report.usages}  # others only
    for expected in (
        "Beijing ActionSoft Science & Technology Development Co., Ltd.",
        "operator for Amazon.com Inc.",
        "2019",  # Amazon leaves Chinese e-commerce
        "market exit",
        "CNY 76,460,000",
        "The Register report on the AWS trademark judgment",
    ):
        assert expected in text, expected
    assert report.conflicts and report.priority
    assert_self_contained(report.to_html())


def test_case_report(seeded: KnowledgeGraph) -> None:
    report = build_report(seeded, case="aws-cn-2018")
    assert report.title == "Case (2018)京民初127号"
    facts = {(f.label, f.value) for c in report.cases for f in c.facts}
    assert ("claim", "CNY 300,000,000") in facts
    assert ("judgment: costs", "CNY 260,000") in facts
    assert ("judgment: order", "publish a statement") in facts
    dates = [e.date for e in report.timeline]
    assert "2020-12-30" in dates and "2018-07" in dates
    assert dates.index("2018-07") < dates.index("2020-12-30")
    html = report.to_html()
    assert_self_contained(html)
    assert "Beijing High People&#39;s Court" in html


def test_second_case_report(second: KnowledgeGraph) -> None:
    report = build_report(second, case="novalux-v-nova-lux")
    html = report.to_html()
    assert_self_contained(html)
    for text in (
        "Novalux Lighting Inc.",
        "Nova Lux GmbH",
        "Brightway Distribution LLC",
        "first-to-use",
        "2012-05",
        "2021-02-26",  # the two sources disagree on the filing date
        "2021-03-02",
        "Complaint in Novalux Lighting v. Nova Lux (fictional)",
        "Lamp Trade News report (fictional)",
        "U.S. District Court for the Northern District of Illinois",
    ):
        assert text in html, text
    assert [s.title for s in report.sources] == [
        "Complaint in Novalux Lighting v. Nova Lux (fictional)",
        "Lamp Trade News report (fictional)",
    ]
    # Nova Lux GmbH's registration counts from its 2011 filing (Lanham Act §7(c)), before
    # Novalux Lighting's first use in 2012-05.
    assert report.priority[0].holder.name == "Nova Lux GmbH"  # type: ignore[union-attr]
    assert len(report.contradictions) == 1
    # The seed's parties stay out of another case's report.
    assert "ActionSoft" not in html


def test_markdown_report_writes_its_figures_beside(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    report = build_report(seeded, case="aws-cn-2018")
    written = write_report(report, tmp_path / "case.md")
    assert [p.name for p in written] == ["case.md", "case.network.svg", "case.timeline.svg"]
    text = written[0].read_text(encoding="utf-8")
    assert "](case.network.svg)" in text and "](case.timeline.svg)" in text
    assert "| judgment: damages | CNY 76,463,000 |" in text
    for figure in written[1:]:
        svg = figure.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "viewBox" in svg
        assert_self_contained(svg)


def test_report_parameters_and_unknown_names(seeded: KnowledgeGraph) -> None:
    with pytest.raises(ReportParameterError):
        build_report(seeded)
    with pytest.raises(ReportParameterError):
        build_report(seeded, mark="AWS", party="Amazon")
    with pytest.raises(ReportParameterError):
        build_report(seeded, party="Amazon", jurisdiction="CN")
    with pytest.raises(ArgumentError, match="Nice class 46 does not exist"):
        build_report(seeded, mark="AWS", nice_class=46)
    with pytest.raises(NotFound, match="no party named 'Nobody Inc'"):
        build_report(seeded, party="Nobody Inc")
    with pytest.raises(NotFound):
        build_report(seeded, mark="ZZQX")
    with pytest.raises(NotFound):
        build_report(seeded, case="no-such-case")


def test_kg_report_returns_the_same_report(seeded: KnowledgeGraph) -> None:
    assert callable(kg.report)
    markdown = kg.report(seeded, party="Amazon", format="md")
    assert markdown == build_report(seeded, party="Amazon").to_markdown()
    assert kg.report(Analyst(seeded), case="aws-cn-2018").startswith("<!doctype html>")


def _overlaps(boxes: dict[str, tuple[float, float, float, float]]) -> list[tuple[str, str]]:
    found = []
    for (a, box_a), (b, box_b) in combinations(sorted(boxes.items()), 2):
        if min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]) > 0.5 and (
            min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]) > 0.5
        ):
            found.append((a, b))
    return found


@pytest.mark.parametrize(
    "subject",
    [
        {"mark": "AWS", "jurisdiction": "CN", "nice_class": 42},
        {"party": "Amazon"},
        {"case": "aws-cn-2018"},
    ],
)
def test_seed_figures_have_no_overlapping_labels(seeded: KnowledgeGraph, subject: dict) -> None:
    report = build_report(seeded, **subject)
    network = label_boxes(network_figure(report.network))
    assert sum(k.startswith("node:") for k in network) == report.network.shown.number_of_nodes()
    assert sum(k.startswith("edge:") for k in network) == report.network.shown.number_of_edges()
    assert _overlaps(network) == []
    timeline = label_boxes(timeline_figure(report.timeline))
    assert len(timeline) == sum(1 for e in report.timeline if e.date)
    assert _overlaps(timeline) == []


def test_big_neighbourhood_shows_the_most_relevant_part() -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.store.add(generate(1500, seed=5))
    graph.changed()
    analyst = Analyst(graph)
    owner = analyst.find_party("https://w3id.org/tmkg/id/party/synthetic-0")
    report = build_report(analyst, party=owner.id, max_nodes=20)
    network = report.network
    assert network.graph.number_of_nodes() > 60
    assert network.shown.number_of_nodes() == 20
    assert owner.id in network.shown
    assert sum(network.left_out.values()) == network.graph.number_of_nodes() - 20
    note = network.note
    assert note.startswith("Showing 20 of ") and "left out:" in note and "marks" in note
    html = report.to_html()
    assert note in html.replace("&#39;", "'")
    assert _overlaps(label_boxes(network_figure(network))) == []
    # The timeline figure keeps at most 40 entries and says how many it leaves out.
    assert len(report.timeline) > 40
    timeline = label_boxes(timeline_figure(report.timeline))
    assert len(timeline) == 40 and _overlaps(timeline) == []
    assert "more dated entries are left out" in html
    graph.close()


def _drawn_network(names: list[str], edges: list[tuple[int, int]]) -> ConflictNetwork:
    graph = nx.Graph()
    for i, name in enumerate(names):
        kind = ("party", "mark", "case", "court")[i % 4]
        graph.add_node(f"n{i}", label=name, kind=kind, focus=i == 0)
    for a, b in edges:
        graph.add_edge(f"n{a}", f"n{b}", label="registered ×3; uses; opposes")
    return ConflictNetwork(graph, ("n0",), graph)


def test_network_labels_never_overlap_however_crowded() -> None:
    # The edge labels of 16 nodes all joined cannot all sit on their edges; 50 wide boxes
    # round one node cannot be pushed apart inside the canvas (they go in rows).
    dense = _drawn_network(
        [f"Party {i} Holdings" for i in range(16)], list(combinations(range(16), 2))
    )
    star = _drawn_network([f"{'W' * 20} W{i}" for i in range(50)], [(0, i) for i in range(1, 50)])
    for network in (dense, star):
        for seed in (1, 7):
            boxes = label_boxes(network_figure(network, seed=seed))
            shown = network.shown
            assert len(boxes) == shown.number_of_nodes() + shown.number_of_edges()
            assert _overlaps(boxes) == []


def test_network_figure_does_not_depend_on_set_order(seeded: KnowledgeGraph) -> None:
    # The shown graph's node order came from sets (PYTHONHASHSEED): the layout must not.
    network = build_report(seeded, party="Amazon").network
    backwards = nx.Graph()
    backwards.add_nodes_from(reversed(list(network.shown.nodes(data=True))))
    backwards.add_edges_from(
        (b, a, d) for a, b, d in reversed(list(network.shown.edges(data=True)))
    )
    other = ConflictNetwork(network.graph, network.focus, backwards)
    assert label_boxes(network_figure(other)) == label_boxes(network_figure(network))


def test_results_render_in_notebooks(seeded: KnowledgeGraph) -> None:
    analyst = Analyst(seeded)
    usages = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN")
    assert isinstance(usages, ResultList) and isinstance(usages[0], MarkUsage)
    frame = usages.to_dataframe()
    assert list(frame["party"]).count("Amazon.com Inc.") == 1
    assert {"party", "mark", "similarity", "sources"} <= set(frame.columns)
    assert "<table" in usages._repr_html_() and "Amazon.com Inc." in usages._repr_html_()
    finding = analyst.priority("AWS", 42, "CN")
    html = finding._repr_html_()
    assert "Beijing ActionSoft" in html and "competing_claims" in html
    assert finding.to_dataframe().loc[0, "holder"].startswith("Beijing ActionSoft")
    timeline = analyst.timeline(case="aws-cn-2018")
    assert timeline.to_dataframe()["date"].iloc[0] == "2018-07"
    report = build_report(analyst, case="aws-cn-2018")
    fragment = report._repr_html_()
    assert fragment.startswith('<main class="tmkg-report">') and "<svg" in fragment
    assert report.network_figure().get_axes() and report.timeline_figure().get_axes()


@pytest.mark.slow
def test_pdf_report(seeded: KnowledgeGraph, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    report = build_report(seeded, case="aws-cn-2018")
    (path,) = write_report(report, tmp_path / "case.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000


def test_a_party_with_no_marks_cases_or_events_gets_a_report(tmp_path: Path) -> None:
    """Its network has the party alone (it had no kind, so no name: a KeyError)."""
    lonely = tmp_path / "lonely.ttl"
    lonely.write_text(
        "@prefix schema: <https://schema.org/> .\n@prefix tm: <https://w3id.org/tmkg/ontology#> .\n"
        '<https://w3id.org/tmkg/id/party/lonely> a tm:Company ; schema:name "Lonely Co"@en .\n'
        '<https://w3id.org/tmkg/id/party/alone> a tm:Person ; schema:name "阿里巴巴集团"@zh .\n',
        encoding="utf-8",
    )
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([lonely])
    for name in ("Lonely", "阿里巴巴集团"):
        report = build_report(graph, party=name)
        assert name.split()[0] in render_html(report)
    graph.close()


def render_html(report: Report) -> str:
    from kg.report.render import render

    return render(report, "html")


@pytest.fixture(scope="module")
def register() -> Iterator[Analyst]:
    """A synthetic register of 1,500 marks (near-duplicates of other owners, a few cases)."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.store.add(generate(1500, seed=5))
    graph.changed()
    yield Analyst(graph)
    graph.close()


def test_a_mark_reports_the_conflicts_over_it(register: Analyst) -> None:
    """A mark report lists the conflicts over the mark and the marks like it (in its place and
    class): for each pair of parties, their riskiest pair of rights one of which is of those
    marks (`Analyst.conflicts(marks=...)`, which reads only those marks' neighbourhood)."""
    everything = register.conflicts()
    asked = []
    for conflict in everything[:60:6]:  # marks of conflicts of several places and scores
        mark = next(m for m in conflict.marks if m)
        asked.append((mark.text, None, None))
        asked.append((mark.text, conflict.jurisdiction, None))
    asked.append((asked[0][0], None, 25))
    compared = 0
    for text, code, nice_class in asked:
        report = build_report(register, mark=text, jurisdiction=code, nice_class=nice_class)
        similar = {u.mark.id for u in report.usages} | set(register.find_mark(text))
        over = register.conflicts(jurisdiction=code, nice_class=nice_class, marks=similar)
        assert [c.to_dict() for c in report.conflicts] == [c.to_dict() for c in over[:5]]
        assert all({m.id for m in c.marks if m} & similar for c in over)
        compared += bool(over)
    assert compared >= 10  # most questions have conflicts to compare


def _cluster_of_the_whole_list(analyst: Analyst, party: str) -> list[str]:
    graph = nx.Graph()
    start = analyst.find_party(party).id
    graph.add_node(start)
    for pair in analyst.conflicts():
        graph.add_edges_from(
            (left.id, right.id)
            for left in pair.holders[0]
            for right in pair.holders[1]
            if left.id != right.id
        )
    return sorted(nx.node_connected_component(graph, start))


@pytest.mark.parametrize("limit", [0.05, 0.5, 0.0])
def test_a_conflict_cluster_searched_outwards_is_the_whole_lists(
    register: Analyst, monkeypatch: pytest.MonkeyPatch, limit: float
) -> None:
    """`conflict_cluster` searches the conflicts of the parties reached so far, party by
    party (or, past `CLUSTER_SEARCH_PARTIES`, the register's once): the cluster the whole
    list's conflicts make, for parties of clusters small and big."""
    from kg.analysis import service

    monkeypatch.setattr(service, "CLUSTER_SEARCH_SHARE", limit)
    parties = sorted({p.id for c in register.conflicts()[::40] for p in c.parties})[:8]
    parties.append("https://w3id.org/tmkg/id/party/synthetic-0")  # the register's biggest
    sizes = set()
    for party in parties:
        expected = _cluster_of_the_whole_list(register, party)
        assert sorted(p.id for p in register.conflict_cluster(party)) == expected
        sizes.add(len(expected))
    assert len(sizes) >= 3  # clusters of several sizes


@pytest.mark.parametrize("as_of", ["2005", "2005-06", "2006-01-01"])
def test_a_mark_report_finds_priority_where_an_application_is_filed(
    seeded: KnowledgeGraph, as_of: str
) -> None:
    """On a date when a right is only an application (ActionSoft's class 42 application,
    filed 2004-09, granted 2008), a mark's report still gives that class's priority finding,
    as `kg priority` does (found by a trial: the report gave class 9 only)."""
    analyst = Analyst(seeded)
    report = build_report(analyst, mark="AWS", as_of=as_of)
    found = {(f.jurisdiction, f.nice_class): f.to_dict() for f in report.priority}
    assert found[("CN", 42)] == analyst.priority("AWS", 42, "CN", as_of=as_of).to_dict()
