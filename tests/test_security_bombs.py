"""Memory and time bombs (issue 11, kind 3): XML with a DOCTYPE is refused before any parser
expands or fetches anything, whatever the encoding and however the declarations are hidden;
an ST.66 entity never vanishes from a value; marks have a maximum length and the mark index
grows linearly with a mark's length. Every hostile input points at a canary that must see
nothing, and each outcome is recorded for the hardening summary."""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from kg import Analyst, KGError, KnowledgeGraph, ParseError, QueryError, Settings
from kg.analysis.mark_index import MarkIndex
from kg.analysis.similarity import (
    DEFAULT_MIN_SIMILARITY,
    MAX_MARK_LENGTH,
    blocking_keys,
    compare,
)
from kg.ingest.load import parse_bytes
from kg.ingest.validate import validate_quads
from kg.namespaces import TM
from kg.reference import shapes_path
from kg.registries.importer import import_registry
from kg.store.sparql_http import Answer, parse_graph
from tests.conftest import all_quads, run_kg
from tests.hardening_support import Canary, record
from tests.http_support import http_post
from tests.sparql_support import SparqlServer
from tests.test_registry_import import GOOD_FIELDS, st66, trademark

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/"'
DOCTYPE_REFUSED = "a DOCTYPE is refused"
UTF8_ONLY = "tmkg reads XML as UTF-8 only"
LEVELS = 4  # 10**LEVELS * 10 characters if expanded: enough to see, too little to hurt


def rdfxml(body: str, doctype: str = "", declaration: str = '<?xml version="1.0"?>') -> str:
    return f"{declaration}\n{doctype}<rdf:RDF {RDF_NS}>{body}</rdf:RDF>"


def _laughs(first: str = "") -> str:
    """A DOCTYPE declaring nested entities, `first` placed before the declarations."""
    entities = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, LEVELS + 1)
    )
    return f"<!DOCTYPE rdf:RDF [ {first} {entities} ]>\n"


LITERAL = f'<rdf:Description rdf:about="http://ex.org/a"><ex:p>&a{LEVELS};</ex:p></rdf:Description>'


@dataclass(frozen=True)
class Hostile:
    """A hostile RDF/XML file: its name, bytes and a fragment of the error it must get."""

    name: str
    data: bytes
    message: str = DOCTYPE_REFUSED


def hostile_rdfxml(canary: str) -> list[Hostile]:
    """Every hostile RDF/XML variant; `canary` is the URL the fetching ones point at."""
    pe_first = rdfxml(LITERAL, _laughs("%p;"))
    return [
        # expat skips declarations after an unread parameter entity; Oxigraph expands them
        Hostile("parameter-entity-first.rdf", pe_first.encode()),
        Hostile(
            "declared-parameter-entity-first.rdf",
            rdfxml(LITERAL, _laughs('<!ENTITY % p "">%p;')).encode(),
        ),
        Hostile(
            "external-parameter-entity-first.rdf",
            rdfxml(LITERAL, _laughs(f'<!ENTITY % p SYSTEM "{canary}/p.dtd">%p;')).encode(),
        ),
        Hostile("general-entities.rdf", rdfxml(LITERAL, _laughs()).encode()),
        Hostile(
            "iri-entity.rdf",  # the Protégé habit: harmless, but still a declaration
            rdfxml(
                '<rdf:Description rdf:about="&ex;a"><ex:p>x</ex:p></rdf:Description>',
                '<!DOCTYPE rdf:RDF [<!ENTITY ex "http://ex.org/">]>',
            ).encode(),
        ),
        Hostile(
            "external-dtd.rdf",
            rdfxml(LITERAL, f'<!DOCTYPE rdf:RDF SYSTEM "{canary}/rdf.dtd">').encode(),
            'a DOCTYPE (external DTD "',
        ),
        Hostile(
            "public-dtd.rdf",
            rdfxml(LITERAL, f'<!DOCTYPE rdf:RDF PUBLIC "-//X//EN" "{canary}/rdf.dtd">').encode(),
            'a DOCTYPE (external DTD "',
        ),
        Hostile(
            "element-declarations-only.rdf",
            rdfxml(
                '<rdf:Description rdf:about="http://ex.org/a"/>',
                "<!DOCTYPE rdf:RDF [<!ELEMENT rdf:RDF ANY><!ATTLIST rdf:RDF x CDATA #IMPLIED>]>",
            ).encode(),
        ),
        Hostile(
            "empty-subset.rdf",
            rdfxml(
                '<rdf:Description rdf:about="http://ex.org/a"/>', "<!DOCTYPE rdf:RDF [ ]>"
            ).encode(),
        ),
        Hostile(
            "bare-doctype.rdf",
            rdfxml('<rdf:Description rdf:about="http://ex.org/a"/>', "<!DOCTYPE rdf:RDF>").encode(),
        ),
        Hostile(
            "utf-16-bom.rdf",
            pe_first.replace("?>", ' encoding="UTF-16"?>', 1).encode("utf-16"),
            UTF8_ONLY,
        ),
        Hostile("utf-16le-no-bom.rdf", pe_first.encode("utf-16-le"), UTF8_ONLY),
        Hostile("utf-16be-no-bom.rdf", pe_first.encode("utf-16-be"), UTF8_ONLY),
        Hostile("utf-32.rdf", pe_first.encode("utf-32"), UTF8_ONLY),
        Hostile(
            "declared-latin-1.rdf",
            rdfxml(LITERAL, _laughs("%p;"), '<?xml version="1.0" encoding="ISO-8859-1"?>').encode(),
        ),
        Hostile("utf-8-bom.rdf", b"\xef\xbb\xbf" + pe_first.encode()),
    ]


