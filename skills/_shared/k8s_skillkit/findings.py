"""The one findings shape shared by every skill's diagnostic scripts.

JSON output: {"schema_version": 1, "findings": [ {severity, cause, object, message,
evidence, fix, basis, confirm}, ... ], ...script extras}. `cause` is a stable snake_case id
that the skill documents in its references.

`basis` says how much weight a finding carries: "reported" when the responsible component
said so itself (a Workload condition, a FailedScheduling event, a container state, a route's
status), "inferred" when the script deduced it from object specs. An inferred finding names
in `confirm` the one command that would confirm it, and never contradicts a reported one.
"""
from __future__ import annotations

from typing import Any
SEVERITIES = ("error", "warning", "info")
BASES = ("reported", "inferred")


def finding(severity: str, cause: str, obj: dict[str, Any] | None, message: str,
            evidence: list[str] | str | None = None, fix: str = "",
            basis: str = "inferred", confirm: str = "") -> dict[str, Any]:
    """Build one finding; `obj` is a Kubernetes object (or {kind, namespace, name})."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    if isinstance(evidence, str):
        evidence = [evidence]
    return {
        "severity": severity,
        "cause": cause,
        "object": object_ref(obj or {}),
        "message": message,
        "evidence": list(evidence or []),
        "fix": fix,
        "basis": basis,
        "confirm": confirm,
    }


def object_ref(obj: dict[str, Any]) -> dict[str, str]:
    """{kind, namespace, name} from a full object or an already-reduced reference."""
    meta = obj.get("metadata") or {}
    return {
        "kind": obj.get("kind", ""),
        "namespace": meta.get("namespace", obj.get("namespace", "")) or "",
        "name": meta.get("name", obj.get("name", "")) or "",
    }


def exit_code(findings: list[dict[str, Any]], fail_on: str = "warning") -> int:
    """0 when nothing at or above `fail_on` severity was found, else 1."""
    ranks = {s: i for i, s in enumerate(SEVERITIES)}
    limit = ranks[fail_on]
    return 1 if any(ranks[f["severity"]] <= limit for f in findings) else 0


def render_text(findings: list[dict[str, Any]]) -> str:
    """Concise human text: one block per finding, errors first."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    lines = []
    for f in sorted(findings, key=lambda f: order[f["severity"]]):
        o = f["object"]
        where = "/".join(p for p in (o["kind"], o["namespace"], o["name"]) if p)
        basis = f.get("basis", "inferred")
        lines.append(f"{f['severity'].upper()} {f['cause']} {where} [{basis}]: {f['message']}")
        for ev in f["evidence"]:
            lines.append(f"  evidence: {ev}")
        if basis == "inferred" and f.get("confirm"):
            lines.append(f"  confirm: {f['confirm']}")
        if f["fix"]:
            lines.append(f"  fix: {f['fix']}")
    return "\n".join(lines)
