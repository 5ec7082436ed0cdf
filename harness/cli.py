"""`k8s-skills`: the local cluster, the skills' build and install channels, the eval suite.

Each command group lives in its own module and registers itself here; this module only
parses arguments and turns UserError into one line on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import sys

from harness.errors import UserError

EPILOG = """examples:
  k8s-skills cluster up            build (once, cached) and start the local cluster
  eval "$(k8s-skills cluster env)" point kubectl at it
  k8s-skills cluster status        health of every component
  k8s-skills skills build          write dist/skills/<name>/ and <name>.zip
  k8s-skills cluster down          stop everything and remove the cluster's state
"""


def build_parser() -> argparse.ArgumentParser:
    from harness.cluster import cli as cluster_cli
    parser = argparse.ArgumentParser(
        prog="k8s-skills", description=__doc__.splitlines()[0],
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    groups = parser.add_subparsers(dest="group", metavar="COMMAND", required=True)
    cluster_cli.register(groups)
    for name in ("harness.skillpack.cli", "harness.evals.cli", "harness.audit_cli", "agent.cli",
                 "agent.mcp_gateway.cli"):
        _register_optional(groups, name)
    return parser


def _register_optional(groups: argparse._SubParsersAction[argparse.ArgumentParser],
                       module_name: str) -> None:
    """Command groups that later issues add register themselves when present."""
    import importlib
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name and module_name.startswith(err.name):
            return
        raise
    module.register(groups)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
