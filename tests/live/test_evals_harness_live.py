"""Issue 15, live: the per-run identity (SubjectAccessReview), a max-turns run scored fail
with its tokens and checks, the guard enforced on Claude Code, skills on vs off with
statistics, traces and inspect logs, and an imported k8s-ai-bench task passing its control
runs. Claude runs are scripted turns from the local fake Anthropic API: not a model."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from harness.cli import main
from harness.cluster.kubectl import Kubectl, find_executable
from harness.evals import access, import_bench, runner, scenario
from harness.evals.kube import Kube
from harness.evals.sandbox import Sandbox

pytestmark = pytest.mark.live
RESOURCES = Path(__file__).resolve().parents[1] / "evals" / "resources"


@pytest.fixture(scope="module")
def kube(kubeconfig) -> Kube:
    return Kube(Kubectl(Path(kubeconfig), None, find_executable()))


def _copy_scenario(tmp_path: Path, sid: str, edit=None, script=None) -> scenario.Scenario:
    [original] = scenario.discover(pattern=sid)
    target = tmp_path / "scenarios" / original.area / original.id
    shutil.copytree(original.dir, target)
    if edit:
        data = yaml.safe_load((target / "scenario.yaml").read_text())
        edit(data)
        (target / "scenario.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    if script is not None:
        (target / "scripted.yaml").write_text(yaml.safe_dump({"steps": script}))
    return scenario.load(target)


def _run(kube, tmp_path, s, agent: str, skills: bool = True, **settings) -> dict:
    config = runner.Settings(run_id="live", run_dir=tmp_path / "run", model="claude-sonnet-4-5",
                             scripted=agent in ("claude-code", "messages"), **settings)
    [record] = runner.run_all(kube, [runner.Job(s, agent, skills)], config)
    return record.to_json()  # the record as written


def _review(kube, user: str, verb: str, resource: str, group: str = "",
            namespace: str | None = None, name: str | None = None) -> bool:
    """What the API server's authorizer answers for `user` (a SubjectAccessReview)."""
    attrs = {"verb": verb, "resource": resource, "group": group}
    if namespace:
        attrs["namespace"] = namespace
    if name:
        attrs["name"] = name
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
              "spec": {"user": user, "groups": ["system:serviceaccounts",
                                                "system:authenticated"],
                       "resourceAttributes": attrs}}
    proc = kube.run("create", "-f", "-", "-o", "json", stdin=json.dumps(review))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["status"].get("allowed", False)


def test_per_run_identity_is_denied_outside_its_namespaces(kube, tmp_path):
    [s] = scenario.discover(pattern="quota-borrowing-disabled")
    mine, other = Sandbox(kube, s), Sandbox(kube, s)
    try:
        for box in (mine, other):
            box.create()
            box.apply(s.manifests("setup", box.context()))
        grant = access.grant(kube, mine, s.access, tmp_path, 600)
        user, ns, theirs = grant.user, mine.ns, other.ns
        my_queue = sorted(mine.cluster_objects["clusterqueues.kueue.x-k8s.io"])[0]
        their_queue = sorted(other.cluster_objects["clusterqueues.kueue.x-k8s.io"])[0]
        allowed = [("get", "pods", "", ns, None), ("create", "deployments", "apps", ns, None),
                   ("create", "localqueues", "kueue.x-k8s.io", ns, None),
                   ("patch", "clusterqueues", "kueue.x-k8s.io", None, my_queue),
                   ("patch", "namespaces", "", None, ns), ("list", "nodes", "", None, None),
                   ("list", "clusterqueues", "kueue.x-k8s.io", None, None)]
        denied = [("get", "pods", "", theirs, None), ("list", "pods", "", None, None),
                  ("delete", "deployments", "apps", theirs, None),
                  ("patch", "clusterqueues", "kueue.x-k8s.io", None, their_queue),
                  ("patch", "namespaces", "", None, theirs),
                  ("delete", "namespaces", "", None, "kube-system"),
                  ("get", "secrets", "", "kube-system", None),
                  ("create", "clusterrolebindings", "rbac.authorization.k8s.io", None, None),
                  ("delete", "nodes", "", None, None)]
        for verb, res, group, namespace, name in allowed:
            assert _review(kube, user, verb, res, group, namespace, name), (verb, res, namespace)
        for verb, res, group, namespace, name in denied:
            assert not _review(kube, user, verb, res, group, namespace, name), \
                (verb, res, namespace, name)
        # the kubeconfig itself: its context is set (namespace defaulting), others forbidden
        cfg = Kubectl(grant.kubeconfig, None, find_executable())
        assert cfg.run("get", "serviceaccount", access.SERVICE_ACCOUNT, check=False).returncode == 0
        forbidden = cfg.run("get", "pods", "-n", theirs, check=False)
        assert forbidden.returncode != 0 and "Forbidden" in forbidden.stderr
    finally:
        mine.cleanup()
        other.cleanup()


