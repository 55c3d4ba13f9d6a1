"""The IRIs `kg import` gives what it reads: registrations, marks, parties.

The IRIs are functions of the content (a readable slug and a hash), so importing the same
facts twice names the same nodes (docs/registry-import.md, "What an import writes").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import ID

__all__ = ["mark_iri", "node", "party_iri", "registration_iri"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _slug(text: str) -> str:
    if _CJK.search(text):
        from pypinyin import lazy_pinyin

        text = " ".join(lazy_pinyin(text))
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:40].rstrip("-") or "x"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=65536)
def mark_iri(text: str) -> str:
    """The mark with this exact text: a readable slug and a hash, so texts never collide.

    >>> mark_iri("AWS")
    'https://w3id.org/tmkg/id/mark/aws-32fd72a0'
    >>> mark_iri("特斯拉").rsplit("/", 1)[1][:-9]
    'te-si-la'
    """
    return f"{ID}mark/{_slug(text)}-{_digest(text)}"


@lru_cache(maxsize=65536)
def party_iri(name: str) -> str:
    """The company of this exact name (whitespace collapsed): ``id/party/{slug}-{hash}``."""
    return f"{ID}party/{_slug(name)}-{_digest(name)}"


@lru_cache(maxsize=65536)
def node(iri: str) -> ox.NamedNode:
    """A node for an IRI that recurs (marks, owners, classes, jurisdictions): made once."""
    return ox.NamedNode(iri)


def registration_iri(jurisdiction: str, number: str) -> str:
    """``id/registration/{cc}-{number}``, the number percent-encoded where needed.

    >>> registration_iri("CN", "4249189")
    'https://w3id.org/tmkg/id/registration/cn-4249189'
    >>> registration_iri("US", "2018/12 3")
    'https://w3id.org/tmkg/id/registration/us-2018%2F12%203'
    """
    return f"{ID}registration/{jurisdiction.lower()}-{quote(number, safe='-._~')}"
