"""What every backend receives and returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# USD per million tokens (input, output) by model family: an estimate for reports only.
PRICES = {"opus": (15.0, 75.0), "sonnet": (3.0, 15.0), "haiku": (1.0, 5.0)}
DEFAULT_MODEL = "claude-sonnet-5-5"


@dataclass
class AgentContext:
    scenario: object
    prompt: str
    sandbox: object
    kube: object
    shell: object          # harness.evals.shell.Shell: run() records every command
    workdir: Path          # the throwaway project the agent works in
    skills: bool
    model: str
    budgets: dict
    render: object         # render(text) -> text with the run's template variables
    base_url: str | None = None     # a fake Anthropic API (scripted runs)
    transcript_file: Path | None = None
    skills_source: Path | None = None   # built skill bundles to offer (None: repo's skills/)
    guard: str = "review"               # off | review | enforce (harness.safety.enforce)


@dataclass
class AgentOutcome:
    answer: str = ""
    turns: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = None
    budget_exceeded: str | None = None
    skills_offered: list[str] = field(default_factory=list)
    skills_loaded: list[str] = field(default_factory=list)


def estimate_cost(model: str, tokens_in: int, tokens_out: int) -> float | None:
    """USD estimate from the family's list price; None for unknown models.

    >>> estimate_cost("claude-sonnet-4-5", 1_000_000, 0)
    3.0
    """
    for family, (p_in, p_out) in PRICES.items():
        if family in (model or ""):
            return round(tokens_in / 1e6 * p_in + tokens_out / 1e6 * p_out, 6)
    return None
