"""The watch report's figure: hits per watch per week, drawn as `kg.report.figures` draws.

One row per watch with hits in the weeks shown, one column per week (ISO weeks, Monday first,
the latest on the right); each cell is a bar as tall as the week's hits of the watch, its count
written above it. The figure is laid out in its own points, its labels drawn as plain text in
any script (a mark such as ``MONEY$$`` is never read as math text), so
`kg.report.figures.svg` turns it into inline SVG that needs no font.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from kg.analysis.watch_model import Watch, WatchHit
from kg.report.figures import KIND_COLOURS, _canvas, _plain_text, short_label

__all__ = ["MAX_WEEKS", "hits_per_week", "hits_per_week_figure", "week_of"]

MAX_WEEKS = 12
"""Weeks the figure shows at most (the latest ones with hits, and those between them)."""
_WIDTH = 800.0
_LABEL_WIDTH = 190.0
_ROW = 34.0
_TOP = 30.0
_BOTTOM = 12.0
_FONT = 8.5
_MAX_COLUMN = 60.0  # points per week at most, so a few weeks do not make slabs


def week_of(detected: str) -> dt.date:
    """The Monday of the ISO week a hit was detected in (its xsd:dateTime or xsd:date).

    >>> week_of("2026-12-03T09:30:00Z")
    datetime.date(2026, 11, 30)
    """
    day = dt.date.fromisoformat(detected[:10])
    return day - dt.timedelta(days=day.weekday())


def hits_per_week(hits: Sequence[WatchHit]) -> tuple[list[dt.date], Counter[tuple[str, dt.date]]]:
    """The weeks to show (oldest first, at most `MAX_WEEKS`, ending with the latest week that
    has a hit) and the number of hits per (watch id, week)."""
    counts = Counter((hit.watch, week_of(hit.detected)) for hit in hits)
    if not counts:
        return [], counts
    latest = max(week for _, week in counts)
    earliest = max(min(week for _, week in counts), latest - dt.timedelta(weeks=MAX_WEEKS - 1))
    weeks = []
    week = earliest
    while week <= latest:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    return weeks, counts


def hits_per_week_figure(watches: Sequence[Watch], hits: Sequence[WatchHit]) -> Figure:
    """Hits per watch per week: a row of bars per watch with hits in the weeks shown (see
    the module)."""
    weeks, counts = hits_per_week(hits)
    rows = [w for w in watches if any(counts.get((w.id, week)) for week in weeks)]
    if not rows or not weeks:
        fig, ax = _canvas(_WIDTH, 60.0)
        _plain_text(ax, _WIDTH / 2, 30, "(no hits in the period)", ha="center", va="center")
        return fig
    height = _TOP + _ROW * len(rows) + _BOTTOM
    fig, ax = _canvas(_WIDTH, height)
    column = min((_WIDTH - _LABEL_WIDTH - 10) / len(weeks), _MAX_COLUMN)
    most = max(counts.values())
    fill, border = KIND_COLOURS["mark"]
    for j, week in enumerate(weeks):
        x = _LABEL_WIDTH + column * j
        label = f"{week:%d %b}" if column >= 40 or j % 2 == 0 else ""
        _plain_text(ax, x + column / 2, height - 14, label, fontsize=_FONT, ha="center")
    for i, watch in enumerate(rows):
        base = height - _TOP - _ROW * (i + 1) + 6
        ax.axhline(base, xmin=_LABEL_WIDTH / _WIDTH, xmax=1, color="#d9d9de", linewidth=0.8)
        text = short_label(f"{watch.text} ({watch.id})", width=30, lines=1)
        _plain_text(ax, _LABEL_WIDTH - 8, base + 4, text, fontsize=_FONT, ha="right")
        for j, week in enumerate(weeks):
            n = counts.get((watch.id, week), 0)
            if not n:
                continue
            x = _LABEL_WIDTH + column * j + column * 0.2
            bar = (_ROW - 14) * n / most
            ax.add_patch(
                Rectangle((x, base), column * 0.6, bar, facecolor=fill, edgecolor=border, lw=0.8)
            )
            _plain_text(ax, x + column * 0.3, base + bar + 1, str(n), fontsize=7.5, ha="center")
    return fig
