"""Store benchmark: load time, query latency and peak memory of each tmkg store backend.

Not a test: it prints figures. Run it with the project's venv:

    .venv/bin/python bench/store_load.py                      # 1,000,000 triples, all backends
    .venv/bin/python bench/store_load.py --triples 200000 --backends oxigraph,memory

1. A deterministic synthetic data set (N-Quads, the ontology's terms, ~10 named graphs) is
   written to bench/out/ (git-ignored) and reused when it already exists for the same
   --triples, --seed and generator version.
2. Each backend and load method runs in its own subprocess, so the peak RSS
   (`ru_maxrss` of the child) belongs to that row alone. Each child loads the file, then runs
   two selective queries with varying parameters (p50/p99 latency, nearest rank) and one
   aggregate query, all through `Store.query` with the union default graph.
3. A markdown table goes to stdout; progress goes to stderr.

Load methods (one row each):
  interface    `pyoxigraph.parse` to a list, then `Store.add(quads)`: the path `kg load` takes
               (minus its SHACL validation). `add` checks every quad for membership, then
               writes the new ones in one transaction.
  extend       oxigraph only: parse, then `store.native.extend(quads)` alone (one transaction,
               no membership check). The membership check is timed on its own beforehand.
  load         oxigraph only: `store.native.load(path=...)`, parsed in Rust, one transaction.
  bulk_load    oxigraph on disk only: `store.native.bulk_load(path=...)`, the reference line.
               Not atomic: a failure can leave part of the file written.
  bulk_extend  oxigraph, opt-in (--methods): parse, then `store.native.bulk_extend(quads)`.
               Not atomic either; the fast path for already-parsed (skolemized) quads.
  dataset_parse  rdflib only: rdflib's own `Dataset.parse(file, format="nquads")`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

GENERATOR_VERSION = 1

TM = "https://w3id.org/tmkg/ontology#"
ID = "https://w3id.org/tmkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SCHEMA_NAME = "<https://schema.org/name>"

GRAPHS = 10
JURISDICTIONS = ("CN", "US", "GB", "DE", "FR", "JP", "KR", "IN", "BR", "AU")
NICE = tuple(range(1, 46))
# Software, advertising/business, IT services, clothing, cosmetics and so on are filed far more
# often than the rest.
_BUSY_CLASSES = {9: 12, 35: 10, 42: 8, 25: 6, 3: 5, 41: 5, 30: 4, 5: 4, 43: 3, 16: 3}
NICE_WEIGHTS = tuple(_BUSY_CLASSES.get(n, 1) for n in NICE)
STATUSES = ("registered", "registered", "registered", "pending", "expired", "refused")
REGIONS = ("Ningxia", "Guangdong", "California", "Bavaria", "Kanto", "Gyeonggi", "Maharashtra")
SYLLABLES = (
    "ka", "ri", "to", "mo", "na", "sun", "lex", "vi", "zor", "ta", "pe", "lu", "qi", "xin",
    "bo", "dra", "mi", "ra", "no", "tek", "ax", "el", "on", "ix", "ya", "zu", "fe", "go", "ha",
    "jin", "ko", "lo", "ma", "ne", "or", "pa", "ro", "sa", "ti", "va", "wen", "yo", "zen", "bi",
    "ca", "de", "fi", "gu", "hu", "il",
)  # fmt: skip
SUFFIXES = ("Ltd", "GmbH", "Inc.", "S.A.", "Co., Ltd.", "AG", "LLC", "K.K.", "Holdings", "SE")
OWNER_ALPHA = 1.2  # Pareto shape of marks per owner: most own one or two, a few own hundreds
OWNER_MAX_MARKS = 1500
USE_SHARE = 0.15  # share of marks with a tm:Use
PARAM_POOL = 100  # query parameters drawn per selective query (+1 for the warm-up)

PREFIX = f"PREFIX tm: <{TM}>\n"

METHODS: dict[str, tuple[str, ...]] = {
    "oxigraph": ("interface", "extend", "load", "bulk_load"),
    "memory": ("interface", "extend"),
    "rdflib": ("interface", "dataset_parse"),
}
OPT_IN: dict[str, tuple[str, ...]] = {"oxigraph": ("bulk_extend",), "memory": ("load",)}
METHOD_LABELS = {
    "interface": "parse + Store.add (interface)",
    "extend": "parse + native extend",
    "load": "native Store.load (atomic)",
    "bulk_load": "native bulk_load (reference, not atomic)",
    "bulk_extend": "parse + native bulk_extend (not atomic)",
    "dataset_parse": "rdflib Dataset.parse (reference)",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data set


def iri(kind: str, key: object) -> str:
    return f"<{ID}{kind}/{key}>"


def tm(term: str) -> str:
    return f"<{TM}{term}>"


def literal(value: str, datatype: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' if datatype is None else f'"{escaped}"^^<{XSD}{datatype}>'


class _Writer:
    """N-Quads lines to a file, counted and written in batches."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8")
        self._buffer: list[str] = []
        self.count = 0

    def emit(self, s: str, p: str, o: str, g: str) -> None:
        self._buffer.append(f"{s} {p} {o} {g} .\n")
        self.count += 1
        if len(self._buffer) >= 100_000:
            self._file.writelines(self._buffer)
            self._buffer.clear()

    def close(self) -> None:
        self._file.writelines(self._buffer)
        self._file.close()


