"""A register record's details through `kg import` (issue 14): goods and services per class
and language, priority claims, first use, translations, representatives, prosecution events,
ownership changes, Madrid designations and USPTO design search codes — mapped by
`kg.registries.details`, validated by the shapes, stored, and read back by the answers
(the service, GraphQL over HTTP and the `kg` CLI).

The records are built directly (invented marks and companies), as the readers would yield
them, and go through the importer's own mapping (`registry_quads`) and commit (`load_quads`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.api.app import create_app
from kg.errors import ValidationError
from kg.ingest.load import load_quads
from kg.ingest.validate import validate_quads
from kg.registries.details import EVENT_LINK, OWNED_LINKS, design_search_code, detail_quads
from kg.registries.importer import import_registry, read_registry, registry_quads
from kg.registries.records import (
    Designation,
    GoodsServices,
    Owner,
    OwnershipChange,
    PriorityClaim,
    RegisterEvent,
    RegistryRecord,
    RowErrors,
    TaggedText,
    date_literal,
)
from tests.conftest import run_kg
from tests.graphql_support import ThreadedServer, post

ID = "https://w3id.org/tmkg/id/"
REG = ID + "registration/"
GRAPH = ID + "graph/import/details"
TM = "https://w3id.org/tmkg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
d = date_literal
LUMEN, ORCHARD = "Lumenfield Example LLC", "Orchard Light Example Ltd"
ASSIGNS = "ASSIGNS THE ENTIRE INTEREST AND THE GOODWILL"


def en(text: str) -> TaggedText:
    return TaggedText(text, "en")


# A US registration with goods and services in two languages, Nice and US classes (038 also in
# national_classes, 100 only in its goods and services), per-class first use, statements,
# representatives and design codes.
LUMENFIELD = RegistryRecord(
    line=2,
    mark="LUMENFIELD",
    owners=(Owner(LUMEN, "company", "US"),),
    jurisdiction="US",
    number="97000001",
    application_number="97000001",
    registration_number="7000001",
    classes=(9,),
    national_classes=("038",),
    filing_date=d("2021-06-15"),
    registration_date=d("2022-03-01"),
    goods_services=(
        GoodsServices(
            nice=9,
            texts=(en("Lamps; light sensors"), TaggedText("Lámparas; sensores de luz", "es")),
            version="12-2025",
            first_used_date=d("2019-02-01"),
            first_used_commerce_date=d("2019-05-10"),
        ),
        GoodsServices(
            nice=42,
            texts=(en("Design of lighting systems"),),
            first_used_date=d("2020"),
            first_used_commerce_date=d("2020-03"),
        ),
        GoodsServices(national="038", texts=(en("Electrical apparatus"),)),
        GoodsServices(national="100", texts=(en("Miscellaneous"),)),
    ),
    verbal_element=en("LUMEN FIELD"),
    translations=(en('The English translation of "LUMEN" in the mark is "light".'),),
    transliterations=(TaggedText("LUMEN FIELD", "zh-Latn-pinyin"),),
    disclaimers=(
        en('No claim is made to the exclusive right to use "FIELD" apart from the mark.'),
    ),
    representatives=(Owner("Sam B. Example"), Owner("Example & Partners LLP", "company", "US")),
    publication_date=d("2021-11-02"),
    opposition_period=(d("2021-11-02"), d("2021-12-02")),
    design_codes=("26.01.21", "260103"),
)
# A US competitor for the same mark: filed later than LUMENFIELD's first use in commerce.
BRIGHTFIELD = RegistryRecord(
    line=3,
    mark="LUMENFIELD",
    owners=(Owner("Brightfield Example Inc.", "company", "US"),),
    jurisdiction="US",
    number="97000003",
    classes=(9,),
    filing_date=d("2020-01-10"),
    registration_date=d("2020-09-01"),
)
# An international registration: designations (EM protected, US refused, CN later), a
# prosecution history and a chain of title with co-owner assignees.
ORCHARDLIGHT = RegistryRecord(
    line=4,
    mark="ORCHARDLIGHT",
    owners=(Owner(ORCHARD, "company", "NZ"),),
    jurisdiction="WO",
    number="1500001",
    registration_number="1500001",
    classes=(31,),
    filing_date=d("2020-02-20"),
    registration_date=d("2020-02-20"),
    status_code="REG",
    designations=(
        Designation("EM", d("2020-02-20"), "Registered", d("2020-10-01")),
        Designation("US", d("2020-02-20"), "Refused", d("2021-01-05")),
        Designation("CN", d("2022-05-03")),
    ),
    events=(
        RegisterEvent(d("2020-02-20"), "NWAP", "NEW APPLICATION ENTERED", "filing"),
        RegisterEvent(d("2020-08-27"), "CNSA", "APPROVED FOR PUB - PRINCIPAL REGISTER"),
        RegisterEvent(d("2020-08-27"), "CNSA", "APPROVED FOR PUB - PRINCIPAL REGISTER"),
        RegisterEvent(d("2020-09-01"), None, "Examiner's amendment entered"),
        RegisterEvent(d("2020-09-01"), None, "Notice of allowance sent"),
        RegisterEvent(d("2020-10-01"), "RNWL", "RENEWAL ACCEPTED", "renewal"),
        RegisterEvent(d("2020-10-02"), "XX", "Something else", "not-a-kind"),
    ),
    ownership_changes=(
        OwnershipChange(
            "assignment",
            assignees=(Owner("Ann Example", "person", "NZ"), Owner("Ben Example", "person", "AU")),
            assignors=(Owner(ORCHARD),),
            date=d("2023-01-10"),
            recordal_date=d("2023-02-01"),
            conveyance_text=ASSIGNS,
        ),
        OwnershipChange(
            "security-interest",
            assignees=(Owner("Example Bank, N.A."),),
            assignors=(Owner("Ann Example", "person"),),
            recordal_date=d("2023-03-01"),
            conveyance_text="SECURITY AGREEMENT",
        ),
        OwnershipChange(  # neither date: cannot be placed in the chain, left out
            "merger", assignees=(Owner("Nobody Example Ltd"),), assignors=(Owner(ORCHARD),)
        ),
    ),
)
# Paris priority in a first-to-file jurisdiction: a valid claim (US, within six months) and
# one made too late (EM, more than six months before the filing).
NORTHBEAM = RegistryRecord(
    line=5,
    mark="NORTHBEAM",
    owners=(Owner("Northbeam Example Co., Ltd.", "company", "CN"),),
    jurisdiction="CN",
    number="70000001",
    classes=(9,),
    filing_date=d("2022-05-20"),
    priority_claims=(
        PriorityClaim("US", d("2022-01-10"), "97123456"),
        PriorityClaim("EM", d("2021-10-01"), "018500001"),
    ),
)
LOCAL = RegistryRecord(
    line=6,
    mark="NORTHBEAM",
    owners=(Owner("Local Example Trading Co.", "company", "CN"),),
    jurisdiction="CN",
    number="70000002",
    classes=(9,),
    filing_date=d("2022-03-01"),
)
RECORDS = (LUMENFIELD, BRIGHTFIELD, ORCHARDLIGHT, NORTHBEAM, LOCAL)


def import_records(store: object, records: tuple[RegistryRecord, ...] = RECORDS) -> int:
    """Map `records` as `kg import` does and commit them; the number of quads added."""
    file = registry_quads(records, name="details.csv", errors=RowErrors("details.csv"))
    report = load_quads(store, file.quads, files=[file.name], origins=file.origins)  # type: ignore[arg-type]
    return report.quads_added


@pytest.fixture(scope="module")
def graph() -> Iterator[KnowledgeGraph]:
    opened = KnowledgeGraph.open(Settings(memory=True))
    assert import_records(opened.store) > 0
    opened.changed()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def graphql(graph: KnowledgeGraph) -> Iterator[str]:
    with ThreadedServer(create_app(graph, Settings(memory=True))) as server:
        yield server.graphql


def select(graph: KnowledgeGraph, where: str) -> list[tuple[str | None, ...]]:
    """Rows of a SELECT over the import's graph: a tuple of each row's values by variable
    name in alphabetical order (a language tag kept as "text@lang", unbound as None), sorted."""
    names = sorted(set(re.findall(r"\?(\w+)", where)))
    query = f"SELECT {' '.join('?' + n for n in names)} WHERE {{ GRAPH <{GRAPH}> {{ {where} }} }}"
    out = []
    for row in graph.query(query):
        values: list[str | None] = []
        for name in names:
            term = row[name]
            if isinstance(term, ox.Literal) and term.language:
                values.append(f"{term.value}@{term.language}")
            else:
                values.append(term.value if term is not None else None)
        out.append(tuple(values))
    return sorted(out, key=lambda r: tuple(v or "" for v in r))


def quads_of(record: RegistryRecord) -> list[ox.Quad]:
    registration = ox.NamedNode(f"{REG}{record.jurisdiction.lower()}-{record.number}")
    return detail_quads(registration, record, ox.NamedNode(GRAPH))


def objects(quads: list[ox.Quad], subject: str, term: str) -> list[str]:
    return sorted(
        q.object.value
        for q in quads
        if q.subject.value == subject and q.predicate.value == TM + term
    )


# ------------------------------------------------------------------ validation, idempotence


def test_importing_the_same_records_again_adds_nothing(graph: KnowledgeGraph) -> None:
    assert import_records(graph.store) == 0


def test_a_detail_the_shapes_refuse_rejects_the_import() -> None:
    """Two editions for one class's goods and services: the shapes refuse, nothing is written."""
    broken = RegistryRecord(
        line=7,
        mark="TWICE",
        owners=(Owner("Twice Example Ltd", "company"),),
        jurisdiction="GB",
        number="UK00000000001",
        classes=(25,),
        goods_services=(
            GoodsServices(nice=25, texts=(en("Clothing"),), version="11-2024"),
            GoodsServices(nice=25, texts=(en("Footwear"),), version="12-2025"),
        ),
    )
    fresh = KnowledgeGraph.open(Settings(memory=True))
    before = len(list(fresh.store.quads()))
    with pytest.raises(ValidationError, match="classificationVersion"):
        import_records(fresh.store, (broken,))
    assert len(list(fresh.store.quads())) == before
    fresh.close()


