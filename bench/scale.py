"""Scale benchmark: a synthetic registry of N marks through every layer (prints a table).

    .venv/bin/python bench/scale.py [--sizes 100000,1000000] [--seed 11]

For each size, each row runs in its own process (peak RSS is that process's own):
- load: `kg load` of the generated N-Quads into a fresh on-disk store (parse, SHACL checks,
  atomic bulk commit), beside rdflib's in-memory `Dataset.parse` of the same file;
- loadstep (not by default): `kg load`'s load step alone (no mark index) and `oxigraph load`
  of the same file, in turn, three rounds: the ratio of each and their median;
- cold (not by default): `kg conflicts` in processes of their own, the answer kept beside the
  store read by the next (`--top 20`, whole), and brought up to date after `kg load` of a
  day's file (before the analyses, which then search from nothing kept);
- analyses in-process: cold start (facts + mark index), `who_else_uses` p50/p99 (the holdings
  projection beside the store empty, then again once filled: docs/store.md),
  `conflict_path` p50, `conflicts` total time (again: the answer kept, then searched whole
  with the projection filled; the next process reading the answer kept beside the store,
  `top` 20 and whole; after 10,000 more marks, the kept answer brought up to date in the
  next process and in this one, and up to `WHOLE_AFTER_MAX` marks the same by a whole
  search, the answers compared) and its recall against brute-force all-pairs comparison on
  a sample;
- HTTP: `kg serve` on the store; `whoElseUses` over GraphQL beside a plain Starlette JSON
  endpoint calling the same service function; SPARQL `/sparql` queries/s beside the same
  query in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KG = Path(sys.executable).parent / "kg"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"  # the `bench` extra: pip install -e '.[bench]'
ADDED_MARKS = 10_000  # "a day's file" added after the registry, for the incremental rows
WHOLE_AFTER_MAX = 500_000
"""Above this many marks the whole search after the day's file (to compare answers) is left out."""
RDFLIB_MAX_QUADS = 3_000_000  # rdflib needs ~1.8 GB per million quads
WHO = """query($mark: String!) { whoElseUses(mark: $mark) {
  party { name } mark { text } kind similarity } }"""
SIMPLE_SPARQL = (
    "SELECT ?r WHERE { ?r <https://w3id.org/tmkg/ontology#registrationNumber> ?n } LIMIT 10"
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def dataset(marks: int, seed: int) -> Path:
    """The registry file, generated once per (size, seed)."""
    import pyoxigraph as ox

    from kg.registries.synth import generate

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"registry-{marks}-s{seed}.nq"
    if not path.exists():
        partial = path.with_suffix(".part")
        with partial.open("wb") as handle:
            ox.serialize(generate(marks, seed=seed), handle, ox.RdfFormat.N_QUADS)
        partial.rename(path)
    return path


def run_child(
    args: list[str], timeout: float = 7200, *, echo: bool = False, discard: bool = False
) -> tuple[float, int, str]:
    """Run a command; return (seconds, its own peak RSS in MB, stdout). Its output goes to
    temporary files, never to pipes it could fill while this process waits for it; with
    `echo` its standard error goes to this process's own, as it comes (a child that reports
    each figure as it gets it: a run killed midway keeps what it measured); with `discard`
    its standard output goes to /dev/null (a whole register's JSON: gigabytes)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        sink = subprocess.DEVNULL if discard else out
        process = subprocess.Popen(args, stdout=sink, stderr=None if echo else err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if status != 0:
        raise RuntimeError(f"{args[:3]} failed:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, stdout


def count_quads(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


# ------------------------------------------------------------------ child entry points


def child_rdflib(path: str) -> None:
    import rdflib

    started = time.perf_counter()
    rdflib.Dataset().parse(path, format="nquads")
    print(json.dumps({"seconds": time.perf_counter() - started}))


def child_load(store: str, path: str) -> None:
    """What `kg load` does (kg/cli/main.py), each step timed."""
    from kg import KnowledgeGraph, Settings
    from kg.analysis.service import index_marks
    from kg.cli.parties import resolution_note

    began = time.perf_counter()
    graph = KnowledgeGraph.open(Settings(store_path=Path(store)))
    opened = time.perf_counter()
    report = graph.load([path])
    loaded = time.perf_counter()
    load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    resolution_note(graph)
    resolved = time.perf_counter()
    index_marks(graph)
    indexed = time.perf_counter()
    graph.close()
    print(
        json.dumps(
            {
                "open_s": opened - began,
                "load_s": loaded - opened,
                "resolution_s": resolved - loaded,
                "index_s": indexed - resolved,
                "total_s": time.perf_counter() - began,
                "quads_added": report.quads_added,
                "load_rss_mb": load_rss,
            }
        )
    )


def child_load_step(store: str, path: str) -> None:
    """`kg load`'s load step alone (parse, validate, atomic commit; no index), timed."""
    from kg import KnowledgeGraph, Settings

    graph = KnowledgeGraph.open(Settings(store_path=Path(store)))
    began = time.perf_counter()
    graph.load([path])
    took = time.perf_counter() - began
    graph.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"load_s": took, "load_rss_mb": rss}))


