"""Settings as the Python API takes them: a path may be given as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Analyst, KnowledgeGraph, Settings


@pytest.mark.parametrize("read_only", [False, True])
def test_a_store_path_given_as_text_opens_the_store(tmp_path: Path, read_only: bool) -> None:
    """``Settings(store_path="...")`` opens the store as a Path does, read-only too (it
    raised AttributeError: 'str' object has no attribute 'exists')."""
    text = str(tmp_path / "store")
    settings = Settings(store_path=text, read_only=read_only)  # type: ignore[arg-type]
    assert settings.store_path == Path(text) and settings.resolved_store_path == Path(text)
    with KnowledgeGraph.open(settings) as graph:
        assert Analyst(graph).who_else_uses("ACME") == []
    assert (tmp_path / "store").is_dir()


def test_an_update_token_file_given_as_text_is_a_path(tmp_path: Path) -> None:
    token = tmp_path / "token"
    settings = Settings(update_token_file=str(token))  # type: ignore[arg-type]
    assert settings.update_token_file == token


def test_an_empty_store_path_is_none_given(tmp_path: Path, monkeypatch) -> None:
    """``Settings(store_path="")`` is the default store, as an empty $KG_STORE is; `kg
    --store ""` is refused: as a Path "" is the current folder, which became a store beside
    whatever it held (helper-97)."""
    from tests.conftest import run_kg

    assert Settings(store_path="").store_path is None  # type: ignore[arg-type]
    assert Settings(store_path=" ", update_token_file="").update_token_file is None  # type: ignore[arg-type]
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "README").write_text("hi", encoding="utf-8")
    monkeypatch.chdir(folder)
    result = run_kg("--store", "", "stats")
    assert result.returncode == 2 and "the store's folder is empty" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["README"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
