"""Adding and removing watches: `kg watch add` and `kg watch remove` (docs/watch.md).

A watch is a `tm:Watch` in the graph `WATCH_GRAPH`; its hits (`kg.analysis.watch_hits`) live in
a graph of their own per watch, `hit_graph(watch_id)`, so removing a watch removes its hits
with it. Both graphs are described in the default graph (a `tm:SourceGraph` derived from
tmkg's own watch source), as every graph of facts is (docs/provenance.md). Watches are written
like every other write: validated against the SHACL shapes, in one transaction.

A watch's id is short and stable: the watched text's letters (at most 20) and a digest of every
argument, so adding the same watch twice adds nothing and returns the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import unquote

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from kg.analysis import arguments
from kg.analysis.similarity import MAX_MARK_LENGTH, normalize
from kg.analysis.watch_model import Watch
from kg.errors import KGError, NotFound
from kg.graph import KnowledgeGraph
from kg.ingest.load import load_quads
from kg.namespaces import GRAPH, ID, JURISDICTION, NICE, TM
from kg.registries.iris import registration_iri

__all__ = [
    "HIT_GRAPH_PREFIX",
    "WATCH_GRAPH",
    "WATCH_SOURCE",
    "add_watch",
    "graph_description",
    "hit_graph",
    "remove_watch",
    "watch_id_of",
    "watch_iri",
]

WATCH_GRAPH = f"{GRAPH}watches"
"""The named graph holding every watch's definition."""
HIT_GRAPH_PREFIX = f"{GRAPH}watch-hits/"
"""A watch's hits live in ``{HIT_GRAPH_PREFIX}{watch id}``."""
WATCH_SOURCE = f"{ID}source/tmkg-watch"
"""The source the watch graphs are derived from: tmkg's watch service itself."""
WATCH_PREFIX = f"{ID}watch/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CREATED = ox.NamedNode("http://purl.org/dc/terms/created")
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SLUG = re.compile(r"[^a-z0-9]+")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def watch_iri(watch_id: str) -> str:
    """The IRI of a watch: ``https://w3id.org/tmkg/id/watch/{id}``."""
    return f"{WATCH_PREFIX}{watch_id}"


def hit_graph(watch_id: str) -> str:
    """The named graph holding a watch's hits."""
    return f"{HIT_GRAPH_PREFIX}{watch_id}"


def watch_id_of(value: str) -> str:
    """A watch's id from its id or IRI (``".../id/watch/acme-1a2b3c"`` -> ``"acme-1a2b3c"``);
    ids are lower case, so ``ACME-1A2B3C`` names the same watch."""
    value = value.strip()
    return value.removeprefix(WATCH_PREFIX) if value.startswith(WATCH_PREFIX) else value.lower()


def graph_description(named: str, title: str) -> list[ox.Quad]:
    """The default-graph quads describing one of the watch graphs: a `tm:SourceGraph`
    derived from `WATCH_SOURCE` (a `tm:Source`)."""
    default, node, source = ox.DefaultGraph(), ox.NamedNode(named), ox.NamedNode(WATCH_SOURCE)
    return [
        ox.Quad(node, _RDF_TYPE, ox.NamedNode(TM.SourceGraph), default),
        ox.Quad(node, _TITLE, ox.Literal(title), default),
        ox.Quad(node, _DERIVED, source, default),
        ox.Quad(source, _RDF_TYPE, ox.NamedNode(TM.Source), default),
        ox.Quad(source, _TITLE, ox.Literal("tmkg watches (kg watch)"), default),
    ]


