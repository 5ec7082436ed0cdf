"""Run scenarios: isolate, set up, inject the fault, let an agent work, check, clean up.

`run_one` never raises for a broken environment: it returns a record whose status is
`error`. Cleanup always runs and every wait has a timeout. While the agent works and the
checks run, the components the scenario depends on are watched (harness.evals.health): a
check that fails while Kueue or the apiserver is down is an `error`, never a `fail`.
Ctrl-C stops the suite: no new run starts, runs in progress stop at their next step, clean
up and are recorded as interrupted. `run_all` runs jobs on a thread
pool (each scenario in its own namespaces, with its own ServiceAccount), retries runs that
an API error (429, 5xx) broke after the API's retry-after or a backoff, stops starting runs
when the suite's dollar budget is spent, and reports progress on stderr.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from harness.errors import UserError
from harness.evals import (access, agents, capacity, checks, cluster_leaks, guard_review,
                           health, instructions, judge, packing, pricing, records,
                           safeguards, scoring)
from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.errors import ApiError, InfraError, Interrupted, ScenarioError
from harness.evals.guard import GuardPolicy
from harness.evals.health import Monitor
from harness.evals.model import CheckResult, RunRecord, ScenarioRef
from harness.evals.plan import Job
from harness.evals.sandbox import Sandbox
from harness.evals.scenario import Scenario
from harness.evals.shell import Shell, base_env

if TYPE_CHECKING:
    from harness.evals.fake_api import FakeAnthropicAPI
    from harness.evals.kube import Kube

T = TypeVar("T")

WAIT_TIMEOUT = 45.0
__all__ = ["Job", "Settings", "SuiteBudget", "run_all", "run_one"]


@dataclass
class Settings:
    run_id: str
    run_dir: Path
    model: str
    scripted: bool = False
    transcript: Path | None = None
    skills_dir: Path | None = None
    keep_workdirs: bool = False
    # tests: see the fake API's recorded requests
    on_fake_api: Callable[[Job, FakeAnthropicAPI], None] | None = None
    log: Callable[[str], None] = field(default=lambda m: print(m, file=sys.stderr, flush=True))
    instructions: str = "preamble"           # harness.evals.instructions.MODES
    guard: str = "review"                    # harness.evals.guard.MODES
    max_budget_usd: float | None = None      # per run
    thinking_budget: int | None = None
    judge_model: str | None = None
    retries: int = 2                         # extra attempts after a retryable API error
    backoff: float = 15.0                    # seconds, doubled per attempt, without retry-after
    sleep: Callable[[float], None] = time.sleep
    scoped_access: bool = True               # the agent's own ServiceAccount (harness.evals.access)
    stop: threading.Event = field(default_factory=threading.Event)   # set by Ctrl-C
    health_interval: float = 3.0             # seconds between probes of the components


class SuiteBudget:
    """Dollars the whole suite may spend; runs stop being started once it is spent."""

    def __init__(self, limit_usd: float | None) -> None:
        self.limit, self.spent, self.skipped = limit_usd, 0.0, 0
        self._lock = threading.Lock()

    def remaining(self) -> float | None:
        with self._lock:
            return None if self.limit is None else max(0.0, self.limit - self.spent)

    def exhausted(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0

    def add(self, usd: float | None) -> None:
        with self._lock:
            self.spent += usd or 0.0


def run_all(kube: Kube, jobs: list[Job], settings: Settings, parallel: int = 1,
            budget: SuiteBudget | None = None,
            inventory: capacity.Inventory | None = None) -> list[RunRecord]:
    """Run every job, `parallel` at a time and, given the cluster's `inventory`, never more
    at once than its accelerators hold (harness.evals.packing); records come back in job
    order (runs skipped for the suite budget have none)."""
    budget = budget or SuiteBudget(None)
    lock, done, total = threading.Lock(), [0], len(jobs)
    results: dict[int, RunRecord] = {}

    def one(index: int, job: Job) -> None:
        if budget.exhausted():
            with lock:
                budget.skipped += 1
                settings.log(f"  skip   {job.label}: the suite budget (${budget.limit}) is spent")
            return
        with lock:
            settings.log(f"  start  {job.label}")
        record = run_with_retries(kube, job, settings, budget)
        results[index] = record
        with lock:
            done[0] += 1
            settings.log(f"[{done[0]:>{len(str(total))}}/{total}] {record.status:<5} "
                         f"{record.wall_seconds:6.1f}s {job.label}  {record.reason[:110]}")

    gate = _gate(kube, jobs, inventory, settings)
    pool = ThreadPoolExecutor(max_workers=max(1, parallel))
    running: dict[Future[None], int] = {}   # bound before a Ctrl-C can arrive during submits
    waiting, told = list(range(total)), set()
    try:
        while waiting or running:
            start, why = gate.choose(waiting, max(1, parallel) - len(running))
            for i in start:
                waiting.remove(i)
                running[pool.submit(one, i, jobs[i])] = i
            for i, reason in why.items():
                if i not in told:   # once per run: its first reason
                    told.add(i)
                    with lock:
                        settings.log(f"  wait   {jobs[i].label}: {reason}")
            # Short waits: a Ctrl-C that the kernel hands to a worker thread only runs its
            # Python handler once the main thread runs bytecode again.
            finished, _ = wait(set(running), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                gate.release(running.pop(future))
                future.result()
    except KeyboardInterrupt:
        settings.stop.set()
        settings.log(f"  interrupted: no new run starts; {sum(f.running() for f in running)} "
                     "in progress stop at their next step and clean up")
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
    return [results[i] for i in range(total) if i in results]


def _gate(kube: Kube, jobs: list[Job], inventory: capacity.Inventory | None,
          settings: Settings) -> packing.Gate:
    """The gate that keeps the runs in progress within the cluster's accelerators (without
    an inventory every run's demand is empty: only `parallel` limits them)."""
    labels = [job.label for job in jobs]
    if inventory is None:
        return packing.Gate({}, {}, [{} for _ in jobs], labels)
    by_scenario: dict[str, capacity.Demand] = {}
    for job in jobs:
        s = job.scenario
        if s.id not in by_scenario:
            by_scenario[s.id] = capacity.of_scenario(s, Sandbox(kube, s).context(), inventory)
    heavy = {sid: d for sid, d in by_scenario.items() if d}
    settings.log(f"  capacity: {inventory.describe()}; {len(heavy)} of {len(by_scenario)} "
                 "scenarios hold accelerators, and runs start only while they fit")
    return packing.Gate(inventory.totals(), inventory.node_counts(),
                        [by_scenario[j.scenario.id] for j in jobs], labels)


