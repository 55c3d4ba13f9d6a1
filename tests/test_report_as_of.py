"""Reports answer as of a date like every analysis (issue 13): dead rights leave who-else-uses,
conflicts and priority unless asked for; through `kg.report`, `kg report` (a real process) and
`/report` over HTTP. Fixture: tests/data/mark-life.trig (GRIGIOPERLA, a US application abandoned
on 2001-09-20, against the later GRIGIO PERLA)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import kg
from kg import KnowledgeGraph, Settings
from kg.api.app import create_app
from tests.conftest import DATA, run_kg
from tests.graphql_support import ThreadedServer
from tests.http_support import http_get

FIXTURE = DATA / "mark-life.trig"
ABANDONED_OWNER = "GRUPPO LA PERLA S.P.A."


def _holder_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"| {ABANDONED_OWNER} |")]


@pytest.fixture(scope="module")
def graph() -> Iterator[KnowledgeGraph]:
    opened = KnowledgeGraph.open(Settings(memory=True))
    opened.load([FIXTURE])
    yield opened
    opened.close()


def test_today_the_abandoned_application_is_not_in_the_report(graph: KnowledgeGraph) -> None:
    text = kg.report(graph, mark="GRIGIO PERLA", format="md")
    assert ABANDONED_OWNER not in text.split("## Sources")[0]
    assert "as of: " in text


def test_as_of_a_date_before_the_abandonment_it_is_an_applicant(graph: KnowledgeGraph) -> None:
    text = kg.report(graph, mark="GRIGIO PERLA", format="md", as_of="1995")
    rows = _holder_rows(text)
    assert rows and "| applicant |" in rows[0] and "lapsed" not in rows[0]
    assert "as of: 1995" in text
    # Example Apparel's use began in 2019-03: in 1995 it was no right and no conflict
    assert "Example Apparel" not in text.split("## Sources")[0]
    assert "riskiest" not in text


def test_include_lapsed_shows_it_with_its_end(graph: KnowledgeGraph) -> None:
    text = kg.report(graph, mark="GRIGIO PERLA", format="md", include_lapsed=True)
    rows = _holder_rows(text)
    assert rows and "lapsed 2001-09-20: abandoned" in rows[0]
    assert "lapsed rights: included" in text


def test_a_malformed_date_is_refused(graph: KnowledgeGraph) -> None:
    with pytest.raises(kg.KGError, match="as_of"):
        kg.report(graph, mark="GRIGIO PERLA", as_of="30/11/2026")


def test_cli_report_as_of(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_kg("load", "--store", store, FIXTURE, check=True)
    old = run_kg(
        "report", "--store", store, "--mark", "GRIGIO PERLA", "--as-of", "1995", check=True
    )
    assert _holder_rows(old.stdout)
    now = run_kg("report", "--store", store, "--mark", "GRIGIO PERLA", check=True)
    assert not _holder_rows(now.stdout)
    lapsed = run_kg(
        "report", "--store", store, "--mark", "GRIGIO PERLA", "--include-lapsed", check=True
    )
    assert "lapsed 2001-09-20" in _holder_rows(lapsed.stdout)[0]
    bad = run_kg("report", "--store", store, "--mark", "GRIGIO PERLA", "--as-of", "soon")
    assert (
        bad.returncode != 0
        and "Traceback" not in bad.stderr
        and "--as-of 'soon' is not a date" in bad.stderr
    )


def test_report_endpoint_as_of(graph: KnowledgeGraph) -> None:
    with ThreadedServer(create_app(graph, Settings(memory=True))) as server:
        url = f"{server.url}/report"
        base = {"mark": "GRIGIO PERLA", "format": "md"}
        old = http_get(url, params={**base, "as_of": "1995"}, timeout=120)
        assert old.status_code == 200 and _holder_rows(old.text)
        now = http_get(url, params=base, timeout=120)
        assert now.status_code == 200 and not _holder_rows(now.text)
        lapsed = http_get(url, params={**base, "include_lapsed": "1"}, timeout=120)
        assert "lapsed 2001-09-20" in _holder_rows(lapsed.text)[0]
        for bad in ({"as_of": "soon"}, {"include_lapsed": "maybe"}):
            answer = http_get(url, params={**base, **bad}, timeout=120)
            assert answer.status_code == 400, answer.text


def test_a_report_on_an_abandoned_mark_keeps_its_history(graph: KnowledgeGraph) -> None:
    """The mark's own dead right is left out of who-else-uses, not out of the timeline
    (helper-108 F1: "No dated fact is recorded" for GRIGIOPERLA)."""
    text = kg.report(graph, mark="GRIGIOPERLA", format="md")
    timeline = text.split("## Timeline")[1].split("\n## ")[0]
    assert "No dated fact" not in timeline
    assert "2001-09-20" in timeline and "abandoned" in timeline, timeline
    assert not _holder_rows(text.split("## Timeline")[0])  # not a hit of who-else-uses
