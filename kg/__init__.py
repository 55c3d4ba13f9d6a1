"""tmkg: a knowledge graph of trademark conflicts.

The public Python API: open a graph, load files, query it.

>>> from kg import KnowledgeGraph, Settings
>>> graph = KnowledgeGraph.open(Settings(memory=True))
>>> report = graph.load_seed()
>>> report.quads_added > 0
True
"""

from __future__ import annotations

# kg.report is a package that is also callable: kg.report(graph, mark="AWS") returns a report.
from kg import report
from kg.analysis.service import Analyst
from kg.config import Settings
from kg.errors import KGError, NotFound, ParseError, QueryError, StoreError, ValidationError
from kg.graph import GraphStats, KnowledgeGraph
from kg.load import LoadReport

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
