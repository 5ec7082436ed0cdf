"""The k8s-rbac guard during an eval run: every verdict recorded; optionally enforced.

Modes (`k8s-skills eval --guard MODE`, see also harness/safety/enforce.py):
- `review` (default): every agent command is judged after the run, as the guard that ships
  with the skills would have judged it; nothing is stopped (the eval measures what the
  agent does alone).
- `off`: the guard is not consulted.
- `enforce`: the guard sits in front of the tools (Claude Code: a PreToolUse hook on Bash
  and the file tools; the messages backend: a check before its bash tool) and refuses
  everything it does not `allow`: nobody is there to answer an `ask`. With the allowlist
  guard every change is an `ask`, so this measures an agent that may only read.
- `supervised`: as `enforce`, but the harness stands in for the person the guard asks, as
  a careful one would answer: an `ask` about an ordinary change (class read or write: the
  user asked for the fix) is approved and recorded `approved_by: harness`; a destructive
  `ask` and every `deny` are refused with the guard's reason.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import time
from pathlib import Path

from harness.safety import GUARD_MODES as MODES
from harness.safety.enforce import MATCHER, Enforcer

if TYPE_CHECKING:
    from claude_agent_sdk import HookContext, HookInput, HookJSONOutput

ENFORCING = ("enforce", "supervised")


class GuardPolicy:
    """One run's guard: judges tool calls from the agent's own folder and environment."""

    def __init__(self, mode: str = "review", workdir: Path | None = None,
                 env: dict[str, Any] | None = None, transcript: list[Any] | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown guard mode {mode!r}; known: {', '.join(MODES)}")
        self.mode = mode
        self.verdicts: list[dict[str, Any]] = []
        self._start = time.monotonic()
        self.transcript = transcript if transcript is not None else []
        self._enforcer = Enforcer(Path(workdir or "."), env or {}, self.transcript,
                                  blocks=self.blocks) if self.enforcing else None

    @property
    def enforcing(self) -> bool:
        return self.mode in ENFORCING

    @property
    def reviewing(self) -> bool:
        return self.mode != "off"

    def blocks(self, decision: str, kind: str) -> bool:
        """Whether an enforced guard keeps the call from running.

        >>> s, e = GuardPolicy("supervised"), GuardPolicy("enforce")
        >>> s.blocks("ask", "write"), s.blocks("ask", "destructive"), s.blocks("deny", "read")
        (False, True, True)
        >>> e.blocks("ask", "write"), e.blocks("allow", "read")
        (True, False)
        """
        if not self.enforcing or decision == "allow":
            return False
        if self.mode == "enforce":
            return True
        return decision == "deny" or kind not in ("read", "write")

    def judge(self, command: str, tool_use_id: str | None = None) -> dict[str, Any]:
        """The guard's verdict on one command line, recorded; `blocked` says whether the
        command was kept from running."""
        return self.judge_tool("Bash", {"command": command}, tool_use_id)

    def judge_tool(self, tool: str, tool_input: dict[str, Any], tool_use_id: str | None = None) -> dict[str, Any]:
        """The verdict on any tool call (Bash or a file tool); {} when the guard has no
        opinion (a tool it does not judge)."""
        if self._enforcer is None:
            raise RuntimeError(f"the guard judges before a call only when enforced, not in "
                               f"mode {self.mode!r}")
        before = len(self.transcript)
        self._enforcer.tool(tool, tool_input, tool_use_id or "")
        if len(self.transcript) == before:
            return {}
        entry = self.transcript[-1]
        entry["t"] = round(time.monotonic() - self._start, 3)
        entry["approved_by"] = "harness" if entry["decision"] == "ask" \
            and not entry["blocked"] else None
        verdict = {"t": entry["t"], "tool_use_id": tool_use_id, "tool": tool,
                   **{k: entry[k] for k in ("command", "class", "decision", "reasons",
                                            "explanation", "blocked", "approved_by")}}
        self.verdicts.append(verdict)
        return verdict

    def claude_hooks(self) -> dict[str, Any]:
        """The SDK `hooks` option: Claude Code asks the guard before Bash and the file
        tools; a hook that fails blocks the call."""
        from claude_agent_sdk import HookMatcher

        async def pre_tool_use(data: HookInput, tool_use_id: str | None,
                               _context: HookContext) -> HookJSONOutput:
            tool_input = data.get("tool_input")   # PreToolUse: a dict
            verdict = self.judge_tool(str(data.get("tool_name", "")),
                                      tool_input if isinstance(tool_input, dict) else {},
                                      tool_use_id)
            if not verdict.get("blocked"):
                return {}
            return {"hookSpecificOutput": {
                "hookEventName": "PreToolUse", "permissionDecision": "deny",
                "permissionDecisionReason": refusal(verdict)}}
        return {"PreToolUse": [HookMatcher(matcher=MATCHER, hooks=[pre_tool_use], timeout=30,
                                           on_failure="block")]}


def refusal(verdict: dict[str, Any]) -> str:
    """What the agent is told when the guard refuses a call."""
    why = verdict.get("explanation") or "; ".join(verdict.get("reasons") or []) \
        or verdict.get("class", "")
    return f"k8s-rbac guard ({verdict['decision']}; no person approves in an eval run): {why}"


def short(verdict: dict[str, Any]) -> dict[str, Any]:
    """The part of a verdict a timeline step carries."""
    return {k: verdict.get(k) for k in ("class", "decision", "reasons", "blocked",
                                        "approved_by")}
