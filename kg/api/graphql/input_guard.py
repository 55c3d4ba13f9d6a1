"""Guards on what a GraphQL request carries, checked before it is validated or run.

- **Long strings.** A string argument (in the document or in the variables) longer than
  `MAX_STRING_CHARS` is refused (``ARGUMENT_TOO_LONG``): names, marks and case numbers are
  short, and the similarity search over a 100 KB "mark" ran past the time limit while its
  thread (which cannot be stopped) kept a core busy.
- **Writes need the update token.** A mutation is refused (``FORBIDDEN``) unless the request
  carries ``Authorization: Bearer TOKEN`` (`kg.api.access`), before it is validated: the
  watch mutations (``addWatch``, ``removeWatch``) and any added later are guarded alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from kg.errors import Forbidden
from kg.sparql.write_token import authorize_write

__all__ = ["MAX_STRING_CHARS", "InputGuard"]

MAX_STRING_CHARS = 1_000
"""The longest string argument accepted, in characters."""


class InputGuard(SchemaExtension):
    """Refuse over-long string arguments and unauthorised mutations (see the module)."""

    def __init__(self, update_token: str | None) -> None:
        self.update_token = update_token

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            _check_strings(document, context.variables or {})
            if _has_mutation(document, context.operation_name):
                request = getattr(context.context, "request", None)
                headers = getattr(request, "headers", None) or {}
                scheme, _, token = headers.get("authorization", "").partition(" ")
                offered = token.strip() if scheme.lower() == "bearer" else None
                try:
                    authorize_write(self.update_token, offered, "a GraphQL mutation")
                except Forbidden as refusal:
                    raise GraphQLError(
                        refusal.message,
                        extensions={"code": "FORBIDDEN", "suggestion": refusal.suggestion},
                    ) from None
        yield


def _too_long(where: str, size: int) -> GraphQLError:
    return GraphQLError(
        f"{where} is {size} characters long, more than the {MAX_STRING_CHARS} allowed",
        extensions={
            "code": "ARGUMENT_TOO_LONG",
            "suggestion": (
                "names, marks and case numbers are short: send the name or the mark's words, "
                "not a document"
            ),
        },
    )


class _LongStrings(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.longest = 0

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.longest = max(self.longest, len(node.value))


def _check_strings(document: DocumentNode, variables: Mapping[str, Any]) -> None:
    visitor = _LongStrings()
    visit(document, visitor)
    if visitor.longest > MAX_STRING_CHARS:
        raise _too_long("a string in the query", visitor.longest)
    for name, value in variables.items():
        longest = _longest_string(value)
        if longest > MAX_STRING_CHARS:
            raise _too_long(f"variable ${name}", longest)


def _longest_string(value: Any) -> int:
    longest, pending = 0, [value]  # a loop, not recursion: variables may nest deeply
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return longest


def _has_mutation(document: DocumentNode, name: str | None) -> bool:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        operations = [o for o in operations if o.name and o.name.value == name]
    return any(o.operation == OperationType.MUTATION for o in operations)
