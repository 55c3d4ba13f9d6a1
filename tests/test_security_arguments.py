"""Every argument is checked before it is used (`kg.analysis.arguments`): a newline, quote,
backslash, brace, ``>`` or ``\\u0022`` in any argument of any GraphQL root field or `kg`
analysis command is a clear error naming the argument (or, where such text is a fine name,
a plain "not found"), never a SPARQL syntax error or a traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.analysis import arguments
from kg.analysis.arguments import ArgumentError, check
from kg.analysis.sparql_text import escape_literal
from kg.cli.main import main
from tests.graphql_support import GraphQLServer
from tests.hardening_support import record
from tests.http_support import http_post

CONTROL = {"newline": "C\nN", "NUL": "A\x00", "ESC": "A\x1b[2J", "tab": "A\tB", "bidi": "\u202eA"}
PRINTABLE = {
    "quote": 'CN"',
    "single quote": "CN'",
    "backslash": "CN\\",
    "brace": "CN }",
    "angle": "CN>",
    "unicode escape": "\\u0022",
    "sparql": '"} ; DROP ALL #',
}
# IRI-shaped text that is no IRI (found by a trial: written into a VALUES block, it ended the
# IRI early, so "…/nobody> <…/amazon" found Amazon, and a space was a SPARQL error)
_ID = "https://w3id.org/tmkg/id/"
IRI_SHAPED = {
    "iri then another": f"{_ID}party/nobody> <{_ID}party/amazon",
    "iri with a space": f"{_ID}case/aws cn",
    "iri with a brace": f"{_ID}party/amazon}} ?s ?p ?o {{",
    "iri with a quote": f'{_ID}party/amazon"',
    "iri with a backslash": f"{_ID}party/ama\\zon",
}
HOSTILE = {**CONTROL, **PRINTABLE, **IRI_SHAPED}

# (root field, argument, the query with $v in that argument's place)
FIELDS = [
    ("whoElseUses", "mark", "whoElseUses(mark: $v) { kind }"),
    ("whoElseUses", "jurisdiction", 'whoElseUses(mark: "AWS", jurisdiction: $v) { kind }'),
    ("whoElseUses", "excluding", 'whoElseUses(mark: "AWS", excluding: $v) { kind }'),
    ("compareMarks", "earlier", 'compareMarks(earlier: $v, later: "AWS") { score }'),
    ("compareMarks", "later", 'compareMarks(earlier: "AWS", later: $v) { score }'),
    (
        "compareMarks",
        "jurisdiction",
        'compareMarks(earlier: "AWS", later: "AWZ", jurisdiction: $v) { score }',
    ),
    ("conflicts", "jurisdiction", "conflicts(jurisdiction: $v) { totalCount }"),
    ("conflicts", "after", "conflicts(after: $v) { totalCount }"),
    ("conflictPath", "from", 'conflictPath(from: $v, to: "Amazon") { length }'),
    ("conflictPath", "to", 'conflictPath(from: "Amazon", to: $v) { length }'),
    ("conflictPaths", "from", 'conflictPaths(from: $v, to: "Amazon") { length }'),
    ("conflictCluster", "party", "conflictCluster(party: $v) { name }"),
    ("priority", "mark", 'priority(mark: $v, niceClass: 42, jurisdiction: "CN") { rule }'),
    ("priority", "jurisdiction", 'priority(mark: "AWS", niceClass: 42, jurisdiction: $v) { rule }'),
    ("party", "name", "party(name: $v) { name }"),
    ("mark", "text", "mark(text: $v) { id }"),
    ("marks", "text", "marks(text: $v) { id }"),
    ("case", "id", "case(id: $v) { number }"),
    ("search", "text", "search(text: $v) { label }"),
    ("timeline", "party", "timeline(party: $v) { date }"),
    ("timeline", "case", "timeline(case: $v) { date }"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[GraphQLServer]:
    with GraphQLServer("--memory") as running:
        yield running


def _ask(server: GraphQLServer, field: str, value: str) -> dict:
    kind = "ID" if "(id: $v" in field or "(case: $v" in field else "String"
    query = f"query($v: {kind}!) {{ {field} }}"
    response = http_post(
        server.graphql, json={"query": query, "variables": {"v": value}}, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("root", "argument", "field"), FIELDS, ids=[f"{r}.{a}" for r, a, _ in FIELDS]
)
def test_graphql_arguments_are_checked(
    server: GraphQLServer, root: str, argument: str, field: str
) -> None:
    outcomes = []
    for name, value in HOSTILE.items():
        answer = _ask(server, field, value)
        errors = answer.get("errors") or []
        codes = {e["extensions"]["code"] for e in errors}
        if name in CONTROL or argument == "jurisdiction":
            ok = codes == {"BAD_REQUEST"} and (
                errors[0]["extensions"].get("argument") == argument or argument == "after"
            )
        else:  # printable text is a fine name: found or not, never a query error
            ok = codes <= {"NOT_FOUND", "BAD_REQUEST"} and not any(
                "SPARQL" in e["message"] for e in errors
            )
        record("input", surface="/graphql", name=f"{root}({argument}: {name})", expected=ok)
        outcomes.append((name, ok, errors))
    assert all(ok for _, ok, _ in outcomes), [o for o in outcomes if not o[1]]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ whoElseUses(mark: "AWS", niceClass: 0) { kind } }', "niceClass"),
        ('{ whoElseUses(mark: "AWS", minSimilarity: 1.5) { kind } }', "minSimilarity"),
        ('{ compareMarks(earlier: "A", later: "B", minSimilarity: 2) { score } }', "minSimilarity"),
        (f'{{ compareMarks(earlier: "{"A" * 501}", later: "B") {{ score }} }}', "earlier"),
        ("{ conflicts(minScore: -0.1) { totalCount } }", "minScore"),
        ("{ conflicts(first: -1) { totalCount } }", "first"),
        ('{ search(text: "AWS", limit: 0) { label } }', "limit"),
        ('{ conflictPath(from: "Amazon", to: "Sinnet", maxLength: 99) { length } }', "maxLength"),
        (f'{{ party(name: "{"A" * 600}") {{ name }} }}', "name"),
        ('{ party(name: "   ") { name } }', "name"),
    ],
)
def test_graphql_ranges_name_the_argument(server: GraphQLServer, query: str, argument: str) -> None:
    response = http_post(server.graphql, json={"query": query}, timeout=60).json()
    (error,) = response["errors"]
    ok = error["extensions"] == {**error["extensions"], "code": "BAD_REQUEST", "argument": argument}
    record("input", surface="/graphql", name=f"range of {argument}", expected=ok)
    assert ok, error


CLI = [
    ("who-else-uses", "mark", ["who-else-uses", "{v}"]),
    ("who-else-uses", "jurisdiction", ["who-else-uses", "AWS", "--jurisdiction", "{v}"]),
    ("who-else-uses", "excluding", ["who-else-uses", "AWS", "--excluding", "{v}"]),
    ("who-else-uses", "as_of", ["who-else-uses", "AWS", "--as-of", "{v}"]),
    ("compare", "earlier", ["compare", "{v}", "AWS"]),
    ("compare", "later", ["compare", "AWS", "{v}"]),
    ("compare", "jurisdiction", ["compare", "AWS", "AWZ", "--jurisdiction", "{v}"]),
    ("conflicts", "jurisdiction", ["conflicts", "--jurisdiction", "{v}"]),
    ("path", "origin", ["path", "{v}", "Amazon"]),
    ("path", "destination", ["path", "Amazon", "{v}"]),
    ("priority", "mark", ["priority", "{v}", "--class", "42", "--jurisdiction", "CN"]),
    ("priority", "jurisdiction", ["priority", "AWS", "--class", "42", "--jurisdiction", "{v}"]),
    ("timeline", "subject", ["timeline", "{v}"]),
    ("report", "party", ["report", "--party", "{v}"]),
    ("report", "jurisdiction", ["report", "--mark", "AWS", "--jurisdiction", "{v}"]),
    ("export", "party", ["export", "--format", "nquads", "--party", "{v}"]),
    ("export", "named_graph", ["export", "--format", "nquads", "--graph", "{v}"]),
]


@pytest.mark.parametrize(("command", "argument", "argv"), CLI, ids=[f"{c}.{a}" for c, a, _ in CLI])
def test_cli_arguments_are_checked(
    command: str, argument: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes = []
    for name, value in {
        **CONTROL,
        "quote": 'CN"',
        "brace": "CN }",
        "angle": "CN>",
        "escape": "\\u0022",
        **IRI_SHAPED,
    }.items():
        code = main([*(a.replace("{v}", value) for a in argv), "--memory"])
        err = capsys.readouterr().err
        lines = err.strip().splitlines()
        strict = name in CONTROL or argument in ("jurisdiction", "as_of", "named_graph")
        ok = (
            "Traceback" not in err
            and "SPARQL" not in err
            and (code == 2 if strict else code in (0, 2, 7))
            and (not lines or lines[-1].startswith(("kg: error: ", "kg: exported")))
            and "\x1b" not in err
        )
        record("input", surface=f"kg {command}", name=f"{argument}: {name}", expected=ok)
        outcomes.append((name, code, err, ok))
    assert all(o[3] for o in outcomes), [o for o in outcomes if not o[3]]


@pytest.mark.parametrize("value", IRI_SHAPED.values(), ids=IRI_SHAPED.keys())
def test_an_iri_shaped_name_finds_no_other_party(value: str) -> None:
    """Text shaped like an IRI that is none names no party, case or record: never the party
    an IRI inside it names."""
    from kg import KnowledgeGraph, NotFound, Settings
    from kg.analysis.service import Analyst

    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        graph.load_seed()
        analyst = Analyst(graph)
        assert analyst.facts.known_party(value) is None
        with pytest.raises(NotFound):
            analyst.find_party(value)
        with pytest.raises(NotFound):
            analyst.timeline(party=value)
        assert analyst.contradictions(subjects=[value]) == []
    finally:
        graph.close()


def test_check_knows_every_argument() -> None:
    with pytest.raises(KeyError):
        check(unknown="x")
    assert check(jurisdiction="https://w3id.org/tmkg/id/jurisdiction/cn") == {"jurisdiction": "CN"}
    with pytest.raises(ArgumentError) as refused:
        arguments.jurisdiction("C\nN")
    assert refused.value.argument == "jurisdiction" and refused.value.exit_code == 2


@pytest.mark.parametrize("value", [*HOSTILE.values(), "a\rb", '\\\\\\"', "x'''y"])
def test_escaped_literals_round_trip_through_the_engine(value: str) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    text = value.replace("\x00", "")  # a NUL passes through SPARQL text too, but not argv
    solutions = store.query(f'SELECT ?x WHERE {{ BIND("{escape_literal(text)}" AS ?x) }}')
    assert next(iter(solutions))["x"].value == text  # type: ignore[index]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_line_and_paragraph_separators_are_refused(separator: str) -> None:
    from kg.analysis.arguments import ArgumentError, text

    with pytest.raises(ArgumentError, match="control character"):
        text(f"AWS{separator}X", "mark")


@pytest.mark.parametrize("value", ["BAD\udcff", "A\ud800B"])
def test_a_lone_surrogate_is_named_as_such(value: str) -> None:
    # invalid UTF-8 on the command line reaches Python as lone surrogates: not a "control
    # character" (found by a trial: 'BAD\\udcff' holds a control character (U+DCFF))
    from kg.analysis.arguments import ArgumentError, text

    with pytest.raises(ArgumentError, match="lone surrogate") as raised:
        text(value, "mark")
    assert "control character" not in str(raised.value)


@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        ("Amazon", "Amazon"),
        ("Amazon", "Amazon.com Inc."),
        ("Amazon.com Inc.", "https://w3id.org/tmkg/id/party/amazon"),
    ],
)
def test_a_path_from_a_party_to_itself_is_refused(
    server: GraphQLServer, origin: str, destination: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path joins two parties: one named twice (by name, alias or IRI) is a usage error,
    from the CLI (exit 2) and over GraphQL (BAD_REQUEST), found by a trial
    (three "mark conflict" paths from Amazon to itself)."""
    assert main(["path", origin, destination, "--memory"]) == 2
    err = capsys.readouterr().err
    assert "are the same party" in err and "Traceback" not in err
    for field in ("conflictPath", "conflictPaths"):
        query = f'{{ {field}(from: "{origin}", to: "{destination}") {{ length }} }}'
        answer = http_post(server.graphql, json={"query": query}, timeout=60).json()
        (error,) = answer["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST", error
        assert "same party" in error["message"]
