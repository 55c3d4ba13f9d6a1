"""Guard rails for /graphql: every over-limit query is refused before it runs.

- depth: `depth_limit_rule`, a validation rule (introspection fields are not counted);
- cost: `QueryCostLimiter` below, an estimate of how many objects the answer holds;
- aliases: `aliases_limit_rule`; tokens: strawberry's `MaxTokensLimiter`, both fixed;
- time: the view stops a request past the limit (`kg.api.graphql.view`);
- the event loop: `ThreadedValidation` validates in worker threads (graphql-core's rules
  are quadratic in places: 550 fields named alike took 1.4 s to validate).

Every measure walks the document once: a named fragment is measured once, before the
fragments that spread it, and each spread adds its fragment's measure. Walking into every
spread instead (as strawberry's depth and alias limiters do) takes time exponential in the
document: 19 fragments each spreading the next twice held the event loop for seconds.

Each refusal is an ordinary GraphQL error with ``extensions.code`` (see `LIMIT_CODES`) and a
suggestion naming the server setting, so a client can tell it from a wrong query.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

import anyio
import anyio.to_thread
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
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

__all__ = [
    "DEFAULT_LIST_SIZE",
    "LIMIT_CODES",
    "MAX_ALIASES",
    "MAX_TOKENS",
    "QueryCostLimiter",
    "ThreadedValidation",
    "aliases_limit_rule",
    "depth_limit_rule",
    "fragment_measures",
    "operation_cost",
]

DEFAULT_LIST_SIZE = 10
"""How many items the cost estimate assumes a list field returns when no argument says."""
INLINE_LIST_TYPES = frozenset({"Statement", "StatedFact", "Source", "StatedValue"})
"""Types whose lists are data the answer already holds (a statement's facts and sources,
bounded by the answer): such a list counts once, not `DEFAULT_LIST_SIZE` times, so asking
each answer's statements does not multiply its cost tenfold (docs/graphql.md, limits)."""
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
"""Patterns of the limit messages -> (code, suggestion) for the error's extensions."""


def fragment_measures(
    document: DocumentNode, measure: Callable[[FragmentDefinitionNode, Mapping[str, int]], int]
) -> dict[str, int]:
    """Each named fragment's measure, computed once, after those of the fragments it spreads.

    A spread of a fragment not measured yet (unknown, or closing a cycle: validation reports
    both) counts 0, so the walk ends on any document. The order is found without recursion:
    a chain of a thousand fragments is fine.
    """
    fragments = _fragments(document)
    measured: dict[str, int] = {}
    started: set[str] = set()
    for root in fragments:
        if root in started:
            continue
        started.add(root)
        stack = [(root, iter(_spreads(fragments[root].selection_set)))]
        while stack:
            name, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                measured[name] = measure(fragments[name], measured)
            elif child in fragments and child not in started:
                started.add(child)
                stack.append((child, iter(_spreads(fragments[child].selection_set))))
    return measured


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """The names of the fragments a selection set spreads, at any nesting (no recursion)."""
    names, pending = [], [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:  # type: ignore[union-attr]
                pending.append(selection.selection_set)  # type: ignore[union-attr]
    return names


def _depth(selection_set: SelectionSetNode, fragments: Mapping[str, int]) -> int:
    """How deep fields nest below a selection set (a leaf field is 0; `__` fields are free)."""
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None or selection.name.value.startswith("__"):
                continue
            depth = 1 + _depth(selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments)
        else:
            depth = fragments.get(selection.name.value, 0)  # type: ignore[union-attr]
        deepest = max(deepest, depth)
    return deepest


def _aliases(selection_set: SelectionSetNode, fragments: Mapping[str, int]) -> int:
    """How many aliased fields a selection set holds, a fragment's counted per spread."""
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            total += fragments.get(selection.name.value, 0)
            continue
        if isinstance(selection, FieldNode) and selection.alias:
            total += 1
        if selection.selection_set is not None:  # type: ignore[union-attr]
            total += _aliases(selection.selection_set, fragments)  # type: ignore[union-attr]
    return total


def _document_rule(check: Callable[[ValidationContext], None]) -> type[ValidationRule]:
    class DocumentRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            check(context)

    return DocumentRule


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing operations whose fields nest deeper than `max_depth`.

    Counted as strawberry's `QueryDepthLimiter` counts (with its message), in linear time.
    """

    def check(context: ValidationContext) -> None:
        document = context.document
        depths = fragment_measures(document, lambda f, known: _depth(f.selection_set, known))
        for operation in _operations(document):
            if _depth(operation.selection_set, depths) > max_depth:
                name = operation.name.value if operation.name else "anonymous"
                context.report_error(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {max_depth}", operation
                    )
                )

    return _document_rule(check)


def aliases_limit_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing documents with more than `max_aliases` aliased fields.

    Counted as strawberry's `MaxAliasesLimiter` counts (with its message), in linear time.
    """

    def check(context: ValidationContext) -> None:
        document = context.document
        counts = fragment_measures(document, lambda f, known: _aliases(f.selection_set, known))
        total = sum(_aliases(o.selection_set, counts) for o in _operations(document))
        if total > max_aliases:
            context.report_error(GraphQLError(f"{total} aliases found. Allowed: {max_aliases}"))

    return _document_rule(check)


_validate = lru_cache(maxsize=256)(validate_document)
"""Validation verdicts by document (`ParserCache` gives a repeated query the same one)."""


class ThreadedValidation(SchemaExtension):
    """Validate in a worker thread (at most `limiter`'s threads at once), verdicts cached.

    Strawberry's `ValidationCache` does the same on the event loop, where the quadratic
    rules of graphql-core held every other request; in a thread, the per-request time limit
    can also fire while a document is being validated.
    """

    def __init__(self, limiter: anyio.CapacityLimiter) -> None:
        self.limiter = limiter

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            context.pre_execution_errors = await anyio.to_thread.run_sync(
                _validate,
                context.schema._schema,
                context.graphql_document,
                context.validation_rules,
                limiter=self.limiter,
            )
        yield


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
    operations = _operations(document)
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


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
    walk = _CostWalk(schema, variables, list_size)
    costs = fragment_measures(document, walk.fragment)
    return walk.selection(operation.selection_set, root, costs)


class _CostWalk:
    """The cost estimate of selection sets, for one request's variables."""

    def __init__(self, schema: GraphQLSchema, variables: Mapping[str, Any], list_size: int) -> None:
        self.schema = schema
        self.variables = variables
        self.list_size = list_size

    def fragment(self, fragment: FragmentDefinitionNode, costs: Mapping[str, int]) -> int:
        target = self.schema.get_type(fragment.type_condition.name.value)
        return 0 if target is None else self.selection(fragment.selection_set, target, costs)

    def selection(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, costs: Mapping[str, int]
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, costs)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                if target is not None:
                    total += self.selection(selection.selection_set, target, costs)
            elif isinstance(selection, FragmentSpreadNode):
                total += costs.get(selection.name.value, 0)  # unknown or cyclic: invalid
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType, costs: Mapping[str, int]) -> int:
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
        multiplier = _page_size(node, definition, self.variables)
        element = get_named_type(field_type)
        if multiplier is None:
            in_connection = parent.name.endswith("Connection")
            inline = element.name in INLINE_LIST_TYPES
            listed = is_list_type(field_type) and not in_connection and not inline
            multiplier = self.list_size if listed else 1
        children = self.selection(node.selection_set, element, costs)
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
