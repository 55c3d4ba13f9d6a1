"""Each imported file is cited for what it states (issue 16 applied to `kg import`).

A. A mark that names its applicant or representative by key (UKIPO's TMview answers, EUIPO's
   download files) states the link; the file that defines the party states its kind, name and
   country, in its own import graph with its own source description. A party file alone, and
   parties no mark of the import names, write nothing.
B. Two files stating one registration as of the same record date (two formats, two copies)
   are both current, each cited for what it states; only a strictly later record date makes
   a state history; undated states: the later import is current.

Fixtures: tests/data/st66-tmview-gb-*.xml, st66-euipo-em-*.xml, uspto-daily-sample.xml, and
small files written here in the same formats (every mark, party and number made up).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, ParseError
from kg.analysis.describe import describe
from kg.analysis.service import Analyst
from kg.config import Settings
from kg.registries.importer import import_registry
from kg.registries.iris import party_iri
from kg.registries.mapping import PartyReference, ReferringRecord, registry_quads
from kg.registries.records import Owner, RowErrors
from tests.conftest import DATA, all_quads, run_kg
from tests.provenance_support import check_answer

GRAPH = "https://w3id.org/tmkg/id/graph/import/"
SOURCE = "https://w3id.org/tmkg/id/source/import/"
REG = "https://w3id.org/tmkg/id/registration/"
TM = "https://w3id.org/tmkg/ontology#"
NAME = "https://schema.org/name"
GB_MARK = DATA / "st66-tmview-gb-mark.xml"
GB_APPLICANT = DATA / "st66-tmview-gb-applicant.xml"
GB_REPRESENTATIVE = DATA / "st66-tmview-gb-representative.xml"
EM_MARKS = DATA / "st66-euipo-em-marks.xml"
EM_PARTIES = DATA / "st66-euipo-em-parties.xml"
EM_DELETED = DATA / "st66-euipo-em-deleted.xml"
US_DAILY = DATA / "uspto-daily-sample.xml"


def stem(path: Path) -> str:
    return path.stem


def graphs_stating(graph: KnowledgeGraph, pattern: str) -> set[str]:
    """The import graphs (by file stem) in which `pattern` (about ?s) holds."""
    rows = graph.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {pattern} }} }}")
    return {row["g"].value.removeprefix(GRAPH) for row in rows}


def party_facts(graph: KnowledgeGraph, name: str) -> dict[str, set[str]]:
    """Graph (file stem) -> the properties it states about the party named `name`."""
    party = party_iri(name)
    rows = graph.query(f"SELECT ?g ?p WHERE {{ GRAPH ?g {{ <{party}> ?p ?o }} }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        prop = row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        found.setdefault(row["g"].value.removeprefix(GRAPH), set()).add(prop)
    return found


def source_title(graph: KnowledgeGraph, name: str) -> str | None:
    rows = graph.query(
        f"SELECT ?t WHERE {{ <{GRAPH}{name}> a tm:SourceGraph ; prov:wasDerivedFrom "
        f"<{SOURCE}{name}> . <{SOURCE}{name}> a tm:Source ; dcterms:title ?t }}"
    )
    titles = [row["t"].value for row in rows]
    return titles[0] if titles else None


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ A: parties by key

GB_APPLICANTS_NS = "http://gb.tmview.europa.eu/trademark/applicant"
GB_DATA_NS = "http://gb.tmview.europa.eu/trademark/data"


def transaction(namespace: str, data: str, when: str | None = "2024-03-05T10:00:00Z") -> str:
    header = (
        f"<TransactionHeader><SenderDetails><RequestProducerDateTime>{when}"
        "</RequestProducerDateTime></SenderDetails></TransactionHeader>"
        if when
        else ""
    )
    return (
        f'<Transaction xmlns="{namespace}">{header}<TradeMarkTransactionBody>'
        "<TransactionContentDetails><TransactionData>"
        f"{data}</TransactionData></TransactionContentDetails></TradeMarkTransactionBody>"
        "</Transaction>"
    )


def applicant(identifier: str, name: str, nationality: str | None = None) -> str:
    person = (
        f"<ApplicantLegalEntity>Natural person</ApplicantLegalEntity>"
        f"<ApplicantNationalityCode>{nationality}</ApplicantNationalityCode>"
        if nationality
        else ""
    )
    return (
        f"<Applicant><ApplicantIdentifier>{identifier}</ApplicantIdentifier>{person}"
        "<ApplicantAddressBook><FormattedNameAddress><Name><FreeFormatName>"
        f"<FreeFormatNameDetails><FreeFormatNameLine>{name}</FreeFormatNameLine>"
        "</FreeFormatNameDetails></FreeFormatName></Name><Address><FreeFormatAddress>"
        "<FreeFormatAddressLine>1 Example Street</FreeFormatAddressLine></FreeFormatAddress>"
        "</Address></FormattedNameAddress></ApplicantAddressBook></Applicant>"
    )


def trademark(number: str, text: str, keys: list[str], status: str = "Registered") -> str:
    named = "".join(
        f"<ApplicantKey><URI>http://www.ipo.gov.uk/trademark/applicant/{key}</URI></ApplicantKey>"
        for key in keys
    )
    return (
        "<TradeMark><RegistrationOfficeCode>GB</RegistrationOfficeCode>"
        f"<ApplicationNumber>{number}</ApplicationNumber>"
        "<ApplicationDate>2020-05-01</ApplicationDate>"
        f"<MarkCurrentStatusCode>{status}</MarkCurrentStatusCode>"
        f"<WordMarkSpecification><MarkVerbalElementText>{text}</MarkVerbalElementText>"
        "</WordMarkSpecification><GoodsServicesDetails><GoodsServices><ClassDescriptionDetails>"
        "<ClassDescription><ClassNumber>11</ClassNumber></ClassDescription>"
        "</ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>"
        f"<ApplicantDetails>{named}</ApplicantDetails></TradeMark>"
    )


@pytest.fixture
def gb_pair(tmp_path: Path) -> tuple[Path, Path]:
    return write_gb_pair(tmp_path)


def write_gb_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A mark file naming two co-applicants by key (a company and a person of another
    nationality), and an applicant file defining them and a third applicant no mark names."""
    marks = write(
        tmp_path,
        "gb-marks.xml",
        transaction(
            GB_DATA_NS,
            "<TradeMarkDetails>"
            + trademark("UK00009900501", "EMBERGLOW", ["501", "502"])
            + trademark("UK00009900502", "EMBERGLOW NIGHT", ["501"])
            + "</TradeMarkDetails>",
        ),
    )
    parties = write(
        tmp_path,
        "gb-applicants.xml",
        transaction(
            GB_APPLICANTS_NS,
            "<ApplicantDetails>"
            + applicant("501", "Ember Works Limited")
            + applicant("502", "Ida Example", "IE")
            + applicant("503", "Nobody Named Ltd")
            + "</ApplicantDetails>",
        ),
    )
    return marks, parties


