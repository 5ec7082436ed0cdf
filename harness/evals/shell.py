"""The one way agents touch the cluster: bash with KUBECONFIG set, every command recorded.

The environment is built, not inherited: the harness's own secrets (ANTHROPIC_API_KEY)
never reach a command an agent runs.
"""
from __future__ import annotations

from typing import Any, Mapping
import os
import subprocess
import time
from pathlib import Path

MAX_OUTPUT = 16_000
PASS_THROUGH = ("LANG", "LC_ALL", "TERM", "TZ", "PYENV_ROOT", "PYENV_VERSION", "TMPDIR")


def base_env(kube_env: Mapping[str, str], sandbox_env: Mapping[str, str],
             home: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in PASS_THROUGH if k in os.environ}
    if "PYENV_ROOT" not in env and (Path.home() / ".pyenv").is_dir():
        env["PYENV_ROOT"] = str(Path.home() / ".pyenv")  # pyenv shims look under $HOME
    env.update(kube_env)
    env.update(sandbox_env)
    env["HOME"] = str(home)
    env.setdefault("LANG", "C.UTF-8")
    return env


def clip(text: str, limit: int = MAX_OUTPUT) -> str:
    """Head and tail of a long output, saying how much was cut.

    >>> clip("a" * 10 + "b" * 10, 10)
    'aaaaa\\n[... 10 characters cut ...]\\nbbbbb'
    """
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n[... {len(text) - 2 * half} characters cut ...]\n{text[-half:]}"


class Shell:
    def __init__(self, env: dict[str, str], cwd: Path, transcript: list[dict[str, Any]],
                 timeout: float = 90):
        self.env, self.cwd, self.transcript, self.timeout = env, Path(cwd), transcript, timeout
        self.started = time.monotonic()

    def elapsed(self) -> float:
        """Seconds since the shell was made (the agent's start): each timeline entry's `t`."""
        return round(time.monotonic() - self.started, 3)

    def run(self, command: str, source: str = "agent",
            timeout: float | None = None) -> dict[str, Any]:
        """Run `bash -c command`; returns and records {command, exit_code, output, seconds}."""
        start, t = time.monotonic(), self.elapsed()
        try:
            proc = subprocess.run(["bash", "-c", command], cwd=self.cwd, env=self.env,
                                  capture_output=True, text=True,
                                  timeout=timeout or self.timeout)
            code, output = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as err:
            code = 124
            output = f"{_text(err.stdout)}{_text(err.stderr)}\n[timed out after " \
                     f"{timeout or self.timeout:.0f}s]"
        entry = {"type": "command", "source": source, "command": command, "exit_code": code,
                 "output": clip(output), "seconds": round(time.monotonic() - start, 3), "t": t}
        self.transcript.append(entry)
        return entry

    def note(self, kind: str, **fields: object) -> None:
        """Record something that is not a command (assistant text, a skill load, ...)."""
        self.transcript.append({"type": kind, "t": self.elapsed(), **fields})


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value
