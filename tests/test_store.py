"""The store contract, run against every backend (as rdflib's store tests are).

The remote backend runs against a private Virtuoso (tests/virtuoso.py), emptied per test.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError, StoreError, StoreLocked
from kg.store import BACKENDS, Store, open_store

EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")


def quad(s: str, o: str, graph: ox.NamedNode | ox.DefaultGraph = G1) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), graph)


@pytest.fixture(
    params=[
        pytest.param(name, marks=pytest.mark.virtuoso) if name == "sparql" else name
        for name in sorted(BACKENDS)
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sparql":
        server = request.getfixturevalue("virtuoso")
        server.reset()
        opened = server.store()
    else:
        opened = open_store(request.param, tmp_path / "db")
    yield opened
    opened.close()


def test_backends_implement_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)
    assert store.backend in {"oxigraph", "rdflib", "sparql"}


def test_add_reports_only_new_quads(store: Store) -> None:
    assert store.add([quad("a", "1"), quad("b", "2")]) == 2
    assert store.add([quad("a", "1"), quad("c", "3")]) == 1
    assert store.count() == 3
    assert store.count(G1) == 3


def test_union_default_graph_sees_every_graph_and_graph_names_the_source(store: Store) -> None:
    store.add([quad("a", "1", G1), quad("b", "2", G2), quad("c", "3", ox.DefaultGraph())])
    rows = store.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    assert [row["s"].value for row in rows] == [EX + "a", EX + "b", EX + "c"]
    rows = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p '2' } }")
    assert [row["g"] for row in rows] == [G2]
    assert sorted(g.value for g in store.named_graphs()) == [G1.value, G2.value]


def test_query_restricted_to_default_graphs(store: Store) -> None:
    store.add([quad("a", "1", G1), quad("b", "2", G2)])
    rows = store.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[G2])
    assert [row["s"].value for row in rows] == [EX + "b"]


def test_ask_and_construct(store: Store) -> None:
    store.add([quad("a", "1")])
    assert bool(store.query(f"ASK {{ <{EX}a> ?p '1' }}")) is True
    assert bool(store.query(f"ASK {{ <{EX}a> ?p '9' }}")) is False
    triples = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    assert triples == [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"))]


def test_prefixes_are_predeclared(store: Store) -> None:
    store.add([quad("a", "1")])
    rows = store.query("SELECT ?o WHERE { ex:a ex:p ?o }", prefixes={"ex": EX})
    assert [row["o"].value for row in rows] == ["1"]


def test_malformed_query_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match=r"(?i)syntax|query failed"):
        store.query("SELECT * WHERE { ?s ?p ")


def test_update_and_remove(store: Store) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}a> <{EX}p> 'x' }} }}")
    assert store.count() == 1
    assert store.remove([quad("a", "x"), quad("zz", "missing")]) == 1
    assert store.count() == 0


def test_failed_update_changes_nothing(store: Store) -> None:
    store.add([quad("a", "1")])
    before = set(store.quads())
    with pytest.raises(QueryError):
        store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> 'x' }} ; SYNTAX ERROR")
    assert set(store.quads()) == before


def test_quad_patterns(store: Store) -> None:
    store.add([quad("a", "1", G1), quad("a", "2", G2), quad("b", "1", G1)])
    subject = ox.NamedNode(EX + "a")
    assert len(list(store.quads(subject=subject))) == 2
    assert len(list(store.quads(obj=ox.Literal("1")))) == 2
    assert len(list(store.quads(subject=subject, graph=G2))) == 1


def test_on_disk_store_persists_and_locks(tmp_path: Path) -> None:
    path = tmp_path / "db"
    first = open_store("oxigraph", path)
    first.add([quad("a", "1")])
    with pytest.raises(StoreLocked, match="another process"):
        open_store("oxigraph", path)
    first.close()
    second = open_store("oxigraph", path)
    assert list(second.quads()) == [quad("a", "1")]
    second.close()


def test_unknown_backend_names_the_choices() -> None:
    with pytest.raises(StoreError, match="memory, oxigraph, rdflib, sparql"):
        open_store("nosuch")


def test_big_batches_are_bulk_loaded_and_stay_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.store.oxigraph as backend

    monkeypatch.setattr(backend, "BULK_MIN_QUADS", 10)
    store = open_store("oxigraph", tmp_path / "db")
    store.add([quad("a", "0")])
    assert store.add([quad(f"s{i}", str(i)) for i in range(50)]) == 50
    assert store.count() == 51
    assert not (tmp_path / ".db.staging").exists() and not (tmp_path / ".db.old").exists()
    store.close()
    reopened = open_store("oxigraph", tmp_path / "db")
    assert reopened.count() == 51
    reopened.close()


def test_a_crash_between_the_swap_renames_is_rolled_forward(tmp_path: Path) -> None:
    path = tmp_path / "db"
    store = open_store("oxigraph", path)
    store.add([quad("a", "1")])
    native = store.native  # type: ignore[attr-defined]
    native.flush()
    native.backup(str(tmp_path / ".db.staging"))
    staging = pyoxigraph_store(tmp_path / ".db.staging")
    staging.add(quad("b", "2"))
    staging.flush()
    del staging, native
    store.close()
    path.rename(tmp_path / ".db.old")  # the first rename happened, then the process died
    recovered = open_store("oxigraph", path)
    assert set(recovered.quads()) == {quad("a", "1"), quad("b", "2")}
    assert not (tmp_path / ".db.old").exists()
    recovered.close()


def test_a_crash_while_staging_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "db"
    store = open_store("oxigraph", path)
    store.add([quad("a", "1")])
    store.close()
    (tmp_path / ".db.staging").mkdir()  # a half-written staging copy
    (tmp_path / ".db.staging" / "000001.sst").write_bytes(b"partial")
    reopened = open_store("oxigraph", path)
    assert list(reopened.quads()) == [quad("a", "1")]
    assert not (tmp_path / ".db.staging").exists()
    reopened.close()


def pyoxigraph_store(path: Path) -> ox.Store:
    return ox.Store(str(path))
