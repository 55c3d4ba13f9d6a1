"""The texts of a register record, checked and tidied before the record is mapped.

Every reader (CSV/TSV, ST.66, ST.96, USPTO, Madrid) hands `kg.registries.mapping.Mapper` a
`RegistryRecord`; `tidy_record` applies `kg.text_characters` to each of its texts (the mark,
its verbal element, owner and representative names, statements, goods and services, event
descriptions, numbers), so an import stores only text a question can ask about:

- a control character, surrogate or noncharacter (`REFUSED`) is an error naming the field,
  the character and the record: nothing of the import is written;
- a bidirectional formatting character (`BIDI_FORMATTING`) or an invisible one (`INVISIBLE`:
  a soft hyphen, zero width space, word joiner, tag character...) is removed and counted;
- the text is read as one line (`one_line`): tabs and line breaks as a space, runs of
  spaces as one, as XML readers already read element text, and no space at either end;
- a mark text, verbal element or party name left with no visible character
  (`kg.text_characters.is_visible`: only zero-width joiners, fillers, combining accents,
  private-use characters, or characters now removed) is an error, as a blank one is.

Messages name a field as the CSV column that holds it (``owner``, ``representative``,
``translation``), else by its path in the record (``ownership_changes.assignees.name``).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from kg.registries.records import FieldError
from kg.text_characters import (
    REFUSED,
    character_name,
    invisible_characters,
    is_visible,
    one_line,
    quoted,
    without_invisible,
)

__all__ = ["Removed", "tidy_record"]

T = TypeVar("T")
_MUST_SHOW = ("mark", "verbal_element", "verbal_element.text")
"""Texts that must be visible, besides every party's ``name`` (an `Owner` tidied alone too)."""
_LABELS = {
    "owners.name": "owner",
    "owners.country": "owner_country",
    "representatives.name": "representative",
    "goods_services.texts.text": "goods_services",
    "translations.text": "translation",
    "transliterations.text": "transliteration",
    "disclaimers.text": "disclaimer",
    "verbal_element": "verbal element",
    "verbal_element.text": "verbal element",
    "mark_feature": "mark_feature",
    "record_id": "number",
    "references.party.name": "owner",
}
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
    return _tidy(record, "", removed), removed


def _tidy(value: Any, path: str, removed: list[Removed]) -> Any:
    if isinstance(value, str):
        return _text(value, path, removed)
    if isinstance(value, tuple):
        items = tuple(_tidy(item, path, removed) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    paths = _field_paths(type(value), path)
    if paths is None:
        return value  # dates, numbers, IRIs
    changes = {}
    for name, inner in paths:
        old = getattr(value, name)
        if old is None:
            continue
        new = _tidy(old, inner, removed)
        if new is not old:
            changes[name] = new
    return replace(value, **changes) if changes else value


_PATHS: dict[tuple[type, str], tuple[tuple[str, str], ...] | None] = {}
"""(a record type, the path to it) -> (field name, path to the field) of each field, or None
for a type that is no dataclass: looked up once per record type and place, not per record."""


def _field_paths(kind: type, path: str) -> tuple[tuple[str, str], ...] | None:
    key = (kind, path)
    if key not in _PATHS:
        _PATHS[key] = (
            tuple((f.name, f"{path}.{f.name}" if path else f.name) for f in fields(kind))
            if is_dataclass(kind)
            else None
        )
    return _PATHS[key]


def _plain(text: str) -> bool:
    """Whether `text` is printable ASCII on one line with single spaces and none at either
    end: nothing to refuse, remove or tidy (most texts of a register; checked in C)."""
    return (
        text.isascii()
        and text.isprintable()
        and text[:1] != " "
        and text[-1:] != " "
        and "  " not in text
        and text != ""
    )


def _text(text: str, path: str, removed: list[Removed]) -> str:
    if _plain(text):
        return text
    bad = REFUSED.search(text)
    if bad:
        raise FieldError(
            f"{label(path)} {quoted(text)} holds {character_name(bad[0])}, which no text may hold"
        )
    hidden = invisible_characters(text)
    removed += [(path, char) for char in hidden]
    tidied = one_line(without_invisible(text) if hidden else text)
    if not is_visible(tidied) and (path in _MUST_SHOW or path.rsplit(".")[-1] == "name"):
        raise FieldError(
            f"{label(path)} {quoted(text)} holds no visible character (only spaces, "
            "zero-width, filler, formatting characters or accents)"
        )
    return text if tidied == text else tidied


def label(path: str) -> str:
    """How messages name the field at `path`: its CSV column where it has one.

    >>> label("owners.name"), label("goods_services.texts.text"), label("events.description")
    ('owner', 'goods_services', 'events.description')
    """
    return _LABELS.get(path, path)
