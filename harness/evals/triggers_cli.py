"""`k8s-skills eval --triggers`: run the skill-trigger suite and print precision, recall and
the confusion between skills; results go to results/<run-id>/triggers.json."""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from harness.errors import UserError
from harness.evals import records, triggers

if TYPE_CHECKING:
    from harness.evals.fake_api import FakeAnthropicAPI


def run(args: argparse.Namespace) -> int:
    items = triggers.load()
    if args.filter:
        words = args.filter.lower().split()
        items = [i for i in items if all(w in f"{i.id} {i.kind} {' '.join(i.expect)}".lower()
                                         for w in words)]
    if not items:
        raise UserError(f"no trigger prompt matches -k {args.filter!r}")
    if not args.scripted and not os.environ.get("ANTHROPIC_API_KEY"):
        raise UserError("--triggers sends each prompt to Claude Code: set ANTHROPIC_API_KEY "
                        "(or --scripted for the keyword baseline on a local fake API)")
    from harness.evals.agents.claude_env import sandbox_problem
    if sandbox_problem():
        raise UserError(sandbox_problem())
    skills = _skill_names()
    epochs = args.epochs or 1
    run_id = records.safe_run_id(args.run_id or f"{datetime.now():%Y%m%d-%H%M%S}-triggers")
    run_dir = Path(args.results) / run_id
    print(f"[k8s-skills eval] {len(items)} trigger prompts x {epochs}, {args.trigger_turns} "
          f"turn(s) each, {args.parallel} at a time"
          + ("; SCRIPTED keyword baseline on a fake API" if args.scripted else ""),
          file=sys.stderr, flush=True)
    results = _run_all(items, args, epochs)
    summary = triggers.score(results, skills)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "triggers.json").write_text(json.dumps(
        {"schema_version": 1, "run_id": run_id, "model": args.model,
         "scripted": bool(args.scripted), "turns": args.trigger_turns, "epochs": epochs,
         "summary": summary, "results": results}, indent=1) + "\n")
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(triggers.render(summary, skills, bool(args.scripted)))
        print(f"results: {(run_dir / 'triggers.json').resolve()}")
    return 0


def _run_all(items: list[triggers.TriggerPrompt], args: argparse.Namespace,
             epochs: int) -> list[dict[str, Any]]:
    from harness.evals.fake_api import FakeAnthropicAPI
    fake = FakeAnthropicAPI([{"say": "Done."}], triggers=triggers.KEYWORD_BASELINE) \
        if args.scripted else None
    if fake:
        fake.start()
    try:
        jobs = [(item, epoch) for epoch in range(1, epochs + 1) for item in items]
        with ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
            return list(pool.map(lambda job: _one(job, args, fake), jobs))
    finally:
        if fake:
            fake.stop()


def _one(job: tuple[triggers.TriggerPrompt, int], args: argparse.Namespace,
         fake: FakeAnthropicAPI | None) -> dict[str, Any]:
    item, epoch = job
    result = triggers.run_prompt(item, args.model, args.trigger_turns,
                                 fake.url if fake else None, epoch=epoch)
    loaded = ", ".join(result["loaded"]) or "none"
    print(f"  {result['status']:<5} {item.id:<26} loaded {loaded} (expected "
          f"{', '.join(item.expect) or 'none'})", file=sys.stderr, flush=True)
    return result


def _skill_names() -> list[str]:
    from harness.skillpack import skills as skillpack
    return sorted(s.name for s in skillpack.discover())
