"""Modules loaded on first use (`kg.lazy`): the first use from several threads at once, as a
server's GraphQL threads do, finds the whole module in every thread (Python 3.11's
`importlib.util.LazyLoader` gave the others a module whose code had not run yet: "module
'pypinyin' has no attribute 'lazy_pinyin'", the hardening load test, 2026-12-07)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from kg.lazy import lazy_module


@pytest.fixture
def slow_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module whose code takes 0.3 s before it defines its names."""
    name = f"kg_test_slow_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(
        "import time\nLOADS = []\ntime.sleep(0.3)\ndef answer():\n    return 42\nLOADS.append(1)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


@pytest.mark.parametrize("threads", [2, 8])
def test_the_first_use_from_threads_at_once_finds_the_whole_module(
    slow_module: str, threads: int
) -> None:
    module = lazy_module(slow_module)
    assert slow_module not in sys.modules  # nothing loaded yet
    start = threading.Barrier(threads)
    answers: list[object] = []

    def use() -> None:
        start.wait()
        try:
            answers.append(module.answer())
        except Exception as error:  # the test reports what a thread met
            answers.append(error)

    running = [threading.Thread(target=use) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    assert answers == [42] * threads
    assert sys.modules[slow_module].LOADS == [1]  # its code ran once
    assert module.LOADS is sys.modules[slow_module].LOADS


def test_a_module_already_imported_is_given_as_it_is() -> None:
    assert lazy_module("json") is sys.modules["json"]


def test_no_such_module_is_refused_at_once() -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy_module("kg_no_such_module_at_all")
