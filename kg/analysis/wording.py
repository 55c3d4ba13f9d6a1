"""Plain sentences an analyst can paste into a memo: lists and sentence ends.

>>> joined(["Amazon.com Inc.", "Beijing Sinnet Technology Co., Ltd.", "NWCD"])
'Amazon.com Inc., Beijing Sinnet Technology Co., Ltd. and NWCD'
>>> jointly(["Alpha Co.", "Beta Co., Ltd.", "Gamma Co."])
'Alpha Co. jointly with Beta Co., Ltd. and Gamma Co.'
>>> sentence("Sources disagree: Beijing Sinnet Technology Co., Ltd.")
'Sources disagree: Beijing Sinnet Technology Co., Ltd.'
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["joined", "jointly", "sentence"]


def joined(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (no serial comma: names hold commas of their own)."""
    names = list(items)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def jointly(names: Iterable[str]) -> str:
    """The holders of one right, the first named as the holder: "A", "A jointly with B",
    "A jointly with B and C" (co-owners of one registration)."""
    first, *others = list(names) or [""]
    return f"{first} jointly with {joined(others)}" if others else first


def sentence(text: str) -> str:
    """`text` ending with exactly one full stop (a name ending "Ltd." ends it already)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."
