"""The arguments of every question, checked in one place before anything uses them.

GraphQL resolvers, the `kg` analysis, report and export commands, and `/report` pass what
the user gave through `check`, so all of them accept and refuse the same things with the same
message; the analysis service checks again what it splices into a query (a jurisdiction code).
A refused argument raises `ArgumentError`: exit status 2 in the CLI, ``BAD_REQUEST`` with
``extensions.argument`` in GraphQL, 400 over HTTP.

Rules, by argument name (`RULES`):

- names, marks, case ids and numbers, search text: one line of printable text, not blank
  (it holds a letter, digit, punctuation mark or symbol, not only accents or private-use
  characters), at most `MAX_TEXT_CHARS` characters — no control character (newline, tab,
  ESC, NUL), no line or paragraph separator (U+2028, U+2029), no surrogate or
  noncharacter, no bidirectional formatting or invisible character (soft hyphen, zero
  width space, word joiner, tag character...): `kg.text_characters`, the rule the store's
  texts follow too. Returned as an import reads it: a run of spaces as one, none at either
  end (``"ACME  WIDGETS "`` asks about ``ACME WIDGETS``);
- ``jurisdiction``: an ISO 3166-1 alpha-2 code (any case), a regional system's WIPO ST.3 code
  (EM, BX, OA, WO), or tmkg's jurisdiction IRI (``https://w3id.org/tmkg/id/jurisdiction/CN``);
  returned as the upper-case code;
- ``nice_class``: a whole number from 1 to 45;
- ``as_of``: a day, a month or a year, as the data gives dates (``YYYY-MM-DD``, ``YYYY-MM``,
  ``YYYY``; any XSD 1.1 year, e.g. ``-0044``); returned as a `PartialDate`;
- ``min_similarity``, ``min_score``: a number from 0 to 1;
- counts (``limit``, ``top``, ``max_length``, ``first``, ``depth``, ``max_nodes``): whole
  numbers in their ranges;
- ``named_graph``: an absolute IRI.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from kg.analysis.dates import PartialDate
from kg.analysis.sparql_text import is_iri
from kg.errors import KGError, NotFound
from kg.reference import NOT_COUNTRIES, jurisdiction_codes, regional_codes
from kg.text_characters import (
    BIDI_FORMATTING,
    LINE_BREAKS,
    REFUSED,
    character_name,
    invisible_characters,
    is_visible,
    one_line,
    quoted,
)

__all__ = [
    "JURISDICTION_IRI",
    "MAX_PATH_LENGTH",
    "MAX_TEXT_CHARS",
    "MAX_TOP",
    "RULES",
    "ArgumentError",
    "check",
    "date",
    "fraction",
    "jurisdiction",
    "nice_class",
    "text",
]

MAX_TEXT_CHARS = 500
"""The longest name, mark, case id or search text accepted (real ones are far shorter)."""
JURISDICTION_IRI = "https://w3id.org/tmkg/id/jurisdiction/"

_CODE = re.compile(r"[A-Za-z]{2}")


class ArgumentError(KGError):
    """An argument is malformed or out of range; `argument` names it."""

    exit_code = 2  # a usage error, as argparse's own
    http_status = 400

    def __init__(self, argument: str, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message, suggestion=suggestion)
        self.argument = argument


def text(value: object, argument: str = "text") -> str:
    """One line of printable text, not blank, at most `MAX_TEXT_CHARS` characters; returned
    as an import reads it (`kg.text_characters.one_line`: a run of spaces as one, none at
    either end).

    >>> text(" ACME  WIDGETS ")
    'ACME WIDGETS'
    >>> text("C\\nN", "jurisdiction")
    Traceback (most recent call last):
    kg.analysis.arguments.ArgumentError: jurisdiction 'C\\nN' holds a control character (U+000A)
    """
    if not isinstance(value, str):
        raise ArgumentError(argument, f"{argument} must be text, not {quoted(value)}")
    if len(value) > MAX_TEXT_CHARS:
        raise ArgumentError(
            argument,
            f"{argument} is {len(value)} characters long, more than the {MAX_TEXT_CHARS} allowed",
            suggestion="names, marks and case numbers are short",
        )
    found = REFUSED.search(value) or LINE_BREAKS.search(value)
    bad = found[0] if found else next(iter(invisible_characters(value)), None)
    if bad and "\ud800" <= bad <= "\udfff":  # how Python reads argv bytes not UTF-8
        raise ArgumentError(
            argument,
            f"{argument} {quoted(value)} holds a lone surrogate (U+{ord(bad):04X}), which is "
            "not text",
            suggestion="give the text as UTF-8: bytes that are not UTF-8 read as surrogates",
        )
    if bad:
        raise ArgumentError(argument, f"{argument} {quoted(value)} holds {_what(bad)}")
    tidied = one_line(value)
    if not is_visible(tidied):
        raise ArgumentError(argument, f"{argument} is blank")
    return tidied


def _what(char: str) -> str:
    """A refused character as messages name it: ``a control character (U+000A)``."""
    if BIDI_FORMATTING.fullmatch(char):
        return f"a bidirectional formatting character ({character_name(char)})"
    if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
        return f"a control character (U+{ord(char):04X})"
    if REFUSED.fullmatch(char):
        return character_name(char)
    return f"an invisible character ({character_name(char)}), which a register would not show"


def jurisdiction(value: object, argument: str = "jurisdiction") -> str:
    """An ISO 3166-1 alpha-2 code or tmkg's jurisdiction IRI, as the upper-case code.

    >>> jurisdiction("cn"), jurisdiction("https://w3id.org/tmkg/id/jurisdiction/US")
    ('CN', 'US')
    """
    code = text(value, argument).strip().removeprefix(JURISDICTION_IRI)
    if not _CODE.fullmatch(code):
        raise ArgumentError(
            argument,
            f"{argument} {quoted(value)} is not a jurisdiction code",
            suggestion=_alpha_2_of(code) or "use an ISO 3166-1 alpha-2 code such as CN",
        )
    return code.upper()


def _alpha_2_of(code: str) -> str | None:
    """What to ask for instead of an ISO 3166-1 alpha-3 code (``usa``: US), if `code` is one.

    >>> _alpha_2_of("usa"), _alpha_2_of("xyz")
    ('USA is the ISO 3166-1 alpha-3 code of United States: ask for US', None)
    """
    import pycountry

    country = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if country is None:
        return None
    name, alpha_2 = country.name, country.alpha_2
    return f"{code.upper()} is the ISO 3166-1 alpha-3 code of {name}: ask for {alpha_2}"


_ASK_INSTEAD = {
    "EU": "ask for EM, or for a member state such as FR to see every right that counts there"
}


def unknown_jurisdiction(code: str, argument: str = "jurisdiction") -> KGError:
    """The error for a well-formed jurisdiction `code` (`jurisdiction`) that the store holds no
    facts of: `ArgumentError` (a usage error: exit 2, HTTP 400) when it is neither an ISO
    3166-1 alpha-2 code nor a WIPO ST.3 regional one (UK, EU, XX), else `NotFound` (exit 7,
    HTTP 404) — a real code the data does not name. Codes people confuse say which is meant
    (`kg.reference.NOT_COUNTRIES`).

    >>> [type(unknown_jurisdiction(code)).__name__ for code in ("UK", "XX", "FR", "EM")]
    ['ArgumentError', 'ArgumentError', 'NotFound', 'NotFound']
    >>> str(unknown_jurisdiction("UK"))
    "unknown jurisdiction 'UK': the ISO 3166-1 code of the United Kingdom is GB"
    """
    hint = NOT_COUNTRIES.get(code)
    message = f"unknown jurisdiction {code!r}" + (f": {hint}" if hint else "")
    suggestion = _ASK_INSTEAD.get(code) or (
        None if hint else "use an ISO 3166-1 alpha-2 code such as CN, or EM, BX, OA, WO"
    )
    if code in jurisdiction_codes() or code in regional_codes():
        return NotFound(message, suggestion=suggestion)
    return ArgumentError(argument, message, suggestion=suggestion)


def nice_class(value: object, argument: str = "nice_class") -> int:
    """A Nice class, 1 to 45."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 45:
        raise ArgumentError(
            argument,
            f"Nice class {quoted(value)} does not exist",
            suggestion="classes run from 1 to 45",
        )
    return value


