"""The USPTO status code table (schema/status-uspto.csv): every row well formed, sourced and
mapped onto a concept of tmkg's status scheme (schema/status.ttl), and the mappings that decide
whether a US right is pending, in force or dead where the USPTO's own words leave no doubt."""

from __future__ import annotations

import csv
import re

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph
from kg.reference import STATUS, USPTO_STATUS_SCHEME
from kg.resources import SCHEMA_DIR

_MARK_STATUS = "https://w3id.org/tmkg/ontology#MarkStatus"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_COLUMNS = ["code", "status", "text", "defined_in", "url"]


def _rows() -> list[dict[str, str]]:
    with (SCHEMA_DIR / "status-uspto.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _concepts() -> set[str]:
    """The names of the tm:MarkStatus concepts schema/status.ttl states."""
    with (SCHEMA_DIR / "status.ttl").open("rb") as handle:
        triples = ox.parse(handle, format=ox.RdfFormat.TURTLE)
        return {
            t.subject.value.removeprefix(STATUS)
            for t in triples
            if t.predicate.value == _RDF_TYPE and t.object.value == _MARK_STATUS
        }


ROWS = _rows()
BY_CODE = {row["code"]: row for row in ROWS}


def test_the_table_keeps_its_columns() -> None:
    with (SCHEMA_DIR / "status-uspto.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == _COLUMNS
    assert all(None not in row and all(row[c] for c in _COLUMNS) for row in ROWS)


def test_codes_are_three_digits_unique_and_sorted() -> None:
    codes = [row["code"] for row in ROWS]
    assert all(re.fullmatch(r"[0-9]{3}", code) for code in codes), codes
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)
    assert len(codes) > 100  # the USPTO defines well over 100 codes


def test_every_status_is_a_concept_of_the_scheme() -> None:
    concepts = _concepts()
    assert {"pending", "registered", "ended", "abandoned", "expired"} <= concepts
    for row in ROWS:
        assert row["status"] in concepts, row


def test_every_row_names_where_the_code_is_defined() -> None:
    for row in ROWS:
        assert row["defined_in"].strip(), row
        assert row["url"].startswith("https://") and " " not in row["url"], row


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("602", "abandoned"),  # ABANDONED-FAILURE TO RESPOND OR LATE RESPONSE
        ("606", "abandoned"),  # ABANDONED - NO STATEMENT OF USE FILED
        ("630", "filed"),  # NEW APPLICATION - RECORD INITIALIZED NOT ASSIGNED TO EXAMINER
        ("641", "filed"),  # NON-FINAL ACTION - MAILED
        ("645", "filed"),  # FINAL REFUSAL - MAILED: the application is still alive
        ("653", "filed"),  # SUSPENSION LETTER - MAILED
        ("680", "filed"),  # APPROVED FOR PUBLICATION: not yet published
        ("692", "filed"),  # WITHDRAWN BEFORE PUBLICATION: withdrawn from publication, not dead
        ("686", "published"),  # PUBLISHED FOR OPPOSITION
        ("774", "opposed"),  # OPPOSITION PENDING
        ("700", "registered"),  # REGISTERED
        ("702", "registered"),  # SECTION 8 & 15-ACCEPTED AND ACKNOWLEDGED
        ("800", "registered"),  # REGISTERED AND RENEWED
        ("710", "cancelled"),  # CANCELLED - SECTION 8
        ("900", "expired"),  # EXPIRED
    ],
)
def test_mappings_the_uspto_wording_settles(code: str, status: str) -> None:
    assert BY_CODE[code]["status"] == status, BY_CODE[code]


def test_the_codes_of_real_daily_xml_records_are_mapped() -> None:
    # <case-file-header><status-code> of the five USPTO Trademark Daily XML case files in the
    # shared real-register excerpt (uspto-tdxf-apc-excerpt.xml).
    assert {"602", "626", "630", "800"} <= BY_CODE.keys()


def test_no_code_whose_meaning_is_not_a_status_is_guessed() -> None:
    # UNKNOWN, MISASSIGNED SERIAL NUMBER, RECORD CREATED DUE TO ASSIGNMENT REQUEST: the USPTO
    # calls them "Indifferent"; a code without a row leaves the status unknown.
    assert not {"000", "622", "970"} & BY_CODE.keys()


def test_every_row_is_a_concept_of_the_uspto_scheme(seeded: KnowledgeGraph) -> None:
    rows = seeded.query(
        f"""SELECT ?code ?status WHERE {{
              ?u skos:inScheme <{USPTO_STATUS_SCHEME}> ; skos:notation ?code ;
                 skos:broadMatch ?status }}"""
    )
    loaded = {row["code"].value: row["status"].value.removeprefix(STATUS) for row in rows}
    assert loaded == {row["code"]: row["status"] for row in ROWS}
