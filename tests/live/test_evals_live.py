"""Issue 6, live: control runs of every scenario, and both Claude backends driven end to end
by scripted turns from the local fake Anthropic API (no API key; not a model's result)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.cluster.kubectl import Kubectl, find_executable
from harness.evals import runner, scenario
from harness.evals.kube import Kube

pytestmark = pytest.mark.live

SCRIPTED_SCENARIO = "missing-local-queue"
SKILL_MARKER = "# Kueue: why is my job pending"  # the k8s-kueue SKILL.md body's title


@pytest.fixture(scope="module")
def kube(kubeconfig) -> Kube:
    return Kube(Kubectl(Path(kubeconfig), None, find_executable()))


def _run(kube, tmp_path, agent: str, skills: bool, **settings) -> tuple[dict, list]:
    """Run the scripted scenario once; returns its record and the fake API's requests."""
    seen: list = []
    found = scenario.discover(pattern=SCRIPTED_SCENARIO)
    config = runner.Settings(run_id="live", run_dir=tmp_path, model="claude-sonnet-5-5",
                             scripted=agent in ("claude-code", "messages"),
                             on_fake_api=lambda job, fake: seen.extend(fake.requests),
                             **settings)
    [record] = runner.run_all(kube, [runner.Job(found[0], agent, skills)], config)
    return record.to_json(), seen  # the record as written


# 70 scenarios x 3 control runs took 14.5 min on an idle 2-core machine (over the suite's
# 600 s default); the windowed checks (stable, pods_ready) wait, they do not spin.
@pytest.mark.timeout(2700)
def test_control_runs_validate_every_scenario(kubeconfig, tmp_path, capsys):
    code = main(["eval", "--validate", "--kubeconfig", kubeconfig, "--parallel", "6",
                 "--results", str(tmp_path), "--run-id", "validate"])
    out = capsys.readouterr().out
    summary = json.loads((tmp_path / "validate" / "summary.json").read_text())
    validation = summary["validation"]
    assert code == 0, out
    assert validation["broken"] == [] and validation["error"] == []
    assert validation["ok"] == len(scenario.discover()) >= 60
    assert (tmp_path / "validate" / "junit.xml").is_file()
    assert "report: " in out


def _main_requests(requests: list) -> list[dict]:
    return [r["body"] for r in requests
            if any(t.get("name") in ("bash", "Bash") for t in r["body"].get("tools") or [])]


def test_messages_backend_scripted_to_a_scored_pass(kube, tmp_path):
    record, requests = _run(kube, tmp_path, "messages", skills=True)
    assert record["status"] == "pass", record["reason"]
    assert record["scripted"] and "not a model" in record["scripted_note"]
    bodies = _main_requests(requests)
    assert len(bodies) == record["turns"] == 5
    assert "k8s-kueue" in bodies[0]["system"]            # progressive disclosure: listed
    assert SKILL_MARKER not in json.dumps(bodies[0])     # ... but not loaded
    assert SKILL_MARKER in json.dumps(bodies[2])         # loaded on demand
    assert record["skills_loaded"] == ["k8s-kueue"]
    commands = [e for e in record["transcript"] if e["type"] == "command"]
    assert "LocalQueue 'training' does not exist" in commands[0]["output"]  # the skill's script
    assert record["tokens"]["input"] > 0 and record["cost_usd"] is not None


def test_claude_code_backend_scripted_to_a_scored_pass(kube, tmp_path):
    record, requests = _run(kube, tmp_path, "claude-code", skills=True)
    assert record["status"] == "pass", record["reason"]
    assert record["scripted"]
    assert {r["path"].split("?")[0] for r in requests} == {"/v1/messages"}  # nothing else
    bodies = _main_requests(requests)
    assert all(b.get("stream") for b in bodies)
    offered = {t["name"] for t in bodies[0]["tools"]}
    assert {"Bash", "Skill"} <= offered and not offered & {"Write", "Edit", "Agent"}
    assert "k8s-kueue" in json.dumps(bodies[0]["messages"])   # listed (where the CLI puts it)
    assert any(SKILL_MARKER in json.dumps(b) for b in bodies[2:])
    assert record["skills_loaded"] == ["k8s-kueue"]
    commands = [e for e in record["transcript"] if e["type"] == "command"]
    assert [c["command"].split()[1] for c in commands[:2]] == [
        ".claude/skills/k8s-kueue/scripts/explain_pending.py", "get"]
    assert record["turns"] >= 4 and record["tokens"]["output"] > 0


def test_claude_code_skills_off_offers_no_skill(kube, tmp_path):
    record, requests = _run(kube, tmp_path, "claude-code", skills=False)
    bodies = _main_requests(requests)
    assert "Skill" not in {t["name"] for t in bodies[0]["tools"]}
    assert "k8s-kueue" not in json.dumps(bodies[0]["messages"])
    assert record["skills_offered"] == [] and record["skills_loaded"] == []
    assert record["status"] == "pass"  # the scripted fix does not need the skill


def test_replay_of_a_recorded_run_resolves_the_fault_again(kube, tmp_path):
    first, _ = _run(kube, tmp_path / "first", "messages", skills=True)
    replayed, _ = _run(kube, tmp_path / "again", "replay", skills=True,
                       transcript=tmp_path / "first")
    assert first["status"] == replayed["status"] == "pass"
    old_ns = first["sandbox"]["namespaces"]["ml-team"]
    new_ns = replayed["sandbox"]["namespaces"]["ml-team"]
    assert old_ns != new_ns and not any(old_ns in e["command"] for e in replayed["transcript"])
