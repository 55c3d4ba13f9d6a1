"""The `kg` command as a user runs it: a real process, real files, a real on-disk store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.cli.main import build_parser
from tests.conftest import DATA, KG, kg_in_process, run_kg

COMMANDS = [
    "load",
    "validate",
    "query",
    "stats",
    "serve",
    "who-else-uses",
    "compare",
    "conflicts",
    "path",
    "priority",
    "timeline",
    "contradictions",
    "case",
    "judgments",
    "claims",
    "proceedings",
    "report",
    "export",
    "import",
    "synth",
    "parties",
    "watch",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_everywhere(command: str) -> None:
    # the executable for the first command, the others in this process (~0.45 s each)
    result = (run_kg if command == COMMANDS[0] else kg_in_process)(command, "--help", check=True)
    assert "--store" in result.stdout
    assert "--memory" in result.stdout


def test_seed_load_query_and_stats(store_path: Path) -> None:
    loaded = run_kg("load", "--seed", "--store", store_path, check=True)
    assert "new" in loaded.stdout
    parties = run_kg(
        "query",
        "--store",
        store_path,
        "--format",
        "json",
        """SELECT DISTINCT ?name ?g WHERE { GRAPH ?g { ?c a tm:Case ; tm:plaintiff|tm:defendant ?p .
                                                        ?p schema:name ?name } }""",
        check=True,
    )
    rows = json.loads(parties.stdout)["results"]["bindings"]
    found = {(row["name"]["value"], row["g"]["value"].rsplit("/", 1)[1]) for row in rows}
    assert ("Amazon.com Inc.", "aws-trademark-article") in found
    registration = run_kg(
        "query", "--store", store_path, "-f", "queries/mark-registrations.rq", check=True
    )
    assert "2008-02-07" in registration.stdout
    assert "Beijing ActionSoft" in registration.stdout
    stats = run_kg("stats", "--store", store_path, check=True)
    assert "tm:Registration" in stats.stdout
    assert "https://w3id.org/tmkg/id/graph/aws-trademark-article" in stats.stdout


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("table", "(1 row)"),
        ("json", '"bindings"'),
        ("csv", "text\n"),
        ("tsv", "?text"),
        ("xml", "<sparql"),
    ],
)
def test_select_formats(fmt: str, marker: str) -> None:
    result = run_kg(
        "query",
        "--memory",
        "--format",
        fmt,
        "SELECT DISTINCT ?text WHERE { ?m tm:text ?text }",
        check=True,
    )
    assert marker in result.stdout
    assert "AWS" in result.stdout


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("turtle", "tm:text"),
        ("ntriples", "<https://w3id.org/tmkg/ontology#text>"),
        ("jsonld", '"@id"'),
    ],
)
def test_construct_formats(fmt: str, marker: str) -> None:
    result = run_kg(
        "query",
        "--memory",
        "--format",
        fmt,
        "CONSTRUCT { ?m tm:text ?t } WHERE { ?m tm:text ?t }",
        check=True,
    )
    assert marker in result.stdout


def test_errors_are_one_line_with_exit_codes(store_path: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    cases = [
        (("load", "--store", store_path, broken), 4, f"{broken}:1:"),
        (("load", "--store", store_path, tmp_path / "absent.ttl"), 7, "no such file"),
        (("query", "--store", store_path, "SELECT * WHERE { ?s ?p "), 6, "line 1, column"),
        (
            (
                "query",
                "--store",
                store_path,
                "--format",
                "turtle",
                "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            ),
            6,
            "for SELECT/ASK",
        ),
        (("load", "--store", store_path), 1, "nothing to load"),
        # a jurisdiction code that is no code at all is a usage error, as a bad class is
        (("who-else-uses", "--store", store_path, "AWS", "--class", "99"), 2, "Nice class 99"),
        *(
            (("who-else-uses", "--store", store_path, "AWS", "--jurisdiction", code), 2, said)
            for code, said in (
                ("UK", "'UK': the ISO 3166-1 code of the United Kingdom is GB"),
                ("EU", "'EU': the WIPO ST.3 code of EU trade marks (EUIPO) is EM"),
                ("XX", "'XX' (use an ISO 3166-1 alpha-2 code such as CN"),
                (
                    "usa",
                    "'usa' is not a jurisdiction code (USA is the ISO 3166-1 alpha-3 code of United States: ask for US)",
                ),
            )
        ),
        (
            ("priority", "--store", store_path, "AWS", "--class", "42", "--jurisdiction", "EP"),
            2,
            "European Patent",
        ),
    ]
    for args, code, message in cases:
        # the executable for each command; the argument checks of one command in this process
        seen = args[0] in {case[0][0] for case in cases[: cases.index((args, code, message))]}
        result = (kg_in_process if seen else run_kg)(*args)
        assert result.returncode == code, (args, result.stderr)
        assert result.stderr.startswith("kg: error: ")
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(store_path: Path) -> None:
    """--debug adds the traceback; the message and the exit status stay (helper-111 F4: a
    refused argument exited 1 instead of 2, a name not found 1 instead of 7)."""
    result = run_kg("query", "--store", store_path, "--debug", "SELECT * WHERE {")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    for args, code in [
        (["who-else-uses", "AWS", "--class", "46"], 2),
        (["who-else-uses", "AWS", "--excluding", "Nobody At All"], 7),
        (["query", "SELECT * WHERE {"], result.returncode),
        (["export", "--format", "nquads", "-o", str(store_path.parent / "no" / "x.nq")], 1),
    ]:
        plain = run_kg(*args, "--store", store_path)
        debug = run_kg(*args, "--store", store_path, "--debug")
        assert plain.returncode == debug.returncode == code, (args, debug.stderr)
        assert "Traceback" in debug.stderr and "Traceback" not in plain.stderr
        assert debug.stderr.strip().splitlines()[-1] == plain.stderr.strip().splitlines()[-1]


def test_validate_reports_and_changes_nothing(store_path: Path, tmp_path: Path) -> None:
    good = run_kg("validate", "--store", store_path, DATA / "own-case.ttl", check=True)
    assert "valid: 1 file(s)" in good.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "<https://w3id.org/tmkg/id/registration/r> a <https://w3id.org/tmkg/ontology#Registration> .\n",
        encoding="utf-8",
    )
    result = run_kg("validate", "--store", store_path, bad)
    assert result.returncode == 5
    assert "id:registration/r tm:owner: a registration needs a tm:owner" in result.stderr
    count = run_kg(
        "query",
        "--store",
        store_path,
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { ?r tm:owner ?o }",
        check=True,
    )
    assert count.stdout.splitlines()[1] == "0"


def test_failed_load_leaves_the_store_as_it_was(store_path: Path, tmp_path: Path) -> None:
    run_kg("load", "--store", store_path, DATA / "own-case.ttl", check=True)
    dump = (
        "query",
        "--store",
        store_path,
        "--format",
        "ntriples",
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    )
    before = set(run_kg(*dump, check=True).stdout.splitlines())
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix tm: <https://w3id.org/tmkg/ontology#> .\n"
        "<https://w3id.org/tmkg/id/registration/z> a tm:Registration ; tm:mark <https://w3id.org/tmkg/id/mark/tesla> ;\n"
        "  tm:owner <https://w3id.org/tmkg/id/party/tesla-inc> ; tm:jurisdiction <https://w3id.org/tmkg/id/jurisdiction/QQ> .\n",
        encoding="utf-8",
    )
    result = run_kg("load", "--store", store_path, DATA / "own-case.ttl", bad)
    assert result.returncode == 5
    assert "id:jurisdiction/QQ" in result.stderr
    assert set(run_kg(*dump, check=True).stdout.splitlines()) == before


def test_store_from_environment(tmp_path: Path) -> None:
    store = tmp_path / "env-store"
    run_kg("load", "--seed", env={"KG_STORE": str(store)}, check=True)
    assert store.is_dir()
    stats = run_kg("stats", env={"KG_STORE": str(store)}, check=True)
    assert str(store) in stats.stdout


def test_parser_lists_every_command() -> None:
    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert sorted(subcommands) == sorted(COMMANDS)


def test_analysis_commands_print_tables_and_json() -> None:
    who = run_kg(
        "who-else-uses",
        "AWS",
        "--class",
        "42",
        "--jurisdiction",
        "CN",
        "--excluding",
        "Amazon",
        "--memory",
        check=True,
    )
    assert "ActionSoft" in who.stdout and "operator for Amazon.com Inc." in who.stdout
    data = json.loads(
        run_kg(
            "priority",
            "AWS",
            "--class",
            "42",
            "--jurisdiction",
            "CN",
            "--memory",
            "--format",
            "json",
            check=True,
        ).stdout
    )
    assert data[0]["rule"] == "first-to-file" and "ActionSoft" in data[0]["holder"]["name"]
    path = run_kg("path", "Amazon", "ActionSoft", "--memory", check=True)
    assert path.stdout.startswith("path 1")
    contradictions = run_kg("contradictions", "--memory", check=True)
    assert "payer is also payee" in contradictions.stdout
    timeline = run_kg("timeline", "aws-cn-2018", "--memory", check=True)
    assert "2018-07-09" in timeline.stdout
    unknown = run_kg("path", "Amazon", "Nobody Ltd", "--memory")
    assert unknown.returncode == 7 and "no party named 'Nobody Ltd'" in unknown.stderr


def test_a_closed_pipe_is_not_a_traceback() -> None:
    import subprocess

    # stats prints line by line; head leaves after one line, so a later print hits a closed
    # pipe (racy, hence three tries per run).
    command = f"for i in 1 2 3; do {KG} stats --memory | head -n 1; done"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.stdout.count("store:") == 3
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_kg_query_says_an_update_is_an_update() -> None:
    for update in (
        "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b 1 }",
        "BASE <http://e/> DELETE WHERE { ?s ?p ?o }",
        "drop graph <http://e/g>",
    ):
        result = run_kg("query", "--memory", update)
        assert result.returncode == 6, result.stderr
        assert "this is an update" in result.stderr and "POST /sparql" in result.stderr


@pytest.mark.parametrize(
    ("argv", "store", "memory"),
    [
        (["--store", "A", "stats"], "A", None),
        (["stats", "--store", "B"], "B", None),
        (["--store", "A", "stats", "--store", "B"], "B", None),
        (["--memory", "who-else-uses", "AWS"], None, True),
        (["--store", "A", "--debug", "load", "f.ttl"], "A", None),
        (["stats"], None, None),
    ],
)
def test_store_options_go_before_or_after_the_command(
    argv: list[str], store: str | None, memory: bool | None
) -> None:
    args = build_parser().parse_args(argv)
    assert (str(args.store) if args.store else None, args.memory) == (store, memory)
    assert args.debug == ("--debug" in argv or None)


def test_kg_store_before_load_loads_into_that_store(tmp_path: Path) -> None:
    store = tmp_path / "before"
    run_kg("--store", store, "load", "--seed", check=True)
    stats = run_kg("stats", "--store", store, check=True)
    assert str(store) in stats.stdout


def test_a_question_to_a_store_that_does_not_exist_warns(tmp_path: Path) -> None:
    typo = tmp_path / "stor1-typo"
    first = run_kg("who-else-uses", "AWS", "--store", typo)
    assert first.returncode == 0 and first.stdout.strip() == "(no results)"
    assert first.stderr.startswith(f"kg: warning: there was no store at {typo}: created an empty")
    again = run_kg("who-else-uses", "AWS", "--store", typo)
    assert again.returncode == 0 and again.stderr == ""  # it exists now: nothing to say


@pytest.mark.parametrize("command", [("who-else-uses", "AWS"), ("stats",), ("query", "ASK {}")])
def test_a_question_to_an_empty_folder_warns_as_to_no_store(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    """A folder made by hand, or emptied, holds no store: a reading command makes one there
    and says so, as for a folder that does not exist (was RocksDB's "IO error ... CURRENT")."""
    empty = tmp_path / "made-by-hand"
    empty.mkdir()
    first = kg_in_process(*command, "--store", empty)
    assert first.returncode == 0, first.stderr
    assert first.stderr.startswith(f"kg: warning: there was no store at {empty}: created an empty")
    again = kg_in_process(*command, "--store", empty)
    assert again.returncode == 0 and again.stderr == ""


@pytest.mark.parametrize(
    "command", [("load", "--seed"), ("who-else-uses", "AWS"), ("stats",), ("import", "x.csv")]
)
def test_a_folder_of_other_files_is_never_made_a_store(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--store ~/Documents``: a folder that holds files but no store is refused, by writers
    and readers alike, and its files kept (a bulk load replaces a store's folder whole, and
    deleted them: helper-132)."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("precious\n", encoding="utf-8")
    (folder / "x.csv").write_text("mark,owner\nKESTREL,Kestrel Ltd\n", encoding="utf-8")
    monkeypatch.chdir(folder)  # "x.csv" is the file in it
    answer = kg_in_process(*command, "--store", folder)
    assert answer.returncode == 3, answer.stderr
    assert answer.stderr.startswith(
        f"kg: error: {folder} holds files that are not a store's (notes.txt, x.csv)"
    ), answer.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "x.csv"]


def test_a_file_or_a_damaged_folder_as_store_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("mark,owner\n", encoding="utf-8")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("junk\n", encoding="utf-8")
    for command in (("stats",), ("import", data), ("load", "--seed")):
        for store, said in (
            (data, f"{data} is a file, not the folder of a store"),
            (damaged, f"the store at {damaged} is damaged: Corruption"),
        ):
            result = run_kg(*command, "--store", store)
            assert result.returncode == 3, (command, store, result.stderr)
            assert result.stderr.startswith(f"kg: error: {said}"), result.stderr
            assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert data.read_text(encoding="utf-8") == "mark,owner\n"


@pytest.mark.parametrize("name", ["empty.nq", "empty.ttl", "empty.nt"])
def test_an_empty_rdf_file_loads_with_a_warning(
    store_path: Path, tmp_path: Path, name: str
) -> None:
    """One warning, not also the one about a triples file's graph that no source describes:
    an empty file puts no fact there to be cited (helper-114 F7)."""
    empty = tmp_path / name
    empty.write_bytes(b"")
    for command in ("load", "validate"):
        result = run_kg(command, "--store", store_path, empty)
        assert result.returncode == 0, result.stderr
        assert (
            result.stderr
            == f"kg: warning: {empty} is empty (0 bytes): it states nothing (a download or export cut short?)\n"
        )


def test_a_store_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    for store in (blocker / "sub", Path("/proc/nonexistent/x")):
        for command in (("who-else-uses", "AWS"), ("stats",), ("load", "--seed")):
            result = run_kg(*command, "--store", store)
            assert result.returncode == 3, (store, command, result.stderr)
            assert result.stderr.startswith(
                f"kg: error: cannot create or open the store at {store}"
            )
            assert len(result.stderr.splitlines()) == 1 and "warning" not in result.stderr


def test_a_timeline_subject_naming_a_party_and_a_case_says_so(tmp_path: Path) -> None:
    """`kg timeline twin` where ``twin`` is the IRI tail of a party and of a case (found by a
    trial on a synthetic register: party and case ``synthetic-9``) shows the party and says
    how to ask for the case; the case's IRI gives the case; the party's name, no note."""
    from tests.test_conflict_batches import PREFIXES, source_of

    trig = f"""{PREFIXES}
@prefix case: <https://w3id.org/tmkg/id/case/> .
graph:twins {{
  party:twin a tm:Company ; schema:name "Gemini Trading Ltd" .
  party:other a tm:Company ; schema:name "Other Trading Ltd" .
  case:twin a tm:Case ; tm:plaintiff party:twin ; tm:defendant party:other ;
    tm:caseNumber "T-9" .
  case:twin-filed a tm:LawsuitFiled ; tm:case case:twin ; tm:date "2021-03-04"^^xsd:date .
}}
{source_of("twins", "a court's docket")}
"""
    data = tmp_path / "twins.trig"
    data.write_text(trig, encoding="utf-8")
    store = str(tmp_path / "store")
    run_kg("load", str(data), "--store", store, check=True)
    shown = run_kg("timeline", "twin", "--store", store, check=True)
    assert "names the party Gemini Trading Ltd" in shown.stderr
    assert "kg timeline https://w3id.org/tmkg/id/case/twin" in shown.stderr
    case = run_kg("timeline", "https://w3id.org/tmkg/id/case/twin", "--store", store, check=True)
    assert "lawsuit filed" in case.stdout and not case.stderr.strip()
    for name in ("Gemini Trading Ltd", "T-9"):
        plain = run_kg("timeline", name, "--store", store, check=True)
        assert "names the party" not in plain.stderr


def test_a_hit_no_rule_fired_on_says_so(store_path: Path) -> None:
    """Below the floor a hit may rest on its edit similarity alone: the table says so instead
    of an empty "why" (helper-111 F5); JSON keeps the empty list."""
    run_kg("load", "--seed", "--store", store_path, check=True)
    table = run_kg("who-else-uses", "WAS", "--min-similarity", "0.3", "--store", store_path)
    assert "(no rule fired: edit similarity alone)" in table.stdout
    answer = run_kg(
        "who-else-uses", "WAS", "--min-similarity", "0.3", "--format", "json",
        "--store", store_path, check=True,
    )  # fmt: skip
    hits = json.loads(answer.stdout)
    assert hits and all(hit["reasons"] == [] for hit in hits)


def test_python_dash_m_kg_is_the_kg_command() -> None:
    """``python -m kg`` runs the command (no venv script needed), without runpy's warning."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("kg ")
    assert done.stderr == ""


def test_kg_load_seed_in_memory_says_the_store_starts_with_it() -> None:
    """An in-memory store starts with the seed case: `kg --memory load --seed` says so (0
    new), as on disk, instead of printing nothing."""
    done = kg_in_process("--memory", "load", "--seed", check=True)
    assert done.stdout.startswith("loaded seed: ")
    assert done.stdout.split("\n")[0].endswith(" quads read, 0 new")


def test_kg_load_check_validates_and_writes_nothing(store_path: Path, tmp_path: Path) -> None:
    """`kg load --check` is `kg validate` (as `kg import --check` is for register files)."""
    run_kg("load", "--store", store_path, "--seed", check=True)
    before = run_kg("stats", "--store", store_path, check=True).stdout
    good = DATA / "co-owners.ttl"
    checked = run_kg("load", "--store", store_path, "--check", good)
    validated = run_kg("validate", "--store", store_path, good)
    assert checked.returncode == validated.returncode == 0
    assert checked.stdout == validated.stdout and checked.stdout.startswith("valid: 1 file(s)")
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix tm: <https://w3id.org/tmkg/ontology#> .\n"
        "<https://w3id.org/tmkg/id/registration/x> a tm:Registration .\n",
        encoding="utf-8",
    )
    refused = run_kg("load", "--store", store_path, "--check", bad)
    assert refused.returncode == run_kg("validate", "--store", store_path, bad).returncode == 5
    assert "SHACL violation" in refused.stderr
    assert run_kg("stats", "--store", store_path, check=True).stdout == before
    for extra in (["--seed"], ["--source-title", "T"]):
        wrong = run_kg("load", "--store", store_path, "--check", *extra, good)
        assert wrong.returncode != 0 and "kg load --check checks files" in wrong.stderr
