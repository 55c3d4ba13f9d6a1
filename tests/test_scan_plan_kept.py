"""The SHACL scan plan kept between processes (`kg.ingest.validate._scan_plan`): parsing the
shapes and planning the scans took ~0.2-0.3 s in every process that validates, so the plan is
kept in the user's cache folder (`kg.user_cache`) as JSON and read back whole or made again."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from kg.ingest import validate
from kg.ingest.shacl_scan import ScanPlan, plan_from_json, plan_json, plan_scans


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    validate._scan_plan.cache_clear()
    yield tmp_path / "cache" / "tmkg"
    validate._scan_plan.cache_clear()


@cache
def _planned() -> ScanPlan:
    return plan_scans(validate._shapes())


def test_the_plan_read_back_is_the_plan_made() -> None:
    made = _planned()
    assert plan_from_json(json.loads(json.dumps(plan_json(made)))) == made
    assert made.values and made.min_counts and made.max_counts and made.node_patterns


def test_the_kept_plan_is_read_by_the_next_process(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert validate._scan_plan() == _planned()
    (kept,) = cache_folder.glob("scan-plan-*.json")
    validate._scan_plan.cache_clear()

    def no_planning(*args: object) -> ScanPlan:
        raise AssertionError("planned again")

    monkeypatch.setattr(validate, "plan_scans", no_planning)
    assert validate._scan_plan() == _planned()
    assert kept.exists()


DAMAGED = [
    "",
    "{",
    "[]",
    '"plan"',
    '{"values": {}, "min_counts": {}, "max_counts": []}',
    '{"values": {}, "min_counts": {}, "max_counts": [], "node_patterns": [], "more": 1}',
    '{"values": {"p": [["a", "p", "c", "m"]]}, "min_counts": {}, "max_counts": [],'
    ' "node_patterns": []}',
    '{"values": {}, "min_counts": {}, "max_counts": [["a", "p", "1", "m", "s"]],'
    ' "node_patterns": []}',
    '{"values": {}, "min_counts": {}, "max_counts": [["a", "p", true, "m", "s"]],'
    ' "node_patterns": []}',
    '{"values": {}, "min_counts": {"c": "x"}, "max_counts": [], "node_patterns": []}',
    '{"values": [], "min_counts": {}, "max_counts": [], "node_patterns": []}',
]


@pytest.mark.parametrize("text", DAMAGED)
def test_a_kept_file_not_of_a_plan_s_shape_is_made_again(cache_folder: Path, text: str) -> None:
    validate._scan_plan()
    (kept,) = cache_folder.glob("scan-plan-*.json")
    kept.write_text(text, encoding="utf-8")
    validate._scan_plan.cache_clear()
    assert validate._scan_plan() == _planned()
    assert plan_from_json(json.loads(kept.read_text(encoding="utf-8"))["plan"]) == _planned()


def _kept(cache_folder: Path) -> tuple[Path, dict]:
    validate._scan_plan()
    (kept,) = cache_folder.glob("scan-plan-*.json")
    return kept, json.loads(kept.read_text(encoding="utf-8"))


def _edited_condition(value: dict) -> None:
    rules = next(iter(value["plan"]["values"].values()))
    rules[0][2] = rules[0][2].replace("!", "NOT ", 1) + " && false"


def _emptied(value: dict) -> None:
    value["plan"] = {"values": {}, "min_counts": {}, "max_counts": [], "node_patterns": []}


def _negative_count(value: dict) -> None:
    value["plan"]["max_counts"][0][2] = -5


@pytest.mark.parametrize("damage", [_edited_condition, _emptied, _negative_count])
def test_a_kept_plan_changed_since_it_was_written_is_made_again(
    cache_folder: Path, damage: object
) -> None:
    """A plan of the right shape that is not the one written (a query edited, the plan
    emptied, a count changed) is not used: its digest no longer matches."""
    kept, value = _kept(cache_folder)
    damage(value)  # type: ignore[operator]
    kept.write_text(json.dumps(value), encoding="utf-8")
    validate._scan_plan.cache_clear()
    assert validate._scan_plan() == _planned()
    assert json.loads(kept.read_text(encoding="utf-8"))["plan"] != value["plan"]


@pytest.mark.parametrize("text", DAMAGED[2:])
def test_plan_from_json_refuses_what_is_not_a_plan(text: str) -> None:
    with pytest.raises(ValueError, match="not a scan plan"):
        plan_from_json(json.loads(text))