def run_with_retries(kube: Kube, job: Job, settings: Settings, budget: SuiteBudget) -> RunRecord:
    """One run, again after a retryable API error (honouring retry-after)."""
    attempt = 0
    while True:
        attempt += 1
        record = run_one(kube, job, settings, budget.remaining()).with_attempts(attempt)
        budget.add(record.cost_usd)
        api = record.api_error or {}
        if record.status != "error" or not api.get("retryable") or \
                attempt > settings.retries or settings.stop.is_set():
            records.write(settings.run_dir, record)
            return record
        wait = api.get("retry_after")
        wait = settings.backoff * 2 ** (attempt - 1) if wait is None else float(wait)
        settings.log(f"  retry  {job.label} in {wait:.0f}s: {record.reason[:100]}")
        settings.sleep(wait)


def run_one(kube: Kube, job: Job, settings: Settings,
            budget_left: float | None = None) -> RunRecord:
    scenario = job.scenario
    sandbox = Sandbox(kube, scenario)
    state = _State(started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   stop=settings.stop)
    workdir = Path(tempfile.mkdtemp(prefix=f"k8s-skills-eval-{scenario.id[:20]}-"))
    private = Path(tempfile.mkdtemp(prefix="k8s-skills-eval-private-"))
    fake, start = None, time.monotonic()
    try:
        context = sandbox.context()
        state.scripts_dir = _scripts_dir(scenario, context, private)
        context["scripts_dir"] = str(state.scripts_dir)
        _phase(state, "namespace_setup", sandbox.create)
        for stage in ("setup", "fault"):
            # called at once by _phase: the loop variable is the one of this pass
            _phase(state, stage, lambda: _stage(kube, sandbox, scenario, stage, context, state))
        if settings.scoped_access:
            state.grant = _phase(state, "access", lambda: access.grant(
                kube, sandbox, scenario.render(scenario.access, context), private,
                scenario.budgets["wall_time"] + 600))
        guard_spec = scenario.render(scenario.data.get("safeguards", {}), context)
        namespaces = list(sandbox.namespaces.values())
        snap = safeguards.snapshot(kube, guard_spec, namespaces)
        fake = _fake_api(scenario, settings) if settings.scripted and \
            agents.uses_model(job.agent) else None
        ctx = _agent_context(kube, job, settings, sandbox, workdir, private, context, state,
                             fake, budget_left)
        state.cluster_before = _phase(state, "leak_snapshot",
                                      lambda: cluster_leaks.snapshot(kube))
        with health.Monitor(kube, health.dependencies(scenario),
                            settings.health_interval) as monitor:
            state.monitor = monitor
            state.outcome = _phase(state, "agent", lambda: _run_agent(job, ctx, state))
            state.checks = _phase(state, "checks", lambda: checks.evaluate(
                kube, scenario.render(scenario.data["checks"], context), env=sandbox.env(),
                sleep=state.sleep))
        state.health = _health_verdict(monitor, state.checks)
        if state.health.get("outage"):   # the safeguards could not be read either
            raise InfraError(state.health["outage"])
        state.safeguards = _phase(state, "safeguards", lambda: safeguards.evaluate(
            kube, guard_spec, snap, namespaces, sandbox.env()))
        _score_answer(job, settings, scenario, context, state, fake)
    except Interrupted as err:
        state.error, state.interrupted = str(err), True
    except ApiError as err:
        state.error, state.api_error = str(err), {
            "status": err.status, "retry_after": err.retry_after, "retryable": err.retryable}
    except (InfraError, ScenarioError) as err:
        state.error = _outage_behind(state, err)
        if settings.stop.is_set():   # a kubectl the Ctrl-C killed: not the scenario's fault
            state.error, state.interrupted = f"interrupted (Ctrl-C): {err}", True
    except UserError as err:
        state.error = f"setup problem: {err}"
    except Exception as err:  # a harness bug must still be an error, never a fail
        state.error = f"{type(err).__name__}: {err}"
        state.traceback = traceback.format_exc(limit=8)
    finally:
        _cleanup(kube, sandbox, scenario, state, fake, settings, job, workdir, private)
    record = _record(job, settings, sandbox, state, time.monotonic() - start, fake)
    records.write(settings.run_dir, record)
    return record


