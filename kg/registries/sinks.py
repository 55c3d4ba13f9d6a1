"""Where `kg import` writes: a private copy of an Oxigraph store (`Staged`), or, for a store
that cannot be copied (a remote SPARQL endpoint, a server's store), a buffer written in one
transaction at the end (`Buffered`). Both answer `kg.registries.versions`' questions about the
states already written (`quads`) and move a state into history (`replace`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kg.ingest.load import LoadReport, load_quads
from kg.registries.versions import RecordStates
from kg.store import Store
from kg.store.oxigraph import Stage

__all__ = ["Buffered", "Sink", "Staged"]


class Sink(RecordStates):
    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        """Validate `batch` with what the store holds, then write it; raise on a violation."""
        ...


class Staged:
    """Writes into a private copy of an Oxigraph store (`OxigraphStore.staged`)."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage

    @property
    def store(self) -> ox.Store:
        return self.stage.store

    def quads(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: object | None,
        graph: ox.NamedNode | None,
    ) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(subject, predicate, obj, graph))  # type: ignore[arg-type]

    def replace(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        for quad in removed:
            self.store.remove(quad)
        self.store.extend(added)

    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        # The compiled SHACL checks (the same verdicts as pyshacl, tests/test_validation_engines.py)
        # for every batch: pyshacl on a file's last, small batch would cost more than the rest.
        # (Running them in the store copy itself, limited to the batch's nodes, was 4x slower.)
        return load_quads(
            self,  # type: ignore[arg-type]
            batch,
            files=[name],
            origins=origins,
            engine="sparql",
        )

    def query(self, sparql: str, **_options: object) -> object:
        return self.store.query(sparql, use_default_graph_as_union=True)

    def add(self, quads: Sequence[ox.Quad]) -> int:
        new = [quad for quad in quads if quad not in self.store]
        if len(new) >= 50_000:
            self.store.bulk_extend(new)
        else:
            self.store.extend(new)
        return len(new)


class Buffered:
    """For a store that cannot stage: every quad kept, validated and written at the end."""

    def __init__(self, store: Store) -> None:
        self.base = store
        self.overlay = ox.Store()
        self.removed: set[ox.Quad] = set()
        self.origins: dict[object, str] = {}
        self.names: list[str] = []

    def quads(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: object | None,
        graph: ox.NamedNode | None,
    ) -> Iterator[ox.Quad]:
        for quad in self.base.quads(subject, predicate, obj, graph):
            if quad not in self.removed:
                yield quad
        yield from self.overlay.quads_for_pattern(subject, predicate, obj, graph)

    def replace(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        for quad in removed:
            self.overlay.remove(quad)
            self.removed.add(quad)
        self.overlay.extend(added)

    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        self.overlay.extend(batch)
        for node, where in origins.items():
            self.origins.setdefault(node, where)
        if name not in self.names:
            self.names.append(name)
        return LoadReport(files=(name,), quads_read=0, quads_added=0)

    def commit(self, *, write: bool) -> LoadReport:
        """Validate everything buffered with the store's content, then (with `write`) write it
        in one transaction; raise `ValidationError` and write nothing on a violation."""
        added = list(self.overlay.quads_for_pattern(None, None, None, None))
        report = load_quads(self.base, added, files=self.names, origins=self.origins, commit=False)
        new = [quad for quad in added if not any(self.base.quads(*_pattern(quad)))]
        if write and (new or self.removed):
            self.base.replace(sorted(self.removed, key=str), new)
        return LoadReport(
            files=report.files,
            quads_read=report.quads_read,
            quads_added=len(new),
            warnings=report.warnings,
        )


def _pattern(quad: ox.Quad) -> tuple:
    return (quad.subject, quad.predicate, quad.object, quad.graph_name)
