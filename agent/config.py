"""Settings of the agent service: flags win over K8S_AGENT_* variables, which win over
defaults. The Helm chart sets the variables; tests and `serve --help` use the flags.

    >>> Settings(mode="operator", auto_apply_namespaces=["shop"]).mode
    'operator'
"""
from __future__ import annotations
from typing import Any

import os
import socket
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields

from harness.errors import UserError

MODES = ("advisory", "semi-autonomous", "operator")
BACKENDS = ("anthropic", "bedrock", "vertex")


@dataclass
class Settings:
    mode: str = "advisory"
    namespace: str = "k8s-agent"          # where the service keeps its state and Lease
    identity: str = ""                    # this replica's name in the Lease (pod name)
    kubeconfig: str = ""                  # the service's own identity ("" = in-cluster)
    # The model's kubectl: a read-only identity, never the service's own credentials.
    reader_kubeconfig: str = ""           # a ready kubeconfig, or:
    reader_serviceaccount: str = ""       # mint short-lived tokens for this ServiceAccount
    workdir: str = ""                     # the agent's project folder (skills installed here)
    skills_dir: str = ""                  # built bundles to install ("" = build from skills/)
    backend: str = "anthropic"
    model: str = "claude-sonnet-4-5"
    scripted: bool = False                # a local fake API plays the model: label every answer
    max_turns: int = 12
    specialists: bool = False             # orchestrator + specialists (agent.specialists)
    ask_timeout: float = 300.0
    max_concurrent_asks: int = 4
    max_body_bytes: int = 16384
    max_question_chars: int = 4000
    audit_log: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    # operator mode: proposals for these namespaces and kinds are applied without approval
    auto_apply_namespaces: list[str] = field(default_factory=list)
    auto_apply_kinds: list[str] = field(default_factory=list)
    lease_name: str = "k8s-agent-watcher"
    lease_duration: int = 15
    renew_deadline: int = 10
    retry_period: int = 2
    watcher: bool = True
    watch_namespaces: list[str] = field(default_factory=list)   # [] = all
    pending_minutes: float = 5.0          # a problem must last this long to be a finding
    diagnose_every: float = 30.0          # seconds between diagnosis passes (debounce)
    summary_tokens_per_hour: int = 20000  # Claude summarises findings within this budget
    summary_workers: int = 3              # summaries asked at once (in the background)
    webhook_url: str = ""                 # findings are also POSTed here (in-cluster URL)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UserError(f"mode {self.mode!r}: choose one of {', '.join(MODES)}")
        if self.backend not in BACKENDS:
            raise UserError(f"backend {self.backend!r}: choose one of {', '.join(BACKENDS)}")
        if self.mode != "operator" and (self.auto_apply_namespaces or self.auto_apply_kinds):
            raise UserError("auto-apply namespaces/kinds are for --mode operator only")
        if not self.identity:
            self.identity = f"{socket.gethostname()}-{os.getpid()}"
        self._fit_lease()

    def _fit_lease(self) -> None:
        """The client library's election requires lease > renew deadline > 1.2 x retry
        period (it exits otherwise): a shorter Lease scales the other two down with it."""
        if self.lease_duration < 3:
            raise UserError(f"lease duration {self.lease_duration}s: at least 3 seconds")
        if self.renew_deadline >= self.lease_duration:
            self.renew_deadline = max(2, self.lease_duration * 2 // 3)
        if self.renew_deadline <= 1.2 * self.retry_period:
            self.retry_period = max(1, int((self.renew_deadline - 0.01) / 1.2))

    @property
    def writes(self) -> bool:
        """Whether an applier may change the cluster at all (not in advisory mode)."""
        return self.mode != "advisory"


def env_name(name: str) -> str:
    return "K8S_AGENT_" + name.upper()


def from_env(overrides: Mapping[str, Any] | None = None,
             environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from K8S_AGENT_<FIELD> variables, then `overrides` (flags; None = unset)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(env_name(f.name))
        if raw is not None and raw != "":
            values[f.name] = _parse(f, raw)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Settings(**values)
    except TypeError as err:
        raise UserError(f"settings: {err}") from err


def _parse(f: Field[Any], raw: str) -> bool | int | float | list[str] | str:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "str")
    try:
        if kind == "bool":
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as err:
        raise UserError(f"{env_name(f.name)}={raw!r}: not a {kind}") from err
    if kind.startswith("list"):
        return [v.strip() for v in raw.split(",") if v.strip()]
    return raw
