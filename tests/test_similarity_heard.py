"""Sound-alikes that spelling misses, judged by how the marks are pronounced
(`kg.analysis.pronunciation`, eSpeak NG), and plurals of a composite mark's words
(`kg.analysis.elements.element_form`). Real eSpeak NG throughout, no stand-in."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kg.analysis.elements import distinctive_words, element_form
from kg.analysis.pronunciation import LANGUAGES, heard, heard_alike
from kg.analysis.rule_blocking import lookup_keys
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, blocking_keys, compare

# Pronounced the same in English, spelled apart: vowel digraphs (IGH / I-E, EE / EA / EZ),
# QU / KW, C / K, PH / F, Y / IE, silent letters. Several decided by tribunals (bench/decisions).
HEARD_ALIKE = [
    ("NITE", "NIGHT"),
    ("LITE", "LIGHT"),
    ("QUICK", "KWIK"),
    ("KLEEN", "CLEAN"),
    ("BRIGHTWAVE", "BRITEWAVE"),
    ("SLEEPEASE", "SLEEPEEZ"),  # In re BFY LLC (TTAB 2021)
    ("MOBBY'S", "MOBBIES"),  # In re Castro Diana Mariel (TTAB 2025)
    ("FONE", "PHONE"),
    ("Kool Kidz", "Cool Kids"),
    ("NITE OWL", "NIGHT OWL"),
]

# Sound codes shared or spelling close, but heard apart: no "phonetic" reason.
HEARD_APART = [
    ("SONY", "SONG"),
    ("LOTUS", "LOTS"),
    ("BASS", "BOSS"),
    ("PICASSO", "PICARO"),
    ("THE SOURCE", "THE FORCE"),
    ("TEKTRONIX", "DAKTRONICS"),
]


@pytest.mark.parametrize(("a", "b"), HEARD_ALIKE, ids=[f"{a}|{b}" for a, b in HEARD_ALIKE])
def test_marks_pronounced_alike_are_phonetic_matches(a: str, b: str) -> None:
    found = compare(a, b)
    assert found.score >= DEFAULT_MIN_SIMILARITY and "phonetic" in found.reasons, found
    assert compare(b, a) == found
    # a register-wide search and a question both meet them (the shared sound code)
    assert lookup_keys(blocking_keys(a)) & blocking_keys(b)
    assert lookup_keys(blocking_keys(b)) & blocking_keys(a)


@pytest.mark.parametrize(("a", "b"), HEARD_APART, ids=[f"{a}|{b}" for a, b in HEARD_APART])
def test_marks_heard_apart_get_no_phonetic_reason(a: str, b: str) -> None:
    assert "phonetic" not in compare(a, b).reasons
    assert heard_alike(a.replace(" ", ""), b.replace(" ", "")) is None


def test_heard_reads_each_language_by_its_rules() -> None:
    assert heard("SEIKO", "fr-fr") == heard("SEYCOS", "fr-fr")  # a final S is silent in French
    assert heard("SEIKO", "en-us") != heard("SEYCOS", "en-us")
    assert heard("WAGEN", "de") != heard("WAGEN", "en-us")  # German W is /v/
    assert heard_alike("SEIKO", "SEYCOS") == "fr-fr"
    assert all(heard("NIGHT", language) for language in LANGUAGES)


def test_heard_has_no_marks_of_stress_or_length_and_reads_digits() -> None:
    spoken = heard("SLEEPEASE")
    assert spoken and not set(spoken) & set("ˈˌː ")
    assert heard("4EVER") == "fɔɹɛvɚ" and heard("11") == "ɪlɛvən"  # digits read as numbers
    assert heard("!!!") == "" and heard("") == ""


def test_heard_refuses_a_language_it_has_no_voice_for() -> None:
    with pytest.raises(ValueError, match="no pronunciation for language 'xx'"):
        heard("NIGHT", "xx")


def test_heard_is_the_same_from_many_threads() -> None:
    """eSpeak NG keeps state per process: the server's threads must not garble it."""
    texts = [f"{stem}{n}" for stem in ("ZORBA", "KWIKLY", "NIGHTO", "PHONIX") for n in range(25)]
    heard.cache_clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(heard, texts))
    heard.cache_clear()
    assert threaded == [heard(text) for text in texts]


