"""tmkg's store queries avoid the shapes Oxigraph evaluates by reading a whole property.

Two ``VALUES`` blocks in one group (the subjects asked about and a fixed set of roles, kinds or
properties) made Oxigraph 0.5.13 read every statement the second allows, per batch: 1-2 s a
batch against 0.01-0.2 s with the fixed set as ``FILTER(?x IN (...))``
(`kg.analysis.sparql_text.iri_in`; `bench/query_shapes.py` prints both). The query texts are
read from the source, so a new query of that shape fails here before it meets a register.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kg.analysis.sparql_text import iri_in

_PACKAGE = Path(__file__).resolve().parents[1] / "kg"
_VALUES = re.compile(r"\bVALUES\s*[?$(]")


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string in a module but its docstrings, an f-string's fields
    written as ``X``."""
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            parts = [part.value if isinstance(part, ast.Constant) else "X" for part in node.values]
            found.append((node.lineno, "".join(map(str, parts))))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def groups_with_two_values(text: str) -> list[int]:
    """Offsets of each ``VALUES`` block that is the second (or later) of its scope: the whole
    query, a UNION's branch or a sub-SELECT (evaluated alone); a ``GRAPH``, ``OPTIONAL`` or
    plain ``{ }`` group nested in a scope is of that scope (a VALUES block there was as slow,
    helper-133: 1.6-2.0 s a batch against 0.01 s)."""
    scopes, found, seen, counter = [0], [], {}, 0
    for index, char in enumerate(text):
        if char == "{":
            before = text[:index].rstrip()
            closing = _closing(text, index)
            alone = (
                before.upper().endswith("UNION")
                or text[closing + 1 :].lstrip().upper().startswith("UNION")
                or text[index + 1 :].lstrip().upper().startswith("SELECT")
            )
            counter += 1
            scopes.append(counter if alone else scopes[-1])
        elif char == "}" and len(scopes) > 1:
            scopes.pop()
        elif _VALUES.match(text, index) and seen.setdefault(scopes[-1], index) != index:
            found.append(index)
    return found


def _closing(text: str, opening: int) -> int:
    """The offset of the ``}`` closing the ``{`` at `opening` (the end when none does)."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return len(text)


@pytest.mark.parametrize(
    ("query", "twice"),
    [
        ("SELECT * { VALUES ?s { <a> } VALUES ?p { <b> } ?s ?p ?o }", 1),
        ("SELECT * { VALUES ?s { <a> } ?s ?p ?o FILTER(?p IN (<b>)) }", 0),
        ("SELECT * { VALUES ?t { <a> } { ?t ?p ?o } UNION { VALUES ?p { <b> } ?h ?p ?t } }", 0),
        ("SELECT * { VALUES (?s ?p) { (<a> <b>) } GRAPH ?g { VALUES ?o { <c> } ?s ?p ?o } }", 1),
        ("SELECT * { VALUES ?s { <a> } { SELECT ?p { VALUES ?p { <b> } ?x ?p ?y } } ?s ?p ?o }", 0),
        ("SELECT * { VALUES ?a { <a> } VALUES ?b { <b> } VALUES ?c { <c> } ?a ?b ?c }", 2),
    ],
)
def test_the_check_finds_a_second_values_block_of_one_group(query: str, twice: int) -> None:
    assert len(groups_with_two_values(query)) == twice


def test_no_query_of_tmkg_has_two_values_blocks_in_one_group() -> None:
    offending = []
    for path in sorted(_PACKAGE.rglob("*.py")):
        for line, text in _texts(ast.parse(path.read_text(encoding="utf-8"))):
            if len(_VALUES.findall(text)) > 1 and groups_with_two_values(text):
                offending.append(f"{path.relative_to(_PACKAGE.parent)}:{line}")
    assert not offending, "write the fixed set as iri_in(...): " + ", ".join(offending)


def test_iri_in_leaves_out_what_is_no_iri() -> None:
    assert (
        iri_in("p", ["https://e.org/a", "a> ) } <b", "_:b0"]) == "FILTER(?p IN (<https://e.org/a>))"
    )
