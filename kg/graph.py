"""The knowledge graph service: a store with reference data, loading, queries and statistics.

This is the one object the CLI, the HTTP API and reports share. It owns the store and makes
sure the ontology and reference data (jurisdictions, Nice classes) are present and current.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg import user_cache
from kg.config import Settings
from kg.errors import KGError, StoreLocked
from kg.ingest.load import (
    LoadReport,
    ParsedFile,
    check_files,
    check_load,
    load_files,
    load_parsed,
    parse_file,
)
from kg.ingest.source_header import SourceDescription
from kg.ingest.validate import ValidationReport
from kg.namespaces import PREFIXES, TM
from kg.reference import REFERENCE_GRAPHS, reference_quads
from kg.resources import SEED_DIR
from kg.store import QueryResult, Store, no_store_at, open_store
from kg.user_cache import code_digest

log = logging.getLogger(__name__)

__all__ = ["GraphStats", "KnowledgeGraph", "seed_files"]


def seed_files() -> list[Path]:
    """The seed case's files, in load order."""
    return sorted(SEED_DIR.glob("*.trig")) + sorted(SEED_DIR.glob("*.ttl"))


@cache
def _seed_graphs() -> frozenset[ox.NamedNode | ox.BlankNode]:
    # The seed files ship with the code: parse them once, not on every /health request.
    return frozenset(
        quad.graph_name
        for path in seed_files()
        for quad in parse_file(path).quads
        if not isinstance(quad.graph_name, ox.DefaultGraph)
    )


VALIDATION_LIBRARIES = ("pyshacl", "rdflib", "pyoxigraph", "pycountry")
"""The distributions whose versions a kept SHACL report's key includes (`load_seed`): the
engines, and pycountry, which the reference data's jurisdictions come from."""


@cache
def _reference_set() -> frozenset[ox.Quad]:
    return frozenset(reference_quads())


def _kept_report(name: str, key: object, judge: Callable[[], ValidationReport]) -> ValidationReport:
    """`judge()`'s report, kept in the user's cache folder under `name` and `key` when it
    has no violations; a kept one with violations is not read (judged again)."""

    def judged() -> dict[str, object]:
        report = judge()
        if report.violations:
            raise _Refused(report)
        return dataclasses.asdict(report)

    try:
        kept = user_cache.kept(
            name,
            key,
            judged,
            lambda value: (
                isinstance(value, dict)
                and set(value) == {"violations", "warnings", "source"}
                and value["violations"] == []
                and isinstance(value["warnings"], list)
                and all(isinstance(line, str) for line in value["warnings"])
                and isinstance(value["source"], str | None)
            ),
        )
    except _Refused as refused:
        return refused.report
    return ValidationReport(**kept)


