"""Plain sentences an analyst can paste into a memo: lists and sentence ends.

>>> joined(["Amazon.com Inc.", "Beijing Sinnet Technology Co., Ltd.", "NWCD"])
'Amazon.com Inc., Beijing Sinnet Technology Co., Ltd. and NWCD'
>>> sentence("Sources disagree: Beijing Sinnet Technology Co., Ltd.")
'Sources disagree: Beijing Sinnet Technology Co., Ltd.'
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["joined", "sentence"]


def joined(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (no serial comma: names hold commas of their own)."""
    names = list(items)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def sentence(text: str) -> str:
    """`text` ending with exactly one full stop (a name ending "Ltd." ends it already)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."
