"""CLI tables line up in a terminal whatever the script: cells are measured in display
columns (wcwidth), so Chinese, Japanese and Korean (two columns a character), combining
marks (none), emoji and right-to-left text keep every column at the same offset."""

from __future__ import annotations

import pytest
from wcwidth import width

from kg.cli.output import render_table

CELLS = [
    "AWS",
    "亚马逊",  # Chinese, simplified
    "臺灣積體電路",  # Chinese, traditional
    "アマゾン株式会社",  # Japanese
    "삼성전자",  # Korean
    "e\u0301te\u0301 cafe\u0301",  # combining acute accents
    "Ñandú ﬁne",  # precomposed, ligature
    "🍎 Apple 👨‍👩‍👧 🇯🇵",  # emoji, a ZWJ sequence, a flag
    "شركة أرامكو",  # Arabic
    "टाटा मोटर्स",  # Devanagari (with combining vowel signs)
    "ｆｕｌｌｗｉｄｔｈ",  # fullwidth Latin
]


def _separators(line: str, mark: str) -> list[int]:
    """The display offsets at which `mark` (the column separator) starts in `line`."""
    offsets, index = [], line.find(mark)
    while index >= 0:
        offsets.append(width(line[:index]))  # whole graphemes: a ZWJ emoji is two columns
        index = line.find(mark, index + len(mark))
    return offsets


def _assert_aligned(table: str, columns: int) -> None:
    lines = table.rstrip("\n").split("\n")
    rule = lines[1]
    expected = _separators(rule, "-+-")
    assert len(expected) == columns - 1
    for line in lines[:1] + lines[2:]:
        if set(line) <= {"-", "+"}:
            assert line == rule
            continue
        assert _separators(line, " | ") == expected, f"misaligned: {line!r}\n{table}"
        assert width(line) <= width(rule), line


def test_columns_start_at_the_same_display_offset_in_every_script() -> None:
    rows = [[cell, str(i), cell[::-1], "done"] for i, cell in enumerate(CELLS)]
    table = render_table(["name", "n", "reversed", "last"], rows)
    _assert_aligned(table, 4)
    # With a fixed-width last column every line has the same display width.
    assert len({width(line) for line in table.rstrip("\n").split("\n")}) == 1, table


@pytest.mark.parametrize("cell", CELLS)
def test_each_script_alone_lines_up_with_ascii(cell: str) -> None:
    table = render_table(["a", "b"], [[cell, "x"], ["ascii", "y"], ["", "z"]])
    _assert_aligned(table, 2)
    assert len({width(line) for line in table.rstrip("\n").split("\n")}) == 1, table


def test_long_cells_are_cut_to_the_display_width() -> None:
    long_cells = ["特斯拉" * 40, "한국" * 50, "e\u0301" * 100, "W" * 100]
    table = render_table(["mark", "x"], [[c, "1"] for c in long_cells])
    _assert_aligned(table, 2)
    for line in table.split("\n")[2:-1]:
        cell = line.split(" | ")[0]
        assert width(cell) == 70 and cell.rstrip().endswith("…"), cell


def test_wrapped_cells_fold_by_display_width() -> None:
    rows = [["特斯拉电动汽车" * 8, "삼성 " * 20], ["AWS", "e\u0301" * 90]]
    table = render_table(["a", "b"], rows, wrap=True)
    _assert_aligned(table, 2)
    for line in table.split("\n")[2:-1]:
        if " | " in line:
            assert all(width(part.rstrip()) <= 40 for part in line.split(" | ")), line


@pytest.mark.parametrize(
    "cell",
    ["", "AWS", " AWS", "AWS ", "a  b", "x" * 40, "x" * 41, "w " * 20 + "x", "亚马逊 AWS",
     "Ad\u0301ele", "A/B; C (D): 0.95", "x" * 39 + " y"],
)  # fmt: skip
def test_a_short_ascii_cell_is_folded_as_wrapping_folds_it(cell: str) -> None:
    """The shortcut for a short printable ASCII cell gives what wrapping gives."""
    import wcwidth

    from kg.cli.output import _wrapped

    assert _wrapped(cell) == (wcwidth.wrap(cell, 40) or [""])
