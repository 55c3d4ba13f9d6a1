"""The landing page at ``/``: what the service answers, and a way into each part of it.

It names the questions tmkg answers and links each to a runnable example built from the data
the store holds (a mark, a case and its two sides): the GraphQL playground with the question
as its first tab (``/graphql#query=…``), the SPARQL query page, a report, and a resource page
(``/id/…``). The store's figures (quads, graphs) close the page. The examples and figures are
read once per state of the data (`KnowledgeGraph.generation`). Every value from the data is
escaped and isolated in ``<bdi>`` (`kg.report.bidi`): a mark or name written right to left
cannot reorder the sentence around it.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from kg.graph import GraphStats, KnowledgeGraph
from kg.namespaces import ID
from kg.report.bidi import isolate

__all__ = ["Examples", "examples_from", "landing_page"]


@dataclass(frozen=True)
class Examples:
    """Values from the data to make the page's examples with (None when the store has none)."""

    mark: str | None
    mark_iri: str | None
    case: str | None
    plaintiff: str | None
    defendant: str | None
    party_iri: str | None


def examples_from(graph: KnowledgeGraph) -> Examples:
    """The mark the most registrations and uses name, and a case with a plaintiff and a
    defendant, from the store."""
    mark = next(
        iter(
            graph.query(  # type: ignore[call-overload]
                # the mark most registrations and uses name: the data's own centre, not
                # whichever text sorts first
                """SELECT ?m ?t (COUNT(DISTINCT ?h) AS ?n) WHERE { ?h tm:mark ?m . ?m tm:text ?t }
                   GROUP BY ?m ?t ORDER BY DESC(?n) ?t ?m LIMIT 1"""
            )
        ),
        None,
    )
    case = next(
        iter(
            graph.query(  # type: ignore[call-overload]
                """SELECT ?c ?a ?an ?bn WHERE {
                     ?c a tm:Case ; tm:plaintiff ?a ; tm:defendant ?b .
                     ?a schema:name ?an . ?b schema:name ?bn
                   } ORDER BY ?c ?an ?bn LIMIT 1"""
            )
        ),
        None,
    )
    return Examples(
        mark=mark["t"].value if mark else None,
        mark_iri=mark["m"].value if mark else None,
        case=case["c"].value.rsplit("/", 1)[-1] if case else None,
        plaintiff=case["an"].value if case else None,
        defendant=case["bn"].value if case else None,
        party_iri=case["a"].value if case else None,
    )


_STYLE = """body { font: 16px/1.55 system-ui, sans-serif; margin: 2rem auto; max-width: 62rem;
  padding: 0 1rem; color: #1b1f24; }
h1 { margin: 0 0 .3rem; } .lead { color: #424a53; margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
  gap: 1rem; margin: 1.5rem 0; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: .8rem 1rem; }
.card h2 { font-size: 1.05rem; margin: 0 0 .3rem; } .card p { margin: 0; font-size: 14px; }
ol li { margin: .35rem 0; } code { font-size: 14px; }
table { border-collapse: collapse; font-size: 14px; }
td, th { padding: .2rem .6rem; border-bottom: 1px solid #eaeef2; text-align: left;
  overflow-wrap: anywhere; }
a { overflow-wrap: anywhere; }
.muted { color: #57606a; font-size: 14px; }"""


