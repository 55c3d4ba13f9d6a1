"""The report's figures, drawn with matplotlib: the conflict network and the timeline.

Both are laid out in the figure's own points (1 data unit = 1 pt), so every label's box can be
measured with the renderer and moved until no two overlap; the functions return matplotlib
`Figure`s (Jupyter draws them) and `svg` turns one into inline SVG with its text as paths, so
the SVG needs no font. Labels are shortened and drawn in their own script from a fallback
list of fonts, matplotlib taking each glyph from the first font that has it (`FONT_FAMILIES`):
DejaVu Sans (Latin, Greek, Cyrillic), Noto Sans CJK (Chinese, Japanese, Korean) and Noto Sans
Arabic, Hebrew, Devanagari and Thai, from Debian's fonts-noto-cjk and fonts-noto-core (`make
fonts`). Where the CJK fonts are missing, Chinese is romanized (pinyin) instead.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import wcwidth
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from kg.analysis.dates import PartialDate
from kg.analysis.model import TimelineEntry
from kg.lazy import lazy_module
from kg.report.network import ConflictNetwork
from kg.xml_text import xml_safe

nx = lazy_module("networkx")  # loaded on first use: kg.lazy

__all__ = [
    "FONT_FAMILIES",
    "KIND_COLOURS",
    "TimelineSelection",
    "label_boxes",
    "missing_fonts",
    "network_figure",
    "short_label",
    "svg",
    "timeline_figure",
    "timeline_selection",
]

# (fill, border) per node kind; readable in greyscale too.
KIND_COLOURS = {
    "party": ("#d6e6f5", "#2f6ea8"),
    "court": ("#e3ddf0", "#5e4a9c"),
    "mark": ("#fde7cf", "#c46d12"),
    "case": ("#f6d3d3", "#b22a2a"),
}
_TIMELINE_COLOURS = {"case": "#b22a2a", "filing": "#2f6ea8", "use": "#3b8a3b", "other": "#666666"}
_CASE_KINDS = {"lawsuit filed", "judgment", "appeal", "publication", "settlement", "ruling"}
_FONT = 9.0
_EDGE_FONT = 7.5
_TIMELINE_FONT = 8.5
_PAD = 0.35  # box padding, in font sizes
_GAP = 6.0  # points kept free between node boxes
_WIDTH = 800.0
MAX_TIMELINE_ENTRIES = 40
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
# Every Noto Sans CJK face holds Han, Kana and Hangul; the region picks the Han glyph forms.
_CJK_FONTS = {"zh": "Noto Sans CJK SC", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}
_OTHER_SCRIPTS = ("Arabic", "Hebrew", "Devanagari", "Thai")
FONT_FAMILIES = (
    "DejaVu Sans",
    *_CJK_FONTS.values(),
    *(f"Noto Sans {script}" for script in _OTHER_SCRIPTS),
)
"""The fonts figure labels are drawn with (names as fc-list reports them), first match wins."""
_LEGAL_SUFFIX = re.compile(r",?\s+(Co\.,?\s*Ltd\.?|Ltd\.|Inc\.|LLC|Corp\.)$")


def short_label(text: str, width: int = 22, lines: int = 2) -> str:
    """A figure label: legal suffix dropped, wrapped at `width` display columns (a Chinese
    character takes two), cut with an ellipsis; Chinese is romanized only when the CJK
    fonts are missing.

    >>> short_label("Beijing ActionSoft Science & Technology Development Co., Ltd.")
    'Beijing ActionSoft\\nScience & Technology…'
    """
    text = text.strip()
    if _CJK_FONTS["zh"] in missing_fonts():
        text = _romanize(text)
    text = _LEGAL_SUFFIX.sub("", text) or text
    wrapped = wcwidth.wrap(text, width) or [text]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(" ,;") + "…"
    return "\n".join(wrapped)


def _romanize(text: str) -> str:
    if not _CJK.search(text):
        return text
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [chars])
    out, previous = "", False
    for part in parts:
        syllable = part.isalpha() and part.isascii()
        if out and (syllable or previous) and not out.endswith(" "):
            out += " "
        out += part.capitalize() if syllable else part
        previous = syllable
    return re.sub(r"\)(?=\w)", ") ", out).strip()


# ------------------------------------------------------------------ network


def network_figure(network: ConflictNetwork, *, seed: int = 7) -> Figure:
    """The conflict network: boxes coloured by kind (the subject outlined), labelled edges.

    Nodes and edges are laid out in a fixed order (sorted by IRI), so the figure does not
    depend on set order (PYTHONHASHSEED). No two labels overlap, whatever the input: node
    boxes are pushed apart, and packed in rows if that fails; each edge label takes the
    first free spot along its edge, else the free spot nearest its edge's middle (with a
    dotted leader), else a row added above the drawing. Boxes are measured as drawn. Text
    artists carry a gid (``node:``/``edge:``) so `label_boxes` can check the result.
    """
    graph = _ordered(network.shown)
    count = max(graph.number_of_nodes(), 1)
    height = min(1100.0, 380.0 + 26.0 * count)
    fig, ax = _canvas(_WIDTH, height)
    if graph.number_of_nodes() == 0:
        _plain_text(ax, _WIDTH / 2, height / 2, "(no parties, marks or cases to draw)", ha="center")
        return fig
    legend_strip = 34.0
    texts = {
        node: _plain_text(
            ax,
            0,
            0,
            short_label(str(data.get("label", node))),
            ha="center",
            va="center",
            fontsize=_FONT,
            fontweight="bold" if data.get("focus") else "normal",
            zorder=3,
            gid=f"node:{node}",
            bbox={
                "boxstyle": f"round,pad={_PAD}",
                "facecolor": KIND_COLOURS.get(data.get("kind", ""), ("#eee", "#888"))[0],
                "edgecolor": KIND_COLOURS.get(data.get("kind", ""), ("#eee", "#888"))[1],
                "linewidth": 2.4 if data.get("focus") else 1.0,
            },
        )
        for node, data in graph.nodes(data=True)
    }
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    sizes = {}
    for node, text in texts.items():
        x0, y0, x1, y1 = _drawn_offsets(text, renderer)
        # A box centred on the anchor that holds the drawn box, plus room for the border.
        sizes[node] = (2 * max(-x0, x1) + 2, 2 * max(-y0, y1) + 2)
    area = (12.0, legend_strip + 8.0, _WIDTH - 12.0, height - 12.0)
    centres = _initial_positions(graph, sizes, area, seed)
    _separate(centres, sizes, area)
    if not _apart([_box(centres[n], sizes[n]) for n in graph], _GAP / 2):
        centres, top = _rows(centres, sizes, area)
        if top + 12.0 > height:
            height = top + 12.0
            renderer = _resize(fig, ax, _WIDTH, height)
        area = (area[0], area[1], area[2], height - 12.0)
    for node, text in texts.items():
        text.set_position(centres[node])
    boxes = [_box(centres[n], sizes[n]) for n in graph]
    overflow: list[tuple[float, ...]] = []  # labels in rows added above the drawing
    for a, b, data in graph.edges(data=True):
        (x0, y0), (x1, y1) = centres[a], centres[b]
        ax.plot([x0, x1], [y0, y1], color="#9a9a9a", linewidth=1.0, zorder=1)
        label = str(data.get("label", ""))
        if not label:
            continue
        text = _plain_text(
            ax,
            0,
            0,
            label,
            ha="center",
            va="center",
            fontsize=_EDGE_FONT,
            style="italic",
            color="#333333",
            zorder=2,
            gid=f"edge:{a}|{b}",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
        offsets = _drawn_offsets(text, renderer)
        middle = ((x0 + x1) / 2, (y0 + y1) / 2)
        along = [(x0 + t * (x1 - x0), y0 + t * (y1 - y0)) for t in _ALONG]
        where = next((p for p in along if _free(_shift(offsets, p), boxes, area)), None)
        if where is None:
            where = _nearest_free_spot(middle, offsets, boxes, area)
            if where is None:
                where = _overflow_spot(offsets, overflow, area, height)
                if where[1] + offsets[3] + 12.0 > height:
                    height = where[1] + offsets[3] + 12.0
                    renderer = _resize(fig, ax, _WIDTH, height)
                overflow.append(_shift(offsets, where))
            ax.plot(
                [middle[0], where[0]],
                [middle[1], where[1]],
                color="#9a9a9a",
                linewidth=0.6,
                linestyle=":",
                zorder=1,
            )
        text.set_position(where)
        boxes.append(_shift(offsets, where))
    kinds = [k for k in KIND_COLOURS if any(d.get("kind") == k for _, d in graph.nodes(data=True))]
    handles = [
        Patch(facecolor=KIND_COLOURS[k][0], edgecolor=KIND_COLOURS[k][1], label=k) for k in kinds
    ]
    handles.append(Patch(facecolor="white", edgecolor="black", linewidth=2.4, label="subject"))
    legend = ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        ncols=len(handles),
        frameon=False,
        fontsize=_EDGE_FONT + 0.5,
        handlelength=1.4,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    return fig


_ALONG = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)  # where on its edge a label may sit
_LABEL_GAP = 1.5  # points kept free around an edge label
_REACH = 160.0  # how far from its edge's middle a label may move before it goes above
_SPOT_BOXES, _SPOTS = 30, 3000  # bounds on the spots tried per label (time, when crowded)


def _ordered(graph: nx.Graph) -> nx.Graph:
    """The graph with nodes, edges and each edge's ends in sorted order: the layout then
    depends on the graph, not on the order sets happened to give."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    ends = ((a, b, d) if str(a) <= str(b) else (b, a, d) for a, b, d in graph.edges(data=True))
    ordered.add_edges_from(sorted(ends, key=lambda e: (str(e[0]), str(e[1]))))
    return ordered


