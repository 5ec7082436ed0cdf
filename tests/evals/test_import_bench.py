"""`k8s-skills import k8s-ai-bench`: task folders in that benchmark's format (written for
these tests, tests/evals/resources/k8s-ai-bench) become valid scenarios with templated
namespaces; tasks that cannot run here are marked with the reason."""
from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.evals import import_bench, scenario
from tests.evals.conftest import RESOURCES

TASKS = RESOURCES / "k8s-ai-bench" / "tasks"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("imported")
    results = import_bench.import_tasks(TASKS, out, "k8s-ai-bench")
    return out / "k8s-ai-bench", {r["task"]: r for r in results}


def test_every_task_folder_is_accounted_for(imported):
    _, results = imported
    assert set(results) == {"scale-web", "fix-crashloop-lookalike", "cluster-images",
                            "gatekeeper-suite"}
    assert results["gatekeeper-suite"]["status"] == "skipped"
    assert "no task.yaml" in results["gatekeeper-suite"]["unsupported"]


def test_runnable_task_becomes_a_valid_scenario_with_templated_namespaces(imported):
    folder, results = imported
    assert results["scale-web"]["unsupported"] is None
    s = scenario.load(folder / "scale-web")
    assert s.namespaces == [{"name": "scale-demo", "labels": {}}]
    assert s.prompts == ["The web deployment in namespace '{{ namespaces['scale-demo'] }}' "
                         "can't keep up. Scale it to 3 replicas please."]
    assert s.render(s.prompts[0], {"namespaces": {"scale-demo": "scale-demo-abc123"}}) == \
        "The web deployment in namespace 'scale-demo-abc123' can't keep up. Scale it to 3 " \
        "replicas please."
    assert s.data["checks"] == [{"type": "command", "timeout": 180, "why": "the benchmark's "
                                 "verifier", "argv": ["bash", "{{ scripts_dir }}/verify.sh"]}]
    assert [x["path"] for x in s.scripts("setup")] == [str(s.dir / "setup.sh")]
    assert s.budgets["wall_time"] == 300 and s.data["source"]["task"] == "scale-web"
    setup = (s.dir / "setup.sh").read_text()
    # the harness makes and removes the namespace; nothing else names it literally
    assert "kubectl create namespace" not in setup and "kubectl delete namespace" not in setup
    assert "kubectl rollout status deployment/web -n ${NS_SCALE_DEMO}" in setup
    assert 'NAMESPACE="${NS_SCALE_DEMO}"' in (s.dir / "verify.sh").read_text()
    assert "namespace: {{ namespaces['scale-demo'] }}" in \
        (s.dir / "artifacts" / "deployment.yaml").read_text()
    assert (s.dir / "solution" / "fix.sh").read_text().strip().endswith(
        "kubectl scale deployment web -n ${NS_SCALE_DEMO} --replicas=3")


def test_tasks_that_cannot_run_here_say_why(imported):
    folder, results = imported
    crash = results["fix-crashloop-lookalike"]["unsupported"]
    assert "needs real containers" in crash
    images = scenario.load(folder / "cluster-images")
    assert "names no namespace" in images.unsupported
    assert images.data["expect"] == ["mysql:8.0.36"] and images.data["expect_not"] == ["I cannot"]
    assert images.data["checks"] == []          # graded by its expectation alone


def test_cli_lists_imports_and_eval_skips_unsupported(tmp_path, capsys):
    assert main(["import", "k8s-ai-bench", str(TASKS), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "imported  scale-web" in out and "cannot run here: needs real containers" in out
    assert main(["eval", "--list", "--scenarios", str(tmp_path / "k8s-ai-bench")]) == 0
    listing = capsys.readouterr().out
    assert "k8s-ai-bench/scale-web" in listing and "[cannot run here:" in listing


def test_import_of_a_missing_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["import", "k8s-ai-bench", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_validation_of_an_imported_scenario_without_a_dodge():
    # k8s-ai-bench has no dodge: an imported scenario is judged on none and reference;
    # a native scenario missing its dodge record in a run that has dodges stays broken
    from harness.evals import summary
    from harness.evals.model import CheckResult, RunRecord, ScenarioRef

    def rec(sid, agent, status, source=None):
        return RunRecord("r", ScenarioRef(sid, source=source), agent, "on", 1, status, "",
                         checks=[CheckResult("c", {}, status, "")])
    bench = {"benchmark": "k8s-ai-bench", "task": "scale-web"}
    recs = [rec("scale-web", "none", "fail", bench), rec("scale-web", "reference", "pass", bench),
            rec("native", "none", "fail"), rec("native", "reference", "pass"),
            rec("other", "none", "fail"), rec("other", "reference", "pass"),
            rec("other", "dodge", "fail")]
    out = summary.validation(recs)
    assert out["scenarios"]["scale-web"]["verdict"] == "ok"
    assert "imported" in out["scenarios"]["scale-web"]["reason"]
    assert out["scenarios"]["native"]["verdict"] == "broken"
    assert out["scenarios"]["other"]["verdict"] == "ok" and out["ok"] == 2