def add_watch(
    graph: KnowledgeGraph,
    text: str,
    *,
    owner: str,
    registration: str | None = None,
    classes: Sequence[int] = (),
    related_classes: bool = False,
    jurisdictions: Sequence[str] = (),
    min_score: float = 0.8,
) -> Watch:
    """Add a watch on the mark `text` for `owner`; return it (the existing one if the same
    watch was added before).

    `registration` is the watcher's own registration (an IRI, or its last segment such as
    ``us-90000001``): it must be in the store. `classes` are Nice classes (1-45; none: every
    class), `related_classes` counts related classes too, `jurisdictions` are codes the store
    knows (ISO 3166-1, EM, BX, OA, WO; none: every one), `min_score` the least similarity, above
    0 and at most 1. Raises `ArgumentError` (a `KGError`, exit code 2) for a malformed argument,
    `NotFound` for an unknown jurisdiction or registration, and writes nothing then.
    """
    if graph.read_only:
        raise KGError("this knowledge graph was opened read-only: it adds no watch")
    text = _check_text(text)
    owner = arguments.text(owner, "owner").strip()
    wanted_classes = tuple(sorted({arguments.nice_class(c, "class") for c in classes}))
    codes = tuple(sorted({_check_jurisdiction(graph, code) for code in jurisdictions}))
    score = _check_score(min_score)
    reg = _check_registration(graph, registration) if registration is not None else None
    related = bool(related_classes)
    digest = hashlib.sha256(
        "\n".join(
            [
                text,
                owner,
                reg or "",
                ",".join(map(str, wanted_classes)),
                str(related),
                ",".join(codes),
                f"{score:.4f}",
            ]
        ).encode()
    ).hexdigest()[:6]
    watch_id = f"{_slug(text)}-{digest}"
    node = ox.NamedNode(watch_iri(watch_id))
    named = ox.NamedNode(WATCH_GRAPH)
    if next(iter(graph.store.quads(node, _RDF_TYPE, ox.NamedNode(TM.Watch), named)), None):
        from kg.analysis.watch import read_watch

        return read_watch(graph, watch_id)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    quads = [
        ox.Quad(node, _RDF_TYPE, ox.NamedNode(TM.Watch), named),
        ox.Quad(node, ox.NamedNode(TM.watchText), ox.Literal(text), named),
        ox.Quad(node, ox.NamedNode(TM.watchOwner), ox.Literal(owner), named),
        ox.Quad(node, ox.NamedNode(TM.watchMinScore), _decimal(score), named),
        ox.Quad(node, ox.NamedNode(TM.watchRelatedClasses), _boolean(related), named),
        ox.Quad(
            node, _CREATED, ox.Literal(created, datatype=ox.NamedNode(_XSD + "dateTime")), named
        ),
        *(
            ox.Quad(node, ox.NamedNode(TM.watchClass), ox.NamedNode(NICE[str(c)]), named)
            for c in wanted_classes
        ),
        *(
            ox.Quad(node, ox.NamedNode(TM.watchJurisdiction), ox.NamedNode(JURISDICTION[c]), named)
            for c in codes
        ),
        *graph_description(WATCH_GRAPH, "Watches (kg watch add)"),
    ]
    if reg is not None:
        quads.append(ox.Quad(node, ox.NamedNode(TM.watchedRegistration), ox.NamedNode(reg), named))
    load_quads(graph.store, quads, files=["kg watch add"])
    graph.changed()
    return Watch(
        id=watch_id,
        iri=node.value,
        text=text,
        registration=reg,
        classes=wanted_classes,
        related_classes=related,
        jurisdictions=codes,
        min_score=score,
        owner=owner,
        created=created,
    )


def remove_watch(graph: KnowledgeGraph, watch_id: str) -> None:
    """Remove a watch (by id or IRI) and every hit recorded for it.

    Raises `NotFound`, with the closest ids, when there is no such watch.
    """
    if graph.read_only:
        raise KGError("this knowledge graph was opened read-only: it removes no watch")
    wanted = watch_id_of(arguments.text(watch_id, "watch"))
    node = ox.NamedNode(watch_iri(wanted)) if _ID.fullmatch(wanted) else None
    named = ox.NamedNode(WATCH_GRAPH)
    stated = list(graph.store.quads(node, None, None, named)) if node is not None else []
    if not stated:
        raise unknown_watch(graph, wanted)
    hits = ox.NamedNode(hit_graph(wanted))
    removed = stated + list(graph.store.quads(None, None, None, hits))
    removed += list(graph.store.quads(hits, None, None, ox.DefaultGraph()))
    graph.store.remove(removed)
    graph.changed()


