"""One question answered by Claude (Claude Agent SDK -> Claude Code) with the skills, as a
stream of events the API forwards as server-sent events.

The Claude Code process runs in the agent's project folder with the built skills in
.claude/skills, tools Bash / Read / Glob / Grep / Skill and one in-process tool,
propose_change. Every tool call first passes the PreToolUse hook (agent.policy; the hook
fails closed: `on_failure="block"`). Bash runs with KUBECONFIG set to a read-only identity,
so even an allowed command cannot write. Events:

  tool      {id, tool, input, allowed, reason}       a call the hook judged
  evidence  {id, tool, command, skill, exit_code, output}  what a call returned
  text      {text}                                   what the model said
  proposal  {name, summary, target, phase}           a change stored for approval
  done      {answer, turns, tokens, cost_usd, model, scripted}
With a team (agent.specialists: the main session is the orchestrator and delegates):
  delegation {id, specialist, brief}                 the orchestrator handed work over
  report     {id, specialist, output}                what that specialist reported back
and tool / evidence / text events of a specialist carry `specialist`.
"""
from __future__ import annotations

import asyncio
import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from agent.policy import Decision, ToolPolicy
from harness.evals.agents.claude_code import _exit_code as exit_code

if TYPE_CHECKING:
    from claude_agent_sdk import (ClaudeAgentOptions, HookContext, HookInput, HookJSONOutput,
                                  Message, ResultMessage, SdkMcpTool, ToolResultBlock,
                                  ToolUseBlock)
    from claude_agent_sdk.types import PreToolUseHookSpecificOutput
    from claude_agent_sdk.types import McpServerConfig

TOOLS = ["Bash", "Read", "Glob", "Grep", "Skill"]
PROPOSE = "mcp__agent__propose_change"
CLIP = 4000
SKILL_SCRIPT = re.compile(r"\.claude/skills/([a-z0-9-]+)/scripts/([A-Za-z0-9_]+\.py)")

SYSTEM_PROMPT = """You are the SRE agent of this Kubernetes cluster: platform and ML-infra \
engineers ask you why things are broken and what to change. Answer with evidence.

How you work:
- Load the skill that fits (Skill tool), then run its scripts exactly as \
`python3 .claude/skills/<skill>/scripts/<script>.py ...` (add --json when you parse the \
output); feed them dumps as `kubectl get ... -o json | python3 <script> -f -`.
- Your shell runs only kubectl reads and those scripts. Your Kubernetes identity is \
read-only and cannot read Secrets: never try to change the cluster yourself.
- To change anything, call propose_change with the manifest (server-side apply) or a merge \
patch, the reason, the evidence lines, and `verify` naming the skill script (and its args) \
whose diagnosis should be clean afterwards. A person approves; an applier with its own \
identity dry-runs, applies and verifies it.
- Cite evidence as the script's finding or the object's condition/event, word for word. \
Say what you could not see (denied, not found) instead of guessing."""


@dataclass
class AskResult:
    answer: str = ""
    turns: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    refused: int = 0
    error: str = ""
    reports: list[dict[str, Any]] = field(default_factory=list)   # [{specialist, output}] (team)


@dataclass
class SessionConfig:
    workdir: str
    env: dict[str, Any]
    model: str
    max_turns: int
    timeout: float
    policy: ToolPolicy
    propose: Callable[[dict[str, Any]], Any] | None   # async fn(input) -> proposal view (dict)
    # audit hook: (tool, tool input, the policy's decision, tool_use id)
    on_tool: Callable[[str, dict[str, Any], Decision, str], None] | None = None
    team: bool = False   # orchestrator + specialists (agent.specialists)