def load_step_rows(
    rows: list[dict[str, object]], marks: int, path: Path, quads: int, folder: Path, rounds: int
) -> None:
    """`kg load`'s load step beside `oxigraph load`, in turn, `rounds` times (each a process
    of its own, on a new store): a row for each round as it is measured, then the median."""
    ratios = []
    for round_ in range(1, rounds + 1):
        reference, store = folder / f"oxigraph-{round_}", folder / f"step-{round_}"
        oxigraph_s, _, _ = run_child(
            [str(OXIGRAPH), "load", "--location", str(reference), "--file", str(path)]
        )
        shutil.rmtree(reference, ignore_errors=True)
        child = [sys.executable, __file__, "--child", "loadstep", str(store), str(path)]
        _, _, out = run_child(child)
        shutil.rmtree(store, ignore_errors=True)
        step = json.loads(out)
        ratios.append(oxigraph_s / step["load_s"])
        rows.append(
            {
                "marks": marks,
                "row": f"kg load step beside `oxigraph load`, round {round_} of {rounds}",
                "figure": f"{step['load_s']:.1f} s against {oxigraph_s:.1f} s: {ratios[-1]:.0%} "
                f"({quads / step['load_s']:,.0f} against {quads / oxigraph_s:,.0f} triples/s)",
                "peak RSS MB": step["load_rss_mb"],
            }
        )
    rows.append(
        {
            "marks": marks,
            "row": "kg load step beside `oxigraph load`, median of the rounds",
            "figure": f"{statistics.median(ratios):.0%}",
            "peak RSS MB": "",
        }
    )


