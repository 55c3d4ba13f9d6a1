"""An ST.66 ``TradeMark`` as `kg.registries.st66_handler` collects it: its values with their
lines, its parties and keys (`kg.registries.st66_parties`), its classes (`GoodsClass`)
and its groups of values (`Group`: priorities, events, records, designations).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.registries.st66_parties import Key, Party

__all__ = ["GoodsClass", "Group", "TradeMark", "file_classes"]


@dataclass
class GoodsClass:
    """A GoodsServices' ClassDescription being read: its ClassNumber and texts."""

    line: int
    number: str | None = None
    texts: list[tuple[str, str | None, int]] = field(default_factory=list)
    domestic: list[str] = field(default_factory=list)
    """USPTO's US classes of this class (``ClassDescriptionExt/ns2:DomesticClassNumbers``)."""
    first_use: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """USPTO's first-use dates: "first_used" / "first_used_commerce" -> (element, text, line)."""


@dataclass
class Group:
    """A Priority, MarkEvent, BasicRecord or DesignatedCountry being read: its values."""

    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class TradeMark:
    """A TradeMark being read: its values (by `st66_handler`'s field names) and parts."""

    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    applicants: list[Party] = field(default_factory=list)
    representatives: list[Party] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    classes: list[GoodsClass] = field(default_factory=list)  # of all GoodsServices, kind filed
    kinds: list[tuple[str | None, str | None]] = field(default_factory=list)  # kind, version
    pending: list[GoodsClass] = field(default_factory=list)  # this GoodsServices' classes
    class_kind: str | None = None
    class_version: str | None = None
    vienna: list[str] = field(default_factory=list)
    texts: dict[str, list[tuple[str, str | None, int]]] = field(default_factory=dict)
    publications: list[tuple[str, int]] = field(default_factory=list)
    priorities: list[Group] = field(default_factory=list)
    events: list[Group] = field(default_factory=list)
    records: list[Group] = field(default_factory=list)
    designations: list[Group] = field(default_factory=list)
    renewal: tuple[str, int] | None = None  # USPTO's RenewalDate
    status_text: str | None = None  # USPTO's MarkCurrentStatusExternalDescriptionText
    deleted: bool = False  # operationCode "Delete" on the TradeMark or an element around it
    repeated: list[tuple[str, str, str, int]] = field(default_factory=list)
    """A single value given again, differently: (field, element, text, line)."""


def file_classes(trademark: TradeMark) -> None:
    """File the classes of the GoodsServices just read with its kind and version."""
    for klass in trademark.pending:
        trademark.classes.append(klass)
        trademark.kinds.append((trademark.class_kind, trademark.class_version))
    trademark.pending, trademark.class_kind, trademark.class_version = [], None, None
