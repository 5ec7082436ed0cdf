"""The orchestrator and its specialists, defined once (agent/specialists.py): the plugin's
agents/*.md and the service's AgentDefinitions come from it, each specialist may use only its
own skills, and a scripted run through the real Claude Code CLI (the fake Anthropic API plays
every model turn: scripted, never a model's answer) shows delegation to the right specialist
per area, a cross-area question answered by two, and the merged answer citing who found what.
"""
from __future__ import annotations

import asyncio
import json
import os

import pytest
import yaml

from agent import specialists
from agent.policy import ToolPolicy
from agent.session import Session, SessionConfig
from agent.workspace import Workspace
from harness import safety
from harness.evals.agents.skills import built_bundles
from tests.agent.team_router import TeamRouter

SCRIPTS = ".claude/skills/{}/scripts/{}"
DUMP = "kubectl get {} -A -o json | python3 " + SCRIPTS + " -f -"


def _front(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


# --- one definition, two consumers -----------------------------------------------------------
def test_the_plugin_agents_are_generated_from_the_one_definition():
    assert specialists.stale_plugin_files() == [], \
        "agents/ is stale: run `k8s-skills agent specialists --write` and commit agents/"


def test_the_sdk_definitions_say_the_same_as_the_plugin_files():
    defs = specialists.agent_definitions()
    assert sorted(defs) == ["k8s-networking", "k8s-observability", "k8s-scheduling"]
    for name, definition in defs.items():
        head, body = _front((specialists.PLUGIN_AGENTS / f"{name}.md").read_text())
        assert head["name"] == name and head["description"] == definition.description
        assert head["skills"] == definition.skills == list(specialists.BY_NAME[name].skills)
        assert head["tools"].split(", ") == definition.tools
        assert body.strip().endswith(definition.prompt.strip())
        assert definition.background is False  # the orchestrator waits for the report
    head, body = _front((specialists.PLUGIN_AGENTS / "k8s-orchestrator.md").read_text())
    assert head["tools"] == "Agent" and specialists.orchestrator_prompt() in body


def test_every_skill_named_exists_and_every_area_is_covered():
    skills = {p.parent.name for p in specialists.ROOT.glob("skills/*/SKILL.md")}
    for spec in specialists.SPECIALISTS:
        assert set(spec.skills) <= skills, spec
        for extra in spec.scripts:
            assert (specialists.ROOT / "skills" / extra.split("/")[0] / "scripts"
                    / extra.split("/")[1]).is_file()
    named = {s for spec in specialists.SPECIALISTS for s in spec.skills}
    assert {"k8s-kueue", "k8s-dra", "k8s-gateway-gaie", "k8s-troubleshooting"} == named


# --- each specialist only its skills and tools (the service's PreToolUse policy) --------------
@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = Workspace(str(tmp_path_factory.mktemp("team")), str(built_bundles()))
    ws.prepare()
    return ws


@pytest.fixture(scope="module")
def policy(workspace):
    project = workspace.project
    return ToolPolicy(project, guard=lambda c, call_id="": safety.check(
        c, cwd=project, skill_roots=[project / ".claude" / "skills"]),
        propose_tool="mcp__agent__propose_change", team=True)


@pytest.mark.parametrize("agent,tool,tool_input,allowed", [
    ("", "Agent", {"subagent_type": "k8s-scheduling", "prompt": "p"}, True),
    ("", "Agent", {"subagent_type": "general-purpose", "prompt": "p"}, False),
    ("", "Bash", {"command": "kubectl get pods"}, False),       # the orchestrator delegates
    ("", "mcp__agent__propose_change", {}, True),
    ("k8s-scheduling", "Bash", {"command": DUMP.format("workloads", "k8s-kueue",
                                                       "explain_pending.py")}, True),
    ("k8s-scheduling", "Bash", {"command": DUMP.format("resourceclaims", "k8s-dra",
                                                       "explain_claim.py")}, True),
    ("k8s-scheduling", "Bash", {"command": DUMP.format("httproutes", "k8s-gateway-gaie",
                                                       "check_routes.py")}, False),
    ("k8s-scheduling", "Skill", {"skill": "k8s-kueue"}, True),
    ("k8s-scheduling", "Skill", {"skill": "k8s-rbac"}, False),
    ("k8s-scheduling", "Agent", {"subagent_type": "k8s-networking"}, False),
    ("k8s-scheduling", "mcp__agent__propose_change", {}, False),
    ("k8s-networking", "Bash", {"command": DUMP.format("httproutes", "k8s-gateway-gaie",
                                                       "check_routes.py")}, True),
    ("k8s-networking", "Bash", {"command": DUMP.format("pods", "k8s-troubleshooting",
                                                       "triage.py")}, False),
    ("k8s-networking", "Bash", {"command": "kubectl delete httproute r -n x"}, False),
    ("k8s-observability", "Bash", {"command": DUMP.format("pods,events", "k8s-troubleshooting",
                                                          "triage.py")}, True),
    ("k8s-observability", "Bash", {"command": "python3 " + SCRIPTS.format(
        "k8s-gateway-gaie", "analyze_traffic.py") + " --help"}, True),
    ("k8s-observability", "Bash", {"command": DUMP.format("httproutes", "k8s-gateway-gaie",
                                                          "check_routes.py")}, False),
    ("k8s-observability", "Read", {"file_path": ".claude/skills/k8s-kueue/SKILL.md"}, False),
    ("k8s-observability", "Read", {"file_path":
                                   ".claude/skills/k8s-troubleshooting/SKILL.md"}, True),
    ("kubernetes-skills:k8s-scheduling", "Skill", {"skill": "kubernetes-skills:k8s-dra"}, True),
    ("general-purpose", "Bash", {"command": "kubectl get pods"}, False),
])
def test_each_member_may_use_only_its_own_tools(policy, agent, tool, tool_input, allowed):
    decision = policy.decide(tool, tool_input, "", agent)
    assert decision.allowed is allowed, decision.reason


# --- the scripted run: the real CLI, the real hook, the fake API ------------------------------
def _run(workspace, policy, scripts: dict, question: str, tmp_path):
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    with TeamRouter(scripts) as fake:
        env = {"ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "scripted",
               "HOME": str(home), "CLAUDE_CONFIG_DIR": str(home / ".claude"),
               "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_TELEMETRY": "1",
               "DISABLE_ERROR_REPORTING": "1", "DISABLE_AUTOUPDATER": "1",
               "CLAUDE_CODE_MAX_RETRIES": "0", "PATH": os.environ["PATH"],
               # no cluster here: kubectl fails fast and the script reports what it got
               "KUBECONFIG": str(tmp_path / "none.kubeconfig")}
        cfg = SessionConfig(workdir=str(workspace.project), env=env, model="scripted",
                            max_turns=8, timeout=240, policy=policy, propose=None, team=True)
        session = Session(cfg, question)

        async def go():
            events, task = [], asyncio.create_task(session.run())
            while (item := await session.events.get()) is not None:
                events.append(item)
            return events, await task
        events, result = asyncio.run(go())
        return events, result, fake.conversations()


AREAS = {
    "scheduling": ("why is train-b pending in team-a?", "k8s-kueue", "explain_pending.py",
                   "workloads,clusterqueues,localqueues"),
    "networking": ("why does the chat route return 404?", "k8s-gateway-gaie",
                   "check_routes.py", "gateways,httproutes"),
    "observability": ("why does the vllm pod keep restarting?", "k8s-troubleshooting",
                      "triage.py", "pods,events"),
}


def _specialist_steps(area: str) -> list[dict]:
    _, skill, script, kinds = AREAS[area]
    return [{"skill": skill}, {"bash": DUMP.format(kinds, skill, script)},
            {"say": f"[k8s-{area}] {script} ran on what kubectl could read (scripted)."}]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_orchestrator_delegates_each_area_to_its_specialist(workspace, policy, area,
                                                                 tmp_path):
    question = AREAS[area][0]
    name = f"k8s-{area}"
    scripts = {"orchestrator": [
        {"tool": "Agent", "input": {"subagent_type": name, "description": f"{area} check",
                                    "prompt": question}},
        {"say": f"Merged (scripted): [{name}] reported."}], area: _specialist_steps(area)}
    events, result, talks = _run(workspace, policy, scripts, question, tmp_path)
    assert not result.error, result.error
    delegations = [d for e, d in events if e == "delegation"]
    assert [d["specialist"] for d in delegations] == [name]
    # the specialist's conversation: its own prompt, only its tools, its skill's script ran
    (request, *_) = talks[area]
    assert {t["name"] for t in request["tools"]} <= set(specialists.SPECIALIST_TOOLS)
    runs = [d for e, d in events if e == "evidence" and d.get("script")]
    assert [(d["specialist"], d["skill"], d["script"]) for d in runs] == [
        (name, AREAS[area][1], AREAS[area][2])]
    reports = [d for e, d in events if e == "report"]
    assert [r["specialist"] for r in reports] == [name]
    # the report as the specialist wrote it, without the frame the CLI puts around it
    assert reports[0]["output"] == (f"[{name}] {AREAS[area][2]} ran on what kubectl could "
                                    "read (scripted).")
    assert result.answer == f"Merged (scripted): [{name}] reported."
    # the other specialists never ran
    assert set(talks) - {"", "orchestrator"} == {area}


def test_a_cross_area_question_is_answered_by_two_and_each_finding_is_cited(
        workspace, policy, tmp_path):
    question = "why is inference slow and training stuck?"
    scripts = {
        "orchestrator": [
            {"parallel": [
                {"tool": "Agent", "input": {"subagent_type": "k8s-scheduling",
                                            "description": "training stuck",
                                            "prompt": "why is training stuck in team-a?"}},
                {"tool": "Agent", "input": {"subagent_type": "k8s-observability",
                                            "description": "inference slow",
                                            "prompt": "why is inference slow in serving?"}}]},
            {"say": "Two causes (scripted): [k8s-scheduling] training waits for quota; "
                    "[k8s-observability] inference is slow from queueing."}],
        "scheduling": _specialist_steps("scheduling") [:1] + [
            # outside its skills: refused by the hook, then its own script
            {"bash": DUMP.format("httproutes", "k8s-gateway-gaie", "check_routes.py")},
            *_specialist_steps("scheduling")[1:]],
        "observability": _specialist_steps("observability"),
    }
    events, result, talks = _run(workspace, policy, scripts, question, tmp_path)
    assert not result.error, result.error
    assert sorted(d["specialist"] for e, d in events if e == "delegation") == [
        "k8s-observability", "k8s-scheduling"]
    by = {}
    for e, d in events:
        if e == "evidence" and d.get("script"):
            by.setdefault(d["specialist"], []).append((d["script"], d["refused"]))
    assert by == {"k8s-scheduling": [("check_routes.py", True), ("explain_pending.py", False)],
                  "k8s-observability": [("triage.py", False)]}
    refusal = next(d for e, d in events if e == "tool" and not d["allowed"])
    assert refusal["specialist"] == "k8s-scheduling"
    assert "not a script of k8s-scheduling" in refusal["reason"]
    assert sorted(r["specialist"] for r in result.reports) == ["k8s-observability",
                                                               "k8s-scheduling"]
    assert "[k8s-scheduling]" in result.answer and "[k8s-observability]" in result.answer
    # the merge saw both reports: the orchestrator's last request carries them
    last = talks["orchestrator"][-1]["messages"]
    seen = str(last)
    assert "[k8s-scheduling] explain_pending.py" in seen
    assert "[k8s-observability] triage.py" in seen


# --- the same team as Claude Code plugin subagents -------------------------------------------
@pytest.mark.claude_cli
def test_the_plugin_orchestrator_delegates_to_its_specialist_in_claude_code(tmp_path):
    """`claude --agent kubernetes-skills:k8s-orchestrator` with the plugin installed from this
    checkout: the orchestrator has only the Agent tool, delegates in the foreground as its
    prompt says, and the specialist runs with its own prompt, tools and skill."""
    from harness.skillpack.claude_cli import ClaudeCLI
    brief = {"subagent_type": "kubernetes-skills:k8s-scheduling", "description": "train-b",
             "prompt": "why is train-b pending in team-a?", "run_in_background": False}
    scripts = {"orchestrator": [{"tool": "Agent", "input": brief},
                                {"say": "[k8s-scheduling] reported (scripted)."}],
               "scheduling": [{"skill": "kubernetes-skills:k8s-kueue"},
                              {"say": "[k8s-scheduling] quota (scripted)."}]}
    with TeamRouter(scripts) as fake:
        cli = ClaudeCLI(tmp_path / "home", base_url=fake.url)
        cli.run("plugin", "marketplace", "add", str(specialists.ROOT))
        cli.run("plugin", "install", "kubernetes-skills@kubernetes-skills")
        (tmp_path / "work").mkdir()
        out = cli.run("--agent", "kubernetes-skills:k8s-orchestrator", "-p",
                      "why is train-b pending in team-a?", "--model", "scripted",
                      "--output-format", "json", cwd=tmp_path / "work")
        talks = fake.conversations()
    result = json.loads(out.stdout)
    assert result["result"] == "[k8s-scheduling] reported (scripted)."
    stats = result["subagent_stats"]
    assert stats["by_type"] == {"kubernetes-skills:k8s-scheduling": 1}
    assert stats["started_in_background"] == 0 and stats["completed"] == 1
    orchestrator = talks["orchestrator"][0]
    assert {t["name"] for t in orchestrator["tools"]} - {"DeferredToolPlaceholder"} == {"Agent"}
    scheduling = talks["scheduling"]
    assert {t["name"] for t in scheduling[0]["tools"]} <= set(specialists.SPECIALIST_TOOLS)
    assert "# Kueue" in json.dumps(scheduling[-1]["messages"])  # its skill was loaded