def _drawn_offsets(text: Text, renderer: object) -> tuple[float, float, float, float]:
    """The box `label_boxes` measures for a text artist (its bbox patch, or the text), as
    offsets from the artist's anchor, in points."""
    text.set_position((0.0, 0.0))
    patch = text.get_bbox_patch()
    if patch is not None:
        text.update_bbox_position_size(renderer)
        extent = patch.get_window_extent(renderer)
    else:
        extent = text.get_window_extent(renderer)
    ox, oy = text.get_transform().transform((0.0, 0.0))
    return (extent.x0 - ox, extent.y0 - oy, extent.x1 - ox, extent.y1 - oy)


def _shift(offsets: Sequence[float], at: tuple[float, float]) -> tuple[float, ...]:
    return (at[0] + offsets[0], at[1] + offsets[1], at[0] + offsets[2], at[1] + offsets[3])


def _apart(boxes: Sequence[Sequence[float]], gap: float) -> bool:
    """Whether every two boxes are at least `gap` apart along one axis."""
    return all(_clear(a, b, gap) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _clear(a: Sequence[float], b: Sequence[float], gap: float) -> bool:
    return a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]


def _free(
    box: Sequence[float],
    boxes: Sequence[Sequence[float]],
    area: tuple[float, float, float, float],
) -> bool:
    """Whether a label box lies inside the area and clear of every placed box."""
    inside = box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]
    return inside and all(_clear(box, other, _LABEL_GAP) for other in boxes)


