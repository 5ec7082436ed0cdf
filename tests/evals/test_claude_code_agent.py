"""The claude-code backend against the local fake Anthropic API, with the real Claude Code CLI
bundled in claude-agent-sdk (no cluster: the shell runs plain commands). Scripted turns,
never a model's result."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.evals import instructions, pricing, scoring
from harness.evals.agents.base import AgentContext
from harness.evals.errors import ApiError
from harness.evals.fake_api import FakeAnthropicAPI
from harness.evals.model import CheckResult
from harness.evals.shell import Shell

pytestmark = pytest.mark.timeout(900)

HARNESS_KEY = "sk-ant-harness-secret-0123456789"
MARKER = "K8S_SKILLS_HARNESS_ONLY"
ENV_PROBE = ("env | sort; echo '--- environ files holding the key:'; "
             f"grep -l -a {HARNESS_KEY[:14]} /proc/[0-9]*/environ 2>/dev/null; echo '--- end'")


def _skills(tmp_path: Path) -> Path:
    skill = tmp_path / "skills" / "demo-skill"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: demo-skill\ndescription: Demo things. Use it "
                                    "for demos.\n---\n# DEMO BODY\nRun echo.\n")
    (tmp_path / "skills" / "_shared" / "k8s_skillkit").mkdir(parents=True)
    return tmp_path / "skills"


def _context(tmp_path: Path, api, skills: bool, turns: int, guard: str = "review",
             followups=()) -> AgentContext:
    work = tmp_path / "work"
    work.mkdir()
    shell = Shell({"PATH": "/usr/local/bin:/usr/bin:/bin", "NS": "ns-1",
                   "HOME": str(work / ".home"), "LANG": "C.UTF-8"}, work, [])
    return AgentContext(
        scenario=SimpleNamespace(id="demo"), prompt="fix it please", sandbox=None, kube=None,
        shell=shell, workdir=work, skills=skills, model="claude-sonnet-4-5",
        budgets={"turns": turns, "tokens": 1_000_000, "wall_time": 600}, render=str,
        base_url=api.url, skills_source=_skills(tmp_path), guard=guard,
        private_dir=tmp_path / "private", followups=list(followups))


def _run(ctx):
    from harness.evals.agents.claude_code import ClaudeCodeAgent
    return ClaudeCodeAgent().run(ctx)


@pytest.fixture
def harness_secrets(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", HARNESS_KEY)
    monkeypatch.setenv(MARKER, "must-not-leak")


def test_skills_on_run_records_what_a_user_would_check(tmp_path, harness_secrets):
    script = [{"skill": "demo-skill", "text": "Loading the skill."},
              {"bash": ENV_PROBE},
              {"bash": "kubectl delete namespace prod"},
              {"read": str(tmp_path / "work" / ".claude/skills/demo-skill/SKILL.md")},
              {"say": "Fixed: the demo is done."},
              {"say": "Nothing else to change."}]
    with FakeAnthropicAPI(script) as api:
        ctx = _context(tmp_path, api, skills=True, turns=10, guard="supervised",
                       followups=["anything else?"])
        out = _run(ctx)
        bodies = api.main_requests()
    transcript = ctx.shell.transcript
    commands = [e for e in transcript if e["type"] == "command"]
    probe = commands[0]["output"]
    # the agent's shell: none of the harness's environment, no key, no /proc way to it
    assert "ANTHROPIC_API_KEY" not in probe and MARKER not in probe
    assert HARNESS_KEY not in probe
    assert probe.split("holding the key:")[1].split("--- end")[0].strip() == ""
    assert "NS=ns-1" in probe and "PATH=" in probe
    # skills: discovered by the CLI, listed, loaded through Skill and through Read
    assert "demo-skill" in out.skills_discovered and "demo-skill" in out.skills_offered
    assert out.skills_loaded == ["demo-skill"]
    assert {(e["name"], e["via"]) for e in transcript if e["type"] == "skill"} == {
        ("demo-skill", "Skill"), ("demo-skill", "Read")}
    # the guard as a PreToolUse hook (supervised): the probe (a read the guard asks about)
    # was approved by the harness, the delete never ran, every verdict kept
    [delete] = [v for v in ctx.guard.verdicts if "delete" in v["command"]]
    assert delete["blocked"] and delete["decision"] in ("ask", "deny")
    assert [d["tool_use_id"] for d in out.permission_denials] == [delete["tool_use_id"]]
    assert not any("delete" in c["command"] for c in commands)
    assert commands[0]["guard"]["approved_by"] == "harness"
    [blocked] = [e for e in transcript if e["type"] == "guard" and e["blocked"]]
    assert blocked["tool_use_id"] == delete["tool_use_id"]
    assert [v["tool"] for v in ctx.guard.verdicts] == ["Bash", "Bash"]  # Read: no opinion
    # instructions: Claude Code's own prompt plus the shared preamble, as sent
    system = json.dumps(out.instructions["system"])
    assert "You are Claude Code" in system and instructions.PREAMBLE[:60] in system
    assert json.dumps(bodies[0]["system"]).count(instructions.PREAMBLE[:60]) == 1
    assert {t["name"] for t in out.instructions["tools"]} == {"Bash", "Read", "Glob", "Grep",
                                                              "Skill"}
    # two user turns (the follow-up), tokens per category from the session log, one price
    assert out.turns >= 6 and out.answer == "Nothing else to change." and out.stop == "end_turn"
    assert out.tokens.input > 0 and out.tokens.output > 0
    assert out.cost_usd == pricing.cost("claude-sonnet-4-5", out.tokens)
    assert out.reported_cost_usd is not None
    assert out.api_requests == len(bodies)
    steps = [e for e in transcript if e["type"] == "assistant"]
    assert all("tokens" in e and "t" in e for e in steps[:1])
    # every API request is one step with its tokens, tool-only turns included
    assert sum(1 for e in transcript if e.get("tokens")) == out.api_requests


def test_running_out_of_turns_is_a_fail_with_tokens(tmp_path, harness_secrets):
    script = [{"bash": "echo one"}, {"bash": "echo two"}, {"bash": "echo three"},
              {"say": "done"}]
    with FakeAnthropicAPI(script) as api:
        ctx = _context(tmp_path, api, skills=False, turns=2)
        out = _run(ctx)
        bodies = api.main_requests()
    assert out.stop == "max_turns" and out.budget_exceeded == "turns (2)"
    assert out.tokens.total > 0 and out.cost_usd > 0 and out.turns >= 2
    # the checks still run and are kept; the budget makes it a fail, not an error
    checks = [CheckResult("workload admitted", {}, "pass", "ok")]
    assert scoring.score(checks, [], [], None, out.budget_exceeded) == \
        ("fail", "budget exceeded: turns (2)")
    # skills off: no Skill tool, nothing listed or loaded
    assert "Skill" not in {t["name"] for t in bodies[0]["tools"]}
    assert out.skills_offered == [] and out.skills_loaded == []


def test_api_errors_by_status_are_errors_that_keep_what_was_used(tmp_path, harness_secrets):
    script = [{"bash": "echo one"}, {"error": 529, "times": 5}, {"say": "never"}]
    with FakeAnthropicAPI(script) as api:
        ctx = _context(tmp_path, api, skills=False, turns=10)
        with pytest.raises(ApiError) as caught:
            _run(ctx)
    assert caught.value.status == 529 and caught.value.retryable
    assert caught.value.outcome.tokens.total > 0