class Session:
    """Drive one query; `events` is an asyncio.Queue of (event, data) ending with None."""

    def __init__(self, cfg: SessionConfig, question: str) -> None:
        self.cfg = cfg
        self.question = question
        self.events: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue()
        self.result = AskResult()
        self._calls: dict[str, dict[str, Any]] = {}
        self._refused: set[str] = set()
        self._delegations: dict[str, str] = {}   # Agent tool_use id -> specialist

    async def run(self) -> AskResult:
        try:
            await asyncio.wait_for(self._query(), timeout=self.cfg.timeout)
        except asyncio.TimeoutError:
            self.result.error = f"no answer within {self.cfg.timeout:.0f}s"
        except Exception as err:  # noqa: BLE001 - reported to the caller as an error event
            self.result.error = f"Claude session failed: {' '.join(str(err).split())[:300]}"
        finally:
            await self.events.put(None)
        return self.result

    def _options(self) -> ClaudeAgentOptions:
        from claude_agent_sdk import ClaudeAgentOptions, HookMatcher, create_sdk_mcp_server
        servers: dict[str, McpServerConfig] = {}
        tools = list(TOOLS)
        team: dict[str, Any] | None = None   # the specialists, as AgentDefinitions
        if self.cfg.team:
            from agent import specialists
            tools.append(specialists.DELEGATE_TOOL)
            team = specialists.agent_definitions()
        allowed = list(tools)
        if self.cfg.propose is not None:
            servers["agent"] = create_sdk_mcp_server(
                "agent", tools=[self._propose_tool(self.cfg.propose)])
            allowed.append(PROPOSE)
        return ClaudeAgentOptions(
            cwd=self.cfg.workdir, env=self.cfg.env, model=self.cfg.model,
            max_turns=self.cfg.max_turns, tools=tools, allowed_tools=allowed,
            setting_sources=["project"], mcp_servers=servers, strict_mcp_config=True,
            system_prompt=_team_prompt() if self.cfg.team else SYSTEM_PROMPT, agents=team,
            hooks={"PreToolUse": [HookMatcher(matcher=None, hooks=[self._pre_tool_use],
                                              timeout=30, on_failure="block")]})

    async def _query(self) -> None:
        from claude_agent_sdk import query
        async for message in query(prompt=self.question, options=self._options()):
            await self._on_message(message)

    # --- the PreToolUse hook -----------------------------------------------------------
    async def _pre_tool_use(self, hook_input: HookInput, tool_use_id: str | None,
                            context: HookContext) -> HookJSONOutput:
        tool = str(hook_input.get("tool_name") or "")
        raw_input = hook_input.get("tool_input")
        tool_input: dict[str, Any] = raw_input if isinstance(raw_input, dict) else {}
        agent = str(hook_input.get("agent_type") or "")  # set inside a subagent
        decision = await asyncio.to_thread(self.cfg.policy.decide, tool, tool_input,
                                           tool_use_id or "", agent)
        if self.cfg.on_tool:
            await asyncio.to_thread(self.cfg.on_tool, tool, tool_input, decision,
                                    tool_use_id or "")
        await self.events.put(("tool", {"id": tool_use_id or "", "tool": tool,
                                        "input": _short(tool_input), "allowed":
                                        decision.allowed, "reason": decision.reason,
                                        **({"specialist": agent} if agent else {})}))
        if not decision.allowed:
            self.result.refused += 1
            self._refused.add(tool_use_id or "")
        specific: PreToolUseHookSpecificOutput = {
            "hookEventName": "PreToolUse",
            "permissionDecision": "allow" if decision.allowed else "deny",
            "permissionDecisionReason": decision.reason}
        if decision.allowed and decision.updated_input is not None:
            specific["updatedInput"] = decision.updated_input
        return {"hookSpecificOutput": specific}

    # --- propose_change ------------------------------------------------------------------
    def _propose_tool(self, propose: Callable[[dict[str, Any]], Any]
                      ) -> SdkMcpTool[Any]:
        from claude_agent_sdk import tool

        @tool("propose_change", "Store a proposed change for a person to approve. Give "
              "`target` {apiVersion, kind, namespace, name}, either `manifest` (the whole "
              "object, server-side applied) or `patch` (a JSON merge patch), `summary` (one "
              "line), `reason`, `evidence` (lines from the diagnosis) and `verify` {skill, "
              "script, args, cause}: the skill script whose finding must be gone afterwards.",
              PROPOSAL_SCHEMA)
        async def propose_change(args: dict[str, Any]) -> dict[str, Any]:
            try:
                view = await propose(args)
            except ValueError as err:
                return {"content": [{"type": "text", "text": f"not stored: {err}"}],
                        "is_error": True}
            self.result.proposals.append(view["name"])
            await self.events.put(("proposal", {
                "name": view["name"], "summary": view["spec"].get("summary", ""),
                "target": view["spec"].get("target", {}), "phase": view["phase"]}))
            return {"content": [{"type": "text", "text":
                                 f"Stored as proposal {view['name']} (phase {view['phase']}). "
                                 "Nothing has changed yet; a person approves it with "
                                 f"`k8s-skills agent approve {view['name']}`."}]}
        return propose_change

    # --- the message stream ------------------------------------------------------------
    async def _on_message(self, message: Message) -> None:
        from claude_agent_sdk import (AssistantMessage, ResultMessage, TextBlock,
                                      ToolResultBlock, ToolUseBlock, UserMessage)
        if isinstance(message, AssistantMessage):
            specialist = self._delegations.get(message.parent_tool_use_id or "", "")
            for block in message.content:
                if isinstance(block, TextBlock) and block.text.strip():
                    if specialist:  # a specialist's words are its report, not the answer
                        await self.events.put(("text", {"text": block.text,
                                                        "specialist": specialist}))
                        continue
                    self.result.answer = block.text
                    await self.events.put(("text", {"text": block.text}))
                elif isinstance(block, ToolUseBlock):
                    self._calls[block.id] = {"tool": block.name, "input": block.input,
                                             "specialist": specialist}
                    if self.cfg.team and not specialist and block.name == "Agent":
                        await self._delegated(block)
        elif isinstance(message, UserMessage) and isinstance(message.content, list):
            for block in message.content:
                if isinstance(block, ToolResultBlock) and block.tool_use_id in self._calls:
                    await self._evidence(block)
        elif isinstance(message, ResultMessage):
            self._finish(message)

    async def _delegated(self, block: ToolUseBlock) -> None:
        name = str((block.input or {}).get("subagent_type") or "")
        self._delegations[block.id] = name
        await self.events.put(("delegation", {"id": block.id, "specialist": name, "brief":
                                              _short({"p": block.input.get("prompt", "")})["p"]}))

    async def _evidence(self, block: ToolResultBlock) -> None:
        call = self._calls.pop(block.tool_use_id)
        text = block.content
        if isinstance(text, list):
            text = "\n".join(str(c.get("text", "")) for c in text if isinstance(c, dict))
        text = str(text or "")
        if block.tool_use_id in self._delegations:
            report = {"id": block.tool_use_id, "output": clip(hand_back(text)),
                      "specialist": self._delegations[block.tool_use_id],
                      "refused": block.tool_use_id in self._refused}
            self.result.reports.append(report)
            await self.events.put(("report", report))
            return
        command = str(call["input"].get("command", "")) if call["tool"] == "Bash" else ""
        match = SKILL_SCRIPT.search(command)
        item = {"id": block.tool_use_id, "tool": call["tool"], "command": command,
                "skill": match.group(1) if match else
                (str(call["input"].get("skill", "")) if call["tool"] == "Skill" else ""),
                "script": match.group(2) if match else "",
                "exit_code": exit_code(text, bool(block.is_error)),
                "refused": block.tool_use_id in self._refused,
                "output": clip(text), **({"specialist": call["specialist"]}
                                         if call.get("specialist") else {})}
        if call["tool"] != "Skill":
            self.result.evidence.append(item)
        await self.events.put(("evidence", item))

    def _finish(self, message: ResultMessage) -> None:
        usage = message.usage or {}
        self.result.tokens_in = sum(int(usage.get(k, 0) or 0) for k in (
            "input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"))
        self.result.tokens_out = int(usage.get("output_tokens", 0) or 0)
        self.result.turns = message.num_turns
        self.result.cost_usd = message.total_cost_usd
        if message.result:
            self.result.answer = message.result
        if message.is_error and not self.result.error:
            self.result.error = f"Claude session ended with {message.subtype}" + (
                f" (API status {message.api_error_status})" if message.api_error_status else "")