@dataclass
class _State:
    started: str
    stop: threading.Event = field(default_factory=threading.Event)
    interrupted: bool = False
    health: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)
    transcript: list[Any] = field(default_factory=list)
    outcome: AgentOutcome = field(default_factory=AgentOutcome)
    checks: list[CheckResult] = field(default_factory=list)
    safeguards: list[CheckResult] = field(default_factory=list)
    expect: list[CheckResult] = field(default_factory=list)
    judge: dict[str, Any] | None = None
    grant: access.Grant | None = None
    guard: GuardPolicy | None = None
    scripts: list[Any] = field(default_factory=list)
    prompts: list[Any] = field(default_factory=list)
    scripts_dir: Path | None = None
    cluster_before: cluster_leaks.Snapshot | None = None   # cluster-scoped uids, pre-agent
    monitor: Monitor | None = None
    leaks: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    api_error: dict[str, Any] | None = None
    traceback: str | None = None


    def sleep(self, seconds: float) -> None:
        """A poll's pause, cut short by Ctrl-C."""
        if self.stop.wait(seconds):
            raise Interrupted("interrupted (Ctrl-C) while waiting for checks")


def _phase(state: _State, name: str, fn: Callable[[], T]) -> T:
    if state.stop.is_set():
        raise Interrupted(f"interrupted (Ctrl-C) before {name}")
    start = time.monotonic()
    try:
        return fn()
    finally:
        state.timings[name] = round(time.monotonic() - start, 3)


def _run_agent(job: Job, ctx: AgentContext, state: _State) -> AgentOutcome:
    """The agent's outcome; on an infrastructure or API error, what it used so far is kept
    (tokens and cost count towards the budgets) before the error goes on."""
    try:
        return agents.get(job.agent)().run(ctx)
    except InfraError as err:
        if isinstance(err.outcome, AgentOutcome):
            state.outcome = err.outcome
        raise


