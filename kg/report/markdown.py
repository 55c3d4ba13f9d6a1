"""The report in Markdown (CommonMark with pipe tables, as GitHub and most editors show it).

Every value the template writes is escaped by one function, `escape`, applied to each
``{{ … }}`` by the environment (as autoescaping does for HTML); only what is already Markdown
(`MarkdownText`: citations, figure links) passes unchanged. So a name, a title or a source kind
holding ``<script>``, ``](javascript:…)``, ``|`` or a newline shows as that text.

Figures are not inline: `kg report -o FILE.md` writes them as SVG files beside the Markdown
and links them (see `kg.report.render.write_report`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from kg.report.figures import timeline_selection

if TYPE_CHECKING:
    from kg.report.document import Report
    from kg.report.questions import SectionQuestions

__all__ = ["MarkdownText", "escape", "render_markdown"]

# Characters that start Markdown or HTML syntax anywhere in a line: emphasis, code, links and
# images, raw HTML and autolinks, table cells, headings' closing hashes, strikeouts, math
# (``$…$``, which GitHub and many renderers draw as TeX), and an ampersand that would start an
# entity (``&lt;``, ``&#60;``).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~$]|&(?=#?\w+;))")
# ...and those that start a block only at the beginning of a line (a list, a setext rule).
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
# Control characters other than whitespace (which is folded to spaces): shown as U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class MarkdownText(str):
    """Text that is Markdown already (written by tmkg, not taken from the data)."""


def escape(text: object) -> MarkdownText:
    r"""Text safe inside a Markdown line or table cell: it shows as itself, on one line.

    >>> escape("a|b *c* <d>\nnext")
    'a\\|b \\*c\\* \\<d\\> next'
    >>> escape("[x](javascript:alert(1))")
    '\\[x\\](javascript:alert(1))'
    >>> escape("- 1. not a list")
    '\\- 1. not a list'
    """
    if isinstance(text, MarkdownText):
        return text
    flat = " ".join(_CONTROL.sub("\ufffd", str(text)).split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    return MarkdownText(_LINE_START.sub(lambda m: f"{m[2] or ''}\\{m[1] or m[3]}", flat, 1))


def citations(numbers: Iterable[int]) -> MarkdownText:
    """Links to the numbered sources: ``[1](#source-1)[3](#source-3)``."""
    return MarkdownText("".join(f"[{n}](#source-{n})" for n in numbers))


def code(text: str) -> MarkdownText:
    """Text as a code span (shown verbatim), fenced by more backticks than it holds.

    >>> code("a`b")
    '``a`b``'
    """
    flat = " ".join(_CONTROL.sub("\ufffd", str(text)).split())
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{flat}{pad}{fence}")


def link_target(path: str) -> MarkdownText:
    """A relative path as a link destination (percent-encoded: spaces, brackets, ``<``)."""
    return MarkdownText(quote(path, safe="/._-~"))


def ask_links(questions: SectionQuestions | None) -> MarkdownText:
    """A section's "ask it live" line: links to GraphiQL and the SPARQL page (their URLs are
    percent-encoded by `kg.report.questions`, so they need no escaping), or ''."""
    if questions is None:
        return MarkdownText("")
    line = "*Ask it live"
    if questions.graphql:
        line += f": [in GraphQL](<{questions.graphql.url}>)"
    for n, question in enumerate(questions.sparql):
        line += "; the SPARQL behind it:" if n == 0 else ","
        line += f" [{escape(question.label.lower())}](<{question.url}>)"
    return MarkdownText(line + ".*\n\n")


def render_markdown(report: Report, figures: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; `figures` maps ``network``/``timeline`` to image paths."""
    from kg.report.html import environment

    template = environment(markdown=True).get_template("report.md.j2")
    text = template.render(
        report=report,
        figures={name: link_target(path) for name, path in (figures or {}).items()},
        timeline_note=timeline_selection(report.timeline).note,
        cite=lambda sources: citations(report.cite(sources)),
        code=code,
        ask=lambda section: ask_links(report.questions.get(section)),
    )
    return re.sub(r"\n{3,}", "\n\n", text)
