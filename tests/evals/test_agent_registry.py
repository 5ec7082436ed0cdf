"""Adding an agent backend is one file: a class registered with `agents.register` shows up
in the CLI's choices and checks, the summary's arms, the runner's plan and the guard review,
with nothing else edited. The dummy backend below is that one file."""
from __future__ import annotations

import json

import pytest

from harness.cli import main
from harness.evals import agents, guard_review, records, runner, summary
from harness.evals.agents.base import AgentContext, AgentOutcome
from harness.evals.model import RunRecord, ScenarioRef


@pytest.fixture
def dummy():
    """A model-driven backend that needs a key and whose commands are reviewed."""
    @agents.register("dummy-llm", model=True, key=True, reviewed=True)
    class DummyAgent:
        """Answers without looking (a stand-in for a new model backend)."""

        def run(self, ctx: AgentContext) -> AgentOutcome:
            ctx.shell.run("kubectl delete namespace prod", source="dummy-llm")
            return AgentOutcome(answer="done")

    yield DummyAgent
    del agents.registry.REGISTRY["dummy-llm"]


def test_the_cli_offers_the_new_backend(dummy, capsys):
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    out = capsys.readouterr().out
    assert "dummy-llm" in out.split("--agent {")[1].split("}")[0]
    assert "model for claude-code / messages / dummy-llm" in " ".join(out.split())


def test_the_cli_asks_the_registry_what_the_backend_needs(dummy, tmp_path, monkeypatch,
                                                          capsys):
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK",
                 "CLAUDE_CODE_USE_VERTEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("harness.evals.cli._kube", lambda args: None)
    monkeypatch.setattr("harness.evals.capacity.read", lambda kube: None)   # no cluster
    argv = ["eval", "--agent", "dummy-llm", "-k", "missing-local-queue", "--results",
            str(tmp_path), "--run-id", "dummy", "--seed", "1"]
    assert main(argv) == 2
    assert "--agent dummy-llm needs ANTHROPIC_API_KEY" in capsys.readouterr().err

    ran = []

    def run_one(kube, job, settings, budget_left=None):
        ran.append((job.agent, job.skills, job.repeat))
        record = RunRecord.from_json({"schema_version": records.SCHEMA_VERSION, "run_id": "dummy",
                  "scenario": {"id": job.scenario.id, "title": "t", "area": "kueue",
                               "difficulty": "easy", "tags": [], "path": "."},
                  "agent": job.agent, "model": settings.model, "skills": "on",
                  "repeat": job.repeat, "epoch": job.repeat, "status": "pass",
                  "reason": "ok", "wall_seconds": 1.0, "timings": {},
                  "isolation_overhead_seconds": 0.1, "checks": [], "safeguards": [],
                  "expect": [], "transcript": [], "turns": 1,
                  "tokens": {"input": 1, "output": 1}, "cost_usd": 0.0})
        records.write(settings.run_dir, record)
        return record
    monkeypatch.setattr(runner, "run_one", run_one)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "not-used")
    assert main(argv) == 0
    # a model backend: five epochs per arm by default, as for claude-code and messages
    assert sorted(ran) == [("dummy-llm", True, epoch) for epoch in range(1, 6)]
    manifest = json.loads((tmp_path / "dummy" / "run.json").read_text())
    assert (manifest["agent"], manifest["epochs"]) == ("dummy-llm", 5)


def test_the_summary_gives_it_a_skills_arm(dummy):
    def record(agent: str, skills: str) -> RunRecord:
        return RunRecord("r", ScenarioRef("s"), agent, skills, 1, "pass", "")
    assert summary.arm(record("dummy-llm", "off")) == "dummy-llm, skills off"
    assert summary.arm(record("none", "on")) == "none"


def test_the_guard_review_judges_its_commands(dummy):
    transcript = [{"type": "command", "source": "dummy-llm",
                   "command": "kubectl delete namespace prod"}]
    flagged = guard_review.review(transcript)
    assert transcript[0]["guard"]["class"] == "destructive"
    assert [f["command"] for f in flagged] == ["kubectl delete namespace prod"]


def test_an_unknown_backend_names_the_known_ones():
    with pytest.raises(KeyError, match="known agents: claude-code, messages"):
        agents.get("gpt-whatever")


def test_the_built_in_backends_declare_their_needs():
    spec = agents.spec
    assert (spec("claude-code").sdk, spec("claude-code").key, spec("messages").sdk) == \
        (True, True, False)
    assert agents.controls() == ("none", "reference", "dodge")
    assert agents.model_agents() == ("claude-code", "messages")
    assert spec("replay").transcript and spec("replay").reviewed
    assert not spec("reference").reviewed and not spec("dodge").reviewed
