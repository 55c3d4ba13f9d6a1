"""`/report` cannot take the server down: it has a time limit, a concurrency limit (its own
threads, not the pool every other route shares) and stops when its client goes away
(issue 11, kind 4)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kg import Settings
from kg.api.app import create_app
from tests.graphql_support import ThreadedServer
from tests.hardening_support import record
from tests.http_support import http_get


@pytest.fixture
def blocked_reports(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Report building that waits until released, counting the reports built."""
    import kg.report.document

    state: dict[str, Any] = {"release": threading.Event(), "built": 0}
    real = kg.report.document.build_report

    def build_report(*args: Any, **kwargs: Any) -> Any:
        state["built"] += 1
        state["release"].wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.report.document, "build_report", build_report)
    yield state
    state["release"].set()


def _get(url: str, timeout: float, into: list[Any]) -> threading.Thread:
    def get() -> None:
        try:
            into.append(http_get(url, timeout=timeout))
        except httpx.HTTPError as error:
            into.append(error)

    thread = threading.Thread(target=get)
    thread.start()
    return thread


def test_abandoned_reports_leave_the_server_serving(seeded, blocked_reports) -> None:
    # 41 reports abandoned after a moment used to take every worker thread: / timed out.
    app = create_app(seeded, Settings(memory=True, report_concurrency=2))
    with ThreadedServer(app) as served:
        answers: list[Any] = []
        threads = [_get(served.url + "/report?mark=AWS", 1.0, answers) for _ in range(41)]
        for thread in threads:
            thread.join(30)
        try:
            page = http_get(served.url + "/", timeout=10)
            health = http_get(served.url + "/health", timeout=10)
        except httpx.TimeoutException:
            page = health = None
        busy = [a for a in answers if isinstance(a, httpx.Response) and a.status_code == 503]
        blocked_reports["release"].set()
    expected = page is not None and page.status_code == 200 and len(busy) >= 39
    record("input", surface="/report", name="41 abandoned reports", expected=expected)
    assert page is not None and page.status_code == 200 and health.status_code == 200
    assert len(busy) >= 39  # past the 2 allowed at once: 503 at once, not a queue
    assert all(a.headers.get("retry-after") for a in busy)
    assert "--report-concurrency" in busy[0].text


def test_a_report_past_its_time_limit_is_503(seeded, blocked_reports) -> None:
    app = create_app(seeded, Settings(memory=True, report_timeout=0.5))
    with ThreadedServer(app) as served:
        answer = http_get(served.url + "/report?mark=AWS", timeout=30)
        blocked_reports["release"].set()
    expected = answer.status_code == 503 and "--report-timeout" in answer.text
    record("input", surface="/report", name="report past its time limit", expected=expected)
    assert answer.status_code == 503 and answer.headers.get("retry-after")
    assert "time limit of 0.5 s" in answer.text and "--report-timeout" in answer.text


def test_a_report_whose_client_left_is_not_built(seeded, blocked_reports) -> None:
    app = create_app(seeded, Settings(memory=True, report_concurrency=2))
    with ThreadedServer(app) as served:
        first: list[Any] = []
        holder = _get(served.url + "/report?mark=AWS", 30, first)
        deadline = time.monotonic() + 10
        while blocked_reports["built"] == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        left: list[Any] = []
        _get(served.url + "/report?mark=Amazon", 0.3, left).join(10)  # waits, then leaves
        time.sleep(1.0)  # the server looks for gone clients every 0.1 s
        blocked_reports["release"].set()
        holder.join(30)
        time.sleep(0.5)
        also = http_get(served.url + "/report?mark=AWS&format=md", timeout=30)
    built = blocked_reports["built"]
    expected = isinstance(left[0], httpx.TimeoutException) and built == 2
    record("input", surface="/report", name="report whose client left", expected=expected)
    assert isinstance(first[0], httpx.Response) and first[0].status_code == 200
    assert also.status_code == 200
    assert built == 2  # the first and the last; the abandoned one never started


def test_report_limits_from_flags_and_environment() -> None:
    from kg.cli.main import build_parser

    settings = Settings.from_env({"KG_REPORT_TIMEOUT": "7.5", "KG_REPORT_CONCURRENCY": "3"})
    assert (settings.report_timeout, settings.report_concurrency) == (7.5, 3)
    args = build_parser().parse_args(
        ["serve", "--report-timeout", "9", "--report-concurrency", "4"]
    )
    assert (args.report_timeout, args.report_concurrency) == (9.0, 4)
