"""The README documents every command and option users can reach."""

from __future__ import annotations

import argparse
import re

from kg.api.graphql.schema import ROOT_FIELDS
from kg.cli.main import build_parser
from kg.resources import PROJECT_ROOT, QUERIES_DIR

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]


def test_every_command_is_documented() -> None:
    for name in _subcommands():
        assert f"kg {name}" in README, f"`kg {name}` is not in the README"


def test_every_option_is_documented() -> None:
    missing = []
    for name, parser in _subcommands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in README:
                    missing.append(f"kg {name} {option}")
    assert not missing, f"undocumented options: {missing}"


def test_every_graphql_root_field_is_documented() -> None:
    missing = [name for name in ROOT_FIELDS if not re.search(rf"`{name}\b", README)]
    assert not missing, f"GraphQL root fields missing from the README: {missing}"


def test_every_saved_query_is_listed() -> None:
    for path in [*QUERIES_DIR.glob("*.rq"), *QUERIES_DIR.glob("*.graphql")]:
        assert path.name in README, path.name


def test_the_two_commands_come_first() -> None:
    head = README.split("## Tour")[0]
    assert "make serve" in head
    assert "make test" in head
