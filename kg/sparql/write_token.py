"""The update token: writes are refused unless they carry it, compared in constant time.

A server is read-only unless started with a token (see `kg.api.access` for where it comes
from and how clients send it). Messages never contain the expected or the offered token.
"""

from __future__ import annotations

import hmac

from kg.errors import Forbidden

__all__ = ["authorize_write"]


def authorize_write(expected: str | None, token: str | None, what: str) -> None:
    """Raise `Forbidden` (403) unless writes are enabled and `token` is the update token.

    `what` names the write for the message ("SPARQL Update", "POST /load"); the message never
    contains either token.

    >>> authorize_write("s3cret", "s3cret", "POST /load")
    >>> authorize_write(None, "s3cret", "POST /load")
    Traceback (most recent call last):
    ...
    kg.errors.Forbidden: this endpoint is read-only: POST /load is refused (...)
    """
    if not expected:
        raise Forbidden(
            f"this endpoint is read-only: {what} is refused",
            suggestion="the operator can enable writes with --update-token-file FILE, "
            "--update-token or $KG_UPDATE_TOKEN; clients then send it as "
            "'Authorization: Bearer TOKEN'",
        )
    # Constant-time comparison, so the token cannot be guessed byte by byte from timings.
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Forbidden(
            f"{what} needs the update token", suggestion="send it as 'Authorization: Bearer TOKEN'"
        )
