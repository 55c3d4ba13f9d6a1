"""Words of a mark that name no source: entity designations and a domain name's address parts.

A company's legal form ("INC.", "GmbH", "S.p.A.", "有限公司", "주식회사") says what kind of entity
the owner is, and the beginning of a URL ("http://", "www.") and a domain name's top-level
domain (".COM", ".NET", ".CO.UK") say that the mark is an address: none of them says whose
goods these are. Examiners compare marks without them: USPTO TMEP 1213.03(d) (entity
designations have no source-indicating capacity), TMEP 1215.02 (neither the beginning of a
URL nor the top-level domain has source-indicating significance) and 1215.09 (little weight
to the TLD when weighing confusion). A Latin legal form is set aside where it ends a mark; one
in Chinese characters, Hangul or kana (株式会社, 주식회사) also where it begins one.
`kg.analysis.similarity.compare` therefore compares ``STEELCASE`` with ``STEELCARE INC.`` as
``STEELCARE``, and ``USA PARKING`` with ``USAPARK.NET`` as ``USAPARK``.

The legal forms are the ``legal-form`` rows of ``schema/weak-words.csv`` (its header gives
their sources); a top-level domain is an ICANN public suffix of the Public Suffix List, read
through the `publicsuffixlist` package (no network: the list ships with it).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from publicsuffixlist import PublicSuffixList

from kg.analysis.elements import distinctive_words, romanized_weak_words, weak_word_rows
from kg.analysis.scripts import romanize
from kg.analysis.verbal import verbal_element

__all__ = ["designation_note", "legal_forms", "set_aside_notes", "without_designations"]

# an address closing the text: a URL's beginning, a host name (labels, the last a suffix), a
# path; not an e-mail address (an @ before it)
_ADDRESS = re.compile(
    r"(?:^|(?<=\s))(?P<start>(?:https?://)?(?:www\.)?)"
    r"(?P<host>(?:[\w-]+\.)+[A-Za-z]{2,})\.?(?P<path>/\S*)?\s*$",
    re.IGNORECASE,
)
_HOST_NAME = re.compile(r"[\w-]*[^\W\d_][\w-]*")  # a letter among them
_MIN_HOST_NAME = 3  # characters of the label before the suffix (not A.W.S., not U.S.A.)
_WORD = re.compile(r"\w+")
_INITIALS = re.compile(r"(?<![\w.])(?:\w\.\s?){1,4}\w\.?\s*$")  # S.p.A., S.A.R.L., L.L.C.
_SEPARATORS = " \t,.&+/-·、,"
_MIN_ATTACHED_REST = 2  # characters left of a CJK word with its legal form written on
_DANGLING = re.compile(r"(?:\s+(?:AND|UND|ET|Y|E)|[\s,&+/\-·、]+)+$", re.IGNORECASE)

INITIALS_ONLY = frozenset({"SPA", "SAS"})
"""Legal forms that are also words (a spa, "SAS"): set aside only written as initials with
their points (``S.p.A.``, ``S.A.S.``), not in ``NIZUC RESORT & SPA``."""


@cache
def legal_forms() -> tuple[frozenset[str], tuple[str, ...]]:
    """The legal forms of ``schema/weak-words.csv``: (romanized words, the forms written in
    Chinese characters, Hangul or kana, longest first — also found written on a word).
    Of them, `INITIALS_ONLY` count only written as initials (``S.p.A.``).

    >>> words, attached = legal_forms()
    >>> {"INC", "GMBH", "SPA"} <= words, attached[:2]
    (True, ('유한책임회사', '有限公司'))
    """
    rows = zip(weak_word_rows(), romanized_weak_words(), strict=True)
    forms = [(row["word"], word) for row, word in rows if row["kind"] == "legal-form"]
    attached = sorted((f for f, _ in forms if not f.isascii()), key=lambda f: (-len(f), f))
    return frozenset(word for _, word in forms), tuple(attached)


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


GENERIC_TLDS = frozenset({"com", "net", "org", "info", "biz", "edu", "gov", "int", "mil"})
"""The generic top-level domains set aside: those of TMEP 1215.01 (.com, .edu, .gov, .int,
.mil, .net, .org) and the two opened beside them in 2001 (.info, .biz). The gTLDs ICANN
opened since 2012 are words (``.kids``, ``.solutions``, ``.one``) that TMEP 1215.02 says may
identify a source: ``easy.KIDS`` and ``AXENT.ONE`` are kept whole."""


def _top_level_domain(suffix: str) -> bool:
    """Whether `suffix` (lower case, ``net`` or ``co.uk``) is a generic top-level domain of
    `GENERIC_TLDS` or a country's (two letters, and what the country opens below it),
    as the Public Suffix List has it."""
    if _suffixes().publicsuffix("x." + suffix, accept_unknown=False) != suffix:
        return False
    top = suffix.rsplit(".", 1)[-1]
    return len(top) == 2 or top in GENERIC_TLDS


def without_designations(text: str) -> str:
    """`text` without the URL beginning, the top-level domain and the legal forms that begin
    or end it; `text` itself when it has none, or when nothing but them would be left.

    >>> without_designations("STEELCARE INC."), without_designations("ACME Co., Ltd.")
    ('STEELCARE', 'ACME')
    >>> without_designations("USAPARK.NET"), without_designations("www.booking.com")
    ('USAPARK', 'booking')
    >>> without_designations("주식회사 불닭"), without_designations("小米科技有限公司")
    ('불닭', '小米科技')
    >>> without_designations("INC."), without_designations("A.W.S."), without_designations("SPA")
    ('INC.', 'A.W.S.', 'SPA')
    """
    return _split(text)[0]


def designation_note(*texts: str) -> str | None:
    """What :func:`without_designations` set aside of the verbal elements of `texts` (marks'
    texts, `kg.analysis.verbal.verbal_element`), for the reasons of a hit or a conflict;
    None when nothing was (`set_aside_notes`, joined).

    >>> designation_note("STEELCASE", "STEELCARE INC.")
    "'INC.' of 'STEELCARE INC.' set aside (a legal form names no source: TMEP 1213.03(d))"
    >>> designation_note("USA PARKING", "www.usapark.net")
    "'www.', '.net' of 'www.usapark.net' set aside (an address names no source: TMEP 1215.02)"
    >>> designation_note("ACME", "APEX") is None, designation_note("ACME INC. & Design")
    (True, "'INC.' of 'ACME INC.' set aside (a legal form names no source: TMEP 1213.03(d))")
    """
    return "; ".join(set_aside_notes(*texts)) or None


def set_aside_notes(*texts: str) -> tuple[str, ...]:
    """One note per text of `texts` something of which :func:`without_designations` set
    aside, in their order; none when their verbal elements romanize alike whole (`LO CO` /
    `LOCO` are compared so).

    >>> set_aside_notes("STEELCASE INC.", "STEELCARE LLC")  # doctest: +NORMALIZE_WHITESPACE
    ("'INC.' of 'STEELCASE INC.' set aside (a legal form names no source: TMEP 1213.03(d))",
     "'LLC' of 'STEELCARE LLC' set aside (a legal form names no source: TMEP 1213.03(d))")
    >>> set_aside_notes("LO CO", "LOCO")
    ()
    """
    notes: list[str] = []
    verbal = list(dict.fromkeys(v for v in map(verbal_element, texts) if v is not None))
    if len(verbal) > 1 and len({romanize(text) for text in verbal}) == 1:
        return ()  # the same letters whole (LO CO / LOCO): compared so, nothing set aside
    for text in verbal:
        core, legal, address = _split(text)
        parts = [*address, *legal]
        if core == text or not parts:
            continue
        why = [
            *(["a legal form names no source: TMEP 1213.03(d)"] if legal else []),
            *(["an address names no source: TMEP 1215.02"] if address else []),
        ]
        quoted = ", ".join(f"'{part}'" for part in parts)
        notes.append(f"{quoted} of '{text}' set aside ({'; '.join(why)})")
    return tuple(notes)


@lru_cache(maxsize=65536)
def _split(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(the core, the legal forms set aside, the URL beginning and top-level domain set
    aside) of a mark's text; the core is `text` when nothing distinctive would be left."""
    legal: list[str] = []
    core = _without_legal_forms(text, legal)  # BOOKING.COM INC.
    core, address = _without_address(core)
    core = _without_legal_forms(core, legal)  # www.acme-gmbh.de: not the host's words
    if core == text or not distinctive_words(core):  # THE LIMITED, BEST COMPANY, INC.
        return text, (), ()
    return core, tuple(legal), address


