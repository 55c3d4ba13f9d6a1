"""Status words real registers write (IP Australia's "Lapsed", "Removed"; "Dead - Abandoned",
"Registered - Expired"): read against the status scheme's labels (``schema/status.ttl``), so
a dead right is not counted in force (helper-108 F2: each was read as registered and in
force, with no word said)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_kg

DEAD = [
    "Lapsed", "Removed", "Removed from register", "Inactive", "Ceased", "Never registered",
    "Registered - Expired", "Not renewed", "Lapsed - not renewed", "Registration lapsed",
    "Dead - Abandoned", "Application lapsed", "Application abandoned", "DEAD", "expired",
]  # fmt: skip
LIVE = ["Registered", "Renewal due", "Protected", "Protection granted"]


@pytest.fixture(scope="module")
def hits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """who-else-uses SAMEMARK with dead rights shown, by owner (one owner a status word)."""
    folder = tmp_path_factory.mktemp("status-words")
    rows = [
        "mark,owner,jurisdiction,number,classes,filing_date,registration_date,status,status_date"
    ]
    for number, word in enumerate([*DEAD, *LIVE], 1):
        rows.append(f"SAMEMARK,Owner {word},AU,{number},9,2010-01-01,2011-01-01,{word},2015-01-01")
    registry = folder / "statuses.csv"
    registry.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {"KG_STORE": str(folder / "store")}
    run_kg("import", registry, check=True, env=env)
    found = run_kg(
        "who-else-uses", "SAMEMARK", "--class", "9", "--jurisdiction", "AU",
        "--as-of", "2020-01-01", "--include-lapsed", "--format", "json", check=True, env=env,
    )  # fmt: skip
    return {hit["party"]["name"]: hit for hit in json.loads(found.stdout)}


@pytest.mark.parametrize("word", DEAD)
def test_a_dead_status_word_ends_the_right(hits: dict[str, dict[str, object]], word: str) -> None:
    hit = hits[f"Owner {word}"]
    assert hit["lapsed"] is True, hit
    assert hit["ended"] == "2015-01-01", hit


@pytest.mark.parametrize("word", LIVE)
def test_a_live_status_word_keeps_the_right(hits: dict[str, dict[str, object]], word: str) -> None:
    hit = hits[f"Owner {word}"]
    assert hit["lapsed"] is False and hit["status"] == "registered", hit


def test_the_scheme_s_labels_name_one_status_each() -> None:
    """No label names two statuses (the lookup takes the first)."""
    import pyoxigraph as ox

    from kg.resources import SCHEMA_DIR

    store = ox.Store()
    store.load(path=str(Path(SCHEMA_DIR) / "status.ttl"), format=ox.RdfFormat.TURTLE)
    named: dict[str, set[str]] = {}
    query = (
        "SELECT ?c ?l { { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } UNION "
        "{ ?c <http://www.w3.org/2004/02/skos/core#altLabel> ?l } }"
    )
    for row in store.query(query):  # type: ignore[union-attr]
        named.setdefault(row["l"].value.casefold(), set()).add(row["c"].value)  # type: ignore[index]
    assert {label: c for label, c in named.items() if len(c) > 1} == {}


def test_a_status_word_the_scheme_does_not_know_is_told(tmp_path: Path) -> None:
    """Read as a record with no status (in force), and said so, counted, at import."""
    registry = tmp_path / "odd.csv"
    registry.write_text(
        "mark,owner,jurisdiction,number,classes,status\n"
        "ODDMARK,Owner A,AU,1,9,bogus-status\nODDMARK,Owner B,AU,2,9,Lapsed\n"
        "ODDMARK,Owner C,AU,3,9,Kaput\nODDMARK,Owner D,US,4,9,602\n",
        encoding="utf-8",
    )
    result = run_kg("import", registry, check=True, env={"KG_STORE": str(tmp_path / "s")})
    warned = [line for line in result.stderr.splitlines() if "status scheme" in line]
    assert len(warned) == 1 and "2 records" in warned[0], result.stderr
    assert "'bogus-status'" in warned[0] and "'Kaput'" in warned[0], warned
