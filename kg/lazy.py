"""Modules imported when first used, not when tmkg starts.

`kg` commands start in a fresh process each time, and importing every library a command
might need costs more than most answers: networkx (~0.2-0.5 s) is needed only by paths,
reports and exports. `lazy_module` follows the recipe of the Python documentation
(`importlib.util.LazyLoader`, "Implementing lazy imports"): the module object exists at
once, and its code runs on the first attribute looked up.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

__all__ = ["lazy_module"]


def lazy_module(name: str) -> ModuleType:
    """The module `name`, loaded on first use (at once if it is already imported).

    Raises ModuleNotFoundError, as ``import`` does, when there is no such module.

    >>> json = lazy_module("json")
    >>> json.dumps([1])
    '[1]'
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
