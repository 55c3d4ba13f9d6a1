"""The documentation (the README and the pages of docs/) covers every command, option, GraphQL
root field and saved query users can reach; the README's first screen has the two commands and
the URL to open."""

from __future__ import annotations

import argparse
import re

from kg.api.graphql.schema import ROOT_FIELDS
from kg.cli.main import build_parser
from kg.resources import PROJECT_ROOT, QUERIES_DIR

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(
    path.read_text(encoding="utf-8")
    for path in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]


def test_every_command_is_documented() -> None:
    for name in _subcommands():
        assert f"kg {name}" in DOCS, f"`kg {name}` is not in the documentation"


def test_every_option_is_documented() -> None:
    missing = []
    for name, parser in _subcommands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in DOCS:
                    missing.append(f"kg {name} {option}")
    assert not missing, f"undocumented options: {missing}"


def test_every_graphql_root_field_is_documented() -> None:
    missing = [name for name in ROOT_FIELDS if not re.search(rf"`{name}\b", DOCS)]
    assert not missing, f"GraphQL root fields missing from the documentation: {missing}"


def test_every_saved_query_is_listed() -> None:
    for path in [*QUERIES_DIR.glob("*.rq"), *QUERIES_DIR.glob("*.graphql")]:
        assert path.name in DOCS, path.name


def test_the_two_commands_and_the_url_come_first() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    assert "make serve" in first_screen
    assert "make test" in first_screen
    assert "http://127.0.0.1:8000/" in first_screen


def test_every_endpoint_is_documented() -> None:
    """Each route the server answers (its path up to the first parameter) is in the docs."""
    from kg import KnowledgeGraph, Settings
    from kg.api.app import create_app

    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        app = create_app(graph, Settings(memory=True))
        paths = {route.path.split("{")[0].rstrip("/") or "/" for route in app.routes}
    finally:
        graph.close()
    missing = sorted(p for p in paths if p != "/" and f"`{p}" not in DOCS and f"{p}`" not in DOCS)
    assert not missing, f"endpoints missing from the documentation: {missing}"
    assert "http://127.0.0.1:8000/" in DOCS  # the landing page, by its URL