def _graph(k: int) -> str:
    return iri("graph", f"bench-{k}")


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days))


def _unique_text(rng: random.Random, seen: set[str]) -> str:
    while True:
        count = rng.choices((2, 3, 4), weights=(2, 3, 3))[0]
        text = "".join(rng.choice(SYLLABLES) for _ in range(count)).capitalize()
        if text not in seen:
            seen.add(text)
            return text


def generate(data_path: Path, params_path: Path, target: int, seed: int) -> dict[str, Any]:
    """Write at least `target` quads to `data_path` and the query parameters to `params_path`."""
    rng = random.Random(seed)
    started = time.perf_counter()
    partial = data_path.with_suffix(".partial")
    out = _Writer(partial)

    reference = _graph(0)
    for code in JURISDICTIONS:
        out.emit(iri("jurisdiction", code), RDF_TYPE, tm("Jurisdiction"), reference)
        out.emit(iri("jurisdiction", code), tm("code"), literal(code), reference)
    for number in NICE:
        out.emit(iri("nice", number), RDF_TYPE, tm("NiceClass"), reference)
        out.emit(iri("nice", number), tm("classNumber"), literal(str(number), "integer"), reference)

    seen: set[str] = set()
    mark_texts: list[str] = []
    registrations: list[tuple[str, tuple[int, ...]]] = []  # (owner IRI, classes)
    owners = marks = uses = 0
    while out.count < target:
        owner = iri("party", f"bench-{owners}")
        home = _graph(owners % GRAPHS)
        owners += 1
        name = f"{_unique_text(rng, seen)} {rng.choice(SUFFIXES)}"
        out.emit(owner, RDF_TYPE, tm("Company"), home)
        out.emit(owner, SCHEMA_NAME, literal(name), home)
        for _ in range(min(int(rng.paretovariate(OWNER_ALPHA)), OWNER_MAX_MARKS)):
            mark = iri("mark", f"bench-{marks}")
            marks += 1
            text = _unique_text(rng, seen)
            mark_texts.append(text)
            out.emit(mark, RDF_TYPE, tm("Mark"), home)
            out.emit(mark, tm("text"), literal(text), home)
            n_regs = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
            for code in rng.sample(JURISDICTIONS, n_regs):
                reg = iri("registration", f"bench-{len(registrations)}")
                g = _graph(rng.randrange(GRAPHS))
                k = rng.choice((1, 1, 2, 3))
                classes = tuple(sorted(set(rng.choices(NICE, weights=NICE_WEIGHTS, k=k))))
                filed = _random_date(rng, date(1995, 1, 1), date(2025, 1, 1))
                status = rng.choice(STATUSES)
                out.emit(reg, RDF_TYPE, tm("Registration"), g)
                out.emit(reg, tm("mark"), mark, g)
                out.emit(reg, tm("owner"), owner, g)
                out.emit(reg, tm("jurisdiction"), iri("jurisdiction", code), g)
                for number in classes:
                    out.emit(reg, tm("niceClass"), iri("nice", number), g)
                out.emit(reg, tm("filingDate"), literal(filed.isoformat(), "date"), g)
                number_text = f"{code}{filed.year}{len(registrations):07d}"
                out.emit(reg, tm("registrationNumber"), literal(number_text), g)
                out.emit(reg, tm("status"), literal(status), g)
                if status == "registered":
                    granted = filed + timedelta(days=rng.randrange(120, 900))
                    out.emit(reg, tm("registrationDate"), literal(granted.isoformat(), "date"), g)
                registrations.append((owner, classes))
            if rng.random() < USE_SHARE:
                use = iri("use", f"bench-{uses}")
                uses += 1
                g = _graph(rng.randrange(GRAPHS))
                out.emit(use, RDF_TYPE, tm("Use"), g)
                out.emit(use, tm("mark"), mark, g)
                out.emit(use, tm("user"), owner, g)
                out.emit(use, tm("jurisdiction"), iri("jurisdiction", rng.choice(JURISDICTIONS)), g)
                out.emit(use, tm("niceClass"), iri("nice", rng.choice(NICE)), g)
                started_use = _random_date(rng, date(1990, 1, 1), date(2025, 1, 1))
                out.emit(use, tm("startDate"), literal(started_use.isoformat(), "date"), g)
                if rng.random() < 0.3:
                    out.emit(use, tm("region"), literal(rng.choice(REGIONS)), g)
            if out.count >= target:
                break
    out.close()

    pick = random.Random(seed + 1)
    q1 = pick.sample(mark_texts, min(PARAM_POOL + 1, len(mark_texts)))
    # Owner/class pairs of random registrations: owners with many marks come up as often as
    # they do in the data, which is what makes the tail latency.
    q2 = []
    for owner, classes in pick.choices(registrations, k=PARAM_POOL + 1):
        q2.append([owner[1:-1], pick.choice(classes)])
    params: dict[str, Any] = {
        "generator_version": GENERATOR_VERSION,
        "target": target,
        "seed": seed,
        "triples": out.count,
        "owners": owners,
        "marks": marks,
        "registrations": len(registrations),
        "uses": uses,
        "graphs": GRAPHS,
        "bytes": partial.stat().st_size,
        "generation_s": round(time.perf_counter() - started, 2),
        "q1_texts": q1,
        "q2_owner_class": q2,
    }
    partial.replace(data_path)
    params_path.write_text(json.dumps(params, indent=1), encoding="utf-8")
    return params


