"""The build step pyproject.toml cannot say: put the files tmkg reads at run time in the wheel.

``schema/``, ``seed/`` and ``queries/`` stay at the top of the repository (the design card's
layout); building a wheel copies them into the package as ``kg/_data/{schema,seed,queries}``,
with the browser assets of the /graphql and /sparql pages (``kg.resources.WEB_ASSETS``, from
``node_modules/``; ``npm ci`` runs here, at build time, if they are missing) as
``kg/_data/web``. An editable install (``pip install -e .``) copies nothing: it reads the
checkout (`kg.resources`).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("schema", "seed", "queries")


def _web_assets() -> tuple[str, ...]:
    """`kg.resources.WEB_ASSETS`, read from the source without importing the package."""
    tree = ast.parse((ROOT / "kg" / "resources.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "WEB_ASSETS" for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    raise RuntimeError("kg/resources.py defines no WEB_ASSETS")


class BuildWithData(build_py):
    """build_py, then the data folders and the browser assets into ``kg/_data``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "kg" / "_data"
        for name in DATA_DIRS:
            shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True)
        assets = _web_assets()
        modules = ROOT / "node_modules"
        if not all((modules / a).is_file() for a in assets):
            npm = shutil.which("npm")
            if npm is None:
                raise SystemExit(
                    "building tmkg needs npm (the /graphql and /sparql pages' assets, "
                    "package-lock.json): install npm, or run `npm ci` first"
                )
            subprocess.run(
                [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=ROOT,
                check=True,
            )
        for asset in assets:
            destination = target / "web" / asset
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(modules / asset, destination)


setup(cmdclass={"build_py": BuildWithData})
