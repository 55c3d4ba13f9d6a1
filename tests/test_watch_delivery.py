"""Delivering what watches find (issue 20): the Atom feed per watch, GraphQL (queries and the
token-guarded mutations), the HTML watch report with its figure, and the "Watches" section of
`kg report`.

Renderers are checked on result objects built here (every hit kind, hostile text); the server
ones on one in-process server per module, over a store holding the seed, watches and the
hits two successive USPTO daily files recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
from defusedxml import ElementTree
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport

from kg import KnowledgeGraph, Settings
from kg.analysis.model import MarkRef, PartyRef, SourceRef
from kg.analysis.service import Analyst
from kg.analysis.watch_definitions import add_watch
from kg.analysis.watch_hits import record_hits
from kg.analysis.watch_model import HitKind, OppositionWindow, Watch, WatchHit
from kg.api.app import create_app
from kg.api.graphql.playground import example_queries
from kg.api.watch_feed import watch_feed
from kg.registries.importer import import_registry
from kg.report.document import build_report
from kg.report.watch import hit_title, render_watch_html, window_text
from kg.report.watch_figure import hits_per_week
from tests.graphql_support import ThreadedServer, post
from tests.http_support import http_get, http_post

DATA = Path(__file__).parent / "data"
TOKEN = "w4tch-t0ken"
ID = "https://w3id.org/tmkg/id/"
HOSTILE = '<script>alert("x")</script>'


# ------------------------------------------------------------------ result objects


def _watch(watch_id: str, text: str, **changes: object) -> Watch:
    fields: dict[str, object] = {
        "id": watch_id,
        "iri": f"{ID}watch/{watch_id}",
        "text": text,
        "registration": None,
        "classes": (9, 42),
        "related_classes": True,
        "jurisdictions": ("US",),
        "min_score": 0.8,
        "owner": "Example Owner LLC",
        "created": "2026-10-01T09:00:00Z",
    }
    fields.update(changes)
    return Watch(**fields)  # type: ignore[arg-type]


US_RULE = OppositionWindow(
    "2026-11-10", "2026-12-10", True, "30 days from publication, extendable",
    "https://www.uspto.gov/trademarks/trial-and-appeal-board", False,
)  # fmt: skip
SOURCE = SourceRef(graph=f"{ID}graph/uspto-daily-2026-11-10", title="USPTO daily 2026-11-10")


def _hit(n: int, watch: str, kind: HitKind, detected: str, **changes: object) -> WatchHit:
    fields: dict[str, object] = {
        "id": f"{watch}-h{n}",
        "iri": f"{ID}watch-hit/{watch}-h{n}",
        "watch": watch,
        "kind": kind,
        "registration": f"{ID}registration/us-9000000{n}",
        "mark": MarkRef(f"{ID}mark/awz{n}", f"AWZ{n}"),
        "holder": PartyRef(f"{ID}party/p{n}", f"Holder {n} Inc.", country="US"),
        "jurisdiction": "US",
        "classes": (42,),
        "status": "published" if kind is HitKind.STATUS_CHANGE else None,
        "score": 0.9,
        "reasons": ("fuzzy", "same class 42"),
        "detected": detected,
        "record_date": detected[:10],
        "window": US_RULE if kind is HitKind.STATUS_CHANGE else None,
        "sources": (SOURCE,),
    }
    fields.update(changes)
    return WatchHit(**fields)  # type: ignore[arg-type]


WATCH = _watch("awz-1a2b3c", "AWZ")
HITS = [  # newest first, as the service gives them: one of each kind
    _hit(4, WATCH.id, HitKind.OPPOSITION_FILED, "2026-11-24T08:00:00Z"),
    _hit(3, WATCH.id, HitKind.OWN_RIGHT_LAPSED, "2026-11-17T08:00:00Z", jurisdiction=None),
    _hit(2, WATCH.id, HitKind.STATUS_CHANGE, "2026-11-10T08:00:00Z"),
    _hit(1, WATCH.id, HitKind.NEW_FILING, "2026-11-03T08:00:00", registration="urn:x:other"),
]


ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def assert_valid_atom(body: bytes) -> None:
    """The constraints of RFC 4287 a feed reader relies on (feedparser is lenient): one id,
    title and updated (an RFC 3339 date-time) in the feed and in every entry; an author in
    the feed; content or an alternate link in every entry; ids unique."""
    root = ElementTree.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for element in [root, *root.findall(f"{ATOM}entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, (element.tag, name)
        assert RFC3339.fullmatch(element.findtext(f"{ATOM}updated") or "")
        if element is not root:
            alternate = [
                link for link in element.findall(f"{ATOM}link")
                if link.get("rel", "alternate") == "alternate"
            ]  # fmt: skip
            assert element.find(f"{ATOM}content") is not None or alternate
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_hit_titles_and_windows_in_words() -> None:
    assert [hit_title(h) for h in HITS] == [
        "Opposition filed: AWZ4 (US)",
        "Own right lapsed: AWZ3",
        "Status change (published): AWZ2 (US)",
        "New filing: AWZ1 (US)",
    ]
    assert window_text(None) == ""
    unknown = OppositionWindow(None, None, False, "stated by the office", None, True)
    assert window_text(unknown) == "opposable (the publication date is not known) (rule: " \
        "stated by the office)"  # fmt: skip
    assert "to 2026-12-10, extendable" in window_text(US_RULE)


def test_the_feed_is_atom_with_one_entry_per_hit() -> None:
    body = watch_feed(WATCH, HITS, base_url="http://127.0.0.1:8000/", self_url="http://x/f.atom")
    assert_valid_atom(body)
    feed = feedparser.parse(body)
    assert feed.version == "atom10" and not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.id == WATCH.iri
    assert feed.feed.title == "tmkg watch: AWZ"
    assert feed.feed.updated == "2026-11-24T08:00:00+00:00"  # the newest hit
    assert [e.id for e in feed.entries] == [h.iri for h in HITS]
    assert [e.title for e in feed.entries] == [hit_title(h) for h in HITS]
    assert [e.updated_parsed[:6] for e in feed.entries] == [
        (2026, 11, 24, 8, 0, 0), (2026, 11, 17, 8, 0, 0),
        (2026, 11, 10, 8, 0, 0), (2026, 11, 3, 8, 0, 0),  # no zone: UTC
    ]  # fmt: skip
    status = feed.entries[2]
    assert status.link == "http://127.0.0.1:8000/id/registration/us-90000002"
    assert [t.term for t in status.tags] == ["STATUS_CHANGE"]
    content = status.content[0]
    assert content.type == "text/html"
    for words in ("Score 0.90", "fuzzy; same class 42", "Classes: 42.", "Holder 2 Inc. (US)",
                  "from 2026-11-10 to 2026-12-10", "30 days from publication, extendable",
                  "USPTO daily 2026-11-10"):  # fmt: skip
        assert words in content.value, words
    assert not feed.entries[3].get("links")  # a record outside tmkg's IRIs: no page to link
    # The same hits give the same document: ids and dates do not move between requests.
    assert (
        watch_feed(WATCH, HITS, base_url="http://127.0.0.1:8000/", self_url="http://x/f.atom")
        == body
    )


def test_the_feed_of_a_watch_without_hits_and_of_hostile_text() -> None:
    hostile = _watch("evil-000000", HOSTILE + "\x1b[31m", owner=HOSTILE)
    empty = watch_feed(hostile, [], base_url="http://h/")
    assert_valid_atom(empty)
    quiet = feedparser.parse(empty)
    assert not quiet.bozo and quiet.entries == []
    assert quiet.feed.updated == "2026-10-01T09:00:00+00:00"  # the watch's creation
    assert quiet.feed.title == f"tmkg watch: {HOSTILE}\ufffd[31m"  # text, XML-safe
    hit = _hit(9, hostile.id, HitKind.NEW_FILING, "2026-11-03", mark=MarkRef("m", HOSTILE))
    loud = feedparser.parse(watch_feed(hostile, [hit], base_url="http://h/"))
    assert not loud.bozo and loud.entries[0].title == f"New filing: {HOSTILE} (US)"
    content = loud.entries[0].content[0].value
    assert "<script" not in content and "&lt;script&gt;alert(&quot;x&quot;)" in content


def test_the_watch_report_escapes_and_draws_its_figure() -> None:
    hostile = _watch("evil-000000", HOSTILE, owner=f"{HOSTILE} & co")
    hits = [
        *HITS,
        _hit(7, hostile.id, HitKind.NEW_FILING, "2026-11-25T10:00:00Z",
             mark=MarkRef("m", f"<img src=x onerror=alert(1)>{HOSTILE}"),
             holder=PartyRef("p", HOSTILE), reasons=(HOSTILE,)),
    ]  # fmt: skip
    page = render_watch_html([WATCH, hostile], hits, since="2026-11-01", today=dt.date(2026, 12, 1))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert page.count("<svg") == 1 and "Hits per watch per week" in page
    assert page.count('<section id="watch-') == 2
    assert page.count('<tr><td class="date">') == len(hits)
    assert "closes in 9 days" in page  # the US window ends 2026-12-10
    assert 'href="#source-1"' in page and "USPTO daily 2026-11-10" in page
    assert "hits detected since 2026-11-01" in page


def test_hits_per_week_counts_each_watch_by_iso_week() -> None:
    other = _hit(8, "other-000000", HitKind.NEW_FILING, "2026-11-26T23:59:59Z")
    weeks, counts = hits_per_week([*HITS, other])
    assert weeks == [dt.date(2026, 11, 2) + dt.timedelta(weeks=n) for n in range(4)]
    assert counts[(WATCH.id, dt.date(2026, 11, 23))] == 1
    assert counts[("other-000000", dt.date(2026, 11, 23))] == 1
    assert sum(counts.values()) == 5
    many = [_hit(n, "w", HitKind.NEW_FILING, f"2025-{m:02d}-15") for n, m in enumerate((1, 12))]
    weeks, _ = hits_per_week(many)
    assert len(weeks) == 12 and weeks[-1] == dt.date(2025, 12, 15)  # the latest 12 weeks only


# ------------------------------------------------------------------ over HTTP, on imported files

AWS_WATCH = "aws-fd8fc3"  # the id queries/watch.graphql names (kg watch add AWS --for ...)
DAYS = [DATA / "watch-delivery-day1.xml", DATA / "watch-delivery-day2.xml"]


@pytest.fixture(scope="module")
def graph() -> Iterator[KnowledgeGraph]:
    """The seed, a watch on AWS (US, classes 9 and 42 and related), a watch on hostile text,
    and two successive daily files (the second imported twice): AWS CLOUD filed, then
    published; AWZ filed; A.W.S. (class 25) and NORTHWIND are no hits."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    aws = add_watch(
        graph, "AWS", owner="Amazon Technologies", classes=(9, 42), related_classes=True,
        jurisdictions=("US",),
    )  # fmt: skip
    assert aws.id == AWS_WATCH
    add_watch(graph, f"LUMORA {HOSTILE}", owner=HOSTILE)
    for path in [*DAYS, DAYS[1]]:
        imported = import_registry(graph, [path])
        record_hits(graph, imported.graphs)  # again, if the import recorded them: adds none
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def server(graph: KnowledgeGraph) -> Iterator[ThreadedServer]:
    settings = Settings(memory=True, update_token=TOKEN)
    with ThreadedServer(create_app(graph, settings)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: ThreadedServer) -> Iterator[Client]:
    with Client(transport=HTTPXTransport(url=server.graphql, timeout=60)) as session:
        yield session  # type: ignore[misc]