def unknown_watch(graph: KnowledgeGraph, wanted: str) -> NotFound:
    """The error for a watch id the store does not hold, naming the closest ids."""
    known = [
        q.subject.value.removeprefix(WATCH_PREFIX)
        for q in graph.store.quads(
            None, _RDF_TYPE, ox.NamedNode(TM.Watch), ox.NamedNode(WATCH_GRAPH)
        )
    ]
    close = process.extract(wanted, known, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    if close:
        suggestion = "did you mean " + ", ".join(repr(c[0]) for c in close) + "?"
    elif known:
        suggestion = "`kg watch list` shows the watches"
    else:
        suggestion = "no watch is defined yet: add one with `kg watch add`"
    return NotFound(f"no watch {wanted!r}", suggestion=suggestion)


# ------------------------------------------------------------------ checks


def _check_text(value: object) -> str:
    text = arguments.text(value, "text").strip()
    if len(text) > MAX_MARK_LENGTH:
        raise arguments.ArgumentError(
            "text",
            f"the watched text is {len(text)} characters long, more than a mark's "
            f"{MAX_MARK_LENGTH}",
            suggestion="give the mark's words",
        )
    if not normalize(text):
        raise arguments.ArgumentError(
            "text",
            f"the watched text {text!r} has no letters or digits to compare",
            suggestion="give the mark's words (its verbal element)",
        )
    return text


def _check_score(value: object) -> float:
    # the range check every other min_score has (so GraphQL's input guard and the CLI say the
    # same), then the one a watch adds: at 0, every mark would be a hit
    score = arguments.fraction(value, "min_score")
    if score == 0:
        raise arguments.ArgumentError(
            "min_score",
            "min_score must be above 0 for a watch (at 0 every mark is a hit), not 0",
            suggestion="0.8 finds close marks; 1.0 only the same text",
        )
    return score


def _check_jurisdiction(graph: KnowledgeGraph, value: object) -> str:
    code = arguments.jurisdiction(value)
    if not graph.ask(f'ASK {{ <{JURISDICTION[code]}> a ?type ; <{TM.code}> "{code}" }}'):
        raise arguments.unknown_jurisdiction(code)
    return code


def _check_registration(graph: KnowledgeGraph, value: object) -> str:
    """The IRI of a registration the store holds, named by its IRI or in short as
    ``{cc}-{number}`` (``gb-UK00003289573``, ``GB-UK00003289573``, ``ro-M 2012 00091`` or
    ``ro-M%202012%2000091``: the country code in any case, the number as the office writes it,
    percent-encoded or not, as `kg.registries.iris.registration_iri` writes it; a number
    holding ``:`` or ``%`` itself too). Raises `NotFound` for any other."""
    given = arguments.text(value, "registration").strip()
    for iri in _registration_iris(given):
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue  # not an IRI (a malformed escape, a space): another reading may be
        if graph.ask(f"ASK {{ {node} a <{TM.Registration}> }}"):
            return iri
    raise NotFound(
        f"no registration {given!r}",
        suggestion="name a registration the store holds, by IRI or as us-90000001 (see `kg query`)",
    )


def _registration_iris(given: str) -> list[str]:
    """The IRIs `given` may name, in the order tried: itself as an IRI, then as a short form
    with its number percent-decoded, then as written (an office's number may hold ``%``).

    >>> _registration_iris("GB-UK00003289573")[-1]
    'https://w3id.org/tmkg/id/registration/gb-UK00003289573'
    >>> _registration_iris("ro-M 2012 00091")[1]
    'https://w3id.org/tmkg/id/registration/ro-M%202012%2000091'
    >>> _registration_iris("fr-100%41")[1:]
    ['https://w3id.org/tmkg/id/registration/fr-100A', 'https://w3id.org/tmkg/id/registration/fr-100%2541']
    """
    found = [given] if ":" in given else []  # what is no IRI `_check_registration` skips
    found.append(f"{ID}registration/{given}")
    code, dash, number = given.partition("-")
    if dash and code.isalpha():
        found += [registration_iri(code, unquote(number)), registration_iri(code, number)]
    return list(dict.fromkeys(found))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG.sub("-", ascii_text.casefold()).strip("-")[:20].strip("-")
    return slug or "watch"


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(
        f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}",
        datatype=ox.NamedNode(_XSD + "decimal"),
    )


def _boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
