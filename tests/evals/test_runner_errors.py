"""An infrastructure error is never scored as a fail; the CLI says which agent it uses."""
from __future__ import annotations

import pytest

from harness.cli import main
from harness.cluster.kubectl import Kubectl, find_executable
from harness.errors import UserError
from harness.evals import runner, scenario
from harness.evals.kube import Kube

DEAD_KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: dead, context: {cluster: dead, user: u}}]
current-context: dead
"""


def test_unreachable_cluster_is_an_error_and_cleanup_still_runs(tmp_path):
    kubectl_bin = find_executable()   # `make setup` builds it; none is a failure
    config = tmp_path / "kubeconfig"
    config.write_text(DEAD_KUBECONFIG)
    kube = Kube(Kubectl(config, None, kubectl_bin))
    found = scenario.discover(pattern="missing-local-queue")
    settings = runner.Settings(run_id="t", run_dir=tmp_path / "run", model="m",
                               log=lambda m: None)
    record = runner.run_one(kube, runner.Job(found[0], "reference", True), settings)
    assert record.status == "error"
    assert "cleanup" in record.timings
    assert (tmp_path / "run" / "scenarios").is_dir()


def test_eval_list_names_every_scenario(capsys):
    assert main(["eval", "--list"]) == 0
    out = capsys.readouterr().out
    assert "kueue/missing-local-queue" in out and "troubleshooting/crash-loop" in out


@pytest.mark.parametrize("argv,message", [
    (["eval", "--list", "-k", "no-such-thing"], None),
    (["eval", "--agent", "reference", "--scripted", "--kubeconfig", "/nonexistent"],
     "kubeconfig /nonexistent does not exist"),
])
def test_cli_usage_errors(argv, message, capsys):
    code = main(argv)
    if message:
        assert code == 2 and message in capsys.readouterr().err
    else:
        assert code == 0


def test_default_agent_without_a_key_is_the_reference_and_says_so(monkeypatch):
    from harness.evals import cli
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    args = type("A", (), {"agent": None, "model": "m", "skills": "on"})()
    agent, note = cli._choose_agent(args)
    assert agent == "reference" and "no ANTHROPIC_API_KEY" in note
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    agent, note = cli._choose_agent(args)
    assert agent == "claude-code" and "ANTHROPIC_API_KEY is set" in note


def _args(*argv: str):
    from harness.cli import build_parser
    return build_parser().parse_args(["eval", *argv])


def test_scripted_needs_a_claude_backend():
    from harness.evals import cli
    with pytest.raises(UserError, match="--scripted plays turns for a Claude backend"):
        cli._plan(_args("--agent", "reference", "--scripted"), scenario.discover(pattern="kueue"))


def test_plan_pairs_both_arms_per_epoch_in_a_seeded_random_order():
    from harness.evals import cli
    args = _args("--agent", "messages", "--skills", "both", "--scripted", "--epochs", "2",
                 "--seed", "11")
    jobs, note, manifest = cli._plan(args, scenario.discover(pattern="missing-local-queue"))
    assert sorted((j.skills, j.repeat) for j in jobs) == [(False, 1), (False, 2), (True, 1),
                                                          (True, 2)]
    # each (scenario, epoch) pair runs back to back, arms in either order
    assert [j.repeat for j in jobs][::2] == [j.repeat for j in jobs][1::2]
    again, _, _ = cli._plan(args, scenario.discover(pattern="missing-local-queue"))
    assert [(j.skills, j.repeat) for j in again] == [(j.skills, j.repeat) for j in jobs]
    assert "SCRIPTED" in note and "seed 11" in note
    assert manifest["seed"] == 11 and manifest["epochs"] == 2 and manifest["arms"] == ["on", "off"]


def test_model_agents_default_to_five_epochs_and_a_recorded_seed():
    from harness.evals import cli
    jobs, _, manifest = cli._plan(_args("--agent", "messages", "--scripted"),
                                  scenario.discover(pattern="missing-local-queue"))
    assert len(jobs) == 5 and manifest["epochs"] == 5 and isinstance(manifest["seed"], int)