def _without_address(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` without the address that ends it (its URL beginning, top-level domain and
    path), and what was set aside: ``6 www.pegi.info`` is ``6 pegi``."""
    found = _ADDRESS.search(text)
    if found is None:
        return text, ()
    host = found["host"]
    suffix = _suffixes().publicsuffix(host.lower(), accept_unknown=False)
    if suffix is None or not _top_level_domain(suffix) or len(suffix) >= len(host):
        return text, ()
    name = host[: -len(suffix) - 1]
    label = name.rsplit(".", 1)[-1]
    if len(label) < _MIN_HOST_NAME or not _HOST_NAME.fullmatch(label) or label.upper() == "WWW":
        return text, ()
    parts = [found["start"]] if found["start"] else []
    parts.append(host[len(name) :] + (found["path"] or ""))
    return (text[: found.start()] + name).strip(), tuple(parts)


def _without_legal_forms(text: str, removed: list[str]) -> str:
    """`text` without the legal forms that end it (and, in Chinese characters, Hangul or kana,
    begin it), each added to `removed` in order. A legal form of two letters written bare
    (``AG``, ``CO``, ``KG``, ``NV``, ``SA``) is also a word (PRECISION AG, BOULDER CO, 5 KG):
    it counts with its point (``Co.``), after ``&`` (``& CO``) or beside another legal form
    (``GMBH & CO KG``, ``CO LTD``)."""
    words, attached = legal_forms()
    while True:
        found = list(_WORD.finditer(text))
        if len(found) < 2:
            return _attached(text, attached, removed) if found else text
        first, last = found[0], found[-1]
        initials = _INITIALS.search(text)
        if (
            initials is not None
            and initials.start() > first.start()
            and romanize("".join(_WORD.findall(initials.group()))) in words
        ):
            removed.insert(0, initials.group().strip())
            text = _DANGLING.sub("", text[: initials.start()].rstrip(_SEPARATORS))
            continue
        form = romanize(last.group())
        if (
            _apart(text, last.start())
            and form in words
            and form not in INITIALS_ONLY
            and (len(form) > 2 or _marked(text, found, removed, words))
        ):
            removed.insert(0, text[last.start() :].strip())
            text = _DANGLING.sub("", text[: last.start()].rstrip(_SEPARATORS))
        elif not first.group().isascii() and romanize(first.group()) in words:
            removed.append(first.group())
            text = text[first.end() :].lstrip(_SEPARATORS)
        else:
            return _attached(text, attached, removed)


def _marked(
    text: str, found: list[re.Match[str]], removed: list[str], words: frozenset[str]
) -> bool:
    """Whether the bare two-letter word ending `text` is written as a legal form: with its
    point, after ``&`` or ``AND``, or beside another legal form (one set aside after it)."""
    last, before = found[-1], found[-2]
    between = text[before.end() : last.start()]
    return (
        text[last.end() : last.end() + 1] == "."
        or "&" in between
        or before.group().upper() == "AND"
        or bool(removed)
        or romanize(before.group()) in words
    )


def _apart(text: str, start: int) -> bool:
    """Whether the word at `start` is written apart: "ACME CO", "ACME, Inc.", not "€co"."""
    return text[start - 1].isspace() or text[start - 1] in ",&"


def _attached(text: str, attached: tuple[str, ...], removed: list[str]) -> str:
    """A legal form written on a word of Chinese characters, Hangul or kana (``小米有限公司``)."""
    stripped = text.strip()
    for form in attached:  # 股份有限公司: 有限公司, then 股份
        if stripped.endswith(form) and len(stripped) - len(form) >= _MIN_ATTACHED_REST:
            removed.insert(0, form)
            return _attached(stripped[: -len(form)].rstrip(_SEPARATORS), attached, removed)
        if stripped.startswith(form) and len(stripped) - len(form) >= _MIN_ATTACHED_REST:
            removed.append(form)
            return _attached(stripped[len(form) :].lstrip(_SEPARATORS), attached, removed)
    return text
