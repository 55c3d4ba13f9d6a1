"""ORDER BY over terms the engine cannot order (helper-108 F3, docs/engine-faults.md §1):
`SELECT * { ?s ?p ?o } ORDER BY ?o` aborted Oxigraph's worker (a 500, exit 6) on tmkg's own
seed data. The endpoint now runs such a query again with its conditions split into keys
that are totally ordered (`kg.sparql.total_order`), and the answer is sorted as SPARQL 1.1
§15.1 asks wherever §15.1 fixes the order."""

from __future__ import annotations

import datetime
import decimal
import json
import random
import re
import subprocess
import sys
import textwrap
import time

import pyoxigraph as ox
import pytest

from kg import Settings
from kg.errors import QueryCrashed, QueryError, QueryTimeout
from kg.namespaces import PREFIXES
from kg.resources import QUERIES_DIR
from kg.sparql.total_order import CrashedSorts, kinds_apart, order_clauses, totally_ordered
from kg.sparql.worker import QueryJob
from tests.conftest import run_kg
from tests.sparql_support import SparqlServer, seeded_service

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("query", "expressions"),
    [
        ("SELECT * { ?s ?p ?o } ORDER BY ?o", [["?o"]]),
        ("SELECT * { ?s ?p ?o } order by desc(?o) ?s LIMIT 2", [["(?o)", "?s"]]),
        ("SELECT * { ?s ?p ?o } ORDER BY (?o + 1) OFFSET 3", [["(?o + 1)"]]),
        ("SELECT * { ?s ?p ?o } ORDER BY STR(?o) LCASE(STR(?s))", [["STR(?o)", "LCASE(STR(?s))"]]),
        ('SELECT * { ?s ?p ?o } ORDER BY <urn:f>(?o, ")") $s', [['<urn:f>(?o, ")")', "$s"]]),
        ("PREFIX f: <urn:f#> SELECT * { ?s ?p ?o } ORDER BY ASC(f:g(?o))", [["(f:g(?o))"]]),
        (
            "SELECT * { ?s ?p ?o } ORDER BY NOT EXISTS { ?o ?p ?s } ?o",
            [["NOT EXISTS { ?o ?p ?s }", "?o"]],
        ),
        (
            "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(COUNT(*)) ?p",
            [["(COUNT(*))", "?p"]],
        ),
        (
            "SELECT * { { SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT 3 } } ORDER BY DESC(?o) VALUES ?o { 1 }",
            [["?o"], ["(?o)"]],
        ),
        ("SELECT * {\n ?s ?p ?o } ORDER BY ?o # ORDER BY ?s\n", [["?o"]]),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 4", [["?o"]]),
    ],
)
def test_the_conditions_of_every_order_clause_are_read(query, expressions) -> None:
    clauses = order_clauses(query)
    assert [[query[start:end] for _, _, start, end in clause] for clause in clauses] == expressions


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        'SELECT * { ?s ?p "ORDER BY ?o" } # ORDER BY ?o',
        "SELECT * { ?s <urn:ORDER> ?o }",
        "SELECT * { ?s ?p ?o } ORDER BY",  # no condition: the engine's syntax error
        "SELECT * { ?s ?p ?o } ORDER BY 1",  # not a condition
        "SELECT * { ?s ?p ?o } ORDER BY DESC ?o",  # DESC takes a bracketed expression
        "SELECT * { ?s ?p ?o } ORDER BY STR(?o",  # unclosed
    ],
)
def test_a_text_without_a_readable_order_clause_is_left_alone(query) -> None:
    assert totally_ordered(query) is None


def test_the_rewrite_keeps_the_rest_of_the_text() -> None:
    query = "SELECT ?o # ORDER BY here is a comment\n{ ?s ?p ?o } ORDER BY DESC(?o) # end\nLIMIT 5"
    rewritten = totally_ordered(query)
    assert rewritten.startswith(
        "SELECT ?o # ORDER BY here is a comment\n{ ?s ?p ?o } ORDER BY DESC("
    )
    assert rewritten.endswith(") # end\nLIMIT 5")
    assert rewritten.count("DESC(") == 3  # the kind, the datatype, the value


