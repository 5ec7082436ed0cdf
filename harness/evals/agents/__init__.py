"""Agent backends: who works on the fault. Each registers itself (agents.registry) with
what it needs; looked up by name, a miss lists the names."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.agents.registry import (AgentBackend, BackendSpec, controls, model_agents,
                                           names, register, reviewed_sources, spec,
                                           uses_model)


def _import_backends() -> None:
    """Every module of this package, so the backends in it register: a new backend is one
    new module, nothing to list here (claude-code imports its SDK only when it runs)."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}")


_import_backends()


def get(name: str) -> Callable[[], AgentBackend]:
    """The backend factory (its class) for `name`; KeyError names the known agents."""
    return spec(name).factory


__all__ = ["AgentBackend", "AgentContext", "AgentOutcome", "BackendSpec", "controls", "get",
           "model_agents", "names", "register", "reviewed_sources", "spec", "uses_model"]
