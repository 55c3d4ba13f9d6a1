"""The mark similarity of 2026-11-30 (commit 454384c), loaded from git for comparison.

`bench/similarity.py` prints the decided pairs' figures beside those of the rules before the
composite, phonetic, script and short-mark rules, measured in the same run. The old module
is read with ``git show`` (no copy of it is kept in the tree); without the git history the
comparison is left out with a message.
"""

from __future__ import annotations

import subprocess
import sys
import types
from functools import cache
from pathlib import Path

__all__ = ["BASELINE_COMMIT", "compare"]

BASELINE_COMMIT = "454384c"
_ROOT = Path(__file__).resolve().parents[1]


@cache
def _module() -> types.ModuleType | None:
    try:
        source = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:kg/analysis/similarity.py"],
            cwd=_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        print(f"(no git history with {BASELINE_COMMIT}: the baseline columns are empty)")
        return None
    module = types.ModuleType("baseline_similarity_454384c")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{BASELINE_COMMIT}:kg/analysis/similarity.py", "exec"), module.__dict__)
    return module


def compare(a: str, b: str) -> float:
    """The 2026-11-30 score of a pair (0.0 without the git history)."""
    module = _module()
    return 0.0 if module is None else module.compare(a, b).score
