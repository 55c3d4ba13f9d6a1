"""What a SPARQL request asks for, read from its text before any engine sees it.

pyoxigraph does not expose its parsed algebra, and it *executes* ``SERVICE`` and ``LOAD`` over
HTTP. So the endpoint reads the text with a small tokenizer that follows the SPARQL 1.1
grammar's terminals (strings, IRIs, comments, prefixed names, variables): a keyword can only
be a keyword where the grammar makes it one, so ``SERVICE`` inside a string, an IRI, a
comment, a variable name or a language tag is not mistaken for the keyword, and a ``SERVICE``
that Oxigraph would run cannot hide from the scan. Anything unexpected errs towards seeing a
keyword (a refused request), never towards missing one.

>>> scan = scan_sparql("PREFIX ex: <http://ex.org/> SELECT * { SERVICE ex:s { ?a ?b ?c } }")
>>> scan.form, scan.services
('SELECT', ('http://ex.org/s',))
>>> scan_sparql('SELECT * { ?s ?p "SERVICE <http://x/> {}" }').services
()
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from kg.errors import QueryError

__all__ = [
    "MAX_NESTING",
    "MAX_OPERATORS",
    "VARIABLE_ENDPOINT",
    "SparqlScan",
    "Token",
    "check_complexity",
    "named_iris",
    "scan_sparql",
    "tokens",
]

# Marks a SERVICE whose endpoint is a variable (or cannot be read): it can never be allowed.
VARIABLE_ENDPOINT = "?"

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = _PN_CHARS_BASE + r"_0-9\u00b7\u0300-\u036f\u203f-\u2040"  # no "-", unlike names
# A local name's first character (SPARQL 1.1 PN_LOCAL): no "-", "." or combining mark there;
# `tm:-bif:http_get` is the name `tm:`, a minus and `bif:http_get` (as Virtuoso reads it).
_PN_LOCAL_FIRST = _PN_CHARS_BASE + "_:0-9"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<var>[?$][{_VARNAME}]+)
  | (?P<pname>(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:
               (?:(?:[{_PN_LOCAL_FIRST}]|%[0-9A-Fa-f]{{2}}|\\.)
                  (?:(?:[{_PN_CHARS}.:]|%[0-9A-Fa-f]{{2}}|\\.)*(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\.))?)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.X | re.S,
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PNAME_ESCAPE = re.compile(r"\\(.)")
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}

MAX_NESTING = 64
"""Brackets (``{ ( [``) nested deeper than this are refused before the engine sees them."""
MAX_OPERATORS = 1_000
"""At most this many operators and pattern keywords outside ``DATA``/``VALUES`` blocks."""
# Oxigraph's parser and optimizer recurse over the query's tree: ~2,500 nested groups, or
# ~3,000 chained BINDs, MINUSes or path steps, crash the process (a segmentation fault, not
# an error; for an update that is the server itself). Each of these tokens adds a tree node.
_OPERATOR_TEXTS = frozenset("/|^+-*!&=<>.")
_OPERATOR_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE"})
_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (a group of `_TOKEN`), text and offset in the source."""

    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        """The upper-cased text of a bare word (SPARQL keywords are case-insensitive), else ''."""
        return self.text.upper() if self.kind == "word" else ""


def tokens(sparql: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (no whitespace or comments)."""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group(), match.start())


def declares_base(found: Sequence[Token]) -> bool:
    """Whether the tokens `found` hold a ``BASE <iri>`` declaration (not the word ``base``
    in a language tag, ``"x"@base``, or a prefixed name).

    >>> declares_base(list(tokens('SELECT * { BIND("x"@base AS ?z) }')))
    False
    >>> declares_base(list(tokens("BASE <http://h/> SELECT * {}")))
    True
    """
    return any(
        token.keyword == "BASE"
        and place + 1 < len(found)
        and found[place + 1].kind == "iri"
        and not (place and found[place - 1].text == "@")
        for place, token in enumerate(found)
    )


@dataclass(frozen=True)
class SparqlScan:
    """What a query or update names: its form, and every IRI the engine could fetch or select.

    `services` and `loads` hold absolute IRIs, or `VARIABLE_ENDPOINT` for ones that cannot be
    known before running. `from_graphs` holds the IRIs of ``FROM`` and ``FROM NAMED``.
    """

    form: str | None
    services: tuple[str, ...]
    loads: tuple[str, ...]
    from_graphs: tuple[str, ...]
    has_dataset_clause: bool  # USING or WITH in an update


def scan_sparql(sparql: str, prefixes: Mapping[str, str] | None = None) -> SparqlScan:
    """Read a query or update: its form and the IRIs of its SERVICE, LOAD, FROM clauses.

    `prefixes` are the ones the engine predeclares; the text's own PREFIX and BASE
    declarations are followed in order, as the grammar does.

    >>> scan_sparql("LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <g>").loads
    ('http://example.org/data.ttl',)
    >>> scan_sparql("SELECT * FROM NAMED <http://g/1> { GRAPH ?g {} }").from_graphs
    ('http://g/1',)
    >>> scan_sparql('SELECT * { SERVICE ?where { ?s ?p "x"@service } }').services
    ('?',)
    """
    known = dict(prefixes or {})
    base: str | None = None
    form: str | None = None
    services: list[str] = []
    loads: list[str] = []
    froms: list[str] = []
    dataset_clause = False
    items = list(tokens(sparql))
    check_complexity(items)
    items = _unglued(items)
    depth = 0
    for index, token in enumerate(items):
        if token.kind == "other":
            depth += {"{": 1, "}": -1}.get(token.text, 0)
            continue
        keyword = token.keyword
        if not keyword or _in_language_tag(items, index):
            continue
        following = items[index + 1 : index + 4]
        if keyword == "PREFIX" and len(following) >= 2 and following[0].kind == "pname":
            if following[1].kind == "iri":
                name = following[0].text[:-1]
                known[name] = _resolve(_iri_text(following[1].text), base)
        elif keyword == "BASE" and following and following[0].kind == "iri":
            base = _resolve(_iri_text(following[0].text), base)
        elif keyword in _FORMS and form is None and depth == 0:
            form = keyword
        elif keyword in ("SERVICE", "LOAD"):
            target = _target(following, known, base)
            (services if keyword == "SERVICE" else loads).append(target)
        elif keyword == "FROM" and depth == 0:
            rest = following[1:] if following and following[0].keyword == "NAMED" else following
            froms.append(_target(rest, known, base, skip_silent=False))
        elif keyword in ("USING", "WITH") and depth == 0:
            dataset_clause = True
    return SparqlScan(form, tuple(services), tuple(loads), tuple(froms), dataset_clause)


def named_iris(sparql: str, prefixes: Mapping[str, str] | None = None) -> set[str]:
    """Every IRI a query or update names, written as ``<iri>`` or as a prefixed name (its
    PREFIX and BASE declarations followed, `prefixes` predeclared), absolute.

    >>> sorted(named_iris("PREFIX g: <http://g/> CLEAR GRAPH g:ref ; DROP GRAPH <http://h/x>"))
    ['http://g/', 'http://g/ref', 'http://h/x']
    """
    known = dict(prefixes or {})
    base: str | None = None
    found: set[str] = set()
    items = list(tokens(sparql))
    for index, token in enumerate(items):
        following = items[index + 1 : index + 3]
        if token.keyword == "PREFIX" and len(following) == 2 and following[1].kind == "iri":
            known[following[0].text[:-1]] = _resolve(_iri_text(following[1].text), base)
        elif token.keyword == "BASE" and following and following[0].kind == "iri":
            base = _resolve(_iri_text(following[0].text), base)
        if token.kind in ("iri", "pname"):
            iri = _target([token], known, base)
            if iri != VARIABLE_ENDPOINT:
                found.add(iri)
    return found


def check_complexity(items: Sequence[Token]) -> None:
    """Raise `QueryError` if a request's tokens nest or chain more than the engine can take.

    Data blocks (``INSERT DATA``, ``DELETE DATA``, ``VALUES``) are not counted: they are read
    flat, so a big one is fine. Elsewhere the items of a collection count as operators (each
    is two triple patterns: ``?s ?p ( 1 1 … )`` with 5,000 items crashed the engine): a
    bracketed list of two or more terms with no comma, operator or word between them.

    >>> check_complexity(list(tokens("SELECT * { " + "{ " * 65 + "}" * 65 + " }")))
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the request nests brackets 65 deep, more than 64 ...
    """
    depth = operators = 0
    data_from: int | None = None  # the depth at which the current data block opened
    data_next = False
    lists: list[list[int]] = []  # per open "(": [items seen, 1 while it may be a collection]
    for index, token in enumerate(items):
        text = token.text
        if lists and data_from is None:
            _note_list_item(lists[-1], token, items[index - 1])
        if token.kind == "other" and text in _OPENING:
            if text == "(":
                lists.append([0, 1])
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(
                    f"the request nests brackets {depth} deep, more than {MAX_NESTING} "
                    f"(at offset {token.start})",
                    suggestion="flatten the nested groups or expressions",
                )
            if data_next and text == "{":
                data_from, data_next = depth, False
            continue
        if token.kind == "other" and text in _CLOSING:
            if data_from is not None and depth == data_from:
                data_from = None
            depth -= 1
            if text == ")" and lists:
                count, plain = lists.pop()
                if plain and count >= 2 and data_from is None:
                    operators += count
                    _check_operators(operators)
            continue
        if data_from is not None:
            continue
        keyword = token.keyword
        if keyword == "VALUES" or (
            keyword == "DATA" and index and items[index - 1].keyword in ("INSERT", "DELETE")
        ):
            data_next = True
        elif (token.kind == "other" and text in _OPERATOR_TEXTS) or keyword in _OPERATOR_KEYWORDS:
            operators += 1
            _check_operators(operators)


def _check_operators(operators: int) -> None:
    if operators > MAX_OPERATORS:
        raise QueryError(
            f"the request has more than {MAX_OPERATORS} operators and patterns outside "
            "data blocks: too complex to run safely",
            suggestion="split it into smaller requests, or pass long lists as VALUES",
        )


def _note_list_item(group: list[int], token: Token, before: Token) -> None:
    """Count `token` as an item of the bracketed `group` if it may be a collection's (a term,
    a nested bracket), or mark the group as no collection (a comma, an operator, a word)."""
    if token.kind in ("var", "iri", "pname", "string") or token.text in "([":
        group[0] += 1
    elif token.kind == "other" and token.text.isdigit():
        glued = before.start + len(before.text) == token.start
        if not (glued and (before.text.isdigit() or before.text in ".-+")):
            group[0] += 1  # the first digit of a number
    elif token.kind == "word" and token.keyword in ("TRUE", "FALSE", "A"):
        group[0] += 1
    elif token.text not in ")]" and not (token.text in ".-+eE" and before.text.isdigit()):
        group[1] = 0


def _unglued(items: list[Token]) -> list[Token]:
    """The tokens with keywords glued to a prefixed name split off where the engine does so.

    The grammar's longest-match rule makes ``SERVICE:x`` one prefixed name, but Oxigraph
    matches a keyword by its letters alone and reads ``SERVICE :x`` where a ``{`` follows;
    likewise ``LOAD:x`` at the start of an update operation, ``FROM:g`` in a query's dataset
    clause, and ``SILENT``/``NAMED`` glued after them. Found by the differential tests in
    tests/test_sparql_scan.py, which compare this scanner with the engine.

    >>> [t.text for t in _unglued(list(tokens("SELECT * { SERVICESILENT:x {} }")))][3:6]
    ['SERVICE', 'SILENT', ':x']
    """
    pending = list(reversed(items))
    out: list[Token] = []
    depth = groups_at_top = 0
    form = ""
    while pending:
        token = pending.pop()
        if token.kind == "other" and token.text in ("{", "}"):
            if token.text == "{" and depth == 0:
                groups_at_top += 1
            depth += 1 if token.text == "{" else -1
        elif token.keyword in _FORMS and not form:
            form = token.keyword
        if token.kind == "pname":
            keyword = _glued_keyword(token, out, pending, depth, form, groups_at_top)
        else:  # bare words: only keywords exist, so SERVICESILENT is two of them
            keyword = _GLUED_WORDS.get(token.keyword, "")
        if not keyword:
            out.append(token)
            continue
        out.append(Token("word", token.text[: len(keyword)], token.start))
        rest = token.text[len(keyword) :]
        offset = token.start + len(keyword)
        pending.extend(reversed([Token(t.kind, t.text, t.start + offset) for t in tokens(rest)]))
    return out


_GLUED_WORDS = {"SERVICESILENT": "SERVICE", "LOADSILENT": "LOAD", "FROMNAMED": "FROM"}


def _glued_keyword(
    token: Token, before: list[Token], after: list[Token], depth: int, form: str, groups: int
) -> str:
    upper = token.text.upper()
    previous = before[-1].keyword if before else ""
    following = after[-1].text if after else ""
    if upper.startswith("SILENT") and previous in ("SERVICE", "LOAD"):
        return "SILENT"
    if upper.startswith("NAMED") and previous == "FROM":
        return "NAMED"
    if upper.startswith("SERVICE") and following == "{":
        return "SERVICE"
    if (
        upper.startswith("LOAD")
        and depth == 0
        and (not before or before[-1].text == ";" or _after_prologue(before))
    ):
        return "LOAD"
    # A dataset clause: after SELECT/ASK's projection, or after CONSTRUCT's template.
    template_done = groups >= 1 if form == "CONSTRUCT" else groups == 0
    if upper.startswith("FROM") and depth == 0 and form in ("SELECT", "ASK", "CONSTRUCT"):
        return "FROM" if template_done and "WHERE" not in {t.keyword for t in before} else ""
    return ""


def _after_prologue(before: list[Token]) -> bool:
    """Whether `before` ends with a PREFIX or BASE declaration."""
    if len(before) >= 2 and before[-1].kind == "iri" and before[-2].keyword == "BASE":
        return True
    return len(before) >= 3 and before[-1].kind == "iri" and before[-3].keyword == "PREFIX"


def _in_language_tag(items: list[Token], index: int) -> bool:
    """Whether the word at `index` is part of a language tag, as in ``"x"@en-service``."""
    while index >= 2 and items[index - 1].text == "-" and items[index - 2].kind == "word":
        index -= 2
    return index >= 1 and items[index - 1].text == "@"


def _target(
    following: list[Token], prefixes: Mapping[str, str], base: str | None, skip_silent: bool = True
) -> str:
    """The IRI after SERVICE/LOAD/FROM (past SILENT), or `VARIABLE_ENDPOINT` if unknown."""
    if skip_silent and following and following[0].keyword == "SILENT":
        following = following[1:]
    if not following:
        return VARIABLE_ENDPOINT
    token = following[0]
    if token.kind == "iri":
        return _resolve(_iri_text(token.text), base)
    if token.kind == "pname":
        name, _, local = token.text.partition(":")
        if name in prefixes:
            return _resolve(prefixes[name] + _PNAME_ESCAPE.sub(r"\1", local), base)
    return VARIABLE_ENDPOINT


def _iri_text(iri_token: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri_token[1:-1])


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and ":" not in iri.split("/", 1)[0] else iri
