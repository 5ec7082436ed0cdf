"""`k8s-skills eval` and `k8s-skills report`."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from harness.errors import UserError
from harness.evals import agents, records
from harness.evals import scenario as scenarios
from harness.evals.agents.base import DEFAULT_MODEL

EPILOG = """examples:
  k8s-skills eval                         Claude Code with the skills when ANTHROPIC_API_KEY
                                          is set, otherwise the reference fixes (says which)
  k8s-skills eval --validate              control runs: `none` must fail, `reference` pass
  k8s-skills eval --agent claude-code --skills both -k kueue --repeat 3
  k8s-skills eval --agent messages --scripted    scripted turns on a local fake API (no key)
  k8s-skills eval --list                  the scenarios and what they test
  k8s-skills report                       rebuild the newest run's reports from its JSON
"""


def register(groups) -> None:
    p = groups.add_parser(
        "eval", help="run the scenario suite: inject faults, let an agent fix them, score",
        description="Run scenarios on a cluster: each in its own namespaces, cleaned up "
                    "after; results are pass | fail | error, written to results/<run-id>/.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agent", choices=agents.NAMES,
                   help="backend (default: claude-code with ANTHROPIC_API_KEY, else reference)")
    p.add_argument("--model", default=os.environ.get("K8S_SKILLS_MODEL", DEFAULT_MODEL),
                   help="model for claude-code / messages (default: %(default)s)")
    p.add_argument("--skills", choices=("on", "off", "both"), default="on",
                   help="offer the skills to the agent; `both` runs each scenario twice")
    p.add_argument("-k", dest="filter", metavar="WORDS",
                   help="only scenarios whose id, area, difficulty or tags contain every word")
    p.add_argument("--parallel", type=int, default=4, help="scenarios at once (default 4)")
    p.add_argument("--repeat", type=int, default=1, help="runs per scenario (default 1)")
    p.add_argument("--validate", action="store_true",
                   help="control runs: every scenario with `none` (must fail) and "
                        "`reference` (must pass)")
    p.add_argument("--scripted", action="store_true",
                   help="claude-code/messages: play each scenario's scripted.yaml on a local "
                        "fake Anthropic API instead of calling Claude (tests the code paths)")
    p.add_argument("--transcript", type=Path,
                   help="replay: a result JSON or the results folder of an earlier run")
    p.add_argument("--cluster", default="k8s-skills",
                   help="a cluster from `k8s-skills cluster up` (default: %(default)s)")
    p.add_argument("--kubeconfig", type=Path, help="use this kubeconfig instead of --cluster")
    p.add_argument("--context", help="with --kubeconfig: the context (default: current)")
    p.add_argument("--scenarios", type=Path, default=None,
                   help=f"scenario folder (default: {scenarios.SCENARIOS_DIR})")
    p.add_argument("--results", type=Path, default=records.RESULTS_DIR,
                   help="where run folders go (default: ./results)")
    p.add_argument("--run-id", help="name of the run folder (default: time + agent)")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.add_argument("--guard", choices=("off", "review", "enforce"), default="review",
                   help="the k8s-rbac guard: review (default) judges every agent command "
                        "after the run; enforce runs it as the agent's PreToolUse hook and "
                        "refuses anything it does not allow (no person approves in a run); "
                        "off skips it")
    p.add_argument("--cleanup", action="store_true",
                   help="delete everything earlier eval runs left on the cluster and exit")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(handler=cmd_eval)

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


def cmd_eval(args) -> int:
    found = scenarios.discover(args.scenarios, args.filter)
    if args.list:
        return _list(found)
    kube = _kube(args)
    if args.cleanup:
        from harness.evals.sandbox import remove_leftovers
        print(remove_leftovers(kube).strip() or "nothing to clean up")
        return 0
    if not found:
        raise UserError(f"no scenario matches -k {args.filter!r}: see `k8s-skills eval --list`")
    jobs, note = _plan(args, found)
    _log(f"[k8s-skills eval] {note}")
    from harness.evals import report, runner
    run_id = records.safe_run_id(args.run_id or
                                 f"{datetime.now():%Y%m%d-%H%M%S}-{_run_kind(args)}")
    run_dir = Path(args.results) / run_id
    settings = runner.Settings(run_id=run_id, run_dir=run_dir, model=args.model,
                               scripted=args.scripted, transcript=args.transcript, log=_log,
                               guard=args.guard)
    _log(f"[k8s-skills eval] {len(jobs)} runs, {args.parallel} at a time; results in {run_dir}/")
    runner.run_all(kube, jobs, settings, parallel=args.parallel)
    summary = report.write_reports([run_dir])
    return _finish(args, summary, run_dir)


def _plan(args, found: list) -> tuple[list, str]:
    from harness.evals.runner import Job
    if args.validate:
        jobs = [Job(s, a, True) for s in found for a in ("none", "reference")]
        return jobs, (f"control runs of {len(found)} scenarios: `none` must fail, "
                      "`reference` must pass")
    agent, note = _choose_agent(args)
    if args.scripted:
        if agent not in agents.CLAUDE:
            raise UserError("--scripted plays turns for a Claude backend: use it with "
                            "--agent claude-code or --agent messages")
        found = [s for s in found if s.scripted_file.is_file()]
        if not found:
            raise UserError("no selected scenario has a scripted.yaml to play")
        note += "; SCRIPTED turns from a local fake Anthropic API (not a model's result)"
    if agent == "replay" and not args.transcript:
        raise UserError("--agent replay needs --transcript (a result JSON or a run folder)")
    if agent == "claude-code":
        _require_agent_sdk()
        if not args.scripted and not os.environ.get("ANTHROPIC_API_KEY"):
            raise UserError("--agent claude-code needs ANTHROPIC_API_KEY (or --scripted)")
    if agent == "messages" and not args.scripted and not os.environ.get("ANTHROPIC_API_KEY"):
        raise UserError("--agent messages needs ANTHROPIC_API_KEY (or --scripted)")
    arms = {"on": [True], "off": [False], "both": [True, False]}[args.skills]
    if agent not in agents.CLAUDE:
        arms = [True]  # skills only matter to a model
    jobs = [Job(s, agent, skills, n) for s in found for skills in arms
            for n in range(1, max(1, args.repeat) + 1)]
    return jobs, note


def _require_agent_sdk() -> None:
    try:
        import claude_agent_sdk  # noqa: F401
    except ImportError as err:
        raise UserError("--agent claude-code needs the claude-agent-sdk package: "
                        ".venv/bin/pip install 'claude-agent-sdk>=0.2.180'") from err


def _choose_agent(args) -> tuple[str, str]:
    if args.agent:
        return args.agent, f"agent: {args.agent}"
    if os.environ.get("ANTHROPIC_API_KEY"):
        return "claude-code", ("agent: claude-code (ANTHROPIC_API_KEY is set), model "
                               f"{args.model}, skills {args.skills}")
    return "reference", ("agent: reference (no ANTHROPIC_API_KEY: applying each scenario's "
                         "reference fix; set the key to let Claude Code work instead)")


def _run_kind(args) -> str:
    if args.validate:
        return "validate"
    agent = _choose_agent(args)[0]
    return agent + ("-scripted" if args.scripted else "")


def _kube(args):
    from harness.cluster import providers
    from harness.cluster.kubectl import Kubectl
    from harness.evals.kube import Kube
    if args.kubeconfig:
        if not args.kubeconfig.is_file():
            raise UserError(f"kubeconfig {args.kubeconfig} does not exist")
        kubectl = Kubectl(args.kubeconfig, args.context, providers._any_kubectl())
    else:
        cluster = providers.open_cluster(args.cluster)
        if not cluster.kubeconfig or not Path(cluster.kubeconfig).is_file():
            raise UserError(f"cluster {args.cluster!r} is not set up: run `k8s-skills cluster "
                            "up` (or pass --kubeconfig)")
        kubectl = cluster.kubectl()
    if not kubectl.ok("get", "--raw", "/readyz", timeout=15):
        raise UserError(f"the cluster ({args.kubeconfig or args.cluster}) does not answer "
                        "/readyz: run `k8s-skills cluster up` or check --kubeconfig")
    return Kube(kubectl)


def _list(found: list) -> int:
    for s in found:
        print(f"{s.area + '/' + s.id:<45} {s.difficulty:<7} {s.title}")
    sys.stdout.flush()
    print(f"{len(found)} scenarios", file=sys.stderr)
    return 0


def _finish(args, summary: dict, run_dir: Path) -> int:
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(_text_summary(summary))
        print(f"report: {(run_dir / 'report.html').resolve()}")
    validation = summary.get("validation")
    if args.validate and validation:
        return 0 if not validation["broken"] and not validation["error"] else 1
    return 0 if summary["pass"] == summary["total"] else 1


def _text_summary(s: dict) -> str:
    scripted = "; SCRIPTED, not a model result" if s["scripted"] else ""
    lines = [f"{s['pass']}/{s['total']} passed, {s['fail']} failed, {s['error']} errors "
             f"(agents: {', '.join(s['agents'])}{scripted})"]
    v = s.get("validation")
    if v:
        lines.append(f"control runs: {v['ok']} scenarios ok, broken: "
                     f"{', '.join(v['broken']) or 'none'}, "
                     f"error: {', '.join(v['error']) or 'none'}")
        for sid, x in v["scenarios"].items():
            if x["verdict"] != "ok":
                lines.append(f"  {x['verdict']}: {sid}: {x['reason']}")
    for r in s["results"]:
        if r["status"] != "pass" and not v:
            lines.append(f"  {r['status']}: {r['area']}/{r['scenario']} ({r['agent']}, skills "
                         f"{r['skills']}): {r['reason'][:160]}")
    return "\n".join(lines)


def cmd_report(args) -> int:
    from harness.evals import report
    runs = args.runs or [records.newest_run(args.results)]
    if not runs or runs[0] is None:
        raise UserError(f"no runs in {args.results}/: run `k8s-skills eval` first")
    for run in runs:
        if not (Path(run) / "scenarios").is_dir():
            raise UserError(f"{run}: not a run folder (no scenarios/ inside)")
    try:
        summary = report.write_reports(runs, args.out)
    except ValueError as err:
        raise UserError(str(err)) from err
    out = Path(args.out or runs[0])
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(_text_summary(summary))
        print(f"report: {(out / 'report.html').resolve()}")
    return 0