def _stage(kube: Kube, sandbox: Sandbox, scenario: Scenario, stage: str, context: dict[str, Any],
           state: _State) -> None:
    """Apply a stage's manifests, run its scripts, then wait until its `wait` checks hold
    (else InfraError)."""
    sandbox.apply(scenario.manifests(stage, context))
    for script in scenario.scripts(stage):
        _script(kube, sandbox, scenario, script, stage, state, check=True)
    waits = scenario.render(scenario.data[stage].get("wait", []), context)
    if not waits:
        return
    missed = [r for r in checks.evaluate(kube, waits, WAIT_TIMEOUT, env=sandbox.env(),
                                         sleep=state.sleep) if r.status != "pass"]
    if missed:
        what = "setup did not become ready" if stage == "setup" else "the fault did not show"
        raise InfraError(f"{what}: {missed[0].check}: {missed[0].detail}")


def _scripts_dir(scenario: Scenario, context: dict[str, Any], private: Path) -> Path:
    """Where a scenario's scripts run: a copy of its folder for this run, with the files
    under artifacts/ rendered (the run's namespaces), so parallel runs never share a file.
    Scenarios without scripts use their own folder."""
    if not any(scenario.scripts(stage) for stage in ("setup", "fault", "cleanup")):
        return scenario.dir
    copy = private / "scenario"
    shutil.copytree(scenario.dir, copy)
    for path in sorted((copy / "artifacts").rglob("*")) if (copy / "artifacts").is_dir() else []:
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            path.write_text(scenario.render(text, context), encoding="utf-8")
    return copy


def _script(kube: Kube, sandbox: Sandbox, scenario: Scenario, script: dict[str, Any], stage: str,
            state: _State, check: bool) -> None:
    """A scenario script, run from the run's copy of the scenario folder with the
    harness's own identity (it builds or tears down the world) and NS, PREFIX, NS_<NAME>."""
    folder = state.scripts_dir or scenario.dir
    path = folder / Path(script["path"]).relative_to(scenario.dir)
    env = base_env(kube.shell_env(), sandbox.env(), folder)
    log: list[Any] = []
    entry = Shell(env, folder, log, timeout=script["timeout"]).run(
        f"bash {path}", source=stage)
    state.scripts.append({"stage": stage, "script": script["path"],
                          "exit_code": entry["exit_code"], "seconds": entry["seconds"],
                          "output": entry["output"][-2000:]})
    if check and entry["exit_code"] != 0:
        raise InfraError(f"{stage} script {script['path']} exited {entry['exit_code']}: "
                         f"{' '.join(entry['output'].split())[-300:]}")


def _health_verdict(monitor: health.Monitor, results: list[CheckResult]) -> dict[str, Any]:
    """What the health probes saw; with an `outage` reason when a check did not hold while
    a component the scenario depends on was down (probed again now, and watched all along)."""
    verdict = {"components": monitor.components,
               "outages_seen": [h.as_dict() for h in monitor.seen]}
    if all(r.status == "pass" for r in results):
        return verdict
    now = monitor.probe()
    verdict["after_failed_check"] = [h.as_dict() for h in now]
    down = health.outages(now) or monitor.seen
    if down:
        h = down[0]
        verdict["outage"] = (f"{h.component} was down when the checks ran (at {h.at:g} s): "
                             f"{h.detail}; a failed check says nothing about the agent then")
    return verdict


def _outage_behind(state: _State, err: Exception) -> str:
    """The reason of a run the environment broke during the agent or the checks: the
    component the monitor saw down (or sees down now) first, when there is one (a reference
    fix's `kubectl rollout status` timing out on a frozen kubelet names no component)."""
    if state.monitor is None or state.health or state.stop.is_set():
        return str(err)
    state.health = _health_verdict(state.monitor, [_BROKE])
    outage = state.health.get("outage")
    return f"{outage}; what failed: {err}" if outage else str(err)


_BROKE = CheckResult("environment", {}, "error", "the run broke before its checks finished")


