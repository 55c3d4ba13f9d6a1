"""ST.66 as offices publish it (issue 14): any namespace (TMview per-office services, EUIPO's
EUTM download, WIPO's Madrid export, USPTO TSDR), applicants and representatives inline or by
key, the detail fields, streaming, hostile inputs, and the real office files.

Fixtures (written for these tests in the offices' formats; every mark and party is made up):
tests/data/st66-tmview-gb-{mark,applicant,representative}.xml (UKIPO's TMview answers: the
mark names its applicant and representative only by key), st66-osim-ro-inline.xml (OSIM:
parties inline, repeated Vienna codes, goods texts in two languages), st66-euipo-em-
{marks,parties}.xml (EUIPO, office EM, parties by Identifier), st66-claims-events.xml (a Madrid
WO record and a USPTO TSDR one: priority, designations, renewal, events, translations),
st66-uspto-tsdr-use.xml (USPTO TSDR: US classes and first-use dates per class, the status in
words, attorneys beside correspondents), st66-euipo-em-deleted.xml (EUIPO: TradeMarks and
parties marked operationCode Delete)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kg import KnowledgeGraph, ParseError
from kg.analysis.service import Analyst
from kg.registries import st66
from kg.registries.importer import import_registry, read_registry
from kg.registries.records import Owner, RegistryRecord, RowErrors
from kg.registries.st66 import gather_st66_parties, read_st66, read_st66_parties
from tests.conftest import DATA, all_quads

GB_MARK = DATA / "st66-tmview-gb-mark.xml"
GB_APPLICANT = DATA / "st66-tmview-gb-applicant.xml"
GB_REPRESENTATIVE = DATA / "st66-tmview-gb-representative.xml"
RO = DATA / "st66-osim-ro-inline.xml"
EM_MARKS = DATA / "st66-euipo-em-marks.xml"
EM_PARTIES = DATA / "st66-euipo-em-parties.xml"
CLAIMS = DATA / "st66-claims-events.xml"
USE = DATA / "st66-uspto-tsdr-use.xml"
EM_DELETED = DATA / "st66-euipo-em-deleted.xml"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-registers"
REG = "https://w3id.org/tmkg/id/registration/"


def read(path: Path, parties: dict | None = None, jurisdiction: str | None = None):
    """(records, error messages, warning lines) of one file."""
    errors = RowErrors(str(path))
    records, tally = read_st66(path, jurisdiction, errors, parties=parties)
    found = list(records)
    return found, [message for _line, _column, message in errors.errors], tally.lines()


def by_number(records: list[RegistryRecord]) -> dict[str, RegistryRecord]:
    return {record.number: record for record in records}


def texts(items) -> list[tuple[str, str]]:
    return [(item.text, item.language) for item in items]


def values(graph: KnowledgeGraph, registration: str, path: str) -> list[str]:
    rows = graph.query(f"SELECT ?v WHERE {{ <{REG}{registration}> {path} ?v }}")
    return sorted(row["v"].value for row in rows)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ parties by key


def test_parties_are_keyed_by_role_and_identifier() -> None:
    assert read_st66_parties(GB_APPLICANT) == {
        "applicant/880011": ("applicant", Owner("Quayside Lamp Works Limited", None, "GB"))
    }
    assert read_st66_parties(GB_REPRESENTATIVE) == {
        "representative/7702": ("representative", Owner("Example Marks LLP", "company", None))
    }
    em = read_st66_parties(EM_PARTIES)
    assert em["applicant/770002"] == ("applicant", Owner("Greta Beispielmann", "person", "AT"))
    assert sorted(em) == ["applicant/770001", "applicant/770002", "representative/66001"]
    assert read_st66_parties(GB_MARK) == {}  # a mark file defines no parties outside its marks
    assert read_st66_parties(RO) == {}  # inline parties belong to their mark


def test_a_uri_key_resolves_to_the_applicant_file_identifier() -> None:
    """UKIPO's mark names applicant 880011 as http://www.ipo.gov.uk/trademark/applicant/880011."""
    parties = gather_st66_parties([GB_MARK, GB_APPLICANT, GB_REPRESENTATIVE])
    [record], errors, warnings = read(GB_MARK, parties)
    assert errors == [] and warnings == []
    assert record.owners == (Owner("Quayside Lamp Works Limited", None, "GB"),)
    assert record.representatives == (Owner("Example Marks LLP", "company", None),)
    assert (record.record_id, record.jurisdiction, record.classes) == (
        "application UK00009900123",
        "GB",
        (11, 21),
    )
    assert record.as_of is not None and record.as_of.value == "2024-03-05"
    assert record.opposition_period is not None
    assert [date.value for date in record.opposition_period] == ["2019-04-26", "2019-06-26"]
    assert [(g.nice, texts(g.texts)) for g in record.goods_services] == [
        (11, [("Lanterns for lighting; lamps.", "en")]),
        (21, [("Candle holders.", "en")]),
    ]


