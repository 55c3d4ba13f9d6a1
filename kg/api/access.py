"""Who may write, and how big a request may be: the server's access rules in one place.

- **Writes need the update token.** A server is read-only unless started with one
  (``--update-token``, ``KG_UPDATE_TOKEN``, ``--update-token-file``, ``KG_UPDATE_TOKEN_FILE``);
  a write (SPARQL Update, ``POST /load``, a GraphQL mutation) carries it as
  ``Authorization: Bearer TOKEN``. It is compared in constant time and never logged or echoed.
- **Every request has a size limit** (`RequestSizeLimit`): a longer URL is refused with 414,
  a larger body with 413, on every endpoint, before the endpoint reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.sparql.write_token import authorize_write

__all__ = ["RequestSizeLimit", "authorize_write", "bearer_token"]


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, else ``None``.

    >>> bearer_token({"authorization": "Bearer s3cret"})
    's3cret'
    >>> bearer_token({"authorization": "Basic dTpw"}) is None
    True
    """
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class _TooLarge(Exception):
    """The body grew past the limit while the endpoint read it."""


class RequestSizeLimit:
    """ASGI middleware: URLs longer than the limit get 414, bodies larger than it 413.

    `limits` maps a path to its own limit (``/load`` takes RDF files); other paths get
    `default`. A declared ``Content-Length`` over the limit is refused before anything is
    read; a body sent without one (chunked) is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, default: int, limits: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.limits = dict(limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
        if url > self.default:
            await _refuse(scope, receive, send, 414, f"the URL is longer than {self.default} bytes")
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(
                scope, receive, send, 413, f"the request body is larger than {limit} bytes"
            )
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _refuse(
                    scope, receive, send, 413, f"the request body is larger than {limit} bytes"
                )


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    response: Any = PlainTextResponse(
        f"{message} (the operator sets the limits with --max-request-size and --max-load-size)\n",
        status_code=status,
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
