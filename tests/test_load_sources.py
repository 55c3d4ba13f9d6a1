"""Loading (issue 17): encodings, one graph and one set of blank nodes per source, what the
store keeps, RDF/XML error positions, and ``POST /load``'s base IRI and empty body.

Files through `kg.ingest.load` and `KnowledgeGraph`; bodies through the app in process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, ParseError, Settings
from kg.api.app import create_app
from kg.cli.main import main
from kg.ingest.load import file_graph

BOM = b"\xef\xbb\xbf"
EX = "http://example.org/"
TOKEN = "load-sources-token"
# One document per syntax, each holding a blank node and a relative-free triple.
DOCUMENTS = {
    "ttl": f'@prefix ex: <{EX}> .\nex:a ex:p [ ex:q "café" ] .\n',
    "nt": f'<{EX}a> <{EX}p> _:b .\n_:b <{EX}q> "café" .\n',
    "nq": f'<{EX}a> <{EX}p> _:b <{EX}g> .\n_:b <{EX}q> "café" <{EX}g> .\n',
    "trig": f'@prefix ex: <{EX}> .\nex:g {{ ex:a ex:p [ ex:q "café" ] }}\n',
    "n3": f'@prefix ex: <{EX}> .\nex:a ex:p [ ex:q "café" ] .\n',
    "jsonld": f'{{"@id": "{EX}a", "{EX}p": {{"{EX}q": "café"}}}}',
    "rdf": (
        f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="{EX}">\n'
        f'<rdf:Description rdf:about="{EX}a"><ex:p><rdf:Description><ex:q>café</ex:q>'
        "</rdf:Description></ex:p></rdf:Description>\n</rdf:RDF>\n"
    ),
}
MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "n3": "text/n3",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


@pytest.fixture
def graph() -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    yield graph
    graph.close()


class Client:
    """The app in process (no server, no SPARQL workers: ``POST /load`` needs neither)."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        settings = Settings(memory=True, update_token=TOKEN, allowed_hosts=("testserver",))
        self.app = create_app(graph, settings)

    def post(self, url: str, body: bytes, media: str) -> httpx.Response:
        headers = {"Content-Type": media, "Authorization": f"Bearer {TOKEN}"}

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.post(url, content=body, headers=headers)

        return anyio.run(send)


@pytest.fixture
def client(graph: KnowledgeGraph) -> Client:
    return Client(graph)


def post(
    client: Client, body: bytes, media: str = "text/turtle", query: str = ""
) -> httpx.Response:
    return client.post("/load" + query, body, media)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def ours(graph: KnowledgeGraph) -> list[ox.Quad]:
    """The quads the tests loaded (the store also holds tmkg's reference data)."""
    return [q for q in graph.store.quads() if q.predicate.value.startswith(EX)]


def triples(graph: KnowledgeGraph) -> set[tuple[str, str, str]]:
    """The store's triples with skolem IRIs replaced by one placeholder (forms, not names)."""

    def shown(term: object) -> str:
        text = str(term)
        return "<genid>" if "/id/genid/" in text else text

    return {(shown(q.subject), shown(q.predicate), shown(q.object)) for q in ours(graph)}


# ------------------------------------------------------------------ kind 3: encodings


@pytest.mark.parametrize("extension", sorted(DOCUMENTS))
def test_a_utf8_byte_order_mark_is_accepted_in_every_syntax(extension: str, tmp_path: Path) -> None:
    text = DOCUMENTS[extension].encode()
    plain, marked = (KnowledgeGraph.open(Settings(memory=True)) for _ in range(2))
    try:
        plain.load([write(tmp_path / "plain" / f"doc.{extension}", text)])
        report = marked.load([write(tmp_path / "bom" / f"doc.{extension}", BOM + text)])
        assert report.quads_read == 2
        assert triples(marked) == triples(plain)
    finally:
        plain.close()
        marked.close()


@pytest.mark.parametrize("extension", sorted(DOCUMENTS))
def test_a_utf8_byte_order_mark_is_accepted_in_every_post_load_body(
    extension: str, client: Client
) -> None:
    answer = post(client, BOM + DOCUMENTS[extension].encode(), MEDIA[extension])
    assert answer.status_code == 200, answer.text
    assert answer.json()["quads_read"] == 2