def _score_answer(job: Job, settings: Settings, scenario: Scenario, context: dict[str, Any],
                  state: _State, fake: FakeAnthropicAPI | None) -> None:
    answer = state.outcome.answer
    state.expect = scoring.expect_results(scenario.render(scenario.data.get("expect", []),
                                                          context), answer)
    state.expect += scoring.expect_not_results(
        scenario.render(scenario.data.get("expect_not", []), context), answer)
    if not scenario.judged:
        return
    if any(r.status != "pass" for r in state.expect):
        state.judge = {"verdict": "skipped", "why": "the keyword pre-check already failed"}
    elif not agents.uses_model(job.agent):
        state.judge = {"verdict": "skipped", "why": f"control run ({job.agent})"}
    elif not (settings.judge_model or fake):
        state.judge = {"verdict": "skipped", "why": "no --judge-model"}
    else:
        state.judge = _phase(state, "judge", lambda: judge.grade(
            settings.judge_model or settings.model, ctx_prompt(scenario, context),
            scenario.reference_answer(context), scenario.data.get("judge", {}).get("rubric"),
            answer, base_url=fake.url if fake else None))


def ctx_prompt(scenario: Scenario, context: dict[str, Any]) -> str:
    return "\n\n".join(scenario.render(scenario.prompts, context))


def _cleanup(kube: Kube, sandbox: Sandbox, scenario: Scenario, state: _State,
             fake: FakeAnthropicAPI | None, settings: Settings, job: Job, workdir: Path,
             private: Path) -> None:
    for script in scenario.scripts("cleanup"):
        try:
            _script(kube, sandbox, scenario, script, "cleanup", state, check=False)
        except Exception as err:  # cleanup must not hide the result
            state.scripts.append({"stage": "cleanup", "script": script["path"],
                                  "error": str(err)})
    if fake:
        fake.stop()
        if settings.on_fake_api:
            settings.on_fake_api(job, fake)
    leak_error = _remove_leaks(kube, sandbox, state)
    sandbox.cleanup()
    state.timings.update(sandbox.timings)
    if leak_error and not sandbox.cleanup_error:
        sandbox.cleanup_error = leak_error
    if not settings.keep_workdirs:
        shutil.rmtree(workdir, ignore_errors=True)
    shutil.rmtree(private, ignore_errors=True)


def _remove_leaks(kube: Kube, sandbox: Sandbox, state: _State) -> str | None:
    """Find the cluster-scoped objects the run made without a run label (harness.evals.
    cluster_leaks), delete the run's own; the first error, or None. Never raises."""
    if state.cluster_before is None:
        return None
    start = time.monotonic()
    try:
        own, others = cluster_leaks.find(kube, state.cluster_before, sandbox.token,
                                         list(sandbox.namespaces.values()))
        error = cluster_leaks.remove(kube, own) if own else None
    except InfraError as err:
        own, others, error = [], [], f"could not look for unlabelled cluster objects: {err}"
    state.leaks = {"leaked": own, "appeared": others}
    state.timings["leak_check"] = round(time.monotonic() - start, 3)
    return error


def _fake_api(scenario: Scenario, settings: Settings) -> FakeAnthropicAPI:
    from harness.evals.fake_api import FakeAnthropicAPI, load_scripted
    if not scenario.scripted_file.is_file():
        raise InfraError(f"{scenario.id} has no scripted.yaml to play on the fake API")
    script = load_scripted(scenario.scripted_file)
    fake = FakeAnthropicAPI(script["steps"], judge=script["judge"])
    fake.start()
    return fake


