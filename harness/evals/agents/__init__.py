"""Agent backends: who works on the fault. Each registers itself (agents.registry) with
what it needs; looked up by name, a miss lists the names."""
from __future__ import annotations

from collections.abc import Callable

from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.agents.registry import (AgentBackend, BackendSpec, controls, model_agents,
                                           names, register, reviewed_sources, spec,
                                           uses_model)

# The built-in backends register on import (claude-code imports its SDK only when it runs).
from harness.evals.agents import claude_code, messages, simple  # noqa: F401 (they register)


def get(name: str) -> Callable[[], AgentBackend]:
    """The backend factory (its class) for `name`; KeyError names the known agents."""
    return spec(name).factory


__all__ = ["AgentBackend", "AgentContext", "AgentOutcome", "BackendSpec", "controls", "get",
           "model_agents", "names", "register", "reviewed_sources", "spec", "uses_model"]