def test_owned_nodes_link_from_their_registration_and_events_to_it(graph: KnowledgeGraph) -> None:
    """What the history feature needs: every goods-and-services entry, priority claim and
    designation hangs off one registration by `OWNED_LINKS`; every event and change points to
    one by `EVENT_LINK`."""
    owned = " ".join(f"<{link.value}>" for link in OWNED_LINKS)
    orphans = select(
        graph,
        f"""VALUES ?type {{ tm:GoodsServices tm:PriorityClaim tm:Designation }} ?n a ?type .
            FILTER NOT EXISTS {{ VALUES ?link {{ {owned} }} ?r a tm:Registration ; ?link ?n }}""",
    )
    assert orphans == []
    counts = graph.query(
        """SELECT ?type (COUNT(DISTINCT ?n) AS ?c) WHERE {
             VALUES ?type { tm:GoodsServices tm:PriorityClaim tm:Designation } ?n a ?type }
           GROUP BY ?type"""
    )
    assert {(row["type"].value.rsplit("#")[1], int(row["c"].value)) for row in counts} == {
        ("GoodsServices", 4),  # LUMENFIELD's classes 9, 42, US 038 (once) and US 100
        ("PriorityClaim", 2),
        ("Designation", 3),
    }
    unlinked = select(
        graph,
        f"""VALUES ?type {{ tm:ProsecutionEvent tm:Assignment tm:SecurityInterest }} ?e a ?type .
            FILTER NOT EXISTS {{ ?e <{EVENT_LINK.value}> ?r . ?r a tm:Registration }}""",
    )
    assert unlinked == []


