"""The analyst's questions, answered on the seed and on a second case (tests/data), with the
same code: nothing here is specific to either case except the expected answers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, NotFound, Settings
from kg.analysis.arguments import ArgumentError
from kg.analysis.model import HoldingKind
from kg.analysis.service import Analyst
from kg.cli.output import json_array
from kg.errors import KGError
from tests.conftest import DATA


@pytest.fixture(scope="module")
def analyst() -> Iterator[Analyst]:
    graph = KnowledgeGraph.open(Settings(memory=True))
    graph.load_seed()
    graph.load([DATA / "second-case.trig", DATA / "own-case.ttl"])
    yield Analyst(graph)
    graph.close()


# ------------------------------------------------------------------ who else uses


def test_who_else_uses_aws_in_cn_class_42_excluding_amazon(analyst: Analyst) -> None:
    hits = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN", excluding="Amazon")
    owner = next(h for h in hits if h.kind is HoldingKind.REGISTERED_OWNER)
    names = {owner.party.name, *owner.party.aliases}
    assert any("ActionSoft" in n for n in names)
    assert any("Yanhuang Yingxing" in n for n in names)  # one party, both names
    assert owner.since == "2008-02-07"
    assert 42 in owner.classes
    assert owner.sources and all(s.title for s in owner.sources)
    operators = [h for h in hits if h.kind is HoldingKind.OPERATOR]
    assert operators and all(
        h.on_behalf_of and h.on_behalf_of.name == "Amazon.com Inc." for h in operators
    )
    assert all(h.party.name != "Amazon.com Inc." for h in hits)
    assert [h.party.id for h in hits].count(owner.party.id) == 1


def test_who_else_uses_finds_folded_and_transliterated_marks(analyst: Analyst) -> None:
    hits = analyst.who_else_uses(
        "NOVALUX", nice_class=11, jurisdiction="US", excluding="Novalux Lighting"
    )
    assert {(h.party.name, h.mark.text) for h in hits} == {
        ("Nova Lux GmbH", "Nova-Lux"),
        ("Brightway Distribution LLC", "Nova-Lux"),
    }
    assert all("folded" in h.reasons for h in hits)
    tesla = analyst.who_else_uses("TESLA", nice_class=12, jurisdiction="CN", excluding="Tesla")
    assert [(h.party.name, h.mark.text) for h in tesla] == [("Zhan Baosheng", "特斯拉")]
    assert "transliteration" in tesla[0].reasons


def test_who_else_uses_filters_by_date_place_and_class(analyst: Analyst) -> None:
    before_operators = analyst.who_else_uses(
        "AWS", jurisdiction="CN", as_of="2015-01-01", excluding="ActionSoft"
    )
    # Sinnet's dated uses (Beijing, 2016) begin later; the seed article's use of the Ningxia
    # region by "Huanghuanxin.com" (Sinnet) has no date, and no source dates it (the AWS blog
    # dates NWCD's, issue 16), so an undated use is kept
    found = {(h.party.name, h.since) for h in before_operators}
    assert found == {("Amazon.com Inc.", "2014"), ("Beijing Sinnet Technology Co., Ltd.", None)}
    assert analyst.who_else_uses("AWS", jurisdiction="US") == []
    assert analyst.who_else_uses("NOVALUX", nice_class=1, jurisdiction="US") == []


def test_unknown_names_are_errors_with_suggestions(analyst: Analyst) -> None:
    with pytest.raises(NotFound, match=r"no party named 'Amazn'.*Amazon"):
        analyst.who_else_uses("AWS", excluding="Amazn")
    with pytest.raises(ArgumentError, match="unknown jurisdiction 'XX'"):
        analyst.who_else_uses("AWS", jurisdiction="XX")  # no ISO 3166-1 code: a usage error
    with pytest.raises(NotFound, match="no party named"):
        analyst.conflict_path("Amazon", "Nobody Ltd")


# ------------------------------------------------------------------ conflicts


def test_conflicts_rank_registered_owner_against_user(analyst: Analyst) -> None:
    conflicts = analyst.conflicts(jurisdiction="CN")
    pairs = {frozenset(p.name for p in c.parties): c for c in conflicts}
    top = pairs[
        frozenset(
            {"Amazon.com Inc.", "Beijing ActionSoft Science & Technology Development Co., Ltd."}
        )
    ]
    assert top.score >= 0.9
    assert any("registered" in r for r in top.reasons)
    assert any("case" in r for r in top.reasons)
    # A partner operating for Amazon is not in conflict with Amazon.
    assert not any(
        {"Amazon.com Inc.", "Beijing Sinnet Technology Co., Ltd."} == set(k) for k in pairs
    )
    us = analyst.conflicts(jurisdiction="US", nice_class=11)
    assert {frozenset(p.name for p in c.parties) for c in us} >= {
        frozenset({"Novalux Lighting Inc.", "Nova Lux GmbH"})
    }


def test_conflict_scores_are_ordered_and_explained(analyst: Analyst) -> None:
    conflicts = analyst.conflicts()
    scores = [c.score for c in conflicts]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= c.score <= 1 and c.reasons and c.sources for c in conflicts)


# ------------------------------------------------------------------ paths


def test_path_amazon_to_actionsoft_is_found_and_explained(analyst: Analyst) -> None:
    path = analyst.conflict_path("Amazon", "ActionSoft")
    assert path is not None and 1 <= path.length <= 6
    assert path.steps[0].source == path.origin.id
    assert path.steps[-1].target == path.destination.id
    assert all(step.explanation for step in path.steps)
    assert "Amazon.com Inc." in path.summary


def test_all_paths_include_the_path_through_the_mark(analyst: Analyst) -> None:
    paths = analyst.conflict_paths("Amazon", "ActionSoft", 4, every=True)
    assert len(paths) > 1
    order = [("mark conflict", "proceeding", "business tie", "other").index(p.kind) for p in paths]
    assert order == sorted(order)
    through_mark = [p for p in paths if p.kind == "mark conflict"]
    assert through_mark and through_mark[0] is paths[0]
    assert any("owns registration" in s.explanation for s in through_mark[0].steps)


def test_path_in_the_second_case_and_cluster(analyst: Analyst) -> None:
    path = analyst.conflict_path("Brightway Distribution", "Novalux Lighting")
    assert path is not None
    cluster = {p.name for p in analyst.conflict_cluster("Nova Lux GmbH")}
    assert {"Nova Lux GmbH", "Novalux Lighting Inc.", "Brightway Distribution LLC"} <= cluster
    assert "Amazon.com Inc." not in cluster


def test_no_path_when_too_short(analyst: Analyst) -> None:
    assert analyst.conflict_path("Amazon", "Novalux Lighting", max_length=2) is None


# ------------------------------------------------------------------ priority


def test_priority_in_cn_goes_to_the_earliest_filing(analyst: Analyst) -> None:
    finding = analyst.priority("AWS", 42, "CN")
    assert finding.rule == "first-to-file"
    assert finding.holder is not None and "ActionSoft" in finding.holder.name
    assert finding.date is not None and finding.date.startswith("2004")
    assert "Art. 31" in (finding.rule_basis or "")
    claims = [c for c in finding.competing_claims if c.party.name == "Amazon.com Inc."]
    assert any(c.basis == "claim of first use" for c in claims)
    assert any(c.basis == "use" and c.date == "2014" for c in claims)


def test_priority_in_us_counts_a_registrations_filing_as_use(analyst: Analyst) -> None:
    """First-to-use, with Lanham Act §7(c): Nova Lux GmbH's registered mark counts from its
    filing (2011-09-01), before Novalux Lighting's first use (2012-05)."""
    finding = analyst.priority("NOVALUX", 11, "US")
    assert finding.rule == "first-to-use"
    assert finding.holder is not None and finding.holder.name == "Nova Lux GmbH"
    assert finding.date == "2011-09-01"
    assert "constructive use" in finding.explanation and "§1057(c)" in finding.explanation
    later_use = [
        c
        for c in finding.competing_claims
        if c.basis == "use" and c.party.name == "Novalux Lighting Inc."
    ]
    assert later_use and later_use[0].date == "2012-05"


