"""Defaults of the similarity questions that the command line and the API show before they
ask anything: kept apart from `kg.analysis.similarity` (which loads its rules' libraries) so
that stating a default costs no import."""

from __future__ import annotations

__all__ = ["CANDIDATE_MIN_SCORE", "DEFAULT_MIN_SIMILARITY"]

DEFAULT_MIN_SIMILARITY = 0.8
"""Score at or above which two marks count as confusingly similar (one edit in five letters):
the least `kg.analysis.similarity.compare` score of a hit, by default (0-1)."""

CANDIDATE_MIN_SCORE = 0.85
"""The least name score of a pair of parties `kg parties --duplicates` lists, by default
(`kg.analysis.resolution.duplicate_candidates`)."""
