"""Synthetic trademark registries in the ontology's terms, deterministic by seed.

Realistic enough to measure and to test scale: owners hold a heavy-tailed number of marks,
mark texts are built from syllables with real near-duplicates (case, punctuation, one-letter
spelling variants, and Chinese marks beside their pinyin), Nice classes follow a skewed
distribution, jurisdictions carry their priority rules, and some marks are also used or
litigated: each jurisdiction has a tm:Court, and a small share of near-duplicate pairs became a
tm:Case (the earlier mark's owner against the look-alike's) with a tm:LawsuitFiled event.

The cases are drawn from their own random stream and written after everything else, so adding
them left the rest of a seed's output unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.ingest.source_header import SourceDescription

__all__ = ["SYLLABLES", "SyntheticRegistry", "generate", "renamed"]

ID = "https://w3id.org/tmkg/id/"
TM = "https://w3id.org/tmkg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
NAME = ox.NamedNode("https://schema.org/name")
XSD = "http://www.w3.org/2001/XMLSchema#"

SYLLABLES = [
    "ka",
    "ri",
    "to",
    "na",
    "mi",
    "so",
    "lu",
    "ve",
    "ra",
    "zen",
    "tek",
    "lo",
    "max",
    "on",
    "ix",
    "ar",
    "el",
    "no",
    "va",
    "sol",
    "neo",
    "bit",
    "ora",
    "pix",
    "qua",
    "fin",
    "dex",
    "tri",
    "mo",
    "sky",
    "lum",
    "cor",
    "vox",
    "ly",
    "ta",
    "ge",
    "fa",
    "bo",
    "da",
    "ben",
    "cal",
    "dor",
    "eth",
    "fu",
    "gal",
    "hex",
    "jo",
    "kel",
    "mar",
    "nim",
    "ob",
    "pra",
    "quo",
    "ros",
    "sen",
    "tor",
    "ul",
    "vin",
    "wex",
    "yal",
    "zor",
    "bri",
    "cle",
    "dra",
    "fro",
    "glo",
    "ju",
    "kro",
    "pli",
    "stra",
    "vel",
]
_HANZI = "华为小米腾讯阿里巴特斯拉光环新网龙凤天星云海金银月日山水东方明"
# Class weights: software, services, retail and clothing dominate real registers.
_CLASSES = (
    [9] * 12 + [35] * 10 + [42] * 9 + [25] * 6 + [41] * 5 + [30] * 3 + [3] * 3 + list(range(1, 46))
)
_JURISDICTIONS = ["CN"] * 5 + ["US"] * 3 + ["DE", "JP", "GB", "FR", "KR", "IN"]


@dataclass(frozen=True)
class SyntheticRegistry:
    """Counts of what `generate` produced."""

    marks: int
    owners: int
    quads: int


def _text(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return "".join(rng.choice(_HANZI) for _ in range(rng.randint(2, 3)))
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
    return word.upper() if rng.random() < 0.7 else word.capitalize()


def _variant(text: str, rng: random.Random) -> str:
    """A near-duplicate of a mark text, as squatters and look-alikes make them."""
    roll = rng.random()
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        from pypinyin import Style, lazy_pinyin

        return "".join(lazy_pinyin(text, style=Style.NORMAL)).upper()
    if roll < 0.3:
        return "-".join((text[: len(text) // 2], text[len(text) // 2 :]))
    if roll < 0.5:
        return text.lower() if text.isupper() else text.upper()
    position = rng.randrange(len(text))
    letter = rng.choice("AEIOUKSTRLNM")
    return text[:position] + letter + text[position + 1 :] if roll < 0.8 else text + letter


def _date(rng: random.Random, start: int, end: int) -> str:
    year = rng.randint(start, end)
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(
    marks: int, seed: int = 0, variant_rate: float = 0.15, case_rate: float = 0.05
) -> Iterator[ox.Quad]:
    """Quads of a registry with `marks` marks, each in a named graph per jurisdiction.

    `case_rate` is the share of near-duplicate pairs (of different owners) that were litigated.

    >>> quads = list(generate(50, seed=1))
    >>> len({q.subject for q in quads if q.predicate.value == TM + "text"})
    50
    >>> quads == list(generate(50, seed=1))
    True
    >>> cases = {q.subject for q in generate(2000, seed=1) if q.object.value == TM + "Case"}
    >>> 5 < len(cases) < 50
    True
    """
    rng = random.Random(seed)
    owners = max(1, marks // 6)
    # Zipf-like: a few owners hold many marks.
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(owners)]
    texts: list[str] = []
    held: list[tuple[int, str, str]] = []  # per mark: owner, jurisdiction, filing date
    look_alikes: list[tuple[int, int]] = []  # (mark, the earlier mark it imitates)
    for code in sorted(set(_JURISDICTIONS)):
        described = SourceDescription(f"Synthetic {code} register extract (seed {seed})")
        yield from described.quads(
            f"{ID}graph/synthetic/{code.lower()}", f"{ID}source/synthetic-{code.lower()}"
        )
    owner_graph = ox.NamedNode(f"{ID}graph/synthetic/owners")
    for index in range(owners):
        owner = ox.NamedNode(f"{ID}party/synthetic-{index}")
        yield ox.Quad(owner, RDF_TYPE, ox.NamedNode(TM + "Company"), owner_graph)
        yield ox.Quad(
            owner, NAME, ox.Literal(f"{_text(rng).title()} Holdings {index}"), owner_graph
        )
    owner_ids = rng.choices(range(owners), weights=weights, k=marks)
    for index in range(marks):
        if texts and rng.random() < variant_rate:
            original = rng.randrange(len(texts))  # the same draw as rng.choice(texts)
            text = _variant(texts[original], rng)
            look_alikes.append((index, original))
        else:
            text = _text(rng)
        texts.append(text)
        code = rng.choice(_JURISDICTIONS)
        graph = ox.NamedNode(f"{ID}graph/synthetic/{code.lower()}")
        mark = ox.NamedNode(f"{ID}mark/synthetic-{index}")
        owner = ox.NamedNode(f"{ID}party/synthetic-{owner_ids[index]}")
        registration = ox.NamedNode(f"{ID}registration/synthetic-{index}")
        jurisdiction = ox.NamedNode(f"{ID}jurisdiction/{code}")
        yield ox.Quad(mark, RDF_TYPE, ox.NamedNode(TM + "Mark"), graph)
        yield ox.Quad(mark, ox.NamedNode(TM + "text"), ox.Literal(text), graph)
        yield ox.Quad(registration, RDF_TYPE, ox.NamedNode(TM + "Registration"), graph)
        yield ox.Quad(registration, ox.NamedNode(TM + "mark"), mark, graph)
        yield ox.Quad(registration, ox.NamedNode(TM + "owner"), owner, graph)
        yield ox.Quad(registration, ox.NamedNode(TM + "jurisdiction"), jurisdiction, graph)
        for nice in sorted(set(rng.choices(_CLASSES, k=rng.choice((1, 1, 1, 2, 3))))):
            yield ox.Quad(
                registration,
                ox.NamedNode(TM + "niceClass"),
                ox.NamedNode(f"{ID}nice/{nice}"),
                graph,
            )
        filed = _date(rng, 1995, 2023)
        held.append((owner_ids[index], code, filed))
        yield ox.Quad(
            registration,
            ox.NamedNode(TM + "filingDate"),
            ox.Literal(filed, datatype=ox.NamedNode(XSD + "date")),
            graph,
        )
        yield ox.Quad(
            registration,
            ox.NamedNode(TM + "registrationNumber"),
            ox.Literal(f"{code}-{1000000 + index}"),
            graph,
        )
        if rng.random() < 0.7:
            granted = f"{min(int(filed[:4]) + rng.randint(1, 3), 2025)}{filed[4:]}"
            yield ox.Quad(
                registration,
                ox.NamedNode(TM + "registrationDate"),
                ox.Literal(granted, datatype=ox.NamedNode(XSD + "date")),
                graph,
            )
        if rng.random() < 0.25:
            use = ox.NamedNode(f"{ID}use/synthetic-{index}")
            user = ox.NamedNode(f"{ID}party/synthetic-{rng.randrange(owners)}")
            yield ox.Quad(use, RDF_TYPE, ox.NamedNode(TM + "Use"), graph)
            yield ox.Quad(use, ox.NamedNode(TM + "mark"), mark, graph)
            yield ox.Quad(use, ox.NamedNode(TM + "user"), user, graph)
            yield ox.Quad(use, ox.NamedNode(TM + "jurisdiction"), jurisdiction, graph)
            yield ox.Quad(
                use,
                ox.NamedNode(TM + "niceClass"),
                ox.NamedNode(f"{ID}nice/{rng.choice(_CLASSES)}"),
                graph,
            )
            yield ox.Quad(
                use,
                ox.NamedNode(TM + "startDate"),
                ox.Literal(str(rng.randint(1990, 2024)), datatype=ox.NamedNode(XSD + "gYear")),
                graph,
            )
    yield from _cases(seed, held, look_alikes, case_rate)


def renamed(quads: Iterable[ox.Quad], tag: str) -> Iterator[ox.Quad]:
    """The quads with every synthetic IRI (parties, marks, records, graphs, sources: those
    naming ``/synthetic``) renamed under `tag`, so that a second registry loaded beside the
    first adds its marks and parties instead of replacing them (a day's file).

    >>> quad = next(renamed(generate(1, seed=1), "added"))
    >>> "/added" in quad.subject.value and "/synthetic" not in quad.subject.value
    True
    """

    def rename(term: object) -> object:
        if isinstance(term, ox.NamedNode) and "/synthetic" in term.value:
            return ox.NamedNode(term.value.replace("/synthetic", f"/{tag}"))
        return term

    for quad in quads:
        yield ox.Quad(
            rename(quad.subject),  # type: ignore[arg-type]
            quad.predicate,
            rename(quad.object),  # type: ignore[arg-type]
            rename(quad.graph_name),  # type: ignore[arg-type]
        )


def _cases(
    seed: int,
    held: list[tuple[int, str, str]],
    look_alikes: list[tuple[int, int]],
    rate: float,
) -> Iterator[ox.Quad]:
    """A court per jurisdiction, and suits over a share of the look-alike pairs."""
    rng = random.Random(f"tmkg-synthetic-cases-{seed}")
    tm = {name: ox.NamedNode(TM + name) for name in _CASE_TERMS}
    for code in sorted(set(_JURISDICTIONS)):
        court = ox.NamedNode(f"{ID}party/synthetic-court-{code.lower()}")
        graph = ox.NamedNode(f"{ID}graph/synthetic/{code.lower()}")
        yield ox.Quad(court, RDF_TYPE, tm["Court"], graph)
        yield ox.Quad(
            court, NAME, ox.Literal(f"Synthetic {code} Intellectual Property Court"), graph
        )
    number = 0
    for index, original in look_alikes:
        (defendant_id, code, filed), (plaintiff_id, _, earlier) = held[index], held[original]
        if rng.random() >= rate or defendant_id == plaintiff_id:
            continue
        number += 1
        graph = ox.NamedNode(f"{ID}graph/synthetic/{code.lower()}")
        case = ox.NamedNode(f"{ID}case/synthetic-{number}")
        event = ox.NamedNode(f"{ID}event/synthetic-{number}-filed")
        plaintiff = ox.NamedNode(f"{ID}party/synthetic-{plaintiff_id}")
        defendant = ox.NamedNode(f"{ID}party/synthetic-{defendant_id}")
        court = ox.NamedNode(f"{ID}party/synthetic-court-{code.lower()}")
        year = min(max(int(filed[:4]), int(earlier[:4])) + rng.randint(1, 3), 2025)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield ox.Quad(case, RDF_TYPE, tm["Case"], graph)
        yield ox.Quad(case, tm["plaintiff"], plaintiff, graph)
        yield ox.Quad(case, tm["defendant"], defendant, graph)
        yield ox.Quad(case, tm["court"], court, graph)
        yield ox.Quad(case, tm["concerns"], ox.NamedNode(f"{ID}mark/synthetic-{original}"), graph)
        yield ox.Quad(case, tm["jurisdiction"], ox.NamedNode(f"{ID}jurisdiction/{code}"), graph)
        yield ox.Quad(case, tm["caseNumber"], ox.Literal(f"({year}) {code} synth {number}"), graph)
        yield ox.Quad(event, RDF_TYPE, tm["LawsuitFiled"], graph)
        yield ox.Quad(event, tm["case"], case, graph)
        yield ox.Quad(event, tm["court"], court, graph)
        yield ox.Quad(event, tm["involves"], plaintiff, graph)
        yield ox.Quad(event, tm["involves"], defendant, graph)
        yield ox.Quad(event, tm["jurisdiction"], ox.NamedNode(f"{ID}jurisdiction/{code}"), graph)
        yield ox.Quad(
            event, tm["date"], ox.Literal(date, datatype=ox.NamedNode(XSD + "date")), graph
        )
        yield ox.Quad(
            event,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(f"Synthetic suit over mark {original} against look-alike mark {index}"),
            graph,
        )


_CASE_TERMS = (
    "Court",
    "Case",
    "LawsuitFiled",
    "plaintiff",
    "defendant",
    "court",
    "concerns",
    "jurisdiction",
    "caseNumber",
    "case",
    "involves",
    "date",
)
