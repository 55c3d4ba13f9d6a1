"""A mark index's similar pairs of texts, read once, as arrays (`SimilarTable`).

A register-wide `kg conflicts` reads the similar pairs of the mark index
(`kg.analysis.mark_index.MarkIndex`) to choose the marks that may meet
(`kg.analysis.conflicts.conflict_marks_by_place`) and again for each batch of places it
searches (`kg.analysis.conflicts.find_conflicts`). Read through SQLite each time, with the
texts joined and each pair made a Python object, that cost ~36 s a read at a million marks
(12.5 million pairs) and was paid once per batch. `SimilarTable` holds the pairs once as
NumPy arrays of text ids, scores and reason codes (~18 bytes a pair: ~230 MB at 12.5 million)
and gives the pairs among a batch's texts by a mask over the text ids, making Python
objects only for those.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

from kg.analysis.similarity import MarkSimilarity, blocking_keys
from kg.lazy import lazy_module

np = lazy_module("numpy")  # loaded on first use (~0.1 s): kg.lazy

__all__ = ["SimilarTable"]


class SimilarTable:
    """Similar pairs of distinct texts, as `kg.analysis.conflicts.SimilarTexts` reads them.

    `texts` maps each indexed text to its id; `left`, `right` (text ids), `scores` and
    `reasons` (an index into `reason_lists`) are one entry per pair, each pair once.
    `similar_floor` is the lowest score kept: a lower floor cannot be read from it.

    >>> table = SimilarTable(
    ...     {"AWS": 1, "AWZ": 2, "TESLA": 3},
    ...     left=[1], right=[2], scores=[0.82], reasons=[0], reason_lists=[("short",)],
    ...     similar_floor=0.8,
    ... )
    >>> list(table.similar_pairs(0.8))
    [('AWS', 'AWZ', MarkSimilarity(score=0.82, reasons=('short',)))]
    >>> list(table.similar_pairs(0.8, among={"AWS", "TESLA"}))
    []
    >>> sorted(table.unknown_texts(["AWS", "NIKE"]))
    ['NIKE']
    """

    def __init__(
        self,
        texts: dict[str, int],
        *,
        left: Sequence[int] | np.ndarray,
        right: Sequence[int] | np.ndarray,
        scores: Sequence[float] | np.ndarray,
        reasons: Sequence[int] | np.ndarray,
        reason_lists: Sequence[tuple[str, ...]],
        similar_floor: float,
    ) -> None:
        self.similar_floor = similar_floor
        self._ids = texts
        size = max(texts.values(), default=0) + 1
        self._text_of: list[str | None] = [None] * size
        for text, number in texts.items():
            self._text_of[number] = text
        self._left = np.asarray(left, dtype=np.int32)
        self._right = np.asarray(right, dtype=np.int32)
        self._scores = np.asarray(scores, dtype=np.float64)
        self._reasons = np.asarray(reasons, dtype=np.int32)
        self._reason_lists = tuple(reason_lists)

    def __len__(self) -> int:
        return len(self._left)

    def similar_pairs(
        self, min_similarity: float, among: Collection[str] | None = None
    ) -> Iterator[tuple[str, str, MarkSimilarity]]:
        """The pairs scoring `min_similarity` or more (not below `similar_floor`:
        ValueError); with `among`, only those whose two texts are both in it."""
        if min_similarity < self.similar_floor:
            floor = self.similar_floor
            raise ValueError(f"the table keeps pairs from {floor}, not {min_similarity}")
        kept = self._scores >= min_similarity
        if among is not None:
            inside = np.zeros(len(self._text_of), dtype=bool)
            inside[[self._ids[t] for t in among if t in self._ids]] = True
            kept &= inside[self._left] & inside[self._right]
        chosen = np.flatnonzero(kept)
        made: dict[tuple[float, int], MarkSimilarity] = {}  # few distinct scores and reasons
        text_of, reason_lists = self._text_of, self._reason_lists
        for a, b, score, code in zip(
            self._left[chosen].tolist(),
            self._right[chosen].tolist(),
            self._scores[chosen].tolist(),
            self._reasons[chosen].tolist(),
            strict=True,
        ):
            similarity = made.get((score, code))
            if similarity is None:
                similarity = made[(score, code)] = MarkSimilarity(score, reason_lists[code])
            yield text_of[a], text_of[b], similarity  # type: ignore[misc]

    def unknown_texts(self, texts: Iterable[str]) -> set[str]:
        """Those of `texts` with blocking keys that the table does not know (not indexed
        when it was read)."""
        return {text for text in set(texts) if text not in self._ids and blocking_keys(text)}
