"""Named points on the write paths, where the crash-safety tests stop a process on purpose.

`reached` does nothing unless the environment asks for it, so production runs pay one dict
lookup per point:

- ``KG_CRASH_TRACE=FILE`` appends each point's name to FILE as it is reached, so a test
  watching the file can SIGKILL the process in the middle of a phase (parsing, validating,
  bulk-loading the staging copy, running an update);
- ``KG_CRASH_AT=NAME`` makes the process SIGKILL itself on reaching NAME, for moments too
  short to hit from outside (between the two directory renames of a bulk write).

The points, in order: ``load:parse``, ``load:validate``, ``load:commit``, ``bulk:extend``,
``bulk:staged``, ``bulk:between-renames``, ``bulk:swapped``, ``load:committed``; and
``update:start``, ``update:done`` around a SPARQL Update or an HTTP load on the server.
"""

from __future__ import annotations

import os
import signal

__all__ = ["POINTS", "reached"]

POINTS = (
    "load:parse",
    "load:validate",
    "load:commit",
    "bulk:extend",
    "bulk:staged",
    "bulk:between-renames",
    "bulk:swapped",
    "load:committed",
    "update:start",
    "update:done",
)


def reached(point: str) -> None:
    """Note that the process reached `point` (see the module docstring); usually a no-op."""
    trace = os.environ.get("KG_CRASH_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as file:
            file.write(point + "\n")
    if os.environ.get("KG_CRASH_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
