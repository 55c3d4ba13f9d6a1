"""The SHACL scans of a streamed load, run in a second process beside the rest of the checks.

pyoxigraph holds the GIL while it evaluates a query, so two threads take as long as one. A
streamed load (`kg.ingest.stream_load`) judges a file with two independent sets of reads: the
shapes (`kg.ingest.shacl_scan`, ~4 s for a million statements) and the dates' order
(`kg.ingest.validate_store`, less). This module runs the first in a child process that opens
a checkpoint of the staged store read-only (nothing writes to it meanwhile), so the two use
both cores; with a claims folder (`Claims`) the loading process, its own checks done, takes
the scans the child has not started yet, and each runs what it claimed. The child prints its
findings as JSON lines; if it fails for any reason, `ScanWorker.findings` returns None and
the caller runs the scans itself.

    python -m kg.ingest.scan_worker STORE_PATH PARENT_PID [CLAIMS_FOLDER]

The child asks the kernel to kill it when the parent dies, itself, first thing: a
``preexec_fn`` would make `subprocess` fork and run Python in the copy before ``exec``, and
that copy holds every descriptor of the parent meanwhile, the store's writer lock among them
(`kg.store.writer_lock`): a load killed in that window left its lock held for as long as the
copy took (seen in CI, `test_a_killed_first_load_leaves_the_store_empty_or_whole`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from kg.ingest.shacl_sparql import Finding

__all__ = ["Claims", "ScanWorker"]

_TIMEOUT_S = 3600.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Claims:
    """Scans shared between processes: ``claims(key)`` is true for the first process to ask
    for `key` (it creates the file named after it in `folder`, which must exist: the
    creation is atomic, ``O_CREAT | O_EXCL``), false for any other. The caller removes
    `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, key: str) -> bool:
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        try:
            os.close(os.open(self.folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        return True


class ScanWorker:
    """The scans of the store at `path`, running in a child process from construction on;
    with `claims`, only those it claims (`Claims`: the caller runs the others)."""

    def __init__(self, path: Path, claims: Claims | None = None) -> None:
        self.claims = claims
        self._process: subprocess.Popen[bytes] | None
        shared = [str(claims.folder)] if claims is not None else []
        command = [sys.executable, "-m", "kg.ingest.scan_worker", str(path), str(os.getpid())]
        try:
            self._process = subprocess.Popen(
                [*command, *shared],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:
            self._process = None

    @property
    def started(self) -> bool:
        """Whether the child was started (it may have failed since)."""
        return self._process is not None

    def findings(self) -> list[Finding] | None:
        """Every finding of the scans the child ran (all, or those it claimed) about every
        node (the caller keeps those it judges), or None when the child could not run or
        failed (the caller then runs all the scans itself)."""
        if self._process is None:
            return None
        try:
            out, _ = self._process.communicate(timeout=_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.stop()
            return None
        if self._process.returncode != 0:
            return None
        try:
            return [_finding(json.loads(line)) for line in out.decode().splitlines() if line]
        except (ValueError, KeyError, SyntaxError):
            return None

    def stop(self) -> None:
        """End the child (a load that failed before it needed the findings) and close its
        pipes."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


def _die_with_parent(parent: int) -> None:
    """In the child, first thing: be killed when the loading process `parent` dies (a load
    killed mid-way must not leave its scans running; Linux ``prctl(PR_SET_PDEATHSIG)``), and
    end now if it died before that was asked."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # elsewhere the child ends when its scans do
    if os.getppid() != parent:
        os._exit(1)


def _finding(row: dict) -> Finding:
    value = row["value"]
    return Finding(
        row["focus"], row["path"], _term(value) if value else None, row["message"], row["severity"]
    )


def _term(text: str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A term from its N-Triples form."""
    document = f"<urn:tmkg:s> <urn:tmkg:p> {text} .".encode()
    return next(iter(ox.parse(document, ox.RdfFormat.N_TRIPLES))).object  # type: ignore[return-value]


def main(argv: list[str]) -> int:
    from kg.ingest.shacl_scan import run_scans
    from kg.ingest.validate import _scan_plan

    if len(argv) > 1:
        _die_with_parent(int(argv[1]))
    store = ox.Store.read_only(argv[0])
    claim = Claims(Path(argv[2])) if len(argv) > 2 else None
    for finding in run_scans(_scan_plan(), store, lambda _: True, union=True, claim=claim):
        row = {
            "focus": finding.focus,
            "path": finding.path,
            "value": str(finding.value) if finding.value is not None else None,
            "message": finding.message,
            "severity": finding.severity,
        }
        sys.stdout.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
