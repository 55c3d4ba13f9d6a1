"""A name or mark text that is not found is answered with the ones meant ("did you mean
…?"): for a mark, the register's texts tmkg's own similarity reads alike
(`Analyst._mark_suggestion`), or, for a text no rule reads like any mark, those spelt alike;
for a party, the names spelt alike (`_suggest`) — never a shorter name or mark for being a
piece of what was asked (rapidfuzz's WRatio offered ``ALI`` for ``LOCALIEQ``, ``LOCALIEX``
for ``XJ``, ``Bev`` and ``Kest`` for ``Kestral Bevrages``)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, NotFound, Settings
from kg.analysis.service import Analyst
from tests.conftest import run_kg

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TM = "https://w3id.org/tmkg/ontology#"
SCHEMA_NAME = "https://schema.org/name"

TEXTS = [
    "LOCALIEX",
    "LOCALIX",
    "LOCAL",
    "ALI",
    "ALA",
    "AMI",
    "ARMA",
    "LOKEL",
    "ZORFA-ZORTO",
    "ZORFA",
    "VINGLOTA",
    "VINGLO",
    "PLIBOSOTEK",
    "PLIBO",
    "VAORAL",
    "ZORPRALU",
    "AMAZON WEB SERVICES",
]


def marks_of_texts(texts: list[str], name: str = "sg") -> KnowledgeGraph:
    """A store in memory of marks `id:mark/<name>-<n>` with the texts `texts`, and nothing
    else."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.store.add(
        ox.Quad(
            ox.NamedNode(f"https://w3id.org/tmkg/id/mark/{name}-{n}"),
            ox.NamedNode("https://w3id.org/tmkg/ontology#text"),
            ox.Literal(text),
            ox.NamedNode(f"https://w3id.org/tmkg/id/graph/{name}"),
        )
        for n, text in enumerate(texts)
    )
    graph.changed()
    return graph


@pytest.fixture(scope="module")
def analyst() -> Iterator[Analyst]:
    graph = marks_of_texts(TEXTS)
    yield Analyst(graph)
    graph.close()


def _suggestion(analyst: Analyst, text: str) -> str | None:
    with pytest.raises(NotFound) as raised:
        analyst.find_mark(text)
    return raised.value.suggestion


@pytest.mark.parametrize(
    ("asked", "suggested"),
    [
        # a letter changed at the end: the marks one letter away, not the pieces inside it
        ("LOCALIEQ", "did you mean 'LOCALIEX', 'LOCALIX', 'LOKEL'?"),
        ("ZORFA-ZORTQ", "did you mean 'ZORFA-ZORTO', 'ZORFA'?"),
        ("VINGLOTQ", "did you mean 'VINGLO', 'VINGLOTA'?"),
        # a word added to a mark: the mark it holds first
        ("PLIBOSOTEK CLOUD", "did you mean 'PLIBOSOTEK', 'PLIBO'?"),
        # letters left out of several words
        ("AMAZN WEB SERVCES", "did you mean 'AMAZON WEB SERVICES'?"),
    ],
)
def test_a_misspelt_mark_is_answered_with_the_marks_read_alike(
    analyst: Analyst, asked: str, suggested: str
) -> None:
    assert _suggestion(analyst, asked) == suggested


@pytest.mark.parametrize(
    ("asked", "never"),
    [
        ("ZZQXW VORPAL", {"ALA", "ALI", "ZORPRALU"}),  # VAORAL, like its word VORPAL
        ("XJ", {"LOCALIEX", "LOCALIX"}),
        ("PLIBOSOTEK CLOUD", {"ALI"}),
        ("LOCALIEQ", {"ALI", "LOCAL"}),
        ("AMAZN WEB SERVCES", {"AMI", "ARMA"}),
    ],
)
def test_no_short_mark_is_offered_for_being_a_piece_of_the_text(
    analyst: Analyst, asked: str, never: set[str]
) -> None:
    suggestion = _suggestion(analyst, asked) or ""
    assert not {text for text in never if repr(text) in suggestion}


def test_a_text_like_no_mark_gets_no_suggestion(analyst: Analyst) -> None:
    assert _suggestion(analyst, "QQQQQQ") is None
    assert _suggestion(analyst, "XJ") is None


@pytest.mark.parametrize(
    ("asked", "suggested"),
    [
        ("NOVALUXE GMBH HOLDINGS WORLDWIDE", "did you mean 'NOVALUX'?"),  # a word misspelt
        ("the vorpal blade", "did you mean 'VAORAL'?"),  # without case
        ("zorpralu", None),  # found: the same text but for case
    ],
)
def test_a_word_of_the_text_spelt_like_a_mark_finds_it(asked: str, suggested: str | None) -> None:
    """For a text no rule reads alike, a mark spelt like one of its words (75 or more) is
    offered: the user typed a mark inside more words."""
    graph = marks_of_texts([*TEXTS, "NOVALUX"])
    try:
        analyst = Analyst(graph)
        if suggested is None:
            assert analyst.find_mark(asked)
        else:
            assert _suggestion(analyst, asked) == suggested
    finally:
        graph.close()


def test_suggestions_do_not_depend_on_the_order_the_marks_were_written() -> None:
    """Equal scores are listed alphabetically (LOCALIEX and LOCALIX both score the same
    with LOCALIEQ), whatever order the store returns the marks in."""
    answers = set()
    for texts in (TEXTS, list(reversed(TEXTS))):
        graph = marks_of_texts(texts)
        try:
            answers.add(_suggestion(Analyst(graph), "LOCALIEQ"))
        finally:
            graph.close()
    assert answers == {"did you mean 'LOCALIEX', 'LOCALIX', 'LOKEL'?"}


