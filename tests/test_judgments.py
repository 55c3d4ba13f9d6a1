"""Judgments and claims (issue 16, item 4): every value as its sources state it, each with
exactly the sources that state it, through the service and through GraphQL over HTTP; on the
seed, on tests/data/conflicting-sources.trig (LUMORA: two dates, two amounts, a payee named by
two records linked by owl:sameAs) and on a small case written here (a judgment with no court
of its own, one named by two IRIs, a claim two sources give two claimants)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.judgments import Claim, Judgment, StatedValue
from kg.analysis.service import Analyst
from kg.api.app import create_app
from kg.api.graphql.playground import example_queries
from kg.errors import NotFound
from kg.store.counting import CountingStore
from tests.conftest import DATA
from tests.graphql_support import ThreadedServer, post
from tests.provenance_support import check_answer

ID = "https://w3id.org/tmkg/id/"
GRAPH = ID + "graph/"
PARTY = ID + "party/"
TM = "https://w3id.org/tmkg/ontology#"
ARTICLE = GRAPH + "aws-trademark-article"
ELECFANS = GRAPH + "curation/elecfans"
IDENTITIES = GRAPH + "curation/identities"
EXTRACT, NEWS, NOTES = (GRAPH + g for g in ("lumora-extract", "lumora-news", "lumora-notes"))
FILING, REPORT, ORBIS_NOTES = (GRAPH + g for g in ("orbis-filing", "orbis-report", "orbis-notes"))

# A case of three sources: the filing dates a judgment and gives its damages, but names its
# court only for the case; the report names the same judgment by another IRI (the notes link
# the two), adds the payer and costs, an appeal judgment with its own court, and gives the
# filing's claim another claimant and date.
ORBIS = """
@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix party: <https://w3id.org/tmkg/id/party/> .
@prefix mark: <https://w3id.org/tmkg/id/mark/> .
@prefix case: <https://w3id.org/tmkg/id/case/> .
@prefix event: <https://w3id.org/tmkg/id/event/> .
@prefix claim: <https://w3id.org/tmkg/id/claim/> .
@prefix source: <https://w3id.org/tmkg/id/source/> .
@prefix graph: <https://w3id.org/tmkg/id/graph/> .
@prefix cc: <https://w3id.org/tmkg/id/jurisdiction/> .

source:orbis-filing a tm:Source ; dcterms:title "Orbis's statement of claim (fictional)" .
graph:orbis-filing a tm:SourceGraph ; prov:wasDerivedFrom source:orbis-filing .
source:orbis-report a tm:Source ; dcterms:title "Report on Orbis v. Orbys (fictional)" .
graph:orbis-report a tm:SourceGraph ; prov:wasDerivedFrom source:orbis-report .
source:orbis-notes a tm:Source ; dcterms:title "Curators' notes on Orbis v. Orbys (fictional)" .
graph:orbis-notes a tm:CurationGraph ; prov:wasDerivedFrom source:orbis-notes .

graph:orbis-filing {
    party:orbis-gmbh a tm:Company ; schema:name "Orbis GmbH"@en .
    party:nord-court a tm:Court ; schema:name "Landgericht Nord"@en .
    mark:orbis a tm:Mark ; tm:text "ORBIS" .
    party:orbys-ag a tm:Company ; schema:name "Orbys AG"@en .
    case:orbis-v-orbys a tm:Case ; tm:plaintiff party:orbis-gmbh ; tm:defendant party:orbys-ag ;
        tm:court party:nord-court ;
        tm:concerns mark:orbis ; tm:jurisdiction cc:DE .
    event:orbis-judgment a tm:Judgment ; tm:case case:orbis-v-orbys ;
        tm:date "2020-03-02"^^xsd:date ; tm:damages "12000"^^xsd:decimal ; tm:currency "EUR" .
    claim:orbis-first-use a tm:Claim ; tm:claimant party:orbis-gmbh ;
        tm:claimKind tm:FirstUseClaim ; tm:mark mark:orbis ; tm:jurisdiction cc:DE ;
        tm:claimedDate "2001"^^xsd:gYear .
}

