"""The fake Anthropic API against the real anthropic SDK, and the messages backend's loop
on it (no cluster: the shell runs plain commands). Scripted, never a model's result."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import anthropic
import pytest

from harness.evals.agents.base import AgentContext
from harness.evals.agents.messages import MessagesAgent
from harness.evals.fake_api import FakeAnthropicAPI, sse_events
from harness.evals.shell import Shell

BASH = {"name": "bash", "description": "run", "input_schema": {"type": "object"}}
SCRIPT = [{"skill": "demo-skill"}, {"bash": "echo hello $NS", "text": "Looking."},
          {"say": "All fixed."}]


@pytest.fixture
def api():
    with FakeAnthropicAPI(SCRIPT) as fake:
        yield fake


def _client(api) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=api.url, api_key="scripted", max_retries=0)


def test_turn_is_chosen_by_assistant_messages_so_requests_are_stateless(api):
    client = _client(api)
    messages = [{"role": "user", "content": "hi"}]
    first = client.messages.create(model="m", max_tokens=10, tools=[BASH], messages=messages)
    again = client.messages.create(model="m", max_tokens=10, tools=[BASH], messages=messages)
    # no skill tool offered: the skill step is dropped, the bash step comes first
    assert first.content[-1].input == again.content[-1].input == {"command": "echo hello $NS"}
    assert first.stop_reason == "tool_use"
    messages += [{"role": "assistant", "content": [b.model_dump() for b in first.content]},
                 {"role": "user", "content": [{"type": "tool_result",
                                               "tool_use_id": first.content[-1].id,
                                               "content": "hello"}]}]
    final = client.messages.create(model="m", max_tokens=10, tools=[BASH], messages=messages)
    assert final.stop_reason == "end_turn" and final.content[0].text == "All fixed."
    assert len(api.requests) == 3


def test_streaming_through_the_sdk(api):
    with _client(api).messages.stream(model="m", max_tokens=10, tools=[BASH],
                                      messages=[{"role": "user", "content": "x"}]) as stream:
        message = stream.get_final_message()
    assert [b.type for b in message.content] == ["text", "tool_use"]
    assert message.usage.output_tokens > 0


def test_sse_event_order():
    message = {"id": "m", "type": "message", "role": "assistant", "model": "m",
               "content": [{"type": "text", "text": "a"}], "stop_reason": "end_turn",
               "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}}
    names = [line.split(": ")[1] for line in sse_events(message).splitlines()
             if line.startswith("event: ")]
    assert names == ["message_start", "content_block_start", "content_block_delta",
                     "content_block_stop", "message_delta", "message_stop"]


def test_side_requests_get_json_matching_the_asked_format(api):
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "t"}],
            "output_config": {"format": {"type": "json_schema", "schema": {
                "type": "object", "properties": {"title": {"type": "string"}}}}}}
    request = urllib.request.Request(f"{api.url}/v1/messages?beta=true",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"content-type": "application/json"})
    reply = json.loads(urllib.request.urlopen(request, timeout=5).read())
    assert json.loads(reply["content"][0]["text"]) == {"title": "Scripted run"}


def test_messages_backend_loop_with_progressive_disclosure(api, tmp_path):
    skills = tmp_path / "skills" / "demo-skill"
    skills.mkdir(parents=True)
    (skills / "SKILL.md").write_text("---\nname: demo-skill\ndescription: Demo things. Use "
                                     "it for demos.\n---\n# Demo body\nRun echo.\n")
    (tmp_path / "skills" / "_shared" / "k8s_skillkit").mkdir(parents=True)
    transcript: list = []
    shell = Shell({"PATH": "/usr/bin:/bin", "NS": "ns-1"}, tmp_path, transcript)
    ctx = AgentContext(scenario=SimpleNamespace(id="demo"), prompt="fix it", sandbox=None,
                       kube=None, shell=shell, workdir=tmp_path, skills=True, model="m",
                       budgets={"turns": 10, "tokens": 100000, "wall_time": 60},
                       render=str, base_url=api.url, skills_source=tmp_path / "skills")
    out = MessagesAgent().run(ctx)
    assert out.answer == "All fixed." and out.turns == 3
    assert out.skills_offered == out.skills_loaded == ["demo-skill"]
    bodies = [r["body"] for r in api.requests]
    assert "demo-skill: Demo things." in bodies[0]["system"]
    assert "# Demo body" not in json.dumps(bodies[0]) and "# Demo body" in json.dumps(bodies[1])
    command = [e for e in transcript if e["type"] == "command"][0]
    assert command["output"].strip() == "hello ns-1" and command["exit_code"] == 0


def test_turn_budget_stops_the_loop(api, tmp_path):
    shell = Shell({"PATH": "/usr/bin:/bin"}, tmp_path, [])
    ctx = AgentContext(scenario=SimpleNamespace(id="demo"), prompt="x", sandbox=None,
                       kube=None, shell=shell, workdir=Path(tmp_path), skills=False,
                       model="m", budgets={"turns": 1, "tokens": 100000, "wall_time": 60},
                       render=str, base_url=api.url)
    out = MessagesAgent().run(ctx)
    assert out.budget_exceeded == "turns (1)" and out.turns == 1


def test_a_tool_step_calls_the_offered_mcp_tool_by_its_short_name():
    tools = [BASH, {"name": "mcp__agent__propose_change", "description": "propose",
                    "input_schema": {"type": "object"}}]
    with FakeAnthropicAPI([{"tool": "propose_change", "input": {"summary": "s"}},
                           {"say": "ok"}]) as fake:
        reply = _client(fake).messages.create(model="m", max_tokens=10, tools=tools,
                                              messages=[{"role": "user", "content": "x"}])
    assert reply.content[-1].name == "mcp__agent__propose_change"
    assert reply.content[-1].input == {"summary": "s"}
