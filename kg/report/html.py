"""The report as one self-contained HTML page (Jinja2, autoescaped): inline style, figures as
inline SVG, no script and nothing to fetch, so it opens offline and prints."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from kg.analysis.wording import jointly
from kg.report.bidi import isolate, isolate_text
from kg.report.figures import network_figure, svg, timeline_figure, timeline_selection

if TYPE_CHECKING:
    from kg.report.document import Report

__all__ = ["render_html", "rule_name"]

TEMPLATES = Path(__file__).parent / "templates"


def rule_name(rule: str | None) -> str:
    """'FirstToFile' -> 'first to file'; None -> 'unknown (tmkg decides nothing)'."""
    if not rule:
        return "unknown (tmkg knows no rule for this jurisdiction and decides nothing)"
    return "".join(f" {c.lower()}" if c.isupper() else c for c in rule).strip()


@cache
def environment(markdown: bool = False) -> jinja2.Environment:
    """The template environment: autoescaped HTML, with the filters `bdi` (a value from the
    data escaped and in ``<bdi>``) and `bdi_text` (in ``<title>``), or Markdown where every
    ``{{ … }}`` is escaped by `kg.report.markdown.escape` (the `md` filter is the same
    function)."""
    finalize = None
    if markdown:
        from kg.report.markdown import escape as finalize
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=not markdown,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.globals["rule_name"] = rule_name
    env.globals["jointly"] = jointly  # co-owners: "A jointly with B"
    if finalize is not None:
        env.filters["md"] = finalize
    else:
        # every value from the data, isolated from the text around it (kg.report.bidi)
        env.filters["bdi"] = isolate
        env.filters["bdi_text"] = isolate_text
    return env


def render_html(report: Report, *, fragment: bool = False) -> str:
    """The report as a complete HTML document (or, with `fragment`, its `<main>` only)."""
    template = environment().get_template("report.html.j2")
    text = template.render(
        report=report,
        fragment=fragment,
        network_svg=svg(
            network_figure(report.network), f"Conflict network: {isolate_text(report.title)}"
        ),
        timeline_svg=svg(
            timeline_figure(report.timeline), f"Timeline: {isolate_text(report.title)}"
        )
        if report.timeline
        else "",
        timeline_note=timeline_selection(report.timeline).note,
    )
    return text.strip() + "\n"
