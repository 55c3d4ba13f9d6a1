"""What the SPARQL endpoint's worker design costs: per-query overhead and HTTP requests/s.

Prints (1) the latency of a simple SELECT run directly on the store versus through the worker
pool (snapshot + pipe + serialization in the worker), and (2) requests/s and latency
percentiles for the same SELECT over HTTP against a real `kg serve` on the seed, with a
number of concurrent keep-alive connections. The client runs on the same machine.

    .venv/bin/python bench/sparql_endpoint.py [--seconds 5] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg import KnowledgeGraph, Settings
from kg.namespaces import PREFIXES
from kg.sparql.workers import QueryJob, QueryWorkerPool

QUERY = "SELECT ?mark ?name WHERE { ?mark a tm:Mark ; schema:name ?name }"
KG = Path(sys.executable).parent / "kg"


def per_query_overhead(rounds: int) -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    started = time.perf_counter()
    pool = QueryWorkerPool(graph.store, size=2)
    print(f"pool start (2 workers + snapshot): {1000 * (time.perf_counter() - started):.1f} ms")
    job = QueryJob(QUERY, prefixes=tuple(PREFIXES.items()))
    pool.run(job, timeout=30)  # warm: the worker opens the snapshot
    direct, pooled = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        solutions = graph.query(QUERY)
        solutions.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
        direct.append(time.perf_counter() - t)
        t = time.perf_counter()
        pool.run(job, timeout=30)
        pooled.append(time.perf_counter() - t)
    pool.close()
    d, p = statistics.median(direct) * 1000, statistics.median(pooled) * 1000
    print(f"simple SELECT, median of {rounds}: direct {d:.3f} ms, via worker {p:.3f} ms")
    print(f"per-query overhead of the worker design: {p - d:.3f} ms")


async def http_load(url: str, seconds: float, connections: int) -> None:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(timeout=30) as session:
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                response = await session.get(url, params={"query": QUERY})
                response.raise_for_status()
                latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    print(
        f"HTTP GET /sparql simple SELECT, {connections} connections, {elapsed:.1f} s: "
        f"{len(latencies) / elapsed:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    per_query_overhead(args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        port = "8799"
        server = subprocess.Popen(
            [
                str(KG),
                "serve",
                "--store",
                f"{folder}/store",
                "--port",
                port,
                "--query-workers",
                "2",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/sparql"
            for _ in range(300):
                try:
                    if httpx.get(url, params={"query": "ASK {}"}).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            asyncio.run(http_load(url, args.seconds, args.connections))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