def test_an_earlier_use_beats_a_registrations_filing(analyst: Analyst) -> None:
    """Before Nova Lux GmbH's registration (2012-08-14) its application was pending: its filing
    decides nothing yet, and the first user holds priority."""
    finding = analyst.priority("NOVALUX", 11, "US", as_of="2012-06")
    assert finding.holder is not None and finding.holder.name == "Novalux Lighting Inc."
    assert "once the application is registered" in finding.explanation


def test_priority_without_a_known_rule_decides_nothing(analyst: Analyst) -> None:
    finding = analyst.priority("AWS", 42, "FR")
    assert finding.holder is None


# ------------------------------------------------------------------ timeline, contradictions


def test_case_timeline_keeps_each_sources_date(analyst: Analyst) -> None:
    entries = analyst.timeline(case="aws-cn-2018")
    suits = [e for e in entries if e.kind == "lawsuit filed"]
    assert [e.date for e in suits] == ["2018-07", "2018-07-09", "2018-07-12"]
    # each date with its source's words from one source (the entry also cites who is involved)
    assert all(len(e.statements[0].sources) == 1 for e in suits)
    assert entries[-1].date is None  # undated last
    dated = [e.date for e in entries if e.date]
    assert dated == sorted(dated)


def test_party_timeline_includes_filings_and_uses(analyst: Analyst) -> None:
    entries = analyst.timeline(party="ActionSoft")
    kinds = {(e.kind, e.date) for e in entries}
    assert ("registration", "2008-02-07") in kinds
    assert ("filing", "2004-09") in kinds
    second = analyst.timeline(party="Nova Lux GmbH")
    assert [e.kind for e in second][:2] == ["filing", "registration"]


