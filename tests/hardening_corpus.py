"""The bad-input corpus of the loader: malformed and hostile files, each with the error it
must get. Hostile ones point at a canary URL, which must never be called."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import KGError, ParseError, ValidationError

__all__ = ["CONTENT_TYPES", "BadFile", "bad_files"]

PREFIXES = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix party: <https://w3id.org/tmkg/id/party/> .
@prefix mark: <https://w3id.org/tmkg/id/mark/> .
@prefix reg: <https://w3id.org/tmkg/id/registration/> .
@prefix cc: <https://w3id.org/tmkg/id/jurisdiction/> .
@prefix nice: <https://w3id.org/tmkg/id/nice/> .
"""
REGISTRATION = (
    'party:hx a tm:Company ; schema:name "HX" .\nmark:hx a tm:Mark ; tm:text "HX" .\n'
    "reg:hx a tm:Registration ; tm:mark mark:hx ; tm:owner party:hx ; tm:jurisdiction cc:US ; "
    "tm:niceClass nice:9 "
)
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/"'
CONTENT_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "n3": "text/n3",
}


@dataclass(frozen=True)
class BadFile:
    """One bad input file: its name (the extension gives the format), bytes, and the error
    class and message fragment a load must fail with."""

    name: str
    data: bytes
    error: type[KGError]
    message: str
    status: int  # what POST /load answers

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.name.rsplit(".", 1)[1]]


def _xml(body: str, doctype: str = "") -> bytes:
    return f'<?xml version="1.0"?>{doctype}<rdf:RDF {RDF}>{body}</rdf:RDF>'.encode()


def _laughs(levels: int) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return f"<!DOCTYPE rdf:RDF [{''.join(entities)}]>"


