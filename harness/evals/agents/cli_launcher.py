"""Start the Claude Code CLI with an explicit environment (see claude_env.write_launcher).

    python -I -m harness.evals.agents.cli_launcher NAMES_JSON CLI [CLI ARGS...]
"""
from __future__ import annotations

import json
import os
import sys

from harness.evals.agents.claude_env import filtered


def main(argv: list[str]) -> None:
    names_file, cli, *args = argv
    with open(names_file, encoding="utf-8") as fh:
        keep = set(json.load(fh))
    os.execve(cli, [cli, *args], filtered(dict(os.environ), keep))


if __name__ == "__main__":
    main(sys.argv[1:])
