"""What names and mark texts may hold, alike in imports, `kg load` and questions
(`kg.text_characters`): control characters, noncharacters are refused with file, line and
field, nothing written; bidirectional formatting and invisible characters (soft hyphen, zero
width space, word joiner, tag characters...) are removed from an import's texts (with a
warning) and refused by `kg load` and questions, while the joiners, selectors and flags some
scripts and emoji need are kept; line breaks in an import read as a space and runs of spaces
as one, as a question reads its runs of spaces; a mark of only invisible characters, accents
or private-use characters is refused as a blank one; `kg load`'s messages show what a
refused value holds, escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import KnowledgeGraph
from kg.analysis.arguments import ArgumentError, check
from kg.analysis.arguments import text as question_text
from kg.analysis.service import Analyst
from kg.config import Settings
from kg.errors import ParseError
from kg.ingest.validate import validate_quads
from kg.registries.importer import import_registry
from kg.registries.record_text import tidy_record
from kg.registries.records import FieldError, Owner
from kg.text_characters import (
    BIDI_FORMATTING,
    INVISIBLE,
    escaped,
    one_line,
    shacl_pattern,
    shacl_visible_pattern,
)
from tests.conftest import DATA, all_quads, kg_in_process, run_kg

HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
ROW = "{mark},{owner},9,US,2020-01-01,2021-01-01,{number},registered\n"
TM = "https://w3id.org/tmkg/ontology#"
NAME = "https://schema.org/name"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

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
REFUSED_IN_CSV = {
    "NUL": "\x00",
    "BEL": "\x07",
    "ESC": "\x1b[31m",
    "DEL": "\x7f",
    "NEL-less C1": "\x9b",
}
BIDI = {"RLO": "\u202e", "RLM": "\u200f", "LRI": "\u2066", "ALM": "\u061c"}
# Default-ignorable characters that show nothing: removed by imports, refused elsewhere.
HIDDEN = {
    "soft hyphen": "\u00ad",
    "zero width space": "\u200b",
    "word joiner": "\u2060",
    "invisible times": "\u2062",
    "byte order mark": "\ufeff",
    "Hangul filler": "\u3164",
    "Khmer inherent vowel": "\u17b4",
    "tag A": "\U000e0041",
    "cancel tag alone": "\U000e007f",
    "language tag": "\U000e0001",
}
# Default-ignorable characters that change how a script or an emoji is written: kept.
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
KEPT = {
    "Persian ZWNJ": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "Devanagari ZWJ": "\u0915\u094d\u200d\u0937",
    "emoji ZWJ family": "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "flag of Scotland": SCOTLAND,
    "flag in a mark": f"I \u2764\ufe0f {SCOTLAND}",
    "ideographic variant": "\u845b\U000e0100",
    "Mongolian vowel separator": "\u182c\u1820\u182d\u1820\u180e\u1820",
    "accent on a letter": "CAFE\u0301",
}


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


NOTHING_VISIBLE = [
    *("\u200b\u200b", "\u200d", "\u2060\ufeff", "\u200b \u200c", "\u3164", "\u202e\u200f"),
    *("\u0301\u0301", "\ue000\ue001", "\u00ad", "\U000e0041\U000e0042", " \u200d\ufe0f "),
]


@pytest.mark.parametrize("invisible", NOTHING_VISIBLE, ids=ascii)
def test_a_mark_of_invisible_characters_only_is_refused(invisible: str, tmp_path: Path) -> None:
    path = _csv(tmp_path, (invisible, "Zero Ltd"))
    _refused_without_a_write(path, tmp_path / "store", "mark", "no visible character")


@pytest.mark.parametrize("invisible", NOTHING_VISIBLE, ids=ascii)
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


@pytest.mark.parametrize(
    "char", [*BIDI.values(), *HIDDEN.values()], ids=[*BIDI, *(f"invisible-{k}" for k in HIDDEN)]
)
def test_bidirectional_formatting_and_invisible_characters_are_removed_with_a_warning(
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
    assert "1 record: bidirectional formatting and invisible characters removed" in warned, warned
    assert f"mark U+{ord(char):04X}" in warned and f"owner U+{ord(char):04X}" in warned
    assert "line 2" in warned


OFFICE_FILE_CHARACTERS = {
    # kind: (put into the mark, into the owner; the characters, as the warning names them)
    "bidi": ("&#x202E;", "&#x200F;", ("\u202e", "\u200f"), ("U+202E RIGHT-TO-LEFT OVERRIDE",)),
    "invisible": (
        "&#xAD;&#xE0041;",
        "&#x200B;",
        ("\xad", "\U000e0041", "\u200b"),
        ("U+00AD SOFT HYPHEN", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    ),
}


@pytest.mark.parametrize("kind", list(OFFICE_FILE_CHARACTERS))
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_office_files_lose_bidirectional_and_invisible_characters_too(
    fmt: str, kind: str, tmp_path: Path
) -> None:
    source, mark, owner = FORMATS[fmt]
    in_mark, in_owner, removed, named = OFFICE_FILE_CHARACTERS[kind]
    text = source.read_text(encoding="utf-8")
    text = text.replace(mark, mark[:2] + in_mark + mark[2:], 1)
    text = text.replace(owner, owner[:3] + in_owner + owner[3:], 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    graph = _store(tmp_path / "store")
    try:
        report = import_registry(graph, [path])
        marks, names = _texts(graph, TM + "text"), _texts(graph, NAME)
    finally:
        graph.close()
    assert mark in marks and not any(char in m for m in marks for char in removed)
    assert any(owner in n for n in names) and not any(char in n for n in names for char in removed)
    warned = "\n".join(report.warnings)
    assert all(name in warned for name in named), warned


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("TAB\tMARK", "TAB MARK"),
        ("TWO\nLINES", "TWO LINES"),
        ("LINE\u2028SEPARATOR", "LINE SEPARATOR"),
        ("NEXT\x85LINE", "NEXT LINE"),
        ("WIDE  \t SPACE", "WIDE SPACE"),
        ("  LEADING", "LEADING"),
        ("TRAILING ", "TRAILING"),
        ("\tBOTH\n", "BOTH"),
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


def _shapes_accept(text: str) -> bool:
    """Whether `kg load`'s shapes take `text` as a name or mark (read as XPath reads them:
    ``$`` only at the end)."""
    one_line_pattern = shacl_pattern().removesuffix("$") + r"\Z"
    return bool(re.search(one_line_pattern, text) and re.search(shacl_visible_pattern(), text))


_ANY_TEXT = st.text(
    st.characters(codec="utf-8")
    | st.sampled_from(
        "\u202e\u200f\t\n\x85 \u00ad\u200b\u200d\u0301\ue000\U0001f3f4\U000e0067\U000e007f"
    ),
    max_size=40,
)


def test_what_an_import_stores_a_question_and_kg_load_accept_as_it_is() -> None:
    """Every name `tidy_record` keeps is one a question takes unchanged and the shapes take;
    a name it refuses, a question refuses too."""

    @settings(max_examples=400, deadline=None, database=None)
    @given(_ANY_TEXT)
    def check_text(name: str) -> None:
        try:
            tidied, _ = tidy_record(Owner(name))
        except FieldError:
            with pytest.raises(ArgumentError):
                question_text(name)
            return
        assert question_text(tidied.name) == tidied.name
        assert _shapes_accept(tidied.name), ascii(tidied.name)

    check_text()


def test_kg_load_accepts_what_a_question_takes_as_it_is() -> None:
    """The shapes take a text exactly when a question takes it unchanged (one tidy line)."""

    @settings(max_examples=400, deadline=None, database=None)
    @given(_ANY_TEXT | st.sampled_from([*HIDDEN.values(), *KEPT.values(), "A  B", " A", "A\n"]))
    def check_text(text: str) -> None:
        try:
            asked = question_text(text) == text
        except ArgumentError:
            asked = False
        assert _shapes_accept(text) == asked, ascii(text)

    check_text()


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
        ('<https://e.org/m> a tm:Mark ; tm:text "ACME\\u00ADCORP" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "ACME\\U000E0041" .', "tm:text"),
        ('<https://e.org/p> a tm:Company ; schema:name "Evil\\u2060Corp" .', "schema:name"),
        ('<https://e.org/m> a tm:Mark ; tm:text "ACME\\uFEFF" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "ACME  WIDGETS" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text " ACME" .', "tm:text"),
        ('<https://e.org/p> a tm:Company ; schema:name "Acme Ltd " .', "schema:name"),
        ('<https://e.org/m> a tm:Mark ; tm:text "ACME\\n" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "\\u0301\\u0301" .', "tm:text"),
        ('<https://e.org/m> a tm:Mark ; tm:text "\\uE000\\uE001" .', "tm:text"),
        ('<https://e.org/p> a tm:Company ; schema:name "\\U000F0000" .', "schema:name"),
    ],
    ids=[
        *("RLO in a mark", "NUL in a mark", "ESC in a mark", "RLM in a name", "nonchar alias"),
        *("a line break in a mark", "a zero-width mark", "a filler name", "an empty name"),
        *("a soft hyphen in a mark", "a tag in a mark", "a word joiner in a name"),
        *("a BOM ending a mark", "a run of spaces", "a leading space", "a trailing space"),
        *("a final line feed", "accents only", "private-use only", "plane-15 private use"),
    ],
)
def test_kg_load_refuses_such_texts_and_writes_nothing(
    triple: str, what: str, tmp_path: Path
) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(
        f"@prefix tm: <{TM}> .\n@prefix schema: <https://schema.org/> .\n{triple}\n"
        '<https://e.org/fine> a tm:Mark ; tm:text "FINE MARK" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = kg_in_process("load", "--store", store, data)
    assert result.returncode != 0 and what in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    graph = _store(store)
    try:
        assert not _texts(graph, TM + "text") & {"FINE MARK"}
    finally:
        graph.close()


def test_the_executable_refuses_as_the_cli_does_in_process(tmp_path: Path) -> None:
    # the cases above run kg's CLI in the test's process; the executable says the same
    data = tmp_path / "bad.ttl"
    data.write_text(
        f"@prefix tm: <{TM}> .\n"
        '<https://e.org/m> a tm:Mark ; tm:text "A\\u2060\\u200BB" .\n'
        '<https://e.org/fine> a tm:Mark ; tm:text "FINE MARK" .\n',
        encoding="utf-8",
    )
    executable = run_kg("load", "--store", tmp_path / "one", data)
    in_process = kg_in_process("load", "--store", tmp_path / "two", data)
    assert executable.returncode == in_process.returncode == 5
    said = [
        r.stderr.replace(str(tmp_path / n), "STORE")
        for r, n in ((executable, "one"), (in_process, "two"))
    ]
    assert said[0] == said[1] and "U+2060 WORD JOINER" in said[0] and "Traceback" not in said[0]


# ------------------------------------------------------------------ questions


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("ACME\u061cCORP", "bidirectional formatting character (U+061C ARABIC LETTER MARK)"),
        ("ACME\u202eCORP", "bidirectional formatting character (U+202E"),
        ("ACME\ufdd0", "U+FDD0 (a noncharacter)"),
        ("ACME\U0001fffe", "U+1FFFE (a noncharacter)"),
        ("ACME\x1b", "control character (U+001B)"),
        ("ACME\tWIDGETS", "control character (U+0009)"),
        ("ACME\nWIDGETS", "control character (U+000A)"),
        ("\u200d\u200d", "is blank"),
        ("\u0301\u0301", "is blank"),
        ("\ue000\ue001", "is blank"),
        ("   ", "is blank"),
        ("\u200b\u200d", "invisible character (U+200B ZERO WIDTH SPACE)"),
        ("ACME\u00adCORP", "invisible character (U+00AD SOFT HYPHEN)"),
        ("ACME\U000e0041", "invisible character (U+E0041 TAG LATIN CAPITAL LETTER A)"),
        ("ACME\u2060", "invisible character (U+2060 WORD JOINER)"),
        ("ACME\ufeffCORP", "invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
        ("ACME\u3164", "invisible character (U+3164 HANGUL FILLER)"),
        (f"{SCOTLAND}\U000e0067", "invisible character (U+E0067 TAG LATIN SMALL LETTER G)"),
    ],
    ids=repr,
)
def test_questions_refuse_the_same_characters(value: str, said: str) -> None:
    with pytest.raises(ArgumentError) as raised:
        question_text(value, "mark")
    assert said in str(raised.value)


@pytest.mark.parametrize(
    "value", ["!!!", "\U0001f600", "AWS", "ΑΩ", "मोती", "ACME\u200dX", *KEPT.values()], ids=ascii
)
def test_questions_take_marks_of_symbols_and_joiners(value: str) -> None:
    assert question_text(value, "mark") == value


@pytest.mark.parametrize(
    ("given", "asked"),
    [
        ("ACME  WIDGETS", "ACME WIDGETS"),
        ("ACME     WIDGETS", "ACME WIDGETS"),
        (" ACME WIDGETS", "ACME WIDGETS"),
        ("ACME WIDGETS  ", "ACME WIDGETS"),
        ("  云海星  科技 ", "云海星 科技"),
        ("ACME WIDGETS", "ACME WIDGETS"),
    ],
    ids=repr,
)
def test_a_question_reads_its_spaces_as_an_import_does(given: str, asked: str) -> None:
    # found by a trial: "ACME  WIDGETS" scored 0.97 (folded) against the stored ACME WIDGETS
    assert question_text(given, "mark") == asked
    assert check(mark=given, party=given) == {"mark": asked, "party": asked}
    tidied, _ = tidy_record(Owner(given))
    assert tidied.name == asked == one_line(given)


def test_a_question_with_runs_of_spaces_finds_the_mark_itself(tmp_path: Path) -> None:
    """Through the service and the CLI: the stored ACME WIDGETS is the exact mark asked."""
    path = _csv(tmp_path, ("ACME WIDGETS", "Acme Ltd"))
    graph = _store(tmp_path / "store")
    try:
        import_registry(graph, [path])
        for asked in ("ACME  WIDGETS", " ACME WIDGETS ", "ACME   WIDGETS"):
            (hit,) = Analyst(graph).who_else_uses(asked)
            assert (hit.mark.text, hit.similarity, hit.reasons) == ("ACME WIDGETS", 1.0, ("exact",))
    finally:
        graph.close()
    result = run_kg(
        "who-else-uses", "ACME  WIDGETS", "--store", tmp_path / "store", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert '"exact"' in result.stdout and "folded" not in result.stdout


def test_imports_and_questions_quote_a_refused_text_alike() -> None:
    """One quoting (`kg.text_characters.quoted`): what would not show is escaped."""
    for value, shown in [
        ("Bad\x1b\u3164Ltd", "'Bad\\x1b\\u3164Ltd'"),
        ("\x07\u0301\u0301", "'\\x07\\u0301\\u0301'"),
        ("\ufdd0" + "A" * 80, "'\\ufdd0" + "A" * 49 + "…AA'"),
    ]:
        with pytest.raises(FieldError) as imported:
            tidy_record(Owner(value))
        with pytest.raises(ArgumentError) as asked:
            question_text(value, "name")
        assert f"name {shown} holds" in str(imported.value), str(imported.value)
        assert f"name {shown} holds" in str(asked.value), str(asked.value)


# ------------------------------------------------------------------ invisible characters


@pytest.mark.parametrize("text", list(KEPT.values()), ids=list(KEPT))
def test_joiners_selectors_and_flags_are_kept(text: str) -> None:
    tidied, removed = tidy_record(Owner(text))
    assert tidied.name == text and removed == []
    assert question_text(text, "mark") == text
    assert _shapes_accept(text)


def test_an_import_keeps_joiners_selectors_and_flags(tmp_path: Path) -> None:
    path = _csv(tmp_path, *((text, f"{text} Ltd") for text in KEPT.values()))
    graph = _store(tmp_path / "store")
    try:
        report = import_registry(graph, [path])
        assert set(KEPT.values()) <= _texts(graph, TM + "text")
    finally:
        graph.close()
    assert not any("removed" in warning for warning in report.warnings), report.warnings


def test_kg_load_keeps_joiners_selectors_and_flags(tmp_path: Path) -> None:
    data = tmp_path / "kept.ttl"
    marks = [*KEPT.values(), "!!!", "A B", "\u00e9t\u00e9"]
    data.write_text(
        f"@prefix tm: <{TM}> .\n"
        + "".join(
            f'<https://e.org/m{n}> a tm:Mark ; tm:text "{text}" .\n' for n, text in enumerate(marks)
        ),
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run_kg("load", "--store", store, data)
    assert result.returncode == 0, result.stderr
    graph = _store(store)
    try:
        assert _texts(graph, TM + "text") >= set(marks)
    finally:
        graph.close()


ENGINE_TEXTS = [
    *HIDDEN.values(),
    *(f"A{char}B" for char in HIDDEN.values()),
    *KEPT.values(),
    *("A  B", " A", "A ", "A\n", "A\r\n", "\u0301", "\ue000", "A\u0301", "\U000f0000B"),
    *(f"{SCOTLAND[:-1]}", f"{SCOTLAND}{SCOTLAND}", f"\U0001f3f4{SCOTLAND}", f"A{SCOTLAND[1:]}"),
]


@pytest.mark.parametrize("text", ENGINE_TEXTS, ids=ascii)
def test_both_validation_engines_read_names_and_marks_alike(text: str) -> None:
    """pyshacl (small loads, Python's re) and the compiled checks (big loads, Oxigraph's
    regex) take and refuse the same texts, the ones a question takes as they are."""
    mark, party = ox.NamedNode("https://e.org/m"), ox.NamedNode("https://e.org/p")
    quads = [
        ox.Quad(mark, ox.NamedNode(RDF_TYPE), ox.NamedNode(TM + "Mark")),
        ox.Quad(mark, ox.NamedNode(TM + "text"), ox.Literal(text)),
        ox.Quad(party, ox.NamedNode(RDF_TYPE), ox.NamedNode(TM + "Company")),
        ox.Quad(party, ox.NamedNode(NAME), ox.Literal(text)),
    ]
    reference = validate_quads(quads, engine="pyshacl")
    compiled = validate_quads(quads, engine="sparql")
    assert compiled.violations == reference.violations
    try:
        asked = question_text(text) == text
    except ArgumentError:
        asked = False
    assert reference.conforms == asked == _shapes_accept(text), reference.violations


# ------------------------------------------------------------------ kg load's messages


@pytest.mark.parametrize(
    ("literal", "shown", "said"),
    [
        ("Y\\uFDD0", "Y\\ufdd0", "it holds U+FDD0 (a noncharacter)"),
        ("ACME\\u00ADCORP", "ACME\\xadCORP", "it holds U+00AD SOFT HYPHEN"),
        ("ACME\\U000E0041", "ACME\\U000e0041", "it holds U+E0041 TAG LATIN CAPITAL LETTER A"),
        ("A\\u2060\\u200BB", "A\\u2060\\u200bB", "it holds U+2060 WORD JOINER"),
        ("\\u0301\\u0301", "\\u0301\\u0301", "it holds nothing visible"),
        ("\\uE000", "\\ue000", "it holds nothing visible"),
        ("ACME  CORP", "ACME  CORP", "it has a run of spaces"),
        ("ACME ", "ACME ", "it begins or ends with a space"),
    ],
    ids=repr,
)
def test_kg_load_messages_show_what_a_refused_value_holds(
    literal: str, shown: str, said: str, tmp_path: Path
) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(
        f"@prefix schema: <https://schema.org/> .\n@prefix tm: <{TM}> .\n"
        f'<https://e.org/p> a tm:Company ; schema:name "X" ; schema:alternateName "{literal}" .\n',
        encoding="utf-8",
    )
    result = kg_in_process("load", "--memory", data)
    assert result.returncode == 5, result.stderr
    assert f'(got "{shown}": {said})' in result.stderr, result.stderr
    raw = literal.encode().decode("unicode_escape")
    assert not any(char in result.stderr for char in raw if not char.isascii())
    # the same line, however the data is validated (kg.ingest.validate)
    quads = [
        ox.Quad(
            ox.NamedNode("https://e.org/p"), ox.NamedNode(RDF_TYPE), ox.NamedNode(TM + "Company")
        ),
        ox.Quad(ox.NamedNode("https://e.org/p"), ox.NamedNode(NAME), ox.Literal("X")),
        ox.Quad(
            ox.NamedNode("https://e.org/p"),
            ox.NamedNode("https://schema.org/alternateName"),
            ox.Literal(raw),
        ),
    ]
    for engine in ("pyshacl", "sparql"):
        (line,) = validate_quads(quads, engine=engine).violations
        assert line.endswith(f'(got "{shown}": {said})') and line == escaped(line), line


def test_invisible_is_the_default_ignorable_characters_that_steer_nothing() -> None:
    """`INVISIBLE` is Unicode's Default_Ignorable_Code_Point but the bidirectional formatting
    characters and those that change how a script or an emoji is written (kept)."""
    import regex

    kept = {0x034F, 0x115F, 0x1160, 0x200C, 0x200D, *range(0x180B, 0x1810)}
    kept |= {*range(0xFE00, 0xFE10), *range(0x1BCA0, 0x1BCA4), *range(0xE0100, 0xE01F0)}
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    default_ignorable = {c for c in codes if ignorable.match(chr(c))}
    bidi = {c for c in default_ignorable if BIDI_FORMATTING.match(chr(c))}
    invisible = {c for c in codes if INVISIBLE.match(chr(c))}
    assert invisible == default_ignorable - kept - bidi
