"""Peak memory and time of building the mark index for N synthetic marks (issue 19).

    .venv/bin/python bench/mark_index_memory.py 100000
    .venv/bin/python bench/mark_index_memory.py --store STORE   # the marks of an on-disk store

The marks (`kg synth`'s registry, seed 7, or those of the store named) are read once and kept
as JSON in bench/out/; the process then starts again, so that its baseline holds no store.
It prints the resident memory before, the peak while `MarkIndex.sync` keys the marks and
while `compare_new_texts` finds the similar pairs (a thread samples /proc/self/status every
50 ms, Linux), and the size of the index file written. Not a test: it prints figures; run
it at two commits one after the other (or side by side, from two worktrees) to compare.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from kg.analysis.facts import FactBase
from kg.analysis.mark_index import MarkIndex
from kg.config import Settings
from kg.graph import KnowledgeGraph
from kg.registries.synth import generate
from kg.store import open_store


def _rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    if sys.argv[1:2] == ["--store"]:
        store_path = Path(sys.argv[2]).resolve()
        cached = Path(__file__).parent / "out" / f"marks-{store_path.name}.json"
    else:
        store_path = None
        marks_count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
        cached = Path(__file__).parent / "out" / f"marks-{marks_count}-s7.json"
    if not cached.exists():
        cached.parent.mkdir(exist_ok=True)
        if store_path is not None:
            graph = KnowledgeGraph.open(Settings(store_path=store_path, read_only=True))
        else:
            store = open_store("memory")
            store.add(generate(marks_count, seed=7))
            graph = KnowledgeGraph(store)
        # the store's marks only: its own mark index is neither opened nor changed
        cached.write_text(json.dumps(FactBase(graph.store).marks))
        os.execv(sys.executable, [sys.executable, *sys.argv])  # a baseline without the store
    marks = json.loads(cached.read_text())
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()
    base = _rss_mb()
    index_file = Path(tempfile.mkdtemp()) / "bench.marks.sqlite"
    index = MarkIndex(index_file)
    started = time.perf_counter()
    index.sync(marks)
    synced, synced_peak = time.perf_counter(), peak[0]
    index.compare_new_texts()
    compared = time.perf_counter()
    done.set()
    index.close()  # checkpoints the write-ahead log into the file
    size = sum(f.stat().st_size for f in index_file.parent.glob(f"{index_file.name}*"))
    print(
        f"{len(marks):,} marks: baseline {base} MB; sync {synced - started:.1f} s, peak "
        f"{synced_peak} MB; compare {compared - synced:.1f} s, peak {max(peak[0], synced_peak)} "
        f"MB; index file {size / 1e6:.0f} MB"
    )
    for leftover in index_file.parent.iterdir():
        leftover.unlink()
    index_file.parent.rmdir()


if __name__ == "__main__":
    main()