def bad_files(canary: str) -> list[BadFile]:
    """Every bad input of the loader corpus; `canary` is the URL hostile ones point at."""
    parse, invalid = ParseError, ValidationError

    def ttl(name: str, body: str, error: type[KGError], message: str, status: int) -> BadFile:
        return BadFile(name, (PREFIXES + body).encode(), error, message, status)

    deep = 100_000
    return [
        # --- truncated and malformed syntax
        BadFile(
            "cut-string.ttl",
            b'<http://ex.org/a> <http://ex.org/p> "unterminated',
            parse,
            "Unexpected end",
            400,
        ),
        ttl("cut-bnode.ttl", "party:x schema:name [ schema:name ", parse, "", 400),
        ttl("cut-statement.ttl", REGISTRATION + ";\n  tm:filingDate", parse, "", 400),
        BadFile(
            "cut.trig",
            b'<http://ex.org/g> { <http://ex.org/a> <http://ex.org/p> "x" ',
            parse,
            "",
            400,
        ),
        BadFile(
            "cut.nq", b'<http://ex.org/a> <http://ex.org/p> "x" <http://ex.org/g>', parse, "", 400
        ),
        BadFile(
            "cut.jsonld",
            b'{"@id": "http://ex.org/a", "http://ex.org/p": ',
            parse,
            "Unexpected end",
            400,
        ),
        BadFile(
            "cut.rdf",
            _xml('<rdf:Description rdf:about="http://ex.org/a">')[:-10],
            parse,
            "not well-formed",
            400,
        ),
        ttl(
            "double-comma.ttl",
            'party:x a tm:Company ; schema:name "X" ,, .',
            parse,
            "not a valid RDF object",
            400,
        ),
        ttl("undefined-prefix.ttl", "nope:x a tm:Company .", parse, "prefix", 400),
        BadFile("literal-subject.nq", b'"s" <http://ex.org/p> "x" .', parse, "", 400),
        BadFile(
            "literal-graph.nq", b'<http://ex.org/a> <http://ex.org/p> "x" "g" .', parse, "", 400
        ),
        ttl("bad-language.ttl", 'party:x schema:name "X"@-en .', parse, "", 400),
        BadFile(
            "latin-1.ttl",
            '<http://ex.org/a> <http://ex.org/p> "café" .'.encode("latin-1"),
            parse,
            "UTF-8",
            400,
        ),
        BadFile(
            "utf-16.ttl",
            '<http://ex.org/a> <http://ex.org/p> "x" .'.encode("utf-16"),
            parse,
            "",
            400,
        ),
        BadFile("gzip.ttl", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", parse, "", 400),
        BadFile("not-json.jsonld", b"this is not JSON", parse, "", 400),
        BadFile("not-xml.rdf", b"<<<>>>", parse, "not well-formed", 400),
        BadFile(
            "undefined-entity.rdf",
            _xml('<rdf:Description rdf:about="&nope;"/>'),
            parse,
            "undefined entity",
            400,
        ),
        ttl("wrong-syntax.nq", REGISTRATION + ".", parse, "", 400),
        # --- bad IRIs
        BadFile(
            "iri-space.ttl",
            b'<http://ex.org/a b> <http://ex.org/p> "x" .',
            parse,
            "Invalid IRI",
            400,
        ),
        BadFile("iri-relative.nt", b'<a> <http://ex.org/p> "x" .', parse, "No scheme", 400),
        BadFile("iri-braces.nt", b'<http://ex.org/{a}> <http://ex.org/p> "x" .', parse, "", 400),
        BadFile(
            "iri-datatype.ttl",
            b'<http://ex.org/a> <http://ex.org/p> "x"^^<not an iri> .',
            parse,
            "",
            400,
        ),
        BadFile(
            "iri-rdfxml.rdf",
            _xml('<rdf:Description rdf:about="http://ex.org/a b"/>'),
            parse,
            "",
            400,
        ),
        # --- well-formed RDF with wrong datatypes or shapes: SHACL refuses, naming the node
        ttl(
            "date-13th-month.ttl",
            REGISTRATION + '; tm:filingDate "2008-13-45"^^xsd:date .',
            invalid,
            "is not a valid xsd:date",
            422,
        ),
        ttl(
            "year-letters.ttl",
            REGISTRATION + '; tm:filingDate "20x8"^^xsd:gYear .',
            invalid,
            "is not a valid xsd:gYear",
            422,
        ),
        ttl(
            "date-plain.ttl",
            REGISTRATION + '; tm:filingDate "last spring" .',
            invalid,
            "tm:filingDate must be a valid xsd:date",
            422,
        ),
        BadFile(
            "integer-letters.ttl",
            b'<http://ex.org/a> <http://ex.org/p> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            invalid,
            "is not a valid xsd:integer",
            422,
        ),
        BadFile(
            "boolean-maybe.nt",
            b'<http://ex.org/a> <http://ex.org/p> "maybe"^^<http://www.w3.org/2001/XMLSchema#boolean> .',
            invalid,
            "is not a valid xsd:boolean",
            422,
        ),
        ttl(
            "unknown-country.ttl",
            REGISTRATION.replace("cc:US", "cc:XX") + ".",
            invalid,
            "known jurisdiction: an ISO 3166-1 country or EM",
            422,
        ),
        ttl(
            "nice-46.ttl",
            REGISTRATION.replace("nice:9", "nice:46") + ".",
            invalid,
            "Nice class 1-45",
            422,
        ),
        ttl(
            "no-owner.ttl",
            REGISTRATION.replace("tm:owner party:hx ;", "") + ".",
            invalid,
            "a registration needs a tm:owner",
            422,
        ),
        ttl(
            "two-texts.ttl",
            'mark:two a tm:Mark ; tm:text "A", "B" .',
            invalid,
            "a mark needs exactly one tm:text",
            422,
        ),
        ttl(
            "nameless-party.ttl",
            "party:nobody a tm:Company .",
            invalid,
            "a party needs at least one",
            422,
        ),
        # --- huge and deep
        BadFile(
            "huge-literal.nt",
            b'<http://ex.org/a> <http://ex.org/p> "' + b"x" * 1_000_001 + b'" .',
            parse,
            "longer than the 1,000,000 allowed",
            400,
        ),
        # past the parser's 16 MiB token buffer (helper-109 F6: a traceback, a 500)
        BadFile(
            "huge-literal-17mib.nt",
            b'<http://ex.org/a> <http://ex.org/p> "' + b"x" * 17_000_000 + b'" .',
            parse,
            "longer than the parser's 16 MiB limit",
            400,
        ),
        BadFile(
            "huge-iri-17mib.ttl",
            b"<http://ex.org/" + b"a" * 17_000_000 + b'> <http://ex.org/p> "x" .',
            parse,
            "longer than the parser's 16 MiB limit",
            400,
        ),
        # IRIs are capped as literals are (helper-109 F9: a 5 MB IRI loaded)
        *(
            BadFile(
                name,
                data,
                parse,
                "is longer than the 65,536 allowed",
                400,
            )
            for name, data in (
                (
                    "long-iri-subject.nt",
                    b"<http://ex.org/" + b"s" * 70_000 + b'> <http://ex.org/p> "x" .',
                ),
                (
                    "long-iri-object.ttl",
                    b"<http://ex.org/s> <http://ex.org/p> <http://ex.org/" + b"o" * 70_000 + b"> .",
                ),
                (
                    "long-iri-predicate.nt",
                    b"<http://ex.org/s> <http://ex.org/" + b"p" * 70_000 + b'> "x" .',
                ),
                (
                    "long-iri-graph.nq",
                    b'<http://ex.org/s> <http://ex.org/p> "x" <http://ex.org/'
                    + b"g" * 70_000
                    + b"> .",
                ),
                (
                    "long-iri-datatype.ttl",
                    b'<http://ex.org/s> <http://ex.org/p> "x"^^<http://ex.org/'
                    + b"d" * 70_000
                    + b"> .",
                ),
            )
        ),
        BadFile(
            "deep-objects.jsonld",
            b'{"@id": "http://ex.org/a", "http://ex.org/p": ' * deep + b'"x"' + b"}" * deep,
            parse,
            "Max stack size",
            400,
        ),
        BadFile(
            "deep-arrays.jsonld",
            b'{"@id": "http://ex.org/a", "http://ex.org/p": '
            + b"[" * deep
            + b'"x"'
            + b"]" * deep
            + b"}",
            parse,
            "Max stack size",
            400,
        ),
        BadFile(
            "deep.rdf",
            _xml(
                '<rdf:Description rdf:about="http://ex.org/a">'
                + "<ex:p><rdf:Description>" * deep
                + "</rdf:Description></ex:p>" * deep
                + "</rdf:Description>"
            ),
            parse,
            "nested deeper than 256",
            400,
        ),
        # --- hostile: entity expansion, external entities, remote contexts (never fetched)
        BadFile(
            "billion-laughs.rdf",
            _xml(
                '<rdf:Description rdf:about="http://ex.org/a"><ex:p>&lol9;</ex:p>'
                "</rdf:Description>",
                _laughs(9),
            ),
            parse,
            "a DOCTYPE is refused",
            400,
        ),
        BadFile(
            "laughs-in-iri.rdf",
            _xml('<rdf:Description rdf:about="http://ex.org/&lol6;"/>', _laughs(6)),
            parse,
            "a DOCTYPE is refused",
            400,
        ),
        BadFile(
            "xxe-file.rdf",
            _xml(
                '<rdf:Description rdf:about="http://ex.org/a"><ex:p>&x;</ex:p></rdf:Description>',
                '<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            ),
            parse,
            "a DOCTYPE is refused",
            400,
        ),
        BadFile(
            "xxe-http.rdf",
            _xml(
                '<rdf:Description rdf:about="http://ex.org/a"><ex:p>&x;</ex:p></rdf:Description>',
                f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{canary}/x">]>',
            ),
            parse,
            "a DOCTYPE is refused",
            400,
        ),
        BadFile(
            "xxe-parameter.rdf",
            _xml("", f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{canary}/p"> %p;]>'),
            parse,
            "a DOCTYPE is refused",
            400,
        ),
        BadFile(
            "external-dtd.rdf",
            _xml("", f'<!DOCTYPE rdf:RDF SYSTEM "{canary}/rdf.dtd">'),
            parse,
            "a DOCTYPE (external DTD",
            400,
        ),
        BadFile(
            "remote-context.jsonld",
            f'{{"@context": "{canary}/context.jsonld", "@id": "http://ex.org/a", "n": "A"}}'.encode(),
            parse,
            "(a remote context) is not fetched",
            400,
        ),
        BadFile(
            "remote-context-list.jsonld",
            f'{{"@context": ["{canary}/c.jsonld", {{"n": "http://ex.org/n"}}], '
            '"@id": "http://ex.org/a", "n": "A"}'.encode(),
            parse,
            "(a remote context) is not fetched",
            400,
        ),
        BadFile(
            "context-import.jsonld",
            f'{{"@context": {{"@import": "{canary}/i.jsonld"}}, "@id": "http://ex.org/a"}}'.encode(),
            parse,
            "",
            400,
        ),
        BadFile(
            "context-file.jsonld",
            b'{"@context": "file:///etc/passwd", "@id": "http://ex.org/a", "n": "A"}',
            parse,
            "(a remote context) is not fetched",
            400,
        ),
        # --- what tmkg does not take
        BadFile(
            "rdf-star.ttl",
            b'<< <http://ex.org/a> <http://ex.org/p> <http://ex.org/b> >> <http://ex.org/q> "x" .',
            parse,
            "RDF-star",
            400,
        ),
        BadFile(
            "n3-rule.n3",
            b"@prefix ex: <http://ex.org/> . { ?x ex:p ?y } => { ?y ex:q ?x } .",
            parse,
            "",
            400,
        ),
    ]
