"""Which SELECTs the remote store splits by their VALUES block, and how (kg/store/sparql_split.py)."""

from __future__ import annotations

import pytest

from kg.store.sparql_split import split_values

IRIS = " ".join(f"<http://e/{i}>" for i in range(5))


def chunks(query: str) -> list[str] | None:
    split = split_values(query, limit=2)
    return (
        None
        if split is None
        else [q.split("VALUES ?v {")[1].split("}")[0].strip() for q in split.queries]
    )


def test_a_big_block_is_cut_into_chunks_and_the_rest_kept() -> None:
    query = f"PREFIX ex: <http://e/> SELECT ?v ?o WHERE {{ VALUES ?v {{ {IRIS} }} ?v ex:p ?o }}"
    split = split_values(query, limit=2)
    assert split is not None and not split.distinct
    assert chunks(query) == [
        "<http://e/0> <http://e/1>",
        "<http://e/2> <http://e/3>",
        "<http://e/4>",
    ]
    assert all(q.startswith("PREFIX ex: <http://e/> SELECT ?v ?o WHERE {") for q in split.queries)
    assert all(q.endswith("} ?v ex:p ?o }") for q in split.queries)


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT DISTINCT ?h WHERE {{ VALUES ?v {{ {IRIS} }} ?h <http://e/owner> ?v }}",
        f"SELECT ?v (SAMPLE(?n) AS ?name) WHERE {{ VALUES ?v {{ {IRIS} }} OPTIONAL {{ ?v <http://e/n> ?n }} }} GROUP BY ?v",
        f"SELECT ?v WHERE {{ VALUES ?v {{ {IRIS} }} VALUES ?r {{ <http://e/a> <http://e/b> }} }}",
    ],
    ids=["distinct", "grouped-by-the-variable", "second-small-block"],
)
def test_shapes_that_split_exactly(query: str) -> None:
    assert chunks(query) is not None


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?v WHERE {{ VALUES ?v {{ {IRIS} }} ?v ?p ?o }} ORDER BY ?v",
        f"SELECT ?v WHERE {{ VALUES ?v {{ {IRIS} }} ?v ?p ?o }} LIMIT 3",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {IRIS} }} ?v ?p ?o }}",
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {IRIS} }} ?v ?p ?o }} GROUP BY ?p",
        f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {IRIS} <http://e/0> }} ?v ?p ?o }} GROUP BY ?v",
        f"SELECT ?v WHERE {{ {{ VALUES ?v {{ {IRIS} }} }} UNION {{ ?v ?p ?o }} }}",
        f"SELECT ?v WHERE {{ VALUES ?v {{ {IRIS} 'x' }} }}",
        f"SELECT ?v WHERE {{ VALUES ?v {{ {IRIS} }} VALUES ?w {{ {IRIS} }} }}",
        f"CONSTRUCT {{ ?v ?p ?o }} WHERE {{ VALUES ?v {{ {IRIS} }} ?v ?p ?o }}",
        "SELECT ?v WHERE { VALUES ?v { <http://e/0> <http://e/1> } }",
    ],
    ids=[
        "ordered",
        "limited",
        "aggregate",
        "grouped-by-another",
        "grouped-with-a-repeated-value",
        "inside-a-union",
        "a-literal",
        "two-big-blocks",
        "construct",
        "small",
    ],
)
def test_shapes_left_whole(query: str) -> None:
    assert split_values(query, limit=2) is None
