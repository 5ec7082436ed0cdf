#!/usr/bin/env python3
"""ESTIMATE of what `k8s-skills eval --agent claude-code --skills both` costs, per arm.

Reads a scripted run (`k8s-skills eval --agent claude-code --scripted --skills both
--epochs 1`): the prompt sizes Claude Code really sent (its system prompt and tools, the
skill listing, loaded SKILL.md files, real kubectl output), per arm. Turns per run and
output per turn are assumptions (a model's, not the script's); the estimate is printed for
each, with the price table's date. See harness/evals/estimate.py for the formula.

    .venv/bin/python benchmarks/eval_cost_estimate.py RUN_DIR... [--model M] [--scenarios N]
        [--epochs 5] [--turns 8,15,25] [--output-per-turn 1500]
Exit code 0 when both arms were measured, 1 otherwise (nothing to estimate from).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.evals import estimate, pricing, records, scenario
from harness.evals.agents.base import DEFAULT_MODEL


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=Path, nargs="+", help="scripted claude-code run folders")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--scenarios", type=int, default=None,
                        help="scenarios in the comparison (default: the suite's runnable ones)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--turns", default="8,15,25",
                        help="turns per run to estimate for (comma-separated)")
    parser.add_argument("--output-per-turn", type=int, default=1500,
                        help="tokens a model writes per turn, thinking included")
    args = parser.parse_args(argv)
    runs = [r for run in args.runs for r in records.read_run(run) if r.scripted
            and r.agent == "claude-code" and r.status != "error"]
    count = args.scenarios or sum(1 for s in scenario.discover() if not s.unsupported)
    print(f"ESTIMATE (not a measurement of a model): {args.model}, {count} scenarios x 2 arms x "
          f"{args.epochs} epochs = {count * 2 * args.epochs} runs; prices of "
          f"{pricing.AS_OF}; output {args.output_per_turn} tokens/turn assumed")
    profiles = [estimate.profile(runs, arm) for arm in ("on", "off")]
    for p in profiles:
        if p is None:
            continue
        print(f"  measured, skills {p.arm}: {p.runs} scripted runs, first prompt "
              f"{p.first_prompt:,.0f} tokens, +{p.growth:,.0f} tokens/turn "
              f"(scripts took {p.turns:.1f} turns)")
    if any(p is None for p in profiles):
        print("no scripted claude-code records of both arms in", *args.runs, file=sys.stderr)
        return 1
    print(f"  {'turns/run':>9}  {'skills on':>10}  {'skills off':>10}  {'total':>10}")
    for turns in (int(t) for t in args.turns.split(",")):
        usd = [estimate.suite_cost(p, args.model, turns, args.output_per_turn,
                                   count * args.epochs) for p in profiles]
        if None in usd:
            print(f"{args.model} is not in the price table", file=sys.stderr)
            return 1
        print(f"  {turns:>9}  {usd[0]:>10,.2f}  {usd[1]:>10,.2f}  {sum(usd):>10,.2f}  USD")
    return 0


if __name__ == "__main__":
    sys.exit(main())