PROPOSAL_SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "reason": {"type": "string"},
        "evidence": {"type": "array", "items": {"type": "string"}},
        "target": {"type": "object", "properties": {
            "apiVersion": {"type": "string"}, "kind": {"type": "string"},
            "namespace": {"type": "string"}, "name": {"type": "string"}},
            "required": ["apiVersion", "kind", "name"]},
        "manifest": {"type": "object"},
        "patch": {"type": "object"},
        "verify": {"type": "object", "properties": {
            "skill": {"type": "string"}, "script": {"type": "string"},
            "args": {"type": "array", "items": {"type": "string"}},
            "cause": {"type": "string"}}},
    },
    "required": ["summary", "reason", "target"],
}


def _team_prompt() -> str:
    """The orchestrator: how it delegates, plus the service's own rules (proposals)."""
    from agent.specialists import orchestrator_prompt
    return orchestrator_prompt() + """

Changes: call propose_change with the manifest or merge patch, the reason, the specialists' \
evidence lines and `verify` (the skill script whose finding should be gone). A person approves."""


def hand_back(text: str) -> str:
    """A specialist's report without the frame Claude Code puts around it (2.1.332: a
    notice ending "The report follows:", the report indented, then `agentId:` and usage);
    text without that frame is returned as it is.

    >>> hand_back("<x>Bash</x>\\n[Subagent hand-back] ... The report follows:\\n  [a] b\\n"
    ...           "  c\\nagentId: 1\\n<usage>t: 2</usage>")
    '[a] b\\nc'
    """
    head, marker, body = text.partition("The report follows:")
    if not marker:
        return text
    lines = []
    for line in body.strip("\n").splitlines():
        if line.startswith("agentId:") or line.startswith("<usage>"):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines)).strip()


def clip(text: str, limit: int = CLIP) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more)"


def _short(tool_input: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if len(str(v)) < 500 else str(v)[:500] + "...")
            for k, v in (tool_input or {}).items()}
