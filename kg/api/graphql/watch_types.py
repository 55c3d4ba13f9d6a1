"""GraphQL types and calls for watches (issue 20): `Watch`, `WatchHit`, `OppositionWindow`.

The types copy `kg.analysis.watch_model`'s dataclasses (``Watch.of``, ``WatchHit.of``); the
root fields (``watches``, ``watch``, ``watchHits``) and the mutations (``addWatch``,
``removeWatch``) in `kg.api.graphql.schema` call the functions below, which call the same
service the CLI calls (`Analyst.watches`, `kg.analysis.watch_definitions.add_watch`, ...)
in a worker thread. Mutations are refused without the update token before they run
(`kg.api.graphql.input_guard`), exactly as ``POST /load`` is.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from kg.analysis import arguments
from kg.analysis import watch_model as model
from kg.api.graphql.loaders import Context
from kg.api.graphql.source_types import Source, Statement, statements_of
from kg.api.graphql.types import Jurisdiction, Mark, Party

__all__ = [
    "DEFAULT_HITS",
    "HitKind",
    "OppositionWindow",
    "Watch",
    "WatchHit",
    "add_watch",
    "find_watch",
    "remove_watch",
    "watch_hits",
    "watches",
]

Info = strawberry.Info[Context, None]
DEFAULT_HITS = 50
"""Hits `watchHits` gives when no `limit` says (the newest)."""

HitKind = strawberry.enum(model.HitKind, description="What happened to the record a hit is about.")


@strawberry.type(description="When a published application can be opposed.")
class OppositionWindow:
    start: str | None = strawberry.field(
        description="first day (YYYY-MM-DD); null when the publication date is not known"
    )
    end: str | None = strawberry.field(description="last day before any extension")
    extendable: bool = strawberry.field(description="the period can be extended (US: the TTAB)")
    rule: str = strawberry.field(
        description='the rule applied, in words ("30 days from publication, extendable"), or '
        '"stated by the office"'
    )
    rule_source: str | None = strawberry.field(description="where the rule comes from (a URL)")
    stated: bool = strawberry.field(
        description="the office's record states the period (rather than the rule computing it)"
    )

    @classmethod
    def of(cls, window: model.OppositionWindow | None) -> OppositionWindow | None:
        if window is None:
            return None
        return cls(
            start=window.start,
            end=window.end,
            extendable=window.extendable,
            rule=window.rule,
            rule_source=window.rule_source,
            stated=window.stated,
        )


@strawberry.type(
    description="A mark watched for conflicting filings and changes, stored in the graph "
    "(kg watch add, addWatch)."
)
class Watch:
    id: strawberry.ID = strawberry.field(description="short id (letters, digits, hyphens)")
    iri: str
    text: str = strawberry.field(description="the watched mark's text")
    registration: str | None = strawberry.field(
        description="IRI of the watching party's own registration of the mark, if named"
    )
    nice_classes: list[int] = strawberry.field(description="Nice classes watched; empty: all")
    related_classes: bool = strawberry.field(description="marks in related classes count too")
    jurisdictions: list[Jurisdiction] = strawberry.field(description="watched; empty: all")
    min_score: float = strawberry.field(description="the least mark similarity for a hit (0-1)")
    owner: str = strawberry.field(description="who the watch is for (free text)")
    created: str = strawberry.field(description="when it was added (xsd:dateTime, UTC)")
    feed: str = strawberry.field(description="path of its Atom feed on this server")

    @classmethod
    def of(cls, watch: model.Watch) -> Watch:
        return cls(
            id=strawberry.ID(watch.id),
            iri=watch.iri,
            text=watch.text,
            registration=watch.registration,
            nice_classes=list(watch.classes),
            related_classes=watch.related_classes,
            jurisdictions=[Jurisdiction(code=code) for code in watch.jurisdictions],
            min_score=watch.min_score,
            owner=watch.owner,
            created=watch.created,
            feed=f"/watch/{watch.id}.atom",
        )

    @strawberry.field(description="The sources that state the watch (the graph it is kept in).")
    async def sources(self, info: Info) -> list[Source]:
        return [Source.of(ref) for ref in await info.context.loaders.sources.load(self.iri)]


@strawberry.type(
    description="A new or changed record that conflicts with a watch, as one import found it, "
    "with the sources of the record's new state."
)
class WatchHit:
    id: strawberry.ID
    iri: str
    watch: strawberry.ID = strawberry.field(description="the watch's id")
    kind: HitKind  # type: ignore[valid-type]
    registration: strawberry.ID = strawberry.field(
        description="IRI of the registration or application the hit is about"
    )
    mark: Mark
    holder: Party | None
    jurisdiction: Jurisdiction | None
    nice_classes: list[int]
    status: str | None = strawberry.field(description="the record's status after the import")
    score: float = strawberry.field(description="mark similarity with the watched text (0-1)")
    reasons: list[str] = strawberry.field(
        description="the similarity rules that fired and the classes shared or related"
    )
    detected: str = strawberry.field(description="when the hit was recorded (xsd:dateTime, UTC)")
    record_date: str | None = strawberry.field(description="the record's own date in the file")
    window: OppositionWindow | None = strawberry.field(
        description="the opposition window of a published application; null otherwise"
    )
    sources: list[Source] = strawberry.field(
        description="the import's source graph(s) stating the record's new state"
    )
    statements: list[Statement] = strawberry.field(
        description="what it states, each statement with exactly the sources that state it"
    )

    @classmethod
    def of(cls, hit: model.WatchHit) -> WatchHit:
        return cls(
            id=strawberry.ID(hit.id),
            iri=hit.iri,
            watch=strawberry.ID(hit.watch),
            kind=hit.kind,
            registration=strawberry.ID(hit.registration),
            mark=Mark.of(hit.mark),
            holder=Party.of(hit.holder) if hit.holder else None,
            jurisdiction=Jurisdiction.of(hit.jurisdiction),
            nice_classes=list(hit.classes),
            status=hit.status,
            score=hit.score,
            reasons=list(hit.reasons),
            detected=hit.detected,
            record_date=hit.record_date,
            window=OppositionWindow.of(hit.window),
            sources=[Source.of(ref) for ref in hit.sources],
            statements=statements_of(hit.statements, hit.sources),
        )


# ------------------------------------------------------------------ calls (schema.py's fields)


async def watches(info: Info) -> list[Watch]:
    """Every watch, as `Analyst.watches` orders them."""
    analyst = info.context.runner.analyst
    return [Watch.of(w) for w in await info.context.runner.run(analyst.watches)]


async def find_watch(info: Info, watch_id: str) -> Watch:
    """The watch with this id; `NotFound` (``NOT_FOUND``) for an unknown one."""
    given = arguments.text(watch_id, "id")
    analyst = info.context.runner.analyst
    return Watch.of(await info.context.runner.run(lambda: analyst.watch(given)))


async def watch_hits(
    info: Info, since: str | None, watch: str | None, limit: int | None
) -> list[WatchHit]:
    """Hits newest first: detected on or after `since`, of one watch, at most `limit`."""
    size = arguments.check(limit=DEFAULT_HITS if limit is None else limit)["limit"]
    if since is not None:  # a month or a year means from its first day
        first = arguments.date(since, "since")
        since = f"{first.year:04d}-{first.month or 1:02d}-{first.day or 1:02d}"
    if watch is not None:
        watch = arguments.text(watch, "watch")
    analyst = info.context.runner.analyst
    hits: Sequence[model.WatchHit] = await info.context.runner.run(
        lambda: analyst.watch_hits(since=since, watch=watch)
    )
    return [WatchHit.of(hit) for hit in hits[:size]]


async def add_watch(
    info: Info,
    *,
    text: str,
    owner: str,
    registration: str | None,
    nice_classes: list[int] | None,
    related_classes: bool | None,
    jurisdictions: list[str] | None,
    min_score: float | None,
) -> Watch:
    """Store a new watch (`kg.analysis.watch_definitions.add_watch`) and return it."""
    from kg.analysis.watch_definitions import add_watch as store_watch

    checked = {
        "text": arguments.text(text, "text"),
        "owner": arguments.text(owner, "owner"),
        "registration": None
        if registration is None
        else arguments.text(registration, "registration"),
        "classes": tuple(arguments.nice_class(c, "nice_classes") for c in nice_classes or ()),
        "jurisdictions": tuple(
            arguments.jurisdiction(j, "jurisdictions") for j in jurisdictions or ()
        ),
        "min_score": arguments.fraction(0.8 if min_score is None else min_score, "min_score"),
    }
    runner = info.context.runner

    def write() -> model.Watch:
        return store_watch(
            runner.graph,
            checked["text"],
            owner=checked["owner"],
            registration=checked["registration"],
            classes=checked["classes"],
            related_classes=bool(related_classes),
            jurisdictions=checked["jurisdictions"],
            min_score=checked["min_score"],
        )

    return Watch.of(await runner.run(write))


async def remove_watch(info: Info, watch_id: str) -> Watch:
    """Remove a watch (`kg.analysis.watch_definitions.remove_watch`); the watch as it was.
    An unknown id is `NotFound`."""
    from kg.analysis.watch_definitions import remove_watch as drop_watch

    given = arguments.text(watch_id, "id")
    runner = info.context.runner

    def write() -> model.Watch:
        found = runner.analyst.watch(given)
        drop_watch(runner.graph, found.id)
        return found

    return Watch.of(await runner.run(write))