def test_the_hits_the_files_made(graph: KnowledgeGraph) -> None:
    hits = Analyst(graph).watch_hits(watch=AWS_WATCH)
    assert sorted((h.kind.value, h.mark.text, h.status) for h in hits) == [
        ("NEW_FILING", "AWS CLOUD", "filed"),
        ("NEW_FILING", "AWZ", "filed"),
        ("STATUS_CHANGE", "AWS CLOUD", "published"),
    ]


def test_the_feed_over_http(server: ThreadedServer, graph: KnowledgeGraph) -> None:
    url = f"{server.url}/watch/{AWS_WATCH}.atom"
    answer = http_get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert_valid_atom(answer.content)
    feed = feedparser.parse(answer.content)
    assert feed.version == "atom10" and not feed.bozo
    hits = Analyst(graph).watch_hits(watch=AWS_WATCH)
    assert feed.feed.id == f"{ID}watch/{AWS_WATCH}"
    assert [e.id for e in feed.entries] == [h.iri for h in hits] and len(hits) == 3
    assert [e.title for e in feed.entries] == [hit_title(h) for h in hits]
    [published] = [e for e in feed.entries if e.title.startswith("Status change")]
    assert published.title == "Status change (published): AWS CLOUD (US)"
    text = published.content[0].value
    assert "from 2026-11-10 to 2026-12-10, extendable" in text
    assert "<li>Holder: ZETA CLOUD &lt;SCRIPT&gt; LLC.</li>" in text  # escaped, not markup
    assert f'<a href="{published.link}">' in text
    assert "watch-delivery-day2.xml" in text
    page = http_get(published.link, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "AWS CLOUD" in page.text  # the record's own page
    again = http_get(url, timeout=30)
    assert again.content == answer.content  # stable ids, dates and order
    cached = http_get(url, headers={"If-None-Match": answer.headers["etag"]}, timeout=30)
    assert cached.status_code == 304 and not cached.content
    head = httpx.head(url, timeout=30)
    assert head.status_code == 200 and head.headers["etag"] == answer.headers["etag"]
    assert head.headers["content-type"].startswith("application/atom+xml") and not head.content


def test_unknown_watch_feeds_are_404(server: ThreadedServer) -> None:
    for watch_id, words in (
        ("aws-000000", "no watch 'aws-000000' ("),
        ("%3Cscript%3E", "no watch with id '%3Cscript%3E'"),
    ):
        answer = http_get(f"{server.url}/watch/{watch_id}.atom", timeout=30)
        assert answer.status_code == 404 and words in answer.text, answer.text
        assert answer.headers["content-type"].startswith("text/plain")


WATCH_QUERY = """query($id: ID!, $since: Date) {
  watch(id: $id) { id text owner niceClasses relatedClasses jurisdictions { code } minScore feed
                   sources { title } }
  watchHits(watch: $id, since: $since) {
    id watch kind registration mark { text } holder { name } jurisdiction { code } niceClasses
    status score reasons detected window { start end extendable rule ruleSource stated }
    sources { title graph } statements { subject sources { graph } }
  }
}"""


def test_graphql_watches_and_hits_match_the_service(client: Client, graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    answer = client.execute(
        GraphQLRequest(WATCH_QUERY, variable_values={"id": AWS_WATCH, "since": "2026"})
    )
    watch = answer["watch"]
    assert watch == {
        "id": AWS_WATCH, "text": "AWS", "owner": "Amazon Technologies", "niceClasses": [9, 42],
        "relatedClasses": True, "jurisdictions": [{"code": "US"}], "minScore": 0.8,
        "feed": f"/watch/{AWS_WATCH}.atom", "sources": [{"title": "tmkg watches (kg watch)"}],
    }  # fmt: skip
    hits = analyst.watch_hits(watch=AWS_WATCH)
    assert [(h["id"], h["kind"], h["mark"]["text"], h["score"]) for h in answer["watchHits"]] == [
        (h.id, h.kind.value, h.mark.text, h.score) for h in hits
    ]
    [published] = [h for h in answer["watchHits"] if h["kind"] == "STATUS_CHANGE"]
    assert published["window"]["start"] == "2026-11-10" and published["window"]["extendable"]
    assert published["window"]["ruleSource"] and not published["window"]["stated"]
    assert published["holder"] == {"name": "ZETA CLOUD <SCRIPT> LLC"}
    assert published["sources"][0]["graph"].endswith("watch-delivery-day2")
    assert (
        published["statements"]
        and published["statements"][0]["subject"] == published["registration"]
    )
    later = client.execute(
        GraphQLRequest(WATCH_QUERY, variable_values={"id": AWS_WATCH, "since": "2099-01"})
    )
    assert later["watchHits"] == []
    listed = client.execute(gql("{ watches { id text } }"))["watches"]
    assert [w["id"] for w in listed] == [w.id for w in analyst.watches()] and len(listed) == 2
    with pytest.raises(TransportQueryError) as unknown:
        client.execute(gql('{ watch(id: "aws-000000") { id } }'))
    assert unknown.value.errors[0]["extensions"]["code"] == "NOT_FOUND"  # type: ignore[index]
    with pytest.raises(TransportQueryError) as too_many:
        client.execute(gql("{ watchHits(limit: 101) { id } }"))
    assert too_many.value.errors[0]["extensions"]["argument"] == "limit"  # type: ignore[index]
    one = client.execute(gql("{ watchHits(limit: 1) { id } }"))["watchHits"]
    assert one == [{"id": analyst.watch_hits()[0].id}]


@pytest.mark.parametrize(
    "example",
    [q for q in example_queries() if q.root_field in {"watches", "watch", "watchHits"}],
    ids=lambda q: q.name,
)
def test_the_watch_examples_answer(server: ThreadedServer, example) -> None:
    answer = post(server.graphql, example.query, example.variables)
    assert "errors" not in answer, answer.get("errors")
    assert answer["data"][example.root_field], example.name


ADD = """mutation($text: String!, $owner: String!, $classes: [Int!]) {
  addWatch(text: $text, owner: $owner, niceClasses: $classes, jurisdictions: ["us"]) {
    id text owner niceClasses jurisdictions { code } minScore feed }
}"""
REMOVE = "mutation($id: ID!) { removeWatch(id: $id) { id text } }"


def _graphql(server: ThreadedServer, query: str, variables: dict, token: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables}
    answer = http_post(server.graphql, json=body, headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_mutations_need_the_update_token(server: ThreadedServer, graph: KnowledgeGraph) -> None:
    before = [w.id for w in Analyst(graph).watches()]
    novalux = {"text": "NOVALUX", "owner": "Novalux Inc.", "classes": [11]}
    for token in (None, "not-the-token", "x" + TOKEN):
        for query, variables in ((ADD, novalux), (REMOVE, {"id": AWS_WATCH})):
            refused = _graphql(server, query, variables, token)
            assert refused["data"] is None
            assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
    assert [w.id for w in Analyst(graph).watches()] == before

    added = _graphql(server, ADD, novalux, TOKEN)["data"]["addWatch"]
    assert added["text"] == "NOVALUX" and added["niceClasses"] == [11]
    assert added["jurisdictions"] == [{"code": "US"}] and added["minScore"] == 0.8
    assert added["feed"] == f"/watch/{added['id']}.atom"
    assert http_get(server.url + added["feed"], timeout=30).status_code == 200
    assert _graphql(server, ADD, novalux, TOKEN)["data"]["addWatch"]["id"] == added["id"]
    assert [w.id for w in Analyst(graph).watches()] == sorted([*before, added["id"]])

    bad = _graphql(server, ADD, {**novalux, "classes": [99]}, TOKEN)
    assert bad["errors"][0]["extensions"]["argument"] == "niceClasses", bad
    removed = _graphql(server, REMOVE, {"id": added["id"]}, TOKEN)["data"]["removeWatch"]
    assert removed == {"id": added["id"], "text": "NOVALUX"}
    gone = _graphql(server, REMOVE, {"id": added["id"]}, TOKEN)
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert [w.id for w in Analyst(graph).watches()] == before
    assert http_get(server.url + added["feed"], timeout=30).status_code == 404


# ------------------------------------------------------------------ kg report's section


def test_the_report_has_a_watches_section_only_when_watches_exist(
    seeded: KnowledgeGraph, graph: KnowledgeGraph
) -> None:
    without = build_report(seeded, mark="AWS")
    assert without.watches == []
    assert 'id="watches"' not in without.to_html() and "## Watches" not in without.to_markdown()

    report = build_report(graph, mark="AWS")
    assert [s.watch.id for s in report.watches] == [w.id for w in Analyst(graph).watches()]
    [aws] = [s for s in report.watches if s.watch.id == AWS_WATCH]
    assert aws.total == 3 and [h.kind for h in aws.hits] == [
        h.kind for h in Analyst(graph).watch_hits(watch=AWS_WATCH)
    ]
    page = report.to_html()
    assert page.count('id="watches"') == 1 and '<a href="#watches">' in page
    assert "<script" not in page.lower() and "&lt;SCRIPT&gt;" in page
    assert "from 2026-11-10 to 2026-12-10" in page
    day2 = next(n for n, s in enumerate(report.sources, 1) if s.title == "watch-delivery-day2.xml")
    assert f'href="#source-{day2}"' in page[page.index('id="watches"') :]
    markdown = report.to_markdown()
    section = markdown[markdown.index("## Watches") : markdown.index("## Sources")]
    assert "### LUMORA \\<script\\>" in section and not re.search(r"(?<!\\)<", section)
    assert section.count("| 2026-") == 3


def test_kg_watch_report_as_html(graph: KnowledgeGraph) -> None:
    from kg.cli.main import build_parser
    from kg.cli.watch import run_watch

    since = "2026-01-01"
    args = build_parser().parse_args(["watch", "report", "--format", "html", "--since", since])
    page = run_watch(args, graph)
    assert page.startswith("<!doctype html>") and page.count("<svg") == 1
    assert page.count('<section id="watch-') == 2 and f"since {since}" in page
    assert page.count('<tr><td class="date">') == len(Analyst(graph).watch_hits(since=since))
    assert "<script" not in page.lower() and "ZETA CLOUD &lt;SCRIPT&gt; LLC" in page
    one = build_parser().parse_args(["watch", "report", "--format", "html", "--watch", AWS_WATCH])
    assert run_watch(one, graph).count('<section id="watch-') == 1
