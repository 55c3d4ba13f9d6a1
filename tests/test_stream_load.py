"""Streamed loads (kg.ingest.stream_load) store and refuse exactly what loads through Python do.

Each test loads the same file into an on-disk store (streamed: Oxigraph parses it into the
store, checks run there) and into an in-memory store (parsed into Python, validated by
`validate_quads`), and compares what was stored, the report, or the error.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import NotFound, ParseError, ValidationError
from kg.ingest.load import load_files
from kg.ingest.stream_load import can_stream, stream_files
from kg.registries.synth import generate
from kg.store.oxigraph import MemoryStore, OxigraphStore
from tests.conftest import process_running
from tests.test_load import PREFIXES
from tests.test_validation_engines import BAD, CONTEXT

OWNER = PREFIXES + 'party:p a tm:Company ; schema:name "P" . mark:m a tm:Mark ; tm:text "M" .\n'


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.fixture
def disk(tmp_path: Path):
    store = OxigraphStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(autouse=True)
def _streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every load here into an on-disk store is streamed, however small its files (by default
    small files go through Python: `kg.ingest.load.PYTHON_MAX_BYTES`, tests/test_small_loads.py)."""
    monkeypatch.setattr("kg.ingest.load.PYTHON_MAX_BYTES", -1)


def both(disk: OxigraphStore, files: list[Path], **options):
    """Load `files` streamed into `disk` and through Python into a fresh memory store; return
    (streamed report or error, Python report or error, disk quads, memory quads)."""
    memory = MemoryStore()
    results = []
    for store in (disk, memory):
        try:
            results.append(load_files(store, files, **options))
        except (ValidationError, ParseError) as error:
            results.append(error)
    return results[0], results[1], set(disk.quads()), set(memory.quads())


def test_only_on_disk_stores_that_can_stage_stream(disk: OxigraphStore) -> None:
    assert can_stream(disk)
    assert not can_stream(MemoryStore())
    disk.bulk_swap = False  # a server's store: readers hold the handle
    assert not can_stream(disk)


