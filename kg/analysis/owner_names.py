"""One party holding two marks in two scripts, each its own name there: evidence that the two
marks name one brand.

A comparison of texts cannot tell that ``腾讯`` is Tencent's Chinese name; the register can,
where the party holding both marks is named by both: ``TENCENT`` and ``腾讯`` held by one
party whose names are "Tencent Holdings Limited" and "腾讯控股有限公司" (a name and an alias,
or the names of records linked by owl:sameAs). So who-else-uses, asked about one of the two
marks, also looks for the marks similar to the other, with the reason ``owner-names`` and a
score of at most `OWNER_SCORE` (as a combined mark's, `kg.analysis.combined_marks`: read from
the register, not stated as a translation); `kg conflicts` reads the same pairs
(`owner_pairs`). Each hit so found cites what it rests on: the party's two names and its
holding of each mark (`kg.analysis.evidence`).

Which pairs count: a party (canonical) that owns, applied for or uses (tm:owner, tm:user)
both marks; one mark's text is Latin and the other's not (``normalize`` gives ASCII for one
only); each mark is in one of the party's names (schema:name, schema:alternateName) — a Latin
mark's words as a run of the name's words (``AMAZON`` in "Amazon.com Inc."), another
script's text inside the name (``腾讯`` in "腾讯控股有限公司") — and has a distinctive word or
two characters or more; and the two are not already alike (below `SAME_MARK`). A party holding
many unrelated marks pairs none of them by this: only marks that are its names. The mark
asked about must be nearly the party's mark (`SAME_MARK`), and the marks found through the
other nearly it or containing it: one step of likeness, not two (as for combined marks).

Sources: issue 15 ("translation evidence from the graph itself: ... the same owner holding
both marks"); CNIPA and Chinese courts read a foreign mark and its Chinese name as one brand
where the public links them (e.g. 米其林 / MICHELIN, 乔丹 / JORDAN in
``bench/decisions/asia.csv``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.elements import distinctive_words
from kg.analysis.evidence import EvidencePair, Statement, pairs_through
from kg.analysis.scripts import normalize, whole_han, words
from kg.analysis.similarity import MarkSimilarity, compare
from kg.analysis.similarity_rules import find_run
from kg.analysis.sparql_text import HOLDING_TYPES, batches, iri_in, iri_values
from kg.analysis.stated_texts import SAME_MARK
from kg.namespaces import TM

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["OWNER_REASON", "OWNER_SCORE", "in_names", "owner_equivalents", "owner_pairs"]

OWNER_SCORE = 0.85
"""The highest score a mark found through its holder's names gives (the threshold is 0.8)."""
OWNER_REASON = "owner-names"
_HOLDER_ROLES = (f"{TM}owner", f"{TM}user")
_NAMES = ("https://schema.org/name", "https://schema.org/alternateName")
_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_SPLIT = re.compile(r"[\W_]+")
SimilarMarks = Callable[[str, float], Mapping[str, MarkSimilarity]]


@dataclass(frozen=True)
class _Held:
    """A mark a party holds, with the statement of one holding of it."""

    mark: str  # canonical IRI
    text: str
    holding: tuple[Statement, Statement]  # (it, tm:owner or tm:user, the record), its tm:mark


@dataclass(frozen=True)
class OwnerPair:
    """Two marks of one party in two scripts, each in one of its names."""

    party: str
    first: _Held
    second: _Held
    statements: tuple[Statement, ...]  # the two names, the two holdings


