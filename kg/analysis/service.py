"""The analysis service: one object the CLI, GraphQL and reports all call.

It reads facts through `kg.analysis.facts.FactBase` (cached until the graph changes), resolves
names, and hands plain data to the pure analysis functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import heapq
import re
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from kg.analysis import arguments, conflict_file, conflict_memo
from kg.analysis import watch as watch_reading
from kg.analysis.combined_marks import (
    COMBINED_REASON,
    COMBINED_SCORE,
    combined_equivalents,
    combined_pairs,
)
from kg.analysis.conflict_file import ConflictFile, conflict_file_path_for
from kg.analysis.conflict_memo import (
    KeptConflicts,
    brought_up,
    holders_on_any_date,
    parties_to_search,
    row_keys,
)
from kg.analysis.conflicts import (
    CONFLICT_BATCH_MARKS,
    DEFAULT_MIN_SCORE,
    SimilarTexts,
    conflict_marks_by_place,
    conflict_rank,
    find_conflicts,
    merge_conflicts,
    place_batches,
    rule_notes,
    top_conflicts,
)
from kg.analysis.contradictions import ONE_PARTY_PER_SOURCE, SINGLE_VALUED, find_contradictions
from kg.analysis.coverage import counted_in, memberships, read_coverage
from kg.analysis.dates import PartialDate
from kg.analysis.designations import set_aside_notes, without_designations
from kg.analysis.elements import distinctive_words
from kg.analysis.evidence import EvidencePair, Statement, cite_pairs, with_evidence
from kg.analysis.facts import A_PARTY, FactBase
from kg.analysis.gc_pause import collector_paused, settle_long_lived, thaw_long_lived
from kg.analysis.holdings_projection import (
    HoldingsProjection,
    projection_path_for,
    touches_every_holding,
    user_key,
)
from kg.analysis.judgment_facts import read_claims, read_judgments
from kg.analysis.judgments import Claim, Judgment
from kg.analysis.lifecycle import on_date
from kg.analysis.mark_index import MarkIndex, index_path_for
from kg.analysis.mark_kinds import verbal_candidates, verbal_element_marks, word_similarities
from kg.analysis.model import (
    CaseSummary,
    ConflictPair,
    ConflictPath,
    Contradiction,
    Holding,
    MarkComparison,
    MarkUsage,
    PartyRef,
    PriorityFinding,
    ResultList,
    SearchHit,
    TimelineEntry,
    TopResults,
)
from kg.analysis.owner_names import OWNER_REASON, OWNER_SCORE, owner_equivalents, owner_pairs
from kg.analysis.paths import conflict_paths as find_paths
from kg.analysis.priority import priority
from kg.analysis.proceedings import (
    Proceeding,
    ProceedingKeys,
    check_kind,
    check_outcome,
    proceeding_keys,
    proceeding_timeline,
    read_proceedings,
    select_proceedings,
    with_proceeding_conflicts,
)
from kg.analysis.register_states import states_on
from kg.analysis.registration_claims import prior_use_basis, with_wordless_note
from kg.analysis.search import DEFAULT_MIN_SCORE as DEFAULT_MIN_SEARCH_SCORE
from kg.analysis.search import search_hits
from kg.analysis.similarity import (
    DEFAULT_MIN_SIMILARITY,
    MAX_MARK_LENGTH,
    MarkSimilarity,
    comparable_form,
    compare,
    compared_element,
    normalize,
    said_by_letters,
)
from kg.analysis.sparql_text import batches, iri_values, is_iri
from kg.analysis.stated_texts import (
    SAME_MARK,
    STATED_SCORE,
    equivalents_of,
    stated_matches,
    stated_pairs,
)
from kg.analysis.timeline import order_timeline
from kg.analysis.usage import who_else_uses
from kg.analysis.verbal import verbal_element
from kg.analysis.watch_model import Watch, WatchHit
from kg.errors import KGError, NotFound
from kg.graph import KnowledgeGraph
from kg.lazy import lazy_module
from kg.reference import USPTO_STATUS_SCHEME, regional_codes
from kg.store import Store
from kg.store.write_stamp import WriteStamp
from kg.text_characters import one_line

numpy = lazy_module("numpy")  # loaded on first use (~0.1 s): kg.lazy

__all__ = ["Analyst", "index_marks"]

TM = "https://w3id.org/tmkg/ontology#"
_WORD = re.compile(r"[^\w]+", re.UNICODE)
_EVIDENCE_CAPS = {COMBINED_REASON: COMBINED_SCORE, OWNER_REASON: OWNER_SCORE}
"""The highest score each kind of evidence gives a mark found through it (a stated
translation's: `STATED_SCORE`)."""


CLUSTER_SEARCH_SHARE = 0.05
"""`Analyst.conflict_cluster` searches outwards from its party while the parties reached
hold at most this share of the register's marks, then reads the register's conflicts once:
a party search costs about what the marks it reads cost (at 100,000 marks a few parties'
~0.2-1.4 s, one of 21 parties holding ~15,000 marks 47 s, the register's 45 s)."""


SUGGESTION_FLOOR = 0.6
"""A mark text not found is answered with the marks' texts scoring this much or more with it
(`Analyst._mark_suggestion`): below the 0.8 of a conflict, so that a misspelt text meets the
mark meant (``LOCALIEQ`` -> ``LOCALIEX``), and above what two unrelated words score."""


class Analyst:
    """Answers an IP analyst's questions over one knowledge graph.

    >>> from kg import KnowledgeGraph, Settings
    >>> graph = KnowledgeGraph.open(Settings(memory=True)); _ = graph.load_seed()
    >>> analyst = Analyst(graph)
    >>> analyst.find_party("ActionSoft").name
    'Beijing ActionSoft Science & Technology Development Co., Ltd.'
    """

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.graph = graph
        # Every Analyst over one graph shares its facts and mark index, so creating one per
        # request (as the HTTP shells do) costs nothing.
        self._shared: _Shared = _shared_of(graph)

    @property
    def facts(self) -> FactBase:
        """The cached facts, rebuilt when the graph has changed since."""
        return self._shared.facts()

    # ------------------------------------------------------------ lookups

    def find_party(self, name: str) -> PartyRef:
        """A party by IRI, name or alias (NFKC, case-insensitive, whole words); else NotFound.

        An exact name wins; then one equal once legal forms are set aside on both sides
        (`kg.analysis.designations.without_designations`: ``韓商LG生活健康`` finds
        ``韓商ＬＧ生活健康股份有限公司``, ``Kestrel Beverages`` finds ``Kestrel Beverages
        Limited``); otherwise the party whose name the words cover best. An unknown name
        raises `NotFound` naming it and suggesting close names.
        """
        facts = self.facts
        wanted = name.strip()
        if wanted.startswith(("http://", "https://")):  # an IRI: no need to read every party
            known = facts.known_party(wanted)
            if known is not None:
                return known
        parties = facts.all_parties()
        if wanted in parties or facts.identities.canonical(wanted) in parties:
            return parties[facts.identities.canonical(wanted)]
        folded = _folded(wanted)
        by_name: dict[str, set[str]] = {}
        for party in parties.values():
            for text in (party.name, *party.aliases, *(i.rsplit("/", 1)[-1] for i in party.iris)):
                by_name.setdefault(text, set()).add(party.id)
        exact = {pid for text, ids in by_name.items() if _folded(text) == folded for pid in ids}
        if len(exact) == 1:
            return parties[exact.pop()]
        bare = _folded(without_designations(wanted))
        if bare and not exact:  # a name without its legal form (Chinese names have no spaces)
            found = {
                pid
                for text, ids in by_name.items()
                if _folded(without_designations(text)) == bare
                for pid in ids
            }
            if len(found) == 1:
                return parties[found.pop()]
        words = set(_tokens(wanted))
        coverage: dict[str, float] = {}
        for text, ids in by_name.items():
            tokens = _tokens(text)
            if words and words <= set(tokens):
                for pid in ids:
                    coverage[pid] = max(coverage.get(pid, 0.0), len(words) / len(tokens))
        if coverage:
            ranked = sorted(coverage.items(), key=lambda item: -item[1])
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                return parties[ranked[0][0]]
            names = ", ".join(sorted(parties[pid].name for pid, c in ranked if c == ranked[0][1]))
            raise NotFound(f"party name {name!r} is ambiguous", suggestion=f"one of: {names}")
        # its names and aliases, not the last parts of its IRIs (the same party again)
        shown = {text for party in parties.values() for text in (party.name, *party.aliases)}
        raise NotFound(f"no party named {name!r}", suggestion=_suggest(wanted, shown))

    def find_mark(self, text: str) -> list[str]:
        """IRIs of marks with this text, folded (``"a.w.s."`` finds ``"AWS"``); else NotFound."""
        text = one_line(text)  # as an import reads a mark
        facts = self.facts
        same = facts.marks_with_text(text)
        if same:
            return same
        close = self._similar_marks(text, 0.95)
        if close:
            return sorted(close)
        raise NotFound(f"no mark with the text {text!r}", suggestion=self._mark_suggestion(text))

    def _mark_suggestion(self, text: str) -> str | None:
        """ "did you mean …?" with the three texts of the register's marks most like `text`:
        by tmkg's own similarity (`compare`, `SUGGESTION_FLOOR` or more: the marks an examiner
        would read alike, found by the mark index's blocking keys, ~10-100 ms at a million
        marks), best first and, at equal scores, in alphabetical order; for a text no rule
        reads like any mark, by spelling (`_suggest`, without pieces: `compare` reads a mark
        that begins or holds `text`; ~0.6 s at a million marks). None when nothing is
        close."""
        marks = self.facts.marks
        best: dict[str, float] = {}
        for iri, similarity in self._similar_marks(text, SUGGESTION_FLOOR).items():
            found = marks[iri]
            best[found] = max(best.get(found, 0.0), similarity.score)
        return _did_you_mean(best) if best else _suggest(text, set(marks.values()), pieces=False)

    def _check_mark_text(self, text: str, what: str = "the mark") -> None:
        """Refuse a text longer than a mark may be, unless the store holds it as a mark."""
        if len(text) > MAX_MARK_LENGTH and text not in self.facts.marks.values():
            raise KGError(
                f"{what} is {len(text):,} characters long, more than the {MAX_MARK_LENGTH} a "
                "mark may have",
                suggestion="give the mark's text (a name or a slogan), not a document",
            )

    def _similar_marks(self, text: str, min_similarity: float) -> dict[str, MarkSimilarity]:
        self._check_mark_text(text)
        _check_comparable(text, "mark")
        facts = self.facts
        # a mark of the register asked about: its similar marks were compared as it was loaded
        stored = facts.mark_index.similar_marks(text, min_similarity)
        if stored is not None:
            return stored
        found = {}
        for iri in facts.mark_index.candidates(text, min_similarity):
            similarity = compare(text, facts.marks[iri])
            if similarity.score >= min_similarity:
                found[iri] = similarity
        return found

    def _evidence_pairs(self, min_similarity: float) -> list[EvidencePair]:
        """The pairs of marks the graph says match, as who-else-uses reads them (combined
        marks, stated translations and transliterations), with the statements cited."""
        facts = self.facts
        canonical = facts.identities.canonical
        pairs = [
            *combined_pairs(facts.marks, self._similar_marks, min_similarity, canonical),
            *owner_pairs(facts, self._similar_marks, min_similarity, canonical),
            *stated_pairs(
                facts, facts.select, facts.marks, self._similar_marks, min_similarity, canonical
            ),
        ]
        return cite_pairs(facts.select, pairs)

    def _check_jurisdiction(self, code: str | None) -> str | None:
        if code is None:
            return None
        code = arguments.jurisdiction(code)  # a well-formed code before any query sees it
        if not self.facts.jurisdiction_exists(code):
            raise arguments.unknown_jurisdiction(code)
        return code

    @staticmethod
    def _check_class(nice_class: int | None) -> int | None:
        return None if nice_class is None else arguments.nice_class(nice_class)

    # ------------------------------------------------------------ questions

    @staticmethod
    def set_aside(mark: str) -> tuple[str, ...]:
        """What comparing `mark` sets aside as naming no source (a legal form, an address),
        as the reasons of every hit of `who_else_uses(mark)` say it: one note, or none
        (`kg.analysis.designations.set_aside_notes`)."""
        return set_aside_notes(arguments.text(mark, "mark"))

    @staticmethod
    def compare(
        earlier: str,
        later: str,
        jurisdiction: str | None = None,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
    ) -> MarkComparison:
        """Two marks compared as `who_else_uses` and `conflicts` compare every pair
        (`kg.analysis.similarity.compare`, rules and sources in docs/similarity.md), with
        the rules that fired and notes on what was compared; the store is not read.

        `jurisdiction` (ISO 3166-1 alpha-2, or EM, BX, OA, WO) names the office whose
        placeholders for a figure apply (``圖形`` in TW, ``图形`` in CN); None: every
        office's. Raises `ArgumentError` for a blank text, one of more than
        `MAX_MARK_LENGTH` characters or without letters or digits, a jurisdiction that is
        no ISO 3166-1 alpha-2 or WIPO ST.3 regional code (``UK``: GB is meant) or a
        `min_similarity` outside 0-1.

        >>> found = Analyst.compare("UBER", "UBER EATS")
        >>> found.score, found.similar, found.reasons
        (0.85, True, ('containment',))
        >>> Analyst.compare("STEELCASE INC.", "STEELCARE LLC").compared_earlier
        'STEELCASE'
        """
        checked = arguments.check(
            earlier=earlier, later=later, jurisdiction=jurisdiction, min_similarity=min_similarity
        )
        earlier, later, jurisdiction = checked["earlier"], checked["later"], checked["jurisdiction"]
        if jurisdiction is not None and not isinstance(
            unknown := arguments.unknown_jurisdiction(jurisdiction), NotFound
        ):
            raise unknown  # no country or regional system (UK, EU, XX): a code of no office
        for text, what in ((earlier, "earlier"), (later, "later")):
            if len(text) > MAX_MARK_LENGTH:
                raise arguments.ArgumentError(
                    what,
                    f"the {what} mark is {len(text):,} characters long, more than the "
                    f"{MAX_MARK_LENGTH} a mark may have",
                    suggestion="give the mark's text (a name or a slogan), not a document",
                )
            _check_comparable(text, what)
        found = compare(earlier, later, jurisdiction)
        elements = compared_element(earlier, jurisdiction), compared_element(later, jurisdiction)
        figures = tuple(
            f"{text!r} names a figure, not words: only verbal elements are compared"
            if verbal is None
            else f"{text!r} is compared by its words {verbal!r}: the rest names its figure"
            for text in dict.fromkeys((earlier, later))
            if (verbal := verbal_element(text, jurisdiction)) != text
        )
        spelled = tuple(
            f"{verbal!r} is initials, said letter by letter: not compared by sound"
            for verbal in dict.fromkeys(elements)
            if verbal is not None and said_by_letters(verbal)
        )
        read = rule_notes(earlier, later, found.reasons, jurisdiction)
        notes = tuple(dict.fromkeys((*figures, *spelled, *read, *set_aside_notes(earlier, later))))
        return MarkComparison(
            earlier=earlier,
            later=later,
            score=found.score,
            similar=found.score >= checked["min_similarity"],
            min_similarity=checked["min_similarity"],
            reasons=found.reasons,
            notes=notes,
            compared_earlier=elements[0],
            compared_later=elements[1],
            romanized_earlier=comparable_form(earlier, jurisdiction),
            romanized_later=comparable_form(later, jurisdiction),
            jurisdiction=jurisdiction,
        )

    def who_else_uses(
        self,
        mark: str,
        nice_class: int | None = None,
        jurisdiction: str | None = None,
        excluding: str | None = None,
        as_of: PartialDate | dt.date | str | None = None,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
        include_lapsed: bool = False,
    ) -> list[MarkUsage]:
        """Who owns, applied for or uses the same or a similar mark, in a class (or related).

        `as_of` (default today) decides which rights are in force: dead ones are left out
        unless `include_lapsed`, then marked lapsed with the date and reason they ended.
        """
        mark = one_line(mark)  # as an import reads a mark: "ACME  WIDGETS" is ACME WIDGETS
        nice_class = self._check_class(nice_class)
        jurisdiction = self._check_jurisdiction(jurisdiction)
        excluded = self.find_party(excluding).id if excluding else None
        similar = self._similar_marks(mark, min_similarity)
        facts = self.facts
        when = _as_date(as_of)
        on = when or PartialDate.today()
        stated = stated_matches(facts, facts.select, mark, min_similarity)
        # what the graph says the mark matches: stated translations, combined marks (the
        # marks showing both names are cited by the hits they find)
        evidence = [
            *equivalents_of(facts, facts.select, similar),
            *combined_equivalents(mark, similar, facts.marks),
            *owner_equivalents(facts, similar),
        ]
        said: dict[str, tuple[Statement, ...]] = {}  # mark found -> the statements behind it
        for reason, equivalent, saying in evidence:
            cap = _EVIDENCE_CAPS.get(reason, STATED_SCORE)
            for iri, found in self._similar_marks(equivalent, min_similarity).items():
                if found.score < SAME_MARK and "containment" not in found.reasons:
                    continue  # one step of likeness, not two (kg.analysis.combined_marks)
                score = min(found.score, cap)
                if iri not in similar or similar[iri].score < score:
                    similar[iri] = MarkSimilarity(score, (reason,))
                    said[iri] = saying
                elif iri in said and similar[iri] == MarkSimilarity(score, (reason,)):
                    said[iri] = tuple(dict.fromkeys((*said[iri], *saying)))
        found = {*similar, *verbal_candidates(facts, facts.select, mark, min_similarity)}
        found.update(match.mark for match in stated)
        # the marks' holdings, kept for the next questions (FactBase.marks_holdings)
        holdings = on_date(
            states_on(facts, facts.marks_holdings(found), on), on, include_lapsed=include_lapsed
        )
        # verbal elements where stated; wordless figurative marks take no part; a stated
        # translation or transliteration counts for its registration
        evidence = {match.registration: match.similarity for match in stated}
        holdings, similar = word_similarities(mark, holdings, similar, min_similarity, evidence)
        # EM members, WO designations (ended ones too, marked, when lapsed rights are asked)
        holdings = read_coverage(facts, holdings, on, include_lapsed)
        parties = facts.parties(self._party_iris(holdings))
        usages = who_else_uses(
            holdings,
            similar,
            parties=parties,
            sources=facts.sources,
            relatedness=facts.relatedness,
            nice_class=nice_class,
            jurisdiction=jurisdiction,
            excluding={excluded} if excluded else set(),
            as_of=when,
        )
        usages = [_with_notes(usage, mark) for usage in usages]  # a meaning, a legal form set aside
        answer = ResultList(with_evidence(usages, said, facts.select, facts.sources))
        settle_long_lived(collect=True)  # the facts this question read: frozen
        return answer

    def conflicts(
        self,
        jurisdiction: str | None = None,
        nice_class: int | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        as_of: PartialDate | dt.date | str | None = None,
        include_lapsed: bool = False,
        top: int | None = None,
        party: str | Sequence[str] | None = None,
        marks: Collection[str] | None = None,
        mark: str | None = None,
    ) -> TopResults[ConflictPair]:
        """Pairs of parties in conflict, highest risk first, among the rights in force on
        `as_of` (default today; dead rights too with `include_lapsed`). A right not filed (a
        use not begun, an owner not yet the owner) on `as_of` takes no part
        (`kg.analysis.lifecycle.on_date`), and only cases begun by then add the case bonus.

        With `top` (1 or more) only the first `top` conflicts of that list are kept, as they
        are found (memory for `top` conflicts, not a register's millions); the answer's
        ``total`` counts them all. Raises `kg.analysis.arguments.ArgumentError` for a `top`
        below 1.

        With `party` (a name, alias or IRI: `find_party`; or several) only the conflicts where
        it (one of them) holds a side, alone or with co-owners, are listed, the same as the
        whole list keeps for it: only the holdings of its marks and of the marks meeting them
        are read. Raises `kg.errors.NotFound` for a party the store does not know.

        With `marks` (mark IRIs, any of an owl:sameAs group; not with `party`) only the
        conflicts over those marks are listed: for each pair of parties, the riskiest pair of
        their rights one of which is of those marks (`find_conflicts`' ``marks``), and the
        proceedings naming one; only the holdings of the marks and of those meeting them are
        read (a mark's report). With `mark` (a text) those marks are the marks like it held
        in the place and class asked on the date (`who_else_uses`' hits) and the marks of
        that text (`find_mark`, which raises `kg.errors.NotFound` for a text no mark has):
        the conflicts a mark's report lists. Raises `kg.errors.KGError` when more than one
        of `party`, `marks` and `mark` is given.

        The whole register's answer (no `party`, `marks`, `mark` or `top`) is kept for the
        next question, in this process and beside an on-disk store for the next ones
        (`kg.analysis.conflict_memo`, `kg.analysis.conflict_file`): asked again as it was, in
        the same state of the store, it is given again; after writes that say what they
        touched (in any process: the journal of writes), only the conflicts of the parties
        they may have changed are searched again; otherwise the whole register is. A `top`
        question reads a kept answer too (from the file, only its first conflicts and those a
        proceeding may raise), and keeps the register's answer anew when one was kept for it
        before (a first `top` question keeps memory for `top` conflicts and writes nothing).

        Python's cyclic collector is paused meanwhile (`kg.analysis.gc_pause`: a register's
        search keeps millions of objects alive, which each collection walks)."""
        if mark is not None:
            if party is not None or marks is not None:
                raise KGError("ask for the conflicts of a party or over a mark, not both")
            usages = self.who_else_uses(
                mark, nice_class, jurisdiction, as_of=as_of, include_lapsed=include_lapsed
            )
            marks = {u.mark.id for u in usages} | set(self.find_mark(mark))
        with collector_paused():
            answer = self._conflicts(
                jurisdiction, nice_class, min_score, as_of, include_lapsed, top, party, marks
            )
        settle_long_lived()
        return answer

    def conflict_stream(
        self,
        jurisdiction: str | None = None,
        nice_class: int | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        as_of: PartialDate | dt.date | str | None = None,
        include_lapsed: bool = False,
    ) -> tuple[int, Iterator[ConflictPair]]:
        """The register's conflicts as `conflicts` lists them, asked the same (no `top`,
        `party` or `mark`): how many there are, and the conflicts, highest risk first, one at
        a time.

        When the answer is kept beside an on-disk store for this question
        (`kg.analysis.conflict_file`; after writes, brought up to date in the file as a `top`
        question does), it is read from the file a chunk at a time (`ConflictFile.stream`):
        memory for a chunk and the conflicts a proceeding merges into, not a register's
        millions (~3.9 KB a conflict read whole). Otherwise it is the list `conflicts` gives
        (which keeps it, in this process and on disk, for the next question). The iterator
        raises `kg.errors.StoreError` when the file turns out damaged part-way. Raises as
        `conflicts` does for its arguments. For `kg conflicts`, which prints as it reads."""
        nice_class = self._check_class(nice_class)
        jurisdiction = self._check_jurisdiction(jurisdiction)
        when = _as_date(as_of) or PartialDate.today()
        asked_key = _asked_key(jurisdiction, nice_class, min_score, when, include_lapsed)
        with self._shared.lock:
            kept = self._shared.kept_conflicts
        streamed = None
        if kept is None or kept.asked != asked_key:  # else the list kept here is at hand
            with collector_paused():
                streamed = self._stored_stream(
                    asked_key, jurisdiction, nice_class, min_score, when, include_lapsed
                )
        if streamed is None:
            found = self.conflicts(
                jurisdiction, nice_class, min_score, as_of=as_of, include_lapsed=include_lapsed
            )
            return len(found), iter(found)
        return streamed

    def _stored_stream(
        self,
        asked: tuple[object, ...],
        jurisdiction: str | None,
        nice_class: int | None,
        min_score: float,
        when: PartialDate,
        include_lapsed: bool,
    ) -> tuple[int, Iterator[ConflictPair]] | None:
        """`conflict_stream` from the answer kept on disk for `asked`, brought up to date
        there first if the store was written since; None when no answer is kept for it or
        it cannot be brought up to date."""
        stored, facts = self._shared.conflict_file, self.facts
        found = None if stored is None else stored.head(asked)
        if stored is None or found is None or facts.stamp is None:
            return None
        if found[0].stamp != facts.stamp:
            search, evidence, cases = self._register_search(
                jurisdiction, nice_class, min_score, when, include_lapsed
            )
            if not self._stored_brought_up(asked, search, evidence, cases):
                return None
        sides = {"jurisdiction": jurisdiction, "nice_class": nice_class, "min_score": min_score}
        raised = proceeding_keys(read_proceedings(facts), as_of=when, **sides)
        theirs = stored.top(asked, facts.stamp, 0, raised.parties)  # those it may raise only
        opened = stored.stream(asked, facts.stamp)
        if theirs is None or opened is None:
            return None
        merging = [pair for pair in theirs[0] if raised(pair)]
        merged = with_proceeding_conflicts(
            facts, merging, as_of=when, include_lapsed=include_lapsed, **sides
        )
        total, conflicts = opened
        rest = (pair for pair in conflicts if not raised(pair))
        return total - len(merging) + len(merged), heapq.merge(rest, merged, key=conflict_rank)

    def _conflicts(
        self,
        jurisdiction: str | None,
        nice_class: int | None,
        min_score: float,
        as_of: PartialDate | dt.date | str | None,
        include_lapsed: bool,
        top: int | None,
        party: str | Sequence[str] | None,
        marks: Collection[str] | None,
    ) -> TopResults[ConflictPair]:
        nice_class = self._check_class(nice_class)
        jurisdiction = self._check_jurisdiction(jurisdiction)
        arguments.check(top=top)
        involved: Callable[[ConflictPair], bool] | None = None
        focus: set[str] | None = None
        over: set[str] | None = None  # the marks asked about
        if party is not None and marks is not None:
            raise KGError("ask for the conflicts of a party or over a mark, not both")
        if marks is not None:
            over = focus = {self.facts.identities.canonical(mark) for mark in marks}
            if not over:
                return TopResults([])

            def involved(conflict: ConflictPair) -> bool:
                return any(mark is not None and mark.id in over for mark in conflict.marks)

        if party is not None:
            named = [party] if isinstance(party, str) else party
            chosen = {self.find_party(one).id for one in named}
            focus = {mark for one in chosen for mark in self._marks_held_by(one)}

            def involved(conflict: ConflictPair) -> bool:
                return any(holder.id in chosen for side in conflict.holders for holder in side)

        facts = self.facts
        stamp = facts.stamp  # the state searched: an answer is kept only for it
        when = _as_date(as_of) or PartialDate.today()
        asked_key = _asked_key(jurisdiction, nice_class, min_score, when, include_lapsed)
        asked = {"jurisdiction": jurisdiction, "nice_class": nice_class, "min_score": min_score}
        known = None  # the register's conflicts, kept or brought up to date from those kept
        stored: tuple[list[ConflictPair], int] | None = None  # the first, from the file
        raised = None
        # the register's answer is kept for the next question when it is asked whole, or a
        # `top` of it was asked before (kept in memory or beside the store): not for a first
        # `top`, which keeps memory for `top` conflicts, not a register's millions
        keeping = focus is None and top is None
        if focus is None:
            with self._shared.lock:
                kept = self._shared.kept_conflicts
            keeping = keeping or (kept is not None and kept.asked == asked_key)
            if kept is None or kept.asked != asked_key:
                if top is not None:  # the best `top`, and those a proceeding may raise
                    raised = proceeding_keys(read_proceedings(facts), as_of=when, **asked)
                    stored = self._stored_top(asked_key, stamp, top, raised)
                if stored is None:
                    kept, asked_before = self._stored_conflicts(asked_key, stamp)
                    keeping = keeping or asked_before
            if kept is not None and kept.asked == asked_key and stamp == kept.stamp:
                known = list(kept.pairs)  # the same state: nothing to read again
        if known is None and stored is None:
            search, evidence, cases = self._register_search(
                jurisdiction, nice_class, min_score, when, include_lapsed
            )
            if focus is None:
                known = self._kept_conflicts(asked_key, search, evidence, cases)
            # an answer kept on disk, too big to read whole: brought up to date there
            if (
                known is None
                and focus is None
                and top is not None
                and self._stored_brought_up(asked_key, search, evidence, cases)
            ):
                if raised is None:
                    raised = proceeding_keys(read_proceedings(facts), as_of=when, **asked)
                stored = self._stored_top(asked_key, stamp, top, raised)
        lists: Iterable[Sequence[ConflictPair]]
        if stored is not None:
            lists = [stored[0]]
        elif known is not None:
            lists = [known]
        else:
            lists = search(focus=focus, over=over)
            if involved is not None:  # the conflicts among the holdings read not its own
                lists = ([pair for pair in pairs if involved(pair)] for pairs in lists)
            if keeping:
                known = merge_conflicts(lists)
                self._keep_conflicts(asked_key, stamp, known, evidence, cases)
                lists = [known]
        if top is None:
            pairs, total = (known if known is not None else merge_conflicts(lists)), None
        else:  # the best `top`, and those a proceeding may raise past them
            if raised is None:
                raised = proceeding_keys(read_proceedings(facts), as_of=when, **asked)
            pairs, total = top_conflicts(lists, top, raised)
            if stored is not None:
                total = stored[1]  # the file's conflicts in all, not those read
        # Oppositions and cancellations are conflicts too (kg.analysis.proceedings).
        found = with_proceeding_conflicts(
            facts, pairs, as_of=when, include_lapsed=include_lapsed, **asked
        )
        if involved is not None:  # proceedings between other parties
            found = [conflict for conflict in found if involved(conflict)]
        if total is None:
            return TopResults(found)
        # a proceeding merged into a conflict kept adds none; one between other parties does
        return TopResults(found[:top], total + len(found) - len(pairs))

    def conflict_paths(
        self, origin: str, destination: str, max_length: int = 6, *, every: bool = False
    ) -> list[ConflictPath]:
        """Paths between two parties, each step cited: the best mark conflicts first, then the
        shortest other paths (or, with `every`, all simple paths), each with its kind
        (`kg.analysis.paths`). Raises `kg.analysis.arguments.ArgumentError` (argument
        ``destination``) when both name the same party: a party has no path to itself."""
        arguments.check(max_length=max_length)
        start, end = self.find_party(origin), self.find_party(destination)
        if start.id == end.id:
            raise arguments.ArgumentError(
                "destination",
                f"{origin!r} and {destination!r} are the same party ({start.name}): "
                "a path joins two parties",
                suggestion="name two different parties",
            )
        return ResultList(find_paths(self.facts, start, end, max_length, every))

    def conflict_path(
        self, origin: str, destination: str, max_length: int = 6
    ) -> ConflictPath | None:
        """The first of `conflict_paths` (the closest mark conflict when there is one), or
        None if no path is that short."""
        paths = self.conflict_paths(origin, destination, max_length)
        return paths[0] if paths else None

    def conflict_cluster(self, party: str, min_score: float = DEFAULT_MIN_SCORE) -> list[PartyRef]:
        """Parties connected to `party` through conflicts, directly or through others: every
        holder of each side of a conflict (co-owners, `ConflictPair.holders`) takes part.

        Searched outwards from the party: the conflicts of the parties reached so far
        (`conflicts(party=...)`, the whole list's rows naming them), then of those they
        reach, so a small cluster costs its parties' searches, not the register's; once the
        parties reached hold more than `CLUSTER_SEARCH_SHARE` of the register's marks, the
        register's list is read once instead."""
        import networkx as nx

        start = self.find_party(party)
        graph = nx.Graph()
        graph.add_node(start.id)
        names = {start.id: start}

        def join(pairs: Iterable[ConflictPair]) -> None:
            for pair in pairs:
                for left in pair.holders[0]:
                    for right in pair.holders[1]:
                        names[left.id], names[right.id] = left, right
                        if left.id != right.id:
                            graph.add_edge(left.id, right.id)

        searched: set[str] = set()
        frontier = {start.id}
        held: set[str] = set()  # the marks of the parties reached
        budget = CLUSTER_SEARCH_SHARE * len(self.facts.marks)
        while frontier:
            for one in frontier:
                held |= self._marks_held_by(one)
            if len(held) > budget:  # a big cluster: the register's list, read once
                join(self.conflicts(min_score=min_score))
                break
            join(self.conflicts(min_score=min_score, party=sorted(frontier)))
            searched |= frontier
            frontier = set(nx.node_connected_component(graph, start.id)) - searched
        members = (names[n] for n in nx.node_connected_component(graph, start.id))
        return ResultList(sorted(members, key=lambda p: p.name))

    def priority(
        self,
        mark: str,
        nice_class: int,
        jurisdiction: str,
        as_of: PartialDate | dt.date | str | None = None,
        include_lapsed: bool = False,
    ) -> PriorityFinding:
        """Who holds priority to a mark in a class and jurisdiction, and who competes.

        Dead rights on `as_of` (default today) never decide; with `include_lapsed` they are
        listed among the competing claims, marked lapsed.
        """
        mark = one_line(mark)  # as an import reads a mark
        nice_class = self._check_class(nice_class)  # type: ignore[assignment]
        code = self._check_jurisdiction(jurisdiction)
        facts = self.facts
        similar = self._similar_marks(mark, DEFAULT_MIN_SIMILARITY)
        when = _as_date(as_of) or PartialDate.today()
        found = {*similar, *verbal_candidates(facts, facts.select, mark, DEFAULT_MIN_SIMILARITY)}
        if not found and mark not in facts.marks.values():
            # an unknown or misspelled mark: an error with close matches (issue 16); a
            # recorded text with no words ("DEVICE") gets its note (with_wordless_note)
            raise NotFound(
                f"no mark the same as or similar to {mark!r} is recorded",
                suggestion=self._mark_suggestion(mark)
                or "who-else-uses lists the marks similar to a text",
            )

        def rights(dead_too: bool) -> list[Holding]:
            read = states_on(facts, facts.marks_holdings(found), when)
            read = on_date(read, when, include_lapsed=dead_too)
            read, _ = word_similarities(mark, read, similar, DEFAULT_MIN_SIMILARITY)
            return counted_in(read_coverage(facts, read, when), code)  # EM, WO: route to code

        def lapsed() -> list[Holding]:  # the dead rights left out: counted if nothing decides
            return [h for h in rights(True) if h.lapsed]

        holdings = rights(include_lapsed)

        claims = facts.claims(similar)
        rule, basis = facts.priority_rule(code)  # type: ignore[arg-type]
        iris = self._party_iris(holdings) | {c.claimant for c in claims}
        found = priority(
            mark,
            nice_class,  # type: ignore[arg-type]
            code,  # type: ignore[arg-type]
            holdings,
            claims,
            rule=rule,
            rule_basis=basis,
            parties=facts.parties(iris),
            sources=facts.sources,
            relatedness=facts.relatedness,
            prior_use_basis=prior_use_basis(facts, code),  # type: ignore[arg-type]
            lapsed=None if include_lapsed else lapsed,
        )
        return with_wordless_note(found, mark, nice_class, code)  # type: ignore[arg-type]

    def timeline(
        self,
        party: str | None = None,
        case: str | None = None,
        *,
        marks: Collection[str] | None = None,
    ) -> list[TimelineEntry]:
        """Dated facts about a party or a case, in date order, each with its sources.

        With `marks` (canonical mark IRIs; a party's timeline only) only the entries of the
        party's registrations and uses of those marks (filed, published, granted, ended,
        used) are read: those of its whole timeline about them, without reading its other
        rights (a mark report's parties may hold thousands)."""
        if (party is None) == (case is None):
            raise KGError("name a party or a case (not both)")
        if marks is not None:
            if party is None:
                raise KGError("marks narrow a party's timeline, not a case's")
            who = self.find_party(party).id
            return ResultList(
                order_timeline(self.facts.timeline_entries(parties=[who], marks=marks))
            )
        if party is not None:
            who = self.find_party(party).id
            entries = self.facts.timeline_entries(parties=[who])
            entries += proceeding_timeline(read_proceedings(self.facts), parties=[who])
        else:
            iri = self.facts.identities.canonical(self._find_case(case))  # type: ignore[arg-type]
            entries = self.facts.timeline_entries(case=iri)
            entries += proceeding_timeline(read_proceedings(self.facts), case=iri)
        return ResultList(order_timeline(entries))

    def case(self, case: str) -> CaseSummary:
        """A case by IRI, IRI tail (``aws-cn-2018``) or case number; else NotFound."""
        iri = self._find_case(case)
        return self.facts.case_summaries([iri])[self.facts.identities.canonical(iri)]

    def judgments(self, case: str) -> list[Judgment]:
        """The judgments of a case (by IRI, IRI tail or case number, as `case`), earliest
        first: each field's values as the sources state them, each value with exactly its
        sources (`kg.analysis.judgments`). An unknown case raises NotFound with close ids."""
        iri = self.facts.identities.canonical(self._find_case(case))
        return ResultList(read_judgments(self.facts, [iri])[iri])

    def claims(self, mark: str | None = None, party: str | None = None) -> list[Claim]:
        """Claims to marks (tm:Claim: first use, ownership, filing) that sources report, one
        per claim and claimant, each value with exactly its sources; filters: a mark (its
        text, as `find_mark`) and a claimant (a name, as `find_party`). An unknown mark or
        party raises NotFound with close matches."""
        marks = self.find_mark(mark) if mark is not None else None
        parties = [self.find_party(party).id] if party is not None else None
        return ResultList(read_claims(self.facts, marks, parties))

    def proceedings(
        self,
        party: str | None = None,
        mark: str | None = None,
        kind: str | None = None,
        outcome: str | None = None,
        registration: str | None = None,
    ) -> list[Proceeding]:
        """Oppositions and cancellations, by filing date; filters: a party on either side (a
        name), a mark (its text, contested or invoked), a kind ("opposition",
        "cancellation"), an outcome (`kg.analysis.proceedings.OUTCOMES`), a contested
        registration (IRI). An unknown party, mark, kind or outcome raises an error."""
        return ResultList(
            select_proceedings(
                read_proceedings(self.facts),
                parties=[self.find_party(party).id] if party else (),
                marks=self.find_mark(mark) if mark else (),
                registrations=[self.facts.identities.canonical(registration)]
                if registration
                else (),
                kind=check_kind(kind),
                outcome=check_outcome(outcome),
            )
        )

    def search(
        self, text: str, limit: int = 10, min_score: float = DEFAULT_MIN_SEARCH_SCORE
    ) -> list[SearchHit]:
        """Parties, marks and cases whose names, texts or numbers match `text`, best first."""
        arguments.check(limit=limit)
        self._check_mark_text(text, "the search text")
        facts = self.facts
        return search_hits(
            text,
            parties=facts.all_parties().values(),
            marks=facts.marks,
            similar_marks=facts.mark_index.candidates(text),
            cases=facts.cases(),
            limit=limit,
            min_score=min_score,
        )

    def contradictions(self, subjects: Iterable[str] | None = None) -> list[Contradiction]:
        """Facts given incompatible values, each side with its sources; with `subjects`
        (IRIs, any of an owl:sameAs group), only those about them — the same contradictions
        the whole list gives for them, reading only their statements (a report's subjects,
        not a register's)."""
        facts = self.facts
        statements = facts.statements(
            SINGLE_VALUED | ONE_PARTY_PER_SOURCE | {TM + "payer", TM + "payee"}, subjects
        )
        iris = {s.subject for s in statements} | {s.value for s in statements if s.datatype is None}
        found = find_contradictions(statements, labels=facts.labels(iris), sources=facts.sources)
        return ResultList(found)

    # ------------------------------------------------------------ watches (kg.analysis.watch)

    def watches(self) -> list[Watch]:
        """Every watch (`kg watch add`), by id."""
        return ResultList(watch_reading.read_watches(self.graph))

    def watch(self, watch_id: str) -> Watch:
        """One watch by id or IRI; `NotFound` naming the closest ids."""
        return watch_reading.read_watch(self.graph, watch_id)

    def watch_hits(self, since: str | None = None, watch: str | None = None) -> list[WatchHit]:
        """Hits recorded by imports and loads, newest first: of one watch (id) or all, detected
        on or after the day `since` (YYYY-MM-DD; another text raises `KGError`)."""
        return ResultList(watch_reading.read_hits(self.graph, since=since, watch=watch))

    def watches_due(self, within_days: int = 14, today: str | None = None) -> list[WatchHit]:
        """Hits whose opposition window ends from `today` (default: the UTC date) to
        `within_days` days later, soonest first."""
        return ResultList(watch_reading.due_hits(self.graph, within_days, today))

    # ------------------------------------------------------------ helpers

    def _find_case(self, case: str) -> str:
        rows = self.facts.select(
            f"""SELECT DISTINCT ?c ?n WHERE {{
                  ?c a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{TM}Case> .
                  OPTIONAL {{ ?c <{TM}caseNumber> ?n }} }}"""
        )
        for row in rows:
            iri = row["c"] or ""
            if case in (iri, iri.rsplit("/", 1)[-1], row["n"]):
                return iri
        known = {r["c"].rsplit("/", 1)[-1]: {r["c"]} for r in rows if r["c"]}  # type: ignore[union-attr]
        raise NotFound(f"no case {case!r}", suggestion=_suggest(case, known))

    def _search(
        self,
        *,
        jurisdiction: str | None,
        nice_class: int | None,
        min_score: float,
        when: PartialDate,
        include_lapsed: bool,
        evidence: Sequence[EvidencePair],
        wide: set[str],
        cases: Sequence[tuple[str, str]],
        focus: set[str] | None,
        over: set[str] | None,
        read_near: bool = False,
    ) -> Iterable[list[ConflictPair]]:
        """The conflicts among the holdings that may meet another (all marks', or with
        `focus` those that may meet its marks), a list per batch of places (`place_batches`)
        for a register, each `find_conflicts`' answer; with `over`, only those over its
        marks. With `read_near` (and `focus`), every holding of the marks near the focus
        (`_near_marks`) is read, none chosen first by its statements: where the holdings of
        those marks are in the holdings projection, reading them costs less than reading
        their statements from the store to choose (the conflicts a kept answer searches
        again: `kg.analysis.conflict_memo`)."""
        facts = self.facts
        index = facts.mark_index  # similar pairs of texts, kept as marks are loaded
        # only the holdings that meet another by their texts (all if the index lacks some)
        pairs_read: SimilarTexts
        projected: set[str] = set()  # marks read whole, none chosen by their statements
        if focus is not None and read_near:
            # the marks near the focus whose holdings are in the holdings projection are read
            # whole; the others are chosen first by their statements, read from the store
            own = facts.holding_statements(focus)
            verbal = {v for _, name, v in own if name == "verbalElement"}
            near, pairs_read = self._near_marks(focus, verbal, evidence)
            projected = facts.projected(near - focus)
            statements = own + facts.holding_statements(near - focus - projected)
        elif focus is None:  # the index's pairs, read once for every batch of places
            pairs_read = index.similar_table()
            # one place: the holdings there and those of the rights covering it (EM, WO)
            places = None if jurisdiction is None else {jurisdiction, *wide}
            statements = facts.holding_statements(places=places)
        else:  # a party's marks: the holdings that may meet them, not the register's
            statements, pairs_read = self._near(focus, evidence)
        by_place = conflict_marks_by_place(
            statements,
            facts.marks,
            pairs_read,
            facts.identities.canonical,
            wide,
            facts.relatedness,
            ((pair.left, pair.right) for pair in evidence),
            jurisdiction=jurisdiction,
            nice_class=nice_class,
            focus=focus,
        )
        if by_place is not None and projected:
            by_place[""] = by_place.get("", set()) | projected | focus  # type: ignore[operator]

        def search(wanted: set[str] | None, places_only: set[str] | None) -> list[ConflictPair]:
            holdings = states_on(facts, facts.holdings(wanted), when)
            holdings = on_date(holdings, when, include_lapsed=include_lapsed)
            holdings = read_coverage(facts, holdings, when)  # EM members, WO designations
            return find_conflicts(
                holdings,
                parties=facts.parties(self._party_iris(holdings)),
                sources=facts.sources,
                relatedness=facts.relatedness,
                cases=cases,
                jurisdiction=jurisdiction,
                nice_class=nice_class,
                min_score=min_score,
                similar=pairs_read,  # the index's pairs, or those of a party's texts
                evidence=evidence,
                places_only=places_only,
                marks=over,
            )

        if by_place is None:  # the index lacks some texts: read every holding
            return [search(None, None)]
        if jurisdiction is not None or focus is not None:  # one place, or a few marks
            return [search(set().union(*by_place.values()), None)]
        # a register's places a few at a time: memory for the holdings of the biggest
        return (
            search(wanted, places_only)
            for wanted, places_only in place_batches(by_place, CONFLICT_BATCH_MARKS, wide)
        )

    def _register_search(
        self,
        jurisdiction: str | None,
        nice_class: int | None,
        min_score: float,
        when: PartialDate,
        include_lapsed: bool,
    ) -> tuple[
        Callable[..., Iterable[list[ConflictPair]]],
        Sequence[EvidencePair],
        Sequence[tuple[str, str]],
    ]:
        """(the search of the question's conflicts, `_search` with what it needs bound; the
        marks the graph says match; the parties of the cases filed by `when`)."""
        facts = self.facts
        # the marks the graph says match: combined marks, stated translations
        evidence = self._evidence_pairs(DEFAULT_MIN_SIMILARITY)
        wide = regional_codes() | {m.system for m in memberships(facts)}  # covering others
        cases = facts.case_parties_on(when)  # a case filed later is no case yet
        search = functools.partial(
            self._search,
            jurisdiction=jurisdiction,
            nice_class=nice_class,
            min_score=min_score,
            when=when,
            include_lapsed=include_lapsed,
            evidence=evidence,
            wide=wide,
            cases=cases,
        )
        return search, evidence, cases

    def _stored_top(
        self, asked: tuple[object, ...], stamp: str | None, top: int, raised: ProceedingKeys
    ) -> tuple[list[ConflictPair], int] | None:
        """From the register's conflicts kept on disk for the question `asked` in state
        `stamp` (`kg.analysis.conflict_file`): the first `top`, those a proceeding may raise
        (`raised`), and how many there are in all; None when none are kept for it."""
        stored = self._shared.conflict_file
        return None if stored is None else stored.top(asked, stamp, top, raised.parties)

    def _stored_conflicts(
        self, asked: tuple[object, ...], stamp: str | None
    ) -> tuple[KeptConflicts | None, bool]:
        """(the register's conflicts kept on disk for the question `asked`, read whole and
        kept in memory, when they are of state `stamp` or the writes since say what they
        touched (`kg.store.write_journal`): what `_kept_conflicts` brings up to date; whether
        an answer to that question is kept there, of any state). An answer of more than
        `conflict_file.LOAD_MAX` conflicts is never read whole: `top` questions read its
        first chunks, after writes once `_stored_brought_up` has brought it up to date in the
        file; a whole question searches."""
        stored = self._shared.conflict_file
        if stored is None or stamp is None:
            return None, False
        found = stored.head(asked)
        if found is None or found[1] > conflict_file.LOAD_MAX:
            return None, False
        head = found[0]
        if head.stamp != stamp:
            told = getattr(self.graph.store, "touched_since", None)
            if told is None or not told(head.stamp).known:
                return None, True  # searched whole: the answer kept is of a state gone
        kept = stored.load(asked)
        if kept is not None:
            with self._shared.lock:
                self._shared.kept_conflicts = kept
                self._shared.stored_rows = kept
        return kept, True

    def _kept_conflicts(
        self,
        asked: tuple[object, ...],
        search: Callable[..., Iterable[list[ConflictPair]]],
        evidence: Sequence[EvidencePair],
        cases: Sequence[tuple[str, str]],
    ) -> list[ConflictPair] | None:
        """The register's conflicts asked as `asked`, from those kept for an earlier state
        of the store with only the conflicts of the parties the writes since may have
        changed searched again (`kg.analysis.conflict_memo`), kept in their turn; None when
        none are kept for this question or what the writes changed cannot be told."""
        facts = self.facts
        with self._shared.lock:
            kept = self._shared.kept_conflicts
        if kept is None or kept.asked != asked or facts.stamp is None:
            return None
        parties = self._parties_changed(kept, evidence, cases)
        if parties is None:
            return None
        if not parties:
            self._keep_conflicts(asked, facts.stamp, kept.pairs, evidence, cases, kept)
            return list(kept.pairs)
        searched = self._searched_again(parties, search)
        if searched is None:
            return None
        pairs, nodes, holders = brought_up(kept, *searched)
        self._keep_conflicts(asked, facts.stamp, pairs, evidence, cases, (nodes, holders))
        return pairs

    def _stored_brought_up(
        self,
        asked: tuple[object, ...],
        search: Callable[..., Iterable[list[ConflictPair]]],
        evidence: Sequence[EvidencePair],
        cases: Sequence[tuple[str, str]],
    ) -> bool:
        """Bring the register's conflicts kept on disk for `asked`, too many to read whole
        (`conflict_file.LOAD_MAX`), up to the store's state as `_kept_conflicts` does in
        memory: the parties the writes since may have changed are found from the chunks'
        keys, their conflicts searched again and kept beside the others in the file
        (`ConflictFile.bring_up`), none read whole. False when that cannot be done (nothing
        kept, what the writes changed cannot be told, or a register's share to search)."""
        stored, stamp = self._shared.conflict_file, self.facts.stamp
        found = None if stored is None or stamp is None else stored.head(asked)
        if found is None:
            return False
        head = found[0]
        if head.stamp == stamp:
            return True
        parties = self._parties_changed(
            head, evidence, cases, lambda nodes: stored.holders_naming(asked, head.stamp, nodes)
        )
        searched = None if parties is None else self._searched_again(parties, search)
        if searched is None:
            return False
        now = self._kept_answer(asked, stamp, (), evidence, cases, ((), ()))
        return stored.bring_up(now, head.stamp, *searched)  # type: ignore[union-attr]

    def _parties_changed(
        self,
        kept: KeptConflicts,
        evidence: Sequence[EvidencePair],
        cases: Sequence[tuple[str, str]],
        holders_naming: Callable[[set[str]], Iterable[str] | None] | None = None,
    ) -> set[str] | None:
        """The parties whose conflicts may differ from those `kept` holds (found in an
        earlier state of the store: `conflict_memo.parties_to_search`, with the parties the
        writes merged or parted); None when what the writes changed cannot be told, or
        reaches every conflict. `holders_naming`: as `parties_to_search` takes it (None from
        it: the kept answer could not be read)."""
        facts = self.facts
        if (  # the rights covering others (`wide`) are read from the memberships too
            frozenset(memberships(facts)) != kept.memberships
            or facts.relatedness != kept.relatedness
        ):
            return None  # facts any graph may state that every conflict reads
        touched: Collection[str] = ()
        changed: set[str] = set()
        identified: set[str] = set()  # parties whose identity a write changed
        if facts.stamp != kept.stamp:
            told = getattr(self.graph.store, "touched_since", None)
            said = told(kept.stamp) if told is not None else None
            if said is None or not said.known:
                return None
            store = self.graph.store
            if touches_every_holding(
                conflict_memo.without_identities(said), lambda nodes: _any_status(store, nodes)
            ):
                return None  # classes of things, statuses, reference data
            touched = said.terms
            identities = conflict_memo.identity_nodes(said, facts.identities.alone)
            members = {m for node in identities for m in facts.identities.members(node)}
            not_parties = self._not_parties(members)
            # records and marks merged or parted (a curator's owl:sameAs; the seed case has
            # one): read by their own holdings only, whose marks are read below
            held = self._holding_nodes(not_parties)
            others = not_parties - held
            if others and (
                not all(is_iri(node) for node in others) or self._marks_held_by_all(others)
            ):
                return None  # a place, a class, goods merged or parted: read through others
            # parties merged or parted (`kg load` links a new owner to one of the same name):
            # their groups are searched again, and every conflict naming one of them
            identified = {facts.identities.canonical(member) for member in members - held}
            touched = set(touched) | members
            # the nodes whose own statements changed (a node only named by one, such as a
            # class or a place, changed nothing another holding reads of it), and each
            # record and mark of a merged group one of them is in
            written = {node for nodes in said.predicates.values() for node in nodes} | held
            reading = facts.marks_reading(written, touched)
            if reading is None:
                return None
            changed = {facts.identities.canonical(mark) for mark in reading}
        unread = False

        def naming(nodes: set[str]) -> Iterable[str]:
            nonlocal unread
            found = holders_naming(nodes)  # type: ignore[misc]
            unread = unread or found is None
            return found or ()

        parties = parties_to_search(
            kept,
            changed_marks=changed,
            holders_of=lambda marks: holders_on_any_date(facts.holdings(marks)),
            touched=touched,
            cases=frozenset(frozenset(pair) for pair in cases),
            evidence=evidence,
            sources=facts.sources,
            holders_naming=None if holders_naming is None else naming,
        )
        return None if unread else parties | identified

    def _searched_again(
        self, parties: set[str], search: Callable[..., Iterable[list[ConflictPair]]]
    ) -> tuple[set[str], list[ConflictPair]] | None:
        """(`parties` with their co-owners, their conflicts searched again, highest risk
        first): only pairs with a side of theirs scored (each of their conflicts is their
        best pair with the other party, which has one side of theirs); None when they hold
        more than `conflict_memo.SEARCH_SHARE` of the register's marks (a whole search
        then)."""
        if not parties:
            return parties, []
        parties, focus = self._with_co_owners(parties)
        if len(focus) > conflict_memo.SEARCH_SHARE * len(self.facts.marks):
            return None
        fresh = [
            pair
            for found in (search(focus=focus, over=focus, read_near=True) if focus else ())
            for pair in found
            if any(holder.id in parties for side in pair.holders for holder in side)
        ]
        return parties, merge_conflicts([fresh])

    def _keep_conflicts(
        self,
        asked: tuple[object, ...],
        stamp: str | None,
        pairs: Sequence[ConflictPair],
        evidence: Sequence[EvidencePair],
        cases: Sequence[tuple[str, str]],
        keys: KeptConflicts
        | tuple[Sequence[tuple[str, ...]], Sequence[tuple[str, ...]]]
        | None = None,
    ) -> None:
        """Keep the register's conflicts found in state `stamp` for the next question
        (`kg.analysis.conflict_memo`), when what a write changes of them can be told: the
        store is still in that state.
        `keys` gives each conflict's nodes and holders (`row_keys`) where they are known:
        a kept answer's, or (nodes, holders)."""
        current = getattr(self.graph.store, "write_stamp", None)
        keep = stamp is not None and current == stamp
        if not keep:
            nodes: tuple[tuple[str, ...], ...] = ()
            holders: tuple[tuple[str, ...], ...] = ()
        elif isinstance(keys, KeptConflicts):
            nodes, holders = keys.nodes, keys.holders
        elif keys is not None:
            nodes, holders = tuple(keys[0]), tuple(keys[1])
        else:
            rows = [row_keys(pair) for pair in pairs]
            nodes = tuple(row[0] for row in rows)
            holders = tuple(row[1] for row in rows)
        answer = (
            self._kept_answer(asked, stamp, pairs, evidence, cases, (nodes, holders))  # type: ignore[arg-type]
            if keep
            else None
        )
        with self._shared.lock:
            self._shared.kept_conflicts = answer
            stored_rows = self._shared.stored_rows
        stored = self._shared.conflict_file
        if answer is not None and stored is not None:  # for the processes that come after
            stored.save(answer, rows_of=keys if keys is stored_rows else None)
            with self._shared.lock:
                self._shared.stored_rows = answer

    def _kept_answer(
        self,
        asked: tuple[object, ...],
        stamp: str,
        pairs: Sequence[ConflictPair],
        evidence: Sequence[EvidencePair],
        cases: Sequence[tuple[str, str]],
        keys: tuple[Sequence[tuple[str, ...]], Sequence[tuple[str, ...]]],
    ) -> KeptConflicts:
        """The register's conflicts `pairs` found in state `stamp` with what they were found
        with (`KeptConflicts`); `keys`: each one's (nodes, holders)."""
        facts = self.facts
        return KeptConflicts(
            asked=asked,
            stamp=stamp,
            pairs=tuple(pairs),  # never a list a caller may change
            cases=frozenset(frozenset(pair) for pair in cases),
            evidence=tuple(evidence),
            sources=dict(facts.sources),
            nodes=tuple(keys[0]),
            holders=tuple(keys[1]),
            memberships=frozenset(memberships(facts)),
            relatedness=dict(facts.relatedness),
        )

    def _near(
        self, focus: set[str], evidence: Iterable[EvidencePair]
    ) -> tuple[list[tuple[str, str, str]], SimilarTexts]:
        """The holding statements `conflict_marks_by_place` needs to choose the marks that
        may meet the marks of `focus` (canonical IRIs), and the stored similar pairs of their
        texts: those of the holdings of `focus`, and of the marks `_near_marks` finds."""
        facts = self.facts
        own = facts.holding_statements(focus)
        texts = {v for _, name, v in own if name == "verbalElement"}
        near, pairs = self._near_marks(focus, texts, evidence)
        # the focus's own statements are read already (a holding of two marks may come twice:
        # conflict_marks_by_place reads statements into sets)
        return own + facts.holding_statements(near - focus), pairs

    def _near_marks(
        self, focus: set[str], verbal: set[str], evidence: Iterable[EvidencePair]
    ) -> tuple[set[str], _StoredPairs]:
        """The marks that may meet the marks of `focus` (canonical IRIs; `verbal` the verbal
        elements of their holdings), and the stored similar pairs of their texts: the marks
        with the same or a similar text (their own, or a registration's verbal element) or
        paired with one of them by evidence."""
        facts = self.facts
        index = facts.mark_index
        canonical = facts.identities.canonical
        texts = set(verbal)
        for mark in focus:
            texts.update(t for t in (facts.marks.get(mark), facts.marks.get(canonical(mark))) if t)
        pairs = list(index.similar_pairs(index.similar_floor, texts=texts))
        texts |= {text for left, right, _ in pairs for text in (left, right)}
        near = index.marks_with_texts(texts)
        near |= {canonical(m) for m in verbal_element_marks(facts, facts.select, texts)}
        near |= {m for p in evidence if {p.left, p.right} & focus for m in (p.left, p.right)}
        return near, _StoredPairs(index, pairs)

    def _with_co_owners(self, parties: set[str]) -> tuple[set[str], set[str]]:
        """The parties with every co-owner of a right one of them holds on some date (named
        by its records or by a change of owner: `holders_on_any_date`), and theirs in turn,
        and the marks (canonical IRIs) they hold: a conflict over a co-owned right names the
        co-owner whose best pair with the other side scores most, so each co-owner's
        conflicts are searched over all its marks (`kg.analysis.conflicts._per_rights`)."""
        facts = self.facts
        found = set(parties)
        while True:
            focus = self._marks_held_by_all(found)
            rights: dict[str, set[str]] = {}
            for holding in facts.holdings(focus):  # its holders on any date: co-owners by
                # a change of owner naming several assignees (or assignors) too
                rights.setdefault(holding.id, set()).update(holders_on_any_date([holding]))
            more = {p for holders in rights.values() if holders & found for p in holders}
            if more <= found:
                return found, focus
            found |= more

    def _marks_held_by_all(self, parties: Collection[str]) -> set[str]:
        """The marks (canonical IRIs) of every registration or use naming one of `parties`
        (any IRI of it) in any role, or named with it by a recorded change of owner (a
        superset of those it holds on any date); a batch of parties a query."""
        facts = self.facts
        members = sorted({iri for party in parties for iri in facts.identities.members(party)})
        found: set[str] = set()
        for batch in batches(members):
            rows = facts.tuples(
                f"""SELECT DISTINCT ?m WHERE {{ VALUES ?p {{ {iri_values(batch)} }}
                      {{ ?h ?role ?p }} UNION {{ ?e <{TM}registration> ?h ; ?role ?p }}
                      ?h <{TM}mark> ?m }}"""
            )
            found.update(facts.identities.canonical(mark) for (mark,) in rows if mark)
        return found

    def _holding_nodes(self, nodes: Collection[str]) -> set[str]:
        """Those of `nodes` (IRIs) that are marks, or records or uses naming a mark
        (tm:mark): what a holding reads of them is read by their own holdings."""
        facts = self.facts
        found = {node for node in nodes if node in facts.marks}
        named = sorted(node for node in nodes if is_iri(node) and node not in found)
        for batch in batches(named):
            rows = facts.tuples(
                f"SELECT DISTINCT ?n WHERE {{ VALUES ?n {{ {iri_values(batch)} }} "
                f"?n <{TM}mark> ?m }}"
            )
            found.update(node for (node,) in rows if node)
        return found

    def _not_parties(self, nodes: Collection[str]) -> set[str]:
        """Those of `nodes` not typed as a party (tm:Party or a subclass)."""
        facts = self.facts
        named = sorted(nodes)
        found = {node for node in named if not is_iri(node)}
        for batch in batches([node for node in named if is_iri(node)]):
            rows = facts.tuples(
                f"""SELECT ?p WHERE {{ VALUES ?p {{ {iri_values(batch)} }}
                      FILTER NOT EXISTS {{ {A_PARTY} }} }}"""
            )
            found.update(node for (node,) in rows if node)
        return found

    def _marks_held_by(self, party: str) -> set[str]:
        """`_marks_held_by_all` of one party."""
        return self._marks_held_by_all([party])

    @staticmethod
    def _party_iris(holdings: Iterable[Holding]) -> set[str]:
        iris: set[str] = set()
        for holding in holdings:
            iris.add(holding.party)
            if holding.on_behalf_of:
                iris.add(holding.on_behalf_of)
        return iris


class _StoredPairs:
    """Some of a mark index's similar pairs (`kg.analysis.conflicts.SimilarTexts`): those of
    a few texts, read once (`MarkIndex.similar_pairs` with ``texts``)."""

    def __init__(self, index: MarkIndex, pairs: list[tuple[str, str, MarkSimilarity]]) -> None:
        self.similar_floor = index.similar_floor
        self._index, self._pairs = index, pairs

    def similar_pairs(
        self, min_similarity: float, among: Collection[str] | None = None
    ) -> list[tuple[str, str, MarkSimilarity]]:
        return [
            (left, right, similarity)
            for left, right, similarity in self._pairs
            if similarity.score >= min_similarity
            and (among is None or (left in among and right in among))
        ]

    def unknown_texts(self, texts: Iterable[str]) -> set[str]:
        return self._index.unknown_texts(texts)


def index_marks(graph: KnowledgeGraph) -> int:
    """Update the graph's mark index now (after a load, before serving), so the first
    question does not pay for it; only new or changed marks are keyed, and only new texts are
    compared for the similar pairs `conflicts` reads. Returns how many marks were keyed."""
    facts = Analyst(graph).facts
    keyed = facts.sync_mark_index()
    facts.mark_index.compare_new_texts()
    facts.catch_up_projection()  # while this process knows what its writes touched
    return keyed


_SHARING = threading.Lock()


def _shared_of(graph: KnowledgeGraph) -> _Shared:
    """The graph's analysis state, made by its first `Analyst` only: making one opens the
    mark index, the holdings projection and the conflict file (~10 ms; and their files
    stayed open until a collection, as `dict.setdefault` made one for every Analyst: a
    resource page or feed made one a request)."""
    shared = graph.__dict__.get("_analysis")
    if shared is None:
        with _SHARING:
            shared = graph.__dict__.get("_analysis")
            if shared is None:
                shared = graph.__dict__["_analysis"] = _Shared(graph)
    return shared


class _Shared:
    """Per-graph analysis state: the facts of the current generation and the mark index."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.graph = graph
        # a reader beside a writer (kg serve, kg load) reads the writer's index, never writes it
        self.index = MarkIndex(index_path_for(graph.store.location), read_only=graph.read_only)
        self.projection = _projection_of(graph)
        self._facts: FactBase | None = None
        self._generation = -1
        self._lock = threading.Lock()
        self.lock = threading.Lock()  # around kept_conflicts
        self.kept_conflicts: KeptConflicts | None = None  # kg.analysis.conflict_memo
        self.conflict_file = _conflict_file_of(graph)  # the kept conflicts, for the next process
        self.stored_rows: KeptConflicts | None = None  # the answer whose rows the file holds

    def forget_conflicts(self) -> None:
        """No register's conflicts kept, in memory or on disk: the next question searches."""
        with self.lock:
            self.kept_conflicts = self.stored_rows = None
        if self.conflict_file is not None:
            self.conflict_file.clear()

    def facts(self) -> FactBase:
        with self._lock:
            if self._facts is None or self._generation != self.graph.generation:
                self._facts = None  # the old facts thawed for collection (kg.analysis.gc_pause)
                thaw_long_lived()
                self._facts = FactBase(self.graph.store, self.index, self.projection)
                self._generation = self.graph.generation
            return self._facts


"""Codes users reach for that tmkg names otherwise (WIPO ST.3 / ISO 3166-1)."""


def _beside(graph: KnowledgeGraph, path: Path | None) -> tuple[Path, bytes] | None:
    """(`path`, the user's key) for a file of signed rows beside an on-disk store that keeps a
    write token (`kg.analysis.signed_rows`); None otherwise (memory, a remote store, no key:
    none another user or program wrote is ever built, so none is kept)."""
    if path is None or getattr(graph.store, "write_stamp", None) is None:
        return None
    key = user_key()
    return None if key is None else (path, key)


def _projection_of(graph: KnowledgeGraph) -> HoldingsProjection | None:
    """The holdings projection beside an on-disk store (`kg.analysis.holdings_projection`)."""
    store = graph.store
    found = _beside(graph, projection_path_for(store.location))
    if found is None:
        return None
    return HoldingsProjection(
        found[0],
        WriteStamp(Path(store.location)).read,
        getattr(store, "touched_since", None),
        key=found[1],
        status_like=lambda nodes: _any_status(store, nodes),
    )


def _conflict_file_of(graph: KnowledgeGraph) -> ConflictFile | None:
    """The register's kept conflicts beside an on-disk store (`kg.analysis.conflict_file`)."""
    found = _beside(graph, conflict_file_path_for(graph.store.location))
    if found is None:
        return None
    return ConflictFile(found[0], WriteStamp(Path(graph.store.location)).read, key=found[1])


def _any_status(store: Store, nodes: Iterable[str]) -> bool:
    """Whether any of the nodes is a status, or a code in the USPTO's status scheme, in the
    store as it is now (`HoldingsProjection`: such a node's statements change any holding)."""
    named = sorted(nodes)
    if not all(is_iri(node) for node in named):
        return True  # not an IRI a query may name: taken as a status (every row dropped)
    values = iri_values(named)
    return bool(
        store.query(
            f"""ASK {{ VALUES ?s {{ {values} }}
                  {{ ?s a <{TM}MarkStatus> }} UNION
                  {{ ?s <{_SKOS_IN_SCHEME}> <{USPTO_STATUS_SCHEME}> }} }}"""
        )
    )


_SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"


def _with_notes(usage: MarkUsage, question: str) -> MarkUsage:
    """A hit says after its reasons, as a conflict does, what was compared beyond the
    letters: the meaning and its dictionary when found by ``translation`` ("'骆驼' means
    'CAMEL' in English (CC-CEDICT)": `kg.analysis.translations.meaning_note`), the element
    of a mark in two scripts compared (`kg.analysis.similarity.element_note`), the letters
    of another script that look Latin (`kg.analysis.homoglyphs.look_alike_note`), and what of
    either mark was set aside as naming no source ("'INC.' of 'STEELCARE INC.' set aside
    ...": `kg.analysis.designations.set_aside_notes`, one reason per mark, so that what the
    question's own text lost reads the same on every hit and a table can say it once)."""
    text = usage.verbal_element or usage.mark.text
    set_aside = set_aside_notes(question, text) if usage.reasons else ()
    said = (*rule_notes(question, text, usage.reasons), *set_aside)
    return dataclasses.replace(usage, reasons=(*usage.reasons, *said)) if said else usage


def _check_comparable(text: str, argument: str) -> None:
    """Refuse a mark with nothing to compare: ``!!!``, emoji, joiners or combining marks
    alone (`kg.analysis.scripts.normalize` leaves nothing)."""
    if not normalize(text):
        raise arguments.ArgumentError(
            argument,
            f"the {'mark' if argument == 'mark' else argument + ' mark'} {text!r} has no "
            "letters or digits to compare",
            suggestion="give the mark's words (its verbal element)",
        )


def _folded(text: str) -> str:
    """A name as `find_party` compares it: NFKC (full-width ＬＧ is LG, as party resolution
    reads names), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def _tokens(text: str) -> list[str]:
    return [t for t in _WORD.split(_folded(text)) if t]


SUGGEST_MAX_LENGTH = 1_000
"""A text longer than this gets no suggestion (no name is spelt like it; scoring it against
every name would cost seconds)."""


def _suggest(wanted: str, choices: Iterable[str], pieces: bool = True) -> str | None:
    """ "did you mean …?" with the three names of `choices` spelt most like `wanted`, the
    best first and, at equal scores, in alphabetical order: the same whatever the order of
    `choices` (a set's order changes from run to run); None when none scores 60.

    Names and `wanted` are compared as rapidfuzz prepares them (NFKC, then letters and
    digits without case: `rapidfuzz.utils.default_process`; a name with none is never
    offered, a text with none gets nothing), scores 0-100, in two tiers:

    1. the whole name: `ratio`, or `token_sort_ratio` (words in another order), 75 or more
       for a name shorter than `wanted` (``Beverages`` is no suggestion for ``Kestral
       Bevrages``, nor ``Web`` for ``Amazn Web Services``); with
       `pieces`, for a name at least 1.5 times as long, `partial_ratio` of 80 or more (one
       letter in five changed at most: ``2015`` does not find ``aws-cn-2018``) weighed as
       WRatio weighs it (× 0.9, × 0.6 from 8 times as long), and only when `wanted` has a
       distinctive word (`kg.analysis.elements.distinctive_words`: not a legal form nor a
       weak word alone, ``Ltd``, ``Corp``): ``Amazn`` finds ``Amazon.com Inc.``;
    2. only when no name reaches 60 so: a distinctive word of `wanted` spelt like a whole
       name, 75 or more (``NOVALUX`` for ``NOVALUXE GMBH HOLDINGS``).

    So a name shorter than `wanted` is not offered for being a piece of it (``ALI`` for
    ``LOCALIEQ``), as WRatio offered it, unless nothing else is alike and it is spelt like a
    distinctive word of it. Names that prepare alike (``ACME GMBH``, ``Acme GmbH``) take one
    place, the first in alphabetical order.
    """
    names = list(choices)
    asked = default_process(_nfkc(wanted))
    if not names or not asked or len(wanted) > SUGGEST_MAX_LENGTH:
        return None
    prepared = [default_process(_nfkc(name)) for name in names]  # once, for every scorer
    cdist = functools.partial(process.cdist, choices=prepared, workers=-1)  # on every core
    best = numpy.maximum(
        cdist([asked], scorer=fuzz.ratio)[0], cdist([asked], scorer=fuzz.token_sort_ratio)[0]
    )
    lengths = numpy.fromiter(map(len, prepared), float, len(prepared)) / len(asked)
    best[(lengths < 1) & (best < 75)] = 0.0  # a shorter name: near the whole text, no piece
    distinctive = distinctive_words(wanted)
    if pieces and distinctive:
        weight = numpy.where(lengths >= 8, 0.6, numpy.where(lengths >= 1.5, 0.9, 0.0))
        partial = cdist([asked], scorer=fuzz.partial_ratio, score_cutoff=80)[0]
        best = numpy.maximum(best, partial * weight)
    found = _best_names(names, prepared, best, 60)
    words = [default_process(word) for word in distinctive if len(word) >= 3]
    if not found and words:
        found = _best_names(names, prepared, cdist(words, scorer=fuzz.ratio).max(axis=0), 75)
    return _did_you_mean(found)


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _best_names(
    names: list[str], prepared: list[str], scores: numpy.ndarray, cutoff: float
) -> dict[str, float]:
    """The names scoring `cutoff` or more (rounded to 0.01), one of those prepared alike
    (the first in alphabetical order), with their scores; none prepared empty."""
    found: dict[str, tuple[str, float]] = {}
    for at in numpy.flatnonzero(scores >= cutoff - 0.005):
        form, name, score = prepared[at], names[at], round(float(scores[at]), 2)
        if form and (form not in found or (-score, name) < (-found[form][1], found[form][0])):
            found[form] = (name, score)
    return dict(found.values())


def _did_you_mean(scores: dict[str, float]) -> str | None:
    """ "did you mean …?" with the three names of highest score, ties in alphabetical order."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:3]
    if not ranked:
        return None
    return "did you mean " + ", ".join(repr(name) for name, _ in ranked) + "?"


def _asked_key(
    jurisdiction: str | None,
    nice_class: int | None,
    min_score: float,
    when: PartialDate,
    include_lapsed: bool,
) -> tuple[object, ...]:
    """The question a register's conflicts answer is kept for, in memory and on disk
    (`KeptConflicts.asked`): `conflicts` and `conflict_stream` must name it alike."""
    return (jurisdiction, nice_class, min_score, str(when), include_lapsed)


def _as_date(value: PartialDate | dt.date | str | None) -> PartialDate | None:
    return None if value is None else arguments.date(value)