def test_contradictions_report_who_pays_and_the_dates(analyst: Analyst) -> None:
    found = analyst.contradictions()
    kinds = {(c.kind, c.subject.rsplit("/", 1)[-1]) for c in found}
    assert ("payer is also payee", "aws-cn-2018-judgment") in kinds
    assert ("conflicting values", "aws-cn-2018-lawsuit-filed") in kinds
    assert ("conflicting values", "novalux-suit") in kinds
    payer = next(c for c in found if c.kind == "payer is also payee")
    assert all(side.sources for side in payer.sides)
    # 76.46 million is 76,463,000 rounded: not a contradiction.
    assert not any("damages" in c.property for c in found)


def test_results_convert_to_json_and_rows(analyst: Analyst) -> None:
    hit = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN")[0]
    data = json.loads(hit.to_json())
    assert data["kind"] in {"REGISTERED_OWNER", "USER", "OPERATOR"}
    row = hit.row()
    assert isinstance(row["party"], str) and isinstance(row["sources"], str)


def test_a_hit_of_several_rights_gives_the_class_note_of_the_closest(analyst: Analyst) -> None:
    """ActionSoft's hit merges its registrations in classes 9, 42 and one stating none: the
    hit says why its relatedness is 1.0 ("same class 42"), not every right's note."""
    hits = analyst.who_else_uses("AWS", nice_class=42, jurisdiction="CN")
    actionsoft = next(h for h in hits if "ActionSoft" in h.party.name)
    assert len(actionsoft.holdings) > 1 and actionsoft.class_relatedness == 1.0
    notes = [r for r in actionsoft.reasons if "class" in r]
    assert notes == ["same class 42"], actionsoft.reasons


def test_a_contradiction_within_one_source_says_one_source(tmp_path) -> None:
    from tests.test_conflict_batches import PREFIXES, source_of

    trig = f"""{PREFIXES}
graph:one-record {{
  party:solo a tm:Company ; schema:name "Solo Ltd" .
  mark:solo a tm:Mark ; tm:text "SOLOMARK" .
  reg:solo a tm:Registration ; tm:mark mark:solo ; tm:owner party:solo ;
    tm:jurisdiction cc:GB ; tm:registrationNumber "SOLO-1" ;
    tm:filingDate "2019-01-01"^^xsd:date , "2020-08-01"^^xsd:date .
}}
{source_of("one-record", "one register record")}
"""
    (tmp_path / "solo.trig").write_text(trig, encoding="utf-8")
    graph = KnowledgeGraph.open(Settings(memory=True))
    try:
        graph.load([tmp_path / "solo.trig"])
        [found] = [c for c in Analyst(graph).contradictions() if "filingDate" in c.property]
        assert found.explanation.startswith("One source gives registration No. SOLO-1")
    finally:
        graph.close()


