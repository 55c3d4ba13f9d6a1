"""Co-owners: the holders of one registration or application that a source names together.

A registration stated with two owners by one source (a register's record naming both) is
held jointly: one right, which `conflicts` lists once naming every holder and `priority`
gives to them jointly. Two sources naming different owners of the same registration
disagree (`kg contradictions` shows it): each owner is a claim of its own, not a co-owner.
A use is its user's alone, whoever else another source says uses it. A former owner's
holding, lapsed on the date asked, is not the current owners' right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.analysis.model import FILED_KINDS, Holding

__all__ = ["Right", "co_owners", "right"]

Right = tuple[str, str | None, bool, str | None, str | None]
"""A right as its holders hold it on the date: (holding IRI, its user for a use, lapsed,
ended, end reason)."""


def right(holding: Holding) -> Right:
    """The right `holding` is one holder's share of (`Right`)."""
    user = None if holding.kind in FILED_KINDS else holding.party
    return (holding.id, user, holding.lapsed, holding.ended, holding.end_reason)


def co_owners(holdings: Iterable[Holding]) -> dict[tuple[str, str], frozenset[str]]:
    """(holding IRI, party) -> the parties holding that right jointly, the party too: those
    of the same registration or application (`right`) that a source names as holders
    together with it (a graph in both holdings' `graph_identities`, the graphs naming each
    holder). A holding no graph is known to name (built outside `FactBase`) is held with
    every other holder of its right."""
    by_right: dict[Right, list[Holding]] = defaultdict(list)
    for holding in holdings:
        by_right[right(holding)].append(holding)
    found: dict[tuple[str, str], frozenset[str]] = {}
    for group in by_right.values():
        naming = [{graph for graph, _ in holding.graph_identities} for holding in group]
        for holding, graphs in zip(group, naming, strict=True):
            found[(holding.id, holding.party)] = frozenset(
                other.party
                for other, others in zip(group, naming, strict=True)
                if other is holding
                or (
                    holding.kind in FILED_KINDS
                    and other.kind in FILED_KINDS
                    and (not graphs or not others or graphs & others)
                )
            )
    return found
