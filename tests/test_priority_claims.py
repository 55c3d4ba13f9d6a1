"""Claims an application makes (issue 13, item 6): a valid Paris priority claim moves the
effective date, one outside six months does not; first use in commerce decides under
first-to-use, with the filing as constructive use; a prior-use claim under first-to-file names
the provision it rests on. Real-shaped records (tests/data/priority-claims.trig) through the
service, the CLI (a real `kg` process) and GraphQL (over HTTP)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html
import pyoxigraph as ox

from kg import KnowledgeGraph
from kg.analysis.dates import PartialDate
from kg.analysis.registration_claims import check_priority_claim, paris_deadline
from kg.analysis.service import Analyst
from kg.report.document import build_report
from kg.report.render import write_report
from kg.resources import QUERIES_DIR
from tests.conftest import DATA, run_kg
from tests.fixture_world import fixture_world
from tests.graphql_support import post

FIXTURE = DATA / "priority-claims.trig"
GALE = "Gale Systems Inc."
BEIFENG = "Shenzhen Beifeng Technology Co., Ltd."
NORDWIND = "Nordwind Technik GmbH"
TEA_HOUSE = "Hangzhou Northwind Tea House"
CASA = "Casa Clara Iluminación S.L."
BRIGHTLINE = "Brightline Lamps LLC"
PRIORITY = """query($mark: String!, $n: Int!, $cc: String!) {
  priority(mark: $mark, niceClass: $n, jurisdiction: $cc) {
    holder { name } date dateBasis explanation
    competingClaims { party { name } basis date effectiveDate effectiveBasis }
  }
}"""


graph, store, graphql = fixture_world(FIXTURE)


def _by_party(claims: list) -> dict:
    return {(c["party"]["name"] if isinstance(c, dict) else c.party.name): c for c in claims}


# ------------------------------------------------------------------ the Paris period


def test_the_paris_period_ends_six_months_on_the_same_day_or_the_months_last() -> None:
    assert str(paris_deadline(PartialDate.parse("2022-01-10"))) == "2022-07-10"
    assert str(paris_deadline(PartialDate.parse("2021-08-31"))) == "2022-02-28"
    assert str(paris_deadline(PartialDate.parse("2023-08-31"))) == "2024-02-29"
    assert check_priority_claim("2022-01-10", "2022-07-10")[0] is True
    assert check_priority_claim("2022-01-10", "2022-07-11")[0] is False
    assert check_priority_claim("2022-03-01", "2022-02-01")[0] is False  # after the filing
    assert check_priority_claim("2022-01-10", None)[0] is False


# ------------------------------------------------------------------ service


def test_a_paris_priority_claim_beats_an_earlier_local_filing(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORTHWIND", 9, "CN")
    assert finding.holder is not None and finding.holder.name == GALE
    assert (finding.date, finding.date_basis) == ("2022-01-10", "Paris priority")
    assert "filed 2022-05-20 with a valid Paris Convention priority claim" in finding.explanation
    beifeng = _by_party(finding.competing_claims)[BEIFENG]
    assert (beifeng.date, beifeng.effective_date, beifeng.effective_basis) == (
        "2022-02-01",
        "2022-02-01",
        "filing",
    )


def test_a_claim_outside_six_months_is_shown_but_moves_nothing(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORTHWIND", 9, "CN")
    nordwind = _by_party(finding.competing_claims)[NORDWIND]
    assert nordwind.effective_date == "2022-09-01"  # not the claimed 2022-01-05
    assert "priority claim does not count" in (nordwind.effective_basis or "")
    assert (
        f"{NORDWIND}'s priority claim to an EM application No. 018600001 of 2022-01-05 does "
        "not move its filing date: the application was filed more than six months after the "
        "first filing (the period ended 2022-07-05"
    ) in finding.explanation
    [holding] = [
        h for h in Analyst(graph).facts.holdings() if h.id.endswith("cn-northwind-nordwind")
    ]
    [claim] = holding.application_claims.priority_claims  # type: ignore[union-attr]
    assert (claim.country, claim.date, claim.application_number, claim.valid) == (
        "EM",
        "2022-01-05",
        "018600001",
        False,
    )


def test_a_prior_use_claim_in_china_names_article_32_and_59(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORTHWIND", 9, "CN")
    assert finding.holder is not None and finding.holder.name == GALE  # use does not decide
    sentence = finding.explanation.split(f"{TEA_HOUSE} claims earlier use")[1]
    assert "Trademark Law of the PRC (2019), Art. 32" in sentence
    assert "Art. 59(3)" in sentence
    tea = _by_party(finding.competing_claims)[TEA_HOUSE]
    assert tea.effective_date is None and "does not count" in (tea.effective_basis or "")
    # The provision is data: the reference graph states it on the jurisdiction.
    rows = graph.query(
        'SELECT ?b WHERE { ?j <https://w3id.org/tmkg/ontology#code> "CN" ; '
        "<https://w3id.org/tmkg/ontology#priorUseBasis> ?b }"
    )
    assert any("Art. 59(3)" in row[0].value for row in rows)  # type: ignore[union-attr,index]


def test_a_prior_use_date_where_tmkg_cites_no_provision_says_so(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORTHWIND", 9, "FR")
    assert finding.holder is not None and finding.holder.name == NORDWIND
    assert (finding.date, finding.date_basis) == ("2021-11-02", "filing")
    assert (
        f"{GALE} claims earlier use; under FR's first-to-file rule use does not decide "
        "priority, and tmkg cites no provision for such a claim in FR."
    ) in finding.explanation


def test_first_use_in_commerce_beats_an_earlier_intent_to_use_filing(
    graph: KnowledgeGraph,
) -> None:
    finding = Analyst(graph).priority("LUZ CLARA", 11, "US")
    assert finding.holder is not None and finding.holder.name == CASA
    assert (finding.date, finding.date_basis) == ("2019-05-10", "first use in commerce")
    brightline = _by_party(finding.competing_claims)[BRIGHTLINE]
    assert (brightline.effective_date, brightline.effective_basis) == (
        "2021-03-01",
        "constructive use (filing)",
    )


def test_without_any_use_the_filing_is_constructive_use(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORTHWIND", 9, "US")
    assert finding.holder is not None and finding.holder.name == GALE
    assert (finding.date, finding.date_basis) == ("2022-01-10", "constructive use (filing)")
    assert "§7(c)" in finding.explanation


def test_registrations_carry_first_use_translations_and_disclaimers(
    graph: KnowledgeGraph,
) -> None:
    holdings = {h.id.rsplit("/", 1)[1]: h for h in Analyst(graph).facts.holdings()}
    casa = holdings["us-luz-clara-casa"].application_claims
    assert casa is not None
    assert (casa.first_used_date, casa.first_used_commerce_date) == ("2019-02-01", "2019-05-10")
    [translation] = casa.translations
    assert translation.language == "en" and '"clear light"' in translation.text
    [disclaimer] = casa.disclaimers
    assert '"LUZ"' in disclaimer.text
    beifeng = holdings["us-beifeng-gale"].application_claims
    assert beifeng is not None
    [transliteration] = beifeng.transliterations
    assert transliteration.text == "BEI FENG"
    assert (transliteration.language or "").casefold() == "zh-latn-pinyin"
    assert holdings["cn-northwind-beifeng"].application_claims is None


# ------------------------------------------------------------------ CLI


def test_cli_priority_json_shows_effective_dates(store: Path) -> None:
    out = run_kg(
        "priority", "NORTHWIND", "--class", "9", "--jurisdiction", "CN",
        "--format", "json", "--store", store, check=True,
    )  # fmt: skip
    found = json.loads(out.stdout)
    finding = found[0] if isinstance(found, list) else found
    assert finding["holder"]["name"] == GALE
    assert (finding["date"], finding["date_basis"]) == ("2022-01-10", "Paris priority")
    claims = _by_party(finding["competing_claims"])
    assert claims[NORDWIND]["effective_date"] == "2022-09-01"
    assert "Art. 59(3)" in finding["explanation"]


def test_cli_priority_table_says_why_each_claim_counts(store: Path) -> None:
    out = run_kg(
        "priority", "LUZ CLARA", "--class", "11", "--jurisdiction", "US", "--store", store,
        check=True,
    )  # fmt: skip
    assert f"holder: {CASA}, 2019-05-10 (first use in commerce)" in out.stdout
    assert "counts from 2021-03-01 (constructive use (filing))" in out.stdout


def test_cli_validate_rejects_a_priority_claim_without_its_date(tmp_path: Path) -> None:
    bad = tmp_path / "bad-priority.trig"
    prefixes = FIXTURE.read_text(encoding="utf-8").split("graph:cnipa-gazette-fictional {")[0]
    bad.write_text(
        prefixes
        + """
