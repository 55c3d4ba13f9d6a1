"""Benchmark: `kg import` of a USPTO Trademark Daily XML file, beside the reader alone.

    .venv/bin/python bench/import_uspto.py                    # 100,000 case-files
    .venv/bin/python bench/import_uspto.py --cases 20000 --keep /tmp/apc.xml

Writes a synthetic daily file (`kg.registries.synth_uspto`, as `kg synth --format uspto`
does), then measures, each in a subprocess of its own so that its peak RSS is its own
(``os.wait4``, the rusage of that one child):

1. lxml's bare ``iterparse`` of the file (each case-file cleared, nothing read): the floor;
2. the reader alone (`kg.registries.uspto_daily.read_uspto_daily`, every record built);
3. ``kg import`` end to end into a fresh on-disk store (read, map, SHACL, one transaction).

(1) and (2) are timed inside their process (the loop only, without Python's start-up); (3)
is the command's wall time.

The issue's target for (3) is >= 2,000 case-files/s with a peak RSS under 1 GB on 2 cores.
Not a timed test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.registries.synth_uspto import generate_daily

KG = Path(sys.executable).parent / "kg"
BARE = """
import sys, time
from lxml import etree
count, started = 0, time.perf_counter()
for _, case in etree.iterparse(sys.argv[1], events=("end",), tag="case-file",
                               load_dtd=False, no_network=True, resolve_entities=False):
    count += 1
    case.clear()
    while case.getprevious() is not None:
        del case.getparent()[0]
print(count, time.perf_counter() - started)
"""
READER = """
import sys, time
from pathlib import Path
from kg.registries.records import RowErrors
from kg.registries.uspto_daily import read_uspto_daily
path = Path(sys.argv[1])
errors = RowErrors(str(path))
started = time.perf_counter()
records, tally = read_uspto_daily(path, None, errors)
print(sum(1 for _ in records), time.perf_counter() - started)
"""


def measure(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB, of this child and the children it waited for) and
    standard output of `command`, from ``os.wait4`` (the rusage of that one child)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{err.read()[-2000:]}")
        return seconds, usage.ru_maxrss // 1024, out.read().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="case-files (100,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / f"apc-synthetic-{args.cases}.xml"
        started = time.perf_counter()
        with path.open("w", encoding="utf-8") as output:
            output.writelines(generate_daily(args.cases, seed=args.seed))
        size = path.stat().st_size
        print(
            f"file: {args.cases:,} case-files, {size / 1e6:.0f} MB "
            f"(written in {time.perf_counter() - started:.1f} s)"
        )
        python = sys.executable
        runs = [
            ("lxml iterparse alone", [python, "-c", BARE, str(path)]),
            ("uspto_daily reader", [python, "-c", READER, str(path)]),
            ("kg import (disk store)", [str(KG), "import", "--store", f"{folder}/s", str(path)]),
        ]
        env_note = f"{os.cpu_count()} CPUs"
        print(f"{'run':<24} {'seconds':>8} {'case-files/s':>13} {'peak RSS':>9}  ({env_note})")
        for name, command in runs:
            seconds, peak, out = measure(command)
            if not name.startswith("kg import"):  # the loop's own time, without start-up
                seconds = float(out.split()[1])
            print(f"{name:<24} {seconds:8.1f} {args.cases / seconds:13,.0f} {peak:>6} MiB")
            if name.startswith("kg import"):
                print(f"  {out}")
        print("target (issue 14): kg import >= 2,000 case-files/s, peak RSS < 1 GB")


if __name__ == "__main__":
    main()
