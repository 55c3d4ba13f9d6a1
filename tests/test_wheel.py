"""The wheel works anywhere (issue 18): built from a clean export of the project, installed into
a fresh virtual environment with no npm and no network, `kg serve` started outside any
checkout serves the seed, and the /graphql and /sparql pages load in headless Chromium with
their assets.

The export holds the files git knows (tracked and new, not ignored), so the build sees exactly
what a clone would; ``node_modules`` is linked from this checkout (``make setup`` ran ``npm ci``)
so the test needs no network — a build without it runs ``npm ci`` itself (setup.py). The fresh
environment gets this environment's dependencies through a ``.pth`` line (a plain path: the
editable install's finder in that folder is not activated), so tmkg itself can only come from
the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from kg.resources import PROJECT_ROOT, WEB_ASSETS
from tests.browser_support import offline_page, require
from tests.conftest import free_port
from tests.http_support import http_get, http_post

PAGES = {"/graphql": ".graphiql-execute-button", "/sparql": ".yasqe_queryButton"}


def _export(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = PROJECT_ROOT / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to export")
    modules = PROJECT_ROOT / "node_modules"
    require(
        all((modules / a).is_file() for a in WEB_ASSETS), "no node_modules (make setup runs npm ci)"
    )
    export = tmp_path_factory.mktemp("export")
    _export(export)
    (export / "node_modules").symlink_to(modules)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(export),
        ],
        check=True,
        capture_output=True,
        cwd=export,
    )
    (built,) = out.glob("tmkg-*.whl")
    return built


def test_the_wheel_carries_every_file_read_at_run_time(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("schema", "seed", "queries"):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"kg/_data/{path.relative_to(PROJECT_ROOT)}" in names, path
    for asset in WEB_ASSETS:
        assert f"kg/_data/web/{asset}" in names, asset
    assert "kg/report/templates/report.html.j2" in names


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # pip of this environment installs into the new one (--target), offline, without deps.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    (site / "tmkg-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv


def _python(venv: Path, code: str, cwd: Path) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PYTHON"))}
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=environment,
    ).stdout


def test_the_installed_package_reads_its_own_data(installed: Path, tmp_path: Path) -> None:
    where = _python(
        installed,
        "import kg, kg.resources as r; print(kg.__file__); print(r.SCHEMA_DIR); "
        "print(r.installed_from_wheel())",
        tmp_path,
    ).split()
    assert str(PROJECT_ROOT) not in where[0] and where[0].startswith(str(installed))
    assert where[1].startswith(str(installed)) and where[2] == "True"


def test_kg_serve_from_the_wheel_serves_the_seed_and_both_pages(
    installed: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PYTHON"))}
    # No npm and no network for the installed program: PATH without npm's folder.
    environment["PATH"] = "/usr/bin:/bin"
    process = subprocess.Popen(
        [
            str(installed / "bin" / "python"),
            "-m",
            "kg.cli.main",
            "serve",
            "--memory",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(url, process)
        health = http_get(url + "/health", timeout=10).json()
        assert health["seed_loaded"] is True, health
        answer = http_post(
            url + "/graphql",
            json={"query": '{ party(name: "Amazon") { name } }'},
            timeout=30,
        )
        assert answer.json()["data"]["party"]["name"], answer.text
        for path, ready in PAGES.items():
            with offline_page(lambda u: u.startswith(url + "/")) as opened:
                opened.page.goto(url + path)
                opened.page.wait_for_selector(ready, timeout=30_000)
                assert not opened.blocked and not opened.errors, (opened.blocked, opened.errors)
        for asset in ("/graphql/static/graphiql.min.css", "/sparql/yasgui/yasgui.min.js"):
            assert http_get(url + asset, timeout=10).status_code == 200, asset
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    assert "Traceback" not in stderr, stderr


def _wait(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kg serve exited: {process.communicate()[1]}")
        try:
            if http_get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("kg serve from the wheel did not become ready")
