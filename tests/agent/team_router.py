"""A fake Anthropic API for the orchestrator and its specialists: each conversation (the
orchestrator's, or one specialist's, told apart by its system prompt) plays its own script,
and tool-use ids name the conversation so a subagent's calls never collide with the
orchestrator's. Every answer it gives is scripted, never a model's."""
from __future__ import annotations

import json

from harness.evals.fake_api import FakeAnthropicAPI, _message, _tool_turn

ORCHESTRATOR_MARK = "You lead a team of Kubernetes specialists"


def specialist_mark(area: str) -> str:
    return f"You are the {area} specialist"


class TeamRouter(FakeAnthropicAPI):
    def __init__(self, scripts: dict[str, list[dict]]):
        """scripts: {"orchestrator": [...], "scheduling": [...], "networking": [...], ...}"""
        super().__init__([{"say": "Scripted run."}])
        self.scripts = scripts

    def who(self, body: dict) -> str:
        system = json.dumps(body.get("system"))
        if ORCHESTRATOR_MARK in system:
            return "orchestrator"
        return next((area for area in self.scripts
                     if area != "orchestrator" and specialist_mark(area) in system), "")

    def respond(self, body: dict) -> dict:
        who = self.who(body) if body.get("tools") else ""
        if not who:
            return super().respond(body)
        steps = self.scripts[who]
        offered = {t.get("name") for t in body.get("tools") or []}
        if "Skill" not in offered:
            steps = [s for s in steps if "skill" not in s]
        turn = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        step = steps[turn] if turn < len(steps) else {"say": "Done."}
        if "say" in step:
            return _message(body, [{"type": "text", "text": step["say"]}], "end_turn")
        if "parallel" in step:  # several tool calls in one turn (e.g. two delegations)
            blocks = []
            for i, sub in enumerate(step["parallel"]):
                blocks += _tool_turn(sub, turn, "Bash", body)
                blocks[-1]["id"] = f"toolu_{who}_{turn:03d}_{i}"
            return _message(body, blocks, "tool_use")
        blocks = _tool_turn(step, turn, "Bash", body)
        blocks[-1]["id"] = f"toolu_{who}_{turn:03d}"
        return _message(body, blocks, "tool_use")

    def conversations(self) -> dict[str, list[dict]]:
        """Request bodies by conversation ('' for side requests)."""
        out: dict[str, list[dict]] = {}
        for r in self.requests:
            body = r.get("body") or {}
            out.setdefault(self.who(body) if body.get("tools") else "", []).append(body)
        return out
