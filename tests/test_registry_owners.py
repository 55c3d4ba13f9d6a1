"""Registry import of co-owners and of persons: every owner of a registration survives,
each typed tm:Person or tm:Company from what the office file says; co-owners of one
registration hold one right and never conflict over it."""

from __future__ import annotations

from pathlib import Path

from kg import Analyst, KnowledgeGraph
from kg.registries.importer import import_registry

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
    while a third party's similar mark conflicts with each of them."""
    text = st66(
        st66_trademark(
            "UK00000001", "LUMAVERA", applicant("Lumavera Ltd"), applicant("Orvanta Ltd")
        ),
        st66_trademark("UK00000002", "LUMAVERA", applicant("Quessly Ltd")),
    )
    import_registry(disk_graph, [write(tmp_path, "co-owned.xml", text)])
    pairs = Analyst(disk_graph).conflicts(jurisdiction="GB")
    named = sorted(tuple(sorted(p.name for p in pair.parties)) for pair in pairs)
    assert named == [("Lumavera Ltd", "Quessly Ltd"), ("Orvanta Ltd", "Quessly Ltd")]
