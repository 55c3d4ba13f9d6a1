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


_Span = tuple[tuple[int, int, int], tuple[int, int, int]]


def _span_and_zone(text: str) -> tuple[_Span, str] | None:
    """The first and last day a date names, as (year, month, day) tuples, and the text after
    the date (a time zone, or nothing).

    >>> _span_and_zone("2010"), _span_and_zone("2010-05-05+14:00")
    ((((2010, 1, 1), (2010, 12, 31)), ''), (((2010, 5, 5), (2010, 5, 5)), '+14:00'))
    """
    match = _DATE.match(text)
    if match is None:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    first = (year, int(month or 1), int(day or 1))
    last = (year, int(month or 12), int(day or 31))
    return (first, last), text[match.end() :]


_ZONE = re.compile(r"Z|([+-])(\d{2}):(\d{2})")
_WIDEST_ZONE_MINUTES = 14 * 60  # XSD's time zones run from -14:00 to +14:00


def _minutes(text: str, span: _Span) -> tuple[int, int] | None:
    """The first and last minute (UTC, counted from day 1 of year 1) of the days `span` of a
    date with a time zone names (`text`: what follows the date, the zone); a date without
    one as its days in any zone (XSD 1.1 Part 2, the order of date values: an undetermined
    zone may be any of -14:00 to +14:00). None for a year outside 1-9999, a day the calendar
    does not have (``2012-02-30Z``: refused by the datatype checks, compared as days here) or
    text after the date that is not a time zone.

    >>> first, last = _minutes("Z", ((2010, 5, 5), (2010, 5, 5)))
    >>> last - first + 1
    1440
    """
    (y1, m1, d1), (y2, m2, d2) = span
    if not (1 <= y1 <= 9999 and 1 <= y2 <= 9999):
        return None
    try:
        first = date(y1, m1, d1).toordinal() * 1440
        last = date(y2, m2, min(d2, monthrange(y2, m2)[1])).toordinal() * 1440 + 1439
    except ValueError:  # calendar.IllegalMonthError is one
        return None
    if not text:
        return first - _WIDEST_ZONE_MINUTES, last + _WIDEST_ZONE_MINUTES
    zone = _ZONE.fullmatch(text)
    if zone is None:
        return None
    offset = 0 if zone[1] is None else int(zone[2]) * 60 + int(zone[3])
    offset = -offset if zone[1] == "-" else offset
    return first - offset, last - offset


def _before(later: str, earlier: str) -> bool:
    """True when every day `later` names lies before every day `earlier` names. Two dates
    without time zones compare as days; with a zone on either, as the minutes they span in
    UTC (`_minutes`): ``2010-05-04-10:00`` and ``2010-05-05+14:00`` begin at the same
    instant, ``2012-04-30+05:00`` ends before ``2012-05-01Z`` begins."""
    a, b = _span_and_zone(later), _span_and_zone(earlier)
    if a is None or b is None:
        return False
    (span_a, zone_a), (span_b, zone_b) = a, b
    if _ZONE.fullmatch(zone_a) or _ZONE.fullmatch(zone_b):
        early, late = _minutes(zone_a, span_a), _minutes(zone_b, span_b)
        if early is not None and late is not None:
            return early[1] < late[0]
    return span_a[1] < span_b[0]


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
