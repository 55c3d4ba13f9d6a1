"""Statement-level provenance (issue 16): every statement of every answer cites exactly the
sources that state it, on the seed and on two cases whose sources disagree
(tests/data/conflicting-sources.trig), checked by SPARQL (tests/provenance_support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.model import Cited, CompetingClaim, TimelineEntry
from kg.analysis.service import Analyst
from tests.conftest import DATA, run_kg
from tests.provenance_support import check_answer, check_statement, statements_in

GRAPH = "https://w3id.org/tmkg/id/graph/"
TM = "https://w3id.org/tmkg/ontology#"


@pytest.fixture(scope="module")
def analyst() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load([DATA / "conflicting-sources.trig", DATA / "second-case.trig"])
    yield Analyst(graph)
    graph.close()


def _faults(analyst: Analyst, answer: object) -> list[str]:
    return check_answer(analyst.graph, analyst.facts, answer)


# the questions asked of every case: (mark, class, jurisdiction)
QUESTIONS = [
    ("AWS", 42, "CN"),
    ("AWS", 9, "CN"),
    ("LUMORA", 11, "CN"),
    ("ZEPHYR", 11, "US"),
    ("NOVALUX", 11, "US"),
]
CASES = ["aws-cn-2018", "lumora-v-rival", "novalux-v-nova-lux"]
PARTIES = ["Amazon", "ActionSoft", "Sinnet", "Lumora Lighting", "Rival Lamps", "Zephyr Fans"]


@pytest.mark.parametrize(("mark", "nice_class", "jurisdiction"), QUESTIONS)
def test_who_else_uses_cites_each_statement(
    analyst: Analyst, mark: str, nice_class: int, jurisdiction: str
) -> None:
    for asked in (
        {},
        {"nice_class": nice_class},
        {"nice_class": nice_class, "jurisdiction": jurisdiction},
    ):
        hits = analyst.who_else_uses(mark, **asked)  # type: ignore[arg-type]
        assert hits
        assert _faults(analyst, hits) == []


@pytest.mark.parametrize(("mark", "nice_class", "jurisdiction"), QUESTIONS)
def test_priority_cites_each_statement(
    analyst: Analyst, mark: str, nice_class: int, jurisdiction: str
) -> None:
    finding = analyst.priority(mark, nice_class, jurisdiction)
    assert _faults(analyst, finding) == []


@pytest.mark.parametrize("case", CASES)
def test_case_timeline_cites_each_statement(analyst: Analyst, case: str) -> None:
    entries = analyst.timeline(case=case)
    assert entries
    assert _faults(analyst, entries) == []


@pytest.mark.parametrize("party", PARTIES)
def test_party_timeline_cites_each_statement(analyst: Analyst, party: str) -> None:
    entries = analyst.timeline(party=party)
    assert entries
    assert _faults(analyst, entries) == []


# ------------------------------------------------------------------ the checker can fail


def test_the_checker_finds_a_source_that_does_not_state_the_statement(analyst: Analyst) -> None:
    sinnet = analyst.find_party("Sinnet").id
    # the fault of the first version: Sinnet's Ningxia use dated 2017, citing the AWS blog
    wrong = Cited(
        subject="https://w3id.org/tmkg/id/use/aws-cn-ningxia-region",
        facts=((TM + "user", sinnet), (TM + "startDate", "2017")),
        sources=(GRAPH + "aws-trademark-article", GRAPH + "curation/aws-enterprise-strategy-blog"),
    )
    faults = check_statement(analyst.graph, analyst.facts, wrong)
    assert len(faults) == 2  # neither the article nor the blog states it
    # a source left out is a fault too
    partial = Cited(
        subject="https://w3id.org/tmkg/id/registration/cn-lumora",
        facts=((TM + "niceClass", "https://w3id.org/tmkg/id/nice/11"),),
        sources=(GRAPH + "lumora-extract",),
    )
    assert check_statement(analyst.graph, analyst.facts, partial) == [
        f"['{GRAPH}lumora-news'] also state {partial.facts} of {partial.subject}"
    ]


# ------------------------------------------------------------------ the examples


NAME = "https://schema.org/name"


def _graph_names(graphs: tuple[str, ...]) -> set[str]:
    return {g.removeprefix(GRAPH) for g in graphs}


def _names(sources: tuple) -> set[str]:
    return {s.graph.removeprefix(GRAPH) for s in sources}


def test_sinnet_ningxia_use_is_undated_and_nwcd_dates_its_own(analyst: Analyst) -> None:
    finding = analyst.priority("AWS", 42, "CN")
    claims = [c for c in finding.competing_claims if "Ningxia" in c.description]
    ningxia = {  # what each source says of the use (not of the names shown)
        (c.party.name, c.date): {
            g.removeprefix(GRAPH)
            for s in c.statements
            if s.subject not in _party_ids(c)
            for g in (*s.sources, *s.identities)
        }
        for c in claims
    }
    assert ningxia == {
        ("Beijing Sinnet Technology Co., Ltd.", None): {
            "aws-trademark-article",
            "curation/identities",
        },
        ("Ningxia Western Cloud Data Technology Co., Ltd.", "2017"): {
            "curation/aws-enterprise-strategy-blog"
        },
    }
    for claim in claims:  # the names shown (the operator, Amazon), each from its sources
        named = {
            s.subject: _names_of(s) for s in claim.statements if s.subject in _party_ids(claim)
        }
        assert named[claim.party.id] == _names_of(claim.party.name_statement)
        assert set(named) == _party_ids(claim)
        assert _names(claim.sources) == {
            g.removeprefix(GRAPH) for s in claim.statements for g in (*s.sources, *s.identities)
        }
    hits = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN")
    nwcd = next(h for h in hits if h.party.name.startswith("Ningxia"))
    about_nwcd = [
        s for s in nwcd.statements if nwcd.party.id in (s.subject, *dict(s.facts).values())
    ]
    assert about_nwcd and all(  # the article never names NWCD
        "aws-trademark-article" not in _names_of(s) for s in about_nwcd
    )
    assert _names_of(nwcd.party.name_statement) == {"curation/aws-enterprise-strategy-blog"}


def _party_ids(claim: CompetingClaim) -> set[str]:
    """The party of a claim and the brand owner its use is operated for."""
    behalf = [
        value for s in claim.statements for prop, value in s.facts if prop == TM + "onBehalfOf"
    ]
    return {claim.party.id, *behalf}


def _names_of(statement: Cited | None) -> set[str]:
    assert statement is not None
    return {g.removeprefix(GRAPH) for g in statement.sources}


def test_a_use_with_no_place_is_not_a_use_in_cn(analyst: Analyst) -> None:
    hits = analyst.who_else_uses("AWS", nice_class=42)
    amazon = {(h.jurisdiction, h.since) for h in hits if h.party.name == "Amazon.com Inc."}
    assert amazon == {(None, "2006"), ("CN", "2014")}
    rival = {
        (h.jurisdiction, h.since)
        for h in analyst.who_else_uses("LUMORA", nice_class=11)
        if h.party.name == "Rival Lamps Co."
    }
    assert rival == {(None, "2003"), ("CN", "2012")}


def test_two_filing_dates_are_both_shown_with_their_sources(analyst: Analyst) -> None:
    finding = analyst.priority("LUMORA", 11, "CN")
    assert finding.date == "2007-04-26"
    assert "2007-04-26 (Register extract for LUMORA (fictional))" in finding.explanation
    assert "2007-05-10 (Lamp Daily report on the LUMORA ruling (fictional))" in (
        finding.explanation
    )
    dates = {
        (value, sources)
        for s in finding.statements
        for prop, value in s.facts[-1:]
        if prop == TM + "filingDate"
        for sources in [s.sources]
    }
    assert dates == {
        ("2007-04-26", (GRAPH + "lumora-extract",)),
        ("2007-05-10", (GRAPH + "lumora-news",)),
    }
    # dates that refine one another (2004, 2004-09) are no disagreement
    assert "disagree" not in analyst.priority("AWS", 42, "CN").explanation


def test_a_use_given_another_user_by_another_source_is_that_users(analyst: Analyst) -> None:
    finding = analyst.priority("LUMORA", 11, "CN")
    shop = {(c.party.name, c.date): _names(c.sources) for c in finding.competing_claims}
    assert shop[("Lamp Mall Ltd.", "2015")] == {"lumora-news"}
    assert shop[("Lumora Lighting Co., Ltd.", None)] == {"lumora-extract"}


def test_timeline_words_come_from_the_sources_cited(analyst: Analyst) -> None:
    entries = analyst.timeline(case="aws-cn-2018")
    appeal = {  # the date and words (an entry's first statement), from one source each
        (e.description, tuple(sorted(_graph_names(e.statements[0].sources))))
        for e in entries
        if e.kind == "appeal"
    }
    assert appeal == {
        (
            "Amazon rejects the verdict and says it has appealed and will keep appealing.",
            ("aws-trademark-article",),
        ),
        (
            "Amazon said it had appealed to the Supreme People's Court.",
            ("curation/theregister",),
        ),
    }
    dated = next(e for e in entries if e.kind == "judgment" and e.date == "2020-05")
    # WSJ and The Register date the judgment and describe it with no words of their own
    assert _graph_names(dated.statements[0].sources) == {"curation/theregister", "curation/wsj"}
    assert "Beijing High People's Court found" not in dated.description
    # who is involved, and their names, each from the sources stating it
    amazon = analyst.find_party("Amazon").id
    for entry in entries:
        named = {s.subject: s for s in entry.statements if s.facts[0][0] == NAME}
        involves = {v for s in entry.statements[1:] for p, v in s.facts if p == TM + "involves"}
        assert involves <= set(named), entry.description
    appealing = next(e for e in entries if e.kind == "appeal")
    [said] = [s for s in appealing.statements if s.subject == amazon]
    assert said == analyst.find_party("Amazon").name_statement


def test_priority_of_an_unknown_mark_is_an_error_with_close_matches(analyst: Analyst) -> None:
    from kg import NotFound

    with pytest.raises(NotFound, match="no mark the same as or similar to 'QXQXQ'"):
        analyst.priority("QXQXQ", 11, "CN")
    result = run_kg(
        "priority", "Zzzzyphr Fanzz", "--memory", "--class", "11", "--jurisdiction", "US"
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "no mark the same as or similar to" in result.stderr


# ------------------------------------------------------------------ wording


def test_contradictions_read_as_plain_sentences(analyst: Analyst) -> None:
    found = {c.explanation for c in analyst.contradictions()}
    assert (
        "Sources disagree on the user of the use of 'AWS' in CN (Ningxia): Beijing Sinnet "
        "Technology Co., Ltd. and Ningxia Western Cloud Data Technology Co., Ltd." in found
    )
    assert (
        "Sources give registration No. 5012345 incompatible filing date values: "
        "2007-04-26 vs 2007-05-10." in found
    )
    for text in found:
        assert ".." not in text and "tm:" not in text and "aws-cn-" not in text, text


def test_lists_of_names_read_as_a_list() -> None:
    from kg.analysis.wording import joined, sentence

    assert joined([]) == ""
    assert joined(["A Ltd."]) == "A Ltd."
    assert joined(["A Ltd.", "B Co., Ltd."]) == "A Ltd. and B Co., Ltd."
    assert joined(["A", "B", "C"], "or") == "A, B or C"
    assert sentence("Paid by A Ltd.") == "Paid by A Ltd."
    assert sentence("Paid by A ") == "Paid by A."


def test_a_party_timeline_has_the_events_of_its_cases(analyst: Analyst) -> None:
    # the publication of the judgment names no party; Sinnet is a defendant in the case
    sinnet = {(e.date, e.kind) for e in analyst.timeline(party="Sinnet")}
    assert ("2020-12-30", "publication") in sinnet
    assert ("2018-07-12", "lawsuit filed") in sinnet
    assert all(
        kind != "publication"
        for _, kind in {(e.date, e.kind) for e in analyst.timeline(party="Zephyr Fans")}
    )


@pytest.mark.parametrize("case", CASES)
def test_case_summary_cites_each_value(analyst: Analyst, case: str) -> None:
    summary = analyst.case(case)
    assert summary.statements
    assert _faults(analyst, summary) == []


def test_a_case_cites_no_source_that_only_names_it(analyst: Analyst) -> None:
    # The Register, WSJ, stheadline... state only that the case exists (and its events)
    cited = _names(analyst.case("aws-cn-2018").sources)
    assert cited == {
        "aws-trademark-article",
        "curation/chinaiplawupdate",
        "curation/codercto",
        "curation/identities",
    }


@pytest.mark.parametrize("jurisdiction", [None, "CN", "US"])
def test_conflicts_cite_what_they_show_of_each_right(
    analyst: Analyst, jurisdiction: str | None
) -> None:
    pairs = analyst.conflicts(jurisdiction=jurisdiction)
    assert pairs and all(p.statements for p in pairs)
    assert _faults(analyst, pairs) == []


@pytest.mark.parametrize("case", CASES)
def test_judgments_cite_each_value(analyst: Analyst, case: str) -> None:
    judgments = analyst.judgments(case)
    assert bool(judgments) is (case != "novalux-v-nova-lux")  # that case has none
    assert _faults(analyst, judgments) == []


def test_claims_cite_each_value(analyst: Analyst) -> None:
    claims = analyst.claims()
    assert claims and _faults(analyst, claims) == []


def test_report_figure_edges_cite_their_sources_and_mark_disputes(analyst: Analyst) -> None:
    from kg.report.document import build_report

    report = build_report(analyst, case="aws-cn-2018")
    shown = report.network.shown
    number = {s.graph.removeprefix(GRAPH): n for n, s in enumerate(report.sources, 1)}
    labels = {
        frozenset((shown.nodes[a]["label"], shown.nodes[b]["label"])): data["label"]
        for a, b, data in shown.edges(data=True)
    }
    case = "(2018)京民初127号"
    actionsoft = "Beijing ActionSoft Science & Technology Development Co., Ltd."
    article, chinaip = number["aws-trademark-article"], number["curation/chinaiplawupdate"]
    label = labels[frozenset((case, actionsoft))]
    assert f"plaintiff [{', '.join(map(str, sorted((article, chinaip))))}]" in label
    assert f"pays [{article}] (disputed)" in label  # only the article makes ActionSoft pay
    # the Supreme People's Court is where The Register says Amazon appealed, not the first
    # instance's court
    assert labels[frozenset((case, "Supreme People's Court"))] == (
        f"appeal before [{number['curation/theregister']}]"
    )
    assert labels[frozenset((case, "Beijing High People's Court"))].startswith("before [")
    # every relation's sources are in the report's list
    for _a, _b, data in shown.edges(data=True):
        for relation in data["relations"]:
            assert all(s.graph.removeprefix(GRAPH) in number for s in relation.sources)


def test_contradictions_cite_each_side(analyst: Analyst) -> None:
    found = analyst.contradictions()
    assert len(found) >= 5 and all(s.statements for c in found for s in c.sides)
    assert _faults(analyst, found) == []


@pytest.fixture(scope="module")
def proceedings_analyst() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([DATA / "oppositions.trig"])
    yield Analyst(graph)
    graph.close()


def test_proceedings_and_their_conflicts_cite_each_value(proceedings_analyst: Analyst) -> None:
    analyst = proceedings_analyst
    found = analyst.proceedings()
    assert found and all(p.statements for p in found)
    assert check_answer(analyst.graph, analyst.facts, found) == []
    pairs = [p for p in analyst.conflicts() if p.proceedings]
    assert pairs and check_answer(analyst.graph, analyst.facts, pairs) == []
    for proceeding in found:
        entries = analyst.timeline(case=proceeding.id)
        assert check_answer(analyst.graph, analyst.facts, entries) == []


def _held(entry: TimelineEntry) -> set[str]:
    """The graphs an entry cites for its holding's facts (not for the names it gives)."""
    return {
        g.removeprefix(GRAPH)
        for s in entry.statements
        if s.facts[0][0] != NAME
        for g in (*s.sources, *s.identities)
    }


