"""Small helpers for writing SPARQL text: IRI lists, batches, escaped literals."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = [
    "BATCH",
    "HOLDING_TYPES",
    "IS_VERSION_OF",
    "KEY_BATCH",
    "RDF_TYPE",
    "REGISTER_VERSION",
    "TM",
    "batches",
    "camel_words",
    "escape_literal",
    "iri_in",
    "iri_values",
    "is_iri",
]

TM = "https://w3id.org/tmkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
HOLDING_TYPES = (TM + "Registration", TM + "Use")
"""The kinds of holding: a registration (or application) and a use of a mark."""
REGISTER_VERSION = TM + "RegisterRecordVersion"
"""An earlier state of a register record (`kg.registries.versions`): no holding itself."""
IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"
"""A register record version's link to the registration it is a state of."""
BATCH = 400
# Lookups by key take bigger batches: a VALUES block of 8,000 holdings ran no slower than
# twenty of 400 (measured on a generated registry), and each batch is a store query.
KEY_BATCH = 5_000


_ESCAPES = {"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_literal(text: str) -> str:
    r"""Text safe inside a double-quoted SPARQL string: quotes, backslashes and line breaks
    escaped (a ``\u0022`` in the text stays text: the backslash is escaped).

    >>> print(escape_literal('say "hi" \\ bye\nnow'))
    say \"hi\" \\ bye\nnow
    """
    return "".join(_ESCAPES.get(c, c) for c in text)


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x20]+")


def is_iri(text: str) -> bool:
    """Whether `text` is an absolute IRI that may be written between ``<`` and ``>`` in a
    query (a scheme, then no space, ``<>"{}|\\^`` or control character; RFC 3987's IRIREF
    as SPARQL 1.1 grammar rule 139 restricts it). A blank node's ``_:b0`` is not one.

    >>> is_iri("https://w3id.org/tmkg/id/party/acme"), is_iri("_:b0"), is_iri("a> } <b")
    (True, False, False)
    """
    return _IRI.fullmatch(text) is not None


def iri_values(iris: Iterable[str]) -> str:
    """IRIs as the body of a VALUES block: ``<a> <b>``. A text that is no IRI (`is_iri`: a
    blank node's ``_:b0``, or a name given where an IRI may be, such as ``…/party/x> <…/y``)
    names nothing: it is left out, never written into the query.

    >>> iri_values(["https://e.org/a", "https://e.org/x> <https://e.org/b", "_:b0"])
    '<https://e.org/a>'
    """
    return " ".join(f"<{iri}>" for iri in iris if is_iri(iri))


def iri_in(variable: str, iris: Iterable[str]) -> str:
    """A FILTER keeping the solutions whose `variable` (a name, no ``?``) is one of `iris`
    (each an IRI, `is_iri`; others left out, as `iri_values` does): for a small fixed set
    (roles, kinds, properties) beside a ``VALUES`` block of the subjects asked about, in the
    same group. Oxigraph (pyoxigraph 0.5.13) evaluates a query with two ``VALUES`` blocks by
    reading every statement the second one allows (all owners and users, all registrations)
    and joining after: 0.9-1.8 s a batch of 500 against 0.01-0.15 s with this FILTER on the
    20,000-mark synthetic register (`bench/query_shapes.py`). Inside a ``UNION`` branch
    that does not bind the variable of the outer VALUES block the FILTER is the slow one
    (the branch is evaluated alone): keep VALUES there.

    >>> iri_in("role", ["https://e.org/owner", "https://e.org/user"])
    'FILTER(?role IN (<https://e.org/owner>, <https://e.org/user>))'
    """
    return f"FILTER(?{variable} IN ({', '.join(f'<{iri}>' for iri in iris if is_iri(iri))}))"


def batches(items: Sequence[str], size: int = BATCH) -> Iterable[Sequence[str]]:
    """Consecutive slices of at most `size` items (one store query each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def camel_words(camel: str) -> str:
    """'LawsuitFiled' -> 'lawsuit filed'.

    >>> camel_words("LawsuitFiled")
    'lawsuit filed'
    """
    return "".join(f" {c.lower()}" if c.isupper() else c for c in camel).strip()
