"""`kg import` of WIPO's Madrid (ROMARIN) XML (kg/registries/madrid.py).

Fixture: tests/data/registry-madrid.xml (invented): IR 1600001, a word mark with designations
under the Protocol and the Agreement, a refusal, a grant, a subsequent designation and a
renewal; IR 1600002, co-held by a company and a natural person; IR 1600003, a figurative mark
(no words: not imported).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kg import KnowledgeGraph, ParseError
from kg.registries import importer
from kg.registries.madrid import read_madrid
from kg.registries.records import RegistryRecord, RowErrors
from kg.registries.sniff import xml_format
from tests.conftest import DATA, all_quads

MADRID = DATA / "registry-madrid.xml"
REG = "https://w3id.org/tmkg/id/registration/"
dispatched = pytest.mark.skipif(
    "madrid" not in importer.FORMATS,
    reason="kg/registries/importer.py does not dispatch Madrid files to read_madrid yet",
)


def records(path: Path) -> dict[str, RegistryRecord]:
    errors = RowErrors(str(path))
    found, _ = read_madrid(path, None, errors)
    by_number = {record.number: record for record in found}
    assert not errors, errors.errors
    return by_number


def value(found: object) -> object:
    if isinstance(found, tuple):
        return tuple(value(item) for item in found)
    return getattr(found, "value", found)


def test_an_international_registration_reads_as_wipo_records_it() -> None:
    record = records(MADRID)["1600001"]
    assert (record.jurisdiction, record.number, record.registration_number) == (
        "WO",
        "1600001",
        "1600001",
    )
    assert record.application_number is None
    assert (record.mark, record.mark_feature) == ("VALLORBIA", "Word")
    assert value((record.filing_date, record.registration_date, record.expiry_date)) == (
        "2011-03-12",
        "2011-03-12",
        "2031-03-12",
    )
    assert value(record.renewal_date) == "2021-03-12"
    assert value(record.publication_date) == "2011-06-17"
    # NAME lines joined; the country from NATLTY, not the address (FR)
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("Vallorbe Horlogerie Exemple SA", "company", "CH")
    ]
    assert [r.name for r in record.representatives] == ["Exemple & Associés Conseils en marques"]
    assert record.classes == (14, 35)  # NICCLAI 99 is no class
    watches = record.goods_services[0]
    assert (watches.nice, watches.version) == (14, "9-2011")
    assert [(t.language, t.text) for t in watches.texts] == [
        ("en", "Watches; clocks."),
        ("fr", "Montres; horloges."),
        ("es", "Relojes."),
    ]
    [claim] = record.priority_claims
    assert (claim.country, value(claim.date), claim.number) == ("CH", "2010-10-01", "60001/2010")
    assert [(t.text, t.language) for t in record.translations] == [("little Vallorbe", "en")]
    assert [t.language for t in record.disclaimers] == ["fr"]


def test_designations_carry_their_dates_and_own_status() -> None:
    record = records(MADRID)["1600001"]
    assert [
        (d.jurisdiction, value(d.date), d.status, value(d.status_date)) for d in record.designations
    ] == [
        ("CN", "2011-03-12", "Total Refusal", "2012-03-01"),
        ("EM", "2011-03-12", "Protection Granted", "2012-01-10"),
        ("JP", "2013-05-05", None, None),  # a subsequent designation (EXN): its own date
        ("DZ", "2011-03-12", None, None),  # under the Agreement
    ]
    assert [(e.code, e.kind, value(e.date)) for e in record.events] == [
        ("ENN", "registration", "2011-03-12"),
        ("GPN", None, "2012-01-10"),
        ("RFNT", None, "2012-03-01"),
        ("EXN", None, "2013-05-05"),
        ("REN", "renewal", "2021-03-12"),
    ]


def test_co_holders_and_warnings() -> None:
    errors = RowErrors(str(MADRID))
    found, tally = read_madrid(MADRID, "CH", errors)
    by_number = {r.number: r for r in found}
    assert sorted(by_number) == ["1600001", "1600002"]
    assert by_number["1600002"].jurisdiction == "WO"  # --jurisdiction does not apply
    assert [(o.name, o.kind, o.country) for o in by_number["1600002"].owners] == [
        ("Maison Exemple SARL", "company", "FR"),
        ("Élise Exemplaire", "person", "FR"),
    ]
    lines = tally.lines()
    assert len(lines) == 3
    assert "priority claim without a known country or a date: left out (e.g. line 23" in lines[0]
    assert (
        'designation of an unknown country code: left out (e.g. line 30 IR 1600001 "QQ")'
        in (lines[1])
    )
    assert "without words (IMAGE/@TEXT): not imported (e.g. line 62 IR 1600003)" in lines[2]


def test_the_root_is_sniffed_and_zips_are_read(tmp_path: Path) -> None:
    assert xml_format(MADRID) == "madrid"
    text = MADRID.read_text(encoding="utf-8")
    one = text[
        text.index('  <MARKGR INTREGN="1600002"') : text.index('  <MARKGR INTREGN="1600003"')
    ]
    archive = tmp_path / "romarin.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("1600002.xml", '<?xml version="1.0"?>\n' + one)
    assert xml_format(archive) == "madrid"
    assert [r.mark for r in records(archive).values()] == ["LUNEXA"]


BAD = [
    (
        "bad-date",
        ('INTREGD="20220105"', 'INTREGD="20220230"'),
        'registry.xml:42:3: IR 1600002: INTREGD: "2022-02-30" is not a date',
    ),
    (
        "bad-class",
        ('NICCLAI="3"', 'NICCLAI="46"'),
        'registry.xml:56:9: IR 1600002: NICCLAI: "46" is not a Nice class (1-45)',
    ),
    (
        "no-number",
        ('INTREGN="1600002" ', ""),
        "registry.xml:42:3: MARKGR on line 42: MARKGR without an INTREGN",
    ),
    (
        "bad-nationality",
        (
            "<NATLTY>FR</NATLTY>\n        <LEGNATU><LEGNATT>Natural",
            "<NATLTY>XX</NATLTY>\n        <LEGNATU><LEGNATT>Natural",
        ),
        'IR 1600002: NATLTY: unknown jurisdiction "XX"',
    ),
    (
        "no-holder-name",
        ("<NAMEL>Maison Exemple SARL</NAMEL>", ""),
        "registry.xml:44:7: IR 1600002: HOLGR without a name (NAME/NAMEL)",
    ),
    (
        "doctype",
        ("<ROMARIN>", '<!DOCTYPE ROMARIN [<!ENTITY x "y">]>\n<ROMARIN>'),
        "a DOCTYPE is refused",
    ),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_values_are_named(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = MADRID.read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "registry.xml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    errors = RowErrors(str(bad))
    with pytest.raises(ParseError) as caught:
        found, _ = read_madrid(bad, None, errors)
        list(found)
        errors.raise_if_any()
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


@dispatched
def test_the_store_holds_the_registration_and_its_designations(
    disk_graph: KnowledgeGraph,
) -> None:
    importer.import_registry(disk_graph, [MADRID])
    rows = disk_graph.query(
        f"""SELECT ?cc ?date ?status WHERE {{ <{REG}wo-1600001> tm:designation ?d .
        ?d tm:jurisdiction ?j ; tm:designationDate ?date OPTIONAL {{ ?d tm:status ?status }}
        BIND(STRAFTER(STR(?j), "jurisdiction/") AS ?cc) }} ORDER BY ?cc"""
    )
    found = [
        (str(r["cc"].value), str(r["date"].value), r["status"].value if r["status"] else None)
        for r in rows
    ]
    assert found == [
        ("CN", "2011-03-12", "Total Refusal"),
        ("DZ", "2011-03-12", None),
        ("EM", "2011-03-12", "Protection Granted"),
        ("JP", "2013-05-05", None),
    ]
    names = disk_graph.query(f"SELECT ?n WHERE {{ <{REG}wo-1600002> tm:owner/schema:name ?n }}")
    assert sorted(str(r["n"].value) for r in names) == ["Maison Exemple SARL", "Élise Exemplaire"]


@dispatched
def test_a_bad_file_writes_nothing(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    bad = tmp_path / "registry.xml"
    bad.write_text(MADRID.read_text(encoding="utf-8").replace('NICCLAI="3"', 'NICCLAI="0"'))
    before = all_quads(disk_graph)
    with pytest.raises(ParseError, match='IR 1600002: NICCLAI: "0" is not a Nice class'):
        importer.import_registry(disk_graph, [MADRID, bad])
    assert all_quads(disk_graph) == before


def test_each_designation_counts_by_the_status_wipo_gives_it(disk_graph: KnowledgeGraph) -> None:
    """WIPO's transaction names are read through the status scheme (schema/status.ttl): the
    CN designation totally refused on 2012-03-01 counts in CN before and not after; the EM
    designation granted protection counts in EM's member states."""
    from kg import Analyst

    importer.import_registry(disk_graph, [MADRID])
    analyst = Analyst(disk_graph)
    assert analyst.who_else_uses("VALLORBIA", jurisdiction="CN") == []
    [before] = analyst.who_else_uses("VALLORBIA", jurisdiction="CN", as_of="2012-02")
    assert before.party.name == "Vallorbe Horlogerie Exemple SA"
    [in_france] = analyst.who_else_uses("VALLORBIA", jurisdiction="FR")
    assert in_france.party.name == "Vallorbe Horlogerie Exemple SA"


def test_a_refused_designation_is_listed_as_lapsed_when_asked(disk_graph: KnowledgeGraph) -> None:
    from kg import Analyst

    importer.import_registry(disk_graph, [MADRID])
    [hit] = Analyst(disk_graph).who_else_uses("VALLORBIA", jurisdiction="CN", include_lapsed=True)
    assert (hit.lapsed, hit.ended) == (True, "2012-03-01")
    assert hit.end_reason == "designation of CN refused (Total Refusal)"
    assert any("until 2012-03-01" in reason for reason in hit.reasons)
    [live] = Analyst(disk_graph).who_else_uses("VALLORBIA", jurisdiction="FR", include_lapsed=True)
    assert not live.lapsed
