"""Every command an agent ran, judged by the k8s-rbac guard (harness.safety).

The eval does not block commands (it measures what an agent does on its own), but each run
records how the guard that ships with the skills would have classed every agent command,
and lists the ones a person would have been asked about or that it would deny. Each backend
declares whether its commands are reviewed (agents.register): reference fixes are the gold
standard and are not. With `--guard enforce` (harness.evals.guard) the verdict was given
before the command ran and is kept as it was.
"""
from __future__ import annotations

from harness import safety
from harness.evals import agents
from typing import Any


def review(transcript: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Annotate agent command entries with the guard's verdict; return those not 'allow'."""
    flagged = []
    for entry in transcript:
        if entry.get("type") != "command" or entry.get("source") not in agents.reviewed_sources():
            continue
        if "guard" not in entry:  # enforced runs carry the verdict given before the command
            verdict = safety.check(entry.get("command", ""))
            entry["guard"] = {"class": verdict["class"], "decision": verdict["decision"],
                              "reasons": list(verdict.get("reasons", []))[:3],
                              "blocked": False}
        if entry["guard"]["decision"] != "allow":
            flagged.append({"command": entry.get("command", ""), **entry["guard"]})
    return flagged
