"""Kinds of mark, verbal elements, goods and services, class schemes (issue 13): national
(pre-Nice) classes are never Nice classes, a stated verbal element is what is compared, a
figurative mark without words is kept but never compared as words. Real-shaped records
(tests/data/mark-kinds.trig) through the service, the CLI (a real `kg` process), GraphQL
(over HTTP), `kg validate` and `kg import` (ST.66)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from kg.analysis.similarity import compare
from kg.resources import QUERIES_DIR
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "mark-kinds.trig"
HAIR_CREAM = "松鶴堂"  # 1951, Taiwan's national class 032
BREWERY = "Songhe Brewery Co., Ltd."  # Nice class 32
COMBINED = (
    "Golden Deer Foods Co., Ltd."  # "GOLDEN DEER 及奔鹿於山林之圖", verbal element "GOLDEN DEER"
)
DEER_WORD = "Deer Trading Co., Ltd."  # word mark GOLDEN DEER
FIGURE = "Star Figure Co., Ltd."  # a figure its register titles "STAR", no verbal element
STAR_WORD = "Star Word Co., Ltd."  # word mark STAR
WHO = """query($mark: String!, $cc: String, $n: Int, $asOf: Date) {
  whoElseUses(mark: $mark, jurisdiction: $cc, niceClass: $n, asOf: $asOf) {
    party { name } niceClasses nationalClasses markFeature verbalElement similarity
  }
}"""
REGISTRATIONS = """query($name: String!) {
  party(name: $name) {
    registrations {
      mark { text } niceClasses markFeature viennaCodes verbalElement
      goodsServices { scheme code niceClass edition texts { language text } }
    }
  }
}"""


graph, store, graphql = fixture_world(FIXTURE)


def _names(hits: list) -> set[str]:
    return {h.party.name for h in hits}


def _cli_json(store: Path, *args: str) -> list[dict]:
    out = run_kg(*args, "--format", "json", "--store", store, check=True)
    return json.loads(out.stdout)


def _registration(graphql: str, party: str) -> dict:
    """The one registration a party owns, as GraphQL gives it."""
    answer = post(graphql, REGISTRATIONS, {"name": party})
    assert "errors" not in answer, answer
    [registration] = answer["data"]["party"]["registrations"]
    return registration


# ------------------------------------------------------------------ national classes


def test_a_national_class_never_matches_a_nice_class(graph: KnowledgeGraph) -> None:
    analyst = Analyst(graph)
    everyone = analyst.who_else_uses("松鶴", jurisdiction="TW", as_of="2020")
    assert _names(everyone) == {HAIR_CREAM, BREWERY}
    beers = analyst.who_else_uses("松鶴", 32, "TW", as_of="2020")
    assert _names(beers) == {BREWERY}  # hair cream (national 032) is not Nice 32 (beers)
    assert HAIR_CREAM not in _names(analyst.who_else_uses("松鶴", 3, "TW", as_of="2020"))


def test_a_national_class_is_shown_with_its_scheme(graph: KnowledgeGraph) -> None:
    hits = Analyst(graph).who_else_uses("松鶴", jurisdiction="TW", as_of="2020")
    [hit] = [h for h in hits if h.party.name == HAIR_CREAM]
    assert (hit.classes, hit.national_classes) == ((), ("tw-national 032",))
    assert "class not stated" not in hit.reasons


def test_cli_class_32_does_not_list_the_hair_cream_mark(store: Path) -> None:
    args = ("who-else-uses", "松鶴", "--jurisdiction", "TW", "--as-of", "2020")
    beers = _cli_json(store, *args, "--class", "32")
    assert [h["party"]["name"] for h in beers] == [BREWERY]
    hits = {h["party"]["name"]: h for h in _cli_json(store, *args)}
    assert hits[HAIR_CREAM]["national_classes"] == ["tw-national 032"]
    assert hits[HAIR_CREAM]["classes"] == [] and hits[BREWERY]["classes"] == [32]
    [goods] = hits[HAIR_CREAM]["goods_services"]
    assert (goods["scheme"], goods["code"], goods["nice_class"]) == ("tw-national", "032", None)
    assert goods["texts"] == [["zh-hant", "美髮霜、髮油商品。"]]
    table = run_kg(*args, "--store", store, check=True).stdout
    assert "tw-national 032" in table


def test_graphql_goods_and_services_per_class(graphql: str) -> None:
    hair = _registration(graphql, HAIR_CREAM)
    assert hair["niceClasses"] == []
    assert hair["goodsServices"] == [
        {
            "scheme": "tw-national",
            "code": "032",
            "niceClass": None,
            "edition": None,
            "texts": [{"language": "zh-hant", "text": "美髮霜、髮油商品。"}],
        }
    ]
    answer = post(graphql, WHO, {"mark": "松鶴", "cc": "TW", "n": 32, "asOf": "2020"})
    assert [h["party"]["name"] for h in answer["data"]["whoElseUses"]] == [BREWERY]


def test_goods_text_in_two_languages_with_the_nice_edition(graphql: str) -> None:
    vultur = _registration(graphql, "Vultur Textile SRL")
    assert (vultur["markFeature"], vultur["verbalElement"]) == ("word", "VULTUR")
    assert vultur["goodsServices"] == [
        {
            "scheme": "nice",
            "code": "25",
            "niceClass": 25,
            "edition": "10-2012",
            "texts": [
                {"language": "en", "text": "Clothing, footwear, headgear."},
                {
                    "language": "ro",
                    "text": "Îmbrăcăminte, încălţăminte, articole pentru acoperirea capului.",
                },
            ],
        }
    ]


def test_nice_classes_of_goods_and_services_count_as_classes(graph: KnowledgeGraph) -> None:
    """A Nice class stated only by a goods-and-services node still answers a class filter."""
    extra = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
    <https://w3id.org/tmkg/id/registration/tw-01900003>
        tm:goodsServices <https://w3id.org/tmkg/id/goods-services/tw-01900003-29> .
    <https://w3id.org/tmkg/id/goods-services/tw-01900003-29> a tm:GoodsServices ;
        tm:goodsServicesClass <https://w3id.org/tmkg/id/nice/29> ."""
    local = KnowledgeGraph.open(Settings(memory=True))
    local.load([FIXTURE])
    _load_text(local, extra)
    hits = Analyst(local).who_else_uses("GOLDEN DEER", 29, "TW", as_of="2020")
    assert DEER_WORD in _names(hits)
    [hit] = [h for h in hits if h.party.name == DEER_WORD]
    assert hit.classes == (29, 30) and hit.class_relatedness == 1.0
    local.close()


