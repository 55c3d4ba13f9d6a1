"""A newer register record naming an owner no recorded change made outranks the chain
(helper-124 #5): a registration's recorded changes end with one owner, and a daily file dated
after them names another (an assignment no source records). The owner the newest record
names holds it from that record's date (on or before it), the chain's last owner until then;
an undated record, or one no later than the last change, leaves the chain as it is.

The files are the invented case 91000001 of tests/data/uspto-daily-owners.xml (applicant,
owner at publication, original registrant, owner after registration: three changes, the last
dated by the file's transaction date 2025-01-08), then that case restated on a later day with
other owners."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, Settings
from kg.analysis.model import Cited, OwnerRecord, OwnershipChange
from kg.analysis.ownership import owner_periods
from kg.api.app import create_app
from kg.registries.importer import import_registry
from tests.conftest import DATA, kg_in_process, run_kg
from tests.graphql_support import ThreadedServer, post
from tests.provenance_support import check_answer

TM = "https://w3id.org/tmkg/ontology#"
TIDEWELL = "TIDEWELL BEVERAGES INC."  # the chain's last owner (type 41)
DELTA = "DELTA BEVERAGE CORP"
CASCADE = "CASCADE SPRINGS CO"
DUNMORE = "DUNMORE DRINKS LTD"
SEAFOAM = "SEAFOAM BOTTLING INC"
OWNER = (
    "<case-file-owner><party-type>{party}</party-type><legal-entity-type-code>03"
    "</legal-entity-type-code><party-name>{name}</party-name></case-file-owner>"
)


def _case_file() -> tuple[str, str, str]:
    """(the file's head, case 91000001, the file's tail) of the fixture."""
    text = (DATA / "uspto-daily-owners.xml").read_text(encoding="utf-8")
    start = text.index("<case-file><serial-number>91000001")
    end = text.index("</case-file>", start) + len("</case-file>")
    head = text[: text.index("<case-file>")]
    return (
        head,
        text[start:end],
        "</action-keys></file-segments></application-information>\n"
        + ("</trademark-applications-daily>\n"),
    )


def daily(
    tmp_path: Path, day: str, owners: list[tuple[str, str]] | None = None, name: str = "apc"
) -> Path:
    """Case 91000001 as a daily file of `day` (YYYYMMDD); `owners` (party type, name) replace
    its four owners when given."""
    head, case, tail = _case_file()
    case = case.replace("20250108", day)
    if owners is not None:
        start, end = case.index("<case-file-owners>"), case.index("</case-file-owners>")
        listed = "".join(OWNER.format(party=party, name=name) for party, name in owners)
        case = case[: start + len("<case-file-owners>")] + listed + case[end:]
    path = tmp_path / f"{name}{day[2:]}.xml"
    path.write_text(head.replace("20250108", day) + case + "\n" + tail, encoding="utf-8")
    return path


def hits(graph: KnowledgeGraph, as_of: str | None = None, lapsed: bool = False) -> list[tuple]:
    """(party, since, lapsed, the sources' titles) of each hit on BRISKWATER."""
    found = Analyst(graph).who_else_uses("BRISKWATER", 32, "US", as_of=as_of, include_lapsed=lapsed)
    return [(h.party.name, h.since, h.lapsed, ",".join(s.title for s in h.sources)) for h in found]


@pytest.fixture
def renamed(disk_graph: KnowledgeGraph, tmp_path: Path) -> KnowledgeGraph:
    """The case on 2025-01-08 (the chain ends with Tidewell), then on 2025-03-01 naming
    Delta alone, as its applicant: no change recorded."""
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("10", DELTA)])])
    return disk_graph


def test_the_owner_the_newest_record_names_holds_it_from_that_record(
    renamed: KnowledgeGraph,
) -> None:
    assert hits(renamed) == [(DELTA, "2025-03-01", False, "apc250301.xml")]
    assert hits(renamed, "2025-03-01") == [(DELTA, "2025-03-01", False, "apc250301.xml")]


def test_before_the_newest_record_the_chain_s_owner_holds_it(renamed: KnowledgeGraph) -> None:
    """As of a day between the two files: the earlier file's state, whose owner its chain
    made owner on or before 2025-01-08 (the change cited: its "since" was the registration
    date, the earlier state reading no change)."""
    assert hits(renamed, "2025-02-01") == [(TIDEWELL, "2025-01-08", False, "apc250108.xml")]


