"""What tmkg's ORDER BY keys cost, beside the engine's own sort of the same query.

`/sparql` and `kg query` put the kind of term before each ORDER BY condition
(`kg.sparql.total_order.kinds_apart`), and after a crash split each condition into total keys
(`totally_ordered`). For a synthetic registry (`kg synth`, loaded with `kg load`), each query
runs in the same process as written (the reference), with the kind keys, and with the total
keys, in turns; prints the medians and the ratios to the reference.

    .venv/bin/python bench/order_by.py [--marks 100000] [--rounds 5] [--store PATH]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.sparql.total_order import kinds_apart, totally_ordered

KG = Path(sys.executable).parent / "kg"
QUERIES = [
    "SELECT ?d { ?r tm:filingDate ?d } ORDER BY ?d LIMIT 10",
    "SELECT ?r ?d { ?r tm:filingDate ?d } ORDER BY DESC(?d) ?r",
    "SELECT ?m ?t { ?m tm:text ?t } ORDER BY ?t LIMIT 100",
    "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
]  # not `{ ?s ?p ?o } ORDER BY ?o`: as written it can abort the process (engine fault 1)


def _seconds(store: ox.Store, query: str) -> float:
    started = time.perf_counter()
    for _ in store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES):
        pass
    return time.perf_counter() - started


def measure(store: ox.Store, rounds: int) -> None:
    print("| query | as written ms | kind keys ms | ratio | total keys ms | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for query in QUERIES:
        texts = (query, kinds_apart(query), totally_ordered(query))
        times: list[list[float]] = [[], [], []]
        for _ in range(rounds):
            for index, text in enumerate(texts):
                times[index].append(_seconds(store, text))  # type: ignore[arg-type]
        plain, kinds, total = (statistics.median(t) * 1000 for t in times)
        print(
            f"| `{query}` | {plain:,.1f} | {kinds:,.1f} | {kinds / plain:.2f}x | "
            f"{total:,.1f} | {total / plain:.2f}x |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--marks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--store", type=Path, help="an existing store (read only)")
    args = parser.parse_args()
    if args.store is not None:
        measure(ox.Store.read_only(str(args.store)), args.rounds)
        return
    with tempfile.TemporaryDirectory(prefix="tmkg-order-by-") as folder:
        data, store_path = Path(folder) / "synth.nq", Path(folder) / "store"
        subprocess.run([str(KG), "synth", "--marks", str(args.marks), "-o", str(data)], check=True)
        subprocess.run(
            [str(KG), "load", "--store", str(store_path), str(data)],
            check=True,
            capture_output=True,
        )
        print(f"{args.marks:,} marks (kg synth), {args.rounds} rounds, medians")
        measure(ox.Store.read_only(str(store_path)), args.rounds)


if __name__ == "__main__":
    main()
