"""Backends without a model: `none` (the fault stays), `reference` (the gold fix),
`dodge` (removes the symptom's trigger only), `replay` (a recorded transcript's commands,
re-targeted at this run's namespaces)."""
from __future__ import annotations
from typing import Any

import json
from pathlib import Path

from harness import yamlio
from harness.errors import UserError
from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.agents.registry import register
from harness.evals.errors import InfraError


@register("none", control=True)
class NoneAgent:
    """Does nothing: the fault stays (the control must fail)."""
    name = "none"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        return AgentOutcome()


@register("reference", control=True)
class ReferenceAgent:
    """Applies solution/: `*.yaml` (Jinja2-rendered, server-side applied) and `*.sh`
    (run with NS, PREFIX, NS_<NAME> and KUBECONFIG set) in name order;
    `answer.md` (rendered) is the final answer."""
    name = "reference"
    folder = "solution"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        apply_folder(ctx, ctx.scenario.dir / self.folder, self.name)
        return AgentOutcome(answer=self.answer(ctx))

    def answer(self, ctx: AgentContext) -> str:
        answer = ctx.scenario.solution_dir / "answer.md"
        return ctx.render(answer.read_text()) if answer.is_file() else ""


@register("dodge", control=True)
class DodgeAgent(ReferenceAgent):
    """Applies dodge/ the same way: a change that removes the symptom's trigger without
    resolving the fault. It answers with dodge/answer.md, else with the reference answer,
    so only the checks and safeguards can tell it from the fix (the control must fail)."""
    name = "dodge"
    folder = "dodge"

    def answer(self, ctx: AgentContext) -> str:
        own = ctx.scenario.dir / self.folder / "answer.md"
        return ctx.render(own.read_text()) if own.is_file() else super().answer(ctx)


def apply_folder(ctx: AgentContext, folder: Path, source: str) -> None:
    """Apply a fix folder's `*.yaml` and run its `*.sh`, in name order; a step that fails
    is an infrastructure error (the scenario's own fix is broken)."""
    if not folder.is_dir():
        raise InfraError(f"{folder}: the scenario has no {folder.name}/ folder")
    for file in sorted(folder.iterdir()):
        if file.suffix in (".yaml", ".yml", ".j2"):
            target = ctx.workdir / f"{folder.name}-{file.stem}.yaml"
            target.write_text(ctx.render(file.read_text(encoding="utf-8")))
            entry = ctx.shell.run(f"kubectl apply --server-side --force-conflicts "
                                  f"-f {target.name}", source=source)
        elif file.suffix == ".sh":
            entry = ctx.shell.run(f"bash {file}", source=source)
        else:
            continue
        if entry["exit_code"] != 0:
            raise InfraError(f"{source} fix {file.name} failed: {entry['output'][-300:]}")


@register("replay", transcript=True, reviewed=True)
class ReplayAgent:
    """Re-runs the commands of a recorded result (or a YAML list of commands)."""
    name = "replay"

    def run(self, ctx: AgentContext) -> AgentOutcome:
        commands, answer, old = load_transcript(ctx.transcript_file, ctx.scenario.id)
        if ctx.sandbox is None:
            raise InfraError("replay re-targets commands at a run's sandbox; this run has none")
        new = ctx.sandbox.describe()
        for command in commands:
            ctx.shell.run(retarget(command, old, new), source="replay")
        return AgentOutcome(answer=retarget(answer, old, new),
                            turns=len(commands))


def load_transcript(path: Path | None, scenario_id: str) -> tuple[list[str], str, dict[str, Any]]:
    """(commands, answer, recorded sandbox) from a result JSON, a results folder or YAML."""
    if path is None:
        raise UserError("--agent replay needs --transcript FILE (a result JSON or a results "
                        "folder of a previous run)")
    path = Path(path)
    if path.is_dir():
        found = sorted(path.glob(f"scenarios/{scenario_id}__*.json"))
        if not found:
            raise InfraError(f"{path} has no recorded run of {scenario_id}")
        path = found[0]
    try:
        data = json.loads(path.read_text()) if path.suffix == ".json" \
            else yamlio.load(path.read_text())
    except (OSError, ValueError) as err:
        raise UserError(f"{path}: cannot read the transcript: {err}") from err
    if isinstance(data, list):
        return [str(c) for c in data], "", {}
    commands = [e["command"] for e in data.get("transcript", []) if e.get("type") == "command"]
    return commands, data.get("answer", ""), data.get("sandbox", {})


def retarget(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """Swap a recorded run's namespaces and prefix for this run's.

    >>> retarget("kubectl -n app-aaaaaa get cq ev-aaaaaa-x",
    ...          {"prefix": "ev-aaaaaa", "namespaces": {"app": "app-aaaaaa"}},
    ...          {"prefix": "ev-bbbbbb", "namespaces": {"app": "app-bbbbbb"}})
    'kubectl -n app-bbbbbb get cq ev-bbbbbb-x'
    """
    if not old:
        return text
    for logical, name in old.get("namespaces", {}).items():
        if logical in new.get("namespaces", {}):
            text = text.replace(name, new["namespaces"][logical])
    if old.get("prefix") and new.get("prefix"):
        text = text.replace(old["prefix"], new["prefix"])
    return text