def test_contradictions_about_some_subjects_are_the_whole_lists(analyst: Analyst) -> None:
    """`contradictions(subjects=...)` reads only the statements about those subjects (any IRI
    of their owl:sameAs groups) and finds what the whole list finds about them; what is not
    an IRI names nothing."""
    whole = analyst.contradictions()
    canonical = analyst.facts.identities.canonical
    subjects = sorted({canonical(c.subject) for c in whole})
    assert len(subjects) >= 3
    for subject in subjects:
        expected = [c.to_dict() for c in whole if canonical(c.subject) == subject]
        for named in analyst.facts.identities.members(subject):  # any IRI of it
            found = analyst.contradictions(subjects=[named, "_:b0", "not an IRI> }"])
            assert [c.to_dict() for c in found] == expected
    both = analyst.contradictions(subjects=subjects[:2])
    assert [c.to_dict() for c in both] == [
        c.to_dict() for c in whole if canonical(c.subject) in subjects[:2]
    ]
    assert analyst.contradictions(subjects=[]) == []


def test_a_party_timeline_of_some_marks_is_its_entries_about_them(analyst: Analyst) -> None:
    """`timeline(party=..., marks=...)`: the entries of the party's whole timeline about its
    rights and uses of those marks, read without its other rights."""
    compared = 0
    for party, text in (("ActionSoft", "AWS"), ("Amazon", "AWS"), ("Nova Lux GmbH", "NOVALUX")):
        marks = {analyst.facts.identities.canonical(m) for m in analyst.find_mark(text)}
        rights = {h.id for h in analyst.facts.holdings(marks)}
        whole = analyst.timeline(party=party)
        expected = [e.to_dict() for e in whole if e.subject in rights]
        assert [e.to_dict() for e in analyst.timeline(party=party, marks=marks)] == expected
        assert len(expected) < len(whole)  # its events, and any other right, left out
        compared += len(expected)
    assert compared >= 4
    assert analyst.timeline(party="ActionSoft", marks=set()) == []
    with pytest.raises(KGError):
        analyst.timeline(case="aws-cn-2018", marks=marks)


def _one_query_rows(analyst: Analyst, pattern: str) -> set[tuple]:
    """The events' rows as one query gives them (the events as a sub-SELECT)."""
    tm = "https://w3id.org/tmkg/ontology#"
    rows = analyst.facts.select(
        f"""SELECT ?e ?type ?date ?desc ?g WHERE {{
              {{ SELECT DISTINCT ?e WHERE {{ {pattern} }} }}
              GRAPH ?g {{ ?e a ?type . OPTIONAL {{ ?e <{tm}date> ?date }}
                          OPTIONAL {{ ?e <http://purl.org/dc/terms/description> ?desc }} }} }}"""
    )
    return {(r["e"], r["type"], r["date"], r["desc"], r["g"]) for r in rows}


def test_a_timeline_reads_its_events_as_one_query_would(analyst: Analyst) -> None:
    """The events of a timeline are found, then read by name (two cheap queries): the same
    rows as the one query that made Oxigraph read the whole store."""
    tm = "https://w3id.org/tmkg/ontology#"
    compared = 0
    for case in analyst.facts.cases():
        pattern = f"?e <{tm}case> <{case}>"
        rows = analyst.facts._event_rows(pattern)
        assert {(r["e"], r["type"], r["date"], r["desc"], r["g"]) for r in rows} == (
            _one_query_rows(analyst, pattern)
        )
        compared += len(rows)
    for party in ("ActionSoft", "Amazon", "Nova Lux GmbH"):
        who = analyst.find_party(party).id
        pattern = f"?e <{tm}involves>|<{tm}payer>|<{tm}payee> <{who}>"
        rows = analyst.facts._event_rows(pattern)
        assert {(r["e"], r["type"], r["date"], r["desc"], r["g"]) for r in rows} == (
            _one_query_rows(analyst, pattern)
        )
        compared += len(rows)
    assert compared >= 10


