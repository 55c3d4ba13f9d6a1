"""A token holder's SPARQL Update is validated against the shapes as a load is (helper-108
F4: one ill-typed statement made every analysis an internal error): its effect is judged on
the state it would leave, refused whole with 422 and the violations, nothing changed."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg import Settings
from kg.errors import QueryError, ValidationError
from kg.namespaces import PREFIXES
from kg.sparql.service import SparqlService
from tests.http_support import http_post
from tests.sparql_support import SparqlServer, seeded_service
from tests.test_ill_typed_updates import CN, ILL_TYPED

TOKEN = "update-validation-token-0123"


@pytest.fixture
def service() -> Iterator[SparqlService]:
    with seeded_service(Settings(memory=True, update_token=TOKEN)) as running:
        yield running


def _state(service: SparqlService) -> set[ox.Quad]:
    return set(service.graph.store.quads())


def _update(service: SparqlService, body: str) -> None:
    service.update("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> " + body, token=TOKEN)


def _mark_of(service: SparqlService, registration: str) -> str:
    rows = service.graph.store.query(
        f"SELECT ?m {{ <{registration}> tm:mark ?m }}", prefixes=PREFIXES
    )
    return next(iter(rows))["m"].value  # type: ignore[call-overload]


@pytest.mark.parametrize("statement", ILL_TYPED.values(), ids=list(ILL_TYPED))
def test_an_ill_typed_statement_is_refused_and_nothing_changes(service, statement) -> None:
    before = _state(service)
    with pytest.raises(ValidationError) as refused:
        _update(service, f"INSERT DATA {{ GRAPH <https://example.org/typo> {{ {statement} }} }}")
    assert str(refused.value).startswith("the update: ")
    assert "id:registration/cn-8967030" in str(refused.value)
    assert _state(service) == before


@pytest.mark.parametrize(
    "body",
    [
        # a required value removed
        f"DELETE WHERE {{ GRAPH ?g {{ <{CN}> tm:mark ?m }} }}",
        # a second value where one is allowed, among good ones
        f"INSERT DATA {{ GRAPH <urn:x:g> {{ <{CN}> tm:jurisdiction "
        "<https://w3id.org/tmkg/id/jurisdiction/US> . <urn:x:s> <urn:x:p> 1 } }",
        # a term tmkg does not define, in its namespace
        f"INSERT DATA {{ GRAPH <urn:x:g> {{ <{CN}> tm:nicClass <https://w3id.org/tmkg/id/nice/9> }} }}",
        # a good statement and a bad one in one update: neither is applied
        f"INSERT DATA {{ GRAPH <urn:x:g> {{ <urn:x:a> <urn:x:b> 2 . <{CN}> tm:owner <urn:x:nobody> }} }}",
        # written by a pattern, not as data
        'INSERT { GRAPH <urn:x:g> { ?r tm:filingDate "someday" } } WHERE { GRAPH ?g { ?r a tm:Registration } }',
    ],
    ids=["required removed", "two jurisdictions", "undefined term", "one bad of two", "pattern"],
)
def test_an_update_the_shapes_refuse_changes_nothing(service, body) -> None:
    before = _state(service)
    with pytest.raises(ValidationError):
        _update(service, body)
    assert _state(service) == before


ID = "https://w3id.org/tmkg/id/"
BLANK_REGISTRATION = (
    f"_:r a tm:Registration ; tm:mark <{ID}mark/aws> ; tm:owner <{ID}party/beijing-actionsoft> ; "
    f"tm:jurisdiction <{ID}jurisdiction/CN> ; tm:niceClass <{ID}nice/9>"
)


@pytest.mark.parametrize(
    "body",
    [
        # helper-109 F4: blank-node subjects were not judged (an owner "nobody" broke reports)
        f"INSERT DATA {{ GRAPH <urn:x:g> {{ _:r a tm:Registration ; tm:mark <{ID}mark/aws> ; "
        'tm:niceClass "x" ; tm:jurisdiction "CN" ; tm:owner "nobody" } }',
        f"INSERT DATA {{ GRAPH <urn:x:g> {{ _:r a tm:Registration ; tm:mark <{ID}mark/aws> }} }}",
        "INSERT DATA { GRAPH <urn:x:g> { _:m a tm:Mark } }",
        "INSERT DATA { GRAPH <urn:x:g> { "
        + BLANK_REGISTRATION.replace(f"<{ID}nice/9>", '"9"')
        + " } }",
        # helper-109 F2: nodes pointing at a node that loses its type are judged again
        f"DELETE WHERE {{ GRAPH ?g {{ <{ID}party/beijing-actionsoft> a ?t }} }}",
        f"DELETE WHERE {{ GRAPH ?g {{ <{ID}party/beijing-sinnet> ?p ?o }} }}",
        f"DELETE WHERE {{ GRAPH ?g {{ <{ID}mark/aws> a ?t }} }}",
    ],
    ids=[
        "blank ill-typed",
        "blank incomplete",
        "blank mark",
        "blank literal class",
        "party untyped",
        "party removed",
        "mark untyped",
    ],
)
def test_blank_nodes_and_the_nodes_pointing_at_a_change_are_judged(service, body) -> None:
    before = _state(service)
    with pytest.raises(ValidationError) as refused:
        _update(service, body)
    assert _state(service) == before
    if body.startswith("INSERT"):
        assert "_:" in str(refused.value) and "urn:x-tmkg" not in str(refused.value)


def test_a_subclass_statement_removed_is_a_type_lost(service) -> None:
    """helper-110 F1: Amazon typed by a class of the user's declared a subclass of tm:Party
    (allowed), then the declaration removed: what points at Amazon is judged again."""
    amazon = f"<{ID}party/amazon>"
    _update(
        service,
        "INSERT DATA { GRAPH <urn:x:onto> { <urn:x:Foo> rdfs:subClassOf tm:Party } } ; "
        f"DELETE {{ GRAPH ?g {{ {amazon} a ?t }} }} INSERT {{ GRAPH ?g {{ {amazon} a <urn:x:Foo> }} }} "
        f"WHERE {{ GRAPH ?g {{ {amazon} a ?t }} }}",
    )
    before = _state(service)
    for body in (
        "DELETE DATA { GRAPH <urn:x:onto> { <urn:x:Foo> rdfs:subClassOf tm:Party } }",
        "DROP GRAPH <urn:x:onto>",
        "DELETE WHERE { GRAPH ?g { <urn:x:Foo> ?p ?o } }",
    ):
        with pytest.raises(ValidationError, match="that is a tm:Party"):
            _update(service, body)
        assert _state(service) == before


def test_a_well_formed_blank_registration_is_applied(service) -> None:
    _update(service, f"INSERT DATA {{ GRAPH <urn:x:g> {{ {BLANK_REGISTRATION} }} }}")
    assert service.graph.ask(f"ASK {{ GRAPH <urn:x:g> {{ ?r tm:niceClass <{ID}nice/9> }} }}")


def test_updates_the_shapes_allow_are_applied(service) -> None:
    other_cn = service.graph.store.query(
        f"SELECT ?r {{ ?r a tm:Registration ; tm:mark ?m FILTER(?r != <{CN}>) }} LIMIT 1",
        prefixes=PREFIXES,
    )
    other = _mark_of(service, next(iter(other_cn))["r"].value)  # type: ignore[call-overload]
    mark = _mark_of(service, CN)
    # a value replaced where one is allowed: the old one is not counted beside the new one
    _update(
        service,
        f"DELETE {{ GRAPH ?g {{ <{CN}> tm:mark <{mark}> }} }} "
        f"INSERT {{ GRAPH ?g {{ <{CN}> tm:mark <{other}> }} }} "
        f"WHERE {{ GRAPH ?g {{ <{CN}> tm:mark <{mark}> }} }}",
    )
    assert _mark_of(service, CN) == other
    # data outside tmkg's vocabulary, and a well-formed date
    _update(
        service,
        'INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> "anything" . '
        f'<{CN}> tm:filingDate "2010-01-01"^^xsd:date }} }}',
    )
    assert service.graph.ask('ASK { <urn:x:s> <urn:x:p> "anything" }')
    # everything said about a registration removed: nothing left to judge
    _update(service, f"DELETE WHERE {{ GRAPH ?g {{ <{CN}> ?p ?o }} }}")
    assert not service.graph.ask(f"ASK {{ <{CN}> ?p ?o }}")


def test_the_endpoint_answers_422_and_keeps_the_store(tmp_path) -> None:
    token = tmp_path / "token"
    token.write_text(TOKEN)
    with SparqlServer("--store", tmp_path / "store", "--update-token-file", token) as server:
        server.wait_ready()
        count = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
        before = server.select(count)
        response = http_post(
            server.endpoint,
            data={
                "update": "PREFIX tm: <https://w3id.org/tmkg/ontology#> "
                f'INSERT DATA {{ GRAPH <urn:x:typo> {{ <{CN}> tm:niceClass "42" }} }}'
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        assert response.status_code == 422, response.text
        assert "tm:niceClass must be a Nice class" in response.text
        assert "Traceback" not in response.text
        assert server.select(count) == before
        graphql = http_post(
            server.url + "/graphql",
            json={"query": "{ conflicts(first: 1) { totalCount } }"},
            timeout=60,
        )
        assert graphql.status_code == 200 and "errors" not in graphql.json(), graphql.text


@pytest.mark.parametrize(
    ("link", "refused"),
    [
        # helper-110 F3: one owl:sameAs merged the AWS mark with China and emptied every answer
        (f"<{ID}mark/aws> owl:sameAs <{ID}jurisdiction/CN>", "reference data"),
        (f"<{ID}party/amazon> owl:sameAs <{ID}nice/9>", "reference data"),
        (f'<{ID}party/amazon> owl:sameAs "Amazon"', "two IRIs of one thing"),
        (f"<{ID}party/amazon> owl:sameAs _:b", "two IRIs of one thing"),
        (f"<{ID}party/amazon> owl:sameAs <{ID}mark/aws>", "a tm:Party with a tm:Mark"),
        (f"<{ID}registration/cn-8967030> owl:sameAs <{ID}party/amazon>", "of one kind"),
        (f"<{ID}party/amazon> owl:sameAs <{ID}party/beijing-sinnet>", None),
        (f"<{ID}party/amazon> owl:sameAs <http://www.wikidata.org/entity/Q3884>", None),
    ],
)
def test_same_as_links_two_iris_of_one_kind(service, link, refused) -> None:
    before = _state(service)
    body = f"INSERT DATA {{ GRAPH <urn:x:same> {{ {link} }} }}"
    if refused is None:
        _update(service, body)
        assert _state(service) != before
        return
    with pytest.raises(ValidationError, match=refused):
        _update(service, body)
    assert _state(service) == before


@pytest.mark.parametrize("on_disk", [False, True], ids=["through Python", "streamed"])
@pytest.mark.parametrize(
    ("link", "refused"),
    [
        (f"<{ID}mark/aws> owl:sameAs <{ID}jurisdiction/CN>", "reference data"),
        (f"<{ID}party/amazon> owl:sameAs <{ID}mark/aws>", "a tm:Party with a tm:Mark"),
        (f'<{ID}party/amazon> owl:sameAs "Amazon"', "two IRIs of one thing"),
    ],
)
def test_a_file_with_a_bad_same_as_is_refused(
    tmp_path, on_disk, link, refused, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import KnowledgeGraph

    monkeypatch.setattr("kg.ingest.load.PYTHON_MAX_BYTES", -1)  # on disk, streamed

    data = tmp_path / "same.ttl"
    data.write_text(f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n{link} .\n")
    settings = Settings(store_path=tmp_path / "store") if on_disk else Settings(memory=True)
    with KnowledgeGraph.open(settings) as graph:
        graph.load_seed()
        before = set(graph.store.quads())
        with pytest.raises(ValidationError, match=refused):
            graph.load([data])
        assert set(graph.store.quads()) == before


def _concat(times: int) -> str:
    """An update storing the seed's objects concatenated `times` over (~250,000 characters
    each time): a term no load would take."""
    parts = ",".join(["?x"] * times)
    return (
        "INSERT { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> ?big } } WHERE { { "
        f"SELECT (CONCAT({parts}) AS ?big) {{ {{ SELECT "
        '(GROUP_CONCAT(STR(?o); separator=" ") AS ?x) { GRAPH ?g { ?s ?p ?o } } } } } }'
    )


@pytest.mark.parametrize(
    ("body", "error", "said"),
    [
        # helper-110 F7: built terms past the load's limits were stored (kg export then
        # wrote a file no load reads back), and past 16 MiB the server answered 500
        (_concat(10), ValidationError, "longer than the 1,000,000 allowed"),
        (_concat(100), QueryError, "longer than 16 MiB"),
        (
            "INSERT { GRAPH <urn:x:g> { ?i <urn:x:p> 1 } } WHERE { { SELECT (IRI(CONCAT("
            '"urn:x:", ENCODE_FOR_URI(GROUP_CONCAT(STR(?o); separator="")))) AS ?i) '
            "{ GRAPH ?g { ?s ?p ?o } } } }",
            ValidationError,
            "longer than the 65,536 allowed",
        ),
    ],
    ids=["literal over 1,000,000", "literal over 16 MiB", "IRI over 65,536"],
)
def test_an_update_may_not_build_terms_a_load_refuses(service, body, error, said) -> None:
    before = _state(service)
    with pytest.raises(error, match=said):
        _update(service, body)
    assert _state(service) == before


def test_a_blank_owner_is_read_when_its_registration_is_added_to(service) -> None:
    """helper-110 F4: a registration owned by a blank-node company, stored by one update,
    could not be added to by the next (422 'owner … is not a tm:Party')."""
    _update(
        service,
        f"INSERT DATA {{ GRAPH <urn:x:b> {{ _:r a tm:Registration ; tm:mark <{ID}mark/aws> ; "
        f"tm:owner _:p ; tm:jurisdiction <{ID}jurisdiction/US> ; tm:niceClass <{ID}nice/9> . "
        '_:p a tm:Company ; schema:name "Blank Owner Ltd" } }',
    )
    _update(
        service,
        f"INSERT {{ GRAPH <urn:x:b> {{ ?r tm:niceClass <{ID}nice/42> }} }} "
        "WHERE { GRAPH <urn:x:b> { ?r a tm:Registration } }",
    )
    assert service.graph.ask(
        f"ASK {{ ?r tm:niceClass <{ID}nice/42> ; tm:owner ?p . ?p a tm:Company }}"
    )
    with pytest.raises(ValidationError, match="a tm:Party"):  # still judged: now no party
        _update(service, "DELETE WHERE { GRAPH <urn:x:b> { ?p a tm:Company } }")
