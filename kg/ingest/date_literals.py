"""Date literals judged as the store judges them (XSD 1.1), not as rdflib and pyshacl do.

rdflib turns xsd:date and xsd:dateTime text into Python's `datetime`, which knows neither
negative years, year 0000, years past 9999 nor the end-of-day time 24:00:00, so pyshacl calls
``"-0002-04-12"^^xsd:date`` ill-typed though XSD 1.1 (and Oxigraph) accept it. Here Oxigraph's
own XSD parser is the judge; the shapes engines are handed a stand-in of the same datatype for
each such literal (`DateStandIns`), so they judge its datatype, and messages name the original.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import pyoxigraph as ox
import rdflib

__all__ = ["DATE_TYPES", "DateStandIns", "is_valid_date"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
DATE_TYPES = frozenset(_XSD + name for name in ("date", "dateTime", "gYear", "gYearMonth"))
"""The datatypes of dates, judged by `is_valid_date`."""
_RDFLIB_NARROWER = frozenset((_XSD + "date", _XSD + "dateTime"))


@cache
def _judge() -> ox.Store:
    return ox.Store()


@lru_cache(maxsize=1 << 16)
def is_valid_date(text: str, datatype: str) -> bool:
    """Whether `text` is in the XSD 1.1 lexical space of a date type, as Oxigraph reads it.

    >>> is_valid_date("-0002-04-12", _XSD + "date"), is_valid_date("0001-02-29", _XSD + "date")
    (True, False)
    >>> is_valid_date("1999-12-31T24:00:00", _XSD + "dateTime")
    True
    """
    # A cast from a string is XSD's lexical mapping; an invalid text leaves ?x unbound.
    query = f"SELECT ?x WHERE {{ OPTIONAL {{ BIND(<{datatype}>({ox.Literal(text)}) AS ?x) }} }}"
    rows = list(_judge().query(query))  # type: ignore[arg-type]
    return rows[0]["x"] is not None


@lru_cache(maxsize=1 << 16)
def _rdflib_ill_typed(text: str, datatype: str) -> bool:
    return rdflib.Literal(text, datatype=rdflib.URIRef(datatype)).ill_typed is True


class DateStandIns:
    """Stand-ins for the valid dates rdflib cannot read, and the way back for messages."""

    def __init__(self) -> None:
        self._stand_in: dict[ox.Literal, ox.Literal] = {}
        self.originals: dict[rdflib.Literal, rdflib.Literal] = {}

    def quads(self, quads: Sequence[ox.Quad]) -> list[ox.Quad]:
        """The quads with each such date replaced by its stand-in."""
        changed = []
        for quad in quads:
            old = quad.object
            new = self._term(old)
            changed.append(
                quad if new is old else ox.Quad(quad.subject, quad.predicate, new, quad.graph_name)
            )
        return changed

    def triples(self, triples: Iterable[tuple]) -> list[tuple]:
        """The same for (subject, predicate, object) triples."""
        return [(s, p, self._term(o)) for s, p, o in triples]

    def original(self, term: object) -> object:
        """The literal a stand-in stands for (any other term as it is)."""
        return self.originals.get(term, term) if isinstance(term, rdflib.Literal) else term

    def _term(self, term: object) -> object:
        if not isinstance(term, ox.Literal) or term.datatype.value not in _RDFLIB_NARROWER:
            return term
        if term in self._stand_in:
            return self._stand_in[term]
        datatype = term.datatype.value
        if not (_rdflib_ill_typed(term.value, datatype) and is_valid_date(term.value, datatype)):
            return term
        # Distinct days counted down from 9999-12-31: distinct values stay distinct.
        day = dt.date.fromordinal(dt.date.max.toordinal() - len(self._stand_in)).isoformat()
        text = day if term.datatype.value == _XSD + "date" else f"{day}T00:00:00"
        stand_in = ox.Literal(text, datatype=term.datatype)
        self._stand_in[term] = stand_in
        self.originals[rdflib.Literal(text, datatype=rdflib.URIRef(term.datatype.value))] = (
            rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        )
        return stand_in
