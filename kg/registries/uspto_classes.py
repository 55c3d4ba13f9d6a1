"""The classifications of a USPTO case-file: goods and services per class (Nice and US
classes), with their ``GSnnnX`` statements and first-use dates.

Source: USPTO, *Trademark Applications Daily XML DTD Element Documentation (V2.0)*, product
TRTDXFAP: the ``classification`` elements (``international-code``, ``us-code``,
``primary-code``, first-use dates) and ``case-file-statement/type-code`` ``GSnnnX`` (goods and
services of prime class nnn). See ``docs/registry-import.md`` (section "USPTO Trademark Daily
XML") for the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from lxml import etree

from kg.registries.records import GoodsServices, TaggedText
from kg.registries.uspto_values import CaseFile, element_code

__all__ = ["goods_and_classes"]

# USPTO classes that the file writes as "international-code" though they are not Nice classes:
# A (certification mark, goods), B (certification mark, services), 200 (collective membership).
_US_ONLY = {"A", "B", "200"}
_NICE = {f"{n:0{width}d}": n for n in range(1, 46) for width in (1, 2, 3)}
"""Nice class numbers as the file may write them ("016", "16") -> the class."""
_PRIME = {n: f"{n:03d}" for n in range(1, 46)}
# The children of a classification that are read (lxml skips the others without making Python
# objects of them).
_CLASSIFICATION = (
    "international-code",
    "us-code",
    "primary-code",
    "first-use-anywhere-date",
    "first-use-in-commerce-date",
)


def goods_and_classes(
    case_file: CaseFile,
    classifications: etree._Element | None,
    goods_texts: list[tuple[str, str, int]],
) -> tuple[
    tuple[GoodsServices, ...],
    tuple[int, ...],
    tuple[str, ...],
    tuple[ox.Literal | None, ox.Literal | None],
]:
    """Goods and services per class (Nice from ``international-code``, US classes as
    national codes; any other ``international-code``, e.g. 046 or 000, is an error, as in
    the CSV, ST.66 and ST.96 readers: the class of a right is a core value), the Nice
    classes, the US classes and the application's first-use dates (the earliest of its
    classes': the mark was first used then, for some goods).

    `goods_texts` are the ``GSnnnX`` statements (code, text, line): each goes to the
    classification whose prime class is nnn, on its Nice classes (on its US classes
    where it has none), with the classification's first-use dates."""
    read = []  # per classification: nice, national, primary, first use, in commerce
    for entry in classifications if classifications is not None else ():
        nice: list[int] = []
        national: list[str] = []
        primary = None
        first = commerce = None
        for element in entry.iterchildren(*_CLASSIFICATION):
            tag = element.tag
            if tag == "international-code":
                code = element_code(element)
                number = _NICE.get(code)
                if number is not None:
                    nice.append(number)
                elif code in _US_ONLY:
                    national.append(code)
                elif code:
                    case_file.errors.add(
                        element.sourceline or case_file.line,
                        None,
                        f'serial {case_file.serial}: international-code: "{code}" is not a '
                        "Nice class (1-45) nor a US class the USPTO writes there (A, B, 200)",
                    )
            elif tag == "us-code":
                code = element_code(element)
                if code:
                    national.append(code)
            elif tag == "primary-code":
                primary = element_code(element)
            elif tag == "first-use-anywhere-date":
                first = case_file.optional_date(element)
            elif tag == "first-use-in-commerce-date":
                commerce = case_file.optional_date(element)
        read.append((nice, national, primary, first, commerce))
    texts = _goods_texts(case_file, goods_texts, read)
    entries: dict[object, GoodsServices] = {}
    for index, (nice, national, _, first, commerce) in enumerate(read):
        said = texts.get(index, ())
        for number in nice:
            entry = GoodsServices(
                nice=number,
                texts=said,
                first_used_date=first,
                first_used_commerce_date=commerce,
            )
            known = entries.get(number)
            entries[number] = entry if known is None else _merged(known, entry)
        for code in national:
            if nice:
                entries.setdefault(code, _national_entry(code))
                continue
            entry = GoodsServices(
                national=code,
                texts=said,
                first_used_date=first,
                first_used_commerce_date=commerce,
            )
            known = entries.get(code)
            entries[code] = entry if known is None else _merged(known, entry)
    first_use = _earliest(r[3] for r in read)
    in_commerce = _earliest(r[4] for r in read)
    nice_classes = tuple(sorted({n for r in read for n in r[0]}))
    national_classes = tuple(sorted({c for r in read for c in r[1]}))
    return tuple(entries.values()), nice_classes, national_classes, (first_use, in_commerce)


def _goods_texts(
    case_file: CaseFile, goods_texts: list[tuple[str, str, int]], read: list
) -> dict[int, tuple[TaggedText, ...]]:
    """``GSnnnX`` statements by the classification whose prime class is nnn."""
    if not goods_texts:
        return {}
    by_code: dict[str, int] = {}
    for index, (nice, national, primary, _, _) in enumerate(read):
        for code in (primary, *(_PRIME[n] for n in nice), *national):
            if code:
                by_code.setdefault(code.zfill(3) if code.isdigit() else code, index)
    texts: dict[int, tuple[TaggedText, ...]] = {}
    for code, text, line in goods_texts:
        index = by_code.get(code[2:5])
        if index is None:
            case_file.tally.add(
                "goods/services statement of an unclassified class: left out",
                line,
                f"serial {case_file.serial} {code}",
            )
            continue
        texts[index] = (*texts.get(index, ()), TaggedText(text, "en"))
    return texts


@lru_cache(maxsize=1024)
def _national_entry(code: str) -> GoodsServices:
    """A US class of a classification that also has Nice classes: the code alone."""
    return GoodsServices(national=code)


def _merged(known: GoodsServices, more: GoodsServices) -> GoodsServices:
    """One class named by two classifications: its texts together, the first dates given."""
    return GoodsServices(
        nice=known.nice,
        national=known.national,
        texts=known.texts + tuple(t for t in more.texts if t not in known.texts),
        first_used_date=_first(known.first_used_date, more.first_used_date),
        first_used_commerce_date=_first(
            known.first_used_commerce_date, more.first_used_commerce_date
        ),
    )


def _first(one: ox.Literal | None, other: ox.Literal | None) -> ox.Literal | None:
    return one if one is not None else other


def _earliest(dates: Iterable[ox.Literal | None]) -> ox.Literal | None:
    """The earliest date, a partial one ("1987") counting from its first day."""
    given = [date for date in dates if date is not None]
    if len(given) < 2:
        return given[0] if given else None
    return min(given, key=lambda date: (date.value + "-01-01")[:10])