def test_a_registry_is_stored_as_through_python(disk: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "registry.nq"
    with path.open("wb") as handle:
        ox.serialize(generate(300, seed=5), handle, ox.RdfFormat.N_QUADS)
    streamed, python, on_disk, in_memory = both(disk, [path])
    assert on_disk == in_memory and len(on_disk) > 3_000
    assert (streamed.quads_read, streamed.quads_added) == (python.quads_read, python.quads_added)
    assert streamed.warnings == python.warnings
    again = load_files(disk, [path])
    assert (again.quads_read, again.quads_added) == (len(on_disk), 0)
    assert set(disk.quads()) == on_disk


@pytest.mark.parametrize(
    ("order", "big"), [("registry first", False), ("registry last", False), ("registry last", True)]
)
def test_a_multi_file_load_names_the_file_of_each_fault(
    disk: OxigraphStore, tmp_path: Path, order: str, big: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each message names the file that states something about its node, as through Python
    (the streamed load named every file of the load); judged as a big load is too."""
    if big:
        monkeypatch.setattr("kg.ingest.stream_load.SCANS_BESIDE_MIN_QUADS", 1)
    registry = tmp_path / "registry.nq"
    with registry.open("wb") as handle:
        ox.serialize(generate(30, seed=4), handle, ox.RdfFormat.N_QUADS)
    bad = write(tmp_path, "bad.ttl", PREFIXES + CONTEXT + "\n".join(BAD[:12]) + "\n")
    more = write(tmp_path, "more.ttl", PREFIXES + "\n".join(BAD[12:16]) + "\n")
    files = [registry, bad, more] if order == "registry first" else [bad, more, registry]
    streamed, python, _, _ = both(disk, files)
    assert isinstance(streamed, ValidationError) and isinstance(python, ValidationError)
    assert streamed.violations == python.violations
    named = {line.split(": ")[0] for line in python.violations}
    assert {str(bad), str(more)} <= named and ", " not in "".join(named)


@pytest.mark.parametrize(
    ("name", "options"),
    [("case.ttl", {}), ("case.ttl", {"graph": "https://example.org/g"}), ("case.nt", {})],
)
def test_triples_go_to_the_file_graph_or_the_one_named(
    disk: OxigraphStore, tmp_path: Path, name: str, options: dict
) -> None:
    text = OWNER if name.endswith(".ttl") else ""
    if name.endswith(".nt"):
        text = '<https://w3id.org/tmkg/id/party/q> <https://schema.org/name> "Q" .\n'
    path = write(tmp_path, name, text)
    streamed, python, on_disk, in_memory = both(disk, [path], **options)
    assert on_disk == in_memory
    assert {q.graph_name for q in on_disk} != {ox.DefaultGraph()}
    assert streamed.quads_added == python.quads_added > 0


@pytest.mark.parametrize("fragment", BAD)
def test_bad_data_is_refused_with_the_same_messages(
    disk: OxigraphStore, tmp_path: Path, fragment: str
) -> None:
    path = write(tmp_path, "bad.ttl", PREFIXES + CONTEXT + fragment + "\n")
    streamed, python, on_disk, _ = both(disk, [path])
    assert isinstance(python, ValidationError), python
    assert isinstance(streamed, ValidationError), streamed
    assert streamed.violations == python.violations
    assert on_disk == set()
    assert not (tmp_path / ".store.staging").exists()


@pytest.mark.parametrize(
    "fragment",
    [
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05-01"^^xsd:date ; tm:registrationDate "2011"^^xsd:gYear .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012"^^xsd:gYear ; tm:registrationDate "2012-01"^^xsd:gYearMonth .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "-0002-04-12"^^xsd:date ; tm:registrationDate "-0003"^^xsd:gYear .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05"^^xsd:gYearMonth ; tm:registrationDate "2012-04-30"^^xsd:date .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05-01Z"^^xsd:date ; tm:registrationDate "2012-04-30+05:00"^^xsd:date .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "12012-01-01"^^xsd:date ; tm:registrationDate "2012-04-30"^^xsd:date .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05-01"^^xsd:date ; tm:registrationDate "2013-04-30"^^xsd:date ; tm:expiryDate "2012"^^xsd:gYear .',
        '<https://w3id.org/tmkg/id/change/c> a tm:Assignment ; tm:registration reg:x ; tm:assignor party:p ; tm:assignee party:p ; tm:date "2001-01-01"^^xsd:date . reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2002-01-01"^^xsd:date .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05-01"^^xsd:date ; tm:priorityClaim <https://w3id.org/tmkg/id/priority/p> . <https://w3id.org/tmkg/id/priority/p> a tm:PriorityClaim ; tm:priorityDate "2012-06-01"^^xsd:date ; tm:priorityCountryCode "DE" .',
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05-01"^^xsd:date ; tm:registrationDate "2012-05"^^xsd:gYearMonth .',
        # an event dated before its registration was filed (events joined to filings)
        '<https://w3id.org/tmkg/id/event/e> a tm:ProsecutionEvent ; tm:registration reg:x ; tm:date "2001-03-04"^^xsd:date . reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2002-01-01"^^xsd:date .',
        '<https://w3id.org/tmkg/id/event/e> a tm:ProsecutionEvent ; tm:registration reg:x ; tm:date "2002"^^xsd:gYear . reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2002-01-01"^^xsd:date .',
        # a use that ends before it began; one that ends the day it began
        '<https://w3id.org/tmkg/id/use/u> a tm:Use ; tm:mark mark:m ; tm:user party:p ; tm:startDate "2010-02-01"^^xsd:date ; tm:endDate "2009"^^xsd:gYear .',
        '<https://w3id.org/tmkg/id/use/u> a tm:Use ; tm:mark mark:m ; tm:user party:p ; tm:startDate "2010-02-01"^^xsd:date ; tm:endDate "2010-02-01"^^xsd:date .',
        # the same instant in UTC (helper-114 F4)
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2010-05-05+14:00"^^xsd:date ; tm:registrationDate "2010-05-04-10:00"^^xsd:date .',
        # a zoned date the calendar lacks: refused alike, the date checks not thrown by it
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-02-30Z"^^xsd:date ; tm:registrationDate "2012-01-01"^^xsd:date .',
        # two registration dates, one of them before the filing
        'reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; tm:niceClass nice:9 ; tm:filingDate "2012-05-01"^^xsd:date ; tm:registrationDate "2013-01-01"^^xsd:date, "2012-04-01"^^xsd:date .',
    ],
)
def test_dates_out_of_order_give_the_same_warnings(
    disk: OxigraphStore, tmp_path: Path, fragment: str
) -> None:
    path = write(tmp_path, "dates.ttl", PREFIXES + CONTEXT + fragment + "\n")
    streamed, python, on_disk, in_memory = both(disk, [path])
    if isinstance(python, ValidationError):  # a date the shapes refuse
        assert isinstance(streamed, ValidationError) and streamed.violations == python.violations
        return
    assert streamed.warnings == python.warnings
    overlapping = (
        '"2012"^^xsd:gYear ; tm:registrationDate "2012-01"',
        '"2012-05"^^xsd:gYearMonth .',
        'tm:date "2002"^^xsd:gYear',
        'tm:endDate "2010-02-01"',
        '"2010-05-04-10:00"',
    )
    assert bool(streamed.warnings) != any(dates in fragment for dates in overlapping)
    assert on_disk == in_memory


_FILED = (
    "reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; "
    'tm:niceClass nice:9 ; tm:filingDate "2005-01-01"^^xsd:date .'
)


@pytest.mark.parametrize(
    ("later", "warned"),
    [
        ('reg:x tm:registrationDate "2001-01-01"^^xsd:date .', "granted before it was filed"),
        ('reg:x tm:expiryDate "2004"^^xsd:gYear .', "its term ends before it was filed"),
        (
            "<https://w3id.org/tmkg/id/event/e> a tm:ProsecutionEvent ; tm:registration reg:x ; "
            'tm:date "2000-01-01"^^xsd:date .',
            "is before the filing of the application it concerns (2005-01-01)",
        ),
        ('reg:x tm:registrationDate "2006-01-01"^^xsd:date .', None),
        ('reg:x tm:registrationDate "2005"^^xsd:gYear .', None),
    ],
)
def test_the_dates_a_store_holds_count_for_a_later_file(
    disk: OxigraphStore, tmp_path: Path, later: str, warned: str | None
) -> None:
    """A later file adding one date of a pair the store holds the other of (a registration
    date to a filed application: a register's daily file) is warned about as one file
    holding both would be, streamed and through Python (helper-114 F2)."""
    first = write(tmp_path, "first.ttl", PREFIXES + CONTEXT + _FILED + "\n")
    second = write(tmp_path, "second.ttl", PREFIXES + later + "\n")
    memory = MemoryStore()
    reports = []
    for store in (disk, memory):
        assert load_files(store, [first]).warnings == ()
        reports.append(load_files(store, [second]))
    streamed, python = reports
    assert streamed.warnings == python.warnings
    if warned is None:
        assert streamed.warnings == ()
    else:
        assert len(streamed.warnings) == 1 and warned in streamed.warnings[0]
        assert "2005-01-01" in streamed.warnings[0]


def test_a_file_joining_a_store_is_judged_with_what_the_store_holds(
    disk: OxigraphStore, tmp_path: Path
) -> None:
    load_files(disk, [write(tmp_path, "owner.ttl", OWNER)])
    later = PREFIXES + (
        "reg:m a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:CN ; "
        "tm:niceClass nice:42 ."
    )
    report = load_files(disk, [write(tmp_path, "later.ttl", later)])
    assert report.quads_added == 5
    # the old nodes are context, not judged again; a new node pointing at a missing one is
    wrong = PREFIXES + "reg:n a tm:Registration ; tm:mark mark:nothing ; tm:owner party:p ; "
    wrong += "tm:jurisdiction cc:CN ; tm:niceClass nice:42 ."
    before = set(disk.quads())
    with pytest.raises(ValidationError) as caught:
        load_files(disk, [write(tmp_path, "wrong.ttl", wrong)])
    assert "id:registration/n tm:mark" in str(caught.value)
    assert set(disk.quads()) == before
    assert not (tmp_path / ".store.incoming").exists()


def test_blank_nodes_go_through_python_and_are_named_the_same(
    disk: OxigraphStore, tmp_path: Path
) -> None:
    text = OWNER + "party:p schema:address [ schema:addressCountry cc:US ] .\n"
    path = write(tmp_path, "blank.ttl", text)
    assert stream_files(disk, [path]) is None
    assert set(disk.quads()) == set()
    _, _, on_disk, in_memory = both(disk, [path])
    assert on_disk == in_memory
    assert not any(isinstance(q.object, ox.BlankNode) for q in on_disk)


def test_a_literal_too_long_is_refused(disk: OxigraphStore, tmp_path: Path) -> None:
    text = OWNER + f'party:p schema:description "{"x" * 1_000_001}" .\n'
    streamed, python, on_disk, _ = both(disk, [write(tmp_path, "long.ttl", text)])
    assert isinstance(streamed, ParseError) and isinstance(python, ParseError)
    assert "1,000,000 allowed" in str(streamed) and str(streamed) == str(python)
    assert on_disk == set()


@pytest.mark.parametrize(
    "content",
    [
        OWNER + "party:p schema:name 'unterminated .\n",
        OWNER + "party:p schema:name .\n",
        b"\xef\xbb\xbf" + OWNER.encode() + b'party:q a tm:Company ; schema:name "\xff" .\n',
        OWNER.encode("utf-16"),
        OWNER.encode() + b'party:q a tm:Company ; schema:name "Caf' + "é".encode()[:1],
        OWNER.encode("latin-1")
        + 'party:q a tm:Company ; schema:name "Müller" .\n'.encode("latin-1"),
    ],
)
def test_parse_errors_name_the_same_place(disk: OxigraphStore, tmp_path: Path, content) -> None:
    streamed, python, on_disk, _ = both(disk, [write(tmp_path, "broken.ttl", content)])
    assert isinstance(python, ParseError), python
    assert isinstance(streamed, ParseError), streamed
    assert (streamed.line, streamed.column) == (python.line, python.column)
    assert str(streamed) == str(python)
    assert on_disk == set()
    if isinstance(content, bytes) and content.endswith(
        "é".encode()[:1]
    ):  # valid UTF-8 cut short: not "convert with iconv"
        assert "cut short" in str(streamed) and "iconv" not in str(streamed)


def test_a_byte_order_mark_is_skipped(disk: OxigraphStore, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.ttl", b"\xef\xbb\xbf" + OWNER.encode())
    streamed, python, on_disk, in_memory = both(disk, [path])
    assert on_disk == in_memory and streamed.quads_added == python.quads_added == 4


def test_missing_files_and_folders(disk: OxigraphStore, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        stream_files(disk, [tmp_path / "nowhere.nq"])
    with pytest.raises(ParseError, match="is a directory"):
        stream_files(disk, [tmp_path])


def test_a_multi_file_load_is_all_or_nothing(disk: OxigraphStore, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ttl", OWNER)
    bad = write(tmp_path, "bad.ttl", PREFIXES + "party:nobody a tm:Company .")
    with pytest.raises(ValidationError) as caught:
        load_files(disk, [good, bad])
    assert str(bad) in str(caught.value)
    assert set(disk.quads()) == set()
    assert load_files(disk, [good]).quads_added == 4


def test_formats_it_cannot_stream_go_through_python(disk: OxigraphStore, tmp_path: Path) -> None:
    rdfxml = write(
        tmp_path,
        "case.rdf",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:s="https://schema.org/"><rdf:Description '
        'rdf:about="https://w3id.org/tmkg/id/party/x"><s:name>X</s:name></rdf:Description>'
        "</rdf:RDF>",
    )
    assert stream_files(disk, [rdfxml]) is None
    assert load_files(disk, [rdfxml]).quads_added == 1


def test_progress_is_shown_for_big_files(
    disk: OxigraphStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "registry.nq"
    buffer = io.BytesIO()
    ox.serialize(generate(1_500, seed=2), buffer, ox.RdfFormat.N_QUADS)
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size > 1 << 20
    load_files(disk, [path], progress=True)
    assert "registry.nq" in capsys.readouterr().err


def test_the_scan_worker_finds_what_the_scans_find(tmp_path: Path) -> None:
    """The second process's findings (kg.ingest.scan_worker) are the in-process scans'."""
    from kg.ingest.scan_worker import ScanWorker
    from kg.ingest.shacl_scan import run_scans
    from kg.ingest.validate import _scan_plan
    from kg.reference import reference_quads

    path = tmp_path / "scanned"
    store = ox.Store(str(path))
    text = PREFIXES + CONTEXT + "\n".join(BAD[:6]) + "\n"
    store.bulk_load(text.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:g"))
    store.bulk_extend(reference_quads())
    store.flush()
    expected = run_scans(_scan_plan(), store, lambda _: True, union=True)
    found = ScanWorker(path).findings()
    assert found is not None
    assert sorted(found, key=repr) == sorted(expected, key=repr) and len(expected) >= 6


def test_scans_shared_between_two_processes_find_what_one_finds(tmp_path: Path) -> None:
    """The worker and this process each run the scans they claim first (kg.ingest.scan_worker
    .Claims): every scan is run once, and their findings together are the whole."""
    from kg.ingest.scan_worker import Claims, ScanWorker
    from kg.ingest.shacl_scan import run_scans, scan_keys
    from kg.ingest.validate import _scan_plan
    from kg.reference import reference_quads

    path = tmp_path / "scanned"
    store = ox.Store(str(path))
    text = PREFIXES + CONTEXT + "\n".join(BAD) + "\n"
    store.bulk_load(text.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:g"))
    store.bulk_extend(reference_quads())
    store.flush()
    expected = run_scans(_scan_plan(), store, lambda _: True, union=True)
    keys = scan_keys(_scan_plan())
    assert len(keys) == len(set(keys)) > 10
    for head_start in (0, len(keys) // 2, len(keys)):  # this process claims so many first
        folder = tmp_path / f"claims-{head_start}"
        folder.mkdir()
        claims = Claims(folder)
        mine = set(keys[:head_start])
        assert all(claims(key) for key in mine) and not any(claims(key) for key in mine)
        worker = ScanWorker(path, claims)
        own = run_scans(_scan_plan(), store, lambda _: True, union=True, claim=mine.__contains__)
        found = worker.findings()
        assert found is not None
        assert sorted({*found, *own}, key=repr) == sorted(expected, key=repr)
        assert len(list(folder.iterdir())) == len(keys)  # the worker claimed all the others
    assert len(expected) >= 20


_ORPHAN = """
import os, subprocess, sys
child = subprocess.Popen(
    [sys.executable, "-c",
     "import os, sys, time; from kg.ingest.scan_worker import _die_with_parent; "
     "_die_with_parent(int(sys.argv[1])); print(os.getpid(), flush=True); time.sleep(120)",
     str(os.getpid())],
    stdout=subprocess.PIPE,
)
print(child.stdout.readline().decode().strip(), flush=True)
child.wait()
"""


@pytest.mark.parametrize("parent", ["killed", "gone before"])
def test_the_scan_worker_ends_with_the_load_that_started_it(parent: str) -> None:
    """A scan worker whose loading process is killed ends too, and one whose parent died
    before it could ask for that ends at once. It asks for its death signal itself, after
    ``exec``: a ``preexec_fn`` made `subprocess` fork a Python copy that held the parent's
    descriptors (the store's writer lock among them) while it ran."""
    import os
    import subprocess
    import sys
    import time

    if parent == "gone before":  # the id of a process that is not the child's parent
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from kg.ingest.scan_worker import _die_with_parent; "
                f"_die_with_parent({os.getppid()}); print('ran on')",
            ],
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 1 and b"ran on" not in done.stdout
        return
    with subprocess.Popen([sys.executable, "-c", _ORPHAN], stdout=subprocess.PIPE) as middle:
        assert middle.stdout is not None
        worker = int(middle.stdout.readline())
        assert process_running(worker)
        middle.kill()
    deadline = time.monotonic() + 30
    while process_running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process_running(worker)


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files judged as big ones are: compacted, taken stock of from the files, the
    scans shared with a second process."""
    monkeypatch.setattr("kg.ingest.stream_load.SCANS_BESIDE_MIN_QUADS", 1)


@pytest.mark.parametrize("part", range(4))
def test_bad_data_judged_beside_gives_the_same_messages(
    beside: None, disk: OxigraphStore, tmp_path: Path, part: int
) -> None:
    """A quarter of the bad fragments a file (dates out of order among them)."""
    bad = write(tmp_path, "bad.ttl", PREFIXES + CONTEXT + "\n".join(BAD[part::4]) + "\n")
    streamed, python, on_disk, _ = both(disk, [bad])
    assert isinstance(python, ValidationError), python
    assert isinstance(streamed, ValidationError), streamed
    assert streamed.violations == python.violations and len(python.violations) >= 8
    assert on_disk == set()
    left = {path.name for path in tmp_path.iterdir()}  # no checkpoint, claims, staged copy
    assert not {name for name in left if ".staging" in name}, left


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("registry.nq", None),
        (
            "case.ttl",
            OWNER + 'reg:r tm:filingDate "2010-05-01"^^xsd:date ; tm:text "01"^^xsd:integer .\n',
        ),
        ("bom.ttl", b"\xef\xbb\xbf" + OWNER.encode()),
        ("relative.ttl", "@base <https://w3id.org/tmkg/ontology#> . <Mark> <label> <Unknown> .\n"),
        (
            "near.nq",
            '<https://w3id.org/tmkg/ontologyX> <https://w3id.org/tmkg/ontology#nope> "1"^^<https://w3id.org/tmkg/ontology#Kind> <https://w3id.org/tmkg/ontology#G> .\n',
        ),
        (
            "long.nt",
            f'<https://example.org/{"i" * 70_000}> <https://schema.org/name> "{"é" * 3_000}" .\n',
        ),
        ("lang.ttl", OWNER + 'party:p schema:name "Ünlü"@tr , "x"^^xsd:string .\n'),
    ],
)
def test_the_inventory_of_a_file_is_that_of_the_store_it_loads(
    tmp_path: Path, name: str, text: str | bytes | None
) -> None:
    """What a load takes stock of from its files while the store is compacted is what the
    store they were loaded into holds (kg.ingest.validate_store.inventory_of_quads)."""
    from kg.ingest.stream_load import _Input
    from kg.ingest.validate_store import inventory, inventory_of_quads

    if text is None:
        path = tmp_path / name
        with path.open("wb") as handle:
            ox.serialize(generate(60, seed=9), handle, ox.RdfFormat.N_QUADS)
    else:
        path = write(tmp_path, name, text)
    item = _Input.of(path, None, None)
    assert item is not None
    store = ox.Store()
    item.load_into(store, progress=False)
    graphs = [item.graph] if item.graph is not None else []
    assert inventory_of_quads(item.quads(), graphs=graphs, remembered=7) == inventory(store)


@pytest.mark.parametrize(
    "fragment",
    [
        'party:p schema:description "2010-02-30"^^xsd:date .',  # ill-typed: read as stored
        'party:p schema:description "x"^^<https://w3id.org/tmkg/ontology#Nope> .',
        "<https://w3id.org/tmkg/ontology#Nope> a tm:Mark .",
        "reg:q a tm:Registration ; tm:mark mark:m ; tm:mark mark:n .",  # the shapes alone
    ],
)
def test_terms_at_fault_judged_beside_are_named_as_through_python(
    beside: None, disk: OxigraphStore, tmp_path: Path, fragment: str
) -> None:
    path = write(tmp_path, "bad.ttl", OWNER + fragment + "\n")
    streamed, python, on_disk, _ = both(disk, [path])
    assert isinstance(streamed, ValidationError) and isinstance(python, ValidationError)
    assert streamed.violations == python.violations
    assert on_disk == set()


_KEPT_OR_NOT = [  # (a quad, whether tmkg keeps it: `kg.reference.kept_by_tmkg`)
    ("<{o}> <http://ex.org/p> <http://ex.org/x> <{o}>", True),
    ("<http://ex.org/a> <http://ex.org/p> 'x' <{r}>", True),
    ("<{r}> <http://ex.org/p> 'in the default graph' .", True),
    ("<{r}> <http://ex.org/p> 'named default' <{d}>", True),
    ("<http://ex.org/a> <http://ex.org/p> 'named default' <{d}>", False),
    ("<http://ex.org/a> <http://ex.org/p> 'default' .", False),
    ("<{r}> <http://ex.org/p> 'about it, elsewhere' <http://ex.org/g>", False),
    ("<http://ex.org/a> <http://ex.org/p> _:b <http://ex.org/g>", False),
    ("_:s <http://ex.org/p> 'in a blank graph' _:g", False),
    ("<{r}> <http://ex.org/p> <<( <{r}> <http://ex.org/p> 'x' )>> .", True),
    ("<http://ex.org/a> <http://ex.org/p> <<( <{r}> <http://ex.org/p> 'x' )>> <{d}>", False),
]


@pytest.mark.parametrize("share", [0, 1, 2, 3])
def test_the_store_counts_the_quads_tmkg_does_not_keep(share: int) -> None:
    """`other_quads_up_to` (asked of the store) counts what `kept_by_tmkg` leaves, up to its
    bound, for every kind of quad tmkg keeps or not; `holds_little` follows it."""
    from kg import KnowledgeGraph, Settings
    from kg.ingest import stream_load
    from kg.reference import DEFAULT_GRAPH_NAMED, REFERENCE_GRAPHS, kept_by_tmkg, other_quads_up_to

    names = {"o": REFERENCE_GRAPHS[0].value, "r": REFERENCE_GRAPHS[1].value}
    lines = [
        text.format(**names, d=DEFAULT_GRAPH_NAMED.value).replace(" .", "") + " ."
        for index, (text, _) in enumerate(_KEPT_OR_NOT)
        if index % 4 != share  # each run leaves a different quarter out
    ]
    with KnowledgeGraph.open(Settings(memory=True)) as graph:
        native = graph.store.native
        native.extend(ox.parse("\n".join(lines).replace("'", '"'), ox.RdfFormat.N_QUADS))
        others = sum(1 for quad in native if not kept_by_tmkg(quad))
        assert others == sum(
            1 for i, (_, kept) in enumerate(_KEPT_OR_NOT) if not kept and i % 4 != share
        )
        for most in range(others + 3):
            assert other_quads_up_to(native, most) == min(most, others)
            assert stream_load.holds_little(graph.store, most) == (others <= most)


def test_a_first_load_into_a_knowledge_graph_streams(tmp_path: Path) -> None:
    """A store holding only the reference data takes the first-load path (no scratch store)."""
    from kg import KnowledgeGraph, Settings
    from kg.ingest import stream_load

    path = tmp_path / "registry.nq"
    with path.open("wb") as handle:
        ox.serialize(generate(200, seed=3), handle, ox.RdfFormat.N_QUADS)
    with KnowledgeGraph.open(Settings(store_path=tmp_path / "store")) as graph:
        assert stream_load.holds_reference_only(graph.store)
        before = set(graph.store.quads())
        report = graph.load([path])
        assert not stream_load.holds_reference_only(graph.store)
        added = set(graph.store.quads()) - before
    memory = MemoryStore()
    python = load_files(memory, [path])
    assert added == set(memory.quads())
    assert report.quads_added == python.quads_added == len(added)


@pytest.mark.parametrize(
    "left", [".store.staging.scan", ".store.staging.scan.tmp", ".store.staging.claims"]
)
def test_a_scan_checkpoint_cut_short_is_removed_on_opening(tmp_path: Path, left: str) -> None:
    """A load killed while RocksDB writes the scan worker's checkpoint leaves its ``.tmp``
    folder (RocksDB renames it when complete); the next writer removes it as it removes a
    finished one (seen in a clean-clone CI run, 2026-12-02)."""
    path = tmp_path / "store"
    OxigraphStore(path).close()
    leftover = tmp_path / left
    leftover.mkdir()
    (leftover / "000001.sst").write_bytes(b"")
    OxigraphStore(path).close()
    assert not leftover.exists()


_OWN = "https://w3id.org/tmkg/id/graph/reference"
_ONTOLOGY = "https://w3id.org/tmkg/id/graph/ontology"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("in-reference.nq", f'<http://ex.org/a> <http://ex.org/p> "x" <{_OWN}> .\n'),
        ("in-ontology.trig", f'<{_ONTOLOGY}> {{ <http://ex.org/a> <http://ex.org/p> "y" . }}\n'),
        ("about-reference.nq", f'<{_OWN}> <http://purl.org/dc/terms/description> "mine" .\n'),
        (  # tmkg's default graph on a remote store, by name
            "about-reference-in-default.nq",
            f'<{_OWN}> <http://purl.org/dc/terms/description> "mine" <{_OWN[:-9]}default> .\n',
        ),
        (
            "about-ontology.ttl",  # triples: a graph of the file's own, the subject tmkg's
            f'<{_ONTOLOGY}> <http://www.w3.org/2000/01/rdf-schema#label> "mine" .\n',
        ),
        (
            "in-reference.jsonld",  # read by Python, not streamed
            f'[{{"@id": "{_OWN}", "@graph": [{{"@id": "http://ex.org/a", "http://ex.org/p": "z"}}]}}]',
        ),
    ],
)
@pytest.mark.parametrize("holding", ["the reference data only", "data of its own"])
def test_statements_in_tmkgs_own_graphs_are_refused(
    tmp_path: Path, name: str, text: str, holding: str
) -> None:
    """A file stating something in tmkg's ontology or reference graph (brought back to the
    shipped content at each opening, so the statement would be lost without a word) is
    refused by file, streamed or not, into a store of the reference data alone or with data
    of its own, and the store is left as it was; shipped reference quads read back pass."""
    from kg import KnowledgeGraph, Settings
    from kg.reference import reference_quads

    path = tmp_path / "store"
    with KnowledgeGraph.open(Settings(store_path=path)) as graph:
        if holding != "the reference data only":
            graph.load_seed()
        before = set(graph.store.quads())
        bad = write(tmp_path, name, text)
        if name == "about-ontology.ttl":  # in a graph of its own: the statement is kept
            graph.load([bad])
            graph.store.remove([q for q in graph.store.quads() if q not in before])
            assert set(graph.store.quads()) == before
            return
        with pytest.raises(ParseError, match="tmkg's own reference data") as caught:
            graph.load([bad])
        assert name in str(caught.value)
        assert set(graph.store.quads()) == before
        shipped = [q for q in reference_quads() if isinstance(q.graph_name, ox.NamedNode)][:5]
        dump = write(tmp_path, "dump.nq", "".join(f"{q} .\n" for q in shipped))
        graph.load([dump])  # the shipped quads themselves: nothing changes
        assert set(graph.store.quads()) == before


def test_an_ill_typed_boolean_is_one_error_line(tmp_path: Path) -> None:
    """rdflib warns ("Parsing weird boolean", with its own file and line) when it reads one;
    the load says what is wrong once, in its own words (helper-114 F5)."""
    from tests.conftest import run_kg

    bad = (
        PREFIXES
        + CONTEXT
        + (
            "reg:x a tm:Registration ; tm:mark mark:m ; tm:owner party:p ; tm:jurisdiction cc:US ; "
            'tm:niceClass nice:9 ; <http://purl.org/dc/terms/description> "maybe"^^xsd:boolean .\n'
        )
    )
    path = write(tmp_path, "bad.ttl", bad)
    loaded = run_kg("load", "--store", tmp_path / "store", path)
    assert loaded.returncode != 0
    assert '"maybe" is not a valid xsd:boolean' in loaded.stderr
    assert "Warning" not in loaded.stderr and "site-packages" not in loaded.stderr


@pytest.mark.parametrize(
    "graph",
    ["urn:tmkg:validation:context", "urn:tmkg:validation:reference", "urn:tmkg:shacl:ill-formed"],
)
@pytest.mark.parametrize("blank", [False, True])  # streamed, or through Python
def test_statements_in_a_working_graph_of_tmkgs_are_refused(
    disk: OxigraphStore, tmp_path: Path, graph: str, blank: bool
) -> None:
    """A load's checks write and remove graphs of their own: statements a file puts there were
    dropped without a word (0 quads read), or kept and removed by the next import (helper-114
    F6). Refused, by file and by --graph, as tmkg's reference graphs are."""
    load_files(disk, [write(tmp_path, "owner.ttl", OWNER)])
    before = set(disk.quads())
    node = "_:b" if blank else "<https://w3id.org/tmkg/id/party/q>"
    line = f'{node} <https://schema.org/name> "Q" <{graph}> .\n'
    with pytest.raises(ParseError, match="while it checks a load"):
        load_files(disk, [write(tmp_path, "working.nq", line)])
    turtle = write(tmp_path, "q.ttl", PREFIXES + 'party:q a tm:Company ; schema:name "Q" .\n')
    with pytest.raises(ParseError, match="while it checks a load"):
        load_files(disk, [turtle], graph=graph)
    assert set(disk.quads()) == before
    first = OxigraphStore(tmp_path / "first")  # a first load: judged in the staged copy
    with pytest.raises(ParseError, match="while it checks a load"):
        load_files(first, [write(tmp_path, "working2.nq", line)])
    first.close()
