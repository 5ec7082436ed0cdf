"""Agent backends: who works on the fault. Looked up by name; a miss lists the names."""
from __future__ import annotations

from harness.evals.agents.base import AgentContext, AgentOutcome

NAMES = ("claude-code", "messages", "reference", "replay", "none", "dodge")
CONTROLS = ("none", "reference", "dodge")   # the control runs of `eval --validate`
CLAUDE = ("claude-code", "messages")


def get(name: str):
    """The backend class for `name` (imported lazily: claude-code pulls in its SDK)."""
    if name == "none":
        from harness.evals.agents.simple import NoneAgent
        return NoneAgent
    if name == "reference":
        from harness.evals.agents.simple import ReferenceAgent
        return ReferenceAgent
    if name == "dodge":
        from harness.evals.agents.simple import DodgeAgent
        return DodgeAgent
    if name == "replay":
        from harness.evals.agents.simple import ReplayAgent
        return ReplayAgent
    if name == "messages":
        from harness.evals.agents.messages import MessagesAgent
        return MessagesAgent
    if name == "claude-code":
        from harness.evals.agents.claude_code import ClaudeCodeAgent
        return ClaudeCodeAgent
    raise KeyError(f"unknown agent {name!r}; known agents: {', '.join(NAMES)}")


__all__ = ["AgentContext", "AgentOutcome", "NAMES", "CLAUDE", "CONTROLS", "get"]
