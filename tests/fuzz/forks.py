"""Client of script_server.py: call a script's or a CLI's main(argv) in a forked child and
check the contract every entry point keeps on any input: exit 0, 1 or 2 (2 with one
`error:` line), no traceback, no hang."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).with_name("script_server.py")
EXIT_CODES = {0, 1, 2}

settings.register_profile("fuzz-ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck),
                          phases=[Phase.explicit, Phase.generate])  # no shrinking in CI:
# a hang shrunk is one 60 s timeout per step; the failure prints its input anyway
settings.register_profile("fuzz-long", max_examples=1000, deadline=None,
                          suppress_health_check=list(HealthCheck))
# CI: the same 25 examples per entry point on every run; `HYPOTHESIS_PROFILE=fuzz-long`
# explores (random, 1,000 each) when hunting.
PROFILE = settings.get_profile("fuzz-long" if os.environ.get("HYPOTHESIS_PROFILE")
                               == "fuzz-long" else "fuzz-ci")


class ForkServer:
    """One script_server.py subprocess that imported `targets` once."""

    def __init__(self, home: Path, targets: list[str], extra_env: dict | None = None):
        env = {"PATH": "/nonexistent", "HOME": str(home), "LANG": "C.UTF-8",
               "K8S_SKILLS_AUDIT_LOG": str(home / "audit.jsonl"),
               "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT), **(extra_env or {})}
        self.proc = subprocess.Popen([sys.executable, str(SERVER), *targets],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env, cwd=str(home))
        assert json.loads(self.proc.stdout.readline()) == {"ready": True}

    def call(self, target: str, argv: list[str], stdin: str | None, stderr: Path,
             timeout: float = 60) -> dict:
        request = {"script": target, "argv": argv, "stdin": stdin, "stderr": str(stderr),
                   "timeout": timeout}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        reply["stderr"] = stderr.read_text(encoding="utf-8", errors="replace") \
            if stderr.exists() else ""
        return reply

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def check(self, target: str, argv: list[str], stdin: str | None, stderr: Path,
              shown, prefix: str = "error: ") -> dict:
        """Call and assert the contract; `shown` is what a failure prints of the input,
        `prefix` how the one line on exit 2 starts (a Claude Code hook blocks with its own)."""
        reply = self.call(target, argv, stdin, stderr)
        name = f"{Path(target).name} {' '.join(argv)[:300]}"
        assert not reply["timeout"], f"{name}: no answer in 60 s on {shown!r}"
        assert "Traceback" not in reply["stderr"], \
            f"{name} on {shown!r}:\n{reply['stderr'][-3000:]}"
        assert reply["code"] in EXIT_CODES, \
            f"{name}: exit {reply['code']} on {shown!r}\n{reply['stderr'][-1000:]}"
        if reply["code"] == 2:
            lines = [line for line in reply["stderr"].split("\n") if line.strip()]
            # argparse's own usage errors end in `PROG: error: ...` after the usage line
            assert lines and (lines[-1].startswith(prefix) or re.match(
                r"k8s-skills[ a-z-]*: error: ", lines[-1])), (name, reply["stderr"][-500:])
        return reply
