"""The labelled pairs of ``bench/decisions/*.csv``: marks that tribunals and offices compared.

Each row is one decided pair (the earlier and the later mark, as the decision writes them),
whether it was found similar, and the decision it comes from (citation, year, the page it was
read on). ``bench/decisions/README.md`` says how the rows were collected and what the columns
mean. `bench/similarity.py` measures `kg.analysis.similarity.compare` on them and
tests/test_similarity_decisions.py keeps the figures from falling.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DECISIONS_DIR", "Decision", "decisions", "measure"]

DECISIONS_DIR = Path(__file__).resolve().parent / "decisions"
COLUMNS = (
    "earlier", "later", "similar", "jurisdiction", "tribunal", "decision", "year", "url",
    "script", "kind", "note",
)  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """One labelled pair (the CSV columns)."""

    earlier: str
    later: str
    similar: bool
    jurisdiction: str
    tribunal: str
    decision: str
    year: str
    url: str
    script: str
    kind: str
    note: str
    table: str  # the file's name without .csv


def decisions(folder: Path = DECISIONS_DIR) -> list[Decision]:
    """Every row of every ``*.csv`` in `folder`, in file order.

    Raises ValueError naming file and line for a row whose header, label or citation is
    missing or malformed.
    """
    rows: list[Decision] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise ValueError(f"{path.name}: the header must be {','.join(COLUMNS)}")
            for row in reader:
                where = f"{path.name}, line {reader.line_num}"
                if row["similar"] not in ("yes", "no"):
                    raise ValueError(f"{where}: similar is {row['similar']!r}, not yes or no")
                if not (row["earlier"] and row["later"] and row["decision"] and row["url"]):
                    raise ValueError(f"{where}: a mark, the decision or its url is empty")
                values = {**row, "similar": row["similar"] == "yes", "table": path.stem}
                rows.append(Decision(**values))
    return rows


@dataclass(frozen=True)
class Figures:
    """Recall on the pairs found similar, precision on the pairs `compare` calls similar."""

    threshold: float
    pairs: int
    similar: int
    found: int  # similar pairs scored at or above the threshold
    flagged: int  # pairs scored at or above the threshold

    @property
    def recall(self) -> float:
        return self.found / self.similar if self.similar else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.flagged if self.flagged else 1.0


def measure(scored: list[tuple[Decision, float]], threshold: float) -> Figures:
    """Figures at `threshold` for pairs with their scores."""
    return Figures(
        threshold,
        len(scored),
        sum(d.similar for d, _ in scored),
        sum(d.similar and s >= threshold for d, s in scored),
        sum(s >= threshold for _, s in scored),
    )
