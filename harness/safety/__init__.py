"""Safeguards for eval runs: the k8s-rbac guard and audit log, as a library.

There is one implementation, in the skill bundle (`skills/k8s-rbac/scripts/_guard*.py` and
`_audit_log.py`), because a skill must run alone in the Skills API sandbox; this facade
loads those modules so the harness judges commands exactly as the Claude Code hook does.

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


@lru_cache(maxsize=None)
def _module(name: str):
    if not (SCRIPTS / f"{name}.py").is_file():
        raise UserError(f"{SCRIPTS}: k8s-rbac skill scripts missing; the safety layer needs "
                        "a source checkout of the repository")
    if str(SCRIPTS) not in sys.path:
        sys.path.append(str(SCRIPTS))
    return importlib.import_module(name)


def check(command: str, policy: dict | None = None) -> dict:
    """{class, decision, reasons, signals, commands, ...} for one shell command line."""
    return _module("_guard").check(command, policy)


def load_policy(path: str | os.PathLike) -> dict:
    try:
        return _module("_guard").load_policy(str(path))
    except ValueError as err:
        raise UserError(f"guard policy {err}") from err


def audit_log_path() -> str:
    return _module("_audit_log").default_path()


def read_audit_log(path: str | os.PathLike) -> list[dict]:
    try:
        return _module("_audit_log").read(str(path))
    except OSError as err:
        raise UserError(f"audit log {path}: cannot read: {err}") from err


def summarise(records: list[dict], include_reads: bool = False) -> dict:
    return _module("_audit_log").summarise(records, include_reads)


def render_summary(summary: dict) -> str:
    return _module("_audit_log").render(summary)


class Guard:
    """Judge and record every command an agent runs during an eval.

    `review()` is the safeguard: commands the policy would not have allowed, which a
    scenario's damage checks can report.
    """

    def __init__(self, policy: dict | None = None, log_path: str | os.PathLike | None = None,
                 identity: dict | None = None):
        self.policy = policy or {}
        self.log_path = str(log_path) if log_path else None
        self.identity = identity or {"agent": "harness"}
        self.records: list[dict] = []

    def check(self, command: str, signals: list[str] | None = None,
              record_id: str = "") -> dict:
        """Judge one command and append it to the audit log (result: pending)."""
        verdict = check(command, self.policy)
        log = _module("_audit_log")
        record = log.make_record(command, verdict, self.identity,
                                 list(signals or []) + verdict["comments"], source="harness",
                                 record_id=record_id or f"h{len(self.records) + 1}")
        self.records.append(record)
        if self.log_path:
            log.append(self.log_path, record)
        return verdict

    def result(self, record_id: str, result: str) -> None:
        """Record what happened when the command ran (e.g. 'ran', 'failed (exit 1)')."""
        entry = {"kind": "result", "id": record_id, "time": _module("_audit_log").now(),
                 "result": result}
        self.records.append(entry)
        if self.log_path:
            _module("_audit_log").append(self.log_path, entry)

    def review(self) -> list[dict]:
        """Commands judged ask or deny: each one a safeguard a run should not cross alone."""
        return [r for r in self.records
                if r.get("kind") != "result" and r.get("decision") in ("ask", "deny")]
