"""GraphQL at /graphql on a real `kg serve` (seed case, in memory), over HTTP with httpx and
with a real GraphQL client (gql); answers checked against the service the CLI calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport

from kg.analysis.service import Analyst
from kg.api.graphql.playground import example_queries
from tests.graphql_support import GraphQLServer, post
from tests.http_support import http_get, http_post

ID = "https://w3id.org/tmkg/id/"
WHO = """query($mark: String!, $niceClass: Int, $jurisdiction: String, $excluding: String,
                $asOf: Date, $minSimilarity: Float) {
  whoElseUses(mark: $mark, niceClass: $niceClass, jurisdiction: $jurisdiction,
              excluding: $excluding, asOf: $asOf, minSimilarity: $minSimilarity) {
    party { id name aliases } mark { id text } kind niceClasses jurisdiction { code }
    since similarity reasons sources { id title }
  }
}"""


@pytest.fixture(scope="module")
def server() -> Iterator[GraphQLServer]:
    with GraphQLServer("--memory") as running:
        yield running


@pytest.fixture(scope="module")
def client(server: GraphQLServer) -> Iterator[Client]:
    with Client(transport=HTTPXTransport(url=server.graphql, timeout=60)) as session:
        yield session  # type: ignore[misc]


# Root fields whose data the seed case does not hold (its dispute was in court, not before an
# office): their examples must run without errors; their answers are tested on fixtures
# (tests/test_proceedings.py).
EMPTY_ON_THE_SEED = {"proceedings"}
# Root fields about watches, which the seed case does not keep: their examples run on a graph
# with watches in tests/test_watch_delivery.py.
WATCH_FIELDS = {"watches", "watch", "watchHits"}


@pytest.mark.parametrize(
    "example",
    [q for q in example_queries() if q.root_field not in WATCH_FIELDS],
    ids=lambda q: q.name,
)
def test_every_example_query_answers_the_seed(server: GraphQLServer, example) -> None:
    answer = post(server.graphql, example.query, example.variables)
    assert "errors" not in answer, answer.get("errors")
    value = answer["data"][example.root_field]
    if example.root_field in EMPTY_ON_THE_SEED:
        assert value == [], f"{example.name}: the seed case has no such data"
        return
    assert value, f"{example.name} gave an empty answer on the seed"


def test_who_else_uses_matches_the_service(server: GraphQLServer, seeded) -> None:
    variables = {"mark": "AWS", "niceClass": 42, "jurisdiction": "CN", "excluding": "Amazon"}
    hits = post(server.graphql, WHO, variables)["data"]["whoElseUses"]
    expected = Analyst(seeded).who_else_uses(
        "AWS", nice_class=42, jurisdiction="CN", excluding="Amazon"
    )
    assert [(h["party"]["id"], h["kind"], h["since"], h["similarity"]) for h in hits] == [
        (e.party.id, e.kind.value, e.since, e.similarity) for e in expected
    ]
    by_party = {h["party"]["name"]: h for h in hits}
    actionsoft = by_party["Beijing ActionSoft Science & Technology Development Co., Ltd."]
    assert actionsoft["kind"] == "REGISTERED_OWNER"
    assert "Beijing Yanhuang Yingxing Technology Development Co." in actionsoft["party"]["aliases"]
    assert actionsoft["mark"] == {"id": ID + "mark/aws", "text": "AWS"}
    assert actionsoft["jurisdiction"] == {"code": "CN"}
    assert actionsoft["sources"] and all(s["id"] and s["title"] for s in actionsoft["sources"])
    assert by_party["Beijing Sinnet Technology Co., Ltd."]["kind"] == "OPERATOR"
    assert "Amazon.com Inc." not in by_party


def test_who_else_uses_as_of_a_date(server: GraphQLServer) -> None:
    hits = post(server.graphql, WHO, {"mark": "AWS", "jurisdiction": "CN", "asOf": "2007-01-01"})
    names = {h["party"]["name"] for h in hits["data"]["whoElseUses"]}
    assert "Ningxia Western Cloud Data Technology Co., Ltd." not in names  # only from 2017


def test_gql_client_with_variables(client: Client) -> None:
    request = GraphQLRequest(WHO, variable_values={"mark": "a.w.s.", "niceClass": 9})
    result = client.execute(request)
    assert {hit["mark"]["text"] for hit in result["whoElseUses"]} == {"AWS"}
    assert all(hit["reasons"] for hit in result["whoElseUses"])


def test_unknown_party_is_an_error_naming_it_and_close_matches(client: Client) -> None:
    with pytest.raises(TransportQueryError) as caught:
        client.execute(gql('{ party(name: "Amazn") { name } }'))
    (error,) = caught.value.errors  # type: ignore[misc]
    assert "'Amazn'" in error["message"] and "Amazon.com Inc." in error["message"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "Amazon.com Inc." in error["extensions"]["suggestion"]
    assert error["path"] == ["party"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ('{ mark(text: "AWX9") { id } }', "'AWX9'"),
        ('{ whoElseUses(mark: "AWS", excluding: "Amazn") { kind } }', "'Amazn'"),
        ('{ conflictPath(from: "Amazon", to: "Nobody Inc") { length } }', "'Nobody Inc'"),
        ('{ timeline(party: "Sinet") { date } }', "'Sinet'"),
        ('{ case(id: "aws-cn-2019") { number } }', "'aws-cn-2019'"),
    ],
)
def test_unknown_names_are_not_found_errors(server: GraphQLServer, query: str, named: str) -> None:
    answer = post(server.graphql, query)
    (error,) = answer["errors"]
    assert named in error["message"]
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_bad_arguments_are_bad_request(server: GraphQLServer) -> None:
    answer = post(server.graphql, '{ whoElseUses(mark: "AWS", niceClass: 99) { kind } }')
    (error,) = answer["errors"]
    assert error["message"].startswith("Nice class 99 does not exist")
    assert error["extensions"] == {
        "code": "BAD_REQUEST",
        "suggestion": "classes run from 1 to 45",
        "argument": "niceClass",
    }
    # the message names the argument as the query wrote it (trial finding)
    low = post(server.graphql, '{ whoElseUses(mark: "AWS", minSimilarity: 1.5) { kind } }')
    (error,) = low["errors"]
    assert "minSimilarity" in error["message"] and "min_similarity" not in error["message"]
    invalid = post(server.graphql, "{ party { name } }")
    assert invalid["errors"][0]["extensions"]["code"] == "INVALID_QUERY"
    # a jurisdiction that is no code at all is a bad argument, not a missing one
    uk = post(server.graphql, '{ whoElseUses(mark: "AWS", jurisdiction: "UK") { kind } }')
    (error,) = uk["errors"]
    assert error["message"].endswith("the ISO 3166-1 code of the United Kingdom is GB")
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["argument"] == "jurisdiction"


def test_conflicts_pages_follow_the_cursor(server: GraphQLServer) -> None:
    query = """query($first: Int, $after: String) {
      conflicts(jurisdiction: "CN", first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { parties { name } marks { text } score reasons } }
      }
    }"""
    whole = post(server.graphql, query, {"first": 100})["data"]["conflicts"]
    assert whole["totalCount"] == len(whole["edges"]) >= 2
    assert not whole["pageInfo"]["hasNextPage"]
    scores = [edge["node"]["score"] for edge in whole["edges"]]
    assert scores == sorted(scores, reverse=True)
    first = post(server.graphql, query, {"first": 1})["data"]["conflicts"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    following = post(server.graphql, query, {"first": 1, "after": first["pageInfo"]["endCursor"]})
    second = following["data"]["conflicts"]
    assert second["pageInfo"]["hasPreviousPage"]
    assert [first["edges"][0]["node"], second["edges"][0]["node"]] == [
        edge["node"] for edge in whole["edges"][:2]
    ]
    node = whole["edges"][0]["node"]
    assert len(node["parties"]) == 2 and node["marks"][0]["text"] == "AWS" and node["reasons"]
    bad = post(server.graphql, query, {"first": 1, "after": "not-a-cursor"})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "endCursor" in bad["errors"][0]["extensions"]["suggestion"]
    too_many = post(server.graphql, "{ conflicts(first: 101) { totalCount } }")
    assert "between 0 and 100" in too_many["errors"][0]["message"]


def test_conflict_path_steps(server: GraphQLServer) -> None:
    query = """{ conflictPath(from: "Amazon", to: "ActionSoft") {
        length steps { from { id label } predicate to { id label } explanation } } }"""
    path = post(server.graphql, query)["data"]["conflictPath"]
    assert path["length"] == len(path["steps"]) == 2
    assert path["steps"][0]["from"] == {"id": ID + "party/amazon", "label": "Amazon.com Inc."}
    assert path["steps"][-1]["to"]["id"] == ID + "party/beijing-actionsoft"
    assert path["steps"][0]["predicate"] == "https://w3id.org/tmkg/ontology#user"  # uses AWS
    assert all(step["explanation"] for step in path["steps"])


def test_priority_in_china_goes_to_actionsoft(server: GraphQLServer) -> None:
    query = """{ priority(mark: "AWS", niceClass: 42, jurisdiction: "CN") {
        holder { name } rule date explanation competingClaims { party { name } basis date } } }"""
    found = post(server.graphql, query)["data"]["priority"]
    assert found["holder"]["name"].startswith("Beijing ActionSoft")
    assert found["rule"] == "first-to-file"
    assert found["date"] == "2004-09"
    assert "Amazon.com Inc." in {c["party"]["name"] for c in found["competingClaims"]}


def test_nested_objects_a_user_follows(server: GraphQLServer) -> None:
    query = """{
      party(name: "Sinnet") { name uses { kind onBehalfOf { name } sources { title } }
                              cases { number events { kind } } sources { id } }
      mark(text: "AWS") { registrations { number owner { name } sources { title } } }
      case(id: "(2018)京民初127号") { id plaintiffs { name } defendants { name }
                                      events { date kind sources { title } } }
    }"""
    data = post(server.graphql, query)["data"]
    sinnet = data["party"]
    assert {use["onBehalfOf"]["name"] for use in sinnet["uses"]} == {"Amazon.com Inc."}
    assert sinnet["cases"][0]["number"] == "(2018)京民初127号"
    assert {"judgment", "appeal"} <= {e["kind"] for e in sinnet["cases"][0]["events"]}
    numbers = {r["number"] for r in data["mark"]["registrations"]}
    assert {"4249189", "8967030", "8967031"} <= numbers
    assert data["case"]["id"] == ID + "case/aws-cn-2018"
    dates = [e["date"] for e in data["case"]["events"] if e["date"]]
    assert dates == sorted(dates)


def test_search_finds_parties_marks_and_cases(server: GraphQLServer) -> None:
    query = """query($text: String!) { search(text: $text) {
        kind label score party { name } mark { text } case { number } } }"""
    party = post(server.graphql, query, {"text": "ActionSoft"})["data"]["search"][0]
    assert party["kind"] == "PARTY" and party["party"]["name"].startswith("Beijing ActionSoft")
    mark = post(server.graphql, query, {"text": "a.w.s"})["data"]["search"][0]
    assert mark["kind"] == "MARK" and mark["mark"] == {"text": "AWS"}
    case = post(server.graphql, query, {"text": "127"})["data"]["search"][0]
    assert case["kind"] == "CASE" and case["case"]["number"] == "(2018)京民初127号"


def test_timeline_and_contradictions(server: GraphQLServer) -> None:
    data = post(
        server.graphql,
        """{ timeline(case: "aws-cn-2018") { date kind sources { title } }
             contradictions { subject { label } kind sides { value sources { title } } } }""",
    )["data"]
    assert data["timeline"][0]["kind"] == "lawsuit filed"
    assert any(c["kind"] and len(c["sides"]) >= 2 for c in data["contradictions"])


def test_get_with_a_query_parameter(server: GraphQLServer) -> None:
    response = http_get(
        server.graphql, params={"query": '{ party(name: "NWCD") { name } }'}, timeout=30
    )
    assert response.json()["data"]["party"]["name"].startswith("Ningxia Western Cloud")


def test_a_browser_gets_the_offline_playground(server: GraphQLServer) -> None:
    page = http_get(server.graphql, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "/graphql/static/graphiql.min.js" in page.text
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    for name in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        asset = http_get(f"{server.url}/graphql/static/{name}", timeout=30)
        assert asset.status_code == 200 and len(asset.content) > 1000
    assert http_get(f"{server.url}/graphql/static/package.json").status_code == 404


UPDATE = """INSERT DATA { GRAPH <https://example.org/graph/zephyr> {
  <https://example.org/mark/zephyrq> a tm:Mark ; tm:text "ZEPHYRQ" .
  <https://example.org/party/zephyr> a tm:Company ; schema:name "Zephyr Cloud Ltd"@en .
  <https://example.org/registration/zephyr-aws> a tm:Registration ;
      tm:mark <https://w3id.org/tmkg/id/mark/aws> ; tm:owner <https://example.org/party/zephyr> ;
      tm:jurisdiction <https://w3id.org/tmkg/id/jurisdiction/CN> ;
      tm:niceClass <https://w3id.org/tmkg/id/nice/42> ; tm:filingDate "2019-01-01"^^xsd:date .
} }"""


def test_answers_follow_a_sparql_update() -> None:
    with GraphQLServer("--memory", env={"KG_UPDATE_TOKEN": "secret"}) as server:
        before = post(server.graphql, "{ conflicts { totalCount } }")["data"]["conflicts"]
        missing = post(server.graphql, '{ mark(text: "ZEPHYRQ") { id } }')
        assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        response = http_post(
            server.url + "/sparql",
            content=UPDATE.encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": "Bearer secret",
            },
            timeout=30,
        )
        assert response.status_code in (200, 204), response.text
        after = post(
            server.graphql,
            """{ conflicts { totalCount } mark(text: "ZEPHYRQ") { id }
                 party(name: "Zephyr") { registrations { number mark { text } } } }""",
        )
    assert "errors" not in after, after["errors"]
    assert after["data"]["conflicts"]["totalCount"] > before["totalCount"]
    assert after["data"]["mark"]["id"] == "https://example.org/mark/zephyrq"
    assert after["data"]["party"]["registrations"] == [{"number": None, "mark": {"text": "AWS"}}]


COMPARE = """query($earlier: String!, $later: String!, $jurisdiction: String,
                   $minSimilarity: Float) {
  compareMarks(earlier: $earlier, later: $later, jurisdiction: $jurisdiction,
               minSimilarity: $minSimilarity) {
    earlier later score similar minSimilarity reasons notes comparedEarlier comparedLater
    romanizedEarlier romanizedLater jurisdiction
  }
}"""


@pytest.mark.parametrize(
    "variables",
    [
        {"earlier": "UBER", "later": "UBER EATS"},
        {"earlier": "CAMEL ACTIVE", "later": "骆驼", "minSimilarity": 0.5},
        {"earlier": "圖形", "later": "ACME", "jurisdiction": "tw"},
        {"earlier": "STEELCASE INC.", "later": "APPLE"},
    ],
)
def test_compare_marks_matches_the_service(server: GraphQLServer, variables: dict) -> None:
    answer = post(server.graphql, COMPARE, variables)["data"]["compareMarks"]
    expected = Analyst.compare(
        variables["earlier"],
        variables["later"],
        jurisdiction=variables.get("jurisdiction"),
        min_similarity=variables.get("minSimilarity", 0.8),
    )
    assert answer == {
        "earlier": expected.earlier,
        "later": expected.later,
        "score": expected.score,
        "similar": expected.similar,
        "minSimilarity": expected.min_similarity,
        "reasons": list(expected.reasons),
        "notes": list(expected.notes),
        "comparedEarlier": expected.compared_earlier,
        "comparedLater": expected.compared_later,
        "romanizedEarlier": expected.romanized_earlier,
        "romanizedLater": expected.romanized_later,
        "jurisdiction": expected.jurisdiction,
    }


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"earlier": "AWS", "later": ""}, "later"),
        ({"earlier": "!!!", "later": "AWS"}, "earlier"),
        ({"earlier": "AWS", "later": "AWZ", "jurisdiction": "UK"}, "jurisdiction"),
        ({"earlier": "AWS", "later": "AWZ", "minSimilarity": -1}, "minSimilarity"),
    ],
)
def test_compare_marks_refuses_bad_arguments(
    server: GraphQLServer, variables: dict, argument: str
) -> None:
    (error,) = post(server.graphql, COMPARE, variables)["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["argument"] == argument


def test_a_party_s_aliases_are_cited(server: GraphQLServer, seeded) -> None:
    """`Party.aliasStatements`: each alias with the sources stating it, as the service cites it
    (`PartyRef.alias_statements`), in the order of `aliases`."""
    query = """{ party(name: "Sinnet") { aliases
        aliasStatements { subject facts { property value } sources { graph title } } } }"""
    answer = post(server.graphql, query)
    assert "errors" not in answer, answer
    party = answer["data"]["party"]
    said = party["aliasStatements"]
    assert [s["facts"][0]["value"] for s in said] == party["aliases"]
    expected = Analyst(seeded).find_party("Sinnet").alias_statements
    assert [[source["graph"] for source in s["sources"]] for s in said] == [
        list(e.sources) for e in expected
    ]
    assert all(source["title"] for s in said for source in s["sources"])
