"""A loaded file's source, described on the command line: `kg load FILE --source-title ...`.

A Turtle, N-Triples or RDF/XML file has no named graphs; `kg load` puts its triples in one
graph (``--graph IRI``, else `kg.ingest.load.file_graph`: ``id/graph/file/{stem}-{hash}``).
With a source description, the default graph also says where that graph comes from, as the
seed does for each of its sources (docs/provenance.md, "Giving your own file its source"):

    <graph> a tm:SourceGraph ; prov:wasDerivedFrom <source> .
    <source> a tm:Source ; dcterms:title "..." ; dcterms:publisher "..." ; dcterms:date "..." .

The source's IRI is ``id/source/file/{the graph's last segment}`` (or, for ``--graph IRI``,
``{IRI}#source``). These quads are loaded with the files, in the same transaction, through a
small N-Quads file written beside nothing (a temporary directory).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.ingest.date_literals import is_valid_date
from kg.namespaces import ID

__all__ = ["SourceDescription", "described_graph", "source_file"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_TM = "https://w3id.org/tmkg/ontology#"
_DCTERMS = "http://purl.org/dc/terms/"
_DATE_TYPES = (
    (re.compile(r"-?\d{4,}"), "gYear"),
    (re.compile(r"-?\d{4,}-\d{2}"), "gYearMonth"),
    (re.compile(r"-?\d{4,}-\d{2}-\d{2}"), "date"),
)


@dataclass(frozen=True)
class SourceDescription:
    """What a file's source is: a title (required), its publisher and date, if known.

    `date` is ISO 8601 as precise as known: "2021", "2021-03" or "2021-03-02" (stored as
    xsd:gYear, xsd:gYearMonth or xsd:date); `kind` is "primary" or "secondary" (tm:sourceKind).
    Raises KGError for an empty title, a date that is none of those, or another kind.
    """

    title: str
    publisher: str | None = None
    date: str | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise KGError("--source-title is empty", suggestion="give the source's title")
        if self.date is not None and _date_type(self.date) is None:
            raise KGError(
                f"--source-date {self.date!r} is not a date",
                suggestion="give it as 2021, 2021-03 or 2021-03-02",
            )
        if self.kind not in (None, "primary", "secondary"):
            raise KGError(
                f"--source-kind {self.kind!r} is neither primary nor secondary",
                suggestion="primary: the document itself (a judgment, a register); secondary: "
                "a report about it",
            )

    def quads(self, graph: str, source_iri: str | None = None) -> list[ox.Quad]:
        """The default graph's description of `graph` and of its source (`source_iri`, else
        derived from the graph's IRI): the one shape `kg load`, `kg import` and `kg synth`
        write."""
        target = ox.NamedNode(graph)
        source = ox.NamedNode(source_iri or _source_iri(graph))
        default = ox.DefaultGraph()
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        quads = [
            ox.Quad(target, rdf_type, ox.NamedNode(_TM + "SourceGraph"), default),
            ox.Quad(
                target, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), source, default
            ),
            ox.Quad(source, rdf_type, ox.NamedNode(_TM + "Source"), default),
            ox.Quad(source, ox.NamedNode(_DCTERMS + "title"), ox.Literal(self.title), default),
        ]
        if self.publisher:
            quads.append(
                ox.Quad(
                    source,
                    ox.NamedNode(_DCTERMS + "publisher"),
                    ox.Literal(self.publisher),
                    default,
                )
            )
        if self.date:
            datatype = ox.NamedNode(_XSD + str(_date_type(self.date)))
            quads.append(
                ox.Quad(
                    source,
                    ox.NamedNode(_DCTERMS + "date"),
                    ox.Literal(self.date, datatype=datatype),
                    default,
                )
            )
        if self.kind:
            quads.append(
                ox.Quad(source, ox.NamedNode(_TM + "sourceKind"), ox.Literal(self.kind), default)
            )
        return quads


def _date_type(text: str) -> str | None:
    for pattern, name in _DATE_TYPES:
        if pattern.fullmatch(text) and is_valid_date(text, _XSD + name):
            return name
    return None


def _source_iri(graph: str) -> str:
    prefix = f"{ID}graph/file/"
    if graph.startswith(prefix):
        return f"{ID}source/file/{graph.removeprefix(prefix)}"
    return f"{graph}#source"


def described_graph(
    paths: Sequence[str | Path], graph: str | None, supports_datasets: Sequence[bool]
) -> list[str]:
    """The graph each file's triples go to, for its description; KGError for a TriG, N-Quads
    or JSON-LD file loaded without ``--graph`` (its graphs are its own: describe them in it)."""
    from kg.ingest.load import file_graph

    found = []
    for path, datasets in zip(paths, supports_datasets, strict=True):
        if datasets and graph is None:
            raise KGError(
                f"{path}: a TriG, N-Quads or JSON-LD file names its own graphs, so "
                "--source-title cannot say which one it describes",
                suggestion="describe each graph's source in the file (docs/provenance.md, "
                "'Giving your own file its source'), or pass --graph IRI for its default-graph "
                "triples",
            )
        found.append(graph or file_graph(path))
    return found


@contextmanager
def source_file(graphs: Sequence[str], description: SourceDescription) -> Iterator[Path]:
    """A temporary N-Quads file of the descriptions of `graphs`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kg-source-") as folder:
        path = Path(folder) / "source-description.nq"
        quads = [q for g in dict.fromkeys(graphs) for q in description.quads(g)]
        path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
        yield path
