"""What every backend receives and returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harness.evals import pricing
from harness.evals.usage import Tokens

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
    followups: list = field(default_factory=list)   # later user turns of a multi-turn prompt
    instructions: str = "preamble"                  # harness.evals.instructions.MODES
    guard: object = "review"        # harness.evals.guard.GuardPolicy, or its mode's name
    private_dir: Path | None = None  # harness-only files (launcher, kubeconfig), not cwd
    max_budget_usd: float | None = None
    thinking_budget: int | None = None

    def __post_init__(self):
        if self.guard is None or isinstance(self.guard, str):
            from harness.evals.guard import GuardPolicy
            self.guard = GuardPolicy(self.guard or "review", self.workdir,
                                     getattr(self.shell, "env", None),
                                     getattr(self.shell, "transcript", None))


@dataclass
class AgentOutcome:
    answer: str = ""
    turns: int = 0
    tokens: Tokens = field(default_factory=Tokens)
    cost_usd: float | None = None          # from harness.evals.pricing (one table)
    reported_cost_usd: float | None = None  # what the client itself reported, if any
    budget_exceeded: str | None = None
    stop: str | None = None                # why the agent stopped: end_turn, max_turns, ...
    skills_discovered: list[str] = field(default_factory=list)
    skills_offered: list[str] = field(default_factory=list)
    skills_loaded: list[str] = field(default_factory=list)
    permission_denials: list[dict] = field(default_factory=list)
    instructions: dict = field(default_factory=dict)   # {mode, system, tools} as sent
    api_requests: int | None = None
    session_id: str | None = None

    @property
    def tokens_in(self) -> int:
        return self.tokens.prompt

    @property
    def tokens_out(self) -> int:
        return self.tokens.output

    def price(self, model: str, largest_prompt: int = 0) -> None:
        self.cost_usd = pricing.cost(model, self.tokens, largest_prompt)

    def loaded(self, name: str) -> None:
        if name and name not in self.skills_loaded:
            self.skills_loaded.append(name)
