"""`k8s-skills export --format claude-plugin-eval`: write evals/ for `claude plugin eval`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from harness.errors import UserError

FORMAT = "claude-plugin-eval"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help=f"{FORMAT}: exit 1 when evals/ differs from what would be written")


def run(out: Path | None, check: bool) -> int:
    from harness.skillpack import plugin_eval
    out = Path(out) if out else plugin_eval.EVALS_DIR
    try:
        suite = plugin_eval.build(out=out)
    except (OSError, KeyError, ValueError, yaml.YAMLError) as err:
        raise UserError(f"plugin-eval sources: {err}") from err
    for item in suite.skipped:
        print(f"not exported: {item.source}: {item.reason}", file=sys.stderr)
    kinds: dict[str, int] = {}
    for case in suite.cases:
        kinds[case.kind] = kinds.get(case.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
    if check:
        outdated = plugin_eval.stale(suite, out)
        for rel in outdated[:20]:
            print(f"{out / rel} is stale", file=sys.stderr)
        if outdated:
            print(f"{len(outdated)} file(s) stale: run `k8s-skills export --format {FORMAT}` "
                  "and commit the result", file=sys.stderr)
            return 1
        print(f"{out}: {len(suite.cases)} cases ({summary}) up to date")
        return 0
    written, removed = plugin_eval.write(suite, out)
    print(f"{out}: {len(suite.cases)} cases ({summary}); {len(written)} file(s) written, "
          f"{len(removed)} removed")
    return 0

