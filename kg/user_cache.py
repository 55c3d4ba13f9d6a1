"""Values kept between processes in the user's cache folder (``platformdirs``'
``user_cache_dir("tmkg")``: ``~/.cache/tmkg`` on Linux, or under ``$XDG_CACHE_HOME``), each
under a name and a digest of what it is made from, so that a value made once by one `kg`
process is read by the next.

A kept value is a JSON file ``<name>-<digest>.json``; keeping a new one removes the other
digests of its name (what an earlier version or other files made). Nothing here is needed:
where the folder cannot be read or written the value is made in memory, and a file that is
not a regular file, is larger than `MAX_BYTES`, is not JSON or not of the value's shape is
made again (and kept anew). A concurrent reader sees none or all of a file (written aside,
then renamed over). The folder is trusted as the user's own files are: a value kept there is
taken as what `make` would give. A value is keyed by what makes it: its inputs, and
`code_digest` for the code that computes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import platformdirs

MAX_BYTES = 64 * 1024 * 1024
"""The largest kept file read (the parsed dictionaries are ~0.4 MB each)."""


@cache
def code_digest(libraries: Iterable[str] = (), *more: str) -> int:
    """A digest (a non-negative int below 2**56) of what tmkg's answers are made of: its
    sources (every ``.py`` of the ``kg`` package) and its ``schema/`` data, by name and bytes,
    Python's version (its Unicode tables, how pickles read), the installed versions of the
    distributions `libraries` names (``"absent"`` for one not installed) and the strings
    `more`. Reading the files takes ~10-40 ms; `libraries` must be hashable (a tuple).
    Raises nothing but what reading tmkg's own files raises."""
    digest = _sources_digest().copy()
    for name in libraries:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    for text in more:
        digest.update(b"\0" + text.encode())
    return int.from_bytes(digest.digest()[:7], "big")


@cache
def _sources_digest() -> Any:
    """The sha256 of Python's version and tmkg's sources and ``schema/`` data, read once a
    process (each key of `code_digest` copies it)."""
    from kg.resources import SCHEMA_DIR

    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *SCHEMA_DIR.rglob("*")]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest


def folder() -> Path:
    """The user's cache folder for tmkg (it may not exist yet)."""
    return Path(platformdirs.user_cache_dir("tmkg", appauthor=False))


def kept(
    name: str,
    key: object,
    make: Callable[[], Any],
    valid: Callable[[Any], bool] = lambda value: True,
) -> Any:
    """`make()`'s JSON value (dicts, lists, strings, numbers), kept under `name` and a
    digest of ``repr(key)`` (what it is made from: the same key must mean the same value):
    read when kept and `valid`, else made and kept. Raises what `make` raises; never an
    ``OSError``."""
    stamp = hashlib.sha256(repr(key).encode()).hexdigest()[:12]
    path = folder() / f"{name}-{stamp}.json"
    found = _read(path)
    if found is not None and valid(found[0]):
        return found[0]
    value = make()
    with contextlib.suppress(OSError):
        _write(path, value)
        others = re.compile(rf"{re.escape(name)}-[0-9a-f]{{12}}\.json")
        for other in path.parent.iterdir():  # what earlier versions or files made
            if other != path and others.fullmatch(other.name):
                other.unlink(missing_ok=True)
    return value


def _read(path: Path) -> tuple[Any] | None:
    """(the value,) of a kept regular file of at most MAX_BYTES holding JSON, else None
    (not a FIFO or a device, which would block or never end)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return (json.loads(path.read_text(encoding="utf-8")),)
    except (OSError, ValueError, RecursionError):  # gone, unreadable, not JSON, nested deep
        return None


def _write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)  # replaced, or left by a failure