def test_the_chain_s_owner_is_a_former_owner_ended_by_the_newer_record(
    renamed: KnowledgeGraph,
) -> None:
    analyst = Analyst(renamed)
    found = analyst.who_else_uses("BRISKWATER", 32, "US", include_lapsed=True)
    by_name = {h.party.name: h for h in found}
    former = by_name[TIDEWELL]
    assert (former.lapsed, former.ended) == (True, "2025-03-01")
    assert former.end_reason == (
        "no longer the owner: the register's record of 2025-03-01 does not name it"
    )
    # what ended it is cited: the newer record's date and the owner it names, from its file
    newer = ("https://w3id.org/tmkg/id/graph/import/apc250301",)
    record = [
        s for s in former.statements if len(s.facts) == 2 and s.facts[0][0] == TM + "recordDate"
    ]
    assert [(s.facts[0][1], s.facts[1][0], s.sources) for s in record] == [
        ("2025-03-01", TM + "owner", newer)
    ]
    assert by_name[DELTA].lapsed is False
    assert check_answer(renamed, analyst.facts, found) == []


def test_imported_newest_first_the_answer_is_the_same(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("10", DELTA)])])
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    assert hits(disk_graph) == [(DELTA, "2025-03-01", False, "apc250301.xml")]
    assert hits(disk_graph, "2025-02-01") == [(TIDEWELL, "2025-01-08", False, "apc250108.xml")]


@pytest.mark.parametrize(
    "owners",
    [
        None,  # restated as it was
        [("41", TIDEWELL), ("30", "BRISKWATER HOLDINGS LLC")],  # fewer parties of the chain
        [("10", TIDEWELL)],  # the last owner, typed otherwise
    ],
)
def test_a_newer_record_naming_the_chain_s_last_owner_changes_nothing(
    disk_graph: KnowledgeGraph, tmp_path: Path, owners: list[tuple[str, str]] | None
) -> None:
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    import_registry(disk_graph, [daily(tmp_path, "20250301", owners)])
    [(name, since, lapsed, _)] = hits(disk_graph)
    assert (name, since, lapsed) == (TIDEWELL, "2025-01-08", False)


def test_a_newer_record_adding_a_co_owner_keeps_the_chain_s_owner(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("41", TIDEWELL), ("41", DELTA)])])
    found = {name: since for name, since, lapsed, _ in hits(disk_graph) if not lapsed}
    assert found == {TIDEWELL: "2025-01-08", DELTA: "2025-03-01"}


A_TO_B = OwnershipChange(
    id="c1", kind="Assignment", registration="r", date="2020-06", assignors=("a",), assignees=("b",)
)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("not a date", [("a", None, "2020-06"), ("b", "2020-06", None)]),  # undated: the chain
        ("2020-07-01", [("a", None, "2020-06"), ("b", "2020-06", "2020-07-01"), ("c", "2020-07-01", None)]),
        ("2021", [("a", None, "2020-06"), ("b", "2020-06", "2021"), ("c", "2021", None)]),
        # within the change's month, after its first day: after it
        ("2020-06-30", [("a", None, "2020-06"), ("b", "2020-06", "2020-06-30"), ("c", "2020-06-30", None)]),
        # a record before the change names c: c from then, until the change passes the right
        ("2020-01-15", [("a", None, "2020-01-15"), ("c", "2020-01-15", "2020-06"), ("b", "2020-06", None)]),
    ],
)  # fmt: skip
def test_a_record_names_the_owners_of_its_day_among_the_changes(
    date: str, expected: list[tuple]
) -> None:
    periods = owner_periods(["c"], [A_TO_B], records=[OwnerRecord(date, ("c",))])
    assert [(p.party, p.since, p.until) for p in periods] == expected


def test_a_record_naming_the_chain_s_owner_changes_nothing() -> None:
    for date in ("2020-05-01", "2020-07-01"):
        owners = ("a",) if date < "2020-06" else ("b",)
        periods = owner_periods(["b"], [A_TO_B], records=[OwnerRecord(date, owners)])
        assert [(p.party, p.since, p.until) for p in periods] == [
            ("a", None, "2020-06"),
            ("b", "2020-06", None),
        ]


def test_a_record_naming_an_original_owner_again_makes_it_owner_again() -> None:
    periods = owner_periods(["a"], [A_TO_B], records=[OwnerRecord("2022-01-01", ("a",))])
    assert [(p.party, p.since, p.until, p.named_on, p.unnamed_on) for p in periods] == [
        ("a", None, "2020-06", None, None),
        ("b", "2020-06", "2022-01-01", None, "2022-01-01"),
        ("a", "2022-01-01", None, "2022-01-01", None),
    ]


