"""triage.py on failure states captured from the local cluster: one trigger per cause, plus
variants built from them (registry auth, Xid events, plain exit codes) and non-triggers."""
from __future__ import annotations

import copy

import pytest

from .conftest import load

CASES = {
    # fixture: (cause ranked first, object name, words the fix must contain)
    "crash_loop.yaml": ("crash_loop", "crash", ["exit 3", "command/args of container app"]),
    "image_pull.yaml": ("image_pull", "pull", ["web:v9.9.9", "tag that is published"]),
    "oom_killed.yaml": ("oom_killed", "oom", ["limits.memory", "320Mi"]),
    "gpu_cuda_oom.yaml": ("gpu_pressure", "cuda", ["batch size", "--batch-size 2048 -> 1024"]),
    "probe_failing.yaml": ("probe_failing", "probe", ["readinessProbe.httpGet.port to 8080"]),
    "unschedulable_insufficient.yaml": ("unschedulable_insufficient", "greedy",
                                        ["nvidia.com/gpu to at most 8"]),
    "unschedulable_affinity.yaml": ("unschedulable_affinity", "picky",
                                    ["NVIDIA-H100-80GB-HBM3"]),
    "unschedulable_taint.yaml": ("unschedulable_taint", "pinned",
                                 ["key: dedicated", "value: ts-fx", "effect: NoSchedule"]),
    "config_missing.yaml": ("config_missing", "cfg", ["add key mode to ConfigMap settings"]),
    "pvc_pending.yaml": ("pvc_pending", "data", ["recreate PVC data"]),
    "rollout_stuck.yaml": ("rollout_stuck", "web", ["rollout undo deployment/web",
                                                    "readinessProbe.httpGet.port to 8080"]),
    "node_not_ready.yaml": ("node_not_ready", "ts-fx-down", ["kubectl drain ts-fx-down"]),
    "admitted_not_started.yaml": ("admitted_not_started", "train",
                                  ["k8s-kueue", "explain_pending.py -n ts-fx train"]),
}


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_each_cause_is_ranked_first_with_its_fix(triage, scenario, fixture):
    cause, name, fix_words = CASES[fixture]
    res = triage(scenario(fixture), "--json")
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["object"]["name"], top["rank"]) == (cause, name, 1)
    for word in fix_words:
        assert word in top["fix"]
    assert top["evidence"], "every finding quotes its evidence"


def test_healthy_pod_gives_no_finding_and_exit_0(triage, scenario):
    res = triage(scenario("healthy.yaml"))
    assert res.code == 0, res.out
    assert res.out.startswith("OK ")


def test_evidence_quotes_the_decisive_message(triage, scenario):
    doc = triage(scenario("pvc_pending.yaml"), "--json").doc
    assert any('"fast-ssd" not found' in e for e in doc["findings"][0]["evidence"])
    doc = triage(scenario("unschedulable_insufficient.yaml"), "--json").doc
    top = doc["findings"][0]
    assert "short by 92" in top["message"]
    assert any("8 Insufficient nvidia.com/gpu" in e for e in top["evidence"])


def test_registry_auth_is_told_apart_from_a_missing_tag(triage, scenario):
    objects = scenario("image_pull.yaml")
    for obj in objects:
        if obj["kind"] == "Pod":
            obj["status"]["containerStatuses"][0]["state"]["waiting"]["message"] = (
                'failed to authorize: failed to fetch oauth token: 401 Unauthorized')
        if obj["kind"] == "Event":
            obj["message"] = "Failed to pull image: 401 Unauthorized"
    top = triage(objects, "--json").doc["findings"][0]
    assert top["cause"] == "image_pull" and "registry auth" in top["message"]
    assert "imagePullSecrets" in top["fix"]


def test_xid_node_event_is_gpu_pressure(triage):
    nodes = load("nodes.yaml")
    event = {"apiVersion": "v1", "kind": "Event", "type": "Warning", "reason": "XidError",
             "message": "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.",
             "count": 3, "metadata": {"name": "gpu-h100-0.xid", "namespace": "default"},
             "involvedObject": {"kind": "Node", "name": "gpu-h100-0"}}
    top = triage(nodes + [event], "--json").doc["findings"][0]
    assert (top["cause"], top["object"]["name"]) == ("gpu_pressure", "gpu-h100-0")
    assert "Xid 79" in top["message"] and "kubectl cordon gpu-h100-0" in top["fix"]


def test_plain_exit_code_points_at_the_logs(triage, scenario):
    objects = scenario("crash_loop.yaml")
    for obj in objects:
        if obj["kind"] == "Pod":
            obj["spec"]["containers"][0]["command"] = ["python", "serve.py"]
            obj["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"] = 127
    top = triage(objects, "--json").doc["findings"][0]
    assert top["cause"] == "crash_loop"
    assert any("command not found" in e for e in top["evidence"])
    assert "entrypoint is missing" in top["fix"]


