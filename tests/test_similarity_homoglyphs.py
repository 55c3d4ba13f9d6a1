"""Marks that look the same in different scripts (`kg.analysis.homoglyphs`): found as
``homoglyph`` at 0.95, by their ``G:`` blocking key too; marks whose letters only sound or
romanize alike are not homoglyphs. Found by a trial on the EUIPO sample register: the stored
``Kиc-Kиc`` (Latin K and c) was not found by ``Кис-Кис``."""

from __future__ import annotations

import pytest

from kg.analysis.homoglyphs import HOMOGLYPH_SCORE, skeleton
from kg.analysis.mark_index import MarkIndex
from kg.analysis.scripts import normalize
from kg.analysis.similarity import blocking_keys, compare
from tests.conftest import PREFIXES

LOOK_ALIKE = [
    ("Kиc-Kиc", "Кис-Кис"),  # Latin K, c among Cyrillic letters
    ("Tерритория качества", "Территория качества"),  # a Latin T
    ("МОBBI", "МОВВI"),  # Latin B against Cyrillic В
    ("PАYPAL", "PayPal"),  # a Cyrillic А in a Latin mark
    ("РОСТ", "POCT"),  # all Cyrillic against all Latin: read ROST and POCT
    ("СОСО", "COCO"),
    ("ВАР", "BAP"),
    ("ΚΑΡΟ", "KAPO"),  # Greek
]
NOT_ALIKE = [
    ("МИР", "MIP"),  # И looks like no Latin letter
    ("ΣΟΦΙΑ", "SOFIA"),  # read alike, not seen alike
    ("ЖУК", "XYK"),
    ("AWS", "AWZ"),
]


@pytest.mark.parametrize(("a", "b"), LOOK_ALIKE)
def test_marks_that_look_the_same_are_homoglyphs(a: str, b: str) -> None:
    found = compare(a, b)
    assert (found.score, found.reasons) == (HOMOGLYPH_SCORE, ("homoglyph",))
    assert any(k.startswith("G:") for k in blocking_keys(a) & blocking_keys(b))


@pytest.mark.parametrize(("a", "b"), NOT_ALIKE)
def test_marks_that_only_sound_alike_are_not(a: str, b: str) -> None:
    assert "homoglyph" not in compare(a, b).reasons
    assert skeleton(normalize(a)) != skeleton(normalize(b))


def test_the_index_finds_the_look_alike_whichever_is_asked() -> None:
    texts = [text for pair in LOOK_ALIKE for text in pair]
    marks = {f"m{i}": text for i, text in enumerate(texts)}
    marks |= {"other1": "KISKIS", "other2": "ROST"}
    index = MarkIndex(None)
    index.sync(marks)
    for a, b in LOOK_ALIKE:
        for asked, other in ((a, b), (b, a)):
            wanted = {iri for iri, text in marks.items() if text == other}
            assert wanted <= index.candidates(asked), (asked, other)
    pairs = {(x, y) for x, y, s in index.similar_pairs() if "homoglyph" in s.reasons}
    assert {tuple(sorted(pair)) for pair in LOOK_ALIKE} <= pairs


LOOK_ALIKE_REGISTER = (
    PREFIXES
    + """
party:payments-inc a tm:Company ; schema:name "Payments Inc."@en .
party:spoof-ltd a tm:Company ; schema:name "Spoof Ltd."@en .
mark:paypal a tm:Mark ; tm:text "PAYPAL" .
mark:paypal-cyrillic a tm:Mark ; tm:text "P\\u0410YPAL" .
reg:em-paypal a tm:Registration ; tm:mark mark:paypal ; tm:owner party:payments-inc ;
    tm:jurisdiction cc:DE ; tm:niceClass nice:36 ; tm:filingDate "2015-03-01"^^xsd:date .
reg:em-spoof a tm:Registration ; tm:mark mark:paypal-cyrillic ; tm:owner party:spoof-ltd ;
    tm:jurisdiction cc:DE ; tm:niceClass nice:36 ; tm:filingDate "2022-05-02"^^xsd:date .
"""
)


def test_hits_and_conflicts_name_the_letters_that_only_look_latin(tmp_path) -> None:
    from kg.analysis.service import Analyst
    from tests.conftest import graph_of

    with graph_of(tmp_path, LOOK_ALIKE_REGISTER) as graph:
        analyst = Analyst(graph)
        note = "'P\u0410YPAL' writes '\u0410' (CYRILLIC CAPITAL LETTER A), which looks like 'A'"
        (hit,) = analyst.who_else_uses(
            "PAYPAL", nice_class=36, jurisdiction="DE", excluding="Payments"
        )
        assert hit.reasons[0] == "homoglyph" and note in hit.reasons
        (conflict,) = analyst.conflicts("DE")
        assert "homoglyph" in conflict.reasons[0] and note in conflict.reasons[0]