# Plurals and possessives of a composite mark's words (Wilson v. Delaunay, ZOMBIE / ZOMBIES)
PLURALS = [
    ("CAREER IMAGE", "CREST CAREER IMAGES"),  # In re U.S. Shoe Corp. (TTAB 1985)
    ("THUNDERBOLTS", "PETER CANNON THUNDERBOLT"),  # In re Savage Tales (TTAB 2011)
    ("MI PUEBLO MEXICAN GRILL", "PUEBLOS MEXICAN CUISINE"),  # In re Pueblos (TTAB 2024)
    ("ZOMBIES", "ZOMBIE NIGHTS"),
    ("GARDENS OF EDEN", "GARDEN OF EDEN TOURS"),
]


@pytest.mark.parametrize(("a", "b"), PLURALS, ids=[f"{a}|{b}" for a, b in PLURALS])
def test_a_plural_word_is_the_same_element(a: str, b: str) -> None:
    found = compare(a, b)
    assert found.score >= DEFAULT_MIN_SIMILARITY, found
    assert {"containment", "shared-element"} & set(found.reasons)
    assert lookup_keys(blocking_keys(a)) & blocking_keys(b)
    assert lookup_keys(blocking_keys(b)) & blocking_keys(a)


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("THUNDERBOLTS", "THUNDERBOLT"),
        ("DOMINOS", "DOMINO"),
        ("IMAGES", "IMAGE"),
        ("BOSS", "BOSS"),  # SS is no plural
        ("SWISS", "SWISS"),
        ("GAS", "GAS"),  # too short: four letters must remain
        ("EATS", "EATS"),
        ("NIKE", "NIKE"),
    ],
)
def test_element_form_drops_one_plural_s(word: str, form: str) -> None:
    assert element_form(word) == form


def test_distinctive_words_are_in_element_form() -> None:
    assert distinctive_words("The Pueblos Group") == ("PUEBLO",)
    assert distinctive_words("SWISS BOSS") == ("SWISS", "BOSS")


# Every path that proposes pairs finds the ones pronounced alike, also below e = 0.5
# (NITE / NIGHT share 2 of 5 letters in place): the A: key and its bucket cutoff.
LOW_EDIT = {"m1": "NITE", "m2": "NIGHT", "m3": "QUICK", "m4": "KWIK", "m5": "KLEEN", "m6": "CLEAN"}
LOW_EDIT_PAIRS = {("NIGHT", "NITE"), ("KWIK", "QUICK"), ("CLEAN", "KLEEN")}


def test_a_register_wide_search_proposes_marks_pronounced_alike() -> None:
    from kg.analysis.conflicts import candidate_text_pairs

    assert candidate_text_pairs(LOW_EDIT.values()) >= LOW_EDIT_PAIRS


def test_the_mark_index_keeps_and_finds_marks_pronounced_alike() -> None:
    from kg.analysis.mark_index import MarkIndex

    index = MarkIndex(None)
    index.sync(LOW_EDIT)
    assert {(a, b) for a, b, _ in index.similar_pairs()} >= LOW_EDIT_PAIRS
    assert {"m1", "m2"} <= index.candidates("NIGHT") and "m4" in index.candidates("QUICK")
    index.close()


def test_keyed_texts_find_marks_pronounced_alike() -> None:
    from kg.analysis.similarity import KeyedTexts

    texts = KeyedTexts(LOW_EDIT.values())
    assert set(texts.similar("NITE", DEFAULT_MIN_SIMILARITY)) == {"NITE", "NIGHT"}


def test_an_index_built_under_older_rules_keys_its_marks_again(tmp_path: Path) -> None:
    """A store's index written before a rule's keys existed (here: before the A: keys) is
    re-keyed when the rules' fingerprint differs, so questions meet the new pairs."""
    import sqlite3

    from kg.analysis.mark_index import MarkIndex

    path = tmp_path / "store.marks.sqlite"
    index = MarkIndex(path)
    index.sync(LOW_EDIT)
    index.close()
    with sqlite3.connect(path) as db:  # as an older tmkg left it
        db.execute("DELETE FROM text_lookup WHERE key LIKE 'A:%'")
        db.execute("UPDATE state SET value = 0 WHERE name = 'rules'")
        db.execute("DELETE FROM state WHERE name = 'code'")  # nor was its code this code
    index = MarkIndex(path)
    assert index.sync(LOW_EDIT) == len(LOW_EDIT)  # every mark keyed again
    assert "m1" in index.candidates("NIGHT")
    index.close()
