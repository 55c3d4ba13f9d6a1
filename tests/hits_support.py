"""who-else-uses answers as (party name, mark text) -> (similarity, reasons), from the service
and from GraphQL, so tests of similarity evidence compare the two shells alike."""

from __future__ import annotations

from typing import Any

from kg.analysis.service import Analyst

WHO = """query($mark: String!) {
  whoElseUses(mark: $mark) { party { name } mark { text } similarity reasons }
}"""
"""The GraphQL question `graphql_hits` reads."""

Hits = dict[tuple[str, str], tuple[float, tuple[str, ...]]]


def hits(analyst: Analyst, text: str) -> Hits:
    """The service's answer to who-else-uses `text`."""
    return {
        (u.party.name, u.mark.text): (u.similarity, tuple(u.reasons))
        for u in analyst.who_else_uses(text)
    }


def graphql_hits(answer: dict[str, Any]) -> Hits:
    """A GraphQL answer to `WHO` (it must hold no errors)."""
    assert "errors" not in answer, answer
    return {
        (h["party"]["name"], h["mark"]["text"]): (h["similarity"], tuple(h["reasons"]))
        for h in answer["data"]["whoElseUses"]
    }
