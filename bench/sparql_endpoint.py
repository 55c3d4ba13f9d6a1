"""`/sparql` beside Oxigraph's own server on the same data: selective queries per second.

One run prints, for each of three selective queries, the queries/s, p50 latency and server
CPU time per query of tmkg's `/sparql` (a real `kg serve`: confined worker processes, time
and row limits) beside ``oxigraph serve-read-only --union-default-graph`` (Oxigraph's Rust
HTTP server, ``/query``) on the same store, and the ratio of queries/s. Both servers run
at once and take turns, query by query, for `--rounds` rounds (medians are printed; the
machine may be shared), each turn with `--clients` concurrent keep-alive HTTP/1.1 clients
(threads with `http.client`, a light client, so that the servers are what is measured; or
httpx, as applications use) asking JSON results for a different random registration, owner
or mark text at each request. Then the per-query overhead of the worker pool beside the
same query run in-process.

The synthetic registry (`kg.registries.synth`, as `kg synth`) is generated once into
bench/out/ (gitignored) and loaded there once with ``oxigraph load`` and ``oxigraph
optimize``; ``kg serve`` adds the seed case and its mark index on its first start, which at
a million marks keys every text first (~35 minutes). ``--store PATH`` serves a store made by
``kg load`` instead (it holds its mark index; ``kg serve --no-seed`` starts in seconds), both
servers reading it: bench/scale.py passes the store it loaded.

    .venv/bin/python bench/sparql_endpoint.py                  # 100,000 marks
    .venv/bin/python bench/sparql_endpoint.py --marks 10000 --rounds 1   # a quick check
    .venv/bin/python bench/sparql_endpoint.py --store ~/.local/share/tmkg/store
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from scale import dataset  # bench/scale.py: the registry file, generated once per size

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
TM = "https://w3id.org/tmkg/ontology#"
ID = "https://w3id.org/tmkg/id/"
JSON_RESULTS = "application/sparql-results+json"

# Full PREFIX declarations: Oxigraph's server knows none of tmkg's default prefixes.
QUERIES: dict[str, str] = {
    "registration by number": f"""PREFIX tm: <{TM}>
SELECT ?registration ?mark ?text ?owner ?filed WHERE {{
  ?registration tm:registrationNumber "{{number}}" ; tm:mark ?mark ; tm:owner ?owner ;
    tm:filingDate ?filed .
  ?mark tm:text ?text .
}}""",
    "an owner's marks": f"""PREFIX tm: <{TM}>
SELECT ?mark ?text ?number WHERE {{
  ?registration tm:owner <{ID}party/synthetic-{{owner}}> ; tm:mark ?mark ;
    tm:registrationNumber ?number .
  ?mark tm:text ?text .
}} LIMIT 100""",
    "marks with a text": f"""PREFIX tm: <{TM}>
SELECT ?mark ?registration WHERE {{
  ?mark tm:text "{{text}}" . ?registration tm:mark ?mark .
}}""",
}


def store(marks: int, seed: int) -> Path:
    """An on-disk store holding the registry, bulk-loaded once with ``oxigraph load``."""
    folder = OUT / f"sparql-endpoint-{marks}-s{seed}"
    done = folder / "loaded"
    if not done.exists():
        data = dataset(marks, seed)
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "oxigraph"),
                "load",
                "--location",
                str(folder / "store"),
                "--file",
                str(data),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        optimize = [str(BIN / "oxigraph"), "optimize", "--location", str(folder / "store")]
        subprocess.run(optimize, check=True)  # compacted, as Oxigraph advises for reading
        print(f"oxigraph load + optimize of {data.name}: {time.perf_counter() - started:.1f} s")
        done.write_text("ok\n")
    return folder / "store"


def parameters(location: Path, count: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """Random values for each query's placeholder, read from the store itself."""
    import pyoxigraph as ox

    source = ox.Store.read_only(str(location))
    rng = random.Random(seed)
    rows = list(
        source.query(
            f"SELECT ?n ?t WHERE {{ ?r <{TM}registrationNumber> ?n ; <{TM}mark> ?m . "
            f"?m <{TM}text> ?t }} LIMIT 20000",
            use_default_graph_as_union=True,
        )
    )
    picked = rng.sample(rows, min(count, len(rows)))
    owners = int(
        next(
            iter(
                source.query(
                    f"SELECT (COUNT(*) AS ?c) WHERE {{ ?o a <{TM}Company> }}",
                    use_default_graph_as_union=True,
                )
            )
        )[0].value
    )
    del source
    tail = range(min(100, owners - 1), owners)  # not the few owners of thousands of marks
    return {
        "registration by number": [{"number": row[0].value} for row in picked],
        "an owner's marks": [{"owner": str(rng.choice(tail))} for _ in range(count)],
        "marks with a text": [{"text": row[1].value} for row in picked],
    }


