"""Reading a remote store's answers: values that are no RDF term (a server such as Virtuoso
stores what an update's ``IRI("a b")``, ``STRDT("1", IRI("rel"))`` or ``STRLANG`` with a long
tag made) are an error naming the row and value, or left out for tmkg's own questions; never a
failure far away in whoever iterates the rows (helper-102 of session 29: GraphQL ``INTERNAL``,
/sparql 500, ``kg serve`` not starting). End to end on Virtuoso: tests/test_virtuoso_serve.py.
"""

from __future__ import annotations

import json
import logging

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import QueryError, UnreadableAnswer
from kg.store.sparql_http import Answer, parse_graph, parse_results

JSON = httpx.Headers({"content-type": "application/sparql-results+json"})
XML = httpx.Headers({"content-type": "application/sparql-results+xml"})
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# One kind of value pyoxigraph refuses per entry: (variable's term, what the message names).
UNREADABLE = {
    "IRI with a space": ({"type": "uri", "value": "urn:m a b"}, "urn:m a b"),
    "IRI with a control character": ({"type": "uri", "value": "urn:m\u0001"}, "urn:m"),
    "relative IRI": ({"type": "uri", "value": "rel/ative"}, "rel/ative"),
    "IRI with angle brackets": ({"type": "uri", "value": "urn:<x>"}, "urn:<x>"),
    "relative datatype": ({"type": "literal", "value": "1", "datatype": "rel"}, '"rel"'),
    "datatype with a space": (
        {"type": "literal", "value": "1", "datatype": "urn:d t"},
        "urn:d t",
    ),
    "language tag of 11 letters": (
        {"type": "literal", "value": "x", "xml:lang": "abcdefghijk"},
        "abcdefghijk",
    ),
    "language tag with a space": ({"type": "literal", "value": "x", "xml:lang": "e n"}, "e n"),
    "unknown kind of term": ({"type": "thing", "value": "x"}, '"thing"'),
}


def _answer(rows: list[dict[str, object]], variables: tuple[str, ...] = ("s", "o")) -> Answer:
    document = {"head": {"vars": list(variables)}, "results": {"bindings": rows}}
    return Answer(200, JSON, json.dumps(document).encode())


def _row(i: int) -> dict[str, object]:
    return {
        "s": {"type": "uri", "value": f"urn:x:{i}"},
        "o": {"type": "literal", "value": f"v{i}", "datatype": XSD_STRING},
    }


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_an_unreadable_value_is_a_502_naming_row_variable_and_value(kind: str) -> None:
    term, shown = UNREADABLE[kind]
    rows = [_row(1), _row(2), {**_row(3), "o": term}]
    with pytest.raises(UnreadableAnswer) as raised:
        parse_results(_answer(rows))  # raised here, not by whoever iterates later
    message = str(raised.value)
    assert "row 3, ?o = " in message and shown in message, message
    assert raised.value.http_status == 502
    assert isinstance(raised.value, QueryError)  # the CLI's exit code for a failed query


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_tmkgs_own_questions_leave_such_rows_out_and_say_so(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    term, shown = UNREADABLE[kind]
    rows = [_row(i) for i in range(2500)]
    for bad in (0, 1200, 2499):  # in the first, a middle and the last chunk of rows
        rows[bad] = {**rows[bad], "s": term} if term["type"] == "uri" else {**rows[bad], "o": term}
    with caplog.at_level(logging.WARNING, logger="kg.store.sparql_http"):
        solutions = parse_results(_answer(rows), skip_unreadable=True)
    kept = [row["s"].value for row in solutions]  # type: ignore[index, union-attr]
    assert len(kept) == 2497
    assert "urn:x:1" in kept and "urn:x:1200" not in kept and "urn:x:2498" in kept
    assert "3 row(s)" in caplog.text and "row 1, ?" in caplog.text and shown in caplog.text


def test_readable_answers_are_unchanged() -> None:
    rows = [_row(i) for i in range(3)] + [{"s": {"type": "bnode", "value": "nodeID://b1"}}]
    solutions = parse_results(_answer(rows))
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == ["s", "o"]
    values = [row["s"] for row in solutions]
    assert values[:3] == [ox.NamedNode(f"urn:x:{i}") for i in range(3)]
    assert isinstance(values[3], ox.BlankNode)
    boolean = Answer(200, JSON, b'{"head": {}, "boolean": true}')
    assert bool(parse_results(boolean)) is True


@pytest.mark.parametrize(
    "body",
    [
        b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"',
        b"[1, 2, 3]",
        b"not json at all",
    ],
    ids=["cut short", "not an object", "not json"],
)
def test_a_malformed_answer_is_a_502(body: bytes) -> None:
    with pytest.raises(UnreadableAnswer, match="unreadable results from the SPARQL endpoint"):
        parse_results(Answer(200, JSON, body), skip_unreadable=True)


def test_an_xml_answer_with_an_unreadable_value_is_a_502() -> None:
    body = (
        b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        b'<head><variable name="s"/></head><results><result><binding name="s">'
        b"<uri>urn:m a b</uri></binding></result></results></sparql>"
    )
    with pytest.raises(UnreadableAnswer, match="Invalid IRI code point"):
        parse_results(Answer(200, XML, body), skip_unreadable=True)


@pytest.mark.parametrize(
    "line",
    [
        b"<urn:m a b> <urn:p> <urn:o> .",
        b'<urn:s> <urn:p> "1"^^<rel> .',
        b'<urn:s> <urn:p> "x"@abcdefghijk .',
    ],
)
def test_a_graph_answer_with_an_unreadable_value_is_a_502(line: bytes) -> None:
    answer = Answer(200, httpx.Headers({"content-type": "application/n-triples"}), line + b"\n")
    with pytest.raises(UnreadableAnswer, match="unreadable RDF from the SPARQL endpoint"):
        parse_graph(answer)
