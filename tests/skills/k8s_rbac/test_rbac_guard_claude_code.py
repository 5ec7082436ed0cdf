"""The hook in the real Claude Code CLI (bundled with the Agent SDK), on the local fake API.

Each run plays one scripted Bash call and looks at the file system: the command ran or it
did not. Ground truth is the CLI's own behaviour: an `ask` from the hook is a permission
denial in print mode, a crashing or hanging hook blocks only with `onFailure: block` (or
the `|| exit 2` the shipped hook command adds).
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from harness.evals.fake_api import FakeAnthropicAPI
from tests.skill_scripts import ROOT

GUARD = ROOT / "skills" / "k8s-rbac" / "scripts" / "guard_command.py"
HOOKS = json.loads((ROOT / "skills" / "k8s-rbac" / "hooks" / "settings-snippet.json")
                   .read_text())["hooks"]


def _cli() -> Path | None:
    try:
        import claude_agent_sdk
    except ImportError:
        return None
    path = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    return path if path.exists() else None


CLI = _cli()
pytestmark = pytest.mark.skipif(CLI is None, reason="the Agent SDK's bundled CLI is missing")


def run_claude(tmp_path: Path, command: str, hook: dict) -> dict:
    project, home = tmp_path / "project", tmp_path / "home"
    (project / ".claude").mkdir(parents=True)
    (home / ".claude").mkdir(parents=True)
    settings = {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [hook]}]}}
    (project / ".claude" / "settings.json").write_text(json.dumps(settings))
    with FakeAnthropicAPI([{"bash": command}, {"say": "done"}]) as api:
        env = {"PATH": os.environ["PATH"], "HOME": str(home),
               "CLAUDE_CONFIG_DIR": str(home / ".claude"), "ANTHROPIC_BASE_URL": api.url,
               "ANTHROPIC_API_KEY": "scripted", "CLAUDE_CODE_MAX_RETRIES": "0",
               "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_TELEMETRY": "1",
               "DISABLE_ERROR_REPORTING": "1", "DISABLE_AUTOUPDATER": "1",
               "K8S_SKILLS_AUDIT_LOG": str(tmp_path / "audit.jsonl")}
        proc = subprocess.run([str(CLI), "-p", "fix the cluster", "--output-format", "json",
                               "--allowedTools", "Bash", "--setting-sources", "project",
                               "--model", "scripted", "--max-turns", "3"],
                              cwd=project, env=env, capture_output=True, text=True,
                              timeout=240)
        results = [block for request in api.main_requests()
                   for message in request["messages"] if message["role"] == "user"
                   and isinstance(message["content"], list)
                   for block in message["content"] if block.get("type") == "tool_result"]
    assert proc.returncode == 0, proc.stderr[-800:]
    return {"project": project, "result": json.loads(proc.stdout), "tool_results": results}


def guard_hook(**extra) -> dict:
    """The shipped hook command, pointed at this checkout's guard."""
    shipped = HOOKS["PreToolUse"][0]["hooks"][0]
    command = shipped["command"].replace(
        '"$CLAUDE_PROJECT_DIR/.claude/skills/k8s-rbac/scripts/guard_command.py"',
        f'"{GUARD}"')
    return {**shipped, "command": command, **extra}


def test_an_asked_command_does_not_run(tmp_path):
    run = run_claude(tmp_path, "touch asked.txt", guard_hook())
    assert not (run["project"] / "asked.txt").exists()
    denials = run["result"]["permission_denials"]
    assert [d["tool_input"]["command"] for d in denials] == ["touch asked.txt"]
    assert "k8s-rbac guard: ASK" in run["tool_results"][0]["content"]


def test_a_denied_command_does_not_run(tmp_path):
    run = run_claude(tmp_path, "echo '{}' > .claude/settings.local.json", guard_hook())
    assert not (run["project"] / ".claude" / "settings.local.json").exists()
    assert "k8s-rbac guard: DENY" in run["tool_results"][0]["content"]


def test_an_allowed_command_runs(tmp_path):
    run = run_claude(tmp_path, "echo ok > allowed.txt", guard_hook())
    assert (run["project"] / "allowed.txt").read_text() == "ok\n"
    assert run["result"]["permission_denials"] == []


def test_a_crashing_hook_blocks_with_on_failure_block(tmp_path):
    hook = {"type": "command", "command": "exit 1", "timeout": 10, "onFailure": "block"}
    run = run_claude(tmp_path, "echo ran > crashed.txt", hook)
    assert not (run["project"] / "crashed.txt").exists()


def test_a_crashing_hook_blocks_through_exit_2_alone(tmp_path):
    """Older Claude Code versions ignore onFailure: the shipped `|| exit 2` still blocks."""
    hook = {"type": "command", "command": "python3 /nonexistent/guard_command.py --hook "
                                          "|| exit 2", "timeout": 10}
    run = run_claude(tmp_path, "echo ran > crashed.txt", hook)
    assert not (run["project"] / "crashed.txt").exists()


def test_without_either_a_crashing_hook_fails_open(tmp_path):
    """Why both are needed: exit 1 alone lets the command run."""
    run = run_claude(tmp_path, "echo ran > open.txt",
                     {"type": "command", "command": "exit 1", "timeout": 10})
    assert (run["project"] / "open.txt").exists()


def test_a_hanging_hook_blocks(tmp_path):
    hook = {"type": "command", "command": "sleep 60", "timeout": 2, "onFailure": "block"}
    run = run_claude(tmp_path, "echo ran > hung.txt", hook)
    assert not (run["project"] / "hung.txt").exists()
