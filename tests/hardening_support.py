"""Helpers for the hardening tests: a canary server that must never be called, a raw HTTP
client for requests httpx refuses to send, and the figures the tests record for the summary
(`bench/hardening_summary.py`, and the "hardening" section pytest prints at the end)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "RECORDS",
    "Canary",
    "raw_http",
    "read_records",
    "record",
    "summary",
    "summary_lines",
]

RECORDS: list[dict[str, Any]] = []
"""What this session's hardening tests recorded (see `record`)."""


def record(kind: str, **figures: Any) -> None:
    """Note one outcome for the summary: ``input`` (``expected``: bool, ``quads_lost``),
    ``crash`` (``survived``: bool, ``quads_lost``), ``load`` (``requests``, ``failures``,
    ``server_errors``, ``p99_ms``). Also appended to ``$KG_HARDENING_RECORDS`` if set."""
    entry = {"kind": kind, **figures}
    RECORDS.append(entry)
    path = os.environ.get("KG_HARDENING_RECORDS")
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")


def read_records(path: Path) -> list[dict[str, Any]]:
    """The outcomes `record` appended to the file at `path` (none if it does not exist)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of the summary, from recorded outcomes."""
    inputs = [r for r in records if r["kind"] == "input"]
    crashes = [r for r in records if r["kind"] == "crash"]
    loads = [r for r in records if r["kind"] == "load"]
    by_surface: dict[str, int] = {}
    for entry in inputs:
        by_surface[entry.get("surface", "?")] = by_surface.get(entry.get("surface", "?"), 0) + 1
    return {
        "inputs_tried": len(inputs),
        "inputs_by_surface": by_surface,
        "errors_as_expected": sum(1 for r in inputs if r.get("expected")),
        "quads_lost": sum(r.get("quads_lost", 0) for r in inputs + crashes),
        "crashes": len(crashes),
        "crashes_survived": sum(1 for r in crashes if r.get("survived")),
        "requests_under_load": sum(r.get("requests", 0) for r in loads),
        "failed_requests_under_load": sum(r.get("failures", 0) for r in loads),
        "server_errors_under_load": sum(r.get("server_errors", 0) for r in loads),
        "torn_reads_under_load": sum(r.get("torn_reads", 0) for r in loads),
        "p99_ms_under_load": max((r.get("p99_ms", 0.0) for r in loads), default=None),
        "load_seconds": sum(r.get("seconds", 0.0) for r in loads),
    }


def summary_lines(records: list[dict[str, Any]]) -> list[str]:
    """The summary as lines of text."""
    figures = summary(records)
    surfaces = ", ".join(f"{n} {name}" for name, n in sorted(figures["inputs_by_surface"].items()))
    lines = [
        f"inputs tried:          {figures['inputs_tried']} ({surfaces})",
        f"errors as expected:    {figures['errors_as_expected']}",
        f"quads lost:            {figures['quads_lost']}",
        f"crashes survived:      {figures['crashes_survived']} of {figures['crashes']}",
    ]
    if figures["p99_ms_under_load"] is not None:
        lines.append(
            f"requests under load:   {figures['requests_under_load']} in "
            f"{figures['load_seconds']:.0f} s ({figures['failed_requests_under_load']} failed, "
            f"{figures['server_errors_under_load']} 5xx, {figures['torn_reads_under_load']} "
            f"torn reads), p99 {figures['p99_ms_under_load']:.1f} ms"
        )
    return lines


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (nearest rank), 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


@dataclass
class Canary:
    """A loopback TCP server that hostile inputs point at: it records every connection the
    moment it is accepted (before a byte is read), so any fetch at all shows, then answers
    200 with an empty body. Tests assert `hits` stays empty."""

    hits: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._serve, name="canary", daemon=True).start()

    def _serve(self) -> None:
        while not self._closed:
            try:
                connection, peer = self._socket.accept()
            except OSError:
                return
            self.hits.append(f"{peer[0]}:{peer[1]}")
            with connection:
                connection.settimeout(2)
                try:
                    first = connection.recv(4096)
                    self.hits[-1] += " " + first.split(b"\r\n", 1)[0].decode("latin-1")
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._closed = True
        self._socket.close()


def raw_http(port: int, request: bytes, timeout: float = 30) -> tuple[int | None, bytes]:
    """Send raw bytes to a loopback server; its status (None if it closed without one) and
    the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        with contextlib.suppress(OSError):  # the server may refuse and close before reading
            connection.sendall(request)
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except OSError:
            pass
    answer = b"".join(chunks)
    if not answer.startswith(b"HTTP/1."):
        return None, answer
    return int(answer.split(b" ", 2)[1]), answer
