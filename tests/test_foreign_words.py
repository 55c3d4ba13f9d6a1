"""Spanish, French and Italian marks read in English (`kg.analysis.foreign_words`): the
doctrine of foreign equivalents through Debian's FreeDict dictionaries, on dictionaries
written here in dictd's format and, where Debian's are installed (`make dictionaries`), on
those with the decided pairs."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.analysis import foreign_words
from kg.analysis.foreign_words import DICTD_FOLDER, LANGUAGES, foreign_readings
from kg.analysis.service import Analyst
from kg.analysis.similarity import blocking_keys, compare
from kg.analysis.translations import meaning_note, translation
from tests.conftest import PREFIXES

_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

# entries as FreeDict's dictd files write them: the headword, its pronunciation and part of
# speech, then the senses, numbered when several
ENTRIES = {
    "ita": [
        ("lupo", "lupo /lˈupo/\nwolf\n"),
        ("il", "il /ˈiːl/\nthe\n"),
        ("Mare", "Mare /mˈare/\nArabian Sea\n"),
        ("mare", "mare /mˈare/\nsea\n"),
        ("lupo", "Lupo /lˈupo/\nRome's she-wolf\n"),
    ],
    "spa": [
        ("buenos días", "buenos días /bwˈenos ðˈias/\n1. goodmorning\n2. goodday\n"),
        ("el", "el /ˈel/\nthe\n"),
        ("sol", "sol /sˈol/\nsun\n"),
        ("toro", "toro /tˈoɾo/\nbull\n"),
    ],
    "fra": [
        ("chat", "chat /ʃa/ <n, masc>\ncat\n"),
        ("marche", "marche /maʀʃ/ <n, fem>\nstair, step, rung\n"),
        ("marché", "marché /maʀʃe/ <n, masc>\n1. bazaar, fair, market\n2. sales activity\n"),
        ("noir", "Noir /nwaʀ/ <n>\nNegro\n"),
        ("noir", "noir /nwaʀ/ <adj>\nblack\n"),
        ("pain", "pain /pɛ̃/ <n, masc>\nbread\n"),
        ("thé", "thé /te/ <n, masc>\ntea\n"),
        ("avec", "avec /avɛk/ <prep>\nwith\n"),
        ("moi", "moi /mwa/ <pron>\nme\n"),
        ("chez", "chez /ʃe/ <prep>\nat\n"),
    ],
}


def _number(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 64)
        digits = _DIGITS[digit] + digits
        if not value:
            return digits


def write_dictd(folder: Path, code: str, entries: list[tuple[str, str]]) -> None:
    """A dictd dictionary (``.index`` and gzipped ``.dict.dz``) as FreeDict's are made."""
    body, lines = b"00-database-info\nA test dictionary\n", []
    lines.append(f"00-database-info\t{_number(0)}\t{_number(len(body))}")
    for headword, text in entries:
        data = text.encode()
        lines.append(f"{headword}\t{_number(len(body))}\t{_number(len(data))}")
        body += data
    (folder / f"freedict-{code}-eng.index").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / f"freedict-{code}-eng.dict.dz").write_bytes(gzip.compress(body))


def _clear_caches() -> None:
    for cached in (
        foreign_words._dictionary,
        foreign_words._known_words,
        foreign_words._margins,
        foreign_readings,
    ):
        cached.cache_clear()


@pytest.fixture
def written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for code, entries in ENTRIES.items():
        write_dictd(tmp_path, code, entries)
    monkeypatch.setattr(foreign_words, "DICTD_FOLDER", tmp_path)
    # kept apart: made-up dictionaries' files would replace the real ones' (one version a name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _clear_caches()
    yield tmp_path
    _clear_caches()


def _meanings(text: str) -> list[tuple[str, str]]:
    return [(r.meaning, r.language.name) for r in foreign_readings(text)]


@pytest.mark.parametrize(
    ("text", "meaning", "language", "headwords"),
    [
        ("LUPO", "WOLF", "Italian", ("lupo",)),
        ("Il Lupo", "WOLF", "Italian", ("il", "lupo")),
        ("EL SOL", "SUN", "Spanish", ("el", "sol")),
        ("BUENOS DIAS", "GOODMORNING", "Spanish", ("buenos días",)),
        ("buenos días", "GOODMORNING", "Spanish", ("buenos días",)),
        ("MARCHE NOIR", "BLACK MARKET", "French", ("marché", "noir")),
        ("Marché Noir", "MARKET BLACK", "French", ("marché", "noir")),
        ("CHAT NOIR", "BLACK CAT", "French", ("chat", "noir")),
        ("CHATNOIR", "BLACK CAT", "French", ("chat", "noir")),  # two words closed up
        ("MarcheNoir", "BLACK MARKET", "French", ("marché", "noir")),
        ("BUENOSDIAS", "GOODMORNING", "Spanish", ("buenos días",)),
        ("SOLTORO", "SUN BULL", "Spanish", ("sol", "toro")),
    ],
)
def test_a_foreign_mark_is_read_in_english(
    written: Path, text: str, meaning: str, language: str, headwords: tuple[str, ...]
) -> None:
    found = {r.meaning: r for r in foreign_readings(text)}
    assert meaning in found, found
    assert (found[meaning].language.name, found[meaning].headwords) == (language, headwords)