@pytest.mark.parametrize(
    ("extension", "data", "where", "problem"),
    [
        ("ttl", DOCUMENTS["ttl"].encode("latin-1"), "2:22", "byte 0xe9 is not UTF-8"),
        ("ttl", f'<{EX}a> <{EX}p> "商标" .\n'.encode("gbk"), "1:48", "byte 0xc9 is not UTF-8"),
        ("trig", DOCUMENTS["trig"].encode("cp1252"), "2:29", "byte 0xe9 is not UTF-8"),
        ("nt", DOCUMENTS["nt"].encode("latin-1"), "2:32", "byte 0xe9 is not UTF-8"),
        ("jsonld", DOCUMENTS["jsonld"].encode("latin-1"), "1:86", "byte 0xe9 is not UTF-8"),
        ("ttl", DOCUMENTS["ttl"].encode("utf-16"), "1:1", "UTF-16 byte-order mark"),
        ("nt", DOCUMENTS["nt"].encode("utf-16-le"), "1:2", "NUL byte"),
    ],
    ids=["latin-1", "gbk", "cp1252-trig", "latin-1-nt", "latin-1-jsonld", "utf-16", "utf-16le"],
)
def test_bytes_in_another_encoding_are_named_with_position_and_hint(
    extension: str, data: bytes, where: str, problem: str, tmp_path: Path, graph: KnowledgeGraph
) -> None:
    path = write(tmp_path / f"doc.{extension}", data)
    with pytest.raises(ParseError) as caught:
        graph.load([path])
    message = str(caught.value)
    assert message.startswith(f"{path}:{where}: "), message
    assert problem in message and "UTF-8 only" in message
    assert "save the file as UTF-8" in message
    assert "\ufeff" not in message and "\ufffd" not in message


def test_a_post_load_body_in_another_encoding_is_a_400_naming_it(client: Client) -> None:
    answer = post(client, DOCUMENTS["ttl"].encode("latin-1"))
    assert answer.status_code == 400
    assert "request body:2:22: byte 0xe9 is not UTF-8" in answer.text


# ------------------------------------------------------------------ kind 6: sources


def test_two_files_with_one_name_are_two_sources(tmp_path: Path, graph: KnowledgeGraph) -> None:
    data = DOCUMENTS["rdf"].encode()
    first = write(tmp_path / "a" / "test001.rdf", data)
    second = write(tmp_path / "b" / "test001.rdf", data)
    report = graph.load([first, second])
    assert report.quads_read == report.quads_added == 4
    graphs = {str(q.graph_name.value) for q in ours(graph)}
    assert graphs == {file_graph(first), file_graph(second)}
    assert all("/graph/file/test001-" in name for name in graphs)  # the stem stays readable
    nodes = [
        {
            q.object
            for q in graph.store.quads(graph=ox.NamedNode(g))
            if q.predicate.value.endswith("p")
        }
        for g in sorted(graphs)
    ]
    assert nodes[0].isdisjoint(nodes[1])  # no blank node shared across sources
    assert graph.load([first, second]).quads_added == 0  # reloading adds nothing
    assert graph.load([tmp_path / "a" / ".." / "a" / "test001.rdf"]).quads_added == 0


@pytest.mark.parametrize("extension", ["trig", "nq", "jsonld"])
def test_identical_quad_documents_from_two_files_share_no_blank_node(
    extension: str, tmp_path: Path, graph: KnowledgeGraph
) -> None:
    data = DOCUMENTS[extension].encode()
    paths = [write(tmp_path / d / f"case.{extension}", data) for d in ("x", "y")]
    report = graph.load(paths)
    assert report.quads_added == 4
    assert len({q.subject for q in ours(graph) if "/genid/" in str(q.subject)}) == 2
    assert graph.load(paths).quads_added == 0


def test_the_graph_option_makes_several_files_one_source(
    tmp_path: Path, graph: KnowledgeGraph
) -> None:
    paths = [write(tmp_path / d / "x.ttl", DOCUMENTS["ttl"].encode()) for d in ("a", "b")]
    graph.load(paths, graph="https://example.org/my-case")
    assert {str(q.graph_name.value) for q in ours(graph)} == {"https://example.org/my-case"}


def test_uploads_to_two_graphs_share_no_blank_node(client: Client, graph: KnowledgeGraph) -> None:
    body = DOCUMENTS["ttl"].encode()
    for name in ("one", "two"):
        assert post(client, body, query=f"?graph={EX}{name}").json()["quads_added"] == 2
    assert len({q.object for q in ours(graph) if q.predicate.value == EX + "p"}) == 2
    assert post(client, body, query=f"?graph={EX}one").json()["quads_added"] == 0


NUMBERS = (
    f"@prefix ex: <{EX}> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    'ex:a ex:n 1, 01, +1, "0001"^^xsd:integer, 1.0, 1.50, 01.5, 1e0, 1.0E0 ;\n'
    '     ex:b true, "1"^^xsd:boolean, "false"^^xsd:boolean, "0"^^xsd:boolean ;\n'
    '     ex:s "01", "1" .\n'
)


