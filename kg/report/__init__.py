"""Reports and exports: tmkg's analyses as self-contained HTML/Markdown documents with figures,
the graph in formats other tools read, and analysis results in notebooks.

`kg.report(...)` is this package called as a function (see `report`): the package module is
made callable, so ``kg.report(graph, mark="AWS")`` works while ``kg.report.figures`` and the
other submodules stay importable. Heavy modules (matplotlib, Jinja2) load on first use.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.analysis.service import Analyst
    from kg.graph import KnowledgeGraph

__all__ = ["REPORT_FORMATS", "report"]

REPORT_FORMATS = ("html", "md")


def report(
    source: KnowledgeGraph | Analyst,
    *,
    mark: str | None = None,
    jurisdiction: str | None = None,
    nice_class: int | None = None,
    party: str | None = None,
    case: str | None = None,
    format: str = "html",
    max_nodes: int | None = None,
    as_of: Any = None,
    include_lapsed: bool = False,
    server: str | None = None,
) -> str:
    """A report on a mark (in a jurisdiction, a class), a party or a case, as a string.

    `format` is ``"html"`` (self-contained: figures inline as SVG, no external file) or
    ``"md"`` (Markdown; figures are left out — `kg report -o FILE.md` writes them beside).
    `as_of` (a date, or ``YYYY-MM-DD``/``YYYY-MM``/``YYYY``; default today) and
    `include_lapsed` decide which rights are in force, as in every analysis. Each section
    links to the same question on a running `kg serve` at `server` (default
    ``http://127.0.0.1:8000``).

    >>> from kg import KnowledgeGraph, Settings
    >>> graph = KnowledgeGraph.open(Settings(memory=True)); _ = graph.load_seed()
    >>> text = report(graph, case="aws-cn-2018", format="md")
    >>> "(2018)京民初127号" in text
    True
    """
    from kg.report.document import build_report
    from kg.report.render import render

    document = build_report(
        source,
        mark=mark,
        jurisdiction=jurisdiction,
        nice_class=nice_class,
        party=party,
        case=case,
        max_nodes=max_nodes,
        as_of=as_of,
        include_lapsed=include_lapsed,
        server=server,
    )
    return render(document, format)


class _CallableModule(types.ModuleType):
    """Lets ``kg.report(...)`` call `report` although ``kg.report`` is this package."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        return report(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
