"""The RDF store behind one interface, with backends chosen by name.

Backends are imported lazily from a registry (as rdflib's plugin table does), so a user of the
default never imports the others.

>>> store = open_store("memory")
>>> store.backend, store.location
('oxigraph', ':memory:')
"""

from __future__ import annotations

import importlib
import os
import re
import stat
from pathlib import Path

from kg.errors import StoreError
from kg.store.base import GraphName, QueryResult, Store, Term

__all__ = [
    "BACKENDS", "GraphName", "QueryResult", "Store", "Term", "beside_folder", "beside_store",
    "open_store", "regular_or_missing",
]  # fmt: skip

# name -> "module:Class".
BACKENDS: dict[str, str] = {
    "oxigraph": "kg.store.oxigraph:OxigraphStore",
    "memory": "kg.store.oxigraph:MemoryStore",
    "rdflib": "kg.store.rdflib_memory:RdflibStore",
    # A remote SPARQL 1.1 endpoint: queries over the Protocol, writes over Update.
    "sparql": "kg.store.sparql_remote:RemoteSparqlStore",
}


def open_store(
    backend: str = "oxigraph", path: str | Path | None = None, **options: object
) -> Store:
    """Open a store by backend name: ``oxigraph`` (on disk at `path`), ``memory``, ``rdflib``,
    ``sparql`` (`options`: ``endpoint``, ``update_endpoint``, ``auth``; see
    `kg.store.sparql_remote.RemoteSparqlStore`)."""
    try:
        target = BACKENDS[backend]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        raise StoreError(
            f"unknown store backend {backend!r}", suggestion=f"use one of {known}"
        ) from None
    module_name, class_name = target.split(":")
    store_class = getattr(importlib.import_module(module_name), class_name)
    if backend == "oxigraph" and path is None:
        raise StoreError("the oxigraph backend needs a path", suggestion="pass --store PATH")
    return store_class(path, **options) if path is not None else store_class(**options)


def beside_store(location: str, suffix: str) -> Path | None:
    """Where a file kept with an on-disk store lives: ``<store><suffix>`` beside its folder;
    None for a store in memory or at a URL (nothing is kept beside it).

    >>> beside_store("/data/tmkg/store", ".marks.sqlite")
    PosixPath('/data/tmkg/store.marks.sqlite')
    >>> beside_store(":memory:", ".marks.sqlite") is None
    True
    """
    if location == ":memory:" or "://" in location:
        return None
    return beside_folder(Path(location), suffix)


def beside_folder(folder: Path, suffix: str) -> Path:
    """``<folder><suffix>``, beside the folder (`beside_store` for a store's location).

    >>> beside_folder(Path("/data/tmkg/store"), ".writes")
    PosixPath('/data/tmkg/store.writes')
    """
    return folder.parent / f"{folder.name}{suffix}"


def no_store_at(path: Path) -> bool:
    """Whether the folder a store is named by is missing or empty (made by hand, or left by
    ``rm -rf store/*``): a writer makes a new store there, a reader first has one made. A
    folder that cannot be listed is not said empty (opening it says why)."""
    try:
        return not path.exists() or (path.is_dir() and not any(path.iterdir()))
    except OSError:
        return False


_ROCKSDB_FILE = re.compile(
    r"CURRENT|IDENTITY|LOCK|LOG(\.old\.\d+)?|(MANIFEST|OPTIONS)-\d+|\d+\.(log|sst|blob|dbtmp)"
    r"|(CURRENT|IDENTITY|OPTIONS-\d+|MANIFEST-\d+)\.dbtmp"
)
"""The names of the files RocksDB (the engine under Oxigraph) keeps in a store's folder."""


def foreign_files(path: Path, most: int = 3) -> list[str]:
    """Up to `most` names in the folder at `path` that RocksDB does not write, when it holds
    no store (no ``CURRENT`` file): a folder of the user's own (``--store ~/Documents``) that
    a store must not be made in, since a bulk load replaces the store's folder whole. Empty
    for a store's folder, a new or empty one, a missing one, or one that cannot be listed.

    >>> foreign_files(Path("/nonexistent-folder"))
    []
    """
    try:
        if not path.is_dir() or (path / "CURRENT").exists():
            return []
        names = sorted(entry.name for entry in path.iterdir())
    except OSError:
        return []
    return [name for name in names if not _ROCKSDB_FILE.fullmatch(name)][:most]


def regular_or_missing(path: Path) -> bool:
    """Whether `path` (followed if a symlink) is a regular file or nothing at all: a file
    kept beside a store is opened only then (SQLite opening a FIFO blocks for ever; a
    directory or a device is no such file)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return not os.path.lexists(path)  # a dangling symlink is no file to make
    except OSError:
        return False


def fsync_directory(path: Path) -> None:
    """Make the entries of the directory at `path` durable (a rename into it, a new file)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
