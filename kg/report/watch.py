"""What watches found, for people: the watch report (HTML with a figure), the words the feed
and the reports share, and the "Watches" section of `kg report`.

Everything here takes the service's own results (`kg.analysis.watch_model.Watch`,
`WatchHit`, from `Analyst.watches` and `Analyst.watch_hits`), so the report, the Atom feed
(`kg.api.watch_feed`), GraphQL and `kg watch report` say the same. Hostile text in the data
(a mark written ``<script>``) is escaped by the template (autoescaped Jinja2, as every
report).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.model import SourceRef
from kg.analysis.watch_model import HitKind, OppositionWindow, Watch, WatchHit

if TYPE_CHECKING:
    from kg.analysis.service import Analyst

__all__ = [
    "KIND_LABELS",
    "RECENT_HITS",
    "SourceNumbers",
    "WatchSection",
    "hit_details",
    "hit_title",
    "newest_hits",
    "render_watch_html",
    "watch_scope",
    "watch_sections",
    "window_text",
]

RECENT_HITS = 10
"""Hits per watch a report's "Watches" section lists (the newest)."""

KIND_LABELS = {
    HitKind.NEW_FILING: "New filing",
    HitKind.STATUS_CHANGE: "Status change",
    HitKind.OWN_RIGHT_LAPSED: "Own right lapsed",
    HitKind.OPPOSITION_FILED: "Opposition filed",
}
"""What happened, in words, per hit kind."""


def hit_title(hit: WatchHit) -> str:
    """A hit in one line: what happened, the mark, the jurisdiction.

    >>> from kg.analysis.model import MarkRef
    >>> hit = WatchHit(id="h1", iri="i", watch="w", kind=HitKind.STATUS_CHANGE,
    ...     registration="r", mark=MarkRef("m", "AWSOME"), holder=None, jurisdiction="US",
    ...     classes=(42,), status="published", score=0.9, reasons=(), detected="2026-12-01",
    ...     record_date=None, window=None, sources=())
    >>> hit_title(hit)
    'Status change (published): AWSOME (US)'
    """
    label = KIND_LABELS.get(hit.kind, str(hit.kind))
    if hit.kind is HitKind.STATUS_CHANGE and hit.status:
        label += f" ({hit.status})"
    where = f" ({hit.jurisdiction})" if hit.jurisdiction else ""
    return f"{label}: {hit.mark.text}{where}"


def window_text(window: OppositionWindow | None) -> str:
    """The opposition window in words, with its rule ('' when there is none).

    >>> window_text(OppositionWindow("2026-11-03", "2026-12-03", True,
    ...     "30 days from publication", None, False))
    'opposable from 2026-11-03 to 2026-12-03, extendable (rule: 30 days from publication)'
    """
    if window is None:
        return ""
    if window.start or window.end:
        span = f"opposable from {window.start or 'an unknown day'} to {window.end or 'unknown'}"
    else:
        span = "opposable (the publication date is not known)"
    if window.extendable:
        span += ", extendable"
    rule = window.rule + (f"; {window.rule_source}" if window.rule_source else "")
    return f"{span} (rule: {rule})"


def hit_details(hit: WatchHit, watch: Watch | None = None) -> list[str]:
    """A hit's facts, one line each: score and reasons, classes, holder, status, dates, the
    opposition window and its rule, the record and the sources."""
    score = f"Score {hit.score:.2f}"
    if watch is not None:
        score += f" against the watched mark {watch.text!r} (at least {watch.min_score:.2f})"
    lines = [score + "."]
    if hit.reasons:
        lines.append(_sentence("Why: " + "; ".join(hit.reasons)))
    if hit.classes:
        lines.append("Classes: " + ", ".join(str(c) for c in hit.classes) + ".")
    if hit.holder is not None:
        country = f" ({hit.holder.country})" if hit.holder.country else ""
        lines.append(_sentence(f"Holder: {hit.holder.name}{country}"))
    if hit.status:
        lines.append(_sentence(f"Status: {hit.status}"))
    if hit.record_date:
        lines.append(f"Record date: {hit.record_date}.")
    if hit.window is not None:
        lines.append("Opposition window: " + window_text(hit.window) + ".")
    lines.append(f"Record: {hit.registration}")
    lines.append(f"Detected: {hit.detected}")
    for source in hit.sources:
        lines.append("Source: " + (source.title or source.graph) + f" <{source.graph}>")
    return lines


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def watch_scope(watch: Watch) -> str:
    """What a watch looks at, in words.

    >>> watch_scope(Watch(id="w", iri="i", text="AWS", registration=None, classes=(9, 42),
    ...     related_classes=True, jurisdictions=("US", "EM"), min_score=0.8, owner="Amazon",
    ...     created="2026-12-01T00:00:00Z"))
    'classes 9, 42 and related classes; in US, EM; score at least 0.80'
    """
    classes = (
        "classes " + ", ".join(str(c) for c in watch.classes) if watch.classes else "every class"
    )
    if watch.classes and watch.related_classes:
        classes += " and related classes"
    where = "in " + ", ".join(watch.jurisdictions) if watch.jurisdictions else "everywhere"
    return f"{classes}; {where}; score at least {watch.min_score:.2f}"


