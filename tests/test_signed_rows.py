"""`kg.analysis.signed_rows.Sharing`: rows pickled one chunk at a time share their values
when read back, and a persistent id that is not one of its own is refused."""

from __future__ import annotations

import io
import pickle

import pytest

from kg.analysis.model import Cited, MarkRef, PartyRef, SourceRef
from kg.analysis.signed_rows import DECODING, Sharing

KINDS = (PartyRef, MarkRef, SourceRef, Cited)


def _party(n: int) -> PartyRef:
    return PartyRef(id=f"urn:party:{n}", name=f"Party {n}", iris=(f"urn:party:{n}",))


def _chunks() -> list[tuple[object, ...]]:
    source = SourceRef(graph="urn:graph:a", title="A register")
    cited = Cited(subject="urn:reg:1", facts=(("urn:p", "urn:o"),), sources=("urn:graph:a",))
    return [
        ((_party(1), _party(2), MarkRef("urn:mark:1", "AWS"), source, cited),),
        ((_party(2), _party(3), MarkRef("urn:mark:1", "AWS"), source, cited, 0.5),),
        ((_party(1), "plain", 1, None, (source, (cited,))),),
    ]


def test_values_read_from_several_chunks_are_built_once() -> None:
    writing = Sharing(KINDS)
    data = [writing.dumps(chunk) for chunk in _chunks()]
    reading = Sharing(KINDS)
    first, second, third = (reading.loads(one) for one in data)
    assert [first, second, third] == _chunks()
    assert second[0][0] is first[0][1]  # party 2, in two chunks
    assert third[0][0] is first[0][0]  # party 1
    assert second[0][2] is first[0][2] and second[0][3] is first[0][3]
    assert third[0][4][1][0] is second[0][4] is first[0][4]  # nested in tuples too
    assert Sharing(KINDS).loads(data[1])[0][0] is not second[0][0]  # one Sharing, one load


def test_values_are_stored_once_per_chunk_by_their_fields() -> None:
    chunk = tuple(_party(n % 3) for n in range(300))
    assert len(Sharing(KINDS).dumps(chunk)) < len(pickle.dumps(_party(1))) * 12
    assert Sharing(KINDS).loads(Sharing(KINDS).dumps(chunk)) == chunk


class _Forged(pickle.Pickler):
    def __init__(self, file: io.BytesIO, pid: object) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.pid = pid

    def persistent_id(self, obj: object) -> object:
        return self.pid if obj == "forged" else None


def _forged(pid: object) -> bytes:
    buffer = io.BytesIO()
    _Forged(buffer, pid).dump(("forged",))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "pid",
    [
        "a string",
        (9, ("urn:x", "X")),  # no such kind
        (-1, ("urn:x", "X")),
        (1, ("urn:x",)),  # too few fields for a MarkRef
        (1, ("urn:x", "X", "more")),
        ("1", ("urn:x", "X")),
        (1, ["urn:x", "X"]),  # unhashable
        (1, ("urn:x", "X"), "third"),
    ],
)
def test_a_persistent_id_of_another_shape_is_refused(pid: object) -> None:
    with pytest.raises((pickle.UnpicklingError, *DECODING)):
        Sharing(KINDS).loads(_forged(pid))


def test_a_forbidden_global_inside_a_shared_value_is_refused() -> None:
    import os

    with pytest.raises(pickle.UnpicklingError):
        Sharing(KINDS).loads(_forged((1, (os.system, "X"))))


def test_a_shared_value_is_built_as_pickle_builds_it() -> None:
    built = Sharing(KINDS).loads(_forged((1, ("urn:mark:9", "NIKE"))))
    assert built == ("forged",) or built[0] == MarkRef("urn:mark:9", "NIKE")
    assert isinstance(built[0], MarkRef) and built[0].text == "NIKE"


def test_a_refused_class_is_not_remembered_as_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from kg.analysis import signed_rows

    unpickler = signed_rows.RowUnpickler(io.BytesIO(b""))
    with pytest.raises(pickle.UnpicklingError):
        unpickler.find_class("builtins", "eval")
    model = sys.modules.pop("kg.analysis.model")
    monkeypatch.setattr(signed_rows, "_ANSWER_CLASSES", {})
    try:
        with pytest.raises(pickle.UnpicklingError):  # not loaded yet
            unpickler.find_class("kg.analysis.model", "MarkRef")
    finally:
        sys.modules["kg.analysis.model"] = model
    assert unpickler.find_class("kg.analysis.model", "MarkRef") is MarkRef  # loaded since


