"""`kg report` as a user runs it, and `/report` on a real `kg serve`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ServerProcess, run_kg
from tests.http_support import http_get
from tests.test_report_document import assert_self_contained


def test_kg_report_writes_html_and_markdown(tmp_path: Path) -> None:
    html = tmp_path / "aws.html"
    result = run_kg(
        "report", "--memory", "--mark", "AWS", "--jurisdiction", "CN", "--class", "42",
        "-o", html, check=True,
    )  # fmt: skip
    assert f"wrote {html}" in result.stderr
    text = html.read_text(encoding="utf-8")
    assert_self_contained(text)
    assert "Beijing ActionSoft Science &amp; Technology Development Co., Ltd." in text
    markdown = tmp_path / "amazon.md"
    run_kg(
        "report", "--memory", "--party", "Amazon", "-o", markdown, "--max-nodes", "10", check=True
    )
    assert (tmp_path / "amazon.network.svg").exists()
    assert markdown.read_text(encoding="utf-8").startswith("# Amazon.com Inc.")


def test_kg_report_prints_markdown_and_reports_errors() -> None:
    printed = run_kg("report", "--memory", "--case", "aws-cn-2018", check=True)
    assert printed.stdout.startswith("# Case (2018)京民初127号")
    assert "| claim | CNY 300,000,000 |" in printed.stdout
    unknown = run_kg("report", "--memory", "--party", "Nobody Inc")
    assert unknown.returncode == 7 and "no party named 'Nobody Inc'" in unknown.stderr
    for spelled in ("markdown", "MD", "Markdown"):  # Markdown by its name too (a trial)
        named = run_kg("report", "--memory", "--case", "aws-cn-2018", "--format", spelled)
        assert named.returncode == 0 and named.stdout.startswith("# Case (2018)京民初127号")
    refused = run_kg("report", "--memory", "--case", "aws-cn-2018", "--format", "docx")
    assert refused.returncode == 2 and "invalid choice: 'docx'" in refused.stderr


@pytest.fixture(scope="module")
def server():
    with ServerProcess("--memory") as running:
        yield running


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("mark=AWS&jurisdiction=CN&class=42", "text/html", "Priority to &#39;AWS&#39; in class 42"),
        ("party=Amazon&format=md", "text/markdown", "# Amazon.com Inc."),
        ("case=aws-cn-2018", "text/html", "CNY 76,463,000"),
    ],
)
def test_report_endpoint(server: ServerProcess, query: str, kind: str, expected: str) -> None:
    response = http_get(f"{server.url}/report?{query}", timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(kind)
    assert response.headers["content-disposition"].startswith('inline; filename="report-')
    assert expected in response.text
    if kind == "text/html":
        assert_self_contained(response.text)


def test_report_endpoint_download_and_errors(server: ServerProcess) -> None:
    download = http_get(f"{server.url}/report?party=Amazon&format=md&download=1", timeout=60)
    assert download.headers["content-disposition"] == 'attachment; filename="report-amazon.md"'
    for query, status, message in (
        ("party=Nobody%20Inc", 404, "no party named 'Nobody Inc'"),
        ("case=no-such-case", 404, "no case 'no-such-case'"),
        ("mark=AWS&jurisdiction=XX", 400, "unknown jurisdiction 'XX'"),
        ("mark=AWS&class=x", 400, "class must be a whole number"),
        ("mark=AWS&class=46", 400, "Nice class 46 does not exist"),
        ("mark=AWS&format=pdf", 400, "unknown format 'pdf'"),
        ("mark=AWS&party=Amazon", 400, "one mark, party or case"),
        ("", 400, "one mark, party or case"),
        ("mark=AWS&colour=red", 400, "unknown parameter colour"),
        ("mark=AWS&mark=NWCD", 400, "repeated parameter mark"),
        ("mark=AC%FFME", 400, "the query string is not UTF-8 (byte 0xFF after 'mark=AC')"),
        ("party=%C3", 400, "the query string is not UTF-8 (byte 0xC3"),
    ):
        response = http_get(f"{server.url}/report?{query}", timeout=60)
        assert response.status_code == status, (query, response.text)
        assert message in response.text, (query, response.text)