def _nearest_free_spot(
    near: tuple[float, float],
    offsets: Sequence[float],
    boxes: Sequence[Sequence[float]],
    area: tuple[float, float, float, float],
    reach: float = _REACH,
) -> tuple[float, float] | None:
    """The free anchor nearest `near`, at most `reach` away in either axis, among the spots
    beside, above or below a placed box or the area's border (aligned with either end of
    the box), or None.

    A free spot can slide towards `near` until it meets a box or the border, so spots
    against them are the ones worth trying. Only boxes within reach are looked at, spots
    come from the nearest `_SPOT_BOXES` and at most `_SPOTS` are tried, which keeps this
    quick however crowded the figure is (a label that finds no spot goes above)."""
    x0, y0, x1, y1 = offsets
    g = _LABEL_GAP + 0.01
    window = (
        near[0] - reach + x0 - g,
        near[1] - reach + y0 - g,
        near[0] + reach + x1 + g,
        near[1] + reach + y1 + g,
    )
    local = sorted(
        (box for box in boxes if not _clear(box, window, 0.0)),
        key=lambda b: max(b[0] - near[0], near[0] - b[2], b[1] - near[1], near[1] - b[3]),
    )  # nearest first: a spot's clash is then found after a few boxes
    xs = {near[0], area[0] - x0, area[2] - x1}
    ys = {near[1], area[1] - y0, area[3] - y1}
    for box in local[:_SPOT_BOXES]:
        xs.update((box[0] - g - x1, box[2] + g - x0, box[0] - x0, box[2] - x1))
        ys.update((box[1] - g - y1, box[3] + g - y0, box[1] - y0, box[3] - y1))
    xs = {x for x in xs if abs(x - near[0]) <= reach}
    ys = {y for y in ys if abs(y - near[1]) <= reach}
    spots = sorted(
        ((x, y) for x in xs for y in ys),
        key=lambda p: ((p[0] - near[0]) ** 2 + (p[1] - near[1]) ** 2, p),
    )
    return next((p for p in spots[:_SPOTS] if _free(_shift(offsets, p), local, area)), None)


