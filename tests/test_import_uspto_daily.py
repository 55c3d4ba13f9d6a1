"""USPTO Trademark Daily XML (TDXF v2.0): the reader's values, the owner rule, dates with 00,
warnings that do not stop a real file, errors that do (file, line, serial), XML safety, zipped
files, the synthetic generator, and the real excerpt when ``../shared`` is there."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, ParseError, Settings
from kg.analysis.service import Analyst
from kg.registries.importer import import_registry
from kg.registries.records import FieldError, RegistryRecord, RowErrors
from kg.registries.synth_uspto import generate_daily
from kg.registries.uspto_daily import read_uspto_daily, uspto_date
from tests.conftest import DATA, all_quads, run_kg

SAMPLE = DATA / "uspto-daily-sample.xml"
OWNERS = DATA / "uspto-daily-owners.xml"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-registers"
EXCERPT = REAL / "uspto-tdxf-apc-excerpt.xml"
REG = "https://w3id.org/tmkg/id/registration/us-"
XSD = "http://www.w3.org/2001/XMLSchema#"
TM = "https://w3id.org/tmkg/ontology#"


def read(path: Path) -> tuple[dict[str, RegistryRecord], list[str], RowErrors]:
    errors = RowErrors(str(path))
    records, tally = read_uspto_daily(path, None, errors)
    by_serial = {record.number: record for record in records}
    return by_serial, tally.lines(), errors


def case_file(serial: str = "90000100", header: str = "", body: str = "") -> str:
    """One case-file: a word mark with an owner, `header` and `body` added."""
    return (
        f"<case-file><serial-number>{serial}</serial-number>"
        "<registration-number>0000000</registration-number>"
        "<transaction-date>20250107</transaction-date>\n<case-file-header>"
        "<mark-identification>ZEPHYRINE</mark-identification>"
        f"<mark-drawing-code>4000</mark-drawing-code>{header}</case-file-header>\n{body}"
        "<case-file-owners><case-file-owner><party-type>10</party-type>"
        "<legal-entity-type-code>03</legal-entity-type-code>"
        "<party-name>ZEPHYRINE INC.</party-name></case-file-owner></case-file-owners>"
        "</case-file>\n"
    )


def daily(*cases: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<trademark-applications-daily>\n'
        "<application-information><file-segments><action-keys>\n"
        + "".join(cases)
        + "</action-keys></file-segments></application-information>\n"
        "</trademark-applications-daily>\n"
    )


def write(tmp_path: Path, text: str, name: str = "apc250107.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, RegistryRecord], list[str], RowErrors]:
    return read(SAMPLE)


@pytest.fixture(scope="module")
def imported() -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    report = import_registry(graph, [SAMPLE])
    assert report.records == 7 and report.quads_added > 0
    yield graph
    graph.close()


def values(graph: KnowledgeGraph, serial: str, term: str) -> list[str]:
    rows = graph.query(f"SELECT ?v WHERE {{ <{REG}{serial}> tm:{term} ?v }}")
    return sorted(row["v"].value for row in rows)


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("19870000", "1987", "gYear"),
        ("19870300", "1987-03", "gYearMonth"),
        ("19870315", "1987-03-15", "date"),
        ("18790000", "1879", "gYear"),
        (" 20240229 ", "2024-02-29", "date"),
    ],
)
def test_uspto_dates_are_as_precise_as_written(text: str, value: str, kind: str) -> None:
    literal = uspto_date(text)
    assert literal is not None
    assert (literal.value, literal.datatype.value) == (value, XSD + kind)


@pytest.mark.parametrize("text", ["10101", "2024-01-01", "20231301", "20230230", "20230015"])
def test_what_is_not_a_uspto_date_is_refused(text: str) -> None:
    with pytest.raises(FieldError):
        uspto_date(text)


def test_an_all_zero_date_is_no_date() -> None:
    assert uspto_date("00000000") is None


# ------------------------------------------------------------------ the reader's values


def test_records_are_yielded_lazily() -> None:
    records, _ = read_uspto_daily(SAMPLE, None, RowErrors(str(SAMPLE)))
    assert isinstance(records, Iterator)
    assert next(records).number == "90000001"


def test_a_registered_case(sample) -> None:
    record = sample[0]["90000001"]
    assert (record.jurisdiction, record.number, record.record_id) == (
        "US",
        "90000001",
        "serial 90000001",
    )
    assert (record.application_number, record.registration_number) == ("90000001", "6001234")
    assert record.mark == "NORTHWIND LANTERN" and record.mark_feature == "Word"
    assert (record.filing_date.value, record.registration_date.value) == (
        "2019-03-04",
        "2020-01-14",
    )
    assert (record.status, record.status_code, record.status_date.value) == (
        None,
        "800",
        "2020-01-14",
    )
    assert record.publication_date.value == "2019-10-29" and record.as_of.value == "2025-01-07"
    assert record.owners[0].name == "NORTHWIND LANTERN CO."
    assert (record.owners[0].kind, record.owners[0].country) == ("company", "US")  # state DE
    assert record.ownership_changes == ()  # 10 and 30 are the same company
    assert [r.name for r in record.representatives] == ["Robin Q. Testlawyer"]
    assert [e.kind for e in record.events] == ["filing", "publication", "registration"]


def test_classes_goods_texts_and_us_classes(sample) -> None:
    record = sample[0]["90000001"]
    assert record.classes == (9, 11)
    assert record.national_classes == ("013", "021", "038", "100")  # never Nice classes
    by_class = {(g.nice, g.national): g for g in record.goods_services}
    assert [t.text for t in by_class[9, None].texts] == [
        "Downloadable software for controlling lamps"
    ]
    assert [t.text for t in by_class[11, None].texts] == ["Lanterns; electric lamps"]  # not GS0112
    assert {t.language for g in record.goods_services for t in g.texts} == {"en"}
    assert by_class[None, "021"].texts == () and by_class[None, "021"].nice is None
    # a classification with a US class only: its statement goes to the US class
    assert [t.text for t in by_class[None, "100"].texts] == [
        "Lantern rental, a pre-1973 US class service"
    ]
    assert by_class[11, None].first_used_date.value == "2017-06-12"


def test_first_use_dates_with_00_parts(sample) -> None:
    northwind, old_mill = sample[0]["90000001"], sample[0]["90000005"]
    # the application's first use: the earliest of its classes' (class 11: 2017-06-12)
    assert (northwind.first_used_date.value, northwind.first_used_commerce_date.value) == (
        "2017-06-12",
        "2017-07-01",
    )
    nine = next(g for g in northwind.goods_services if g.nice == 9)
    assert (nine.first_used_date.value, nine.first_used_commerce_date.value) == ("2018-05", "2018")
    assert nine.first_used_date.datatype.value == XSD + "gYearMonth"
    assert nine.first_used_commerce_date.datatype.value == XSD + "gYear"
    assert old_mill.first_used_date.datatype.value == XSD + "gYear"
    assert old_mill.first_used_commerce_date.value == "1987-03"


def test_a_pending_application_of_a_person(sample) -> None:
    record = sample[0]["90000002"]
    assert record.registration_number is None and record.registration_date is None
    assert record.mark_feature == "Stylized characters"
    # a person's nationality, not the address's country; spaces collapsed
    assert record.owners[0].name == "Dana Sample"
    assert (record.owners[0].kind, record.owners[0].country) == ("person", "CA")


def test_an_abandoned_application(sample) -> None:
    record = sample[0]["90000003"]
    assert (record.status_code, record.status_date.value) == ("602", "2023-03-15")
    assert [(e.code, e.kind) for e in record.events] == [("ABN2", "abandonment")]
    assert record.classes == (6, 20) and record.national_classes == ("025",)


def test_co_owners_share_a_party_type(sample) -> None:
    owners = sample[0]["90000004"].owners
    assert [(o.name, o.kind, o.country) for o in owners] == [
        ("Harbor Fig LLC", "company", "US"),
        ("Ola Example Nordmann", "person", "NO"),
    ]


def test_the_latest_party_type_owns_and_the_earlier_ones_are_the_chain_of_title(sample) -> None:
    record = sample[0]["90000005"]
    assert [o.name for o in record.owners] == ["GRAINFIELD BRANDS LLC"]
    changes = [
        (c.kind, [o.name for o in c.assignors], [o.name for o in c.assignees], c.date.value)
        for c in record.ownership_changes
    ]
    # owners after registration (41, 42): dated by the record's transaction-date, a bound
    assert changes == [
        ("assignment", ["OLD MILL BAKERS INC."], ["GRAINFIELD HOLDINGS LLC"], "2025-01-07"),
        ("name-change", ["GRAINFIELD HOLDINGS LLC"], ["GRAINFIELD BRANDS LLC"], "2025-01-07"),
    ]
    assert record.renewal_date.value == "2021-02-08"
    assert record.mark_feature == "Combined"
    assert record.design_codes == ("05.01.01", "26.11.01")


def test_a_bad_optional_date_is_left_out_with_a_warning(sample) -> None:
    record = sample[0]["90000006"]
    assert record.first_used_date is None  # 20191345
    assert record.first_used_commerce_date.value == "2020-01-02"
    assert [e.code for e in record.events] == ["NWAP"]  # the CNRT dated 2024022 is left out
    warning = next(line for line in sample[1] if "optional date" in line)
    assert "2 records" in warning and "serial 90000006" in warning
    assert "'20191345'" in warning and "'2024022'" in warning
    assert not sample[2]


def test_priority_claims_translations_and_transliterations(sample) -> None:
    record = sample[0]["90000007"]
    claims = [(c.country, c.date.value, c.number) for c in record.priority_claims]
    assert claims == [("DE", "2023-08-10", "30 2023 123 456.7")]  # not XQ, not the unclaimed GB
    assert any("priority claim from an office" in line and "'XQ'" in line for line in sample[1])
    assert [(t.text[:28], t.language) for t in record.translations] == [
        ('The English translation of "', "en")
    ]
    assert [t.language for t in record.transliterations] == ["und-Latn"]
    assert [r.name for r in record.representatives] == ["Casey R. Example"]
    assert sample[0]["90000001"].disclaimers[0].text.startswith("NO CLAIM IS MADE")


def test_a_design_only_mark_is_skipped_and_counted(sample) -> None:
    assert "90000008" not in sample[0] and len(sample[0]) == 7
    warning = next(line for line in sample[1] if "design-only" in line)
    assert "1 record:" in warning and "serial 90000008" in warning


# ------------------------------------------------------------------ stored values


def test_stored_core_facts(imported: KnowledgeGraph) -> None:
    assert values(imported, "90000001", "applicationNumber") == ["90000001"]
    assert values(imported, "90000001", "registrationNumber") == ["6001234"]
    assert values(imported, "90000002", "registrationNumber") == []
    assert values(imported, "90000001", "filingDate") == ["2019-03-04"]
    assert values(imported, "90000001", "niceClass") == [
        "https://w3id.org/tmkg/id/nice/11",
        "https://w3id.org/tmkg/id/nice/9",
    ]
    assert values(imported, "90000003", "statusDate") == ["2023-03-15"]
    assert values(imported, "90000001", "markFeature") == [
        "https://w3id.org/tmkg/id/mark-feature/word"
    ]
    rows = imported.query(
        f"SELECT ?name ?type ?country WHERE {{ <{REG}90000004> tm:owner ?o . ?o a ?type ; "
        "schema:name ?name . OPTIONAL { ?o tm:nationality ?country } "
        "FILTER(?type IN (tm:Person, tm:Company)) } ORDER BY ?name"
    )
    assert [
        (r["name"].value, r["type"].value.rsplit("#")[1], r["country"].value[-2:]) for r in rows
    ] == [
        ("Harbor Fig LLC", "Company", "US"),
        ("Ola Example Nordmann", "Person", "NO"),
    ]
    assert not imported.ask(f"ASK {{ <{REG}90000008> ?p ?o }}")


def test_stored_details(imported: KnowledgeGraph) -> None:
    assert values(imported, "90000001", "statusCode") == ["800"]
    assert values(imported, "90000005", "firstUsedDate") == ["1987"]
    texts = imported.query(
        f"SELECT ?text WHERE {{ <{REG}90000001> tm:goodsServices ?gs . "
        "?gs tm:goodsServicesText ?text ; tm:goodsServicesClass <https://w3id.org/tmkg/id/nice/11> }"
    )
    assert [row["text"].value for row in texts] == ["Lanterns; electric lamps"]
    rows = imported.query(
        f"SELECT ?c ?d WHERE {{ <{REG}90000007> tm:priorityClaim ?p . "
        "?p tm:priorityCountryCode ?c ; tm:priorityDate ?d }"
    )
    assert [(r["c"].value, r["d"].value) for r in rows] == [("DE", "2023-08-10")]


def test_a_zipped_file_reads_the_same(tmp_path: Path, sample) -> None:
    archive = tmp_path / "apc250107.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(SAMPLE, "apc250107.xml")
    from_zip, warnings, errors = read(archive)
    assert from_zip == sample[0] and not errors
    assert len(warnings) == len(sample[1])
    graph = KnowledgeGraph.open(Settings(memory=True))
    assert import_registry(graph, [archive]).records == 7


def test_importing_twice_adds_nothing_with_the_real_kg(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = run_kg("import", "--store", store, SAMPLE, check=True)
    assert "7 registrations" in first.stdout and "design-only" in first.stderr
    again = run_kg("import", "--store", store, SAMPLE, check=True)
    assert again.stdout.rstrip().endswith(", 0 new")


# ------------------------------------------------------------------ errors and safety


@pytest.mark.parametrize(
    ("case", "line", "said"),
    [
        (case_file(header="<filing-date>20231301</filing-date>"), 8, 'filing-date: "20231301"'),
        (case_file(header="<registration-date>2023-01-01</registration-date>"), 8, "registration"),
        (case_file(header="<status-date>2023010</status-date>"), 8, 'status-date: "2023010"'),
        (case_file(serial="9000010"), 7, '"9000010" is not an 8-digit serial number'),
        (
            case_file().replace("<party-name>ZEPHYRINE INC.</party-name>", ""),
            7,
            "no case-file-owner with a party-name",
        ),
    ],
)
def test_a_bad_core_value_names_file_line_and_serial_and_writes_nothing(
    tmp_path: Path, case: str, line: int, said: str
) -> None:
    path = write(tmp_path, daily(case_file(serial="90000099"), case))
    graph = KnowledgeGraph.open(Settings(memory=True))
    before = all_quads(graph)
    with pytest.raises(ParseError) as raised:
        import_registry(graph, [path])
    assert raised.value.path == str(path) and raised.value.line == line
    assert said in str(raised.value)
    if "serial number" not in said:
        assert "serial 90000100" in str(raised.value)
    assert all_quads(graph) == before


@pytest.mark.parametrize(
    ("declaration", "use"),
    [
        ('<!ENTITY mark "EVIL">', "&mark;"),
        ('<!ENTITY mark SYSTEM "file:///etc/passwd">', "&mark;"),
        ("<!ENTITY % part \"<!ENTITY mark 'x'>\">", "ZEPHYRINE"),
    ],
)
def test_a_doctype_declaring_entities_is_refused(
    tmp_path: Path, declaration: str, use: str
) -> None:
    prolog = f"<!DOCTYPE trademark-applications-daily [\n{declaration}\n]>\n"
    body = case_file().replace("ZEPHYRINE</mark", f"{use}</mark")
    path = write(tmp_path, daily(body, prolog=prolog))
    with pytest.raises(ParseError, match="declares entities") as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    assert raised.value.line == 3 and raised.value.path == str(path)


def test_an_external_dtd_is_named_never_loaded(tmp_path: Path) -> None:
    prolog = (
        '<!DOCTYPE trademark-applications-daily SYSTEM "http://127.0.0.1:9/applications.dtd">\n'
    )
    records, warnings, errors = read(write(tmp_path, daily(case_file(), prolog=prolog)))
    assert list(records) == ["90000100"] and not errors and not warnings


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (daily(case_file()).replace("</case-file>", "</case-files>"), 6),
        (daily(case_file())[:-40], 7),
        (daily(case_file().replace("ZEPHYRINE</mark", "&mark;</mark")), 5),
    ],
)
def test_xml_that_is_not_well_formed_names_its_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ParseError) as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    assert raised.value.line == line and "not well-formed" in str(raised.value)


def test_a_file_of_one_case_file_reads(tmp_path: Path) -> None:
    path = write(tmp_path, '<?xml version="1.0"?>\n' + case_file(serial="90000321"))
    records, warnings, errors = read(path)
    assert list(records) == ["90000321"] and not warnings and not errors
    assert records["90000321"].owners[0].name == "ZEPHYRINE INC."


def test_another_root_element_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '<?xml version="1.0"?>\n<Transaction><a/></Transaction>\n')
    with pytest.raises(ParseError, match="not a USPTO Trademark Daily XML file"):
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])


# ------------------------------------------------------------------ synthetic files


def test_synthetic_files_are_deterministic_and_import(tmp_path: Path) -> None:
    assert "".join(generate_daily(30, seed=5)) == "".join(generate_daily(30, seed=5))
    assert "".join(generate_daily(30, seed=5)) != "".join(generate_daily(30, seed=6))
    path = tmp_path / "synthetic.xml"
    run_kg("synth", "--format", "uspto", "--marks", 200, "--seed", 4, "-o", path, check=True)
    records, _, errors = read(path)
    skipped = path.read_text(encoding="utf-8").count("<mark-drawing-code>2000")
    assert len(records) == 200 - skipped and not errors
    assert any(r.ownership_changes for r in records.values())
    assert any(len(r.owners) > 1 for r in records.values())
    assert any(r.priority_claims for r in records.values())
    assert any(
        r.first_used_date is not None and r.first_used_date.datatype.value == XSD + "gYear"
        for r in records.values()
    )
    result = run_kg("import", "--store", tmp_path / "store", path, check=True)
    assert f"{200 - skipped} registrations" in result.stdout


# ------------------------------------------------------------------ the real excerpt


@pytest.mark.skipif(not EXCERPT.exists(), reason=f"real register files not found at {REAL}")
def test_the_real_excerpt_imports_and_three_records_match_the_file() -> None:
    records, _, errors = read(EXCERPT)
    assert not errors and len(records) == 5
    expected = {
        # serial: mark, filing date, status code, Nice classes, owner (latest party type)
        "98763166": ("SUVENEER", "2024-09-24", "630", (16,), "Tran Van Example"),
        "71060608": ("SARGENT", "1912-01-04", "800", (6, 20), "SARGENT MANUFACTURING COMPANY"),
        "74800000": ("GRIGIOPERLA", "1987-02-10", "602", (25,), "GRUPPO LA PERLA S.P.A."),
    }
    for serial, (mark, filed, status, classes, owner) in expected.items():
        record = records[serial]
        assert (record.mark, record.filing_date.value, record.status_code) == (mark, filed, status)
        assert record.classes == classes and [o.name for o in record.owners] == [owner]
    # the record with a malformed class status date (10101) imports as published
    assert records["74800000"].priority_claims[0].country == "IT"
    graph = KnowledgeGraph.open(Settings(memory=True))
    report = import_registry(graph, [EXCERPT])
    assert report.records == 5
    assert graph.ask(
        f"ASK {{ <{REG}72269147> tm:firstUsedDate ?d FILTER(datatype(?d) = xsd:gYear) }}"
    )
    owners = graph.query(f"SELECT ?n WHERE {{ <{REG}72269147> tm:owner/schema:name ?n }}")
    assert [row["n"].value for row in owners] == ["MSG ENTERTAINMENT HOLDINGS, LLC"]


# ------------------------------------------------------------------ owners over time


@pytest.fixture(scope="module")
def owners_graph() -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    assert import_registry(graph, [OWNERS]).records == 4
    yield graph
    graph.close()


@pytest.mark.parametrize(
    ("serial", "changes"),
    [
        (  # 10 -> 20 by publication, -> 30 by registration, -> 41 by the transaction-date
            "91000001",
            [
                ("assignment", "Ilse Example Brandt", "BRISKWATER SPRINGS LLC", "2016-02-02"),
                ("assignment", "BRISKWATER SPRINGS LLC", "BRISKWATER HOLDINGS LLC", "2016-04-19"),
                ("assignment", "BRISKWATER HOLDINGS LLC", "TIDEWELL BEVERAGES INC.", "2025-01-08"),
            ],
        ),
        (  # 11 and 13, new owners before publication: by the publication date; 20 = 13
            "91000002",
            [
                ("assignment", "FERRO TESSILE S.P.A.", "MOSSLANE APPAREL S.R.L.", "2023-11-14"),
                ("name-change", "MOSSLANE APPAREL S.R.L.", "MOSSLANE APPAREL S.P.A.", "2023-11-14"),
            ],
        ),
        (  # 21, a new owner after publication: by the registration date
            "91000003",
            [("merger", "NORDAX SOFTWARE AG", "CORVALIS SYSTEMS GMBH", "2019-03-12")],
        ),
        (  # no applicant entry: the registrant (30) is the first owner; 40 = 30
            "71000004",
            [
                (
                    "assignment",
                    "HALVERSTONE POTTERY COMPANY",
                    "HALVERSTONE GROUP, L.P.",
                    "2025-01-08",
                ),
                ("assignment", "HALVERSTONE GROUP, L.P.", "HALVERSTONE BRANDS, LLC", "2025-01-08"),
            ],
        ),
    ],
)
def test_changes_of_owner_are_dated_by_the_date_that_bounds_them(
    serial: str, changes: list[tuple[str, str, str, str]]
) -> None:
    records, warnings, errors = read(OWNERS)
    assert not errors and not warnings
    found = records[serial].ownership_changes
    assert [
        (c.kind, *(o.name for o in c.assignors), *(o.name for o in c.assignees), c.date.value)
        for c in found
    ] == changes
    assert [o.name for o in records[serial].owners] == [changes[-1][2]]
    assert all("on or before that day" in c.conveyance_text for c in found)


def test_the_conveyance_text_names_the_party_type_the_bound_and_the_offices_words() -> None:
    records, _, _ = read(OWNERS)
    texts = [c.conveyance_text for c in records["91000001"].ownership_changes]
    assert "party type 20 (owner at publication)" in texts[0]
    assert "published-for-opposition date, 2016-02-02" in texts[0]
    assert "party type 30 (original registrant)" in texts[1] and "registration date" in texts[1]
    assert texts[2].startswith('the office\'s words "ASSIGNEE OF"; USPTO party type 41')
    assert "transaction-date of the record" in texts[2]


@pytest.mark.parametrize(
    ("mark", "as_of", "owner"),
    [
        ("BRISKWATER", "2015-06", "Ilse Example Brandt"),
        ("BRISKWATER", "2016-03", "BRISKWATER SPRINGS LLC"),
        ("BRISKWATER", "2017", "BRISKWATER HOLDINGS LLC"),
        ("BRISKWATER", "2025-02-01", "TIDEWELL BEVERAGES INC."),
        ("MOSSLANE", "2023-06", "FERRO TESSILE S.P.A."),
        ("MOSSLANE", "2024", "MOSSLANE APPAREL S.P.A."),
        ("CORVALIS", "2018-12-31", "NORDAX SOFTWARE AG"),
        ("CORVALIS", "2019-06", "CORVALIS SYSTEMS GMBH"),
        ("HALVERSTONE", "1990", "HALVERSTONE POTTERY COMPANY"),
        ("HALVERSTONE", None, "HALVERSTONE BRANDS, LLC"),
    ],
)
def test_who_else_uses_names_the_owner_of_the_date_asked(
    owners_graph: KnowledgeGraph, mark: str, as_of: str | None, owner: str
) -> None:
    found = Analyst(owners_graph).who_else_uses(mark, as_of=as_of)
    assert [u.party.name for u in found if u.mark.text == mark] == [owner]


@pytest.mark.parametrize(
    ("party", "filed"),
    [
        ("Ilse Example Brandt", "91000001"),
        ("FERRO TESSILE S.P.A.", "91000002"),
        ("NORDAX SOFTWARE AG", "91000003"),
        ("HALVERSTONE POTTERY COMPANY", "71000004"),
        ("TIDEWELL BEVERAGES INC.", None),
        ("MOSSLANE APPAREL S.P.A.", None),
        ("HALVERSTONE BRANDS, LLC", None),
    ],
)
def test_the_timeline_names_the_applicant_as_filer(
    owners_graph: KnowledgeGraph, party: str, filed: str | None
) -> None:
    entries = Analyst(owners_graph).timeline(party=party)
    filings = [e.description for e in entries if e.kind == "filing"]
    if filed is None:
        assert filings == []  # a later owner never filed
    else:
        (filing,) = filings
        assert filing.startswith(f"{party} files application No. {filed} for ")


def test_a_change_dated_by_a_bound_says_so_in_the_graph_and_every_answer(
    owners_graph: KnowledgeGraph,
) -> None:
    """Every change a daily file dates by a bound (publication, registration, transaction
    date, a recorded assignment) took effect on or before that day: the graph says so
    (tm:dateIsUpperBound), and a former owner's hit, the timeline and GraphQL's type say "on
    or before", never "on" (a trial read "assigned on 1989-11-27" of a change the USPTO's
    file dates only by its publication)."""
    rows = list(
        owners_graph.query(
            "SELECT ?c ?b WHERE { ?c a/rdfs:subClassOf* tm:OwnershipChange ; tm:date ?d "
            "OPTIONAL { ?c tm:dateIsUpperBound ?b } }"
        )
    )
    assert len(rows) >= 8
    assert {str(r["b"].value) if r["b"] else None for r in rows} == {"true"}
    analyst = Analyst(owners_graph)
    former = [u for u in analyst.who_else_uses("BRISKWATER", include_lapsed=True) if u.lapsed]
    assert former and all(
        u.end_reason == f"no longer the owner: assigned on or before {u.ended}" for u in former
    )
    said = [
        e for e in analyst.timeline(party="BRISKWATER SPRINGS LLC") if " assigns " in e.description
    ]
    assert said and all(
        e.description.endswith("; it took effect on or before that day") for e in said
    )
    bound = (TM + "dateIsUpperBound", "true")
    for entry in said:  # the bound, who assigned to whom, and their names, each cited
        facts = {f for s in entry.statements for f in s.facts}
        assert bound in facts and {TM + "assignor", TM + "assignee"} <= {p for p, _ in facts}
    for hit in former:  # the change that ended a former owner's time, with its date and bound
        said = [s.facts for s in hit.statements if "/event/" in s.subject]
        assert ((TM + "date", hit.ended), bound) in said  # the date with its bound, one source


def test_a_change_with_no_date_to_bound_it_is_left_undated_with_a_warning(
    tmp_path: Path,
) -> None:
    owners = (
        "<case-file-owners><case-file-owner><party-type>40</party-type>"
        "<party-name>NEW HOLDER LLC</party-name></case-file-owner>"
        "<case-file-owner><party-type>30</party-type><party-name>ZEPHYRINE INC.</party-name>"
        "</case-file-owner></case-file-owners></case-file>"
    )
    text = case_file(header="<registration-date>20010101</registration-date>")
    text = text.replace("<transaction-date>20250107</transaction-date>", "")
    text = text[: text.index("<case-file-owners>")] + owners + "\n"
    records, warnings, errors = read(write(tmp_path, daily(text)))
    (change,) = records["90000100"].ownership_changes
    assert change.date is None and "gives no date" in change.conveyance_text and not errors
    assert any("no date to bound it" in line for line in warnings)


# ------------------------------------------------------------------ files the parser refuses


def laughs(levels: int) -> str:
    """A "billion laughs" internal subset: each entity ten of the one before."""
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("subset", "line"),
    [
        (laughs(10), 3),  # billion laughs: refused before anything is expanded
        ("<!-- a note -->\n<!ELEMENT x ANY>\n" + laughs(3), 5),
        # a parameter entity that declares another, which declares a third
        ("<!ENTITY % outer \"<!ENTITY &#37; inner '<!ENTITY mark &#34;x&#34;>'>\">\n%outer;", 3),
        ('<!ENTITY logo SYSTEM "logo.png" NDATA png>', 3),
    ],
)
def test_every_doctype_declaring_entities_gets_the_same_message(
    tmp_path: Path, subset: str, line: int
) -> None:
    prolog = f'<!DOCTYPE trademark-applications-daily SYSTEM "applications.dtd" [\n{subset}\n]>\n'
    path = write(tmp_path, daily(case_file(), prolog=prolog))
    with pytest.raises(ParseError) as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    said = str(raised.value)
    assert "the DOCTYPE declares entities" in said and raised.value.line == line
    assert "amplification" not in said and "xmlCtxt" not in said


def test_a_doctype_declaring_entities_in_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "apc250107.zip"
    prolog = f"<!DOCTYPE trademark-applications-daily [\n{laughs(10)}\n]>\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("apc250107.xml", daily(case_file(), prolog=prolog))
    with pytest.raises(ParseError, match="the DOCTYPE declares entities") as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    assert raised.value.line == 3


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ("ZEPHYRINE</mark-identification>", 5),  # a text node
        ("ZEPHYRINE INC.</party-name>", 6),
        ("<![CDATA[ZEPHYRINE]]></mark-identification>", 5),  # a CDATA section
    ],
)
def test_a_value_past_the_parsers_limit_is_named_in_the_users_words(
    tmp_path: Path, where: str, line: int
) -> None:
    long = "W" * 10_000_001
    text = daily(case_file()).replace("ZEPHYRINE</mark", "<![CDATA[ZEPHYRINE]]></mark")
    if "CDATA" not in where:
        text = daily(case_file())
    path = write(tmp_path, text.replace(where, long + where, 1))
    with pytest.raises(ParseError) as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    said = str(raised.value)
    assert "longer than 10,000,000 bytes" in said and raised.value.line == line
    assert "XML_PARSE_HUGE" not in said and "Resource limit" not in said


def test_nesting_past_the_parsers_limit_is_named_in_the_users_words(tmp_path: Path) -> None:
    deep = "<note>" * 300 + "</note>" * 300
    path = write(tmp_path, daily(case_file(body=deep + "\n")))
    with pytest.raises(ParseError, match="nested more than 256 deep") as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    assert raised.value.line == 6 and "XML_PARSE_HUGE" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "said"), [("", "is empty (0 bytes)"), ("  \n\n", "holds only white space")]
)
def test_an_empty_file_says_it_is_empty(tmp_path: Path, text: str, said: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ParseError, match=re.escape(said)):
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    archive_path = tmp_path / "apc250107.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("apc250107.xml", text)
    with pytest.raises(ParseError, match=re.escape(said)):
        list(read_uspto_daily(archive_path, None, RowErrors(str(archive_path)))[0])


# ------------------------------------------------------------------ classes and nationalities


@pytest.mark.parametrize("code", ["046", "46", "000", "C", "99"])
def test_an_international_code_that_is_no_class_is_an_error(tmp_path: Path, code: str) -> None:
    body = (
        "<classifications><classification>"
        f"<international-code>{code}</international-code><primary-code>009</primary-code>"
        "</classification></classifications>\n"
    )
    records, _, errors = read(write(tmp_path, daily(case_file(body=body))))
    assert records == {}
    assert errors.errors[0][0] == 6
    assert errors.errors[0][2] == (
        f'serial 90000100: international-code: "{code}" is not a Nice class (1-45) nor a US '
        "class the USPTO writes there (A, B, 200)"
    )


@pytest.mark.parametrize(("code", "nice", "national"), [("A", (), ("A",)), ("009", (9,), ())])
def test_documented_international_codes_import(
    tmp_path: Path, code: str, nice: tuple[int, ...], national: tuple[str, ...]
) -> None:
    body = (
        f"<classifications><classification><international-code>{code}</international-code>"
        "</classification></classifications>\n"
    )
    records, warnings, errors = read(write(tmp_path, daily(case_file(body=body))))
    record = records["90000100"]
    assert (
        (record.classes, record.national_classes) == (nice, national)
        and not errors
        and not warnings
    )


def nationality_case(country: str) -> str:
    return case_file().replace(
        "<legal-entity-type-code>",
        f"<nationality><country>{country}</country></nationality><legal-entity-type-code>",
    )


@pytest.mark.parametrize("country", ["XX", "UK", "EU", "Q1"])
def test_an_unknown_owner_nationality_is_an_error_as_in_st96(tmp_path: Path, country: str) -> None:
    records, _, errors = read(write(tmp_path, daily(nationality_case(country))))
    assert records == {}
    (error,) = errors.errors
    assert error[0] == 6 and error[2].startswith(
        f'serial 90000100: owner nationality: unknown jurisdiction "{country}"'
    )


@pytest.mark.parametrize("country", ["YU", "SU", "DD", "CS"])
def test_a_former_country_is_left_out_with_a_warning(tmp_path: Path, country: str) -> None:
    records, warnings, errors = read(write(tmp_path, daily(nationality_case(country))))
    assert not errors and records["90000100"].owners[0].country is None
    assert any("former country (ISO 3166-3)" in line and repr(country) in line for line in warnings)


@pytest.mark.skipif(not EXCERPT.exists(), reason=f"real register files not found at {REAL}")
@pytest.mark.parametrize(
    ("mark", "as_of", "owner"),
    [
        ("MADISON SQUARE GARDEN", "1967-05", "MADISON SQUARE GARDEN CORPORATION"),
        ("MADISON SQUARE GARDEN", "1990", "MADISON SQUARE GARDEN CORPORATION"),
        ("MADISON SQUARE GARDEN", "2024-12", "MSG ENTERTAINMENT HOLDINGS, LLC"),
        ("SARGENT", "1950", "SARGENT & CO."),
        ("SARGENT", None, "SARGENT MANUFACTURING COMPANY"),
    ],
)
def test_the_real_excerpt_names_the_owner_of_the_date_asked(
    mark: str, as_of: str | None, owner: str
) -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    assert import_registry(graph, [EXCERPT]).records == 5
    found = Analyst(graph).who_else_uses(mark, as_of=as_of)
    assert [u.party.name for u in found if u.mark.text == mark] == [owner]
    graph.close()


@pytest.mark.skipif(not EXCERPT.exists(), reason=f"real register files not found at {REAL}")
def test_the_real_excerpt_names_the_applicants_as_filers() -> None:
    records, warnings, errors = read(EXCERPT)
    assert not errors and not warnings
    changes = records["74800000"].ownership_changes
    assert [(c.kind, c.date.value) for c in changes] == [
        ("assignment", "1989-11-27"),  # 10 -> 11, bounded by the notice of publication (NPUB)
        ("name-change", "1989-11-27"),  # 11 -> 13 "By change of name from"
    ]
    graph = KnowledgeGraph.open(Settings(memory=True))
    import_registry(graph, [EXCERPT])
    analyst = Analyst(graph)
    for party, serial in [
        ("DALMAS S.P.A.", "74800000"),
        ("MADISON SQUARE GARDEN CORPORATION", "72269147"),
        ("SARGENT & CO.", "71060608"),
    ]:
        (filing,) = [e.description for e in analyst.timeline(party=party) if e.kind == "filing"]
        assert filing.startswith(f"{party} files application No. {serial} for ")
    for later in ("GRUPPO LA PERLA S.P.A.", "MSG ENTERTAINMENT HOLDINGS, LLC"):
        assert not [e for e in analyst.timeline(party=later) if e.kind == "filing"]
    graph.close()


# ------------------------------------------------------------------ dates the case's history gives


def history_case(
    owners: list[tuple[int, str]],
    events: list[tuple[str, str]] = (),
    header: str = "",
    serial: str = "90000500",
    transaction: str = "20250107",
) -> str:
    """A case-file with the given owners (party type, name), events (code, YYYYMMDD) and
    header values."""
    listed = "".join(
        f"<case-file-event-statement><code>{code}</code><type>I</type>"
        f"<description-text>EVENT {code}</description-text><date>{day}</date>"
        f"<number>{n}</number></case-file-event-statement>"
        for n, (code, day) in enumerate(events, 1)
    )
    parties = "".join(
        f"<case-file-owner><party-type>{rank}</party-type>"
        f"<legal-entity-type-code>03</legal-entity-type-code><party-name>{name}</party-name>"
        "</case-file-owner>"
        for rank, name in owners
    )
    return (
        f"<case-file><serial-number>{serial}</serial-number>"
        "<registration-number>0000000</registration-number>"
        f"<transaction-date>{transaction}</transaction-date>\n<case-file-header>"
        "<filing-date>19990104</filing-date>"
        "<mark-identification>QUILLMERE</mark-identification>"
        f"<mark-drawing-code>4000</mark-drawing-code>{header}</case-file-header>\n"
        f"<case-file-event-statements>{listed}</case-file-event-statements>\n"
        f"<case-file-owners>{parties}</case-file-owners></case-file>\n"
    )


REGISTERED = "<registration-date>20000606</registration-date><status-code>800</status-code>"
LATER = [(30, "QUILL ONE INC."), (40, "QUILL TWO LLC"), (41, "QUILL THREE LP")]


@pytest.mark.parametrize(
    ("events", "dates", "recorded"),
    [
        ([("ASGN", "20070530"), ("ASGN", "20110518")], ["2007-05-30", "2011-05-18"], True),
        # the manual update counts; an assignment "not updated" and any other event do not
        (
            [
                ("AOUM", "20090101"),
                ("ASCK", "20100101"),
                ("CFIT", "20100202"),
                ("ASGN", "20120303"),
            ],
            ["2009-01-01", "2012-03-03"],
            True,
        ),
        # an assignment recorded before the registration dated a change before it: not counted
        (
            [("ASGN", "19990505"), ("ASGN", "20030303"), ("ASGN", "20050505")],
            ["2003-03-03", "2005-05-05"],
            True,
        ),
        # one event for two changes: which is which is unknown, the transaction-date dates both
        ([("ASGN", "20070530")], ["2025-01-07", "2025-01-07"], False),
        # three events for two changes: the same
        (
            [("ASGN", "20010101"), ("ASGN", "20020202"), ("ASGN", "20030303")],
            ["2025-01-07"] * 2,
            False,
        ),
        ([], ["2025-01-07", "2025-01-07"], False),
    ],
)
def test_later_changes_are_dated_by_the_assignments_recorded_when_they_match(
    tmp_path: Path, events: list[tuple[str, str]], dates: list[str], recorded: bool
) -> None:
    path = write(tmp_path, daily(history_case(LATER, events, REGISTERED)))
    records, warnings, errors = read(path)
    assert not errors and not warnings
    changes = records["90000500"].ownership_changes
    assert [(c.assignees[0].name, c.date.value) for c in changes] == [
        ("QUILL TWO LLC", dates[0]),
        ("QUILL THREE LP", dates[1]),
    ]
    for n, change in enumerate(changes, 1):
        said = change.conveyance_text
        assert ("the office recorded it that day" in said) is recorded
        assert (f"assignment-recording event {n} of 2 after the registration date" in said) is (
            recorded
        )
        assert ("transaction-date" in said) is not recorded
        assert (change.recordal_date.value if change.recordal_date else None) == (
            dates[n - 1] if recorded else None
        )


@pytest.mark.parametrize(
    ("events", "distinct"),
    [
        ([("ASGN", "20070530"), ("ASGN", "20110518")], 2),  # dated by the case's history
        ([("AOUM", "20070530"), ("CFIT", "20090909"), ("ASGN", "20110518")], 2),
    ],
)
def test_two_daily_files_restating_a_case_do_not_double_its_changes(
    tmp_path: Path, events: list[tuple[str, str]], distinct: int
) -> None:
    first = write(
        tmp_path, daily(history_case(LATER, events, REGISTERED, transaction="20240914")), "a.xml"
    )
    second = write(
        tmp_path, daily(history_case(LATER, events, REGISTERED, transaction="20240925")), "b.xml"
    )
    graph = KnowledgeGraph.open(Settings(memory=True))
    import_registry(graph, [first])
    import_registry(graph, [second])
    rows = graph.query(
        f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c tm:registration <{REG}90000500> ; "
        "tm:assignee ?to } }"
    )
    assert len(list(rows)) == distinct
    timeline = Analyst(graph).timeline(party="QUILL THREE LP")
    assert [e.date for e in timeline if "QUILL THREE LP" in e.description].count("2011-05-18") == 1
    graph.close()


@pytest.mark.parametrize(
    ("header", "events", "owners", "dates"),
    [
        # no published-for-opposition-date: the notice of publication (NPUB) bounds 11-20
        (
            "<status-code>686</status-code>",
            [("CNSA", "20000101"), ("NPUB", "20000215"), ("ASGN", "20010101")],
            [(10, "QUILL ONE INC."), (11, "QUILL TWO LLC"), (13, "QUILL THREE LP")],
            ["2000-02-15", "2000-02-15"],
        ),
        (  # the publication event of a Madrid-based case (PUBO) alike
            "<status-code>686</status-code>",
            [("PUBO", "20010315")],
            [(10, "QUILL ONE INC."), (20, "QUILL TWO LLC")],
            ["2001-03-15"],
        ),
        (  # abandoned before publication: never after the abandonment date
            "<status-code>602</status-code><status-date>20030401</status-date>"
            "<abandonment-date>20021130</abandonment-date>",
            [],
            [(10, "QUILL ONE INC."), (11, "QUILL TWO LLC")],
            ["2002-11-30"],
        ),
        (  # a cancelled registration: later owners never after the cancellation date
            "<registration-date>20000606</registration-date><status-code>710</status-code>"
            "<status-date>20080101</status-date><cancellation-date>20070707</cancellation-date>",
            [],
            [(30, "QUILL ONE INC."), (40, "QUILL TWO LLC")],
            ["2007-07-07"],
        ),
        (  # an ended status with neither date: the transaction-date, as before
            "<status-code>602</status-code><status-date>20030401</status-date>",
            [],
            [(10, "QUILL ONE INC."), (11, "QUILL TWO LLC")],
            ["2025-01-07"],
        ),
    ],
)
def test_changes_are_bounded_by_the_publication_event_and_the_end_of_the_right(
    tmp_path: Path,
    header: str,
    events: list[tuple[str, str]],
    owners: list[tuple[int, str]],
    dates: list[str],
) -> None:
    records, warnings, errors = read(write(tmp_path, daily(history_case(owners, events, header))))
    assert not errors and not warnings
    changes = records["90000500"].ownership_changes
    assert [c.date.value for c in changes] == dates
    assert all("on or before that day" in c.conveyance_text for c in changes)
    if "NPUB" in str(events):
        assert "publication event NPUB, 2000-02-15" in changes[0].conveyance_text
    if "abandonment-date" in header:
        assert "day the right ended" in changes[0].conveyance_text


@pytest.mark.parametrize(
    ("header", "status_date"),
    [
        (
            "<status-code>602</status-code><status-date>20030401</status-date>"
            "<abandonment-date>20021130</abandonment-date>",
            "2002-11-30",
        ),
        (
            "<status-code>601</status-code><status-date>20030401</status-date>"
            "<abandonment-date>20030315</abandonment-date>",
            "2003-03-15",
        ),  # withdrawn
        (
            "<status-code>603</status-code><status-date>20030401</status-date>"
            "<abandonment-date>20030101</abandonment-date>",
            "2003-01-01",
        ),  # refused
        (
            "<registration-date>20000606</registration-date><status-code>710</status-code>"
            "<status-date>20080101</status-date><cancellation-date>20070707</cancellation-date>",
            "2007-07-07",
        ),
        (
            "<registration-date>20000606</registration-date><status-code>900</status-code>"
            "<status-date>20110101</status-date><cancellation-date>20100606</cancellation-date>",
            "2010-06-06",
        ),  # expired
        # the file gives no day the right ended: the status-date
        ("<status-code>602</status-code><status-date>20030401</status-date>", "2003-04-01"),
        # a live status keeps its status-date whatever else the header says
        (
            REGISTERED + "<status-date>20100101</status-date>"
            "<abandonment-date>19991231</abandonment-date>",
            "2010-01-01",
        ),
    ],
)
def test_an_ended_right_is_dated_by_the_day_it_ended(
    tmp_path: Path, header: str, status_date: str
) -> None:
    owners = [(10, "QUILL ONE INC.")]
    records, warnings, errors = read(write(tmp_path, daily(history_case(owners, [], header))))
    assert not errors and not warnings
    assert records["90000500"].status_date.value == status_date


@pytest.mark.skipif(not EXCERPT.exists(), reason=f"real register files not found at {REAL}")
def test_the_real_excerpt_dates_changes_by_the_cases_history() -> None:
    records, _, _ = read(EXCERPT)
    msg = records["72269147"].ownership_changes
    assert [c.date.value for c in msg] == [
        "2007-05-30",
        "2011-05-18",
        "2015-10-21",
        "2020-09-16",
        "2023-05-03",
    ]
    grigio = records["74800000"]
    assert grigio.status_date.value == "2001-09-20"
    assert [c.date.value for c in grigio.ownership_changes] == ["1989-11-27", "1989-11-27"]
    graph = KnowledgeGraph.open(Settings(memory=True))
    import_registry(graph, [EXCERPT])
    analyst = Analyst(graph)
    for mark, as_of, owners in [
        ("MADISON SQUARE GARDEN", "2008", ["Madison Square Garden L.P."]),
        ("MADISON SQUARE GARDEN", "2016", ["MSG SPORTS & ENTERTAINMENT, LLC"]),
        ("MADISON SQUARE GARDEN", "2006", ["MADISON SQUARE GARDEN CORPORATION"]),
        ("GRIGIOPERLA", "2001-09-01", ["GRUPPO LA PERLA S.P.A."]),
        ("GRIGIOPERLA", "2001-12-01", []),
    ]:
        found = analyst.who_else_uses(mark, as_of=as_of)
        assert [u.party.name for u in found if u.mark.text == mark] == owners, (mark, as_of)
    graph.close()


# ------------------------------------------------------------------ what the reader warns of


@pytest.mark.parametrize("code", ["611", "999", "X12"])
def test_a_status_code_not_in_the_table_is_counted_with_its_serial(
    tmp_path: Path, code: str
) -> None:
    header = f"<registration-date>20000606</registration-date><status-code>{code}</status-code>"
    path = write(tmp_path, daily(history_case([(30, "QUILL ONE INC.")], [], header)))
    records, warnings, errors = read(path)
    assert not errors and records["90000500"].status_code == code
    assert any(
        "status code not in the USPTO's table: read as live" in line
        and f"serial 90000500 status-code '{code}'" in line
        for line in warnings
    ), warnings


@pytest.mark.parametrize("code", ["602", "800", "630", "710"])
def test_a_status_code_in_the_table_is_no_warning(tmp_path: Path, code: str) -> None:
    header = f"<status-code>{code}</status-code>"
    path = write(tmp_path, daily(history_case([(10, "QUILL ONE INC.")], [], header)))
    assert read(path)[1] == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # cut inside the second case-file: it is named
        (
            daily(case_file(serial="90000101"), case_file(serial="90000102"))[:-150],
            "(in the case-file of serial 90000102)",
        ),
        (daily(case_file(serial="90000103"))[:-200], "(in the case-file of serial 90000103)"),
        (  # an undeclared entity in the first and only case-file
            daily(case_file(serial="90000104").replace("ZEPHYRINE</mark", "&mark;</mark")),
            "(in the case-file of serial 90000104)",
        ),
        (  # a broken element between two case-files: the last one completed
            daily(case_file(serial="90000105"), "<broken></brokn>", case_file(serial="90000106")),
            "(after the case-file of serial 90000105)",
        ),
        (  # two completed in the chunk the error is in: the later one is named
            daily(case_file(serial="90000108"), case_file(serial="90000109"), "<a></b>"),
            "(after the case-file of serial 90000109)",
        ),
        (  # the error in a later 64 KiB chunk than the case-file completed before it
            daily(case_file(serial="90000110"), "<!--" + "x" * 70_000 + "-->", "<a></b>"),
            "(after the case-file of serial 90000110)",
        ),
        (  # the error in the case-file after a completed one, in the same chunk
            daily(
                case_file(serial="90000111"),
                case_file(serial="90000112").replace("</serial-number>", "</serial-number><a></b>"),
            ),
            "(in the case-file of serial 90000112)",
        ),
        (  # before any serial-number
            daily(case_file(serial="90000107").replace("<serial-number>", "<serial-numbr>")),
            "(before the first case-file's serial-number)",
        ),
    ],
)
def test_an_xml_error_names_the_case_file_being_read(tmp_path: Path, text: str, said: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ParseError) as raised:
        list(read_uspto_daily(path, None, RowErrors(str(path)))[0])
    assert "not well-formed XML" in str(raised.value) and said in str(raised.value)
    assert raised.value.path == str(path) and raised.value.line


def test_the_timeline_shows_the_last_renewal(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """A registration's renewal date (USPTO renewal-date) is a dated step of its owner's
    timeline, worded as a renewal of that registration."""
    text = SAMPLE.read_text(encoding="utf-8")
    renewed = "<registration-date>20200114</registration-date><renewal-date>20240114</renewal-date>"
    path = tmp_path / "renewed.xml"
    path.write_text(text.replace("<registration-date>20200114</registration-date>", renewed, 1))
    import_registry(disk_graph, [path])
    entries = Analyst(disk_graph).timeline("NORTHWIND LANTERN CO.")
    renewals = [(e.date, e.description) for e in entries if e.kind == "renewal"]
    assert len(renewals) == 1 and renewals[0][0] == "2024-01-14"
    assert "registration No. 6001234 of 'NORTHWIND LANTERN'" in renewals[0][1]
    assert renewals[0][1].endswith("is renewed")