def in_names(text: str, names: Iterable[str]) -> str | None:
    """The first of `names` that shows the mark `text`, or None. A Latin mark's words are a
    run of a name's words; another script's are a run of a name's words too (split at
    spaces and punctuation, each `normalize`d), except that a mark in Chinese characters
    alone may lie inside one word (Chinese writes no spaces: ``腾讯`` in "腾讯控股有限公司"),
    never across two (helper-125: ``МИР`` inside "Мираж", ``벨전`` across "한벨 전자"). A mark
    with no distinctive word (a legal form, ``有限公司``), or of one character in another
    script, is in no name.

    >>> in_names("AMAZON", ["Amazon.com Inc."]), in_names("腾讯", ["腾讯控股有限公司"])
    ('Amazon.com Inc.', '腾讯控股有限公司')
    >>> in_names("AMAZ", ["Amazon.com Inc."]), in_names("INC", ["Amazon.com Inc."])
    (None, None)
    >>> in_names("МИР", ["ООО Мираж Фэшн"]), in_names("벨전", ["한벨 전자 주식회사"])
    (None, None)
    >>> in_names("한벨", ["한벨 전자 주식회사"]), in_names("サクラ", ["サクラバ株式会社"])
    ('한벨 전자 주식회사', None)
    """
    if not distinctive_words(text):
        return None
    folded = normalize(text)
    if folded.isascii():
        asked = words(text)
        return next((name for name in names if find_run(asked, words(name)) >= 0), None)
    if len(folded) < 2:
        return None
    asked = _tokens(text)
    han = whole_han(folded) == folded
    for name in names:
        tokens = _tokens(name)
        if find_run(asked, tokens) >= 0 or (han and any(folded in token for token in tokens)):
            return name
    return None


def _tokens(text: str) -> tuple[str, ...]:
    """The words of a text in any script, split at spaces and punctuation, `normalize`d."""
    return tuple(t for part in _SPLIT.split(text) if (t := normalize(part)))


def _latin(text: str) -> bool:
    """Whether a mark's text is in Latin letters (accents and all: ``CAFÉ``)."""
    return text.isascii() or normalize(text).isascii()


def owner_equivalents(
    facts: FactBase, similar: Mapping[str, MarkSimilarity]
) -> list[tuple[str, str, tuple[Statement, ...]]]:
    """(reason, text, the statements saying so) for the other mark of each `OwnerPair` whose
    one mark is nearly the mark asked about (`similar`: mark IRI -> similarity to it, at
    `SAME_MARK` or more): asked about TENCENT, the party holding TENCENT and 腾讯, named by
    both, says to look for 腾讯 too. Each text once, in a stable order."""
    nearly = {facts.identities.canonical(iri) for iri, s in similar.items() if s.score >= SAME_MARK}
    if not nearly:
        return []
    # their holders, as the question reads them anyway (kept in memory: no store read here)
    holders = _named_twice(facts, {h.party for h in facts.marks_holdings(nearly)})
    if not holders:
        return []
    found: dict[str, list[Statement]] = {}
    for pair in _owner_pairs(facts, holders):
        for one, other in ((pair.first, pair.second), (pair.second, pair.first)):
            if one.mark in nearly and other.mark not in nearly:
                found.setdefault(other.text, []).extend(pair.statements)
    return [
        (OWNER_REASON, text, tuple(dict.fromkeys(said))) for text, said in sorted(found.items())
    ]


def owner_pairs(
    facts: FactBase,
    similar_marks: SimilarMarks,
    min_similarity: float,
    canonical: Callable[[str], str] = str,
) -> list[EvidencePair]:
    """The pairs of marks (canonical IRIs) the `OwnerPair`s of the register make alike, as
    who-else-uses reads them (`owner_equivalents`): for each pair and each of its marks, a
    mark X nearly that mark (`SAME_MARK`) but not the other meets every mark F nearly the
    other or containing it, with the reason ``owner-names`` and the score of F against the
    other mark, at most `OWNER_SCORE`. Each pair once (`keep_pair`).

    Reads the holders of the register's marks in scripts other than Latin, then their marks
    and names: two or three queries per 1,000 such holders."""
    marks = facts.marks
    others = {facts.identities.canonical(iri) for iri, text in marks.items() if not _latin(text)}
    found: dict[tuple[str, str, str], EvidencePair] = {}
    for pair in _owner_pairs(facts, _named_twice(facts, _holders(facts, others))):
        evidence = (
            MarkSimilarity(OWNER_SCORE, (OWNER_REASON,)),
            pair.statements,
            f"one party holds {pair.first.text!r} and {pair.second.text!r}, each in one of its "
            "names",
        )
        for one, other in ((pair.first, pair.second), (pair.second, pair.first)):
            pairs_through(
                found,
                one.text,
                other.text,
                evidence,
                marks,
                similar_marks,
                (SAME_MARK, min_similarity),
                canonical,
            )
    return list(found.values())