def test_an_unresolved_applicant_key_is_an_error_naming_key_line_and_record() -> None:
    for parties in ({}, None, read_st66_parties(GB_REPRESENTATIVE)):
        records, errors, _warnings = read(GB_MARK, parties)
        assert records == []
        assert errors == [
            'ApplicantKey "http://www.ipo.gov.uk/trademark/applicant/880011" names no applicant '
            "of the files imported (application UK00009900123): import the file that defines "
            "it in the same command, e.g. kg import st66-tmview-gb-mark.xml applicants.xml"
        ]
    # A key of the other role does not answer: representative 880011 is not applicant 880011.
    wrong_role = {"representative/880011": ("representative", Owner("Someone Else Ltd"))}
    assert read(GB_MARK, wrong_role)[0] == []


def test_an_unresolved_representative_key_is_a_warning(tmp_path: Path) -> None:
    [record], errors, warnings = read(GB_MARK, read_st66_parties(GB_APPLICANT))
    assert errors == [] and record.representatives == ()
    assert warnings == [
        f"{GB_MARK}: 1 record: RepresentativeKey names no representative of the files "
        "imported: representative left out (e.g. line 1 "
        "http://www.ipo.gov.uk/trademark/representative/7702 (application UK00009900123))"
    ]


def test_the_mark_alone_through_kg_import_names_the_missing_key(disk_graph: KnowledgeGraph) -> None:
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [GB_MARK])
    message = str(caught.value)
    assert f"{GB_MARK}:1: " in message
    assert 'ApplicantKey "http://www.ipo.gov.uk/trademark/applicant/880011"' in message
    assert "application UK00009900123" in message and "in the same command" in message
    assert all_quads(disk_graph) == before


def test_a_party_file_alone_imports_nothing_and_says_nothing() -> None:
    for path in (GB_APPLICANT, GB_REPRESENTATIVE, EM_PARTIES):
        imported = read_registry(path)
        assert (imported.records, imported.warnings) == (0, ())


def test_mark_and_applicant_files_import_together(disk_graph: KnowledgeGraph) -> None:
    report = import_registry(disk_graph, [GB_MARK, GB_APPLICANT, GB_REPRESENTATIVE])
    assert report.records == 1
    assert values(disk_graph, "gb-UK00009900123", "tm:owner/schema:name") == [
        "Quayside Lamp Works Limited"
    ]
    assert values(disk_graph, "gb-UK00009900123", "tm:owner/tm:nationality") == [
        "https://w3id.org/tmkg/id/jurisdiction/GB"
    ]


def test_euipo_marks_and_parties_import_together(disk_graph: KnowledgeGraph) -> None:
    report = import_registry(disk_graph, [EM_MARKS, EM_PARTIES])
    assert report.records == 2
    assert values(disk_graph, "em-018990002", "tm:owner/schema:name") == [
        "Greta Beispielmann",
        "Nordwind Beispiel GmbH",
    ]
    assert values(disk_graph, "em-018990001", "tm:jurisdiction") == [
        "https://w3id.org/tmkg/id/jurisdiction/EM"
    ]


# ------------------------------------------------------------------ offices' files


def test_osim_inline_parties_goods_texts_and_vienna_codes() -> None:
    records, errors, warnings = read(RO)
    assert errors == [] and warnings == []
    first, second = by_number(records)["M 2015 09901"], by_number(records)["M 2016 09902"]
    assert first.owners == (Owner("EXEMPLU MUNTE S.R.L.", "company", "RO"),)
    assert first.representatives == (Owner("EXEMPLU PROPRIETATE INDUSTRIALA SRL", "company", None),)
    assert first.vienna_codes == ("05.03.13", "06.01.02", "29.01.03")  # six written, three distinct
    assert [(g.nice, g.version, texts(g.texts)) for g in first.goods_services] == [
        (30, "10-2015", [("Ceai; miere.", "ro"), ("Tea; honey.", "en")]),
        (32, "10-2015", [("Ape minerale.", "ro")]),
    ]
    assert first.as_of is not None and first.as_of.value == "2021-02-03"
    # A person's country is their nationality; an untagged text has the application language.
    assert second.owners == (Owner("Ioana Exemplescu", "person", "MD"),)
    assert texts(second.goods_services[0].texts) == [("Gemuri.", "ro")]
    assert second.representatives == () and second.registration_number is None


