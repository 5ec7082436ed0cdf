"""Cluster providers: `local` (default), `kubeconfig` (an existing context), `kind`, and any
other module of this package that registers one (see registry.py)."""
from __future__ import annotations

import importlib
import pkgutil

from harness.cluster.providers.registry import (RETAIN, Option, Provider, ProviderSpec,
                                                new_cluster, open_cluster, read_state,
                                                register, spec)

__all__ = ["RETAIN", "Option", "Provider", "ProviderSpec", "new_cluster", "open_cluster",
           "read_state", "register", "spec"]

# Every module here registers its provider on import: a new provider is one new file.
# These first, in the order `--provider` lists them; the others alphabetically after.
_FIRST = ("local", "kubeconfig", "kind")
for _name in sorted((m.name for m in pkgutil.iter_modules(__path__)),
                    key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n)):
    importlib.import_module(f"{__name__}.{_name}")