def test_max_turns_run_is_a_fail_with_tokens_and_checks(kube, tmp_path):
    s = _copy_scenario(tmp_path, "missing-local-queue",
                       edit=lambda d: d["budgets"].update(turns=2))
    record = _run(kube, tmp_path, s, "claude-code")
    assert record["status"] == "fail", record["reason"]
    assert record["reason"] == "budget exceeded: turns (2)"
    assert record["stop"] == "max_turns" and record["budget_exceeded"] == "turns (2)"
    assert record["tokens"]["total"] > 0 and record["cost_usd"] > 0
    # the checks ran (the fault is still there) and are kept with the record
    assert [c["status"] for c in record["checks"]] == ["fail", "fail"]
    assert record["safeguards"] and record["error"] is None


def test_claude_code_with_scoped_identity_and_the_guard_enforced(kube, tmp_path):
    steps = yaml.safe_load((scenario.discover(pattern="missing-local-queue")[0].dir /
                            "scripted.yaml").read_text())["steps"]
    steps = steps[:1] + [{"bash": "kubectl get pods -n kube-system"},
                         {"bash": "kubectl delete namespace $NS --wait=false"}] + steps[1:]
    s = _copy_scenario(tmp_path, "missing-local-queue", script=steps)
    record = _run(kube, tmp_path, s, "claude-code", guard="supervised")
    assert record["status"] == "pass", record["reason"]
    commands = [e for e in record["transcript"] if e["type"] == "command"]
    assert "Forbidden" in commands[0]["output"]            # another namespace: RBAC says no
    assert not any("delete" in c["command"] for c in commands)  # the guard stopped it
    assert [d["tool_input"]["command"] for d in record["permission_denials"]] == \
        ["kubectl delete namespace $NS --wait=false"]
    assert any(c.get("guard", {}).get("approved_by") == "harness" for c in commands)  # the fix
    assert record["guard"]["mode"] == "supervised" and len(record["guard"]["verdicts"]) >= 4
    assert record["access"]["user"].endswith(":k8s-skills-agent")
    assert record["skills_loaded"] == ["k8s-kueue"] and "k8s-kueue" in record["skills_offered"]
    system = json.loads((tmp_path / "run" / record["instructions"]["system"]["file"])
                        .read_text())
    assert "You are Claude Code" in json.dumps(system)


def test_skills_on_vs_off_statistics_traces_and_inspect_logs(kube, tmp_path, capsys):
    results = tmp_path / "results"
    code = main(["eval", "--agent", "messages", "--scripted", "--skills", "both",
                 "--epochs", "2", "--seed", "1", "-k", "missing-local-queue",
                 "--kubeconfig", str(kube.kubeconfig), "--results", str(results),
                 "--run-id", "cmp"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    summary = json.loads((results / "cmp" / "summary.json").read_text())
    [cmp] = summary["comparison"]
    assert cmp["scripted"] and cmp["arms"]["on"]["scored"] == cmp["arms"]["off"]["scored"] == 2
    assert cmp["mean_difference"] == 0.0 and cmp["ci95"] == [0.0, 0.0]  # both arms pass
    html = (results / "cmp" / "report.html").read_text()
    assert "class='arms'" in html and "class='timeline'" in html and "Skills on vs off" in html
    assert main(["export", "--format", "inspect", "cmp", "--results", str(results)]) == 0
    from inspect_ai.log import read_eval_log
    logs = [read_eval_log(p) for p in capsys.readouterr().out.split()]
    assert sorted(len(log.samples) for log in logs) == [2, 2]
    assert {s.epoch for log in logs for s in log.samples} == {1, 2}


def test_imported_k8s_ai_bench_task_passes_its_control_runs(kube, tmp_path, capsys):
    import_bench.import_tasks(RESOURCES / "k8s-ai-bench" / "tasks" / "scale-web",
                              tmp_path / "imported", "k8s-ai-bench")
    results = tmp_path / "results"
    code = main(["eval", "--validate", "--scenarios", str(tmp_path / "imported" /
                                                          "k8s-ai-bench"),
                 "--kubeconfig", str(kube.kubeconfig), "--results", str(results),
                 "--run-id", "bench"])
    out = capsys.readouterr().out
    assert code == 0, out
    validation = json.loads((results / "bench" / "summary.json").read_text())["validation"]
    assert validation["ok"] == 1 and validation["scenarios"]["scale-web"]["none"] == "fail"
    assert "imported" in validation["scenarios"]["scale-web"]["reason"]   # no dodge run
    record = json.loads((results / "bench" / "scenarios" /
                         "scale-web__reference__skills-on__r1.json").read_text())
    assert [x["stage"] for x in record["scripts"]] == ["setup", "cleanup"]
    assert record["scripts"][0]["exit_code"] == 0
