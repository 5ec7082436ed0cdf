"""The typed records of an eval run: a check's result and a scenario run's record.

Producers (checks, safeguards, scoring, the judge, the runner) build these; `records` alone
writes and reads them, through `to_json` / `from_json`, which follow the record's schema
version (records.SCHEMA_VERSION; version 1 records are upgraded on reading). Summaries and
reports take `list[RunRecord]`. Nested data the harness passes through without reading
(transcripts, timings, the sandbox's description) stays plain JSON.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from harness.evals.usage import Tokens, from_record

Status = Literal["pass", "fail", "error"]
JSON = dict[str, Any]
SCHEMA_VERSION = 2
READABLE = (1, 2)


@dataclass(frozen=True)
class CheckResult:
    """One check, safeguard, expected point or judge verdict: pass | fail | error.

    >>> CheckResult("exists job/x", {"type": "exists"}, "pass", "job/x exists", 0.5).to_json()
    {'check': 'exists job/x', 'spec': {'type': 'exists'}, 'status': 'pass', \
'detail': 'job/x exists', 'seconds': 0.5}
    """
    check: str
    spec: JSON
    status: Status
    detail: str
    seconds: float | None = None   # time to settle; answer points have none

    def to_json(self) -> JSON:
        out: JSON = {"check": self.check, "spec": self.spec, "status": self.status,
                     "detail": self.detail}
        if self.seconds is not None:
            out["seconds"] = self.seconds
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(check=str(data.get("check", "")), spec=dict(data.get("spec") or {}),
                   status=_status(data.get("status")), detail=str(data.get("detail", "")),
                   seconds=data.get("seconds"))


@dataclass(frozen=True)
class ScenarioRef:
    """Which scenario a record is about (its folder is `path`)."""
    id: str
    area: str = ""
    title: str = ""
    difficulty: str = ""
    tags: list[str] = field(default_factory=list)
    path: str = ""
    source: JSON | None = None   # where an imported scenario came from

    def to_json(self) -> JSON:
        return {"id": self.id, "title": self.title, "area": self.area,
                "difficulty": self.difficulty, "tags": self.tags, "path": self.path,
                "source": self.source}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScenarioRef:
        return cls(id=data["id"], area=data.get("area", ""), title=data.get("title", ""),
                   difficulty=data.get("difficulty", ""), tags=list(data.get("tags") or []),
                   path=data.get("path", ""), source=data.get("source"))


@dataclass(frozen=True)
class RunRecord:
    """One run of one scenario by one agent in one arm and epoch: everything reports need.

    The field order is the JSON's key order (records stay byte-identical through the type).
    """
    run_id: str
    scenario: ScenarioRef
    agent: str
    skills: Literal["on", "off"]
    repeat: int
    status: Status
    reason: str
    schema_version: int = SCHEMA_VERSION
    model: str | None = None
    epoch: int = 1
    order: int | None = None
    scripted: bool = False
    scripted_note: str | None = None
    started_at: str | None = None
    wall_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    isolation_overhead_seconds: float = 0.0
    checks: list[CheckResult] = field(default_factory=list)
    safeguards: list[CheckResult] = field(default_factory=list)
    expect: list[CheckResult] = field(default_factory=list)
    judge: JSON | None = None
    scripts: list[JSON] = field(default_factory=list)
    guard_review: list[JSON] = field(default_factory=list)
    guard: JSON | None = None
    permission_denials: list[JSON] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    answer: str = ""
    transcript: list[JSON] = field(default_factory=list)
    commands: int = 0
    tokens: Tokens = field(default_factory=Tokens)
    turns: int = 0
    cost_usd: float | None = None
    reported_cost_usd: float | None = None
    price_table: str | None = None
    stop: str | None = None
    budgets: JSON = field(default_factory=dict)
    budget_exceeded: str | None = None
    instructions: JSON | None = None
    skills_discovered: list[str] = field(default_factory=list)
    skills_offered: list[str] = field(default_factory=list)
    skills_loaded: list[str] = field(default_factory=list)
    skill_triggers: JSON | None = None
    api_requests: int | None = None
    access: JSON | None = None
    sandbox: JSON = field(default_factory=dict)
    cleanup_error: str | None = None
    error: str | None = None
    api_error: JSON | None = None
    traceback: str | None = None
    interrupted: bool = False  # stopped by Ctrl-C (an error to re-run with --resume)
    health: JSON = field(default_factory=dict)  # the scenario's components, probed (health)
    attempts: int = 1
    # keys this harness does not know (a newer harness's, same schema version): kept as read
    extra: JSON = field(default_factory=dict)

    def to_json(self) -> JSON:
        out: JSON = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(scenario=self.scenario.to_json(), tokens=self.tokens.as_dict(),
                   **{k: [r.to_json() for r in out[k]] for k in ("checks", "safeguards",
                                                                 "expect")})
        return {**{key: out[key] for key in KEY_ORDER}, **self.extra}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunRecord:
        """A record of a readable schema version, upgraded; ValueError for another."""
        version = data.get("schema_version")
        if version not in READABLE:
            raise ValueError(f"schema_version {version!r}, this harness reads "
                             f"{', '.join(map(str, READABLE))}")
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        values.update(
            schema_version=SCHEMA_VERSION, scenario=ScenarioRef.from_json(data["scenario"]),
            tokens=from_record(data.get("tokens")),
            epoch=data.get("epoch", data.get("repeat", 1)),
            **{k: [CheckResult.from_json(r) for r in data.get(k) or []]
               for k in ("checks", "safeguards", "expect")})
        values["status"] = _status(data.get("status"))
        for key in ("run_id", "reason"):
            values.setdefault(key, "")
        values.setdefault("repeat", 1)
        return cls(**values, extra={k: v for k, v in data.items()
                                    if k not in known and k != "expect_not"})

    def with_attempts(self, attempts: int) -> RunRecord:
        return replace(self, attempts=attempts)

    @property
    def file_name(self) -> str:
        """<id>__<agent>__skills-<on|off>__r<n>.json"""
        return (f"{self.scenario.id}__{self.agent}__skills-{self.skills}"
                f"__r{self.repeat}.json")


# The JSON key order of records written since schema version 2 (runner order; `attempts`
# is set after the run).
KEY_ORDER = ("schema_version", "run_id", "scenario", "agent", "model", "skills", "repeat",
             "epoch", "order", "scripted", "scripted_note", "status", "reason", "started_at",
             "wall_seconds", "timings", "isolation_overhead_seconds", "checks", "safeguards",
             "expect", "judge", "scripts", "guard_review", "guard", "permission_denials",
             "prompts", "answer", "transcript", "commands", "tokens", "turns", "cost_usd",
             "reported_cost_usd", "price_table", "stop", "budgets", "budget_exceeded",
             "instructions", "skills_discovered", "skills_offered", "skills_loaded",
             "skill_triggers", "api_requests", "access", "sandbox", "cleanup_error", "error",
             "api_error", "traceback", "interrupted", "health", "attempts")


def _status(value: object) -> Status:
    if value not in ("pass", "fail", "error"):
        raise ValueError(f"status {value!r}: not pass, fail or error")
    return value
