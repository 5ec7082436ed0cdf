"""Run one skill script the way a person would: `--json`, a paste on stdin (`-f -`) or the
live cluster through kubectl, and turn its exit code into a result or a one-line error.

The scripts' contract (every skill's --help): exit 0 nothing found, 1 findings, 2 bad
usage or input with one line on stderr. Exit 2 becomes a ToolError (the MCP result then
has isError set), never a crash of the server.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp.server.mcpserver.exceptions import ToolError

from harness.skillpack.skills import Skill

TIMEOUT_SECONDS = 300.0
PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "KUBECONFIG", "KUBECTL")


@dataclass(frozen=True)
class ScriptRun:
    skill: str
    script: str
    argv: list[str]
    exit_code: int
    report: dict[str, Any]
    mode: str  # "live" (kubectl against the cluster) or "paste"


@dataclass
class Runner:
    skills: dict[str, Skill]
    kubeconfig: str = ""          # the identity live mode reads with ('' = inherited)
    timeout: float = TIMEOUT_SECONDS
    python: str = sys.executable
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in PASSED_ENV}
        if self.kubeconfig:
            env["KUBECONFIG"] = self.kubeconfig
        env.update(self.extra_env)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def script_path(self, skill: str, script: str) -> Path:
        found = self.skills.get(skill)
        path = found.path / "scripts" / script if found else None
        if path is None or not path.is_file():
            raise ToolError(f"{skill}/scripts/{script} is not installed in this server's "
                            "skills folder")
        return path

    async def run(self, skill: str, script: str, argv: list[str],
                  paste: str = "") -> ScriptRun:
        """Run `script` with `argv` + --json; `paste` goes to stdin (argv must read `-`);
        without one the script reads the live cluster."""
        command = [self.python, str(self.script_path(skill, script)), *argv, "--json"]
        try:
            # a private working folder: whatever kubectl or a script leaves (kubectl's
            # cache lands in ./.kube when HOME is unset) never lands in the skills folder
            with tempfile.TemporaryDirectory(prefix="mcp-run-") as workdir, \
                    anyio.fail_after(self.timeout):
                done = await anyio.run_process(
                    command, input=paste.encode(), check=False, env=self.env(), cwd=workdir)
        except TimeoutError:
            raise ToolError(f"{script} took longer than {self.timeout:.0f} s; narrow it "
                            "(a namespace, a name) or pass a dump") from None
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode not in (0, 1):
            raise ToolError(f"{script}: {last_line(stderr) or f'exit {done.returncode}'}")
        try:
            report = json.loads(done.stdout)
        except ValueError:
            raise ToolError(f"{script} printed no JSON document (exit {done.returncode}): "
                            f"{last_line(stderr)}") from None
        return ScriptRun(skill, script, argv, done.returncode, report,
                         "paste" if paste else "live")


def last_line(text: str) -> str:
    """The line that says what went wrong (argparse prints usage first, the error last).

    >>> last_line("usage: x.py [-h]\\nx.py: error: argument -n: expected one argument\\n")
    'x.py: error: argument -n: expected one argument'
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:500] if lines else ""