@pytest.mark.parametrize(
    "text",
    [
        "CHAT",  # written more in English than in French
        "PAIN",
        "AVEC",  # stop words alone name nothing
        "CHEZ MOI",
        "THE",  # the English article, not thé (tea): judged as the mark writes it
        "THE CHAT",
        "TORO SALAO",  # SALAO is in no dictionary: the mark is not read
        "LUPO TORO",  # Italian and Spanish: no one language reads it
        "UBER EATS",
        "乐高",  # not Latin
        "EL SOL DE LA MAÑANA Y LA NOCHE",  # more than MAX_WORDS words: a phrase
        "ELSOL",  # closed up, EL is under three letters
        "AVECMOI",  # closed up, stop words
        "CHEZTORO",  # closed up, a stop word beside a word
        "CHATPAIN",  # closed up, English words
        "LUPOTORO",  # closed up, two languages
        "SOLTOROS",  # no split into two words of a dictionary
    ],
)
def test_english_mixed_and_unknown_marks_are_not_read(written: Path, text: str) -> None:
    assert foreign_readings(text) == ()


def test_a_name_and_its_numbered_senses(written: Path) -> None:
    # "Noir" (a name: Negro) and "Mare" (Arabian Sea) are capitalised entries: not words
    assert all("NEGRO" not in m for m, _ in _meanings("NOIR"))
    assert [m for m, _ in _meanings("IL MARE")] == ["SEA"]
    # each numbered sense's alternatives, the dictionary's first three of each entry
    assert {m for m, _ in _meanings("MARCHE")} == {"STAIR", "STEP", "RUNG", "BAZAAR", "FAIR",
                                                   "MARKET"}  # fmt: skip


def test_without_the_dictionaries_nothing_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(foreign_words, "DICTD_FOLDER", tmp_path / "absent")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # as `written`
    _clear_caches()
    try:
        assert foreign_readings("LUPO") == ()
        assert foreign_words.dictionaries_installed() == tuple((c.freedict, 0) for c in LANGUAGES)
    finally:
        _clear_caches()


def test_translation_scores_the_whole_meaning_or_the_mark_holding_it(written: Path) -> None:
    assert translation("LUPO", "WOLF") == (0.9, "WOLF")
    assert translation("BUENOS DIAS", "GOOD MORNING") == (0.9, "GOODMORNING")  # closed up
    held = translation("MARCHE NOIR", "BLACK MARKET MINERALS")
    assert held is not None and 0.8 <= held[0] < 0.9 and held[1] == "BLACK MARKET"
    assert translation("EL SOL", "SUNSHINE") is None
    assert translation("CHAT NOIR", "CAT") is None  # a part of the meaning is not it


# ----------------------------------------------------------- Debian's dictionaries

installed = pytest.mark.skipif(
    not all((DICTD_FOLDER / f"freedict-{c.freedict}-eng.index").is_file() for c in LANGUAGES),
    reason="Debian's FreeDict dictionaries are not installed (make dictionaries)",
)


@installed
@pytest.mark.parametrize(
    ("english", "foreign"),
    [
        ("WOLF", "LUPO"),  # In re Ithaca Industries, 230 USPQ 702 (TTAB 1986)
        ("SUN", "EL SOL"),  # In re Hub Distributing, 218 USPQ 284 (TTAB 1983)
        ("GOOD MORNING", "BUENOS DIAS"),  # In re American Safety Razor, 2 USPQ2d 1459
        ("BLACK MARKET MINERALS", "MARCHE NOIR"),  # In re Thomas, 79 USPQ2d 1021 (TTAB 2006)
        ("BLACK CAT", "CHAT NOIR"),
        ("WOLF PACK", "IL LUPO"),
        ("THE SEA", "IL MARE"),
        ("BLUE SEA", "MARAZUL"),  # In re Aquamar, 115 USPQ2d 1122 (TTAB 2015): closed up
        ("SUN SEA", "SOLMAR"),
        ("GREEN MOUNTAIN", "MONTEVERDE"),
    ],
)
def test_decided_foreign_equivalents_are_found(english: str, foreign: str) -> None:
    for a, b in ((english, foreign), (foreign, english)):
        found = compare(a, b)
        assert found.score >= 0.8 and found.reasons == ("translation",), (a, b, found)
    assert blocking_keys(english) & blocking_keys(foreign)  # a register-wide search pairs them