def _overflow_spot(
    offsets: Sequence[float],
    overflow: Sequence[Sequence[float]],
    area: tuple[float, float, float, float],
    height: float,
) -> tuple[float, float]:
    """An anchor in rows above everything drawn so far: after the last overflow label in
    its row, or at the start of a new row. Nothing else is ever placed there."""
    width = offsets[2] - offsets[0]
    if overflow:
        last = overflow[-1]
        if last[2] + _LABEL_GAP * 2 + width <= area[2]:
            return (last[2] + _LABEL_GAP * 2 - offsets[0], last[1] - offsets[1])
        bottom = max(box[3] for box in overflow) + _LABEL_GAP * 2
    else:
        bottom = max(area[3], height - 12.0) + _LABEL_GAP * 2
    return (area[0] - offsets[0], bottom - offsets[1])


def _rows(
    centres: dict[str, tuple[float, float]],
    sizes: dict[str, tuple[float, float]],
    area: tuple[float, float, float, float],
) -> tuple[dict[str, tuple[float, float]], float]:
    """Node boxes packed in rows, in reading order of their layout positions, `_GAP` apart:
    the fallback when pushing them apart leaves an overlap. Returns the centres and the top
    of the top row (above the area's top when the rows need more height)."""
    order = sorted(centres, key=lambda n: (-centres[n][1], centres[n][0], str(n)))
    rows: list[list[str]] = []
    width = 0.0
    for node in order:
        w = sizes[node][0]
        if rows and width + _GAP + w <= area[2] - area[0]:
            rows[-1].append(node)
            width += _GAP + w
        else:
            rows.append([node])
            width = w
    needed = sum(max(sizes[n][1] for n in row) for row in rows) + _GAP * (len(rows) - 1)
    top = max(area[3], area[1] + needed)
    placed, y = {}, top
    for row in rows:
        tall = max(sizes[n][1] for n in row)
        x = area[0]
        for node in row:
            w = sizes[node][0]
            placed[node] = (x + w / 2, y - tall / 2)
            x += w + _GAP
        y -= tall + _GAP
    return placed, top


def _resize(fig: Figure, ax: object, width: float, height: float) -> object:
    """Grow the canvas, keeping one data unit per point and everything drawn where it is;
    returns the renderer for the new size."""
    fig.set_size_inches(width / 72, height / 72)
    ax.set_xlim(0, width)  # type: ignore[attr-defined]
    ax.set_ylim(0, height)  # type: ignore[attr-defined]
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]


