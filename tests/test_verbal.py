"""Figurative marks named with placeholder text compare by their words only (issue 13).

Offices write "設計圖", "標章圖", "圖形" or "Device" where a mark has no words, and "及圖",
"& Design", "(logo)" beside the words of a combined mark (``schema/mark-placeholders.csv``).
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.conflicts import find_conflicts
from kg.analysis.mark_index import MarkIndex
from kg.analysis.model import Holding, HoldingKind, MarkRef, PartyRef
from kg.analysis.similarity import blocking_keys, compare, is_similar
from tests.conftest import DATA

REAL_REGISTERS = Path(__file__).resolve().parents[2] / "shared" / "real-registers"
TW_GAZETTE = REAL_REGISTERS / "tipo-tw-gazette-regcontent-index.xml"

# Names as the TIPO gazette of 2022-03-16, the EUIPO and the USPTO write them.
PLACEHOLDERS = ["設計圖", "標章圖", "圖形", "圖形(彩)", "設計圖(一)", "圖形（二）", "Device",
                "Device (2)", "DEVICE MARK", "設計圖 B", "標章", "及圖", "(logo)",
                "Figurative mark", "FIGURATIVE MARK (2)"]  # fmt: skip
VERBAL = [
    ("TAICHIN 及圖", "TAICHIN"),
    ("華紘及圖HUA HUNG", "華紘 HUA HUNG"),
    ("八百長春設計圖", "八百長春"),
    ("統一企業標章圖", "統一企業"),
    ("希望先生Mr.Hope設計字及圖", "希望先生Mr.Hope"),
    ("建新國際股份有限公司標章", "建新國際股份有限公司"),
    ("同慶樓（簡體字）", "同慶樓"),
    ("和黃醫藥 ＆ Device", "和黃醫藥"),
    ("STOCKX & Design (Black & White)", "STOCKX"),
    ("TASKUS and Design", "TASKUS"),
    ("SHOEI(LOGO)", "SHOEI"),
    ("cash7back ((fig.))", "cash7back"),
    ("MATUSE (stylised)", "MATUSE"),
    ("IVECO DRIVER PAL figurative in colour", "IVECO DRIVER PAL"),  # found by a trial
    ("6.ZERO SEIPUNTOZERO figurative", "6.ZERO SEIPUNTOZERO"),
    # after Latin letters, 及 ("and") adds a figure it describes, or a part in Chinese
    ("G GOLF及球圖", "G GOLF"),  # and a ball figure
    ("FSK Plus及鑽石圖", "FSK Plus"),  # and a diamond figure
    ("龜記GUIJI及龜設計圖", "龜記GUIJI"),  # and a turtle design
    ("KUAGLOBAL及跨設計字", "KUAGLOBAL 跨"),  # and the character 跨 drawn: a word
    ("PharmiGENE及世基生物醫學", "PharmiGENE 世基生物醫學"),  # found by a trial
    # Words stay words: a word mark LOGO or DESIGN, a logo inside a word, 埃及 (Egypt).
    ("LOGO", "LOGO"),
    ("DESIGN", "DESIGN"),
    ("CARLOGO", "CARLOGO"),
    ("埃及", "埃及"),
    ("韓屋及其韓文", "韓屋及其韓文"),  # 及 between Chinese characters
    ("IRONMAN DESIGN", "IRONMAN DESIGN"),
    ("FIGURATIVE", "FIGURATIVE"),
    ("Ａｍａｚｏｎ", "Ａｍａｚｏｎ"),
]
# CNIPA writes TIPO's conventions in simplified characters: names of four decided CN marks
# (bench/decisions/asia.csv), and figures described after Latin letters
PLACEHOLDERS_CN = ["图形", "及图", "图形 (2)"]
VERBAL_CN = [
    ("马及图", "马"),
    ("义博会 YIWU FAIR及图", "义博会 YIWU FAIR"),
    ("鼎能DINGNENG及图", "鼎能DINGNENG"),
    ("马力对决 易车及图", "马力对决 易车"),
    ("G GOLF及球图", "G GOLF"),  # and a ball figure
    ("龙记LONGJI及龙设计图", "龙记LONGJI"),  # and a dragon design
    ("埃及", "埃及"),  # Egypt
    ("图形设计", "图形设计"),  # the words "graphic design", not a placeholder
    ("地图", "地图"),  # a map
]


@pytest.mark.parametrize(
    ("text", "office"), [(t, "TW") for t in PLACEHOLDERS] + [(t, "CN") for t in PLACEHOLDERS_CN]
)
def test_a_placeholder_has_no_verbal_element(text: str, office: str) -> None:
    from kg.analysis.verbal import verbal_element

    assert verbal_element(text) is None
    assert verbal_element(text, office) is None


@pytest.mark.parametrize(
    ("text", "words", "office"),
    [(t, w, None) for t, w in VERBAL] + [(t, w, "CN") for t, w in VERBAL_CN],
    ids=[t for t, _ in VERBAL + VERBAL_CN],
)
def test_the_verbal_element_is_the_words(text: str, words: str, office: str | None) -> None:
    from kg.analysis.verbal import verbal_element

    assert verbal_element(text) == words
    assert verbal_element(text, office) == words


def test_office_rows_apply_in_their_office() -> None:
    from kg.analysis.verbal import verbal_element

    assert verbal_element("JWC Logo", "TW") == "JWC"  # seen in the TIPO gazette
    assert verbal_element("JWC Logo", "US") == "JWC Logo"
    assert verbal_element("ACME & Design", "US") == "ACME"  # a * row
    assert verbal_element("马及图", "CN") == "马"  # a CNIPA row
    assert verbal_element("马及图", "US") == "马及图"


def test_the_data_file_is_well_formed() -> None:
    from kg.analysis.verbal import mark_text_rules

    rules = mark_text_rules()
    assert {r.kind for r in rules} == {"placeholder", "descriptor"}
    assert {r.at for r in rules if r.kind == "descriptor"} == {"end", "anywhere"}
    assert all(r.at == "" for r in rules if r.kind == "placeholder")
    assert all(r.seen and r.text and r.jurisdiction for r in rules)
    keys = [(r.jurisdiction, r.kind, r.text.casefold()) for r in rules]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("text", PLACEHOLDERS + PLACEHOLDERS_CN)
def test_placeholders_match_nothing_by_words(text: str) -> None:
    assert compare(text, text).score == 0.0
    assert not is_similar(text, "設計圖") and not is_similar(text, "Device")
    assert blocking_keys(text) == frozenset()  # no giant bucket of figures


def test_descriptor_marks_compare_by_their_words() -> None:
    assert compare("ACME & Design", "ACME").best_reason == "folded"
    assert compare("旺得富及圖", "旺得富").best_reason == "folded"
    assert "fuzzy" in compare("TAICHIN 及圖", "TAICHI").reasons
    assert compare("Lamborghini (device)", "LAMBORGINI").score >= 0.8
    # Before, the descriptor made these alike: the words differ, the descriptor does not.
    assert not is_similar("P及圖", "y及圖")
    assert not is_similar("三晰電工科技股份有限公司標章", "美商鏈通科技股份有限公司標章")
    assert blocking_keys("ACME & Design") == blocking_keys("ACME")
    assert compare("LEGO", "LOGO").best_reason is None  # a word mark LOGO is still a word
    # 商评字[2023]第0000252303号: 马标 and 马及图 share their one distinctive character 马
    assert compare("马标", "马及图").best_reason == "containment"
    assert compare("马及图", "马").best_reason == "folded"
    assert not is_similar("易车互联", "马力对决 易车及图")  # decided not similar
    assert blocking_keys("马及图") == blocking_keys("马")


# ------------------------------------------------------------------ through the analyses


@pytest.fixture(scope="module")
def analyst() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load([DATA / "figurative-marks.trig"])
    yield Analyst(graph)
    graph.close()


@pytest.mark.parametrize("text", ["設計圖", "標章圖", "圖形(彩)", "Device"])
def test_who_else_uses_a_placeholder_finds_nobody(analyst: Analyst, text: str) -> None:
    assert analyst.who_else_uses(text) == []
    assert analyst.who_else_uses(text, nice_class=1, jurisdiction="TW") == []


def test_who_else_uses_finds_the_words_beside_a_descriptor(analyst: Analyst) -> None:
    hits = {(h.party.name, h.mark.text) for h in analyst.who_else_uses("旺得富", nice_class=30)}
    assert hits == {("甲圖像股份有限公司", "旺得富及圖"), ("乙圖像有限公司", "旺得富")}
    acme = analyst.who_else_uses("ACME", jurisdiction="US", excluding="Acme Tools")
    assert [(h.mark.text, h.reasons[0]) for h in acme] == [("ACME & Design", "folded")]


def test_figures_of_different_owners_are_not_conflicts(analyst: Analyst) -> None:
    found = analyst.conflicts(jurisdiction="TW")
    assert [{m.text for m in c.marks} for c in found] == [{"旺得富及圖", "旺得富"}]
    us = analyst.conflicts(jurisdiction="US", nice_class=9)
    assert [{m.text for m in c.marks} for c in us] == [{"ACME & Design", "ACME"}]
    assert analyst.conflicts(jurisdiction="CN")  # the seed answers as before


def test_an_older_index_rekeys_figurative_marks(tmp_path: Path) -> None:
    path = tmp_path / "store.marks.sqlite"
    MarkIndex(path).close()
    with sqlite3.connect(path) as db:  # as tmkg 2 wrote it: the whole text's keys
        db.execute("INSERT INTO marks VALUES ('m1', '設計圖'), ('m2', 'AWS')")
        db.execute("CREATE TABLE keys (key TEXT NOT NULL, iri TEXT NOT NULL)")  # before v6
        db.execute("INSERT INTO keys VALUES ('R:SHEJITU', 'm1'), ('R:AWS', 'm2')")
        db.execute("PRAGMA user_version = 2")
    db.close()
    index = MarkIndex(path)
    # m1 re-keyed, m3 new; m2 too: no fingerprint says under which rules it was keyed
    assert index.sync({"m1": "設計圖", "m2": "AWS", "m3": "設計圖"}) == 3
    assert index.candidates("設計圖") == set()
    assert index.candidates("AWS") == {"m2"}
    index.close()


# ------------------------------------------------------------------ the real gazette


def _gazette_holdings() -> tuple[list[Holding], dict[str, PartyRef]]:
    holdings, parties = [], {}
    for entry in ET.parse(TW_GAZETTE).getroot():
        number = entry.findtext("RegisterNo")
        mark = MarkRef(id=f"mark:{number}", text=entry.findtext("Trademark_Name") or "")
        classes = tuple(
            sorted({int(c.text) for c in entry.iter("Class") if (c.text or "").strip().isdigit()})
        )
        for k, owner in enumerate(entry.iter("RegContentOwner")):
            party = "party:" + (owner.findtext("AChinese") or "")
            parties[party] = PartyRef(id=party, name=party)
            holdings.append(
                Holding(
                    id=f"reg:{number}:{k}",
                    kind=HoldingKind.REGISTERED_OWNER,
                    mark=mark,
                    party=party,
                    on_behalf_of=None,
                    jurisdiction="TW",
                    classes=classes,
                    filing_date=None,
                    registration_date="2022-03-16",
                    start_date=None,
                    end_date=None,
                    registration_number=number,
                    region=None,
                    sources=(),
                )
            )
    return holdings, parties


@pytest.mark.skipif(not TW_GAZETTE.exists(), reason=f"real registers not present: {TW_GAZETTE}")
def test_real_taiwanese_gazette_conflicts_before_and_after(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.analysis import similarity
    from kg.analysis.verbal import verbal_element

    holdings, parties = _gazette_holdings()
    after = find_conflicts(holdings, parties=parties, sources={}, relatedness={})
    with monkeypatch.context() as patch:  # every text read as words, as before issue 13
        patch.setattr(similarity, "verbal_element", lambda text, jurisdiction=None: text)
        before = find_conflicts(holdings, parties=parties, sources={}, relatedness={})
    figures = [c for c in before if any(verbal_element(m.text) is None for m in c.marks)]
    with capsys.disabled():
        print(
            f"\nTIPO gazette 2022-03-16, {len(holdings)} holdings: {len(before)} conflicts read "
            f"as words, {len(figures)} of them between figures named by placeholders; "
            f"{len(after)} by verbal elements"
        )
    assert not [c for c in after if any(verbal_element(m.text) is None for m in c.marks)]
    assert len(figures) > 150 and len(after) < len(before) - len(figures)