def test_osim_file_imports_its_core_facts(disk_graph: KnowledgeGraph) -> None:
    assert import_registry(disk_graph, [RO]).records == 2
    number = "ro-M%202015%2009901"
    assert values(disk_graph, number, "tm:owner/schema:name") == ["EXEMPLU MUNTE S.R.L."]
    assert values(disk_graph, number, "tm:viennaCode") == ["05.03.13", "06.01.02", "29.01.03"]
    assert values(disk_graph, number, "tm:niceClass") == [
        "https://w3id.org/tmkg/id/nice/30",
        "https://w3id.org/tmkg/id/nice/32",
    ]
    assert values(disk_graph, "ro-M%202016%2009902", "tm:owner/tm:nationality") == [
        "https://w3id.org/tmkg/id/jurisdiction/MD"
    ]


def test_euipo_em_records_with_keys_goods_in_three_languages_and_a_figurative_mark() -> None:
    parties = gather_st66_parties([EM_MARKS, EM_PARTIES])
    records, errors, warnings = read(EM_MARKS, parties)
    assert errors == []
    assert warnings == [
        f"{EM_MARKS}: 1 record: skipped: a TradeMark without WordMarkSpecification/"
        "MarkVerbalElementText (figurative) (e.g. line 105 application 018990003)"
    ]
    found = by_number(records)
    falke = found["018990001"]
    assert (falke.jurisdiction, falke.mark, falke.classes) == ("EM", "NORDWIND FALKE", (12, 28))
    assert falke.owners == (Owner("Nordwind Beispiel GmbH", "company", "DE"),)
    assert falke.representatives == (Owner("Beispiel Patentanwälte PartG", "company", None),)
    assert [(g.nice, g.version, [t.language for t in g.texts]) for g in falke.goods_services] == [
        (12, "11-2021", ["de", "en", "fr"]),
        (28, "11-2021", ["de", "en"]),
    ]
    assert falke.publication_date is not None and falke.publication_date.value == "2021-02-19"
    assert [owner.name for owner in found["018990002"].owners] == [
        "Nordwind Beispiel GmbH",
        "Greta Beispielmann",
    ]


def test_claims_events_renewal_and_designations() -> None:
    records, errors, warnings = read(CLAIMS)
    assert errors == []
    assert warnings == [
        f"{CLAIMS}: 1 record: priority claim with an unknown PriorityCountryCode: left out "
        "(e.g. line 69 application 1499001)",
        f"{CLAIMS}: 1 record: priority claim without a day-precise PriorityDate: left out "
        "(e.g. line 74 application 1499001)",
    ]
    madrid, us = by_number(records)["1499001"], by_number(records)["97990001"]
    assert [(c.country, c.date.value, c.number) for c in madrid.priority_claims] == [
        ("FR", "2010-02-15", "10 3 700 001")
    ]
    assert [(d.jurisdiction, d.date.value if d.date else None) for d in madrid.designations] == [
        ("CN", "2010-07-01"),
        ("EM", "2010-07-01"),
        ("CH", "2010-07-01"),
    ]
    assert madrid.renewal_date is not None and madrid.renewal_date.value == "2020-07-01"
    assert texts(madrid.translations) == [("light coffee", "en"), ("café luz", "es")]
    assert texts(madrid.disclaimers) == [
        ("Pas de droit exclusif sur « CAFÉ ».", "fr"),
        ('No exclusive right to "CAFÉ".', "en"),
    ]
    assert [(g.nice, g.version) for g in madrid.goods_services] == [(30, "9")]
    # USPTO TSDR: priority date, event wording and renewal from its ns2 extension.
    assert [(c.country, c.date.value) for c in us.priority_claims] == [("TW", "2021-04-01")]
    assert [(e.date.value, e.code, e.description, e.kind) for e in us.events] == [
        ("2022-11-01", "R.PR", "REGISTERED-PRINCIPAL REGISTER", None),
        ("2022-08-16", "Publication", "Published for opposition", "publication"),
        ("2021-09-17", "NWAP", "NEW APPLICATION ENTERED", None),
    ]
    assert us.renewal_date is not None and us.renewal_date.value == "2032-11-01"
    assert us.publication_date is not None and us.publication_date.value == "2022-08-16"
    assert (us.status, us.status_code, madrid.status_code) == ("700", "700", None)
    assert texts(us.disclaimers) == [('"ROAST"', "en")]  # USPTO: English where untagged
    assert [t.language for t in us.transliterations] == ["und-Latn"]
    assert us.owners == (Owner("North Wind Example Roasters Inc.", "company", "US"),)
    assert us.representatives == (Owner("Alex Q. Example", None, None),)


def test_claims_file_imports_its_core_facts(disk_graph: KnowledgeGraph) -> None:
    assert import_registry(disk_graph, [CLAIMS]).records == 2
    assert values(disk_graph, "wo-1499001", "tm:renewalDate") == ["2020-07-01"]
    assert values(disk_graph, "wo-1499001", "tm:jurisdiction") == [
        "https://w3id.org/tmkg/id/jurisdiction/WO"
    ]
    assert values(disk_graph, "us-97990001", "tm:status") == ["700"]


