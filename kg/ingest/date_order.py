"""Dates that cannot all be true: a registration granted before it was filed, a term that ends
before it began, an event of a registration (a change of owner, a step of its prosecution)
before the application existed, an owner assigning to itself, a priority claim dated after
the filing it is claimed for, first use in commerce before any use. Each is a warning (the
data is loaded: a source may have a date wrong, and tmkg keeps what sources say), naming the
node and both dates.

Dates are compared as the spans they name (``2010`` is 2010-01-01 to 2010-12-31): two dates
are out of order only when the whole of one lies after the whole of the other. Only the nodes
the new data states something about are judged, as for the shapes, with the dates the store
already holds about them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

import pyoxigraph as ox

from kg.namespaces import PREFIXES, TM

__all__ = ["ORDERS", "date_order_warnings"]

_TM = str(TM._NS)
ORDERS = (
    ("filingDate", "registrationDate", "granted before it was filed"),
    ("filingDate", "publicationDate", "published before it was filed"),
    ("registrationDate", "expiryDate", "its term ends before it was granted"),
    ("filingDate", "expiryDate", "its term ends before it was filed"),
    ("startDate", "endDate", "a use that ends before it began"),
    ("memberFrom", "memberUntil", "a membership that ends before it began"),
    ("firstUsedDate", "firstUsedCommerceDate", "in commerce before any use at all"),
)
"""(earlier, later, what it would mean): pairs of tm: date properties of one node."""

_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?")


def _span(text: str) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The first and last day a date names, as (year, month, day) tuples.

    >>> _span("2010"), _span("2010-05-05")
    (((2010, 1, 1), (2010, 12, 31)), ((2010, 5, 5), (2010, 5, 5)))
    """
    match = _DATE.match(text)
    if match is None:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    first = (year, int(month or 1), int(day or 1))
    last = (year, int(month or 12), int(day or 31))
    return first, last


_ZONE = re.compile(r"Z|([+-])(\d{2}):(\d{2})")
_WIDEST_ZONE_MINUTES = 14 * 60  # XSD's time zones run from -14:00 to +14:00


def _minutes(text: str) -> tuple[int, int] | None:
    """The first and last minute (UTC, counted from day 1 of year 1) of the days a date with
    a time zone names; a date without one as its days in any zone (XSD 1.1 Part 2, the order
    of date values: an undetermined zone may be any of -14:00 to +14:00). None for a year
    outside 1-9999 or text after the date that is not a time zone.

    >>> _minutes("2010-05-05Z")[1] - _minutes("2010-05-05Z")[0] + 1
    1440
    """
    span, match = _span(text), _DATE.match(text)
    if span is None or match is None:
        return None
    (y1, m1, d1), (y2, m2, d2) = span
    if not (1 <= y1 <= 9999 and 1 <= y2 <= 9999):
        return None
    first = date(y1, m1, d1).toordinal() * 1440
    last = date(y2, m2, min(d2, monthrange(y2, m2)[1])).toordinal() * 1440 + 1439
    rest = text[match.end() :]
    if not rest:
        return first - _WIDEST_ZONE_MINUTES, last + _WIDEST_ZONE_MINUTES
    zone = _ZONE.fullmatch(rest)
    if zone is None:
        return None
    offset = 0 if zone[1] is None else int(zone[2]) * 60 + int(zone[3])
    offset = -offset if zone[1] == "-" else offset
    return first - offset, last - offset


def _zoned(text: str) -> bool:
    match = _DATE.match(text)
    return match is not None and _ZONE.fullmatch(text[match.end() :]) is not None


def _before(later: str, earlier: str) -> bool:
    """True when every day `later` names lies before every day `earlier` names. Two dates
    without time zones compare as days; with a zone on either, as the minutes they span in
    UTC (`_minutes`): ``2010-05-04-10:00`` and ``2010-05-05+14:00`` begin at the same
    instant, ``2012-04-30+05:00`` ends before ``2012-05-01Z`` begins."""
    a, b = _span(later), _span(earlier)
    if a is None or b is None:
        return False
    if _zoned(later) or _zoned(earlier):
        early, late = _minutes(later), _minutes(earlier)
        if early is not None and late is not None:
            return early[1] < late[0]
    return a[1] < b[0]


_LINKS = frozenset({"registration", "priorityClaim", "assignor", "assignee"})
"""The links the checks below follow."""
_DATED = frozenset({name for pair in ORDERS for name in pair[:2]} | {"date", "priorityDate"})
"""The dates the checks below compare."""


def date_order_warnings(quads: Sequence[ox.Quad], origins: Mapping[object, str]) -> list[str]:
    """A line for each pair of a node's dates out of order (`ORDERS`), for each event (a
    change of owner, a prosecution step) dated before the registration it concerns was filed,
    each priority claim dated after its application's filing, and each party that assigns to
    itself."""
    dates: dict[ox.NamedNode | ox.BlankNode, dict[str, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    links: dict[ox.NamedNode | ox.BlankNode, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    names: dict[ox.NamedNode, str] = {}  # a predicate's tm: name, "" outside tm: (made once)
    for quad in quads:
        predicate = quad.predicate
        name = names.get(predicate)
        if name is None:
            value = predicate.value
            name = names[predicate] = value[len(_TM) :] if value.startswith(_TM) else ""
        if not name or (name not in _DATED and name not in _LINKS):
            continue
        obj = quad.object
        if isinstance(obj, ox.Literal):
            dates[quad.subject][name].add(obj.value)
        else:
            links[quad.subject][name].add(obj)
    lines = []

    def where(node: object) -> str:
        origin = origins.get(node)
        return f"{origin}: {_short(node)}" if origin else _short(node)

    for node, values in dates.items():
        for early, late, meaning in ORDERS:
            for first in sorted(values.get(early, ())):
                for second in sorted(values.get(late, ())):
                    if _before(second, first):
                        lines.append(
                            f"{where(node)}: tm:{late} {second} is before tm:{early} {first} "
                            f"({meaning}: check the dates)"
                        )
    for node, linked in links.items():
        for registration in linked.get("registration", ()):
            for when in sorted(dates[node].get("date", ())):
                for filed in sorted(dates.get(registration, {}).get("filingDate", ())):
                    if _before(when, filed):
                        lines.append(
                            f"{where(node)}: tm:date {when} is before the filing of the "
                            f"application it concerns ({filed}): a change of owner or a step "
                            "of its prosecution dated before it was filed"
                        )
        for claim in linked.get("priorityClaim", ()):
            for claimed in sorted(dates.get(claim, {}).get("priorityDate", ())):
                for filed in sorted(dates[node].get("filingDate", ())):
                    if _before(filed, claimed):
                        lines.append(
                            f"{where(node)}: a priority claim dated {claimed}, after the "
                            f"application's filing ({filed}): a Paris priority date is that of "
                            "an earlier filing"
                        )
        for party in linked.get("assignor", set()) & linked.get("assignee", set()):
            lines.append(f"{where(node)}: {_short(party)} assigns to itself (check the parties)")
    return lines


def _short(node: object) -> str:
    """An IRI as a prefixed name where tmkg declares its namespace (``id:registration/x``)."""
    if not isinstance(node, ox.NamedNode):
        return str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if node.value.startswith(namespace):
            return f"{prefix}:{node.value[len(namespace) :]}"
    return f"<{node.value}>"
