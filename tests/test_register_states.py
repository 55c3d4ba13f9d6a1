"""An answer as of a date reads what the register said then (`kg.analysis.register_states`):
each registration from the latest state of its record dated on or before that date, cited to
the file that gave it; the current state today (helper-122 #5: `--as-of` showed a later file's
owner and status for an earlier date)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph
from kg.registries.importer import import_registry
from tests.conftest import run_kg
from tests.test_import_history import daily

SERIAL = "98000001"


def case(owner: str, status: str = "630", **more: str) -> dict[str, str]:
    return {"serial": SERIAL, "mark": "QUILLIVER", "owner": owner, "status": status, **more}


@pytest.fixture
def three_states(disk_graph: KnowledgeGraph, tmp_path: Path) -> KnowledgeGraph:
    """Monday: filed by A (630, new application); Wednesday: C owns it, registered (800);
    Friday: B owns it and it is abandoned (602). Imported out of order."""
    monday = daily(tmp_path, "20250106", case("A"))
    wednesday = daily(tmp_path, "20250108", case("C", "800", registration="7000001", party="30"))
    friday = daily(tmp_path, "20250110", case("B", "602", registration="7000001", party="30"))
    for path in (wednesday, friday, monday):
        import_registry(disk_graph, [path])
    return disk_graph


def hits(graph: KnowledgeGraph, as_of: str | None) -> list[tuple[str, str, str | None, str]]:
    found = Analyst(graph).who_else_uses("QUILLIVER", 9, "US", as_of=as_of, include_lapsed=True)
    return [
        (h.party.name, h.kind.value, h.status, ",".join(s.title for s in h.sources)) for h in found
    ]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-01-06", [("A", "APPLICANT", "filed", "apc250106.xml")]),
        ("2025-01-07", [("A", "APPLICANT", "filed", "apc250106.xml")]),
        ("2025-01-08", [("C", "REGISTERED_OWNER", "registered", "apc250108.xml")]),
        ("2025-01-09", [("C", "REGISTERED_OWNER", "registered", "apc250108.xml")]),
    ],
)
def test_a_date_between_two_files_reads_the_earlier_files_state(
    three_states: KnowledgeGraph, as_of: str, expected: list
) -> None:
    assert hits(three_states, as_of) == expected


@pytest.mark.parametrize("as_of", [None, "2025-01-10", "2025-01", "2025", "2026-12-01"])
def test_on_or_after_the_current_files_date_the_current_state_is_read(
    three_states: KnowledgeGraph, as_of: str | None
) -> None:
    """Friday's state, abandoned that day: a dead right, listed as lapsed. A month or a year
    that holds Friday may mean Friday: the current state."""
    [(name, _, status, source)] = hits(three_states, as_of)
    assert (name, status, source) == ("B", "abandoned", "apc250110.xml")


def test_before_the_first_file_the_earliest_state_is_read(three_states: KnowledgeGraph) -> None:
    """No state is dated on or before the date (the right was filed on 2024-01-02): the
    earliest, Monday's, is the nearest the register gives (helper-124: Friday's later owner,
    status and classes were shown)."""
    assert hits(three_states, "2024-06-01") == [("A", "APPLICANT", "filed", "apc250106.xml")]


def test_the_state_of_the_day_decides_whether_the_right_is_alive(
    three_states: KnowledgeGraph,
) -> None:
    """Without `include_lapsed`: on Wednesday the right was registered (C); abandoned on
    Friday (it still held that day), nobody holds it after."""
    analyst = Analyst(three_states)
    assert [h.party.name for h in analyst.who_else_uses("QUILLIVER", 9, "US", as_of="2025-01-08")]
    assert analyst.who_else_uses("QUILLIVER", 9, "US", as_of="2025-01-11") == []


def test_priority_and_conflicts_read_the_same_state(
    three_states: KnowledgeGraph, tmp_path: Path
) -> None:
    """Another mark held by D since 2025: on Wednesday the conflict is between C's and D's,
    and C holds priority (filed 2024-01-02)."""
    other = daily(
        tmp_path,
        "20250107",
        {"serial": "98000009", "mark": "QUILLIVERS", "owner": "D", "status": "630"},
    )
    import_registry(three_states, [other])
    analyst = Analyst(three_states)
    finding = analyst.priority("QUILLIVER", 9, "US", as_of="2025-01-08")
    assert finding.holder is not None and finding.holder.name == "C"
    conflicts = analyst.conflicts(jurisdiction="US", as_of="2025-01-08")
    names = {holder.name for c in conflicts for side in c.holders for holder in side}
    assert names == {"C", "D"}
    monday = analyst.conflicts(jurisdiction="US", as_of="2025-01-07")
    assert {h.name for c in monday for side in c.holders for h in side} == {"A", "D"}


def test_the_cli_answers_as_of_a_date_from_that_days_file(tmp_path: Path) -> None:
    """`kg import` of the three files, then `kg who-else-uses --as-of` between them."""
    store = tmp_path / "store"
    files = [
        daily(tmp_path, "20250110", case("B", "602", registration="7000001", party="30")),
        daily(tmp_path, "20250106", case("A")),
    ]
    run_kg("--store", store, "import", *files, check=True)
    result = run_kg(
        "--store", store, "who-else-uses", "QUILLIVER", "--class", "9", "--jurisdiction", "US",
        "--as-of", "2025-01-07", "--format", "json", check=True,
    )  # fmt: skip
    assert '"A"' in result.stdout and "apc250106" in result.stdout
    assert '"B"' not in result.stdout and "apc250110" not in result.stdout


@pytest.mark.parametrize(("given", "meant"), [("20250107", "2025-01-07"), ("202501", "2025-01")])
def test_a_date_written_without_hyphens_is_refused_with_its_reading(
    three_states: KnowledgeGraph, given: str, meant: str
) -> None:
    """helper-124: ``20250107`` was read as the year 20,250,107 (every right lapsed, no word)."""
    from kg.analysis.arguments import ArgumentError

    with pytest.raises(ArgumentError, match=f"'{given}' is not a date \\(write {meant}\\)"):
        Analyst(three_states).who_else_uses("QUILLIVER", 9, "US", as_of=given)


def test_a_path_goes_through_a_registration_as_it_stands(three_states: KnowledgeGraph) -> None:
    """The earlier states' owners are no holders of the registration for a path (helper-124:
    "A uses the mark", through the version node of Monday's file, with no use recorded)."""
    analyst = Analyst(three_states)
    steps = [s for p in analyst.conflict_paths("A", "B") for s in p.steps]
    assert not any("uses" in step.explanation for step in steps), steps
    assert not any("~" in (step.via or "") for step in steps)
