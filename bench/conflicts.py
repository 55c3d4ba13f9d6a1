"""Benchmark: `conflicts` and `who_else_uses` on synthetic registries (prints a table).

    .venv/bin/python bench/conflicts.py [--sizes 10000,100000] [--seed 7]

For each size: load time (in-memory Oxigraph, no SHACL), total `conflicts` time (reading the
holdings from the store included), candidate text pairs compared vs all pairs, recall of the
blocking against brute-force all-pairs comparison on a sample, and `who_else_uses` p50/p99.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from itertools import combinations

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.service import Analyst
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare
from kg.graph import KnowledgeGraph
from kg.registries.synth import generate
from kg.store import open_store


def run(size: int, seed: int, sample: int) -> dict[str, object]:
    store = open_store("memory")
    started = time.perf_counter()
    store.add(generate(size, seed=seed))
    graph = KnowledgeGraph(store)
    load_s = time.perf_counter() - started
    analyst = Analyst(graph)

    started = time.perf_counter()
    conflicts = analyst.conflicts()
    conflicts_s = time.perf_counter() - started

    texts = sorted(set(analyst.facts.marks.values()))
    rng = random.Random(seed)
    picked = rng.sample(texts, min(sample, len(texts)))
    brute = {
        (a, b) if a < b else (b, a)
        for a, b in combinations(picked, 2)
        if compare(a, b).score >= DEFAULT_MIN_SIMILARITY
    }
    blocked = candidate_text_pairs(picked)
    recall = len(brute & blocked) / len(brute) if brute else 1.0

    queries = rng.sample(texts, 200)
    latencies = []
    for text in queries:
        started = time.perf_counter()
        analyst.who_else_uses(text)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "marks": size,
        "quads": store.count(),
        "load s": round(load_s, 1),
        "conflicts s": round(conflicts_s, 2),
        "conflicts found": len(conflicts),
        "sample": len(picked),
        "similar pairs in sample": len(brute),
        "blocking recall": round(recall, 3),
        "who_else_uses p50 ms": round(statistics.median(latencies), 2),
        "who_else_uses p99 ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=2000, help="marks in the brute-force sample")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"running {size} marks ...", file=sys.stderr)
        rows.append(run(size, args.seed, args.sample))
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = float(last["conflicts s"]) / max(float(first["conflicts s"]), 1e-9)  # type: ignore[arg-type]
        scale = int(last["marks"]) / int(first["marks"])  # type: ignore[arg-type]
        print(f"\nconflicts time grew {growth:.1f}x for {scale:.0f}x the marks")


if __name__ == "__main__":
    main()
