"""Who writes an on-disk store: one process at a time, named in a lock file beside the store.

RocksDB's own lock covers only the store folder while it is open, and a bulk write closes and
renames that folder (see `kg.store.oxigraph`). The writer lock is held for the writer's whole
life instead: an advisory `flock` on ``{name}.writer.lock`` beside the store, which the kernel
releases when the process ends however it ends, so a lock is never left behind by a crash and
"the owner is dead" needs no guessing. The file names the holder (process id, start time,
command) for the message the next writer gets. Readers never take it.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

from kg.errors import StoreLocked

__all__ = ["WriterLock", "process_identity"]


def process_identity(pid: int) -> str:
    """A process id with its start time (so a reused id is not mistaken for the owner)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            start = stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        start = "?"
    return f"{pid} {start}"


class WriterLock:
    """The right to write the store at `store`: `acquire` it, `release` it (or end)."""

    def __init__(self, store: Path) -> None:
        self.path = store.parent / f"{store.name}.writer.lock"
        self._file: int | None = None

    def acquire(self, store_location: str) -> None:
        """Take the lock, or raise `StoreLocked` naming the process that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(descriptor)
            os.close(descriptor)
            raise _locked(store_location, holder) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{process_identity(os.getpid())} {_command()}\n".encode(), 0)
        self._file = descriptor

    def try_acquire(self, store_location: str) -> bool:
        """Take the lock if no one holds it; whether it was taken."""
        try:
            self.acquire(store_location)
        except StoreLocked:
            return False
        return True

    def release(self) -> None:
        if self._file is not None:
            os.close(self._file)  # closing the descriptor drops the flock
            self._file = None


def _command() -> str:
    # Only the subcommand: the full command line may hold a password.
    words = [Path(sys.argv[0]).name, *sys.argv[1:2]] if sys.argv and sys.argv[0] else []
    return " ".join(w for w in words if w.isprintable()) or "python"


def _read(descriptor: int) -> str:
    try:
        return os.pread(descriptor, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _locked(location: str, holder: str) -> StoreLocked:
    words = holder.split()
    if len(words) >= 2 and words[0].isdigit():
        who = f"process {words[0]} ({' '.join(words[2:]) or 'unknown command'})"
    else:
        who = "a process that did not say which"
    return StoreLocked(
        f"the store at {location} is open for writing in another process: {who}",
        suggestion="wait for it to finish or stop it; with `kg serve` running, load through "
        "it (POST /load); read-only commands (stats, query, the analyses, report, export, "
        "validate) work meanwhile",
    )
