"""Human text for the CLI client: streamed ask events and proposals.

    >>> render_event("tool", {"tool": "Bash", "input": {"command": "kubectl get pods"},
    ...                       "allowed": False, "reason": "nope"})
    '  ✗ Bash: kubectl get pods (refused: nope)'
"""
from __future__ import annotations

from typing import Any

SCRIPTED = "[scripted run: a local fake API played the model; this is not a model's answer]"


def render_event(event: str, data: dict[str, Any], quiet: bool = False) -> str:
    if event == "conversation":
        label = f" {SCRIPTED}" if data.get("scripted") else ""
        return f"conversation {data['id']} (replica {data.get('replica', '?')}){label}"
    if event == "tool":
        what = data.get("input", {}).get("command") or data.get("input", {}).get("skill") \
            or data.get("input", {}).get("subagent_type") or str(data.get("input", ""))
        mark = ("→" if data.get("allowed") else "✗") + (
            f" [{data['specialist']}]" if data.get("specialist") else "")
        tail = "" if data.get("allowed") else f" (refused: {data.get('reason', '')})"
        return f"  {mark} {data.get('tool')}: {what}{tail}"
    if event == "delegation":
        return f"  ⇢ delegated to {data.get('specialist')}: {data.get('brief', '')[:120]}"
    if event == "report":
        lines = (data.get("output") or "").splitlines()
        head = "\n".join(f"    ‖ {line}" for line in lines[:12])
        return f"  ⇠ {data.get('specialist')} reported:\n{head}" if head else ""
    if event == "evidence":
        if data.get("tool") == "Skill":
            return ""
        lines = (data.get("output") or "").splitlines()
        head = "\n".join(f"    | {line}" for line in lines[:12])
        more = f"\n    | ... ({len(lines) - 12} more lines)" if len(lines) > 12 else ""
        who = f" [{data['specialist']}]" if data.get("specialist") else ""
        return f"    exit {data.get('exit_code')}{who}\n{head}{more}" if head else ""
    if event == "proposal":
        t = data.get("target", {})
        return (f"  proposal {data['name']} [{data.get('phase')}]: {data.get('summary')} "
                f"({t.get('kind')} {t.get('namespace', '')}/{t.get('name')})")
    if event == "text":
        return "" if quiet else data.get("text", "")
    if event == "error":
        return f"error: {data.get('message')}"
    if event == "done":
        return _done(data, quiet)
    return ""


def _done(data: dict[str, Any], quiet: bool) -> str:
    if quiet:
        answer: str = data.get("answer", "")
        return answer
    tokens = data.get("tokens") or {}
    cost = data.get("cost_usd")
    lines = ["", "— answer —", data.get("answer", ""),
             f"({data.get('turns', 0)} turns, {tokens.get('input', 0)} in / "
             f"{tokens.get('output', 0)} out tokens"
             + (f", ${cost:.4f}" if isinstance(cost, (int, float)) else "")
             + f", model {data.get('model')})"]
    if data.get("proposals"):
        lines.append("proposals: " + ", ".join(data["proposals"])
                     + "  (k8s-skills agent show NAME; approve NAME)")
    if data.get("scripted"):
        lines.append(SCRIPTED)
    return "\n".join(lines)


def render_proposals(views: list[dict[str, Any]]) -> str:
    if not views:
        return "no proposals"
    rows = [("NAME", "PHASE", "TARGET", "SUMMARY")]
    for v in views:
        t = v["spec"].get("target", {})
        where = f"{t.get('kind')}/{t.get('namespace') + '/' if t.get('namespace') else ''}" \
                f"{t.get('name')}"
        rows.append((v["name"], v["phase"], where, v["spec"].get("summary", "")[:60]))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}"
                     for r in rows)


def render_proposal(view: dict[str, Any]) -> str:
    spec, status = view.get("spec", {}), view.get("status", {})
    t = spec.get("target", {})
    lines = [f"proposal {view.get('name')}: {view.get('phase')}",
             f"  target:  {t.get('kind')} {t.get('namespace', '')}/{t.get('name')}",
             f"  summary: {spec.get('summary', '')}",
             f"  reason:  {spec.get('reason', '')}",
             f"  by:      {spec.get('requestedBy', '')}"
             + (" (scripted run)" if spec.get("scripted") else "")]
    lines += [f"  evidence: {e}" for e in spec.get("evidence", [])[:5]]
    dry = status.get("dryRun") or {}
    if dry:
        lines.append(f"  dry-run: {'ok' if dry.get('ok') else 'FAILED: ' + dry.get('message', '')}")
        lines += [f"    {line}" for line in (dry.get("diff") or "").splitlines()[:40]]
    for key in ("approvedBy", "rejectedBy", "rejectionReason", "message"):
        if status.get(key):
            lines.append(f"  {key}: {status[key]}")
    verification = status.get("verification") or {}
    if verification:
        lines.append(f"  verification: {verification.get('result', '')}")
    return "\n".join(lines)
