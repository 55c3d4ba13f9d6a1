"""A bounded load test on loopback: SPARQL and GraphQL clients read while a loader adds
batches through ``POST /load``, for a fixed time (longer, within a bound, until the loader has
loaded a minimum number of batches: a slow machine loads fewer a second); every answer is
checked.

Each batch is one named graph holding `BATCH_MARKS` marks, each registered to the batch's
own party. A read that sees part of a batch is a *torn read*: SPARQL readers count the marks
of every batch graph they see (each count must be `BATCH_MARKS`, and every batch the loader
had seen acknowledged before the read was sent must be there); GraphQL readers ask for the
registrations of an acknowledged batch's party (exactly `BATCH_MARKS`) and of the batch being
loaded (that many, or "not found"). Used by ``tests/test_hardening_load.py`` (10 s) and
``bench/load_test.py`` (60 s).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.hardening_support import median, percentile

__all__ = ["BATCH_MARKS", "TrafficReport", "batch_turtle", "run_traffic"]

BATCH_MARKS = 20
_LONGEST = 6  # a run waiting for its minimum of batches stops at this many times its seconds
BATCH_GRAPH = "https://example.org/loadtest/batch/"
_PREFIXES = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix lt: <https://example.org/loadtest/> .
"""
_BATCHES = f"""SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE {{
  GRAPH ?g {{ ?m a tm:Mark }} FILTER(STRSTARTS(STR(?g), "{BATCH_GRAPH}")) }} GROUP BY ?g"""
_SEED_QUERIES = (
    "SELECT ?name WHERE { ?p a tm:Company ; schema:name ?name } ORDER BY ?name LIMIT 20",
    "SELECT ?r ?n WHERE { ?r a tm:Registration ; tm:registrationNumber ?n } LIMIT 50",
    "ASK { ?m tm:text 'AWS' }",
)
_PARTY = "query($n: String!) { party(name: $n) { name registrations { number } } }"
_WHO = '{ whoElseUses(mark: "AWS", niceClass: 42, jurisdiction: "CN") { party { name } kind } }'


def batch_party(index: int) -> str:
    return f"Loadtest Owner {index:05d}"


def batch_turtle(index: int) -> bytes:
    """Batch `index` as TriG: one graph, `BATCH_MARKS` marks registered to one party."""
    lines = [_PREFIXES, f"<{BATCH_GRAPH}{index}> {{"]
    lines.append(f'  lt:party{index} a tm:Company ; schema:name "{batch_party(index)}" .')
    for mark in range(BATCH_MARKS):
        key = f"{index}-{mark}"
        lines.append(f'  lt:mark{key} a tm:Mark ; tm:text "LT {key}" .')
        lines.append(
            f"  lt:reg{key} a tm:Registration ; tm:mark lt:mark{key} ; tm:owner lt:party{index} ;"
            f" tm:jurisdiction <https://w3id.org/tmkg/id/jurisdiction/US> ; tm:niceClass"
            f' <https://w3id.org/tmkg/id/nice/{mark % 45 + 1}> ; tm:registrationNumber "{key}" .'
        )
    lines.append("}")
    return "\n".join(lines).encode()


@dataclass
class TrafficReport:
    """What a run saw. `failures` are transport errors and unexpected statuses or errors;
    `torn_reads` are reads that saw part of a batch, or missed an acknowledged one."""

    seconds: float = 0.0
    requests: int = 0
    failures: int = 0
    server_errors: int = 0
    torn_reads: int = 0
    batches_loaded: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def note(self, kind: str, seconds: float) -> None:
        self.requests += 1
        self.latencies.setdefault(kind, []).append(seconds * 1000)

    def fail(self, problem: str, *, server_error: bool = False, torn: bool = False) -> None:
        self.failures += 0 if torn else 1
        self.server_errors += int(server_error)
        self.torn_reads += int(torn)
        if len(self.problems) < 20:
            self.problems.append(problem)

    @property
    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    def figures(self) -> dict[str, Any]:
        """The report as plain figures (milliseconds for latencies)."""
        every = self.all_latencies
        return {
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "failures": self.failures,
            "server_errors": self.server_errors,
            "torn_reads": self.torn_reads,
            "batches_loaded": self.batches_loaded,
            "p50_ms": round(median(every), 1),
            "p99_ms": round(percentile(every, 0.99), 1),
            "by_kind": {
                kind: {
                    "requests": len(values),
                    "p50_ms": round(median(values), 1),
                    "p99_ms": round(percentile(values, 0.99), 1),
                }
                for kind, values in sorted(self.latencies.items())
            },
        }

    def lines(self) -> list[str]:
        figures = self.figures()
        lines = [
            f"{figures['requests']} requests in {figures['seconds']} s "
            f"({figures['requests_per_second']}/s): {figures['failures']} failed, "
            f"{figures['server_errors']} 5xx, {figures['torn_reads']} torn reads; "
            f"{figures['batches_loaded']} batches loaded; p50 {figures['p50_ms']} ms, "
            f"p99 {figures['p99_ms']} ms"
        ]
        for kind, values in figures["by_kind"].items():
            lines.append(
                f"  {kind:<16} {values['requests']:>6} requests, p50 {values['p50_ms']:>7} ms, "
                f"p99 {values['p99_ms']:>7} ms"
            )
        return lines


