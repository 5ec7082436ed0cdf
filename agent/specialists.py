"""The orchestrator and its three specialists, defined once.

Used in two places, both generated from the definitions below:
- the agent service: Claude Agent SDK `agents=` (AgentDefinition per specialist), the main
  session becoming the orchestrator (`k8s-skills agent serve --specialists`); the service's
  PreToolUse policy then allows each specialist only its own skills' scripts
  (`allowed_scripts`), the hook input naming the specialist (`agent_type`);
- the Claude Code plugin: `agents/<name>.md` subagents (`k8s-skills agent specialists
  --write`; a test fails when the files no longer match). `claude --agent
  kubernetes-skills:k8s-orchestrator` runs the orchestrator as the main thread.

Each specialist has only its skills and tools; the orchestrator has none of the skills'
scripts itself: it delegates, merges the reports and cites which specialist found what.
"""
from __future__ import annotations
from collections.abc import Iterable
from typing import Any

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_AGENTS = ROOT / "agents"
SPECIALIST_TOOLS = ("Bash", "Read", "Grep", "Glob", "Skill")
DELEGATE_TOOL = "Agent"  # Claude Code 2.1's name for the subagent tool (formerly Task)


@dataclass(frozen=True)
class Specialist:
    name: str
    area: str
    description: str            # what the orchestrator reads to choose
    skills: tuple[str, ...]      # skills it may load; all their scripts may run
    scripts: tuple[str, ...] = ()  # single scripts of other skills: "skill/script.py"
    focus: str = ""

    def may_run(self, skill: str, script: str) -> bool:
        return skill in self.skills or f"{skill}/{script}" in self.scripts


SPECIALISTS: tuple[Specialist, ...] = (
    Specialist(
        name="k8s-scheduling", area="scheduling",
        description="Kueue and DRA specialist: why a job or pod is pending, not admitted, "
                    "preempted or waiting for a GPU or device claim.",
        skills=("k8s-kueue", "k8s-dra"),
        focus="Why is work waiting: Kueue quota, flavors, cohorts, admission checks, "
              "preemption and gang size; DRA ResourceClaims, DeviceClasses, ResourceSlices "
              "and their allocation."),
    Specialist(
        name="k8s-networking", area="networking",
        description="Gateway API and Inference Extension specialist: why requests do not "
                    "reach model servers.",
        skills=("k8s-gateway-gaie",),
        focus="Does traffic reach the model servers: Gateway and HTTPRoute status, "
              "references and ReferenceGrants, listeners, InferencePools and their endpoint "
              "picker."),
    Specialist(
        name="k8s-observability", area="observability",
        description="Pod, node and serving-traffic specialist: crash loops, OOM kills, image "
                    "pulls, NotReady nodes, LLM latency and errors.",
        skills=("k8s-troubleshooting",),
        scripts=("k8s-gateway-gaie/analyze_traffic.py",),
        focus="What the running system reports: events, container states, probes, logs, "
              "evictions, node conditions, and the serving metrics (queue depth, latency "
              "percentiles, errors, KV-cache saturation) read by analyze_traffic.py of "
              "k8s-gateway-gaie."),
)

BY_NAME = {s.name: s for s in SPECIALISTS}

SPECIALIST_PROMPT = """You are the {area} specialist of a Kubernetes SRE team. {focus}

Your skills: {skills}.{scripts} Load your skill first (Skill tool), then run its scripts \
exactly as its SKILL.md shows; prefer dumps (`kubectl get ... -o json | python3 <script> -f -`). \
Nothing else is yours: other areas belong to other specialists, and you never change the \
cluster.

Report back to the orchestrator, briefly:
- each finding as `[{name}] <cause>: <the script's finding or the object's condition/event, \
word for word>`;
- what you could not see (denied, not found, not dumped) instead of guessing;
- the fix you would propose, as a manifest or merge patch, without applying it."""

