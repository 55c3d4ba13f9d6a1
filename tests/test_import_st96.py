"""`kg import` of WIPO ST.96 Trademark XML (kg/registries/st96.py).

Fixtures: tests/data/registry-st96.xml (a TrademarkTransaction: a co-owned registered EU trade
mark with texts in two languages, a pending UK application with a translation and a
disclaimer, an expired US registration with Vienna and national classes, a Madrid
international registration with designations, a figurative mark) and
tests/data/registry-st96-cipo.xml (CIPO's layout: a TrademarkApplication with tmk:/com:
WIPO and catmk:/cacom: CIPO prefixes, English and French goods texts). The real USPTO TSDR
twin files in ../shared/real-registers are read when that folder is there.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kg import KnowledgeGraph, ParseError
from kg.analysis.service import Analyst
from kg.registries.importer import detect_registry_format, import_registry, read_registry
from kg.registries.records import RegistryRecord, RowErrors
from kg.registries.st96 import read_st96
from tests.conftest import DATA, all_quads

ST96 = DATA / "registry-st96.xml"
CIPO = DATA / "registry-st96-cipo.xml"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-registers"
REAL_ST96 = REAL / "uspto-tsdr-sn87881347-ST96.xml"
REAL_ST66 = REAL / "uspto-tsdr-sn87881347-ST66.xml"
needs_real = pytest.mark.skipif(
    not REAL_ST96.is_file(), reason=f"the real register files are not there ({REAL})"
)
REG = "https://w3id.org/tmkg/id/registration/"
IMPORT_GRAPH = "https://w3id.org/tmkg/id/graph/import/"


def records(path: Path, jurisdiction: str | None = None) -> dict[str, RegistryRecord]:
    errors = RowErrors(str(path))
    found, _tally = read_st96(path, jurisdiction, errors)
    by_number = {record.number: record for record in found}
    assert not errors, errors.errors
    return by_number


def values(graph: KnowledgeGraph, registration: str, path: str) -> list[str]:
    rows = graph.query(f"SELECT ?v WHERE {{ <{REG}{registration}> {path} ?v }}")
    return sorted(str(row["v"].value) for row in rows)


def dates(found: object) -> object:
    """Literals as their lexical values, through tuples."""
    if isinstance(found, tuple):
        return tuple(dates(item) for item in found)
    return getattr(found, "value", found)


# ------------------------------------------------------------------ the records


def test_a_co_owned_registration_reads_every_kind_of_value() -> None:
    record = records(ST96)["018900001"]
    assert (record.jurisdiction, record.mark, record.mark_feature) == ("EM", "LUMIVANT", "Word")
    assert (record.application_number, record.registration_number) == ("018900001", "018900001")
    assert record.record_id == "application 018900001"
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("Lumivant Lichttechnik GmbH", "company", "DE"),  # not AT, the address's country
        ("Clara Ondine", "person", "FR"),
    ]
    assert dates((record.filing_date, record.registration_date, record.expiry_date)) == (
        "2019-03-01",
        "2019-07-10",
        "2029-03-01",
    )
    assert (record.status, record.status_code, dates(record.status_date)) == (
        "Registered",
        "Registered",
        "2019-07-10",
    )
    assert record.classes == (9, 42)
    nine, forty_two = record.goods_services
    assert (nine.nice, nine.version) == (9, "11-2019")
    assert {(t.language, t.text) for t in nine.texts} == {
        ("en", "Downloadable lighting control software"),
        ("de", "Herunterladbare Software zur Lichtsteuerung"),
    }
    # No languageCode: the application's language (ApplicationLanguageCode en)
    assert [(t.language, t.text) for t in forty_two.texts] == [("en", "Design of lighting systems")]
    [claim] = record.priority_claims  # the ZZ claim is left out with a warning
    assert (claim.country, dates(claim.date), claim.number) == ("US", "2018-10-01", "88123456")
    assert dates(record.publication_date) == "2019-04-01"  # the first of two publications
    assert dates(record.opposition_period) == ("2019-04-01", "2019-07-01")
    assert [(r.name, r.kind) for r in record.representatives] == [
        ("Fenwick Example Patentanwälte", "company")
    ]
    assert [(dates(e.date), e.code, e.kind, e.description) for e in record.events] == [
        ("2019-03-01", None, "filing", "Application filed"),
        ("2019-07-10", "REG", "registration", "Registration entered in the register"),
    ]


def test_a_pending_application_has_no_registration_number_and_keeps_its_statements() -> None:
    record = records(ST96)["UK00003999001"]
    assert record.jurisdiction == "GB"  # from ApplicationNumber/IPOfficeCode
    assert record.registration_number is None and record.registration_date is None
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("Tamsin Examplewood", "person", "GB")
    ]
    assert [(t.text, t.language) for t in record.translations] == [("north wind", "en")]
    assert [(t.text, t.language) for t in record.disclaimers] == [
        ("No claim is made to the exclusive right to use WIND.", "en")
    ]
    assert record.status == "Application filed" and record.classes == (25,)


def test_an_ended_us_registration_with_its_chain_of_title_vienna_and_us_classes() -> None:
    record = records(ST96)["76000123"]
    # USPTO lists the chain of title, current owner first: party type 30 before 10
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("Oldcastle Forge Works Inc.", "company", "US")
    ]
    assert record.status_code == "710"
    assert record.status.startswith("Registration cancelled because registrant")
    assert dates((record.status_date, record.expiry_date, record.renewal_date)) == (
        "2020-11-05",
        "2020-05-01",
        "2015-04-20",
    )
    assert record.vienna_codes == ("07.01.03", "26.01.03")
    assert (record.classes, record.national_classes) == ((8,), ("023",))
    [knives] = record.goods_services
    assert dates((knives.first_used_date, knives.first_used_commerce_date)) == (
        "2003-05",  # USPTO's 20030500: the day unknown
        "2003-06-15",
    )
    # An office extension holding another ApplicationNumber is skipped entirely
    assert record.application_number == "76000123" and record.registration_number == "3000001"


def test_an_international_registration_reads_its_designations() -> None:
    record = records(ST96)["1500001"]
    assert record.jurisdiction == "WO"
    assert [(d.jurisdiction, dates(d.date)) for d in record.designations] == [
        ("CN", "2020-01-15"),
        ("EM", "2021-06-01"),
    ]
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("Zephyra Parfums SA", None, "CH")  # an EntityName says nothing of the kind
    ]


def test_warnings_are_counted_by_kind_with_their_lines() -> None:
    errors = RowErrors(str(ST96))
    found, tally = read_st96(ST96, None, errors)
    assert len(list(found)) == 4
    lines = tally.lines()
    expected = [
        "1 record: priority claim without a known country or a day-precise date: left out "
        "(e.g. line 55 application 018900001",
        '1 record: bad MarkEventDate: left out (e.g. line 121 application 018900001 "2019-02-30")',
        "1 record: text without a languageCode: tagged und (undetermined) (e.g. line 279 "
        "application 1500001 GoodsServicesDescriptionText)",
        "1 record: designation of an unknown country code: left out (e.g. line 300 application "
        '1500001 "XX")',
        "1 record: Trademark without a word element (a figurative mark): not imported (e.g. "
        "line 304 application 018900777)",
    ]
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(f"{ST96}: {start}"), line


def test_a_cipo_file_reads_its_prefixes_and_both_languages() -> None:
    [record] = records(CIPO).values()
    assert (record.jurisdiction, record.number, record.registration_number) == (
        "CA",
        "300000019876500",  # the ST13ApplicationNumber as written (no ApplicationNumberText)
        "TMA1100001",  # not TMA500001, which a catmk: extension element holds
    )
    assert record.mark == "ÉRABLIÈRE BOREALE" and record.mark_feature == "Word"
    assert (record.status_code, record.status) == ("9", "Registered")  # internal description
    assert [(o.name, o.kind) for o in record.owners] == [("Érablière Boréale Inc.", None)]
    assert [
        (gs.nice, gs.version, sorted((t.language, t.text) for t in gs.texts))
        for gs in record.goods_services
    ] == [
        (30, "11", [("en", "Maple syrup; maple sugar"), ("fr", "Sirop d'érable; sucre d'érable")]),
        (
            43,
            "11",
            [
                ("en", "Sugar shack restaurant services"),
                ("fr", "Services de restaurant de cabane à sucre"),
            ],
        ),
    ]
    assert [r.name for r in record.representatives] == ["Exemple Marks LLP"]
    assert dates(record.publication_date) == "2020-11-04"
    assert dates(record.opposition_period) == ("2020-11-04", "2021-01-04")
    assert [(e.code, e.description) for e in record.events] == [
        ("1", "Filed"),
        ("42", "Advertised"),
    ]


def test_a_zip_of_cipo_files_is_read_member_by_member(tmp_path: Path) -> None:
    text = CIPO.read_text(encoding="utf-8")
    second = text.replace("300000019876500", "300000019999900").replace(
        "ÉRABLIÈRE BOREALE", "CABANE NORDIQUE"
    )
    archive = tmp_path / "CA-TMK-GLOBAL_2024-01.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("300000019876500.xml", text)
        out.writestr("readme.txt", "not read")
        out.writestr("300000019999900.xml", second)
    assert detect_registry_format(str(archive)) == "st96"
    assert [r.mark for r in records(archive).values()] == ["ÉRABLIÈRE BOREALE", "CABANE NORDIQUE"]


def test_records_are_yielded_as_they_are_read(tmp_path: Path) -> None:
    """The first record comes before the parser meets the broken end of the file."""
    text = ST96.read_text(encoding="utf-8")
    cut = text.index("<tmk:Trademark>", text.index("</tmk:Trademark>"))
    broken = tmp_path / "broken.xml"
    broken.write_text(text[:cut] + ("<!-- padding -->\n" * 8000) + "<tmk:Oops></tmk:Trademark>")
    found, _ = read_st96(broken, None, RowErrors(str(broken)))
    assert next(found).mark == "LUMIVANT"
    with pytest.raises(ParseError, match="mismatched tag"):
        next(found)


def test_a_file_without_trademarks_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_text(
        '<tmk:TrademarkTransaction xmlns:tmk="http://www.wipo.int/standards/XMLSchema/ST96/'
        'Trademark"><tmk:TrademarkTransactionBody/></tmk:TrademarkTransaction>'
    )
    found, tally = read_st96(empty, None, RowErrors(str(empty)))
    assert list(found) == []
    assert tally.lines() == [f"{empty}: no TrademarkBag/Trademark element found"]


# ------------------------------------------------------------------ the store


@pytest.fixture
def imported(disk_graph: KnowledgeGraph) -> KnowledgeGraph:
    report = import_registry(disk_graph, [ST96, CIPO])
    assert report.records == 5
    return disk_graph


def test_core_facts_are_stored(imported: KnowledgeGraph) -> None:
    owners = values(imported, "em-018900001", "tm:owner/schema:name")
    assert owners == ["Clara Ondine", "Lumivant Lichttechnik GmbH"]
    assert values(imported, "em-018900001", "tm:owner/tm:nationality") == [
        "https://w3id.org/tmkg/id/jurisdiction/DE",
        "https://w3id.org/tmkg/id/jurisdiction/FR",
    ]
    assert values(imported, "em-018900001", "tm:niceClass") == [
        "https://w3id.org/tmkg/id/nice/42",
        "https://w3id.org/tmkg/id/nice/9",
    ]
    assert values(imported, "em-018900001", "tm:expiryDate") == ["2029-03-01"]
    assert values(imported, "gb-UK00003999001", "tm:registrationNumber") == []
    assert values(imported, "gb-UK00003999001", "tm:applicationNumber") == ["UK00003999001"]
    assert values(imported, "us-76000123", "tm:renewalDate") == ["2015-04-20"]
    assert values(imported, "us-76000123", "tm:statusDate") == ["2020-11-05"]
    assert values(imported, "ca-300000019876500", "tm:registrationNumber") == ["TMA1100001"]
    assert values(imported, "ca-300000019876500", "tm:mark/tm:text") == ["ÉRABLIÈRE BOREALE"]
    assert values(imported, "em-018900777", "a") == []  # the figurative mark: not imported


def test_details_are_stored(imported: KnowledgeGraph) -> None:
    rows = imported.query(
        f"""SELECT ?n ?text ?lang WHERE {{ <{REG}ca-300000019876500> tm:goodsServices ?gs .
        ?gs tm:goodsServicesClass/skos:notation ?n ; tm:goodsServicesText ?text
        BIND(LANG(?text) AS ?lang) }}"""
    )
    found = sorted((str(r["n"].value), str(r["lang"].value), str(r["text"].value)) for r in rows)
    assert ("30", "fr", "Sirop d'érable; sucre d'érable") in found
    assert ("43", "en", "Sugar shack restaurant services") in found
    assert values(imported, "em-018900001", "tm:priorityClaim/tm:priorityDate") == ["2018-10-01"]
    assert values(imported, "em-018900001", "tm:oppositionPeriodEndDate") == ["2019-07-01"]
    assert values(imported, "em-018900001", "tm:representative/schema:name") == [
        "Fenwick Example Patentanwälte"
    ]
    assert values(imported, "gb-UK00003999001", "tm:markTranslation") == ["north wind"]
    assert values(imported, "wo-1500001", "tm:designation/tm:jurisdiction") == [
        "https://w3id.org/tmkg/id/jurisdiction/CN",
        "https://w3id.org/tmkg/id/jurisdiction/EM",
    ]
    assert values(imported, "us-76000123", "tm:statusCode") == ["710"]
    assert values(imported, "us-76000123", "tm:viennaCode") == ["07.01.03", "26.01.03"]


def test_importing_the_same_file_twice_adds_nothing(imported: KnowledgeGraph) -> None:
    assert import_registry(imported, [ST96, CIPO]).quads_added == 0


# ------------------------------------------------------------------ bad files

TEMPLATE = ST96.read_text(encoding="utf-8")
BAD = [
    (
        "bad-date",
        TEMPLATE.replace("<com:ApplicationDate>2019-03-01<", "<com:ApplicationDate>2019-02-30<"),
        'registry.xml:14:13: application 018900001: ApplicationDate: "2019-02-30" is not a date',
    ),
    (
        "bad-class",
        TEMPLATE.replace("<tmk:ClassNumber>42<", "<tmk:ClassNumber>46<"),
        'registry.xml:40:21: application 018900001: ClassNumber: "46" is not a Nice class (1-45)',
    ),
    (
        "missing-number",
        TEMPLATE.replace("<com:ApplicationNumberText>76000123</com:ApplicationNumberText>", ""),
        "registry.xml:171:11: Trademark on line 171: Trademark without an ApplicationNumber",
    ),
    (
        "bad-owner-country",
        TEMPLATE.replace(
            ">DE</com:IncorporationCountryCode>", ">XX</com:IncorporationCountryCode>"
        ),
        "registry.xml:72:17: application 018900001: IncorporationCountryCode: unknown "
        'jurisdiction "XX"',
    ),
    (
        "bad-office",
        TEMPLATE.replace("<com:RegistrationOfficeCode>WO<", "<com:RegistrationOfficeCode>UK<"),
        "registry.xml:256:13: application 1500001: RegistrationOfficeCode: unknown jurisdiction "
        '"UK": the ISO 3166-1 code of the United Kingdom is GB',
    ),
    (
        "no-applicant-name",
        TEMPLATE.replace("<com:EntityName>Zephyra Parfums SA</com:EntityName>", ""),
        "registry.xml:285:15: application 1500001: Applicant without a name",
    ),
    (
        "doctype",
        TEMPLATE.replace(
            "<tmk:TrademarkTransaction",
            '<!DOCTYPE x [<!ENTITY e "e">]>\n<tmk:TrademarkTransaction',
            1,
        ),
        "registry.xml:3:13: a DOCTYPE is refused",
    ),
    (
        "not-well-formed",
        TEMPLATE.replace("</tmk:MarkFeatureCategory>", "</tmk:MarkFeature>", 1),
        "registry.xml:21:46: not well-formed XML: mismatched tag (in the Trademark on line 8, "
        "application 018900001)",
    ),
    (
        "undeclared-entity",
        TEMPLATE.replace(">LUMIVANT<", ">&mark;<"),
        "not well-formed XML: undefined entity (in the Trademark on line 8, application 018900001)",
    ),
    (
        "not-st96",
        TEMPLATE.replace("XMLSchema/ST96/Trademark", "XMLSchema/ST99/Trademark"),
        "registry.xml:3: not an ST.96 file: the root element is "
        "{http://www.wipo.int/standards/XMLSchema/ST99/Trademark}TrademarkTransaction",
    ),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_values_are_named_and_nothing_is_written(
    disk_graph: KnowledgeGraph, tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "registry.xml"
    bad.write_text(text, encoding="utf-8")
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [CIPO, bad], format_name="st96")
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")
    assert all_quads(disk_graph) == before


def test_several_bad_values_are_all_reported(tmp_path: Path) -> None:
    text = TEMPLATE.replace("<com:ExpiryDate>2029-03-01<", "<com:ExpiryDate>2029-13-01<")
    text = text.replace("<tmk:ClassNumber>3<", "<tmk:ClassNumber>0<")
    bad = tmp_path / "registry.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        read_registry(bad)
    message = str(caught.value)
    assert 'application 018900001: ExpiryDate: "2029-13-01" is not a date' in message
    assert 'application 1500001: ClassNumber: "0" is not a Nice class' in message


# ------------------------------------------------------------------ the real files


@needs_real
def test_the_real_uspto_st96_file_reads_as_the_file_says() -> None:
    record = records(REAL_ST96)["87881347"]
    assert (record.jurisdiction, record.mark, record.mark_feature) == (
        "US",
        "BURGER ADDICT",
        "Standard characters",
    )
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("Burger Addict Renton LLC", "company", "US")
    ]
    assert dates((record.filing_date, record.status_date)) == ("2018-04-17", "2018-08-27")
    assert record.status_code == "680" and record.status.startswith("Approved by the examining")
    assert record.registration_number is None
    assert (record.classes, record.national_classes) == ((43,), ("100", "101"))
    [services] = record.goods_services
    assert services.texts[0].text.startswith("Restaurant; Restaurant and bar services;")
    assert dates(services.first_used_date) == "2015-05-25"
    assert [(d.text, d.language) for d in record.disclaimers] == [('"BURGER"', "en")]
    assert [r.name for r in record.representatives] == ["Sam B. Example"]
    assert len(record.events) == 19
    assert (dates(record.events[-1].date), record.events[-1].code) == ("2018-04-20", "NWAPI")


@needs_real
def test_the_st66_and_st96_twins_name_one_registration_with_agreeing_facts(
    disk_graph: KnowledgeGraph,
) -> None:
    """Both name us-87881347 and neither is dated (TSDR gives no transaction date): their
    status date is one (2018-08-27), so both states are current (one download in two
    formats, `kg.registries.versions`), each file cited for the facts it states; their core
    facts agree."""
    report = import_registry(disk_graph, [REAL_ST66, REAL_ST96])
    assert (report.history, report.older) == (0, 0)
    current = f"{REG}us-87881347"
    rows = disk_graph.query(
        f"SELECT ?node ?g WHERE {{ GRAPH ?g {{ ?node tm:mark ?m }} "
        f"FILTER(?node = <{current}> || EXISTS {{ ?node dcterms:isVersionOf <{current}> }}) }}"
    )
    named = {str(r["g"].value).rsplit("/", 1)[1]: str(r["node"].value) for r in rows}
    assert named == {
        "uspto-tsdr-sn87881347-ST66": current,
        "uspto-tsdr-sn87881347-ST96": current,
    }
    graphs = [f"{IMPORT_GRAPH}{stem}" for stem in sorted(named)]
    for path in (
        "tm:mark/tm:text",
        "tm:owner/schema:name",
        "tm:owner/tm:nationality",
        "tm:jurisdiction",
        "tm:applicationNumber",
        "tm:filingDate",
        "tm:statusDate",
        "tm:niceClass",
        "tm:markFeature",
        "tm:markDisclaimer",
        "tm:statusCode",  # ST.66 states the USPTO code as its status, ST.96 as its status code
    ):
        found = [
            {
                str(r["v"].value)
                for r in disk_graph.query(
                    f"SELECT ?v WHERE {{ GRAPH <{g}> {{ <{current}> {path} ?v }} }}"
                )
            }
            for g in graphs
        ]
        assert found[0] and found[0] == found[1], (path, found)
    assert values(disk_graph, "us-87881347", "tm:statusCode") == ["680", "680"]  # per graph
    analyst = Analyst(disk_graph)
    [hit] = analyst.who_else_uses("BURGER ADDICT", 43)
    assert {s.graph for s in hit.sources} == set(graphs)  # both files state the application


@pytest.mark.parametrize(
    ("element", "first", "second"),
    [
        ("tmk:MarkCurrentStatusDate", "2019-07-10", "2020-01-01"),
        ("com:ApplicationDate", "2019-03-01", "2001-01-01"),
        ("com:RegistrationDate", "2019-07-10", "2001-01-01"),
        ("com:ExpiryDate", "2029-03-01", "2031-01-01"),
        ("com:ApplicationNumberText", "018900001", "018900002"),
        ("tmk:MarkVerbalElementText", "LUMIVANT", "LUMIVANTS"),
    ],
)
def test_a_single_value_given_twice_differently_is_an_error(
    disk_graph: KnowledgeGraph, tmp_path: Path, element: str, first: str, second: str
) -> None:
    """An element ST.96 allows once, given twice with different values (helper-122: two
    status dates were read as the first, which then decided which state was history): the
    import names both and writes nothing; the same value twice is no contradiction."""
    text = (DATA / "registry-st96.xml").read_text(encoding="utf-8")
    start = text.index(f"<{element}>")
    end = text.index(f"</{element}>", start) + len(f"</{element}>")
    given = text[start:end]
    value = given.removeprefix(f"<{element}>").removesuffix(f"</{element}>")
    assert value == first
    bad = tmp_path / "twice.xml"
    bad.write_text(text[:end] + given.replace(value, second) + text[end:], encoding="utf-8")
    before = all_quads(disk_graph)
    name = element.split(":")[1]
    with pytest.raises(
        ParseError,
        match=f"{name}: '{second}', but (line|column) \\d+ (of the same line )?gives '{value}'",
    ):
        import_registry(disk_graph, [bad])
    assert all_quads(disk_graph) == before
    same = tmp_path / "same.xml"
    same.write_text(text[:end] + given + text[end:], encoding="utf-8")
    assert import_registry(disk_graph, [same]).records > 0
    if "Date" in element:  # the same day with a time zone: one value
        zoned = tmp_path / "zoned.xml"
        again = given.replace(value, value + "-04:00")
        zoned.write_text(text[:end] + again + text[end:], encoding="utf-8")
        assert import_registry(disk_graph, [zoned]).records > 0


def test_a_value_given_twice_on_one_line_says_which_column(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """A file written on one line: the first value is named by its column."""
    text = (DATA / "registry-st96.xml").read_text(encoding="utf-8")
    element = "tmk:MarkCurrentStatusDate"
    start = text.index(f"<{element}>")
    end = text.index(f"</{element}>", start) + len(f"</{element}>")
    given = text[start:end]
    doubled = text[:end] + given.replace(given[len(element) + 2 : -len(element) - 3], "1999-01-01")
    one_line = " ".join((doubled + text[end:]).split("\n"))
    bad = tmp_path / "oneline.xml"
    bad.write_text(one_line, encoding="utf-8")
    with pytest.raises(ParseError, match=r"'1999-01-01', but column \d+ of the same line gives"):
        import_registry(disk_graph, [bad])