party:x a tm:Company ; schema:name "X Co."@en .
mark:x a tm:Mark ; tm:text "XMARK" .
reg:x a tm:Registration ; tm:mark mark:x ; tm:owner party:x ; tm:jurisdiction cc:CN ;
    tm:niceClass nice:9 ; tm:filingDate "2022-05-20"^^xsd:date ;
    tm:markDisclaimer "no tag" ;
    tm:priorityClaim [ tm:priorityCountryCode "USA" ; tm:priorityDate "2022"^^xsd:gYear ] .
reg:y a tm:Registration ; tm:mark mark:x ; tm:owner party:x ; tm:jurisdiction cc:CN ;
    tm:niceClass nice:9 ; tm:filingDate "2022-05-20"^^xsd:date ;
    tm:priorityClaim [ a tm:PriorityClaim ; tm:priorityCountryCode "USA" ;
                       tm:priorityDate "2022"^^xsd:gYear ] .
""",
        encoding="utf-8",
    )
    result = run_kg("validate", bad)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "tm:priorityClaim must be a tm:PriorityClaim" in output  # the untyped claim
    assert "a priority claim needs one tm:priorityCountryCode" in output  # "USA"
    assert "a priority claim needs one tm:priorityDate" in output  # a year only
    assert "tm:markDisclaimer must be a non-empty language-tagged string" in output


# ------------------------------------------------------------------ GraphQL


def test_graphql_priority_shows_each_claims_effective_date(graphql: str) -> None:
    found = post(graphql, PRIORITY, {"mark": "NORTHWIND", "n": 9, "cc": "CN"})["data"]
    priority = found["priority"]
    assert (priority["holder"]["name"], priority["date"], priority["dateBasis"]) == (
        GALE,
        "2022-01-10",
        "Paris priority",
    )
    claims = _by_party(priority["competingClaims"])
    assert (claims[BEIFENG]["effectiveDate"], claims[BEIFENG]["effectiveBasis"]) == (
        "2022-02-01",
        "filing",
    )
    assert claims[NORDWIND]["effectiveDate"] == "2022-09-01"
    us = post(graphql, PRIORITY, {"mark": "LUZ CLARA", "n": 11, "cc": "US"})["data"]
    assert us["priority"]["holder"]["name"] == CASA
    assert us["priority"]["dateBasis"] == "first use in commerce"


def test_graphql_registration_shows_what_its_application_claims(graphql: str) -> None:
    query = """query($text: String!) { mark(text: $text) { registrations {
      applicationNumber firstUsedDate firstUsedCommerceDate
      priorityClaims { country date applicationNumber valid note sourceGraphs }
      translations { text language } transliterations { text language }
      disclaimers { text language } } } }"""
    registrations = post(graphql, query, {"text": "NORTHWIND"})["data"]["mark"]["registrations"]
    by_number = {r["applicationNumber"]: r for r in registrations}
    [gale] = by_number["64512345"]["priorityClaims"]
    assert (gale["country"], gale["date"], gale["applicationNumber"], gale["valid"]) == (
        "US",
        "2022-01-10",
        "97123456",
        True,
    )
    assert gale["sourceGraphs"] == ["https://w3id.org/tmkg/id/graph/cnipa-gazette-fictional"]
    [nordwind] = by_number["67770002"]["priorityClaims"]
    assert nordwind["valid"] is False and "more than six months" in nordwind["note"]
    assert by_number["62890001"]["priorityClaims"] == []
    luz = post(graphql, query, {"text": "LUZ CLARA"})["data"]["mark"]["registrations"]
    [casa] = [r for r in luz if r["applicationNumber"] == "97300002"]
    assert (casa["firstUsedDate"], casa["firstUsedCommerceDate"]) == ("2019-02-01", "2019-05-10")
    assert casa["translations"][0]["language"] == "en"
    assert casa["disclaimers"][0]["text"].startswith("No claim is made")
    [beifeng] = post(graphql, query, {"text": "北风"})["data"]["mark"]["registrations"]
    assert beifeng["transliterations"][0]["text"] == "BEI FENG"
    assert beifeng["translations"] == [{"text": "NORTH WIND", "language": "en"}]


# ------------------------------------------------------------------ reports


def test_reports_say_from_when_each_claim_counts(graph: KnowledgeGraph, tmp_path: Path) -> None:
    report = build_report(graph, mark="NORTHWIND", jurisdiction="CN", nice_class=9)
    for name in ("northwind.md", "northwind.html"):
        text = write_report(report, tmp_path / name)[0].read_text(encoding="utf-8")
        if name.endswith(".html"):  # as read: values sit in <bdi> isolates (kg/report/bidi.py)
            text = " ".join(lxml.html.fromstring(text).text_content().split())
        assert f"{GALE} (2022-01-10)" in text
        assert "counts from 2022-02-01 (filing)" in text
        assert "counts from 2022-09-01 (filing (its Paris priority claim does not count))" in text
        assert "more than six months after the first filing" in text


# ------------------------------------------------------------------ saved query


def test_the_saved_query_lists_priority_claims_and_first_use(graph: KnowledgeGraph) -> None:
    text = (QUERIES_DIR / "registration-claims.rq").read_text(encoding="utf-8")
    result = graph.query(text).serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(result)))
    assert [
        (r["registration"].rsplit("/", 1)[1], r["priorityCountry"], r["priorityDate"]) for r in rows
    ] == [
        ("cn-northwind-gale", "US", "2022-01-10"),
        ("cn-northwind-nordwind", "EM", "2022-01-05"),
        ("fr-northwind-gale", "", ""),
        ("us-luz-clara-casa", "", ""),
    ]
    casa = rows[-1]
    assert (casa["firstUsed"], casa["firstUsedCommerce"], casa["jurisdiction"]) == (
        "2019-02-01",
        "2019-05-10",
        "US",
    )
