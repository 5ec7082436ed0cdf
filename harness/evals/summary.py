"""The run summary and JUnit XML, computed from records only (reports never score)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from harness.evals import agents, records, scoring, stats
from harness.evals.model import RunRecord


def summarize(recs: list[RunRecord], run_id: str | None = None, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    counts = {s: sum(1 for r in recs if r.status == s) for s in scoring.STATUSES}
    resolved = [r for r in recs if r.status == "pass"]
    tokens = sum(r.tokens.total for r in recs)
    costs = [r.cost_usd for r in recs if r.cost_usd is not None]
    overheads = [r.isolation_overhead_seconds for r in recs]
    return {
        "schema_version": records.SCHEMA_VERSION,
        "run_id": run_id or (recs[0].run_id if recs else None),
        "scripted": any(r.scripted for r in recs),
        "agents": sorted({r.agent for r in recs}),
        "total": len(recs), **counts,
        "pass_rate": round(counts["pass"] / len(recs), 3) if recs else None,
        "by_area": _rates(recs, lambda r: r.scenario.area),
        "by_difficulty": _rates(recs, lambda r: r.scenario.difficulty),
        "by_skill": _rates_multi(recs, skill_tags),
        "by_arm": _rates(recs, arm),
        "tokens_total": tokens,
        "tokens_per_resolved": round(tokens / len(resolved)) if resolved else None,
        "cost_usd_total": round(sum(costs), 4) if costs else None,
        "cost_per_resolved_usd": round(sum(costs) / len(resolved), 4)
        if costs and resolved else None,
        "wall_seconds_total": round(sum(r.wall_seconds for r in recs), 1),
        "isolation_overhead_mean_seconds": round(sum(overheads) / len(overheads), 3)
        if overheads else None,
        "validation": validation(recs),
        "comparison": stats.compare(recs),
        "skill_triggers": trigger_summary(recs),
        "manifest": manifest,
        "results": [{"scenario": r.scenario.id, "area": r.scenario.area,
                     "agent": r.agent, "skills": r.skills, "repeat": r.repeat,
                     "status": r.status, "reason": r.reason,
                     "file": f"scenarios/{r.file_name}"} for r in recs],
    }


def trigger_summary(recs: list[RunRecord]) -> dict[str, Any] | None:
    """Mean precision and recall of skill loads over runs whose scenario declares
    expected_skills / forbidden_skills (skills-on runs of model agents)."""
    scored = [r.skill_triggers for r in recs if r.skill_triggers]
    if not scored:
        return None
    precision = [t["precision"] for t in scored if t["precision"] is not None]
    recall = [t["recall"] for t in scored if t["recall"] is not None]
    return {"runs": len(scored),
            "precision": round(sum(precision) / len(precision), 4) if precision else None,
            "recall": round(sum(recall) / len(recall), 4) if recall else None,
            "forbidden_loaded": sum(len(t["forbidden_loaded"]) for t in scored)}


def arm(record: RunRecord) -> str:
    """`claude-code, skills on` — the column a record belongs to in comparisons (agents
    without a model have no skills arm)."""
    if not agents.uses_model(record.agent):
        return record.agent
    return f"{record.agent}, skills {record.skills}" + (" (scripted)" if record.scripted
                                                        else "")


def skill_tags(record: RunRecord) -> list[str]:
    """The skills a scenario exercises: its tags that name a skill (`k8s-...`)."""
    return [t for t in record.scenario.tags if t.startswith("k8s-")]


def _rates_multi(recs: list[RunRecord],
                 keys: Callable[[RunRecord], list[str]]) -> dict[str, dict[str, int]]:
    """Like _rates, for a record that belongs to several groups (a cross-area scenario
    counts for each skill it needs)."""
    return _count_statuses([(k, r) for r in recs for k in keys(r)])


def _rates(recs: list[RunRecord], key: Callable[[RunRecord], str]) -> dict[str, dict[str, int]]:
    return _count_statuses([(key(r), r) for r in recs])


def _count_statuses(grouped: list[tuple[str, RunRecord]]) -> dict[str, dict[str, int]]:
    groups: dict[str, list[RunRecord]] = defaultdict(list)
    for k, r in grouped:
        groups[k].append(r)
    return {k: {"total": len(v), "pass": sum(1 for r in v if r.status == "pass"),
                "fail": sum(1 for r in v if r.status == "fail"),
                "error": sum(1 for r in v if r.status == "error")}
            for k, v in sorted(groups.items())}


def validation(recs: list[RunRecord]) -> dict[str, Any] | None:
    """Control verdicts per scenario when the run has its `none`, `reference` and `dodge`
    records (a run without dodge records, from before the control existed, is judged on
    the other two)."""
    by_id: dict[str, dict[str, str]] = defaultdict(dict)
    imported = {r.scenario.id for r in recs if r.scenario.source}
    for r in recs:
        if r.agent in ("none", "reference"):
            by_id[r.scenario.id].setdefault(r.agent, r.status)
        elif r.agent == "dodge":
            by_id[r.scenario.id].setdefault("dodge", scoring.dodge_outcome(r))
    paired = {k: v for k, v in by_id.items() if "none" in v and "reference" in v}
    if not paired:
        return None
    with_dodge = any("dodge" in v for v in paired.values())
    verdicts = {}
    for sid, statuses in sorted(paired.items()):
        dodge = statuses.get("dodge") or ("n/a" if sid in imported
                                          else None if with_dodge else "fail")
        verdict, reason = scoring.control_verdict(statuses["none"], statuses["reference"],
                                                  dodge)
        verdicts[sid] = {"verdict": verdict, "reason": reason, **statuses}
    return {"ok": sum(1 for v in verdicts.values() if v["verdict"] == "ok"),
            "broken": sorted(k for k, v in verdicts.items() if v["verdict"] == "broken"),
            "error": sorted(k for k, v in verdicts.items() if v["verdict"] == "error"),
            "scenarios": verdicts}


def junit_xml(recs: list[RunRecord], run_id: str) -> str:
    """One testsuite per arm; fail -> <failure>, error -> <error>."""
    root = ET.Element("testsuites", name=f"k8s-skills eval {run_id}")
    groups: dict[str, list[RunRecord]] = defaultdict(list)
    for r in recs:
        groups[arm(r)].append(r)
    for name, group in sorted(groups.items()):
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(group)),
                              failures=str(sum(r.status == "fail" for r in group)),
                              errors=str(sum(r.status == "error" for r in group)),
                              time=f"{sum(r.wall_seconds for r in group):.2f}")
        for r in group:
            case = ET.SubElement(suite, "testcase", classname=f"scenarios.{r.scenario.area}",
                                 name=f"{r.scenario.id}#r{r.repeat}",
                                 time=f"{r.wall_seconds:.2f}")
            if r.status in ("fail", "error"):
                tag = "failure" if r.status == "fail" else "error"
                ET.SubElement(case, tag, message=r.reason[:500]).text = _details(r)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _details(r: RunRecord) -> str:
    lines = [f"{c.status:5} {c.check}: {c.detail}" for c in r.checks + r.safeguards + r.expect]
    return "\n".join(lines + ([f"error: {r.error}"] if r.error else []))
