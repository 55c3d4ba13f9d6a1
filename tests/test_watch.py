"""Watches (issue 20): two successive USPTO daily files, the hits each finds, their kinds,
scores, reasons and opposition windows; re-imports; arguments refused; the CLI hooks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.opposition_windows import STATED_RULE, opposition_periods, window
from kg.analysis.service import Analyst
from kg.analysis.watch_definitions import WATCH_GRAPH, add_watch, hit_graph, remove_watch
from kg.analysis.watch_hits import record_hits
from kg.analysis.watch_model import HitKind, Watch, WatchHit
from kg.cli.main import main
from kg.errors import KGError, NotFound, ValidationError
from kg.ingest.load import load_quads
from kg.namespaces import TM
from kg.registries.importer import import_registry
from kg.registries.iris import registration_iri

DATA = Path(__file__).parent / "data"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DAY_1, DAY_2 = DATA / "watch-daily-1.xml", DATA / "watch-daily-2.xml"
REG = "https://w3id.org/tmkg/id/registration/us-"
GRAPH_1 = "https://w3id.org/tmkg/id/graph/import/watch-daily-1"
GRAPH_2 = "https://w3id.org/tmkg/id/graph/import/watch-daily-2"
DETECTED_1, DETECTED_2 = "2025-01-08T09:00:00Z", "2025-01-15T09:00:00Z"


class Case:
    """The store after both days, with the watches and what each step returned."""

    def __init__(self) -> None:
        self.graph = KnowledgeGraph.open(Settings(memory=True))
        graph = self.graph
        self.calorix = add_watch(
            graph, "CALORIX", owner="Calorix", classes=[5], jurisdictions=["US"]
        )
        self.eu_only = add_watch(graph, "KALORIX", owner="EU desk", jurisdictions=["EM"])
        self.lumexa = add_watch(graph, "LUMEXA", owner="Lumexa")
        first = import_registry(graph, [DAY_1])
        self.first = record_hits(graph, first.graphs, now=DETECTED_1)
        # needs us-91000001 in the store: added after day 1
        self.own = add_watch(
            graph,
            "Brightwave",
            owner="Brightwave Audio",
            registration="us-91000001",
            classes=[9],
            jurisdictions=["US"],
        )
        self.related = add_watch(
            graph, "BRIGHTWAVE", owner="Brightwave Audio", classes=[9], related_classes=True
        )
        second = import_registry(graph, [DAY_2])
        self.second = record_hits(graph, second.graphs, now=DETECTED_2)
        self.analyst = Analyst(graph)

    def hits(self, watch: Watch) -> dict[tuple[str, HitKind], WatchHit]:
        found = self.analyst.watch_hits(watch=watch.id)
        return {(h.registration.removeprefix(REG), h.kind): h for h in found}


@pytest.fixture(scope="module")
def case() -> Iterator[Case]:
    made = Case()
    yield made
    made.graph.close()


def test_each_import_records_the_hits_it_finds(case: Case) -> None:
    assert (case.first, case.second) == (2, 8)
    assert len(case.analyst.watch_hits()) == 10


def test_a_sound_alike_is_a_new_filing_then_a_status_change_with_its_window(case: Case) -> None:
    hits = case.hits(case.calorix)
    assert set(hits) == {("91000002", HitKind.NEW_FILING), ("91000002", HitKind.STATUS_CHANGE)}
    filed, published = hits["91000002", HitKind.NEW_FILING], hits["91000002", HitKind.STATUS_CHANGE]
    assert filed.mark.text == "KALORIX" and filed.status == "filed" and filed.window is None
    assert filed.detected == DETECTED_1 and filed.sources[0].graph == GRAPH_1
    assert published.score == pytest.approx(0.906, abs=0.001)
    assert "similar mark: phonetic" in published.reasons
    assert "same Nice class 5" in published.reasons
    assert published.reasons[0] == "status changed: filed -> published"
    assert (published.status, published.record_date) == ("published", "2025-01-14")
    assert published.holder is not None and published.holder.name == "KALORIX PHARMA LLC"
    assert (published.jurisdiction, published.classes) == ("US", (5,))
    # US: 30 days from publication (15 U.S.C. 1063(a)), extendable
    assert published.window is not None
    assert (published.window.start, published.window.end) == ("2025-01-14", "2025-02-13")
    assert published.window.extendable and not published.window.stated
    assert "1063" in (published.window.rule_source or "")


def test_containment_and_related_classes_and_a_class_filter(case: Case) -> None:
    own = case.hits(case.own)
    assert set(own) == {
        ("91000004", HitKind.NEW_FILING),
        ("91000001", HitKind.OWN_RIGHT_LAPSED),
    }
    studio = own["91000004", HitKind.NEW_FILING]
    # STUDIO names a trade (schema/weak-words.csv): BRIGHTWAVE STUDIO adds nothing distinctive
    assert studio.mark.text == "BRIGHTWAVE STUDIO" and studio.score == pytest.approx(0.95)
    assert "similar mark: containment" in studio.reasons and studio.reasons[0] == "new filing"
    related = case.hits(case.related)
    # class 28 is related to 9 (0.55); class 30 (coffee) is not: us-91000006 is never a hit
    assert ("91000005", HitKind.NEW_FILING) in related
    assert "related Nice classes 9 and 28 (0.55)" in related["91000005", HitKind.NEW_FILING].reasons
    assert not any(reg == "91000005" for reg, _ in own)
    assert not any(h.registration.endswith("91000006") for h in case.analyst.watch_hits())
    # without a registration of its own, the lapsed registration is a status change
    assert related["91000001", HitKind.STATUS_CHANGE].reasons[0] == (
        "status changed: registered -> cancelled"
    )


def test_the_own_registration_lapsing_and_never_a_conflict(case: Case) -> None:
    lapsed = case.hits(case.own)["91000001", HitKind.OWN_RIGHT_LAPSED]
    assert lapsed.status == "cancelled" and lapsed.score == 0.97  # "Brightwave": folded
    assert lapsed.reasons == ("the watched party's own registration ended: cancelled",)
    assert ("91000001", HitKind.STATUS_CHANGE) not in case.hits(case.own)


def test_an_opposition_filed(case: Case) -> None:
    hits = case.hits(case.lumexa)
    assert set(hits) == {
        ("91000007", HitKind.NEW_FILING),
        ("91000007", HitKind.STATUS_CHANGE),
        ("91000007", HitKind.OPPOSITION_FILED),
    }
    assert hits["91000007", HitKind.OPPOSITION_FILED].reasons[0] == "opposition filed on 2025-01-13"
    assert hits["91000007", HitKind.STATUS_CHANGE].status == "opposed"
    new = hits["91000007", HitKind.NEW_FILING]  # published on day 1: its window from then
    assert new.window is not None and new.window.end == "2025-02-06"


def test_a_jurisdiction_filter(case: Case) -> None:
    assert case.hits(case.eu_only) == {}


def test_hits_cite_the_import_graph(case: Case) -> None:
    for hit in case.analyst.watch_hits():
        assert [s.graph for s in hit.sources] == [
            GRAPH_1 if hit.detected == DETECTED_1 else GRAPH_2
        ]
        (statement,) = hit.statements
        assert statement.subject == hit.registration and statement.sources == (
            hit.sources[0].graph,
        )
        assert (
            "https://w3id.org/tmkg/ontology#jurisdiction",
            "https://w3id.org/tmkg/id/jurisdiction/US",
        ) in statement.facts
    day_1 = [h for h in case.analyst.watch_hits() if h.detected == DETECTED_1]
    # day 1's state of us-91000002 is history now: the hit still shows it as day 1 stated it
    assert {h.status for h in day_1} == {"filed", "published"}


def test_reimporting_either_file_makes_no_new_hit(case: Case) -> None:
    before = set(case.graph.store.quads())
    for path in (DAY_1, DAY_2):
        report = import_registry(case.graph, [path])
        assert report.quads_added == 0
        assert record_hits(case.graph, report.graphs) == 0
    assert record_hits(case.graph, [GRAPH_1, GRAPH_2]) == 0
    assert set(case.graph.store.quads()) == before


def test_since_newest_first_and_due(case: Case) -> None:
    recent = case.analyst.watch_hits(since="2025-01-15")
    assert len(recent) == 8 and {h.detected for h in recent} == {DETECTED_2}
    every = case.analyst.watch_hits()
    assert [h.detected for h in every] == sorted((h.detected for h in every), reverse=True)
    due = case.analyst.watches_due(30, today="2025-01-15")
    assert [(h.registration.removeprefix(REG), h.window.end) for h in due] == [  # type: ignore[union-attr]
        ("91000007", "2025-02-06"),
        ("91000002", "2025-02-13"),
    ]
    assert [h.window.end for h in case.analyst.watches_due(22, today="2025-01-15")] == [  # type: ignore[union-attr]
        "2025-02-06"
    ]
    assert case.analyst.watches_due(14, today="2025-03-01") == []
    for bad in ("2025-13-01", "last week", ""):
        with pytest.raises(KGError, match="not a date"):
            case.analyst.watch_hits(since=bad)
    with pytest.raises(KGError):
        case.analyst.watches_due(-1)


def test_watches_are_read_back(case: Case) -> None:
    watches = {w.id: w for w in case.analyst.watches()}
    assert len(watches) == 5
    own = case.analyst.watch(case.own.id)
    assert own == case.own == watches[case.own.id]
    assert own.registration == REG + "91000001" and own.classes == (9,)
    assert case.own.id.startswith("brightwave-") and len(case.own.id) <= 30
    # the same watch again is the same watch, written once
    again = add_watch(
        case.graph,
        "Brightwave",
        owner="Brightwave Audio",
        registration="us-91000001",
        classes=[9],
        jurisdictions=["US"],
    )
    assert again == case.own
    with pytest.raises(NotFound, match="did you mean 'calorix-"):
        case.analyst.watch("calorx")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"text": ""}, "blank"),
        ({"text": "!!!"}, "no letters or digits"),
        ({"text": "ACME", "owner": " "}, "owner is blank"),
        ({"text": "ACME", "min_score": 0}, "above 0"),
        ({"text": "ACME", "min_score": 1.5}, "between 0 and 1, not 1.5"),
        ({"text": "ACME", "min_score": -0.2}, "between 0 and 1"),
        ({"text": "ACME", "min_score": float("nan")}, "between 0 and 1"),
        ({"text": "ACME", "classes": [0]}, "Nice class 0 does not exist"),
        ({"text": "ACME", "classes": [46]}, "Nice class 46 does not exist"),
        ({"text": "ACME", "jurisdictions": ["ZZ"]}, "unknown jurisdiction 'ZZ'"),
        ({"text": "ACME", "jurisdictions": ["UK"]}, "United Kingdom is GB"),
        ({"text": "ACME", "jurisdictions": ["eu"]}, "EU trade marks .EUIPO. is EM"),
        ({"text": "ACME", "jurisdictions": ["USA"]}, "not a jurisdiction code"),
        ({"text": "ACME", "registration": "us-12345678"}, "no registration 'us-12345678'"),
        ({"text": "ACME", "registration": "https://example.org/x y"}, "no registration"),
    ],
)
def test_bad_arguments_are_refused_and_change_nothing(
    case: Case, arguments: dict, message: str
) -> None:
    before = set(case.graph.store.quads(graph=ox.NamedNode(WATCH_GRAPH)))
    given = {"owner": "someone", **arguments}
    with pytest.raises(KGError, match=message):
        add_watch(case.graph, given.pop("text"), **given)
    assert set(case.graph.store.quads(graph=ox.NamedNode(WATCH_GRAPH))) == before


@pytest.mark.parametrize(
    ("number", "named"),
    [
        ("UK00003289573", ["gb-UK00003289573", "GB-UK00003289573"]),
        ("M 2012 00091", ["gb-M 2012 00091", "gb-M%202012%2000091", "GB-M%202012%2000091"]),
        ("2012/123 456", ["gb-2012/123 456", "gb-2012%2F123%20456"]),
        ("W0000001", ["gb-W0000001"]),
        ("A;B:C@D", ["gb-A;B:C@D", "gb-A%3BB%3AC%40D"]),  # a ":" is no IRI's scheme here
        ("100%41", ["gb-100%41", "gb-100%2541"]),  # a "%" of the office's own
    ],
)
def test_a_registration_is_named_in_short_as_its_office_writes_its_number(
    tmp_path: Path, number: str, named: list[str]
) -> None:
    """``{cc}-{number}``: the code in any case, the number as written (capitals kept: UK,
    EU, TW and RO numbers hold letters), percent-encoded or not; every one was refused as
    'no registration' when the whole text was lower-cased."""
    extract = tmp_path / "gb.csv"
    extract.write_text(f"mark,owner,classes,number\nBRIGHTWAVE,Brightwave Ltd,9,{number}\n")
    graph = KnowledgeGraph.open(Settings(memory=True))
    import_registry(graph, [extract], jurisdiction="GB")
    iri = registration_iri("GB", number)
    for name in named:
        watch = add_watch(graph, "Brightwave", owner="Brightwave Ltd", registration=name)
        assert watch.registration == iri, name
    for wrong in (f"gb-{number}X", "gb-M%2", "gb-M%ZZ2012", "gb-", "-UK1", "urn:x:y z"):
        with pytest.raises(NotFound, match="no registration"):
            add_watch(graph, "Brightwave", owner="Brightwave Ltd", registration=wrong)
    graph.close()


def test_removing_a_watch_removes_its_hits() -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    watch = add_watch(graph, "LUMEXA", owner="Lumexa")
    report = import_registry(graph, [DAY_1])
    assert record_hits(graph, report.graphs) == 1
    with pytest.raises(NotFound, match="no watch 'lumexa'"):
        remove_watch(graph, "LUMEXA")
    assert Analyst(graph).watch(watch.id.upper()) == watch  # ids are lower case
    remove_watch(graph, watch.id)
    assert Analyst(graph).watches() == [] and Analyst(graph).watch_hits() == []
    assert not list(graph.store.quads(graph=ox.NamedNode(hit_graph(watch.id))))
    with pytest.raises(NotFound):
        remove_watch(graph, watch.id)
    graph.close()


# ------------------------------------------------------------------ opposition windows


@pytest.mark.parametrize(
    ("code", "published", "end", "extendable"),
    [
        ("US", "2025-01-14", "2025-02-13", True),  # 30 days, 15 U.S.C. 1063(a)
        ("US", "2024-02-10", "2024-03-11", True),  # over a leap day
        ("EM", "2025-01-14", "2025-04-14", False),  # 3 months, EUTMR Art. 46(1)
        ("EM", "2024-11-30", "2025-02-28", False),  # month arithmetic, not 90 days
        ("CN", "2023-11-30", "2024-02-29", False),  # 3 months, Trademark Law Art. 33
        ("GB", "2025-01-31", "2025-03-31", True),  # 2 months, extendable to 3 (r.17)
    ],
)
def test_windows_follow_each_jurisdictions_period(
    code: str, published: str, end: str, extendable: bool
) -> None:
    found = window(code, published)
    assert found is not None
    assert (found.start, found.end, found.extendable, found.stated) == (
        published,
        end,
        extendable,
        False,
    )
    assert found.rule_source and found.rule_source.startswith("https://")


def test_a_stated_period_wins_and_unknowns_give_none() -> None:
    stated = window("US", "2025-01-14", "2025-01-20", "2025-02-19")
    assert stated is not None and (stated.start, stated.end, stated.rule, stated.stated) == (
        "2025-01-20",
        "2025-02-19",
        STATED_RULE,
        True,
    )
    assert window("ZZ", "2025-01-14") is None
    assert window("US", None) is None and window("US", "2025-01") is None
    assert set(opposition_periods()) >= {"US", "EM", "CN", "GB"}


# ------------------------------------------------------------------ the CLI and kg load

LOADED = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://example.org/graph/euipo> a tm:SourceGraph ;
    prov:wasDerivedFrom <https://example.org/source/euipo> .
<https://example.org/source/euipo> a tm:Source ; dcterms:title "EUIPO bulletin (invented)" .
GRAPH <https://example.org/graph/euipo> {
  <https://w3id.org/tmkg/id/registration/em-019000001> a tm:Registration ;
      tm:mark <https://w3id.org/tmkg/id/mark/kalorix-em> ;
      tm:owner <https://w3id.org/tmkg/id/party/kalorix-eu> ;
      tm:jurisdiction <https://w3id.org/tmkg/id/jurisdiction/EM> ;
      tm:niceClass <https://w3id.org/tmkg/id/nice/5> ;
      tm:markStatus <https://w3id.org/tmkg/id/status/published> ;
      tm:publicationDate "2025-01-10"^^xsd:date ;
      tm:oppositionPeriodStartDate "2025-01-11"^^xsd:date ;
      tm:oppositionPeriodEndDate "2025-04-11"^^xsd:date .
  <https://w3id.org/tmkg/id/mark/kalorix-em> a tm:Mark ; tm:text "KALORIX" .
  <https://w3id.org/tmkg/id/party/kalorix-eu> a tm:Company ;
      <https://schema.org/name> "Kalorix Europe GmbH" .
}
"""


