"""Benchmark: `kg import` of a CSV register extract, phase by phase (prints a table).

    .venv/bin/python bench/registry_import.py                 # 100,000 rows, on-disk store
    .venv/bin/python bench/registry_import.py --rows 10000 --memory

The extract is made from `kg.registries.synth` (owners, look-alike marks, skewed classes,
partial and full dates), one CSV row per synthetic registration. The phases are those of
`kg.registries.importer.import_registry`: read and map the file (`read_registry`), SHACL
validation against the store (`kg.ingest.validate.validate_quads`), and the one atomic `Store.add`.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from kg import KnowledgeGraph, Settings
from kg.ingest.validate import validate_quads
from kg.registries.importer import read_registry
from kg.registries.synth import TM, generate

HEADER = ("mark", "owner", "classes", "jurisdiction", "filing_date", "registration_date")
HEADER += ("number", "status")


def write_extract(path: Path, rows: int, seed: int) -> int:
    """A CSV extract with `rows` registrations taken from a synthetic registry."""
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in generate(rows, seed=seed):
        facts[quad.subject.value][quad.predicate.value.removeprefix(TM)].append(quad.object.value)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        written = 0
        for subject, fact in facts.items():
            if "/registration/" not in subject:
                continue
            mark = facts[fact["mark"][0]]["text"][0]
            owner = facts[fact["owner"][0]]["https://schema.org/name"][0]
            classes = ";".join(c.rsplit("/", 1)[1] for c in fact["niceClass"])
            filed = fact["filingDate"][0]
            if written % 5 == 0:
                filed = filed[:7]  # some extracts give months only
            granted = (fact.get("registrationDate") or [""])[0]
            status = "registered" if granted else "pending"
            code = fact["jurisdiction"][0].rsplit("/", 1)[1]
            number = fact["registrationNumber"][0].split("-", 1)[1]
            out.writerow([mark, owner, classes, code, filed, granted, number, status])
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory", action="store_true", help="in-memory store (default: disk)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"extract-{args.rows}.csv"
        started = time.perf_counter()
        rows = write_extract(path, args.rows, args.seed)
        print(
            f"extract: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB "
            f"(made in {time.perf_counter() - started:.1f} s)"
        )
        settings = Settings(memory=True) if args.memory else Settings(store_path=Path(folder) / "s")
        graph = KnowledgeGraph.open(settings)

        started = time.perf_counter()
        imported = read_registry(path)
        read_s = time.perf_counter() - started
        quads = list(dict.fromkeys(imported.quads))

        started = time.perf_counter()
        report = validate_quads(quads, graph.store, origins=imported.origins)
        validate_s = time.perf_counter() - started
        assert report.conforms, report.violations[:5]

        started = time.perf_counter()
        added = graph.store.add(quads)
        commit_s = time.perf_counter() - started
        graph.close()

    total = read_s + validate_s + commit_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store = "memory" if args.memory else "disk"
    print(
        f"{imported.records:,} registrations -> {len(quads):,} quads ({added:,} added), "
        f"{store} store, peak RSS {peak:,.0f} MB\n"
    )
    print("| phase | s | rows/s | quads/s |")
    print("|---|---|---|---|")
    for name, seconds in (
        ("read + map (CSV -> quads)", read_s),
        ("SHACL validation", validate_s),
        ("commit (one Store.add)", commit_s),
        ("total", total),
        ("total without validation", read_s + commit_s),
    ):
        print(f"| {name} | {seconds:.1f} | {rows / seconds:,.0f} | {len(quads) / seconds:,.0f} |")


if __name__ == "__main__":
    main()
