"""Every saved query in queries/ runs on the seed and returns its expected answer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph
from kg.resources import QUERIES_DIR

EXPECTED = Path(__file__).parent / "expected" / "queries"
QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))


def test_every_query_has_an_expected_answer_and_a_header() -> None:
    assert len(QUERY_FILES) >= 6
    for path in QUERY_FILES:
        assert (EXPECTED / f"{path.stem}.csv").exists(), path.name
        header = path.read_text(encoding="utf-8").splitlines()[:3]
        assert header[0].startswith("# title: "), path.name
        assert header[1].startswith("# description: "), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_saved_query_answers_on_the_seed(seeded: KnowledgeGraph, path: Path) -> None:
    result = seeded.query(path.read_text(encoding="utf-8"))
    actual = result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    expected = (EXPECTED / f"{path.stem}.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(actual))) == list(csv.reader(io.StringIO(expected)))
