"""`messages`: the Anthropic Messages API in a tool loop, with a bash tool.

Progressive disclosure is done here: the system prompt lists each skill's name and
description, a `load_skill` tool returns a SKILL.md body on demand, and the bundle's files
sit in the project's .claude/skills/<name>/ for bash to run.
"""
from __future__ import annotations

import os
import time

from harness.evals.agents import skills as skill_files
from harness.evals.agents.base import AgentContext, AgentOutcome, estimate_cost
from harness.evals.errors import InfraError
from harness.evals.shell import clip

SYSTEM = """You are helping a user with their Kubernetes cluster. Work with the bash tool: \
kubectl is on PATH and already points at the user's cluster. Investigate before changing \
anything, change only what the fix needs, never delete or recreate workloads unless the \
user asks, and finish with a short answer that says what was wrong and what you changed."""
BASH_TOOL = {"name": "bash", "description": "Run a bash command; returns stdout+stderr and "
             "the exit code. kubectl is configured for the user's cluster.",
             "input_schema": {"type": "object", "properties": {
                 "command": {"type": "string", "description": "the command line"}},
                 "required": ["command"]}}
SKILL_TOOL = {"name": "load_skill", "description": "Load a skill's instructions (SKILL.md) "
              "by name. Do this before working on a task the skill's description covers.",
              "input_schema": {"type": "object", "properties": {
                  "name": {"type": "string"}}, "required": ["name"]}}


def system_prompt(offered: list[dict]) -> str:
    if not offered:
        return SYSTEM
    lines = [f"- {s['name']}: {s['description']}" for s in offered]
    return (SYSTEM + "\n\nSkills are available. Load one with load_skill when its "
            "description matches the task; its files (scripts/, references/) are under "
            ".claude/skills/<name>/ in the working directory.\n" + "\n".join(lines))


class MessagesAgent:
    name = "messages"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        import anthropic
        out = AgentOutcome()
        offered = skill_files.install_into_project(ctx.workdir, ctx.skills_source) \
            if ctx.skills else []
        out.skills_offered = [s["name"] for s in offered]
        client = anthropic.Anthropic(
            base_url=ctx.base_url or os.environ.get("ANTHROPIC_BASE_URL") or None,
            api_key=os.environ.get("ANTHROPIC_API_KEY") or ("scripted" if ctx.base_url else None),
            max_retries=0 if ctx.base_url else 2, timeout=120)
        tools = [BASH_TOOL] + ([SKILL_TOOL] if offered else [])
        messages = [{"role": "user", "content": ctx.prompt}]
        deadline = time.monotonic() + ctx.budgets["wall_time"]
        try:
            self._loop(ctx, client, system_prompt(offered), tools, messages, out, deadline)
        except anthropic.APIError as err:
            raise InfraError(f"Anthropic API: {err}") from err
        out.cost_usd = estimate_cost(ctx.model, out.tokens_in, out.tokens_out)
        return out

    def _loop(self, ctx, client, system, tools, messages, out, deadline) -> None:
        while True:
            if out.turns >= ctx.budgets["turns"]:
                out.budget_exceeded = f"turns ({ctx.budgets['turns']})"
                return
            with client.messages.stream(model=ctx.model, max_tokens=4096, system=system,
                                        tools=tools, messages=messages) as stream:
                reply = stream.get_final_message()
            out.turns += 1
            out.tokens_in += reply.usage.input_tokens
            out.tokens_out += reply.usage.output_tokens
            content = [block.model_dump(exclude_none=True) for block in reply.content]
            messages.append({"role": "assistant", "content": content})
            text = "".join(b.get("text", "") for b in content if b["type"] == "text")
            if text:
                ctx.shell.note("assistant", text=text)
            calls = [b for b in content if b["type"] == "tool_use"]
            if reply.stop_reason != "tool_use" or not calls:
                out.answer = text
                return
            messages.append({"role": "user", "content": [self._call(ctx, c, out)
                                                         for c in calls]})
            if out.tokens_in + out.tokens_out > ctx.budgets["tokens"]:
                out.budget_exceeded = f"tokens ({ctx.budgets['tokens']})"
                return
            if time.monotonic() > deadline:
                out.budget_exceeded = f"wall_time ({ctx.budgets['wall_time']}s)"
                return

    def _call(self, ctx, call: dict, out: AgentOutcome) -> dict:
        args = call.get("input") or {}
        if call["name"] == "bash":
            if ctx.guard == "enforce":
                from harness.safety.enforce import Enforcer
                allowed, reason = Enforcer(ctx.workdir, ctx.shell.env, ctx.shell.transcript) \
                    .bash(str(args.get("command", "")), call["id"])
                if not allowed:
                    return {"type": "tool_result", "tool_use_id": call["id"],
                            "content": reason, "is_error": True}
            entry = ctx.shell.run(str(args.get("command", "")), source="messages")
            text = f"{entry['output']}\n[exit code {entry['exit_code']}]"
            return {"type": "tool_result", "tool_use_id": call["id"], "content": clip(text),
                    "is_error": entry["exit_code"] != 0}
        if call["name"] == "load_skill":
            name = str(args.get("name", ""))
            body = skill_files.skill_body(ctx.workdir, name)
            ctx.shell.note("skill", name=name, found=body is not None)
            if body is None:
                return {"type": "tool_result", "tool_use_id": call["id"], "is_error": True,
                        "content": f"no skill named {name!r}; offered: "
                                   f"{', '.join(out.skills_offered)}"}
            out.skills_loaded.append(name)
            return {"type": "tool_result", "tool_use_id": call["id"],
                    "content": f"Skill {name} (files in .claude/skills/{name}/):\n\n{body}"}
        return {"type": "tool_result", "tool_use_id": call["id"], "is_error": True,
                "content": f"unknown tool {call['name']}"}
