"""A run's records as inspect_ai eval logs, built with inspect_ai's own models and writer.

One log per (agent, model, skills arm, scripted); one sample per scenario and epoch. The
score `resolved` is C (pass) or I (fail); an `error` run is a sample with an error and no
score, as inspect_ai records an errored sample. Metadata carries the arm, the skills
offered and loaded, tokens by category, cost, stop reason and the reason line, so
`inspect view` shows what our report shows.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from harness.evals import records
from harness.evals.model import RunRecord
from harness.evals.summary import arm
from harness.evals.usage import Tokens

SCORER = "resolved"


def export(run_dir: Path, out_dir: Path) -> list[Path]:
    from inspect_ai.log import write_eval_log
    recs = records.read_run(run_dir)
    if not recs:
        raise ValueError(f"{run_dir} has no records to export")
    groups: dict[str, list[RunRecord]] = defaultdict(list)
    for r in recs:
        groups[arm(r)].append(r)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, group in sorted(groups.items()):
        log = eval_log(name, group, Path(run_dir).name)
        stamp = log.eval.created.replace(":", "-")
        path = out_dir / f"{stamp}_{_slug(name)}_{log.eval.task_id}.eval"
        write_eval_log(log, str(path))
        written.append(path)
    return written


def eval_log(name: str, recs: list[RunRecord], run_id: str) -> Any:
    from inspect_ai.log import (EvalConfig, EvalDataset, EvalLog, EvalPlan, EvalPlanStep,
                                EvalSpec, EvalStats)
    first = recs[0]
    model = _model(first)
    samples = [sample(r) for r in sorted(recs, key=lambda r: (r.scenario.id, r.epoch))]
    created = min(r.started_at or "" for r in recs) or _now()
    spec = EvalSpec(
        created=created, task=f"k8s-skills/{_slug(name)}", task_id=_slug(f"{run_id}-{name}"),
        run_id=run_id, eval_id=_slug(f"{run_id}-{name}"), model=model,
        dataset=EvalDataset(name="k8s-skills scenarios", samples=len({r.scenario.id
                                                                      for r in recs})),
        config=EvalConfig(epochs=max(r.epoch for r in recs)),
        solver=first.agent, tags=["k8s-skills"] + (["scripted"] if first.scripted else []),
        metadata={"arm": name, "agent": first.agent, "skills": first.skills,
                  "scripted": bool(first.scripted), "k8s_skills_run": run_id})
    return EvalLog(
        version=2, status="success", eval=spec,
        plan=EvalPlan(steps=[EvalPlanStep(solver=first.agent,
                                          params={"skills": first.skills})]),
        results=_results(recs), stats=EvalStats(
            started_at=created, completed_at=max(r.started_at or "" for r in recs)
            or created, model_usage=_usage_by_model(recs)),
        samples=samples)


def sample(r: RunRecord) -> Any:
    from inspect_ai.log import EvalError, EvalSample
    from inspect_ai.model import ModelOutput
    from inspect_ai.scorer import Score
    model = _model(r)
    tokens = r.tokens
    error = EvalError(message=r.error or r.reason, traceback=r.traceback or "",
                      traceback_ansi="") if r.status == "error" else None
    scores = None if error else {SCORER: Score(
        value="C" if r.status == "pass" else "I", answer=(r.answer or "")[:2000],
        explanation=r.reason, metadata={"status": r.status, "checks": [
            {"check": c.check, "status": c.status, "detail": c.detail}
            for c in r.checks + r.safeguards + r.expect]})}
    return EvalSample(
        id=r.scenario.id, epoch=r.epoch, input=_prompt(r),
        target="", messages=messages(r), output=ModelOutput.from_content(model, r.answer or ""),
        scores=scores, error=error, total_time=r.wall_seconds,
        model_usage={model: _model_usage(tokens, r.cost_usd)} if tokens.total else {},
        metadata={"area": r.scenario.area, "difficulty": r.scenario.difficulty,
                  "agent": r.agent, "arm": arm(r), "skills": r.skills,
                  "skills_offered": r.skills_offered or [],
                  "skills_loaded": r.skills_loaded or [],
                  "skill_triggers": r.skill_triggers, "status": r.status,
                  "reason": r.reason, "stop": r.stop, "turns": r.turns,
                  "tokens": tokens.as_dict(), "cost_usd": r.cost_usd,
                  "budget_exceeded": r.budget_exceeded,
                  "scripted": bool(r.scripted)})


def messages(r: RunRecord) -> list[Any]:
    """The run's timeline as chat messages: the prompt, what the assistant said, each tool
    call and its result."""
    from inspect_ai.model import (ChatMessage, ChatMessageAssistant, ChatMessageTool,
                                  ChatMessageUser)
    from inspect_ai.tool import ToolCall
    entries = r.transcript or []
    out: list[ChatMessage] = [] if any(e.get("type") == "prompt" for e in entries) else \
        [ChatMessageUser(content=_prompt(r))]
    for i, entry in enumerate(entries):
        kind = entry.get("type")
        if kind == "prompt":
            out.append(ChatMessageUser(content=entry.get("text", "")))
            continue
        if kind == "assistant":
            out.append(ChatMessageAssistant(content=entry.get("text", "")))
            continue
        call = _call(entry)
        if call is None:
            continue
        function, arguments, result = call
        call_id = str(entry.get("tool_use_id") or f"call_{i}")
        out.append(ChatMessageAssistant(content="", tool_calls=[
            ToolCall(id=call_id, function=function, arguments=arguments)]))
        out.append(ChatMessageTool(content=result, tool_call_id=call_id, function=function))
    return out


def _call(entry: dict[str, Any]) -> tuple[str, dict[str, Any], str] | None:
    kind = entry.get("type")
    if kind == "command":
        return "bash", {"command": entry.get("command", "")}, \
            f"{entry.get('output', '')}\n[exit code {entry.get('exit_code')}]"
    if kind == "skill":
        return "Skill", {"skill": entry.get("name", "")}, f"loaded via {entry.get('via')}"
    if kind == "tool":
        return str(entry.get("name")), dict(entry.get("input") or {}), str(entry.get("output", ""))
    return None


def _results(recs: list[RunRecord]) -> Any:
    from inspect_ai.log import EvalMetric, EvalResults, EvalScore
    scored = [r for r in recs if r.status != "error"]
    passed = sum(1 for r in scored if r.status == "pass")
    accuracy = passed / len(scored) if scored else 0.0
    return EvalResults(
        total_samples=len(recs), completed_samples=len(scored),
        scores=[EvalScore(name=SCORER, scorer=SCORER, scored_samples=len(scored),
                          unscored_samples=len(recs) - len(scored),
                          metrics={"accuracy": EvalMetric(name="accuracy", value=accuracy)})])


def _usage_by_model(recs: list[RunRecord]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for r in recs:
        tokens = r.tokens
        if not tokens.total:
            continue
        usage = _model_usage(tokens, r.cost_usd)
        model = _model(r)
        total[model] = total[model] + usage if model in total else usage
    return total


def _model_usage(tokens: Tokens, cost: float | None) -> Any:
    from inspect_ai.model import ModelUsage
    return ModelUsage(input_tokens=tokens.input, output_tokens=tokens.output,
                      total_tokens=tokens.total, input_tokens_cache_read=tokens.cache_read,
                      input_tokens_cache_write=tokens.cache_write, total_cost=cost)


def _model(r: RunRecord) -> str:
    return f"anthropic/{r.model}" if r.model else f"none/{r.agent}"


def _prompt(r: RunRecord) -> str:
    prompts = r.prompts or []
    return "\n\n".join(prompts) if prompts else (r.scenario.title or r.scenario.id)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
