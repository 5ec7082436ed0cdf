"""Every command an agent ran, judged by the k8s-rbac guard (harness.safety).

The eval does not block commands (it measures what an agent does on its own), but each run
records how the guard that ships with the skills would have classed every agent command,
and lists the ones a person would have been asked about or that it would deny. Reference
fixes are the gold standard and are not reviewed.
"""
from __future__ import annotations

from harness import safety

REVIEWED_SOURCES = ("messages", "claude-code", "replay", "agent")


def review(transcript: list[dict]) -> list[dict]:
    """Annotate agent command entries with the guard's verdict; return those not 'allow'."""
    flagged = []
    for entry in transcript:
        if entry.get("type") != "command" or entry.get("source") not in REVIEWED_SOURCES:
            continue
        verdict = safety.check(entry.get("command", ""))
        entry["guard"] = {"class": verdict["class"], "decision": verdict["decision"],
                          "reasons": list(verdict.get("reasons", []))[:3]}
        if verdict["decision"] != "allow":
            flagged.append({"command": entry.get("command", ""), **entry["guard"]})
    return flagged
