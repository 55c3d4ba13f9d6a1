"""The GraphQL schema: root fields that call the analysis service, guard rails, error codes.

Every root field calls `kg.analysis.service.Analyst` (through `AnalysisRunner`, in a worker
thread), the same service the CLI calls, so both always agree. A `KGError` becomes a GraphQL
error whose message is the error's text (an unknown name is named, with close matches) and
whose ``extensions`` carry ``code`` and ``suggestion``.

The SDL is exported to ``schema/schema.graphql`` (`sdl`); after changing the schema run
``.venv/bin/python -c "from kg.api.graphql.schema import sdl; print(sdl(), end='')" >
schema/schema.graphql`` (a test fails while the two differ).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Callable, Iterator
from typing import Annotated, Any, NewType, TypeVar

import anyio
import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from kg.analysis.arguments import ArgumentError, check
from kg.analysis.conflicts import DEFAULT_MIN_SCORE
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY
from kg.api.graphql import watch_types
from kg.api.graphql.comparison_types import MarkComparison
from kg.api.graphql.input_guard import InputGuard
from kg.api.graphql.judgment_types import Claim, Judgment
from kg.api.graphql.limits import (
    LIMIT_CODES,
    MAX_ALIASES,
    MAX_TOKENS,
    QueryCostLimiter,
    ThreadedValidation,
    aliases_limit_rule,
    depth_limit_rule,
)
from kg.api.graphql.runner import search_budget
from kg.api.graphql.types import (
    Case,
    Conflict,
    ConflictConnection,
    ConflictEdge,
    ConflictPath,
    Contradiction,
    Info,
    Mark,
    MarkUsage,
    PageInfo,
    Party,
    Priority,
    Proceeding,
    SearchHit,
    TimelineEntry,
    proceedings_matching,
)
from kg.api.graphql.watch_types import Watch, WatchHit
from kg.config import Settings
from kg.errors import (
    Forbidden,
    KGError,
    NotFound,
    ParseError,
    QueryError,
    QueryTimeout,
    StoreError,
    ValidationError,
)

__all__ = [
    "ROOT_FIELDS",
    "Mutation",
    "Query",
    "build_schema",
    "coded",
    "error_code",
    "schema",
    "sdl",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
CACHED_DOCUMENTS = 256
"""Parsed and validated documents kept (LRU), so a repeated query skips both steps."""
MAX_PAGE_SIZE = 100
VALIDATION_THREADS = 4
"""Documents validated at once (in worker threads, off the event loop)."""


# Named "Date" as before, so queries declaring `$asOf: Date` keep working; the text is checked
# by `check` (arguments.date), like the CLI's --as-of, so both refuse the same things.
DateArgument = NewType("DateArgument", str)
_DATE_SCALAR = strawberry.scalar(
    name="Date",
    description="A day, a month or a year, as the data writes dates: YYYY-MM-DD, YYYY-MM or "
    "YYYY (XSD 1.1 years, so -0044 and 10000 too).",
    serialize=str,
    parse_value=lambda value: value,
)


async def _call(info: Info, call: Callable[[], T]) -> T:
    """Run a service call off the event loop."""
    return await info.context.runner.run(call)


@strawberry.type(description="Questions an IP analyst asks of the trademark knowledge graph.")
class Query:
    @strawberry.field(
        description="Every party that owns or uses the same or a confusingly similar mark, in "
        "the same or a related Nice class, in the jurisdiction, on the date. The mark is free "
        "text (it need not be in the graph); `excluding` names a party to leave out. `asOf` "
        "(default today) decides what is in force: dead rights (expired, abandoned, refused, "
        "cancelled, withdrawn) are left out unless `includeLapsed`; pending applications are "
        "held by an APPLICANT."
    )
    async def who_else_uses(
        self,
        info: Info,
        mark: str,
        nice_class: int | None = None,
        jurisdiction: str | None = None,
        excluding: str | None = None,
        as_of: DateArgument | None = None,
        min_similarity: float | None = DEFAULT_MIN_SIMILARITY,
        include_lapsed: bool | None = False,
    ) -> list[MarkUsage]:
        check(
            mark=mark,
            nice_class=nice_class,
            jurisdiction=jurisdiction,
            excluding=excluding,
            as_of=as_of,
            min_similarity=min_similarity,
        )
        analyst = info.context.runner.analyst
        hits = await _call(
            info,
            lambda: analyst.who_else_uses(
                mark,
                nice_class=nice_class,
                jurisdiction=jurisdiction,
                excluding=excluding,
                as_of=as_of,
                min_similarity=_given(min_similarity, DEFAULT_MIN_SIMILARITY),
                include_lapsed=bool(include_lapsed),
            ),
        )
        return [MarkUsage.of(hit) for hit in hits]

    @strawberry.field(
        description="Two marks compared as `whoElseUses` and `conflicts` compare every pair: "
        "the score (0-1), whether it reaches `minSimilarity` (default 0.8), the rules that "
        "fired and what of each was compared. Neither need be in the graph; `jurisdiction` "
        "names the office whose names for a figure apply (default: every office's)."
    )
    async def compare_marks(
        self,
        info: Info,
        earlier: str,
        later: str,
        jurisdiction: str | None = None,
        min_similarity: float | None = DEFAULT_MIN_SIMILARITY,
    ) -> MarkComparison:
        check(
            earlier=earlier, later=later, jurisdiction=jurisdiction, min_similarity=min_similarity
        )
        analyst = info.context.runner.analyst
        found = await _call(
            info,
            lambda: analyst.compare(
                earlier,
                later,
                jurisdiction=jurisdiction,
                min_similarity=_given(min_similarity, DEFAULT_MIN_SIMILARITY),
            ),
        )
        return MarkComparison.of(found)

    @strawberry.field(
        description="Pairs of parties holding similar marks in related classes in one "
        "jurisdiction, highest risk first; a Relay connection (`first`, `after`). Among the "
        "rights in force on `asOf` (default today); dead ones too with `includeLapsed`; with "
        "`party` (a name, alias or IRI), only those where that party holds a side; with `mark` "
        "(a text), only those over it and the marks like it (`whoElseUses`' hits in the place "
        "and class asked): each pair of parties' riskiest pair of rights over them."
    )
    async def conflicts(
        self,
        info: Info,
        jurisdiction: str | None = None,
        nice_class: int | None = None,
        min_score: float | None = DEFAULT_MIN_SCORE,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        as_of: DateArgument | None = None,
        include_lapsed: bool | None = False,
        party: str | None = None,
        mark: str | None = None,
    ) -> ConflictConnection:
        check(
            jurisdiction=jurisdiction,
            nice_class=nice_class,
            min_score=min_score,
            first=first,
            after=after,
            as_of=as_of,
            party=party,
            mark=mark,
        )
        size = _given(first, DEFAULT_PAGE_SIZE)
        start = _offset(after) + 1 if after else 0
        ranked = await info.context.runner.conflicts(
            jurisdiction,
            nice_class,
            _given(min_score, DEFAULT_MIN_SCORE),
            as_of=str(as_of) if as_of is not None else None,
            include_lapsed=bool(include_lapsed),
            top=search_budget(start + size),  # pages to come too, never a register's millions
            party=party,
            mark=mark,
        )
        found = info.context.runner.analyst.find_party  # the party named, as the search found it
        named = None if party is None else Party.of(await _call(info, lambda: found(party)))
        page = ranked[start : start + size]
        edges = [
            ConflictEdge(
                cursor=_cursor(start + i),
                node=Conflict.of(pair, str(as_of) if as_of is not None else None),
            )
            for i, pair in enumerate(page)
        ]
        return ConflictConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + size < ranked.total,
                has_previous_page=start > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=ranked.total,
            party=named,
        )

    @strawberry.field(
        description="The first chain of facts linking two parties (named by any name or "
        "alias): the closest mark conflict when there is one, else the shortest path; each "
        "step a sentence with its sources; null when none is at most `maxLength` steps."
    )
    async def conflict_path(
        self,
        info: Info,
        from_: Annotated[str, strawberry.argument(name="from")],
        to: str,
        max_length: int | None = 6,
    ) -> ConflictPath | None:
        check(from_=from_, to=to, max_length=max_length)
        analyst = info.context.runner.analyst
        path = await _call(
            info, lambda: analyst.conflict_path(from_, to, max_length=_given(max_length, 6))
        )
        return ConflictPath.of(path) if path else None

    @strawberry.field(
        description="Every mark conflict and simple path of at most `maxLength` steps between "
        "two parties: mark conflicts first, then proceedings, business ties and others, "
        "shortest first."
    )
    async def conflict_paths(
        self,
        info: Info,
        from_: Annotated[str, strawberry.argument(name="from")],
        to: str,
        max_length: int | None = 4,
    ) -> list[ConflictPath]:
        check(from_=from_, to=to, max_length=max_length)
        analyst = info.context.runner.analyst
        paths = await _call(
            info,
            lambda: analyst.conflict_paths(from_, to, max_length=_given(max_length, 4), every=True),
        )
        return [ConflictPath.of(p) for p in paths]

    @strawberry.field(
        description="Parties connected to a party through conflicts, directly or through "
        "others (the party included)."
    )
    async def conflict_cluster(
        self, info: Info, party: str, min_score: float | None = DEFAULT_MIN_SCORE
    ) -> list[Party]:
        check(party=party, min_score=min_score)
        analyst = info.context.runner.analyst
        found = await _call(
            info,
            lambda: analyst.conflict_cluster(party, min_score=_given(min_score, DEFAULT_MIN_SCORE)),
        )
        return [Party.of(p) for p in found]

    @strawberry.field(
        description="Who holds priority to a mark in a Nice class and jurisdiction under the "
        "jurisdiction's rule (first-to-file or first-to-use), with every competing claim. "
        "Dead rights on `asOf` (default today) never decide; with `includeLapsed` they are "
        "listed among the competing claims, marked lapsed."
    )
    async def priority(
        self,
        info: Info,
        mark: str,
        nice_class: int,
        jurisdiction: str,
        as_of: DateArgument | None = None,
        include_lapsed: bool | None = False,
    ) -> Priority | None:
        check(mark=mark, nice_class=nice_class, jurisdiction=jurisdiction, as_of=as_of)
        analyst = info.context.runner.analyst
        finding = await _call(
            info,
            lambda: analyst.priority(
                mark,
                nice_class,
                jurisdiction,
                as_of=as_of,
                include_lapsed=bool(include_lapsed),
            ),
        )
        return Priority.of(finding)

    @strawberry.field(
        description="A party by IRI, name or alias (case-insensitive, whole words); an unknown "
        "name is an error that suggests close ones."
    )
    async def party(self, info: Info, name: str) -> Party | None:
        check(name=name)
        analyst = info.context.runner.analyst
        return Party.of(await _call(info, lambda: analyst.find_party(name)))

    @strawberry.field(
        description="The mark with this text (folded: 'a.w.s.' finds 'AWS'); when several "
        "marks share it, the first by IRI (see `marks`). An unknown text is an error."
    )
    async def mark(self, info: Info, text: str) -> Mark | None:
        check(text=text)
        marks = await _marks(info, text)
        return marks[0]

    @strawberry.field(description="Every mark with this text (folded); unknown text is an error.")
    async def marks(self, info: Info, text: str) -> list[Mark]:
        check(text=text)
        return await _marks(info, text)

    @strawberry.field(
        description="A case by IRI, IRI tail (aws-cn-2018) or case number ((2018)京民初127号)."
    )
    async def case(self, info: Info, id: strawberry.ID) -> Case | None:
        check(id=str(id))
        analyst = info.context.runner.analyst
        return Case.of(await _call(info, lambda: analyst.case(str(id))))

    @strawberry.field(
        description="The judgments of a case (by IRI, IRI tail or case number), earliest first: "
        "dates, court, damages, costs, currencies, payers, payees, orders, descriptions, each "
        "value with exactly the sources that state it; values sources give differently are "
        "listed apart. An unknown case is an error that suggests close ones."
    )
    async def judgments(self, info: Info, case: str) -> list[Judgment]:
        check(case=case)
        analyst = info.context.runner.analyst
        found = await _call(info, lambda: analyst.judgments(case))
        return [Judgment.of(j) for j in found]

    @strawberry.field(
        description="Claims to marks that sources report (first use, ownership, filing), one "
        "per claim and claimant, each value with exactly the sources that state it. Filters: "
        "a mark (its text) and a claimant (a name); an unknown one is an error."
    )
    async def claims(
        self, info: Info, mark: str | None = None, party: str | None = None
    ) -> list[Claim]:
        check(mark=mark, party=party)
        analyst = info.context.runner.analyst
        found = await _call(info, lambda: analyst.claims(mark=mark, party=party))
        return [Claim.of(c) for c in found]

    @strawberry.field(
        description="Oppositions and cancellations before trademark offices, by filing date. "
        "Filters: a party on either side (a name), a mark (its text, contested or invoked), a "
        "kind (opposition, cancellation), an outcome (pending, upheld, partly upheld, rejected, "
        "withdrawn, settled; an unstated outcome is pending)."
    )
    async def proceedings(
        self,
        info: Info,
        party: str | None = None,
        mark: str | None = None,
        kind: str | None = None,
        outcome: str | None = None,
    ) -> list[Proceeding]:
        check(name=party, mark=mark)
        return await proceedings_matching(info, party=party, mark=mark, kind=kind, outcome=outcome)

    @strawberry.field(
        description="Parties, marks and cases whose names, texts or case numbers match the "
        "text (fuzzy; marks also by pinyin and sound), best first."
    )
    async def search(self, info: Info, text: str, limit: int | None = 10) -> list[SearchHit]:
        check(text=text, limit=limit)
        analyst = info.context.runner.analyst
        hits = await _call(info, lambda: analyst.search(text, limit=_given(limit, 10)))
        return [SearchHit.of(hit) for hit in hits]

    @strawberry.field(
        description="Dated facts about a party (by name) or a case (by id or number), in "
        "date order: events, filings, grants, uses. Name one of the two."
    )
    async def timeline(
        self, info: Info, party: str | None = None, case: strawberry.ID | None = None
    ) -> list[TimelineEntry]:
        check(party=party, case=None if case is None else str(case))
        analyst = info.context.runner.analyst
        entries = await _call(
            info,
            lambda: analyst.timeline(party=party, case=str(case) if case is not None else None),
        )
        return [TimelineEntry.of(entry) for entry in entries]

    @strawberry.field(
        description="Facts given incompatible values by different sources (or one source), "
        "each side with its sources."
    )
    async def contradictions(self, info: Info) -> list[Contradiction]:
        analyst = info.context.runner.analyst
        found = await _call(info, analyst.contradictions)
        return [Contradiction.of(c) for c in found]

    @strawberry.field(description="Every watch kept in the graph (kg watch add, addWatch).")
    async def watches(self, info: Info) -> list[Watch]:
        return await watch_types.watches(info)

    @strawberry.field(description="A watch by its id; an unknown id is an error.")
    async def watch(self, info: Info, id: strawberry.ID) -> Watch:
        return await watch_types.find_watch(info, str(id))

    @strawberry.field(
        description="What watches found, newest first: hits detected on or after `since` "
        "(a day, month or year), of one `watch` (its id) or of all, at most `limit` "
        f"(default {watch_types.DEFAULT_HITS}, at most 100)."
    )
    async def watch_hits(
        self,
        info: Info,
        since: DateArgument | None = None,
        watch: strawberry.ID | None = None,
        limit: int | None = watch_types.DEFAULT_HITS,
    ) -> list[WatchHit]:
        return await watch_types.watch_hits(
            info,
            None if since is None else str(since),
            None if watch is None else str(watch),
            limit,
        )


@strawberry.type(
    description="Writes; each needs the update token (Authorization: Bearer TOKEN), as POST "
    "/load does."
)
class Mutation:
    @strawberry.mutation(
        description="Add a watch: a mark's text and who it is for, optionally the watching "
        "party's own registration (IRI), Nice classes (and related ones), jurisdictions and "
        "the least similarity for a hit (default 0.8). Hits are recorded from the next import."
    )
    async def add_watch(
        self,
        info: Info,
        text: str,
        owner: str,
        registration: str | None = None,
        nice_classes: list[int] | None = None,
        related_classes: bool | None = False,
        jurisdictions: list[str] | None = None,
        min_score: float | None = 0.8,
    ) -> Watch:
        return await watch_types.add_watch(
            info,
            text=text,
            owner=owner,
            registration=registration,
            nice_classes=nice_classes,
            related_classes=related_classes,
            jurisdictions=jurisdictions,
            min_score=min_score,
        )

    @strawberry.mutation(description="Remove a watch and its hits; the watch as it was.")
    async def remove_watch(self, info: Info, id: strawberry.ID) -> Watch:
        return await watch_types.remove_watch(info, str(id))


async def _marks(info: Info, text: str) -> list[Mark]:
    analyst = info.context.runner.analyst

    def find() -> list[Mark]:
        texts = analyst.facts.marks
        canonical = analyst.facts.identities.canonical
        iris = sorted({canonical(iri) for iri in analyst.find_mark(text)})
        return [Mark(id=strawberry.ID(iri), text=texts.get(iri, text)) for iri in iris]

    return await _call(info, find)


def _given(value: T | None, default: T) -> T:
    """An optional argument's value; an explicit null means the default."""
    return default if value is None else value