def _mixed_terms(seed: int) -> list[str]:
    """N-Triples objects of every kind §15.1 and XPath order or leave unordered, shuffled."""
    pick = random.Random(seed)
    terms = [f"<http://example.org/{pick.choice('abz')}{n}>" for n in range(30)]
    terms += [f"_:b{n}" for n in range(10)]
    terms += [f'"{n}"^^<{XSD}integer>' for n in pick.sample(range(-50, 50), 20)]
    terms += [f'"{pick.uniform(-50, 50):.3f}"^^<{XSD}decimal>' for _ in range(20)]
    terms += [f'"{pick.uniform(-50, 50):.3e}"^^<{XSD}double>' for _ in range(10)]
    terms += [f'"{v}"^^<{XSD}double>' for v in ("NaN", "INF", "-INF", "NaN")]
    words = ["aws", "AWS", "Amazon", "亚马逊", "ábc", "zeta", "", "b", "a b"]
    terms += [json.dumps(pick.choice(words) + str(n), ensure_ascii=False) for n in range(20)]
    terms += [
        json.dumps(w, ensure_ascii=False) + f"@{pick.choice(['en', 'zh', 'de'])}" for w in words * 2
    ]
    for n in range(20):
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=pick.randrange(9000))
        zone = pick.choice(["", "", "Z", "+08:00"])
        terms += [
            f'"{day.isoformat()}{zone}"^^<{XSD}date>',
            f'"{day.year}{zone}"^^<{XSD}gYear>',
            f'"{day.isoformat()[:7]}"^^<{XSD}gYearMonth>',
            f'"{day.isoformat()}T{n % 24:02d}:00:00{zone}"^^<{XSD}dateTime>',
        ]
    terms += [f'"{b}"^^<{XSD}boolean>' for b in ("true", "false", "1", "0")]
    terms += [f'"{d}"^^<{XSD}duration>' for d in ("P1M", "P30D", "P31D", "P1Y", "PT1H")]
    terms += [f'"{d}"^^<{XSD}dayTimeDuration>' for d in ("P1D", "PT25H", "P2D")]
    terms += [f'"x{n}"^^<http://example.org/dt>' for n in range(5)]
    terms += [f'"abc"^^<{XSD}integer>', f'"2019-13-45"^^<{XSD}date>', f'"maybe"^^<{XSD}boolean>']
    pick.shuffle(terms)
    return terms


_RUN = textwrap.dedent(
    """
    import json, sys
    import pyoxigraph as ox
    terms, queries = json.load(sys.stdin)
    store = ox.Store()
    data = "".join(f"<http://s/{n}> <http://p> {term} .\\n" for n, term in enumerate(terms))
    store.load(data.encode(), format=ox.RdfFormat.N_TRIPLES)
    for query in queries:
        column = [s["o"] for s in store.query(query)]
        print(json.dumps([None if term is None else str(term) for term in column]))
    """
)