def child_analyses(store: str, seed: int, sample: int) -> None:
    from kg import Analyst, KnowledgeGraph, Settings
    from kg.analysis.conflicts import candidate_text_pairs
    from kg.analysis.similarity import DEFAULT_MIN_SIMILARITY, compare

    def said(figure: str) -> None:  # each figure as soon as it is measured (stderr)
        print(f"    {figure} (peak RSS so far {_peak_mb()} MB)", file=sys.stderr, flush=True)

    from kg.analysis.conflict_file import ConflictFile

    saves: list[float] = []  # seconds each write of the kept conflicts' file took
    save = ConflictFile.save

    def timed_save(self: ConflictFile, *args: object, **kwargs: object) -> None:
        began = time.perf_counter()
        save(self, *args, **kwargs)  # type: ignore[arg-type]
        saves.append(time.perf_counter() - began)

    ConflictFile.save = timed_save  # type: ignore[method-assign]

    def next_process(**asked: object) -> tuple[float, int]:
        """Conflicts asked as a process opened now would (a read-only handle: its own
        memory, the kept file and the journal of writes): (seconds, conflicts in all)."""
        with KnowledgeGraph.open(Settings(store_path=Path(store), read_only=True)) as other:
            began = time.perf_counter()
            found = Analyst(other).conflicts(**asked)  # type: ignore[arg-type]
            took = time.perf_counter() - began
            return took, (found.total if found.total is not None else len(found))

    started = time.perf_counter()
    graph = KnowledgeGraph.open(Settings(store_path=Path(store)))
    analyst = Analyst(graph)
    analyst._shared.forget_conflicts()  # searched from nothing kept (the cold rows kept one)
    texts = sorted(set(analyst.facts.marks.values()))
    analyst.who_else_uses(texts[0])
    cold = time.perf_counter() - started
    said(f"cold start {cold:.1f} s")
    rng = random.Random(seed)
    asked = rng.sample(texts, 200)

    def who_else_uses() -> list[float]:
        latencies = []
        for text in asked:
            began = time.perf_counter()
            analyst.who_else_uses(text)
            latencies.append((time.perf_counter() - began) * 1000)
        return latencies

    latencies = who_else_uses()  # the holdings projection empty: read from the store
    said(f"who_else_uses p50 {statistics.median(latencies):.2f} ms")
    began = time.perf_counter()
    conflicts = analyst.conflicts()
    conflicts_s = time.perf_counter() - began
    said(f"conflicts {conflicts_s:.1f} s, {len(conflicts):,} pairs")
    # again in the same state of the store: the answer kept (kg.analysis.conflict_memo)
    graph.changed()
    began = time.perf_counter()
    analyst.conflicts()
    kept_conflicts_s = time.perf_counter() - began
    said(f"conflicts again, kept {kept_conflicts_s:.1f} s")
    # The conflicts to draw paths from, then the answer dropped: "the next process" below
    # searches again in this process, and at 1M two whole answers (~14.5 GB each) do not fit
    # in 24 GB (the run of 2026-12-04 night was killed so)
    found = len(conflicts)
    paths = [
        (conflict.parties[0].id, conflict.parties[1].id)
        for conflict in rng.sample(conflicts, min(20, len(conflicts)))
    ]
    del conflicts
    analyst._shared.forget_conflicts()
    saved_s = saves[-1] if saves else None
    file_mb = (
        sum(
            path.stat().st_size
            for path in Path(store).parent.glob(Path(store).name + ".conflicts.*")
        )
        / 1e6
    )
    stored_top_s, stored_total = next_process(top=20)
    said(f"the next process: top 20 {stored_top_s:.2f} s of {stored_total:,}, {file_mb:.0f} MB")
    stored_whole_s, _ = next_process()
    said(f"the next process: the whole answer {stored_whole_s:.1f} s")
    # again, as the next process finds them: the holdings projection filled (no write), the
    # memory of this FactBase and the kept answer dropped (a new one for the same state)
    analyst._shared.forget_conflicts()
    graph.changed()
    began = time.perf_counter()
    analyst.conflicts()
    projected_conflicts_s = time.perf_counter() - began
    said(f"conflicts again {projected_conflicts_s:.1f} s")
    graph.changed()
    projected = who_else_uses()
    said(f"who_else_uses again p50 {statistics.median(projected):.2f} ms")
    # a day's file: 10,000 more marks (renamed, so they add), then what kg load does after
    from kg.analysis.service import index_marks
    from kg.registries.synth import generate, renamed

    graph.store.add(renamed(generate(ADDED_MARKS, seed=seed + 1), "added"))
    graph.changed()
    began = time.perf_counter()
    index_marks(graph)
    added_index_s = time.perf_counter() - began
    said(f"{ADDED_MARKS:,} more marks indexed in {added_index_s:.1f} s")
    large = len(texts) > WHOLE_AFTER_MAX
    if not large:  # the kept file + the journal of writes, before this process rewrites it
        stored_added_s, _ = next_process()
        said(f"the next process after them {stored_added_s:.1f} s")
    began = time.perf_counter()
    brought = analyst.conflicts()  # the kept answer, the new parties' conflicts searched
    added_conflicts_s = time.perf_counter() - began
    said(f"conflicts after them {added_conflicts_s:.1f} s")
    if large:  # after dropping this process's answer: two whole answers do not fit at 1M
        brought = None
        analyst._shared.forget_conflicts()
        stored_added_s, _ = next_process()
        said(f"the next process after them {stored_added_s:.1f} s")
    whole_after_s = same_after = None
    if len(texts) <= WHOLE_AFTER_MAX:  # the same by a whole search (~10 min more at 1M)
        analyst._shared.forget_conflicts()
        graph.changed()
        began = time.perf_counter()
        whole = analyst.conflicts()
        whole_after_s = time.perf_counter() - began
        same_after = list(whole) == list(brought)
        said(f"whole search after them {whole_after_s:.1f} s, the same: {same_after}")
    del brought
    path_ms = []
    for left, right in paths:
        began = time.perf_counter()
        analyst.conflict_path(left, right, 4)
        path_ms.append((time.perf_counter() - began) * 1000)
    picked = rng.sample(texts, min(sample, len(texts)))
    brute = {
        tuple(sorted(pair))
        for pair in combinations(picked, 2)
        if compare(*pair).score >= DEFAULT_MIN_SIMILARITY
    }
    blocked = candidate_text_pairs(picked)
    print(
        json.dumps(
            {
                "cold_s": cold,
                "who_p50": statistics.median(latencies),
                "who_p99": _percentile(latencies, 0.99),
                "who_projected_p50": statistics.median(projected),
                "who_projected_p99": _percentile(projected, 0.99),
                "conflicts_s": conflicts_s,
                "kept_conflicts_s": kept_conflicts_s,
                "projected_conflicts_s": projected_conflicts_s,
                "saved_s": saved_s,
                "file_mb": file_mb,
                "stored_top_s": stored_top_s,
                "stored_whole_s": stored_whole_s,
                "stored_added_s": stored_added_s,
                "whole_after_s": whole_after_s,
                "same_after": same_after,
                "added_index_s": added_index_s,
                "added_conflicts_s": added_conflicts_s,
                "conflicts": found,
                "path_p50": statistics.median(path_ms) if path_ms else None,
                "recall": len(brute & blocked) / len(brute) if brute else 1.0,
                "pairs": len(brute),
            }
        )
    )