_CURSOR_PREFIX = "conflict:"


def _cursor(offset: int) -> str:
    """An opaque cursor: the position in the ranked list (stable while the data is)."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    tail = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not tail.isdigit():
        raise KGError(
            f"cursor {cursor!r} is not one this API gave",
            suggestion="pass the endCursor of the previous page's pageInfo",
        )
    return int(tail)


# ------------------------------------------------------------------ errors

_CODES: tuple[tuple[type[KGError], str], ...] = (
    (NotFound, "NOT_FOUND"),
    (QueryTimeout, "TIMEOUT"),
    (QueryError, "QUERY_ERROR"),
    (Forbidden, "FORBIDDEN"),
    (ValidationError, "VALIDATION_ERROR"),
    (ParseError, "PARSE_ERROR"),
    (StoreError, "STORE_ERROR"),
    (KGError, "BAD_REQUEST"),
)


def error_code(error: KGError) -> str:
    """The ``extensions.code`` of a tmkg error: its most specific class's code.

    >>> error_code(NotFound("no party named 'X'"))
    'NOT_FOUND'
    """
    return next(code for cls, code in _CODES if isinstance(error, cls))


def coded(error: GraphQLError, debug: bool = False) -> GraphQLError:
    """The error as clients get it: with ``extensions.code`` (and ``suggestion``).

    tmkg errors keep their text (with the suggestion, so the message alone says what to do);
    limit refusals get their limit's code; other validation errors ``INVALID_QUERY``; an
    unexpected exception becomes "internal error" (its traceback goes to the server log),
    unless the server runs with --debug. Coding an error twice changes nothing.
    """
    original = error.original_error
    if isinstance(original, ArgumentError):
        name = _graphql_name(original.argument)
        extra = {"argument": name}
        message = re.sub(rf"\b{re.escape(original.argument)}\b", name, str(original), count=1)
        return _with(error, message, error_code(original), original.suggestion, extra)
    if isinstance(original, KGError):
        return _with(error, str(original), error_code(original), original.suggestion)
    if error.extensions and "code" in error.extensions:
        return error
    if original is None or isinstance(original, GraphQLError):
        for pattern, code, suggestion in LIMIT_CODES:
            if pattern.search(error.message):
                return _with(error, error.message, code, suggestion)
        return _with(error, error.message, "INVALID_QUERY", None)
    if debug:
        return _with(error, error.message, "INTERNAL", None)
    return _with(error, "internal error", "INTERNAL", "see the server's log")


class ErrorCodes(SchemaExtension):
    """Code the errors of an operation's result (see `coded`)."""

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [coded(error, self.debug) for error in result.errors]


