"""Which state of an on-disk store a cache beside it was computed for.

What tmkg keeps beside a store and computed from it (`kg.analysis.holdings_projection`)
must never answer for another state of the store. Counting quads cannot tell (a changed
status keeps the count), and the store's own files change when it is merely opened, so the
store keeps a token beside it, ``<store>.writes``, that every write replaces before it
begins (``pending <token>``, made durable first) and marks finished when it ends
(``done <token>``). A cache records the token it was computed for and is used only while the
store's token is that one and finished:

- a write by any tmkg process (load, import, an update, a curation) changes the token
  before the store changes, so a crash in the middle leaves ``pending`` and no cache is
  trusted until the next writer opens the store (`WriteStamp.settle`: a new token);
- a read-only handle sees the store as it was when opened (RocksDB's view), so it keeps the
  token read around its opening (`WriteStamp.read` before and after; a write between the two
  leaves it None).

A store written by a program other than tmkg (Oxigraph's own tools) does not change the
token: after such a write remove ``<store>.writes`` (the next tmkg writer starts a new
token, and what was computed for the old one is dropped). A store whose folder was removed
by hand and made again leaves the files beside it: a writer that makes the folder (or finds
it empty) starts a new token, so they are not trusted for the new store.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kg.store import beside_folder, fsync_directory

__all__ = ["WriteStamp", "stamp_path_for"]

_DONE, _PENDING = "done", "pending"


def stamp_path_for(store_path: Path) -> Path:
    """``<store>.writes``, beside the store's folder.

    >>> stamp_path_for(Path("/data/tmkg/store"))
    PosixPath('/data/tmkg/store.writes')
    """
    return beside_folder(store_path, ".writes")


class WriteStamp:
    """The token of an on-disk store's writes (see the module docstring).

    Only the holder of the store's writer lock calls `begin`, `end` and `settle`; anyone may
    `read`. Raises `OSError` when the file cannot be written (a read-only folder).
    """

    def __init__(self, store_path: Path) -> None:
        self.path = stamp_path_for(store_path)
        self.token: str | None = None
        """The token of the write under way or last begun by this handle."""
        self.before: str | None = None
        """The finished token the store had when that write began (None: none)."""
        self._depth = 0  # writes nest: add() of a big batch stages a copy

    def read(self) -> str | None:
        """The token of the store's last finished write; None while a write is under way,
        after one that did not finish, or when there is no token (a store no tmkg writer has
        opened since tokens were kept)."""
        try:
            state, _, token = self.path.read_text(encoding="ascii").strip().partition(" ")
        except (OSError, UnicodeError):
            return None
        return token if state == _DONE and token else None

    def settle(self, *, new_store: bool = False) -> None:
        """At a writer's opening: a new finished token where there is none or a write did not
        finish (whatever it left, nothing computed before may be trusted), and always for a
        `new_store` (its folder made now or empty: a token left beside a removed store's
        folder names that store's state, and its caches would be trusted for this one)."""
        if new_store or self.read() is None:
            self._write(f"{_DONE} {secrets.token_hex(16)}", durable=True)

    def begin(self) -> None:
        """Before a write: a new token, pending, on disk before the store changes."""
        self._depth += 1
        if self._depth == 1:
            self.before = self.read()
            self.token = secrets.token_hex(16)
            try:
                self._write(f"{_PENDING} {self.token}", durable=True)
            except OSError:
                self._depth -= 1
                raise

    def end(self) -> None:
        """After a write, whether it succeeded or not: its token, finished. A write that
        failed left the store as it was, yet what was computed before is dropped: nothing
        depends on telling the two apart."""
        self._depth -= 1
        if self._depth == 0 and self.token is not None:
            # not made durable: lost in a crash, the token stays pending, which trusts nothing
            self._write(f"{_DONE} {self.token}", durable=False)

    @property
    def writing(self) -> bool:
        return self._depth > 0

    def _write(self, text: str, *, durable: bool) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            with open(temporary, "w", encoding="ascii") as out:
                out.write(text + "\n")
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise
        if durable:
            fsync_directory(self.path.parent)
