"""Party resolution: one legal entity recorded under two IRIs is linked by owl:sameAs.

A register import mints a party per owner name, so "Nike, Inc." from a USPTO file and
"Nike, Inc" from the seed are two parties until something says they are one. Names are
normalized (Unicode NFKC for full-width forms, case folded, punctuation dropped, legal-form
suffixes split off with `cleanco`, plus the Chinese, Japanese and Korean forms it lacks) and
compared by blocking key, never all pairs:

- the same name and the same legal form (``Nike, Inc.`` / ``NIKE INC`` / ``Nike
  Incorporated`` / ``ＮＩＫＥ，ＩＮＣ．``) is an automatic link, score 1.0, written by
  `resolve_parties` to the resolution graph (`RESOLUTION_GRAPH`) with its evidence as a
  tm:PartyMatch;
- the same name with another legal form (``Nike Ltd``: often a different company of one
  group), a close spelling, or two persons of one name is a candidate below the threshold,
  listed by `duplicate_candidates` for a person to confirm, never linked.

The analyses read owl:sameAs from every graph (`kg.analysis.facts.Identities`), so linked
parties are one party in who-else-uses and conflicts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import pyoxigraph as ox
from cleanco import basename
from cleanco.clean import normalized, prepare_default_terms, strip_punct, strip_tail
from rapidfuzz import fuzz, process

from kg.analysis.facts import Identities
from kg.analysis.sparql_text import TM
from kg.analysis.thresholds import CANDIDATE_MIN_SCORE
from kg.graph import KnowledgeGraph
from kg.lazy import lazy_module

np = lazy_module("numpy")  # loaded on first use (~0.1 s): kg.lazy

__all__ = [
    "AUTOMATIC_SCORE",
    "CANDIDATE_MIN_SCORE",
    "RESOLUTION_GRAPH",
    "NormalizedName",
    "PartyMatch",
    "PartyRecord",
    "duplicate_candidates",
    "match_parties",
    "normalize_party_name",
    "party_records",
    "resolve_parties",
]

RESOLUTION_GRAPH = "https://w3id.org/tmkg/id/graph/resolution"
RESOLUTION_SOURCE = "https://w3id.org/tmkg/id/source/tmkg-party-resolution"
AUTOMATIC_SCORE = 1.0  # only an exact normalized match (name and legal form) links by itself
_OTHER_FORM_SCORE = 0.9  # same name, another legal form: a candidate, never automatic

# Spelled-out and abbreviated forms that are one legal form; cleanco finds them, it does not
# say they are the same (its coarse types put GmbH and Ltd together, which they are not).
_FORM_SYNONYMS = {"incorporated": "inc", "corporation": "corp", "limited": "ltd", "company": "co"}
# Legal forms cleanco does not know, longest first: mainland and Taiwan Chinese, Japanese,
# Korean. 株式会社 / 주식회사 also come first in a name.
_CJK_FORMS = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司",
    "株式会社", "有限会社", "合同会社", "주식회사", "유한회사",
)  # fmt: skip
_CJK_PREFIX_FORMS = ("株式会社", "주식회사")
_PUNCTUATION = re.compile(r"[\W_]+")
_GLUED_COMMA = re.compile(r",(?=\S)")
_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PARTY_TYPES = ("Party", "Company", "Person", "Court", "TrademarkOffice")


@dataclass(frozen=True)
class NormalizedName:
    """A party name reduced to what identifies it: a key and the legal form set aside.

    >>> normalize_party_name("ＮＩＫＥ，ＩＮＣ．")
    NormalizedName(key='nike', legal_form=('inc',))
    >>> normalize_party_name("Beijing Sinnet Technology Co., Ltd.").legal_form
    ('co', 'ltd')
    >>> normalize_party_name("华为技术有限公司")
    NormalizedName(key='华为技术', legal_form=('有限公司',))
    """

    key: str
    legal_form: tuple[str, ...]


def normalize_party_name(name: str) -> NormalizedName:
    """Normalize a party name: NFKC, casefold, legal forms split off, punctuation dropped."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    # "ＮＩＫＥ，ＩＮＣ．" reads "nike,inc.": cleanco finds forms between spaces.
    text = _GLUED_COMMA.sub(", ", text)
    forms: list[str] = []
    for prefix in _CJK_PREFIX_FORMS:
        if text.startswith(prefix) and text[len(prefix) :].strip():
            forms.append(prefix)
            text = text[len(prefix) :].strip()
    while True:
        stripped, form = _strip_legal_form(text)
        if not form or not _key(stripped):
            break
        forms.insert(0, form)
        text = stripped
    return NormalizedName(_key(text), tuple(forms))