def _agent_context(kube: Kube, job: Job, settings: Settings, sandbox: Sandbox, workdir: Path,
                   private: Path, context: dict[str, Any], state: _State,
                   fake: FakeAnthropicAPI | None, budget_left: float | None) -> AgentContext:
    scenario = job.scenario
    home = workdir / ".home"
    kubeconfig = _home_kubeconfig(state.grant.kubeconfig if state.grant
                                  else kube.pinned_kubeconfig(), home)
    env = base_env(kube.shell_env(kubeconfig), sandbox.env(), home)
    shell = Shell(env, workdir, state.transcript)
    prompts = scenario.render(scenario.prompts, context)
    state.prompts = prompts
    per_run = [b for b in (settings.max_budget_usd, scenario.budgets.get("cost_usd"),
                           budget_left) if b is not None]
    state.guard = GuardPolicy(settings.guard, workdir, env, state.transcript)
    return AgentContext(
        scenario=scenario, prompt=prompts[0], followups=prompts[1:], sandbox=sandbox,
        kube=kube, shell=shell, workdir=workdir, skills=job.skills, model=settings.model,
        budgets=scenario.budgets, render=lambda text: scenario.render(text, context),
        base_url=fake.url if fake else None, transcript_file=settings.transcript,
        skills_source=settings.skills_dir, instructions=settings.instructions,
        guard=state.guard, private_dir=private, max_budget_usd=min(per_run) if per_run else None,
        thinking_budget=settings.thinking_budget)


def _home_kubeconfig(source: Path, home: Path) -> Path:
    """The run's kubeconfig where kubectl looks by default ($HOME/.kube/config): Claude
    Code's scrubbed shell drops KUBECONFIG from the environment, HOME it keeps."""
    target = home / ".kube" / "config"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def _record(job: Job, settings: Settings, sandbox: Sandbox, state: _State, wall: float,
            fake: FakeAnthropicAPI | None) -> RunRecord:
    out = state.outcome
    judged = judge.as_result(state.judge)
    status, reason = scoring.score(state.checks, state.safeguards, state.expect + judged,
                                   state.error, out.budget_exceeded)
    s = job.scenario
    model_agent = agents.uses_model(job.agent)
    return RunRecord(
        run_id=settings.run_id,
        scenario=ScenarioRef(id=s.id, title=s.title, area=s.area, difficulty=s.difficulty,
                             tags=s.tags, path=str(s.dir), source=s.source),
        agent=job.agent, model=settings.model if model_agent else None,
        skills="on" if job.skills else "off", repeat=job.repeat, epoch=job.repeat,
        order=job.order, scripted=bool(fake) or (settings.scripted and model_agent),
        scripted_note="scripted turns from a local fake Anthropic API, not a model's "
                      "result" if fake else None,
        status=status, reason=reason, started_at=state.started,
        wall_seconds=round(wall, 2), timings=state.timings,
        isolation_overhead_seconds=round(sum(state.timings.get(k, 0) for k in (
            "namespace_setup", "leak_snapshot", "leak_check", "cleanup")), 3),
        checks=state.checks, safeguards=state.safeguards, expect=state.expect,
        judge=state.judge, scripts=state.scripts,
        guard_review=guard_review.review(state.transcript) if settings.guard != "off" else [],
        guard={"mode": settings.guard, "verdicts": state.guard.verdicts if state.guard else []},
        permission_denials=out.permission_denials,
        prompts=state.prompts, answer=out.answer, transcript=state.transcript,
        commands=sum(1 for e in state.transcript if e.get("type") == "command"),
        tokens=out.tokens, turns=out.turns,
        cost_usd=out.cost_usd, reported_cost_usd=out.reported_cost_usd,
        price_table=pricing.AS_OF if model_agent else None,
        stop=out.stop, budgets=s.budgets, budget_exceeded=out.budget_exceeded,
        instructions=_instructions(settings, out) if model_agent else None,
        skills_discovered=out.skills_discovered, skills_offered=out.skills_offered,
        skills_loaded=out.skills_loaded,
        skill_triggers=scoring.skill_triggers(s.expected_skills, s.forbidden_skills,
                                              out.skills_loaded, job.skills)
        if model_agent else None,
        api_requests=out.api_requests if model_agent else None,
        access=state.grant.describe() if state.grant else None,
        sandbox={**sandbox.describe(), **state.leaks}, cleanup_error=getattr(sandbox, "cleanup_error", None),
        error=state.error, api_error=state.api_error, traceback=state.traceback,
        interrupted=state.interrupted, health=state.health,
    )


def _instructions(settings: Settings, out: AgentOutcome) -> dict[str, Any]:
    given = out.instructions or {}
    refs = instructions.store(settings.run_dir, given.get("system"), given.get("tools") or [])
    return {"mode": given.get("mode", settings.instructions), "params": given.get("params"),
            **refs}
