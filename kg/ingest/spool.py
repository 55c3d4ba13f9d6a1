"""Pipes read into temporary files: ``cat file.nq | kg load --store S --format nq /dev/stdin``.

The streamed load (`kg.ingest.stream_load`) reads a file more than once (past a byte order
mark and back, again to say where a node named in a message came from): a pipe
(``/dev/stdin``, a FIFO, ``<(...)``) gives its bytes once. A path that exists and is no
regular file is read once, to its end, into a temporary file in the system's temporary folder
(``TMPDIR``); `Spools` keeps it, so that a load the streamed route hands back to Python
(`kg.ingest.stream_load.NeedsPython`: blank nodes) parses the same bytes, and removes it when
it closes. Messages still name the path as given.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from kg.errors import ParseError

__all__ = ["Spools"]

_CHUNK = 1 << 20


class Spools:
    """The temporary copies of one load's pipes, removed when it closes (a context manager).

    >>> with Spools() as spools:
    ...     spools.regular(Path("/etc/hostname")) == Path("/etc/hostname")
    True
    """

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._copies: dict[tuple[int, int], Path] = {}  # by device and inode
        self.empty: list[str] = []
        """The pipes, as named, that gave no byte at all."""

    def __enter__(self) -> Spools:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    def regular(self, path: Path) -> Path:
        """`path` itself when it is a regular file (or a symlink to one), a folder or nothing
        (the caller reports those); else a temporary regular file holding what `path` gave
        until its end, made on the first call for that pipe (one named twice, by any of its
        names: a symbolic or hard link to a FIFO, ``/dev/stdin`` and ``/dev/fd/0``, is read
        once).
        Raises `ParseError` naming `path` when it cannot be read or the copy cannot be
        written (no temporary folder, the disk full)."""
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return path
        if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
            return path
        key = (info.st_dev, info.st_ino)
        if key in self._copies:
            return self._copies[key]
        try:
            folder = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-pipe-")))
            copy = folder / "input"
            with path.open("rb") as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target, _CHUNK)
        except OSError as error:
            raise ParseError(
                f"cannot read it into a temporary file: {error.strerror or error}", path=str(path)
            ) from None
        self._copies[key] = copy
        if copy.stat().st_size == 0:
            self.empty.append(str(path))
        return copy

    def read_all(self, paths: Sequence[str | Path]) -> None:
        """`regular` for each of `paths`: every pipe among them read now, whichever route
        the load then takes."""
        for path in paths:
            self.regular(Path(path))

    def copy_of(self, path: Path) -> Path | None:
        """The temporary copy made of the pipe at `path`, None when none was."""
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        return self._copies.get((info.st_dev, info.st_ino))
