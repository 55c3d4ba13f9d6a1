"""Each section of a report as the same question asked live: a GraphQL query (with its
variables) for the playground, and the saved SPARQL queries (``queries/*.rq``) that list the
facts of the section's subject, their parameters set to it. The SPARQL lists the raw facts
(e.g. registrations of the mark's exact text, in every jurisdiction, at every date); the
section's table is what the analyses make of them (similar marks, the date asked), so each
link says what it lists.

Links open on a running ``kg serve``: `links` builds ``{server}/graphql#query=…&variables=…``
and ``{server}/sparql#query=…`` (the pages open a question carried in the fragment as their
first tab). A report the server answers (``/report``) links relative to itself (`server` "").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kg.resources import QUERIES_DIR

__all__ = ["DEFAULT_SERVER", "Question", "SectionQuestions", "saved_query", "section_questions"]

DEFAULT_SERVER = "http://127.0.0.1:8000"
"""Where `kg serve` listens by default: the server a report written to a file links to."""


@dataclass(frozen=True)
class Question:
    """One question: a label, and the URL that opens it (GraphiQL or the SPARQL page)."""

    label: str
    url: str


@dataclass(frozen=True)
class SectionQuestions:
    """The questions behind one section of a report."""

    graphql: Question | None = None
    sparql: tuple[Question, ...] = field(default=())


def saved_query(name: str, **values: str) -> str:
    """The text of ``queries/{name}.rq`` with each ``VALUES ?param { … }`` set to `values`
    (an IRI given as ``<…>``, anything else as a string literal).

    >>> print(saved_query("mark-uses", text='NIKE "AIR"').split("VALUES ")[1].splitlines()[0])
    ?text { "NIKE \\"AIR\\"" }

    Raises `KeyError` when the query has no ``VALUES`` for a parameter.
    """
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    for param, value in values.items():
        pattern = re.compile(r"(VALUES \?" + re.escape(param) + r" \{ )[^}]*?( \})")
        if not pattern.search(text):
            raise KeyError(f"queries/{name}.rq has no VALUES ?{param}")
        term = value if _is_iri(value) else _string(value)
        text = pattern.sub(lambda m, t=term: m.group(1) + t + m.group(2), text, count=1)
    return text


def section_questions(
    server: str,
    *,
    mark: str | None = None,
    nice_class: int | None = None,
    jurisdiction: str | None = None,
    party: str | None = None,
    case: str | None = None,
    as_of: str | None = None,
    include_lapsed: bool = False,
) -> dict[str, SectionQuestions]:
    """Section id (``who-else-uses``, ``priority``, ``conflicts``, ``cases``, ``timeline``,
    ``contradictions``) -> its questions, for a report on `mark`, `party` or `case`."""
    when: dict[str, Any] = {"asOf": as_of, "includeLapsed": include_lapsed or None}
    found: dict[str, SectionQuestions] = {}
    if mark:
        found["who-else-uses"] = SectionQuestions(
            _graphql(
                server,
                "WhoElseUses",
                "query WhoElseUses($mark: String!, $niceClass: Int, $jurisdiction: String, "
                "$asOf: Date, $includeLapsed: Boolean) { whoElseUses(mark: $mark, niceClass: "
                "$niceClass, jurisdiction: $jurisdiction, asOf: $asOf, includeLapsed: "
                "$includeLapsed) { party { name } mark { text } kind jurisdiction { code } "
                "niceClasses since status lapsed similarity reasons sources { title } } }",
                {"mark": mark, "niceClass": nice_class, "jurisdiction": jurisdiction, **when},
            ),
            (
                _sparql(
                    server,
                    "Registrations of this exact text",
                    saved_query("mark-registrations", text=mark),
                ),
                _sparql(server, "Uses of this exact text", saved_query("mark-uses", text=mark)),
            ),
        )
        if nice_class and jurisdiction:
            found["priority"] = SectionQuestions(
                _graphql(
                    server,
                    "Priority",
                    "query Priority($mark: String!, $niceClass: Int!, $jurisdiction: String!, "
                    "$asOf: Date, $includeLapsed: Boolean) { priority(mark: $mark, niceClass: "
                    "$niceClass, jurisdiction: $jurisdiction, asOf: $asOf, includeLapsed: "
                    "$includeLapsed) { rule holder { name } holders { name } explanation } }",
                    {"mark": mark, "niceClass": nice_class, "jurisdiction": jurisdiction, **when},
                ),
                (
                    _sparql(
                        server,
                        "Claims about this exact text",
                        saved_query("mark-claims", text=mark),
                    ),
                ),
            )
    if mark or party or case:
        found["conflicts"] = SectionQuestions(
            _graphql(
                server,
                "Conflicts",
                "query Conflicts($jurisdiction: String, $niceClass: Int, $asOf: Date, "
                "$includeLapsed: Boolean, $party: String, $mark: String) { conflicts("
                "jurisdiction: $jurisdiction, niceClass: $niceClass, asOf: $asOf, "
                "includeLapsed: $includeLapsed, party: $party, mark: $mark) { totalCount "
                "edges { node { parties { name } holders { name } marks { text } score "
                "reasons } } } }",
                # a party's or a mark's report: its conflicts, as the report lists them
                {
                    "jurisdiction": jurisdiction,
                    "niceClass": nice_class,
                    "party": party,
                    "mark": mark,
                    **when,
                },
            )
        )
    if case:
        found["cases"] = SectionQuestions(
            _graphql(
                server,
                "Case",
                "query Case($id: ID!) { case(id: $id) { number courts { name } plaintiffs { name } "
                "defendants { name } sources { title } } }",
                {"id": case},
            ),
            (
                _sparql(
                    server,
                    "Parties of the case",
                    saved_query("case-parties", case=f"<{_case_iri(case)}>"),
                ),
            ),
        )
    timeline_variables = {"case": case} if case else {"party": party} if party else None
    if timeline_variables:
        found["timeline"] = SectionQuestions(
            _graphql(
                server,
                "Timeline",
                "query Timeline($party: String, $case: ID) { timeline(party: $party, case: $case)"
                " { date kind description sources { title } } }",
                timeline_variables,
            ),
            (_sparql(server, "Every dated event", saved_query("timeline")),),
        )
    found["contradictions"] = SectionQuestions(
        _graphql(
            server,
            "Contradictions",
            "query Contradictions { contradictions { kind property explanation } }",
            {},
        )
    )
    return found


def _graphql(server: str, label: str, query: str, variables: dict[str, Any]) -> Question:
    given = {k: v for k, v in variables.items() if v is not None}
    fragment = urlencode({"query": query, "variables": json.dumps(given, ensure_ascii=False)})
    return Question(label, f"{server}/graphql#{fragment}")


def _sparql(server: str, label: str, query: str) -> Question:
    return Question(label, f"{server}/sparql#{urlencode({'query': query})}")


def _is_iri(value: str) -> bool:
    return (
        value.startswith("<")
        and value.endswith(">")
        and not re.search(r'[\s<>"{}|^`\\]', value[1:-1])
    )


def _string(value: str) -> str:
    """A SPARQL string literal (double quotes; backslash, quote and line ends escaped)."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _case_iri(case: str) -> str:
    """The case's IRI: as given when it is one, else tmkg's for an id (``aws-cn-2018``)."""
    return (
        case
        if case.startswith(("http://", "https://"))
        else f"https://w3id.org/tmkg/id/case/{case}"
    )