def data_set(target: int, seed: int) -> tuple[Path, dict[str, Any], bool]:
    """The data file and its parameters, generated unless already there; True if reused."""
    OUT.mkdir(parents=True, exist_ok=True)
    stem = f"synthetic-t{target}-s{seed}-v{GENERATOR_VERSION}"
    data_path = OUT / f"{stem}.nq"
    params_path = OUT / f"{stem}.json"
    if data_path.exists() and params_path.exists():
        params = json.loads(params_path.read_text(encoding="utf-8"))
        if params.get("bytes") == data_path.stat().st_size:
            return data_path, params, True
    log(f"generating {target:,} triples (seed {seed}) into {data_path}")
    params = generate(data_path, params_path, target, seed)
    log(f"generated {params['triples']:,} quads in {params['generation_s']} s")
    return data_path, params, False


# ---------------------------------------------------------------- queries


def q1_query(text: str) -> str:
    """Registrations (number, filing date) of the mark with this text."""
    return PREFIX + (
        "SELECT ?reg ?number ?date WHERE {\n"
        f"  ?mark tm:text {literal(text)} .\n"
        "  ?reg tm:mark ?mark ; tm:registrationNumber ?number ; tm:filingDate ?date .\n"
        "}"
    )


def q2_query(owner_and_class: list[Any]) -> str:
    """Marks (and their text) owned by this party in this Nice class."""
    owner, number = owner_and_class
    return PREFIX + (
        "SELECT DISTINCT ?mark ?text WHERE {\n"
        f"  ?reg tm:owner <{owner}> ; tm:niceClass {iri('nice', number)} ; tm:mark ?mark .\n"
        "  ?mark tm:text ?text .\n"
        "}"
    )