def landing_page(examples: Examples, stats: GraphStats, location: str) -> str:
    """The page's HTML. Every value from the data is escaped and isolated (`isolate`)."""
    questions = "".join(f"<li>{item}</li>" for item in _questions(examples))
    report = (
        f'<a href="/report?{_q({"mark": examples.mark})}">/report?mark={isolate(examples.mark)}</a>'
        if examples.mark
        else "<code>/report?mark=TEXT</code>"
    )
    resource = (
        f'<a href="{_e(_id_path(examples.party_iri))}">{_e(_id_path(examples.party_iri))}</a>'
        if examples.party_iri
        else "<code>/id/party/NAME</code>"
    )
    rows = "".join(
        f"<tr><td>{count}</td><td>{isolate(name)}</td></tr>" for name, count in stats.per_graph
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n<title>tmkg</title>\n'
        f"<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        "<h1>tmkg — trademark-conflict knowledge graph</h1>\n"
        '<p class="lead">Parties, marks, applications and registrations with their life, uses, '
        "jurisdictions, Nice classes, proceedings and events, each fact tied to the source that "
        "states it. Ask who else uses a mark, how two parties are connected, who has priority "
        "and what happened when.</p>\n"
        '<div class="cards">\n'
        '<div class="card"><h2><a href="/graphql">GraphQL playground</a></h2><p>Every question '
        "as a typed field, with examples in tabs and the schema in the Docs pane.</p></div>\n"
        '<div class="card"><h2><a href="/sparql">SPARQL query page</a></h2><p>The whole graph '
        "for SPARQL 1.1: the named graph of each fact names its source.</p></div>\n"
        f'<div class="card"><h2>Reports</h2><p>{report}: a self-contained report on a mark, a '
        "party (<code>?party=</code>) or a case (<code>?case=</code>).</p></div>\n"
        f'<div class="card"><h2>Resources</h2><p>{resource}: any tmkg IRI, as a page or as '
        "RDF.</p></div>\n"
        "</div>\n"
        f"<h2>Questions to start with</h2>\n<ol>{questions}</ol>\n"
        f'<p class="muted">Store: {_e(location)} — {stats.total} quads in '
        f'{len(stats.per_graph)} graphs. <a href="/health">/health</a></p>\n'
        f"<details><summary>Graphs</summary><table><thead><tr><th>quads</th><th>graph</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></details>\n"
        "</body>\n</html>\n"
    )


def _questions(examples: Examples) -> list[str]:
    asks: list[str] = []
    if examples.mark:
        asks.append(
            _ask(
                f"Who else uses a mark like {isolate(repr(examples.mark))}, and since when?",
                "query($mark: String!) { whoElseUses(mark: $mark) "
                "{ party { name } mark { text } kind jurisdiction { code } niceClasses since "
                "similarity } }",
                {"mark": examples.mark},
            )
        )
    if examples.plaintiff and examples.defendant:
        asks.append(
            _ask(
                f"How are {isolate(examples.plaintiff)} and {isolate(examples.defendant)} "
                "connected?",
                "query($from: String!, $to: String!) { conflictPath(from: $from, to: $to) "
                "{ summary steps { explanation } } }",
                {"from": examples.plaintiff, "to": examples.defendant},
            )
        )
    if examples.case:
        asks.append(
            _ask(
                f"What happened in the case {isolate(examples.case)}, and when?",
                "query($case: ID!) { timeline(case: $case) { date kind description } }",
                {"case": examples.case},
            )
        )
    asks.append(
        _ask(
            "Which pairs of parties are most at risk of conflict?",
            "{ conflicts(first: 5) { edges { node { parties { name } score reasons } } } }",
            {},
        )
    )
    asks.append(
        _ask(
            "Where do the sources contradict each other?",
            "{ contradictions { kind property explanation } }",
            {},
        )
    )
    return asks


def _ask(question: str, query: str, variables: dict[str, str]) -> str:
    """A link opening `query` in GraphiQL; `question` is HTML (its values already isolated)."""
    target = urlencode({"query": query, "variables": json.dumps(variables, ensure_ascii=False)})
    return f'<a href="/graphql#{_e(target)}">{question}</a>'


def _id_path(iri: str | None) -> str:
    return "/id/" + quote((iri or "").removeprefix(str(ID)), safe="/-._~%")


def _q(values: dict[str, str | None]) -> str:
    return html.escape(urlencode({k: v for k, v in values.items() if v}))


def _e(value: object) -> str:
    return html.escape(str(value))