# ------------------------------------------------------------------ goods and services


def test_goods_and_services_per_class_with_texts_per_language(graph: KnowledgeGraph) -> None:
    rows = select(
        graph,
        f"""<{REG}us-97000001> tm:goodsServices ?gs . ?gs a tm:GoodsServices ;
              tm:goodsServicesClass ?class ; tm:goodsServicesText ?text""",
    )
    gs = ID + "goods-services/us-97000001-"
    assert sorted((row[1], row[0], row[2]) for row in rows) == sorted(
        [
            (gs + "9", ID + "nice/9", "Lamps; light sensors@en"),
            (gs + "9", ID + "nice/9", "Lámparas; sensores de luz@es"),
            (gs + "42", ID + "nice/42", "Design of lighting systems@en"),
            (
                gs + "us-national-038",
                ID + "class-scheme/us-national/038",
                "Electrical apparatus@en",
            ),
            (gs + "us-national-100", ID + "class-scheme/us-national/100", "Miscellaneous@en"),
        ]
    )
    assert select(graph, f"<{gs}9> tm:classificationVersion ?v") == [("12-2025",)]


def test_a_national_class_given_twice_is_one_node_with_one_class(graph: KnowledgeGraph) -> None:
    node = ID + "goods-services/us-97000001-us-national-038"
    assert select(graph, f"<{node}> tm:goodsServicesClass ?c") == [
        (ID + "class-scheme/us-national/038",)
    ]
    assert select(graph, f"<{node}> a ?t") == [(TM + "GoodsServices",)]
    # the class only the goods and services name is a national class of the office's scheme
    assert select(
        graph,
        f"""<{ID}class-scheme/us-national/100> a tm:NationalClass ; skos:notation ?n ;
              skos:inScheme ?s""",
    ) == [("100", ID + "class-scheme/us-national")]