def test_the_events_of_cases_read_together_are_each_cases_timeline(analyst: Analyst) -> None:
    """`events_by_case` (GraphQL's case events, a party report's cases) reads the events of
    many cases at once, by name: each case's entries are its timeline's."""
    cases = sorted(analyst.facts.cases())
    together = analyst.facts.events_by_case(cases)
    canonical = analyst.facts.identities.canonical
    compared = 0
    for case in cases:
        expected = sorted(str(e.to_dict()) for e in analyst.timeline(case=case))
        assert sorted(str(e.to_dict()) for e in together[canonical(case)]) == expected
        compared += len(expected)
    assert compared >= 10


def test_suggestions_do_not_depend_on_the_order_of_the_names() -> None:
    from kg.analysis.service import _suggest

    names = [f"Qqq Holdings {n}" for n in (10, 11, 12, 13, 14, 15, 16, 17, 18, 19)]
    first = _suggest("Qqq Holdings 1", {name: set() for name in names})
    again = _suggest("Qqq Holdings 1", {name: set() for name in reversed(names)})
    assert first == again == "did you mean 'Qqq Holdings 10', 'Qqq Holdings 11', 'Qqq Holdings 12'?"


def test_to_dict_is_what_asdict_gives_plain(analyst: Analyst) -> None:
    """`Result.to_dict` walks a result once: the same dict as ``dataclasses.asdict`` with
    enums as their values and tuples as lists, for every kind of answer."""
    import dataclasses
    from enum import Enum

    def plain(value: object) -> object:
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    answers = [
        *analyst.who_else_uses("AWS", 42, "CN"),
        *analyst.conflicts(),
        *analyst.conflict_paths("Amazon", "ActionSoft"),
        *analyst.timeline("Amazon"),
    ]
    assert {type(answer).__name__ for answer in answers} >= {"MarkUsage", "ConflictPair"}
    for answer in answers:
        assert answer.to_dict() == plain(dataclasses.asdict(answer))  # type: ignore[call-overload]
    # the CLI's JSON (orjson writing the dataclasses themselves), in parts: the same text
    listed = json.dumps([a.to_dict() for a in answers], ensure_ascii=False, indent=2) + "\n"
    for block in (1, 3, len(answers), 1000):
        assert "".join(json_array(answers, block)) == listed
    assert "".join(json_array([])) == "[]\n"


def test_a_mark_found_by_its_text_is_every_mark_of_that_text(analyst: Analyst) -> None:
    """`find_mark` asks the store for the marks of a text (`FactBase.marks_with_text`): for
    every text of the store,
    the marks of exactly that text, sorted (a folded or close text finds the close marks,
    as before); a text no mark has raises NotFound with the closest texts."""
    from kg.errors import NotFound

    marks = analyst.facts.marks
    for text in set(marks.values()):
        assert analyst.find_mark(text) == sorted(i for i, t in marks.items() if t == text)
    assert len(set(marks.values())) >= 5
    assert analyst.find_mark("a.w.s.") == analyst.find_mark("AWS")
    with pytest.raises(NotFound) as raised:
        analyst.find_mark("NOVALUXE GMBH HOLDINGS WORLDWIDE")
    assert raised.value.suggestion and "NOVALUX" in raised.value.suggestion


def test_a_mark_of_quotes_and_backslashes_is_found_by_its_text() -> None:
    """The text is asked of the store as an escaped literal: quotes, backslashes and braces
    are text, never SPARQL."""
    from tests.test_suggestions import marks_of_texts

    texts = ['ACME "QUOTED"', "BACK\\SLASH", "BRACE } { ?m", "ÉCLAIR'S"]
    graph = marks_of_texts(texts, "odd")
    try:
        analyst = Analyst(graph)
        for n, text in enumerate(texts):
            assert analyst.find_mark(text) == [f"https://w3id.org/tmkg/id/mark/odd-{n}"]
    finally:
        graph.close()
