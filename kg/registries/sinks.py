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
from kg.store.oxigraph import BULK_MIN_QUADS, Stage

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
        if len(new) >= BULK_MIN_QUADS:
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
        """Validate everything buffered with the store's content as it will be (the states
        moved into history no longer stated about the registration), then (with `write`)
        write it: the moved quads removed and the new ones added, the removal undone if the
        addition fails. Raises `ValidationError` and writes nothing on a violation."""
        added = list(self.overlay.quads_for_pattern(None, None, None, None))
        view = _AfterRemoval(self.base, self._gone())
        report = load_quads(view, added, files=self.names, origins=self.origins, commit=False)  # type: ignore[arg-type]
        new = 0
        if write:
            removed = sorted(self.removed, key=str)
            self.base.remove(removed)
            try:
                new = self.base.add(added)
            except BaseException:
                self.base.add(removed)
                raise
        return LoadReport(
            files=report.files,
            quads_read=report.quads_read,
            quads_added=new,
            warnings=report.warnings,
        )

    def _gone(self) -> set[tuple]:
        """The triples the removals take out of the store's union: stated in no graph that
        keeps them, nor by the buffered quads. One lookup per subject moved."""
        removed: dict[tuple, set] = {}
        for quad in self.removed:
            removed.setdefault((quad.subject, quad.predicate, quad.object), set()).add(
                quad.graph_name
            )
        gone = set()
        for subject in {triple[0] for triple in removed}:
            graphs: dict[tuple, set] = {}
            for quad in self.base.quads(subject, None, None, None):
                triple = (quad.subject, quad.predicate, quad.object)
                graphs.setdefault(triple, set()).add(quad.graph_name)
            for triple, moved in removed.items():
                if triple[0] != subject or not graphs.get(triple, set()) <= moved:
                    continue
                if next(iter(self.overlay.quads_for_pattern(*triple, None)), None) is None:
                    gone.add(triple)
        return gone


class _AfterRemoval:
    """The store's context for validation as it will be after `Buffered.commit`'s removals:
    rows naming a triple that goes are left out (statements about nodes, and their types)."""

    def __init__(self, base: Store, gone: set[tuple]) -> None:
        self.base, self.gone = base, gone

    def query(self, sparql: str, **options: object) -> list:
        result = self.base.query(sparql, **options)  # type: ignore[arg-type]
        rows = list(result)  # type: ignore[call-overload]
        names = {variable.value for variable in result.variables}  # type: ignore[union-attr]
        if not self.gone or not ({"s", "p", "o"} <= names or {"s", "t"} <= names):
            return rows
        predicate = "p" in names
        return [
            row
            for row in rows
            if (row["s"], row["p"] if predicate else _RDF_TYPE, row["o" if predicate else "t"])
            not in self.gone
        ]


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
