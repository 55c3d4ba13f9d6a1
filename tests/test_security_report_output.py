"""Reports on data that fights back: math text in marks, party names and case titles is drawn
as plain text (matplotlib read ``MONEY$$`` as math and failed), and HTML or Markdown syntax in
any field shows as text in the Markdown report, rendered by a real CommonMark renderer."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.text import Text

from kg.report.document import build_report
from kg.report.figures import network_figure, svg, timeline_figure
from kg.report.markdown import escape
from kg.report.render import write_report
from tests.hardening_support import record
from tests.injection_support import MARKUP, MATH_TEXT, hostile_graph

CASE = "aws-cn-2018"


def test_math_text_is_drawn_as_plain_text(tmp_path: Path) -> None:
    # every payload in one graph, each literal holding them all (a report draws ~0.3 s of
    # figures: one report per payload made this test 30 s of the suite)
    payload = " ".join(MATH_TEXT.values())
    graph = hostile_graph(payload)
    outcome = False
    try:
        for report in (
            build_report(graph, case=CASE),
            build_report(graph, mark=f"AWS {payload}", jurisdiction="CN", nice_class=42),
        ):
            html = report.to_html()
            for each in MATH_TEXT.values():
                assert each.replace("&", "&amp;").replace("<", "&lt;") in html
            figures = [network_figure(report.network), timeline_figure(report.timeline)]
            for figure in figures:
                texts = [t for t in figure.findobj(Text) if t.get_text()]
                assert texts and not any(t.get_parse_math() for t in texts)
                drawn = " ".join(t.get_text() for t in texts)
                assert any(each in drawn for each in MATH_TEXT.values())
                ET.fromstring(svg(figure, payload))  # well-formed, the title escaped
            written = write_report(report, tmp_path / "r.md")
            assert all(p.exists() for p in written)
        outcome = True
    finally:
        for each in MATH_TEXT.values():
            record("input", surface="report", name=f"math text: {each}", expected=outcome)
        graph.close()


_ALLOWED_TAGS = {
    "h1", "h2", "h3", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "a", "img", "em", "strong", "code", "hr",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _check_rendered(markdown: str) -> None:
    """No tag but the report's own, no script URL, no event handler, tables intact."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(markdown)
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in _ALLOWED_TAGS, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            target = (attrs.get(name) or "").strip().lower()
            assert not target.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
            if tag == "a" and name == "href" and target:
                # Our own links only: the numbered sources, and each section's question on
                # the server (percent-encoded: the data cannot leave the URL's fragment).
                assert re.fullmatch(r"#source-\d+", target) or re.fullmatch(
                    r"http://127\.0\.0\.1:8000/(graphql|sparql)#query=[a-z0-9%+._~=&-]*", target
                ), (tag, attrs)
        if tag == "img":
            assert re.fullmatch(r"r\.(network|timeline)\.svg", attrs.get("src") or ""), attrs
    header_cells = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            header_cells = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        header_cells = header_cells or cells
        assert cells == header_cells, line


_ONE_LINE = {name: text for name, text in MARKUP.items() if text.isprintable()}
_LINES = {name: text for name, text in MARKUP.items() if name not in _ONE_LINE}


@pytest.mark.parametrize("payloads", [_ONE_LINE, _LINES], ids=["one line", "lines"])
def test_markup_in_any_field_shows_as_text_in_markdown(
    payloads: dict[str, str], tmp_path: Path
) -> None:
    # the payloads of a kind in one graph, each literal holding them all (one report per
    # payload made this test 45 s of the suite); the one-line payloads also in a mark argument
    pytest.importorskip("markdown_it")
    assert _ONE_LINE and _LINES
    graph = hostile_graph(" ".join(payloads.values()))
    outcome = False
    try:
        mark_text = graph.query("SELECT ?t WHERE { ?m tm:text ?t } ORDER BY ?t LIMIT 1")
        mark = next(iter(mark_text))["t"].value  # type: ignore[index]
        reports = [
            build_report(graph, case=CASE),
            build_report(graph, party="https://w3id.org/tmkg/id/party/amazon"),
        ]
        if mark.isprintable():  # a mark argument is one line of text (kg.analysis.arguments)
            reports.append(build_report(graph, mark=mark))
        assert len(reports) == (3 if payloads is _ONE_LINE else 2)
        for report in reports:
            write_report(report, tmp_path / "r.md")
            markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
            assert "(secondary " in markdown  # the source kind is there, escaped
            _check_rendered(markdown)
            html = report.to_html()
            assert "<script>" not in html and "<img " not in html
        outcome = True
    finally:
        for each in payloads.values():
            record("input", surface="report", name=f"markup: {each!r}", expected=outcome)
        graph.close()


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b>",
        "a | b",
        "[x](javascript:y)",
        "1. first",
        "- item",
        "+ item",
        "=== rule",
        "`tick`",
        "&amp; &#60;",
        "x\x00y\x1b[31mz",
        "# heading",
        "~~strike~~",
        "*em* _em_",
        "\\*not em",
    ],
)
def test_escape_shows_the_text_itself(text: str) -> None:
    pytest.importorskip("markdown_it")
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(f"{escape(text)}\n")
    expected = " ".join(re.sub(r"[\x00-\x08\x0e-\x1f]", "\ufffd", text).split())
    expected = expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    expected = expected.replace('"', "&quot;")
    assert html == f"<p>{expected}</p>\n"


def test_dollar_signs_are_not_math_in_markdown() -> None:
    from markdown_it import MarkdownIt

    from kg.report.markdown import escape

    for mark in ("MONEY$$", "$x$", "$$\\frac{a}{b}$$", "a $ b $ c"):
        escaped = escape(mark)
        assert "$" not in escaped.replace("\\$", "")  # every $ escaped: no TeX math
        rendered = MarkdownIt().render(escaped)
        assert rendered.count("$") == mark.count("$")  # shown as written
