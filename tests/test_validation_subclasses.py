"""Both validators read subclass links from the data graph, at any load size (issue 17, kind 2).

SHACL (1.0, §2.1.3.1 and §4.1.1) makes a node a SHACL instance of C when it has rdf:type C or
rdf:type of a class linked to C by rdfs:subClassOf* *in the data graph*. tmkg's data graph is
the new data, what the store holds about it and the ontology, so a subclass may be declared in
the file itself or by an earlier load. Each case runs pyshacl and the compiled SPARQL checks on
the same data (small), and once more padded past `PYSHACL_MAX_QUADS` so that the size alone
picks the compiled engine (big); every run must give the same lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import pyoxigraph as ox
import pytest

import kg.ingest.validate as validate
from kg.ingest.load import parse_bytes
from kg.ingest.validate import PYSHACL_MAX_QUADS, ValidationReport, validate_quads
from kg.registries.synth import generate
from kg.store import Store, open_store
from tests.test_load import PREFIXES

HEAD = PREFIXES + (
    "@prefix ex: <https://example.org/class/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix event: <https://w3id.org/tmkg/id/event/> .\n"
)
MARK = 'mark:diff-m a tm:Mark ; tm:text "DIFF" .\n'


def chain(base: str, top: str, depth: int) -> tuple[str, str]:
    """`depth` subclass links from ex:{base}1 up to `top`, and the most specific class."""
    names = [f"ex:{base}{level}" for level in range(1, depth + 1)] + [top]
    links = "".join(f"{sub} rdfs:subClassOf {sup} .\n" for sub, sup in pairwise(names))
    return links, names[0]


@dataclass(frozen=True)
class Case:
    """New data, what an earlier load put in the store, and the nodes that must be refused."""

    name: str
    data: str
    earlier: str
    refused: frozenset[str]

    def __str__(self) -> str:
        return self.name


def cases() -> list[Case]:
    found = []
    for depth in (1, 2, 3):
        for where in ("file", "store"):
            owner, conglomerate = chain("Conglomerate", "tm:Company", depth)
            judgment, big = chain("BigJudgment", "tm:Judgment", depth)
            in_file, in_store = (owner, "") if where == "file" else ("", owner)
            accepted = (
                f'party:diff-c a {conglomerate} ; schema:name "Conglomerate" .\n'
                "reg:diff-r a tm:Registration ; tm:mark mark:diff-m ; tm:owner party:diff-c ;"
                " tm:jurisdiction cc:US ; tm:niceClass nice:9 .\n"
            )
            found.append(
                Case(f"owner-{where}-{depth}", MARK + in_file + accepted, in_store, frozenset())
            )
            nameless = f"party:diff-n a {conglomerate} .\n"
            found.append(
                Case(
                    f"nameless-{where}-{depth}",
                    in_file + nameless,
                    in_store,
                    frozenset({"https://w3id.org/tmkg/id/party/diff-n"}),
                )
            )
            in_file, in_store = (judgment, "") if where == "file" else ("", judgment)
            negative = (
                f'event:diff-j a {big} ; tm:damages "-5"^^xsd:decimal ; tm:payer party:diff-x .\n'
            )
            found.append(
                Case(
                    f"damages-{where}-{depth}",
                    in_file + negative,
                    in_store + f'party:diff-x a {conglomerate} ; schema:name "X" .\n' + owner,
                    frozenset({"https://w3id.org/tmkg/id/event/diff-j"}),
                )
            )
        owner, _ = chain("Conglomerate", "tm:Company", depth)
        if depth > 1:
            # half the chain in the file, the other half already in the store
            lines = owner.splitlines(keepends=True)
            found.append(
                Case(
                    f"owner-split-{depth}",
                    MARK + "".join(lines[:1]) + accepted,
                    "".join(lines[1:]),
                    frozenset(),
                )
            )
            found.append(
                Case(
                    f"owner-split-reversed-{depth}",
                    MARK + "".join(lines[1:]) + accepted,
                    "".join(lines[:1]),
                    frozenset(),
                )
            )
    # the owner typed in the store (a node the new data only points to)
    owner, conglomerate = chain("Holding", "tm:Company", 2)
    found.append(
        Case(
            "pointed-owner-in-store",
            MARK + "reg:diff-r a tm:Registration ; tm:mark mark:diff-m ; tm:owner party:diff-h ;"
            " tm:jurisdiction cc:US ; tm:niceClass nice:9 .\n",
            owner + f'party:diff-h a {conglomerate} ; schema:name "H" .\n',
            frozenset(),
        )
    )
    # a cycle of subclasses is still a subclass
    found.append(
        Case(
            "cycle",
            "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:A . ex:B rdfs:subClassOf tm:Mark .\n"
            "mark:diff-q a ex:A .\n",
            "",
            frozenset({"https://w3id.org/tmkg/id/mark/diff-q"}),
        )
    )
    return found


CASES = cases()


def parse(text: str, name: str) -> list[ox.Quad]:
    return list(
        parse_bytes((HEAD + text).encode(), name=name, rdf_format=ox.RdfFormat.TURTLE).quads
    )


def store_with(earlier: str) -> Store | None:
    if not earlier:
        return None
    store = open_store("memory")
    store.add(parse(earlier, "earlier.ttl"))
    return store


def refused_nodes(report: ValidationReport) -> set[str]:
    prefix = "id:"
    return {
        "https://w3id.org/tmkg/id/" + line.split(" ", 1)[0].rstrip(":")[len(prefix) :]
        for line in report.violations
        if line.startswith(prefix)
    }


@cache
def padding() -> tuple[ox.Quad, ...]:
    """Valid synthetic registry data, just past the size where the compiled engine takes over."""
    quads = tuple(generate(1_750, seed=11))
    assert len(quads) > PYSHACL_MAX_QUADS
    return quads


@cache
def padding_warnings() -> tuple[str, ...]:
    report = validate_quads(padding(), engine="sparql")
    assert report.conforms
    return tuple(report.warnings)


def run(quads: Sequence[ox.Quad], store: Store | None, engine: str | None) -> ValidationReport:
    return validate_quads(quads, store, engine=engine)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_engines_agree_on_subclass_data(case: Case) -> None:
    quads = parse(case.data, "new.ttl")
    store = store_with(case.earlier)
    reference = run(quads, store, "pyshacl")
    compiled = run(quads, store, "sparql")
    assert refused_nodes(reference) == case.refused, reference.violations
    assert compiled.violations == reference.violations
    assert compiled.warnings == reference.warnings


BIG = [
    case for case in CASES if case.name.endswith("-2") or case.name in ("cycle", "owner-split-3")
]


@pytest.mark.parametrize("case", BIG, ids=str)
def test_big_load_matches_the_small_verdict(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    quads = parse(case.data, "new.ttl")
    store = store_with(case.earlier)
    small = run(quads, store, None)
    big_quads = [*quads, *padding()]

    def no_pyshacl(*args: object) -> None:
        raise AssertionError("a big load must use the compiled checks")

    monkeypatch.setattr(validate, "_pyshacl_results", no_pyshacl)
    big = run(big_quads, store, None)
    assert refused_nodes(big) == case.refused, big.violations
    assert big.violations == small.violations
    assert big.warnings == sorted([*small.warnings, *padding_warnings()])
