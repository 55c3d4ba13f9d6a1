"""The endpoint's fast path (issue 19): queries handed to the workers from the event loop,
replies read off the pipe as they come, the time limit a timer on the loop — with the
guarantees of the thread path: each answer goes to its own requester, a runaway query is
stopped by killing its worker, a query nobody waits for any more does not run on, and
threads and event-loop tasks share the same free workers fairly.

The pool tests use real worker processes; the HTTP tests a real `kg serve` and real clients.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import struct
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import QueryTimeout
from kg.sparql.handoff import IdleWorkers, ReplyReader, ReplyTimeout
from kg.sparql.workers import QueryJob, QueryWorkerPool
from kg.store import open_store
from tests.conftest import process_running
from tests.http_support import http_get
from tests.sparql_support import SparqlServer

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _marker_query(number: int) -> QueryJob:
    return QueryJob(f'SELECT ?x {{ BIND("marker-{number}" AS ?x) }}')


def _marker(body: bytes) -> str:
    (binding,) = json.loads(body)["results"]["bindings"]
    return binding["x"]["value"]


def _wait_for_workers(pool: QueryWorkerPool, count: int) -> None:
    deadline = time.monotonic() + 15
    while len(pool.worker_pids) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.worker_pids) == count


@pytest.fixture(scope="module")
def pool() -> Iterator[QueryWorkerPool]:
    """Two workers over 300 quads: enough for a four-way cross product to run for minutes."""
    store = open_store("memory")
    example = "http://example.org/"
    store.add(
        ox.Quad(ox.NamedNode(f"{example}s{i}"), ox.NamedNode(f"{example}p"), ox.Literal(i))
        for i in range(300)
    )
    running = QueryWorkerPool(store, size=2)
    yield running
    running.close()


# ------------------------------------------------------------------ the pool from the event loop


def test_concurrent_queries_each_get_their_own_answer(pool: QueryWorkerPool) -> None:
    async def ask_all() -> list[str]:
        answers = await asyncio.gather(
            *(pool.run_async(_marker_query(n), timeout=30) for n in range(60))
        )
        return [_marker(answer.body) for answer in answers]

    # Threads (kg query, updates) and event-loop tasks share the workers at the same time.
    with ThreadPoolExecutor(3) as threads:
        from_threads = threads.map(
            lambda n: _marker(pool.run(_marker_query(n), timeout=30).body), range(100, 130)
        )
        from_the_loop = asyncio.run(ask_all())
        assert list(from_threads) == [f"marker-{n}" for n in range(100, 130)]
    assert from_the_loop == [f"marker-{n}" for n in range(60)]


def test_an_answer_larger_than_the_pipe_buffer_arrives_whole(pool: QueryWorkerPool) -> None:
    values = " ".join(str(n) for n in range(20_000))  # a 109 kB job, a ~1.3 MB answer
    job = QueryJob(f"SELECT ?n {{ VALUES ?n {{ {values} }} }}", max_rows=50_000)
    answer = asyncio.run(pool.run_async(job, timeout=30))
    assert answer.rows == 20_000 and not answer.truncated
    assert len(answer.body) > 1_000_000
    numbers = [int(b["n"]["value"]) for b in json.loads(answer.body)["results"]["bindings"]]
    assert numbers == list(range(20_000))
    assert answer.body == pool.run(job, timeout=30).body  # the thread path reads the same


def test_the_time_limit_stops_a_runaway_query_by_killing_its_worker(
    pool: QueryWorkerPool,
) -> None:
    before = set(pool.worker_pids)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"stopped after 0\.\d s, past the 0\.5 s limit"):
        asyncio.run(pool.run_async(QueryJob(RUNAWAY), timeout=0.5))
    assert time.monotonic() - started < 3
    (killed,) = before - set(pool.worker_pids)
    assert not process_running(killed)
    answer = asyncio.run(pool.run_async(_marker_query(1), timeout=30))
    assert _marker(answer.body) == "marker-1"  # the other worker answers meanwhile
    _wait_for_workers(pool, 2)  # and the killed one is replaced


def test_a_query_nobody_waits_for_does_not_run_on(pool: QueryWorkerPool) -> None:
    _wait_for_workers(pool, 2)
    before = set(pool.worker_pids)

    async def give_up() -> None:
        task = asyncio.ensure_future(pool.run_async(QueryJob(RUNAWAY), timeout=60))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(give_up())
    (killed,) = before - set(pool.worker_pids)
    assert not process_running(killed)
    _wait_for_workers(pool, 2)
    assert _marker(pool.run(_marker_query(2), timeout=30).body) == "marker-2"


def test_waiting_for_a_free_worker_has_the_same_limit(pool: QueryWorkerPool) -> None:
    _wait_for_workers(pool, 2)
    with ThreadPoolExecutor(2) as threads:
        busy = [threads.submit(pool.run, QueryJob(RUNAWAY), timeout=2) for _ in range(2)]
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match=r"every query worker stayed busy for 0\.5 s"):
            asyncio.run(pool.run_async(_marker_query(3), timeout=0.5))
        assert 0.4 < time.monotonic() - started < 2
        for future in busy:
            with pytest.raises(QueryTimeout):
                future.result()
    answer = asyncio.run(pool.run_async(_marker_query(4), timeout=30))
    assert _marker(answer.body) == "marker-4"  # the waiter that gave up took no worker away


# ------------------------------------------------------------------ the pieces


def test_free_workers_go_to_waiters_first_come_first_served() -> None:
    idle: IdleWorkers[str] = IdleWorkers()
    got: dict[str, str | None] = {}

    async def scenario() -> None:
        thread = threading.Thread(target=lambda: got.update(thread=idle.take(5)))
        thread.start()
        while not idle._waiters:  # the thread waits first
            await asyncio.sleep(0.01)
        task = asyncio.ensure_future(idle.take_async(5))
        await asyncio.sleep(0.05)
        idle.put("first")
        idle.put("second")
        got["task"] = await task
        thread.join()

    asyncio.run(scenario())
    assert got == {"thread": "first", "task": "second"}


def test_a_waiter_that_gave_up_takes_no_worker() -> None:
    idle: IdleWorkers[str] = IdleWorkers()
    assert asyncio.run(idle.take_async(0.05)) is None
    assert idle.take(0.05) is None
    idle.put("worker")
    assert idle.take(0) == "worker"  # not handed to either of the waiters that left
    assert idle.take(0) is None


def _frame(head: object, body: bytes) -> bytes:
    pickled = pickle.dumps(head)
    return struct.pack("!QQ", len(pickled), len(body)) + pickled + body


def test_a_reply_read_in_pieces_on_the_loop_is_whole() -> None:
    read, write = os.pipe()
    os.set_blocking(read, False)  # as the pool's pipes: the loop never waits in a read
    body = os.urandom(300_000)
    frame = _frame(("ok", ("solutions", "json", 3, False)), body)

    async def receive() -> tuple[object, bytes]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[tuple[object, bytes]] = loop.create_future()
        reader = ReplyReader(read)

        def readable() -> None:
            reply = reader.feed()
            if reply is not None:
                loop.remove_reader(read)
                done.set_result(reply)

        loop.add_reader(read, readable)
        writer = threading.Thread(
            target=lambda: [
                os.write(write, frame[i : i + 7000]) for i in range(0, len(frame), 7000)
            ]
        )
        writer.start()
        reply = await asyncio.wait_for(done, 10)
        writer.join()
        return reply

    try:
        assert asyncio.run(receive()) == (("ok", ("solutions", "json", 3, False)), body)
    finally:
        os.close(read)
        os.close(write)


def test_a_reply_cut_short_or_late_is_an_error() -> None:
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.write(write, _frame(("ok", None), b"abcdef")[:-3])
    with pytest.raises(ReplyTimeout):
        ReplyReader(read).read(deadline=time.monotonic() + 0.1)
    os.close(write)  # the worker died mid-reply
    with pytest.raises(EOFError):
        ReplyReader(read).read(deadline=time.monotonic() + 5)
    os.close(read)


# ------------------------------------------------------------------ over HTTP


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer("--memory", "--query-timeout", "2", "--query-workers", "2") as running:
        yield running


def test_concurrent_clients_each_get_their_own_answer(server: SparqlServer) -> None:
    def client(number: int) -> list[tuple[int, str, str]]:
        seen = []
        with httpx.Client(timeout=30) as session:  # keep-alive
            for turn in range(15):
                marker = f"client-{number}-{turn}"
                response = session.get(
                    server.endpoint,
                    params={"query": f'SELECT ?x {{ BIND("{marker}" AS ?x) }}'},
                    headers={"Accept": "application/sparql-results+json"},
                )
                seen.append((response.status_code, marker, _marker(response.content)))
                assert response.headers["x-result-rows"] == "1"
        return seen

    with ThreadPoolExecutor(8) as threads:
        for seen in threads.map(client, range(8)):
            assert all(status == 200 and sent == got for status, sent, got in seen)


def test_other_clients_are_served_while_a_query_runs_to_its_limit(server: SparqlServer) -> None:
    with ThreadPoolExecutor(1) as thread:
        slow = thread.submit(httpx.get, server.endpoint, params={"query": RUNAWAY}, timeout=30)
        time.sleep(0.2)
        quick = []
        for _ in range(20):
            started = time.monotonic()
            response = http_get(server.endpoint, params={"query": "ASK {}"}, timeout=30)
            quick.append((response.status_code, time.monotonic() - started))
        assert all(status == 200 and seconds < 1.5 for status, seconds in quick), quick
        assert slow.result().status_code == 503
        assert "past the 2 s limit" in slow.result().text
