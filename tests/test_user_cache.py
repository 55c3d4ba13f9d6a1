"""Values kept between processes in the user's cache folder (`kg.user_cache`): made once,
read by the next process, made again when the file is damaged or cannot be written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg import user_cache
from kg.analysis import designations, elements
from kg.analysis.scripts import romanize


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tmkg"


def test_a_value_is_made_once_per_key_and_older_keys_are_pruned(cache_folder: Path) -> None:
    made: list[int] = []

    def make(value: object) -> object:
        made.append(1)
        return value

    assert user_cache.kept("numbers", 1, lambda: make([1, 2])) == [1, 2]
    assert user_cache.kept("numbers", 1, lambda: make([3])) == [1, 2]  # read, not made
    assert user_cache.kept("numbers", 2, lambda: make({"a": 3})) == {"a": 3}
    assert user_cache.kept("numbers-too", 1, lambda: make("x")) == "x"
    assert len(made) == 3
    # keeping key 2 removed key 1's file of the same name, not another name's
    names = sorted(p.name.rsplit("-", 1)[0] for p in cache_folder.glob("*.json"))
    assert names == ["numbers", "numbers-too"]


def test_a_damaged_file_is_made_again(cache_folder: Path) -> None:
    user_cache.kept("numbers", 1, lambda: [1])
    (kept,) = cache_folder.glob("numbers-*.json")
    kept.write_text("{not json")
    assert user_cache.kept("numbers", 1, lambda: [2]) == [2]
    assert json.loads(kept.read_text()) == [2]


def test_a_folder_that_cannot_be_made_makes_the_value_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert user_cache.kept("numbers", 1, lambda: [5]) == [5]
    assert user_cache.kept("numbers", 1, lambda: [6]) == [6]  # nothing kept: made again


@pytest.mark.parametrize("damage", ['"a string"', "[1, 2]", "{}", '["A", 1]'])
def test_the_weak_words_are_romanized_once_and_a_kept_file_of_another_shape_is_not_read(
    cache_folder: Path, damage: str
) -> None:
    # the Chinese and Korean weak words and legal forms loaded pypinyin's tables in every
    # process (~0.4-0.6 s)
    texts = [row["word"] for row in elements.weak_word_rows()]
    wanted = [romanize(text) for text in texts]
    assert "有限公司" in texts and romanize("有限公司") != "有限公司"
    elements.romanized_weak_words.cache_clear()
    assert list(elements.romanized_weak_words()) == wanted
    (kept,) = cache_folder.glob("weak-words-*.json")
    assert json.loads(kept.read_text()) == wanted
    kept.write_text(damage)
    elements.romanized_weak_words.cache_clear()
    assert list(elements.romanized_weak_words()) == wanted
    assert json.loads(kept.read_text()) == wanted  # kept anew


def test_the_legal_forms_are_the_romanized_legal_form_rows() -> None:
    rows = elements.weak_word_rows()
    forms = {romanize(row["word"]) for row in rows if row["kind"] == "legal-form"}
    assert designations.legal_forms()[0] == forms
    assert {"GONGSI", "INC", "GMBH"} <= forms and "GROUP" not in forms


def test_a_file_that_is_no_regular_file_or_too_big_is_not_read(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # helper-128: a FIFO where the file goes blocked `kg load` for ever, /dev/zero filled memory
    user_cache.kept("numbers", 1, lambda: [1])
    (kept,) = cache_folder.glob("numbers-*.json")
    kept.unlink()
    os.mkfifo(kept)
    assert user_cache.kept("numbers", 1, lambda: [2]) == [2]  # not read, replaced
    assert json.loads(kept.read_text()) == [2]
    kept.unlink()
    kept.symlink_to("/dev/zero")
    assert user_cache.kept("numbers", 1, lambda: [3]) == [3]
    monkeypatch.setattr(user_cache, "MAX_BYTES", 2)
    assert user_cache.kept("numbers", 1, lambda: [44]) == [44]  # "[3]" is more than 2 bytes
    assert not list(cache_folder.glob(".*.tmp"))  # nothing left aside


def test_a_value_of_another_shape_is_made_again_and_kept(cache_folder: Path) -> None:
    user_cache.kept("numbers", 1, lambda: "x")
    assert user_cache.kept("numbers", 1, lambda: 5, lambda v: isinstance(v, int)) == 5
    assert user_cache.kept("numbers", 1, lambda: 6, lambda v: isinstance(v, int)) == 5