def test_a_nice_class_only_in_goods_and_services_counts_as_a_nice_class(
    graph: KnowledgeGraph,
) -> None:
    assert select(graph, f"<{REG}us-97000001> tm:niceClass ?c") == [
        (ID + "nice/42",),
        (ID + "nice/9",),
    ]
    [holding] = [h for h in Analyst(graph).facts.holdings() if h.id == REG + "us-97000001"]
    assert set(holding.classes) >= {9, 42}
    assert {(e.scheme, e.code) for e in holding.goods_services} == {
        ("nice", "9"),
        ("nice", "42"),
        ("us-national", "038"),
        ("us-national", "100"),
    }


def test_first_use_per_class_and_for_the_application(graph: KnowledgeGraph) -> None:
    gs = ID + "goods-services/us-97000001-"
    assert select(graph, f"<{gs}42> tm:firstUsedDate ?a ; tm:firstUsedCommerceDate ?c") == [
        ("2020", "2020-03")
    ]
    # the record states none for the application: the earliest class's dates
    assert select(
        graph, f"<{REG}us-97000001> tm:firstUsedDate ?a ; tm:firstUsedCommerceDate ?c"
    ) == [("2019-02-01", "2019-05-10")]


def test_first_use_the_file_states_for_the_application_wins() -> None:
    record = RegistryRecord(
        line=1,
        mark="X",
        owners=(),
        jurisdiction="US",
        number="1",
        first_used_commerce_date=d("2018-07"),
        goods_services=(
            GoodsServices(nice=3, first_used_commerce_date=d("2017-01-01")),
            GoodsServices(nice=5, first_used_date=d("2016")),
        ),
    )
    quads = quads_of(record)
    assert objects(quads, REG + "us-1", "firstUsedCommerceDate") == ["2018-07"]
    assert objects(quads, REG + "us-1", "firstUsedDate") == ["2016"]
    assert objects(quads, ID + "goods-services/us-1-3", "firstUsedCommerceDate") == ["2017-01-01"]


# ------------------------------------------------------------------ claims and statements


def test_two_priority_claims_each_a_node(graph: KnowledgeGraph) -> None:
    rows = select(
        graph,
        f"""<{REG}cn-70000001> tm:priorityClaim ?c . ?c a tm:PriorityClaim ;
              tm:priorityCountryCode ?cc ; tm:priorityDate ?date ;
              tm:priorityApplicationNumber ?number""",
    )
    claim = ID + "priority-claim/cn-70000001-"
    assert rows == [
        (claim + "em-2021-10-01-018500001", "EM", "2021-10-01", "018500001"),
        (claim + "us-2022-01-10-97123456", "US", "2022-01-10", "97123456"),
    ]


def test_statements_on_the_registration(graph: KnowledgeGraph) -> None:
    reg = f"<{REG}us-97000001>"
    for term, expected in (
        ("markTranslation", ['The English translation of "LUMEN" in the mark is "light".@en']),
        ("markTransliteration", ["LUMEN FIELD@zh-latn-pinyin"]),
        (
            "markDisclaimer",
            ['No claim is made to the exclusive right to use "FIELD" apart from the mark.@en'],
        ),
        ("verbalElement", ["LUMEN FIELD@en"]),
        ("publicationDate", ["2021-11-02"]),
        ("oppositionPeriodStartDate", ["2021-11-02"]),
        ("oppositionPeriodEndDate", ["2021-12-02"]),
        ("designSearchCode", ["26.01.03", "26.01.21"]),
    ):
        found = [row[0] for row in select(graph, f"{reg} tm:{term} ?v")]
        assert found == expected, term
    assert select(graph, f"<{REG}wo-1500001> tm:statusCode ?v") == [("REG",)]
    # design search codes are the USPTO's own scheme: never Vienna codes
    assert select(graph, f"{reg} tm:viennaCode ?v") == []


