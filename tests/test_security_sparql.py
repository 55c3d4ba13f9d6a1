"""Issue 11, kinds 1, 2, 3 (worker memory) and 7 (leftovers): SPARQL cannot reach the network
however it is written, and an engine crash or a memory bomb kills only a worker.

Every hostile request goes to a real `kg serve` (or `kg query`) with a canary HTTP server on
loopback that must never see a connection; the store's quads are compared before and after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg.sparql.worker import QueryJob
from kg.sparql.workers import QueryWorkerPool, remove_stale_folders
from kg.store import open_store
from tests.conftest import run_kg
from tests.hardening_support import Canary, record
from tests.http_support import http_get, http_post
from tests.sparql_support import SparqlServer

TOKEN = "security-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def canary():
    server = Canary()
    yield server
    server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    token = folder / "token"
    token.write_text(TOKEN)
    with SparqlServer(
        "--store", folder / "store", "--update-token-file", token, "--query-memory", "256"
    ) as running:
        running.wait_ready()
        yield running


def _count(server: SparqlServer) -> int:
    response = http_post(
        server.endpoint,
        data={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _outbound_queries(url: str) -> list[tuple[str, str]]:
    glued = f"PREFIX : <{url}/> PREFIX r: <{url}/> "
    return [
        ("SERVICE glued to a prefixed name", glued + "SELECT * { SERVICE:x { ?s ?p ?o } }"),
        ("SERVICE glued to a longer name", glued + "SELECT * { SERVICEr:x { ?s ?p ?o } }"),
        ("SERVICESILENT glued", glued + "SELECT * { SERVICESILENT:x { ?s ?p ?o } }"),
        ("lower-case service silent", glued + "select * { service silent:x {} }"),
        ("SERVICE in a subquery", glued + "SELECT * { { SELECT * { SERVICE:x {} } } }"),
        ("SERVICE in OPTIONAL", glued + "SELECT * { OPTIONAL { SERVICE:y { ?a ?b ?c } } }"),
        ("SERVICE in an ASK", glued + "ASK { SERVICE:z {} }"),
        ("SERVICE through BASE", f"BASE <{url}/> SELECT * {{ SERVICE <s> {{}} }}"),
        (
            "SERVICE with a \\u escape",
            "SELECT * { SERVICE <" + url.replace("1", "\\u0031") + "/e> {} }",
        ),
        ("FROM glued", glued + "SELECT * FROM:g { ?s ?p ?o }"),
        ("FROM NAMED glued", glued + "SELECT * FROMNAMED:g { GRAPH ?g { ?s ?p ?o } }"),
        (
            "CONSTRUCT with SERVICE",
            glued + "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE:c { ?s ?p ?o } }",
        ),
    ]


def _outbound_updates(url: str) -> list[tuple[str, str]]:
    glued = f"PREFIX : <{url}/> PREFIX r: <{url}/> "
    return [
        ("LOAD glued", glued + "LOAD:x"),
        ("LOAD glued to a longer name", glued + "LOADr:x"),
        ("LOAD SILENT glued", glued + "LOAD SILENT:x"),
        ("LOADSILENT glued", glued + "LOADSILENT:x INTO GRAPH :g"),
        ("LOAD after another operation", glued + "INSERT DATA { <a:b> <a:c> 1 } ;LOAD:x"),
        (
            "SERVICE in an update's WHERE",
            glued + "INSERT { ?s ?p ?o } WHERE { SERVICE:x { ?s ?p ?o } }",
        ),
        (
            "SERVICE SILENT in an update",
            glued + "INSERT { <a:s> <a:p> ?o } WHERE { SERVICE SILENT:x { ?s ?p ?o } }",
        ),
    ]


def test_no_query_reaches_the_network(server, canary) -> None:
    before = _count(server)
    for name, query in _outbound_queries(canary.url):
        response = http_post(server.endpoint, data={"query": query}, timeout=60)
        expected = response.status_code in (400, 403) and not canary.hits
        record("input", surface="/sparql (outbound)", name=name, expected=expected)
        assert response.status_code in (400, 403), (name, response.status_code, response.text)
        assert "\n" not in response.text.strip(), response.text  # one line, no traceback
        assert canary.hits == [], (name, canary.hits)
    assert _count(server) == before


def test_no_update_reaches_the_network_even_with_the_token(server, canary) -> None:
    before = _count(server)
    for name, update in _outbound_updates(canary.url):
        response = http_post(server.endpoint, data={"update": update}, headers=AUTH, timeout=60)
        # SILENT failures are not errors: the update may succeed, having fetched nothing.
        expected = response.status_code in (204, 400, 403) and not canary.hits
        record("input", surface="/sparql update (outbound)", name=name, expected=expected)
        assert response.status_code in (204, 400, 403), (name, response.status_code, response.text)
        assert canary.hits == [], (name, canary.hits)
    after = _count(server)
    http_post(server.endpoint, data={"update": "DELETE DATA { <a:b> <a:c> 1 }"}, headers=AUTH)
    assert after - before in (0, 1)  # only the INSERT DATA of a successful request


def test_protocol_parameters_are_never_spliced(server, canary) -> None:
    hostile = [
        f"http://x> }} ; LOAD <{canary.url}/p> ; INSERT {{ <a:b> <a:c> 1 }} USING <http://y",
        "http://example.org/g",
    ]
    for value in hostile:
        for parameter in ("using-graph-uri", "using-named-graph-uri"):
            response = http_post(
                server.endpoint,
                params={parameter: value},
                data={"update": "INSERT { <a:s> <a:p> 1 } WHERE { ?s ?p ?o }"},
                headers=AUTH,
                timeout=60,
            )
            record(
                "input",
                surface="/sparql update (outbound)",
                name=f"{parameter} spliced",
                expected=response.status_code == 400 and not canary.hits,
            )
            assert response.status_code == 400, response.text
            assert "USING" in response.text
    for value in (f"{canary.url}/dataset", f"{canary.url}/named"):
        response = http_post(
            server.endpoint,
            params={"default-graph-uri": value, "named-graph-uri": value},
            data={"query": "SELECT * { ?s ?p ?o }"},
            timeout=60,
        )
        assert response.status_code in (200, 400, 403), response.text
    assert canary.hits == []


def test_a_worker_cannot_open_a_socket_even_past_the_guard(canary, tmp_path) -> None:
    """The pool is called directly, with no scanner in front: the kernel refuses."""
    store = open_store("memory")
    pool = QueryWorkerPool(store, size=1)
    try:
        for query in (
            f"SELECT * {{ SERVICE <{canary.url}/direct> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ SERVICE SILENT <{canary.url}/silent> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{canary.url}/from> {{ ?s ?p ?o }}",
        ):
            with pytest.raises(Exception) as caught:
                pool.run(QueryJob(query), timeout=30)
                raise AssertionError("answered")  # SILENT: an empty answer is fine too
            assert "answered" in str(caught.value) or "network" in str(caught.value)
    finally:
        pool.close()
    assert canary.hits == []
    # And in a confined process itself, no Python trick opens one; pipes still work.
    script = textwrap.dedent(f"""
        import os, socket, sys
        sys.path.insert(0, {str(Path(__file__).parents[1] / "kg" / "sparql")!r})
        from worker import confine
        confine()
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                socket.socket(family, socket.SOCK_STREAM)
            except PermissionError:
                print("refused", family)
        try:
            os.execv("/bin/true", ["true"])
        except PermissionError:
            print("exec refused")
        left, right = socket.socketpair(socket.AF_UNIX)
        r, w = os.pipe()
        print("unix and pipes ok")
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.count("refused") == 3, result.stdout + result.stderr
    assert "unix and pipes ok" in result.stdout
    assert canary.hits == []