graph:orbis-report {
    party:orbys-ag a tm:Company ; schema:name "Orbys AG"@en .
    party:nord-court a tm:Court ; schema:name "Landgericht Nord"@en .
    party:appeal-court a tm:Court ; schema:name "Oberlandesgericht Nord"@en .
    mark:orbis a tm:Mark ; tm:text "ORBIS" .
    case:orbis-v-orbys a tm:Case ; tm:court party:nord-court .
    event:orbis-urteil a tm:Judgment ; tm:case case:orbis-v-orbys ;
        tm:damages "12000"^^xsd:decimal ; tm:costs "900"^^xsd:decimal ; tm:payer party:orbys-ag .
    event:orbis-appeal a tm:Judgment ; tm:case case:orbis-v-orbys ;
        tm:date "2021-11"^^xsd:gYearMonth ; tm:court party:appeal-court ;
        tm:orders "withdraw the ORBYS sign" , "destroy the stock" .
    claim:orbis-first-use a tm:Claim ; tm:claimant party:orbys-ag ;
        tm:claimKind tm:FirstUseClaim ; tm:mark mark:orbis ; tm:claimedDate "2005"^^xsd:gYear .
}

graph:orbis-notes {
    event:orbis-urteil owl:sameAs event:orbis-judgment .
}

