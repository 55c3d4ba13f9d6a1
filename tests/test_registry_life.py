"""A mark's life through `kg import`: status dates, expiry and renewal dates, the owner's
country, application vs registration numbers, and the messages for files tmkg does not read.

Fixtures: tests/data/registry-life-st66.xml (TMview-shaped ST.66), tests/data/registry-life.csv,
and a USPTO TSDR-shaped ST.66 record written below (a pending application: an empty
RegistrationNumber, the applicant beside TradeMarkDetails with its incorporation country)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, ParseError
from kg.registries.importer import import_registry, read_registry
from tests.conftest import DATA, all_quads, run_kg

ST66 = DATA / "registry-life-st66.xml"
CSV = DATA / "registry-life.csv"
REG = "https://w3id.org/tmkg/id/registration/"
USPTO_PENDING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Transaction xmlns:ns2="urn:us:gov:doc:uspto:trademark:status" xmlns="http://www.wipo.int/standards/XMLSchema/trademarks"><TradeMarkTransactionBody><TransactionContentDetails><TransactionData><TradeMarkDetails><TradeMark>
<RegistrationOfficeCode>US</RegistrationOfficeCode><ApplicationNumber>87000042</ApplicationNumber>
<ApplicationDate>2018-04-17-04:00</ApplicationDate><RegistrationNumber></RegistrationNumber>
<MarkCurrentStatusCode>680</MarkCurrentStatusCode><MarkCurrentStatusDate>2018-08-27-04:00</MarkCurrentStatusDate>
<WordMarkSpecification><MarkVerbalElementText>GRILL ADDICT</MarkVerbalElementText></WordMarkSpecification>
<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription><ClassNumber>043</ClassNumber>
</ClassDescription></ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>
</TradeMark></TradeMarkDetails><ApplicantDetails><Applicant>
<ApplicantLegalEntity>LIMITED LIABILITY COMPANY</ApplicantLegalEntity>
<ApplicantIncorporationCountryCode>{country}</ApplicantIncorporationCountryCode>
<ApplicantAddressBook><FormattedNameAddress><Name><FreeFormatName><FreeFormatNameDetails>
<FreeFormatNameLine sequenceNumber="1">Grill Addict Example LLC</FreeFormatNameLine></FreeFormatNameDetails></FreeFormatName></Name>
<Address><FormattedAddress><FormattedAddressCountryCode>CA</FormattedAddressCountryCode></FormattedAddress></Address>
</FormattedNameAddress></ApplicantAddressBook><ApplicantExt><ns2:PartyTypeCode>10</ns2:PartyTypeCode>
<ns2:ApplicantLegalEntityCode>16</ns2:ApplicantLegalEntityCode></ApplicantExt></Applicant></ApplicantDetails>
</TransactionData></TransactionContentDetails></TradeMarkTransactionBody></Transaction>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def values(graph: KnowledgeGraph, registration: str, term: str) -> list[str]:
    rows = graph.query(f"SELECT ?v WHERE {{ <{REG}{registration}> tm:{term} ?v }}")
    return sorted(row["v"].value for row in rows)


def names(hits: list) -> set[str]:
    return {hit.party.name for hit in hits}


@pytest.fixture
def life(disk_graph: KnowledgeGraph) -> KnowledgeGraph:
    import_registry(disk_graph, [ST66, CSV])
    return disk_graph


# ------------------------------------------------------------------ 1. status, expiry, renewal dates


def test_an_ended_st66_right_counts_before_its_status_date(life: KnowledgeGraph) -> None:
    """EM KALIMBRA, Expired on 2022-01-01: in force in 2020, gone in 2023, lapsed on that day."""
    who = Analyst(life).who_else_uses
    assert "Kalimbra Fashion GmbH" in names(who("KALIMBRA", 25, "FR", as_of="2020"))
    assert "Kalimbra Fashion GmbH" not in names(who("KALIMBRA", 25, "FR", as_of="2023"))
    [hit] = [
        h
        for h in who("KALIMBRA", 25, "FR", as_of="2023", include_lapsed=True)
        if h.party.name == "Kalimbra Fashion GmbH"
    ]
    assert (hit.lapsed, hit.ended, hit.status) == (True, "2022-01-01", "expired")
    assert values(life, "em-018111111", "statusDate") == ["2022-01-01"]


def test_a_withdrawn_application_ends_on_its_month(life: KnowledgeGraph) -> None:
    """A status date as precise as written (2019-05, xsd:gYearMonth)."""
    who = Analyst(life).who_else_uses
    assert "Lucia Ferrante" in names(who("VELMORA", 25, "FR", as_of="2019-01"))
    assert "Lucia Ferrante" not in names(who("VELMORA", 25, "FR", as_of="2020"))
    rows = life.query(f"SELECT (DATATYPE(?d) AS ?t) WHERE {{ <{REG}fr-4700001> tm:statusDate ?d }}")
    assert [row["t"].value.rsplit("#")[1] for row in rows] == ["gYearMonth"]


def test_st66_expiry_date_ends_a_registered_right(life: KnowledgeGraph) -> None:
    """TORVALE says Registered, but its ExpiryDate 2020-08-31 passed with no renewal."""
    who = Analyst(life).who_else_uses
    assert "Torvale Textil AG" in names(who("TORVALE", 25, "DE", as_of="2020-06"))
    [hit] = [
        h
        for h in who("TORVALE", 25, "DE", as_of="2021", include_lapsed=True)
        if h.party.name == "Torvale Textil AG"
    ]
    assert (hit.lapsed, hit.ended) == (True, "2020-08-31")
    assert values(life, "gb-UK00001", "expiryDate") == ["2034-01-01"]


def test_csv_status_expiry_and_renewal_dates(life: KnowledgeGraph) -> None:
    who = Analyst(life).who_else_uses
    in_fr_2020 = names(who("ZORBO", 25, "FR", as_of="2020"))
    assert {"Zorbo GmbH", "Zorbo SAS"} <= in_fr_2020  # expired only in 2022; renewed in 2014
    assert "Zorbo GmbH" not in names(who("ZORBO", 25, "FR", as_of="2023"))
    assert "Zorbo Old Ltd" in names(who("ZORBO", 25, "GB", as_of="2014"))
    assert "Zorbo Old Ltd" not in names(who("ZORBO", 25, "GB", as_of="2016"))
    assert values(life, "fr-FR1", "renewalDate") == ["2014-06"]
    assert values(life, "em-018222222", "statusDate") == ["2022-01-01"]


def test_kg_who_else_uses_as_of_an_imported_past(store_path: Path) -> None:
    """The trial's repro through the real executable."""
    run_kg("import", "--store", store_path, ST66, check=True)
    out = run_kg(
        "who-else-uses", "KALIMBRA", "--jurisdiction", "FR", "--as-of", "2020",
        "--format", "json", "--store", store_path, check=True,
    )  # fmt: skip
    assert "Kalimbra Fashion GmbH" in {hit["party"]["name"] for hit in json.loads(out.stdout)}
    lapsed = run_kg(
        "who-else-uses", "KALIMBRA", "--jurisdiction", "FR", "--include-lapsed",
        "--format", "json", "--store", store_path, check=True,
    )  # fmt: skip
    [hit] = [h for h in json.loads(lapsed.stdout) if h["party"]["name"] == "Kalimbra Fashion GmbH"]
    assert (hit["lapsed"], hit["ended"]) == (True, "2022-01-01")
    assert "unknown date" not in lapsed.stdout