def test_every_newer_record_counts_in_turn(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """helper-126 #1: the chain ends with Tidewell (2025-01-08), a record names Cascade
    (2025-03-01), a later one Dunmore (2025-06-01): each holds it in turn, whatever the
    order of import; Cascade's time is cited to the record that named it."""
    files = [
        daily(tmp_path, "20250108"),
        daily(tmp_path, "20250301", [("10", CASCADE)]),
        daily(tmp_path, "20250601", [("10", DUNMORE)]),
    ]
    for path in reversed(files):
        import_registry(disk_graph, [path])
    assert hits(disk_graph) == [(DUNMORE, "2025-06-01", False, "apc250601.xml")]
    assert hits(disk_graph, "2025-04-01") == [(CASCADE, "2025-03-01", False, "apc250301.xml")]
    lapsed = {
        name: (since, sources)
        for name, since, gone, sources in hits(disk_graph, None, True)
        if gone
    }
    assert lapsed[CASCADE] == ("2025-03-01", "apc250301.xml,apc250601.xml")
    assert lapsed[TIDEWELL][0] == "2025-01-08"
    analyst = Analyst(disk_graph)
    found = analyst.who_else_uses("BRISKWATER", 32, "US", include_lapsed=True)
    ended = {h.party.name: (h.ended, h.end_reason) for h in found if h.lapsed}
    assert ended[TIDEWELL] == (
        "2025-03-01",
        "no longer the owner: the register's record of 2025-03-01 does not name it",
    )
    assert ended[CASCADE][0] == "2025-06-01"
    assert check_answer(disk_graph, analyst.facts, found) == []


def test_a_newer_file_recording_the_chain_keeps_the_owner_an_earlier_record_named(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """helper-126 #2: a record of 2025-03-01 names Cascade; the file of 2025-06-01 records
    Tidewell -> Cascade -> Dunmore, each change dated on or before 2025-06-01: as of April,
    Cascade (named in March) owns it, not Tidewell."""
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("10", CASCADE)])])
    chain = [("42", DUNMORE), ("41", CASCADE), ("40", TIDEWELL), ("30", "BRISKWATER HOLDINGS LLC")]
    import_registry(disk_graph, [daily(tmp_path, "20250601", chain)])
    [(name, since, _, _)] = hits(disk_graph, "2025-04-01")
    assert (name, since) == (CASCADE, "2025-03-01")
    [(name, _, _, _)] = hits(disk_graph)
    assert name == DUNMORE


def test_a_second_file_of_the_same_day_naming_another_owner_names_it_from_that_day(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """helper-126 #3: two files of 2025-01-08, one with the chain, one naming Delta: Delta is
    an owner from 2025-01-08 (nothing says it was one before), not since 2016."""
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    other = daily(tmp_path, "20250108", [("10", DELTA)], name="tsdr")
    import_registry(disk_graph, [other])
    owners = {name: since for name, since, gone, _ in hits(disk_graph) if not gone}
    assert owners == {TIDEWELL: "2025-01-08", DELTA: "2025-01-08"}
    assert [name for name, _, _, _ in hits(disk_graph, "2020-01-01")] == ["BRISKWATER HOLDINGS LLC"]


def test_a_newer_record_naming_fewer_co_owners_ends_the_others(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """helper-126 #4: the chain ends with Tidewell and Seafoam; a newer record names Tidewell
    alone: Seafoam's time ends on its day, as it would beside a new name."""
    both = [("41", TIDEWELL), ("41", SEAFOAM), ("30", "BRISKWATER HOLDINGS LLC")]
    import_registry(disk_graph, [daily(tmp_path, "20250108", both)])
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("41", TIDEWELL)])])
    owners = {name: (since, gone) for name, since, gone, _ in hits(disk_graph, None, True)}
    assert owners[TIDEWELL][1] is False and owners[SEAFOAM][1] is True