def test_a_holding_entry_cites_only_the_sources_giving_its_date(analyst: Analyst) -> None:
    begins = {
        (e.date, frozenset(_held(e)))
        for e in analyst.timeline(party="Sinnet")
        if e.kind == "use begins"
    }
    assert ("2016", frozenset({"curation/aws-enterprise-strategy-blog"})) in begins
    assert ("2016-08", frozenset({"curation/idcquan"})) in begins
    lumora = {(e.date, e.kind): e for e in analyst.timeline(party="Lumora Lighting")}
    first, second = lumora[("2007-04-26", "filing")], lumora[("2007-05-10", "filing")]
    assert _held(first) == {"lumora-extract"}
    assert "No. 5012345" in first.description
    # the news report gives no number: its filing date's entry does not borrow the extract's
    assert _held(second) == {"lumora-news", "lumora-notes"}
    # and the filer's name, from every graph naming it
    [named] = [s for s in first.statements if s.facts[0][0] == NAME]
    assert named == analyst.find_party("Lumora Lighting").name_statement
    assert "No." not in second.description


def test_records_with_no_number_are_named_by_what_they_are(tmp_path: Path) -> None:
    path = tmp_path / "unnumbered.trig"
    path.write_text(
        """@prefix tm: <https://w3id.org/tmkg/ontology#> . @prefix ex: <https://example.org/> .
@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
ex:g1 prov:wasDerivedFrom ex:s1 . ex:s1 dcterms:title "One" .
ex:g2 prov:wasDerivedFrom ex:s2 . ex:s2 dcterms:title "Two" .
ex:g1 { ex:a a tm:Company ; schema:name "Alpha Ltd." . ex:b a tm:Company ; schema:name "Beta Co." .
        ex:case1 a tm:Case ; tm:plaintiff ex:a ; tm:defendant ex:b .
        ex:judg1 a tm:Judgment ; tm:case ex:case1 ; tm:damages "100"^^xsd:decimal . }
ex:g2 { ex:judg1 a tm:Judgment ; tm:case ex:case1 ; tm:damages "200"^^xsd:decimal . }
""",
        encoding="utf-8",
    )
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load([path])
    [found] = Analyst(graph).contradictions()
    assert found.explanation == (
        "Sources give the judgment in case Alpha Ltd. v. Beta Co. incompatible damages "
        "values: 100 vs 200."
    )
    graph.close()


