"""The error hierarchy every layer raises, each error with a message and a suggestion.

The CLI maps these to exit codes in one place (`kg.cli.main`), the HTTP shells to status codes.
"""

from __future__ import annotations

__all__ = [
    "Forbidden",
    "KGError",
    "NotFound",
    "ParseError",
    "QueryCrashed",
    "QueryError",
    "QueryMemoryExceeded",
    "QueryTimeout",
    "StoreError",
    "StoreLocked",
    "UnreadableAnswer",
    "ValidationError",
]


class KGError(Exception):
    """Base of tmkg's errors: a one-line message, and optionally what to do about it."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion

    def __str__(self) -> str:
        if self.suggestion:
            return f"{self.message} ({self.suggestion})"
        return self.message


class StoreError(KGError):
    """The store cannot be opened, read or written."""

    exit_code = 3
    http_status = 503


class StoreLocked(StoreError):
    """Another process holds the on-disk store open for writing."""


class ParseError(KGError):
    """An input file is not valid RDF in its format; says file, line and column."""

    exit_code = 4
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        where = path or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}", suggestion=suggestion)
        self.path, self.line, self.column = path, line, column


class ValidationError(KGError):
    """Data breaks the SHACL shapes; carries one line per violation."""

    exit_code = 5
    http_status = 422

    def __init__(
        self,
        violations: list[str],
        *,
        source: str | None = None,
        shown: int | None = None,
        rest: str = "",
    ) -> None:
        """`shown`: list only the first that many in the message, then say how many more
        (and `rest`, where to see them all)."""
        head = f"{source}: " if source else ""
        count = len(violations)
        summary = f"{head}{count} SHACL violation{'s' if count != 1 else ''}"
        lines = violations if shown is None else violations[:shown]
        if len(lines) < count:
            lines = [*lines, f"... and {count - len(lines)} more{rest}"]
        super().__init__(summary + ":\n  " + "\n  ".join(lines))
        self.violations = violations
        self.source = source


class QueryError(KGError):
    """A SPARQL query is malformed or cannot be answered."""

    exit_code = 6
    http_status = 400


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped (its worker process was killed)."""

    http_status = 503


class QueryMemoryExceeded(QueryError):
    """A query or update needed more memory than a worker may use; its worker was stopped."""

    http_status = 503


class QueryCrashed(QueryError):
    """The SPARQL engine crashed on a query or update; only its worker process died."""

    http_status = 500


class UnreadableAnswer(QueryError):
    """A remote store answered with something tmkg cannot read: a malformed document, or a
    value that is no RDF term (an IRI with a space, made by ``IRI()`` in an update the server
    stored); the fault is at the server, not in the question (HTTP 502)."""

    http_status = 502


class Forbidden(KGError):
    """The request is understood but not allowed: an update without the token, a SERVICE call."""

    exit_code = 8
    http_status = 403


class NotFound(KGError):
    """A named thing (party, mark, case, file, graph) does not exist."""

    exit_code = 7
    http_status = 404