def test_a_persistent_id_nested_deep_is_refused_before_it_is_hashed() -> None:
    import subprocess
    import sys

    deep = b")" + b"\x85" * 300_000  # a tuple in a tuple ... 300,000 deep, built without recursion
    data = b"\x80\x05K\x01" + deep + b"\x8c\x01X\x86\x86Q."  # (1, (deep, "X")) as a persistent id
    script = (
        "import pickle, sys\n"
        "from kg.analysis.model import Cited, MarkRef, PartyRef, SourceRef\n"
        "from kg.analysis.signed_rows import Sharing\n"
        "try:\n"
        "    Sharing((PartyRef, MarkRef, SourceRef, Cited)).loads(sys.stdin.buffer.read())\n"
        "except pickle.UnpicklingError:\n"
        "    print('refused')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (0, b"refused"), done.stderr[-500:]


def test_a_value_too_deep_for_a_field_is_refused() -> None:
    nested: object = "x"
    for _ in range(5):
        nested = (nested,)
    with pytest.raises(pickle.UnpicklingError):
        Sharing(KINDS).loads(_forged((1, (nested, "X"))))


def _named(n: int) -> PartyRef:
    said = Cited(f"urn:party:{n}", (("https://schema.org/name", f"Party {n}"),), ("urn:g",))
    return PartyRef(id=f"urn:party:{n}", name=f"Party {n}", name_statement=said)


def test_a_shared_value_holding_another_is_built_once_across_chunks() -> None:
    writing = Sharing(KINDS)
    chunks = [((_named(1), _named(1).name_statement),), ((_named(2), _named(1)),)]
    data = [writing.dumps(chunk) for chunk in chunks]
    reading = Sharing(KINDS)
    first, second = (reading.loads(one) for one in data)
    assert [first, second] == chunks
    assert second[0][1] is first[0][0]  # party 1, in two chunks
    assert first[0][0].name_statement is first[0][1]  # its statement, one value


def test_a_value_in_a_field_not_built_as_a_shared_value_is_refused() -> None:
    said = Cited("urn:party:1", (("https://schema.org/name", "X"),), ("urn:g",))
    fields = ("urn:party:1", "X", (), (), (), None, said, ())  # a Cited pickled whole
    with pytest.raises(pickle.UnpicklingError):
        Sharing(KINDS).loads(_forged((0, fields)))
    among = ("urn:party:1", "X", ("Y",), (), (), None, None, (said,))  # in a tuple, the same
    with pytest.raises(pickle.UnpicklingError):
        Sharing(KINDS).loads(_forged((0, among)))


def test_a_party_s_alias_statements_are_read_back() -> None:
    """helper-125: `kg conflicts` failed on its second run ("a shared value of no kind this
    file keeps") once a party had aliases: their statements are a tuple of shared values."""
    alias = Cited("urn:party:1", (("https://schema.org/alternateName", "Y"),), ("urn:g",))
    party = PartyRef(id="urn:party:1", name="X", aliases=("Y",), alias_statements=(alias,))
    writing = Sharing(KINDS)
    data = [writing.dumps(((party,),)), writing.dumps(((party, alias),))]
    reading = Sharing(KINDS)
    first, second = (reading.loads(one) for one in data)
    assert first == ((party,),) and second == ((party, alias),)
    assert second[0][0] is first[0][0] and second[0][1] is first[0][0].alias_statements[0]


def test_a_schema_that_does_not_make_the_columns_named_is_a_mistake(tmp_path) -> None:
    from kg.analysis.signed_rows import RowsFile

    schema = "CREATE TABLE IF NOT EXISTS rows (n INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    assert RowsFile(schema, {"rows": ["n", "data"]}).open(tmp_path / "a.sqlite") is not None
    with pytest.raises(ValueError, match="other columns"):
        RowsFile(schema, {"rows": ["n", "value"]}).open(tmp_path / "b.sqlite")
