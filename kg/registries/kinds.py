"""A register record's kind of mark, Vienna codes and national classes, as quads.

`kg.registries.importer` calls `kind_quads` for each registration. The terms are those of
``docs/ontology.md`` (section "Kind of mark, Vienna codes, verbal element, goods and
services"):

- ``tm:markFeature``: the file's value (ST.66 MarkFeature, e.g. "Word", the USPTO's "STANDARD
  CHARACTER MARK") matched, ignoring case, against the notations and labels of
  ``schema/mark-features.ttl``; a value that matches none is not guessed (no statement);
- ``tm:viennaCode``: each code written category.division.section ("18.01.01"), others left out;
- national classes (ST.66 ClassificationKindCode other than Nice): a ``tm:GoodsServices`` per
  code whose class is a ``tm:NationalClass`` of the office's scheme
  ``id/class-scheme/{cc}-national`` with the code as its ``skos:notation``, never a Nice class.

Goods-and-services texts, Vienna codes in other forms and figurative marks without a verbal
element are left to the importers' next issue (14).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import ID, TM
from kg.registries.records import RegistryRecord
from kg.resources import SCHEMA_DIR

__all__ = ["is_wordless", "kind_quads", "mark_feature_iri", "national_scheme", "status_known"]

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_VIENNA = re.compile(r"(?:0[1-9]|1[0-9]|2[0-9])\.[0-9]{2}\.[0-9]{2}")


@cache
def _tm(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(getattr(TM, local)))


@cache
def _scheme_labels(file: str) -> dict[str, str]:
    """A SKOS scheme of ``schema/`` (`file`): each notation and label, case folded, to its
    concept's IRI."""
    store = ox.Store()
    store.load(path=str(SCHEMA_DIR / file), format=ox.RdfFormat.TURTLE)
    labels: dict[str, str] = {}
    for local in ("notation", "prefLabel", "altLabel"):
        for quad in store.quads_for_pattern(None, ox.NamedNode(_SKOS + local), None, None):
            labels.setdefault(quad.object.value.casefold(), quad.subject.value)
    return labels


def status_known(text: str, code: str | None, jurisdiction: str | None) -> bool:
    """Whether an office's status text (or code) names a status of tmkg's scheme as
    `kg.analysis.lifecycle.StatusScheme.normalize` reads it: a label of ``schema/status.ttl``
    (case and outer spaces aside), or for a US record a code of the USPTO's table.

    >>> status_known("Dead - Abandoned", None, "AU"), status_known("bogus", None, "AU")
    (True, False)
    >>> status_known("Live", "602", "US")
    True
    """
    from kg.registries.uspto_values import status_of_code

    labels = _scheme_labels("status.ttl")
    candidates = [value.strip() for value in (text, code) if value and value.strip()]
    if jurisdiction == "US" and any(status_of_code(value) for value in candidates):
        return True
    return any(value.casefold() in labels for value in candidates)


def mark_feature_iri(text: str) -> str | None:
    """The tmkg kind of mark an office's MarkFeature value names, or None if none does.

    >>> mark_feature_iri("Figurative"), mark_feature_iri("STANDARD CHARACTER MARK")
    ('https://w3id.org/tmkg/id/mark-feature/figurative', 'https://w3id.org/tmkg/id/mark-feature/word')
    >>> mark_feature_iri("Tracer") is None
    True
    """
    return _scheme_labels("mark-features.ttl").get(" ".join(text.split()).casefold())


@cache
def _wordless() -> frozenset[str]:
    store = ox.Store()
    store.load(path=str(SCHEMA_DIR / "mark-features.ttl"), format=ox.RdfFormat.TURTLE)
    collection = ox.NamedNode(f"{ID}mark-feature/wordless")
    member = ox.NamedNode(_SKOS + "member")
    return frozenset(q.object.value for q in store.quads_for_pattern(collection, member, None))


def is_wordless(feature: str | None) -> bool:
    """Whether an office's MarkFeature value names a kind of mark without words by definition
    (the collection ``mark-feature/wordless`` of ``schema/mark-features.ttl``: figurative,
    colour, sound, olfactory).

    >>> is_wordless("Figurative"), is_wordless("Word"), is_wordless(None)
    (True, False, False)
    """
    iri = mark_feature_iri(feature) if feature else None
    return iri is not None and iri in _wordless()


def national_scheme(jurisdiction: str) -> str:
    """The IRI of an office's own class scheme: ``id/class-scheme/{cc}-national``.

    >>> national_scheme("TW")
    'https://w3id.org/tmkg/id/class-scheme/tw-national'
    """
    return f"{ID}class-scheme/{jurisdiction.lower()}-national"


def kind_quads(
    registration: ox.NamedNode, record: RegistryRecord, graph: ox.NamedNode
) -> list[ox.Quad]:
    """The kind of mark, Vienna codes and national classes of `record`, in `graph`."""
    quads: list[ox.Quad] = []
    feature = mark_feature_iri(record.mark_feature) if record.mark_feature else None
    if feature is not None:
        quads.append(ox.Quad(registration, _tm("markFeature"), ox.NamedNode(feature), graph))
    for code in record.vienna_codes:
        if _VIENNA.fullmatch(code):
            quads.append(ox.Quad(registration, _tm("viennaCode"), ox.Literal(code), graph))
    if not record.national_classes:
        return quads
    scheme = ox.NamedNode(national_scheme(record.jurisdiction))
    name = scheme.value.rsplit("/", 1)[1]
    label = ox.Literal(f"{record.jurisdiction} national classification of goods and services")
    quads += [
        ox.Quad(scheme, _RDF_TYPE, ox.NamedNode(_SKOS + "ConceptScheme"), graph),
        ox.Quad(scheme, ox.NamedNode(_SKOS + "prefLabel"), label, graph),
    ]
    tail = registration.value.rsplit("/", 1)[1]
    for code in record.national_classes:
        cls = ox.NamedNode(f"{scheme.value}/{quote(code, safe='-._~')}")
        entry = ox.NamedNode(f"{ID}goods-services/{tail}-{name}-{quote(code, safe='-._~')}")
        quads += [
            ox.Quad(cls, _RDF_TYPE, _tm("NationalClass"), graph),
            ox.Quad(cls, ox.NamedNode(_SKOS + "notation"), ox.Literal(code), graph),
            ox.Quad(cls, ox.NamedNode(_SKOS + "inScheme"), scheme, graph),
            ox.Quad(registration, _tm("goodsServices"), entry, graph),
            ox.Quad(entry, _RDF_TYPE, _tm("GoodsServices"), graph),
            ox.Quad(entry, _tm("goodsServicesClass"), cls, graph),
        ]
    return quads
