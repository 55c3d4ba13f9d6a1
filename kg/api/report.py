"""`/report`: the report `kg report` writes, fetched from the server so a user can download it.

``GET /report?mark=AWS&jurisdiction=CN&class=42``, ``?party=Amazon``, ``?case=aws-cn-2018``;
``&format=html|md`` (default html), ``&download=1`` to get it as an attachment, ``&max_nodes=N``
for the network figure, ``&as_of=YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``; default today) for the
date that decides which rights are in force, ``&include_lapsed=1`` to show dead rights too.
Unknown names answer 404 with the message; bad parameters 400.

Building a report is CPU-bound work in a thread, which cannot be stopped; so reports get
their own threads (`Settings.report_concurrency` of them, never the pool every other route
shares), and past that many at once a request is answered 503 with ``Retry-After`` at once.
A report not built within `Settings.report_timeout` is answered 503; one whose client has
gone away is given up: if it is still waiting for its turn it is never built.
"""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kg.config import Settings
from kg.errors import KGError
from kg.graph import KnowledgeGraph

__all__ = ["report_routes"]

_PARAMETERS = {
    "mark",
    "jurisdiction",
    "class",
    "party",
    "case",
    "format",
    "download",
    "max_nodes",
    "as_of",
    "include_lapsed",
}
_MEDIA = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}


class BadReportRequest(KGError):
    """A /report request with unknown, repeated or malformed parameters."""

    http_status = 400


def report_routes(graph: KnowledgeGraph, settings: Settings | None = None) -> list[Route]:
    """The /report route over a knowledge graph, with the limits of `settings`."""
    builder = ReportBuilder(graph, settings or Settings())

    async def report(request: Request) -> Response:
        options, fmt, download = _parse(request)
        text = await builder.build(request, options, fmt)
        if isinstance(text, Response):
            return text
        subject = str(options.get("mark") or options.get("party") or options.get("case"))
        name = "report-" + (re.sub(r"[^A-Za-z0-9]+", "-", subject).strip("-").lower() or "tmkg")
        disposition = "attachment" if download else "inline"
        return Response(
            text,
            media_type=_MEDIA[fmt],
            headers={"Content-Disposition": f'{disposition}; filename="{name}.{fmt}"'},
        )

    return [Route("/report", report, methods=["GET"])]


_RETRY_AFTER = "5"
"""Seconds a client refused for being one report too many is asked to wait."""


class ReportBuilder:
    """Builds reports in threads of its own, within the time and concurrency limits."""

    def __init__(self, graph: KnowledgeGraph, settings: Settings) -> None:
        self.graph = graph
        self.timeout = settings.report_timeout
        self.concurrency = max(1, settings.report_concurrency)
        self.running = 0  # reports whose thread has not finished (changed on the event loop)
        self._threads = anyio.CapacityLimiter(self.concurrency)
        # One report renders at a time: matplotlib's text layout is best kept to one thread.
        self._lock = threading.Lock()

    async def build(self, request: Request, options: dict[str, object], fmt: str) -> str | Response:
        """The report's text, or the 503 answer when a limit was hit or the client left."""
        if self.running >= self.concurrency:
            return _unavailable(
                f"the server is already building {self.running} reports, its limit",
                "try again shortly; the limit is set with kg serve --report-concurrency",
            )
        given_up = threading.Event()
        self.running += 1
        task = asyncio.ensure_future(self._run(options, fmt, given_up))
        task.add_done_callback(_retrieve)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            # Past the limit or with the client gone, the thread's result is dropped; a
            # thread still waiting for its turn builds nothing.
            done, _ = await asyncio.wait({task}, timeout=0.1)
            if done:
                return task.result()
            if await request.is_disconnected():
                given_up.set()
                return _unavailable("the client went away", "")
            if loop.time() >= deadline:
                given_up.set()
                return _unavailable(
                    f"the report ran past the time limit of {self.timeout:g} s and was given up",
                    "ask for a narrower report (a mark with --jurisdiction and --class, or "
                    "smaller max_nodes); the limit is set with kg serve --report-timeout",
                )

    async def _run(self, options: dict[str, object], fmt: str, given_up: threading.Event) -> str:
        try:
            return await anyio.to_thread.run_sync(
                self._render, options, fmt, given_up, limiter=self._threads
            )
        finally:
            self.running -= 1

    def _render(self, options: dict[str, object], fmt: str, given_up: threading.Event) -> str:
        from kg.analysis.service import Analyst
        from kg.report.document import build_report
        from kg.report.render import render

        with self._lock:
            if given_up.is_set():
                return ""
            # A fresh Analyst per request: SPARQL updates may have changed the store.
            # Links to the same questions are relative: they open on this server.
            built = build_report(Analyst(self.graph), server="", **options)  # type: ignore[arg-type]
            return render(built, fmt)


def _unavailable(reason: str, suggestion: str) -> Response:
    text = f"{reason}; {suggestion}\n" if suggestion else f"{reason}\n"
    return PlainTextResponse(text, status_code=503, headers={"Retry-After": _RETRY_AFTER})


def _retrieve(task: asyncio.Future[Any]) -> None:
    # The error of a report nobody waits for any more (its client left) is not news.
    if not task.cancelled():
        task.exception()


def _parse(request: Request) -> tuple[dict[str, object], str, bool]:
    raw = unquote_to_bytes(request.scope.get("query_string", b""))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # Starlette would read each such byte as U+FFFD: a report on another text than sent
        raise BadReportRequest(
            f"the query string is not UTF-8 (byte 0x{raw[error.start]:02X} after "
            f"{raw[: error.start][-20:].decode('utf-8', 'replace')!r})",
            suggestion="percent-encode the UTF-8 bytes of the text (the CLI refuses such "
            "bytes too)",
        ) from None
    items = request.query_params.multi_items()
    names = [key for key, _ in items]
    unknown = sorted(set(names) - _PARAMETERS)
    if unknown:
        raise BadReportRequest(
            f"unknown parameter {', '.join(unknown)}",
            suggestion="use mark (with jurisdiction, class), party or case; as_of, include_lapsed; "
            "format; download; max_nodes",
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise BadReportRequest(f"repeated parameter {', '.join(repeated)}")
    params = dict(items)
    fmt = params.get("format", "html")
    if fmt not in _MEDIA:
        raise BadReportRequest(f"unknown format {fmt!r}", suggestion="use html or md")
    options: dict[str, object] = {
        "mark": params.get("mark") or None,
        "party": params.get("party") or None,
        "case": params.get("case") or None,
        "jurisdiction": params.get("jurisdiction") or None,
    }
    for key, target in (("class", "nice_class"), ("max_nodes", "max_nodes")):
        if key in params:
            try:
                options[target] = int(params[key])
            except ValueError:
                raise BadReportRequest(f"{key} must be a whole number") from None
    if params.get("as_of"):
        options["as_of"] = params["as_of"]
    options["include_lapsed"] = _flag(params, "include_lapsed")
    download = _flag(params, "download")
    return options, fmt, download


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "0").lower()
    if value not in ("0", "1", "true", "false", "yes", "no", ""):
        raise BadReportRequest(f"{name} must be 1 or 0 (true or false)")
    return value in ("1", "true", "yes")
