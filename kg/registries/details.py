"""A register record's details beyond its core facts, as quads: goods-and-services texts,
priority and first-use claims, translations, transliterations and disclaimers,
representatives, publication and opposition period, prosecution events, ownership changes and
Madrid designations (docs/ontology.md, sections "Owners over time", "Regional and
international rights", "Kind of mark …", "Claims an application makes").

`kg.registries.importer` calls `detail_quads` for each registration.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.registries.records import RegistryRecord

__all__ = ["detail_quads"]


def detail_quads(
    registration: ox.NamedNode, record: RegistryRecord, graph: ox.NamedNode
) -> list[ox.Quad]:
    """The details of `record` beyond its core facts, in `graph`."""
    return []