def test_design_search_codes_are_written_category_division_section() -> None:
    assert design_search_code("050325") == "05.03.25"
    assert design_search_code("29.01.01") == "29.01.01"
    for bad in ("30.01.01", "00.01.01", "5.3.25", "ABCDEF", "26.01.2"):
        assert design_search_code(bad) is None, bad
    record = RegistryRecord(
        line=1,
        mark="X",
        owners=(),
        jurisdiction="US",
        number="2",
        design_codes=("030101", "31.01.01", "03.01.01"),
    )
    assert objects(quads_of(record), REG + "us-2", "designSearchCode") == ["03.01.01"]


def test_a_statement_without_a_usable_language_tag_is_tagged_undetermined() -> None:
    record = RegistryRecord(
        line=1,
        mark="X",
        owners=(),
        jurisdiction="US",
        number="3",
        disclaimers=(TaggedText("No claim to X", ""), TaggedText("Y", "not a tag at all")),
        translations=(TaggedText("", "en"),),
    )
    quads = quads_of(record)
    tagged = sorted((q.object.value, q.object.language) for q in quads)
    assert tagged == [("No claim to X", "und"), ("Y", "und")]


def test_representatives_are_parties(graph: KnowledgeGraph) -> None:
    rows = select(
        graph,
        f"<{REG}us-97000001> tm:representative ?p . ?p a ?type ; schema:name ?name",
    )
    assert sorted((name, kind.rsplit("#")[1]) for name, _, kind in rows) == [
        ("Example & Partners LLP", "Company"),
        ("Sam B. Example", "Party"),  # the file does not say person or company
    ]
    assert select(graph, f"<{REG}us-97000001> tm:representative ?p . ?p tm:nationality ?c") == [
        (
            ID + "jurisdiction/US",
            ID + "party/example-partners-llp-" + _hash("Example & Partners LLP"),
        )
    ]


def _hash(name: str) -> str:
    from kg.registries.iris import party_iri

    return party_iri(name).rsplit("-", 1)[1]


# ------------------------------------------------------------------ events


def test_prosecution_events(graph: KnowledgeGraph) -> None:
    rows = select(
        graph,
        f"""?e a tm:ProsecutionEvent ; tm:registration <{REG}wo-1500001> ; tm:date ?date ;
              dcterms:description ?what
            OPTIONAL {{ ?e tm:eventCode ?code }} OPTIONAL {{ ?e tm:eventKind ?kind }}""",
    )
    event = ID + "event/wo-1500001-"
    found = {(e.removeprefix(event), date, code, kind, what) for code, date, e, kind, what in rows}
    no_code = {row for row in found if row[2] is None}
    assert found - no_code == {
        ("2020-02-20-NWAP", "2020-02-20", "NWAP", "filing", "NEW APPLICATION ENTERED"),
        # the same step written twice on one day is one event
        ("2020-08-27-CNSA", "2020-08-27", "CNSA", None, "APPROVED FOR PUB - PRINCIPAL REGISTER"),
        ("2020-10-01-RNWL", "2020-10-01", "RNWL", "renewal", "RENEWAL ACCEPTED"),
        # a kind outside the list is not stated
        ("2020-10-02-XX", "2020-10-02", "XX", None, "Something else"),
    }
    # two steps without a code on one day stay two events, named by their words
    assert sorted(row[4] for row in no_code) == [
        "Examiner's amendment entered",
        "Notice of allowance sent",
    ]
    assert len({row[0] for row in no_code}) == 2
    assert all(row[0].startswith("2020-09-01-") for row in no_code)


