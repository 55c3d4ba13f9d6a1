"""What running SPARQL Update in a confined worker costs, beside the engine's own update.

For each size, a synthetic registry (`kg synth`) is loaded into an on-disk store; then a
small update (one INSERT DATA, one DELETE WHERE) runs (1) through `SparqlService.update` —
a copy of the store, the update in a worker, the copy dumped before and after to find the
quads it changed, and those applied in one transaction — and (2) directly with
`pyoxigraph.Store.update` on a copy of the same store (the reference: no isolation). Prints
the median of each and their ratio.

    .venv/bin/python bench/sparql_update.py [--sizes 1000,10000,100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg import KnowledgeGraph, Settings
from kg.sparql.service import SparqlService

KG = Path(sys.executable).parent / "kg"
UPDATES = [
    "INSERT DATA { GRAPH <urn:bench:g> { <urn:bench:s> <urn:bench:p> 1 } }",
    "DELETE WHERE { GRAPH <urn:bench:g> { ?s ?p ?o } }",
]


def measure(marks: int, rounds: int, folder: Path) -> None:
    data = folder / f"synth-{marks}.nq"
    store_path = folder / f"store-{marks}"
    subprocess.run([str(KG), "synth", "--marks", str(marks), "-o", str(data)], check=True)
    subprocess.run(
        [str(KG), "load", "--store", str(store_path), str(data)], check=True, capture_output=True
    )
    settings = Settings(store_path=store_path, update_token="bench")
    graph = KnowledgeGraph.open(settings)
    quads = graph.store.count()
    service = SparqlService(graph, settings)
    service.start()
    isolated = []
    for _ in range(rounds):
        for update in UPDATES:
            started = time.perf_counter()
            service.update(update, token="bench")
            isolated.append(time.perf_counter() - started)
    service.close()
    graph.close()
    reference_path = folder / f"reference-{marks}"
    shutil.copytree(store_path, reference_path)
    reference_store = ox.Store(str(reference_path))
    direct = []
    for _ in range(rounds):
        for update in UPDATES:
            started = time.perf_counter()
            reference_store.update(update)
            direct.append(time.perf_counter() - started)
    del reference_store
    worker, engine = statistics.median(isolated), statistics.median(direct)
    print(
        f"{marks:>8,} marks {quads:>10,} quads: worker update p50 {1000 * worker:9.1f} ms, "
        f"engine's own update p50 {1000 * engine:7.2f} ms, ratio {worker / engine:8.0f}x",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tmkg-bench-update-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            measure(size, args.rounds, Path(folder))


if __name__ == "__main__":
    main()