AGGREGATE = PREFIX + (
    "SELECT ?class (COUNT(?reg) AS ?registrations) WHERE {\n"
    "  ?reg a tm:Registration ; tm:niceClass ?class .\n"
    "} GROUP BY ?class ORDER BY DESC(?registrations)"
)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def time_selective(
    store: Any, make: Callable[[Any], str], pool: list[Any], runs: int, budget: float
) -> dict[str, Any]:
    """Run one warm-up, then up to `runs` timed queries (at least 10 even past `budget` s)."""
    sum(1 for _ in store.query(make(pool[0])))
    times: list[float] = []
    rows: list[int] = []
    started = time.perf_counter()
    for i in range(runs):
        query = make(pool[1 + i % (len(pool) - 1)])
        t = time.perf_counter()
        rows.append(sum(1 for _ in store.query(query)))
        times.append(time.perf_counter() - t)
        if i + 1 >= 10 and time.perf_counter() - started > budget:
            break
    return {
        "runs": len(times),
        "p50_ms": percentile(times, 0.50) * 1e3,
        "p99_ms": percentile(times, 0.99) * 1e3,
        "rows": rows,
    }


def time_aggregate(store: Any, runs: int, budget: float) -> dict[str, Any]:
    times: list[float] = []
    total = groups = 0
    for _ in range(runs):
        t = time.perf_counter()
        solutions = list(store.query(AGGREGATE))
        times.append(time.perf_counter() - t)
        groups = len(solutions)
        total = sum(int(row["registrations"].value) for row in solutions)
        if sum(times) > budget / 4:
            break
    median_ms = statistics.median(times) * 1e3
    return {"runs": len(times), "ms": median_ms, "sum": total, "groups": groups}


# ---------------------------------------------------------------- child: one backend, one method


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    value = action()
    return value, time.perf_counter() - t


