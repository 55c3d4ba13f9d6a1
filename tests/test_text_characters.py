"""What names and mark texts may hold, alike in imports, `kg load` and questions
(`kg.text_characters`): control characters, noncharacters are refused with file, line and
field, nothing written; bidirectional formatting characters are removed from an import's
texts (with a warning) and refused by `kg load` and questions; line breaks in an import read
as a space; a mark of only invisible characters is refused as a blank one."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import KnowledgeGraph
from kg.analysis.arguments import ArgumentError
from kg.analysis.arguments import text as question_text
from kg.config import Settings
from kg.errors import ParseError
from kg.registries.importer import import_registry
from kg.registries.record_text import tidy_record
from kg.registries.records import FieldError, Owner
from kg.text_characters import shacl_pattern, shacl_visible_pattern
from tests.conftest import DATA, all_quads, run_kg

HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
ROW = "{mark},{owner},9,US,2020-01-01,2021-01-01,{number},registered\n"
TM = "https://w3id.org/tmkg/ontology#"
NAME = "https://schema.org/name"

# One file per format, the mark text and one owner name in it, as the file writes them.
FORMATS = {
    "st66": (DATA / "registry-sample-st66.xml", "云海星", "北京云海星科技有限公司"),
    "st96": (DATA / "registry-st96.xml", "LUMIVANT", "Lumivant Lichttechnik GmbH"),
    "uspto": (DATA / "uspto-daily-sample.xml", "NORTHWIND LANTERN", "NORTHWIND LANTERN CO."),
    "madrid": (DATA / "registry-madrid.xml", "VALLORBIA", "Vallorbe Horlogerie"),
}
# Characters refused in any text, as XML 1.0 can carry them (a character reference); a CSV
# carries C0 controls too.
REFUSED_IN_XML = {"C1 CSI": "&#x9B;", "noncharacter": "&#xFDD0;", "plane-1 nonchar": "&#x1FFFE;"}
REFUSED_IN_CSV = {"BEL": "\x07", "ESC": "\x1b[31m", "DEL": "\x7f", "NEL-less C1": "\x9b"}
BIDI = {"RLO": "\u202e", "RLM": "\u200f", "LRI": "\u2066", "ALM": "\u061c"}


def _store(path: Path) -> KnowledgeGraph:
    return KnowledgeGraph.open(Settings(store_path=path))


def _texts(graph: KnowledgeGraph, predicate: str) -> set[str]:
    rows = graph.store.query(f"SELECT ?t WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?t }} }}")
    return {row["t"].value for row in rows}


def _csv(tmp_path: Path, *rows: tuple[str, str]) -> Path:
    path = tmp_path / "extract.csv"
    body = "".join(
        ROW.format(mark=f'"{m}"', owner=f'"{o}"', number=f"N{i}") for i, (m, o) in enumerate(rows)
    )
    path.write_text(HEADER + body, encoding="utf-8", newline="")
    return path


def _refused_without_a_write(path: Path, store: Path, *expected: str) -> str:
    graph = _store(store)
    try:
        before = all_quads(graph)
        with pytest.raises(ParseError) as raised:
            import_registry(graph, [path])
        assert all_quads(graph) == before
    finally:
        graph.close()
    message = str(raised.value)
    for part in expected:
        assert part in message, message
    return message


# ------------------------------------------------------------------ imports: refused


@pytest.mark.parametrize("char", list(REFUSED_IN_CSV.values()), ids=list(REFUSED_IN_CSV))
def test_a_csv_control_character_is_refused_naming_line_field_and_character(
    char: str, tmp_path: Path
) -> None:
    path = _csv(tmp_path, ("ACME", "Fine Ltd"), ("ACME", f"Bad{char}Ltd"))
    code = f"U+{ord(char[0]):04X}"
    message = _refused_without_a_write(path, tmp_path / "store", "extract.csv", "owner", code)
    assert ":3" in message  # the second record, on the file's third line


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("ref", list(REFUSED_IN_XML.values()), ids=list(REFUSED_IN_XML))
def test_an_office_file_with_a_refused_character_in_its_mark_writes_nothing(
    fmt: str, ref: str, tmp_path: Path
) -> None:
    source, mark, _ = FORMATS[fmt]
    text = source.read_text(encoding="utf-8")
    assert mark in text
    path = tmp_path / source.name
    path.write_text(text.replace(mark, mark[:2] + ref + mark[2:], 1), encoding="utf-8")
    code = "U+" + ref.strip("&#x;").upper().rjust(4, "0")
    _refused_without_a_write(path, tmp_path / "store", source.name, code, "mark")


INVISIBLE = ["\u200b\u200b", "\u200d", "\u2060\ufeff", "\u200b \u200c", "\u3164", "\u202e\u200f"]


@pytest.mark.parametrize("invisible", INVISIBLE, ids=repr)
def test_a_mark_of_invisible_characters_only_is_refused(invisible: str, tmp_path: Path) -> None:
    path = _csv(tmp_path, (invisible, "Zero Ltd"))
    _refused_without_a_write(path, tmp_path / "store", "mark", "no visible character")


@pytest.mark.parametrize("invisible", INVISIBLE, ids=repr)
def test_an_owner_named_by_invisible_characters_only_is_refused(
    invisible: str, tmp_path: Path
) -> None:
    # found by a trial: an owner of bidirectional characters only was stored with the name ""
    # (one party for every such owner, in every file)
    path = _csv(tmp_path, ("ACME", invisible))
    _refused_without_a_write(path, tmp_path / "store", "owner", "no visible character")


@pytest.mark.parametrize("fmt", ["st66", "st96", "uspto"])
def test_an_office_owner_of_bidirectional_characters_only_is_refused(
    fmt: str, tmp_path: Path
) -> None:
    source, _, owner = FORMATS[fmt]
    path = tmp_path / source.name
    path.write_text(
        source.read_text(encoding="utf-8").replace(owner, "&#x202E;&#x200F;", 1), encoding="utf-8"
    )
    _refused_without_a_write(path, tmp_path / "store", "owner", "no visible character")


def test_an_office_mark_of_zero_width_characters_only_is_refused(tmp_path: Path) -> None:
    source, mark, _ = FORMATS["st66"]
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8").replace(mark, "&#x200B;&#x200D;", 1))
    _refused_without_a_write(path, tmp_path / "store", "no visible character")


# ------------------------------------------------------------------ imports: tidied


@pytest.mark.parametrize("char", list(BIDI.values()), ids=list(BIDI))
def test_bidirectional_formatting_characters_are_removed_with_a_warning(
    char: str, tmp_path: Path
) -> None:
    path = _csv(tmp_path, (f"ACME{char}CORP", f"Evil{char}Corp"), ("PLAIN", "Plain Ltd"))
    graph = _store(tmp_path / "store")
    try:
        report = import_registry(graph, [path])
        assert {"ACMECORP", "PLAIN"} <= _texts(graph, TM + "text")
        assert "EvilCorp" in _texts(graph, NAME)
    finally:
        graph.close()
    warned = "\n".join(report.warnings)
    assert "1 record: bidirectional formatting characters removed" in warned, warned
    assert f"U+{ord(char):04X}" in warned and "owner U+" in warned and "line 2" in warned


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_office_files_lose_bidirectional_formatting_characters_too(
    fmt: str, tmp_path: Path
) -> None:
    source, mark, owner = FORMATS[fmt]
    text = source.read_text(encoding="utf-8")
    text = text.replace(mark, mark[:2] + "&#x202E;" + mark[2:], 1)
    text = text.replace(owner, owner[:3] + "&#x200F;" + owner[3:], 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    graph = _store(tmp_path / "store")
    try:
        report = import_registry(graph, [path])
        marks, names = _texts(graph, TM + "text"), _texts(graph, NAME)
    finally:
        graph.close()
    assert mark in marks and not any("\u202e" in m for m in marks)
    assert any(owner in n for n in names) and not any("\u200f" in n for n in names)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in "\n".join(report.warnings)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("TAB\tMARK", "TAB MARK"),
        ("TWO\nLINES", "TWO LINES"),
        ("LINE\u2028SEPARATOR", "LINE SEPARATOR"),
        ("NEXT\x85LINE", "NEXT LINE"),
        ("WIDE  \t SPACE", "WIDE SPACE"),
    ],
    ids=repr,
)
def test_line_breaks_in_a_csv_cell_read_as_one_space(
    given: str, stored: str, tmp_path: Path
) -> None:
    path = _csv(tmp_path, (given, f"{given} Ltd"))
    graph = _store(tmp_path / "store")
    try:
        import_registry(graph, [path])
        assert _texts(graph, TM + "text") >= {stored}
        assert f"{stored} Ltd" in _texts(graph, NAME)
    finally:
        graph.close()


def test_what_an_import_stores_a_question_accepts() -> None:
    """Every text `tidy_record` keeps is one a question takes (or blank, refused as such)."""

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(st.characters(codec="utf-8") | st.sampled_from("\u202e\u200f\t\n\x85 ")))
    def check(name: str) -> None:
        try:
            tidied, _ = tidy_record(Owner(name))
        except FieldError:
            with pytest.raises(ArgumentError):
                question_text(name)
            return
        if tidied.name.strip() and any(c.isprintable() for c in tidied.name):
            try:
                question_text(tidied.name)
            except ArgumentError as error:
                assert "blank" in str(error) or "characters long" in str(error), error

    check()


# ------------------------------------------------------------------ kg load (RDF)


def test_the_shapes_hold_the_pattern_of_kg_text_characters() -> None:
    shapes = rdflib.Graph().parse(Path(__file__).parents[1] / "schema" / "shapes.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    paths = {TM + "text", TM + "verbalElement", NAME, "https://schema.org/alternateName"}
    for made in (shacl_pattern(), shacl_visible_pattern()):
        held = {
            str(shapes.value(node, sh.path))
            for node, pattern in shapes.subject_objects(sh.pattern)
            if str(pattern) == made
        }
        assert held == paths


@pytest.mark.parametrize(
    ("triple", "what"),
    [
        ('<https://e.org/m> a tm:Mark ; tm:text "ACME\\u202ECORP" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "A\\u0000B" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "A\\u001B[2J" .', "tm:text"),
        ('<https://e.org/p> a tm:Company ; schema:name "Evil\\u200FCorp" .', "schema:name"),
        (
            '<https://e.org/p> a tm:Company ; schema:name "X" ; schema:alternateName "Y\\uFDD0" .',
            "schema:alternateName",
        ),
        ('<https://e.org/m> a tm:Mark ; tm:text "TWO\\nLINES" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "\\u200B" .', "tm:text"),
        ('<https://e.org/p> a tm:Company ; schema:name "\\u3164" .', "schema:name"),
        ('<https://e.org/p> a tm:Company ; schema:name "" .', "schema:name"),
    ],
    ids=[
        *("RLO in a mark", "NUL in a mark", "ESC in a mark", "RLM in a name", "nonchar alias"),
        *("a line break in a mark", "a zero-width mark", "a filler name", "an empty name"),
    ],
)
def test_kg_load_refuses_such_texts_and_writes_nothing(
    triple: str, what: str, tmp_path: Path
) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(
        f"@prefix tm: <{TM}> .\n@prefix schema: <https://schema.org/> .\n{triple}\n"
        '<https://e.org/fine> a tm:Mark ; tm:text "FINE  SPACES" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run_kg("load", "--store", store, data)
    assert result.returncode != 0 and what in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    graph = _store(store)
    try:
        assert not _texts(graph, TM + "text") & {"FINE  SPACES"}
    finally:
        graph.close()


# ------------------------------------------------------------------ questions


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("ACME\u061cCORP", "bidirectional formatting character (U+061C ARABIC LETTER MARK)"),
        ("ACME\u202eCORP", "bidirectional formatting character (U+202E"),
        ("ACME\ufdd0", "U+FDD0 (a noncharacter)"),
        ("ACME\U0001fffe", "U+1FFFE (a noncharacter)"),
        ("ACME\x1b", "control character (U+001B)"),
        ("\u200b\u200d", "is blank"),
    ],
    ids=repr,
)
def test_questions_refuse_the_same_characters(value: str, said: str) -> None:
    with pytest.raises(ArgumentError) as raised:
        question_text(value, "mark")
    assert said in str(raised.value)


@pytest.mark.parametrize("value", ["!!!", "\U0001f600", "AWS", "ΑΩ", "मोती", "ACME\u200dX"])
def test_questions_take_marks_of_symbols_and_joiners(value: str) -> None:
    assert question_text(value, "mark") == value
