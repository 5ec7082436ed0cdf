"""What every Claude backend is told, identical for both arms.

Claude Code runs with its own system prompt (the SDK's `claude_code` preset) and, unless
`--instructions none`, one short Kubernetes preamble appended; the messages backend sends
the same preamble as its system prompt. The skills arm differs only by the skills offered.
The exact system prompt and tools sent are recorded with each run (content-addressed files
under the run folder's instructions/).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SDK is imported only when Claude Code runs
    from claude_agent_sdk.types import SystemPromptPreset

PREAMBLE = """You are working on the user's Kubernetes cluster through a shell: kubectl is \
on PATH and its current context and namespace are already set for you. Investigate before \
you change anything, change only what the fix needs, do not delete or recreate workloads \
unless the user asks, and end with a short answer that says what was wrong and what you \
changed."""
MODES = ("preamble", "none")


def preamble(mode: str) -> str | None:
    if mode not in MODES:
        raise ValueError(f"unknown instructions mode {mode!r}; known: {', '.join(MODES)}")
    return PREAMBLE if mode == "preamble" else None


def claude_code_system_prompt(mode: str) -> SystemPromptPreset:
    """The SDK's system_prompt option: Claude Code's own prompt, plus the preamble."""
    text = preamble(mode)
    prompt: SystemPromptPreset = {"type": "preset", "preset": "claude_code"}
    if text:
        prompt["append"] = text
    return prompt


def sha256(value: object) -> str:
    data = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def store(run_dir: Path, system: object, tools: list[dict[str, Any]]) -> dict[str, Any]:
    """Write the exact system prompt and tool definitions once per distinct content;
    returns the references a record keeps."""
    folder = Path(run_dir) / "instructions"
    folder.mkdir(parents=True, exist_ok=True)
    refs: dict[str, Any] = {}
    for name, value in (("system", system), ("tools", tools)):
        if value in (None, [], ""):
            refs[name] = None
            continue
        digest = sha256(value)
        path = folder / f"{name}-{digest[:16]}.json"
        if not path.is_file():
            path.write_text(json.dumps(value, indent=1) + "\n", encoding="utf-8")
        refs[name] = {"sha256": digest, "file": f"instructions/{path.name}"}
    refs["tool_names"] = [t.get("name") for t in tools or [] if isinstance(t, dict)]
    return refs
