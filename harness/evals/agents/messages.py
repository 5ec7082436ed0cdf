"""`messages`: the Anthropic Messages API in a tool loop, with a bash tool.

The system prompt is the shared Kubernetes preamble (harness.evals.instructions), the same
text Claude Code gets appended; the skills arm adds each skill's name and description and a
`load_skill` tool that returns a SKILL.md body on demand (the bundle's files sit in the
project's .claude/skills/<name>/ for bash to run). Prompt caching is on, thinking has a
budget, and every stop reason is handled: `max_tokens` continues (twice at most, then it is
the budget running out), `pause_turn` resumes, `refusal` and a full context window end the
run with that label. API errors raise ApiError with the HTTP status and any retry-after.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import os
import time

from harness.evals import instructions, pricing
from harness.evals.agents import skills as skill_files
from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.agents.registry import register
from harness.evals.errors import ApiError, InfraError
from harness.evals.guard import refusal, short
from harness.evals.shell import clip
from harness.evals.usage import Tokens, UsageMeter

if TYPE_CHECKING:  # the SDK is imported when an agent runs (it is slow to import)
    import httpx2
    from anthropic import Anthropic
    from anthropic.types import ContentBlock, Message

BASH_TOOL = {"name": "bash", "description": "Run a bash command; returns stdout+stderr and "
             "the exit code. kubectl is configured for the user's cluster.",
             "input_schema": {"type": "object", "properties": {
                 "command": {"type": "string", "description": "the command line"}},
                 "required": ["command"]}}
SKILL_TOOL = {"name": "load_skill", "description": "Load a skill's instructions (SKILL.md) "
              "by name. Do this before working on a task the skill's description covers.",
              "input_schema": {"type": "object", "properties": {
                  "name": {"type": "string"}}, "required": ["name"]}}
MAX_TOKENS = 16_000
CONTINUATIONS = 2
CONTINUE = "Your reply was cut off at the output token limit. Continue where you stopped."


def system_prompt(mode: str, offered: list[dict[str, Any]]) -> str | None:
    base = instructions.preamble(mode)
    if not offered:
        return base
    lines = [f"- {s['name']}: {s['description']}" for s in offered]
    listing = ("Skills are available. Load one with load_skill when its description matches "
               "the task; its files (scripts/, references/) are under .claude/skills/<name>/ "
               "in the working directory.\n" + "\n".join(lines))
    return f"{base}\n\n{listing}" if base else listing


@register("messages", model=True, key=True, reviewed=True)
class MessagesAgent:
    """The Messages API in a tool loop: one bash tool, the skills listed in the system prompt."""
    name = "messages"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        import anthropic
        offered = skill_files.install_into_project(ctx.workdir, ctx.skills_source) \
            if ctx.skills else []
        loop = _Loop(ctx, offered)
        client = anthropic.Anthropic(
            base_url=ctx.base_url or os.environ.get("ANTHROPIC_BASE_URL") or None,
            api_key=os.environ.get("ANTHROPIC_API_KEY") or ("scripted" if ctx.base_url else None),
            max_retries=0 if ctx.base_url else 4, timeout=300)
        try:
            for prompt in [ctx.prompt, *ctx.followups]:
                ctx.shell.note("prompt", text=prompt)
                loop.messages.append({"role": "user", "content": prompt})
                loop.converse(client)
                if loop.out.budget_exceeded or loop.out.stop in ("refusal", "context_window"):
                    break
        except anthropic.APIStatusError as err:
            raise loop.failed(ApiError(f"Anthropic API {err.status_code}: {err.message}",
                                       err.status_code, _retry_after(err.response))) from err
        except anthropic.APIError as err:  # connection problems, timeouts
            raise loop.failed(ApiError(f"Anthropic API: {err}")) from err
        return loop.finish()


class _Loop:
    def __init__(self, ctx: AgentContext, offered: list[dict[str, Any]]) -> None:
        self.ctx, self.out, self.meter = ctx, AgentOutcome(), UsageMeter()
        self.out.skills_offered = [s["name"] for s in offered]
        self.out.skills_discovered = list(self.out.skills_offered)
        self.system = system_prompt(ctx.instructions, offered)
        self.tools = [BASH_TOOL] + ([SKILL_TOOL] if offered else [])
        self.thinking = pricing.thinking_config(ctx.model, ctx.thinking_budget)
        budget = (self.thinking or {}).get("budget_tokens", 0)
        self.params = {"max_tokens": MAX_TOKENS + budget, "cache_control": {"type": "ephemeral"},
                       **({"thinking": self.thinking} if self.thinking else {})}
        self.messages: list[dict[str, Any]] = []
        self.deadline = time.monotonic() + ctx.budgets["wall_time"]
        self.out.instructions = {"mode": ctx.instructions, "system": self.system,
                                 "tools": self.tools, "params": dict(self.params)}

    def converse(self, client: Anthropic) -> None:
        """Model turns until the model ends its turn or a budget runs out."""
        continuations = 0
        while not self._over_budget():
            reply = self._call(client)
            stop = reply.stop_reason
            if stop == "tool_use":
                self.messages.append({"role": "user", "content": self._tool_results(reply)})
            elif stop == "max_tokens" and continuations < CONTINUATIONS:
                continuations += 1
                self.messages.append({"role": "user", "content": CONTINUE})
            elif stop == "pause_turn":
                continue  # the API paused a long turn: send it back as it is to resume
            else:
                self._ended(stop)
                return

    def _call(self, client: Anthropic) -> Message:
        kwargs: dict[str, Any] = {"model": self.ctx.model, "tools": self.tools, "messages": self.messages,
                  **self.params, **({"system": self.system} if self.system else {})}
        with client.messages.stream(**kwargs) as stream:
            reply = stream.get_final_message()
        self.out.turns += 1
        tokens = self.meter.record(reply.id, reply.usage)
        content = [_plain(block) for block in reply.content]
        if stop_incomplete(reply.stop_reason, content):
            content = [b for b in content if b["type"] != "tool_use"]
        self.messages.append({"role": "assistant", "content": content or
                              [{"type": "text", "text": "(empty)"}]})
        self._note(reply.id, content, tokens)
        return reply

    def _note(self, message_id: str, content: list[dict[str, Any]], tokens: Tokens) -> None:
        first = True
        for block in content:
            kind = {"text": "assistant", "thinking": "thinking"}.get(block["type"])
            text = block.get("text") or block.get("thinking") or ""
            if kind and text.strip():
                self.ctx.shell.note(kind, text=clip(text, 4000) if kind == "thinking" else text,
                                    message_id=message_id,
                                    **({"tokens": tokens.as_dict()} if first else {}))
                first = False
                if kind == "assistant":
                    self.out.answer = text
        if first:  # a tool-only turn: its tokens still belong on the timeline
            self.ctx.shell.note("model_turn", message_id=message_id, tokens=tokens.as_dict())

    def _ended(self, stop: str | None) -> None:
        labels = {"max_tokens": "max_tokens", "refusal": "refusal",
                  "model_context_window_exceeded": "context_window"}
        self.out.stop = labels.get(stop or "", "end_turn")
        if self.out.stop == "max_tokens":
            self.out.budget_exceeded = f"output tokens ({MAX_TOKENS} per reply, " \
                                       f"{CONTINUATIONS} continuations)"
        elif self.out.stop == "context_window":
            self.out.budget_exceeded = "context window"

    def _over_budget(self) -> bool:
        budgets, out = self.ctx.budgets, self.out
        spent = pricing.cost(self.ctx.model, self.meter.total(), self.meter.largest_prompt)
        if out.turns >= budgets["turns"]:
            out.budget_exceeded, out.stop = f"turns ({budgets['turns']})", "max_turns"
        elif self.meter.total().total > budgets["tokens"]:
            out.budget_exceeded, out.stop = f"tokens ({budgets['tokens']})", "max_tokens_budget"
        elif self.ctx.max_budget_usd and spent is not None and spent > self.ctx.max_budget_usd:
            out.budget_exceeded, out.stop = f"cost (${self.ctx.max_budget_usd})", \
                "max_budget_usd"
        elif time.monotonic() > self.deadline:
            out.budget_exceeded = f"wall_time ({budgets['wall_time']}s)"
            out.stop = "timeout"
        return out.budget_exceeded is not None

    def _tool_results(self, reply: Message) -> list[dict[str, Any]]:
        calls = [b for b in reply.content if b.type == "tool_use"]
        return [self._call_tool(c.id, c.name, c.input or {}) for c in calls]

    def _call_tool(self, call_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        if name == "bash":
            return self._bash(call_id, str(args.get("command", "")))
        if name == "load_skill":
            return self._load_skill(call_id, str(args.get("name", "")))
        return {"type": "tool_result", "tool_use_id": call_id, "is_error": True,
                "content": f"unknown tool {name}"}

    def _bash(self, call_id: str, command: str) -> dict[str, Any]:
        guard = self.ctx.policy
        verdict = guard.judge(command, call_id) if guard.enforcing else None
        if verdict and verdict["blocked"]:  # it never runs: the guard's entry says why
            self.out.permission_denials.append({"tool_name": "bash", "tool_use_id": call_id,
                                                "tool_input": {"command": command}})
            return {"type": "tool_result", "tool_use_id": call_id, "is_error": True,
                    "content": refusal(verdict)}
        entry = self.ctx.shell.run(command, source="messages")
        entry["tool_use_id"] = call_id
        if verdict:
            entry["guard"] = short(verdict)
        text = f"{entry['output']}\n[exit code {entry['exit_code']}]"
        return {"type": "tool_result", "tool_use_id": call_id, "content": clip(text),
                "is_error": entry["exit_code"] != 0}

    def _load_skill(self, call_id: str, name: str) -> dict[str, Any]:
        body = skill_files.skill_body(self.ctx.workdir, name)
        self.ctx.shell.note("skill", name=name, via="load_skill", found=body is not None)
        if body is None:
            return {"type": "tool_result", "tool_use_id": call_id, "is_error": True,
                    "content": f"no skill named {name!r}; offered: "
                               f"{', '.join(self.out.skills_offered)}"}
        self.out.loaded(name)
        return {"type": "tool_result", "tool_use_id": call_id,
                "content": f"Skill {name} (files in .claude/skills/{name}/):\n\n{body}"}

    def failed(self, err: InfraError) -> InfraError:
        err.outcome = self.finish()
        return err

    def finish(self) -> AgentOutcome:
        self.out.tokens = self.meter.total()
        self.out.api_requests = self.out.turns
        self.out.price(self.ctx.model, self.meter.largest_prompt)
        return self.out


def stop_incomplete(stop: str | None, content: list[dict[str, Any]]) -> bool:
    """A reply cut at max_tokens may end in a tool call whose input is incomplete."""
    return stop == "max_tokens" and any(b["type"] == "tool_use" for b in content)


def _plain(block: ContentBlock) -> dict[str, Any]:
    data: dict[str, Any] = block.model_dump(exclude_none=True)
    data.pop("citations", None)
    return data


def _retry_after(response: httpx2.Response | None) -> float | None:
    """Seconds from a retry-after header (seconds or an HTTP date are both allowed)."""
    value = (response.headers.get("retry-after") if response is not None else None) or ""
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