def test_detail_fields_reach_the_store(disk_graph: KnowledgeGraph) -> None:
    """What kg.registries.details maps from these records, queried back with SPARQL."""
    assert import_registry(disk_graph, [RO, CLAIMS]).records == 4
    ro = "ro-M%202015%2009901"
    rows = disk_graph.query(
        f"""SELECT ?text (LANG(?text) AS ?lang) ?version WHERE {{
              <{REG}{ro}> tm:goodsServices ?gs . ?gs tm:goodsServicesClass
                  <https://w3id.org/tmkg/id/nice/30> ; tm:goodsServicesText ?text ;
                  tm:classificationVersion ?version }}"""
    )
    assert sorted((r["text"].value, r["lang"].value, r["version"].value) for r in rows) == [
        ("Ceai; miere.", "ro", "10-2015"),
        ("Tea; honey.", "en", "10-2015"),
    ]
    assert values(disk_graph, ro, "tm:representative/schema:name") == [
        "EXEMPLU PROPRIETATE INDUSTRIALA SRL"
    ]
    assert values(disk_graph, ro, "tm:oppositionPeriodStartDate") == ["2015-06-01"]
    assert values(disk_graph, "wo-1499001", "tm:priorityClaim/tm:priorityDate") == ["2010-02-15"]
    assert values(disk_graph, "wo-1499001", "tm:designation/tm:jurisdiction") == [
        f"https://w3id.org/tmkg/id/jurisdiction/{code}" for code in ("CH", "CN", "EM")
    ]
    rows = disk_graph.query(
        f"SELECT (LANG(?d) AS ?lang) WHERE {{ <{REG}wo-1499001> tm:markDisclaimer ?d }}"
    )
    assert sorted(row["lang"].value for row in rows) == ["en", "fr"]
    assert values(disk_graph, "us-97990001", "tm:statusCode") == ["700"]
    assert values(disk_graph, "us-97990001", "tm:publicationDate") == ["2022-08-16"]


# ------------------------------------------------------------------ USPTO's extension, deletions


def day(literal) -> str | None:
    return None if literal is None else literal.value


def test_uspto_us_classes_and_first_use_dates_per_class() -> None:
    """ns2:DomesticClassNumbers are national (US) classes; ns2:FirstUseDateNumber /
    FirstUseDate and FirstUseInCommerceDate / …DateNumber (YYYYMMDD, 00 unknown) the class's
    first use; the record's first use is the earliest class's."""
    records, errors, warnings = read(USE)
    assert errors == []
    kettle, ladle = by_number(records)["97990101"], by_number(records)["97990102"]
    assert (kettle.classes, kettle.national_classes) == ((30, 43), ("046", "100", "101"))
    assert (ladle.classes, ladle.national_classes) == ((21,), ("002", "013"))
    assert [
        (g.nice, g.national, day(g.first_used_date), day(g.first_used_commerce_date))
        for g in kettle.goods_services
    ] == [(30, None, "2019-03", "2019-04-15"), (43, None, "2018-06-01", "2018-07")]
    assert (day(kettle.first_used_date), day(kettle.first_used_commerce_date)) == (
        "2018-06-01",
        "2018-07",
    )
    # "20200000": the year only; "20201345" is no date: left out with a warning.
    assert [
        (day(g.first_used_date), day(g.first_used_commerce_date)) for g in ladle.goods_services
    ] == [("2020", None)]
    assert (day(ladle.first_used_date), day(ladle.first_used_commerce_date)) == ("2020", None)
    assert warnings == [
        f"{USE}: 1 record: bad FirstUseInCommerceDateNumber: left out "
        '(e.g. line 113 "20201345" (application 97990102))'
    ]
    # The status in words (TradeMarkExt), whitespace as one space; the number as status code.
    assert (kettle.status, kettle.status_code) == (
        "Approved for publication. Not yet published.",
        "680",
    )
    assert (ladle.status, ladle.status_code) == ("700", "700")
    # Files without USPTO's extension state no first use and no national class.
    for record in read(EM_MARKS, read_st66_parties(EM_PARTIES))[0] + read(CLAIMS)[0]:
        assert (record.first_used_date, record.first_used_commerce_date) == (None, None)
        assert record.national_classes == ()