def test_the_cli_records_hits_after_import_and_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tmp_path / "store")]

    def kg(*argv: str) -> tuple[int, str, str]:
        status = main([*argv, *store])
        out, err = capsys.readouterr()
        return status, out, err

    status, out, _ = kg("watch", "add", "KALORIX", "--for", "EU desk", "--jurisdiction", "EM")
    assert status == 0 and out.startswith("watch kalorix-")
    status, out, _ = kg("import", str(DAY_1))
    assert status == 0 and "new watch hit" not in out  # KALORIX is a US filing
    loaded = tmp_path / "euipo.trig"
    loaded.write_text(LOADED, encoding="utf-8")
    status, out, _ = kg("load", str(loaded))
    assert status == 0 and "kg: 1 new watch hit" in out
    status, out, _ = kg("load", str(loaded))
    assert status == 0 and "watch hit" not in out
    status, out, _ = kg("watch", "report", "--format", "json")
    (hit,) = json.loads(out)
    assert hit["kind"] == "NEW_FILING" and hit["jurisdiction"] == "EM"
    assert hit["window"]["stated"] is True and hit["window"]["end"] == "2025-04-11"
    assert hit["sources"][0]["title"] == "EUIPO bulletin (invented)"
    status, out, _ = kg("watch", "due", "--within", "120", "--today", "2025-01-15")
    assert status == 0 and "2025-04-11" in out
    status, _, err = kg("watch", "due", "--today", "soon")
    assert status == 2 and "not a date" in err
    status, _, err = kg("watch", "add", "ACME", "--for", "x", "--min-score", "2")
    assert status == 2 and "--min-score must be between 0 and 1, not 2" in err
    status, _, err = kg("watch", "remove", "nothing-here")
    assert status == NotFound.exit_code and "no watch" in err


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_the_shapes_refuse_a_malformed_hit(engine: str) -> None:
    graph = KnowledgeGraph.open(Settings(memory=True))
    hit = ox.NamedNode("https://w3id.org/tmkg/id/watch-hit/x-1")
    named = ox.NamedNode(hit_graph("x"))
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    quads = [
        ox.Quad(hit, ox.NamedNode(str(RDF_TYPE)), ox.NamedNode(str(TM.WatchHit)), named),
        ox.Quad(hit, ox.NamedNode(str(TM.hitKind)), ox.Literal("MAYBE"), named),
        ox.Quad(hit, ox.NamedNode(str(TM.hitScore)), ox.Literal("1.5", datatype=decimal), named),
    ]
    with pytest.raises(ValidationError) as refused:
        load_quads(graph.store, quads, files=["test"], engine=engine)
    text = "\n".join(refused.value.violations)
    for expected in (
        "tm:hitKind must be one of",
        "from 0 to 1",
        "exactly one tm:watch",
        "tm:detectedAt",
    ):
        assert expected in text
    assert not list(graph.store.quads(graph=named))
    graph.close()
