"""Safeguards for eval runs and the agent service: the k8s-rbac guard and audit log.

There is one implementation, in the skill bundle (the package `skills/k8s-rbac/scripts/_guard/`,
its audit log included), because a skill must run alone in the Skills API sandbox; this facade
loads those modules so the harness judges commands exactly as the Claude Code hook does.
RBAC is the boundary; the guard is a second line: it allows only what it fully
understands as a read, asks the rest, and denies the worst.

    >>> from harness import safety
    >>> safety.check("kubectl delete ns prod")["decision"]
    'ask'
"""
from __future__ import annotations

import importlib
import os
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Mapping

from harness.errors import UserError

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-rbac" / "scripts"
GUARD_MODES = ("off", "review", "enforce", "supervised")
# The guard speaks plain JSON-shaped dicts (the skill bundle is stdlib only, without types):
Verdict = dict[str, Any]    # {class, decision, explanation, reasons, signals, commands, ...}
Policy = dict[str, Any]     # a guard policy (references/guard-policy.md), merged
Record = dict[str, Any]     # one audit-log entry
PathArg = str | os.PathLike[str]


@lru_cache(maxsize=None)
def _module(name: str) -> ModuleType:
    if not (SCRIPTS / "_guard" / "__init__.py").is_file():
        raise UserError(f"{SCRIPTS}: k8s-rbac skill scripts missing; the safety layer needs "
                        "a source checkout of the repository")
    if str(SCRIPTS) not in sys.path:
        sys.path.append(str(SCRIPTS))
    return importlib.import_module(name)


def check(command: str, policy: Policy | None = None, *, cwd: PathArg | None = None,
          env: Mapping[str, str] | None = None,
          skill_roots: Iterable[PathArg] | None = None) -> Verdict:
    """{class, decision, explanation, reasons, signals, commands, comments} for one line,
    judged from the agent's working directory and environment."""
    verdict: Verdict = _module("_guard").check(
        command, policy, cwd=None if cwd is None else str(cwd), env=env,
        skill_roots=[str(r) for r in skill_roots or []])
    return verdict


def check_tool(tool_name: str, tool_input: dict[str, Any], policy: Policy | None = None, *,
               cwd: PathArg | None = None,
               env: Mapping[str, str] | None = None) -> Verdict | None:
    """The guard's verdict on a Claude Code file tool call (None: no opinion)."""
    verdict: Verdict | None = _module("_guard").judge_tool(
        tool_name, tool_input, cwd=None if cwd is None else str(cwd), env=env, policy=policy)
    return verdict


def load_policy(path: PathArg) -> Policy:
    try:
        policy: Policy = _module("_guard").load_policy(str(path))
        return policy
    except ValueError as err:
        raise UserError(f"guard policy {err}") from err


def audit_log_path() -> str:
    return str(_module("_guard.audit_log").default_path())


def read_audit_log(path: PathArg) -> list[Record]:
    try:
        records: list[Record] = _module("_guard.audit_log").read(str(path))
        return records
    except OSError as err:
        raise UserError(f"audit log {path}: cannot read: {err}") from err


def summarise(records: list[Record], include_reads: bool = False) -> dict[str, Any]:
    summary: dict[str, Any] = _module("_guard.audit_log").summarise(records, include_reads)
    return summary


def render_summary(summary: dict[str, Any]) -> str:
    return str(_module("_guard.audit_log").render(summary))


class Guard:
    """Judge and record every command an agent runs (an eval run, an agent session).

    `review()` is the safeguard: commands the policy would not have allowed, which a
    scenario's damage checks can report; `verdicts` keeps every decision in order."""

    def __init__(self, policy: Policy | None = None, log_path: PathArg | None = None,
                 identity: dict[str, str] | None = None, cwd: PathArg | None = None,
                 skill_roots: Iterable[PathArg] | None = None,
                 env: Mapping[str, str] | None = None):
        self.policy = policy or {}
        self.log_path = str(log_path) if log_path else None
        self.identity = identity or {"agent": "harness"}
        self.cwd = None if cwd is None else str(cwd)
        self.skill_roots = [str(r) for r in skill_roots or []]
        self.env = env
        self.records: list[Record] = []

    def check(self, command: str, signals: list[str] | None = None,
              record_id: str = "") -> Verdict:
        """Judge one command and append it to the audit log (result: pending)."""
        verdict = check(command, self.policy, cwd=self.cwd, env=self.env,
                        skill_roots=self.skill_roots)
        self._record(command, verdict, signals, record_id)
        return verdict

    def check_tool(self, tool_name: str, tool_input: dict[str, Any],
                   record_id: str = "") -> Verdict | None:
        """Judge a file tool call (Write, Edit, Read ...); recorded when the guard has an
        opinion."""
        verdict = check_tool(tool_name, tool_input, self.policy, cwd=self.cwd, env=self.env)
        if verdict is not None:
            target = tool_input.get("file_path") or tool_input.get("path") or "" \
                if isinstance(tool_input, dict) else ""
            self._record(f"{tool_name} {target}", verdict, None, record_id)
        return verdict

    def _record(self, command: str, verdict: Verdict, signals: list[str] | None,
                record_id: str) -> None:
        log = _module("_guard.audit_log")
        record = log.make_record(command, verdict, self.identity,
                                 list(signals or []) + verdict["comments"], source="harness",
                                 record_id=record_id or f"h{len(self.records) + 1}")
        self.records.append(record)
        if self.log_path:
            log.append(self.log_path, record)

    def result(self, record_id: str, result: str) -> None:
        """Record what happened when the command ran (e.g. 'ran', 'failed (exit 1)')."""
        entry = {"kind": "result", "id": record_id, "time": _module("_guard.audit_log").now(),
                 "result": result}
        self.records.append(entry)
        if self.log_path:
            _module("_guard.audit_log").append(self.log_path, entry)

    def review(self) -> list[Record]:
        """Commands judged ask or deny: each one a safeguard a run should not cross alone."""
        return [r for r in self.records
                if r.get("kind") != "result" and r.get("decision") in ("ask", "deny")]

    @property
    def verdicts(self) -> list[dict[str, Any]]:
        """Every decision, in order: {id, command, decision, classification, reasons}."""
        return [{"id": r["id"], "command": r["command"], "decision": r["decision"],
                 "classification": r["classification"], "reasons": r["reasons"][:3]}
                for r in self.records if r.get("kind") != "result"]