# a second case of the same parties, for reading two cases' judgments at once
graph:orbis-report {
    case:orbis-v-orbys-2 a tm:Case ; tm:plaintiff party:orbis-gmbh ; tm:defendant party:orbys-ag .
    event:orbis-2-judgment a tm:Judgment ; tm:case case:orbis-v-orbys-2 ;
        tm:damages "3000"^^xsd:decimal .
}
"""

JUDGMENT_FIELDS = (
    "dates",
    "courts",
    "damages",
    "costs",
    "currencies",
    "approximate_amounts_usd",
    "payers",
    "payees",
    "orders",
    "descriptions",
)
CLAIM_FIELDS = ("kinds", "marks", "jurisdictions", "dates", "descriptions")
CASES = ("aws-cn-2018", "lumora-v-rival", "orbis-v-orbys", "orbis-v-orbys-2", "novalux-v-nova-lux")


@pytest.fixture(scope="module")
def orbis(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("judgments") / "orbis.trig"
    path.write_text(ORBIS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graph(orbis: Path) -> Iterator[KnowledgeGraph]:
    opened = KnowledgeGraph.open(Settings(memory=True))
    opened.load_seed()
    opened.load([DATA / "conflicting-sources.trig", DATA / "second-case.trig", orbis])
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def analyst(graph: KnowledgeGraph) -> Analyst:
    return Analyst(graph)


@pytest.fixture(scope="module")
def graphql(graph: KnowledgeGraph) -> Iterator[str]:
    # every field of a judgment, each value with its sources, within the default cost limit:
    # stated values and their sources are data the answer holds (kg.api.graphql.limits)
    settings = Settings(memory=True)
    with ThreadedServer(create_app(graph, settings)) as server:
        yield server.graphql


def cited(values: tuple[StatedValue, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """Each value with the graphs citing it."""
    return [(v.value, v.statement.sources) for v in values]


def only(judgments: list[Judgment]) -> Judgment:
    assert len(judgments) == 1, [j.id for j in judgments]
    return judgments[0]


# ------------------------------------------------------------------ the service


@pytest.mark.parametrize("asked", ["aws-cn-2018", "(2018)京民初127号", ID + "case/aws-cn-2018"])
def test_the_seed_judgment_keeps_each_sources_values(analyst: Analyst, asked: str) -> None:
    judgment = only(analyst.judgments(asked))
    assert judgment.id == ID + "event/aws-cn-2018-judgment"
    assert judgment.case == ID + "case/aws-cn-2018"
    assert cited(judgment.damages) == [("76460000", (ARTICLE,)), ("76463000", (ELECFANS,))]
    assert cited(judgment.costs) == [("260000", (ELECFANS,))]
    assert cited(judgment.currencies) == [("CNY", (ARTICLE, ELECFANS))]
    assert cited(judgment.approximate_amounts_usd) == [("11000000", (ARTICLE,))]
    # the article's self-contradiction (the plaintiff pays; Amazon pays) beside elecfans's
    # two defendants, each payer with its own source
    assert sorted(cited(judgment.payers)) == [
        (PARTY + "amazon", (ARTICLE,)),
        (PARTY + "amazon-connect-technology-services-beijing", (ELECFANS,)),
        (PARTY + "beijing-actionsoft", (ARTICLE,)),
        (PARTY + "beijing-sinnet", (ELECFANS,)),
    ]
    by_party = {v.value: v for v in judgment.payers}
    # the article names the payer "Yanhuang Yingxing": read through the curators' identity
    assert by_party[PARTY + "beijing-actionsoft"].statement.identities == (IDENTITIES,)
    assert by_party[PARTY + "amazon"].statement.identities == ()
    assert by_party[PARTY + "beijing-sinnet"].text == "Beijing Sinnet Technology Co., Ltd."
    [payee] = judgment.payees
    assert (payee.value, payee.statement.sources) == (
        PARTY + "beijing-actionsoft",
        (ARTICLE, ELECFANS),
    )
    assert payee.statement.identities == (IDENTITIES,)
    assert cited(judgment.orders) == [
        ("publish a statement", (GRAPH + "curation/stheadline",)),
        ("stop using AWS", (GRAPH + "curation/stheadline",)),
        ("stop using AWS or any similar mark in China", (ARTICLE,)),
    ]
    assert cited(judgment.dates) == [
        ("2020-05", (GRAPH + "curation/theregister", GRAPH + "curation/wsj"))
    ]
    # the judgment's own court (the article's); chinaiplawupdate names only the case's
    assert cited(judgment.courts) == [(PARTY + "beijing-high-peoples-court", (ARTICLE,))]
    assert not judgment.court_from_case
    assert judgment.instance is None
    assert [v.statement.sources for v in judgment.descriptions] == [
        (ARTICLE,),
        (GRAPH + "curation/idcquan",),
        (ELECFANS,),
    ]


def test_the_lumora_judgment_keeps_both_dates_and_amounts(analyst: Analyst) -> None:
    judgment = only(analyst.judgments("(2018)粤73民初1号"))
    assert cited(judgment.dates) == [("2019-06", (NEWS,)), ("2019-06-01", (EXTRACT,))]
    assert cited(judgment.damages) == [("500000", (EXTRACT,)), ("800000", (NEWS,))]
    assert cited(judgment.currencies) == [("CNY", (EXTRACT, NEWS))]
    assert cited(judgment.payers) == [(PARTY + "rival", (EXTRACT, NEWS))]
    assert judgment.payers[0].statement.identities == ()
    # the news names the payee lumora-company, which the notes declare owl:sameAs lumora-co
    [payee] = judgment.payees
    assert (payee.value, payee.statement.sources) == (PARTY + "lumora-co", (EXTRACT, NEWS))
    assert payee.statement.identities == (NOTES,)
    assert payee.text == "Lumora Lighting Co., Ltd."
    assert cited(judgment.courts) == [(PARTY + "guangzhou-court", (EXTRACT,))]
    assert cited(judgment.orders) == [("stop using LUMORRA", (EXTRACT,))]
    assert [v.statement.sources for v in judgment.descriptions] == [(NEWS,), (EXTRACT,)]
    assert judgment.costs == () and judgment.approximate_amounts_usd == ()
    assert [s.graph for s in judgment.sources] == [EXTRACT, NEWS, NOTES]


def test_a_judgment_without_a_court_takes_its_cases_and_records_merge(analyst: Analyst) -> None:
    first, appeal = analyst.judgments("orbis-v-orbys")  # earliest first
    assert first.id == ID + "event/orbis-judgment"
    assert cited(first.dates) == [("2020-03-02", (FILING,))]
    # both sources state 12000 (the report of its own IRI for the judgment, linked by notes)
    [damages] = first.damages
    assert (damages.value, damages.statement.sources) == ("12000", (FILING, REPORT))
    assert damages.statement.identities == (ORBIS_NOTES,)
    assert cited(first.costs) == [("900", (REPORT,))]
    assert cited(first.payers) == [(PARTY + "orbys-ag", (REPORT,))]
    assert first.payers[0].statement.identities == (ORBIS_NOTES,)
    assert first.payees == ()
    # no source names this judgment's court: the case's, cited as a statement of the case
    assert first.court_from_case
    assert cited(first.courts) == [(PARTY + "nord-court", (FILING, REPORT))]
    assert first.courts[0].statement.subject == ID + "case/orbis-v-orbys"
    assert appeal.id == ID + "event/orbis-appeal"
    assert not appeal.court_from_case
    assert cited(appeal.courts) == [(PARTY + "appeal-court", (REPORT,))]
    assert cited(appeal.orders) == [
        ("destroy the stock", (REPORT,)),
        ("withdraw the ORBYS sign", (REPORT,)),
    ]
    assert appeal.damages == () and appeal.payers == ()


def test_a_case_without_judgments_has_none(analyst: Analyst) -> None:
    assert analyst.judgments("novalux-v-nova-lux") == []


def test_an_unknown_case_is_an_error_with_close_ids(analyst: Analyst) -> None:
    with pytest.raises(NotFound) as raised:
        analyst.judgments("aws-cn-2019")
    assert "aws-cn-2019" in raised.value.message
    assert "aws-cn-2018" in (raised.value.suggestion or "")


def test_claims_are_read_with_their_claimant(analyst: Analyst) -> None:
    claims = analyst.claims(mark="AWS")
    assert [c.id.rsplit("/", 1)[1] for c in claims] == [
        "amazon-aws-cubes-logo-cn",
        "amazon-aws-smile-logo-cn",
        "amazon-first-use-aws-cn",
    ]
    cubes, smile, first_use = claims
    assert {c.claimant.value for c in claims} == {PARTY + "amazon"}
    # one filing claim, two dates: the WSJ's 2012 and The Register's 2017
    assert cited(smile.dates) == [
        ("2012", (GRAPH + "curation/wsj",)),
        ("2017", (GRAPH + "curation/theregister",)),
    ]
    assert cited(smile.kinds) == [
        (TM + "FilingClaim", (GRAPH + "curation/theregister", GRAPH + "curation/wsj"))
    ]
    assert smile.kinds[0].text == "filing claim"
    assert cited(cubes.dates) == [("2016", (GRAPH + "curation/theregister",))]
    assert cited(first_use.kinds) == [(TM + "FirstUseClaim", (ARTICLE,))]
    assert first_use.dates == ()
    assert cited(first_use.jurisdictions) == [(ID + "jurisdiction/CN", (ARTICLE,))]
    assert [m.text for m in first_use.marks] == ["AWS"]
    assert analyst.claims(party="Amazon") == claims
    assert analyst.claims(party="ActionSoft") == []


def test_two_claimants_of_one_claim_are_two_claims(analyst: Analyst) -> None:
    gmbh, ag = analyst.claims(mark="ORBIS")
    assert (gmbh.claimant.value, gmbh.claimant.statement.sources) == (
        PARTY + "orbis-gmbh",
        (FILING,),
    )
    assert cited(gmbh.dates) == [("2001", (FILING,))]
    assert cited(gmbh.jurisdictions) == [(ID + "jurisdiction/DE", (FILING,))]
    assert cited(ag.dates) == [("2005", (REPORT,))]  # not the filing's 2001
    assert ag.jurisdictions == ()  # the report gives none
    assert gmbh.dates[0].statement.facts == (
        (TM + "claimant", PARTY + "orbis-gmbh"),
        (TM + "claimedDate", "2001"),
    )
    assert analyst.claims(party="Orbys AG") == [ag]
    assert analyst.claims(mark="ORBIS", party="Orbis GmbH") == [gmbh]
    assert [c.claimant.text for c in analyst.claims(mark="Nova-Lux")] == ["Nova Lux GmbH"]


@pytest.mark.parametrize(("mark", "party"), [("AWZ", None), (None, "Amazn"), ("ORBIS", "Orbiz")])
def test_an_unknown_mark_or_claimant_is_an_error(
    analyst: Analyst, mark: str | None, party: str | None
) -> None:
    with pytest.raises(NotFound) as raised:
        analyst.claims(mark=mark, party=party)
    assert raised.value.suggestion and "did you mean" in raised.value.suggestion


def test_every_value_cites_exactly_the_graphs_stating_it(analyst: Analyst) -> None:
    """SPARQL ASK per cited graph (subjects and values may be any owl:sameAs member), no
    other graph stating it, and each answer's sources exactly its statements' graphs."""
    answers: list[object] = [analyst.judgments(case) for case in CASES]
    answers += [analyst.claims(), analyst.claims(mark="ORBIS")]
    assert all(answers[:4]) and answers[5]
    assert check_answer(analyst.graph, analyst.facts, answers) == []
    for judgments in answers[:4]:
        for judgment in judgments:  # type: ignore[attr-defined]
            values = [v for name in JUDGMENT_FIELDS for v in getattr(judgment, name)]
            assert tuple(v.statement for v in values) == judgment.statements


def test_the_checker_refuses_a_value_cited_to_a_source_that_does_not_state_it(
    analyst: Analyst,
) -> None:
    judgment = only(analyst.judgments("lumora-v-rival"))
    low = judgment.damages[0]
    wrong = dataclasses.replace(
        low, statement=dataclasses.replace(low.statement, sources=(EXTRACT, NEWS))
    )
    tampered = dataclasses.replace(judgment, damages=(wrong, *judgment.damages[1:]))
    faults = check_answer(analyst.graph, analyst.facts, tampered)
    assert any("lumora-news does not state" in f for f in faults), faults


def test_rows_show_each_value(analyst: Analyst) -> None:
    row = only(analyst.judgments("lumora-v-rival")).row()
    assert row["damages"] == "500000; 800000"
    assert row["payees"] == "Lumora Lighting Co., Ltd."
    assert analyst.claims(mark="ORBIS")[1].to_dict()["claimant"]["text"] == "Orbys AG"


# ------------------------------------------------------------------ GraphQL over HTTP

VALUE = "value text sources { graph title } identities { graph }"
JUDGMENT = f"""id caseId courtFromCase instance
  {
    " ".join(
        f"{name} {{ {VALUE} }}"
        for name in (
            "dates",
            "courts",
            "damages",
            "costs",
            "currencies",
            "approximateAmountsUsd",
            "payers",
            "payees",
            "orders",
            "descriptions",
        )
    )
}
  sources {{ graph }} statements {{ subject facts {{ property value }} sources {{ graph }} }}"""
CLAIM = f"""id claimant {{ {VALUE} party {{ name }} }}
  {" ".join(f"{name} {{ {VALUE} }}" for name in CLAIM_FIELDS)} sources {{ graph }}"""


def _shown(value: StatedValue) -> dict[str, object]:
    return {
        "value": value.value,
        "text": value.text,
        "sources": list(value.statement.sources),
        "identities": list(value.statement.identities),
    }


def _over_http(value: dict) -> dict[str, object]:
    return {
        "value": value["value"],
        "text": value["text"],
        "sources": [s["graph"] for s in value["sources"]],
        "identities": [s["graph"] for s in value["identities"]],
    }


def _expected_judgment(judgment: Judgment) -> dict[str, object]:
    return {
        "id": judgment.id,
        "case": judgment.case,
        "court_from_case": judgment.court_from_case,
        "instance": judgment.instance,
        **{name: [_shown(v) for v in getattr(judgment, name)] for name in JUDGMENT_FIELDS},
        "sources": [s.graph for s in judgment.sources],
        "statements": [(s.subject, list(s.facts), list(s.sources)) for s in judgment.statements],
    }


def _answered_judgment(found: dict) -> dict[str, object]:
    camel = {"approximate_amounts_usd": "approximateAmountsUsd"}
    return {
        "id": found["id"],
        "case": found["caseId"],
        "court_from_case": found["courtFromCase"],
        "instance": found["instance"],
        **{name: [_over_http(v) for v in found[camel.get(name, name)]] for name in JUDGMENT_FIELDS},
        "sources": [s["graph"] for s in found["sources"]],
        "statements": [
            (
                s["subject"],
                [(f["property"], f["value"]) for f in s["facts"]],
                [g["graph"] for g in s["sources"]],
            )
            for s in found["statements"]
        ],
    }


@pytest.mark.parametrize("case", CASES)
def test_graphql_judgments_match_the_service(analyst: Analyst, graphql: str, case: str) -> None:
    query = f"query($case: String!) {{ judgments(case: $case) {{ {JUDGMENT} }} }}"
    answer = post(graphql, query, {"case": case})
    assert "errors" not in answer, answer
    expected = [_expected_judgment(j) for j in analyst.judgments(case)]
    assert [_answered_judgment(j) for j in answer["data"]["judgments"]] == expected
    nested = post(
        graphql,
        f"query($id: ID!) {{ case(id: $id) {{ judgments {{ {JUDGMENT} }} }} }}",
        {"id": case},
    )
    assert "errors" not in nested, nested
    assert [_answered_judgment(j) for j in nested["data"]["case"]["judgments"]] == expected


def test_graphql_shows_the_lumora_amounts_with_their_sources(graphql: str) -> None:
    answer = post(
        graphql,
        """{ judgments(case: "lumora-v-rival") {
               damages { value sources { title } }
               payees { text party { name iris } identities { title } }
               case { number } } }""",
    )
    [judgment] = answer["data"]["judgments"]
    assert judgment["damages"] == [
        {"value": "500000", "sources": [{"title": "Register extract for LUMORA (fictional)"}]},
        {
            "value": "800000",
            "sources": [{"title": "Lamp Daily report on the LUMORA ruling (fictional)"}],
        },
    ]
    [payee] = judgment["payees"]
    assert payee["party"]["name"] == "Lumora Lighting Co., Ltd."
    assert PARTY + "lumora-company" in payee["party"]["iris"]
    assert payee["identities"] == [{"title": "Curators' notes on the LUMORA parties (fictional)"}]
    assert judgment["case"] == {"number": "(2018)粤73民初1号"}


@pytest.mark.parametrize(
    "arguments",
    [
        {"mark": "AWS"},
        {"party": "Amazon"},
        {"mark": "ORBIS"},
        {"mark": "ORBIS", "party": "Orbys AG"},
        {},
    ],
)
def test_graphql_claims_match_the_service(analyst: Analyst, graphql: str, arguments: dict) -> None:
    query = f"query($mark: String, $party: String) {{ claims(mark: $mark, party: $party) {{ {CLAIM} }} }}"
    answer = post(graphql, query, arguments)
    assert "errors" not in answer, answer
    expected: list[Claim] = analyst.claims(**arguments)
    assert expected
    found = answer["data"]["claims"]
    assert [c["id"] for c in found] == [c.id for c in expected]
    for shown, claim in zip(found, expected, strict=True):
        assert _over_http(shown["claimant"]) == _shown(claim.claimant)
        for name in CLAIM_FIELDS:
            assert [_over_http(v) for v in shown[name]] == [_shown(v) for v in getattr(claim, name)]
        assert [s["graph"] for s in shown["sources"]] == [s.graph for s in claim.sources]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ('{ judgments(case: "aws-cn-2019") { id } }', "'aws-cn-2018'"),
        ('{ claims(party: "Amazn") { id } }', "'Amazon.com Inc.'"),
        ('{ claims(mark: "AWZ") { id } }', "'AWS'"),
    ],
)
def test_graphql_unknown_names_are_errors_with_close_matches(
    graphql: str, query: str, named: str
) -> None:
    answer = post(graphql, query)
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert named in error["extensions"]["suggestion"]
    assert answer["data"] is None


def test_the_example_queries_read_the_seed(graphql: str) -> None:
    for name, field in (("judgments", "judgments"), ("claims", "claims")):
        [example] = [q for q in example_queries() if q.name == name]
        answer = post(graphql, example.query, example.variables)
        assert "errors" not in answer, answer
        assert answer["data"][field], name


def test_the_judgments_of_many_cases_are_read_at_once(orbis: Path) -> None:
    """Case.judgments goes through a per-request DataLoader: a party in two cases costs the
    store as many queries as a party in one."""
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([DATA / "conflicting-sources.trig", orbis])
    counting = CountingStore(graph.store)
    graph.store = counting  # type: ignore[assignment]
    query = (
        "query($p: String!) { party(name: $p) { cases { judgments { id damages { value } } } } }"
    )
    try:
        with ThreadedServer(create_app(graph, Settings(memory=True))) as server:
            for party in ("Rival Lamps Co.", "Orbis GmbH"):  # warm the caches
                post(server.graphql, query, {"p": party})
            counts, damages = [], []
            for party in ("Rival Lamps Co.", "Orbis GmbH"):
                before = counting.queries
                answer = post(server.graphql, query, {"p": party})
                counts.append(counting.queries - before)
                cases = answer["data"]["party"]["cases"]
                damages.append(
                    sorted(d["value"] for c in cases for j in c["judgments"] for d in j["damages"])
                )
    finally:
        graph.close()
    assert damages == [["500000", "800000"], ["12000", "3000"]]
    assert counts[0] == counts[1]
