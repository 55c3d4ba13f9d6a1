"""Pipes read into temporary files: ``cat register.xml | kg import --store S /dev/stdin``.

The streamed load (`kg.ingest.stream_load`) and `kg import` read a file more than once (past
a byte order mark and back, again to say where a node named in a message came from, a
register's size and its records): a pipe (``/dev/stdin``, a FIFO, ``<(...)``) gives its bytes
once. A path that exists and is no regular file is read once, to its end, into a temporary
file in the system's temporary folder (``TMPDIR``), removed when the caller's `ExitStack`
closes; messages still name the path as given.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

from kg.errors import ParseError

__all__ = ["regular_file"]

_CHUNK = 1 << 20


def regular_file(path: Path, spools: ExitStack) -> Path:
    """`path` itself when it is a regular file (or a symlink to one) or does not exist (the
    caller reports it); else a temporary regular file holding what `path` gives until its
    end, removed when `spools` closes. Raises `ParseError` naming `path` when it cannot be
    read or the copy cannot be written (the disk full)."""
    if path.is_file() or not path.exists() or path.is_dir():
        return path
    try:
        folder = Path(spools.enter_context(tempfile.TemporaryDirectory(prefix="kg-pipe-")))
        copy = folder / "input"
        with path.open("rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, _CHUNK)
    except OSError as error:
        raise ParseError(
            f"cannot read it into a temporary file: {error.strerror or error}", path=str(path)
        ) from None
    return copy
