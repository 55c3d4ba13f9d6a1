"""Where the files tmkg reads at run time live: the ontology and reference data (``schema/``),
the seed case (``seed/``), the saved queries (``queries/``) and the browser assets of the
``/graphql`` and ``/sparql`` pages (GraphiQL, React, YASGUI).

Two layouts, one set of names:

- **an installed wheel**: the build (``setup.py``, `build_py`) copies them into the package as
  ``kg/_data/{schema,seed,queries,web}``; they are read from there, wherever the package is;
- **a checkout** (the editable install ``make setup`` makes): ``schema/``, ``seed/`` and
  ``queries/`` beside ``kg/``, the browser assets in ``node_modules/`` (``npm ci``).

`WEB_ASSETS` lists the browser files by their path under ``node_modules/``, the one list the
build and the pages share.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = [
    "PACKAGED_DATA",
    "PROJECT_ROOT",
    "QUERIES_DIR",
    "SCHEMA_DIR",
    "SEED_DIR",
    "WEB_ASSETS",
    "WEB_DIR",
    "data_rows",
    "installed_from_wheel",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout's top folder (for an installed wheel: the folder holding the package)."""
PACKAGED_DATA = Path(__file__).resolve().parent / "_data"
"""Where a wheel keeps the data files (absent in a checkout)."""

WEB_ASSETS = (
    "graphiql/graphiql.min.css",
    "graphiql/graphiql.min.js",
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "@triply/yasgui/build/yasgui.min.js",
    "@triply/yasgui/build/yasgui.min.css",
    "@triply/yasgui/build/yasgui.min.js.map",
)
"""The browser files the pages serve, as paths under ``node_modules/`` (package.json pins them)."""


def installed_from_wheel() -> bool:
    """True when the package carries its own data (`PACKAGED_DATA`), i.e. it was installed
    from a wheel or an sdist rather than from a checkout in editable mode."""
    return (PACKAGED_DATA / "schema" / "ontology.ttl").is_file()


def _root(name: str) -> Path:
    return PACKAGED_DATA / name if installed_from_wheel() else PROJECT_ROOT / name


SCHEMA_DIR = _root("schema")
SEED_DIR = _root("seed")
QUERIES_DIR = _root("queries")
WEB_DIR = PACKAGED_DATA / "web" if installed_from_wheel() else PROJECT_ROOT / "node_modules"
"""The folder `WEB_ASSETS` are relative to."""


def data_rows(path: Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV data file of ``schema/`` (its ``#`` lines are its documentation),
    as dicts by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(line for line in handle if not line.startswith("#")))
