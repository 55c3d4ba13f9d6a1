"""Right-to-left names and bidi controls in the data, on every HTML page tmkg writes: each
value from the data is isolated (``<bdi>``, HTML Living Standard 4.5.23; W3C, "Inline markup
and bidirectional text in HTML") and escaped, so an Arabic party name, a Hebrew mark or a mark
carrying a RIGHT-TO-LEFT OVERRIDE (U+202E) cannot reorder the text around it.

The seed in memory, with Amazon named in Arabic, its mark written in Hebrew and a second mark
whose text opens an override (and holds markup), is reported on as a case, a party and a mark,
as a watch report, as resource pages and as the landing page; every page is read back with
lxml's HTML parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.model import MarkRef, PartyRef, SourceRef
from kg.analysis.watch_model import HitKind, OppositionWindow, Watch, WatchHit
from kg.api.app import create_app
from kg.report.bidi import BIDI_CONTROLS, isolate, isolate_text
from kg.report.document import build_report
from kg.report.watch import render_watch_html, watch_sections
from tests.browser_support import offline_page
from tests.graphql_support import ThreadedServer
from tests.http_support import http_get

ARABIC = "شركة أمازون"
"""Amazon's name, in Arabic."""
HEBREW = "ענן 7"
"""The mark AWS, written in Hebrew (a digit after it: a neutral the text around could take)."""
OVERRIDE = "\u202eSWA <b>1</b>"
"""A hostile mark: a right-to-left override left open, and markup."""
ESCAPED_OVERRIDE = "\u202eSWA &lt;b&gt;1&lt;/b&gt;"

_ID = "https://w3id.org/tmkg/id/"
_NAME = ox.NamedNode("https://schema.org/name")
_TEXT = ox.NamedNode("https://w3id.org/tmkg/ontology#text")
CASE = "aws-cn-2018"
AMAZON = _ID + "party/amazon"
BROWSER = "text/html"
ADDED = f"""
@prefix tm: <https://w3id.org/tmkg/ontology#> .
<{_ID}graph/aws-trademark-article> {{
    <{_ID}mark/override> a tm:Mark ; tm:text "{OVERRIDE}" .
    <{_ID}case/{CASE}> tm:concerns <{_ID}mark/override> .
    <{_ID}use/override-cn> a tm:Use ; tm:user <{_ID}party/huanghuanxin> ;
        tm:mark <{_ID}mark/override> ; tm:jurisdiction <{_ID}jurisdiction/CN> ;
        tm:niceClass <{_ID}nice/42> .
}}
"""
"""A mark opening an override, which the seed case concerns and Amazon's partner uses."""


@pytest.fixture(scope="module")
def graph() -> Iterator[KnowledgeGraph]:
    """The seed with Amazon named in Arabic, its mark written in Hebrew, and `ADDED`: written
    to the store directly (as tests/injection_support.py does), no SHACL applied."""
    opened = KnowledgeGraph.open(Settings(memory=True))
    opened.load_seed()
    store = opened.store
    old = [q for q in store.quads(predicate=_NAME) if q.object.value == "Amazon.com Inc."]
    old += list(store.quads(subject=ox.NamedNode(_ID + "mark/aws"), predicate=_TEXT))
    written = {_NAME: ARABIC, _TEXT: HEBREW}
    new = [
        ox.Quad(q.subject, q.predicate, ox.Literal(written[q.predicate]), q.graph_name) for q in old
    ]
    store.remove(old)
    store.add([*new, *ox.parse(ADDED, format=ox.RdfFormat.TRIG)])
    opened.changed()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def reports(graph: KnowledgeGraph) -> dict[str, str]:
    """The HTML of a case, a party and a mark report, the case's with a "Watches" section."""
    case = build_report(graph, case=CASE)
    watch, hits = _watch_and_hits()
    case.add_watches(watch_sections([watch], hits))
    return {
        "case": case.to_html(),
        "party": build_report(graph, party=AMAZON).to_html(),
        "mark": build_report(graph, mark=HEBREW, jurisdiction="CN", nice_class=42).to_html(),
    }


def _watch_and_hits() -> tuple[Watch, list[WatchHit]]:
    watch = Watch(
        id="w1", iri=_ID + "watch/w1", text=HEBREW, registration=None, classes=(42,),
        related_classes=True, jurisdictions=("CN",), min_score=0.8, owner=ARABIC,
        created="2026-11-01T00:00:00Z",
    )  # fmt: skip
    source = SourceRef(graph=_ID + "graph/register", title=f"Register of {ARABIC}")
    window = OppositionWindow("2026-11-10", "2026-12-10", True, "30 days", None, False)
    hits = [
        WatchHit(
            id=f"h{n}",
            iri=_ID + f"hit/h{n}",
            watch="w1",
            kind=HitKind.NEW_FILING,
            registration=_ID + f"registration/r{n}",
            mark=MarkRef(_ID + f"mark/m{n}", text),
            holder=PartyRef(_ID + "party/p", ARABIC),
            jurisdiction="CN",
            classes=(42,),
            status=None,
            score=0.9,
            reasons=(f"same letters as {HEBREW}",),
            detected=f"2026-11-1{n}T00:00:00Z",
            record_date=None,
            window=window,
            sources=(source,),
        )
        for n, text in enumerate((HEBREW, OVERRIDE), 1)
    ]
    return watch, hits


