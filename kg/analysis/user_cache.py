"""Values kept between processes in the user's cache folder (``platformdirs``'
``user_cache_dir("tmkg")``: ``~/.cache/tmkg`` on Linux), each under a name and a digest of
what it is made from, so that a value made once by one `kg` process is read by the next.

A kept value is a JSON file ``<name>-<digest>.json``; keeping a new one removes the other
digests of its name (what an earlier version or other files made). Nothing here is needed:
where the folder cannot be read or written the value is made in memory, and a file that is
not JSON is made again. A concurrent reader sees none or all of a file (written aside, then
renamed over).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs


def folder() -> Path:
    """The user's cache folder for tmkg (it may not exist yet)."""
    return Path(platformdirs.user_cache_dir("tmkg", appauthor=False))


def kept(name: str, key: object, make: Callable[[], Any]) -> Any:
    """`make()`'s JSON value (dicts, lists, strings, numbers), kept under `name` and a
    digest of ``repr(key)`` (what it is made from: the same key must mean the same value):
    read when kept, else made and kept. Raises what `make` raises; never an ``OSError``."""
    stamp = hashlib.sha256(repr(key).encode()).hexdigest()[:12]
    path = folder() / f"{name}-{stamp}.json"
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    value = make()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
        os.replace(temporary, path)
        others = re.compile(rf"{re.escape(name)}-[0-9a-f]{{12}}\.json")
        for other in path.parent.iterdir():  # what earlier versions or files made
            if other != path and others.fullmatch(other.name):
                other.unlink(missing_ok=True)
    return value
