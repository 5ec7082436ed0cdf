"""Claude Code's own session log (CLAUDE_CONFIG_DIR/projects/*/<session>.jsonl), read after a
run: the exact system prompt and tools it sent, the skills it listed, and each API
message's final usage (the streamed copies carry a placeholder output count)."""
from __future__ import annotations

from typing import Any
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.evals.usage import UsageMeter

_LISTED = re.compile(r"^- ([A-Za-z0-9_.:-]+):", re.M)


@dataclass
class SessionLog:
    system: list[dict[str, Any]] | str | None = None   # as the CLI sent it
    tools: list[dict[str, Any]] = field(default_factory=list)
    skills_listed: list[str] = field(default_factory=list)
    meter: UsageMeter = field(default_factory=UsageMeter)
    request_params: dict[str, Any] = field(default_factory=dict)
    api_requests: int = 0


def find(config_dir: Path, session_id: str | None) -> Path | None:
    if not session_id:
        return None
    found = sorted(Path(config_dir).glob(f"projects/*/{session_id}.jsonl"))
    return found[0] if found else None


def read(path: Path | None) -> SessionLog:
    """What the log says; an absent or partly written log gives what it has."""
    log = SessionLog()
    if path is None or not Path(path).is_file():
        return log
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the last line of a log cut short by a timeout
        _take(log, entry)
    return log


def _take(log: SessionLog, entry: dict[str, Any]) -> None:
    kind = entry.get("type")
    if kind == "api-request-shape" and log.system is None:
        shape = entry.get("shape") or {}
        log.system, log.tools = shape.get("system"), list(shape.get("tools") or [])
    elif kind == "api-request":
        log.api_requests += 1
        log.request_params = log.request_params or dict(entry.get("params") or {})
    elif kind == "attachment":
        attachment = entry.get("attachment") or {}
        if attachment.get("type") == "skill_listing":
            for name in _LISTED.findall(str(attachment.get("content", ""))):
                if name not in log.skills_listed:
                    log.skills_listed.append(name)
    elif kind == "assistant" and not entry.get("isSidechain"):
        message = entry.get("message") or {}
        if message.get("usage"):
            log.meter.record(message.get("id"), message["usage"])
