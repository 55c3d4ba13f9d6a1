"""The choices and defaults `kg report` and `kg export` show before they run, kept apart from
the modules that build reports and exports (which load the analyses) so that stating them
costs no import."""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_NODES", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("graphml", "gexf", "cytoscape", "jsonld", "turtle", "nquads")
"""What `kg.report.export.export` writes."""

DEFAULT_MAX_NODES = 24
"""How many nodes a figure shows before it cuts the rest (readable on a page)."""
