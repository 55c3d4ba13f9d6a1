"""The documentation builds as a site (issue 18): MkDocs (Material theme) in strict mode, so a
broken link, a missing anchor or a page left out of the navigation fails; the site opens
offline (no web fonts, no CDN) and every page of docs/ is in it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.resources import PROJECT_ROOT

MKDOCS = Path(sys.executable).parent / "mkdocs"


def _build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MKDOCS.exists():
        pytest.fail("mkdocs is not installed: make setup installs the test extras")
    out = tmp_path_factory.mktemp("site")
    built = _build(PROJECT_ROOT / "mkdocs.yml", out)
    assert built.returncode == 0, built.stderr
    return out


def test_every_page_is_built_and_offline(site: Path) -> None:
    for page in (PROJECT_ROOT / "docs").glob("*.md"):
        html = (site / f"{page.stem}.html").read_text(encoding="utf-8")
        assert not re.search(r"<(link|script)[^>]+(href|src)=\"https?://", html), page.name
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [the analyses](analyses.md#nowhere).\n")
    (docs / "analyses.md").write_text("# Analyses\n")
    (docs / "orphan.md").write_text("# Not in the navigation\n")
    config = tmp_path / "mkdocs.yml"
    text = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {docs}").split("\nnav:")[0]
    config.write_text(text + "\nnav:\n  - Home: index.md\n  - Analyses: analyses.md\n")
    built = _build(config, tmp_path / "site")
    assert built.returncode != 0
    assert "does not contain an anchor '#nowhere'" in built.stderr
    assert "orphan.md" in built.stderr
