"""What the two browser pages (`/sparql`'s YASGUI, `/graphql`'s GraphiQL) share: an HTML head,
configuration handed to the page's script as JSON, a note when the npm assets are missing,
and a route serving a fixed set of asset files — never a directory, never a CDN.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

__all__ = ["asset_route", "missing_note", "page_head", "script_json"]


def page_head(title: str, stylesheet: str, style: str) -> str:
    """The page up to ``<body>``: charset, viewport, no favicon request, `title`, the asset
    `stylesheet` URL and the page's own CSS."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{html.escape(stylesheet)}">\n'
        f"<style>\n{style}</style>\n</head>\n"
    )


def script_json(data: object) -> str:
    """`data` as JSON to put inside ``<script type="application/json">``: only ``</`` could
    end the element early, so it is escaped.

    >>> script_json({"q": "</script>"})
    '{"q": "<\\\\/script>"}'
    """
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def missing_note(assets: Mapping[str, Path], tool: str, alternative: str) -> str:
    """A note for the page when any of `assets` is not installed, else ''."""
    if all(path.exists() for path in assets.values()):
        return ""
    return (
        f"<p><strong>The {tool} files are not installed.</strong> Run <code>make setup</code> "
        f"(it runs <code>npm ci</code>), or {alternative}.</p>"
    )


def asset_route(prefix: str, assets: Mapping[str, Path]) -> Route:
    """The route serving `assets` (URL name -> file) under `prefix`; any other name is 404."""

    async def asset(request: Request) -> Response:
        path = assets.get(request.path_params["name"])
        if path is None or not path.exists():
            return PlainTextResponse("not found\n", status_code=404)
        return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})

    return Route(prefix.rstrip("/") + "/{name}", asset, methods=["GET", "HEAD"])
