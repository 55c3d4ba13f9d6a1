"""Reference data shipped with tmkg: the ontology, jurisdictions and Nice classes, as quads.

Jurisdictions come from pycountry (every ISO 3166-1 country), with priority rules from
``schema/priority-rules.csv`` where a rule is known and its legal basis is documented. Regional
and international systems (EM, BX, OA, WO) and their member states over time come from
``schema/regional-systems.csv`` and ``schema/regional-members.csv``. Nice
classes and their relatedness come from ``schema/nice.ttl``. The mark status scheme comes from
``schema/status.ttl``, and the USPTO's status codes, mapped onto it, from
``schema/status-uspto.csv`` (each code a concept of its own scheme, with where it is defined).
The kinds of mark (ST.66 MarkFeature) come from ``schema/mark-features.ttl``.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from functools import cache

import pycountry
import pyoxigraph as ox

from kg.namespaces import GRAPH, ID, JURISDICTION, ONTOLOGY_GRAPH, REFERENCE_GRAPH, TM
from kg.resources import SCHEMA_DIR

__all__ = [
    "DEFAULT_GRAPH_NAMED",
    "REFERENCE_GRAPHS",
    "STATUS",
    "USPTO_STATUS_SCHEME",
    "WORKING_GRAPHS",
    "is_working_graph",
    "jurisdiction_codes",
    "kept_by_tmkg",
    "ontology_quads",
    "other_quads_up_to",
    "own_graph_quads",
    "reference_quads",
    "reference_version",
    "regional_codes",
    "regional_systems",
    "shapes_path",
]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_SCHEMA_NAME = ox.NamedNode("https://schema.org/name")
_OWL_VERSION = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
_REFERENCE_FILES = (
    "ontology.ttl",
    "nice.ttl",
    "priority-rules.csv",
    "status.ttl",
    "mark-features.ttl",
    "status-uspto.csv",
    "regional-systems.csv",
    "regional-members.csv",
)
_SKOS = "http://www.w3.org/2004/02/skos/core#"
STATUS = "https://w3id.org/tmkg/id/status/"
"""IRIs of tmkg's mark status concepts: ``{STATUS}abandoned`` (``schema/status.ttl``)."""
USPTO_STATUS_SCHEME = "https://w3id.org/tmkg/id/status/uspto"
"""The scheme of the USPTO's status codes, each ``{USPTO_STATUS_SCHEME}/{code}``."""


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def shapes_path() -> str:
    """Path of the SHACL shapes file."""
    return str(SCHEMA_DIR / "shapes.ttl")


