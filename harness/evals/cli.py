"""`k8s-skills eval`, `k8s-skills report`, `k8s-skills export`, `k8s-skills import`."""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import argparse
import json
import os
import secrets
import sys
from datetime import datetime
from pathlib import Path

from harness.errors import UserError
from harness.evals import agents, plan, records
from harness.evals import scenario as scenarios
from harness.evals.agents.base import DEFAULT_MODEL
from harness.evals.scenario import Scenario
from harness.safety import GUARD_MODES

if TYPE_CHECKING:
    from harness.evals.kube import Kube
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

EPILOG = """examples:
  k8s-skills eval                         Claude Code with the skills when ANTHROPIC_API_KEY
                                          is set, otherwise the reference fixes (says which)
  k8s-skills eval --agent claude-code --skills both --max-suite-usd 250
                                          skills on vs off: every scenario 5 times per arm,
                                          paired, shuffled; the report gives the difference
                                          with a 95% interval
  k8s-skills eval --validate              control runs: `none` and `dodge` must fail,
                                          `reference` must pass
  k8s-skills eval --triggers              which skill each of 150+ prompts loads (no cluster)
  k8s-skills eval --resume RUN_ID         finish an interrupted run; re-run its errors only
  k8s-skills eval --agent messages --scripted    scripted turns on a local fake API (no key)
  k8s-skills eval --list                  the scenarios and what they test
  k8s-skills report                       rebuild the newest run's reports from its JSON
  k8s-skills export --format inspect RUN  inspect_ai eval logs (open with `inspect view`)
"""