# ------------------------------------------------------------------ reading a page back


def _parse(page: str) -> lxml.html.HtmlElement:
    assert "SWA <b>" not in page  # the hostile mark's markup stays text
    assert "&lt;bdi" not in page and "&amp;lt;" not in page  # isolated once, escaped once
    return lxml.html.document_fromstring(page)


def _isolated(element: lxml.html.HtmlElement) -> bool:
    return any(e.tag == "bdi" for e in element.iterancestors()) or element.tag == "bdi"


def _texts(root: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """Every text node of the body, with the element it belongs to (a tail belongs to the
    element's parent); the figures' <title>s, text without markup, are left to `_titles`."""
    body = root.find("body")
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        if element.text and element.tag != "title":
            yield element.text, element
        if element.tail and element is not body:
            yield element.tail, element.getparent()


def _titles(root: lxml.html.HtmlElement) -> list[str]:
    """The page's <title> and its figures' (inline SVG) <title>s: text where HTML has no
    markup."""
    return [t.text_content() for t in root.iter("title")]


def _text_isolated(text: str) -> bool:
    """Whether every bidi control of `text` lies between U+2068 and its U+2069."""
    outside = text
    while True:
        shorter = re.sub("\u2068[^\u2068\u2069]*\u2069", "", outside)
        if shorter == outside:
            return not BIDI_CONTROLS & set(outside)
        outside = shorter


def assert_isolated(
    page: str, values: tuple[str, ...], *, alone: bool = True
) -> lxml.html.HtmlElement:
    """Each of `values` shown is inside a <bdi> (with `alone`, some <bdi> holds it and nothing
    else), and no bidi control of the data is outside an isolate: in the body outside a
    <bdi>, in a <title> outside U+2068 ... U+2069."""
    root = _parse(page)
    isolates = [b.text_content() for b in root.iter("bdi")]
    assert isolates, "no value isolated"
    assert not any(b.getparent().tag == "bdi" for b in root.iter("bdi"))  # none nested
    for value in values:
        found = [owner for text, owner in _texts(root) if value in text]
        assert found, value
        assert all(_isolated(owner) for owner in found), value
        assert not alone or value in isolates, value
    for text, owner in _texts(root):
        if BIDI_CONTROLS & set(text):
            assert _isolated(owner), text
    for title in _titles(root):
        assert _text_isolated(title), title
    return root


# ------------------------------------------------------------------ the helper


def test_isolate_escapes_and_wraps() -> None:
    assert isolate(OVERRIDE) == f"<bdi>{ESCAPED_OVERRIDE}</bdi>"
    assert isolate("") == "" and isolate(None) == ""
    assert isolate(ARABIC, lang="ar") == f'<bdi lang="ar">{ARABIC}</bdi>'
    assert isolate('a" onmouseover="x', lang='ar" x="') == (
        '<bdi lang="ar&#34; x=&#34;">a&#34; onmouseover=&#34;x</bdi>'
    )
    assert isolate_text(HEBREW) == f"\u2068{HEBREW}\u2069"


def test_a_stray_pop_cannot_end_the_isolate_early() -> None:
    # An unmatched PDI is ignored inside an isolate (UAX #9, X6a); dropped, it cannot close
    # the surrounding one where a browser inserts the controls themselves.
    assert isolate("\u2069\u202eX") == "<bdi>\u202eX</bdi>"
    assert isolate("\u2067a\u2069\u2069") == "<bdi>\u2067a\u2069</bdi>"
    assert isolate_text("\u2069\u202eX") == "\u2068\u202eX\u2069"


# ------------------------------------------------------------------ kg report


def test_the_case_report_isolates_every_name_and_mark(reports: dict[str, str]) -> None:
    root = assert_isolated(reports["case"], (ARABIC, HEBREW, OVERRIDE))
    assert ESCAPED_OVERRIDE in reports["case"]
    # The case's marks: each its own isolate; the comma between them outside both.
    term = next(dt for dt in root.iter("dt") if dt.text == "Mark")
    marks = term.getnext()
    shown = marks.findall("bdi")
    assert sorted(b.text_content() for b in shown) == sorted((HEBREW, OVERRIDE))
    assert shown[0].tail == ", " and not (marks.text or "").strip()
    # A defendant named in Arabic: each name its own isolate, the separator outside it.
    defendants = next(dt for dt in root.iter("dt") if dt.text == "Defendant").getnext()
    parties = defendants.findall("span")
    assert [[b.tag for b in span] for span in parties] == [["bdi"]] * len(parties)
    assert ARABIC in [span.text_content() for span in parties]
    assert len(parties) > 1 and parties[0].tail == "; "
    # The report's title and the "Watches" section.
    assert root.find(".//h1/bdi") is not None
    watches = root.get_element_by_id("watches")
    assert {b.text_content() for b in watches.iter("bdi")} >= {HEBREW, OVERRIDE, ARABIC}


def test_the_party_report_isolates_its_name(reports: dict[str, str]) -> None:
    root = assert_isolated(reports["party"], (ARABIC, HEBREW))
    assert root.find(".//h1/bdi").text_content() == ARABIC
    title = root.findtext("head/title")
    assert title == f"\u2068{ARABIC}\u2069 — tmkg report"
    for row in root.get_element_by_id("who-else-uses").iter("tr"):
        cells = row.findall("td")
        if cells:  # the mark cell holds one isolate and nothing else
            assert [b.text_content() for b in cells[1]] == [cells[1].text_content()]


def test_the_mark_report_isolates_the_mark(reports: dict[str, str]) -> None:
    root = assert_isolated(reports["mark"], (HEBREW,))
    assert HEBREW in root.find(".//h1/bdi").text_content()
    meta = root.find(".//header/p[@class='meta']")
    assert HEBREW in [b.text_content() for b in meta.iter("bdi")]  # the parameters line


def test_the_watch_report_isolates_marks_holders_and_owners() -> None:
    watch, hits = _watch_and_hits()
    page = render_watch_html([watch], hits, title=f"Watches of {ARABIC}")
    root = assert_isolated(page, (ARABIC, HEBREW, OVERRIDE))
    assert root.findtext("head/title") == f"\u2068Watches of {ARABIC}\u2069 — tmkg"
    rows = [r for r in root.iter("tr") if r.findall("td")]
    assert len(rows) == 2
    for row in rows:
        mark, holder = row.findall("td")[2:4]
        assert mark[0].tag == "bdi" and mark[0].text_content() in (HEBREW, OVERRIDE)
        assert holder[0].tag == "bdi" and holder[0].text_content() == ARABIC


# ------------------------------------------------------------------ pages served


@pytest.fixture(scope="module")
def server(graph: KnowledgeGraph) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(graph, Settings(memory=True))) as running:
        yield running