def test_uspto_first_use_and_us_classes_reach_the_store(disk_graph: KnowledgeGraph) -> None:
    assert import_registry(disk_graph, [USE]).records == 2
    assert values(disk_graph, "us-97990101", "tm:firstUsedDate") == ["2018-06-01"]
    assert values(disk_graph, "us-97990101", "tm:firstUsedCommerceDate") == ["2018-07"]
    assert values(disk_graph, "us-97990102", "tm:firstUsedCommerceDate") == []
    rows = disk_graph.query(
        f"SELECT ?code WHERE {{ <{REG}us-97990101> tm:goodsServices/tm:goodsServicesClass ?c . "
        "?c a tm:NationalClass ; skos:notation ?code }"
    )
    assert sorted(row["code"].value for row in rows) == ["046", "100", "101"]
    rows = disk_graph.query(
        f"SELECT ?date WHERE {{ <{REG}us-97990101> tm:goodsServices ?gs . ?gs "
        "tm:goodsServicesClass <https://w3id.org/tmkg/id/nice/30> ; tm:firstUsedDate ?date }"
    )
    assert [row["date"].value for row in rows] == ["2019-03"]


def test_a_correspondent_is_not_a_representative() -> None:
    """USPTO writes its correspondence address as a Representative whose Comment says
    "Domestic Correspondent" (or "Correspondent"): an address, not the owner's agent."""
    records = by_number(read(USE)[0])
    assert records["97990101"].representatives == (Owner("Jordan P. Example", None, None),)
    assert records["97990102"].representatives == ()
    # Representatives without a Comment (TMview, EUIPO) and attorneys of record stay.
    assert read(RO)[0][0].representatives == (
        Owner("EXEMPLU PROPRIETATE INDUSTRIALA SRL", "company", None),
    )
    us = by_number(read(CLAIMS)[0])["97990001"]
    assert us.representatives == (Owner("Alex Q. Example", None, None),)


def test_a_correspondent_is_no_party_in_the_store(disk_graph: KnowledgeGraph) -> None:
    import_registry(disk_graph, [USE])
    assert values(disk_graph, "us-97990101", "tm:representative/schema:name") == [
        "Jordan P. Example"
    ]
    assert values(disk_graph, "us-97990102", "tm:representative/schema:name") == []
    rows = disk_graph.query(
        'SELECT ?p WHERE { ?p schema:name ?n FILTER(CONTAINS(?n, "Legal LLP") '
        '|| CONTAINS(?n, "Silver Ladle Example Co.")) }'
    )
    assert list(rows) == []


def test_records_and_parties_the_office_deleted_are_not_imported() -> None:
    records, errors, warnings = read(EM_DELETED)
    assert errors == []  # a deletion with only its number is no error either
    assert [(r.number, r.mark) for r in records] == [("018990012", "LICHTTURM")]
    assert warnings == [
        f"{EM_DELETED}: 2 records: a record the office deleted (operationCode Delete): not "
        "imported (e.g. line 35 application 018990011; line 57 application 018990013)"
    ]
    assert read_st66_parties(EM_DELETED) == {
        "applicant/770021": ("applicant", Owner("Lichtturm Beispiel AG", "company", None))
    }


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ('<TradeMark operationCode="delete">', "</TradeMark>"),
        ('<TradeMarkDetails operationCode="Delete"><TradeMark>', "</TradeMark></TradeMarkDetails>"),
    ],
)
def test_a_deletion_on_the_trademark_or_around_it(
    tmp_path: Path, opening: str, closing: str
) -> None:
    """The operation code is read on the TradeMark or on an element around it, any case."""
    owner = f"<ApplicantDetails>{applicant('1', 'Harbour Example Ltd')}</ApplicantDetails>"
    mark = TRADEMARK.format(mark="HARBOUR LIGHT")
    body = mark.replace("<TradeMark>", opening, 1).replace("</TradeMark>", closing, 1)
    path = write(tmp_path, "deleted.xml", transaction(GB_DATA, owner + body))
    records, errors, warnings = read(path)
    assert (records, errors) == ([], [])
    assert warnings == [
        f"{path}: 1 record: a record the office deleted (operationCode Delete): not imported "
        "(e.g. line 4 application UK1)"
    ]
    kept = write(tmp_path, "kept.xml", transaction(GB_DATA, owner + mark))
    assert [(r.mark, r.owners) for r in read(kept)[0]] == [
        ("HARBOUR LIGHT", (Owner("Harbour Example Ltd"),))
    ]


def test_a_deleted_record_through_kg_import(disk_graph: KnowledgeGraph) -> None:
    report = import_registry(disk_graph, [EM_DELETED])
    assert report.records == 1
    assert any("operationCode Delete" in line for line in report.warnings)
    assert values(disk_graph, "em-018990011", "tm:mark/tm:text") == []
    assert values(disk_graph, "em-018990012", "tm:mark/tm:text") == ["LICHTTURM"]


def test_a_zipped_st66_file_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "ro.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(RO, "export/ro-1.xml")
        zipped.writestr("README.txt", "not XML")
    records, errors, _warnings = read(archive)
    assert errors == [] and sorted(r.number for r in records) == ["M 2015 09901", "M 2016 09902"]


