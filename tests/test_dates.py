"""Dates over the whole XSD 1.1 lexical space (issue 17, kind 1).

Every date the loader accepts — negative years, year 0000, years past 9999, time zones,
24:00:00 — is read by `PartialDate` and met by every analysis without an error: the service
layer, the CLI, a report and GraphQL. `--as-of` / ``asOf`` take a year or a month like the
data. Property tests generate valid lexical forms; the issue's examples are explicit tests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import KnowledgeGraph, Settings, ValidationError
from kg.analysis.arguments import ArgumentError, date
from kg.analysis.dates import PartialDate, day_number
from kg.analysis.service import Analyst
from kg.api.graphql.loaders import Context
from kg.api.graphql.runner import AnalysisRunner
from kg.api.graphql.schema import build_schema
from kg.ingest.date_literals import is_valid_date
from kg.ingest.validate import is_well_typed
from kg.report.document import build_report
from tests.conftest import run_kg

XSD = "http://www.w3.org/2001/XMLSchema#"
PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
STORE_PROPERTIES = settings(PROPERTIES, max_examples=12)  # each loads a store: ~2.5 s
_CASES = itertools.count()

# ------------------------------------------------------------------ lexical forms


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _year_text(year: int) -> str:
    return ("-" if year < 0 else "") + f"{abs(year):04d}"


years = st.one_of(
    st.integers(-9999, 9999),
    st.integers(-(10**12), 10**12),
    st.sampled_from([-44, -1, 0, 1, 9999, 10000, -10000]),
)
timezones = st.one_of(
    st.just(""),
    st.just("Z"),
    st.builds(
        lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
        st.sampled_from("+-"),
        st.integers(0, 13),
        st.integers(0, 59),
    ),
    st.sampled_from(["+14:00", "-14:00"]),
)


@st.composite
def days(draw: st.DrawFn) -> tuple[int, int, int]:
    year, month = draw(years), draw(st.integers(1, 12))
    length = (
        29
        if month == 2 and _leap(year)
        else 28
        if month == 2
        else 30 + (month in (1, 3, 5, 7, 8, 10, 12))
    )
    return year, month, draw(st.integers(1, length))


@st.composite
def lexical_forms(draw: st.DrawFn) -> tuple[str, str]:
    """A valid (text, XSD datatype) of xsd:gYear, gYearMonth, date or dateTime."""
    year, month, day = draw(days())
    kind = draw(st.sampled_from(["gYear", "gYearMonth", "date", "dateTime"]))
    text = _year_text(year)
    if kind != "gYear":
        text += f"-{month:02d}"
    if kind in ("date", "dateTime"):
        text += f"-{day:02d}"
    if kind == "dateTime":
        text += draw(
            st.one_of(
                st.just("T24:00:00"),
                st.builds(
                    lambda h, m, s, f: f"T{h:02d}:{m:02d}:{s:02d}{f}",
                    st.integers(0, 23),
                    st.integers(0, 59),
                    st.integers(0, 59),
                    st.sampled_from(["", ".5", ".000001"]),
                ),
            )
        )
    return text + draw(timezones), XSD + kind


# ------------------------------------------------------------------ PartialDate


@PROPERTIES
@given(lexical_forms())
def test_every_valid_lexical_form_is_read(form: tuple[str, str]) -> None:
    text, datatype = form
    date_ = PartialDate.parse(text)
    assert PartialDate.parse(str(date_)) == date_
    assert date_.first_day <= date_.last_day
    # the store's own XSD parser agrees (its years stop near 10**11; ours do not)
    if abs(date_.year) < 10**9:
        assert is_valid_date(text, datatype), text


@PROPERTIES
@given(days(), days())
def test_order_is_the_order_of_days(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    left, right = PartialDate(*a), PartialDate(*b)
    assert (left < right) == (a < b)
    assert PartialDate.from_day_number(left.first_day) == left
    assert (day_number(*a) - day_number(*b) == 1) == (
        left == PartialDate.from_day_number(right.first_day + 1)
    )


@PROPERTIES
@given(st.integers(1, dt.date.max.toordinal()))
def test_day_numbers_are_datetime_ordinals_where_both_exist(ordinal: int) -> None:
    day = dt.date.fromordinal(ordinal)
    assert PartialDate.of(day).first_day == ordinal
    assert PartialDate.of(day).to_date() == day


@PROPERTIES
@given(days())
def test_a_year_and_its_month_contain_the_day(day: tuple[int, int, int]) -> None:
    year, month, _ = day
    exact, in_month, in_year = PartialDate(*day), PartialDate(year, month), PartialDate(year)
    assert in_year <= in_month <= exact
    assert in_year.compatible(exact) and in_month.compatible(exact)
    assert not PartialDate(year + 1).compatible(exact)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-0044", "-0044"),
        ("10000", "10000"),
        ("0000", "0000"),
        ("-0002-04-12", "-0002-04-12"),
        ("1999-12-31T24:00:00", "2000-01-01"),
        ("0000-02-29", "0000-02-29"),  # year 0 (1 BCE) is a leap year
        ("2015-06+14:00", "2015-06"),
        ("-0001-12-31T24:00:00Z", "0000-01-01"),
    ],
)
def test_the_issues_dates_are_read(text: str, expected: str) -> None:
    assert str(PartialDate.parse(text)) == expected


def test_ordering_across_eras() -> None:
    texts = ["2004", "10000", "-0044", "0000", "-0100", "0001", "-0044-03-15"]
    ordered = [str(d) for d in sorted(map(PartialDate.parse, texts))]
    assert ordered == ["-0100", "-0044", "-0044-03-15", "0000", "0001", "2004", "10000"]


@pytest.mark.parametrize(
    "text", ["0001-02-29", "-0001-02-29", "2015-13", "01000", "2004-02-30", "24:00", "2004-1-1"]
)
def test_invalid_dates_are_not_read(text: str) -> None:
    assert PartialDate.try_parse(text) is None


# ------------------------------------------------------------------ the loader


@pytest.mark.parametrize(
    ("text", "kind", "valid"),
    [
        ("-0044", "gYear", True),
        ("10000", "gYear", True),
        ("-0002-04-12", "date", True),
        ("1999-12-31T24:00:00", "dateTime", True),
        ("0000-01-01", "date", True),
        ("10000-01-01", "date", True),
        ("0001-02-29", "date", False),
        ("1999-12-31T24:00:01", "dateTime", False),
        ("01000", "gYear", False),
    ],
)
def test_the_loader_judges_dates_by_xsd_1_1(text: str, kind: str, valid: bool) -> None:
    literal = ox.Literal(text, datatype=ox.NamedNode(XSD + kind))
    assert is_well_typed(literal) is valid


CASE = """
@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix cc: <https://w3id.org/tmkg/id/jurisdiction/> .
@prefix nice: <https://w3id.org/tmkg/id/nice/> .
@prefix ex: <https://example.org/dates/{n}/> .

