"""Cases as a report shows them: the case summary and its sourced facts — the amount
claimed, the damages and costs awarded, who pays whom, the court's orders — each value with
the sources that state it, so where sources disagree on an amount both values appear."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kg.analysis.dates import PartialDate
from kg.analysis.model import CaseSummary, SourceRef
from kg.analysis.service import Analyst

if TYPE_CHECKING:
    from kg.analysis.facts import FactBase

__all__ = ["CaseFact", "CaseFacts", "case_facts", "format_amount"]


@dataclass(frozen=True)
class CaseFact:
    """One fact about a case or its judgment (an amount, an order, who pays), as sourced."""

    label: str
    value: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class CaseFacts:
    """A case's summary and its sourced facts (claim, damages, costs, orders, payers)."""

    summary: CaseSummary
    facts: tuple[CaseFact, ...]

    @property
    def title(self) -> str:
        return self.summary.label


def case_facts(analyst: Analyst, summaries: Sequence[CaseSummary]) -> list[CaseFacts]:
    """Each case with its sourced amounts, orders and payers (from the judgment events)."""
    facts = analyst.facts
    ids = sorted({s.id for s in summaries})
    statements = facts.case_statements(ids)
    by_subject: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    currency: dict[tuple[str, str], str] = {}
    for subject, prop, value, graph in statements:
        by_subject[subject][prop][value].add(graph)
        if prop == "currency":
            currency[(subject, graph)] = value
    case_of = {
        subject: values for subject, props in by_subject.items() for values in props.get("case", {})
    }
    out = []
    for summary in sorted(summaries, key=lambda s: s.number or s.id):
        items: list[CaseFact] = []
        own = by_subject.get(summary.id, {})
        items += _amounts(
            facts, own, "claimAmount", "claim", summary.id, currency, summary.currency
        )
        events = [e for e, c in case_of.items() if c == summary.id]
        for event in sorted(events, key=lambda e: (_first_date(by_subject[e]), e)):
            props = by_subject[event]
            kind = next(iter(sorted(props.get("type", {"Event": set()}))), "Event")
            what = _words(kind)
            for date, graphs in sorted(props.get("date", {}).items(), key=_by_date):
                items.append(CaseFact(f"{what} date", date, facts.source_refs(graphs)))
            for prop, label in (
                ("damages", "damages"),
                ("costs", "costs"),
                ("approximateAmountUSD", "damages, approx. USD"),
            ):
                items += _amounts(facts, props, prop, f"{what}: {label}", event, currency, None)
            for prop, label in (("payer", "pays"), ("payee", "is paid")):
                for iri, graphs in sorted(props.get(prop, {}).items()):
                    items.append(
                        CaseFact(
                            f"{what}: {label}", facts.party(iri).name, facts.source_refs(graphs)
                        )
                    )
            for order, graphs in sorted(props.get("orders", {}).items()):
                items.append(CaseFact(f"{what}: order", order, facts.source_refs(graphs)))
        out.append(CaseFacts(summary, tuple(items)))
    return out


def _amounts(
    facts: FactBase,
    props: dict[str, dict[str, set[str]]],
    prop: str,
    label: str,
    subject: str,
    currency: dict[tuple[str, str], str],
    default_currency: str | None,
) -> list[CaseFact]:
    """Sourced amounts, each in the currency its own source states (else the default)."""
    found = []
    for value, graphs in sorted(props.get(prop, {}).items()):
        units = sorted({currency[(subject, g)] for g in graphs if (subject, g) in currency})
        unit = (
            "USD" if prop == "approximateAmountUSD" else (units[0] if units else default_currency)
        )
        found.append(CaseFact(label, format_amount(value, unit), facts.source_refs(graphs)))
    return found


def format_amount(value: str, currency: str | None) -> str:
    """'76460000', 'CNY' -> 'CNY 76,460,000'.

    >>> format_amount("260000.50", None)
    '260,000.50'
    """
    try:
        number = Decimal(value)
    except InvalidOperation:
        return f"{currency} {value}" if currency else value
    text = f"{number:,.2f}" if number != number.to_integral_value() else f"{int(number):,}"
    return f"{currency} {text}" if currency else text


def _words(camel: str) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in camel).strip()


def _first_date(props: dict[str, dict[str, set[str]]]) -> tuple:
    """The earliest date a source gives an event, as a sort key; undated events sort last."""
    return min((_date_key(text) for text in props.get("date", {})), default=(2,))


def _by_date(item: tuple[str, set[str]]) -> tuple:
    return _date_key(item[0])


def _date_key(text: str) -> tuple:
    # By the day meant, not the text: "-0100" is before "-0044", and "10000" after "2004".
    date = PartialDate.try_parse(text)
    return (0, date, text) if date is not None else (1, text)
