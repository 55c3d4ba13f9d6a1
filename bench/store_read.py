"""What reading a store back costs in Oxigraph itself: terms decoded per second (issue 19).

    .venv/bin/python bench/store_read.py STORE        # an on-disk store (kg load --store STORE)

`conflicts` and `who_else_uses` read holdings out of the store as strings, and at a million
marks that reading is most of their time. This prints, for the same quads in the on-disk
store and in an in-memory copy, the time of a scan that decodes no term (``COUNT(*)``), one
term a row (``SELECT ?s``), and all four (``SELECT ?s ?p ?o ?g``, and pyoxigraph's
``quads_for_pattern``), as µs a row and a term: an on-disk store resolves each IRI and long
literal by a lookup of its own (RocksDB), whatever the query, so the cost follows the number
of terms read, not the number of rows matched. Not a test: it prints figures; read the
ratios on a shared machine.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable

import pyoxigraph as ox

SCANS: dict[str, tuple[str, int]] = {
    "COUNT(*): no term decoded": ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", 0),
    "SELECT ?p: one term a row (few distinct)": ("SELECT ?p WHERE { GRAPH ?g { ?s ?p ?o } }", 1),
    "SELECT ?s: one term a row": ("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", 1),
    "SELECT ?s ?p ?o ?g: four terms a row": (
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        4,
    ),
}


def _timed(rows: Callable[[], Iterable[object]]) -> float:
    started = time.perf_counter()
    for _ in rows():
        pass
    return time.perf_counter() - started


def _measure(store: ox.Store, label: str, quads: int) -> dict[str, float]:
    seconds = {}
    for name, (query, _) in SCANS.items():
        seconds[name] = _timed(lambda q=query: store.query(q))  # type: ignore[misc]
    seconds["quads_for_pattern: four terms a row"] = _timed(
        lambda: store.quads_for_pattern(None, None, None, None)
    )
    print(f"\n{label}: {quads:,} quads")
    print("| scan | s | µs a row | µs a term |\n|---|---:|---:|---:|")
    for name, value in seconds.items():
        terms = SCANS[name][1] if name in SCANS else 4
        per_term = f"{value / quads / terms * 1e6:.2f}" if terms else "-"
        print(f"| {name} | {value:.2f} | {value / quads * 1e6:.2f} | {per_term} |")
    return seconds


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    disk = ox.Store.read_only(sys.argv[1])
    quads = len(disk)
    on_disk = _measure(disk, f"on disk ({sys.argv[1]})", quads)
    memory = ox.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    in_memory = _measure(memory, "in memory (the same quads)", quads)
    print("\non disk / in memory, per scan:")
    for name in on_disk:
        print(f"  {name}: {on_disk[name] / in_memory[name]:.1f}x")


if __name__ == "__main__":
    main()