def child(spec: dict[str, Any]) -> dict[str, Any]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from kg.store import open_store

    backend, method = spec["backend"], spec["method"]
    data = spec["data"]
    params = json.loads(Path(spec["params"]).read_text(encoding="utf-8"))
    nquads = ox.RdfFormat.N_QUADS
    result: dict[str, Any] = {"backend": backend, "method": method, "extra": {}}
    extra = result["extra"]
    extra["rss_baseline_mb"] = _maxrss_mb()  # interpreter + imports, before any data
    store_dir = Path(spec["folder"]) / "store"  # the parent makes and removes the folder

    def parse() -> list[Any]:
        return list(ox.parse(path=data, format=nquads))

    store = open_store(backend, store_dir if backend == "oxigraph" else None)
    parse_s = insert_s = flush_s = 0.0
    quads: list[Any] = []
    log(f"{backend}/{method}: loading")
    if method == "interface":
        quads, parse_s = _timed(parse)
        log(f"{backend}/{method}: parsed {len(quads):,} quads in {parse_s:.1f} s; adding")
        added, insert_s = _timed(lambda: store.add(quads))
        extra["added"] = added
    elif method == "extend":
        quads, parse_s = _timed(parse)
        native = store.native  # type: ignore[attr-defined]
        # What `add` does before writing: one membership test per quad (empty store here).
        new, check_s = _timed(lambda: [q for q in quads if q not in native])
        extra["membership_check_empty_s"] = check_s
        del new
        _, insert_s = _timed(lambda: native.extend(quads))
    elif method == "load":
        native = store.native  # type: ignore[attr-defined]
        _, insert_s = _timed(lambda: native.load(path=data, format=nquads))
    elif method == "bulk_extend":
        quads, parse_s = _timed(parse)
        native = store.native  # type: ignore[attr-defined]
        _, insert_s = _timed(lambda: native.bulk_extend(quads))
    elif method == "bulk_load":
        native = store.native  # type: ignore[attr-defined]
        _, insert_s = _timed(lambda: native.bulk_load(path=data, format=nquads))
    elif method == "dataset_parse":
        dataset = store._dataset  # type: ignore[attr-defined]  # rdflib's own parser
        _, insert_s = _timed(lambda: dataset.parse(data, format="nquads"))
    else:
        raise ValueError(f"unknown method {method!r}")
    if backend == "oxigraph":
        _, flush_s = _timed(store.flush)  # type: ignore[attr-defined]
        extra["disk_mb"] = _folder_mb(store_dir)
    result.update(
        parse_s=parse_s,
        insert_s=insert_s,
        flush_s=flush_s,
        load_s=parse_s + insert_s + flush_s,
        rss_after_load_mb=_maxrss_mb(),
    )
    log(f"{backend}/{method}: loaded in {result['load_s']:.1f} s; counting")
    if backend == "rdflib":
        count, count_s = _timed(lambda: len(store._dataset))  # type: ignore[attr-defined]
    else:
        count, count_s = _timed(lambda: len(store.native))  # type: ignore[attr-defined]
    result.update(count=count, count_s=count_s)

    log(f"{backend}/{method}: {count:,} triples; querying")
    runs, budget = spec["runs"], spec["budget"]
    result["q1"] = time_selective(store, q1_query, params["q1_texts"], runs, budget)
    log(f"{backend}/{method}: q1 p50 {result['q1']['p50_ms']:.2f} ms")
    result["q2"] = time_selective(store, q2_query, params["q2_owner_class"], runs, budget)
    log(f"{backend}/{method}: q2 p50 {result['q2']['p50_ms']:.2f} ms")
    result["agg"] = time_aggregate(store, spec["agg_runs"], budget)
    log(f"{backend}/{method}: aggregate {result['agg']['ms']:.0f} ms")
    result["rss_mb"] = _maxrss_mb()

    if method == "interface" and backend != "rdflib":
        # Loading the same file again: every quad is already there, so this is the cost
        # of the membership check against a full store (nothing is written).
        added_again, readd_s = _timed(lambda: store.add(quads))
        extra.update(readd_s=readd_s, readd_added=added_again)
    quads.clear()
    store.close()
    return result


