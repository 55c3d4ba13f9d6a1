"""The package layout (issue 12): kg/ holds layers, and imports between them go one way.

Data flows files -> ingest (and registries) -> store -> analysis -> (api | cli | report); the
shared basics at the top of kg/ are used by all. Read with the standard library's `ast`, so
lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

KG = Path(__file__).resolve().parent.parent / "kg"
BASICS = {
    "__init__.py",
    "config.py",
    "errors.py",
    "namespaces.py",
    "reference.py",
    "resources.py",
    "graph.py",
    # Text every XML parser accepts: used by the report exports, the CLI and the SPARQL
    # worker (which loads it by path, so it must need nothing but the standard library).
    "xml_text.py",
    # Which characters names and mark texts may hold: one rule for the importers, the
    # shapes' checks, the questions' arguments and the CLI's output (standard library and
    # `regex` only).
    "text_characters.py",
    # Modules imported on first use (networkx for paths and reports): standard library only.
    "lazy.py",
    # `python -m kg`: the command line's entry point, kg.cli.main's `main` and nothing else.
    "__main__.py",
    # Values kept between processes in the user's cache folder, keyed by the code that made
    # them (the similarity rules' tables, the seed's SHACL report): standard library and
    # platformdirs only.
    "user_cache.py",
}


def _node(module: str) -> str:
    """The layer a module belongs to: its package under kg/, or the top-level module."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _module_name(path: Path) -> str:
    relative = path.relative_to(KG.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kg."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kg":
                found.update(f"kg.{alias.name}" for alias in node.names)
            elif node.module.startswith("kg."):
                found.add(node.module)
    return found


def _layer_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in KG.rglob("*.py"):
        if path == KG / "__init__.py":  # the public facade re-exports every layer
            continue
        source = _node(_module_name(path))
        graph.add_node(source)
        for target in _imports(path):
            target_node = _node(target)
            if target_node != source and target_node != "kg":
                graph.add_edge(source, target_node, module=_module_name(path), imports=target)
    return graph


def test_the_top_of_kg_holds_only_the_shared_basics() -> None:
    loose = sorted(p.name for p in KG.glob("*.py") if p.name not in BASICS)
    assert loose == [], f"modules outside a layer package: {loose}"


def test_no_import_cycle_between_packages() -> None:
    graph = _layer_graph()
    cycles = list(nx.simple_cycles(graph))
    details = [
        " -> ".join([*cycle, cycle[0]])
        + ": "
        + "; ".join(
            f"{graph.edges[a, b]['module']} imports {graph.edges[a, b]['imports']}"
            for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)
        )
        for cycle in cycles
    ]
    assert not cycles, "\n".join(details)


def test_data_flows_one_way() -> None:
    graph = _layer_graph()
    # What each layer must never import: the layers its data flows into.
    forbidden = {
        "kg.store": {
            "kg.ingest",
            "kg.registries",
            "kg.analysis",
            "kg.sparql",
            "kg.api",
            "kg.cli",
            "kg.report",
        },
        "kg.ingest": {"kg.registries", "kg.analysis", "kg.sparql", "kg.api", "kg.cli", "kg.report"},
        "kg.registries": {"kg.analysis", "kg.sparql", "kg.api", "kg.cli", "kg.report"},
        "kg.analysis": {"kg.api", "kg.cli", "kg.report"},
        "kg.sparql": {"kg.api", "kg.cli", "kg.report"},
        "kg.report": {"kg.api", "kg.cli"},
        "kg.api": {"kg.cli"},
    }
    wrong = [
        f"{graph.edges[source, target]['module']} imports {graph.edges[source, target]['imports']}"
        for source, targets in forbidden.items()
        for target in targets
        if graph.has_edge(source, target)
    ]
    assert wrong == []


def test_the_layer_graph_sees_real_imports() -> None:
    """The test above would pass on an empty graph: check it reads known edges."""
    graph = _layer_graph()
    assert graph.has_edge("kg.api", "kg.analysis")
    assert graph.has_edge("kg.cli", "kg.store") or graph.has_edge("kg.cli", "kg.graph")