def date(value: object, argument: str = "as_of") -> PartialDate:
    """A day, month or year: a `datetime.date`, or text as the data writes dates.

    >>> str(date("2015")), str(date("2015-06")), str(date(dt.date(2015, 6, 1)))
    ('2015', '2015-06', '2015-06-01')

    Eight or six digits are a day or a month written without hyphens, not a year (helper-124:
    ``20240305`` was read as the year 20,240,305); XSD's long years stay (``10000``):

    >>> try:
    ...     date("20240305")
    ... except ArgumentError as error:
    ...     print(error)
    as_of '20240305' is not a date (write 2024-03-05)
    >>> str(date("10000")), str(date("-0044"))
    ('10000', '-0044')
    """
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return PartialDate.of(value)
    given = text(value, argument).strip()
    # YYYYMMDD and YYYYMM (the USPTO's own forms) are no years of eight or six digits
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})?", given)
    try:
        if compact:
            raise ValueError(given)
        return PartialDate.parse(given)
    except ValueError:
        raise ArgumentError(
            argument,
            f"{argument} {quoted(value)} is not a date",
            suggestion=(
                f"write {'-'.join(part for part in compact.groups() if part)}"
                if compact
                else "write YYYY-MM-DD, YYYY-MM or YYYY"
            ),
        ) from None


