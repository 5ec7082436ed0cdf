"""`--guard enforce`: the k8s-rbac guard as the agent's PreToolUse hook in both backends.

Scripted turns on the local fake Anthropic API (not a model's result): the agent tries a
command the guard allows, one it asks about and one it denies; only the first runs, and
every verdict is in the transcript.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from harness.evals.agents.base import AgentContext
from harness.evals.agents.messages import MessagesAgent
from harness.evals.fake_api import FakeAnthropicAPI
from harness.evals.shell import Shell

STEPS = [{"bash": "echo ok > allowed.txt"}, {"bash": "touch asked.txt"},
         {"bash": "echo '{}' > .claude/settings.local.json"}, {"say": "done"}]


def context(tmp_path: Path, url: str, guard: str) -> tuple[AgentContext, list]:
    (tmp_path / ".claude").mkdir()
    transcript: list = []
    shell = Shell({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home")}, tmp_path,
                  transcript)
    ctx = AgentContext(scenario=SimpleNamespace(id="guard"), prompt="fix it", sandbox=None,
                       kube=None, shell=shell, workdir=tmp_path, skills=False,
                       model="scripted", budgets={"turns": 10, "tokens": 100000,
                                                  "wall_time": 240},
                       render=str, base_url=url, guard=guard)
    return ctx, transcript


def verdicts(transcript: list) -> list[tuple[str, str]]:
    return [(e["command"], e["decision"]) for e in transcript if e["type"] == "guard"]


def test_messages_backend_runs_only_what_the_guard_allows(tmp_path):
    with FakeAnthropicAPI(STEPS) as api:
        ctx, transcript = context(tmp_path, api.url, "enforce")
        MessagesAgent().run(ctx)
    assert (tmp_path / "allowed.txt").exists()
    assert not (tmp_path / "asked.txt").exists()
    assert not (tmp_path / ".claude" / "settings.local.json").exists()
    assert [d for _, d in verdicts(transcript)] == ["allow", "ask", "deny"]
    ran = [e["command"] for e in transcript if e["type"] == "command"]
    assert ran == ["echo ok > allowed.txt"]


def test_review_mode_runs_everything_and_judges_nothing_before(tmp_path):
    with FakeAnthropicAPI(STEPS) as api:
        ctx, transcript = context(tmp_path, api.url, "review")
        MessagesAgent().run(ctx)
    assert (tmp_path / "asked.txt").exists() and verdicts(transcript) == []


def test_claude_code_backend_gets_the_guard_as_its_hook(tmp_path):
    from harness.evals.agents.claude_code import ClaudeCodeAgent
    with FakeAnthropicAPI(STEPS) as api:
        ctx, transcript = context(tmp_path, api.url, "enforce")
        ClaudeCodeAgent().run(ctx)
    assert (tmp_path / "allowed.txt").exists()
    assert not (tmp_path / "asked.txt").exists()
    assert not (tmp_path / ".claude" / "settings.local.json").exists()
    assert [d for _, d in verdicts(transcript)] == ["allow", "ask", "deny"]
