"""`--guard enforce`: the k8s-rbac guard as the agent's PreToolUse hook in an eval run.

Modes (`k8s-skills eval --guard MODE`):
  off      the guard is not consulted
  review   every agent command is judged after the run and listed when it needed a
           person (the default: the run measures what the agent does on its own)
  enforce  every Bash, Write, Edit, MultiEdit, NotebookEdit, Read and Grep call is judged
           before it runs; anything but `allow` is refused (there is no person to ask in
           an eval run), and every verdict is written to the run's transcript
  supervised  as enforce, but the harness answers an `ask` about an ordinary change
           (class read or write) yes, as the person who asked for the fix would; a
           destructive `ask` and every `deny` are refused (harness/evals/guard.py)

The claude-code backend gets it as an Agent SDK hook (the CLI blocks the call, and a
failing hook blocks too); the messages backend checks before its bash tool runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from harness import safety

if TYPE_CHECKING:
    from claude_agent_sdk import HookContext, HookInput, HookJSONOutput, HookMatcher
    from claude_agent_sdk.types import HookEvent

MATCHER = "Bash|Write|Edit|MultiEdit|NotebookEdit|Read|Grep"


class Enforcer:
    """Judges one agent's tool calls from its own project folder and environment."""

    def __init__(self, workdir: Path, env: Mapping[str, str], transcript: list[dict[str, Any]],
                 policy: safety.Policy | None = None,
                 blocks: Callable[[str, str], bool] | None = None):
        self.transcript = transcript
        # (decision, class) -> refused?  Default: everything but `allow`.
        self.blocks = blocks or (lambda decision, _kind: decision != "allow")
        self.guard = safety.Guard(policy=policy, identity={"agent": "eval"}, cwd=workdir,
                                  skill_roots=[workdir / ".claude" / "skills"], env=env)

    def bash(self, command: str, call_id: str = "") -> tuple[bool, str]:
        verdict = self.guard.check(command, record_id=call_id)
        return self._outcome("Bash", command, verdict, call_id)

    def tool(self, name: str, tool_input: dict[str, Any], call_id: str = "") -> tuple[bool, str]:
        if name == "Bash":
            command = tool_input.get("command") if isinstance(tool_input, dict) else None
            if not isinstance(command, str):
                return self._refuse(name, str(tool_input)[:200], "Bash without a command", call_id)
            return self.bash(command, call_id)
        verdict = self.guard.check_tool(name, tool_input if isinstance(tool_input, dict)
                                        else {}, record_id=call_id)
        if verdict is None:
            return True, ""
        target = tool_input.get("file_path") or tool_input.get("path") or "" if \
            isinstance(tool_input, dict) else ""
        return self._outcome(name, f"{name} {target}", verdict, call_id)

    def _outcome(self, tool: str, command: str, verdict: safety.Verdict,
                 call_id: str = "") -> tuple[bool, str]:
        allowed = not self.blocks(verdict["decision"], verdict["class"])
        self.transcript.append({"type": "guard", "tool": tool, "command": command,
                                "decision": verdict["decision"], "class": verdict["class"],
                                "explanation": verdict["explanation"], "enforced": True,
                                "reasons": list(verdict.get("reasons") or [])[:3],
                                "blocked": not allowed, "tool_use_id": call_id})
        if allowed:
            return True, ""
        return False, (f"k8s-rbac guard ({verdict['decision']}; no person approves in an "
                       f"eval run): {verdict['explanation']}")

    def _refuse(self, tool: str, command: str, why: str, call_id: str = "") -> tuple[bool, str]:
        self.transcript.append({"type": "guard", "tool": tool, "command": command,
                                "decision": "deny", "class": "destructive",
                                "explanation": why, "enforced": True, "reasons": [why],
                                "blocked": True, "tool_use_id": call_id})
        return False, f"k8s-rbac guard: {why}"


def sdk_hooks(enforcer: Enforcer) -> dict[HookEvent, list[HookMatcher]]:
    """ClaudeAgentOptions.hooks: one PreToolUse callback; a failure blocks the call."""
    from claude_agent_sdk import HookMatcher

    async def pre_tool_use(hook_input: HookInput, tool_use_id: str | None,
                           context: HookContext) -> HookJSONOutput:  # noqa: ARG001 - SDK shape
        tool = str(hook_input.get("tool_name", ""))     # PreToolUse: a str and a dict
        tool_input = hook_input.get("tool_input")
        allowed, reason = enforcer.tool(tool, tool_input if isinstance(tool_input, dict) else {},
                                        tool_use_id or "")
        if allowed:
            return {}
        return {"hookSpecificOutput": {"hookEventName": "PreToolUse",
                                       "permissionDecision": "deny",
                                       "permissionDecisionReason": reason}}

    return {"PreToolUse": [HookMatcher(matcher=MATCHER, hooks=[pre_tool_use], timeout=30,
                                       on_failure="block")]}
