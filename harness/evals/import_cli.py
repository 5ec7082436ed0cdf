"""`k8s-skills import k8s-ai-bench DIR`: peers' benchmark tasks as scenarios."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.errors import UserError


def register(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = groups.add_parser(
        "import", help="convert another benchmark's tasks into scenarios (k8s-ai-bench)",
        description="Convert task folders (task.yaml, setup.sh, verify.sh, cleanup.sh, "
                    "artifacts/) of gke-labs/k8s-ai-bench into scenario folders: namespaces "
                    "become the run's own, verify.sh becomes a check, expect/notContains "
                    "become expect/expect_not; tasks that cannot run on this cluster are "
                    "marked `unsupported` with the reason.")
    p.add_argument("format", choices=("k8s-ai-bench",))
    p.add_argument("source", type=Path, help="the benchmark's tasks/ folder (or one task)")
    p.add_argument("--out", type=Path, default=Path("scenarios-imported"),
                   help="where scenario folders go (default: ./scenarios-imported/<area>/)")
    p.add_argument("--area", default="k8s-ai-bench", help="area (folder) of the scenarios")
    p.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from harness.evals import import_bench
    if not args.source.is_dir():
        raise UserError(f"{args.source}: not a folder")
    try:
        results = import_bench.import_tasks(args.source, args.out, args.area)
    except ValueError as err:
        raise UserError(str(err)) from err
    for r in results:
        note = f"  [cannot run here: {r['unsupported']}]" if r.get("unsupported") else ""
        print(f"{r['status']:<9} {r['task']:<36} {r.get('path', '')}{note}")
    ok = sum(1 for r in results if r["status"] == "imported")
    print(f"{ok} of {len(results)} tasks imported into {args.out / args.area}; run them with "
          f"`k8s-skills eval --scenarios {args.out / args.area} --validate`", file=sys.stderr)
    return 0
