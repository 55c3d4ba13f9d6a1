"""The load test, long form: a real `kg serve` on loopback, SPARQL and GraphQL clients reading
for 60 s while a loader adds batches through POST /load; prints requests, failures, 5xx, torn
reads and latency per kind (p50/p99). It stops by itself.

    .venv/bin/python bench/load_test.py [--seconds 60] [--sparql-clients 3]
        [--graphql-clients 3] [--interval 0.25] [--json FILE]

The short form (10 s) runs in the default test suite: tests/test_hardening_load.py. The
engine, and what counts as a torn read, is tests/traffic.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import KnowledgeGraph, Settings  # noqa: E402
from tests.sparql_support import SparqlServer  # noqa: E402
from tests.traffic import run_traffic  # noqa: E402

TOKEN = "bench-load-test-token"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--sparql-clients", type=int, default=3)
    parser.add_argument("--graphql-clients", type=int, default=3)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between loads")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tmkg-load-test-") as folder:
        store = Path(folder) / "store"
        with KnowledgeGraph.open(Settings(store_path=store)) as graph:
            graph.load_seed()
        with SparqlServer("--store", store, env={"KG_UPDATE_TOKEN": TOKEN}) as server:
            print(
                f"load test: {args.seconds:g} s, {args.sparql_clients} SPARQL + "
                f"{args.graphql_clients} GraphQL clients, a load every {args.interval:g} s, "
                f"against {server.url}",
                flush=True,
            )
            report = run_traffic(
                server.url,
                TOKEN,
                seconds=args.seconds,
                sparql_clients=args.sparql_clients,
                graphql_clients=args.graphql_clients,
                load_interval=args.interval,
            )
    print("\n".join(report.lines()))
    for problem in report.problems:
        print("problem:", problem)
    if args.json:
        args.json.write_text(json.dumps(report.figures(), indent=2) + "\n", encoding="utf-8")
    clean = report.failures == report.server_errors == report.torn_reads == 0
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