def _peak_mb() -> int:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def child_conflicts(store: str) -> None:
    """A whole-register `conflicts` in a process of its own (as a notebook asks it): searched,
    or read from the answer kept beside the store; its answer is kept there."""
    from kg import Analyst, KnowledgeGraph, Settings

    with KnowledgeGraph.open(Settings(store_path=Path(store))) as graph:
        began = time.perf_counter()
        found = Analyst(graph).conflicts()
        print(json.dumps({"seconds": time.perf_counter() - began, "conflicts": len(found)}))


def cold_rows(marks: int, seed: int, store: Path) -> list[dict[str, object]]:
    """`kg conflicts` as separate processes find it (docs/store.md: the answer kept beside the
    store, the journal of writes): the whole search writing it, `kg conflicts --top 20` and
    the whole answer read back, a day's file loaded by `kg load`, then `--top 20` brought up
    to date and read again; up to `WHOLE_AFTER_MAX` marks the last compared with a search
    of that state with no answer kept."""
    from kg.registries.synth import generate, renamed

    def forget() -> None:
        for leftover in store.parent.glob(f"{store.name}.conflicts.sqlite*"):
            leftover.unlink()

    def top20() -> tuple[float, int, str]:
        return run_child([str(KG), "--store", str(store), "conflicts", "--top", "20",
                          "--format", "json"])  # fmt: skip

    forget()  # searched from nothing kept (the analyses above may have kept an answer)
    start_s, _, _ = run_child([str(KG), "--version"])

    def said(figure: str) -> None:  # each figure as it is measured: a stopped run keeps it
        print(f"    {figure}", file=sys.stderr, flush=True)

    _, rss, out = run_child([sys.executable, __file__, "--child", "conflicts", str(store)])
    first = json.loads(out)
    said(f"whole search, answer kept: {first['seconds']:.1f} s, peak RSS {rss} MB")
    top_s, top_rss, _ = top20()
    said(f"next process --top 20: {top_s:.1f} s, peak RSS {top_rss} MB")
    _, whole_rss, out = run_child([sys.executable, __file__, "--child", "conflicts", str(store)])
    again = json.loads(out)
    said(f"next process, the whole answer: {again['seconds']:.1f} s, peak RSS {whole_rss} MB")
    printed_s, printed_rss, _ = run_child(
        [str(KG), "--store", str(store), "conflicts", "--format", "json"], discard=True
    )
    said(f"next process, kg conflicts --format json: {printed_s:.1f} s, peak RSS {printed_rss} MB")
    day = OUT / f"day-{ADDED_MARKS}-s{seed + 2}.nq"
    if not day.exists():
        import pyoxigraph as ox

        with day.open("wb") as handle:
            quads = renamed(generate(ADDED_MARKS, seed=seed + 2), "day")
            ox.serialize(quads, handle, ox.RdfFormat.N_QUADS)
    load_s, load_rss, _ = run_child([str(KG), "--store", str(store), "load", str(day)])
    said(f"kg load of the day's file: {load_s:.1f} s")
    after_s, after_rss, after = top20()
    said(f"then --top 20: {after_s:.1f} s, peak RSS {after_rss} MB")
    read_s, _, read = top20()
    said(f"--top 20 again: {read_s:.1f} s")
    same = "not compared"
    if marks <= WHOLE_AFTER_MAX:
        forget()
        searched_s, _, searched = top20()
        same = (
            f"the same top 20 as a search with nothing kept ({searched_s:.1f} s)"
            if searched == after == read
            else "A DIFFERENT ANSWER"
        )
    return [
        {
            "marks": marks,
            "row": "`kg conflicts`, processes of their own: the whole search, its answer kept "
            "beside the store (docs/store.md)",
            "figure": f"{first['seconds']:.1f} s, {first['conflicts']:,} pairs",
            "peak RSS MB": rss,
        },
        {
            "marks": marks,
            "row": "… the next process: `kg conflicts --top 20` (from cold, process start "
            f"included; `kg --version` {start_s:.1f} s)",
            "figure": f"{top_s:.1f} s",
            "peak RSS MB": top_rss,
        },
        {
            "marks": marks,
            "row": "… the next process: the whole answer (read from the file)",
            "figure": f"{again['seconds']:.1f} s, {again['conflicts']:,} pairs",
            "peak RSS MB": whole_rss,
        },
        {
            "marks": marks,
            "row": "… the next process: `kg conflicts --format json`, the whole answer "
            "printed as it is read from the file (to /dev/null)",
            "figure": f"{printed_s:.1f} s",
            "peak RSS MB": printed_rss,
        },
        {
            "marks": marks,
            "row": f"… `kg load` of a day's file ({ADDED_MARKS:,} more marks: resolution, "
            "mark index, the journal of writes)",
            "figure": f"{load_s:.1f} s",
            "peak RSS MB": load_rss,
        },
        {
            "marks": marks,
            "row": "… then `kg conflicts --top 20`: the kept answer brought up to date",
            "figure": f"{after_s:.1f} s; {same}",
            "peak RSS MB": after_rss,
        },
        {
            "marks": marks,
            "row": "… and `kg conflicts --top 20` again",
            "figure": f"{read_s:.1f} s",
            "peak RSS MB": "",
        },
    ]