def fraction(value: object, argument: str = "min_score") -> float:
    """A number from 0 to 1."""
    # NaN fails the range test too.
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ArgumentError(argument, f"{argument} must be between 0 and 1, not {quoted(value)}")
    return float(value)


def _between(low: int, high: int) -> Callable[[object, str], int]:
    def count(value: object, argument: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ArgumentError(
                argument, f"{argument} must be between {low} and {high}, not {quoted(value)}"
            )
        return value

    return count


def _iri(value: object, argument: str) -> str:
    iri = text(value, argument).strip()
    if not is_iri(iri):
        raise ArgumentError(
            argument,
            f"{argument} {quoted(value)} is not an absolute IRI",
            suggestion="see `kg stats` for the graphs' IRIs",
        )
    return iri


MAX_PATH_LENGTH = 12
"""The most steps a conflict path may have (`kg path --max-length`, GraphQL `maxLength`)."""
MAX_TOP = 1_000_000_000
"""The most conflicts a search may be asked to keep (``top``): any register's."""

_TEXT_ARGUMENTS = (
    "mark", "text", "name", "party", "excluding", "origin", "destination", "from_", "to",
    "case", "id", "subject", "after", "earlier", "later",
)  # fmt: skip

RULES: dict[str, Callable[[Any, str], Any]] = {
    **dict.fromkeys(_TEXT_ARGUMENTS, text),
    "jurisdiction": jurisdiction,
    "nice_class": nice_class,
    "as_of": date,
    "min_similarity": fraction,
    "min_score": fraction,
    "limit": _between(1, 100),
    "top": _between(1, MAX_TOP),
    "max_length": _between(1, MAX_PATH_LENGTH),
    "first": _between(0, 100),
    "depth": _between(1, 4),
    "max_nodes": _between(5, 200),
    "named_graph": _iri,
}
"""The rule for each argument, by its Python name (GraphQL's ``niceClass`` is ``nice_class``)."""


def check(**arguments: Any) -> dict[str, Any]:
    """Every given argument checked by its rule and normalised; None means not given.

    >>> check(jurisdiction="cn", nice_class=42, mark=None)
    {'jurisdiction': 'CN', 'nice_class': 42, 'mark': None}
    """
    return {
        name: None if value is None else RULES[name](value, name)
        for name, value in arguments.items()
    }
