"""Foreign words written in katakana or Hangul, compared with the Latin words they transcribe.

Japanese and Korean write a foreign name by its sounds, adding what their syllables need: a
vowel after a consonant that ends a syllable in the source (``ku``, ``su``, ``to`` / ``do``,
``ru``, ``i`` after ``ch`` and ``j`` in Japanese; ``eu`` in Korean), a long vowel (``ー``),
a doubled consonant (``ッ``), and no ``R`` / ``L`` contrast. ERICSSON is エリクソン
(E-RI-KU-SO-N), FRIENDS 프렌즈 (PEU-REN-JEU). Japan's rules for writing loanwords (内閣告示
第二号 "外来語の表記", 1991) and Korea's (문교부 고시 제85-11호 "외래어 표기법", 1986) set these
out; both write loanwords in katakana and Hangul, while hiragana writes native Japanese words.

:func:`reading` splits a katakana or Hangul mark into its consonants and the vowels between
them, the vowels those rules add marked optional; :func:`latin_readings` does the same for a
Latin mark as eSpeak NG reads it in English (`kg.analysis.pronunciation.heard`) and as it is
spelled (transcriptions of Italian, Spanish or German names follow the letters), with the
variants the rules allow: an ``R`` after a vowel left out (both follow British English:
STARBUCKS is スターバックス), a final ``S`` left out, ``NDS`` written ``NZ``. The consonants
are compared by classes that the two scripts do not tell apart (voicing, which Korean does
not mark as English does; ``F`` / ``P`` / ``V`` / ``B``; ``S`` / ``Z`` / ``SH`` / ``J`` /
``CH``; ``L`` / ``R``; ``N`` / ``NG``), not by Soundex classes: ``M`` and ``N``, ``K`` and
``S`` stay apart. :func:`transcribes` holds when the consonant classes are the same in the
same order and every vowel between them may be transcribed as the other's (an English schwa
as any vowel or none).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex
from anyascii import anyascii

from kg.analysis.pronunciation import heard

__all__ = [
    "TRANSCRIPTION_MIN_CONSONANTS",
    "TRANSCRIPTION_MIN_LETTERS",
    "Reading",
    "compared_by",
    "latin_readings",
    "reading",
    "transcribes",
    "transcription_keys",
    "transcription_letters",
    "transcription_script",
]

TRANSCRIPTION_MIN_CONSONANTS = 3
"""Consonant classes a reading needs: two, with their vowels, are shared by many unrelated
words (``킹`` KING / GIEN, ``자드`` / SATA, ``토토`` / DODO in the registers of
``../shared``)."""
TRANSCRIPTION_MIN_LETTERS = 0.75
"""The Indel similarity the two marks' :func:`transcription_letters` need: the consonant
classes and vowel slots agree, and most letters too (``미라지`` / MIRAGE, 0.73, is lost;
``빠뽈`` / FAVORE, 0.77, is not; measured on the registers of ``../shared``)."""

_KATAKANA = regex.compile(r"^[\p{Katakana}ー]+$")
_HANGUL = regex.compile(r"^\p{Hangul}+$")
# Scripts whose marks are compared by their romanized spelling, not by sounds: alphabets
# anyascii spells letter by letter, hiragana (native words), kana or Hangul mixed with
# other letters (the Latin part is compared as it is).
_SPELLED = regex.compile(
    r"[\p{Cyrillic}\p{Greek}\p{Armenian}\p{Georgian}\p{Hiragana}\p{Katakana}\p{Hangul}]"
)
_SMALL_KANA = frozenset("ァィゥェォャュョヮ")
_ANY = "*"  # a vowel slot that takes any vowel, or none (a schwa)

# Consonant letters (romanized kana and Hangul, spelled Latin) and IPA, by class.
_LETTER_CLASSES = {
    **dict.fromkeys("PBFV", "P"),
    **dict.fromkeys("TD", "T"),
    **dict.fromkeys("KGCQ", "K"),
    **dict.fromkeys("SZJX", "S"),
    "M": "M",
    "N": "N",
    **dict.fromkeys("LR", "R"),
    "H": "H",
}
_DIGRAPHS = (
    ("TSH", "S"), ("TCH", "S"), ("TS", "S"), ("SH", "S"), ("CH", "S"), ("PH", "P"), ("NG", "N")
)  # fmt: skip
_IPA_CLASSES = {
    **dict.fromkeys("pbfvɸβ", "P"),
    **dict.fromkeys("tdʔ", "T"),
    **dict.fromkeys("kɡgqxɣχ", "K"),
    **dict.fromkeys("szʃʒθðçʝ", "S"),
    "m": "M",
    **dict.fromkeys("nŋɲ", "N"),
    "l": "R",
    "ɫ": "R",
    **dict.fromkeys("ɹrʁɾ", "r"),  # an R (``r``) may be left out after a vowel: `_variants`
    "h": "H",
}
_IPA_VOWELS = frozenset("aeiouyæɑɒɐɔəɚɛɜɞɘɤɨɪʉʊʌʏøœɶɯɵᵻ")
_AFFRICATE = regex.compile("tʃ|dʒ")
# The vowels of a transcription an English vowel (its first IPA letter) may be written with:
# Korean writes ʌ and ə as 어 (EO, here "Ə").
_IPA_VOWEL_LETTERS = {
    **dict.fromkeys("iɪᵻɨ", "I"),
    **dict.fromkeys("yʏ", "IU"),
    "e": "EI",
    "ɛ": "E",
    "æ": "AE",
    **dict.fromkeys("aɑɒɶ", "AO"),
    **dict.fromkeys("oɔɵ", "O"),
    **dict.fromkeys("øœ", "OEƏ"),
    **dict.fromkeys("uʊʉɯ", "U"),
    "ʌ": "AOƏ",
    "ɤ": "OƏ",
}
_SPELLED_VOWEL_LETTERS = {"A": "AE", "E": "EI", "I": "IA", "O": "O", "U": "UAƏ", "Y": "IA"}


@dataclass(frozen=True)
class Reading:
    """A mark's consonant classes in order and the vowel slots around them (one more slot
    than consonants). A slot holds the vowels it may be written with (``*``: any or none);
    ``optional`` slots were added by a transcription rule and may be empty."""

    consonants: str
    vowels: tuple[str, ...]
    optional: tuple[bool, ...]


def transcription_script(folded: str) -> str | None:
    """``"kana"`` for a folded mark (`kg.analysis.scripts.normalize`) in katakana alone,
    ``"hangul"`` for one in Hangul alone, else ``None`` (hiragana writes native Japanese
    words, not transcriptions).

    >>> transcription_script("エリクソン"), transcription_script("프렌즈")
    ('kana', 'hangul')
    >>> transcription_script("さくら"), transcription_script("CER세르")
    (None, None)
    """
    if _KATAKANA.match(folded):
        return "kana"
    if _HANGUL.match(folded):
        return "hangul"
    return None


def compared_by(folded: str) -> str:
    """How a folded mark in another script than Latin meets a Latin mark's sound:
    ``"transcription"`` (katakana or Hangul alone: :func:`transcribes`), ``"spelling"``
    (Cyrillic, Greek, Armenian, Georgian, hiragana, kana or Hangul beside other letters:
    only its romanized spelling is compared) or ``"skeleton"`` (Chinese characters, and
    scripts that write few vowels, such as Arabic: consonant skeletons,
    `kg.analysis.similarity_rules.sound_transliteration`).

    >>> compared_by("マクドナルド"), compared_by("СОКОЛ"), compared_by("亚马逊")
    ('transcription', 'spelling', 'skeleton')
    """
    if transcription_script(folded) is not None:
        return "transcription"
    if _SPELLED.search(folded):
        return "spelling"
    return "skeleton"


@lru_cache(maxsize=65536)
def transcription_letters(folded: str) -> str:
    """The letters of a katakana or Hangul mark without the vowels the transcription
    rules add, and of a Latin mark, written by the classes of the module docs (vowels kept):
    what `kg.analysis.similarity_rules` asks to agree beside the sounds.

    >>> transcription_letters("스타벅스"), transcription_letters("コカコーラ")
    ('STAPƏKS', 'KOKAKORA')
    >>> transcription_letters("COCACOLA")
    'KOKAKORA'
    """
    if folded.isascii():
        return _class_letters(folded)
    script = transcription_script(folded)
    if script is None:
        return ""
    hangul = script == "hangul"
    syllables = _hangul_syllables(folded) if hangul else _kana_syllables(folded)
    kept = []
    for i, (consonant, vowel, long) in enumerate(syllables):
        following = None if i + 1 == len(syllables) else "C" if syllables[i + 1][0] else "V"
        added = not long and _epenthetic(consonant, vowel, following, hangul)
        written = _vowel_class(vowel) if hangul and vowel else vowel
        kept.append(consonant + ("" if added else written))
    return _class_letters("".join(kept))


def _class_letters(spelled: str) -> str:
    for digraph, cls in _DIGRAPHS:
        spelled = spelled.replace(digraph, cls.lower())
    return "".join(
        c.upper() if c.islower() else _LETTER_CLASSES.get(c, c if c in "AEIOUƏƗ" else "")
        for c in spelled
    )


def _kana_syllables(folded: str) -> list[tuple[str, str, bool]]:
    """(consonant, vowel, lengthened) of each kana (anyascii's Hepburn), a small kana
    joined to the one before it (``ジョ`` JO, ``ディ`` DI)."""
    out: list[tuple[str, str, bool]] = []
    for char in folded:
        if char == "ー":
            if out:
                out[-1] = (out[-1][0], out[-1][1], True)
            continue
        spelled = anyascii(char).upper()
        if char == "ッ" or not spelled.isalpha():
            continue  # a doubled consonant is one sound here
        consonant = spelled.rstrip("AEIOU")
        vowel = spelled[len(consonant) :]
        if char in _SMALL_KANA and out:
            before, _, _ = out[-1]
            if consonant == "Y" and before not in ("SH", "CH", "J"):
                before += "Y"  # KYA; SHA, CHA, JA keep their consonant
            out[-1] = (before or ("W" if out[-1][1] == "U" else ""), vowel, False)
            continue
        out.append((consonant, vowel, False))
    return out


def _hangul_syllables(folded: str) -> list[tuple[str, str, bool]]:
    """(initial, vowel) of each Hangul syllable and (final, "") for its final consonant,
    by anyascii's Revised Romanization."""
    out: list[tuple[str, str, bool]] = []
    for char in folded:
        spelled = anyascii(char).upper()
        match = regex.match(r"([^AEIOUWY]*)([WY]?[AEIOU]+)(.*)$", spelled)
        if match is None:
            continue
        initial, vowel, final = match.groups()
        out.append((initial, vowel.lstrip("WY"), False))
        if final:
            out.append((final, "", False))
    return out


def _epenthetic(consonant: str, vowel: str, following: str | None, hangul: bool) -> bool:
    """Whether a syllable's vowel is one the transcription rules add after a consonant that
    ends a syllable in the source word: before another consonant or at the end."""
    if not consonant or consonant in ("W", "Y") or following not in (None, "C"):
        return False
    if hangul:
        return vowel == "EU" or (vowel == "I" and consonant in ("J", "CH") and following is None)
    if vowel == "U":
        return consonant not in ("W", "Y")
    if vowel == "O":
        return consonant in ("T", "D")
    return vowel == "I" and consonant in ("CH", "J") and following is None


def _romanized_classes(consonant: str) -> list[str]:
    for digraph, cls in _DIGRAPHS:
        consonant = consonant.replace(digraph, cls.lower())
    found = [c.upper() if c.islower() else _LETTER_CLASSES.get(c, "") for c in consonant]
    return [c for c in found if c]


class _Builder:
    """Collects consonant classes and vowel slots; a consonant of the class before it,
    with no vowel between, is the same sound. A slot of two kana or Hangul vowels or more
    (``시온``, SI-ON) is written with a ``+``: an English schwa is one vowel."""

    def __init__(self) -> None:
        self.consonants: list[str] = []
        self.vowels: list[str] = [""]
        self.optional: list[bool] = [False]

    def consonant(self, cls: str) -> None:
        last = self.consonants[-1] if self.consonants else ""
        if last.upper() == cls.upper() and not self.vowels[-1]:
            return
        self.consonants.append(cls)
        self.vowels.append("")
        self.optional.append(False)

    def vowel(self, letters: str, optional: bool = False, syllable: bool = False) -> None:
        if self.vowels[-1] and not self.optional[-1]:
            letters = "" if letters == _ANY else letters
            merged = set(self.vowels[-1] + letters) | ({"+"} if syllable else set())
            self.vowels[-1] = "".join(sorted(merged))
            return
        self.vowels[-1], self.optional[-1] = letters, optional

    def reading(self) -> Reading:
        return Reading("".join(self.consonants), tuple(self.vowels), tuple(self.optional))


@lru_cache(maxsize=65536)
def reading(folded: str) -> Reading | None:
    """The :class:`Reading` of a folded katakana or Hangul mark, the vowels the
    transcription rules add marked optional; ``None`` for another script.

    >>> read = reading("エリクソン")
    >>> read.consonants, read.vowels, read.optional[2]
    ('RKSN', ('E', 'I', 'U', 'O', ''), True)
    >>> reading("프렌즈").consonants, reading("マクドナルド").consonants
    ('PRNS', 'MKTNRT')
    """
    script = transcription_script(folded)
    if script is None:
        return None
    hangul = script == "hangul"
    syllables = _hangul_syllables(folded) if hangul else _kana_syllables(folded)
    built = _Builder()
    for i, (consonant, vowel, long) in enumerate(syllables):
        following = None if i + 1 == len(syllables) else "C" if syllables[i + 1][0] else "V"
        for cls in _romanized_classes(consonant):
            built.consonant(cls)
        if vowel:
            added = not long and _epenthetic(consonant, vowel, following, hangul)
            built.vowel(_vowel_class(vowel), optional=added, syllable=True)
    return built.reading()


def _vowel_class(vowel: str) -> str:
    """A romanized kana or Hangul vowel as the letter it is compared by: Korean EO as
    ``Ə``, AE and OE as ``E``, EU as ``Ɨ`` (the vowel Korean adds: only a schwa is
    written so)."""
    if vowel.startswith("EO"):
        return "Ə"
    if vowel.startswith(("AE", "OE")):
        return "E"
    if vowel.startswith("EU"):
        return "Ɨ"
    return vowel[0]


def _ipa_reading(ipa: str, english: bool) -> Reading:
    plain = "".join(c for c in unicodedata.normalize("NFD", ipa) if not unicodedata.combining(c))
    plain = _AFFRICATE.sub("ʃ", plain)
    built = _Builder()
    for char in plain:
        if char in "əɚɜɘɐ":
            built.vowel(_ANY)
            if char == "ɚ":
                built.consonant("r")
        elif char in _IPA_VOWELS:
            built.vowel(_IPA_VOWEL_LETTERS.get(char, _ANY), syllable=True)
        elif char == "ɾ" and english:
            built.consonant("T")  # the American flap is a T
        elif char in _IPA_CLASSES:
            built.consonant(_IPA_CLASSES[char])
    return built.reading()


def _spelled_reading(latin: str) -> Reading:
    spelled = latin
    for digraph, cls in _DIGRAPHS:
        spelled = spelled.replace(digraph, cls.lower())
    built = _Builder()
    for i, char in enumerate(spelled):
        if char in _SPELLED_VOWEL_LETTERS and not (char == "Y" and i == 0):
            silent = char == "E" and i == len(spelled) - 1 and i > 1
            built.vowel(_ANY if silent else _SPELLED_VOWEL_LETTERS[char], syllable=True)
        elif char.islower():
            built.consonant(char.upper())
        elif char == "C" and spelled[i + 1 : i + 2] in ("E", "I", "Y"):
            built.consonant("S")
        elif char == "X":
            built.consonant("K")
            built.consonant("S")
        elif char == "R":
            built.consonant("r")
        elif char in _LETTER_CLASSES:
            built.consonant(_LETTER_CLASSES[char])
    return built.reading()


def _variants(read: Reading) -> set[Reading]:
    """A Latin reading and the forms transcription rules allow: every R after a vowel and
    before a consonant or the end left out, a final S left out, ``NTS`` as ``NS``."""
    found = {Reading(read.consonants.upper(), read.vowels, read.optional)}
    kept = [
        i
        for i, cls in enumerate(read.consonants)
        if not (cls == "r" and read.vowels[i] and not read.vowels[i + 1])
    ]
    if len(kept) < len(read.consonants):
        vowels = [read.vowels[0]] + [read.vowels[i + 1] for i in kept]
        consonants = "".join(read.consonants[i] for i in kept).upper()
        found.add(Reading(consonants, tuple(vowels), (False,) * len(vowels)))
    for form in list(found):
        if form.consonants.endswith("NTS") and not any(form.vowels[-3:]):
            found.add(Reading(form.consonants[:-2] + "S", form.vowels[:-1], form.optional[:-1]))
    for form in list(found):
        if form.consonants.endswith("S") and not form.vowels[-1]:
            found.add(Reading(form.consonants[:-1], form.vowels[:-1], form.optional[:-1]))
    return found


@lru_cache(maxsize=65536)
def latin_readings(latin: str, spoken: str = "") -> frozenset[Reading]:
    """The readings (:class:`Reading`) a romanized Latin mark may be transcribed from: the
    English pronunciation (eSpeak NG) of `spoken` (the mark's distinctive words,
    `kg.analysis.sound_rules.spelled_form`, whose reading the ``sound`` rules have already
    asked for; `latin` itself when empty) and the spelling of `latin`, with the variants
    of the module docs.

    >>> sorted({r.consonants for r in latin_readings("STARBUCKS")})
    ['STPK', 'STPKS', 'STRPK', 'STRPKS']
    """
    found: set[Reading] = set()
    for read in (_ipa_reading(heard(spoken or latin), english=True), _spelled_reading(latin)):
        found |= _variants(read)
    return frozenset(found)


def transcription_keys(latin: str, spoken: str = "") -> frozenset[str]:
    """The consonant classes of a Latin mark's :func:`latin_readings`: the blocking keys
    a katakana or Hangul transcription of it shares (``X:``).

    >>> sorted(transcription_keys("MICROSOFT"))
    ['MKRSPT']
    """
    return frozenset(
        r.consonants
        for r in latin_readings(latin, spoken)
        if len(r.consonants) >= TRANSCRIPTION_MIN_CONSONANTS
    )


def _slot_agrees(kana: str, optional: bool, latin: str) -> bool:
    if latin == _ANY:  # a schwa: any one vowel, or none
        return "+" not in kana
    if not latin:
        return not kana or optional
    if "+" in kana and "+" not in latin:  # two vowels for one
        return False
    return any(letter in latin for letter in kana if letter != "+")


def transcribes(folded: str, latin: str, spoken: str = "") -> bool:
    """Whether a folded katakana or Hangul mark may be a transcription of a romanized Latin
    mark (`spoken`: as :func:`latin_readings`): the same consonant classes in order, of at
    least `TRANSCRIPTION_MIN_CONSONANTS`, and every vowel slot in agreement (module docs).

    >>> transcribes("エリクソン", "ERICSSON"), transcribes("맥도날드", "MCDONALDS")
    (True, True)
    >>> transcribes("リスーモ", "ERICSSON"), transcribes("ミドリ", "HUMIDOR")
    (False, False)
    """
    kana = reading(folded)
    if kana is None or len(kana.consonants) < TRANSCRIPTION_MIN_CONSONANTS:
        return False
    for read in latin_readings(latin, spoken):
        if read.consonants != kana.consonants:
            continue
        slots = zip(kana.vowels, kana.optional, read.vowels, strict=True)
        if all(_slot_agrees(k, opt, lat) for k, opt, lat in slots):
            return True
    return False
