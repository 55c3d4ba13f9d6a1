"""The GraphQL schema's contract: the exported SDL matches the code, every root field has an
example in queries/, and the contract's names are there."""

from __future__ import annotations

from kg.api.graphql.playground import example_queries
from kg.api.graphql.schema import ROOT_FIELDS, schema, sdl
from kg.resources import SCHEMA_DIR

SDL_FILE = SCHEMA_DIR / "schema.graphql"
REGENERATE = (
    ".venv/bin/python -c \"from kg.api.graphql.schema import sdl; print(sdl(), end='')\" "
    "> schema/schema.graphql"
)


def test_the_exported_sdl_matches_the_schema() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == sdl(), (
        f"schema/schema.graphql has drifted from the code; regenerate it: {REGENERATE}"
    )


def test_the_contract_names_are_in_the_schema() -> None:
    contract = {
        "whoElseUses",
        "conflicts",
        "conflictPath",
        "priority",
        "party",
        "mark",
        "case",
        "search",
        "timeline",
        "contradictions",
    }
    assert contract <= set(ROOT_FIELDS)
    types = schema._schema.type_map
    usage = types["MarkUsage"].fields  # type: ignore[union-attr]
    assert {"party", "mark", "kind", "niceClasses", "jurisdiction", "since", "similarity"} <= set(
        usage
    )
    assert {"reasons", "sources"} <= set(usage)
    assert set(types["HoldingKind"].values) == {"REGISTERED_OWNER", "APPLICANT", "USER", "OPERATOR"}  # type: ignore[union-attr]
    assert {"edges", "pageInfo", "totalCount"} <= set(types["ConflictConnection"].fields)  # type: ignore[union-attr]
    assert {"from", "predicate", "to", "explanation"} <= set(types["PathStep"].fields)  # type: ignore[union-attr]
    assert {"holder", "rule", "date", "explanation", "competingClaims"} <= set(
        types["Priority"].fields  # type: ignore[union-attr]
    )
    for name in ("Party", "Mark", "Case", "Registration", "Use", "MarkUsage", "Conflict"):
        assert "sources" in types[name].fields, name  # type: ignore[union-attr]


def test_every_root_field_has_an_example_query_with_a_header() -> None:
    examples = example_queries()
    assert {q.root_field for q in examples} == set(ROOT_FIELDS)
    for example in examples:
        assert example.title != example.name and example.description, example.name
        assert example.query.startswith("# title:"), example.name
