"""Statements the shapes refuse, written into the store by other means than tmkg's checked
paths (an update on a remote store, which tmkg does not validate; another program writing the
store; the endpoint's own updates are refused: tests/test_update_validation.py), leave the
analyses answering about the rest (helper-108 F4: a
literal Nice class made every conflicts, whoElseUses and priority answer an internal error,
and a mark's report a 500)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst

CN = "https://w3id.org/tmkg/id/registration/cn-8967030"
ILL_TYPED = {
    "a Nice class as a literal": f'<{CN}> tm:niceClass "42"',
    "a Nice class as a number": f"<{CN}> tm:niceClass 42",
    "a jurisdiction as a literal": f'<{CN}> tm:jurisdiction "CN"',
    "a date that is no date": f'<{CN}> tm:filingDate "2023-02-30"^^xsd:date',
    "an owner as a literal": f'<{CN}> tm:owner "Somebody"',
    "a status as an IRI": f"<{CN}> tm:markStatus <urn:x:status>",
}


@pytest.fixture
def graph() -> Iterator[KnowledgeGraph]:
    with KnowledgeGraph.open(Settings(memory=True)) as opened:
        opened.load_seed()
        yield opened


@pytest.mark.parametrize("statement", ILL_TYPED.values(), ids=list(ILL_TYPED))
def test_analyses_answer_about_the_rest(graph: KnowledgeGraph, statement: str) -> None:
    before = Analyst(graph)
    usages = {u.party.id for u in before.who_else_uses("AWS", 42, "CN")}
    conflicts = len(before.conflicts())
    graph.store.update(
        "PREFIX tm: <https://w3id.org/tmkg/ontology#> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        f"INSERT DATA {{ GRAPH <https://example.org/typo> {{ {statement} }} }}"
    )
    graph.changed()
    analyst = Analyst(graph)
    assert {u.party.id for u in analyst.who_else_uses("AWS", 42, "CN")} >= usages - {None}
    assert len(analyst.conflicts()) >= conflicts - 1
    analyst.priority("AWS", 42, "CN")
    analyst.timeline("Amazon")


@pytest.mark.parametrize("kind", ["mark", "case", "party"])
def test_reports_answer_when_a_side_is_no_party(graph: KnowledgeGraph, kind: str) -> None:
    """helper-110 F1: with Amazon no longer typed a party (a store written by other means),
    a report on the AWS mark was a 404 'no party named …amazon' (its timeline and paths
    asked for every side by id); the case report too."""
    from kg.report.document import build_report

    asked = {"mark": "AWS", "case": "aws-cn-2018", "party": "ActionSoft"}[kind]
    before = build_report(Analyst(graph), **{kind: asked})
    graph.store.update("DELETE WHERE { GRAPH ?g { <https://w3id.org/tmkg/id/party/amazon> a ?t } }")
    graph.changed()
    after = build_report(Analyst(graph), **{kind: asked})
    assert after.timeline and len(after.timeline) <= len(before.timeline)