def _graphql_name(argument: str) -> str:
    """'nice_class' -> 'niceClass', 'from_' -> 'from' (strawberry's names)."""
    head, *tail = argument.rstrip("_").split("_")
    return head + "".join(word.capitalize() for word in tail)


def _with(
    error: GraphQLError,
    message: str,
    code: str,
    suggestion: str | None,
    extra: dict[str, Any] | None = None,
) -> GraphQLError:
    extensions: dict[str, Any] = {**(error.extensions or {}), **(extra or {}), "code": code}
    if suggestion:
        extensions["suggestion"] = suggestion
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


class TmkgSchema(strawberry.Schema):
    """Codes every error, also those raised by extensions (a parse error in `ParserCache`)
    that end the operation before `ErrorCodes` sees its result, and logs only unexpected
    ones: a user's unknown name or bad query is not a server fault."""

    def __init__(self, *args: Any, debug: bool = False, **options: Any) -> None:
        super().__init__(*args, **options)
        self.debug = debug

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, KGError | GraphQLError):
                log.error("GraphQL resolver failed", exc_info=original)
        errors[:] = [coded(error, self.debug) for error in errors]


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with the limits of `settings` (depth, cost; time is the view's)."""
    settings = settings or Settings()
    # The depth and alias rules are built once, so every request validates with the same
    # rules and ValidationCache can reuse the verdict on a document it has seen.
    rules = [depth_limit_rule(settings.graphql_max_depth), aliases_limit_rule(MAX_ALIASES)]
    validators = anyio.CapacityLimiter(VALIDATION_THREADS)
    return TmkgSchema(
        query=Query,
        mutation=Mutation,
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
            lambda: AddValidationRules(rules),
            lambda: ThreadedValidation(validators),
            lambda: InputGuard(update_token=settings.update_token),
            lambda: QueryCostLimiter(max_cost=settings.graphql_max_cost),
            lambda: ErrorCodes(debug=settings.debug),
        ],
        config=StrawberryConfig(scalar_map={DateArgument: _DATE_SCALAR}),
        debug=settings.debug,
    )


schema = build_schema()
"""The schema with default limits (what ``schema/schema.graphql`` is exported from)."""

ROOT_FIELDS: tuple[str, ...] = tuple(schema._schema.query_type.fields)  # type: ignore[union-attr]
"""The GraphQL names of the root fields (every one is documented in the README)."""


def sdl() -> str:
    """The schema in GraphQL SDL, as exported to ``schema/schema.graphql``."""
    return schema.as_str() + "\n"