def _crashing_queries() -> list[tuple[str, str]]:
    chain = "+".join(["1"] * 20_000)
    return [
        ("a collection of 5,000 items", "SELECT * { ?s ?p (" + " 1" * 5000 + " ) }"),
        (
            "20,000 chained + behind a language tag",
            f'SELECT * {{ BIND("x"@values AS ?l) VALUES ?v {{ 1 }} BIND({chain} AS ?x) }}',
        ),
        ("nested lists 3,000 deep", "SELECT * { ?s ?p " + "(" * 3000 + " 1 " + ")" * 3000 + " }"),
    ]


def _mixed_literals() -> str:
    """The seed's 142 literals (IRIs' neighbours: plain and language-tagged strings, decimals,
    xsd:gYear, gYearMonth, date), whose ORDER BY aborts the engine (docs/engine-faults.md,
    fault 1) whatever the store holds."""
    import pyoxigraph as ox

    from kg.graph import seed_files

    quads = [
        q
        for path in seed_files()
        if path.suffix == ".trig"
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)
    ]
    literals = sorted({q.object for q in quads if isinstance(q.object, ox.Literal)}, key=str)
    return " ".join(str(literal) for literal in literals)


def test_an_engine_crash_kills_only_its_worker(server) -> None:
    before = _count(server)
    for name, query in _crashing_queries():
        response = http_post(server.endpoint, data={"query": query}, timeout=60)
        alive = http_get(server.url + "/health", timeout=30).status_code == 200
        expected = response.status_code in (400, 500) and alive
        record("input", surface="/sparql (crash)", name=name, expected=expected)
        assert response.status_code in (400, 500), (name, response.status_code, response.text)
        assert alive
        assert "Traceback" not in response.text
    assert _count(server) == before


