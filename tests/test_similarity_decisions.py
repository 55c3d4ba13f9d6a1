"""The decided pairs of bench/decisions: well-formed, broad enough, and measured.

The figures are floors under what `compare` reaches today (bench/similarity.py prints them;
README, "Mark similarity"): a change that loses decided pairs fails here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from kg.analysis.conflicts import candidate_text_pairs
from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare


def _bench_module(name: str) -> ModuleType:
    """A module of bench/ by its file: bench/ is not put on sys.path, where its graphql.py
    would hide the graphql library from every test collected later."""
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_table = _bench_module("decisions_table")
decisions, measure = _table.decisions, _table.measure

ROWS = decisions()


def test_the_table_is_broad() -> None:
    assert len(ROWS) >= 300
    outcomes = Counter(d.similar for d in ROWS)
    assert outcomes[True] >= 150 and outcomes[False] >= 100
    assert len({d.decision for d in ROWS}) >= 250
    scripts = Counter()
    for d in ROWS:
        for name in ("Han", "Hangul", "Kana", "Cyrillic", "Greek"):
            scripts[name] += name in d.script
    assert scripts["Han"] >= 40
    assert sum(count >= 5 for name, count in scripts.items() if name != "Han") >= 2
    assert {"US", "EU", "CN"} <= {d.jurisdiction for d in ROWS}


def test_rows_are_unique_and_cite_a_page() -> None:
    keys = [(d.earlier, d.later, d.decision) for d in ROWS]
    assert len(keys) == len(set(keys))
    assert all(d.url.startswith(("http://", "https://")) for d in ROWS)


def test_a_malformed_row_is_refused_with_its_line(tmp_path: Path) -> None:
    header = "earlier,later,similar,jurisdiction,tribunal,decision,year,url,script,kind,note\n"
    (tmp_path / "bad.csv").write_text(
        header + "A,B,maybe,US,TTAB,In re X,2020,https://x,Latin,short,n\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"bad.csv, line 2: similar is 'maybe'"):
        decisions(tmp_path)


def test_recall_and_precision_do_not_fall() -> None:
    scored = [(d, compare(d.earlier, d.later).score) for d in ROWS]
    figures = measure(scored, DEFAULT_MIN_SIMILARITY)
    print(f"\ndecided pairs: recall {figures.recall:.3f}, precision {figures.precision:.3f}")
    assert figures.recall >= 0.68  # 0.708 (0.690 without the FreeDict dictionaries)
    assert figures.precision >= 0.78  # 0.791


def test_each_kind_of_pair_is_found_more_than_before() -> None:
    """The kinds the old rules missed (composite marks, short marks, other scripts) now
    find some of their decided similar pairs."""
    found = Counter()
    for d in ROWS:
        if d.similar and compare(d.earlier, d.later).score >= DEFAULT_MIN_SIMILARITY:
            found[d.kind] += 1
    for kind, least in (("containment", 30), ("syllable", 15), ("short", 3), ("sound-alike", 15)):
        assert found[kind] >= least, (kind, found[kind])


def test_blocking_proposes_every_similar_decided_pair() -> None:
    texts = {t for d in ROWS for t in (d.earlier, d.later)}
    proposed = candidate_text_pairs(texts)
    for d in ROWS:
        pair = tuple(sorted((d.earlier, d.later)))
        if d.earlier != d.later and compare(*pair).score >= DEFAULT_MIN_SIMILARITY:
            assert pair in proposed, pair
