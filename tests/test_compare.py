"""`kg compare`, `Analyst.compare` and GraphQL `compareMarks`: two marks compared as
who-else-uses and conflicts compare them, with the rules that fired and notes on what was
compared; the CLI reads no store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.analysis.arguments import ArgumentError
from kg.analysis.service import Analyst
from kg.analysis.similarity import MAX_MARK_LENGTH, compare
from tests.conftest import run_kg


@pytest.mark.parametrize(
    ("earlier", "later", "reason"),
    [
        ("UBER", "UBER EATS", "containment"),
        ("NIKE", "NIKE AIR", "containment"),
        ("MONSTER", "MONSTER ENERGY", "containment"),
        ("AWS", "AWZ", "short"),
        ("TMS", "TMM", "short"),
        ("Kwik", "Quik", "phonetic"),
        ("亚马逊", "AMAZON", "sound-transliteration"),
        ("銀行", "银行", "folded"),
    ],
)
def test_a_similar_pair_says_which_rule_fired(earlier: str, later: str, reason: str) -> None:
    found = Analyst.compare(earlier, later)
    assert found.similar and reason in found.reasons
    assert found.score == compare(earlier, later).score  # the rules conflicts apply
    assert Analyst.compare(later, earlier).score == found.score  # either way round


@pytest.mark.parametrize(
    ("earlier", "later"), [("APPLE", "AMAZON"), ("AWS", "SWA"), ("SONY", "SONG"), ("马", "牛")]
)
def test_an_unlike_pair_is_not_similar_and_has_no_reasons(earlier: str, later: str) -> None:
    found = Analyst.compare(earlier, later)
    assert not found.similar and found.reasons == () and found.score < 0.8


def test_the_floor_decides_similar_not_the_reasons() -> None:
    strict = Analyst.compare("AWS", "AWZ", min_similarity=0.9)
    assert (strict.similar, strict.reasons, strict.min_similarity) == (False, ("short",), 0.9)
    loose = Analyst.compare("APPLE", "APPLY", min_similarity=0.5)
    assert loose.similar and loose.min_similarity == 0.5


@pytest.mark.parametrize(
    ("earlier", "later", "note"),
    [
        ("CAMEL ACTIVE", "骆驼", "'骆驼' means 'CAMEL' in English (CC-CEDICT)"),
        ("特斯拉", "Tesla", "'特斯拉' means 'TESLA' in English (CC-CEDICT)"),
        (
            "金鹤 GOLDEN CRANE",
            "GOLDEN CRANE TEA HOUSE",
            "'GOLDEN CRANE' of '金鹤 GOLDEN CRANE' compared (a mark in two scripts: each "
            "element alone)",
        ),
        (
            "STEELCASE INC.",
            "STEELCARE",
            "'INC.' of 'STEELCASE INC.' set aside (a legal form names no source: TMEP 1213.03(d))",
        ),
    ],
)
def test_notes_say_what_was_compared_beyond_the_letters(earlier: str, later: str, note: str):
    assert note in Analyst.compare(earlier, later).notes


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ACME & Design", "ACME"),
        ("TAICHIN 及圖", "TAICHIN"),
        ("马及图", "马"),
        ("NIKE (stylized)", "NIKE"),
    ],
)
def test_a_figure_beside_words_is_said_to_be_set_aside(text: str, words: str) -> None:
    found = Analyst.compare(text, "ACME")
    assert f"{text!r} is compared by its words {words!r}: the rest names its figure" in found.notes


def test_a_note_is_said_once() -> None:
    found = Analyst.compare("設計圖", "設計圖")
    assert found.notes == ("'設計圖' names a figure, not words: only verbal elements are compared",)


def test_what_each_mark_was_compared_as() -> None:
    found = Analyst.compare("特斯拉及圖", "USAPARK.NET")
    assert (found.compared_earlier, found.romanized_earlier) == ("特斯拉", "TESILA")
    assert (found.compared_later, found.romanized_later) == ("USAPARK", "USAPARK")
    plain = Analyst.compare("Acme", "ACME")
    assert (plain.compared_earlier, plain.romanized_earlier) == ("Acme", "ACME")


@pytest.mark.parametrize(
    ("figure", "jurisdiction"),
    [("設計圖", None), ("图形", "CN"), ("圖形", "TW"), ("Device", None), ("Device", "EM")],
)
def test_a_figure_is_not_compared_and_says_so(figure: str, jurisdiction: str | None) -> None:
    found = Analyst.compare(figure, "ACME", jurisdiction=jurisdiction)
    assert (found.score, found.compared_earlier, found.romanized_earlier) == (0.0, None, "")
    assert found.notes[0] == (
        f"{figure!r} names a figure, not words: only verbal elements are compared"
    )
    assert found.jurisdiction == jurisdiction


def test_the_answer_agrees_with_who_else_uses(seeded) -> None:
    """One service: a who-else-uses hit's similarity is what compare gives for its mark."""
    hits = Analyst(seeded).who_else_uses("A.W.S.", nice_class=42, jurisdiction="CN")
    assert hits
    for hit in hits:
        found = Analyst.compare("A.W.S.", hit.mark.text)
        assert (found.score, found.reasons[0]) == (hit.similarity, hit.reasons[0])


