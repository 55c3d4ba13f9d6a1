"""Dates that cannot all be true are warned about, and the data still loads (a source may have
a date wrong; tmkg keeps what sources say): kg validate and kg load, a real process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest.date_order import date_order_warnings
from tests.conftest import run_kg
from tests.test_load import GOOD, PREFIXES

REGISTRATION = (
    "reg:us-9 a tm:Registration ; tm:mark mark:acme ; tm:owner party:acme ; "
    "tm:jurisdiction cc:US ; tm:niceClass nice:9 ; "
)


@pytest.mark.parametrize(
    ("fragment", "warning"),
    [
        (
            REGISTRATION + 'tm:filingDate "2020-01-01"^^xsd:date ; '
            'tm:registrationDate "2019-06-30"^^xsd:date .',
            "tm:registrationDate 2019-06-30 is before tm:filingDate 2020-01-01 (granted before",
        ),
        (
            REGISTRATION + 'tm:registrationDate "2019"^^xsd:gYear ; '
            'tm:expiryDate "2018-12"^^xsd:gYearMonth .',
            "tm:expiryDate 2018-12 is before tm:registrationDate 2019 (its term ends",
        ),
        (
            REGISTRATION + 'tm:filingDate "2020-03-01"^^xsd:date .\n'
            "<https://w3id.org/tmkg/id/event/a1> a tm:Assignment ; tm:registration reg:us-9 ; "
            'tm:assignee party:acme ; tm:date "1999-01-01"^^xsd:date .',
            "a change of owner dated 1999-01-01, before the application it concerns was filed",
        ),
        (
            REGISTRATION + ".\n<https://w3id.org/tmkg/id/event/a2> a tm:Assignment ; "
            "tm:registration reg:us-9 ; tm:assignor party:acme ; tm:assignee party:acme ; "
            'tm:date "2021-01-01"^^xsd:date .',
            "id:party/acme assigns to itself",
        ),
        (
            REGISTRATION + 'tm:firstUsedDate "2021-01-01"^^xsd:date ; '
            'tm:firstUsedCommerceDate "2020-01-01"^^xsd:date .',
            "tm:firstUsedCommerceDate 2020-01-01 is before tm:firstUsedDate 2021-01-01",
        ),
        (
            REGISTRATION + 'tm:filingDate "2021-02-01"^^xsd:date ; tm:priorityClaim '
            '[ a tm:PriorityClaim ; tm:priorityCountryCode "US" ; '
            'tm:priorityDate "2021-04-01"^^xsd:date ] .',
            "a priority claim dated 2021-04-01, after the application's filing (2021-02-01)",
        ),
    ],
    ids=[
        "granted-before-filed",
        "ends-before-granted",
        "assigned-before-filed",
        "self",
        "commerce-before-any-use",
        "priority-after-filing",
    ],
)
def test_impossible_dates_are_warned_about_and_loaded(
    fragment: str, warning: str, tmp_path: Path
) -> None:
    path = tmp_path / "dates.ttl"
    path.write_text(PREFIXES + GOOD + fragment.replace("; .", "."), encoding="utf-8")
    checked = run_kg("validate", path)
    assert checked.returncode == 0, checked.stderr
    assert warning in checked.stderr
    loaded = run_kg("load", "--store", tmp_path / "store", path)
    assert loaded.returncode == 0 and warning in loaded.stderr


def test_dates_of_one_year_and_one_day_in_it_are_not_out_of_order() -> None:
    import pyoxigraph as ox

    node = ox.NamedNode("https://w3id.org/tmkg/id/registration/x")
    tm = "https://w3id.org/tmkg/ontology#"
    quads = [
        ox.Quad(node, ox.NamedNode(tm + "filingDate"), ox.Literal("2019-05-05")),
        ox.Quad(node, ox.NamedNode(tm + "registrationDate"), ox.Literal("2019")),
    ]
    assert date_order_warnings(quads, {}) == []