def test_graphql_and_the_cli_say_so(renamed: KnowledgeGraph, store_path: Path) -> None:
    query = """{ mark(text: "BRISKWATER") { registrations {
      ownersOverTime { party { name } since until namedOn unnamedOn } } } }"""
    with ThreadedServer(create_app(renamed, Settings(memory=True))) as server:
        document = post(server.graphql, query)
    [registration] = document["data"]["mark"]["registrations"]
    assert registration["ownersOverTime"][-2:] == [
        {"party": {"name": TIDEWELL}, "since": "2025-01-08", "until": "2025-03-01",
         "namedOn": None, "unnamedOn": "2025-03-01"},
        {"party": {"name": DELTA}, "since": "2025-03-01", "until": None,
         "namedOn": "2025-03-01", "unnamedOn": None},
    ]  # fmt: skip
    renamed.close()  # the CLI opens the store
    result = run_kg(
        "who-else-uses", "BRISKWATER", "--class", "32", "--jurisdiction", "US",
        "--include-lapsed", "--store", str(store_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "the register's record" in result.stdout and DELTA in result.stdout


def test_priority_says_no_change_was_recorded(renamed: KnowledgeGraph) -> None:
    """helper-126 #5: the named owner's priority note claimed "a recorded change of owner"."""
    finding = Analyst(renamed).priority("BRISKWATER", 32, "US")
    assert finding.holder is not None and finding.holder.name == DELTA
    assert "recorded change of owner" not in finding.explanation
    assert "the register's record of 2025-03-01 names it owner" in finding.explanation


@pytest.mark.parametrize("day", ["20520301", "99991231", "20520000", "20270300"])
def test_a_file_stated_as_of_a_later_day_than_today_is_refused(
    tmp_path: Path, store_path: Path, day: str
) -> None:
    """helper-126 #6: a mistyped transaction date (2052 for 2025) was accepted and made every
    real file after it history. Refused, with the line and the date; nothing written."""
    kg_in_process("import", daily(tmp_path, "20250108"), "--store", store_path, check=True)
    before = kg_in_process(
        "query", "--store", store_path, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    run = run_kg if day == "20520301" else kg_in_process  # the executable for one case
    result = run("import", daily(tmp_path, day), "--store", store_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    written = "-".join(part for part in (day[:4], day[4:6], day[6:]) if part != "00")
    assert f"as of {written}," in result.stderr and "after today" in result.stderr
    after = kg_in_process(
        "query", "--store", store_path, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert after.stdout == before.stdout


def test_a_later_file_restating_the_whole_chain_keeps_the_named_owner_s_time(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """helper-127 #2: a file of 2025-09-01 listing every owner (types 10 to 43) restates
    Holdings -> Tidewell dated on or before its own day: that restatement is the change of
    2025-01-08, not a second one making Tidewell owner again after Cascade was named."""
    import_registry(disk_graph, [daily(tmp_path, "20250108")])
    import_registry(disk_graph, [daily(tmp_path, "20250301", [("10", CASCADE)])])
    chain = [
        ("43", DUNMORE), ("42", CASCADE), ("41", TIDEWELL), ("30", "BRISKWATER HOLDINGS LLC"),
        ("20", "BRISKWATER SPRINGS LLC"), ("10", "Ilse Example Brandt"),
    ]  # fmt: skip
    import_registry(disk_graph, [daily(tmp_path, "20250901", chain)])
    found = Analyst(disk_graph).who_else_uses("BRISKWATER", 32, "US", include_lapsed=True)
    ended = {h.party.name: h.ended for h in found if h.lapsed}
    assert ended[TIDEWELL] == "2025-03-01"
    assert [h.party.name for h in found if not h.lapsed] == [DUNMORE]
    assert hits(disk_graph, "2025-04-01")[0][:2] == (CASCADE, "2025-03-01")


def test_an_assignment_back_and_again_is_no_restatement() -> None:
    """A to B, B to A, then A to B again dated only by a bound: three changes, not two."""
    changes = [
        OwnershipChange(id="c1", kind="Assignment", registration="r", date="2010-01-01",
                        assignors=("a",), assignees=("b",)),
        OwnershipChange(id="c2", kind="Assignment", registration="r", date="2015-01-01",
                        assignors=("b",), assignees=("a",)),
        OwnershipChange(id="c3", kind="Assignment", registration="r", date="2020-01-01",
                        assignors=("a",), assignees=("b",),
                        statements=(Cited("c3", ((TM + "date", "2020-01-01"),
                                                 (TM + "dateIsUpperBound", "true")), ("g",)),)),
    ]  # fmt: skip
    periods = owner_periods(["b"], changes)
    assert [(p.party, p.since, p.until) for p in periods][-1] == ("b", "2020-01-01", None)


def test_an_applicant_that_assigned_before_registration_holds_it_since_filing(
    renamed: KnowledgeGraph,
) -> None:
    """helper-127 #3 (before this session too): Ilse, the applicant, assigned the
    application on or before 2016-02-02, before its registration on 2016-04-19: since its
    filing, 2015-03-10, not since the registration."""
    found = Analyst(renamed).who_else_uses("BRISKWATER", 32, "US", include_lapsed=True)
    [ilse] = [h for h in found if h.party.name == "Ilse Example Brandt"]
    assert (ilse.since, ilse.ended) == ("2015-03-10", "2016-02-02")