def _get(server: ThreadedServer, path: str) -> str:
    answer = http_get(server.url + path, headers={"Accept": BROWSER}, timeout=60)
    assert answer.status_code == 200, path
    assert answer.headers["content-type"].startswith("text/html"), path
    return answer.text


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("/id/party/amazon", (ARABIC,)),
        ("/id/mark/aws", (HEBREW,)),
        ("/id/mark/override", (OVERRIDE,)),
    ],
)
def test_resource_pages_isolate_values(
    server: ThreadedServer, path: str, values: tuple[str, ...]
) -> None:
    root = assert_isolated(_get(server, path), values)
    heading = root.find(".//h1")
    assert [b.text_content() for b in heading] == [heading.text_content()]  # the name alone


def test_a_case_page_isolates_the_labels_of_the_marks_it_names(server: ThreadedServer) -> None:
    # a linked resource is shown by its label ("mark '...'", the text's repr: an override
    # shows as the escape \u202e), isolated as a whole
    root = assert_isolated(_get(server, "/id/case/" + CASE), (HEBREW,), alone=False)
    links = [a for a in root.iter("a") if HEBREW in a.text_content()]
    assert links and all([b.tag for b in a] == ["bdi"] and not a.text for a in links)


def test_the_landing_page_isolates_its_examples(server: ThreadedServer) -> None:
    root = assert_isolated(_get(server, "/"), (HEBREW,))
    question = next(a for a in root.iter("a") if "Who else uses" in a.text_content())
    assert [b.text_content() for b in question] == [repr(HEBREW)]
    assert question.text == "Who else uses a mark like " and question[0].tail.startswith(",")


# ------------------------------------------------------------------ in a browser


def test_an_override_in_a_mark_does_not_reorder_what_follows(reports: dict[str, str]) -> None:
    """In Chromium the case's two marks keep their order, left to right: the Hebrew one's
    digit and the comma stay with it, and the open override ends with its isolate. (Without
    the isolates the override takes the line: the second mark is drawn left of the first.)"""
    with offline_page(lambda url: False) as opened:
        opened.page.set_content(reports["case"])
        boxes = opened.page.evaluate(
            """() => {
              const term = [...document.querySelectorAll('dt')].find(t => t.textContent === 'Mark');
              return [...term.nextElementSibling.querySelectorAll('bdi')]
                .map(b => [b.textContent, b.getBoundingClientRect().left]);
            }"""
        )
    assert len(boxes) == 2
    (_, first), (_, second) = boxes
    assert first < second  # the second value stays right of the first
