"""A register record's states over time (`kg.registries.versions`): a newer file's state of a
registration is current, the older one stays as history in its own graph; re-imports change
nothing; an import streams through a private copy of the store, all or nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, ParseError
from kg.registries import importer
from kg.registries.importer import import_registry
from kg.resources import QUERIES_DIR
from tests.conftest import DATA, all_quads

HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
REG = "https://w3id.org/tmkg/id/registration/"
GRAPH = "https://w3id.org/tmkg/id/graph/import/"


def write(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def current(graph: KnowledgeGraph, registration: str) -> list[tuple[str, str, str]]:
    """(graph, owner, status) of the registration as every analysis reads it."""
    rows = graph.query(
        f"SELECT ?g ?name ?status WHERE {{ GRAPH ?g {{ <{REG}{registration}> a tm:Registration ;"
        f" tm:owner ?o . OPTIONAL {{ <{REG}{registration}> tm:status ?status }} }}"
        " ?o schema:name ?name }"
    )
    return sorted(
        (row["g"].value.rsplit("/", 1)[1], row["name"].value, row["status"].value) for row in rows
    )


def history(graph: KnowledgeGraph, registration: str) -> list[tuple[str, str, str]]:
    """(graph, owner, status) of each earlier state, from its version node."""
    rows = graph.query(
        "SELECT ?g ?name ?status WHERE { GRAPH ?g { ?v a tm:RegisterRecordVersion ; "
        f"dcterms:isVersionOf <{REG}{registration}> ; tm:owner ?o . "
        "OPTIONAL { ?v tm:status ?status } } ?o schema:name ?name }"
    )
    return sorted(
        (row["g"].value.rsplit("/", 1)[1], row["name"].value, row["status"].value) for row in rows
    )


@pytest.fixture
def two_states(disk_graph: KnowledgeGraph, tmp_path: Path) -> tuple[KnowledgeGraph, Path, Path]:
    older = write(tmp_path, "monday.csv", "ZORBO,Zorbo Ltd,25,GB,2020-01-01,,UK1,pending\n")
    newer = write(
        tmp_path,
        "tuesday.csv",
        "ZORBO,Zorbo Holdings plc,25;35,GB,2020-01-01,2021-03-01,UK1,registered\n",
    )
    import_registry(disk_graph, [older])
    report = import_registry(disk_graph, [newer])
    assert report.history == 1
    return disk_graph, older, newer


def test_a_newer_file_replaces_the_current_state_and_keeps_the_older_as_history(
    two_states: tuple[KnowledgeGraph, Path, Path],
) -> None:
    graph, _, _ = two_states
    assert current(graph, "gb-UK1") == [("tuesday", "Zorbo Holdings plc", "registered")]
    assert history(graph, "gb-UK1") == [("monday", "Zorbo Ltd", "pending")]
    # every analysis reads the current state only: one hit, the new owner, both classes
    [hit] = Analyst(graph).who_else_uses("ZORBO", 35, "GB")
    assert hit.party.name == "Zorbo Holdings plc"
    assert Analyst(graph).who_else_uses("ZORBO", 25, "GB", as_of="2019") == []


def test_importing_either_file_again_changes_nothing(
    two_states: tuple[KnowledgeGraph, Path, Path],
) -> None:
    graph, older, newer = two_states
    before = all_quads(graph)
    for path in (newer, older, newer):
        report = import_registry(graph, [path])
        assert (report.quads_added, report.history) == (0, 0), path.name
    assert all_quads(graph) == before


def test_several_states_in_one_import_keep_their_order(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    files = [
        write(tmp_path, f"day{n}.csv", f"ZORBO,Owner {n} Ltd,25,GB,2020-01-01,,UK1,pending\n")
        for n in (1, 2, 3)
    ]
    report = import_registry(disk_graph, files)
    assert report.history == 2
    assert current(disk_graph, "gb-UK1") == [("day3", "Owner 3 Ltd", "pending")]
    assert [row[0:2] for row in history(disk_graph, "gb-UK1")] == [
        ("day1", "Owner 1 Ltd"),
        ("day2", "Owner 2 Ltd"),
    ]


def test_curated_and_loaded_facts_are_never_moved(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Only graphs `kg import` made take part: an import into a named graph of the user's own
    choosing adds beside the other states, as before."""
    own = "https://example.org/my-extract"
    import_registry(disk_graph, [write(tmp_path, "a.csv", "ZORBO,A Ltd,25,GB,,,UK1,pending\n")])
    report = import_registry(
        disk_graph, [write(tmp_path, "b.csv", "ZORBO,B Ltd,25,GB,,,UK1,pending\n")], graph_iri=own
    )
    assert report.history == 0
    assert [name for _, name, _ in current(disk_graph, "gb-UK1")] == ["A Ltd", "B Ltd"]