ex:owner a tm:Company ; schema:name "Ancient Owner {n}"@en ;
    schema:foundingDate "1999-12-31T24:00:00"^^xsd:dateTime .
ex:user a tm:Company ; schema:name "Later User {n}"@en .
ex:court a tm:Court ; schema:name "Court {n}"@en .
ex:mark a tm:Mark ; tm:text "VELOXDATE" .
ex:reg a tm:Registration ; tm:mark ex:mark ; tm:owner ex:owner ; tm:jurisdiction cc:{cc} ;
    tm:niceClass nice:12 ; tm:filingDate {filing} ; tm:registrationDate {registration} .
ex:use a tm:Use ; tm:mark ex:mark ; tm:user ex:user ; tm:jurisdiction cc:{cc} ;
    tm:niceClass nice:12 ; tm:startDate {start} .
ex:case a tm:Case ; tm:plaintiff ex:owner ; tm:defendant ex:user ; tm:court ex:court ;
    tm:concerns ex:mark ; tm:jurisdiction cc:{cc} .
ex:suit a tm:LawsuitFiled ; tm:date {event} ; tm:case ex:case ; tm:involves ex:owner , ex:user .
"""


def _literal(text: str, kind: str) -> str:
    return f'"{text}"^^xsd:{kind}'


def write_case(
    folder: Path, filing: str, registration: str, start: str, event: str, cc: str = "CN"
) -> tuple[Path, int]:
    """A small case file with these date literals (Turtle terms); returns it and its number."""
    n = next(_CASES)
    path = folder / f"dates-{n}.ttl"
    path.write_text(
        CASE.format(n=n, cc=cc, filing=filing, registration=registration, start=start, event=event),
        encoding="utf-8",
    )
    return path, n


@pytest.fixture(scope="module")
def graph() -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    yield graph
    graph.close()


def every_analysis(graph: KnowledgeGraph, n: int, as_of: str) -> None:
    """Run every analysis on case `n` through the service layer, a report and GraphQL."""
    analyst = Analyst(graph)
    owner, user = f"Ancient Owner {n}", f"Later User {n}"
    for party in (owner, user):
        entries = analyst.timeline(party=party)
        dated = [PartialDate.parse(e.date) for e in entries if e.date]
        assert dated == sorted(dated)
    for cc in ("CN", "US", "DE"):
        analyst.priority("VELOXDATE", 12, cc)
    analyst.who_else_uses("VELOXDATE", nice_class=12, as_of=as_of)
    analyst.who_else_uses("VELOXDATE", nice_class=12, jurisdiction="CN")
    analyst.conflicts()
    analyst.contradictions()
    report = build_report(analyst, party=owner)
    report.to_markdown()
    report.timeline_figure()
    result = asyncio.run(
        build_schema(Settings()).execute(
            """query($party: String!, $asOf: Date) {
                 timeline(party: $party) { date }
                 priority(mark: "VELOXDATE", niceClass: 12, jurisdiction: "CN") { date }
                 whoElseUses(mark: "VELOXDATE", asOf: $asOf) { since until }
                 conflicts { edges { node { score } } }
                 contradictions { property }
               }""",
            variable_values={"party": owner, "asOf": as_of},
            context_value=Context.build(AnalysisRunner(graph)),
        )
    )
    assert result.errors is None, result.errors


@pytest.mark.parametrize(
    ("filing", "event"),
    [
        (_literal("-0044", "gYear"), _literal("10000", "gYear")),
        (_literal("10000", "gYear"), _literal("-0044", "gYear")),
        (_literal("-0002-04-12", "date"), _literal("0000", "gYear")),
    ],
)
def test_the_issues_dates_load_and_every_analysis_meets_them(
    graph: KnowledgeGraph, tmp_path: Path, filing: str, event: str
) -> None:
    path, n = write_case(
        tmp_path, filing, _literal("-0044-03", "gYearMonth"), _literal("10000-01-01", "date"), event
    )
    graph.load([path])
    every_analysis(graph, n, "2015")
    entries = Analyst(graph).timeline(party=f"Ancient Owner {n}")
    dates = [PartialDate.parse(e.date) for e in entries if e.date]
    assert dates == sorted(dates) and str(dates[0]).startswith("-")


def test_priority_goes_to_the_filing_before_the_common_era(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path, _ = write_case(
        tmp_path,
        _literal("-0044", "gYear"),
        _literal("0001", "gYear"),
        _literal("2014-04-22", "date"),
        _literal("2013", "gYear"),
    )
    graph.load([path])
    finding = Analyst(graph).priority("VELOXDATE", 12, "CN")
    assert finding.holder is not None and finding.holder.name.startswith("Ancient Owner")
    assert finding.date == "-0044"


@STORE_PROPERTIES
@given(st.lists(lexical_forms(), min_size=4, max_size=4), lexical_forms())
def test_any_valid_dates_load_and_every_analysis_meets_them(
    graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory, forms: list, as_of: tuple
) -> None:
    # The shapes allow xsd:date, gYearMonth and gYear on these properties: a dateTime's day
    # is written as a date (the dateTime itself is on the party, for the loader).
    terms = []
    for text, datatype in forms:
        kind = datatype.removeprefix(XSD)
        if kind == "dateTime":
            text, kind = str(PartialDate.parse(text)), "date"
        terms.append(_literal(text, kind))
    path, n = write_case(tmp_path_factory.mktemp("dates"), *terms)
    graph.load([path])
    every_analysis(graph, n, str(PartialDate.parse(as_of[0])))


def test_an_impossible_date_is_refused_at_load_with_its_reason(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path, _ = write_case(
        tmp_path,
        _literal("0001-02-29", "date"),
        _literal("2009", "gYear"),
        _literal("2014", "gYear"),
        _literal("2013", "gYear"),
    )
    with pytest.raises(ValidationError, match=r'"0001-02-29" is not a valid xsd:date'):
        graph.load([path])


# ------------------------------------------------------------------ --as-of, asOf


@pytest.mark.parametrize("text", ["2015", "2015-06", "2015-06-01", "-0044", "10000"])
def test_as_of_takes_a_year_a_month_or_a_day(text: str) -> None:
    assert str(date(text)) == text


@pytest.mark.parametrize("text", ["2015-13", "15", "June 2015", "2015-06-31"])
def test_as_of_refuses_what_is_no_date(text: str) -> None:
    with pytest.raises(ArgumentError, match="YYYY-MM-DD, YYYY-MM or YYYY"):
        date(text)


def test_as_of_a_year_keeps_what_may_exist_in_that_year(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path, n = write_case(
        tmp_path,
        _literal("2016-03-01", "date"),
        _literal("2017", "gYear"),
        _literal("2015-12", "gYearMonth"),
        _literal("2016", "gYear"),
    )
    graph.load([path])
    analyst = Analyst(graph)

    def who(as_of: str) -> set[str]:
        hits = analyst.who_else_uses("VELOXDATE", nice_class=12, jurisdiction="CN", as_of=as_of)
        return {h.party.name for h in hits if h.party.name.endswith(f" {n}")}

    assert who("2015") == {f"Later User {n}"}
    assert who("2016") == {f"Later User {n}", f"Ancient Owner {n}"}
    assert who("2015-11") == set()


def test_the_cli_takes_the_issues_dates_and_a_year_as_of(tmp_path: Path) -> None:
    store = tmp_path / "store"
    path, n = write_case(
        tmp_path,
        _literal("-0044", "gYear"),
        _literal("10000", "gYear"),
        _literal("-0002-04-12", "date"),
        _literal("10000-12", "gYearMonth"),
    )
    run_kg("load", "--store", store, path, check=True)
    owner = f"Ancient Owner {n}"
    timeline = run_kg("timeline", "--store", store, owner, check=True).stdout
    assert timeline.index("-0044") < timeline.index("10000")
    priority = run_kg(
        "priority", "VELOXDATE", "--class", "12", "--jurisdiction", "CN", "--store", store,
        check=True,
    ).stdout  # fmt: skip
    assert "-0044" in priority
    for as_of in ("2015", "2015-06", "-0001"):
        run_kg("who-else-uses", "VELOXDATE", "--as-of", as_of, "--store", store, check=True)
    run_kg("conflicts", "--store", store, check=True)
    refused = run_kg("who-else-uses", "VELOXDATE", "--as-of", "2015-13", "--store", store)
    assert refused.returncode != 0 and "YYYY-MM-DD, YYYY-MM or YYYY" in refused.stderr