# (files in import order, {party name: the file defining it}, the marks' file)
CASES = {
    "ukipo": (
        [GB_MARK, GB_APPLICANT, GB_REPRESENTATIVE],
        {
            "Quayside Lamp Works Limited": GB_APPLICANT,
            "Example Marks LLP": GB_REPRESENTATIVE,
        },
        GB_MARK,
    ),
    "ukipo, parties first": (
        [GB_REPRESENTATIVE, GB_APPLICANT, GB_MARK],
        {
            "Quayside Lamp Works Limited": GB_APPLICANT,
            "Example Marks LLP": GB_REPRESENTATIVE,
        },
        GB_MARK,
    ),
    "euipo": (
        [EM_MARKS, EM_PARTIES],
        {
            "Nordwind Beispiel GmbH": EM_PARTIES,
            "Greta Beispielmann": EM_PARTIES,
            "Beispiel Patentanwälte PartG": EM_PARTIES,
        },
        EM_MARKS,
    ),
    "euipo, parties first": (
        [EM_PARTIES, EM_MARKS],
        {"Nordwind Beispiel GmbH": EM_PARTIES, "Greta Beispielmann": EM_PARTIES},
        EM_MARKS,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_party_named_by_key_is_stated_by_the_file_defining_it(
    disk_graph: KnowledgeGraph, case: str
) -> None:
    files, defined, marks = CASES[case]
    # a store that holds more than the reference data: each batch is validated as written,
    # with the parties' facts in the same batch as the marks naming them, whatever the order
    import_registry(disk_graph, [DATA / "st66-osim-ro-inline.xml"])
    import_registry(disk_graph, files)
    for name, defining in defined.items():
        facts = party_facts(disk_graph, name)
        assert set(facts) == {stem(defining)}, (name, facts)  # never the mark file's graph
        assert {"type", "name"} <= facts[stem(defining)]
        # the mark file states the link, and only the link
        link = f"?r ?link <{party_iri(name)}> . FILTER(?link IN (tm:owner, tm:representative))"
        assert graphs_stating(disk_graph, link) == {stem(marks)}
        assert source_title(disk_graph, stem(defining)) == defining.name
    assert source_title(disk_graph, stem(marks)) == marks.name


@pytest.fixture(scope="module")
def together(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeGraph]:
    """One store (shared, read only) with UKIPO's, EUIPO's and the co-applicants' files
    imported in one command, party files before and after their marks."""
    folder = tmp_path_factory.mktemp("together")
    marks, parties = write_gb_pair(folder)
    graph = KnowledgeGraph.open(Settings(store_path=folder / "store"))
    files = [GB_MARK, GB_APPLICANT, GB_REPRESENTATIVE, EM_PARTIES, EM_MARKS, marks, parties]
    import_registry(graph, files)
    yield graph
    graph.close()


def test_the_party_files_state_kind_name_and_country(together: KnowledgeGraph) -> None:
    graph = f"{GRAPH}st66-tmview-gb-applicant"
    party = party_iri("Quayside Lamp Works Limited")
    rows = together.query(
        f"SELECT ?type ?name ?country WHERE {{ GRAPH <{graph}> {{ <{party}> a ?type ; "
        "schema:name ?name ; tm:nationality ?country } }"
    )
    assert [(r["type"].value, r["name"].value, r["country"].value) for r in rows] == [
        (f"{TM}Company", "Quayside Lamp Works Limited", "https://w3id.org/tmkg/id/jurisdiction/GB")
    ]
    # "Legal entity": a company; a natural person with a nationality
    assert party_facts(together, "Example Marks LLP") == {
        "st66-tmview-gb-representative": {"type", "name"}
    }
    assert party_facts(together, "Greta Beispielmann") == {
        "st66-euipo-em-parties": {"type", "name", "nationality"}
    }
    assert graphs_stating(together, f"<{party_iri('Greta Beispielmann')}> a tm:Person") == {
        "st66-euipo-em-parties"
    }


def test_co_applicants_by_key_and_a_person_with_a_nationality(together: KnowledgeGraph) -> None:
    assert party_facts(together, "Ida Example") == {
        "gb-applicants": {"type", "name", "nationality"}
    }
    assert party_facts(together, "Ember Works Limited") == {"gb-applicants": {"type", "name"}}
    owners = graphs_stating(together, f"<{REG}gb-UK00009900501> tm:owner ?o")
    assert owners == {"gb-marks"}
    [count] = together.query(
        f"SELECT (COUNT(?o) AS ?n) WHERE {{ <{REG}gb-UK00009900501> tm:owner ?o }}"
    )
    assert int(count["n"].value) == 2
    assert party_facts(together, "Nobody Named Ltd") == {}  # no mark of the import names it


def test_a_party_file_alone_writes_nothing(
    disk_graph: KnowledgeGraph, gb_pair: tuple[Path, Path]
) -> None:
    before = all_quads(disk_graph)
    for alone in (gb_pair[1], GB_APPLICANT, EM_PARTIES):
        report = import_registry(disk_graph, [alone])
        assert (report.records, report.quads_added, report.graphs) == (0, 0, ()), alone.name
        # said, not silent (helper-123): the parties wait for the mark files naming them
        assert any(
            w.startswith(f"{alone.name}: ") and "no record naming one: nothing written" in w
            for w in report.warnings
        ), report.warnings
    assert all_quads(disk_graph) == before


@pytest.mark.parametrize(
    ("text", "klass", "holder", "mark_file", "name_file"),
    [
        ("HARBOUR LANTERN", 11, "Quayside Lamp Works Limited", "st66-tmview-gb-mark", GB_APPLICANT),
        ("NORDWIND FALKE", 12, "Nordwind Beispiel GmbH", "st66-euipo-em-marks", EM_PARTIES),
        ("SEEADLER", 12, "Greta Beispielmann", "st66-euipo-em-marks", EM_PARTIES),
        ("EMBERGLOW", 11, "Ida Example", "gb-marks", None),
    ],
)
def test_who_else_uses_cites_the_mark_file_for_the_holding_and_the_party_file_for_its_name(
    together: KnowledgeGraph,
    text: str,
    klass: int,
    holder: str,
    mark_file: str,
    name_file: Path | None,
) -> None:
    """A mark file naming its owner by key (ST.66 ``ApplicantKey``) states the holding; the
    file defining the key states the owner's name, and the hit cites each for its own."""
    analyst = Analyst(together)
    found = analyst.who_else_uses(text, klass)
    assert check_answer(together, analyst.facts, found) == []
    [hit] = [u for u in found if u.party.name == holder and u.mark.text == text]
    names = f"{GRAPH}{name_file.stem if name_file else 'gb-applicants'}"
    assert {s.graph for s in hit.sources} == {f"{GRAPH}{mark_file}", names}
    holding = [s for s in hit.statements if (f"{TM}owner", hit.party.id) in s.facts]
    assert [s.sources for s in holding] == [(f"{GRAPH}{mark_file}",)]
    named = [s for s in hit.statements if s.subject == hit.party.id]
    assert [(s.facts, s.sources) for s in named] == [(((NAME, holder),), (names,))]
    assert hit.party.name_statement == named[0]


@pytest.mark.parametrize(
    ("name", "defining", "marks"),
    [
        ("Quayside Lamp Works Limited", GB_APPLICANT, {"st66-tmview-gb-mark"}),
        ("Example Marks LLP", GB_REPRESENTATIVE, {"st66-tmview-gb-mark"}),
        ("Greta Beispielmann", EM_PARTIES, {"st66-euipo-em-marks"}),
        ("Ember Works Limited", None, {"gb-marks"}),
    ],
)
def test_the_party_name_cites_the_file_defining_it(
    together: KnowledgeGraph, name: str, defining: Path | None, marks: set[str]
) -> None:
    description = describe(together, party_iri(name))
    names = [s for s in description.statements if s.predicate == NAME]
    title = defining.name if defining else "gb-applicants.xml"
    graph = f"{GRAPH}{defining.stem if defining else 'gb-applicants'}"
    assert [(s.value, s.graph) for s in names] == [(name, graph)]
    assert names[0].source is not None and names[0].source.title == title
    # what points at the party: the mark file's link
    assert {s.graph.removeprefix(GRAPH) for s in description.links_in if s.graph} == marks


def test_a_file_defining_its_own_parties_states_them(disk_graph: KnowledgeGraph) -> None:
    """EUIPO's file with marks and parties in one transaction: one graph states both."""
    import_registry(disk_graph, [EM_DELETED])
    assert party_facts(disk_graph, "Lichtturm Beispiel AG") == {
        "st66-euipo-em-deleted": {"type", "name"}
    }


def test_with_graph_every_file_states_into_the_one_graph(disk_graph: KnowledgeGraph) -> None:
    own = "https://example.org/graph/ukipo"
    import_registry(disk_graph, [GB_MARK, GB_APPLICANT], graph_iri=own)
    rows = disk_graph.query(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{party_iri('Quayside Lamp Works Limited')}> "
        "?p ?o } }"
    )
    assert [row["g"].value for row in rows] == [own]


def test_two_files_defining_one_party_alike_both_state_it(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    copy = write(tmp_path, "gb-applicant-copy.xml", GB_APPLICANT.read_text(encoding="utf-8"))
    import_registry(disk_graph, [GB_MARK, GB_APPLICANT, copy])
    facts = party_facts(disk_graph, "Quayside Lamp Works Limited")
    assert set(facts) == {"st66-tmview-gb-applicant", "gb-applicant-copy"}
    assert source_title(disk_graph, "gb-applicant-copy") == "gb-applicant-copy.xml"


def test_importing_the_files_again_adds_nothing(
    disk_graph: KnowledgeGraph, gb_pair: tuple[Path, Path]
) -> None:
    files = [*gb_pair, GB_MARK, GB_APPLICANT]
    import_registry(disk_graph, files)
    before = all_quads(disk_graph)
    for again in (files, files[::-1], [gb_pair[1], gb_pair[0]]):
        assert import_registry(disk_graph, again).quads_added == 0
    assert all_quads(disk_graph) == before


def test_an_older_mark_file_goes_into_history_and_its_parties_stay_in_their_file(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    newer = write(
        tmp_path,
        "gb-mark-later.xml",
        GB_MARK.read_text(encoding="utf-8")
        .replace("2024-03-05T10:11:12", "2024-06-01T10:11:12")
        .replace(">Registered<", ">Expired<"),
    )
    import_registry(disk_graph, [newer, GB_APPLICANT])
    report = import_registry(disk_graph, [GB_MARK, GB_APPLICANT])
    assert (report.history, report.older) == (0, 1)
    assert party_facts(disk_graph, "Quayside Lamp Works Limited") == {
        "st66-tmview-gb-applicant": {"type", "name", "nationality"}
    }
    version = f"{REG}gb-UK00009900123~st66-tmview-gb-mark"
    assert graphs_stating(disk_graph, f"<{version}> tm:owner ?o") == {"st66-tmview-gb-mark"}
    assert graphs_stating(disk_graph, f"<{REG}gb-UK00009900123> tm:status ?s") == {"gb-mark-later"}


@pytest.mark.parametrize("title", [None, "UKIPO answers"])
def test_the_mapping_states_a_referenced_party_once_in_its_file_graph(title: str | None) -> None:
    """Any reader's records: `ReferringRecord` names parties another file defines."""
    company, attorney = Owner("Alder Lamps Ltd", None, "GB"), Owner("Birch & Co LLP")
    references = (
        PartyReference("owner", company, "in/parties.xml"),
        PartyReference("representative", attorney, "in/parties.xml"),
    )
    records = [
        ReferringRecord(
            line=line,
            mark=text,
            owners=(company, Owner("Inline Holdings plc", "company", "IE")),
            jurisdiction="GB",
            number=number,
            representatives=(attorney,),
            references=references,
        )
        for line, text, number in ((1, "ALDER", "UK1"), (2, "ALDER GLOW", "UK2"))
    ]
    imported = registry_quads(
        records, name="in/marks.xml", errors=RowErrors("in/marks.xml"), source_title=title
    )
    by_graph: dict[str, list[tuple[str, str, str]]] = {}
    for quad in imported.quads:
        where = getattr(quad.graph_name, "value", "default").removeprefix(GRAPH)
        fact = (local(quad.subject.value), local(quad.predicate.value), str(quad.object))
        by_graph.setdefault(where, []).append(fact)
    alder, birch = (local(party_iri(name)) for name in ("Alder Lamps Ltd", "Birch & Co LLP"))
    assert sorted(by_graph["parties"]) == [
        (alder, "name", '"Alder Lamps Ltd"'),
        (alder, "nationality", "<https://w3id.org/tmkg/id/jurisdiction/GB>"),
        (alder, "type", f"<{TM}Company>"),
        (birch, "name", '"Birch & Co LLP"'),
        (birch, "type", f"<{TM}Party>"),
    ]  # once, though two records name them
    marks = by_graph["marks"]
    for number, link, party in (
        ("gb-UK1", "owner", alder),
        ("gb-UK2", "owner", alder),
        ("gb-UK1", "representative", birch),
        ("gb-UK2", "representative", birch),
    ):
        assert [f for f in marks if f[:2] == (number, link) and f[2].endswith(f"{party}>")], party
    assert not [fact for fact in marks if fact[0] in (alder, birch)]
    inline = local(party_iri("Inline Holdings plc"))
    assert (inline, "name", '"Inline Holdings plc"') in marks  # inline: the record's file
    titles = sorted(o for _s, p, o in by_graph["default"] if p == "title")
    assert titles == sorted([f'"{title or "marks.xml"}"', f'"{title or "parties.xml"}"'])


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-registers"


def test_the_real_ukipo_pair_cites_each_file(disk_graph: KnowledgeGraph) -> None:
    """UKIPO's TMview answers as published (read where ../shared/real-registers is there)."""
    mark = REAL / "ukipo-gb-tmview-UK00003289573.xml"
    applicant_file = REAL / "ukipo-gb-tmview-applicant-507772.xml"
    if not (mark.is_file() and applicant_file.is_file()):
        pytest.skip(f"the real office files are absent ({REAL})")
    import_registry(disk_graph, [mark, applicant_file])
    facts = party_facts(disk_graph, "Utopia Holdings Limited")
    assert set(facts) == {applicant_file.stem} and "name" in facts[applicant_file.stem]
    link = f"?r tm:owner <{party_iri('Utopia Holdings Limited')}>"
    assert graphs_stating(disk_graph, link) == {mark.stem}
    analyst = Analyst(disk_graph)
    found = analyst.who_else_uses("THE TWISTED TAILOR", 25)
    assert check_answer(disk_graph, analyst.facts, found) == []
    # the mark file for the registration, the applicant file for the owner's name
    assert {s.graph for u in found for s in u.sources} == {
        f"{GRAPH}{mark.stem}",
        f"{GRAPH}{applicant_file.stem}",
    }
    [hit] = found
    assert hit.party.name_statement is not None
    assert hit.party.name_statement.sources == (f"{GRAPH}{applicant_file.stem}",)


# ------------------------------------------------------------------ B: the same record date

US_SERIAL = "us-90000001"


def st66_us(when: str | None, status: str = "800", status_date: str | None = "2020-01-14") -> str:
    """USPTO TSDR-style ST.66 of serial 90000001 (uspto-daily-sample.xml's first case)."""
    body = (
        "<TradeMarkDetails><TradeMark><RegistrationOfficeCode>US</RegistrationOfficeCode>"
        "<ApplicationNumber>90000001</ApplicationNumber>"
        "<ApplicationDate>2019-03-04</ApplicationDate>"
        "<RegistrationNumber>6001234</RegistrationNumber>"
        "<RegistrationDate>2020-01-14</RegistrationDate>"
        f"<MarkCurrentStatusCode>{status}</MarkCurrentStatusCode>"
        + (f"<MarkCurrentStatusDate>{status_date}</MarkCurrentStatusDate>" if status_date else "")
        + "<WordMarkSpecification><MarkVerbalElementText>NORTHWIND LANTERN"
        "</MarkVerbalElementText></WordMarkSpecification>"
        "<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription>"
        "<ClassNumber>011</ClassNumber></ClassDescription></ClassDescriptionDetails>"
        "</GoodsServices></GoodsServicesDetails><ApplicantDetails><Applicant>"
        "<ApplicantAddressBook><FormattedNameAddress><Name><FreeFormatName>"
        "<FreeFormatNameDetails><FreeFormatNameLine>NORTHWIND LANTERN CO.</FreeFormatNameLine>"
        "</FreeFormatNameDetails></FreeFormatName></Name></FormattedNameAddress>"
        "</ApplicantAddressBook></Applicant></ApplicantDetails></TradeMark></TradeMarkDetails>"
    )
    return transaction("http://www.wipo.int/standards/XMLSchema/trademarks", body, when)


def daily(tmp_path: Path, name: str, date: str, owner: str | None = None) -> Path:
    text = US_DAILY.read_text(encoding="utf-8").replace(
        "<transaction-date>20250107</transaction-date>",
        f"<transaction-date>{date}</transaction-date>",
    )
    if owner:
        text = text.replace("NORTHWIND LANTERN CO.", owner)
    return write(tmp_path, name, text)


def current_graphs(graph: KnowledgeGraph, registration: str) -> set[str]:
    return graphs_stating(graph, f"<{REG}{registration}> a tm:Registration")


def version_graphs(graph: KnowledgeGraph, registration: str) -> set[str]:
    return graphs_stating(
        graph, f"?v a tm:RegisterRecordVersion ; dcterms:isVersionOf <{REG}{registration}>"
    )


@pytest.fixture
def same_day(tmp_path: Path) -> dict[str, Path]:
    """Files stating serial 90000001 as of 2025-01-07 (the daily file's transaction-date),
    as of the day after, and undated."""
    return {
        "daily": US_DAILY,
        "st66": write(tmp_path, "tsdr-90000001-st66.xml", st66_us("2025-01-07T23:00:00Z")),
        "daily copy": daily(tmp_path, "apc250107-copy.xml", "20250107", "NORTHWIND LANTERN LLC"),
        "later": daily(tmp_path, "apc250108.xml", "20250108"),
        "earlier": write(tmp_path, "tsdr-90000001-old.xml", st66_us("2024-12-01", "700")),
        "undated": write(tmp_path, "tsdr-90000001-undated.xml", st66_us(None, "710")),
    }


@pytest.mark.parametrize(
    "pair", [("daily", "st66"), ("st66", "daily"), ("daily", "daily copy")], ids=str
)
def test_files_of_the_same_record_date_are_both_current(
    disk_graph: KnowledgeGraph, same_day: dict[str, Path], pair: tuple[str, str]
) -> None:
    first, second = (same_day[key] for key in pair)
    import_registry(disk_graph, [first])
    report = import_registry(disk_graph, [second])
    assert (report.history, report.older) == (0, 0)
    assert current_graphs(disk_graph, US_SERIAL) == {stem(first), stem(second)}
    assert version_graphs(disk_graph, US_SERIAL) == set()
    analyst = Analyst(disk_graph)
    found = analyst.who_else_uses("NORTHWIND LANTERN", 11)
    assert check_answer(disk_graph, analyst.facts, found) == []
    cited = {s.graph.removeprefix(GRAPH) for u in found for s in u.sources}
    assert cited == {stem(first), stem(second)}
    # the filing date both state is one statement citing both
    filed = [s for u in found for s in u.statements if (f"{TM}filingDate", "2019-03-04") in s.facts]
    assert {tuple(g.removeprefix(GRAPH) for g in s.sources) for s in filed} == {
        tuple(sorted((stem(first), stem(second))))
    }


def test_owners_the_same_day_files_disagree_on_are_two_statements(
    disk_graph: KnowledgeGraph, same_day: dict[str, Path]
) -> None:
    import_registry(disk_graph, [same_day["daily"], same_day["daily copy"]])
    analyst = Analyst(disk_graph)
    found = [u for u in analyst.who_else_uses("NORTHWIND LANTERN", 11) if u.kind.name != "USER"]
    assert check_answer(disk_graph, analyst.facts, found) == []
    by_owner = {
        u.party.name: [
            tuple(g.removeprefix(GRAPH) for g in s.sources)
            for s in u.statements
            if (f"{TM}owner", u.party.id) in s.facts
        ]
        for u in found
    }
    assert by_owner == {
        "NORTHWIND LANTERN CO.": [("uspto-daily-sample",)],
        "NORTHWIND LANTERN LLC": [("apc250107-copy",)],
    }
    # the facts both state (the registration's dates, its number) cite both, in each hit
    for usage in found:
        assert {g.removeprefix(GRAPH) for s in usage.sources for g in [s.graph]} == {
            "uspto-daily-sample",
            "apc250107-copy",
        }


def test_a_status_the_same_day_files_disagree_on_is_two_statements(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Two copies of UKIPO's answer of one day, one saying Expired: both current."""
    copy = write(
        tmp_path,
        "gb-mark-copy.xml",
        GB_MARK.read_text(encoding="utf-8").replace(">Registered<", ">Expired<"),
    )
    report = import_registry(disk_graph, [GB_MARK, GB_APPLICANT, copy])
    assert (report.history, report.older) == (0, 0)
    assert current_graphs(disk_graph, "gb-UK00009900123") == {"st66-tmview-gb-mark", "gb-mark-copy"}
    analyst = Analyst(disk_graph)
    found = analyst.who_else_uses("HARBOUR LANTERN", 11, include_lapsed=True)
    assert check_answer(disk_graph, analyst.facts, found) == []
    statuses = {
        value: tuple(g.removeprefix(GRAPH) for g in s.sources)
        for u in found
        for s in u.statements
        for prop, value in s.facts
        if prop == f"{TM}status"
    }
    assert statuses == {"Registered": ("st66-tmview-gb-mark",), "Expired": ("gb-mark-copy",)}


def test_a_strictly_later_file_makes_every_same_day_state_history(
    disk_graph: KnowledgeGraph, same_day: dict[str, Path]
) -> None:
    import_registry(disk_graph, [same_day["daily"], same_day["st66"]])
    report = import_registry(disk_graph, [same_day["later"]])
    # every case of the daily file had a state from the earlier day's file; 90000001 two
    assert report.history == report.records + 1 == 8
    assert current_graphs(disk_graph, US_SERIAL) == {"apc250108"}
    assert version_graphs(disk_graph, US_SERIAL) == {"uspto-daily-sample", "tsdr-90000001-st66"}
    # either same-day file again, or an older one: history at once, nothing added
    before = all_quads(disk_graph)
    for again in ("daily", "st66", "later"):
        assert import_registry(disk_graph, [same_day[again]]).quads_added == 0, again
    assert all_quads(disk_graph) == before
    report = import_registry(disk_graph, [same_day["earlier"]])
    assert (report.history, report.older) == (0, 1)
    assert current_graphs(disk_graph, US_SERIAL) == {"apc250108"}


def test_importing_a_same_day_file_again_changes_nothing(
    disk_graph: KnowledgeGraph, same_day: dict[str, Path]
) -> None:
    import_registry(disk_graph, [same_day["st66"], same_day["daily"]])
    before = all_quads(disk_graph)
    for again in ("st66", "daily", "st66"):
        report = import_registry(disk_graph, [same_day[again]])
        assert (report.quads_added, report.history, report.older) == (0, 0, 0), again
    assert all_quads(disk_graph) == before


def test_an_undated_file_is_current_over_what_came_before(
    disk_graph: KnowledgeGraph, same_day: dict[str, Path]
) -> None:
    """Undated (no transaction date): nothing says which state is newer, and the import's
    order is taken for time: the later import is current (docs/registry-import.md)."""
    import_registry(disk_graph, [same_day["daily"], same_day["st66"]])
    report = import_registry(disk_graph, [same_day["undated"]])
    assert report.history == 2
    assert current_graphs(disk_graph, US_SERIAL) == {"tsdr-90000001-undated"}
    # a dated file after it is current in turn; the undated one again stays history
    report = import_registry(disk_graph, [same_day["earlier"]])
    assert report.history == 1
    assert current_graphs(disk_graph, US_SERIAL) == {"tsdr-90000001-old"}
    assert import_registry(disk_graph, [same_day["undated"]]).quads_added == 0
    assert current_graphs(disk_graph, US_SERIAL) == {"tsdr-90000001-old"}


@pytest.mark.parametrize(
    ("first", "second", "current", "counts"),
    [
        # one status date: one state (TSDR's ST.66 and ST.96 of one download), both current
        (("700", "2020-01-14"), ("700", "2020-01-14"), {"a", "b"}, (0, 0)),
        (("700", "2020-01-14"), ("800", "2020-01-14"), {"a", "b"}, (0, 0)),  # disagreeing
        # a year and a day in it: which is later is not known (helper-122 #9)
        (("700", "2020"), ("800", "2020-01-14"), {"a", "b"}, (0, 0)),
        (("700", "2020-01-14"), ("800", "2020"), {"a", "b"}, (0, 0)),
        # a later status date: the state after that change, the other taken before it
        (("700", "2020-01-14"), ("800", "2021-03-02"), {"b"}, (1, 0)),
        (("800", "2021-03-02"), ("700", "2020-01-14"), {"a"}, (0, 1)),  # older: history at once
        # a side with no status date: nothing to compare, the later import is current
        (("700", None), ("800", "2020-01-14"), {"b"}, (1, 0)),
        (("700", "2021-03-02"), ("800", None), {"b"}, (1, 0)),
    ],
)
def test_undated_states_are_ordered_by_their_status_dates(
    disk_graph: KnowledgeGraph,
    tmp_path: Path,
    first: tuple[str, str | None],
    second: tuple[str, str | None],
    current: set[str],
    counts: tuple[int, int],
) -> None:
    """Two files stating serial 90000001 with no record date (TSDR status downloads): their
    status dates stand for record dates where both give one (docs/registry-import.md)."""
    a = write(tmp_path, "a.xml", st66_us(None, *first))
    b = write(tmp_path, "b.xml", st66_us(None, *second))
    import_registry(disk_graph, [a])
    report = import_registry(disk_graph, [b])
    assert (report.history, report.older) == counts
    assert current_graphs(disk_graph, US_SERIAL) == current
    assert version_graphs(disk_graph, US_SERIAL) == {"a", "b"} - current
    again = import_registry(disk_graph, [a, b])  # importing both again changes nothing
    assert (again.quads_added, again.history) == (0, 0)
    analyst = Analyst(disk_graph)
    found = analyst.who_else_uses("NORTHWIND LANTERN", 11)
    assert check_answer(disk_graph, analyst.facts, found) == []
    [hit] = found
    held = [s for s in hit.statements if s.subject == f"{REG}{US_SERIAL}"]
    assert {g.removeprefix(GRAPH) for s in held for g in s.sources} == current
    # the owner's name is no part of a state: every file naming it is cited for it
    assert hit.party.name_statement in hit.statements


def test_one_import_of_both_twins_keeps_both_current(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """The two files in one `kg import` (one transaction): as in two imports."""
    a = write(tmp_path, "a.xml", st66_us(None, "700", "2020-01-14"))
    b = write(tmp_path, "b.xml", st66_us(None, "700", "2020-01-14"))
    report = import_registry(disk_graph, [a, b])
    assert (report.records, report.history, report.older) == (2, 0, 0)
    assert current_graphs(disk_graph, US_SERIAL) == {"a", "b"}


def test_graphql_cites_the_party_file_for_the_owner_s_name(tmp_path: Path) -> None:
    """Over GraphQL on a real `kg serve`: the hit's party states where its name comes from
    (the applicant file, not the mark file naming the owner by key), and the hit's
    statements and sources cite it."""
    from tests.graphql_support import GraphQLServer, post

    store = tmp_path / "store"
    run_kg("--store", store, "import", GB_MARK, GB_APPLICANT, check=True)
    query = """{ whoElseUses(mark: "HARBOUR LANTERN", niceClass: 11) {
        party { name nameStatement { subject facts { property value } sources { graph title } } }
        sources { graph }
        statements { subject sources { graph } } } }"""
    with GraphQLServer("--store", store) as server:
        answer = post(server.graphql, query)
    assert "errors" not in answer, answer
    [hit] = answer["data"]["whoElseUses"]
    said = hit["party"]["nameStatement"]
    assert said["facts"] == [{"property": NAME, "value": "Quayside Lamp Works Limited"}]
    assert [(s["graph"], s["title"]) for s in said["sources"]] == [
        (f"{GRAPH}st66-tmview-gb-applicant", GB_APPLICANT.name)
    ]
    assert {s["graph"] for s in hit["sources"]} == {
        f"{GRAPH}st66-tmview-gb-mark",
        f"{GRAPH}st66-tmview-gb-applicant",
    }
    assert {
        "subject": said["subject"],
        "sources": [{"graph": f"{GRAPH}st66-tmview-gb-applicant"}],
    } in (hit["statements"])


@pytest.mark.parametrize(
    ("element", "first", "second"),
    [
        ("MarkCurrentStatusDate", "2020-01-14", "2021-02-02"),
        ("MarkCurrentStatusCode", "700", "710"),
        ("ApplicationDate", "2019-03-04", "2018-01-01"),
        ("RegistrationNumber", "6001234", "6001235"),
    ],
)
def test_an_st66_value_given_twice_differently_is_an_error(
    disk_graph: KnowledgeGraph, tmp_path: Path, element: str, first: str, second: str
) -> None:
    """A TradeMark element of one value given twice with different values (helper-122: the
    first was kept silently): the import names both and writes nothing; the same value
    twice is no contradiction."""
    text = st66_us(None, "700", "2020-01-14")
    given = f"<{element}>{first}</{element}>"
    assert given in text
    bad = write(
        tmp_path, "twice.xml", text.replace(given, given + f"<{element}>{second}</{element}>")
    )
    before = all_quads(disk_graph)
    with pytest.raises(
        ParseError,
        match=f"{element}: '{second}', but (line \\d+|an earlier element on the same line) gives '{first}'",
    ):
        import_registry(disk_graph, [bad])
    assert all_quads(disk_graph) == before
    same = write(tmp_path, "same.xml", text.replace(given, given + given))
    assert import_registry(disk_graph, [same]).records == 1


def test_a_value_given_twice_on_one_line_says_where(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """A file written on one line (helper-123: "line 1 ... but line 1 gives"): the first value
    is "an earlier element on the same line"."""
    text = st66_us(None, "700", "2020-01-14")
    given = "<MarkCurrentStatusCode>700</MarkCurrentStatusCode>"
    one_line = " ".join(text.replace(given, given + given.replace("700", "710")).split("\n"))
    assert "\n" not in one_line.strip()
    bad = write(tmp_path, "oneline.xml", one_line)
    with pytest.raises(
        ParseError, match="'710', but an earlier element on the same line gives '700'"
    ):
        import_registry(disk_graph, [bad])
