"""`claude-code`: the Claude Agent SDK driving the Claude Code CLI in a throwaway project.

Skills on: the built bundles go to <project>/.claude/skills/ and setting_sources=["project"]
lets Claude Code offer them through its Skill tool. Skills off: setting_sources=[] (nothing
offered). Permissions are explicit (allowed_tools), HOME and CLAUDE_CONFIG_DIR are private
to the run so the user's ~/.claude is never read or written. Every Bash call and its
result is recorded from the SDK's message stream.
"""
from __future__ import annotations

import asyncio
import os
import re

from harness.errors import UserError
from harness.evals.agents import skills as skill_files
from harness.evals.agents.base import AgentContext, AgentOutcome, estimate_cost
from harness.evals.errors import InfraError
from harness.evals.shell import clip

TOOLS = ["Bash", "Read", "Glob", "Grep"]
# Keep the CLI on the API endpoint only, and fail fast instead of retrying.
QUIET = {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_TELEMETRY": "1",
         "DISABLE_ERROR_REPORTING": "1", "DISABLE_AUTOUPDATER": "1"}


def cli_env(ctx: AgentContext) -> dict[str, str]:
    home = ctx.workdir / ".home"
    (home / ".claude").mkdir(parents=True, exist_ok=True)
    env = {**ctx.shell.env, **QUIET, "HOME": str(home),
           "CLAUDE_CONFIG_DIR": str(home / ".claude")}
    if ctx.base_url:
        env.update({"ANTHROPIC_BASE_URL": ctx.base_url, "ANTHROPIC_API_KEY": "scripted",
                    "CLAUDE_CODE_MAX_RETRIES": "0"})
    else:
        key = os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise UserError("--agent claude-code needs ANTHROPIC_API_KEY (or --scripted to "
                            "play the scenarios' scripted turns on a local fake API)")
        env["ANTHROPIC_API_KEY"] = key
        if os.environ.get("ANTHROPIC_BASE_URL"):
            env["ANTHROPIC_BASE_URL"] = os.environ["ANTHROPIC_BASE_URL"]
    return env


class ClaudeCodeAgent:
    name = "claude-code"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        try:
            import claude_agent_sdk  # noqa: F401
        except ImportError as err:
            raise UserError("--agent claude-code needs the claude-agent-sdk package: "
                            ".venv/bin/pip install 'claude-agent-sdk>=0.2.180'") from err
        out = AgentOutcome()
        if ctx.skills:
            out.skills_offered = [s["name"] for s in
                                  skill_files.install_into_project(ctx.workdir,
                                                                   ctx.skills_source)]
        env = cli_env(ctx)
        try:
            asyncio.run(asyncio.wait_for(self._session(ctx, env, out),
                                         timeout=ctx.budgets["wall_time"]))
        except asyncio.TimeoutError:
            out.budget_exceeded = f"wall_time ({ctx.budgets['wall_time']}s)"
        if out.cost_usd is None:
            out.cost_usd = estimate_cost(ctx.model, out.tokens_in, out.tokens_out)
        return out

    async def _session(self, ctx: AgentContext, env: dict, out: AgentOutcome) -> None:
        from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKError, query
        stderr: list[str] = []
        hooks = None
        if ctx.guard == "enforce":
            from harness.safety.enforce import Enforcer, sdk_hooks
            hooks = sdk_hooks(Enforcer(ctx.workdir, env, ctx.shell.transcript))
        options = ClaudeAgentOptions(
            cwd=str(ctx.workdir), env=env, model=ctx.model, max_turns=ctx.budgets["turns"],
            tools=TOOLS + (["Skill"] if ctx.skills else []),
            allowed_tools=TOOLS + (["Skill"] if ctx.skills else []),
            setting_sources=["project"] if ctx.skills else [],
            stderr=lambda line: stderr.append(line), hooks=hooks)
        pending: dict[str, dict] = {}
        try:
            async for message in query(prompt=ctx.prompt, options=options):
                self._record(ctx, message, pending, out)
        except ClaudeSDKError as err:
            tail = " ".join(" ".join(stderr[-5:]).split())[-300:]
            raise InfraError(f"Claude Code failed: {err} {tail}".strip()) from err

    def _record(self, ctx, message, pending: dict, out: AgentOutcome) -> None:
        from claude_agent_sdk import (AssistantMessage, ResultMessage, TextBlock,
                                      ToolResultBlock, ToolUseBlock, UserMessage)
        if isinstance(message, AssistantMessage):
            for block in message.content:
                if isinstance(block, TextBlock) and block.text.strip():
                    ctx.shell.note("assistant", text=block.text)
                    out.answer = block.text
                elif isinstance(block, ToolUseBlock):
                    pending[block.id] = {"name": block.name, "input": block.input}
        elif isinstance(message, UserMessage) and isinstance(message.content, list):
            for block in message.content:
                if isinstance(block, ToolResultBlock) and block.tool_use_id in pending:
                    self._record_result(ctx, pending.pop(block.tool_use_id), block, out)
        elif isinstance(message, ResultMessage):
            usage = message.usage or {}
            out.tokens_in = int(usage.get("input_tokens", 0)) + int(
                usage.get("cache_read_input_tokens", 0) or 0) + int(
                usage.get("cache_creation_input_tokens", 0) or 0)
            out.tokens_out = int(usage.get("output_tokens", 0))
            out.turns = message.num_turns
            out.cost_usd = message.total_cost_usd
            if message.result:
                out.answer = message.result
            if message.subtype == "error_max_turns":
                out.budget_exceeded = f"turns ({ctx.budgets['turns']})"

    @staticmethod
    def _record_result(ctx, call: dict, block, out: AgentOutcome) -> None:
        content = block.content
        if isinstance(content, list):
            content = "\n".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
        if call["name"] == "Skill":
            name = str(call["input"].get("skill", ""))
            ctx.shell.note("skill", name=name, found=not block.is_error)
            if not block.is_error:
                out.skills_loaded.append(name)
        elif call["name"] == "Bash":
            ctx.shell.transcript.append({
                "type": "command", "source": "claude-code",
                "command": str(call["input"].get("command", "")),
                "exit_code": _exit_code(str(content or ""), bool(block.is_error)),
                "output": clip(str(content or "")),
                "seconds": None})
        else:
            ctx.shell.note("tool", name=call["name"], input=call["input"],
                           is_error=bool(block.is_error))


def _exit_code(output: str, is_error: bool) -> int:
    """Claude Code's Bash result starts with "Exit code N" on failure.

    >>> _exit_code("Exit code 2\\nno such file", True), _exit_code("ok", False)
    (2, 0)
    """
    match = re.match(r"Exit code (\d+)", output)
    return int(match.group(1)) if match else (1 if is_error else 0)