def test_a_bad_value_in_a_later_file_writes_nothing_and_moves_nothing(
    two_states: tuple[KnowledgeGraph, Path, Path], tmp_path: Path
) -> None:
    graph, _, _ = two_states
    before = all_quads(graph)
    good = write(tmp_path, "wednesday.csv", "ZORBO,Zorbo Three plc,25,GB,2020-01-01,,UK1,pending\n")
    bad = write(tmp_path, "thursday.csv", "ZORBO,Zorbo Four plc,46,GB,2020-01-01,,UK1,pending\n")
    with pytest.raises(ParseError, match='"46" is not a Nice class'):
        import_registry(graph, [good, bad])
    assert all_quads(graph) == before
    # --check reads and validates everything, and writes nothing
    report = import_registry(graph, [good], check=True)
    assert (report.records, report.quads_added) == (1, 0)
    assert all_quads(graph) == before


def test_batches_of_a_big_file_are_validated_with_what_came_before(
    disk_graph: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tiny batches: each is validated with the store copy holding the earlier ones, so a
    registration that repeats a mark and owners of an earlier batch validates, and a file
    whose later batch breaks a shape writes nothing at all."""
    monkeypatch.setattr(importer, "BATCH_QUADS", 10)
    rows = "".join(
        f"MARK {n},Owner {n % 3} Ltd,9,GB,2020-01-01,,UK{n},pending\n" for n in range(40)
    )
    report = import_registry(disk_graph, [write(tmp_path, "big.csv", rows)])
    assert report.records == 40
    [count] = disk_graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?r a tm:Registration }")
    assert int(count["n"].value) == 40
    before = all_quads(disk_graph)
    # a second import that states a registration of big.csv with another mark, in the same
    # (user-chosen) graph, breaks "exactly one tm:mark" in its last batch
    own = "https://example.org/big"
    import_registry(disk_graph, [write(tmp_path, "own.csv", rows)], graph_iri=own)
    before = all_quads(disk_graph)
    clash = "".join(
        f"MARK {n},Owner {n % 3} Ltd,9,GB,2020-01-01,,UK{n},pending\n" for n in range(100, 130)
    )
    clash += "CLASHING,Owner 1 Ltd,9,GB,2020-01-01,,UK5,pending\n"
    with pytest.raises(Exception, match="exactly one tm:mark"):
        import_registry(disk_graph, [write(tmp_path, "own2.csv", clash)], graph_iri=own)
    assert all_quads(disk_graph) == before


def test_warnings_are_summarized_by_kind(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    rows = "".join(f"MARK {n},Owner Ltd,,GB,2020-01-01,,UK{n},pending\n" for n in range(30))
    report = import_registry(disk_graph, [write(tmp_path, "noclass.csv", rows)])
    noted = [w for w in report.warnings if "Nice class" in w]
    assert len(noted) == 1, report.warnings
    # what they all say once, then where the first three are, in the file's order
    said = "the registration names no Nice class: questions about a class show it as 'class not stated' (conflicts at half the score; priority leaves it out)"
    assert noted[0].startswith(f"30 times: {said} ("), noted[0]
    assert noted[0].count(said) == 1 and noted[0].endswith("; ...)")
    lines = [int(n) for n in re.findall(r"noclass\.csv:(\d+):", noted[0])]
    assert lines == [2, 3, 4]


def test_the_saved_query_lists_each_state_oldest_first(
    two_states: tuple[KnowledgeGraph, Path, Path],
) -> None:
    graph, _, _ = two_states
    text = (QUERIES_DIR / "register-history.rq").read_text(encoding="utf-8")
    rows = graph.query(text.replace('"87881347"', '"UK1"'))
    states = [(row["current"].value, row["source"].value, row["owners"].value) for row in rows]
    assert states == [
        ("false", "monday.csv", "Zorbo Ltd"),
        ("true", "tuesday.csv", "Zorbo Holdings plc"),
    ]


DAILY = """<?xml version="1.0" encoding="UTF-8"?>
<trademark-applications-daily>
  <version><version-no>2.0</version-no><version-date>20041108</version-date></version>
  <creation-datetime>{day}2300</creation-datetime>
  <application-information><file-segments><file-segment>TRMK</file-segment><action-keys>
  <action-key>TX</action-key>
{cases}
  </action-keys></file-segments></application-information>
</trademark-applications-daily>
"""
CASE = """<case-file><serial-number>{serial}</serial-number>
<registration-number>{registration}</registration-number><transaction-date>{day}</transaction-date>
<case-file-header><filing-date>20240102</filing-date><status-code>{status}</status-code>
<status-date>{day}</status-date><mark-identification>{mark}</mark-identification>
<mark-drawing-code>4000</mark-drawing-code></case-file-header>
<classifications><classification><international-code-total-no>1</international-code-total-no>
<international-code>009</international-code><primary-code>009</primary-code></classification>
</classifications>
<case-file-owners><case-file-owner><entry-number>1</entry-number><party-type>{party}</party-type>
<nationality><country>{country}</country></nationality>
<legal-entity-type-code>{entity}</legal-entity-type-code><party-name>{owner}</party-name>
</case-file-owner></case-file-owners></case-file>"""


def daily(tmp_path: Path, day: str, *cases: dict[str, str]) -> Path:
    """A USPTO daily file of `day` (YYYYMMDD) holding `cases`."""
    defaults = {"registration": "0000000", "status": "630", "party": "10", "country": "US"}
    defaults |= {"entity": "03", "day": day}
    text = "\n".join(CASE.format(**(defaults | case)) for case in cases)
    path = tmp_path / f"apc{day[2:]}.xml"
    path.write_text(DAILY.format(day=day, cases=text), encoding="utf-8")
    return path


def status(graph: KnowledgeGraph, registration: str) -> list[tuple[str, str]]:
    rows = graph.query(
        f"SELECT DISTINCT ?code ?name WHERE {{ <{REG}{registration}> a tm:Registration ; "
        "tm:statusCode ?code ; tm:owner/schema:name ?name }"
    )
    return sorted((row["code"].value, row["name"].value) for row in rows)


def test_daily_files_keep_the_latest_transaction_whatever_the_order_of_import(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """A case filed on Monday (630 new application) and registered with a new owner on Friday
    (800): imported Friday first, Monday's file goes straight to history; both re-imported,
    nothing changes."""
    monday = daily(tmp_path, "20250106", {"serial": "98000001", "mark": "QUILLIVER", "owner": "A"})
    friday = daily(
        tmp_path,
        "20250110",
        {
            "serial": "98000001",
            "mark": "QUILLIVER",
            "owner": "B",
            "status": "800",
            "registration": "7000001",
            "party": "30",
        },
        {"serial": "98000002", "mark": "OTHER", "owner": "C"},
    )
    import_registry(disk_graph, [friday])
    report = import_registry(disk_graph, [monday])
    assert (report.records, report.history, report.older) == (1, 0, 1)
    assert status(disk_graph, "us-98000001") == [("800", "B")]
    before = all_quads(disk_graph)
    for path in (monday, friday):
        assert import_registry(disk_graph, [path]).quads_added == 0
    assert all_quads(disk_graph) == before
    text = (QUERIES_DIR / "register-history.rq").read_text(encoding="utf-8")
    rows = disk_graph.query(text.replace('"87881347"', '"98000001"'))
    assert [(r["recordDate"].value, r["status"].value, r["owners"].value) for r in rows] == [
        ("2025-01-06", "630", "A"),
        ("2025-01-10", "800", "B"),
    ]


def test_a_newer_daily_file_updates_the_cases_it_holds(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    monday = daily(
        tmp_path,
        "20250106",
        {"serial": "98000001", "mark": "QUILLIVER", "owner": "A"},
        {"serial": "98000002", "mark": "OTHER", "owner": "C"},
    )
    tuesday = daily(
        tmp_path,
        "20250107",
        {"serial": "98000001", "mark": "QUILLIVER", "owner": "A", "status": "602"},
    )
    import_registry(disk_graph, [monday])
    report = import_registry(disk_graph, [tuesday])
    assert report.history == 1
    assert status(disk_graph, "us-98000001") == [("602", "A")]  # abandoned: a dead right now
    assert status(disk_graph, "us-98000002") == [("630", "C")]  # untouched by Tuesday's file
    assert Analyst(disk_graph).who_else_uses("QUILLIVER", 9, "US") == []


def test_an_office_file_that_names_one_owner_two_ways_warns_and_keeps_the_first(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Across an annual file the same name is an individual here, a company there: a warning,
    not an import refused; a CSV the user wrote stays strict (test_registry_owners.py)."""
    path = daily(
        tmp_path,
        "20250106",
        {"serial": "98000001", "mark": "ONE", "owner": "Kim Example", "entity": "01"},
        {
            "serial": "98000002",
            "mark": "TWO",
            "owner": "Kim Example",
            "entity": "03",
            "country": "CA",
        },
    )
    report = import_registry(disk_graph, [path])
    assert report.records == 2
    [kinds] = [w for w in report.warnings if "two kinds" in w]
    assert ": 1 record: one owner name given two kinds: the first kept" in kinds
    assert 'owner "Kim Example" is a company here, a person on line' in kinds
    [countries] = [w for w in report.warnings if "two countries" in w]
    assert 'owner "Kim Example" is of CA here, of US on line' in countries
    rows = disk_graph.query(
        "SELECT ?t ?c WHERE { ?p schema:name 'Kim Example' ; a ?t . OPTIONAL { ?p tm:nationality ?c } }"
    )
    assert {(row["t"].value.rsplit("#", 1)[1], row["c"].value[-2:]) for row in rows} == {
        ("Person", "US")
    }


def test_a_file_with_no_records_writes_nothing(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """A header-only CSV (and an ST.66 file of applicants only) states nothing: no source, no
    graph; the import says so."""
    before = all_quads(disk_graph)
    report = import_registry(disk_graph, [write(tmp_path, "empty.csv", "")])
    assert (report.records, report.quads_added) == (0, 0)
    assert any("no rows" in warning for warning in report.warnings)
    assert all_quads(disk_graph) == before


def test_an_older_file_with_events_and_owner_changes_imports_again_into_history(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """Events and changes of owner name the registration itself (they stay true whatever state
    is current): importing an older daily file after a newer one, or again, is valid and leaves
    the newer state current (trial: it failed SHACL when events were moved to the version)."""
    text = (DATA / "uspto-daily-owners.xml").read_text(encoding="utf-8")
    later = tmp_path / "apc250112.xml"
    later.write_text(text.replace("20250108", "20250112"), encoding="utf-8")
    import_registry(disk_graph, [later])
    report = import_registry(disk_graph, [DATA / "uspto-daily-owners.xml"])
    assert report.older == report.records > 0
    assert import_registry(disk_graph, [DATA / "uspto-daily-owners.xml"]).quads_added == 0
    rows = disk_graph.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?e tm:registration ?v . ?v a tm:RegisterRecordVersion }"
    )
    assert next(iter(rows))["n"].value == "0"


def test_a_store_that_cannot_stage_gets_the_same_history_in_one_transaction(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """A server's store (bulk_swap off) or a remote one takes everything in one transaction at
    the end (kg.registries.sinks.Buffered): the same current state, history and refusals."""
    disk_graph.store.bulk_swap = False  # type: ignore[attr-defined]
    older = write(tmp_path, "monday.csv", "ZORBO,Zorbo Ltd,25,GB,2020-01-01,,UK1,pending\n")
    newer = write(tmp_path, "tuesday.csv", "ZORBO,Zorbo plc,25,GB,2020-01-01,,UK1,registered\n")
    import_registry(disk_graph, [older])
    report = import_registry(disk_graph, [newer])
    assert (report.history, report.quads_added > 0) == (1, True)
    assert current(disk_graph, "gb-UK1") == [("tuesday", "Zorbo plc", "registered")]
    assert history(disk_graph, "gb-UK1") == [("monday", "Zorbo Ltd", "pending")]
    before = all_quads(disk_graph)
    assert import_registry(disk_graph, [newer]).quads_added == 0
    assert import_registry(disk_graph, [older], check=True).quads_added == 0
    bad = write(tmp_path, "bad.csv", "ZORBO,Zorbo plc,46,GB,2020-01-01,,UK1,registered\n")
    with pytest.raises(ParseError):
        import_registry(disk_graph, [bad])
    assert all_quads(disk_graph) == before


def test_a_store_that_cannot_stage_validates_the_state_it_will_hold(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """The newer daily file's record date and status replace the older ones in one transaction:
    the older state's values, moving into history, are not judged as a second record date
    (review: the buffered path validated against the store before the move and refused it)."""
    disk_graph.store.bulk_swap = False  # type: ignore[attr-defined]
    monday = daily(tmp_path, "20250106", {"serial": "98000001", "mark": "QUILLIVER", "owner": "A"})
    tuesday = daily(
        tmp_path,
        "20250107",
        {"serial": "98000001", "mark": "QUILLIVER", "owner": "A", "status": "602"},
    )
    import_registry(disk_graph, [monday])
    report = import_registry(disk_graph, [tuesday])
    assert (report.history, report.quads_added > 0) == (1, True)
    assert status(disk_graph, "us-98000001") == [("602", "A")]
    assert import_registry(disk_graph, [tuesday]).quads_added == 0
