"""A hit of `who_else_uses` made of one holding (most hits: ~190 a question at a million marks)
is built without the merging a group of several needs (`kg.analysis.usage._usage_of_one`):
the same hit as merging a group of that one holding, for every holding of the test worlds
(registrations and uses, owners after assignments, regional and international rights, lapsed
rights with their ends, marks with Vienna codes and goods and services), on several days, with
and without a class note."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.dates import PartialDate
from kg.analysis.lifecycle import on_date
from kg.analysis.service import Analyst
from kg.analysis.similarity import MarkSimilarity
from kg.analysis.usage import _merged_usage, _usage_of_one
from tests.conftest import DATA, PREFIXES

# uses that end (a day, a month, a year), begin by a month or not at all, made on behalf of
# another; a registration with a status and two sources
USES = (
    PREFIXES
    + """
graph:hit-uses {
    mark:quillon a tm:Mark ; tm:text "QUILLON" .
    party:quill-a a tm:Company ; schema:name "Quill A Ltd" .
    party:quill-b a tm:Company ; schema:name "Quill B SARL" .
    use:q1 a tm:Use ; tm:mark mark:quillon ; tm:user party:quill-a ; tm:jurisdiction cc:FR ;
        tm:niceClass nice:25, nice:18 ; tm:startDate "2019-04"^^xsd:gYearMonth ;
        tm:endDate "2022-11-30"^^xsd:date .
    use:q2 a tm:Use ; tm:mark mark:quillon ; tm:user party:quill-b ; tm:onBehalfOf party:quill-a ;
        tm:jurisdiction cc:DE ; tm:endDate "2021"^^xsd:gYear .
    use:q3 a tm:Use ; tm:mark mark:quillon ; tm:user party:quill-b ; tm:jurisdiction cc:GB ;
        tm:startDate "2001"^^xsd:gYear ; tm:endDate "2030-05"^^xsd:gYearMonth .
    reg:q4 a tm:Registration ; tm:mark mark:quillon ; tm:owner party:quill-b ;
        tm:jurisdiction cc:US ; tm:niceClass nice:25 ; tm:registrationNumber "9100004" ;
        tm:filingDate "2015-01-05"^^xsd:date ; tm:markStatus status:registered .
}
graph:hit-gazette {
    reg:q4 tm:registrationDate "2016-02-01"^^xsd:date .
}
"""
)
WORLDS = [
    "uses",
    "mark-life.trig",
    "as-of-life.ttl",
    "conflicting-sources.trig",
    "ownership.trig",
    "regional-rights.trig",
    "mark-kinds.trig",
    "priority-claims.trig",
]
DAYS = ["1990", "2010-06-01", "2021-06", "2024-03-15"]
# (class strength, class note) as `who_else_uses` gives them: no class asked, the same
# class, a related one
CLASS_NOTES = [(None, ""), (1.0, "same class 25"), (0.62, "class 18 related to 25 (0.62)")]


@pytest.fixture(scope="module", params=WORLDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    if request.param == "uses":
        path = tmp_path_factory.mktemp("hits") / "uses.trig"
        path.write_text(USES, encoding="utf-8")
        graph.load([path])
    else:
        graph.load([DATA / request.param])
    yield graph
    graph.close()


def test_a_hit_of_one_holding_is_the_hit_merging_would_give(world: KnowledgeGraph) -> None:
    facts = Analyst(world).facts
    compared = 0
    for day in DAYS:
        holdings = on_date(facts.holdings(), PartialDate.parse(day), include_lapsed=True)
        parties = facts.parties(
            {h.party for h in holdings} | {h.on_behalf_of for h in holdings if h.on_behalf_of}
        )
        for holding in holdings:
            similarities = {holding.mark.id: MarkSimilarity(0.9, ("fuzzy", "phonetic"))}
            for strength, note in CLASS_NOTES:
                one = _usage_of_one(holding, strength, note, similarities, parties, facts.sources)
                merged = _merged_usage(
                    [(holding, strength, note)], similarities, parties, facts.sources
                )
                assert one == merged, holding.id
                compared += 1
    assert compared >= 3 * len(DAYS)  # each world has holdings to compare