def test_prosecution_steps_stay_out_of_party_timelines(graph: KnowledgeGraph) -> None:
    """A 60-step history would flood an owner's timeline: the steps name no party; the
    registration's own dates show its filing and grant, and the assignment shows."""
    entries = Analyst(graph).timeline(party=ORCHARD)
    steps = [e for e in entries if e.subject.startswith(ID + "event/wo-1500001-2")]
    assert steps == []
    assert {(e.date, e.kind) for e in entries} >= {
        ("2020-02-20", "filing"),
        ("2020-02-20", "registration"),
    }
    [assignment] = [e for e in entries if e.date == "2023-01-10"]
    assert "Ann Example" in assignment.description and "Ben Example" in assignment.description


# ------------------------------------------------------------------ ownership changes


def test_an_assignment_to_co_owners(graph: KnowledgeGraph) -> None:
    rows = select(
        graph,
        f"""?c a tm:Assignment ; tm:registration <{REG}wo-1500001> ; tm:date ?date ;
              tm:recordalDate ?recorded ; tm:conveyanceText ?text ; tm:assignee ?to .
            ?to a tm:Person ; schema:name ?name ; tm:nationality ?country""",
    )
    # variables: c, country, date, name, recorded, text, to
    assert sorted(row[1:6] for row in rows) == [
        (ID + "jurisdiction/AU", "2023-01-10", "Ben Example", "2023-02-01", ASSIGNS),
        (ID + "jurisdiction/NZ", "2023-01-10", "Ann Example", "2023-02-01", ASSIGNS),
    ]
    [(iri,)] = select(graph, "?c a tm:Assignment")
    assert iri.startswith(ID + "event/wo-1500001-assignment-2023-01-10-")


def test_a_change_dated_only_by_its_recordal_and_one_with_no_date() -> None:
    changes = (
        OwnershipChange(
            "name-change",
            (Owner("New Name Ltd"),),
            (Owner("Old Name Ltd"),),
            recordal_date=d("2024-05-05"),
        ),
        OwnershipChange("merger", (Owner("Survivor Ltd"),), (Owner("Old Name Ltd"),)),
        OwnershipChange(
            "licence", (Owner("Licensee Ltd"),), (Owner("Old Name Ltd"),), date=d("2024-01-01")
        ),
        OwnershipChange("assignment", (), (Owner("Old Name Ltd"),), date=d("2024-01-01")),
    )
    record = RegistryRecord(
        line=1, mark="X", owners=(), jurisdiction="GB", number="4", ownership_changes=changes
    )
    quads = quads_of(record)
    events = {q.subject.value for q in quads if q.predicate.value == TM + "registration"}
    [name_change] = events
    assert objects(quads, name_change, "date") == ["2024-05-05"]
    assert objects(quads, name_change, "recordalDate") == ["2024-05-05"]


def test_the_chain_of_title_reads_the_imported_changes(graph: KnowledgeGraph) -> None:
    [hit] = [
        h
        for h in Analyst(graph).who_else_uses("ORCHARDLIGHT", 31, "FR", as_of="2024")
        if h.party.name == "Ann Example"
    ]
    assert hit.via == "WO/EM"
    names = {
        h.party.name for h in Analyst(graph).who_else_uses("ORCHARDLIGHT", 31, "FR", as_of="2022")
    }
    assert ORCHARD in names and "Ann Example" not in names


# ------------------------------------------------------------------ designations


def test_designations_of_an_international_registration(graph: KnowledgeGraph) -> None:
    rows = select(
        graph,
        f"""<{REG}wo-1500001> tm:designation ?d . ?d a tm:Designation ; tm:jurisdiction ?j ;
              tm:designationDate ?date OPTIONAL {{ ?d tm:status ?s ; tm:statusDate ?sd }}""",
    )
    des = ID + "designation/wo-1500001-"
    assert rows == [
        (des + "cn", "2022-05-03", ID + "jurisdiction/CN", None, None),
        (des + "em", "2020-02-20", ID + "jurisdiction/EM", "Registered", "2020-10-01"),
        (des + "us", "2020-02-20", ID + "jurisdiction/US", "Refused", "2021-01-05"),
    ]


def test_a_refused_designation_covers_nothing(graph: KnowledgeGraph) -> None:
    who = Analyst(graph).who_else_uses
    assert ORCHARD in {h.party.name for h in who("ORCHARDLIGHT", 31, "US", as_of="2020-06")}
    assert ORCHARD not in {h.party.name for h in who("ORCHARDLIGHT", 31, "US", as_of="2022")}


