"""Faults a fresh-eyes trial found (issue 13), one test per kind: plain JSON is not loaded as
if it were RDF, codes users reach for (EU, UK) get the code tmkg uses, and a party's name is a
name, not a document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_kg


@pytest.mark.parametrize(
    "document",
    [
        [{"applicationNo": "1234", "redParty": "Opponent Ltd"}],  # a register's JSON export
        {"name": "x"},
        {"trademark": {"name": "돈퍼", "class": 43}},
    ],
    ids=["array", "object", "nested"],
)
@pytest.mark.parametrize("command", ["load", "validate"])
def test_plain_json_is_refused_not_loaded_empty(
    command: str, document: object, tmp_path: Path
) -> None:
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    args = [command, path] + (["--store", tmp_path / "store"] if command == "load" else [])
    result = run_kg(*args)
    assert result.returncode == 4, result.stderr  # a parse error
    assert "JSON with no JSON-LD in it" in result.stderr and "Traceback" not in result.stderr
    if command == "load":
        stats = run_kg("stats", "--store", tmp_path / "store", check=True).stdout
        assert "register" not in stats  # nothing was written


@pytest.mark.parametrize("document", [{}, [], {"@context": {"name": "https://schema.org/name"}}])
def test_an_empty_json_ld_document_still_loads(document: object, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run_kg("validate", path).returncode == 0


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("EU", "EU trade marks (EUIPO) is EM (ask for EM, or for a member state such as FR"),
        ("UK", "the United Kingdom is GB"),
        ("EP", "European Patent Office; the WIPO ST.3 code of EU trade marks (EUIPO) is EM"),
    ],
)
@pytest.mark.parametrize("command", ["who-else-uses", "conflicts"])
def test_codes_users_reach_for_get_the_one_tmkg_uses(command: str, code: str, hint: str) -> None:
    args = [command, "AWS"] if command == "who-else-uses" else [command]
    result = run_kg(*args, "--jurisdiction", code, "--memory")
    # no jurisdiction code at all: a usage error, as a class outside 1-45 (exit 7 before)
    assert result.returncode == 2 and hint in result.stderr, result.stderr