def test_the_report_counts_quads_as_the_store_keeps_them(
    tmp_path: Path, graph: KnowledgeGraph
) -> None:
    path = write(tmp_path / "numbers.ttl", NUMBERS.encode())
    report = graph.load([path])
    stored = list(ours(graph))
    # 15 quads read; the store keeps 1, 1.0 (decimal), 1.5, 1E0, true, false, "01", "1".
    assert report.quads_read == report.quads_added == len(stored) == 8
    assert report.quads_merged == 7
    assert any("stored once" in warning for warning in report.warnings)
    assert graph.load([path]).quads_added == 0


def test_post_load_counts_quads_as_the_store_keeps_them(
    client: Client, graph: KnowledgeGraph
) -> None:
    answer = post(client, NUMBERS.encode()).json()
    assert answer["quads_read"] == answer["quads_added"] == len(list(ours(graph))) == 8


# ------------------------------------------------------------------ kind 9: smaller

RDF = f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="{EX}">\n'
GOOD_ELEMENT = f'<rdf:Description rdf:about="{EX}b"><ex:p>x</ex:p></rdf:Description>\n'


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            RDF + f'<rdf:Description rdf:about="{EX}a">\n  <ex:p rdf:resource="htt p://x"/>\n'
            "</rdf:Description>\n</rdf:RDF>\n",
            "3:3",
            "htt p://x",
        ),
        (
            RDF + GOOD_ELEMENT * 20 + f'<rdf:Description rdf:about="{EX}a" rdf:ID="x"/>\n'
            "</rdf:RDF>\n",
            "22:1",
            "rdf:ID",
        ),
        (
            RDF + GOOD_ELEMENT * 3 + f'  <rdf:Description rdf:about="{EX}b" xml:lang="e n"/>\n'
            "</rdf:RDF>\n",
            "5:3",
            "language tag",
        ),
        (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<foo/></rdf:RDF>',
            "2:1",
            "namespaces",
        ),
    ],
    ids=["bad-iri", "id-and-about", "bad-language", "no-namespace"],
)
def test_rdfxml_errors_name_line_and_column(
    body: str, where: str, message: str, tmp_path: Path, graph: KnowledgeGraph, client: Client
) -> None:
    path = write(tmp_path / "bad.rdf", body.encode())
    with pytest.raises(ParseError) as caught:
        graph.load([path])
    assert str(caught.value).startswith(f"{path}:{where}: "), caught.value
    assert message in str(caught.value)
    answer = post(client, body.encode(), "application/rdf+xml")
    assert answer.status_code == 400
    assert f"request body:{where}: " in answer.text


def test_post_load_resolves_relative_iris_against_base(
    client: Client, graph: KnowledgeGraph
) -> None:
    body = b"<a> <p> <b> ."
    answer = post(client, body, query=f"?base={EX}doc/&graph={EX}g")
    assert answer.status_code == 200, answer.text
    (quad,) = ours(graph)
    assert (quad.subject.value, quad.object.value) == (f"{EX}doc/a", f"{EX}doc/b")
    assert post(client, body, query="").status_code == 400  # no base: relative IRIs are errors


@pytest.mark.parametrize(
    "query", ["?base=relative/path", "?base=http://a%20b/", f"?base={EX}&base={EX}x"]
)
def test_post_load_refuses_a_bad_base(query: str, client: Client) -> None:
    answer = post(client, b"<a> <p> <b> .", query=query)
    assert answer.status_code == 400
    assert "base=" in answer.text


@pytest.mark.parametrize(
    ("media", "body"),
    [
        ("text/turtle", b""),
        ("application/n-triples", b""),
        ("application/n-quads", b"\n"),
        ("application/trig", b"  \n# nothing\n"),
        ("text/turtle", BOM),
    ],
)
def test_post_load_takes_an_empty_document(media: str, body: bytes, client: Client) -> None:
    answer = post(client, body, media)
    assert answer.status_code == 200, answer.text
    assert answer.json()["quads_read"] == answer.json()["quads_added"] == 0


@pytest.mark.parametrize("argv", [["--bogus"], ["load", "--format"], ["no-such-command"], []])
def test_usage_errors_exit_2_as_the_readme_says(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    docs = (Path(__file__).parent.parent / "docs" / "store.md").read_text(encoding="utf-8")
    assert "Exit statuses: 2 usage" in docs  # argparse's, by Unix convention


def test_a_file_loaded_through_a_symbolic_link_is_the_same_source(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    real = folder / "test001.ttl"
    real.write_text("<http://e/s> <http://e/p> 1 .\n", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert file_graph(link) == file_graph(real)
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([real])
    again = graph.load([link])
    assert again.quads_added == 0
    graph.close()
