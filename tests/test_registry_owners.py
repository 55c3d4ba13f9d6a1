"""Registry import of co-owners and of persons: every owner of a registration survives,
each typed tm:Person or tm:Company from what the office file says; co-owners of one
registration hold one right and never conflict over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, ParseError
from kg.registries.importer import import_registry, read_registry

ST66_NS = "http://www.wipo.int/standards/XMLSchema/ST66"
REG = "https://w3id.org/tmkg/id/registration/"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def applicant(name: str, *, entity: str = "", person: tuple[str, str] | None = None) -> str:
    """An ST.66 Applicant: a free-format name, or a person's FirstName/LastName."""
    legal = f"<ApplicantLegalEntity>{entity}</ApplicantLegalEntity>" if entity else ""
    if person:
        named = (
            f"<FormattedName><FirstName>{person[0]}</FirstName>"
            f"<LastName>{person[1]}</LastName></FormattedName>"
        )
    else:
        named = (
            "<FreeFormatName><FreeFormatNameDetails><FreeFormatNameLine>"
            f"{name}</FreeFormatNameLine></FreeFormatNameDetails></FreeFormatName>"
        )
    return (
        f"<Applicant>{legal}<ApplicantAddressBook><FormattedNameAddress><Name>{named}</Name>"
        "</FormattedNameAddress></ApplicantAddressBook></Applicant>"
    )


def st66_trademark(number: str, mark: str, *applicants: str, office: str = "GB") -> str:
    return (
        f"<TradeMark><RegistrationOfficeCode>{office}</RegistrationOfficeCode>"
        f"<ApplicationNumber>{number}</ApplicationNumber>"
        f"<WordMarkSpecification><MarkVerbalElementText>{mark}</MarkVerbalElementText>"
        "</WordMarkSpecification><GoodsServicesDetails><GoodsServices><ClassDescriptionDetails>"
        "<ClassDescription><ClassNumber>25</ClassNumber></ClassDescription>"
        "</ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>"
        f"<ApplicantDetails>{''.join(applicants)}</ApplicantDetails></TradeMark>"
    )


def st66(*trademarks: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Transaction xmlns="{ST66_NS}">'
        "<TradeMarkTransactionBody><TransactionContentDetails><TransactionData>"
        "<TradeMarkDetails>" + "".join(trademarks) + "</TradeMarkDetails>"
        "</TransactionData></TransactionContentDetails></TradeMarkTransactionBody></Transaction>\n"
    )


def owners(graph: KnowledgeGraph, registration: str) -> list[tuple[str, str]]:
    """(name, type local name) of each owner of a registration, sorted."""
    rows = graph.query(
        f"""SELECT ?name ?type WHERE {{ <{REG}{registration}> tm:owner ?o .
               ?o schema:name ?name ; a ?type }}"""
    )
    return sorted((r["name"].value, r["type"].value.rsplit("#", 1)[-1]) for r in rows)


# ------------------------------------------------------------------ analyses