def _load_text(graph: KnowledgeGraph, turtle: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extra.ttl"
        path.write_text(turtle, encoding="utf-8")
        graph.load([path])


# ------------------------------------------------------------------ verbal element


def test_the_verbal_element_is_compared_not_the_text(graph: KnowledgeGraph) -> None:
    # The office's name for the combined mark carries a figure description the placeholder
    # list does not know: as text it is only a part of the name (contained, or one part of
    # a mark in two scripts); the registration's stated verbal element is the same words.
    text_alone = compare("GOLDEN DEER", "GOLDEN DEER 及奔鹿於山林之圖")
    assert text_alone.best_reason in ("containment", "script-element")
    assert text_alone.score < 1.0
    hits = Analyst(graph).who_else_uses("GOLDEN DEER", 30, "TW", as_of="2020")
    [hit] = [h for h in hits if h.party.name == COMBINED]
    assert (hit.mark.text, hit.verbal_element, hit.mark_feature) == (
        "GOLDEN DEER 及奔鹿於山林之圖",
        "GOLDEN DEER",
        "combined",
    )
    assert hit.similarity == 1.0


def test_conflicts_compare_verbal_elements(graph: KnowledgeGraph, store: Path) -> None:
    pairs = Analyst(graph).conflicts(jurisdiction="TW", as_of="2020")
    deer = [p for p in pairs if {x.name for x in p.parties} == {COMBINED, DEER_WORD}]
    assert len(deer) == 1
    assert any("verbal element 'GOLDEN DEER'" in r for r in deer[0].reasons)
    cli = _cli_json(store, "conflicts", "--jurisdiction", "TW", "--as-of", "2020")
    assert {frozenset(x["name"] for x in c["parties"]) for c in cli} == {
        frozenset({COMBINED, DEER_WORD})
    }


def test_graphql_who_else_uses_shows_the_verbal_element(graphql: str) -> None:
    answer = post(graphql, WHO, {"mark": "GOLDEN DEER", "cc": "TW", "asOf": "2020"})
    hits = {h["party"]["name"]: h for h in answer["data"]["whoElseUses"]}
    assert hits[COMBINED]["verbalElement"] == "GOLDEN DEER"
    assert hits[COMBINED]["markFeature"] == "combined"


# ------------------------------------------------------------------ figurative, no words


def test_a_figure_without_words_is_no_hit(graph: KnowledgeGraph, store: Path) -> None:
    assert _names(Analyst(graph).who_else_uses("STAR", 30, "TW", as_of="2020")) == {STAR_WORD}
    cli = _cli_json(store, "who-else-uses", "STAR", "--jurisdiction", "TW", "--as-of", "2020")
    assert [h["party"]["name"] for h in cli] == [STAR_WORD]


def test_a_figure_without_words_is_no_conflict_side(graph: KnowledgeGraph) -> None:
    pairs = Analyst(graph).conflicts(jurisdiction="TW", as_of="2020")
    assert not [p for p in pairs if FIGURE in {x.name for x in p.parties}]


def test_a_figure_without_words_never_decides_word_priority(graph: KnowledgeGraph) -> None:
    # the figure was filed first (2018-01-04), the word mark STAR later (2018-03-01)
    analyst = Analyst(graph)
    star = analyst.priority("STAR", 30, "TW", as_of="2020")
    assert star.holder is not None and star.holder.name == STAR_WORD
    assert FIGURE not in {c.party.name for c in star.competing_claims}
    # the combined mark, filed first, holds priority to its verbal element
    deer = analyst.priority("GOLDEN DEER", 30, "TW", as_of="2020")
    assert deer.holder is not None and deer.holder.name == COMBINED
    assert [c.party.name for c in deer.competing_claims] == [DEER_WORD]


def test_a_figure_without_words_is_kept_with_its_vienna_codes(graphql: str) -> None:
    figure = _registration(graphql, FIGURE)
    assert (figure["mark"]["text"], figure["markFeature"]) == ("STAR", "figurative")
    assert figure["verbalElement"] is None
    assert figure["viennaCodes"] == ["01.01.01", "26.01.03"]
    assert _registration(graphql, STAR_WORD)["viennaCodes"] == []


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ('tm:viennaCode "26.1.3"', "tm:viennaCode must be a Vienna Classification code"),
        ("tm:markFeature mf:wordmark", "tm:markFeature must be one kind of mark"),
        ("tm:goodsServices gs:x . gs:x a tm:GoodsServices ; tm:goodsServicesClass nice:32 ; "
         'tm:goodsServicesText "beer"', "tm:goodsServicesText must be a language-tagged"),
    ],
)  # fmt: skip
def test_validation_refuses_malformed_kind_data(
    tmp_path: Path, statement: str, message: str
) -> None:
    path = tmp_path / "bad.trig"
    path.write_text(
        """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix mf: <https://w3id.org/tmkg/id/mark-feature/> .
@prefix nice: <https://w3id.org/tmkg/id/nice/> .
@prefix gs: <https://w3id.org/tmkg/id/goods-services/> .
<https://w3id.org/tmkg/id/graph/g> {
  <https://w3id.org/tmkg/id/party/p> a tm:Company ; schema:name "P" .
  <https://w3id.org/tmkg/id/mark/m> a tm:Mark ; tm:text "M" .
  <https://w3id.org/tmkg/id/registration/r> a tm:Registration ;
    tm:mark <https://w3id.org/tmkg/id/mark/m> ; tm:owner <https://w3id.org/tmkg/id/party/p> ;
    tm:jurisdiction <https://w3id.org/tmkg/id/jurisdiction/TW> ; tm:niceClass nice:32 ;
    """
        + statement
        + " .\n}\n",
        encoding="utf-8",
    )
    result = run_kg("validate", "--store", tmp_path / "store", path)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_a_national_class_needs_its_scheme(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/tmkg/id/nice/32x> a tm:NationalClass ; skos:notation "032" .
""",
        encoding="utf-8",
    )
    result = run_kg("validate", "--store", tmp_path / "store", path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "a national class IRI must be" in output and "needs one skos:inScheme" in output


# ------------------------------------------------------------------ kg import (ST.66)

ST66 = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written for tmkg's tests in the shape of a TMview ST.66 record; all values made up. -->
<Transaction xmlns="http://www.wipo.int/standards/XMLSchema/ST66">
  <TradeMarkTransactionBody><TransactionContentDetails><TransactionData><TradeMarkDetails>
    <TradeMark>
      <RegistrationOfficeCode>TW</RegistrationOfficeCode>
      <ApplicationNumber>000000008</ApplicationNumber>
      <ApplicationDate>1951-03-06</ApplicationDate>
      <MarkFeature>Combined</MarkFeature>
      <WordMarkSpecification><MarkVerbalElementText>白鶴</MarkVerbalElementText></WordMarkSpecification>
      <MarkImageDetails><MarkImage><MarkImageCategory><CategoryCodeDetails>
        <CategoryCode>03.07.01</CategoryCode><CategoryCode>3.7</CategoryCode>
      </CategoryCodeDetails></MarkImageCategory></MarkImage></MarkImageDetails>
      <GoodsServicesDetails>
        <GoodsServices>
          <ClassificationKindCode>National</ClassificationKindCode>
          <ClassDescriptionDetails><ClassDescription>
            <ClassNumber>032</ClassNumber>
            <GoodsServicesDescription languageCode="zh">美髮霜</GoodsServicesDescription>
          </ClassDescription></ClassDescriptionDetails>
        </GoodsServices>
        <GoodsServices>
          <ClassificationKindCode>Nice</ClassificationKindCode>
          <ClassDescriptionDetails><ClassDescription>
            <ClassNumber>3</ClassNumber>
          </ClassDescription></ClassDescriptionDetails>
        </GoodsServices>
      </GoodsServicesDetails>
      <ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress><Name>
        <FreeFormatName><FreeFormatNameDetails>
          <FreeFormatNameLine>白鶴化粧品公司</FreeFormatNameLine>
        </FreeFormatNameDetails></FreeFormatName>
      </Name></FormattedNameAddress></ApplicantAddressBook></Applicant></ApplicantDetails>
    </TradeMark>
  </TradeMarkDetails></TransactionData></TransactionContentDetails></TradeMarkTransactionBody>
</Transaction>
"""


def test_st66_national_classification_is_not_read_as_nice(tmp_path: Path) -> None:
    source = tmp_path / "tw.xml"
    source.write_text(ST66, encoding="utf-8")
    store = tmp_path / "store"
    run_kg("import", "--store", store, source, "--source-title", "TW test", check=True)
    args = ("who-else-uses", "白鶴", "--jurisdiction", "TW", "--as-of", "1960")
    [hit] = _cli_json(store, *args)
    assert hit["classes"] == [3] and hit["national_classes"] == ["tw-national 032"]
    assert hit["mark_feature"] == "combined"
    assert _cli_json(store, *args, "--class", "32") == []  # 032 is not Nice 32 (beers)
    vienna = run_kg(
        "query", "--store", store, "--format", "csv",
        "SELECT ?v WHERE { ?r tm:viennaCode ?v }", check=True,
    )  # fmt: skip
    assert vienna.stdout.split()[1:] == ["03.07.01"]  # "3.7" is not a full code: left out


# ------------------------------------------------------------------ saved query


def test_saved_goods_and_services_query_on_the_fixture(graph: KnowledgeGraph) -> None:
    query = (QUERIES_DIR / "mark-goods-services.rq").read_text(encoding="utf-8")
    rows = list(
        csv.DictReader(
            io.StringIO(
                graph.query(query.replace('"VULTUR"', '"松鶴"'))
                .serialize(format=ox.QueryResultsFormat.CSV)
                .decode("utf-8")
            )
        )
    )
    assert [(r["scheme"], r["class"], r["language"], r["goodsServices"]) for r in rows] == [
        ("tw-national", "032", "zh-hant", "美髮霜、髮油商品。")
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(graph.query(query).serialize(format=ox.QueryResultsFormat.CSV).decode())
        )
    )
    assert [(r["class"], r["edition"], r["language"]) for r in rows] == [
        ("25", "10-2012", "en"),
        ("25", "10-2012", "ro"),
    ]


def test_only_verbal_elements_other_than_the_text_are_keyed_again(graph: KnowledgeGraph) -> None:
    """A verbal element equal to its mark's text (whatever its language tag) is found with
    the mark through the mark index; keying it again cost seconds on a register."""
    from kg.analysis.mark_kinds import _VerbalIndex

    analyst = Analyst(graph)
    index = _VerbalIndex(analyst.facts.select)
    assert "GOLDEN DEER" in index.marks  # the text is "GOLDEN DEER 及奔鹿於山林之圖"
    assert "VULTUR" not in index.marks  # "VULTUR"@ro of the mark "VULTUR"
    hits = analyst.who_else_uses("VULTUR", include_lapsed=True)
    assert any(h.party.name == "Vultur Textile SRL" for h in hits)
