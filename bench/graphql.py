"""Benchmark: GraphQL `whoElseUses` over HTTP beside a plain Starlette JSON endpoint, and the
store queries per GraphQL request as answers grow.

    .venv/bin/python bench/graphql.py [--marks 20000] [--seconds 5] [--connections 8]

(1) For the seed case and for a generated registry (`kg.registries.synth.generate`), one
server process (uvicorn, one worker) serves both `/graphql` and `/reference/who-else-uses`, a plain
Starlette JSON endpoint calling the same service function (`Analyst.who_else_uses`); a client
process sends each for a few seconds with N keep-alive connections, cycling through mark
texts, and prints requests/s and latency p50/p99. Both ask for the same hits, the same fields.

(2) In-process, with the store wrapped in a counting proxy (`kg.store.counting`), the number
of store queries one GraphQL request makes, for pages of conflicts and for whoElseUses with
lower similarity floors, each object's nested fields included, beside the answer's size.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named graphql.py: keep its folder off the path, or `import graphql` (the
# library strawberry uses) would import this script.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

WHO = """query($mark: String!) { whoElseUses(mark: $mark) {
  party { id name } mark { text } kind niceClasses jurisdiction { code } since similarity
  reasons sources { id title } } }"""


def build_graph(dataset: str, marks: int, seed: int) -> Any:
    from kg import KnowledgeGraph, Settings
    from kg.registries.synth import generate
    from kg.store import open_store

    if dataset == "seed":
        graph = KnowledgeGraph.open(Settings(memory=True))
        graph.load_seed()
        return graph
    store = open_store("memory")
    store.add(generate(marks, seed=seed))
    return KnowledgeGraph(store)


def serve(dataset: str, marks: int, seed: int, port: int) -> None:
    """The server process: /graphql and the reference JSON endpoint over one graph."""
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from kg import Settings
    from kg.analysis.service import Analyst
    from kg.api.app import create_app

    graph = build_graph(dataset, marks, seed)
    app = create_app(graph, Settings(memory=True))
    analyst = Analyst(graph)

    def reference(request: Request) -> JSONResponse:  # sync: Starlette runs it in a thread
        hits = analyst.who_else_uses(request.query_params["mark"])
        return JSONResponse(
            [
                {
                    "party": {"id": h.party.id, "name": h.party.name},
                    "mark": {"text": h.mark.text},
                    "kind": h.kind.value,
                    "niceClasses": list(h.classes),
                    "jurisdiction": {"code": h.jurisdiction} if h.jurisdiction else None,
                    "since": h.since,
                    "similarity": h.similarity,
                    "reasons": list(h.reasons),
                    "sources": [{"id": s.id or s.graph, "title": s.title} for s in h.sources],
                }
                for h in hits
            ]
        )

    app.router.routes.append(Route("/reference/who-else-uses", reference))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", http="h11")


def mark_texts(dataset: str, marks: int, seed: int, count: int) -> list[str]:
    if dataset == "seed":
        return ["AWS", "a.w.s.", "AWS Cloud", "Amazon"]
    from kg.analysis.service import Analyst

    texts = sorted(set(Analyst(build_graph(dataset, marks, seed)).facts.marks.values()))
    return random.Random(seed).sample(texts, min(count, len(texts)))


async def load(
    url: str, texts: list[str], seconds: float, connections: int, graphql: bool
) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        async with httpx.AsyncClient(timeout=60) as session:
            i = offset
            while time.perf_counter() < deadline:
                mark = texts[i % len(texts)]
                i += 1
                started = time.perf_counter()
                if graphql:
                    response = await session.post(
                        url, json={"query": WHO, "variables": {"mark": mark}}
                    )
                    assert "errors" not in response.json(), response.text
                else:
                    response = await session.get(url, params={"mark": mark})
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(i * 7) for i in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return len(latencies) / elapsed, p50, p99, len(latencies)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_benchmark(dataset: str, marks: int, seed: int, seconds: float, connections: int) -> None:
    port = free_port()
    spawn = multiprocessing.get_context("spawn")
    server = spawn.Process(target=serve, args=(dataset, marks, seed, port), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port}"
    texts = mark_texts(dataset, marks, seed, 200)
    try:
        for _ in range(1200):
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        label = "seed" if dataset == "seed" else f"generated, {marks:,} marks"
        for name, url, graphql in (
            ("Starlette JSON (reference)", base + "/reference/who-else-uses", False),
            ("GraphQL whoElseUses", base + "/graphql", True),
        ):
            asyncio.run(load(url, texts, 1.0, connections, graphql))  # warm
            rate, p50, p99, n = asyncio.run(load(url, texts, seconds, connections, graphql))
            print(
                f"{label:<26} {name:<27} {rate:7.0f} req/s  p50 {p50:6.1f} ms  "
                f"p99 {p99:6.1f} ms  ({n} requests, {connections} connections)"
            )
    finally:
        server.terminate()
        server.join()


def _objects(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(_objects(v) for v in value)
    return 0


NESTED = """parties { name registrations { number owner { name } sources { title } }
                     uses { user { name } onBehalfOf { name } } cases { number events { date } }
                     sources { title } }
            marks { text registrations { number } uses { since } sources { title } }"""
CONFLICTS = "query($n: Int) { conflicts(first: $n) { nodes { " + NESTED + " } } }"
WHO_NESTED = """query($mark: String!, $floor: Float) {
  whoElseUses(mark: $mark, minSimilarity: $floor) {
    party { name registrations { number owner { name } } uses { since } cases { number } }
    mark { text registrations { number } } onBehalfOf { name } sources { title } } }"""


def query_counts(marks: int, seed: int) -> None:
    from kg import Settings
    from kg.analysis.service import Analyst
    from kg.api.graphql.loaders import Context
    from kg.api.graphql.runner import AnalysisRunner
    from kg.api.graphql.schema import build_schema
    from kg.store.counting import CountingStore

    graph = build_graph("generated", marks, seed)
    counting = CountingStore(graph.store)
    graph.store = counting
    schema = build_schema(Settings(graphql_max_cost=10**9))
    runner = AnalysisRunner(graph)

    def run(query: str, **variables: Any) -> tuple[int, int, float]:
        before = counting.queries
        started = time.perf_counter()
        result = asyncio.run(
            schema.execute(query, variable_values=variables, context_value=Context.build(runner))
        )
        elapsed = time.perf_counter() - started
        assert not result.errors, result.errors
        return counting.queries - before, _objects(result.data), elapsed

    print(f"\nstore queries per GraphQL request (generated, {marks:,} marks; warm caches)")
    run(CONFLICTS, n=100)
    for n in (1, 10, 50, 100):
        queries, objects, elapsed = run(CONFLICTS, n=n)
        print(
            f"  conflicts(first: {n:>3}), nested       {queries:>3} store queries  "
            f"{objects:>7,} objects in the answer  {elapsed * 1000:7.0f} ms"
        )
    analyst = Analyst(graph)
    mark = max(
        sorted(set(analyst.facts.marks.values()))[:500],
        key=lambda t: len(analyst.who_else_uses(t, min_similarity=0.5)),
    )
    run(WHO_NESTED, mark=mark, floor=0.5)
    for floor in (0.95, 0.8, 0.65, 0.5):
        queries, objects, elapsed = run(WHO_NESTED, mark=mark, floor=floor)
        hits = len(analyst.who_else_uses(mark, min_similarity=floor))
        print(
            f"  whoElseUses({mark!r}, floor {floor}) {hits:>3} hits  {queries:>3} store queries  "
            f"{objects:>7,} objects  {elapsed * 1000:7.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--marks", type=int, default=20_000, help="size of the generated registry")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    http_benchmark("seed", 0, args.seed, args.seconds, args.connections)
    http_benchmark("generated", args.marks, args.seed, args.seconds, args.connections)
    query_counts(min(args.marks, 5_000), args.seed)


if __name__ == "__main__":
    main()
