"""``GET /watch/{id}.atom``: each watch's hits as an Atom feed (RFC 4287) for feed readers.

One entry per hit, newest first (at most `MAX_ENTRIES`): its title says what happened, to
which mark, where (``New filing: AWSOME (US)``); ``updated`` and ``published`` are when the
hit was detected; its content (HTML, every value escaped) gives the score and reasons, the
classes, the holder, the status, the opposition window and its rule, the record and the
sources; its link goes to the record's page on this server (``/id/…``) when the record is
tmkg's. Entry ids are the hits' IRIs and the feed's id the watch's IRI, so they never change
between requests; the feed's ``updated`` is its newest hit's detection (the watch's creation
while it has none).

The feed is written by feedgen (a maintained feed library), never by hand; text from the
data is made XML-safe first (`kg.xml_text.xml_safe`). The route only reads, under the
server's usual limits (`kg.api.access`); it answers an ``ETag``, and a 304 to a reader that
sends it back (``If-None-Match``) while the feed is unchanged. An unknown watch is 404 with a
message naming it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Sequence
from urllib.parse import quote

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kg.analysis.service import Analyst
from kg.analysis.watch_model import Watch, WatchHit
from kg.graph import KnowledgeGraph
from kg.namespaces import ID
from kg.report.watch import hit_details, hit_title, watch_scope
from kg.xml_text import xml_safe

__all__ = ["ATOM_MEDIA_TYPE", "MAX_ENTRIES", "watch_feed", "watch_feed_routes"]

ATOM_MEDIA_TYPE = "application/atom+xml"
MAX_ENTRIES = 200
"""Entries a feed carries at most: the newest hits (a reader keeps the older ones)."""
_WATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,199}")


def watch_feed(
    watch: Watch, hits: Sequence[WatchHit], *, base_url: str, self_url: str | None = None
) -> bytes:
    """The Atom feed of a watch (UTF-8 XML), one entry per hit in the order given.

    `base_url` is the server's root (``http://127.0.0.1:8000/``): entries link to the
    records' pages under it. `self_url` is the feed's own address (its ``rel="self"`` link).
    """
    from feedgen.feed import FeedGenerator

    base = base_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(watch.iri)
    feed.title(xml_safe(f"tmkg watch: {watch.text}"))
    feed.subtitle(xml_safe(f"Hits of the watch {watch.id} for {watch.owner}: {watch_scope(watch)}"))
    feed.author({"name": "tmkg"})
    feed.generator("tmkg")
    feed.link(href=f"{base}/graphql", rel="related")
    if self_url:
        feed.link(href=self_url, rel="self", type=ATOM_MEDIA_TYPE)
    feed.updated(max((_when(h.detected) for h in hits), default=_when(watch.created)))
    for hit in hits:
        entry = feed.add_entry(order="append")
        entry.id(hit.iri)
        entry.title(xml_safe(hit_title(hit)))
        entry.updated(_when(hit.detected))
        entry.published(_when(hit.detected))
        page = _page(base, hit.registration)
        entry.content(xml_safe(_content(hit, watch, page)), type="html")
        entry.category(term=hit.kind.value, label=hit.kind.value.replace("_", " ").lower())
        if page:
            entry.link(href=page, rel="alternate", type="text/html")
    return feed.atom_str(pretty=True)


def watch_feed_routes(graph: KnowledgeGraph) -> list[Route]:
    """The ``/watch/{id}.atom`` route over `graph` (GET and HEAD)."""
    analyst = Analyst(graph)

    async def feed(request: Request) -> Response:
        watch_id = request.path_params["id"]
        if not _WATCH_ID.fullmatch(watch_id):
            return _unknown(watch_id)

        def build() -> bytes:
            watch = analyst.watch(watch_id)  # NotFound -> 404 (the app's error handler)
            hits = analyst.watch_hits(watch=watch.id)[:MAX_ENTRIES]
            return watch_feed(
                watch, hits, base_url=str(request.base_url), self_url=str(request.url)
            )

        body = await anyio.to_thread.run_sync(build)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=ATOM_MEDIA_TYPE, headers=headers)

    return [Route("/watch/{id}.atom", feed, methods=["GET", "HEAD"], name="watch-feed")]


def _content(hit: WatchHit, watch: Watch, page: str | None) -> str:
    """An entry's content: the hit's facts as an HTML list, every value escaped (a reader
    shows text content as one run-on paragraph), and a link to the record's page."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in hit_details(hit, watch))
    link = f'<p><a href="{html.escape(page)}">The record on this server</a></p>' if page else ""
    return f"<ul>{items}</ul>{link}"


def _unknown(watch_id: str) -> Response:
    shown = quote(watch_id[:80], safe="")
    return PlainTextResponse(
        f"no watch with id {shown!r}: a watch id is letters, digits and hyphens "
        "(see `kg watch list` or GraphQL `watches`)\n",
        status_code=404,
    )


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _when(value: str) -> dt.datetime:
    """An xsd:dateTime (or xsd:date) as an aware datetime; one without a zone is UTC."""
    when = (
        dt.datetime.fromisoformat(value)
        if "T" in value
        else dt.datetime.fromisoformat(value[:10] + "T00:00:00")
    )
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _page(base: str, iri: str) -> str | None:
    """The address of a record's resource page on this server, if the record is tmkg's."""
    if not iri.startswith(str(ID)) or len(iri) == len(str(ID)):
        return None
    return f"{base}/id/" + quote(iri.removeprefix(str(ID)), safe="/-._~%")