class _Refused(Exception):
    """A report with violations: given to the caller, never kept."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__("refused")
        self.report = report


@dataclass(frozen=True)
class GraphStats:
    """Quads per graph and entities per class."""

    total: int
    per_graph: tuple[tuple[str, int], ...]
    per_class: tuple[tuple[str, int], ...]


class KnowledgeGraph:
    """A tmkg knowledge graph over one store.

    >>> graph = KnowledgeGraph.open(Settings(memory=True))
    >>> graph.ask("ASK { ?j <https://w3id.org/tmkg/ontology#code> 'CN' }")
    True
    """

    def __init__(self, store: Store, *, read_only: bool = False) -> None:
        self.store = store
        self.read_only = read_only
        """Never writes: the reference data is read as the store holds it (its writers keep it
        current), so a reader needs no writer lock and sends no update to a remote store."""
        self.generation = 0
        """Counts writes made through this object; caches built on the data compare it."""
        self._listeners: list[Callable[[], None]] = []
        self._graphs: tuple[int, list[ox.NamedNode | ox.BlankNode]] | None = None
        if not read_only:
            self.restore_reference_data()

    @classmethod
    def open(cls, settings: Settings) -> KnowledgeGraph:
        """Open (creating if needed) the store the settings name.

        With ``settings.read_only`` an on-disk store is read beside any process writing it
        (a server, a load); one that does not exist yet (or an empty folder) is first created as a
        writer would.
        """
        path = settings.resolved_store_path
        read_only = settings.read_only and not settings.memory
        if read_only and path is not None and no_store_at(path):
            with contextlib.suppress(StoreLocked):  # another process is creating it
                cls.open(replace(settings, read_only=False)).close()
        store = open_store(settings.backend, path, **settings.store_options)
        return cls(store, read_only=read_only)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----------------------------------------------------------- loading

    def load(
        self,
        paths: Sequence[str | Path],
        *,
        format_name: str | None = None,
        graph: str | None = None,
        progress: bool = False,
        source: SourceDescription | None = None,
    ) -> LoadReport:
        """Load files atomically after SHACL validation (see `kg.ingest.load.load_files`);
        `source` describes where a triples-only file's graph comes from
        (`kg.ingest.source_header`)."""
        if self.read_only:
            raise KGError("this knowledge graph was opened read-only: it loads nothing")
        report = load_files(
            self.store,
            paths,
            format_name=format_name,
            graph=graph,
            progress=progress,
            source=source,
        )
        if report.quads_added:
            self.changed()
        return report

    def changed(self) -> None:
        """Note that the data changed (call after writing to `store` directly): bumps
        `generation` and tells every listener (query-worker snapshots, caches)."""
        self.generation += 1
        for listener in list(self._listeners):
            listener()

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every committed change made through this graph."""
        self._listeners.append(listener)

    def validate(
        self,
        paths: Sequence[str | Path],
        *,
        format_name: str | None = None,
        graph: str | None = None,
    ) -> tuple[list[ParsedFile], ValidationReport]:
        """Parse and validate files against the shapes and this graph, changing nothing."""
        return check_files(self.store, paths, format_name=format_name, graph=graph)

    def check(
        self,
        paths: Sequence[str | Path],
        *,
        format_name: str | None = None,
        graph: str | None = None,
    ) -> LoadReport:
        """Judge files as `load` would, changing nothing (`kg.ingest.load.check_load`:
        streamed where a load would be, so a register's file is checked in flat memory)."""
        return check_load(self.store, paths, format_name=format_name, graph=graph)

    def load_seed(self) -> LoadReport:
        """Load the seed case (the AWS trademark dispute).

        Into a store of this machine holding exactly the reference data (``kg --memory``, a
        notebook's or a test's graph, a new store on disk) the seed's SHACL report is the one
        kept in the user's cache folder under the digests of the code, of the validating
        libraries and of the seed's files with their paths (`kg.user_cache`; one file per seed
        folder): the same files judged in the same store give the same report, and a process
        skips pyshacl (~0.3-0.5 s cold, ~1 s with its first shapes). Only a report without
        violations is kept or read (the shipped seed has none). A remote store is judged anew
        (other clients write it). Raises as `load` does."""
        files = seed_files()
        if (
            self.read_only
            or self.store.backend == "sparql"
            or not self._holds_reference_data_only()
        ):
            return self.load(files)
        parsed = [parse_file(path) for path in files]
        named = tuple((str(path), file.digest) for path, file in zip(files, parsed, strict=True))
        key = (code_digest(VALIDATION_LIBRARIES), named)  # the messages name the files
        name = "seed-report-" + hashlib.sha256(str(SEED_DIR).encode()).hexdigest()[:8]
        report = load_parsed(
            self.store, parsed, judged=lambda judge: _kept_report(name, key, judge)
        )
        if report.quads_added:
            self.changed()
        return report

    def _holds_reference_data_only(self) -> bool:
        """Whether the store holds the shipped reference data and nothing else (~5 ms: at
        most one quad more than the reference data is read, whatever the store holds)."""
        wanted = _reference_set()
        read = set(itertools.islice(self.store.quads(), len(wanted) + 1))
        return read == wanted

    def has_seed(self) -> bool:
        """Whether every named graph of the seed case is already in the store."""
        return _seed_graphs() <= set(self.named_graphs())

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """The store's named graphs. Listing them is a scan of the store (a second at 200,000
        graphs), so an embedded store's list is kept per `generation`; a remote store, which
        other clients may write, is asked every time."""
        if self.store.backend == "sparql":
            return self.store.named_graphs()
        cached = self._graphs
        if cached is None or cached[0] != self.generation:
            generation = self.generation  # read first: a write meanwhile makes the list stale
            cached = self._graphs = (generation, self.store.named_graphs())
        return cached[1]

    # ----------------------------------------------------------- reading

    def query(self, sparql: str, **options: object) -> QueryResult:
        """Run SPARQL over the union of all graphs (``GRAPH ?g`` still names the source).

        The prefixes of `kg.namespaces.PREFIXES` (tm:, id:, schema:, ...) are predeclared.
        """
        options.setdefault("prefixes", PREFIXES)
        return self.store.query(sparql, **options)  # type: ignore[arg-type]

    def ask(self, sparql: str) -> bool:
        return bool(self.query(sparql))

    def stats(self) -> GraphStats:
        """Quads per named graph (and the default graph), entities per class."""
        # A remote store may keep the default graph in a graph GRAPH ?g sees: named ones only.
        named = {graph.value for graph in self.store.named_graphs()}
        per_graph = [
            (str(row["g"].value), int(row["n"].value))  # type: ignore[index]
            for row in self.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
            )
            if row["g"].value in named  # type: ignore[index]
        ]
        default_count = sum(1 for _ in self.store.quads(graph=ox.DefaultGraph()))
        if default_count:
            per_graph.insert(0, ("(default graph)", default_count))
        per_class = [
            (str(row["c"].value), int(row["n"].value))  # type: ignore[index]
            for row in self.query(
                f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
                      ?s a ?c . FILTER(STRSTARTS(STR(?c), "{TM._NS}"))
                    }} GROUP BY ?c ORDER BY ?c"""
            )
        ]
        return GraphStats(
            total=sum(n for _, n in per_graph),
            per_graph=tuple(per_graph),
            per_class=tuple(per_class),
        )

    def restore_reference_data(self) -> tuple[int, int]:
        """Bring what tmkg keeps itself (`kg.reference.kept_by_tmkg`: the ontology and
        reference graphs and their descriptions in the default graph) to exactly the shipped
        content; return (quads added back, quads removed). Done at each writable opening, and
        after a SPARQL Update on a remote store, which cannot be checked quad by quad before it
        runs (`kg.sparql.update_targets`). A remote store removes what is stale by subject,
        predicate and graph (`RemoteSparqlStore.remove_matching`: it may hold a literal in
        another form than the one read back, or a blank node), then gets back what that took
        of the shipped content; what it holds there and cannot be read back, it writes anew.
        Raises `StoreError` as the store's writes do."""
        wanted = _reference_set()
        try:
            stored = self._own_quads()
        except (KGError, SyntaxError, ValueError) as error:
            if not hasattr(self.store, "remove_matching"):
                raise
            self._rewrite_remote_reference_data(error)
            return len(wanted), 0
        stale = stored - wanted
        if stale:
            remove_matching = getattr(self.store, "remove_matching", None)
            if remove_matching is None:
                self.store.remove(stale)
            else:
                stored = self._removed_remotely(stale, remove_matching)
                left = stored - wanted
                if left:  # Virtuoso matches no NaN, so it deletes none: in its default graph
                    log.warning(
                        "%d statement(s) about tmkg's own graphs could not be removed from "
                        "the remote store (such as %s)",
                        len(left),
                        next(iter(left)),
                    )
                    stale -= left
        missing = wanted - stored
        if missing:
            self.store.add(missing)
        return len(missing), len(stale)

    def _rewrite_remote_reference_data(self, error: Exception) -> None:
        """Empty tmkg's graphs on a remote store, and its statements about them in the
        default graph, then write them as shipped: for when they cannot be read back (a value
        Oxigraph refuses, such as a language tag of 11 letters or a relative IRI; more rows
        than Virtuoso pages through: ``SR353``), rather than fail every update and every start
        on them."""
        log.warning("tmkg's own graphs could not be read back (%s): written anew", error)
        for graph in REFERENCE_GRAPHS:
            self.store.update(f"CLEAR SILENT GRAPH {graph}")
        self.store.remove_matching(  # type: ignore[attr-defined]
            (graph, None, ox.DefaultGraph()) for graph in REFERENCE_GRAPHS
        )
        self.store.add(reference_quads())

    def _removed_remotely(
        self, stale: set[ox.Quad], remove_matching: Callable[[object], None]
    ) -> set[ox.Quad]:
        """Remove `stale` from a remote store by pattern, and a reference graph still holding
        some of it whole (CLEAR: Virtuoso deletes no NaN by matching it); return what tmkg's
        graphs then hold."""
        remove_matching({(q.subject, q.predicate, q.graph_name) for q in stale})
        stored = self._own_quads()
        kept = {q.graph_name for q in stored if q in stale} & set(REFERENCE_GRAPHS)
        for graph in kept:
            self.store.update(f"CLEAR SILENT GRAPH {graph}")
        return self._own_quads() if kept else stored

    def _own_quads(self) -> set[ox.Quad]:
        # A few pattern reads, cheap on a remote store too: nothing is written or looked up
        # quad by quad when the stored content is current.
        # A remote store's quads holding a value that is no RDF term raise here: what cannot
        # be read back is written anew (`_rewrite_remote_reference_data`).
        strict = {"skip_unreadable": False} if hasattr(self.store, "remove_matching") else {}
        stored = {q for graph in REFERENCE_GRAPHS for q in self.store.quads(graph=graph, **strict)}
        for graph in REFERENCE_GRAPHS:  # each reference graph is described in the default graph
            stored.update(self.store.quads(subject=graph, graph=ox.DefaultGraph(), **strict))
        return stored
