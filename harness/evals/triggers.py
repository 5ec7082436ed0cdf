"""Skill-trigger evals: from what a user types, does Claude Code load the right skill?

No cluster: each prompt of data/triggers.yaml goes to Claude Code with every skill offered
(the same setup as a skills-on scenario run), for one or two model turns, and the skills it
loads (the Skill tool, or a Read of a SKILL.md) are compared with the prompt's `expect`
(skills that must load) and `accept` (skills that may load). Reported per skill: precision
and recall, and the confusion between skills.
"""
from __future__ import annotations
from typing import Any

import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from harness import yamlio
from harness.evals.errors import InfraError

PROMPTS_FILE = Path(__file__).parent / "data" / "triggers.yaml"
NONE = "(none)"
KINDS = ("direct", "paraphrase", "near-miss", "none")
# The scripted stand-in for a model: a keyword router, as naive as a description match can be.
# Its numbers are a floor any model should beat, never a model's result.
KEYWORD_BASELINE = {
    "kueue": "k8s-kueue", "ClusterQueue": "k8s-kueue", "LocalQueue": "k8s-kueue",
    "Workload": "k8s-kueue", "ResourceClaim": "k8s-dra", "DRA": "k8s-dra",
    "resourceslice": "k8s-dra", "HTTPRoute": "k8s-gateway-gaie", "gateway": "k8s-gateway-gaie",
    "InferencePool": "k8s-gateway-gaie", "Forbidden": "k8s-rbac", "RBAC": "k8s-rbac",
    "PodSecurity": "k8s-rbac", "CrashLoopBackOff": "k8s-troubleshooting",
    "ImagePullBackOff": "k8s-troubleshooting", "NotReady": "k8s-troubleshooting",
    "yaml": "k8s-manifests", "manifest": "k8s-manifests"}


@dataclass(frozen=True)
class TriggerPrompt:
    id: str
    prompt: str
    expect: tuple[str, ...]
    accept: tuple[str, ...] = ()
    kind: str = "direct"
    source: str | None = None


def load(path: Path = PROMPTS_FILE) -> list[TriggerPrompt]:
    data = yamlio.load(Path(path).read_text(encoding="utf-8"))
    out = []
    for item in data["prompts"]:
        if item.get("kind", "direct") not in KINDS:
            raise ValueError(f"{path}: {item['id']}: unknown kind {item.get('kind')!r}")
        out.append(TriggerPrompt(item["id"], item["prompt"], tuple(item.get("expect", [])),
                                 tuple(item.get("accept", [])), item.get("kind", "direct"),
                                 item.get("source")))
    return out


def run_prompt(item: TriggerPrompt, model: str, turns: int, base_url: str | None,
               skills_dir: Path | None = None, epoch: int = 1) -> dict[str, Any]:
    """One prompt through the claude-code backend; a result record (status error when the
    API or the CLI broke, never counted in the rates)."""
    from harness.evals.agents.base import AgentContext
    from harness.evals.agents.claude_code import ClaudeCodeAgent
    from harness.evals.scenario import Scenario
    from harness.evals.shell import Shell
    work = Path(tempfile.mkdtemp(prefix="k8s-skills-trigger-"))
    kubeconfig = work / ".kube-none"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n")  # no cluster: kubectl fails fast
    transcript: list[Any] = []
    shell = Shell({"PATH": "/usr/local/bin:/usr/bin:/bin", "KUBECONFIG": str(kubeconfig),
                   "HOME": str(work / ".home"), "LANG": "C.UTF-8"}, work, transcript)
    ctx = AgentContext(
        scenario=Scenario(path=work, data={"id": item.id}),  # the backend reads only the id
        prompt=item.prompt, sandbox=None, kube=None,
        shell=shell, workdir=work, skills=True, model=model,
        budgets={"turns": turns, "tokens": 400_000, "wall_time": 180}, render=str,
        base_url=base_url, skills_source=skills_dir, guard="off",
        private_dir=work / ".private")
    start = time.monotonic()
    record = {"id": item.id, "kind": item.kind, "epoch": epoch, "prompt": item.prompt,
              "expect": list(item.expect), "accept": list(item.accept), "source": item.source,
              "loaded": [], "status": "ok", "error": None}
    try:
        out = ClaudeCodeAgent().run(ctx)
        record.update(loaded=out.skills_loaded, offered=out.skills_offered,
                      tokens=out.tokens.as_dict(), cost_usd=out.cost_usd, stop=out.stop)
    except InfraError as err:
        record.update(status="error", error=str(err)[:300])
    record["seconds"] = round(time.monotonic() - start, 2)
    record["timeline"] = [{k: e.get(k) for k in ("type", "name", "via", "command", "t")}
                          for e in transcript if e.get("type") in ("skill", "command", "tool")]
    return record


