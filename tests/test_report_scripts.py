"""Names in every script the README promises are drawn in figures as themselves: no glyph is
missing (matplotlib's "Glyph … missing from font(s)" is a failure here, not a warning), and
Chinese, Japanese and Korean are not romanized when the fonts are installed (`make test`
installs Debian's fonts-noto-cjk and fonts-noto-core)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import networkx as nx
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from kg.analysis.model import TimelineEntry
from kg.report import figures
from kg.report.figures import missing_fonts, network_figure, svg, timeline_figure
from kg.report.network import ConflictNetwork

# One name per promised script (README, "Figures"), as a registry would hold it.
NAMES = {
    "latin": "Société Générale Łódź Ærø ÿ",
    "greek and cyrillic": "Ωμέγα Σύμβολο «Москва»",
    "chinese, simplified": "北京光环新网科技股份有限公司",
    "chinese, traditional": "臺灣積體電路製造股份有限公司",
    "japanese": "ソニーグループ株式会社 ひらがな",
    "korean": "삼성전자 주식회사",
    "arabic": "شركة أرامكو السعودية",
    "hebrew": "טבע תעשיות פרמצבטיות",
    "devanagari": "टाटा मोटर्स लिमिटेड",
    "thai": "ปูนซิเมนต์ไทย จำกัด",
    "mixed": "AWS 亚马逊 アマゾン 아마존",
}


def _require_fonts() -> None:
    if missing := missing_fonts():
        pytest.skip(
            f"fonts {', '.join(missing)} are not installed: run `make fonts` (as root or "
            "with sudo; Debian's fonts-noto-cjk and fonts-noto-core)"
        )


def _missing_glyphs(draw: Callable[[], Figure]) -> tuple[Figure, list[str]]:
    """The figure `draw` makes, and every missing-glyph warning raised while drawing it and
    writing it as SVG."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw()
        fig.canvas.draw()
        svg(fig)
    return fig, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _network(names: list[str]) -> ConflictNetwork:
    graph = nx.Graph()
    for i, name in enumerate(names):
        graph.add_node(f"n{i}", label=name, kind=("party", "mark", "case")[i % 3], focus=i == 0)
    for i in range(1, len(names)):
        graph.add_edge("n0", f"n{i}", label=names[i][:6])  # edge labels in the script too
    return ConflictNetwork(graph, ("n0",), graph)


def _drawn_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text))


@pytest.mark.parametrize("script", list(NAMES))
def test_network_figure_draws_every_promised_script(script: str) -> None:
    _require_fonts()
    name = NAMES[script]
    fig, missing = _missing_glyphs(lambda: network_figure(_network([name, f"{name} B", "AWS"])))
    assert missing == [], f"{script}: {missing[:3]}"
    # Drawn as written (cut to fit), not romanized.
    assert name.split()[0][:4] in _drawn_text(fig)


@pytest.mark.parametrize("script", list(NAMES))
def test_timeline_figure_draws_every_promised_script(script: str) -> None:
    _require_fonts()
    name = NAMES[script]
    entries = [
        TimelineEntry(f"201{i}-0{i + 1}-01", kind, f"s{i}", "", (name,), ())
        for i, kind in enumerate(("filing", "use", "registration"))
    ]
    fig, missing = _missing_glyphs(lambda: timeline_figure(entries))
    assert missing == [], f"{script}: {missing[:3]}"
    assert name.split()[0][:4] in _drawn_text(fig)


def test_a_missing_glyph_is_caught() -> None:
    # The check above sees a script no installed font covers (Egyptian hieroglyphs).
    _require_fonts()
    _, missing = _missing_glyphs(lambda: network_figure(_network(["\U00013000 Ankh", "AWS"])))
    assert any("EGYPTIAN HIEROGLYPH" in m for m in missing), missing


def test_labels_keep_their_script_and_wrap_by_display_width() -> None:
    _require_fonts()
    assert figures.short_label("(2018)京民初127号") == "(2018)京民初127号"
    # A long Chinese name wraps at 22 columns (11 characters), as a Latin one does.
    assert figures.short_label("北京光环新网科技股份有限公司数据中心运营分公司") == (
        "北京光环新网科技股份有\n限公司数据中心运营分公…"
    )


def test_without_cjk_fonts_chinese_is_romanized(monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine without fonts-noto-cjk still draws Chinese readably (pinyin), as before.
    monkeypatch.setattr(figures, "missing_fonts", lambda: ("Noto Sans CJK SC",))
    assert figures.short_label("(2018)京民初127号") == "(2018) Jing Min Chu\n127 Hao"
