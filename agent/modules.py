"""Loading one skill script's module by its file path (skill bundles are folders of
scripts, not installed packages)."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_file(name: str, path: Path) -> ModuleType:
    """The module in `path` (a .py file), executed under `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    # None only for a path no file loader claims (not a .py file): a broken checkout.
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: not a Python source file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