_LAST_TERM_WORDS = frozenset(parts[-1] for _, parts in prepare_default_terms())
"""The last word of each of cleanco's legal forms, as its `custom_basename` compares them."""


def _basename(name: str) -> str:
    """cleanco's `basename` of `name`, its legal forms looked up only when the name's last
    word (normalized as cleanco does) ends one: looking each up is ~90% of its cost (~45 µs a
    name; a register's ~170,000 party names at every load), and a name no form ends is only
    tidied (`strip_tail`), as cleanco then does. The same answer for any name:
    tests/test_resolution.py compares them."""
    words = normalized(strip_tail(name)).split()
    if words and strip_punct(words[-1]) in _LAST_TERM_WORDS:
        return basename(name)
    return strip_tail(" ".join(strip_tail(name).split()))


def _strip_legal_form(text: str) -> tuple[str, str]:
    """The name without its last legal form, and that form ('' when there is none)."""
    bare = text.rstrip(" .,;:-")
    for form in _CJK_FORMS:
        if bare.endswith(form):
            return bare[: -len(form)].rstrip(" ,"), form
    base = _basename(bare)
    if base == bare or not bare.startswith(base):
        return text, ""
    words = _PUNCTUATION.sub(" ", bare[len(base) :]).split()
    return base, " ".join(_FORM_SYNONYMS.get(word, word) for word in words)