def test_priority_of_a_misspelt_mark_suggests_the_mark_meant(analyst: Analyst) -> None:
    """`priority` of a text with no similar mark (0.8) names the marks spelt like it (no rule
    reads any mark like ZZQXW VORPAL): none is spelt like the whole (ZORPRALU, shorter,
    scores under 75), so VAORAL, spelt like its word VORPAL."""
    with pytest.raises(NotFound) as raised:
        analyst.priority("ZZQXW VORPAL", 9, "US")
    assert raised.value.suggestion == "did you mean 'VAORAL'?"


def test_the_cli_prints_the_suggestion_without_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "marks.nq"
    data.write_text(
        "".join(
            f'<https://w3id.org/tmkg/id/mark/sg-{n}> <https://w3id.org/tmkg/ontology#text> "{text}" '
            "<https://w3id.org/tmkg/id/graph/sg> .\n"
            for n, text in enumerate(TEXTS)
        ),
        encoding="utf-8",
    )
    store = tmp_path / "store"
    loaded = run_kg("--store", str(store), "load", str(data))
    assert loaded.returncode == 0, loaded.stderr
    result = run_kg("--store", str(store), "report", "--mark", "LOCALIEQ")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "did you mean 'LOCALIEX', 'LOCALIX', 'LOKEL'?" in result.stderr


PARTY_NAMES = [
    *("AB", "ABC Holdings", "Kestrel Beverages Limited", "Kest", "Amazon.com Inc.", "Bev"),
    *("Web", "Amazon Web Services, Inc.", "Ltd.", "Beverages", "Ocean", "Blue Ocean Holding Ltd"),
    *("ACME GMBH", "Acme GmbH", "★", "aws-cn-2018"),
]


@pytest.fixture(scope="module")
def parties() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.store.add(
        ox.Quad(ox.NamedNode(f"https://w3id.org/tmkg/id/party/pt-{n}"), ox.NamedNode(p), o, g)
        for n, name in enumerate(PARTY_NAMES)
        for p, o in (
            (RDF_TYPE, ox.NamedNode("https://w3id.org/tmkg/ontology#Company")),
            ("https://schema.org/name", ox.Literal(name)),
        )
        for g in [ox.NamedNode("https://w3id.org/tmkg/id/graph/pt")]
    )
    graph.changed()
    yield Analyst(graph)
    graph.close()


@pytest.mark.parametrize(
    ("asked", "suggested"),
    [
        # misspelt words: the party meant, not the short names inside them (Kest, Bev)
        ("Kestral Bevrages", "did you mean 'Kestrel Beverages Limited'?"),
        ("Beverages Kestrel Ltd", "did you mean 'Kestrel Beverages Limited'?"),  # reordered
        # the asked text a piece of a longer name still finds it (WRatio's partial ratio)
        ("Amazn", "did you mean 'Amazon Web Services, Inc.', 'Amazon.com Inc.'?"),
        ("ABX Holdngs", "did you mean 'ABC Holdings'?"),
        # a short name equal to a word of the text, or its legal form, is no suggestion
        ("Amazn Web Services", "did you mean 'Amazon Web Services, Inc.'?"),
        ("Kestrel Bevrages Ltd", "did you mean 'Kestrel Beverages Limited'?"),
        ("Blue Ocean Holdngs", "did you mean 'Blue Ocean Holding Ltd'?"),
        # names prepared alike take one place; full-width letters are letters (NFKC)
        ("Acme GmbX", "did you mean 'ACME GMBH'?"),
        ("Ａｍａｚｎ Web", "did you mean 'Amazon Web Services, Inc.'?"),
        # nothing to compare, a legal form alone, a piece three letters of four alike
        ("!!!", None),
        ("№", None),
        ("Corp", None),
        ("2015", None),
        ("Kestrel" + "x" * 2000, None),
    ],
)
def test_a_misspelt_party_is_answered_with_the_names_meant(
    parties: Analyst, asked: str, suggested: str | None
) -> None:
    with pytest.raises(NotFound) as raised:
        parties.find_party(asked)
    assert raised.value.suggestion == suggested


def test_a_party_is_suggested_by_its_names_not_again_by_its_iri() -> None:
    """A party minted from its name (`id:party/amazon-technologies-inc-b64e321d`) is found by
    that last part of its IRI, but suggested once, by its name (a trial of 12-06: the slug
    took the second place)."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    party = ox.NamedNode("https://w3id.org/tmkg/id/party/amazon-technologies-inc-b64e321d")
    source = ox.NamedNode("https://w3id.org/tmkg/id/graph/pt")
    graph.store.add(
        [
            ox.Quad(party, ox.NamedNode(RDF_TYPE), ox.NamedNode(TM + "Company"), source),
            ox.Quad(
                party, ox.NamedNode(SCHEMA_NAME), ox.Literal("Amazon Technologies, Inc."), source
            ),
        ]
    )
    graph.changed()
    try:
        analyst = Analyst(graph)
        assert analyst.find_party("amazon-technologies-inc-b64e321d").id == party.value
        with pytest.raises(NotFound) as raised:
            analyst.find_party("Amazn Technologies")
        assert raised.value.suggestion == "did you mean 'Amazon Technologies, Inc.'?"
    finally:
        graph.close()
