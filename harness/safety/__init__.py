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

from harness.errors import UserError

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-rbac" / "scripts"
GUARD_MODES = ("off", "review", "enforce", "supervised")


@lru_cache(maxsize=None)
def _module(name: str):
    if not (SCRIPTS / "_guard" / "__init__.py").is_file():
        raise UserError(f"{SCRIPTS}: k8s-rbac skill scripts missing; the safety layer needs "
                        "a source checkout of the repository")
    if str(SCRIPTS) not in sys.path:
        sys.path.append(str(SCRIPTS))
    return importlib.import_module(name)


def check(command: str, policy: dict | None = None, *, cwd: str | os.PathLike | None = None,
          env: dict | None = None, skill_roots=None) -> dict:
    """{class, decision, explanation, reasons, signals, commands, comments} for one line,
    judged from the agent's working directory and environment."""
    return _module("_guard").check(command, policy, cwd=None if cwd is None else str(cwd),
                                   env=env, skill_roots=[str(r) for r in skill_roots or []])


def check_tool(tool_name: str, tool_input: dict, policy: dict | None = None, *,
               cwd=None, env: dict | None = None) -> dict | None:
    """The guard's verdict on a Claude Code file tool call (None: no opinion)."""
    return _module("_guard").judge_tool(tool_name, tool_input, cwd=None if cwd is None
                                        else str(cwd), env=env, policy=policy)


def load_policy(path: str | os.PathLike) -> dict:
    try:
        return _module("_guard").load_policy(str(path))
    except ValueError as err:
        raise UserError(f"guard policy {err}") from err


def audit_log_path() -> str:
    return _module("_guard.audit_log").default_path()


def read_audit_log(path: str | os.PathLike) -> list[dict]:
    try:
        return _module("_guard.audit_log").read(str(path))
    except OSError as err:
        raise UserError(f"audit log {path}: cannot read: {err}") from err


def summarise(records: list[dict], include_reads: bool = False) -> dict:
    return _module("_guard.audit_log").summarise(records, include_reads)


def render_summary(summary: dict) -> str:
    return _module("_guard.audit_log").render(summary)


class Guard:
    """Judge and record every command an agent runs (an eval run, an agent session).

    `review()` is the safeguard: commands the policy would not have allowed, which a
    scenario's damage checks can report; `verdicts` keeps every decision in order."""

    def __init__(self, policy: dict | None = None, log_path: str | os.PathLike | None = None,
                 identity: dict | None = None, cwd: str | os.PathLike | None = None,
                 skill_roots=None, env: dict | None = None):
        self.policy = policy or {}
        self.log_path = str(log_path) if log_path else None
        self.identity = identity or {"agent": "harness"}
        self.cwd = None if cwd is None else str(cwd)
        self.skill_roots = [str(r) for r in skill_roots or []]
        self.env = env
        self.records: list[dict] = []

    def check(self, command: str, signals: list[str] | None = None,
              record_id: str = "") -> dict:
        """Judge one command and append it to the audit log (result: pending)."""
        verdict = check(command, self.policy, cwd=self.cwd, env=self.env,
                        skill_roots=self.skill_roots)
        self._record(command, verdict, signals, record_id)
        return verdict

    def check_tool(self, tool_name: str, tool_input: dict, record_id: str = "") -> dict | None:
        """Judge a file tool call (Write, Edit, Read ...); recorded when the guard has an
        opinion."""
        verdict = check_tool(tool_name, tool_input, self.policy, cwd=self.cwd, env=self.env)
        if verdict is not None:
            target = tool_input.get("file_path") or tool_input.get("path") or "" \
                if isinstance(tool_input, dict) else ""
            self._record(f"{tool_name} {target}", verdict, None, record_id)
        return verdict

    def _record(self, command: str, verdict: dict, signals, record_id: str) -> None:
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

    def review(self) -> list[dict]:
        """Commands judged ask or deny: each one a safeguard a run should not cross alone."""
        return [r for r in self.records
                if r.get("kind") != "result" and r.get("decision") in ("ask", "deny")]

    @property
    def verdicts(self) -> list[dict]:
        """Every decision, in order: {id, command, decision, classification, reasons}."""
        return [{"id": r["id"], "command": r["command"], "decision": r["decision"],
                 "classification": r["classification"], "reasons": r["reasons"][:3]}
                for r in self.records if r.get("kind") != "result"]