NAMES = [hostile.name for hostile in hostile_rdfxml("http://127.0.0.1:1")]


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with contextlib.closing(Canary()) as server:
        yield server


@pytest.fixture(scope="module")
def corpus(canary: Canary) -> dict[str, Hostile]:
    return {hostile.name: hostile for hostile in hostile_rdfxml(canary.url)}


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeGraph]:
    """The seed in an on-disk store, shared by the in-process loader inputs."""
    with KnowledgeGraph.open(Settings(store_path=tmp_path_factory.mktemp("bombs") / "s")) as kg:
        kg.load_seed()
        yield kg


# ------------------------------------------------------------------ RDF/XML, in process


@pytest.mark.parametrize("name", NAMES)
def test_loader_refuses_hostile_xml(
    name: str, corpus: dict[str, Hostile], graph: KnowledgeGraph, canary: Canary, tmp_path: Path
) -> None:
    hostile = corpus[name]
    path = tmp_path / name
    path.write_bytes(hostile.data)
    before = all_quads(graph)
    with pytest.raises(ParseError) as caught:
        graph.load([path])
    lost = len(before ^ all_quads(graph))
    message = str(caught.value)
    expected = hostile.message in message and message.startswith(f"{path}:") and lost == 0
    record("input", surface="loader", name=name, expected=expected, quads_lost=lost)
    assert hostile.message in message
    assert message.startswith(f"{path}:")  # file:line:column
    assert caught.value.line is not None and caught.value.column is not None
    assert lost == 0
    assert canary.hits == []


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("comment", '<!-- <!DOCTYPE rdf:RDF [<!ENTITY e "x">]> <!ENTITY % p ""> %p; -->'),
        (
            "cdata",
            '<rdf:Description rdf:about="http://ex.org/c"><ex:p><![CDATA[<!DOCTYPE r [<!ENTITY '
            'e "x">]> &e;]]></ex:p></rdf:Description>',
        ),
        (
            "escaped-text",
            '<rdf:Description rdf:about="http://ex.org/t"><ex:p>&lt;!ENTITY e "x"&gt; &amp;e; '
            "&#60;!DOCTYPE&#62;</ex:p></rdf:Description>",
        ),
    ],
)
def test_text_that_looks_like_declarations_is_fine(name: str, body: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.rdf"
    path.write_text(rdfxml(body), encoding="utf-8")
    with KnowledgeGraph.open(Settings(memory=True)) as graph:
        graph.load([path])
        values = {
            quad.object.value for quad in graph.store.quads() if "ex.org/p" in str(quad.predicate)
        }
    assert all("<!" in value for value in values)


def test_kg_load_and_validate_refuse_hostile_xml(
    corpus: dict[str, Hostile], canary: Canary, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    with KnowledgeGraph.open(Settings(store_path=store)) as opened:
        before = all_quads(opened)
    for name in ("parameter-entity-first.rdf", "utf-16-bom.rdf", "external-dtd.rdf"):
        path = tmp_path / name
        path.write_bytes(corpus[name].data)
        for command in ("load", "validate"):
            result = run_kg(command, "--store", store, path)
            with KnowledgeGraph.open(Settings(store_path=store)) as opened:
                lost = len(before ^ all_quads(opened))
            expected = result.returncode == 4 and corpus[name].message in result.stderr
            record("input", surface=f"kg {command}", name=name, expected=expected, quads_lost=lost)
            assert result.returncode == 4, result.stderr
            assert result.stderr.startswith(f"kg: error: {path}:")
            assert corpus[name].message in result.stderr
            assert lost == 0
    assert canary.hits == []


# ------------------------------------------------------------------ RDF/XML over POST /load


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SparqlServer, str]]:
    folder = tmp_path_factory.mktemp("served-bombs")
    with KnowledgeGraph.open(Settings(store_path=folder / "store")) as prepared:
        prepared.load_seed()
    token = secrets.token_urlsafe(24)
    (folder / "token").write_text(token + "\n")
    server = SparqlServer("--store", folder / "store", "--update-token-file", folder / "token")
    server.wait_ready()
    try:
        yield server, token
    finally:
        server.stop()