def _named_twice(facts: FactBase, parties: Collection[str]) -> set[str]:
    """Those of `parties` named in Latin letters and in another script (name and aliases):
    the only ones whose names can show two marks in two scripts."""
    return {
        iri
        for iri, party in facts.parties(parties).items()
        if len({_latin(name) for name in (party.name, *party.aliases)}) == 2
    }


def _holders(facts: FactBase, marks: Collection[str]) -> set[str]:
    """The parties (canonical) that own, applied for or use one of `marks` (any IRI of it)."""
    identities = facts.identities
    every = sorted({iri for mark in marks for iri in identities.members(mark)})
    found: set[str] = set()
    for batch in batches(every):
        rows = facts.tuples(
            f"""SELECT DISTINCT ?p WHERE {{ VALUES ?m {{ {iri_values(batch)} }}
                  ?h <{TM}mark> ?m ; ?role ?p ; a ?kind .
                  {iri_in("role", _HOLDER_ROLES)} {iri_in("kind", HOLDING_TYPES)} }}"""
        )
        found.update(identities.canonical(party) for (party,) in rows if party)
    return found


def _owner_pairs(facts: FactBase, parties: Collection[str]) -> list[OwnerPair]:
    """The `OwnerPair`s of `parties` (canonical IRIs), in a stable order."""
    identities = facts.identities
    marks = facts.marks
    members = sorted({iri for party in parties for iri in identities.members(party)})
    held: dict[str, dict[str, _Held]] = defaultdict(dict)  # party -> mark -> held
    names: dict[str, dict[str, Statement]] = defaultdict(dict)  # party -> name -> statement
    links: dict[str, list[Statement]] = defaultdict(list)  # record -> its owl:sameAs links
    for batch in batches(members):
        values = iri_values(batch)
        for holding, role, record, mark in facts.tuples(
            f"""SELECT ?h ?role ?p ?m WHERE {{ VALUES ?p {{ {values} }}
                  ?h ?role ?p ; <{TM}mark> ?m ; a ?kind .
                  {iri_in("role", _HOLDER_ROLES)} {iri_in("kind", HOLDING_TYPES)} }}"""
        ):
            mark_iri = identities.canonical(mark)  # type: ignore[arg-type]
            text = marks.get(mark_iri) or marks.get(mark)  # type: ignore[arg-type]
            party = identities.canonical(record)  # type: ignore[arg-type]
            if text and mark_iri not in held[party]:
                said = ((holding, role, record), (holding, f"{TM}mark", mark))
                held[party][mark_iri] = _Held(mark_iri, text, said)  # type: ignore[arg-type]
        for one, other in facts.tuples(
            f"""SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} ?a <{_SAME_AS}> ?b }}"""
        ):
            links[one].append((one, _SAME_AS, other))  # type: ignore[index,arg-type]
            links[other].append((one, _SAME_AS, other))  # type: ignore[index,arg-type]
        for record, prop, name in facts.tuples(
            f"""SELECT ?p ?q ?n WHERE {{ VALUES ?p {{ {values} }}
                  ?p ?q ?n {iri_in("q", _NAMES)} }}"""
        ):
            party = identities.canonical(record)  # type: ignore[arg-type]
            names[party].setdefault(name, (record, prop, name))  # type: ignore[arg-type,index]
    pairs = []
    for party in sorted(held):
        shown = names.get(party, {})
        latin = [h for h in held[party].values() if _latin(h.text)]
        other = [h for h in held[party].values() if not _latin(h.text)]
        for first in sorted(latin, key=lambda h: h.mark):
            first_name = in_names(first.text, shown)
            if first_name is None:
                continue
            for second in sorted(other, key=lambda h: h.mark):
                second_name = in_names(second.text, shown)
                if second_name is None or compare(first.text, second.text).score >= SAME_MARK:
                    continue
                named = (shown[first_name], shown[second_name])
                said = [*named, *first.holding, *second.holding]
                # a record of the party's group other than its own: the links making it so
                records = {named[0][0], named[1][0], first.holding[0][2], second.holding[0][2]}
                said += [link for r in sorted(records - {party}) for link in links.get(r, ())]
                pairs.append(OwnerPair(party, first, second, tuple(dict.fromkeys(said))))
    return pairs