def register(groups: SubParsers) -> None:
    p = groups.add_parser(
        "eval", help="run the scenario suite: inject faults, let an agent fix them, score",
        description="Run scenarios on a cluster: each in its own namespaces with its own "
                    "ServiceAccount, cleaned up after; results are pass | fail | error, written "
                    "to results/<run-id>/.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _eval_arguments(p)
    p.set_defaults(handler=cmd_eval)
    _register_report(groups)
    from harness.evals import export_cli, import_cli
    export_cli.register(groups)
    import_cli.register(groups)


def _eval_arguments(p: argparse.ArgumentParser) -> None:
    what = p.add_argument_group("what runs")
    what.add_argument("--agent", choices=agents.names(),
                      help="backend (default: claude-code with ANTHROPIC_API_KEY, else reference)")
    what.add_argument("--model", default=os.environ.get("K8S_SKILLS_MODEL", DEFAULT_MODEL),
                      help=f"model for {' / '.join(agents.model_agents())} (default: %(default)s)")
    what.add_argument("--skills", choices=("on", "off", "both"), default="on",
                      help="offer the skills to the agent; `both` runs each scenario in both "
                           "arms and compares them")
    what.add_argument("--epochs", type=int, default=None,
                      help=f"runs per scenario and arm (default: 5 for "
                           f"{' and '.join(agents.model_agents())}, 1 otherwise)")
    what.add_argument("--repeat", type=int, dest="epochs", help=argparse.SUPPRESS)
    what.add_argument("--seed", type=int, help="order of the runs (default: random, recorded)")
    what.add_argument("-k", dest="filter", metavar="WORDS",
                      help="only scenarios whose id, area, difficulty or tags contain every word")
    what.add_argument("--validate", action="store_true",
                      help="control runs: every scenario with `none` (must fail), "
                           "`reference` (must pass) and `dodge` (its dodge/ fix removes only "
                           "the symptom's trigger: must fail)")
    what.add_argument("--triggers", action="store_true",
                      help="the skill-trigger suite: which skill each prompt makes Claude Code "
                           "load (no cluster; see --trigger-turns)")
    what.add_argument("--trigger-turns", type=int, choices=(1, 2), default=2,
                      help="with --triggers: model turns per prompt (default 2)")
    what.add_argument("--resume", metavar="RUN_ID",
                      help="finish a run: skip its finished records, re-run its errors")
    how = p.add_argument_group("how the agent works")
    how.add_argument("--instructions", choices=("preamble", "none"), default="preamble",
                     help="the shared Kubernetes preamble after Claude Code's own system "
                          "prompt (and as the messages backend's), or none (default: preamble)")
    how.add_argument("--guard", choices=GUARD_MODES, default="review",
                     help="the k8s-rbac guard: judge every agent command after the run "
                          "(review, default); run it as the agent's PreToolUse hook and refuse "
                          "all it does not allow, no person being there to ask (enforce); as "
                          "enforce, but the harness approves the ordinary changes the guard "
                          "would ask a person about, refusing destructive ones (supervised); "
                          "or not at all (off)")
    how.add_argument("--thinking-budget", type=int, default=8000, metavar="TOKENS",
                     help="extended thinking for both backends, 0 for none (default 8000; "
                          "models with adaptive thinking decide the amount themselves)")
    how.add_argument("--judge-model", help="grades diagnosis answers against solution/answer.md"
                                           " (default: --model)")
    how.add_argument("--scripted", action="store_true",
                     help="claude-code/messages: play each scenario's scripted.yaml on a local "
                          "fake Anthropic API instead of calling Claude (tests the code paths)")
    how.add_argument("--transcript", type=Path,
                     help="replay: a result JSON or the results folder of an earlier run")
    money = p.add_argument_group("budgets")
    money.add_argument("--max-budget-usd", type=float, metavar="USD",
                       help="dollars one run may spend (Claude Code stops there)")
    money.add_argument("--max-suite-usd", type=float, metavar="USD",
                       help="dollars the whole run may spend; no run starts after that")
    money.add_argument("--retries", type=int, default=2,
                       help="re-runs after a rate limit or server error (default 2)")
    where = p.add_argument_group("where")
    where.add_argument("--parallel", type=int, default=4, help="scenarios at once (default 4)")
    where.add_argument("--cluster", default="k8s-skills",
                       help="a cluster from `k8s-skills cluster up` (default: %(default)s)")
    where.add_argument("--kubeconfig", type=Path, help="use this kubeconfig instead of --cluster")
    where.add_argument("--context", help="with --kubeconfig: the context (default: current)")
    where.add_argument("--scenarios", type=Path, default=None,
                       help=f"scenario folder (default: {scenarios.SCENARIOS_DIR})")
    where.add_argument("--results", type=Path, default=records.RESULTS_DIR,
                       help="where run folders go (default: ./results)")
    where.add_argument("--run-id", help="name of the run folder (default: time + agent)")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.add_argument("--cleanup", action="store_true",
                   help="delete everything earlier eval runs left on the cluster and exit")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")


def _register_report(groups: SubParsers) -> None:
    r = groups.add_parser(
        "report", help="rebuild summary.json, junit.xml and report.html from a run's JSON",
        description="Rebuild a run's reports without rerunning; several runs are combined "
                    "(skills on vs off side by side).")
    r.add_argument("runs", nargs="*", type=Path,
                   help="run folders (default: the newest in ./results)")
    r.add_argument("--out", type=Path, help="where to write (default: the first run folder)")
    r.add_argument("--results", type=Path, default=records.RESULTS_DIR)
    r.add_argument("--json", action="store_true", help="print the summary as JSON")
    r.set_defaults(handler=cmd_report)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_eval(args: argparse.Namespace) -> int:
    if args.triggers:
        from harness.evals import triggers_cli
        return triggers_cli.run(args)
    if args.resume:
        return _resume(args)
    found = scenarios.discover(args.scenarios, args.filter)
    if args.list:
        return _list(found)
    runnable = _runnable(found)
    kube = _kube(args)
    if args.cleanup:
        from harness.evals.sandbox import remove_leftovers
        print(remove_leftovers(kube).strip() or "nothing to clean up")
        return 0
    if not runnable:
        raise UserError(f"no runnable scenario matches -k {args.filter!r}: see "
                        "`k8s-skills eval --list`")
    jobs, note, manifest = _plan(args, runnable)
    run_id = records.safe_run_id(args.run_id or
                                 f"{datetime.now():%Y%m%d-%H%M%S}-{manifest['kind']}")
    manifest["run_id"] = run_id
    run_dir = Path(args.results) / run_id
    plan.write_manifest(run_dir, manifest)
    _log(f"[k8s-skills eval] {note}")
    return _execute(args, kube, jobs, manifest, run_dir)


def _execute(args: argparse.Namespace, kube: Kube, jobs: list[plan.Job], manifest: dict[str, Any],
             run_dir: Path) -> int:
    from harness.evals import capacity, report, runner
    settings = runner.Settings(
        run_id=manifest["run_id"], run_dir=run_dir, model=manifest["model"],
        scripted=manifest["scripted"], transcript=args.transcript, log=_log,
        instructions=manifest["instructions"], guard=manifest["guard"],
        max_budget_usd=manifest["max_budget_usd"], thinking_budget=manifest["thinking_budget"],
        judge_model=manifest["judge_model"], retries=args.retries)
    budget = runner.SuiteBudget(manifest["max_suite_usd"])
    _log(f"[k8s-skills eval] {len(jobs)} runs, {args.parallel} at a time; results in {run_dir}/")
    try:
        runner.run_all(kube, jobs, settings, parallel=args.parallel, budget=budget,
                       inventory=capacity.read(kube) if args.parallel > 1 else None)
    except KeyboardInterrupt:
        if (run_dir / "scenarios").is_dir():
            report.write_reports([run_dir])
        _log(f"[k8s-skills eval] interrupted: the runs in progress were cleaned up and are "
             f"recorded as interrupted; `k8s-skills eval --resume {manifest['run_id']}` "
             "runs what is missing or interrupted")
        return 130
    if budget.skipped:
        _log(f"[k8s-skills eval] the suite budget (${budget.limit}) was spent: {budget.skipped} "
             f"runs not started; `k8s-skills eval --resume {manifest['run_id']} "
             "--max-suite-usd ...` runs them")
    summary = report.write_reports([run_dir])
    return _finish(args, summary, run_dir)


def _runnable(found: list[Scenario]) -> list[Scenario]:
    for s in found:
        if s.unsupported:
            _log(f"[k8s-skills eval] skip {s.area}/{s.id}: {s.unsupported}")
    return [s for s in found if not s.unsupported]


def _plan(args: argparse.Namespace, found: list[Scenario]
          ) -> tuple[list[plan.Job], str, dict[str, Any]]:
    if args.validate:
        jobs = [plan.Job(s, a, True, 1, i) for i, (s, a) in
                enumerate((s, a) for s in found for a in agents.controls()
                          if a != "dodge" or s.has_dodge)]
        note = (f"control runs of {len(found)} scenarios: `none` must fail, `reference` "
                "must pass, `dodge` must fail")
        return jobs, note, _manifest(args, "validate", found, [True], 1, None, validate=True)
    agent, note = _choose_agent(args)
    found = _check_agent(args, agent, found)
    if args.scripted:
        note += "; SCRIPTED turns from a local fake Anthropic API (not a model's result)"
    model_agent = agents.uses_model(agent)
    arms = {"on": [True], "off": [False], "both": [True, False]}[args.skills] \
        if model_agent else [True]   # skills only matter to a model
    epochs = args.epochs or (5 if model_agent else 1)
    seed = args.seed if args.seed is not None else (
        secrets.randbelow(2 ** 31) if model_agent else None)
    jobs = plan.make_jobs(found, agent, arms, epochs, seed)
    if model_agent:
        note += f"; {epochs} epochs per arm, order seed {seed}"
    return jobs, note, _manifest(args, agent, found, arms, epochs, seed)


def _check_agent(args: argparse.Namespace, agent: str, found: list[Scenario]) -> list[Scenario]:
    needs = agents.spec(agent)
    if args.scripted:
        if not needs.model:
            raise UserError("--scripted plays turns for a Claude backend: use it with "
                            "--agent claude-code or --agent messages")
        found = [s for s in found if s.scripted_file.is_file()]
        if not found:
            raise UserError("no selected scenario has a scripted.yaml to play")
    if needs.transcript and not args.transcript:
        raise UserError(f"--agent {agent} needs --transcript (a result JSON or a run folder)")
    if needs.sdk:
        _require_agent_sdk(agent)
        from harness.evals.agents.claude_env import sandbox_problem
        problem = sandbox_problem()
        if problem:
            raise UserError(problem)
    if needs.key and not args.scripted and not _has_credentials():
        raise UserError(f"--agent {agent} needs ANTHROPIC_API_KEY (or --scripted)")
    return found


def _has_credentials() -> bool:
    return any(os.environ.get(name) for name in (
        "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK",
        "CLAUDE_CODE_USE_VERTEX"))


def _manifest(args: argparse.Namespace, kind: str, found: list[Scenario], arms: list[bool],
              epochs: int, seed: int | None, validate: bool = False) -> dict[str, Any]:
    from harness.evals import pricing
    agent = "validate" if validate else kind
    return {
        "kind": kind + ("-scripted" if args.scripted else ""), "agent": agent,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "model": args.model, "arms": ["on" if a else "off" for a in arms], "epochs": epochs,
        "seed": seed, "filter": args.filter,
        "scenarios_dir": str(args.scenarios) if args.scenarios else None,
        "scenario_ids": [s.id for s in found], "scripted": bool(args.scripted),
        "instructions": args.instructions, "guard": args.guard,
        "thinking_budget": args.thinking_budget or None,
        "judge_model": args.judge_model or (args.model if not validate else None),
        "max_budget_usd": args.max_budget_usd, "max_suite_usd": args.max_suite_usd,
        "price_table": {"as_of": pricing.AS_OF, "source": pricing.SOURCE},
        "versions": _versions(),
    }


def _versions() -> dict[str, str | None]:
    from importlib import metadata
    out: dict[str, str | None] = {}
    for name in ("kubernetes-skills", "claude-agent-sdk", "anthropic"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _resume(args: argparse.Namespace) -> int:
    run_dir = Path(args.results) / args.resume
    try:
        manifest = plan.read_manifest(run_dir)
    except FileNotFoundError as err:
        raise UserError(str(err)) from err
    found = [s for s in scenarios.discover(manifest["scenarios_dir"])
             if s.id in set(manifest["scenario_ids"])]
    if manifest["agent"] == "validate":
        jobs = [plan.Job(s, a, True, 1, i) for i, (s, a) in
                enumerate((s, a) for s in found for a in agents.controls())]
    else:
        jobs = plan.make_jobs(found, manifest["agent"], [a == "on" for a in manifest["arms"]],
                              manifest["epochs"], manifest["seed"])
    owed, counts = plan.still_owed(jobs, run_dir)
    _log(f"[k8s-skills eval] resuming {args.resume}: {counts['finished']} runs finished and "
         f"kept, {counts['errors']} errors to re-run, {counts['missing']} not yet run "
         "(settings from its run.json; other options given now are ignored)")
    if args.max_suite_usd is not None:
        manifest["max_suite_usd"] = args.max_suite_usd
        plan.write_manifest(run_dir, manifest)
    if owed and _needs_key(manifest["agent"]) and not manifest["scripted"] \
            and not _has_credentials():
        raise UserError(f"--resume of a {manifest['agent']} run needs ANTHROPIC_API_KEY")
    args.scripted = manifest["scripted"]
    if not owed:
        from harness.evals import report
        return _finish(args, report.write_reports([run_dir]), run_dir)
    return _execute(args, _kube(args), owed, manifest, run_dir)


def _needs_key(agent: str) -> bool:
    """A resumed run's backend needs credentials (`validate` runs only controls)."""
    return agent in agents.names() and agents.spec(agent).key


def _require_agent_sdk(agent: str) -> None:
    try:
        import claude_agent_sdk  # noqa: F401
    except ImportError as err:
        raise UserError(f"--agent {agent} needs the claude-agent-sdk package: "
                        ".venv/bin/pip install 'claude-agent-sdk>=0.2.189'") from err


def _choose_agent(args: argparse.Namespace) -> tuple[str, str]:
    if args.agent:
        return args.agent, f"agent: {args.agent}"
    if os.environ.get("ANTHROPIC_API_KEY"):
        return "claude-code", ("agent: claude-code (ANTHROPIC_API_KEY is set), model "
                               f"{args.model}, skills {args.skills}")
    return "reference", ("agent: reference (no ANTHROPIC_API_KEY: applying each scenario's "
                         "reference fix; set the key to let Claude Code work instead)")


def _kube(args: argparse.Namespace) -> Kube:
    from harness.cluster import providers, topology
    from harness.cluster.kubectl import Kubectl, find_executable
    from harness.evals.kube import Kube
    if args.kubeconfig:
        if not args.kubeconfig.is_file():
            raise UserError(f"kubeconfig {args.kubeconfig} does not exist")
        kubectl = Kubectl(args.kubeconfig, args.context, find_executable())
    else:
        cluster = providers.open_cluster(args.cluster)
        if not cluster.kubeconfig or not Path(cluster.kubeconfig).is_file():
            raise UserError(f"cluster {args.cluster!r} is not set up: run `k8s-skills cluster "
                            "up` (or pass --kubeconfig)")
        kubectl = cluster.kubectl()
    if not kubectl.ok("get", "--raw", "/readyz", timeout=15):
        raise UserError(f"the cluster ({args.kubeconfig or args.cluster}) does not answer "
                        "/readyz: run `k8s-skills cluster up` or check --kubeconfig")
    kube = Kube(kubectl)
    if not args.kubeconfig:
        state = cluster.state()
        kube.readiness = _readiness(state)
        kube.topology = topology.of_cluster(state)
    return kube


def _readiness(state: dict[str, Any]) -> dict[str, str]:
    """The readiness URLs of a local cluster's processes the apiserver cannot vouch for
    (what `k8s-skills cluster status` probes too)."""
    from harness.cluster.envoy_gateway import process as eg_process
    from harness.evals import health
    eg = state.get("envoy_gateway")
    return {health.ENVOY_GATEWAY: eg_process.readiness_url(eg)} \
        if isinstance(eg, dict) and eg.get("inside_ip") else {}


def _list(found: list[Scenario]) -> int:
    for s in found:
        note = f"  [cannot run here: {s.unsupported}]" if s.unsupported else ""
        print(f"{s.area + '/' + s.id:<45} {s.difficulty:<7} {s.title}{note}")
    sys.stdout.flush()
    print(f"{len(found)} scenarios", file=sys.stderr)
    return 0


def _finish(args: argparse.Namespace, summary: dict[str, Any], run_dir: Path) -> int:
    from harness.evals.text_summary import text_summary
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(text_summary(summary))
        print(f"report: {(run_dir / 'report.html').resolve()}")
    validation = summary.get("validation")
    if getattr(args, "validate", False) and validation:
        return 0 if not validation["broken"] and not validation["error"] else 1
    return 0 if summary["pass"] == summary["total"] else 1


def cmd_report(args: argparse.Namespace) -> int:
    from harness.evals import report
    from harness.evals.text_summary import text_summary
    runs = args.runs or [records.newest_run(args.results)]
    if not runs or runs[0] is None:
        raise UserError(f"no runs in {args.results}/: run `k8s-skills eval` first")
    for run in runs:
        if not (Path(run) / "scenarios").is_dir():
            raise UserError(f"{run}: not a run folder (no scenarios/ inside)")
    try:
        summary = report.write_reports(runs, args.out)
    except UnicodeDecodeError as err:
        raise UserError(f"a run record is not UTF-8 text: {err.reason}") from err
    except ValueError as err:
        raise UserError(str(err)) from err
    except (TypeError, AttributeError, KeyError, IndexError, RecursionError) as err:
        # a record edited by hand or by another tool: name the problem, no traceback
        raise UserError(f"a run record in {', '.join(map(str, runs))} has an unexpected "
                        f"shape ({type(err).__name__}: {err}); rerun or restore it") from err
    out = Path(args.out or runs[0])
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(text_summary(summary))
        print(f"report: {(out / 'report.html').resolve()}")
    return 0
