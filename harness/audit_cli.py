"""`k8s-skills audit`: summarise the agent's audit log (JSON Lines from the k8s-rbac guard).

    k8s-skills audit                      # the default log of the Claude Code hook
    k8s-skills audit --log run/audit.jsonl --json
"""
from __future__ import annotations

import argparse
import json
import os

from harness.errors import UserError


def register(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = groups.add_parser(
        "audit", help="summarise the agent's audit log",
        description="One line per write or destructive command the agent ran or tried: "
                    "who, what changed, the signals it cited, the guard's decision, the "
                    "result (e.g. 'scaled deployment/web in shop from 3 to 5 citing p95 latency').")
    parser.add_argument("--log", help="audit log (default: $K8S_SKILLS_AUDIT_LOG or "
                                      "~/.local/state/k8s-skills/audit.jsonl)")
    parser.add_argument("--all", action="store_true", help="include plain reads")
    parser.add_argument("--last", type=int, default=0, metavar="N",
                        help="only the last N actions")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from harness import safety
    path = args.log or safety.audit_log_path()
    if not os.path.isfile(path):
        raise UserError(f"audit log {path}: no such file (the guard writes it; pass --log)")
    summary = safety.summarise(safety.read_audit_log(path), include_reads=args.all)
    if args.last > 0:
        summary["actions"] = summary["actions"][-args.last:]
    if args.json:
        print(json.dumps({"schema_version": 1, "log": path, **summary}, indent=2))
    else:
        print(safety.render_summary(summary))
    return 0
