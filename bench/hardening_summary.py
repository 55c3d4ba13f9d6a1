"""Run the hardening tests and print their figures: inputs tried, errors as expected, quads
lost, crashes survived, requests served under load (failures, 5xx, torn reads, p99).

    .venv/bin/python bench/hardening_summary.py [--slow] [--load-seconds 60] [--json FILE]

The tests are tests/test_hardening_*.py (the bad-input corpus, crash safety, access, the
short load test, the property tests) and tests/test_security_*.py (issue 11: outbound
requests, engine crashes, memory and time bombs, event-loop stalls, output injection, Host
headers); --slow adds the crash tests on 100,000 marks, and
--load-seconds runs bench/load_test.py's long form too (0 to skip). Each test records what
it saw (tests/hardening_support.py); this script sums the records. The same summary ends
every pytest run that includes these tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hardening_support import read_records, summary, summary_lines  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", action="store_true", help="include the 100,000-mark crashes")
    parser.add_argument(
        "--load-seconds", type=float, default=60, help="the long load test (0: skip it)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tmkg-hardening-") as folder:
        records_file = Path(folder) / "records.jsonl"
        environment = {**os.environ, "KG_HARDENING_RECORDS": str(records_file)}
        tests = sorted(
            str(p.relative_to(ROOT))
            for pattern in ("test_hardening_*.py", "test_security_*.py")
            for p in (ROOT / "tests").glob(pattern)
        )
        marker = [] if args.slow else ["-m", "not slow"]
        tested = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *marker, *tests],
            cwd=ROOT,
            env=environment,
            check=False,
        )
        if args.load_seconds:
            load_file = Path(folder) / "load.json"
            loaded = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "load_test.py"),
                    "--seconds",
                    str(args.load_seconds),
                    "--json",
                    str(load_file),
                ],
                cwd=ROOT,
                check=False,
            )
            if load_file.exists():
                with records_file.open("a", encoding="utf-8") as records:
                    figures = json.loads(load_file.read_text(encoding="utf-8"))
                    records.write(json.dumps({"kind": "load", **figures}) + "\n")
        else:
            loaded = None
        records = read_records(records_file)
    print("\nhardening summary")
    print("\n".join("  " + line for line in summary_lines(records)))
    if args.json:
        args.json.write_text(json.dumps(summary(records), indent=2) + "\n", encoding="utf-8")
    failed = tested.returncode != 0 or (loaded is not None and loaded.returncode != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
