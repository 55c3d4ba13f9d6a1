"""Benchmark: the watch hits of a daily import, beside the import's own time (issue 20).

    .venv/bin/python bench/watch.py                     # a 100,000-mark registry
    .venv/bin/python bench/watch.py --marks 1000000     # the issue's 1M-mark registry
    .venv/bin/python bench/watch.py --registry bench/out/registry-1000000-s11.nq
                                                        # kg synth's 1M registry, kg load-ed

1. writes a synthetic registry as a USPTO Trademark Daily XML file of --marks case-files
   (`kg.registries.synth_uspto`, as `kg synth --format uspto` does) and imports it into a
   fresh on-disk store with `kg import` (not timed against anything: the set-up); or, with
   --registry, `kg load`s a registry written by `kg synth` (N-Quads: ~12 quads a mark where
   a USPTO case-file makes ~50, so a million marks load in minutes, not an hour);
2. adds --watches watches (half on mark texts of the day's file, so that there are hits; half
   on texts of the registry), some with classes, related classes or a jurisdiction;
3. writes a daily file of --daily case-files dated a week later (another seed: new serials and
   serials the registry holds, so new filings and changed records) and, in this process,
   times `import_registry` (read, map, SHACL, commit: the import's own time) and then
   `record_hits` over the graphs it wrote.

The issue's target: the hits computed within 10% of the import's own time. Not a timed test:
it prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg import KnowledgeGraph, Settings
from kg.analysis.watch_definitions import add_watch
from kg.analysis.watch_hits import record_hits
from kg.registries.importer import import_registry
from kg.registries.synth_uspto import generate_daily

KG = Path(sys.executable).parent / "kg"
_MARK = re.compile(r"<mark-identification>([^<]+)</mark-identification>")


def _write(path: Path, cases: int, seed: int, file_date: str) -> list[str]:
    """Write a daily file; return its mark texts."""
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as output:
        for chunk in generate_daily(cases, seed=seed, file_date=file_date):
            output.write(chunk)
            found = _MARK.search(chunk)
            if found:
                texts.append(found.group(1))
    return texts


def _texts(store: Path, count: int) -> list[str]:
    """Mark texts of the registry in `store`, a few times `count` of them."""
    graph = KnowledgeGraph.open(Settings(store_path=store, read_only=True))
    try:
        rows = graph.query(f"SELECT ?t WHERE {{ ?m tm:text ?t }} LIMIT {count * 20}")
        return sorted({row["t"].value for row in rows})
    finally:
        graph.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--marks", type=int, default=100_000, help="registry size (100,000)")
    parser.add_argument("--daily", type=int, default=10_000, help="daily file size (10,000)")
    parser.add_argument("--watches", type=int, default=100, help="watches (100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="keep the store here (default: a temp dir)")
    parser.add_argument(
        "--registry", type=Path, help="kg load this kg synth registry (N-Quads) instead"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        store = args.store or Path(folder) / "store"
        registry = Path(folder) / "apc-registry.xml"
        daily = Path(folder) / "apc250114.xml"
        started = time.perf_counter()
        if args.registry is None:
            registry_texts = _write(registry, args.marks, args.seed, "20250107")
            command = ["import", "--store", str(store), str(registry)]
        else:
            command = ["load", "--store", str(store), str(args.registry)]
        subprocess.run([str(KG), *command], check=True, stdout=subprocess.DEVNULL)
        what = args.registry or f"{args.marks:,} case-files"
        print(f"registry: {what} in {time.perf_counter() - started:.0f} s (set-up)")
        if args.registry is not None:
            registry_texts = _texts(store, args.watches)
        daily_texts = _write(daily, args.daily, args.seed + 1, "20250114")
        graph = KnowledgeGraph.open(Settings(store_path=store))
        try:
            started = time.perf_counter()
            texts = rng.sample(daily_texts, args.watches // 2) + rng.sample(
                registry_texts, args.watches - args.watches // 2
            )
            for number, text in enumerate(texts):
                classes = [rng.choice((9, 25, 35, 42))] if number % 3 == 0 else []
                add_watch(
                    graph,
                    text,
                    owner=f"client {number}",
                    classes=classes,
                    related_classes=number % 6 == 0,
                    jurisdictions=["US"] if number % 5 == 0 else [],
                    min_score=0.8,
                )
            print(f"watches: {len(texts)} added in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            report = import_registry(graph, [daily])
            imported = time.perf_counter() - started
            started = time.perf_counter()
            hits = record_hits(graph, report.graphs)
            computed = time.perf_counter() - started
        finally:
            graph.close()
    print(
        f"daily file: {report.records:,} records ({report.history:,} updating the registry), "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'import (its own time)':<26} {imported:8.2f} s")
    print(f"{'watch hits':<26} {computed:8.2f} s  ({hits} hits)")
    print(f"hits / import: {computed / imported:.1%} (target: within 10%)")


if __name__ == "__main__":
    main()