def _key(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", text).split())


@dataclass(frozen=True)
class PartyRecord:
    """A party as stored: its IRI, its names (schema:name) and whether it is a person."""

    iri: str
    names: tuple[str, ...]
    person: bool = False


@dataclass(frozen=True)
class PartyMatch:
    """Two parties that may be one, with the evidence: names, normalized form, score, method."""

    left: str
    right: str
    left_name: str
    right_name: str
    normalized: str
    score: float
    method: str
    automatic: bool = field(default=False)

    def row(self) -> dict[str, object]:
        """A flat dict for JSON and tables."""
        return {
            "left": self.left,
            "left_name": self.left_name,
            "right": self.right,
            "right_name": self.right_name,
            "normalized": self.normalized,
            "score": round(self.score, 3),
            "method": self.method,
            "automatic": self.automatic,
        }


def match_parties(
    parties: Iterable[PartyRecord],
    identities: Identities | None = None,
    min_score: float = CANDIDATE_MIN_SCORE,
) -> list[PartyMatch]:
    """Pairs of parties whose names match, best first; pairs already one identity are left out.

    Candidates come from blocking keys (the normalized key, and its first and its last three
    characters for close spellings), never from all pairs. Names whose numbers differ ("Studio 54",
    "Studio 55"; a register's placeholder owners "owner of EM 0123" and "owner of EM 0124")
    name other parties and are never proposed.

    >>> found = match_parties([PartyRecord("a", ("Nike, Inc.",)), PartyRecord("b", ("NIKE INC",)),
    ...                        PartyRecord("c", ("Nike Ltd",)), PartyRecord("d", ("Apple Bank",))])
    >>> [(m.left, m.right, m.score, m.automatic) for m in found]
    [('a', 'b', 1.0, True), ('a', 'c', 0.9, False), ('b', 'c', 0.9, False)]
    """
    same = identities.canonical if identities is not None else (lambda iri: iri)
    names: list[tuple[PartyRecord, str, NormalizedName]] = []
    for party in parties:
        for name in party.names:
            normalized = normalize_party_name(name)
            if normalized.key:
                names.append((party, name, normalized))
    best: dict[tuple[str, str], PartyMatch] = {}
    for members in _blocks(names):
        keys = [names[i][2].key for i in members]
        for x, y in _alike_pairs(keys, min_score):
            match = _compare(names[members[x]], names[members[y]], min_score)
            if match is None or same(match.left) == same(match.right):
                continue
            pair = (match.left, match.right)
            if pair not in best or best[pair].score < match.score:
                best[pair] = match
    return sorted(best.values(), key=lambda m: (-m.score, m.left, m.right))


def name_match(left: str, right: str, min_score: float = CANDIDATE_MIN_SCORE) -> float | None:
    """The score `match_parties` gives two names of different parties (None below
    `min_score`): 1.0 for the same normalized name, else their similarity. Names less than
    80% alike as written, the shorter against its best place in the longer (a legal form
    spelled out), are not normalized: cheap enough for every pair of a conflict list.

    >>> name_match("日商日商松下電器產業股份有限公司", "日商松下電器產業股份有限公司")
    0.8889
    >>> name_match("NIKE, INC.", "Nike Inc"), name_match("Studio 54", "Studio 55")
    (1.0, None)
    """
    if fuzz.partial_ratio(left.casefold(), right.casefold(), score_cutoff=80) == 0:
        return None
    found = _compare(
        (PartyRecord("left", (left,)), left, normalize_party_name(left)),
        (PartyRecord("right", (right,)), right, normalize_party_name(right)),
        min_score,
    )
    return None if found is None else round(found.score, 4)


_DIGITS = re.compile(r"\d+")
BLOCK_MAX = 500
"""Names compared pairwise at most in one block: a bigger block is split by a longer prefix."""
_CDIST_CELLS = 4_000_000  # ratios computed per rapidfuzz call: 16 MB of float32
_RATIO_MARGIN = 0.01  # below the bound, so float32 rounding in cdist drops no pair


def _blocks(names: list[tuple[PartyRecord, str, NormalizedName]]) -> Iterable[list[int]]:
    """Groups of names to compare pairwise: names that share the first three characters of
    their key (spaces removed), and names that share its last three (a name mistyped at its
    beginning: ``日商日商松下電器產業`` / ``日商松下電器產業``, a word added in front); a group of
    more than `BLOCK_MAX` split again by a longer prefix (or suffix), so a register with
    100,000 owners is not 10^10 comparisons (spellings that differ within the first and the
    last characters of crowded groups are then not proposed). Names with the same key always
    share a group (the automatic matches are never lost)."""
    keys = [name[2].key.replace(" ", "") for name in names]
    for affix in (_prefix, _suffix):
        pending = [(3, list(range(len(names))))]
        while pending:
            length, members = pending.pop()
            groups: dict[str, list[int]] = defaultdict(list)
            for index in members:
                groups[affix(keys[index], length)].append(index)
            for shared, group in groups.items():
                if len(group) <= BLOCK_MAX or len(shared) < length:
                    yield group  # small enough, or every key in it is this affix: no longer one
                else:
                    pending.append((length + 2, group))


def _alike_pairs(keys: list[str], min_score: float) -> Iterator[tuple[int, int]]:
    """The positions (x < y, row by row) of the pairs of a block's normalized keys that
    `_compare` may score `min_score` or more: those whose `fuzz.ratio` reaches it (equal keys
    too), found by rapidfuzz's ``cdist`` in C++ (a little below the bound: `_compare`
    decides; above 0 a pair of ratio 0 is none, and past 1 only equal keys are tried).
    Comparing every pair of a block in Python took ~40 s at 170,000 parties (the 1M-mark
    synthetic register), after every load."""
    if min_score <= 0:
        yield from combinations(range(len(keys)), 2)
        return
    step = max(1, _CDIST_CELLS // len(keys))
    for start in range(0, len(keys), step):
        scores = process.cdist(
            keys[start : start + step],
            keys,
            scorer=fuzz.ratio,
            score_cutoff=min(100.0, max(0.0, min_score * 100 - _RATIO_MARGIN)),
            dtype=np.float32,
        )
        for row, column in zip(*np.nonzero(scores), strict=True):
            if column > start + row:
                yield start + int(row), int(column)


def _prefix(key: str, length: int) -> str:
    return key[:length]


def _suffix(key: str, length: int) -> str:
    return key[-length:]


def _compare(
    one: tuple[PartyRecord, str, NormalizedName],
    other: tuple[PartyRecord, str, NormalizedName],
    min_score: float,
) -> PartyMatch | None:
    (left, left_name, left_norm), (right, right_name, right_norm) = sorted(
        (one, other), key=lambda item: item[0].iri
    )
    if left.iri == right.iri:
        return None
    if left_norm.key == right_norm.key:
        if left_norm.legal_form == right_norm.legal_form:
            score, method = AUTOMATIC_SCORE, "normalized-name"
        else:
            score, method = _OTHER_FORM_SCORE, "normalized-name, legal form differs"
    elif _DIGITS.findall(left_norm.key) != _DIGITS.findall(right_norm.key):
        return None  # "Studio 54" and "Studio 55", "Owner 12" and "Owner 13": other parties
    else:
        score = fuzz.ratio(left_norm.key, right_norm.key) / 100
        method = "similar-name"
    if score < min_score:
        return None
    persons = left.person or right.person
    if persons and score >= AUTOMATIC_SCORE:
        method += " (persons: never automatic)"
    forms = {" ".join(n.legal_form) for n in (left_norm, right_norm)} - {""}
    normalized = (
        left_norm.key
        if left_norm.key == right_norm.key
        else (f"{left_norm.key} / {right_norm.key}")
    )
    if forms:
        normalized += f" [{' / '.join(sorted(forms))}]"
    return PartyMatch(
        left.iri,
        right.iri,
        left_name,
        right_name,
        normalized,
        score,
        method,
        automatic=score >= AUTOMATIC_SCORE and not persons,
    )


# ---------------------------------------------------------------- the store bridge


def party_records(graph: KnowledgeGraph) -> list[PartyRecord]:
    """Every party in the store with its schema:name values."""
    types = " ".join(f"<{TM}{name}>" for name in _PARTY_TYPES)
    result = graph.store.query(
        f"""SELECT ?party ?type ?name WHERE {{
              VALUES ?type {{ {types} }}
              ?party a ?type ; <https://schema.org/name> ?name }}"""
    )
    names: dict[str, set[str]] = defaultdict(set)
    persons: set[str] = set()
    for row in result:  # type: ignore[union-attr]
        party, kind, name = (term.value for term in row)
        names[party].add(name)
        if kind == TM + "Person":
            persons.add(party)
    return [PartyRecord(iri, tuple(sorted(n)), iri in persons) for iri, n in names.items()]


def _identities(graph: KnowledgeGraph) -> Identities:
    result = graph.store.query(f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{_OWL_SAME_AS}> ?b }}")
    return Identities((a.value, b.value) for a, b in result)  # type: ignore[union-attr]


def duplicate_candidates(
    graph: KnowledgeGraph, min_score: float = CANDIDATE_MIN_SCORE
) -> list[PartyMatch]:
    """Pairs that may be one party but are below the automatic threshold: for a person to
    confirm (by stating owl:sameAs in a curation graph), never linked by tmkg."""
    found = match_parties(party_records(graph), _identities(graph), min_score)
    return [match for match in found if not match.automatic]


def resolve_parties(graph: KnowledgeGraph) -> list[PartyMatch]:
    """Link every pair of parties with the same normalized name and legal form: owl:sameAs
    and a tm:PartyMatch in `RESOLUTION_GRAPH`. Returns the new links; idempotent."""
    found = [m for m in match_parties(party_records(graph), _identities(graph)) if m.automatic]
    if not found:
        return []
    quads = [*_graph_description(), *(q for match in found for q in _link_quads(match))]
    if graph.store.add(quads):
        graph.changed()
    return found


def _graph_description() -> list[ox.Quad]:
    named, default = ox.NamedNode(RESOLUTION_GRAPH), ox.DefaultGraph()
    source = ox.NamedNode(RESOLUTION_SOURCE)
    return [
        ox.Quad(named, ox.NamedNode(_RDF + "type"), ox.NamedNode(TM + "CurationGraph"), default),
        ox.Quad(named, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), source, default),
        ox.Quad(source, ox.NamedNode(_RDF + "type"), ox.NamedNode(TM + "Source"), default),
        ox.Quad(
            source,
            ox.NamedNode("http://purl.org/dc/terms/title"),
            ox.Literal("tmkg party resolution: the same normalized name and legal form"),
            default,
        ),
    ]


def _link_quads(match: PartyMatch) -> list[ox.Quad]:
    graph = ox.NamedNode(RESOLUTION_GRAPH)
    digest = hashlib.sha256(f"{match.left}\n{match.right}".encode()).hexdigest()[:16]
    node = ox.NamedNode(f"https://w3id.org/tmkg/id/party-match/{digest}")
    left, right = ox.NamedNode(match.left), ox.NamedNode(match.right)
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    values: Mapping[str, Iterable[ox.NamedNode | ox.Literal]] = {
        _RDF + "type": [ox.NamedNode(TM + "PartyMatch")],
        TM + "matchedParty": [left, right],
        TM + "matchedName": [ox.Literal(match.left_name), ox.Literal(match.right_name)],
        TM + "normalizedName": [ox.Literal(match.normalized)],
        TM + "matchScore": [ox.Literal(f"{match.score:.3f}", datatype=decimal)],
        TM + "matchMethod": [ox.Literal(match.method)],
    }
    quads = [ox.Quad(left, ox.NamedNode(_OWL_SAME_AS), right, graph)]
    for predicate, objects in values.items():
        quads += [ox.Quad(node, ox.NamedNode(predicate), o, graph) for o in objects]
    return quads