def test_an_order_by_the_engine_aborts_on_is_answered_sorted(server) -> None:
    """Engine fault 1: the worker dies, the query is run again with total sort keys
    (tests/test_total_order.py has the order's checks)."""
    query = f"SELECT ?v WHERE {{ VALUES ?v {{ {_mixed_literals()} }} }} ORDER BY ?v LIMIT 1"
    for _ in range(2):  # the second time the rewrite runs first
        assert len(server.select(query)) == 1


def test_an_engine_crash_in_an_update_leaves_the_server_and_store_as_they_were(server) -> None:
    before = _count(server)
    crashing = [
        (
            "update with ORDER BY over mixed terms",
            f"INSERT {{ <a:s> <a:p> ?v }} WHERE {{ SELECT ?v {{ VALUES ?v {{ {_mixed_literals()} }} }} "
            "ORDER BY ?v LIMIT 1 }",
        ),
        (
            "update with a 5,000-item collection",
            "INSERT { <a:s> <a:p> 1 } WHERE { ?s ?p (" + " 1" * 5000 + " ) }",
        ),
        (
            "update with nested lists 3,000 deep",
            "INSERT DATA { <a:s> <a:p> " + "(" * 3000 + " 1 " + ")" * 3000 + " }",
        ),
    ]
    for name, update in crashing:
        response = http_post(server.endpoint, data={"update": update}, headers=AUTH, timeout=60)
        alive = (
            server.process.poll() is None and http_get(server.url + "/health").status_code == 200
        )
        record(
            "input",
            surface="/sparql update (crash)",
            name=name,
            expected=response.status_code in (400, 500) and alive,
        )
        assert response.status_code in (400, 500), (name, response.status_code, response.text)
        assert alive, server.log()
    assert _count(server) == before
    # Updates still work afterwards.
    ok = http_post(
        server.endpoint,
        data={"update": "INSERT DATA { GRAPH <urn:x:g> { <a:s> <a:p> 2 } }"},
        headers=AUTH,
    )
    assert ok.status_code == 204, ok.text
    assert _count(server) == before + 1
    http_post(server.endpoint, data={"update": "DROP GRAPH <urn:x:g>"}, headers=AUTH)


def test_memory_bombs_stop_at_the_worker_limit(server) -> None:
    values = " ".join(str(i) for i in range(100))
    bombs = [
        (
            "cross product ORDER BY",
            f"SELECT * {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} "
            f"VALUES ?d {{ {values} }} }} ORDER BY DESC(?a) ?b LIMIT 1",
        ),
        (
            "a string doubled 30 times",
            'SELECT (STRLEN(?x30) AS ?n) { BIND("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" AS ?x0) '
            + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30))
            + " }",
        ),
    ]
    before = _count(server)
    for name, query in bombs:
        response = http_post(server.endpoint, data={"query": query}, timeout=120)
        alive = http_get(server.url + "/health").status_code == 200
        record(
            "input",
            surface="/sparql (memory)",
            name=name,
            expected=response.status_code in (500, 503) and alive,
        )
        assert response.status_code in (500, 503), (name, response.status_code, response.text[:300])
        assert "memory" in response.text or "crashed" in response.text, response.text
        assert alive
    assert _count(server) == before


def test_kg_query_reports_an_engine_crash_in_one_line(tmp_path, canary) -> None:
    for name, query in [*_crashing_queries()[:2], *_outbound_queries(canary.url)[:3]]:
        result = run_kg("query", "--memory", query)
        lines = result.stderr.strip().splitlines()
        expected = (
            result.returncode in (6, 8) and len(lines) == 1 and "Traceback" not in result.stderr
        )
        record("input", surface="kg query", name=name, expected=expected)
        assert result.returncode in (6, 8), (name, result.returncode, result.stderr)
        assert len(lines) == 1 and lines[0].startswith("kg: error:"), result.stderr
    assert canary.hits == []