@cache
def reference_version() -> str:
    """A digest of the reference files and pycountry's version: changes when the data does."""
    digest = hashlib.sha256(
        pycountry.__version__.encode() if hasattr(pycountry, "__version__") else b""
    )
    for name in _REFERENCE_FILES:
        digest.update((SCHEMA_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


NOT_COUNTRIES = {  # codes people try that are neither ISO 3166-1 nor WIPO ST.3 regional ones
    "UK": "the ISO 3166-1 code of the United Kingdom is GB",
    "EU": "the WIPO ST.3 code of EU trade marks (EUIPO) is EM",
    "EP": "EP is the European Patent Office; the WIPO ST.3 code of EU trade marks (EUIPO) is EM",
}
"""Codes that are not jurisdictions but look like them, with the right one (for messages)."""


@cache
def jurisdiction_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code.

    >>> {"CN", "US", "DE"} <= jurisdiction_codes()
    True
    """
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def _priority_rules() -> dict[str, tuple[str, str]]:
    with (SCHEMA_DIR / "priority-rules.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (row["rule"], row["basis"]) for row in csv.DictReader(handle)}


@cache
def _prior_use_bases() -> dict[str, str]:
    """Code -> the provision a claim of prior use rests on (column prior_use_basis)."""
    with (SCHEMA_DIR / "priority-rules.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return {row["code"]: row["prior_use_basis"] for row in rows if row["prior_use_basis"]}


def _jurisdiction_quads() -> Iterator[ox.Quad]:
    graph = _nn(REFERENCE_GRAPH)
    for country in pycountry.countries:
        node = _nn(JURISDICTION[country.alpha_2])
        yield ox.Quad(node, _RDF_TYPE, _nn(TM.Jurisdiction), graph)
        yield ox.Quad(node, _nn(TM.code), ox.Literal(country.alpha_2), graph)
        name = ox.Literal(country.name, language="en")
        yield ox.Quad(node, _SCHEMA_NAME, name, graph)
        yield ox.Quad(node, _RDFS_LABEL, name, graph)
        official = getattr(country, "official_name", None)
        if official and official != country.name:
            alternate = ox.Literal(official, language="en")
            yield ox.Quad(node, _nn("https://schema.org/alternateName"), alternate, graph)
        yield from _rule_quads(node, country.alpha_2, graph)


def _rule_quads(node: ox.NamedNode, code: str, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """A jurisdiction's priority rule, its basis and prior-use basis (priority-rules.csv)."""
    rules, prior_use = _priority_rules(), _prior_use_bases()
    if code in rules:
        rule, basis = rules[code]
        yield ox.Quad(node, _nn(TM.priorityRule), _nn(TM[rule]), graph)
        yield ox.Quad(node, _nn(TM.priorityRuleBasis), ox.Literal(basis, language="en"), graph)
    if code in prior_use:
        text = ox.Literal(prior_use[code], language="en")
        yield ox.Quad(node, _nn(TM.priorUseBasis), text, graph)


def _uspto_status_quads() -> Iterator[ox.Quad]:
    """The USPTO's status codes as SKOS concepts, each mapped onto tmkg's status scheme."""
    graph = _nn(REFERENCE_GRAPH)
    scheme = _nn(USPTO_STATUS_SCHEME)
    yield ox.Quad(scheme, _RDF_TYPE, _nn(_SKOS + "ConceptScheme"), graph)
    label = ox.Literal("USPTO trademark status codes", language="en")
    yield ox.Quad(scheme, _nn(_SKOS + "prefLabel"), label, graph)
    with (SCHEMA_DIR / "status-uspto.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            node = _nn(f"{USPTO_STATUS_SCHEME}/{row['code']}")
            yield ox.Quad(node, _RDF_TYPE, _nn(_SKOS + "Concept"), graph)
            yield ox.Quad(node, _nn(_SKOS + "inScheme"), scheme, graph)
            yield ox.Quad(node, _nn(_SKOS + "notation"), ox.Literal(row["code"]), graph)
            text = ox.Literal(row["text"], language="en")
            yield ox.Quad(node, _nn(_SKOS + "prefLabel"), text, graph)
            yield ox.Quad(node, _nn(_SKOS + "broadMatch"), _nn(STATUS + row["status"]), graph)
            yield ox.Quad(node, _nn("http://purl.org/dc/terms/source"), _nn(row["url"]), graph)
            cited = ox.Literal(row["defined_in"], language="en")
            yield ox.Quad(node, _RDFS_COMMENT, cited, graph)


@cache
def regional_codes() -> frozenset[str]:
    """The WIPO ST.3 codes of the regional and international systems (``regional-systems.csv``).

    >>> sorted(regional_codes())
    ['BX', 'EM', 'OA', 'WO']
    """
    return frozenset(regional_systems())


@cache
def regional_systems() -> dict[str, str]:
    """WIPO ST.3 code -> English name of each regional or international system.

    >>> regional_systems()["EM"]
    'European Union trade mark'
    """
    with (SCHEMA_DIR / "regional-systems.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def _regional_quads() -> Iterator[ox.Quad]:
    """Regional systems as tm:RegionalJurisdiction, their members over time as tm:Membership.

    Membership IRIs are ``{ID}membership/{SYSTEM}-{MEMBER}-{FROM}``; each cites its source
    (dcterms:source), as the CSV row does.
    """
    graph = _nn(REFERENCE_GRAPH)
    source = _nn("http://purl.org/dc/terms/source")
    date = _nn("http://www.w3.org/2001/XMLSchema#date")
    with (SCHEMA_DIR / "regional-systems.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            node = _nn(JURISDICTION[row["code"]])
            yield ox.Quad(node, _RDF_TYPE, _nn(TM.RegionalJurisdiction), graph)
            yield ox.Quad(node, _nn(TM.code), ox.Literal(row["code"]), graph)
            name = ox.Literal(row["name"], language="en")
            yield ox.Quad(node, _SCHEMA_NAME, name, graph)
            yield ox.Quad(node, _RDFS_LABEL, name, graph)
            office = ox.Literal(row["office"], language="en")
            yield ox.Quad(node, _nn("https://schema.org/alternateName"), office, graph)
            yield ox.Quad(node, source, ox.Literal(row["source"], language="en"), graph)
            yield from _rule_quads(node, row["code"], graph)  # EM's rule, from priority-rules.csv
    with (SCHEMA_DIR / "regional-members.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            node = _nn(f"{ID}membership/{row['system']}-{row['member']}-{row['from']}")
            yield ox.Quad(node, _RDF_TYPE, _nn(TM.Membership), graph)
            yield ox.Quad(node, _nn(TM.regionalSystem), _nn(JURISDICTION[row["system"]]), graph)
            yield ox.Quad(node, _nn(TM.memberState), _nn(JURISDICTION[row["member"]]), graph)
            yield ox.Quad(node, _nn(TM.memberFrom), ox.Literal(row["from"], datatype=date), graph)
            if row["until"]:
                until = ox.Literal(row["until"], datatype=date)
                yield ox.Quad(node, _nn(TM.memberUntil), until, graph)
            yield ox.Quad(node, source, ox.Literal(row["source"], language="en"), graph)


def _parse_into(name: str, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    for quad in ox.parse(path=str(SCHEMA_DIR / name), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The ontology, in its own named graph."""
    return tuple(_parse_into("ontology.ttl", _nn(ONTOLOGY_GRAPH)))


@cache
def reference_quads() -> tuple[ox.Quad, ...]:
    """Ontology, jurisdictions, Nice classes, and a description of those graphs.

    >>> quads = reference_quads()
    >>> sum(1 for q in quads if q.predicate.value.endswith("#classNumber"))
    45
    """
    graph = _nn(REFERENCE_GRAPH)
    described: list[ox.Quad] = []
    for graph_iri, label in (
        (ONTOLOGY_GRAPH, "tmkg ontology"),
        (
            REFERENCE_GRAPH,
            "tmkg reference data: ISO 3166-1 jurisdictions, regional systems and their members, "
            "Nice classes, mark statuses",
        ),
    ):
        node = _nn(graph_iri)
        described += [
            ox.Quad(node, _RDF_TYPE, _nn(TM.ReferenceGraph), ox.DefaultGraph()),
            ox.Quad(node, _RDFS_LABEL, ox.Literal(label, language="en"), ox.DefaultGraph()),
            ox.Quad(node, _OWL_VERSION, ox.Literal(reference_version()), ox.DefaultGraph()),
        ]
    quads = [
        *ontology_quads(),
        *_jurisdiction_quads(),
        *_parse_into("nice.ttl", graph),
        *_parse_into("status.ttl", graph),
        *_parse_into("mark-features.ttl", graph),
        *_uspto_status_quads(),
        *_regional_quads(),
        *described,
    ]
    # Oxigraph stores literals in canonical form ("0.90" becomes "0.9"); hand out the same form
    # so that comparing shipped data with stored data finds no false differences.
    canonical = ox.Store()
    canonical.extend(quads)
    return tuple(canonical)


REFERENCE_GRAPHS = (_nn(ONTOLOGY_GRAPH), _nn(REFERENCE_GRAPH))
DEFAULT_GRAPH_NAMED = ox.NamedNode(str(GRAPH) + "default")
"""The named graph holding tmkg's default graph on a remote store (`kg.store.sparql_remote`)."""


WORKING_GRAPHS = "urn:tmkg:"
"""The IRIs of the graphs tmkg writes while it checks a load (the reference data, the store's
context, the literals named ill-formed: `kg.ingest.validate_store`, `kg.ingest.shacl_sparql`)
begin so; it removes them after the checks, so that facts loaded into one would be lost."""


def is_working_graph(graph: object) -> bool:
    """Whether `graph` (a graph name) is one of tmkg's working graphs (`WORKING_GRAPHS`)."""
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(WORKING_GRAPHS)


def kept_by_tmkg(quad: ox.Quad) -> bool:
    """Whether `quad` is of what tmkg keeps itself (`KnowledgeGraph` brings it back to
    `reference_quads` at each writable opening): a statement in the ontology or reference
    graph, or one about either graph in the default graph (its type, label and version), or
    in `DEFAULT_GRAPH_NAMED`, which holds tmkg's default graph on a remote store.

    >>> kept_by_tmkg(ox.Quad(REFERENCE_GRAPHS[1], _RDFS_LABEL, ox.Literal("x"), ox.DefaultGraph()))
    True
    """
    graph = quad.graph_name
    if isinstance(graph, ox.DefaultGraph) or graph == DEFAULT_GRAPH_NAMED:
        return quad.subject in REFERENCE_GRAPHS
    return graph in REFERENCE_GRAPHS


def other_quads_up_to(store: ox.Store, most: int) -> int:
    """How many quads of `store` are not `kept_by_tmkg`, counted up to `most` (the count
    stops there; `most` >= 0). The store counts them itself, over its encoded terms: ~5 ms
    for a store of the reference data alone, where reading its ~4,400 quads back into Python
    took 0.1-0.4 s on disk; 2 s against 9 s to count 250,000. Raises what the store's
    queries raise."""
    own = ", ".join(f"<{graph.value}>" for graph in REFERENCE_GRAPHS)
    named = f"<{DEFAULT_GRAPH_NAMED.value}>"
    rows = store.query(
        f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT ?s WHERE {{
              {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({own}, {named})) }}
              UNION {{ GRAPH {named} {{ ?s ?p ?o }} FILTER(?s NOT IN ({own})) }}
              UNION {{ ?s ?p ?o FILTER(?s NOT IN ({own})) }}
            }} LIMIT {int(most)} }}"""
    )
    return int(next(iter(rows))["n"].value)  # type: ignore[index, union-attr]


def own_graph_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of `store` that `kept_by_tmkg` (a few thousand)."""
    for graph in REFERENCE_GRAPHS:
        yield from store.quads_for_pattern(None, None, None, graph)
        yield from store.quads_for_pattern(graph, None, None, ox.DefaultGraph())
        yield from store.quads_for_pattern(graph, None, None, DEFAULT_GRAPH_NAMED)