def score(results: list[dict[str, Any]], skills: list[str]) -> dict[str, Any]:
    """Per-skill precision and recall, and the confusion between skills, over the results
    that did not error.

    A load of skill s on prompt p is a true positive when s is in p's expect, a false
    positive when s is in neither expect nor accept; an expected skill not loaded is a
    false negative. The confusion counts (expected, loaded) label pairs, "(none)" on
    either side when nothing was expected or loaded (accepted extra loads are left out).
    """
    ok = [r for r in results if r["status"] == "ok"]
    counts: dict[str, Counter[str]] = {s: Counter() for s in skills}
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    exact = 0
    for r in ok:
        expect, accept, loaded = set(r["expect"]), set(r["accept"]), set(r["loaded"])
        for s in skills:
            counts[s]["tp"] += s in loaded and s in expect
            counts[s]["fp"] += s in loaded and s not in expect | accept
            counts[s]["fn"] += s in expect and s not in loaded
        exact += expect <= loaded <= expect | accept
        shown = sorted(loaded - (accept - expect)) or [NONE]
        for want in sorted(expect) or [NONE]:
            for got in shown:
                confusion[want][got] += 1
    return {"prompts": len(results), "scored": len(ok), "errors": len(results) - len(ok),
            "exact": exact, "exact_rate": round(exact / len(ok), 4) if ok else None,
            "per_skill": {s: _pr(c) for s, c in counts.items()},
            "by_kind": _by_kind(ok),
            "confusion": {k: dict(v) for k, v in sorted(confusion.items())}}


def _pr(c: Counter[str]) -> dict[str, Any]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None}


def _by_kind(ok: list[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for kind in KINDS:
        rows = [r for r in ok if r["kind"] == kind]
        if rows:
            hits = sum(set(r["expect"]) <= set(r["loaded"]) <= set(r["expect"]) | set(r["accept"])
                       for r in rows)
            out[kind] = {"prompts": len(rows), "exact": hits, "rate": round(hits / len(rows), 4)}
    return out


def render(summary: dict[str, Any], skills: list[str], scripted: bool) -> str:
    lines = []
    if scripted:
        lines.append("SCRIPTED: a keyword router on a local fake API, not a model's result")
    lines.append(f"{summary['scored']} prompts scored ({summary['errors']} errors left out); "
                 f"exactly right {summary['exact']} ({_pct(summary['exact_rate'])})")
    for kind, row in summary["by_kind"].items():
        lines.append(f"  {kind:<11} {row['exact']:>3}/{row['prompts']:<3} {_pct(row['rate'])}")
    lines.append(f"{'skill':<22} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for s in skills:
        row = summary["per_skill"][s]
        lines.append(f"{s:<22} {_pct(row['precision']):>9} {_pct(row['recall']):>7} "
                     f"{row['tp']:>4} {row['fp']:>4} {row['fn']:>4}")
    columns = skills + [NONE]
    lines.append("confusion (rows: expected, columns: loaded)")
    lines.append(" " * 22 + " ".join(f"{_short(c):>6}" for c in columns))
    for want in columns:
        row = summary["confusion"].get(want, {})
        lines.append(f"{want:<22}" + " ".join(f"{row.get(c, 0):>6}" for c in columns))
    return "\n".join(lines)


def _short(name: str) -> str:
    return name.replace("k8s-", "")[:6]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