ORCHESTRATOR_PROMPT = """You lead a team of Kubernetes specialists; you do not run the \
skills' scripts yourself. Delegate with the Agent tool:
{team}
Choose by the area of the question: one specialist for a question in one area; for a question \
that spans areas (e.g. "why is inference slow and training stuck?"), delegate to each area \
concerned, in the same turn. Set `run_in_background` to false: you merge their reports, so \
wait for them. (Installed from the kubernetes-skills plugin, their names carry its prefix: \
`kubernetes-skills:k8s-scheduling`.) Give each a short, self-contained brief (namespace, \
object, the symptom). Then merge their reports into one answer: lead with the cause, cite each finding \
with the specialist that found it (`[k8s-scheduling] ...`), say where they disagree or what \
none could see, and propose changes only from their evidence."""


def specialist_prompt(spec: Specialist) -> str:
    scripts = (" Also: " + ", ".join(spec.scripts) + "." if spec.scripts else "")
    return SPECIALIST_PROMPT.format(area=spec.area, focus=spec.focus, name=spec.name,
                                    skills=", ".join(spec.skills), scripts=scripts)


def orchestrator_prompt() -> str:
    team = "\n".join(f"- {s.name}: {s.description} {s.focus}" for s in SPECIALISTS)
    return ORCHESTRATOR_PROMPT.format(team=team)


def allowed_scripts(agent_type: str) -> Specialist | None:
    """The specialist a subagent's tool call comes from (hook input `agent_type`; a plugin
    prefixes it `kubernetes-skills:`), or None for the main thread."""
    return BY_NAME.get(agent_type.rsplit(":", 1)[-1]) if agent_type else None


# --- the agent service: Claude Agent SDK ------------------------------------------------
def agent_definitions() -> dict[str, Any]:
    """{name: AgentDefinition} for ClaudeAgentOptions(agents=...). `background=False`: the
    orchestrator waits for the report (Claude Code 2.1 starts subagents in the background
    otherwise, and the main turn would end before the evidence is in)."""
    from claude_agent_sdk import AgentDefinition
    return {s.name: AgentDefinition(description=s.description, prompt=specialist_prompt(s),
                                    tools=list(SPECIALIST_TOOLS), skills=list(s.skills),
                                    background=False)
            for s in SPECIALISTS}


# --- the plugin: Claude Code subagent files ------------------------------------------------
def plugin_files() -> dict[str, str]:
    """{file name: text} of the plugin's agents/ folder."""
    files = {f"{s.name}.md": _agent_md(s.name, s.description, SPECIALIST_TOOLS,
                                       specialist_prompt(s), skills=s.skills)
             for s in SPECIALISTS}
    files["k8s-orchestrator.md"] = _agent_md(
        "k8s-orchestrator",
        "Splits a Kubernetes question among the scheduling, networking and observability "
        "specialists and merges their cited findings (claude --agent).",
        (DELEGATE_TOOL,), orchestrator_prompt())
    return files


def _agent_md(name: str, description: str, tools: Iterable[str], prompt: str,
              skills: Iterable[str] = ()) -> str:
    import yaml
    head: dict[str, str | list[str]] = {"name": name, "description": description,
                                        "tools": ", ".join(tools)}
    if skills:
        head["skills"] = list(skills)
    front = yaml.safe_dump(head, sort_keys=False, width=100, allow_unicode=True)
    return (f"---\n{front}---\n\n<!-- generated from agent/specialists.py by "
            f"`k8s-skills agent specialists --write`; edit that file, not this one -->\n\n"
            f"{prompt}\n")


def stale_plugin_files(folder: Path = PLUGIN_AGENTS) -> list[str]:
    """Names of agents/ files that differ from the definitions (or are extra/missing)."""
    want = plugin_files()
    have = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")} \
        if folder.is_dir() else {}
    return sorted(n for n in set(want) | set(have) if want.get(n) != have.get(n))


def write_plugin_files(folder: Path = PLUGIN_AGENTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for extra in set(p.name for p in folder.glob("*.md")) - set(plugin_files()):
        (folder / extra).unlink()
    out = []
    for name, text in plugin_files().items():
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out
