"""Modules imported when first used, not when tmkg starts.

`kg` commands start in a fresh process each time, and importing every library a command
might need costs more than most answers: networkx (~0.2-0.5 s) is needed only by paths,
reports and exports. `lazy_module` gives a stand-in module object at once; the first
attribute looked up on it imports the module with `importlib.import_module` and reads from
it.

Not the Python documentation's recipe (`importlib.util.LazyLoader`): before Python 3.12.3 its
module turns into a plain module before its code has run, so a second thread using it
meanwhile finds its names missing (CPython gh-114763; a server's GraphQL threads asking about
the first Chinese party name at once got "module 'pypinyin' has no attribute 'lazy_pinyin'").
`import_module` holds the import system's lock of that module while its code runs: a second
thread waits for it, then reads the whole module.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

__all__ = ["lazy_module"]


class _LazyModule(ModuleType):
    """Stands for the module of its name until an attribute is looked up on it; then holds
    a copy of the module's names (a name the module binds anew later is read from the module
    only if it was not there at the first lookup: none of the modules tmkg loads so does)."""

    def __getattr__(self, attribute: str) -> object:  # only names not copied
        module = importlib.import_module(self.__name__)  # waits for another thread's import
        if "__lazy_copied__" not in self.__dict__ and not attribute.startswith("__"):
            self.__dict__.update(module.__dict__)  # later lookups are plain attribute reads
            self.__dict__["__lazy_copied__"] = True
        return getattr(module, attribute)


def lazy_module(name: str) -> ModuleType:
    """The module `name`, loaded on first use (at once if it is already imported); safe to
    use from several threads.

    Raises ModuleNotFoundError, as ``import`` does, when there is no such module.

    >>> json = lazy_module("json")
    >>> json.dumps([1])
    '[1]'
    """
    if name in sys.modules:
        return sys.modules[name]
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _LazyModule(name)
