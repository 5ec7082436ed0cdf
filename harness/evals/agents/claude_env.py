"""The Claude Code CLI's environment: explicit, and scrubbed below it.

Two layers keep the harness's environment (ANTHROPIC_API_KEY, cloud credentials, the
user's KUBECONFIG, ...) away from the agent's shell:
1. The SDK starts the CLI with the parent's whole environment plus `options.env`, so the
   CLI is started through a small launcher (`cli_path`) that execs it with exactly the
   variables the harness chose and the SDK's own protocol variables, nothing inherited.
2. CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1 makes Claude Code strip its credentials from every
   subprocess and run Bash inside bubblewrap (pid namespace: no /proc/<cli>/environ), which
   on Linux needs `bwrap` and `socat` on PATH (Debian packages bubblewrap and socat).
"""
from __future__ import annotations

from typing import Mapping
import json
import os
import shutil
import sys
from pathlib import Path

from harness.errors import UserError

SCRUB = "CLAUDE_CODE_SUBPROCESS_ENV_SCRUB"
# Keep the CLI on the API endpoint only; bundled skills off in both arms so that the
# skills arm differs from the other by our skills alone.
QUIET = {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_TELEMETRY": "1",
         "DISABLE_ERROR_REPORTING": "1", "DISABLE_AUTOUPDATER": "1",
         "CLAUDE_CODE_DISABLE_BUNDLED_SKILLS": "1", SCRUB: "1"}
# Variables the SDK sets for its protocol with the CLI (subprocess_cli.py in 0.2.189).
SDK_OWN = ("CLAUDE_CODE_ENTRYPOINT", "CLAUDE_CODE_SDK_READS_SESSION_STATE",
           "CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING", "PWD", "TRACEPARENT", "TRACESTATE")
SDK_PREFIX = "CLAUDE_AGENT_SDK_"
CREDENTIALS = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
               "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "AWS_REGION",
               "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
               "ANTHROPIC_VERTEX_PROJECT_ID", "CLOUD_ML_REGION", "GOOGLE_APPLICATION_CREDENTIALS")


def sandbox_problem() -> str | None:
    """Why Claude Code cannot scrub its subprocesses here, or None."""
    if not sys.platform.startswith("linux"):
        return None
    missing = [tool for tool in ("bwrap", "socat") if shutil.which(tool) is None]
    if missing:
        return (f"Claude Code needs {' and '.join(missing)} to keep the API key out of the "
                "agent's shell (CLAUDE_CODE_SUBPROCESS_ENV_SCRUB): install the Debian "
                "packages bubblewrap and socat (`apt-get install -y bubblewrap socat`)")
    return None


def cli_env(shell_env: Mapping[str, str], home: Path, base_url: str | None) -> dict[str, str]:
    """Everything the CLI process gets: the agent shell's variables, the CLI's settings and
    the credentials the harness passes on (a scripted key for the fake API)."""
    (home / ".claude").mkdir(parents=True, exist_ok=True)
    env = {**shell_env, **QUIET, "HOME": str(home), "CLAUDE_CONFIG_DIR": str(home / ".claude")}
    if base_url:
        env.update({"ANTHROPIC_BASE_URL": base_url, "ANTHROPIC_API_KEY": "scripted",
                    "CLAUDE_CODE_MAX_RETRIES": "0"})
        return env
    for name in CREDENTIALS:
        if os.environ.get(name):
            env[name] = os.environ[name]
    if not any(env.get(n) for n in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN",
                                     "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX")):
        raise UserError("--agent claude-code needs ANTHROPIC_API_KEY (or --scripted to play "
                        "the scenarios' scripted turns on a local fake API)")
    return env


def bundled_cli() -> str:
    import claude_agent_sdk
    path = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    if path.is_file():
        return str(path)
    found = shutil.which("claude")
    if not found:
        raise UserError("no Claude Code CLI: claude-agent-sdk's bundled one is missing and "
                        "`claude` is not on PATH")
    return found


def write_launcher(folder: Path, keep: list[str], cli: str | None = None) -> Path:
    """An executable that starts the CLI with only `keep` and the SDK's own variables.

    Only variable *names* are written to disk; values arrive in the launcher's environment
    from the SDK (which merged options.env over the harness's) and are filtered there."""
    folder.mkdir(parents=True, exist_ok=True)
    names = folder / "cli-env-names.json"
    names.write_text(json.dumps(sorted(set(keep))))
    launcher = folder / "claude"
    launcher.write_text(f"#!/bin/sh\nexec {_quote(sys.executable)} -I -m "
                        f"harness.evals.agents.cli_launcher {_quote(str(names))} "
                        f"{_quote(cli or bundled_cli())} \"$@\"\n")
    launcher.chmod(0o700)
    return launcher


def filtered(environ: Mapping[str, str], keep: set[str]) -> dict[str, str]:
    """The variables the CLI may see.

    >>> sorted(filtered({"A": "1", "SECRET": "x", "CLAUDE_AGENT_SDK_VERSION": "0.2",
    ...                  "CLAUDE_CODE_ENTRYPOINT": "sdk-py"}, {"A"}))
    ['A', 'CLAUDE_AGENT_SDK_VERSION', 'CLAUDE_CODE_ENTRYPOINT']
    """
    return {k: v for k, v in environ.items()
            if k in keep or k in SDK_OWN or k.startswith(SDK_PREFIX)}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"
