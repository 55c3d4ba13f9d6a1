"""`/report`: the report `kg report` writes, fetched from the server so a user can download it.

``GET /report?mark=AWS&jurisdiction=CN&class=42``, ``?party=Amazon``, ``?case=aws-cn-2018``;
``&format=html|md`` (default html), ``&download=1`` to get it as an attachment, ``&max_nodes=N``
for the network figure. Unknown names answer 404 with the message; bad parameters 400.
"""

from __future__ import annotations

import re
import threading

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.errors import KGError
from kg.graph import KnowledgeGraph

__all__ = ["report_routes"]

_PARAMETERS = {"mark", "jurisdiction", "class", "party", "case", "format", "download", "max_nodes"}
_MEDIA = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}


class BadReportRequest(KGError):
    """A /report request with unknown, repeated or malformed parameters."""

    http_status = 400


def report_routes(graph: KnowledgeGraph) -> list[Route]:
    """The /report route over a knowledge graph."""
    # One report at a time: building one is CPU-bound, and matplotlib's text layout is best
    # kept to one thread.
    lock = threading.Lock()

    def build(options: dict[str, object], fmt: str) -> str:
        from kg.analysis.service import Analyst
        from kg.report.document import build_report
        from kg.report.render import render

        with lock:
            # A fresh Analyst per request: SPARQL updates may have changed the store.
            return render(build_report(Analyst(graph), **options), fmt)  # type: ignore[arg-type]

    async def report(request: Request) -> Response:
        options, fmt, download = _parse(request)
        text = await run_in_threadpool(build, options, fmt)
        subject = str(options.get("mark") or options.get("party") or options.get("case"))
        name = "report-" + (re.sub(r"[^A-Za-z0-9]+", "-", subject).strip("-").lower() or "tmkg")
        disposition = "attachment" if download else "inline"
        return Response(
            text,
            media_type=_MEDIA[fmt],
            headers={"Content-Disposition": f'{disposition}; filename="{name}.{fmt}"'},
        )

    return [Route("/report", report, methods=["GET"])]


def _parse(request: Request) -> tuple[dict[str, object], str, bool]:
    items = request.query_params.multi_items()
    names = [key for key, _ in items]
    unknown = sorted(set(names) - _PARAMETERS)
    if unknown:
        raise BadReportRequest(
            f"unknown parameter {', '.join(unknown)}",
            suggestion="use mark (with jurisdiction, class), party or case; format; download",
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
    download = params.get("download", "0").lower() in ("1", "true", "yes")
    return options, fmt, download