def parse_child(spec: dict[str, Any]) -> dict[str, Any]:
    """How long the parse steps of `kg load` take, without a store."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from kg.ingest.load import _unique, parse_file

    data = spec["data"]
    quads, ox_s = _timed(lambda: list(ox.parse(path=data, format=ox.RdfFormat.N_QUADS)))
    del quads
    parsed, parse_file_s = _timed(lambda: parse_file(data))
    unique, unique_s = _timed(lambda: _unique(parsed.quads))
    return {
        "ox_parse_s": ox_s,
        "parse_file_s": parse_file_s,
        "unique_s": unique_s,
        "quads": len(unique),
        "rss_mb": _maxrss_mb(),
    }


# ---------------------------------------------------------------- parent


def run_child(spec: dict[str, Any], timeout: float, tmp_dir: str | None) -> dict[str, Any] | None:
    """Run one job in its own process; None if it failed or timed out (reported to stderr)."""
    folder = Path(tempfile.mkdtemp(prefix="tmkg-bench-", dir=tmp_dir))
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    try:
        completed = subprocess.run(
            [*command, json.dumps({**spec, "folder": str(folder)})],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        # Seen here: pyoxigraph's Store.flush() sometimes never returns after several write
        # transactions, so a stuck row must not stop the others.
        log(f"{spec.get('backend', '')}/{spec['method']}: killed after {timeout:.0f} s")
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if completed.returncode != 0:
        log(f"{spec.get('backend', '')}/{spec['method']}: exit code {completed.returncode}")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def machine_line() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"machine: {os.cpu_count()} CPUs ({model}), {memory:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"pyoxigraph {metadata.version('pyoxigraph')}, rdflib {metadata.version('rdflib')}"
    )


def _fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def table(results: Iterable[dict[str, Any]]) -> str:
    header = (
        "| backend | method | parse s | insert s | load s | triples/s | "
        "Q1 p50 ms | Q1 p99 ms | Q2 p50 ms | Q2 p99 ms | runs Q1/Q2 | aggregate ms | "
        "peak RSS MB |"
    )
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for r in results:
        lines.append(
            "| "
            + " | ".join(
                [
                    r["backend"],
                    METHOD_LABELS[r["method"]],
                    _fmt(r["parse_s"]) if r["parse_s"] else "–",
                    _fmt(r["insert_s"] + r["flush_s"]),
                    _fmt(r["load_s"]),
                    f"{r['count'] / r['load_s']:,.0f}",
                    _fmt(r["q1"]["p50_ms"]),
                    _fmt(r["q1"]["p99_ms"]),
                    _fmt(r["q2"]["p50_ms"]),
                    _fmt(r["q2"]["p99_ms"]),
                    f"{r['q1']['runs']}/{r['q2']['runs']}",
                    _fmt(r["agg"]["ms"], 0),
                    _fmt(r["rss_mb"], 0),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def notes(results: list[dict[str, Any]], parse_info: dict[str, Any] | None) -> list[str]:
    out: list[str] = []
    by_key = {(r["backend"], r["method"]): r for r in results}
    for r in results:
        extra = r["extra"]
        parts = [f"{r['count']:,} triples in store (len {r['count_s'] * 1e3:,.0f} ms)"]
        if r["flush_s"]:
            parts.append(f"insert {r['insert_s']:.2f} s + flush {r['flush_s']:.2f} s")
        if "disk_mb" in extra:
            parts.append(f"on disk {extra['disk_mb']:,.0f} MB")
        parts.append(
            f"peak RSS after load {r['rss_after_load_mb']:,.0f} MB "
            f"(of which {extra['rss_baseline_mb']:,.0f} MB before loading: Python + imports)"
        )
        parts.append(f"aggregate median of {r['agg']['runs']}")
        if "membership_check_empty_s" in extra:
            parts.append(
                f"membership check alone (empty store) {extra['membership_check_empty_s']:.2f} s"
            )
        if "readd_s" in extra:
            parts.append(
                f"re-adding the same quads (all present, {extra['readd_added']} new) "
                f"{extra['readd_s']:.2f} s"
            )
        out.append(f"- {r['backend']} / {r['method']}: " + "; ".join(parts))
    for backend in ("oxigraph", "memory"):
        via, ext = by_key.get((backend, "interface")), by_key.get((backend, "extend"))
        if via and ext:
            check = ext["extra"]["membership_check_empty_s"]
            out.append(
                f"- {backend}: Store.add {via['insert_s']:.2f} s vs native extend "
                f"{ext['insert_s']:.2f} s; the membership check measured alone is {check:.2f} s "
                f"({check / via['insert_s']:.0%} of add)"
            )
    if parse_info:
        out.append(
            f"- parse only ({parse_info['quads']:,} quads): pyoxigraph.parse to a list "
            f"{parse_info['ox_parse_s']:.2f} s; kg.ingest.load.parse_file "
            f"(read, sha256, skolemize) {parse_info['parse_file_s']:.2f} s; "
            f"kg.ingest.load._unique {parse_info['unique_s']:.2f} s"
        )
    checks = {
        (
            r["agg"]["sum"],
            r["agg"]["groups"],
            tuple(r["q1"]["rows"][:10]),
            tuple(r["q2"]["rows"][:10]),
        )
        for r in results
    }
    first = results[0] if results else None
    if first:
        out.append(
            "- results agree across rows (aggregate sum/groups, first 10 selective row counts): "
            + ("yes" if len(checks) == 1 else f"NO: {sorted(checks)}")
            + f"; aggregate sum {first['agg']['sum']:,} over {first['agg']['groups']} classes"
            + f"; Q1 mean rows {statistics.mean(first['q1']['rows']):.1f}"
            + f", Q2 mean rows {statistics.mean(first['q2']['rows']):.1f}"
            + f" (max {max(first['q2']['rows'])})"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--backends", default="oxigraph,memory,rdflib")
    parser.add_argument("--runs", type=int, default=100, help="timed runs per selective query")
    parser.add_argument("--agg-runs", type=int, default=3, help="aggregate runs (median)")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds per selective query kind before stopping early (at least 10 runs)",
    )
    parser.add_argument(
        "--methods",
        help="comma-separated load methods to run (default: all but the opt-in ones); "
        "known: " + ",".join(METHOD_LABELS),
    )
    parser.add_argument("--skip-rdflib-load-via-interface", action="store_true")
    parser.add_argument("--skip-parse-breakdown", action="store_true")
    parser.add_argument("--tmp-dir", default=None, help="where stores go (default: system temp)")
    parser.add_argument(
        "--child-timeout", type=float, default=1800.0, help="seconds before a row is killed"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)

    if args.child:
        spec = json.loads(args.child)
        result = parse_child(spec) if spec.get("method") == "parse" else child(spec)
        print(json.dumps(result))
        return 0

    started = time.perf_counter()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - set(METHODS)
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}; use {','.join(METHODS)}")
    data_path, params, reused = data_set(args.triples, args.seed)

    jobs: list[dict[str, Any]] = []
    chosen = set(args.methods.split(",")) if args.methods else None
    if chosen and chosen - set(METHOD_LABELS):
        parser.error(f"unknown methods {sorted(chosen - set(METHOD_LABELS))}")
    skip = {("rdflib", "interface")} if args.skip_rdflib_load_via_interface else set()
    for backend in backends:
        available = METHODS[backend] + (OPT_IN.get(backend, ()) if chosen else ())
        for method in available:
            if (backend, method) in skip or (chosen and method not in chosen):
                continue
            jobs.append(
                {
                    "backend": backend,
                    "method": method,
                    "data": str(data_path),
                    "params": str(data_path.with_suffix(".json")),
                    "runs": args.runs,
                    "agg_runs": args.agg_runs,
                    "budget": args.budget,
                }
            )
    results: list[dict[str, Any]] = []
    failed: list[str] = []
    for i, spec in enumerate(jobs, 1):
        log(f"[{i}/{len(jobs)}] {spec['backend']} / {spec['method']}")
        t = time.perf_counter()
        result = run_child(spec, args.child_timeout, args.tmp_dir)
        if result is None:
            failed.append(f"{spec['backend']} / {spec['method']}")
        else:
            results.append(result)
        log(f"[{i}/{len(jobs)}] done in {time.perf_counter() - t:.1f} s")
    parse_info = None
    if not args.skip_parse_breakdown:
        log("parse breakdown")
        parse_info = run_child(
            {"method": "parse", "data": str(data_path)}, args.child_timeout, args.tmp_dir
        )

    total = time.perf_counter() - started
    print(f"## tmkg store benchmark ({params['triples']:,} quads)\n")
    print(machine_line())
    origin = "reused" if reused else f"generated in {params['generation_s']} s"
    print(
        f"data: {data_path.relative_to(ROOT)} ({params['bytes'] / 2**20:,.0f} MB, {origin}): "
        f"{params['owners']:,} owners, {params['marks']:,} marks, "
        f"{params['registrations']:,} registrations, {params['uses']:,} uses, "
        f"{params['graphs']} named graphs; seed {params['seed']}\n"
    )
    print(table(results))
    print()
    print(
        "Q1 = registrations (number, filing date) of the mark with a given tm:text; "
        "Q2 = marks owned by a given party in a given Nice class (parameters from random "
        "registrations, so big owners come up as often as in the data); aggregate = "
        "registrations per Nice class. All through Store.query, union default graph, "
        "one warm-up per query kind; p50/p99 nearest rank. load s = parse + insert (+ flush "
        "on disk); triples/s = triples / load s. Peak RSS = ru_maxrss of the row's own process."
    )
    for line in notes(results, parse_info):
        print(line)
    for row in failed:
        print(f"- {row}: FAILED or timed out (see stderr), no figures")
    print(f"\ntotal benchmark time {total:,.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"params": params, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