@installed
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("TORO SALAO", "SALTY BULL BREWING"),  # found not similar (TTAB); SALAO: no word
        ("THE WIDOW", "VEUVE ROYALE"),  # Palm Bay v. Veuve Clicquot: not similar
        ("MOUTON CADET", "BLACK SHEEP"),  # found not similar
        ("CHAT", "CAT"),  # an English word
        ("PAIN", "BREAD"),
        ("RIO MARE", "NOVO MARE"),
        ("THE COYOTE", "COYOTE TEA"),  # THE is English, not thé
        ("M M M M", "ME ME ME ME"),  # letters are not words to translate
        ("PETER", "FART"),  # a name in English before a French verb (péter)
        ("PACE SPORT", "PASSPORT"),  # an English word, not French PAS + SPORT closed up
        ("KEY WORM", "CLEVER"),
        ("MY CAT", "MIOGATTO"),  # MIO is a stop word: closed up, likelier a syllable
    ],
)
def test_english_words_and_partial_meanings_are_not_translated(a: str, b: str) -> None:
    assert "translation" not in compare(a, b).reasons


@installed
def test_the_notes_name_the_dictionary_and_the_words_read() -> None:
    assert meaning_note("SUN", "EL SOL") == (
        "'EL SOL' means 'SUN' in English (FreeDict Spanish-English)"
    )
    assert meaning_note("BLACK MARKET MINERALS", "MARCHE NOIR") == (
        "'MARCHE NOIR', read as 'marché' + 'noir', means 'BLACK MARKET' in English "
        "(FreeDict French-English)"
    )
    assert "'LUPO' means 'WOLF' in English (FreeDict Italian-English)" in (
        Analyst.compare("LUPO", "WOLF").notes
    )


def test_the_frequencies_are_measured_where_no_cache_can_be_written(
    written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # the cache folder cannot be made
    _clear_caches()
    assert [r.meaning for r in foreign_readings("IL LUPO")] == ["WOLF"]


FOREIGN_REGISTER = (
    PREFIXES
    + """
party:lupo-srl a tm:Company ; schema:name "Lupo S.r.l."@it .
party:wolf-inc a tm:Company ; schema:name "Wolf Apparel Inc."@en .
mark:lupo a tm:Mark ; tm:text "LUPO" .
mark:wolf a tm:Mark ; tm:text "WOLF" .
reg:us-lupo a tm:Registration ; tm:mark mark:lupo ; tm:owner party:lupo-srl ;
    tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:filingDate "2019-03-01"^^xsd:date .
reg:us-wolf a tm:Registration ; tm:mark mark:wolf ; tm:owner party:wolf-inc ;
    tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:filingDate "2021-05-02"^^xsd:date .
"""
)


@installed
def test_who_else_uses_and_conflicts_say_what_the_foreign_mark_means(tmp_path: Path) -> None:
    from tests.conftest import graph_of

    with graph_of(tmp_path, FOREIGN_REGISTER) as graph:
        analyst = Analyst(graph)
        note = "'LUPO' means 'WOLF' in English (FreeDict Italian-English)"
        (hit,) = analyst.who_else_uses("WOLF", nice_class=25, jurisdiction="US", excluding="Wolf")
        assert hit.party.name == "Lupo S.r.l." and hit.reasons[0] == "translation"
        assert note in hit.reasons
        (conflict,) = analyst.conflicts("US")
        assert "translation" in conflict.reasons[0] and any(note in r for r in conflict.reasons)


def test_the_parsed_dictionaries_are_kept_and_read_back_the_same(
    written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing the dictionaries cost every process ~1 s: they are kept parsed in the cache
    folder, read back equal; a kept file of another shape is parsed again, not trusted."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _clear_caches()
    parsed = {code: foreign_words._parsed(code) for code in ENTRIES}
    assert {code: foreign_words._dictionary(code) for code in ENTRIES} == parsed  # made, kept
    kept = sorted((tmp_path / "cache" / "tmkg").glob("freedict-*-entries-*.json"))
    assert len(kept) == len(ENTRIES)
    _clear_caches()
    assert {code: foreign_words._dictionary(code) for code in ENTRIES} == parsed  # read back
    for path in kept:
        path.write_text('["not", "a", "dictionary"]', encoding="utf-8")
    _clear_caches()
    assert {code: foreign_words._dictionary(code) for code in ENTRIES} == parsed
    assert [r.meaning for r in foreign_readings("IL LUPO")] == ["WOLF"]


@installed
@pytest.mark.parametrize("damage", ["[]", '{"spa": []}', '{"spa": {"SOL": "high"}}', '"x"'])
def test_kept_margins_or_entries_of_another_shape_are_made_again(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a kept list of margins ended every question about a Latin mark in a TypeError
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _clear_caches()
    try:
        wanted = _meanings("LUPO")
        assert ("WOLF", "Italian") in wanted
        folder = tmp_path / "cache" / "tmkg"
        (margins,) = folder.glob("freedict-" + "[0-9a-f]" * 12 + ".json")
        margins.write_text(damage)
        for entries in folder.glob("freedict-*-entries-*.json"):  # not a dict: parsed again
            entries.write_text("[]")
        _clear_caches()
        assert _meanings("LUPO") == wanted
        assert foreign_words._margins_shaped(json.loads(margins.read_text()))  # kept anew
        assert all(p.read_text().startswith("{") for p in folder.glob("freedict-*-entries-*"))
    finally:
        _clear_caches()