def test_a_case_with_no_number_is_named_by_its_parties(tmp_path: Path) -> None:
    path = tmp_path / "unnumbered.trig"
    path.write_text(
        """@prefix tm: <https://w3id.org/tmkg/ontology#> . @prefix ex: <https://example.org/> .
@prefix schema: <https://schema.org/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
ex:g1 prov:wasDerivedFrom ex:s1 . ex:s1 dcterms:title "One" .
ex:g1 { ex:a a tm:Company ; schema:name "Alpha Ltd." . ex:b a tm:Company ; schema:name "Beta Co." .
        ex:c a tm:Company ; schema:name "Gamma AG" .
        ex:case1 a tm:Case ; tm:plaintiff ex:a ; tm:defendant ex:b , ex:c . }
""",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    run_kg("load", path, "--store", store, check=True)
    out = run_kg("case", "https://example.org/case1", "--store", store, check=True).stdout
    assert "Alpha Ltd. v. Beta Co. and Gamma AG" in out and "example.org" not in out
    report = tmp_path / "case.md"
    run_kg("report", "--case", "https://example.org/case1", "--store", store, "-o", report)
    text = report.read_text(encoding="utf-8")
    assert "Case Alpha Ltd. v. Beta Co. and Gamma AG" in text
    assert "tmkg/id/case/https" not in text  # the SPARQL question names the case's own IRI
    missing = run_kg("timeline", "nosuchthing", "--store", store)
    assert missing.returncode != 0 and "no party or case named 'nosuchthing'" in missing.stderr


def test_report_path_steps_cite_their_sources(analyst: Analyst) -> None:
    from kg.report.document import build_report
    from kg.report.markdown import render_markdown

    report = build_report(analyst, party="Amazon")
    assert report.paths and all(step.sources for p in report.paths for step in p.steps)
    text = render_markdown(report)
    section = text.split("## Conflict paths", 1)[1].split("\n## ", 1)[0]
    steps = [line for line in section.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert steps and all("](#source-" in line for line in steps)


def test_a_hit_says_which_sources_give_its_since_date(analyst: Analyst) -> None:
    hits = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN")
    sinnet = next(h for h in hits if h.party.name.startswith("Beijing Sinnet") and h.since)
    assert (sinnet.since, _names(sinnet.since_sources)) == ("2016-08", {"curation/idcquan"})
    lumora = next(
        h
        for h in analyst.who_else_uses("LUMORA", nice_class=11)
        if h.kind.value == "REGISTERED_OWNER"
    )
    assert (lumora.since, _names(lumora.since_sources)) == ("2007-04-26", {"lumora-extract"})


def test_a_case_cites_the_names_it_gives_its_parties(
    analyst: Analyst, proceedings_analyst: Analyst
) -> None:
    """A case (and a proceeding before an office) shows its court, plaintiffs and defendants
    by name: each name is cited from the graphs stating it (helper-122)."""
    for who, case in (
        (analyst, "aws-cn-2018"),
        *((proceedings_analyst, p.id) for p in proceedings_analyst.proceedings()),
    ):
        summary = who.case(case)
        shown = {*summary.courts, *summary.plaintiffs, *summary.defendants}
        assert shown
        named = {s.subject: s for s in summary.statements if s.facts[0][0] == NAME}
        for party in shown:
            if party.name_statement is not None:
                assert named[party.id] == party.name_statement, (case, party.name)
        assert check_answer(who.graph, who.facts, [summary]) == []


def test_a_proceeding_and_its_timeline_cite_the_names_they_give(
    proceedings_analyst: Analyst,
) -> None:
    """`kg proceedings` and a proceeding's timeline entries show the opponent, the holder and
    the office by name: each name is cited (helper-123)."""
    analyst = proceedings_analyst
    for proceeding in analyst.proceedings():
        shown = [*proceeding.plaintiffs, *proceeding.holders]
        if proceeding.office is not None:
            shown.append(proceeding.office)
        named = {s.subject: s for s in proceeding.statements if s.facts[0][0] == NAME}
        for party in shown:
            if party.name_statement is not None:
                assert named[party.id] == party.name_statement, party.name
        for entry in analyst.timeline(case=proceeding.id):
            assert {s.subject for s in entry.statements if s.facts[0][0] == NAME} >= {
                p.id for p in shown if p.name_statement is not None and p.name in entry.parties
            }
        assert check_answer(analyst.graph, analyst.facts, [proceeding]) == []


def test_priority_cites_every_name_its_explanation_gives(analyst: Analyst) -> None:
    """The CN finding says Amazon claims earlier use: Amazon's name is cited beside the
    holder's (helper-123: only its competing claim cited it)."""
    finding = analyst.priority("AWS", 42, "CN")
    amazon = analyst.find_party("Amazon")
    assert amazon.name in finding.explanation
    assert amazon.name_statement in finding.statements
    assert {g for g in amazon.name_statement.sources} <= {s.graph for s in finding.sources}
    assert check_answer(analyst.graph, analyst.facts, [finding]) == []


def test_a_party_cites_each_of_its_aliases(analyst: Analyst) -> None:
    """helper-123 #6: aliases were shown (CLI, JSON, GraphQL) but not cited. Each alias has its
    statement, in the order of the aliases, citing exactly the graphs stating it (the sweeps
    above check every such statement); a name stated only as an alternateName is cited so."""
    hits = analyst.who_else_uses("AWS", 42, "CN")
    parties = {h.party.name: h.party for h in hits}
    assert any(p.aliases for p in parties.values())
    for party in parties.values():
        assert [s.facts[0][1] for s in party.alias_statements] == list(party.aliases)
        assert all(s.subject == party.id and s.sources for s in party.alias_statements)
    sinnet = parties["Beijing Sinnet Technology Co., Ltd."]
    said = {s.facts[0][1]: s for s in sinnet.alias_statements}
    assert said["光环新网"].facts == (("https://schema.org/alternateName", "光环新网"),)
    assert _graph_names(said["北京光环新网科技股份有限公司"].sources) == {
        "curation/chinaiplawupdate"
    }
    # an answer's own sources stay those of what it states: a party's other names are its own
    for hit in hits:
        assert not set(hit.party.alias_statements) & set(hit.statements)


SPLIT_RECORD = """@prefix tm: <https://w3id.org/tmkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/tmkg/id/> .
id:source\\/owners a tm:Source ; dcterms:title "Owners list (test)" ; tm:sourceKind "primary" .
id:graph\\/owners a tm:SourceGraph ; prov:wasDerivedFrom id:source\\/owners .
id:source\\/marks a tm:Source ; dcterms:title "Marks list (test)" ; tm:sourceKind "primary" .
id:graph\\/marks a tm:SourceGraph ; prov:wasDerivedFrom id:source\\/marks .
id:graph\\/owners {
  id:party\\/lux a tm:Company ; schema:name "Luxovant Medical Ltd." .
  id:party\\/bright a tm:Company ; schema:name "Bright Med Co." .
  id:mark\\/langming a tm:Mark ; tm:text "朗明" .
  id:registration\\/lux2 a tm:Registration ; tm:owner id:party\\/lux ;
    tm:jurisdiction id:jurisdiction\\/CN ; tm:niceClass id:nice\\/10 ;
    tm:applicationNumber "99000002" ; tm:filingDate "2013-01-01"^^xsd:date .
  id:registration\\/br1 a tm:Registration ; tm:mark id:mark\\/langming ;
    tm:owner id:party\\/bright ; tm:jurisdiction id:jurisdiction\\/CN ;
    tm:niceClass id:nice\\/10 ; tm:applicationNumber "99000003" ;
    tm:filingDate "2010-01-01"^^xsd:date .
}
id:graph\\/marks { id:registration\\/lux2 tm:mark id:mark\\/langming . }
"""


def test_a_holder_and_mark_stated_by_two_sources_cite_each(tmp_path: Path) -> None:
    """helper-125: with the owner in one file and the mark in another, the holding's
    statement ((owner, P), (mark, M)) cited no source at all: each is cited by its own."""
    data = tmp_path / "split.trig"
    data.write_text(SPLIT_RECORD, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        graph.load([data])
        analyst = Analyst(graph)
        conflicts = analyst.conflicts(jurisdiction="CN")
        hits = analyst.who_else_uses("朗明", 10, "CN")
        assert conflicts and len(hits) == 2
        for answer in (conflicts, hits):
            assert all(s.sources for s in statements_in(answer))
            assert check_answer(graph, analyst.facts, answer) == []
    finally:
        graph.close()
