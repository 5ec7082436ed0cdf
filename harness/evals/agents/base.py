"""What every backend receives and returns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.evals import pricing
from harness.evals.usage import Tokens

if TYPE_CHECKING:
    from harness.evals.guard import GuardPolicy
    from harness.evals.kube import Kube
    from harness.evals.sandbox import Sandbox
    from harness.evals.scenario import Scenario
    from harness.evals.shell import Shell

DEFAULT_MODEL = "claude-sonnet-5-5"


@dataclass
class AgentContext:
    scenario: Scenario
    prompt: str
    sandbox: Sandbox | None  # None: no cluster (the skill-trigger suite)
    kube: Kube | None
    shell: Shell           # run() records every command
    workdir: Path          # the throwaway project the agent works in
    skills: bool
    model: str
    budgets: dict[str, Any]
    render: Callable[[str], str]   # text with the run's template variables filled in
    base_url: str | None = None     # a fake Anthropic API (scripted runs)
    transcript_file: Path | None = None
    skills_source: Path | None = None   # built skill bundles to offer (None: repo's skills/)
    followups: list[str] = field(default_factory=list)  # later user turns of the prompt
    instructions: str = "preamble"                  # harness.evals.instructions.MODES
    guard: GuardPolicy | str | None = "review"      # a policy, or its mode's name
    private_dir: Path | None = None  # harness-only files (launcher, kubeconfig), not cwd
    max_budget_usd: float | None = None
    thinking_budget: int | None = None

    def __post_init__(self) -> None:
        if self.guard is None or isinstance(self.guard, str):
            from harness.evals.guard import GuardPolicy
            self.guard = GuardPolicy(self.guard or "review", self.workdir,
                                     getattr(self.shell, "env", None),
                                     getattr(self.shell, "transcript", None))

    @property
    def policy(self) -> GuardPolicy:
        """The run's guard (a mode name given at construction became a GuardPolicy)."""
        from harness.evals.guard import GuardPolicy
        assert isinstance(self.guard, GuardPolicy)  # made so by __post_init__
        return self.guard


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
    permission_denials: list[dict[str, Any]] = field(default_factory=list)
    instructions: dict[str, Any] = field(default_factory=dict)   # {mode, system, tools} as sent
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