def test_create_container_config_error_names_the_missing_secret(triage):
    pod = copy.deepcopy(next(o for o in load("config_missing.yaml") if o["kind"] == "Pod"))
    pod["status"]["phase"] = "Pending"
    pod["status"]["containerStatuses"][0].update(ready=False, state={"waiting": {
        "reason": "CreateContainerConfigError", "message": 'secret "db" not found'}})
    secret = {"apiVersion": "v1", "kind": "Secret",
              "metadata": {"name": "other", "namespace": "ts-dev"},
              "data": {"password": "c2VjcmV0LXZhbHVl"}}
    res = triage([pod, secret], "--json")
    top = res.doc["findings"][0]
    assert top["cause"] == "config_missing"
    assert any("Secret db" in e and "does not exist" in e for e in top["evidence"])
    assert "c2VjcmV0LXZhbHVl" not in res.out and "secret-value" not in res.out


def test_without_nodes_the_scheduler_message_decides(triage):
    pods = [o for o in load("unschedulable_taint.yaml") if o["kind"] == "Pod"]
    top = triage(pods, "--json").doc["findings"][0]
    # "2 untolerated taint(s), 8 didn't match affinity" is ambiguous (taints are checked first,
    # kube-scheduler default_plugins.go): without nodes the later filter decides and the
    # evidence names the taint as the alternative
    assert top["cause"] == "unschedulable_affinity"
    assert any("scheduler:" in e for e in top["evidence"])
    assert any("(unschedulable_taint)" in e for e in top["evidence"])


def test_namespace_and_selector_scope(triage, scenario):
    objects = scenario("crash_loop.yaml") + load("oom_killed.yaml")
    doc = triage(objects, "--json", "-n", "nope").doc
    assert doc["findings"] == [] and doc["summary"]["pods_scanned"] == 0
    for obj in objects:
        if obj["kind"] == "Pod" and obj["metadata"]["name"] == "oom":
            obj["metadata"]["labels"] = {"app": "stress"}
    doc = triage(objects, "--json", "-l", "app=stress").doc
    assert [f["cause"] for f in doc["findings"]] == ["oom_killed"]


def test_text_output_is_a_ranked_digest(triage, scenario):
    res = triage(scenario("rollout_stuck.yaml"))
    lines = res.out.splitlines()
    assert lines[0].startswith("namespace") is False and "finding(s)" in lines[0]
    assert lines[1].startswith("1. ERROR rollout_stuck Deployment/ts-fx/web")
    assert any(line.strip().startswith("fix: ") for line in lines)
    assert "--dry-run=server" in lines[-1]


def test_dra_claims_that_cannot_be_allocated_hand_off_to_k8s_dra(triage, scenario):
    objects = scenario("unschedulable_affinity.yaml")
    for obj in objects:
        if obj["kind"] == "Pod":
            del obj["spec"]["nodeSelector"]
            obj["status"]["conditions"][0]["message"] = (
                "0/8 nodes are available: 8 cannot allocate all claims. preemption: 0/8 nodes "
                "are available: 8 Preemption is not helpful for scheduling.")
    top = triage(objects, "--json").doc["findings"][0]
    assert top["cause"] == "dra_claim" and "DRA" in top["message"]
    assert "k8s-dra" in top["fix"] and top["basis"] == "reported"


def test_name_keeps_the_findings_about_one_pod_or_workload(triage, scenario):
    objects = scenario("rollout_stuck.yaml") + load("crash_loop.yaml") + load("pvc_pending.yaml")
    pod = next(o["metadata"]["name"] for o in objects
               if o["kind"] == "Pod" and o["metadata"]["name"].startswith("web-"))
    for name, cause in ((pod, "rollout_stuck"), ("web", "rollout_stuck"), ("crash", "crash_loop"),
                        ("withpvc", "pvc_pending"), ("data", "pvc_pending")):
        doc = triage(objects, "--json", name).doc
        assert [f["cause"] for f in doc["findings"]] == [cause], name
    assert triage(objects, "nothing-by-that-name").code == 0


def test_a_container_that_recovered_is_a_warning_not_an_outage(triage, scenario):
    objects = scenario("oom_killed.yaml")
    for obj in objects:
        if obj["kind"] == "Pod":
            cs = obj["status"]["containerStatuses"][0]
            cs.update(ready=True, started=True,
                      state={"running": {"startedAt": "2026-11-26T05:40:00Z"}})
            for c in obj["status"]["conditions"]:
                c["status"] = "True"
    top = triage(objects, "--json").doc["findings"][0]
    assert (top["cause"], top["severity"]) == ("oom_killed", "warning")
    assert top["message"].endswith("Ready again now")
