"""The report in Markdown (CommonMark with pipe tables, as GitHub and most editors show it).

Figures are not inline: `kg report -o FILE.md` writes them as SVG files beside the Markdown
and links them (see `kg.report.render.write_report`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.report.figures import timeline_selection

if TYPE_CHECKING:
    from kg.report.document import Report

__all__ = ["escape", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: object) -> str:
    r"""Text safe inside a Markdown line or table cell.

    >>> escape("a|b *c* <d>\nnext")
    'a\\|b \\*c\\* \\<d\\> next'
    """
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", flat)


def render_markdown(report: Report, figures: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; `figures` maps ``network``/``timeline`` to image paths."""
    from kg.report.html import environment

    template = environment(markdown=True).get_template("report.md.j2")
    text = template.render(
        report=report,
        figures=dict(figures or {}),
        timeline_note=timeline_selection(report.timeline).note,
    )
    return re.sub(r"\n{3,}", "\n\n", text)