def fill(template: str, values: dict[str, str]) -> str:
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value.replace("\\", "\\\\").replace('"', '\\"'))
    return text


def load(
    port: int, path: str, texts: list[str], clients: int, seconds: float, kind: str = "stdlib"
) -> tuple[int, float, float]:
    """(answers, seconds, p50 ms): `clients` keep-alive connections (threads, each with a
    `_client` of `kind`) asking GET path?query= with each text in turn."""
    targets = [f"{path}?{urlencode({'query': text})}" for text in texts]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    stop = time.perf_counter() + seconds
    barrier = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        get = _client(kind, port)
        mine = latencies[number]
        index = number
        barrier.wait()
        while time.perf_counter() < stop:
            began = time.perf_counter()
            status, body = get(targets[index % len(targets)])
            if status != 200:
                failures.append(f"{status}: {body[:200]!r}")
                break
            mine.append(time.perf_counter() - began)
            index += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"a query failed: {failures[0]}")
    every = sorted(x for mine in latencies for x in mine)
    return len(every), elapsed, 1000 * every[len(every) // 2]


def _client(kind: str, port: int) -> Callable[[str], tuple[int, bytes]]:
    """A keep-alive client's GET, Accept JSON results: the standard library's `http.client`
    (light: the servers are what is measured), or httpx (heavier, as applications use)."""
    headers = {"Accept": JSON_RESULTS}
    if kind == "httpx":
        import httpx

        session = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

        def get_httpx(target: str) -> tuple[int, bytes]:
            response = session.get(target, headers=headers)
            return response.status_code, response.content

        return get_httpx
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(target: str) -> tuple[int, bytes]:
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    return get


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants (Linux)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue  # gone meanwhile
    return total


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    ask = f"{path}?{urlencode({'query': 'ASK {}'})}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", ask, headers={"Accept": JSON_RESULTS})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


