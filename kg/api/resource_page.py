"""``GET /id/{path}``: tmkg's own IRIs resolve on the server (linked data).

``https://w3id.org/tmkg/id/party/amazon`` is answered at ``/id/party/amazon``: by content
negotiation (RFC 9110, `kg.api.sparql.negotiate`) an HTML page for a browser — the resource's
statements, each with the sources that state it, links to the resources it names and to those
that name it, to its report, to a GraphQL query and to the SPARQL behind the page — or its
statements as RDF: Turtle (triples), TriG or N-Quads (each in its source's named graph),
JSON-LD (with graphs). With no Accept header the answer is Turtle. An IRI the graph says
nothing about is 404; a media type the page cannot give is 406. ``HEAD`` answers the headers.
On the HTML page every value from the data is escaped and isolated in ``<bdi>``
(`kg.report.bidi`), so a right-to-left name or a bidi control cannot reorder the page around it.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from urllib.parse import quote, urlencode

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.analysis.describe import Description, Statement, describe, local_iri
from kg.analysis.service import Analyst
from kg.graph import KnowledgeGraph
from kg.namespaces import ID, PREFIXES
from kg.report.bidi import isolate, isolate_text

__all__ = ["RESOURCE_MEDIA_TYPES", "resource_routes"]

RESOURCE_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "application/ld+json": "jsonld",
    "text/html": "html",
    "application/xhtml+xml": "html",
}
"""Media type -> answer; the first of each is the one the answer carries."""
_RDF = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "trig": ("application/trig", ox.RdfFormat.TRIG),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SPARQL_BEHIND = """# What the graph says about <{iri}>, each statement with its source
SELECT ?property ?value ?source WHERE {{
  GRAPH ?g {{ <{iri}> ?property ?value }}
  OPTIONAL {{ ?g prov:wasDerivedFrom ?s . OPTIONAL {{ ?s dcterms:title ?title }} }}
  BIND(COALESCE(?title, STR(?g)) AS ?source)
}} ORDER BY ?property ?value"""
"""The SPARQL query a resource page's statements answer (the page's SPARQL link opens it)."""
_TM = "https://w3id.org/tmkg/ontology#"


def resource_routes(graph: KnowledgeGraph) -> list[Route]:
    """The ``/id/{path}`` route over `graph`."""
    analyst = Analyst(graph)

    async def resource(request: Request) -> Response:
        from kg.api.sparql import negotiate

        answer = negotiate(request.headers.get("accept"), RESOURCE_MEDIA_TYPES)
        headers = {"Vary": "Accept"}
        if answer is None:
            return PlainTextResponse(
                "not acceptable: this page is text/html, text/turtle, application/trig, "
                "application/n-quads or application/ld+json\n",
                status_code=406,
                headers=headers,
            )
        found, iri = None, ""
        for iri in _named_iris(request):
            found = await anyio.to_thread.run_sync(describe, graph, iri, analyst.facts)
            if found.exists:
                break
        if found is None or not found.exists:
            return PlainTextResponse(
                f"the graph says nothing about {quote(iri, safe=':/#%-._~')}\n",
                status_code=404,
                headers=headers,
            )
        if answer == "html":
            marks = analyst.facts.marks
            named = [s.value for s in found.statements if s.predicate == _TM + "mark"]
            mark_text = next((marks[m] for m in named if m in marks), None)
            return HTMLResponse(_page(found, mark_text), headers=headers)
        media, rdf_format = _RDF[answer]
        body = _serialize(graph, iri, rdf_format)
        return Response(body, media_type=media, headers=headers)

    return [Route("/id/{path:path}", resource, methods=["GET", "HEAD"], name="resource")]


def _named_iris(request: Request) -> list[str]:
    """The IRIs a ``/id/...`` request may name, in the order tried: the path as sent, its
    percent-escapes kept (a registration number's space is ``%20`` in its IRI:
    `kg.registries.iris.registration_iri`, and the pages link to it so), then as decoded (an
    IRI written with the characters themselves, which a browser sends percent-encoded)."""
    decoded = local_iri(request.path_params["path"])
    raw = request.scope.get("raw_path") or b""
    sent = raw.decode("latin-1").partition("/id/")[2] if isinstance(raw, bytes) else ""
    if not sent:
        return [decoded]
    # %2f and %2F are one character (RFC 3986, 2.1): IRIs are written with the upper case
    upper = _ESCAPE.sub(lambda escape: escape[0].upper(), sent)
    return list(dict.fromkeys([local_iri(sent), local_iri(upper), decoded]))


_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _serialize(graph: KnowledgeGraph, iri: str, rdf_format: ox.RdfFormat) -> bytes:
    node = ox.NamedNode(iri)
    quads = list(graph.store.quads(subject=node))
    if not rdf_format.supports_datasets:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return ox.serialize(sorted(triples, key=str), format=rdf_format, prefixes=PREFIXES)
    if rdf_format == ox.RdfFormat.JSON_LD:
        return ox.serialize(sorted(quads, key=str), format=rdf_format)
    return ox.serialize(sorted(quads, key=str), format=rdf_format, prefixes=PREFIXES)


# ------------------------------------------------------------------ the HTML page

_STYLE = """body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
  padding: 0 1rem; color: #1b1f24; }
