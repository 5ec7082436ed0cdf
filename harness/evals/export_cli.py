"""`k8s-skills export --format inspect RUN`: a run's records as inspect_ai eval logs."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.errors import UserError
from harness.evals import records
from harness.skillpack import plugin_eval_cli


def register(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = groups.add_parser(
        "export", help="write a run's records in another tool's format (inspect_ai), or the "
                       "Claude Code plugin-eval suite (evals/)",
        description="Convert a run folder's records into inspect_ai eval logs: one log per "
                    "agent, model and skills arm, one sample per scenario, one epoch per run, "
                    "with scores and metadata (arm, skills loaded, tokens, cost). Open them "
                    "with `inspect view --log-dir DIR`. --format claude-plugin-eval takes no RUN: "
                    "it writes evals/ for `claude plugin eval` from the sources.")
    p.add_argument("run", type=Path, nargs="?",
                   help="a run folder or RUN_ID under --results (default: the newest)")
    p.add_argument("--format", choices=("inspect", plugin_eval_cli.FORMAT), default="inspect")
    p.add_argument("--out", type=Path,
                   help="where to write (default: RUN/inspect/; for claude-plugin-eval evals/)")
    plugin_eval_cli.add_arguments(p)
    p.add_argument("--results", type=Path, default=records.RESULTS_DIR)
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == plugin_eval_cli.FORMAT:
        if args.run is not None:
            raise UserError(f"--format {plugin_eval_cli.FORMAT} exports the sources, not a run: "
                            f"drop {args.run}")
        return plugin_eval_cli.run(args.out, args.check)
    run = args.run
    if run is None:
        run = records.newest_run(args.results)
    elif not run.is_dir() and (args.results / run).is_dir():
        run = args.results / run
    if run is None or not (Path(run) / "scenarios").is_dir():
        raise UserError(f"{run}: not a run folder (no scenarios/ inside)")
    from harness.evals import export_inspect
    try:
        written = export_inspect.export(Path(run), args.out or Path(run) / "inspect")
    except ValueError as err:
        raise UserError(str(err)) from err
    for path in written:
        print(path)
    print(f"{len(written)} inspect_ai logs; view them with `inspect view --log-dir "
          f"{(args.out or Path(run) / 'inspect')}`", file=sys.stderr)
    return 0
