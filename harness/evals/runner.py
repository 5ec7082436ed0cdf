"""Run scenarios: isolate, set up, inject the fault, let an agent work, check, clean up.

`run_one` never raises for a broken environment: it returns a record whose status is
`error`. Cleanup always runs and every wait has a timeout. `run_all` runs jobs on a
thread pool (each scenario in its own namespaces) and reports progress on stderr.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from harness.errors import UserError
from harness.evals import agents, checks, guard_review, records, safeguards, scoring
from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.errors import InfraError, ScenarioError
from harness.evals.sandbox import Sandbox
from harness.evals.shell import Shell, base_env

WAIT_TIMEOUT = 45.0


@dataclass(frozen=True)
class Job:
    scenario: object
    agent: str
    skills: bool
    repeat: int = 1

    @property
    def label(self) -> str:
        arm = f", skills {'on' if self.skills else 'off'}" if self.agent in agents.CLAUDE else ""
        again = f", #{self.repeat}" if self.repeat > 1 else ""
        return f"{self.scenario.area}/{self.scenario.id} [{self.agent}{arm}{again}]"


@dataclass
class Settings:
    run_id: str
    run_dir: Path
    model: str
    scripted: bool = False
    transcript: Path | None = None
    skills_dir: Path | None = None
    keep_workdirs: bool = False
    guard: str = "review"                   # off | review | enforce (harness.safety.enforce)
    on_fake_api: Callable | None = None      # tests: see the fake API's recorded requests
    log: Callable = field(default=lambda m: print(m, file=sys.stderr, flush=True))


def run_all(kube, jobs: list[Job], settings: Settings, parallel: int = 1) -> list[dict]:
    """Run every job, `parallel` at a time; records come back in job order."""
    lock, done, total = threading.Lock(), [0], len(jobs)
    results: dict[int, dict] = {}

    def one(index: int, job: Job) -> None:
        with lock:
            settings.log(f"  start  {job.label}")
        record = run_one(kube, job, settings)
        results[index] = record
        with lock:
            done[0] += 1
            settings.log(f"[{done[0]:>{len(str(total))}}/{total}] {record['status']:<5} "
                         f"{record['wall_seconds']:6.1f}s {job.label}  {record['reason'][:110]}")

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = [pool.submit(one, i, job) for i, job in enumerate(jobs)]
        for future in as_completed(futures):
            future.result()
    return [results[i] for i in range(total)]


def run_one(kube, job: Job, settings: Settings) -> dict:
    scenario = job.scenario
    sandbox = Sandbox(kube, scenario)
    state = _State(started=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    workdir = Path(tempfile.mkdtemp(prefix=f"k8s-skills-eval-{scenario.id[:20]}-"))
    fake = None
    start = time.monotonic()
    try:
        context = sandbox.context()
        _phase(state, "namespace_setup", sandbox.create)
        _phase(state, "setup", lambda: _stage(kube, sandbox, scenario, "setup", context))
        _phase(state, "fault", lambda: _stage(kube, sandbox, scenario, "fault", context))
        guard_spec = scenario.render(scenario.data.get("safeguards", {}), context)
        namespaces = list(sandbox.namespaces.values())
        snap = safeguards.snapshot(kube, guard_spec, namespaces)
        fake = _fake_api(scenario, settings) if settings.scripted and \
            job.agent in agents.CLAUDE else None
        ctx = _agent_context(kube, job, settings, sandbox, workdir, context, state, fake)
        state.outcome = _phase(state, "agent", lambda: agents.get(job.agent)().run(ctx))
        state.checks = _phase(state, "checks", lambda: checks.evaluate(
            kube, scenario.render(scenario.data["checks"], context), env=sandbox.env()))
        state.safeguards = _phase(state, "safeguards", lambda: safeguards.evaluate(
            kube, guard_spec, snap, namespaces, sandbox.env()))
        state.expect = scoring.expect_results(scenario.render(scenario.data.get("expect", []),
                                                              context), state.outcome.answer)
    except (InfraError, ScenarioError) as err:
        state.error = str(err)
    except UserError as err:
        state.error = f"setup problem: {err}"
    except Exception as err:  # a harness bug must still be an error, never a fail
        state.error = f"{type(err).__name__}: {err}"
        state.traceback = traceback.format_exc(limit=8)
    finally:
        if fake:
            fake.stop()
            if settings.on_fake_api:
                settings.on_fake_api(job, fake)
        sandbox.cleanup()
        state.timings.update(sandbox.timings)
        if not settings.keep_workdirs:
            shutil.rmtree(workdir, ignore_errors=True)
    record = _record(job, settings, sandbox, state, time.monotonic() - start, fake)
    records.write(settings.run_dir, record)
    return record


@dataclass
class _State:
    started: str
    timings: dict = field(default_factory=dict)
    transcript: list = field(default_factory=list)
    outcome: AgentOutcome = field(default_factory=AgentOutcome)
    checks: list = field(default_factory=list)
    safeguards: list = field(default_factory=list)
    expect: list = field(default_factory=list)
    error: str | None = None
    traceback: str | None = None


def _phase(state: _State, name: str, fn):
    start = time.monotonic()
    try:
        return fn()
    finally:
        state.timings[name] = round(time.monotonic() - start, 3)


def _stage(kube, sandbox: Sandbox, scenario, stage: str, context: dict) -> None:
    """Apply a stage's manifests, then wait until its `wait` checks hold (else InfraError)."""
    sandbox.apply(scenario.manifests(stage, context))
    waits = scenario.render(scenario.data[stage].get("wait", []), context)
    if not waits:
        return
    missed = [r for r in checks.evaluate(kube, waits, WAIT_TIMEOUT, env=sandbox.env())
              if r["status"] != "pass"]
    if missed:
        what = "setup did not become ready" if stage == "setup" else "the fault did not show"
        raise InfraError(f"{what}: {missed[0]['check']}: {missed[0]['detail']}")


