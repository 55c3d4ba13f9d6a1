"""Guard rails for /graphql: every over-limit query is refused before it runs.

- depth: strawberry's `QueryDepthLimiter` (introspection fields are not counted);
- cost: `QueryCostLimiter` below, an estimate of how many objects the answer holds;
- aliases and tokens: strawberry's `MaxAliasesLimiter` and `MaxTokensLimiter`, fixed;
- time: the view stops a request past the limit (`kg.api.graphql.view`).

Each refusal is an ordinary GraphQL error with ``extensions.code`` (see `LIMIT_CODES`) and a
suggestion naming the server setting, so a client can tell it from a wrong query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension

__all__ = [
    "DEFAULT_LIST_SIZE",
    "LIMIT_CODES",
    "MAX_ALIASES",
    "MAX_TOKENS",
    "QueryCostLimiter",
    "operation_cost",
]

DEFAULT_LIST_SIZE = 10
"""How many items the cost estimate assumes a list field returns when no argument says."""
MAX_ALIASES = 30
MAX_TOKENS = 5_000
_PAGE_ARGUMENTS = ("first", "limit")

LIMIT_CODES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"exceeds maximum operation depth"),
        "QUERY_TOO_DEEP",
        "nest fewer fields; the server's limit is set with kg serve --graphql-max-depth",
    ),
    (
        re.compile(r"aliases found\. Allowed"),
        "TOO_MANY_ALIASES",
        f"use at most {MAX_ALIASES} aliases per request",
    ),
    (
        re.compile(r"more than \d+ tokens"),
        "QUERY_TOO_LONG",
        f"send a shorter document (at most {MAX_TOKENS} tokens)",
    ),
)
"""Patterns of strawberry's limit messages -> (code, suggestion) for the error's extensions."""


class QueryCostLimiter(SchemaExtension):
    """Refuse operations whose estimated cost exceeds `max_cost`.

    The cost of a field is 1, plus, when it has a selection, the cost of its selection times
    the number of objects it is expected to return: its ``first`` or ``limit`` argument
    (variables included), else `list_size` for a list, else 1. A connection's edges are
    counted once (its ``first`` already multiplied them). Introspection is free.

    The check runs after validation, not as a validation rule: it depends on the variables,
    and validation results are cached by document (`ValidationCache`).
    """

    def __init__(self, max_cost: int, list_size: int = DEFAULT_LIST_SIZE) -> None:
        self.max_cost = max_cost
        self.list_size = list_size

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = _operation(document, context.operation_name) if document else None
        if document is not None and operation is not None:
            variables = context.variables or {}
            cost = operation_cost(
                context.schema._schema, document, operation, variables, self.list_size
            )
            if cost > self.max_cost:
                name = operation.name.value if operation.name else "the operation"
                raise GraphQLError(
                    f"{name} has an estimated cost of {cost}, over the limit of {self.max_cost}",
                    operation,
                    extensions={
                        "code": "QUERY_TOO_COSTLY",
                        "cost": cost,
                        "maxCost": self.max_cost,
                        "suggestion": "ask for fewer nested lists or smaller pages (first:); "
                        "the server's limit is set with kg serve --graphql-max-cost",
                    },
                )
        yield


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


class _Fragments:
    """What the cost walk needs of a document: the schema and its fragments by name."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def get_fragment(self, name: str) -> FragmentDefinitionNode | None:
        return self._fragments.get(name)


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    list_size: int = DEFAULT_LIST_SIZE,
) -> int:
    """The estimated cost of one operation of a document (see `QueryCostLimiter`)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    context = _Fragments(schema, document)
    return _selection_cost(context, operation.selection_set, root, variables, list_size, set())


def _selection_cost(
    context: Any,
    selection_set: SelectionSetNode,
    parent: GraphQLNamedType,
    variables: Mapping[str, Any],
    list_size: int,
    fragments: set[str],
) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(context, selection, parent, variables, list_size, fragments)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = context.schema.get_type(condition.name.value) if condition else parent
            if target is not None:
                total += _selection_cost(
                    context, selection.selection_set, target, variables, list_size, fragments
                )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            if fragment is None or name in fragments:
                continue  # unknown or cyclic: validation reports it
            target = context.schema.get_type(fragment.type_condition.name.value)
            if target is not None:
                total += _selection_cost(
                    context,
                    fragment.selection_set,
                    target,
                    variables,
                    list_size,
                    fragments | {name},
                )
    return total


def _field_cost(
    context: Any,
    node: FieldNode,
    parent: GraphQLNamedType,
    variables: Mapping[str, Any],
    list_size: int,
    fragments: set[str],
) -> int:
    name = node.name.value
    if name.startswith("__"):
        return 0
    fields = parent.fields if isinstance(parent, GraphQLObjectType) else {}
    definition = fields.get(name)
    if definition is None or node.selection_set is None:
        return 1
    field_type = definition.type
    if is_non_null_type(field_type):
        field_type = field_type.of_type  # type: ignore[attr-defined]
    multiplier = _page_size(node, definition, variables)
    if multiplier is None:
        in_connection = parent.name.endswith("Connection")
        multiplier = list_size if is_list_type(field_type) and not in_connection else 1
    children = _selection_cost(
        context, node.selection_set, get_named_type(field_type), variables, list_size, fragments
    )
    return 1 + multiplier * children


def _page_size(node: FieldNode, definition: Any, variables: Mapping[str, Any]) -> int | None:
    for argument in _PAGE_ARGUMENTS:
        if argument not in definition.args:
            continue
        value: Any = None
        for given in node.arguments or ():
            if given.name.value != argument:
                continue
            if isinstance(given.value, IntValueNode):
                value = int(given.value.value)
            elif isinstance(given.value, VariableNode):
                value = variables.get(given.value.name.value)
        if value is None:
            default = definition.args[argument].default_value
            value = None if default is Undefined else default
        if isinstance(value, int):
            return max(1, value)
    return None