def _sorted_by_engine(terms: list[str], queries: list[str]) -> list[list[str]]:
    """The ?o column of each query over `terms`, in a process of its own (it may abort)."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN],
        input=json.dumps([terms, queries]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def _value(term: str) -> tuple[str, object] | None:
    """The comparison family and value of an N-Triples term where §15.1 (with XPath's `<`)
    fixes an order within the family; ``None`` where it does not."""
    if term.startswith("_:"):
        return None
    if term.startswith("<"):
        return ("iri", term[1:-1])
    if not term.endswith(">"):  # a plain string, or a language-tagged one (unordered here)
        return ("string", json.loads(term)) if term.endswith('"') else None
    lexical, _, datatype = term.rpartition("^^")
    lexical, datatype = json.loads(lexical), datatype[1:-1].removeprefix(XSD)
    if datatype in ("integer", "decimal", "double"):
        try:
            number = decimal.Decimal(lexical.replace("INF", "Infinity"))
        except decimal.InvalidOperation:  # ill-typed
            return None
        return None if number.is_nan() else ("number", number)
    if datatype in ("date", "dateTime") and lexical[-1].isdigit() and "+" not in lexical[10:]:
        try:
            return (datatype, datetime.datetime.fromisoformat(lexical))
        except ValueError:
            return None
    if datatype == "boolean" and lexical in ("true", "false", "1", "0"):
        return ("boolean", lexical in ("true", "1"))
    return None


def _kind(term: str | None) -> int:
    """§15.1: unbound, then blank nodes, then IRIs, then literals."""
    if term is None:
        return 0
    return 1 if term.startswith("_:") else 2 if term.startswith("<") else 3


def _check_order(column: list[str | None], descending: bool) -> None:
    ranked = [(_kind(term), _value(term) if term else None) for term in column]
    if descending:
        ranked.reverse()
    for before in range(len(ranked)):
        for after in range(before + 1, len(ranked)):
            (kind_a, a), (kind_b, b) = ranked[before], ranked[after]
            assert kind_a <= kind_b, (column[before], column[after])
            if a is not None and b is not None and a[0] == b[0]:
                assert not b[1] < a[1], (column[before], column[after])


@pytest.mark.parametrize("rewrite", [kinds_apart, totally_ordered])
@pytest.mark.parametrize("seed", range(4))
def test_mixed_terms_are_sorted_as_section_15_1_asks(seed, rewrite) -> None:
    terms = _mixed_terms(seed)
    queries = [
        rewrite("SELECT ?o { ?s ?p ?o } ORDER BY ?o"),
        rewrite("SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o)"),
        rewrite("SELECT ?o { ?s ?q ?x OPTIONAL { ?s ?p ?o FILTER(isIRI(?o)) } } ORDER BY ?o"),
    ]
    ascending, descending, with_unbound = _sorted_by_engine(terms, queries)
    assert len(ascending) == len(descending) == len(with_unbound) == len(terms)
    assert sorted(ascending) == sorted(descending)
    _check_order(ascending, descending=False)
    _check_order(descending, descending=True)
    _check_order(with_unbound, descending=False)
    assert with_unbound[0] is None and with_unbound[-1] is not None


def test_the_seed_sorted_by_object_kills_no_worker() -> None:
    """The query that aborted the engine on the seed's own data (helper-108 F3): answered,
    IRIs first and in order, and no worker died."""
    with seeded_service(Settings(memory=True)) as service:
        service.start()
        pool = service._workers()
        workers = set(pool.worker_pids)
        answer = service.query("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 5")
        assert set(pool.worker_pids) == workers and answer.rows == 5
        objects = [row["o"] for row in json.loads(answer.body)["results"]["bindings"]]
        iris = service.query("SELECT ?o WHERE { ?s ?p ?o FILTER isIRI(?o) } ORDER BY ?o LIMIT 5")
        assert objects == [row["o"] for row in json.loads(iris.body)["results"]["bindings"]]


def test_numbers_among_dates_are_sorted_by_value() -> None:
    """helper-109 F1: without a crash the engine returned numbers out of order when dates
    were among them (20 after 11000000)."""
    query = (
        "SELECT DISTINCT ?o { ?s ?p ?o FILTER(isNumeric(?o) || datatype(?o) = xsd:date) } "
        "ORDER BY {direction}(?o)"
    )
    with seeded_service(Settings(memory=True)) as service:
        for direction in ("ASC", "DESC"):
            answer = service.query_result(query.replace("{direction}", direction))
            values = [row["o"] for row in answer]
            numbers = [float(v.value) for v in values if v.datatype.value != XSD + "date"]
            dates = [v.value for v in values if v.datatype.value == XSD + "date"]
            assert len(numbers) > 10 and len(dates) > 10
            descending = direction == "DESC"
            assert numbers == sorted(numbers, reverse=descending)
            assert dates == sorted(dates, reverse=descending)


def test_a_plain_error_is_told_about_the_text_asked() -> None:
    """A rewrite's syntax error would point into text the user never wrote: the asked text
    is run instead and its own error told."""
    query = "SELECT * { ?s ?p ?o } ORDER BY ?o LIMIT x"
    with pytest.raises(SyntaxError) as engine:
        ox.Store().query(query)
    column = re.search(r"at 1:(\d+)", str(engine.value)).group(1)
    with seeded_service(Settings(memory=True)) as service, pytest.raises(QueryError) as told:
        service.query(query)
    assert f"column {column}" in str(told.value)


def test_what_runs_after_a_failure() -> None:
    sorts = CrashedSorts()
    crash, plain = QueryCrashed("crashed"), QueryError("syntax")
    unsorted = sorts.plan(QueryJob("SELECT * { ?s ?p ( 1 1 ) }"))
    assert unsorted.first == unsorted.job
    assert unsorted.retry(crash, unsorted.first) is None
    assert unsorted.retry(plain, unsorted.first) is None
    job = QueryJob("SELECT * { ?s ?p ?o } ORDER BY ?o")
    plan = sorts.plan(job)
    assert plan.first.sparql == kinds_apart(job.sparql)
    assert plan.retry(plain, plan.first) == job  # the asked text tells its own error
    assert plan.retry(QueryTimeout("late"), plan.first) is None
    total = plan.retry(crash, plan.first)
    assert total is not None and total.sparql == totally_ordered(job.sparql)
    again = sorts.plan(job)  # remembered: the total keys first
    assert again.first == total
    assert again.retry(crash, again.first) is None  # they crashed too: no third run


def test_the_cli_answers_the_query_that_aborted_the_engine() -> None:
    done = run_kg("--memory", "query", "SELECT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 5")
    assert done.returncode == 0, done.stderr
    assert "(5 rows)" in done.stdout


def test_the_endpoint_answers_it_sorted(tmp_path) -> None:
    with SparqlServer("--store", tmp_path / "store") as server:
        server.wait_ready()
        query = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 5"
        first = server.select(query)
        deadline = time.monotonic() + 30
        while len(workers := server.worker_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)  # the dead worker's replacement starts in the background
        assert server.select(query) == first and len(first) == 5
        assert server.worker_pids() == workers  # the rewrite ran first: no worker died
        assert server.select("SELECT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 5")


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.rq")), ids=lambda path: path.stem)
def test_every_saved_query_rewritten_gives_the_same_rows_in_the_same_order(seeded, path) -> None:
    """Where §15.1 fixes the order (dates as text, numbers, names), the rewrite keeps it."""
    query = path.read_text(encoding="utf-8")
    rewritten = totally_ordered(query)
    assert rewritten is not None and rewritten != query
    rows = [tuple(map(str, row)) for row in seeded.store.query(query, prefixes=PREFIXES)]
    again = [tuple(map(str, row)) for row in seeded.store.query(rewritten, prefixes=PREFIXES)]
    assert again == rows


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(COUNT(*)) ?p LIMIT 3",
        "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 3",
        "SELECT * { { SELECT ?o { ?s ?p ?o FILTER isIRI(?o) } ORDER BY ?o LIMIT 3 } } ORDER BY DESC(?o)",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER isIRI(?o) } ORDER BY ?o ?s ?p LIMIT 4",
        "SELECT ?s { ?s ?p ?o } ORDER BY NOT EXISTS { ?o ?p ?s } ?s ?p ?o LIMIT 2",
        "SELECT DISTINCT ?o { ?s ?p ?o } ORDER BY STR(?o) ?o LIMIT 5 OFFSET 7",
    ],
)
def test_other_forms_rewritten_give_the_same_answer(seeded, query) -> None:
    rows = [str(row) for row in seeded.store.query(query)]
    assert [str(row) for row in seeded.store.query(totally_ordered(query))] == rows
