"""Rendering a report to a string or to a file: HTML, Markdown (figures beside), PDF."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError

if TYPE_CHECKING:
    from kg.report.document import Report

__all__ = ["FILE_FORMATS", "render", "write_report"]

FILE_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


class ReportFormatError(KGError):
    """An output format tmkg does not write."""

    exit_code = 1
    http_status = 400


def render(report: Report, format: str = "html") -> str:
    """The report as HTML (self-contained) or Markdown (without figures)."""
    if format == "html":
        from kg.report.html import render_html

        return render_html(report)
    if format in ("md", "markdown"):
        from kg.report.markdown import render_markdown

        return render_markdown(report)
    raise ReportFormatError(f"unknown report format {format!r}", suggestion="use html or md")


def write_report(report: Report, path: Path, format: str | None = None) -> list[Path]:
    """Write the report to `path` (format from `format` or the extension); return the files
    written: a Markdown report gets its figures as SVG files beside it
    (``NAME.network.svg``, ``NAME.timeline.svg``)."""
    kind = format or FILE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ReportFormatError(
            f"cannot tell the report format of {path.name!r}",
            suggestion="name the file .html, .md or .pdf, or pass --format",
        )
    if kind == "html":
        path.write_text(render(report, "html"), encoding="utf-8")
        return [path]
    if kind in ("md", "markdown"):
        from kg.report.figures import network_figure, svg, timeline_figure
        from kg.report.markdown import render_markdown

        written = []
        figures = {}
        drawings = [("network", lambda: network_figure(report.network))]
        if report.timeline:
            drawings.append(("timeline", lambda: timeline_figure(report.timeline)))
        for name, draw in drawings:
            figure_path = path.with_name(f"{path.stem}.{name}.svg")
            figure_path.write_text(svg(draw(), f"{name}: {report.title}"), encoding="utf-8")
            figures[name] = figure_path.name
            written.append(figure_path)
        path.write_text(render_markdown(report, figures), encoding="utf-8")
        return [path, *written]
    if kind == "pdf":
        return [_write_pdf(report, path)]
    raise ReportFormatError(f"unknown report format {kind!r}", suggestion="use html, md or pdf")


def _write_pdf(report: Report, path: Path) -> Path:
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise ReportFormatError(
            f"PDF reports need WeasyPrint and Pango ({error})",
            suggestion="pip install weasyprint (or tmkg[pdf]), or write .html and print it",
        ) from None
    html = render(report, "html")
    # Nothing is fetched: the page has no external resource, and the fetcher refuses any.
    weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(path)
    return path


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"reports fetch nothing ({url})")