def test_co_owners_do_not_conflict_with_each_other(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Two co-owners of one registration hold the same right: no conflict between them,
    while a third party's similar mark conflicts with their right, one conflict naming both."""
    text = st66(
        st66_trademark(
            "UK00000001", "LUMAVERA", applicant("Lumavera Ltd"), applicant("Orvanta Ltd")
        ),
        st66_trademark("UK00000002", "LUMAVERA", applicant("Quessly Ltd")),
    )
    import_registry(disk_graph, [write(tmp_path, "co-owned.xml", text)])
    pairs = Analyst(disk_graph).conflicts(jurisdiction="GB")
    [pair] = pairs
    named = sorted(tuple(sorted(p.name for p in side)) for side in pair.holders)
    assert named == [("Lumavera Ltd", "Orvanta Ltd"), ("Quessly Ltd",)]
    assert [side[0] for side in pair.holders] == list(pair.parties)


# ------------------------------------------------------------------ ST.66


def uspto_applicant(name: str, party_type: str, entity: str, code: str) -> str:
    """An Applicant as USPTO TSDR's ST.66 writes it beside TradeMarkDetails."""
    return (
        f"<Applicant><ApplicantLegalEntity>{entity}</ApplicantLegalEntity>"
        "<ApplicantAddressBook><FormattedNameAddress><Name><FreeFormatName>"
        f"<FreeFormatNameDetails><FreeFormatNameLine sequenceNumber='1'>{name}"
        "</FreeFormatNameLine></FreeFormatNameDetails></FreeFormatName></Name>"
        "</FormattedNameAddress></ApplicantAddressBook><ApplicantExt>"
        f"<ns2:PartyTypeCode>{party_type}</ns2:PartyTypeCode>"
        f"<ns2:ApplicantLegalEntityCode>{code}</ns2:ApplicantLegalEntityCode>"
        "</ApplicantExt></Applicant>"
    )


def test_uspto_st66_keeps_every_current_co_owner(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """USPTO lists the chain of title, current party type first: the two joint owners of
    party type 30 (individuals, code 01) are owners and persons; the original applicant
    (10) before them is not an owner; a corporation stays a company."""
    text = (
        '<?xml version="1.0"?>\n<Transaction xmlns:ns2="urn:us:gov:doc:uspto:trademark:status" '
        'xmlns="http://www.wipo.int/standards/XMLSchema/trademarks"><TradeMarkTransactionBody>'
        "<TransactionContentDetails><TransactionData><TradeMarkDetails><TradeMark>"
        "<RegistrationOfficeCode>US</RegistrationOfficeCode>"
        "<ApplicationNumber>97000001</ApplicationNumber><RegistrationNumber>7000001"
        "</RegistrationNumber><WordMarkSpecification><MarkVerbalElementText>QUILLORA"
        "</MarkVerbalElementText></WordMarkSpecification></TradeMark></TradeMarkDetails>"
        "<ApplicantDetails>"
        + uspto_applicant("Jane Example", "30", "INDIVIDUAL", "1")
        + uspto_applicant("John Example", "30", "INDIVIDUAL", "1")
        + uspto_applicant("Quillora Corp.", "10", "CORPORATION", "3")
        + "</ApplicantDetails></TransactionData></TransactionContentDetails>"
        "</TradeMarkTransactionBody></Transaction>"
    )
    import_registry(disk_graph, [write(tmp_path, "uspto.xml", text)])
    assert owners(disk_graph, "us-97000001") == [
        ("Jane Example", "Person"),
        ("John Example", "Person"),
    ]


def test_tmview_st66_persons_and_legal_entities(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """As TMview's exports say it: "Natural person" with FirstName/LastName, "Legal entity"
    with LastName and OrganizationName; with no marker, a FirstName/LastName is a person."""
    company = (
        "<Applicant><ApplicantLegalEntity>Legal entity</ApplicantLegalEntity>"
        "<ApplicantAddressBook><FormattedNameAddress><Name><FormattedName>"
        "<LastName>AG EXEMPLU S.R.L.</LastName><OrganizationName>AG EXEMPLU S.R.L."
        "</OrganizationName></FormattedName></Name></FormattedNameAddress>"
        "</ApplicantAddressBook></Applicant>"
    )
    text = st66(
        st66_trademark(
            "M201200001",
            "MIRVALO",
            company,
            applicant("", entity="Natural person", person=("Ana", "Exemplu")),
            office="RO",
        ),
        st66_trademark(
            "M201200002", "TERVANO", applicant("", person=("Ion", "Exemplu")), office="RO"
        ),
    )
    import_registry(disk_graph, [write(tmp_path, "tmview.xml", text)])
    assert owners(disk_graph, "ro-M201200001") == [
        ("AG EXEMPLU S.R.L.", "Company"),
        ("Ana Exemplu", "Person"),
    ]
    assert owners(disk_graph, "ro-M201200002") == [("Ion Exemplu", "Person")]


# ------------------------------------------------------------------ CSV


CSV_HEADER = "mark,owner,owner_kind,classes,jurisdiction,registration_date,number\n"


def test_csv_repeated_rows_are_co_owners(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """One row per owner, as the TIPO gazette repeats RegContentOwner: a company and a
    person co-own one registration; a row without owner_kind stays a company."""
    text = CSV_HEADER + (
        "普瑞德,普瑞德國際有限公司,company,25,TW,2022-03-16,02207700\n"
        "普瑞德,秦範丙,person,25,TW,2022-03-16,02207700\n"
        "景岳,景岳生物科技股份有限公司,,5,TW,2022-03-16,02207701\n"
    )
    report = import_registry(disk_graph, [write(tmp_path, "tw.csv", text)])
    assert report.records == 2
    assert owners(disk_graph, "tw-02207700") == [
        ("普瑞德國際有限公司", "Company"),
        ("秦範丙", "Person"),
    ]
    assert owners(disk_graph, "tw-02207701") == [("景岳生物科技股份有限公司", "Company")]


def test_csv_owner_rows_that_disagree_are_refused(tmp_path: Path) -> None:
    """A second row with another single value (a registration date; classes add up), an
    unknown owner kind, and one name given two kinds are errors naming their lines; nothing is
    imported."""
    text = CSV_HEADER + (
        "NOVELLO,Novello Ltd,company,25,GB,2020-01-01,UK1\n"
        "NOVELLO,Ann Novello,person,26,GB,2021-01-01,UK1\n"
        "NOVELLO,Ann Novello,human,25,GB,2020-01-01,UK2\n"
        "NOVELLA,Novello Ltd,person,25,GB,2020-01-01,UK3\n"
    )
    with pytest.raises(ParseError) as caught:
        read_registry(write(tmp_path, "bad.csv", text))
    message = str(caught.value)
    assert "registration GB-UK1 is already on line 2 with other values" in message
    assert '"human" is not an owner kind (person or company)' in message
    assert 'owner "Novello Ltd" is a person here, a company on line 2' in message