def test_stale_snapshot_folders_are_removed(tmp_path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / ".tmkg-sparql-snapshots-dead"
    (stale / "snapshot-1").mkdir(parents=True)
    (stale / "owner").write_text(f"{dead.pid} 1")
    reused = tmp_path / ".tmkg-sparql-snapshots-reused"  # our pid, another start time
    reused.mkdir()
    (reused / "owner").write_text(f"{os.getpid()} 1")
    orphan = tmp_path / ".tmkg-sparql-snapshots-old"  # no owner file, two hours old
    orphan.mkdir()
    os.utime(orphan, (time.time() - 7200, time.time() - 7200))
    fresh = tmp_path / ".tmkg-sparql-snapshots-fresh"  # no owner file yet: being made
    fresh.mkdir()
    store = open_store("oxigraph", path=tmp_path / "store")
    pool = QueryWorkerPool(store, size=1)
    try:
        mine = [p for p in tmp_path.glob(".tmkg-sparql-snapshots-*") if p not in (fresh,)]
        assert [p.name for p in mine if p.name.endswith(("dead", "reused", "old"))] == []
        assert fresh.exists()
        assert remove_stale_folders(tmp_path) == []  # the live pool's folder is kept
    finally:
        pool.close()
        store.close()


def test_a_killed_server_leaves_no_snapshots_behind_after_the_next_start(tmp_path) -> None:
    store = tmp_path / "store"
    first = SparqlServer("--store", store).wait_ready()
    http_post(first.endpoint, data={"query": "ASK {}"}, timeout=60)
    assert list(tmp_path.glob(".tmkg-sparql-snapshots-*"))
    for pid in first.worker_pids():
        os.kill(pid, signal.SIGKILL)
    first.process.kill()
    first.stop()
    left = set(tmp_path.glob(".tmkg-sparql-snapshots-*"))
    assert left  # the crash left them
    with SparqlServer("--store", store) as second:
        second.wait_ready()
        http_post(second.endpoint, data={"query": "ASK {}"}, timeout=60)
        assert not left & set(tmp_path.glob(".tmkg-sparql-snapshots-*"))


def test_xml_answers_stay_well_formed_with_control_characters(server) -> None:
    from xml.dom.minidom import parseString

    insert = 'INSERT DATA { GRAPH <urn:x:ctl> { <urn:x:s> <urn:x:p> "a\\u0001b\\u001bc\\u0000d\\uFFFEe" } }'
    assert http_post(server.endpoint, data={"update": insert}, headers=AUTH).status_code == 204
    try:
        for query, accept in (
            ("SELECT ?o { GRAPH <urn:x:ctl> { ?s ?p ?o } }", "application/sparql-results+xml"),
            (
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:x:ctl> { ?s ?p ?o } }",
                "application/rdf+xml",
            ),
        ):
            response = http_post(server.endpoint, data={"query": query}, headers={"Accept": accept})
            assert response.status_code == 200, response.text
            document = parseString(response.content)  # raises on a character XML 1.0 forbids
            text = "".join(node.data for node in _text_nodes(document))
            assert "a\ufffdb\ufffdc\ufffdd\ufffde" in text
            record(
                "input",
                surface="/sparql (output)",
                name=f"control characters as {accept}",
                expected=True,
            )
    finally:
        http_post(server.endpoint, data={"update": "DROP GRAPH <urn:x:ctl>"}, headers=AUTH)


def _text_nodes(node):
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            yield child
        else:
            yield from _text_nodes(child)


def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_kg_query_takes_its_worker_with_it(tmp_path, how) -> None:
    """A worker busy with a query never reads its pipe: it must notice its parent is gone."""
    from tests.conftest import KG

    endless = (
        "SELECT (COUNT(*) AS ?n) { "
        + " ".join(f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(60))} }}" for i in range(6))
        + " }"
    )
    command = subprocess.Popen(
        [str(KG), "query", "--memory", endless],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and command.poll() is None:
        workers = _children(command.pid)
        time.sleep(0.2)
    assert workers, "kg query started no worker"
    time.sleep(1)  # let the worker get into the query
    command.send_signal(how)
    command.wait(30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    alive = [
        pid
        for pid in workers
        if Path(f"/proc/{pid}/stat").exists()
        and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    ]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    record(
        "crash",
        what=f"kg query killed by {how.name} during a query",
        survived=not alive,
        quads_lost=0,
    )
    assert alive == [], "the worker outlived kg query"