class Server:
    """A server under test, started here: its process, port and query path."""

    def __init__(self, name: str, command: list[str], port: int, path: str) -> None:
        self.name, self.port, self.path = name, port, path
        self._log = (OUT / f"sparql-endpoint-{name}.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)

    def measure(self, texts: list[str], args: argparse.Namespace) -> tuple[float, float, float]:
        """(queries/s, p50 ms, server CPU µs per answered query, its workers included)."""
        load(self.port, self.path, texts, args.clients, args.warmup, args.client)
        cpu = process_tree_cpu(self.process.pid)
        answers, elapsed, p50 = load(
            self.port, self.path, texts, args.clients, args.seconds, args.client
        )
        cpu = process_tree_cpu(self.process.pid) - cpu
        return answers / elapsed, p50, 1e6 * cpu / answers

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self._log.close()


def compare(
    servers: list[Server], queries: dict[str, list[str]], args: argparse.Namespace
) -> dict[str, dict[str, list[tuple[float, float, float]]]]:
    """Each server's figures per query and round; the servers take turns query by query, so
    a change in the machine's load between rounds hits both alike."""
    figures: dict[str, dict[str, list[tuple[float, float, float]]]] = {
        server.name: {label: [] for label in queries} for server in servers
    }
    for _ in range(args.rounds):
        for label, texts in queries.items():
            for server in servers:
                figures[server.name][label].append(server.measure(texts, args))
    return figures


def per_query_overhead(location: Path, text: str, rounds: int) -> None:
    """Median latency of one query in-process beside through the worker pool (no HTTP)."""
    import pyoxigraph as ox

    from kg.config import Settings
    from kg.graph import KnowledgeGraph
    from kg.sparql.workers import QueryJob, QueryWorkerPool

    native = ox.Store.read_only(str(location))
    graph = KnowledgeGraph.open(Settings(store_path=location, read_only=True))
    pool = QueryWorkerPool(graph.store, size=1)
    job = QueryJob(text)
    pool.run(job, timeout=30)
    direct: list[float] = []
    pooled: list[float] = []
    for _ in range(rounds):
        began = time.perf_counter()
        native.query(text, use_default_graph_as_union=True).serialize(  # type: ignore[union-attr]
            format=ox.QueryResultsFormat.JSON
        )
        direct.append(time.perf_counter() - began)
        began = time.perf_counter()
        pool.run(job, timeout=30)
        pooled.append(time.perf_counter() - began)
    pool.close()
    graph.close()
    d, p = 1000 * statistics.median(direct), 1000 * statistics.median(pooled)
    print(
        f"one query, median of {rounds}: in-process {d:.3f} ms, via a worker {p:.3f} ms "
        f"(+{p - d:.3f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--marks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--seconds", type=float, default=2.0, help="per query, server, round")
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--client",
        choices=["stdlib", "httpx"],
        default="stdlib",
        help="the HTTP client library (default: http.client, the lighter one)",
    )
    parser.add_argument("--workers", type=int, default=2, help="kg serve --query-workers")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--rounds", type=int, default=3, help="turns of each server per query")
    parser.add_argument("--overhead-rounds", type=int, default=300)
    parser.add_argument(
        "--store",
        type=Path,
        help="serve this store, made by `kg load` (its mark index built), instead of "
        "generating and bulk-loading --marks",
    )
    args = parser.parse_args()

    location = args.store or store(args.marks, args.seed)
    values = parameters(location, 2000, args.seed)
    queries = {
        label: [fill(template, v) for v in values[label]] for label, template in QUERIES.items()
    }
    kg = [
        str(BIN / "kg"),
        "serve",
        "--store",
        str(location),
        "--port",
        str(args.port),
        "--query-workers",
        str(args.workers),
        *(["--no-seed"] if args.store else []),
    ]
    oxigraph = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{args.port + 1}",
        "--union-default-graph",
    ]
    servers = [Server("tmkg", kg, args.port, "/sparql")]
    try:
        # the seed and the mark index of every text, on a first start without --store
        wait_ready(args.port, "/sparql", servers[0].process, timeout=3600)
        servers.append(Server("oxigraph", oxigraph, args.port + 1, "/query"))
        wait_ready(args.port + 1, "/query", servers[1].process, timeout=60)
        figures = compare(servers, queries, args)
    finally:
        for server in servers:
            server.stop()

    print(
        f"\n{args.store or f'{args.marks:,} marks'}, {args.clients} keep-alive {args.client} "
        "clients, JSON results, "
        f"--query-workers {args.workers}; medians of {args.rounds} rounds of {args.seconds:g} s, "
        "the servers taking turns"
    )
    print(
        f"{'query':<24} {'tmkg q/s':>9} {'p50 ms':>7} {'CPU µs':>7} {'oxigraph q/s':>13} "
        f"{'p50 ms':>7} {'CPU µs':>7} {'ratio':>6} {'(range)':>11}"
    )
    ratios = []
    for label in QUERIES:
        ours, theirs = figures["tmkg"][label], figures["oxigraph"][label]
        each = sorted(a[0] / b[0] for a, b in zip(ours, theirs, strict=True))
        ratios.append(statistics.median(each))
        median = [statistics.median(f[k] for f in ours) for k in range(3)]
        reference = [statistics.median(f[k] for f in theirs) for k in range(3)]
        print(
            f"{label:<24} {median[0]:>9.0f} {median[1]:>7.2f} {median[2]:>7.0f} "
            f"{reference[0]:>13.0f} {reference[1]:>7.2f} {reference[2]:>7.0f} "
            f"{ratios[-1]:>6.0%} {f'{each[0]:.0%}-{each[-1]:.0%}':>11}"
        )
    print(f"{'q/s ratio, geometric mean':<26} {statistics.geometric_mean(ratios):>66.0%}")
    print("(CPU µs: the server's own CPU time per answered query, its worker processes included)")
    print(json.dumps(figures), file=sys.stderr)
    per_query_overhead(location, queries["registration by number"][0], args.overhead_rounds)


if __name__ == "__main__":
    main()
