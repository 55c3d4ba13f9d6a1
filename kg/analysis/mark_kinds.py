"""A registration's kind of mark, Vienna codes, verbal element and goods and services.

The terms (``tm:markFeature``, ``tm:viennaCode``, ``tm:verbalElement``, ``tm:goodsServices``)
follow WIPO ST.66/ST.96 (MarkFeature, ViennaClassification, MarkVerbalElementText,
GoodsServicesClassification/ClassDescription); see ``docs/ontology.md``. This module turns them
into `Holding` fields and decides which text of a registration word similarity compares:

- its ``tm:verbalElement`` where stated (the office's own record of the words);
- nothing, for a mark of a kind without words (``schema/mark-features.ttl``, the collection
  ``mark-feature/wordless``: figurative, colour, sound, olfactory) that states no verbal
  element: it is kept, with its Vienna codes, but never compared as words;
- else the mark's ``tm:text`` (whose placeholder texts `kg.analysis.verbal` sets aside).

A class of an office's own scheme (``tm:NationalClass``, ``id/class-scheme/{name}/{code}``) is
never read as a Nice class: it matches no Nice class filter and has no Nice relatedness.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from weakref import WeakKeyDictionary

import pyoxigraph as ox

from kg.analysis.model import GoodsServicesEntry, Holding
from kg.analysis.similarity import KeyedTexts, MarkSimilarity, compare
from kg.analysis.sparql_text import TM, batches, iri_values
from kg.resources import SCHEMA_DIR

__all__ = [
    "CLASS_SCHEME",
    "KIND_PROPERTIES",
    "MARK_FEATURE",
    "NICE_SCHEME",
    "compared_label",
    "compared_text",
    "goods_services_entries",
    "goods_services_nice_classes",
    "goods_services_of",
    "kind_fields",
    "national_classes",
    "only_national_classes",
    "usage_kind_fields",
    "verbal_candidates",
    "verbal_element_marks",
    "with_goods_services_classes",
    "word_similarities",
    "wordless_features",
]

MARK_FEATURE = "https://w3id.org/tmkg/id/mark-feature/"
"""IRIs of the kinds of mark: ``{MARK_FEATURE}figurative`` (``schema/mark-features.ttl``)."""
CLASS_SCHEME = "https://w3id.org/tmkg/id/class-scheme/"
"""National class schemes ``{CLASS_SCHEME}{name}``, their classes ``.../{name}/{code}``."""
NICE_SCHEME = "nice"
"""The `GoodsServicesEntry.scheme` of a Nice class."""
KIND_PROPERTIES = ("markFeature", "viennaCode", "verbalElement", "goodsServices")
"""The tm: properties of a registration this module reads (local names)."""

_NICE = "https://w3id.org/tmkg/id/nice/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_WORDLESS = MARK_FEATURE + "wordless"


@cache
def wordless_features() -> frozenset[str]:
    """Names of the kinds of mark that have no words by definition (ST.66: "consisting
    exclusively of" a figure, a colour, a sound or a smell), from ``schema/mark-features.ttl``.

    >>> sorted(wordless_features())
    ['colour', 'figurative', 'olfactory', 'sound']
    """
    members = ox.Store()
    members.load(path=str(SCHEMA_DIR / "mark-features.ttl"), format=ox.RdfFormat.TURTLE)
    found = members.quads_for_pattern(
        ox.NamedNode(_WORDLESS), ox.NamedNode(_SKOS + "member"), None, None
    )
    return frozenset(q.object.value.removeprefix(MARK_FEATURE) for q in found)


def goods_services_entries(
    select: Callable[[str], list[dict[str, str | None]]], iris: Iterable[str]
) -> dict[str, GoodsServicesEntry]:
    """The ``tm:GoodsServices`` nodes with these IRIs, read in batches with `select`
    (`kg.analysis.facts.FactBase.select`). A node whose class is neither a Nice class nor a
    ``tm:NationalClass`` with a notation and a scheme is left out."""
    classes: dict[str, str] = {}
    editions: dict[str, set[str]] = {}
    texts: dict[str, set[tuple[str, str]]] = {}
    notations: dict[str, tuple[str, str]] = {}
    for batch in batches(sorted(set(iris))):
        rows = select(
            f"""SELECT ?gs ?c ?t (LANG(?t) AS ?lang) ?v ?n ?s WHERE {{
                  VALUES ?gs {{ {iri_values(batch)} }}
                  ?gs <{TM}goodsServicesClass> ?c .
                  OPTIONAL {{ ?gs <{TM}goodsServicesText> ?t }}
                  OPTIONAL {{ ?gs <{TM}classificationVersion> ?v }}
                  OPTIONAL {{ ?c a <{TM}NationalClass> ; <{_SKOS}notation> ?n ;
                                 <{_SKOS}inScheme> ?s }} }}"""
        )
        for row in rows:
            node, cls = row["gs"], row["c"]
            if node is None or cls is None:
                continue
            classes[node] = min(classes.get(node, cls), cls)
            if row["v"]:
                editions.setdefault(node, set()).add(row["v"])
            if row["t"]:
                texts.setdefault(node, set()).add((row["lang"] or "", row["t"]))
            if row["n"] and row["s"]:
                notations[cls] = (row["s"].removeprefix(CLASS_SCHEME), row["n"])
    entries = {}
    for node, cls in classes.items():
        tail = cls.removeprefix(_NICE)
        if cls.startswith(_NICE) and tail.isdigit():
            scheme, code, number = NICE_SCHEME, tail, int(tail)
        elif cls in notations:
            (scheme, code), number = notations[cls], None
        else:
            continue
        entries[node] = GoodsServicesEntry(
            id=node,
            scheme=scheme,
            code=code,
            nice_class=number,
            edition=min(editions[node]) if node in editions else None,
            texts=tuple(sorted(texts.get(node, ()))),
        )
    return entries


def kind_fields(
    values: Mapping[str, set[str]], entries: Mapping[str, GoodsServicesEntry]
) -> dict[str, object]:
    """The `Holding` fields of a registration's record values (tm: local name -> values)."""
    features = sorted(f.removeprefix(MARK_FEATURE) for f in values.get("markFeature", ()))
    verbal = values.get("verbalElement")
    goods = sorted(
        (entries[g] for g in values.get("goodsServices", ()) if g in entries), key=_entry_order
    )
    feature = features[0] if features else None
    return {
        "mark_feature": feature,
        "vienna_codes": tuple(sorted(values.get("viennaCode", ()))),
        "verbal_element": min(verbal) if verbal else None,
        "goods_services": tuple(goods),
    }


def _entry_order(entry: GoodsServicesEntry) -> tuple:
    """Nice classes first, by number; then national ones, by scheme and code."""
    return (entry.scheme != NICE_SCHEME, entry.nice_class or 0, entry.scheme, entry.code, entry.id)


def goods_services_nice_classes(entries: Iterable[GoodsServicesEntry]) -> set[int]:
    """The Nice classes among goods-and-services entries (national classes never count)."""
    return {e.nice_class for e in entries if e.nice_class is not None}


def national_classes(holding: Holding) -> tuple[str, ...]:
    """The holding's classes of national schemes, as ``"{scheme} {code}"``.

    >>> entry = GoodsServicesEntry(id="g", scheme="tw-national", code="032")
    >>> national_classes(_example(goods_services=(entry,)))
    ('tw-national 032',)
    """
    return tuple(
        sorted({f"{e.scheme} {e.code}" for e in holding.goods_services if e.scheme != NICE_SCHEME})
    )


def only_national_classes(holding: Holding) -> bool:
    """True when the holding's classes are known, but only in a national scheme: such a
    holding can never be in (or related to) a Nice class asked about."""
    return not holding.classes and bool(national_classes(holding))


def compared_text(holding: Holding) -> str | None:
    """The text word similarity compares for a holding, or None if it has no words.

    >>> compared_text(_example(verbal_element="TAICHIN"))
    'TAICHIN'
    >>> compared_text(_example(mark_feature="figurative")) is None
    True
    >>> compared_text(_example())
    'TAICHIN 及圖'
    """
    if holding.verbal_element:
        return holding.verbal_element
    if holding.mark_feature in wordless_features():
        return None
    return holding.mark.text


def compared_label(holding: Holding) -> str:
    """The mark's text, quoted, with the verbal element compared where it differs.

    >>> compared_label(_example(verbal_element="TAICHIN"))
    "'TAICHIN 及圖' (verbal element 'TAICHIN')"
    >>> compared_label(_example())
    "'TAICHIN 及圖'"
    """
    verbal = holding.verbal_element
    if verbal and verbal != holding.mark.text:
        return f"{holding.mark.text!r} (verbal element {verbal!r})"
    return repr(holding.mark.text)


def word_similarities(
    text: str,
    holdings: Sequence[Holding],
    by_mark: Mapping[str, MarkSimilarity],
    min_similarity: float,
    stated: Mapping[str, MarkSimilarity] | None = None,
) -> tuple[list[Holding], dict[str, MarkSimilarity]]:
    """The holdings that take part in word similarity with `text`, and each one's similarity
    (keyed by holding IRI, and by mark IRI where it comes from the mark's text, as
    `kg.analysis.usage.who_else_uses` reads it).

    A holding whose registration states a verbal element is scored on it (a mark found by its
    text but whose verbal element is not similar drops out); a wordless one drops out; any
    other keeps its mark's similarity from `by_mark`. A registration in `stated` (by IRI: its
    stated translation or transliteration is similar, `kg.analysis.stated_texts`) takes that
    similarity where its words score lower.
    """
    kept: list[Holding] = []
    scores: dict[str, MarkSimilarity] = {}
    for holding in holdings:
        compared = compared_text(holding)
        if compared is None:
            continue
        if holding.verbal_element:
            similarity = compare(text, compared)
        else:
            similarity = by_mark.get(holding.mark.id)  # type: ignore[assignment]
        evidence = (stated or {}).get(holding.id)
        if evidence is not None and (similarity is None or similarity.score < evidence.score):
            similarity = evidence
        if similarity is None or similarity.score < min_similarity:
            continue
        kept.append(holding)
        scores[holding.id] = similarity
        if not holding.verbal_element:  # holdings derived later (designations) find it by mark
            scores.setdefault(holding.mark.id, similarity)
    return kept, scores


class _VerbalIndex:
    """Verbal elements of the store's registrations, by blocking key, with their marks: those
    that differ from their mark's text (``ACME`` of ``ACME & Design``, the words of a mark
    whose text is a placeholder). A verbal element equal to its mark's text is found with
    the mark, through the mark index; keying it again here cost every process seconds on a
    register of figurative marks (18,000 EUIPO marks: ~5 s before the first answer)."""

    def __init__(self, select: Callable[[str], list[dict[str, str | None]]]) -> None:
        rows = select(
            f"""SELECT DISTINCT ?m ?v WHERE {{
                  ?h <{TM}verbalElement> ?v ; <{TM}mark> ?m .
                  FILTER NOT EXISTS {{ ?m <{TM}text> ?t FILTER (STR(?t) = STR(?v)) }} }}"""
        )
        self.marks: dict[str, set[str]] = {}
        self.texts = KeyedTexts()
        for row in rows:
            verbal, mark = row["v"], row["m"]
            if not verbal or not mark:
                continue
            self.marks.setdefault(verbal, set()).add(mark)
            self.texts.add(verbal)

    def candidates(self, text: str, min_similarity: float) -> set[str]:
        similar = self.texts.similar(text, min_similarity)
        return {mark for verbal in similar for mark in self.marks[verbal]}


_INDEXES: WeakKeyDictionary[object, _VerbalIndex] = WeakKeyDictionary()


def verbal_candidates(
    facts: object,
    select: Callable[[str], list[dict[str, str | None]]],
    text: str,
    min_similarity: float,
) -> set[str]:
    """IRIs of marks with a registration whose verbal element is similar to `text`
    (blocked by `kg.analysis.similarity.blocking_keys`, then scored by `compare`). The index
    is built once per `facts` (a FactBase: one state of the store)."""
    return _verbal_index(facts, select).candidates(text, min_similarity)


def verbal_element_marks(
    facts: object, select: Callable[[str], list[dict[str, str | None]]], texts: Iterable[str]
) -> set[str]:
    """IRIs of marks with a registration whose verbal element is one of `texts` and differs
    from the mark's text (a verbal element equal to its mark's text is found by the text)."""
    marks = _verbal_index(facts, select).marks
    return {mark for text in texts for mark in marks.get(text, ())}


def _verbal_index(
    facts: object, select: Callable[[str], list[dict[str, str | None]]]
) -> _VerbalIndex:
    index = _INDEXES.get(facts)
    if index is None:
        index = _INDEXES[facts] = _VerbalIndex(select)
    return index


def usage_kind_fields(holdings: Sequence[Holding]) -> dict[str, object]:
    """The `MarkUsage` fields of a group of holdings: their kind of mark, the verbal element
    compared, their national classes, Vienna codes and goods and services."""
    features = sorted({h.mark_feature for h in holdings if h.mark_feature})
    verbals = sorted({h.verbal_element for h in holdings if h.verbal_element})
    entries = {e for h in holdings for e in h.goods_services}
    return {
        "mark_feature": "; ".join(features) or None,
        "verbal_element": "; ".join(verbals) or None,
        "national_classes": tuple(sorted({c for h in holdings for c in national_classes(h)})),
        "vienna_codes": tuple(sorted({c for h in holdings for c in h.vienna_codes})),
        "goods_services": tuple(sorted(entries, key=_entry_order)) if entries else (),
    }


def goods_services_of(
    select: Callable[[str], list[dict[str, str | None]]],
    records: Iterable[Mapping[str, set[str]]],
) -> dict[str, GoodsServicesEntry]:
    """The goods-and-services nodes the records' ``tm:goodsServices`` name, read with `select`
    (no query when none does)."""
    nodes = {node for values in records for node in values.get("goodsServices", ())}
    return goods_services_entries(select, nodes) if nodes else {}


def with_goods_services_classes(holding: Holding) -> Holding:
    """The holding with the Nice classes of its goods-and-services entries among its classes.

    >>> entry = GoodsServicesEntry(id="g", scheme="nice", code="30", nice_class=30)
    >>> with_goods_services_classes(_example(classes=(29,), goods_services=(entry,))).classes
    (29, 30)
    """
    extra = goods_services_nice_classes(holding.goods_services) - set(holding.classes)
    if not extra:
        return holding
    return dataclasses.replace(holding, classes=tuple(sorted({*holding.classes, *extra})))


def _example(**fields: object) -> Holding:
    from kg.analysis.model import HoldingKind, MarkRef

    base = {
        "id": "r",
        "kind": HoldingKind.REGISTERED_OWNER,
        "mark": MarkRef("m", "TAICHIN 及圖"),
        "party": "p",
        "on_behalf_of": None,
        "jurisdiction": "TW",
        "classes": (),
        "filing_date": None,
        "registration_date": None,
        "start_date": None,
        "end_date": None,
        "registration_number": None,
        "region": None,
        "sources": (),
    }
    return Holding(**{**base, **fields})  # type: ignore[arg-type]