def child_plain(store: str, port: int) -> None:
    """The reference: a plain Starlette JSON endpoint over the same service call."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from kg import Analyst, KnowledgeGraph, Settings

    analyst = Analyst(KnowledgeGraph.open(Settings(store_path=Path(store))))

    async def who(request):
        hits = analyst.who_else_uses(request.query_params["mark"])
        return JSONResponse([h.to_dict() for h in hits])

    async def health(request):
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[Route("/who", who), Route("/health", health)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", http="h11")  # as kg serve


# ------------------------------------------------------------------ HTTP measurements


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, timeout: float = 600) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} not ready")


def _vm_hwm_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def http_rows(store: Path, texts: list[str]) -> dict[str, float]:
    import httpx

    figures: dict[str, float] = {}
    port = _free_port()
    server = subprocess.Popen(
        [str(KG), "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/health", server)
        with httpx.Client(timeout=60) as client:
            client.post(base + "/graphql", json={"query": WHO, "variables": {"mark": texts[0]}})
            latencies = []
            for text in texts:
                began = time.perf_counter()
                response = client.post(
                    base + "/graphql", json={"query": WHO, "variables": {"mark": text}}
                )
                latencies.append((time.perf_counter() - began) * 1000)
                response.raise_for_status()
            figures["graphql_p50"] = statistics.median(latencies)
            figures["graphql_p99"] = _percentile(latencies, 0.99)
            began, served = time.perf_counter(), 0
            while time.perf_counter() - began < 5:
                client.get(
                    base + "/sparql",
                    params={"query": SIMPLE_SPARQL},
                    headers={"Accept": "application/sparql-results+json"},
                ).raise_for_status()
                served += 1
            figures["sparql_qps"] = served / (time.perf_counter() - began)
        figures["server_rss_mb"] = _vm_hwm_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)

    port = _free_port()
    plain = subprocess.Popen(
        [sys.executable, __file__, "--child", "plain", str(store), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/health", plain)
        with httpx.Client(timeout=60) as client:
            client.get(base + "/who", params={"mark": texts[0]})
            latencies = []
            for text in texts:
                began = time.perf_counter()
                client.get(base + "/who", params={"mark": text}).raise_for_status()
                latencies.append((time.perf_counter() - began) * 1000)
        figures["plain_p50"] = statistics.median(latencies)
        figures["plain_p99"] = _percentile(latencies, 0.99)
    finally:
        plain.terminate()
        plain.wait(timeout=60)

    from kg.store import open_store

    store_handle = open_store("oxigraph", store)
    began, served = time.perf_counter(), 0
    while time.perf_counter() - began < 2:
        list(store_handle.query(SIMPLE_SPARQL))
        served += 1
    figures["inprocess_qps"] = served / (time.perf_counter() - began)
    store_handle.close()
    return figures


def sparql_row(marks: int, seed: int, store: Path) -> dict[str, object]:
    """`/sparql` beside `oxigraph serve-read-only`, 4 clients, selective queries: the figures of
    bench/sparql_endpoint.py (one round), both servers reading the store `kg load` made."""
    script = Path(__file__).resolve().parent / "sparql_endpoint.py"
    _, _, out = run_child(
        [sys.executable, str(script), "--store", str(store), "--seed", str(seed), "--rounds", "1"]
    )
    ours, theirs, ratio = [], [], "?"
    for line in out.splitlines():
        cells = line.split()
        if line.startswith("q/s ratio"):
            ratio = cells[-1]
        elif len(cells) >= 9 and cells[-1].endswith("%") and cells[-2].endswith("%"):
            ours.append(float(cells[-8]))  # label, q/s, p50, CPU, theirs: q/s, p50, CPU, ratio
            theirs.append(float(cells[-5]))
    figure = f"{statistics.mean(ours):,.0f} q/s against {statistics.mean(theirs):,.0f} q/s: "
    return {
        "marks": marks,
        "row": "/sparql, 4 clients, selective queries, beside `oxigraph serve-read-only`",
        "figure": figure + f"{ratio} (geometric mean of the per-query ratios)",
        "peak RSS MB": "",
    }


# ------------------------------------------------------------------ orchestration


class _Rows(list):
    """Rows printed as soon as they are measured, so a long run that is stopped keeps them."""

    def append(self, row: dict[str, object]) -> None:  # type: ignore[override]
        super().append(row)
        print(
            f"| {row['marks']:,} | {row['row']} | {row['figure']} | {row['peak RSS MB']} |",
            flush=True,
        )

    def __iadd__(self, rows):  # type: ignore[override]
        for row in rows:
            self.append(row)
        return self


def run(marks: int, seed: int, sample: int, parts: set[str]) -> list[dict[str, object]]:
    path = dataset(marks, seed)
    quads = count_quads(path)
    print(f"{marks} marks: {quads} quads in {path.name}", file=sys.stderr)
    rows: list[dict[str, object]] = _Rows()
    with tempfile.TemporaryDirectory(prefix="tmkg-scale-") as folder:
        if "loadstep" in parts:
            load_step_rows(rows, marks, path, quads, Path(folder), rounds=3)
            if parts == {"loadstep"}:
                return rows
        store = Path(folder) / "store"
        reference = Path(folder) / "oxigraph-store"
        oxigraph_s, oxigraph_rss, _ = run_child(
            [str(OXIGRAPH), "load", "--location", str(reference), "--file", str(path)]
        )
        shutil.rmtree(reference, ignore_errors=True)
        seconds, rss, out = run_child(
            [sys.executable, __file__, "--child", "load", str(store), str(path)]
        )
        steps = json.loads(out)
        rows += [
            {
                "marks": marks,
                "row": "reference: `oxigraph load` (Oxigraph's own bulk loader, not validated)",
                "figure": f"{quads / oxigraph_s:,.0f} triples/s ({oxigraph_s:.1f} s)",
                "peak RSS MB": oxigraph_rss,
            },
            {
                "marks": marks,
                "row": "kg load: parse + validate + atomic commit (streamed)",
                "figure": f"{quads / steps['load_s']:,.0f} triples/s ({steps['load_s']:.1f} s): "
                f"{oxigraph_s / steps['load_s']:.0%} of `oxigraph load`",
                "peak RSS MB": steps["load_rss_mb"],
            },
            {
                "marks": marks,
                "row": "kg load: then party resolution note + mark index (conflict candidates)",
                "figure": f"{steps['resolution_s']:.1f} s + {steps['index_s']:.1f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "kg load end to end",
                "figure": f"{quads / seconds:,.0f} triples/s ({seconds:.0f} s): "
                f"{oxigraph_s / seconds:.0%} of `oxigraph load`",
                "peak RSS MB": rss,
            },
        ]
        if "rdflib" not in parts:
            pass
        elif quads <= RDFLIB_MAX_QUADS:
            seconds, rss, out = run_child(
                [sys.executable, __file__, "--child", "rdflib", str(path)]
            )
            rows.append(
                {
                    "marks": marks,
                    "row": "reference: rdflib Dataset.parse (memory)",
                    "figure": f"{quads / json.loads(out)['seconds']:,.0f} triples/s",
                    "peak RSS MB": rss,
                }
            )
        else:
            rows.append(
                {
                    "marks": marks,
                    "row": "reference: rdflib Dataset.parse (memory)",
                    "figure": "skipped: would need ~1.8 GB per million quads",
                    "peak RSS MB": "-",
                }
            )
        if "cold" in parts:
            print("  cold ...", file=sys.stderr)
            rows += cold_rows(marks, seed, store)
        if "analyses" not in parts:
            return rows
        print("  analyses ...", file=sys.stderr)
        _, rss, out = run_child(
            [sys.executable, __file__, "--child", "analyses", str(store), str(seed), str(sample)],
            echo=True,
        )
        found = json.loads(out)
        rows += [
            {
                "marks": marks,
                "row": "cold start: facts + mark index sync + first who_else_uses",
                "figure": f"{found['cold_s']:.1f} s",
                "peak RSS MB": rss,
            },
            {
                "marks": marks,
                "row": "who_else_uses in-process p50 / p99",
                "figure": f"{found['who_p50']:.2f} / {found['who_p99']:.2f} ms",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "who_else_uses again, the holdings projection filled, p50 / p99",
                "figure": f"{found['who_projected_p50']:.2f} / {found['who_projected_p99']:.2f} ms",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "conflict_path p50",
                "figure": f"{found['path_p50']:.1f} ms" if found["path_p50"] else "n/a",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "conflicts, whole registry",
                "figure": f"{found['conflicts_s']:.1f} s, {found['conflicts']:,} pairs",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "conflicts again, the answer kept (same state of the store)",
                "figure": f"{found['kept_conflicts_s']:.1f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "… its answer written beside the store (part of the whole search)",
                "figure": f"{found['saved_s']:.1f} s, {found['file_mb']:.0f} MB"
                if found["saved_s"] is not None
                else "not written",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "conflicts, the next process: --top 20 read from that file",
                "figure": f"{found['stored_top_s']:.2f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "conflicts, the next process: the whole answer read from that file",
                "figure": f"{found['stored_whole_s']:.1f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "conflicts again, the holdings projection filled",
                "figure": f"{found['projected_conflicts_s']:.1f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": f"after {ADDED_MARKS:,} more marks: mark index update + conflicts "
                "(the kept answer brought up to date)",
                "figure": f"{found['added_index_s']:.1f} s + {found['added_conflicts_s']:.1f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "… in the next process (the file and the journal of writes)",
                "figure": f"{found['stored_added_s']:.1f} s",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "… the same by a whole search (answers equal?)",
                "figure": (
                    f"{found['whole_after_s']:.1f} s, "
                    + ("the same answer" if found["same_after"] else "A DIFFERENT ANSWER")
                    if found["whole_after_s"] is not None
                    else f"not run above {WHOLE_AFTER_MAX:,} marks"
                ),
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": f"conflicts blocking recall vs brute force ({sample}-mark sample)",
                "figure": f"{found['recall']:.3f} ({found['pairs']} similar pairs)",
                "peak RSS MB": "",
            },
        ]
        if "http" not in parts:
            return rows
        print("  http ...", file=sys.stderr)
        rng = random.Random(seed)
        from kg.analysis.mark_index import MarkIndex, index_path_for

        index = MarkIndex(index_path_for(str(store)))
        texts = [t for (t,) in index._db.execute("SELECT text FROM marks")]
        index.close()
        figures = http_rows(store, rng.sample(texts, min(200, len(texts))))
        rows += [
            {
                "marks": marks,
                "row": "whoElseUses over GraphQL p50 / p99",
                "figure": f"{figures['graphql_p50']:.2f} / {figures['graphql_p99']:.2f} ms",
                "peak RSS MB": figures["server_rss_mb"],
            },
            {
                "marks": marks,
                "row": "reference: plain Starlette JSON p50 / p99",
                "figure": f"{figures['plain_p50']:.2f} / {figures['plain_p99']:.2f} ms",
                "peak RSS MB": "",
            },
            {
                "marks": marks,
                "row": "SPARQL /sparql queries/s (1 connection)",
                "figure": f"{figures['sparql_qps']:.0f}",
                "peak RSS MB": "",
            },
            sparql_row(marks, seed, store),
            {
                "marks": marks,
                "row": "reference: same query in-process, queries/s",
                "figure": f"{figures['inprocess_qps']:.0f}",
                "peak RSS MB": "",
            },
        ]
    return rows


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "rdflib":
            child_rdflib(rest[0])
        elif kind == "load":
            child_load(rest[0], rest[1])
        elif kind == "loadstep":
            child_load_step(rest[0], rest[1])
        elif kind == "analyses":
            child_analyses(rest[0], int(rest[1]), int(rest[2]))
        elif kind == "conflicts":
            child_conflicts(rest[0])
        elif kind == "plain":
            child_plain(rest[0], int(rest[1]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000", help="comma-separated mark counts")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--sample", type=int, default=2000, help="marks in the brute-force sample")
    parser.add_argument(
        "--parts",
        default="load,rdflib,analyses,http",
        help="what to measure (comma-separated): load, rdflib, cold, analyses, http; loadstep "
        "(`kg load`'s load step alone beside `oxigraph load`, three rounds in turn)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    known = {"load", "rdflib", "cold", "analyses", "http", "loadstep"}
    if parts - known:  # a misspelt part measured nothing and said nothing
        parser.error(
            f"unknown part(s) {', '.join(sorted(parts - known))}: {', '.join(sorted(known))}"
        )
    when = time.strftime("%Y-%m-%d")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {when}")
    print("| marks | measurement | figure | peak RSS MB |\n|---|---|---|---|", flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.seed, args.sample, parts)


if __name__ == "__main__":
    main()
