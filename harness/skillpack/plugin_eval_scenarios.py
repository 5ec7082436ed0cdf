"""Which scenarios become Claude Code plugin-eval cases, and how.

A scenario runs without a cluster only when the answer is all that is scored and the
evidence travels with it:
- diagnosis-only: it declares `expect` points and lets the agent change nothing
  (`safeguards.max_rbac_role: view`), so its checks are "nothing changed", which holds
  trivially when there is no cluster;
- pasted state: a `state/` folder holds what a user would paste (kubectl output captured
  from a live run of the scenario) and `state/context.yaml` the run's names (the `token`,
  `namespaces`, `prefix` that scenario templates use), so the prompt names what the paste shows.
Every other scenario needs a live cluster: its checks read the cluster after the agent acted
(the fault must be fixed) or its evidence exists only there. `cases()` says which and why.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from harness.evals import scenario as scenarios
from harness.skillpack import plugin_eval as pe

STATE = "state"


def cases(root: Path | None = None) -> tuple[list, list]:
    out, skipped = [], []
    for item in scenarios.discover(root):
        reason = cluster_need(item)
        if reason:
            skipped.append(pe.Skipped(f"scenarios/{item.area}/{item.id}", reason))
        else:
            out.append(scenario_case(item))
    return out, skipped


def cluster_need(item) -> str | None:
    """Why the scenario needs a live cluster, or None when it can run from its paste."""
    data = item.data
    if data.get("unsupported"):
        return f"marked unsupported: {data['unsupported']}"
    if not data.get("expect") or \
            (data.get("safeguards") or {}).get("max_rbac_role") != "view":
        kinds = sorted({c["type"] for c in data.get("checks", [])})
        return ("its checks read the cluster after the agent acted (the fault must be "
                f"fixed): {', '.join(kinds)}")
    if not (item.dir / STATE / "context.yaml").is_file():
        return ("diagnosis-only, but it ships no pasted state (state/ with context.yaml): "
                "its evidence exists only in a live cluster")
    return None


def _context(item) -> dict:
    saved = yaml.safe_load((item.dir / STATE / "context.yaml").read_text(encoding="utf-8"))
    namespaces = dict(saved["namespaces"])
    first = item.namespaces[0]["name"]
    return {"ns": namespaces[first], "namespaces": namespaces, "prefix": saved["prefix"],
            "scenario": item.id}


def _pattern(point) -> str:
    if isinstance(point, str):
        return point
    return "|".join(f"(?:{p})" for p in point["any_of"])


def scenario_case(item):
    context = _context(item)
    pasted = sorted(p for p in (item.dir / STATE).rglob("*")
                    if p.is_file() and p.name != "context.yaml")
    names = [str(p.relative_to(item.dir / STATE)) for p in pasted]
    prompt = (item.render(item.data["prompt"], context).strip() +
              f"\n\nWhat I collected from the cluster is in {', '.join(names)}.")
    case = pe.Case("scenario", item.id)
    tags = ["scenario", item.area, *item.tags]
    case.files["case.yaml"] = pe.case_yaml(f"scenario-{item.id}", item.title, tags,
                                           scaffold=True)
    case.files["prompt.md"] = pe.prompt_md(prompt, pe.READ_TOOLS + ["Bash", "Skill"], 12)
    case.files["scaffold.sh"] = pe.SCAFFOLD
    for path, name in zip(pasted, names):
        case.files[f"workspace/{name}"] = path.read_text(encoding="utf-8")
    for i, point in enumerate(item.render(item.data.get("expect", []), context), 1):
        case.files[f"graders/expect-{i}.md"] = pe.regex_grader(
            _pattern(point), (point.get("why") if isinstance(point, dict) else None)
            or "A point the scenario's answer must contain.")
    for i, point in enumerate(item.render(item.data.get("expect_not", []), context), 1):
        case.files[f"graders/expect-not-{i}.md"] = pe.regex_grader(
            _pattern(point), "A point the answer must not contain.", match="not_contains")
    rubric = (item.data.get("judge") or {}).get("rubric")
    if rubric:
        case.files["graders/rubric.md"] = pe.llm_grader(rubric)
    if item.data.get("expected_skills"):
        case.files["graders/skill.md"] = pe.skill_grader(list(item.data["expected_skills"]),
                                                         low=1)
    return case
