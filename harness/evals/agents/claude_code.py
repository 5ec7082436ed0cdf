"""`claude-code`: the Claude Agent SDK driving the Claude Code CLI in a throwaway project.

Faithful to how people use it: Claude Code's own system prompt (the `claude_code` preset)
plus the shared Kubernetes preamble (harness.evals.instructions), the same for both arms.
Skills on: the built bundles go to <project>/.claude/skills/ and the SDK's `skills="all"`
offers them through the Skill tool; skills off: `skills=[]` and no Skill tool. The CLI runs
with an explicit environment and CLAUDE_CODE_SUBPROCESS_ENV_SCRUB (claude_env), HOME and
CLAUDE_CONFIG_DIR private to the run, kubectl pointed at the run's own ServiceAccount.

Running out of turns, tokens, dollars or time is the agent's outcome (a `fail` after the
checks run), not an error: whatever was used is kept. Only API errors (by HTTP status) and
infrastructure problems raise.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import asyncio
import re

from harness.errors import UserError
from harness.evals import instructions
from harness.evals.agents import claude_env, claude_session
from harness.evals.agents import skills as skill_files
from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.agents.registry import register
from harness.evals.errors import ApiError, InfraError
from harness.evals.guard import short
from harness.evals.shell import clip
from harness.evals.usage import UsageMeter

if TYPE_CHECKING:  # the SDK is imported when an agent runs
    from pathlib import Path

    from claude_agent_sdk import AssistantMessage, ClaudeAgentOptions, Message

TOOLS = ["Bash", "Read", "Glob", "Grep"]
SKILL_FILE = re.compile(r"\.claude/skills/([A-Za-z0-9_.-]+)/SKILL\.md")
CONTEXT_WORDS = ("prompt is too long", "context window", "context_length")


class _OverTokens(Exception):
    pass


@register("claude-code", model=True, key=True, sdk=True, reviewed=True)
class ClaudeCodeAgent:
    """Claude Code through the Claude Agent SDK, the skills offered through its Skill tool."""
    name = "claude-code"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        _require_sdk()
        problem = claude_env.sandbox_problem()
        if problem:
            raise UserError(problem)
        out = AgentOutcome(instructions={"mode": ctx.instructions})
        if ctx.skills:
            skill_files.install_into_project(ctx.workdir, ctx.skills_source)
        home = ctx.workdir / ".home"
        env = claude_env.cli_env(ctx.shell.env, home, ctx.base_url)
        launcher = claude_env.write_launcher(ctx.private_dir or ctx.workdir / ".launcher",
                                             list(env))
        stream = _Stream(ctx, out)
        try:
            asyncio.run(asyncio.wait_for(self._session(ctx, env, str(launcher), stream),
                                         timeout=ctx.budgets["wall_time"]))
        except asyncio.TimeoutError:
            out.budget_exceeded = f"wall_time ({ctx.budgets['wall_time']}s)"
            out.stop = "timeout"
        except InfraError as err:  # API errors too: keep what the run used
            _finish(ctx, out, stream, home)
            err.outcome = out
            raise
        _finish(ctx, out, stream, home)
        return out

    async def _session(self, ctx: AgentContext, env: dict[str, Any], launcher: str, stream: "_Stream") -> None:
        from claude_agent_sdk import ClaudeSDKClient, ClaudeSDKError, ResultError
        stderr: list[str] = []
        options = self._options(ctx, env, launcher, stderr)
        try:
            async with ClaudeSDKClient(options=options) as client:
                for prompt in [ctx.prompt, *ctx.followups]:
                    ctx.shell.note("prompt", text=prompt)
                    await client.query(prompt)
                    async for message in client.receive_response():
                        stream.take(message)
                    if stream.out.stop not in (None, "end_turn", "refusal", "pause_turn"):
                        break  # a budget ran out: the conversation ends here
        except _OverTokens:
            stream.out.budget_exceeded = f"tokens ({ctx.budgets['tokens']})"
            stream.out.stop = "max_tokens_budget"
        except ResultError as err:  # the CLI exited after an error result
            stream.result(err.data or {})
        except ClaudeSDKError as err:
            tail = " ".join(" ".join(stderr[-5:]).split())[-300:]
            raise InfraError(f"Claude Code failed: {err} {tail}".strip()) from err

    @staticmethod
    def _options(ctx: AgentContext, env: dict[str, Any], launcher: str,
                 stderr: list[Any]) -> ClaudeAgentOptions:
        from claude_agent_sdk import ClaudeAgentOptions
        extra: dict[str, Any] = {}
        if ctx.policy.enforcing:
            extra["hooks"] = ctx.policy.claude_hooks()
        if ctx.thinking_budget:
            extra["thinking"] = {"type": "enabled", "budget_tokens": int(ctx.thinking_budget)}
        if ctx.max_budget_usd:
            extra["max_budget_usd"] = float(ctx.max_budget_usd)
        tools = TOOLS + (["Skill"] if ctx.skills else [])
        return ClaudeAgentOptions(
            cwd=str(ctx.workdir), env=env, cli_path=launcher, model=ctx.model,
            max_turns=ctx.budgets["turns"], tools=tools, allowed_tools=list(TOOLS),
            skills="all" if ctx.skills else [], setting_sources=["project"],
            system_prompt=instructions.claude_code_system_prompt(ctx.instructions),
            stderr=stderr.append, **extra)


class _Stream:
    """Turns the SDK's message stream into the run's timeline and outcome."""

    def __init__(self, ctx: AgentContext, out: AgentOutcome) -> None:
        self.ctx, self.out = ctx, out
        self.meter = UsageMeter()
        self.pending: dict[str, dict[str, Any]] = {}
        self.last_stop: str | None = None
        self.noted: set[str] = set()   # message ids with a timeline entry

    def now(self) -> float:
        return self.ctx.shell.elapsed()

    def take(self, message: Message) -> None:
        from claude_agent_sdk import AssistantMessage, ResultMessage, SystemMessage, UserMessage
        if isinstance(message, SystemMessage) and message.subtype == "init":
            self.out.skills_discovered = list(message.data.get("skills") or [])
            self.out.session_id = message.data.get("session_id")
        elif isinstance(message, AssistantMessage):
            self._assistant(message)
        elif isinstance(message, UserMessage) and isinstance(message.content, list):
            self._tool_results(message.content)
        elif isinstance(message, ResultMessage):
            self.result(vars(message))

    def _assistant(self, message: AssistantMessage) -> None:
        from claude_agent_sdk import TextBlock, ThinkingBlock, ToolUseBlock
        if message.parent_tool_use_id:
            return
        self.meter.record(message.message_id, message.usage)
        self.last_stop = message.stop_reason or self.last_stop
        for block in message.content:
            if isinstance(block, TextBlock) and block.text.strip():
                self._note("assistant", message.message_id, text=block.text)
                self.out.answer = block.text
            elif isinstance(block, ThinkingBlock) and block.thinking.strip():
                self._note("thinking", message.message_id, text=clip(block.thinking, 4000))
            elif isinstance(block, ToolUseBlock):
                if message.message_id not in self.noted:  # a tool-only turn: its tokens
                    self._note("model_turn", message.message_id)  # still get a step
                self.pending[block.id] = {"name": block.name, "input": block.input,
                                          "t": self.now(), "message_id": message.message_id}
        if self.meter.total().total > self.ctx.budgets["tokens"]:
            raise _OverTokens()

    def _note(self, kind: str, message_id: str | None, **fields: Any) -> None:
        self.ctx.shell.note(kind, message_id=message_id, **fields)
        if message_id:
            self.noted.add(message_id)

    def _tool_results(self, blocks: list[Any]) -> None:
        from claude_agent_sdk import ToolResultBlock
        for block in blocks:
            if isinstance(block, ToolResultBlock) and block.tool_use_id in self.pending:
                call = self.pending.pop(block.tool_use_id)
                _record_call(self, block.tool_use_id, call, _text(block.content),
                             bool(block.is_error))

    def result(self, data: dict[str, Any]) -> None:
        """A ResultMessage (or a ResultError's payload): turns, cost, stop reason."""
        out = self.out
        out.turns += int(data.get("num_turns") or 0)
        if data.get("total_cost_usd") is not None:
            out.reported_cost_usd = round((out.reported_cost_usd or 0)
                                          + float(data["total_cost_usd"]), 6)
        out.permission_denials += list(data.get("permission_denials") or [])
        out.session_id = data.get("session_id") or out.session_id
        if data.get("result") and not data.get("is_error"):
            out.answer = data["result"]
        _stop(self, data)


def _stop(stream: _Stream, data: dict[str, Any]) -> None:
    out, budgets = stream.out, stream.ctx.budgets
    subtype, text = data.get("subtype"), " ".join(data.get("errors") or []) + \
        str(data.get("result") or "")
    if subtype == "error_max_turns":
        out.stop, out.budget_exceeded = "max_turns", f"turns ({budgets['turns']})"
    elif subtype == "error_max_budget_usd":
        out.stop = "max_budget_usd"
        out.budget_exceeded = f"cost (${stream.ctx.max_budget_usd})"
    elif any(word in text.lower() for word in CONTEXT_WORDS):
        out.stop, out.budget_exceeded = "context_window", "context window"
    elif data.get("api_error_status") or (data.get("is_error") and
                                         data.get("terminal_reason") == "api_error"):
        status = data.get("api_error_status")
        raise ApiError(f"Anthropic API error {status or ''} via Claude Code: "
                       f"{text.strip()[:300]}", status)
    elif data.get("is_error"):
        raise InfraError(f"Claude Code ended with {subtype}: {text.strip()[:300]}")
    else:
        out.stop = stream.last_stop if stream.last_stop in ("refusal", "pause_turn") \
            else "end_turn"


def _record_call(stream: _Stream, tool_use_id: str, call: dict[str, Any], output: str,
                 is_error: bool) -> None:
    ctx, out = stream.ctx, stream.out
    name, args, t = call["name"], call["input"] or {}, call["t"]
    seconds = round(stream.now() - t, 3)
    verdict = _verdict(ctx, tool_use_id)
    if verdict and verdict["blocked"]:
        return  # it never ran: the guard's own timeline entry says why
    if name == "Bash":
        command = str(args.get("command", ""))
        entry = {"type": "command", "source": "claude-code", "command": command,
                 "exit_code": _exit_code(output, is_error), "output": clip(output),
                 "seconds": seconds, "t": t, "tool_use_id": tool_use_id}
        if verdict:
            entry["guard"] = verdict
        ctx.shell.transcript.append(entry)
        _skill_reads(stream, command, t, "Bash", is_error)
    elif name == "Skill":
        skill = str(args.get("skill", ""))
        ctx.shell.transcript.append({"type": "skill", "name": skill, "via": "Skill",
                                     "found": not is_error, "t": t, "seconds": seconds})
        if not is_error:
            out.loaded(skill)
    else:
        ctx.shell.transcript.append({"type": "tool", "name": name, "input": args,
                                     "output": clip(output, 4000), "is_error": is_error,
                                     "t": t, "seconds": seconds, "tool_use_id": tool_use_id})
        if name == "Read":
            _skill_reads(stream, str(args.get("file_path", "")), t, "Read", is_error)


def _skill_reads(stream: _Stream, text: str, t: float, via: str, is_error: bool) -> None:
    """A SKILL.md read with Read (or cat in Bash) loads that skill as surely as Skill does."""
    for name in dict.fromkeys(SKILL_FILE.findall(text)):
        stream.ctx.shell.transcript.append({"type": "skill", "name": name, "via": via,
                                            "found": not is_error, "t": t, "seconds": 0})
        if not is_error:
            stream.out.loaded(name)


def _verdict(ctx: AgentContext, tool_use_id: str) -> dict[str, Any] | None:
    if not ctx.policy.enforcing:
        return None
    found = next((v for v in ctx.policy.verdicts if v["tool_use_id"] == tool_use_id), None)
    return short(found) if found else None


def _finish(ctx: AgentContext, out: AgentOutcome, stream: _Stream, home: Path) -> None:
    """Fill in what Claude Code's own session log knows best: the exact system prompt and
    tools, the skills it listed, each message's final token counts."""
    log = claude_session.read(claude_session.find(home / ".claude", out.session_id))
    out.instructions.update(system=log.system, tools=log.tools,
                            params={k: log.request_params.get(k) for k in
                                    ("max_tokens", "thinking", "betas")
                                    if k in log.request_params})
    out.skills_offered = log.skills_listed or (
        [s["name"] for s in skill_files.offered(ctx.workdir)] if ctx.skills else [])
    meter = log.meter if len(log.meter) else stream.meter
    out.tokens = meter.total()
    out.api_requests = log.api_requests or len(meter)
    _attach_tokens(ctx.shell.transcript, meter, stream.meter)
    out.price(ctx.model, meter.largest_prompt)


def _attach_tokens(transcript: list[Any], meter: UsageMeter, live: UsageMeter) -> None:
    """Each API message's tokens on the first timeline entry it produced."""
    seen = set()
    for entry in transcript:
        message_id = entry.get("message_id")
        if entry.get("type") in ("assistant", "thinking", "model_turn") and message_id \
                and message_id not in seen:
            seen.add(message_id)
            tokens = meter.get(message_id) or live.get(message_id)
            if tokens:
                entry["tokens"] = tokens.as_dict()


def _text(content: object) -> str:
    if isinstance(content, list):
        return "\n".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
    return str(content or "")


def _require_sdk() -> None:
    try:
        import claude_agent_sdk  # noqa: F401
    except ImportError as err:
        raise UserError("--agent claude-code needs the claude-agent-sdk package: "
                        ".venv/bin/pip install 'claude-agent-sdk>=0.2.189'") from err


def _exit_code(output: str, is_error: bool) -> int:
    """Claude Code's Bash result starts with "Exit code N" on failure.

    >>> _exit_code("Exit code 2\\nno such file", True), _exit_code("ok", False)
    (2, 0)
    """
    match = re.match(r"Exit code (\d+)", output)
    return int(match.group(1)) if match else (1 if is_error else 0)