@pytest.mark.parametrize(
    ("arguments", "argument", "words"),
    [
        ({"earlier": "", "later": "AWS"}, "earlier", "blank"),
        ({"earlier": "AWS", "later": "   "}, "later", "blank"),
        ({"earlier": "!!!", "later": "AWS"}, "earlier", "no letters or digits"),
        ({"earlier": "AWS", "later": "🙂"}, "later", "no letters or digits"),
        ({"earlier": "A" * (MAX_MARK_LENGTH + 1), "later": "AWS"}, "earlier", "characters long"),
        ({"earlier": "AWS", "later": "A\nB"}, "later", "control character"),
        ({"earlier": "AWS", "later": "AWZ", "jurisdiction": "XYZ"}, "jurisdiction", "XYZ"),
        ({"earlier": "AWS", "later": "AWZ", "jurisdiction": "UK"}, "jurisdiction", "GB"),
        ({"earlier": "AWS", "later": "AWZ", "jurisdiction": "XX"}, "jurisdiction", "'XX'"),
        ({"earlier": "AWS", "later": "AWZ", "min_similarity": 1.5}, "min_similarity", "1.5"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(
    arguments: dict, argument: str, words: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        Analyst.compare(**arguments)
    assert raised.value.argument == argument and words in str(raised.value)


def test_the_cli_prints_the_comparison_and_opens_no_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {"KG_STORE": str(store)}
    shown = run_kg("compare", "UBER", "UBER EATS", env=env, check=True).stdout.splitlines()
    assert shown == [
        "earlier: UBER  (compared whole)",
        "later:   UBER EATS  (compared whole, read UBEREATS)",
        "score:   0.85: similar (>= 0.8)",
        "why:     containment",
    ]
    plain = run_kg("compare", "SONY", "SONG", "--min-similarity", "0.5", env=env, check=True)
    assert "why:     (no rule fired: the score is the letters' edit similarity alone)" in (
        plain.stdout.splitlines()
    )
    close = run_kg("compare", "NIKE", "NYKE", "--min-similarity", "0.9", env=env, check=True)
    assert "score:   0.895: not similar (< 0.9)" in close.stdout.splitlines()
    figure = run_kg("compare", "設計圖", "ACME", env=env, check=True).stdout
    assert "why:     (nothing compared: a figure has no words)" in figure.splitlines()
    answer = run_kg(
        "compare", "圖形", "馬", "--jurisdiction", "tw", "--format", "json", env=env, check=True
    )
    found = json.loads(answer.stdout)
    assert found["score"] == 0.0 and found["similar"] is False and found["jurisdiction"] == "TW"
    assert found["compared_earlier"] is None and found["notes"]
    assert not store.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "!!!", "AWS"], "the earlier mark '!!!' has no letters or digits to compare"),
        (["compare", "AWS", "AWZ", "--min-similarity", "2"], "--min-similarity must be between"),
        (["compare", "AWS", "AWZ", "--jurisdiction", "UK"], "the United Kingdom is GB"),
        (["compare", "AWS"], "the following arguments are required: later"),
    ],
)
def test_the_cli_refuses_bad_input_without_a_traceback(args: list[str], message: str) -> None:
    result = run_kg(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("earlier", "later", "note"),
    [
        (
            "PАYPAL",
            "PAYPAL",
            "'PАYPAL' writes 'А' (CYRILLIC CAPITAL LETTER A), which looks like 'A'",
        ),
        (
            "GOOGLE",
            "GΟOGLE",
            "'GΟOGLE' writes 'Ο' (GREEK CAPITAL LETTER OMICRON), which looks like 'O'",
        ),
    ],
)
def test_a_homoglyph_names_the_letters_of_another_script(earlier: str, later: str, note: str):
    found = Analyst.compare(earlier, later)
    assert found.reasons == ("homoglyph",) and note in found.notes
    assert len(found.notes) == 1  # the Latin mark has none to name
