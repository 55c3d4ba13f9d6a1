"""Analysis results in notebooks: HTML tables for Jupyter and pandas DataFrames.

`kg.analysis.model.Result` and `ResultList` call these lazily (so importing the analysis layer
does not import pandas), which is how every result shows itself in Jupyter:

>>> from kg.analysis.model import MarkRef, ResultList
>>> marks = ResultList([MarkRef(id="https://w3id.org/tmkg/id/mark/aws", text="AWS")])
>>> "<td>AWS</td>" in marks._repr_html_()
True
>>> marks.to_dataframe().loc[0, "text"]
'AWS'

Figures are matplotlib figures (`kg.report.figures`), which Jupyter draws by itself.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

    from kg.analysis.model import Result

__all__ = ["result_html", "results_html", "to_dataframe"]

_MAX_ROWS = 200
_STYLE = (
    "<style>.kg-result{border-collapse:collapse;font-size:0.9em}"
    ".kg-result th,.kg-result td{border:1px solid #ccc;padding:3px 6px;text-align:left;"
    "vertical-align:top}.kg-result th{background:#f3f3f3}</style>"
)


def to_dataframe(results: Iterable[Result]) -> pandas.DataFrame:
    """One row per result (its `row()`: nested values flattened, lists joined with '; ')."""
    import pandas as pd

    return pd.DataFrame([result.row() for result in results])


def results_html(results: Sequence[Result]) -> str:
    """An HTML table of results, one row each (the first 200, then a count of the rest)."""
    if not results:
        return "<p><em>(no results)</em></p>"
    rows = [result.row() for result in results[:_MAX_ROWS]]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows
    )
    more = len(results) - len(rows)
    tail = f"<p><em>… and {more} more</em></p>" if more > 0 else ""
    kind = type(results[0]).__name__
    caption = f"<caption>{len(results)} × {html.escape(kind)}</caption>"
    return (
        f'{_STYLE}<table class="kg-result">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{tail}"
    )


def result_html(result: Result) -> str:
    """One result as a two-column table of its fields; nested lists of results as tables."""
    rows = []
    flat = result.row()
    for key, value in vars(result).items():
        cell = results_html(value) if _is_result_list(value) else _cell(flat.get(key))
        rows.append(f"<tr><th>{html.escape(key)}</th><td>{cell}</td></tr>")
    caption = f"<caption>{html.escape(type(result).__name__)}</caption>"
    return f'{_STYLE}<table class="kg-result">{caption}<tbody>{"".join(rows)}</tbody></table>'


def _is_result_list(value: Any) -> bool:
    from kg.analysis.model import Result

    return (
        isinstance(value, tuple | list)
        and bool(value)
        and all(isinstance(v, Result) for v in value)
        and not all(type(v).__name__ in ("SourceRef", "PartyRef", "MarkRef") for v in value)
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return html.escape(str(value))
