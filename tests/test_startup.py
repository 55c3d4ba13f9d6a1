"""A `kg` command starts without the libraries only some commands need (`kg.lazy`): each
command is a fresh process, and their tables cost more than most answers (pypinyin's phrase
dictionary ~0.2 s, wcwidth's width tables ~0.05 s, networkx ~0.3 s); nor does it import the
services of the other commands (the analyses, the importers, the exports: ~0.25 s)."""

from __future__ import annotations

import subprocess
import sys

LOADED_ON_USE = (
    *("pypinyin.phrases_dict", "wcwidth.table_ambiguous", "networkx.classes", "tqdm.std"),
    # the commands' services: each loads when its command runs, not to build the parser
    # (kg --version 0.48 -> 0.24 s on 2026-12-02; every test that runs `kg` pays it)
    *("kg.analysis.service", "kg.analysis.similarity", "kg.analysis.resolution"),
    *("kg.registries.importer", "kg.registries.synth", "kg.report.export", "numpy"),
)


def test_the_cli_starts_without_what_only_some_commands_need() -> None:
    script = (
        "import sys, kg.cli.main; "
        f"print(' '.join(m for m in {LOADED_ON_USE!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_they_load_when_used() -> None:
    from kg.analysis.scripts import romanize
    from kg.cli.output import render_table

    assert romanize("银行") == "YINHANG"
    # two display columns a character: "AB" is padded to the width of "银行"
    assert render_table(["mark", "n"], [["银行", "1"], ["AB", "2"]]).splitlines()[2:] == [
        "银行 | 1",
        "AB   | 2",
    ]


def test_kg_version() -> None:
    from importlib import metadata

    from tests.conftest import KG

    done = subprocess.run([str(KG), "--version"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kg (tmkg) {metadata.version('tmkg')}"
