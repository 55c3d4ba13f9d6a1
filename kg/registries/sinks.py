"""Where `kg import` writes: a private copy of an Oxigraph store (`Staged`), or, for a store
that cannot be copied (a remote SPARQL endpoint, a server's store), a buffer written in one
transaction at the end (`Buffered`). Both answer `kg.registries.versions`' questions about the
states already written (`quads`) and move a state into history (`replace`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kg.errors import StoreError
from kg.ingest.load import LoadReport, load_quads
from kg.ingest.stream_load import judge_loaded
from kg.ingest.validate_store import Locate, judged_in_graphs
from kg.ingest.vocabulary import TM_NAMESPACE
from kg.registries.versions import RecordStates
from kg.store import Store
from kg.store.oxigraph import BULK_MIN_QUADS, Stage

__all__ = ["Buffered", "Fresh", "Sink", "Staged"]


class Sink(RecordStates):
    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        """Validate `batch` with what the store holds, then write it; raise on a violation."""
        ...


class Staged:
    """Writes into a private copy of an Oxigraph store (`OxigraphStore.staged`)."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        stage.track()  # every quad written is recorded (caches beside the store keep the rest)

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
        self.stage.record(removed)
        self.stage.record(added)
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
        self.stage.record(new)
        if len(new) >= BULK_MIN_QUADS:
            self.store.bulk_extend(new)
        else:
            self.store.extend(new)
        return len(new)


class Fresh(Staged):
    """Writes into the staged copy of a store that holds little besides tmkg's reference data
    (a first import; a store holding the seed case): batches go in unchecked, by the engine's
    bulk loader in a thread of their own (it releases the GIL) while the next batch is read
    and mapped, and `judge` validates the nodes the import's graphs state at the end, where
    they lie (`kg.ingest.stream_load.judge_loaded`, the checks of a streamed first load),
    every statement of the small store at hand as context, the shapes scanned in a second
    process; the messages name the files, not lines (`kg.registries.importer` then finds
    the lines).

    `kg.registries.versions` asks whether a registration already has a state: one neither
    the store held nor this import wrote cannot, so that question is answered without waiting
    for the batch being loaded; any other waits for it."""

    SMALL_STORE_QUADS = 100_000
    """Stores holding at most this many quads besides the reference data are written this
    way (`kg.ingest.stream_load.holds_little`): judging the whole copy costs about as much
    as judging the import alone."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(stage)
        self.before = len(stage.store)  # small: the reference data and a few files
        self._registrations: set[int] = {  # hashes of the registrations held or written
            hash(quad.subject.value)
            for quad in stage.store.quads_for_pattern(None, _RDF_TYPE, _REGISTRATION, None)
        }
        self._graphs: set[str] = set()  # the graphs written into
        self._moved = 0  # the copy's growth from states moved into history (`replace`)
        self._described: set[str] = set()  # the nodes written into the default graph
        self._loading: threading.Thread | None = None
        self._failure: BaseException | None = None

    def quads(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: object | None,
        graph: ox.NamedNode | None,
    ) -> Iterator[ox.Quad]:
        if (
            predicate == _RDF_TYPE
            and obj == _REGISTRATION
            and subject is not None
            and hash(subject.value) not in self._registrations
        ):
            return iter(())
        self.settle()
        return super().quads(subject, predicate, obj, graph)

    def replace(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        self.settle()
        super().replace(removed, added)
        self._moved += len(added) - len(removed)  # not the files' quads: kept out of the count

    def write(self, batch: list[ox.Quad], origins: dict[object, str], name: str) -> LoadReport:
        unique = list(dict.fromkeys(batch))
        for quad in unique:
            if isinstance(quad.graph_name, ox.NamedNode):
                self._graphs.add(quad.graph_name.value)
            else:  # the source descriptions: a few statements per file
                self._described.add(quad.subject.value)  # type: ignore[union-attr]
            if quad.predicate == _RDF_TYPE and quad.object == _REGISTRATION:
                self._registrations.add(hash(quad.subject.value))  # type: ignore[union-attr]
        self.stage.record(unique)
        data = ox.serialize(unique, format=ox.RdfFormat.N_QUADS)
        self.settle()  # one batch in flight at most: memory stays bounded
        self._loading = threading.Thread(target=self._load, args=(data,), name="tmkg-import-load")
        self._loading.start()
        return LoadReport(files=(name,), quads_read=len(unique), quads_added=0)

    def _load(self, data: bytes) -> None:
        try:
            self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        except BaseException as error:  # raised again in the importing thread by settle()
            self._failure = error

    def settle(self) -> None:
        """Wait for the batch being loaded; raise what its load raised."""
        if self._loading is not None:
            self._loading.join()
            self._loading = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise StoreError(f"cannot write the import into the staged copy: {failure}")

    def judge(self, names: str, locate: Locate | None = None) -> LoadReport:
        """Validate the nodes the import stated something about (in the graphs it wrote
        into, and the sources it described in the default graph); raise `ValidationError` (or
        `NeedsPython`), else return the report's warnings and the quads the import added (the
        copy's count). `locate` says where the nodes the messages name came from
        (`validate_in_store`)."""
        self.settle()
        in_graphs = judged_in_graphs(self.store, sorted(self._graphs))

        def judged(iri: str) -> bool:
            return iri in self._described or in_graphs(iri)

        report = judge_loaded(self.store, names, None, self.stage.path, locate, judged)
        return LoadReport(
            files=(names,),
            quads_read=0,
            quads_added=len(self.store) - self.before - self._moved,
            warnings=tuple(report.warnings),
        )


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_REGISTRATION = ox.NamedNode(TM_NAMESPACE + "Registration")


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
