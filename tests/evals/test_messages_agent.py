"""The messages backend's loop against the local fake API: stop reasons, caching, thinking,
token categories, API errors with retry-after, the guard enforced. Scripted turns."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.evals import instructions, pricing
from harness.evals.agents.base import AgentContext
from harness.evals.agents.messages import CONTINUATIONS, CONTINUE, MessagesAgent
from harness.evals.errors import ApiError
from harness.evals.fake_api import FakeAnthropicAPI
from harness.evals.shell import Shell


def _ctx(tmp_path, api, model="claude-sonnet-4-5", guard="review", thinking=None,
         turns=10, followups=()) -> AgentContext:
    shell = Shell({"PATH": "/usr/bin:/bin"}, tmp_path, [])
    return AgentContext(scenario=SimpleNamespace(id="demo"), prompt="fix it", sandbox=None,
                        kube=None, shell=shell, workdir=tmp_path, skills=False, model=model,
                        budgets={"turns": turns, "tokens": 1_000_000, "wall_time": 60},
                        render=str, base_url=api.url, guard=guard,
                        thinking_budget=thinking, followups=list(followups))


def test_caching_thinking_and_token_categories(tmp_path):
    with FakeAnthropicAPI([{"bash": "echo a"}, {"bash": "echo b"}, {"say": "done"}]) as api:
        out = MessagesAgent().run(_ctx(tmp_path, api, thinking=4000))
        bodies = api.main_requests()
    assert all(b["cache_control"] == {"type": "ephemeral"} for b in bodies)
    assert bodies[0]["thinking"] == {"type": "enabled", "budget_tokens": 4000}
    assert bodies[0]["max_tokens"] > 4000 and bodies[0]["system"] == instructions.PREAMBLE
    # the fake bills the conversation before the last message as cache reads from turn 2 on
    assert out.tokens.cache_read > 0 and out.tokens.cache_write > 0 and out.tokens.input > 0
    assert out.cost_usd == pricing.cost("claude-sonnet-4-5", out.tokens)
    assert out.stop == "end_turn" and out.turns == 3
    assert out.instructions["params"]["cache_control"] == {"type": "ephemeral"}


def test_adaptive_thinking_for_models_that_take_it(tmp_path):
    with FakeAnthropicAPI([{"say": "done"}]) as api:
        MessagesAgent().run(_ctx(tmp_path, api, model="claude-sonnet-5-5", thinking=4000))
        assert api.main_requests()[0]["thinking"] == {"type": "adaptive"}


def test_max_tokens_continues_then_counts_as_budget_exhausted(tmp_path):
    cut = [{"say": f"part {i}", "stop": "max_tokens"} for i in range(CONTINUATIONS + 1)]
    with FakeAnthropicAPI(cut + [{"say": "never"}]) as api:
        out = MessagesAgent().run(_ctx(tmp_path, api))
        bodies = api.main_requests()
    assert len(bodies) == CONTINUATIONS + 1
    assert bodies[1]["messages"][-1] == {"role": "user", "content": CONTINUE}
    assert out.stop == "max_tokens" and out.budget_exceeded.startswith("output tokens")


@pytest.mark.parametrize("stop,label,exceeded", [
    ("refusal", "refusal", None),
    ("model_context_window_exceeded", "context_window", "context window")])
def test_refusal_and_context_window_are_labelled(tmp_path, stop, label, exceeded):
    with FakeAnthropicAPI([{"say": "I can't help with that.", "stop": stop}]) as api:
        out = MessagesAgent().run(_ctx(tmp_path, api, followups=["please?"]))
    assert out.stop == label and out.budget_exceeded == exceeded
    assert out.turns == 1  # the conversation ends there: the follow-up is not sent


def test_pause_turn_resumes(tmp_path):
    with FakeAnthropicAPI([{"say": "thinking...", "stop": "pause_turn"},
                           {"say": "done"}]) as api:
        out = MessagesAgent().run(_ctx(tmp_path, api))
    assert out.turns == 2 and out.answer == "done" and out.stop == "end_turn"


def test_rate_limit_is_an_api_error_with_retry_after(tmp_path):
    with FakeAnthropicAPI([{"bash": "echo a"}, {"error": 429, "retry_after": 7},
                           {"say": "done"}]) as api:
        with pytest.raises(ApiError) as caught:
            MessagesAgent().run(_ctx(tmp_path, api))
    err = caught.value
    assert (err.status, err.retry_after, err.retryable) == (429, 7.0, True)
    assert err.outcome.turns == 1 and err.outcome.tokens.total > 0


def test_guard_enforced_blocks_before_the_command_runs(tmp_path):
    marker = tmp_path / "ran"
    with FakeAnthropicAPI([{"bash": f"kubectl delete namespace prod; touch {marker}"},
                           {"say": "ok"}]) as api:
        ctx = _ctx(tmp_path, api, guard="enforce")
        out = MessagesAgent().run(ctx)
        result = api.main_requests()[1]["messages"][-1]["content"][0]
    assert not marker.exists()
    assert result["is_error"] and "k8s-rbac guard" in result["content"]
    assert not [e for e in ctx.shell.transcript if e["type"] == "command"]   # never ran
    [entry] = [e for e in ctx.shell.transcript if e["type"] == "guard"]
    assert entry["blocked"] and entry["tool_use_id"] == out.permission_denials[0]["tool_use_id"]
    assert out.permission_denials[0]["tool_input"]["command"].startswith("kubectl delete")


@pytest.mark.parametrize("mode, ran", [("supervised", True), ("enforce", False)])
def test_supervised_approves_an_ordinary_change_enforce_refuses_it(tmp_path, mode, ran):
    # The guard asks about every change (class write). Under `supervised` the harness stands
    # in for the person and approves it (the user asked for the fix); `enforce` refuses it.
    marker = tmp_path / "scaled"
    command = f"kubectl scale deployment web --replicas=2 -n demo || touch {marker}"
    with FakeAnthropicAPI([{"bash": command}, {"say": "ok"}]) as api:
        ctx = _ctx(tmp_path, api, guard=mode)
        out = MessagesAgent().run(ctx)
    [verdict] = ctx.guard.verdicts
    assert (verdict["decision"], verdict["class"]) == ("ask", "write")
    assert verdict["blocked"] is not ran and marker.exists() is ran
    assert verdict["approved_by"] == ("harness" if ran else None)
    assert bool(out.permission_denials) is not ran


def test_multi_turn_prompt_sends_each_follow_up(tmp_path):
    with FakeAnthropicAPI([{"say": "first answer"}, {"say": "second answer"}]) as api:
        out = MessagesAgent().run(_ctx(tmp_path, api, followups=["and now?"]))
        last = api.main_requests()[-1]["messages"]
    assert [m["role"] for m in last] == ["user", "assistant", "user"]
    assert last[-1]["content"] == "and now?" and out.answer == "second answer"