h1 { margin-bottom: .2rem; } .iri { color: #57606a; font-family: monospace; word-break: break-all; }
nav a { margin-right: 1rem; } table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid #d0d7de; overflow-wrap: anywhere; }
h1 { overflow-wrap: anywhere; }
th { background: #f6f8fa; } .source { color: #57606a; font-size: 13px; }
code { font-size: 13px; }"""


def _page(found: Description, mark_text: str | None = None) -> str:
    name = found.label
    kinds = ", ".join(isolate(_short(t)) for t in found.types) or "resource"
    rows = _rows(found.statements, outgoing=True)
    links_in = _rows(found.links_in, outgoing=False)
    more = (
        "<p>More statements than this page shows were left out; ask SPARQL for all of them.</p>"
        if found.truncated
        else ""
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(isolate_text(name))} — tmkg</title>\n"
        f'<link rel="alternate" type="text/turtle" href="{html.escape(_path(found.iri))}">\n'
        f"<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        '<nav><a href="/">tmkg</a><a href="/graphql">GraphQL</a>'
        '<a href="/sparql">SPARQL</a></nav>\n'
        f"<h1>{isolate(name)}</h1>\n"
        f'<p><span class="iri">{isolate(found.iri)}</span> — {kinds}</p>\n'
        f"<p>{_actions(found, mark_text)}</p>\n"
        "<h2>What the sources say about it</h2>\n"
        f"{rows}\n"
        "<h2>What points at it</h2>\n"
        f"{links_in if found.links_in else '<p>Nothing in the graph names it.</p>'}\n{more}"
        "</body>\n</html>\n"
    )


def _rows(statements: tuple[Statement, ...], *, outgoing: bool) -> str:
    grouped: dict[tuple, list[Statement]] = defaultdict(list)
    for s in statements:
        grouped[(s.predicate, s.value, s.is_iri, s.datatype, s.language)].append(s)
    body = []
    for (predicate, _value, _iri, _dt, _lang), group in grouped.items():
        first = group[0]
        cells = (
            f"<td>{isolate(_short(predicate))}</td><td>{_value_html(first)}</td>"
            if outgoing
            else f"<td>{_value_html(first)}</td><td>{isolate(_short(predicate))}</td>"
        )
        body.append(f"<tr>{cells}<td>{_sources_html(group)}</td></tr>")
    head = "<th>property</th><th>value</th>" if outgoing else "<th>resource</th><th>property</th>"
    return (
        f"<table><thead><tr>{head}<th>stated by</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _value_html(statement: Statement) -> str:
    if statement.is_iri:
        shown = statement.label or _short(statement.value)
        if statement.value.startswith(str(ID)):
            return f'<a href="{html.escape(_path(statement.value))}">{isolate(shown)}</a>'
        return f'<a href="{html.escape(statement.value)}">{isolate(shown)}</a>'
    text = isolate(statement.value, lang=statement.language)
    if statement.language:
        language = isolate(statement.language)
        return f'{text} <span class="source">@{language}</span>'
    if statement.datatype and not statement.datatype.endswith("#string"):
        return f'{text} <span class="source">{isolate(_short(statement.datatype))}</span>'
    return text


def _sources_html(group: list[Statement]) -> str:
    seen: dict[str, str] = {}
    for s in group:
        if s.source is not None:
            seen.setdefault(s.source.graph, s.source.title or _short(s.source.graph))
        elif s.graph:
            seen.setdefault(s.graph, _short(s.graph))
        else:
            seen.setdefault("", "default graph")
    return "; ".join(
        f'<span class="source" title="{html.escape(isolate_text(g))}">{isolate(t)}</span>'
        for g, t in sorted(seen.items(), key=lambda kv: kv[1])
    )


def _actions(found: Description, mark_text: str | None = None) -> str:
    """Links to the same resource's report, a GraphQL query and the SPARQL behind the page;
    for a registration, use or claim (`mark_text`: its mark's text), those of its mark."""
    kinds = {t.removeprefix(_TM) for t in found.types}
    links = []
    report = None
    if kinds & {"Company", "Person", "Court", "TrademarkOffice", "Party"}:
        report = {"party": found.label}
        graphql = (
            "query($name: String!) { party(name: $name) { name aliases } }",
            {"name": found.label},
        )
    elif "Mark" in kinds or mark_text:
        text = mark_text or next(
            (s.value for s in found.statements if s.predicate == _TM + "text"), ""
        )
        report = {"mark": text}
        graphql = (
            "query($mark: String!) { whoElseUses(mark: $mark) "
            "{ party { name } kind jurisdiction { code } since similarity } }",
            {"mark": text},
        )
    elif kinds & {"Case", "Proceeding", "Opposition", "Cancellation"}:
        report = {"case": found.iri.rsplit("/", 1)[-1]}
        graphql = (
            "query($case: ID!) { timeline(case: $case) { date kind description } }",
            {"case": found.iri.rsplit("/", 1)[-1]},
        )
    else:
        graphql = None
    if report:
        links.append(f'<a id="report" href="/report?{html.escape(urlencode(report))}">Report</a>')
    if graphql:
        query, variables = graphql
        target = urlencode({"query": query, "variables": json.dumps(variables, ensure_ascii=False)})
        links.append(
            f'<a id="ask-graphql" href="/graphql#{html.escape(target)}">Ask in GraphQL</a>'
        )
    sparql = SPARQL_BEHIND.format(iri=found.iri)
    links.append(
        f'<a id="ask-sparql" href="/sparql#{html.escape(urlencode({"query": sparql}))}">'
        "The SPARQL behind this page</a>"
    )
    return " · ".join(links)


def _path(iri: str) -> str:
    return "/id/" + quote(iri.removeprefix(str(ID)), safe="/-._~%")


def _short(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