class _Run:
    def __init__(
        self, url: str, token: str, seconds: float, min_batches: int, report: TrafficReport
    ) -> None:
        self.url = url
        self.token = token
        started = time.monotonic()
        self.deadline = started + seconds
        self.last_deadline = started + max(seconds * _LONGEST, seconds + 30)
        self.min_batches = min_batches
        self.report = report
        self.acknowledged = -1  # the last batch whose load was answered 200
        self.sending = -1  # the batch being loaded
        self.loading = True  # readers read while the loader runs

    def loader_running(self) -> bool:
        now = time.monotonic()
        if now >= self.last_deadline:
            return False
        return now < self.deadline or self.report.batches_loaded < self.min_batches

    def running(self) -> bool:
        return self.loading

    async def request(self, client: httpx.AsyncClient, kind: str, **arguments: Any) -> Any:
        started = time.monotonic()
        try:
            answer = await client.request(**arguments)
        except httpx.HTTPError as error:
            self.report.fail(f"{kind}: {type(error).__name__}: {error}")
            return None
        self.report.note(kind, time.monotonic() - started)
        if answer.status_code >= 500:
            self.report.fail(f"{kind}: {answer.status_code} {answer.text[:200]}", server_error=True)
            return None
        if answer.status_code != 200:
            self.report.fail(f"{kind}: {answer.status_code} {answer.text[:200]}")
            return None
        return answer

    async def loader(self, client: httpx.AsyncClient, interval: float) -> None:
        try:
            await self._load(client, interval)
        finally:
            self.loading = False

    async def _load(self, client: httpx.AsyncClient, interval: float) -> None:
        index = 0
        while self.loader_running():
            self.sending = index
            answer = await self.request(
                client,
                "POST /load",
                method="POST",
                url=self.url + "/load",
                content=batch_turtle(index),
                headers={
                    "Content-Type": "application/trig",
                    "Authorization": f"Bearer {self.token}",
                },
            )
            if answer is not None:
                if answer.json()["quads_added"] != 2 + BATCH_MARKS * 8:
                    self.report.fail(f"batch {index}: {answer.text[:200]}")
                self.acknowledged = index
                self.report.batches_loaded += 1
            index += 1
            await asyncio.sleep(interval)

    async def sparql_reader(self, client: httpx.AsyncClient, seed: int) -> None:
        rng = random.Random(seed)
        while self.running():
            acknowledged = self.acknowledged
            answer = await self.request(
                client,
                "SPARQL batches",
                method="POST",
                url=self.url + "/sparql",
                data={"query": _BATCHES},
                headers={"Accept": "application/sparql-results+json"},
            )
            if answer is not None:
                counts = {
                    int(row["g"]["value"].rsplit("/", 1)[1]): int(row["n"]["value"])
                    for row in answer.json()["results"]["bindings"]
                }
                partial = {batch: n for batch, n in counts.items() if n != BATCH_MARKS}
                missing = [b for b in range(acknowledged + 1) if b not in counts]
                if partial or missing:
                    self.report.fail(f"SPARQL saw {partial} partial, {missing} missing", torn=True)
            await self.request(
                client,
                "SPARQL seed",
                method="GET",
                url=self.url + "/sparql",
                params={"query": rng.choice(_SEED_QUERIES)},
            )

    async def graphql_reader(self, client: httpx.AsyncClient, seed: int) -> None:
        rng = random.Random(seed)
        while self.running():
            acknowledged, sending = self.acknowledged, self.sending
            if acknowledged >= 0:
                await self._party(client, rng.randint(0, acknowledged), must_exist=True)
            if sending > acknowledged:
                await self._party(client, sending, must_exist=False)
            answer = await self.request(
                client,
                "GraphQL who",
                method="POST",
                url=self.url + "/graphql",
                json={"query": _WHO},
            )
            if answer is not None and answer.json().get("errors"):
                self.report.fail(f"GraphQL whoElseUses: {answer.text[:200]}")

    async def _party(self, client: httpx.AsyncClient, index: int, *, must_exist: bool) -> None:
        answer = await self.request(
            client,
            "GraphQL party",
            method="POST",
            url=self.url + "/graphql",
            json={"query": _PARTY, "variables": {"n": batch_party(index)}},
        )
        if answer is None:
            return
        document = answer.json()
        errors = document.get("errors") or []
        if errors:
            code = errors[0].get("extensions", {}).get("code")
            if code != "NOT_FOUND" or must_exist:
                self.report.fail(f"GraphQL party {index}: {answer.text[:200]}", torn=must_exist)
            return
        registrations = document["data"]["party"]["registrations"]
        if len(registrations) != BATCH_MARKS:
            self.report.fail(
                f"GraphQL saw {len(registrations)} registrations of batch {index}", torn=True
            )


async def _traffic(
    url: str,
    token: str,
    seconds: float,
    min_batches: int,
    sparql_clients: int,
    graphql_clients: int,
    load_interval: float,
) -> TrafficReport:
    report = TrafficReport()
    run = _Run(url, token, seconds, min_batches, report)
    limits = httpx.Limits(max_connections=sparql_clients + graphql_clients + 2)
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(
            run.loader(client, load_interval),
            *(run.sparql_reader(client, seed) for seed in range(sparql_clients)),
            *(run.graphql_reader(client, 100 + seed) for seed in range(graphql_clients)),
        )
    report.seconds = time.monotonic() - started
    return report


def run_traffic(
    url: str,
    token: str,
    *,
    seconds: float,
    min_batches: int = 0,
    sparql_clients: int = 3,
    graphql_clients: int = 3,
    load_interval: float = 0.25,
) -> TrafficReport:
    """Run the load test against a server at `url` (started with the update `token`) for
    `seconds`, and on until `min_batches` batches have loaded, but never longer than
    `_LONGEST` times `seconds` (or `seconds` + 30 s, whichever is more); it stops by itself.
    The report holds every figure and problem (`batches_loaded` may stay below `min_batches`
    only when that bound stopped it)."""
    return asyncio.run(
        _traffic(url, token, seconds, min_batches, sparql_clients, graphql_clients, load_interval)
    )