# ------------------------------------------------------------------ answers: priority, GraphQL, CLI


def test_priority_reads_an_imported_paris_claim(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("NORTHBEAM", 9, "CN")
    assert finding.holder is not None and finding.holder.name == "Northbeam Example Co., Ltd."
    assert (finding.date, finding.date_basis) == ("2022-01-10", "Paris priority")


def test_priority_reads_an_imported_first_use_date(graph: KnowledgeGraph) -> None:
    finding = Analyst(graph).priority("LUMENFIELD", 9, "US")
    assert finding.holder is not None and finding.holder.name == LUMEN
    assert (finding.date, finding.date_basis) == ("2019-05-10", "first use in commerce")


def test_graphql_shows_goods_services_changes_and_representatives(graphql: str) -> None:
    query = """query($text: String!) { mark(text: $text) { registrations {
      applicationNumber
      goodsServices { scheme code niceClass edition texts { language text } }
      ownershipChanges { kind date recordalDate conveyance assignors { name } assignees { name } }
      representatives { name } } } }"""
    answer = post(graphql, query, {"text": "LUMENFIELD"})
    assert "errors" not in answer, answer
    lumen = answer["data"]["mark"]["registrations"]
    [mine] = [r for r in lumen if r["applicationNumber"] == "97000001"]
    entries = {(g["scheme"], g["code"]): g for g in mine["goodsServices"]}
    assert set(entries) == {
        ("nice", "9"),
        ("nice", "42"),
        ("us-national", "038"),
        ("us-national", "100"),
    }
    assert entries[("nice", "9")]["edition"] == "12-2025"
    assert {(t["language"], t["text"]) for t in entries[("nice", "9")]["texts"]} == {
        ("en", "Lamps; light sensors"),
        ("es", "Lámparas; sensores de luz"),
    }
    assert entries[("us-national", "038")]["niceClass"] is None
    assert sorted(r["name"] for r in mine["representatives"]) == [
        "Example & Partners LLP",
        "Sam B. Example",
    ]
    orchard = post(graphql, query, {"text": "ORCHARDLIGHT"})["data"]["mark"]["registrations"]
    [registration] = orchard
    changes = {c["kind"]: c for c in registration["ownershipChanges"]}
    assert set(changes) == {"Assignment", "SecurityInterest"}
    assignment = changes["Assignment"]
    assert (assignment["date"], assignment["recordalDate"], assignment["conveyance"]) == (
        "2023-01-10",
        "2023-02-01",
        ASSIGNS,
    )
    assert sorted(p["name"] for p in assignment["assignees"]) == ["Ann Example", "Ben Example"]
    assert [p["name"] for p in assignment["assignors"]] == [ORCHARD]
    # dated in the file only by its recordal: that day stands for the day it took effect
    security = changes["SecurityInterest"]
    assert (security["date"], security["recordalDate"]) == ("2023-03-01", "2023-03-01")


def test_cli_priority_reads_imported_claims(tmp_path: Path) -> None:
    path = tmp_path / "store"
    disk = KnowledgeGraph.open(Settings(store_path=path))
    import_records(disk.store)
    disk.close()
    out = run_kg(
        "priority",
        "NORTHBEAM",
        "--class",
        "9",
        "--jurisdiction",
        "CN",
        "--format",
        "json",
        "--store",
        path,
        check=True,
    )
    finding = json.loads(out.stdout)
    finding = finding[0] if isinstance(finding, list) else finding
    assert finding["holder"]["name"] == "Northbeam Example Co., Ltd."
    assert (finding["date"], finding["date_basis"]) == ("2022-01-10", "Paris priority")


# ------------------------------------------------------------------ both validation engines


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_both_validation_engines_pass_the_details_and_refuse_a_bad_one(engine: str) -> None:
    """Big imports are judged by the shapes compiled to SPARQL: they must agree with pyshacl
    on the new shapes (prosecution events, design search codes, per-class first use)."""
    fresh = KnowledgeGraph.open(Settings(memory=True))
    file = registry_quads(RECORDS, name="details.csv", errors=RowErrors("details.csv"))
    report = validate_quads(list(file.quads), fresh.store, origins=file.origins, engine=engine)
    assert report.violations == []
    registration = ox.NamedNode(REG + "us-97000001")
    event = ox.NamedNode(ID + "event/us-97000001-2021-06-15-NWAP")
    gs = ox.NamedNode(ID + "goods-services/us-97000001-9")
    graph = ox.NamedNode(GRAPH)
    bad = [
        ox.Quad(registration, ox.NamedNode(TM + "designSearchCode"), ox.Literal("30.01.01"), graph),
        ox.Quad(event, ox.NamedNode(TM + "eventKind"), ox.Literal("examination"), graph),
        ox.Quad(event, ox.NamedNode(TM + "registration"), registration, graph),
        ox.Quad(gs, ox.NamedNode(TM + "firstUsedDate"), ox.Literal("soon"), graph),
    ]
    bad.append(ox.Quad(event, RDF_TYPE, ox.NamedNode(TM + "ProsecutionEvent"), graph))
    report = validate_quads(list(file.quads) + bad, fresh.store, engine=engine)
    found = "\n".join(report.violations)
    for term in ("designSearchCode", "eventKind", "tm:date", "firstUsedDate"):
        assert term in found, (term, found)
    fresh.close()


TM_VERBAL = "https://w3id.org/tmkg/ontology#verbalElement"
FIGURATIVE_ST66 = """<?xml version="1.0" encoding="UTF-8"?>
<Transaction xmlns="http://www.wipo.int/standards/XMLSchema/ST66"><TradeMarkTransactionBody>
<TransactionContentDetails><TransactionData><TradeMarkDetails>{marks}</TradeMarkDetails>
</TransactionData></TransactionContentDetails></TradeMarkTransactionBody></Transaction>"""
FIGURATIVE_MARK = """<TradeMark><RegistrationOfficeCode>EM</RegistrationOfficeCode>
<ApplicationNumber>{number}</ApplicationNumber><ApplicationDate>2019-01-02</ApplicationDate>
<MarkFeature>{feature}</MarkFeature>
<WordMarkSpecification><MarkVerbalElementText>{text}</MarkVerbalElementText></WordMarkSpecification>
<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription>
<ClassNumber>30</ClassNumber></ClassDescription></ClassDescriptionDetails></GoodsServices>
</GoodsServicesDetails><ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress>
<Name><OrganizationName>{owner}</OrganizationName></Name></FormattedNameAddress>
</ApplicantAddressBook></Applicant></ApplicantDetails></TradeMark>"""


@pytest.mark.parametrize("feature", ["Figurative", "figurative", "Colour"])
def test_words_an_office_records_for_a_figurative_mark_are_its_verbal_element(
    disk_graph: KnowledgeGraph, tmp_path: Path, feature: str
) -> None:
    """EUIPO files a "figurative mark with word elements" as Figurative with its words in
    MarkVerbalElementText: the words count in word similarity (a CSV title of a figure does not,
    tests/data/mark-kinds.trig's STAR, unless its verbal_element column says so)."""
    marks = FIGURATIVE_MARK.format(
        number="018000001", feature=feature, text="SOLVANTO", owner="Solvanto Foods SA"
    )
    path = tmp_path / "euipo.xml"
    path.write_text(FIGURATIVE_ST66.format(marks=marks), encoding="utf-8")
    # the in-memory reader maps it the same way as the streamed import
    words = [q.object.value for q in read_registry(path).quads if q.predicate.value == TM_VERBAL]
    assert words == ["SOLVANTO"]
    import_registry(disk_graph, [path])
    [hit] = Analyst(disk_graph).who_else_uses("SOLVANTO", 30, "FR")
    assert hit.party.name == "Solvanto Foods SA"
    csv = tmp_path / "titled.csv"
    csv.write_text(
        "mark,owner,classes,jurisdiction,number,mark_feature,verbal_element\n"
        "STARFIGURE,Star Co,30,EM,1,Figurative,\n"
        "ORBELLO TITLE,Orbello Co,30,EM,2,Figurative,ORBELLO\n",
        encoding="utf-8",
    )
    import_registry(disk_graph, [csv])
    assert Analyst(disk_graph).who_else_uses("STARFIGURE", 30, "EM") == []
    [orbello] = Analyst(disk_graph).who_else_uses("ORBELLO", 30, "EM")
    assert orbello.party.name == "Orbello Co"
