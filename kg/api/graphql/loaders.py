"""Per-request DataLoaders: the nested objects of one GraphQL answer, read in batches.

A query like ``conflicts { edges { node { parties { registrations { ... } } } } }`` asks for
the registrations of every party of every conflict. Each loader gathers the keys asked for
in one tick of the event loop and reads them with one batched `FactBase` call (one store
query per 5,000 keys), so the number of store queries per request does not grow with the
number of objects in the answer. Loaders are built per request (`Context.build`), so their
caches never outlive it; the facts they read are those of the graph's current generation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from kg.analysis.facts import FactBase
from kg.analysis.judgment_facts import read_judgments
from kg.analysis.judgments import Judgment
from kg.analysis.model import CaseSummary, Holding, PartyRef, SourceRef, TimelineEntry
from kg.analysis.ownership_facts import registration_ownership
from kg.analysis.timeline import order_timeline
from kg.api.graphql.runner import AnalysisRunner

__all__ = ["Context", "Loaders", "SourcedHolding"]

V = TypeVar("V")


@dataclass(frozen=True)
class SourcedHolding:
    """A registration or use with its sources resolved (a `Holding` names only graphs)."""

    holding: Holding
    sources: tuple[SourceRef, ...]


class Loaders:
    """The DataLoaders of one request, each keyed by canonical IRI."""

    def __init__(self, runner: AnalysisRunner) -> None:
        self._runner = runner
        self.party: DataLoader[str, PartyRef | None] = self._loader(
            lambda facts, keys: facts.parties(keys), None
        )
        self.holdings_of_party: DataLoader[str, list[SourcedHolding]] = self._loader(
            lambda facts, keys: _sourced(facts, facts.holdings_of(keys)), []
        )
        self.holdings_of_mark: DataLoader[str, list[SourcedHolding]] = self._loader(
            lambda facts, keys: _sourced(facts, facts.holdings_by_mark(keys)), []
        )
        self.cases_of_party: DataLoader[str, list[tuple[str, str]]] = self._loader(
            lambda facts, keys: facts.cases_of(keys), []
        )
        self.case: DataLoader[str, CaseSummary | None] = self._loader(
            lambda facts, keys: facts.case_summaries(keys), None
        )
        self.events_of_case: DataLoader[str, list[TimelineEntry]] = self._loader(
            lambda facts, keys: {
                case: order_timeline(entries)
                for case, entries in facts.events_by_case(keys).items()
            },
            [],
        )
        self.sources: DataLoader[str, tuple[SourceRef, ...]] = self._loader(
            lambda facts, keys: facts.sources_of(keys), ()
        )
        # a case's judgments, each value with its sources (kg.analysis.judgments)
        self.judgments_of_case: DataLoader[str, list[Judgment]] = self._loader(read_judgments, [])
        # a registration's (changes of owner, representatives, dated records): ownership_facts
        self.ownership: DataLoader[str, tuple[tuple, tuple[str, ...], tuple]] = self._loader(
            lambda facts, keys: registration_ownership(facts, keys), ((), (), ())
        )

    def _loader(
        self, read: Callable[[FactBase, list[str]], Mapping[str, Any]], missing: Any
    ) -> DataLoader[str, Any]:
        runner = self._runner

        def batch(keys: list[str]) -> list[Any]:
            facts = runner.analyst.facts
            found = read(facts, keys)
            canonical = facts.identities.canonical
            return [found.get(canonical(key), missing) for key in keys]

        async def load(keys: list[str]) -> list[Any]:
            return await runner.run(lambda: batch(keys))

        return DataLoader(load_fn=load)


def _sourced(
    facts: FactBase, holdings: Mapping[str, list[Holding]]
) -> dict[str, list[SourcedHolding]]:
    return {
        key: [SourcedHolding(h, facts.source_refs(h.sources)) for h in found]
        for key, found in holdings.items()
    }


@dataclass
class Context:
    """What every resolver gets as ``info.context``: the request, the service, the loaders."""

    request: Any
    response: Any
    runner: AnalysisRunner
    loaders: Loaders

    @classmethod
    def build(cls, runner: AnalysisRunner, request: Any = None, response: Any = None) -> Context:
        """A fresh context (and fresh loaders) for one request."""
        return cls(request=request, response=response, runner=runner, loaders=Loaders(runner))
