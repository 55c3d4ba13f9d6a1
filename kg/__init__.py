"""tmkg: a knowledge graph of trademark conflicts.

The public Python API: open a graph, load files, query it.

>>> from kg import KnowledgeGraph, Settings
>>> graph = KnowledgeGraph.open(Settings(memory=True))
>>> report = graph.load_seed()
>>> report.quads_added > 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.config import Settings
from kg.errors import KGError, NotFound, ParseError, QueryError, StoreError, ValidationError
from kg.graph import GraphStats, KnowledgeGraph
from kg.ingest.load import LoadReport

__all__ = [
    "Analyst",
    "GraphStats",
    "KGError",
    "KnowledgeGraph",
    "LoadReport",
    "NotFound",
    "ParseError",
    "QueryError",
    "Settings",
    "StoreError",
    "ValidationError",
    "report",
]

if TYPE_CHECKING:
    from kg import report
    from kg.analysis.service import Analyst


def __getattr__(name: str) -> Any:
    # Imported on first use: the analyses and reports pull in networkx, rapidfuzz, matplotlib,
    # which a script that only loads or queries (or a query worker) should not pay for.
    # kg.report is a package that is also callable: kg.report(graph, mark="AWS").
    if name == "Analyst":
        from kg.analysis.service import Analyst

        return Analyst
    if name == "report":
        import importlib

        return importlib.import_module("kg.report")
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
