"""Dates that cannot all be true are warned about, and the data still loads (a source may have
a date wrong; tmkg keeps what sources say): kg validate and kg load, a real process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest.date_order import date_order_warnings
from tests.conftest import kg_in_process, run_kg
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
            "tm:date 1999-01-01 is before the filing of the application it concerns "
            "(2020-03-01): a change of owner",
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
    # the executable for one case, the CLI in this process for the others
    run = run_kg if "after the application's filing" in warning else kg_in_process
    checked = run("validate", path)
    assert checked.returncode == 0, checked.stderr
    assert warning in checked.stderr
    loaded = run("load", "--store", tmp_path / "store", path)
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


@pytest.mark.parametrize(
    ("filed", "granted", "out_of_order"),
    [
        ("2010-05-05+14:00", "2010-05-04-10:00", False),  # the same instant in UTC
        ("2012-05-01Z", "2012-04-30+05:00", True),  # ends 19:00 UTC the day before
        ("2012-05-01+02:00", "2012-04-30Z", False),  # the filing day began 22:00 UTC Apr 30
        ("2012-05-01", "2012-04-30Z", False),  # no zone: any from -14:00 to +14:00
        ("2012-05-03", "2012-04-30Z", True),  # more than a day apart in any zone
        ("2012-05", "2012-04-30-14:00", False),  # 2012-05-01T14:00Z: May in some zone
        ("2012-06Z", "2012-04-30-14:00", True),
        ("2012-05-01", "2012-04-30", True),  # no zones: days, as before
        # days the calendar lacks (refused by the datatype checks): compared as days, no crash
        ("2012-02-30Z", "2012-01-01", True),
        ("2012-01-01", "2011-13-01Z", True),
        ("2012-04-31+01:00", "2012-01-01", True),
        ("2012-03-01", "2012-02-30Z", True),
        ("2012-01-01", "2012-02-30Z", False),
    ],
)
def test_dates_with_time_zones_compare_as_the_instants_they_span(
    filed: str, granted: str, out_of_order: bool
) -> None:
    """XSD dates with a time zone begin and end at instants (`2010-05-05+14:00` begins at
    2010-05-04T10:00Z); a date without one may be in any zone (helper-114 F4)."""
    import pyoxigraph as ox

    node = ox.NamedNode("https://w3id.org/tmkg/id/registration/x")
    tm = "https://w3id.org/tmkg/ontology#"
    quads = [
        ox.Quad(node, ox.NamedNode(tm + "filingDate"), ox.Literal(filed)),
        ox.Quad(node, ox.NamedNode(tm + "registrationDate"), ox.Literal(granted)),
    ]
    assert bool(date_order_warnings(quads, {})) is out_of_order