# ------------------------------------------------------------------ 2. the owner's country


def test_owner_country_from_st66_and_csv(life: KnowledgeGraph) -> None:
    find = Analyst(life).find_party
    assert find("Kalimbra Fashion GmbH").country == "DE"  # ApplicantIncorporationCountryCode
    assert find("Kalimbra UK Ltd").country == "GB"
    assert find("Lucia Ferrante").country == "IT"  # a person: ApplicantNationalityCode
    assert find("Torvale Textil AG").country is None  # not said: not guessed
    assert find("Zorbo SAS").country == "FR"  # CSV owner_country
    assert find("Quintaro Inc.").country == "US"


def test_uspto_applicant_beside_trademark_details_has_its_incorporation_country(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Not the address's country (CA): the country of incorporation (US)."""
    import_registry(disk_graph, [write(tmp_path, "uspto.xml", USPTO_PENDING.format(country="US"))])
    assert Analyst(disk_graph).find_party("Grill Addict Example LLC").country == "US"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "uk.xml",
            USPTO_PENDING.format(country="UK"),
            'uk.xml:11: ApplicantIncorporationCountryCode: unknown jurisdiction "UK": the ISO '
            "3166-1 code of the United Kingdom is GB",
        ),
        (
            "bad.csv",
            "mark,owner,owner_country,number,jurisdiction\nA,A Ltd,XX,1,GB\n",
            'bad.csv:2:3: owner_country: unknown jurisdiction "XX"',
        ),
        (
            "two.csv",
            "mark,owner,owner_country,number,jurisdiction\nA,A Ltd,GB,1,GB\nB,A Ltd,IE,2,GB\n",
            'bad.csv:3: owner "A Ltd" is of IE here, of GB on line 2'.replace("bad", "two"),
        ),
    ],
)
def test_a_bad_owner_country_is_refused_and_nothing_written(
    disk_graph: KnowledgeGraph, tmp_path: Path, name: str, text: str, message: str
) -> None:
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [CSV, write(tmp_path, name, text)])
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")
    assert all_quads(disk_graph) == before