def test_records_are_yielded_while_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streaming: the first record comes out after a few chunks, not after the whole file."""
    mark = (
        "<TradeMark><RegistrationOfficeCode>CN</RegistrationOfficeCode>"
        "<ApplicationNumber>{n}</ApplicationNumber><WordMarkSpecification>"
        "<MarkVerbalElementText>MARK {n}</MarkVerbalElementText></WordMarkSpecification>"
        "<ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress><Name>"
        "<FreeFormatName><FreeFormatNameDetails><FreeFormatNameLine>Owner {n}"
        "</FreeFormatNameLine></FreeFormatNameDetails></FreeFormatName></Name>"
        "</FormattedNameAddress></ApplicantAddressBook></Applicant></ApplicantDetails></TradeMark>\n"
    )
    body = "".join(mark.format(n=n) for n in range(5_000))
    path = write(
        tmp_path,
        "many.xml",
        '<Transaction xmlns="urn:example:any-office"><TradeMarkTransactionBody>'
        "<TransactionContentDetails><TransactionData><TradeMarkDetails>\n"
        f"{body}</TradeMarkDetails></TransactionData></TransactionContentDetails>"
        "</TradeMarkTransactionBody></Transaction>\n",
    )
    size = path.stat().st_size
    assert size > 1 << 20
    opened: list = []
    streams = st66._streams

    def counting(target: Path):
        for name, stream, length in streams(target):
            opened.append(stream)
            yield name, stream, length

    monkeypatch.setattr(st66, "_streams", counting)
    records, _tally = read_st66(path, None, RowErrors(str(path)), parties={})
    first = next(records)
    assert first.number == "0" and first.owners == (Owner("Owner 0"),)
    assert opened[0].tell() <= 2 * st66._CHUNK < size / 10
    assert sum(1 for _ in records) == 4_999


# ------------------------------------------------------------------ hostile input

TRADEMARK = (
    "<TradeMark>\n<RegistrationOfficeCode>GB</RegistrationOfficeCode>"
    "<ApplicationNumber>UK1</ApplicationNumber>\n<WordMarkSpecification>"
    "<MarkVerbalElementText>{mark}</MarkVerbalElementText></WordMarkSpecification>"
    "<ApplicantDetails><ApplicantKey><URI>http://www.ipo.gov.uk/trademark/applicant/1</URI>"
    "</ApplicantKey></ApplicantDetails>\n</TradeMark>"
)


def transaction(namespace: str, data: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<Transaction xmlns="{namespace}">\n'
        f"<TradeMarkTransactionBody><TransactionContentDetails><TransactionData>\n{data}\n"
        "</TransactionData></TransactionContentDetails></TradeMarkTransactionBody></Transaction>\n"
    )


def applicant(identifier: str, name: str) -> str:
    return (
        f"<Applicant><ApplicantIdentifier>{identifier}</ApplicantIdentifier>"
        "<ApplicantAddressBook><FormattedNameAddress><Name><FreeFormatName>"
        f"<FreeFormatNameDetails><FreeFormatNameLine>{name}</FreeFormatNameLine>"
        "</FreeFormatNameDetails></FreeFormatName></Name></FormattedNameAddress>"
        "</ApplicantAddressBook></Applicant>"
    )


GB_DATA = "http://gb.tmview.europa.eu/trademark/data"
GB_APPLICANTS = "http://gb.tmview.europa.eu/trademark/applicant"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            transaction(
                GB_DATA,
                "<TradeMarkDetails>" + TRADEMARK.format(mark="A") + "</TradeMarkDetails>",
                prolog='<!DOCTYPE Transaction [\n<!ENTITY a "A">\n]>\n',
            ),
            "hostile.xml:2:23: a DOCTYPE is refused",
        ),
        (
            transaction(
                GB_DATA,
                "<TradeMarkDetails>" + TRADEMARK.format(mark="&mark;") + "</TradeMarkDetails>",
            ),
            "hostile.xml:6:47: not well-formed XML: undefined entity (in the TradeMark on line 4, "
            "ApplicationNumber UK1)",
        ),
        (
            '<?xml version="1.0"?>\n<Register xmlns="urn:example:register"><TradeMark/></Register>\n',
            "hostile.xml:2: not an ST.66 file: the root element is "
            "{urn:example:register}Register, not Transaction",
        ),
    ],
    ids=["doctype", "undeclared-entity", "unknown-root"],
)
def test_hostile_files_are_refused_with_their_position(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "hostile.xml", text)
    for call in (lambda: read(path, {}), lambda: read_st66_parties(path)):
        with pytest.raises(ParseError) as caught:
            call()
        assert message in str(caught.value).replace(f"{tmp_path}/", "")


def test_an_undeclared_entity_names_the_trademark(tmp_path: Path) -> None:
    data = "<TradeMarkDetails>" + TRADEMARK.format(mark="&mark;") + "</TradeMarkDetails>"
    path = write(tmp_path, "entity.xml", transaction(GB_DATA, data))
    with pytest.raises(ParseError) as caught:
        read(path, {})
    assert "not well-formed XML: undefined entity" in str(caught.value)
    assert "(in the TradeMark on line 4, ApplicationNumber UK1)" in str(caught.value)


def test_an_unknown_root_through_kg_import(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "other.xml", '<Register xmlns="urn:example:register"/>\n')
    with pytest.raises(
        ParseError,
        match=r"the root element is <Register> in namespace urn:example:register, none of ST\.66 Transaction",
    ):
        import_registry(disk_graph, [path])


def test_a_key_defined_twice_with_different_names_is_refused(tmp_path: Path) -> None:
    twice = transaction(
        GB_APPLICANTS,
        "<ApplicantDetails>\n"
        + applicant("1", "First Example Ltd")
        + "\n"
        + applicant("1", "Second Example Ltd")
        + "\n</ApplicantDetails>",
    )
    path = write(tmp_path, "twice.xml", twice)
    with pytest.raises(ParseError) as caught:
        read_st66_parties(path)
    assert (
        str(caught.value)
        .replace(f"{tmp_path}/", "")
        .startswith(
            'twice.xml:6: applicant 1 is defined twice with different values: "Second Example '
            'Ltd" here, "First Example Ltd" on line 5'
        )
    )
    # The same party twice is one party.
    same = transaction(
        GB_APPLICANTS,
        "<ApplicantDetails>" + applicant("1", "First Example Ltd") * 2 + "</ApplicantDetails>",
    )
    assert read_st66_parties(write(tmp_path, "same.xml", same)) == {
        "applicant/1": ("applicant", Owner("First Example Ltd"))
    }
    # Two files defining one key differently: both files are named.
    other = transaction(
        GB_APPLICANTS, "<ApplicantDetails>" + applicant("1", "Other Ltd") + "</ApplicantDetails>"
    )
    with pytest.raises(ParseError) as caught:
        gather_st66_parties([tmp_path / "same.xml", write(tmp_path, "other.xml", other)])
    message = str(caught.value)
    assert 'applicant 1 is "Other Ltd" here and "First Example Ltd" in' in message
    assert "same.xml" in message and "other.xml" in message


def test_a_bad_designation_or_date_is_an_error_naming_the_record(tmp_path: Path) -> None:
    body = (
        "<TradeMarkDetails><TradeMark>\n<RegistrationOfficeCode>WO</RegistrationOfficeCode>"
        "<ApplicationNumber>1500000</ApplicationNumber>\n<OppositionPeriodEndDate>2020-02-30"
        "</OppositionPeriodEndDate>\n<DesignatedCountryDetails><DesignatedCountry>"
        "<DesignatedCountryCode>EU</DesignatedCountryCode></DesignatedCountry>"
        "</DesignatedCountryDetails>\n<WordMarkSpecification><MarkVerbalElementText>X"
        "</MarkVerbalElementText></WordMarkSpecification>"
        + applicant("9", "Example SA").join(["<ApplicantDetails>", "</ApplicantDetails>"])
        + "</TradeMark></TradeMarkDetails>"
    )
    path = write(tmp_path, "wo.xml", transaction("urn:example:madrid", body))
    records, errors, _warnings = read(path, {})
    assert records == []
    assert errors == [
        'OppositionPeriodEndDate: "2020-02-30" is not a date (YYYY-MM-DD, YYYY-MM or YYYY) '
        "(application 1500000)",
        'DesignatedCountryCode: unknown jurisdiction "EU": the WIPO ST.3 code of EU trade marks '
        "(EUIPO) is EM (application 1500000)",
    ]


# ------------------------------------------------------------------ the real office files


def real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the real office files live in ../shared/real-registers)")
    return path


def test_real_ukipo_pair_read_together() -> None:
    mark = real("ukipo-gb-tmview-UK00003289573.xml")
    applicant_file = real("ukipo-gb-tmview-applicant-507772.xml")
    [record], errors, warnings = read(mark, gather_st66_parties([mark, applicant_file]))
    assert errors == []
    assert record.owners == (Owner("Utopia Holdings Limited", None, "GB"),)
    assert (record.mark, record.classes) == ("THE TWISTED TAILOR", (14, 18, 25))
    assert record.opposition_period is not None
    assert [d.value for d in record.opposition_period] == ["2018-05-04", "2018-07-04"]
    # Its representative (key 9865) is in no file of the set: a warning, not an error.
    assert len(warnings) == 1 and "representative/9865" in warnings[0]


def test_real_osim_file() -> None:
    [record], errors, warnings = read(real("osim-ro-tmview-M201200091.xml"))
    assert errors == [] and warnings == []
    assert (record.mark, record.number, record.registration_number) == (
        "MSR",
        "M 2012 00091",
        "119857",
    )
    assert record.owners == (Owner("AG CAMO INTERNATIONAL S.R.L.", "company", None),)
    assert record.representatives == (Owner("INTELLEXIS SRL", "company", None),)
    assert len(record.vienna_codes) == len(set(record.vienna_codes)) < 250
    assert record.classes == (9, 16, 25, 28, 35, 42)
    assert {t.language for g in record.goods_services for t in g.texts} == {"ro"}


def test_real_uspto_st66_file() -> None:
    [record], errors, _warnings = read(real("uspto-tsdr-sn87881347-ST66.xml"))
    assert errors == []
    assert (record.mark, record.status_code) == ("BURGER ADDICT", "680")
    assert record.status.startswith("Approved by the examining attorney for publication")
    assert record.owners == (Owner("Burger Addict Renton LLC", "company", "US"),)
    assert texts(record.disclaimers) == [('"BURGER"', "en")]
    assert len(record.events) == 14 and record.events[-1].code == "NWAP"
    # The attorney of record only: the "Domestic Correspondent" is an address.
    assert record.representatives == (Owner("Sam B. Example", None, None),)
    assert (record.classes, record.national_classes) == ((43,), ("100", "101"))
    [services] = record.goods_services
    assert (day(services.first_used_date), day(services.first_used_commerce_date)) == (
        "2015-05-25",
        "2015-05-25",
    )
    assert day(record.first_used_date) == day(record.first_used_commerce_date) == "2015-05-25"


TWINS = ("uspto-tsdr-sn87881347-ST66.xml", "uspto-tsdr-sn87881347-ST96.xml")
TWIN_FACTS = (
    "tm:status",
    "tm:statusCode",
    "tm:firstUsedDate",
    "tm:firstUsedCommerceDate",
    "tm:goodsServices/tm:goodsServicesClass",
    "tm:goodsServices/tm:firstUsedDate",
    "tm:goodsServices/tm:firstUsedCommerceDate",
    "tm:representative/schema:name",
    "tm:owner/schema:name",
)


def twin_answers(graph: KnowledgeGraph) -> dict[str, list[str]]:
    found = {path: values(graph, "us-87881347", path) for path in TWIN_FACTS}
    finding = Analyst(graph).priority("BURGER ADDICT", 43, "US")
    found["priority"] = [
        finding.holder.name if finding.holder else "",
        finding.date or "",
        finding.date_basis or "",
        finding.explanation,
    ]
    return found


def test_real_uspto_twins_alone_give_one_answer(tmp_path: Path) -> None:
    """The ST.66 and the ST.96 file of one USPTO case, each imported alone into its own store,
    state the same first use, US classes, status, representatives; and `kg priority` (the
    Analyst's) answers alike."""
    from kg.config import Settings

    answers = []
    for index, name in enumerate(TWINS):
        path = real(name)
        graph = KnowledgeGraph.open(Settings(store_path=tmp_path / f"store-{index}"))
        try:
            assert import_registry(graph, [path]).records == 1
            answers.append(twin_answers(graph))
        finally:
            graph.close()
    st66_answer, st96_answer = answers
    assert st66_answer == st96_answer
    assert st66_answer["tm:firstUsedDate"] == ["2015-05-25"]
    assert st66_answer["tm:firstUsedCommerceDate"] == ["2015-05-25"]
    assert st66_answer["tm:representative/schema:name"] == ["Sam B. Example"]
    assert sorted(st66_answer["tm:goodsServices/tm:goodsServicesClass"]) == [
        "https://w3id.org/tmkg/id/class-scheme/us-national/100",
        "https://w3id.org/tmkg/id/class-scheme/us-national/101",
        "https://w3id.org/tmkg/id/nice/43",
    ]
    assert st66_answer["priority"][:3] == [
        "Burger Addict Renton LLC",
        "2015-05-25",
        "first use in commerce",
    ]


def test_real_files_import(disk_graph: KnowledgeGraph) -> None:
    osim, uspto = real("osim-ro-tmview-M201200091.xml"), real("uspto-tsdr-sn87881347-ST66.xml")
    assert import_registry(disk_graph, [osim, uspto]).records == 2
    assert values(disk_graph, "ro-M%202012%2000091", "tm:owner/schema:name") == [
        "AG CAMO INTERNATIONAL S.R.L."
    ]
    assert values(disk_graph, "us-87881347", "tm:filingDate") == ["2018-04-17"]


def test_real_ukipo_pair_imports(disk_graph: KnowledgeGraph) -> None:
    mark = real("ukipo-gb-tmview-UK00003289573.xml")
    applicant_file = real("ukipo-gb-tmview-applicant-507772.xml")
    assert import_registry(disk_graph, [mark, applicant_file]).records == 1
    assert values(disk_graph, "gb-UK00003289573", "tm:owner/schema:name") == [
        "Utopia Holdings Limited"
    ]