def _count(server: SparqlServer) -> int:
    answer = http_post(
        server.endpoint,
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("name", NAMES)
def test_post_load_refuses_hostile_xml(
    name: str,
    corpus: dict[str, Hostile],
    served: tuple[SparqlServer, str],
    canary: Canary,
) -> None:
    server, token = served
    before = _count(server)
    answer = http_post(
        server.url + "/load",
        content=corpus[name].data,
        headers={"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {token}"},
        timeout=60,
    )
    lost = abs(_count(server) - before)
    expected = answer.status_code == 400 and corpus[name].message in answer.text and lost == 0
    record("input", surface="POST /load", name=name, expected=expected, quads_lost=lost)
    assert answer.status_code == 400, answer.text
    assert corpus[name].message in answer.text
    assert lost == 0
    assert canary.hits == []


# ------------------------------------------------------------------ ST.66


def st66_hostile(canary: str) -> list[tuple[str, bytes, str]]:
    """Hostile ST.66 files: name, bytes, and the start of the error after the file name."""
    laughs = "".join(
        ['<!ENTITY m0 "ACME">']
        + [f'<!ENTITY m{i} "{f"&m{i - 1};" * 10}">' for i in range(1, LEVELS + 1)]
    )
    bomb = GOOD_FIELDS.replace("ACME", f"&m{LEVELS};")
    return [
        (
            "pe-first.xml",
            st66(trademark(bomb), prolog=f"<!DOCTYPE Transaction [ %p; {laughs} ]>\n").encode(),
            ":2:",
        ),
        (
            "general-entity.xml",
            st66(trademark(bomb), prolog=f"<!DOCTYPE Transaction [ {laughs} ]>\n").encode(),
            ":2:",
        ),
        (
            "empty-subset.xml",
            st66(trademark(GOOD_FIELDS), prolog="<!DOCTYPE Transaction [ ]>\n").encode(),
            ":2:",
        ),
        (
            "bare-doctype.xml",
            st66(trademark(GOOD_FIELDS), prolog="<!DOCTYPE Transaction>\n").encode(),
            ":2:",
        ),
        (
            "external-dtd.xml",
            st66(
                trademark(GOOD_FIELDS),
                prolog=f'<!DOCTYPE Transaction SYSTEM "{canary}/st66.dtd">\n',
            ).encode(),
            ":2:",
        ),
        (
            "utf-16.xml",
            st66(trademark(bomb), prolog=f"<!DOCTYPE Transaction [ %p; {laughs} ]>\n")
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16"),
            ":2:",
        ),
        (
            "undeclared-entity.xml",
            st66(trademark(GOOD_FIELDS.replace("ACME", "&mark;"))).encode(),
            ":6:",
        ),
    ]


ST66_NAMES = [case[0] for case in st66_hostile("http://127.0.0.1:1")]


@pytest.mark.parametrize("name", ST66_NAMES)
def test_st66_import_refuses_dtds_and_unknown_entities(
    name: str, disk_graph: KnowledgeGraph, canary: Canary, tmp_path: Path
) -> None:
    data, where = next((d, w) for n, d, w in st66_hostile(canary.url) if n == name)
    good = tmp_path / "good.xml"
    good.write_text(st66(trademark(GOOD_FIELDS)), encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(data)
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [good, path])
    lost = len(before ^ all_quads(disk_graph))
    message = str(caught.value)
    expected = message.startswith(f"{path}{where}") and lost == 0
    record("input", surface="kg import", name=name, expected=expected, quads_lost=lost)
    assert message.startswith(f"{path}{where}"), message
    assert message.split(":")[2].isdigit()  # the column
    if name == "undeclared-entity.xml":  # names the record, not only the line
        assert "undefined entity (in the TradeMark on line 5, ApplicationNumber 123)" in message
    elif name == "external-dtd.xml":
        assert f'a DOCTYPE (external DTD "{canary.url}/st66.dtd") is refused' in message
    else:
        assert DOCTYPE_REFUSED in message
    assert lost == 0
    assert canary.hits == []


def test_kg_import_refuses_a_parameter_entity_trick(canary: Canary, tmp_path: Path) -> None:
    name, data, where = st66_hostile(canary.url)[0]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_kg("import", "--memory", path)
    expected = result.returncode == 4 and f"{path}{where}" in result.stderr
    record("input", surface="kg import", name=f"{name} (CLI)", expected=expected, quads_lost=0)
    assert result.returncode == 4, result.stderr
    assert f"{path}{where}" in result.stderr
    assert canary.hits == []


@pytest.mark.parametrize("name", ["parameter-entity-first.rdf", "general-entities.rdf"])
def test_rdfxml_from_a_remote_endpoint_is_checked_too(name: str) -> None:
    """CONSTRUCT answers in RDF/XML from a remote store go through the same refusal."""
    hostile = next(h for h in hostile_rdfxml("http://127.0.0.1:1") if h.name == name)
    answer = Answer(200, httpx.Headers({"content-type": "application/rdf+xml"}), hostile.data)
    with pytest.raises(QueryError) as caught:
        parse_graph(answer)
    expected = DOCTYPE_REFUSED in str(caught.value)
    record("input", surface="remote endpoint", name=name, expected=expected, quads_lost=0)
    assert DOCTYPE_REFUSED in str(caught.value)


# ------------------------------------------------------------------ mark length


def mark_turtle(text: str, name: str = "long") -> str:
    return (
        "@prefix tm: <https://w3id.org/tmkg/ontology#> .\n"
        f'<https://w3id.org/tmkg/id/mark/{name}> a tm:Mark ; tm:text "{text}" .\n'
    )


def test_the_limit_is_one_constant_that_the_shapes_state() -> None:
    shapes = rdflib.Graph().parse(shapes_path())
    text = rdflib.URIRef("https://w3id.org/tmkg/ontology#text")
    limits = {
        limit
        for shape in shapes.subjects(SH.path, text)
        for limit in shapes.objects(shape, SH.maxLength)
    }
    assert limits == {rdflib.Literal(MAX_MARK_LENGTH)}


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
@pytest.mark.parametrize(
    ("length", "valid"), [(MAX_MARK_LENGTH, True), (MAX_MARK_LENGTH + 1, False)]
)
def test_both_validators_draw_the_line_at_the_limit(engine: str, length: int, valid: bool) -> None:
    for letter in ("A", "特"):  # characters, not bytes
        parsed = parse_bytes(
            mark_turtle(letter * length).encode(), name="m.ttl", rdf_format=ox.RdfFormat.TURTLE
        )
        report = validate_quads(list(parsed.quads), None, engine=engine)
        assert (not report.violations) is valid, report.violations


def _over_limit_inputs(tmp_path: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Files holding one mark a character over the limit, and the `kg` command for each."""
    text = "B" * (MAX_MARK_LENGTH + 1)
    ttl = tmp_path / "long.ttl"
    ttl.write_text(mark_turtle(text), encoding="utf-8")
    csv = tmp_path / "long.csv"
    csv.write_text(f"mark,owner,number,jurisdiction\n{text},Acme Ltd,1,CN\n", encoding="utf-8")
    xml = tmp_path / "long.xml"
    xml.write_text(st66(trademark(GOOD_FIELDS.replace("ACME", text))), encoding="utf-8")
    return {
        "kg load": (ttl, ("load",)),
        "kg validate": (ttl, ("validate",)),
        "kg import csv": (csv, ("import",)),
        "kg import st66": (xml, ("import",)),
        "kg import --check": (csv, ("import", "--check")),
    }


def test_marks_over_the_limit_are_refused_and_change_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with KnowledgeGraph.open(Settings(store_path=store)) as opened:
        opened.load_seed()
        before = all_quads(opened)
    for surface, (path, command) in _over_limit_inputs(tmp_path).items():
        result = run_kg(*command, "--store", store, path)
        with KnowledgeGraph.open(Settings(store_path=store)) as opened:
            lost = len(before ^ all_quads(opened))
        message = f"at most {MAX_MARK_LENGTH} characters"
        expected = result.returncode == 5 and message in result.stderr and lost == 0
        record(
            "input", surface=surface, name="mark over the limit", expected=expected, quads_lost=lost
        )
        assert result.returncode == 5, result.stderr
        assert message in result.stderr and f"{path}" in result.stderr  # the file (and line)
        assert f"({MAX_MARK_LENGTH + 1:,} characters)" in result.stderr  # not the whole text
        assert lost == 0


def test_marks_at_the_limit_load_and_import(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    text = "C" * MAX_MARK_LENGTH
    ttl = tmp_path / "at-limit.ttl"
    ttl.write_text(mark_turtle(text, "at-limit"), encoding="utf-8")
    disk_graph.load([ttl])
    csv = tmp_path / "at-limit.csv"
    csv.write_text(f"mark,owner,number,jurisdiction\nD{text[1:]},Acme Ltd,1,CN\n", encoding="utf-8")
    assert import_registry(disk_graph, [csv]).records == 1
    assert {hit.mark.text for hit in Analyst(disk_graph).who_else_uses(text)} >= {"D" + text[1:]}


def test_post_load_refuses_a_mark_over_the_limit(served: tuple[SparqlServer, str]) -> None:
    server, token = served
    before = _count(server)
    answer = http_post(
        server.url + "/load",
        content=mark_turtle("E" * (MAX_MARK_LENGTH + 1)).encode(),
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
        timeout=60,
    )
    lost = abs(_count(server) - before)
    message = f"at most {MAX_MARK_LENGTH} characters"
    expected = answer.status_code == 422 and message in answer.text and lost == 0
    record(
        "input",
        surface="POST /load",
        name="mark over the limit",
        expected=expected,
        quads_lost=lost,
    )
    assert answer.status_code == 422, answer.text
    assert message in answer.text
    assert lost == 0


def _index_bytes(index: MarkIndex) -> int:
    """What the index stores: the marks' texts and their keys."""
    db = index._db
    (texts,) = db.execute("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM marks").fetchone()
    (keys,) = db.execute(
        "SELECT COALESCE(SUM(LENGTH(key) + LENGTH(id)), 0) FROM text_lookup"
    ).fetchone()
    return texts + keys


@pytest.mark.parametrize("length", [1_000, 5_000, 20_000])
@pytest.mark.parametrize("alphabet", ["ABCDEFGHIJKLMNOPQRSTUVWXYZ", "特斯拉云海星亚马逊小米华为"])
def test_the_mark_index_is_linear_in_the_mark_length(length: int, alphabet: str) -> None:
    text = "".join(alphabet[(i * 7 + i // 3) % len(alphabet)] for i in range(length))
    index = MarkIndex(None)
    index.sync({"m": text})
    # romanizing a Chinese character writes up to six letters; keys hold a few copies of it
    assert _index_bytes(index) < 40 * length
    assert index.candidates(text) == {"m"}


def test_a_long_mark_already_in_the_store_does_not_blow_up_the_index(tmp_path: Path) -> None:
    """A store loaded before the limit (or written by SPARQL Update) may hold a long mark."""
    store = tmp_path / "store"
    text = "".join(chr(ord("A") + i % 26) for i in range(20_000))  # distinct deletions
    with KnowledgeGraph.open(Settings(store_path=store)) as opened:
        opened.load_seed()
        iri = ox.NamedNode("https://w3id.org/tmkg/id/mark/legacy")
        graph_name = ox.NamedNode("https://w3id.org/tmkg/id/graph/legacy")
        opened.store.add(
            [
                ox.Quad(iri, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(TM.Mark)), graph_name),
                ox.Quad(iri, ox.NamedNode(str(TM.text)), ox.Literal(text), graph_name),
            ]
        )
        analyst = Analyst(opened)
        assert analyst.find_mark(text) == [iri.value]  # its own text may still be asked
        analyst.who_else_uses(text)
    index_file = tmp_path / "store.marks.sqlite"
    size = sum(p.stat().st_size for p in tmp_path.glob("store.marks.sqlite*"))
    assert index_file.exists() and size < 5_000_000  # was 810 MB


def test_an_index_keyed_by_an_older_tmkg_is_rekeyed(tmp_path: Path) -> None:
    path = tmp_path / "old.marks.sqlite"
    text = "".join(chr(ord("A") + i % 26) for i in range(2_000))
    MarkIndex(path).close()
    old = sqlite3.connect(path)
    # before version 6 of the index, keys were kept per mark, in this table
    old.execute(
        "CREATE TABLE keys (key TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (key, iri)) "
        "WITHOUT ROWID"
    )
    deletions = [f"D:{text[:i]}{text[i + 1 :]}" for i in range(len(text))] + [f"D:{text}"]
    old.executemany("INSERT INTO keys VALUES (?, 'm')", [(key,) for key in deletions])
    old.execute("INSERT INTO marks VALUES ('m', ?)", (text,))
    old.execute("PRAGMA user_version = 0")
    old.commit()
    old.close()
    index = MarkIndex(path)
    assert index.sync({"m": text}) == 1  # re-keyed
    assert _index_bytes(index) < 40 * len(text)
    tables = {name for (name,) in index._db.execute("SELECT name FROM sqlite_master")}
    assert "keys" not in tables  # the quadratic keys are gone with it
    assert MarkIndex(path).sync({"m": text}) == 0  # and only once


def test_blocking_loses_no_one_edit_pair_of_long_marks() -> None:
    """Long marks have no one-deletion keys; their prefixes and suffixes still meet."""
    alphabet = "ABCDEFGHIKLMNOPRSTUVW"
    for length in range(8, 130, 3):
        a = "".join(alphabet[(i * i + 3 * i) % len(alphabet)] for i in range(length))
        for i in range(0, length, 2):
            for b in (
                a[:i] + "X" + a[i + 1 :],
                a[:i] + a[i + 1 :],
                a[:i] + "X" + a[i:],
                a[:i] + a[i + 1 : i + 2] + a[i : i + 1] + a[i + 2 :],
            ):
                if compare(a, b).score >= DEFAULT_MIN_SIMILARITY:
                    assert blocking_keys(a) & blocking_keys(b), (a, b)


@pytest.mark.parametrize(
    "command",
    [
        ("who-else-uses",),
        ("priority", "--class", "9", "--jurisdiction", "CN"),
        ("report", "-o", "-", "--mark"),
        ("export", "--format", "graphml", "--mark"),
    ],
    ids=lambda command: command[0],
)
def test_questions_about_over_long_marks_are_refused(
    command: tuple[str, ...], seeded: KnowledgeGraph, tmp_path: Path
) -> None:
    text = "H" * (MAX_MARK_LENGTH + 1)
    result = run_kg(command[0], "--memory", *command[1:], text)
    message = f"is {MAX_MARK_LENGTH + 1:,} characters long, more than the {MAX_MARK_LENGTH}"
    # the shells' argument check (exit 2) or the service's (exit 1), whichever comes first
    expected = result.returncode in (1, 2) and message in result.stderr
    record("input", surface=f"kg {command[0]}", name="mark over the limit", expected=expected)
    assert result.returncode in (1, 2), result.stderr
    assert result.stderr.startswith("kg: error: ") and message in result.stderr


def test_the_service_refuses_over_long_question_texts(seeded: KnowledgeGraph) -> None:
    """GraphQL caps strings at 1,000 characters; the service layer at a mark's length."""
    analyst, text = Analyst(seeded), "H" * (MAX_MARK_LENGTH + 1)
    for ask in (
        lambda: analyst.who_else_uses(text),
        lambda: analyst.find_mark(text),
        lambda: analyst.priority(text, 9, "CN"),
        lambda: analyst.search(text),
    ):
        with pytest.raises(KGError, match=f"more than the {MAX_MARK_LENGTH} a mark may have"):
            ask()
