"""Synthetic USPTO Trademark Daily XML (TDXF v2.0) files, deterministic by seed.

`kg synth --format uspto` writes one: a ``trademark-applications-daily`` file whose case-files
look like the USPTO's (element order and header flags as in the real daily files, see
`kg.registries.uspto_daily`), with invented marks, owners and attorneys:

- owners hold a heavy-tailed number of cases (Zipf-like), each owner always with the same
  legal entity and nationality (a US company by its state of incorporation);
- status codes drawn from ``schema/status-uspto.csv`` by category (pending, published,
  registered, abandoned, cancelled), with the dates, registration numbers and prosecution
  events that fit;
- 1-3 classifications per case, Nice classes skewed as in real registers, each with US
  classes and a ``GSnnn1`` goods statement; first-use dates, some with 00 for an unknown day
  or month;
- some co-owned cases, assigned cases (a chain of party types 10 -> 30 -> 4x, some by a change
  of name), foreign priority claims, disclaimers, translations and design-only marks (drawing
  code 2, no words: the reader skips them).

The same ``cases`` and ``seed`` give the same bytes.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from xml.sax.saxutils import escape

from kg.registries.synth import SYLLABLES
from kg.resources import SCHEMA_DIR

__all__ = ["generate_daily"]

_SYLLABLES = tuple(SYLLABLES)  # the N-Quads registry's syllables: the same look of marks
_SUFFIXES = ("INC.", "LLC", "CORPORATION", "CO., LTD.", "GMBH", "S.P.A.", "LIMITED", "L.P.")
_FIRST = ("AVERY", "JORDAN", "MORGAN", "CASEY", "RILEY", "QUINN", "DREW", "SKYLER", "REESE")
_LAST = ("EXAMPLE", "SAMPLE", "SPECIMEN", "PLACEHOLDER", "MODEL", "PATTERN", "TEMPLATE")
_STATES = ("DE", "CA", "NY", "TX", "WA", "FL", "IL", "MA", "NJ", "OH")
_FOREIGN = ("DE", "FR", "GB", "CN", "JP", "IT", "ES", "KR", "CH", "CA")
# Entity codes of the USPTO table: 03 corporation, 16 LLC, 13 limited partnership, 09 joint
# stock company, 11 company; 01 individual.
_ENTITY = {"INC.": "03", "LLC": "16", "CORPORATION": "03", "L.P.": "13", "S.P.A.": "09"}
_CLASSES = [9] * 12 + [35] * 10 + [42] * 9 + [25] * 6 + [41] * 5 + [30] * 3 + list(range(1, 46))
_GOODS = ("apparatus", "software", "clothing", "beverages", "services", "tools", "games")
_FLAGS = tuple(
    [
        "principal-register-amended-in",
        "supplemental-register-amended-in",
        "trademark-in",
        "collective-trademark-in",
        "service-mark-in",
        "collective-service-mark-in",
        "collective-membership-mark-in",
        "certification-mark-in",
        "cancellation-pending-in",
        "published-concurrent-in",
        "concurrent-use-in",
        "concurrent-use-proceeding-in",
        "interference-pending-in",
        "opposition-pending-in",
        "section-12c-in",
        "section-2f-in",
        "section-2f-in-part-in",
        "renewal-filed-in",
        "section-8-filed-in",
        "section-8-partial-accept-in",
        "section-8-accepted-in",
        "section-15-acknowledged-in",
        "section-15-filed-in",
        "supplemental-register-in",
        "foreign-priority-in",
        "change-registration-in",
        "intent-to-use-in",
        "intent-to-use-current-in",
        "filed-as-use-application-in",
        "amended-to-use-application-in",
        "use-application-currently-in",
        "amended-to-itu-application-in",
        "filing-basis-filed-as-44d-in",
        "amended-to-44d-application-in",
        "filing-basis-current-44d-in",
        "filing-basis-filed-as-44e-in",
        "filing-basis-current-44e-in",
        "amended-to-44e-application-in",
        "without-basis-currently-in",
        "filing-current-no-basis-in",
        "color-drawing-filed-in",
        "color-drawing-current-in",
        "drawing-3d-filed-in",
        "drawing-3d-current-in",
        "standard-characters-claimed-in",
        "filing-basis-filed-as-66a-in",
        "filing-basis-current-66a-in",
    ]
)
_CATEGORIES = {"filed": 30, "published": 10, "registered": 35, "abandoned": 18, "cancelled": 7}


def _status_codes() -> dict[str, list[str]]:
    with (SCHEMA_DIR / "status-uspto.csv").open(encoding="utf-8", newline="") as table:
        codes: dict[str, list[str]] = {}
        for row in csv.DictReader(table):
            codes.setdefault(row["status"], []).append(row["code"])
    return codes


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).upper()


def _owners(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """(name, legal entity code, nationality element, nationality country) per owner."""
    owners, names = [], set()
    while len(owners) < count:
        if rng.random() < 0.12:
            name, entity = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {_word(rng)}", "01"
        else:
            suffix = rng.choice(_SUFFIXES)
            name, entity = f"{_word(rng)} {suffix}", _ENTITY.get(suffix, "11")
        if name in names:
            continue
        names.add(name)
        if rng.random() < 0.7:
            state = rng.choice(_STATES)
            nationality = f"<state>{state}</state>" + (
                "<country>US</country>" if rng.random() < 0.5 else ""
            )
        else:
            nationality = f"<country>{rng.choice(_FOREIGN)}</country>"
        owners.append((name, entity, nationality, ""))
    return owners


def _owner_xml(owner: tuple[str, str, str, str], party: int, entry: int, note: str = "") -> str:
    name, entity, nationality, _ = owner
    explanation = (
        f"<name-change-explanation>{escape(note)}</name-change-explanation>" if note else ""
    )
    return (
        f"<case-file-owner><entry-number>{entry}</entry-number><party-type>{party}</party-type>"
        f"<nationality>{nationality}</nationality>"
        f"<legal-entity-type-code>{entity}</legal-entity-type-code>"
        f"<party-name>{escape(name)}</party-name><address-1>1 EXAMPLE WAY</address-1>"
        f"<city>EXAMPLE CITY</city>{explanation}</case-file-owner>"
    )


def _statement(code: str, text: str) -> str:
    return (
        f"<case-file-statement><type-code>{code}</type-code>"
        f"<text>{escape(text)}</text></case-file-statement>"
    )


def _first_use(rng: random.Random, before: datetime.date) -> tuple[str, str]:
    """First use anywhere and in commerce (never earlier), some with 00 for an unknown day
    or month, as older applications state them."""
    day = before - datetime.timedelta(days=rng.randint(30, 3650))
    roll = rng.random()
    if roll < 0.06:
        return f"{day.year}0000", f"{day.year}0000"  # the year only
    if roll < 0.14:
        return f"{day.year}{day.month:02d}00", f"{day.year}{day.month:02d}00"  # no day
    later = min(before, day + datetime.timedelta(days=rng.choice((0, 0, 0, 15, 120))))
    return _date(day), _date(later)


def generate_daily(cases: int, seed: int = 0, file_date: str = "20250107") -> Iterator[str]:
    """The text of a daily file of `cases` case-files, in chunks (one per case-file).

    >>> text = "".join(generate_daily(20, seed=3))
    >>> text.count("<case-file>"), text == "".join(generate_daily(20, seed=3))
    (20, True)
    """
    rng = random.Random(seed)
    statuses = _status_codes()
    owners = _owners(rng, max(2, cases // 5))
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(owners))]
    attorneys = [f"{rng.choice(_FIRST).title()} {chr(65 + i % 26)}. Example" for i in range(40)]
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE trademark-applications-daily SYSTEM "trademark-applications-daily-v2.dtd">\n'
        "<trademark-applications-daily>\n<version><version-no>2.0</version-no>"
        "<version-date>20041108</version-date></version>\n"
        f"<creation-datetime>{file_date}2300</creation-datetime>\n<application-information>"
        "<file-segments><file-segment>TRMK</file-segment><action-keys>"
        "<action-key>TX</action-key>\n"
    )
    serial = 97000000
    today = datetime.date(int(file_date[:4]), int(file_date[4:6]), int(file_date[6:]))
    for _ in range(cases):
        serial += rng.randint(1, 9)
        yield _case_file(rng, serial, today, owners, weights, statuses, attorneys)
    yield "</action-keys></file-segments></application-information>\n"
    yield "</trademark-applications-daily>\n"


def _case_file(
    rng: random.Random,
    serial: int,
    today: datetime.date,
    owners: list,
    weights: list[float],
    statuses: dict[str, list[str]],
    attorneys: list[str],
) -> str:
    category = rng.choices(list(_CATEGORIES), weights=list(_CATEGORIES.values()))[0]
    status = rng.choice(statuses[category])
    filed = today - datetime.timedelta(days=rng.randint(20, 9000 if category != "filed" else 600))
    published = filed + datetime.timedelta(days=rng.randint(120, 300))
    registered = published + datetime.timedelta(days=rng.randint(60, 200))
    registered_case = category in ("registered", "cancelled") and registered < today
    status_date = min(today, registered if registered_case else published)
    if category in ("abandoned", "cancelled"):
        status_date = min(today, status_date + datetime.timedelta(days=rng.randint(30, 900)))
    drawing = rng.choices(("4000", "3000", "5000", "2000"), weights=(70, 17, 11, 2))[0]
    mark = " ".join(_word(rng) for _ in range(rng.choice((1, 1, 1, 2))))
    registration = f"{rng.randint(1000000, 7999999):07d}" if registered_case else "0000000"
    header = [f"<filing-date>{_date(filed)}</filing-date>"]
    if registered_case:
        header.append(f"<registration-date>{_date(registered)}</registration-date>")
    header += [
        f"<status-code>{status}</status-code>",
        f"<status-date>{_date(status_date)}</status-date>",
    ]
    if drawing != "2000":
        header.append(f"<mark-identification>{escape(mark)}</mark-identification>")
    header.append(f"<mark-drawing-code>{drawing}</mark-drawing-code>")
    if category != "filed" and published < today:
        header.append(
            f"<published-for-opposition-date>{_date(published)}</published-for-opposition-date>"
        )
    if rng.random() < 0.7:
        header.append(f"<attorney-name>{rng.choice(attorneys)}</attorney-name>")
    priority = rng.random() < 0.04
    flags = {
        "standard-characters-claimed-in": drawing == "4000",
        "foreign-priority-in": priority,
        "trademark-in": True,
        "filed-as-use-application-in": True,
    }
    header += [f"<{flag}>{'T' if flags.get(flag) else 'F'}</{flag}>" for flag in _FLAGS]
    statements, classifications = [], []
    nice = sorted(set(rng.choice(_CLASSES) for _ in range(rng.choice((1, 1, 1, 2, 3)))))
    for number in nice:
        us = sorted({f"{rng.randint(1, 52):03d}" for _ in range(rng.randint(1, 3))})
        goods = "; ".join(
            f"{_word(rng).lower()} {rng.choice(_GOODS)}" for _ in range(rng.randint(1, 4))
        )
        statements.append(_statement(f"GS{number:03d}1", goods))
        use = ""
        if rng.random() < 0.6:
            anywhere, commerce = _first_use(rng, filed)
            use = (
                f"<first-use-anywhere-date>{anywhere}</first-use-anywhere-date>"
                f"<first-use-in-commerce-date>{commerce}</first-use-in-commerce-date>"
            )
        classifications.append(
            f"<classification><international-code-total-no>1</international-code-total-no>"
            f"<us-code-total-no>{len(us)}</us-code-total-no><international-code>{number:03d}</international-code>"
            + "".join(f"<us-code>{code}</us-code>" for code in us)
            + f"<status-code>6</status-code><status-date>{_date(filed)}</status-date>{use}"
            f"<primary-code>{number:03d}</primary-code></classification>"
        )
    if rng.random() < 0.1 and drawing != "2000":
        word = mark.split()[0]
        disclaimer = f'NO CLAIM IS MADE TO THE EXCLUSIVE RIGHT TO USE "{word}" APART FROM THE MARK'
        statements.insert(0, _statement("D10000", disclaimer + " AS SHOWN"))
    if rng.random() < 0.03 and drawing != "2000":
        meaning = _word(rng).lower()
        translation = f'The English translation of "{mark}" in the mark is "{meaning}".'
        statements.insert(0, _statement("TR0000", translation))
    events = [("NWAP", "I", "NEW APPLICATION ENTERED", filed)]
    if rng.random() < 0.5:
        events.append(("CNRT", "O", "NON-FINAL ACTION MAILED", filed + datetime.timedelta(days=90)))
    if category != "filed" and published < today:
        events.append(("PUBO", "A", "PUBLISHED FOR OPPOSITION", published))
    if registered_case:
        events.append(("R.PR", "A", "REGISTERED-PRINCIPAL REGISTER", registered))
    if category == "abandoned":
        events.append(("ABN2", "O", "ABANDONMENT - FAILURE TO RESPOND", status_date))
    if category == "cancelled":
        events.append(("C8..", "O", "CANCELLED SEC. 8 (6-YR)", status_date))
    event_xml = "".join(
        f"<case-file-event-statement><code>{code}</code><type>{kind}</type>"
        f"<description-text>{text}</description-text><date>{_date(day)}</date>"
        f"<number>{number}</number></case-file-event-statement>"
        for number, (code, kind, text, day) in enumerate(events, 1)
    )
    current = rng.choices(range(len(owners)), weights=weights)[0]
    party = 30 if registered_case else 10
    owner_xml = [_owner_xml(owners[current], party, 1)]
    roll = rng.random()
    if roll < 0.03:  # co-owners
        other = rng.choices(range(len(owners)), weights=weights)[0]
        if other != current:
            owner_xml.append(_owner_xml(owners[other], party, 2))
    elif roll < 0.11:  # assigned: the current owner is a later party type than the applicant
        earlier = rng.randrange(len(owners))
        if earlier != current:
            later = 41 if registered_case else 11
            note = f"NC{later}000001" + (
                "BY CHANGE OF NAME FROM" if rng.random() < 0.2 else "ASSIGNEE OF"
            )
            owner_xml = [
                _owner_xml(owners[current], later, 1, note),
                _owner_xml(owners[earlier], party, 1),
            ]
    foreign = ""
    if priority:
        day = filed - datetime.timedelta(days=rng.randint(20, 170))
        foreign = (
            f"<foreign-applications><foreign-application><filing-date>{_date(day)}</filing-date>"
            f"<entry-number>1</entry-number>"
            f"<application-number>{rng.randint(100000, 999999)}</application-number>"
            f"<country>{rng.choice(_FOREIGN)}</country>"
            "<foreign-priority-claim-in>T</foreign-priority-claim-in>"
            "</foreign-application></foreign-applications>"
        )
    designs = ""
    if drawing in ("2000", "3000"):
        codes = sorted(
            {
                f"{rng.randint(1, 29):02d}{rng.randint(1, 15):02d}{rng.randint(1, 25):02d}"
                for _ in range(rng.randint(1, 3))
            }
        )
        designs = (
            "<design-searches>"
            + "".join(f"<design-search><code>{c}</code></design-search>" for c in codes)
            + "</design-searches>"
        )
    return (
        f"<case-file><serial-number>{serial}</serial-number>"
        f"<registration-number>{registration}</registration-number>"
        f"<transaction-date>{_date(today)}</transaction-date>\n"
        f"<case-file-header>{''.join(header)}</case-file-header>\n"
        f"<case-file-statements>{''.join(statements)}</case-file-statements>\n"
        f"<case-file-event-statements>{event_xml}</case-file-event-statements>\n"
        f"{foreign}<classifications>{''.join(classifications)}</classifications>\n"
        "<correspondent><address-1>EXAMPLE LAW GROUP</address-1>"
        "<address-2>1 EXAMPLE PLAZA</address-2></correspondent>\n"
        f"<case-file-owners>{''.join(owner_xml)}</case-file-owners>{designs}</case-file>\n"
    )