def _initial_positions(
    graph: nx.Graph,
    sizes: dict[str, tuple[float, float]],
    area: tuple[float, float, float, float],
    seed: int,
) -> dict[str, tuple[float, float]]:
    """A spring layout, scaled into the drawing area with room for the boxes."""
    n = graph.number_of_nodes()
    raw = nx.spring_layout(graph, seed=seed, k=2.2 / max(n, 1) ** 0.5, iterations=300)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    half_w = max(w for w, _ in sizes.values()) / 2
    half_h = max(h for _, h in sizes.values()) / 2
    left, bottom, right, top = area
    left, right, bottom, top = left + half_w, right - half_w, bottom + half_h, top - half_h
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: (
            left + (p[0] - min(xs)) / span_x * (right - left) if n > 1 else (left + right) / 2,
            bottom + (p[1] - min(ys)) / span_y * (top - bottom) if n > 1 else (bottom + top) / 2,
        )
        for node, p in raw.items()
    }


def _separate(
    centres: dict[str, tuple[float, float]],
    sizes: dict[str, tuple[float, float]],
    area: tuple[float, float, float, float],
    rounds: int = 600,
) -> None:
    """Push overlapping boxes apart along the axis of least overlap, inside the area."""
    nodes = sorted(centres, key=str)
    left, bottom, right, top = area
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                (ax_, ay), (bx, by) = centres[a], centres[b]
                (aw, ah), (bw, bh) = sizes[a], sizes[b]
                dx = (aw + bw) / 2 + _GAP - abs(ax_ - bx)
                dy = (ah + bh) / 2 + _GAP - abs(ay - by)
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                if dx * 0.6 < dy:  # widths are larger, so prefer sideways moves a little less
                    step = dx / 2 + 0.5
                    sign = 1.0 if (bx, str(b)) >= (ax_, str(a)) else -1.0
                    centres[a], centres[b] = (ax_ - sign * step, ay), (bx + sign * step, by)
                else:
                    step = dy / 2 + 0.5
                    sign = 1.0 if (by, str(b)) >= (ay, str(a)) else -1.0
                    centres[a], centres[b] = (ax_, ay - sign * step), (bx, by + sign * step)
        for node in nodes:
            (x, y), (w, h) = centres[node], sizes[node]
            centres[node] = (
                min(max(x, left + w / 2), right - w / 2),
                min(max(y, bottom + h / 2), top - h / 2),
            )
        if not moved:
            return


