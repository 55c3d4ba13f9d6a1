"""The texts of a register record, checked and tidied before the record is mapped.

Every reader (CSV/TSV, ST.66, ST.96, USPTO, Madrid) hands `kg.registries.mapping.Mapper` a
`RegistryRecord`; `tidy_record` applies `kg.text_characters` to each of its texts (the mark,
its verbal element, owner and representative names, statements, goods and services, event
descriptions, numbers), so an import stores only text a question can ask about:

- a control character, surrogate or noncharacter (`REFUSED`) is an error naming the field,
  the character and the record: nothing of the import is written;
- a bidirectional formatting character (`BIDI_FORMATTING`) is removed and counted;
- tabs and line breaks read as a space, and runs of spaces as one, as XML readers already
  read element text;
- a mark text left with no visible character (only zero-width spaces or joiners) is an
  error, as a blank one is.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from kg.registries.records import FieldError
from kg.text_characters import BIDI_FORMATTING, LINE_BREAKS, REFUSED, character_name, is_visible

__all__ = ["Removed", "tidy_record"]

T = TypeVar("T")
_SPACES = re.compile(" {2,}")
Removed = tuple[str, str]
"""A character removed from a text: (the field, e.g. ``owners.name``; the character)."""


def tidy_record(record: T) -> tuple[T, list[Removed]]:
    """`record` (a `RegistryRecord` or any dataclass of texts, tuples and dataclasses) with
    every text tidied, and the characters removed. The record itself is returned where
    nothing changed.

    Raises `FieldError` naming the field and the character for a character no text may hold,
    or for a mark text with no visible character.

    >>> from kg.registries.records import Owner
    >>> tidy_record(Owner("ACME\\u202e\\tCORP"))
    (Owner(name='ACME CORP', kind=None, country=None), [('name', '\\u202e')])
    >>> tidy_record(Owner("ACME\\x1bCORP"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.registries.records.FieldError: name 'ACME\\x1bCORP' holds U+001B (a control character), ...
    """
    removed: list[Removed] = []
    tidied = _tidy(record, "", removed)
    mark = getattr(tidied, "mark", None)
    if isinstance(mark, str) and mark and not is_visible(mark):
        raise FieldError(
            f"the mark text {_shown(mark)} holds no visible character (only spaces, "
            "zero-width or formatting characters)"
        )
    return tidied, removed


def _tidy(value: Any, path: str, removed: list[Removed]) -> Any:
    if isinstance(value, str):
        return _text(value, path, removed)
    if isinstance(value, tuple):
        items = tuple(_tidy(item, path, removed) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in fields(value):
            old = getattr(value, field.name)
            new = _tidy(old, f"{path}.{field.name}" if path else field.name, removed)
            if new is not old:
                changes[field.name] = new
        return replace(value, **changes) if changes else value
    return value  # dates, numbers, IRIs


def _text(text: str, path: str, removed: list[Removed]) -> str:
    bad = REFUSED.search(text)
    if bad:
        raise FieldError(
            f"{path} {_shown(text)} holds {character_name(bad[0])}, which no text may hold"
        )
    tidied = text
    if BIDI_FORMATTING.search(tidied):
        removed += [(path, char) for char in BIDI_FORMATTING.findall(tidied)]
        tidied = BIDI_FORMATTING.sub("", tidied)
    if LINE_BREAKS.search(tidied) or "  " in tidied:
        tidied = _SPACES.sub(" ", LINE_BREAKS.sub(" ", tidied)).strip(" ")
    return text if tidied == text else tidied


def _shown(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:56] + "…" + shown[-3:]