# ------------------------------------------------------------------ 3. application vs registration numbers


def test_a_pending_st66_application_has_no_registration_number(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    import_registry(disk_graph, [write(tmp_path, "uspto.xml", USPTO_PENDING.format(country="US"))])
    assert values(disk_graph, "us-87000042", "applicationNumber") == ["87000042"]
    assert values(disk_graph, "us-87000042", "registrationNumber") == []
    assert values(disk_graph, "us-87000042", "statusDate") == ["2018-08-27"]


def test_st66_numbers_are_each_stated_as_given(life: KnowledgeGraph) -> None:
    assert values(life, "gb-UK00001", "applicationNumber") == ["UK00001"]
    assert values(life, "gb-UK00001", "registrationNumber") == ["UK00001"]
    assert values(life, "fr-4700001", "applicationNumber") == ["4700001"]
    assert values(life, "fr-4700001", "registrationNumber") == []


def test_csv_numbers(life: KnowledgeGraph) -> None:
    # explicit columns: each as given
    assert values(life, "us-88000001", "applicationNumber") == ["88000001"]
    assert values(life, "us-88000001", "registrationNumber") == ["6000001"]
    # only `number`, no registration date: an application's number
    assert values(life, "gb-UK00003999999", "applicationNumber") == ["UK00003999999"]
    assert values(life, "gb-UK00003999999", "registrationNumber") == []
    # only `number`, with a registration date: the registration's number
    assert values(life, "gb-UK2", "registrationNumber") == ["UK2"]
    assert values(life, "gb-UK2", "applicationNumber") == []


def test_a_pending_application_is_held_by_its_applicant(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    import_registry(disk_graph, [write(tmp_path, "uspto.xml", USPTO_PENDING.format(country="US"))])
    [hit] = Analyst(disk_graph).who_else_uses("GRILL ADDICT", 43, "US", as_of="2019")
    assert hit.kind.value == "APPLICANT"


# ------------------------------------------------------------------ 4. files tmkg does not read


TMVIEW = (
    '<?xml version="1.0"?>\n<Transaction xmlns="{}"><TradeMarkTransactionBody>'
    "</TradeMarkTransactionBody></Transaction>\n"
)


@pytest.mark.parametrize(
    "namespace",
    [
        "http://gb.tmview.europa.eu/trademark/data",
        "http://ro.tmview.europa.eu/trademark/data",
        "http://gb.tmview.europa.eu/trademark/applicant",
    ],
)
def test_tmview_per_office_files_are_read(tmp_path: Path, namespace: str) -> None:
    """TMview's per-office namespaces are read like any ST.66 (issue 14): an empty
    transaction imports nothing and says so; nothing is refused on the namespace."""
    imported = read_registry(write(tmp_path, "office.xml", TMVIEW.format(namespace)))
    assert imported.records == 0
    assert imported.warnings == (f"{tmp_path / 'office.xml'}: no TradeMark element found",)


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        (
            "register.json",
            "JSON registers (such as IPONZ's or KIPRIS's) have no standard layout",
        ),
        ("register.JSON", "JSON registers"),
        ("register.xlsx", 'unknown registry format (extension ".xlsx")'),
        ("register", "unknown registry format (no extension)"),
    ],
)
def test_formats_not_read_say_what_is(tmp_path: Path, name: str, needle: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_registry(write(tmp_path, name, "{}"))
    assert needle in str(caught.value)
    assert "tmkg reads CSV (.csv), TSV (.tsv, .tab), WIPO ST.66 and ST.96 XML" in str(caught.value)
    if name.lower().endswith(".json"):
        assert "--format" not in str(caught.value)


def test_kg_import_messages_name_the_file_without_a_traceback(
    store_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "extracts.xml"  # a directory, whatever its name says
    folder.mkdir()
    cases = [
        (folder, "is a directory"),
        (tmp_path, "is a directory"),
        (write(tmp_path, "x.json", "{}"), "have no standard layout"),
    ]  # fmt: skip
    for path, needle in cases:
        failed = run_kg("import", "--store", store_path, CSV, path)
        assert failed.returncode == 4, failed.stderr
        assert failed.stderr.startswith(f"kg: error: {path}"), failed.stderr
        assert needle in failed.stderr and "Traceback" not in failed.stderr
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?r a tm:Registration }"
    out = run_kg("query", "--store", store_path, count, "--format", "csv", check=True)
    assert out.stdout.split()[1] == "0"