def _fake_api(scenario, settings: Settings):
    from harness.evals.fake_api import FakeAnthropicAPI, load_script
    if not scenario.scripted_file.is_file():
        raise InfraError(f"{scenario.id} has no scripted.yaml to play on the fake API")
    fake = FakeAnthropicAPI(load_script(scenario.scripted_file))
    fake.start()
    return fake


def _agent_context(kube, job, settings, sandbox, workdir, context, state, fake) -> AgentContext:
    scenario = job.scenario
    env = base_env(kube.shell_env(), sandbox.env(), workdir)
    shell = Shell(env, workdir, state.transcript)
    return AgentContext(
        scenario=scenario, prompt=scenario.render(scenario.data["prompt"], context),
        sandbox=sandbox, kube=kube, shell=shell, workdir=workdir, skills=job.skills,
        model=settings.model, budgets=scenario.budgets,
        render=lambda text: scenario.render(text, context),
        base_url=fake.url if fake else None, transcript_file=settings.transcript,
        skills_source=settings.skills_dir, guard=settings.guard)


def _record(job: Job, settings: Settings, sandbox: Sandbox, state: _State, wall: float,
            fake) -> dict:
    out = state.outcome
    status, reason = scoring.score(state.checks, state.safeguards, state.expect, state.error,
                                   out.budget_exceeded)
    s = job.scenario
    scripted = bool(fake)
    return {
        "schema_version": records.SCHEMA_VERSION, "run_id": settings.run_id,
        "scenario": {"id": s.id, "title": s.title, "area": s.area, "difficulty": s.difficulty,
                     "tags": s.tags, "path": str(s.dir)},
        "agent": job.agent, "model": settings.model if job.agent in agents.CLAUDE else None,
        "skills": "on" if job.skills else "off", "repeat": job.repeat,
        "scripted": scripted,
        "scripted_note": "scripted turns from a local fake Anthropic API, not a model's "
                         "result" if scripted else None,
        "status": status, "reason": reason, "started_at": state.started,
        "wall_seconds": round(wall, 2), "timings": state.timings,
        "isolation_overhead_seconds": round(state.timings.get("namespace_setup", 0)
                                            + state.timings.get("cleanup", 0), 3),
        "checks": state.checks, "safeguards": state.safeguards, "expect": state.expect,
        "guard": settings.guard,
        "guard_review": guard_review.review(state.transcript) if settings.guard != "off"
        else [],
        "answer": out.answer, "transcript": state.transcript,
        "commands": sum(1 for e in state.transcript if e.get("type") == "command"),
        "tokens": {"input": out.tokens_in, "output": out.tokens_out},
        "turns": out.turns, "cost_usd": out.cost_usd,
        "budgets": s.budgets, "budget_exceeded": out.budget_exceeded,
        "skills_offered": out.skills_offered, "skills_loaded": out.skills_loaded,
        "api_requests": len(fake.requests) if fake else None,
        "sandbox": sandbox.describe(), "cleanup_error": getattr(sandbox, "cleanup_error", None),
        "error": state.error, "traceback": state.traceback,
    }
