"""The Claude Code CLI bundled with the Claude Agent SDK, run in a private home folder.

Used to check the plugin with Claude Code's own tools (`claude plugin validate | details |
list | eval`). Every run gets a throwaway HOME and CLAUDE_CONFIG_DIR, so a user's settings,
plugins and credentials are never read or written, and an environment built from scratch:
the caller's ANTHROPIC_* variables are not inherited. Model traffic goes to `base_url`
(a local fake API in tests); without one it goes to a closed local port, so a command that
unexpectedly calls a model fails on this machine instead of reaching the network.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UserError

# Keep the CLI on the API endpoint only (no telemetry, error reports, update checks).
QUIET = {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_TELEMETRY": "1",
         "DISABLE_ERROR_REPORTING": "1", "DISABLE_AUTOUPDATER": "1",
         "CLAUDE_CODE_MAX_RETRIES": "0"}
CLOSED_PORT = "http://127.0.0.1:9"  # discard port: nothing listens, the call fails locally


def bundled_cli() -> Path:
    """`claude_agent_sdk/_bundled/claude`, the CLI the pinned SDK ships."""
    try:
        import claude_agent_sdk
    except ImportError as err:
        raise UserError("the Claude Code CLI comes with the claude-agent-sdk package: "
                        ".venv/bin/pip install 'claude-agent-sdk>=0.2.180'") from err
    path = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    if not path.is_file():
        raise UserError(f"{path}: claude-agent-sdk has no bundled CLI on this platform")
    return path


def version() -> str:
    return (bundled_cli().parent / "claude.version").read_text(encoding="utf-8").strip()


@dataclass
class ClaudeCLI:
    """One isolated Claude Code installation: `home` holds its settings and plugins."""
    home: Path
    base_url: str = CLOSED_PORT
    api_key: str = "not-a-key"

    def env(self) -> dict[str, str]:
        config = self.home / ".claude"
        config.mkdir(parents=True, exist_ok=True)
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
                "HOME": str(self.home), "CLAUDE_CONFIG_DIR": str(config),
                "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
                "ANTHROPIC_BASE_URL": self.base_url, "ANTHROPIC_API_KEY": self.api_key,
                **QUIET}

    def run(self, *args: str, cwd: Path | None = None, timeout: float = 300,
            check: bool = True) -> subprocess.CompletedProcess[str]:
        """`claude <args>`; with `check`, a non-zero exit raises with the CLI's own words."""
        proc = subprocess.run([str(bundled_cli()), *args], cwd=cwd or self.home,
                              env=self.env(), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise CLIError(args, proc)
        return proc


class CLIError(Exception):
    def __init__(self, args: tuple[str, ...], proc: subprocess.CompletedProcess[str]):
        super().__init__(f"claude {' '.join(args)} exited {proc.returncode}:\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        self.proc = proc
