"""Benchmark: `conflicts` and `who_else_uses` on synthetic registries (prints a table).

    .venv/bin/python bench/conflicts.py [--sizes 10000,100000] [--seed 7] [--added 10000]

For each size (in-memory Oxigraph, no SHACL; the mark index in a SQLite file, as beside an
on-disk store), in one run:

- ``scratch s``: today's full recomputation, as before the index kept pairs: every holding
  read, candidate pairs found by blocking, each compared (`find_conflicts` without the index);
- ``cold s``: the index built from nothing (``index s``: keys and similar pairs of every text)
  and then `conflicts` reading it: the first run over a store;
- ``synced s``: `conflicts` with the index already synced (as after `kg load`/`kg import`);
- ``+N sync s`` / ``+N conflicts s``: after adding `--added` more marks, the index update
  (what `kg import` does after writing) and then `conflicts`;
- ``recall``: of the similar pairs found by brute force (all pairs of a sample of texts),
  the share the index holds (and, as before, the share blocking finds);
- ``identical``: whether the index's answer equals the full recomputation's;
- `who_else_uses` p50/p99.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

from kg.analysis.conflicts import candidate_text_pairs, find_conflicts
from kg.analysis.coverage import read_coverage
from kg.analysis.dates import PartialDate
from kg.analysis.lifecycle import on_date
from kg.analysis.mark_index import MarkIndex
from kg.analysis.model import ConflictPair
from kg.analysis.service import Analyst, _Shared, index_marks
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare
from kg.graph import KnowledgeGraph
from kg.registries.synth import generate, renamed
from kg.store import open_store


def run(size: int, seed: int, sample: int, added: int, folder: Path) -> dict[str, object]:
    store = open_store("memory")
    started = time.perf_counter()
    store.add(generate(size, seed=seed))
    graph = KnowledgeGraph(store)
    load_s = time.perf_counter() - started
    shared = graph.__dict__["_analysis"] = _Shared(graph)  # the index in a file, not memory
    shared.index = MarkIndex(folder / f"bench-{size}.marks.sqlite")
    analyst = Analyst(graph)

    started = time.perf_counter()
    scratch = _from_scratch(analyst)
    scratch_s = time.perf_counter() - started

    graph.changed()  # a new state: the facts are read again, the index is built from nothing
    started = time.perf_counter()
    index_marks(graph)  # what `kg load` and `kg import` do after writing
    index_s = time.perf_counter() - started
    conflicts = analyst.conflicts()
    cold_s = time.perf_counter() - started

    graph.changed()  # the index is synced: only reading the store and the pairs remains
    started = time.perf_counter()
    again = analyst.conflicts()
    synced_s = time.perf_counter() - started

    store.add(renamed(generate(added, seed=seed + 1), "added"))
    graph.changed()
    started = time.perf_counter()
    keyed = index_marks(graph)
    added_sync_s = time.perf_counter() - started
    started = time.perf_counter()
    after = analyst.conflicts()
    added_s = time.perf_counter() - started
    assert keyed == added, (keyed, added)

    texts = sorted(set(analyst.facts.marks.values()))
    rng = random.Random(seed)
    picked = rng.sample(texts, min(sample, len(texts)))
    brute = {
        (a, b) if a < b else (b, a)
        for a, b in combinations(picked, 2)
        if compare(a, b).score >= DEFAULT_MIN_SIMILARITY
    }
    chosen = set(picked)
    stored = {
        (a, b)
        for a, b, _ in analyst.facts.mark_index.similar_pairs()
        if a in chosen and b in chosen
    }
    blocked = candidate_text_pairs(picked)

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
        "scratch s": round(scratch_s, 1),
        "cold s": round(cold_s, 1),
        "index s": round(index_s, 1),
        "synced s": round(synced_s, 1),
        f"+{added} sync s": round(added_sync_s, 1),
        f"+{added} conflicts s": round(added_s, 1),
        "conflicts found": len(conflicts),
        "identical": conflicts == again == scratch,  # no oppositions: nothing added to them
        f"after +{added}": len(after),
        "sample": len(picked),
        "similar pairs in sample": len(brute),
        "index recall": round(len(brute & stored) / len(brute), 3) if brute else 1.0,
        "blocking recall": round(len(brute & blocked) / len(brute), 3) if brute else 1.0,
        "who_else_uses p50 ms": round(statistics.median(latencies), 2),
        "who_else_uses p99 ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
    }


def _from_scratch(analyst: Analyst) -> list[ConflictPair]:
    """`Analyst.conflicts` as it was before the index kept similar pairs."""
    facts = analyst.facts
    when = PartialDate.today()
    holdings = read_coverage(facts, on_date(facts.holdings(), when), when)
    iris = {h.party for h in holdings} | {h.on_behalf_of for h in holdings if h.on_behalf_of}
    return find_conflicts(
        holdings,
        parties=facts.parties(iris),
        sources=facts.sources,
        relatedness=facts.relatedness,
        cases=facts.case_parties_on(when),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=2000, help="marks in the brute-force sample")
    parser.add_argument("--added", type=int, default=10000, help="marks added after the load")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tmkg-bench-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"running {size} marks ...", file=sys.stderr)
            rows.append(run(size, args.seed, args.sample, args.added, Path(folder)))
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        scale = int(last["marks"]) / int(first["marks"])  # type: ignore[arg-type]
        for column in ("scratch s", "index s", "synced s", f"+{args.added} sync s"):
            growth = float(last[column]) / max(float(first[column]), 1e-9)  # type: ignore[arg-type]
            print(f"{column} grew {growth:.1f}x for {scale:.0f}x the marks")


if __name__ == "__main__":
    main()