class SourceNumbers:
    """Sources numbered once, in order of first citation (as the reports number them)."""

    def __init__(self, sources: Iterable[SourceRef] = ()) -> None:
        self.sources: list[SourceRef] = []
        self._numbers: dict[str, int] = {}
        self.add(sources)

    def add(self, sources: Iterable[SourceRef]) -> None:
        for source in sources:
            if source.graph not in self._numbers:
                self.sources.append(source)
                self._numbers[source.graph] = len(self.sources)

    def cite(self, sources: Iterable[SourceRef]) -> list[int]:
        """The numbers of some sources (those not numbered yet are left out)."""
        return sorted({self._numbers[s.graph] for s in sources if s.graph in self._numbers})


@dataclass(frozen=True)
class WatchSection:
    """A watch and its newest hits, as a report lists them."""

    watch: Watch
    hits: tuple[WatchHit, ...]
    """The newest hits, newest first (at most the number asked for)."""
    total: int
    """How many hits the watch has in all."""

    @property
    def scope(self) -> str:
        """What the watch looks at, in words (`watch_scope`)."""
        return watch_scope(self.watch)

    @staticmethod
    def kind(hit: WatchHit) -> str:
        """What happened, in words."""
        return KIND_LABELS.get(hit.kind, str(hit.kind))

    @staticmethod
    def window(hit: WatchHit) -> str:
        """The hit's opposition window in words ('' when it has none)."""
        return window_text(hit.window)


def watch_sections(
    watches: Sequence[Watch], hits: Sequence[WatchHit], *, recent: int | None = RECENT_HITS
) -> list[WatchSection]:
    """One section per watch (in the order given) with its hits newest first, at most
    `recent` of them (None: all)."""
    by_watch: dict[str, list[WatchHit]] = {w.id: [] for w in watches}
    for hit in sorted(hits, key=lambda h: h.detected, reverse=True):
        if hit.watch in by_watch:
            by_watch[hit.watch].append(hit)
    return [
        WatchSection(watch=w, hits=tuple(by_watch[w.id][:recent]), total=len(by_watch[w.id]))
        for w in watches
    ]


def newest_hits(analyst: Analyst, *, recent: int = RECENT_HITS) -> list[WatchSection]:
    """Every watch the analyst's graph keeps, each with its `recent` newest hits (the
    "Watches" section of `kg report`); [] when it keeps none."""
    watches = analyst.watches()
    return watch_sections(watches, analyst.watch_hits(), recent=recent) if watches else []


def render_watch_html(
    watches: Sequence[Watch],
    hits: Sequence[WatchHit],
    *,
    title: str = "Watch report",
    since: str | None = None,
    today: dt.date | None = None,
) -> str:
    """The watch report: one self-contained HTML page (inline style, the figure as inline SVG,
    no script, nothing fetched) with a figure of hits per watch per week, then per watch its
    terms and every hit given (newest first) with its score, reasons, classes, holder, status,
    opposition window and numbered sources.

    `hits` are the hits to show (say, ``Analyst.watch_hits(since=...)``); `since` is only
    written in the header; `today` (default: today) decides which windows are "open"."""
    from kg.report.figures import svg
    from kg.report.html import environment
    from kg.report.watch_figure import hits_per_week_figure

    day = today or dt.date.today()
    sections = watch_sections(watches, hits, recent=None)
    numbers = SourceNumbers(s for section in sections for h in section.hits for s in h.sources)
    figure = svg(hits_per_week_figure(watches, hits), "Hits per watch per week")
    template = environment().get_template("watch.html.j2")
    text = template.render(
        title=title,
        since=since,
        generated=day.isoformat(),
        sections=sections,
        figure_svg=figure,
        numbers=numbers,
        kind_labels=KIND_LABELS,
        window_text=window_text,
        watch_scope=watch_scope,
        open_window=lambda w: _open(w, day),
    )
    return text.strip() + "\n"


def _open(window: OppositionWindow | None, today: dt.date) -> str:
    """'closes in N days' for a window still open on `today`, else ''."""
    if window is None or not window.end:
        return ""
    try:
        end = dt.date.fromisoformat(window.end[:10])
    except ValueError:
        return ""
    days = (end - today).days
    if days < 0:
        return "closed"
    return "closes today" if days == 0 else f"closes in {days} day{'s' if days != 1 else ''}"