def _box(centre: tuple[float, float], size: tuple[float, float]) -> tuple[float, ...]:
    (x, y), (w, h) = centre, size
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def label_boxes(fig: Figure) -> dict[str, tuple[float, float, float, float]]:
    """The drawn box (x0, y0, x1, y1, in points) of every node and edge label, by gid."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    fig.draw(renderer)
    found = {}
    for text in fig.findobj(Text):
        gid = text.get_gid()
        if gid and gid.startswith(("node:", "edge:", "event:")):
            patch = text.get_bbox_patch()
            extent = (patch or text).get_window_extent(renderer)
            found[gid] = (extent.x0, extent.y0, extent.x1, extent.y1)
    return found


# ------------------------------------------------------------------ timeline


@dataclass(frozen=True)
class TimelineSelection:
    """The dated entries a timeline figure draws, and what it leaves out."""

    entries: tuple[TimelineEntry, ...]
    left_out: int
    undated: int

    @property
    def note(self) -> str:
        parts = []
        if self.left_out:
            parts.append(
                f"{self.left_out} more dated entries are left out (case events and the "
                f"earliest entries are kept); the table lists them all"
            )
        if self.undated:
            parts.append(
                f"{self.undated} undated entr{'y is' if self.undated == 1 else 'ies are'}"
                " listed in the table only"
            )
        return ("; ".join(parts) + ".") if parts else "Every dated entry is shown."


def timeline_selection(
    entries: Sequence[TimelineEntry], limit: int = MAX_TIMELINE_ENTRIES
) -> TimelineSelection:
    """Dated entries to draw: case events first, then the earliest others, `limit` in all."""
    dated = [e for e in entries if PartialDate.try_parse(e.date)]
    undated = len(entries) - len(dated)
    if len(dated) <= limit:
        return TimelineSelection(tuple(dated), 0, undated)
    ranked = sorted(range(len(dated)), key=lambda i: (_category(dated[i].kind) != "case", i))
    keep = sorted(ranked[:limit])
    return TimelineSelection(tuple(dated[i] for i in keep), len(dated) - limit, undated)


def timeline_figure(entries: Sequence[TimelineEntry]) -> Figure:
    """Dated entries on a time axis, labels stacked in lanes so that none overlap.

    Partial dates are drawn as a bar over the month or year they cover. The axis counts day
    numbers, not matplotlib dates, so that any XSD year (-0044, 10000) can be drawn.
    """
    selection = timeline_selection(entries)
    items = [(e, PartialDate.parse(e.date)) for e in selection.entries]  # type: ignore[arg-type]
    if not items:
        fig, ax = _canvas(_WIDTH, 80.0)
        _plain_text(ax, _WIDTH / 2, 40, "(no dated entries)", ha="center")
        return fig
    x0 = float(min(d.first_day for _, d in items))
    x1 = float(max(d.last_day for _, d in items))
    margin = max((x1 - x0) * 0.04, 60.0)
    left_pt, right_pt = 20.0, _WIDTH - 20.0
    lo, hi = x0 - margin, x1 + margin
    scale = (right_pt - left_pt) / (hi - lo)

    def to_pt(value: float) -> float:
        return left_pt + (value - lo) * scale

    probe = Figure(figsize=(_WIDTH / 72, 2), dpi=72)
    FigureCanvasAgg(probe)
    renderer = probe.canvas.get_renderer()  # type: ignore[attr-defined]
    lanes: list[list[tuple[float, float]]] = []
    placed = []
    for entry, date in items:
        label = _timeline_label(entry)
        width = (
            _plain_text(probe, 0, 0, label, fontsize=_TIMELINE_FONT)
            .get_window_extent(renderer)
            .width
        )
        anchor = to_pt(date.first_day)
        right_side = anchor + 4 + width <= right_pt
        span = (anchor + 2, anchor + 6 + width) if right_side else (anchor - 6 - width, anchor - 2)
        lane = next(
            (
                i
                for i, used in enumerate(lanes)
                if all(span[1] + 4 < a or span[0] - 4 > b for a, b in used)
            ),
            None,
        )
        if lane is None:
            lanes.append([])
            lane = len(lanes) - 1
        lanes[lane].append(span)
        placed.append((entry, date, label, anchor, lane, right_side))
    lane_height = 16.5
    axis_y = 34.0
    height = axis_y + 22.0 + lane_height * len(lanes) + 8.0
    fig, ax = _canvas(_WIDTH, height)
    ax.axhline(axis_y, color="#444444", linewidth=1.0, zorder=1)
    first_year = PartialDate.from_day_number(int(x0)).year
    last_year = PartialDate.from_day_number(int(x1)).year
    year = first_year
    while year <= last_year + 1:
        tick = to_pt(PartialDate(year).first_day)
        if left_pt <= tick <= right_pt:
            ax.plot([tick, tick], [axis_y - 4, axis_y], color="#444444", linewidth=0.8)
            _plain_text(
                ax, tick, axis_y - 7, str(year), ha="center", va="top", fontsize=_TIMELINE_FONT
            )
        year += max(1, (last_year - first_year) // 12 + 1)
    for index, (entry, date, label, anchor, lane, right_side) in enumerate(placed):
        colour = _TIMELINE_COLOURS[_category(entry.kind)]
        y = axis_y + 22.0 + lane * lane_height
        if date.precision != "day":
            right = to_pt(date.last_day)
            ax.plot(
                [anchor, max(right, anchor + 2)],
                [axis_y, axis_y],
                color=colour,
                linewidth=5,
                solid_capstyle="butt",
                alpha=0.55,
                zorder=2,
            )
        ax.plot([anchor, anchor], [axis_y, y], color=colour, linewidth=0.7, alpha=0.7, zorder=1)
        ax.plot([anchor], [axis_y], marker="o", markersize=4, color=colour, zorder=3)
        _plain_text(
            ax,
            anchor + (4 if right_side else -4),
            y,
            label,
            ha="left" if right_side else "right",
            va="center",
            fontsize=_TIMELINE_FONT,
            color=colour,
            gid=f"event:{index}:{entry.subject}|{entry.date}|{entry.kind}",
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
    return fig


def _timeline_label(entry: TimelineEntry) -> str:
    who = ""
    if entry.parties and _category(entry.kind) != "case":
        who = " · " + short_label(entry.parties[0], width=26, lines=1)
    return f"{entry.date} {entry.kind}{who}"


def _category(kind: str) -> str:
    if kind in _CASE_KINDS:
        return "case"
    if kind in ("filing", "registration"):
        return "filing"
    if kind.startswith("use"):
        return "use"
    return "other"


# ------------------------------------------------------------------ output


@functools.cache
def missing_fonts() -> tuple[str, ...]:
    """The `FONT_FAMILIES` matplotlib cannot find (`make fonts` installs them).

    Fonts installed after matplotlib cached its font list are added first, and the cache
    rewritten (where matplotlib keeps it), so they are found without clearing it by hand."""
    manager = font_manager.fontManager
    if _unknown_families(manager):
        known = {entry.fname for entry in manager.ttflist}
        added = False
        for path in font_manager.findSystemFonts():
            if path not in known:
                with contextlib.suppress(OSError, RuntimeError):  # a file FreeType refuses
                    manager.addfont(path)
                    added = True
        if added:
            version = font_manager.FontManager.__version__
            font_manager.json_dump(manager, Path(mpl.get_cachedir(), f"fontlist-v{version}.json"))
    return _unknown_families(manager)


def _unknown_families(manager: font_manager.FontManager) -> tuple[str, ...]:
    names = {entry.name for entry in manager.ttflist}
    return tuple(family for family in FONT_FAMILIES if family not in names)


def _families(text: str) -> list[str]:
    """The installed fonts for one label, in fallback order; a label with Kana takes the
    Japanese forms of Han characters, one with Hangul the Korean forms."""
    region = "ja" if _KANA.search(text) else "ko" if _HANGUL.search(text) else "zh"
    others = {name for key, name in _CJK_FONTS.items() if key != region}
    missing = missing_fonts()
    return [f for f in FONT_FAMILIES if f not in others and f not in missing]


def _plain_text(owner: object, x: float, y: float, text: str, **options: object) -> Text:
    """A text artist drawn as the characters it holds, in any script `FONT_FAMILIES` covers:
    a mark such as ``MONEY$$`` or ``$\\frac{a}{b}$`` is never read as math text or TeX
    (which fails, or draws other text); a control character is drawn as U+FFFD."""
    text = xml_safe(text)
    options.setdefault("family", _families(text))
    return owner.text(x, y, text, parse_math=False, usetex=False, **options)  # type: ignore[attr-defined]


def _canvas(width: float, height: float) -> tuple[Figure, object]:
    """A figure whose data coordinates are its points, with nothing but what we draw."""
    fig = Figure(figsize=(width / 72, height / 72), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def svg(fig: Figure, title: str | None = None) -> str:
    """The figure as an inline `<svg>` element: text as paths (no font needed), no XML
    prolog, scaled to its container's width."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": "tmkg", "svg.id": None}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    text = re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        r'<svg\1 role="img" style="max-width:100%;height:auto"',
        text,
        count=1,
    )
    if title:
        from html import escape

        text = text.replace(">", f"><title>{escape(title)}</title>", 1)
    return xml_safe(text).strip() + "\n"  # ids and the title may hold a control character
