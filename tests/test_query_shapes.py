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
    """(line, text) of every string in a module, an f-string's fields written as ``X``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [part.value if isinstance(part, ast.Constant) else "X" for part in node.values]
            found.append((node.lineno, "".join(map(str, parts))))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def groups_with_two_values(text: str) -> list[int]:
    """Offsets of each ``VALUES`` block that is the second (or later) of its group: the
    group is the innermost ``{ }`` holding it (a UNION's branch is a group of its own)."""
    depth, group, seen, found = 0, [0], {}, []
    counter = 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
            counter += 1
            group.append(counter)
        elif char == "}" and depth:
            depth -= 1
            group.pop()
        elif _VALUES.match(text, index) and seen.setdefault(group[-1], index) != index:
            found.append(index)  # (a VALUES block's own braces open a group after it)
    return found


@pytest.mark.parametrize(
    ("query", "twice"),
    [
        ("SELECT * { VALUES ?s { <a> } VALUES ?p { <b> } ?s ?p ?o }", 1),
        ("SELECT * { VALUES ?s { <a> } ?s ?p ?o FILTER(?p IN (<b>)) }", 0),
        ("SELECT * { VALUES ?t { <a> } { ?t ?p ?o } UNION { VALUES ?p { <b> } ?h ?p ?t } }", 0),
        ("SELECT * { VALUES (?s ?p) { (<a> <b>) } GRAPH ?g { VALUES ?o { <c> } ?s ?p ?o } }", 0),
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
