"""Where the project's data files live: ``schema/``, ``seed/`` and ``queries/`` beside ``kg/``.

tmkg is installed in editable mode from its checkout (the README's set-up does this), so these
folders are found next to the package.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROJECT_ROOT", "QUERIES_DIR", "SCHEMA_DIR", "SEED_DIR"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = PROJECT_ROOT / "schema"
SEED_DIR = PROJECT_ROOT / "seed"
QUERIES_DIR = PROJECT_ROOT / "queries"
