"""Issue 7, live: real failure states on the local cluster; triage.py ranks the cause first.

Crash loops, image pulls, OOM kills, CUDA OOM and failing probes come from the fault KWOK
Stages (harness/cluster/fault_stages.py), keyed on realistic pod specs; unschedulable pods
from the real scheduler; Pending PVCs from the PV controller; admitted-not-started from real
Kueue; a NotReady node from a node of our own with the out-of-service taint. Everything
lives in a fresh namespace; cluster-scoped objects carry the namespace name and are deleted
in `finally`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import apply, condition, get, local_queue, wait_for

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-troubleshooting" / "scripts"
MANY = int(os.environ.get("TSHOOT_LIVE_PODS", "500"))


def triage(kubectl_env, *args: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "triage.py"), "--json", *args],
                          capture_output=True, text=True, env=kubectl_env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def pod(name: str, container: dict, **spec) -> dict:
    container = {"name": "app", "image": "team/app:1.4.2", **container}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [container], **spec}}


def deployment(name: str, replicas: int, container: dict, **spec) -> dict:
    container = {"name": "app", "image": "team/app:1.4.2", **container}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [container], **spec}}}}


def create(kubectl, namespace: str, *objects: dict):
    for obj in objects:
        obj["metadata"]["namespace"] = namespace
    apply(kubectl, *objects)


def first_when(kubectl_env, namespace: str, cause: str, timeout: float = 90,
               check=lambda f: True) -> dict:
    """Poll triage until its first finding has `cause` (and passes `check`)."""
    def ready():
        doc = triage(kubectl_env, "-n", namespace)
        top = doc["findings"][0] if doc["findings"] else None
        return top if top and top["cause"] == cause and check(top) else None
    return wait_for(ready, timeout=timeout, interval=2, what=f"{cause} ranked first")


CRASH = {"command": ["sh", "-c", "python serve.py; exit 3"]}
OOM = {"image": "polinux/stress", "command": ["stress"],
       "args": ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
       "resources": {"limits": {"memory": "100Mi"}, "requests": {"memory": "100Mi"}}}
PROBE = {"ports": [{"containerPort": 8080}],
         "readinessProbe": {"httpGet": {"path": "/ready", "port": 8081}}}


def test_crash_loop(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, deployment("api", 2, CRASH))
    top = first_when(kubectl_env, namespace, "crash_loop",
                     check=lambda f: f["count"] == 2)
    assert top["object"] == {"kind": "Deployment", "namespace": namespace, "name": "api"}
    assert "exit 3" in top["fix"] and "command" in top["fix"]
    assert any("exitCode 3" in e for e in top["evidence"])
    # the restart count really grows (fault-container-crash-again stage)
    wait_for(lambda: any((cs.get("restartCount") or 0) >= 2
                         for p in get(kubectl, "pods", "-n", namespace)["items"]
                         for cs in p["status"].get("containerStatuses", [])),
             timeout=120, interval=3, what="restartCount >= 2")


def test_image_pull(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, pod("web", {"image": "team/web:v9.9.9"}))
    top = first_when(kubectl_env, namespace, "image_pull")
    assert "not found" in top["message"]
    assert "team/web:v9.9.9" in top["fix"] and "tag" in top["fix"]


def test_oom_killed(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, pod("stress", OOM))
    top = first_when(kubectl_env, namespace, "oom_killed")
    assert "100Mi" in top["message"]
    assert "limits.memory" in top["fix"] and "320Mi" in top["fix"]


def test_gpu_pressure_cuda_oom(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, pod("train", {
        "image": "trainer:1.0", "command": ["torchrun", "train.py", "--batch-size", "2048"],
        "resources": {"limits": {"nvidia.com/gpu": "1"}}}))
    top = first_when(kubectl_env, namespace, "gpu_pressure")
    assert any("CUDA out of memory" in e for e in top["evidence"])
    assert "batch" in top["fix"] and "1024" in top["fix"]


def test_probe_failing(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, deployment("web", 1, PROBE))
    top = first_when(kubectl_env, namespace, "probe_failing")
    assert "readinessProbe.httpGet.port to 8080" in top["fix"]


def test_unschedulable_insufficient(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, pod("greedy", {"resources": {"limits": {"nvidia.com/gpu": "100"}}}))
    top = first_when(kubectl_env, namespace, "unschedulable_insufficient")
    assert "100 nvidia.com/gpu" in top["message"] and "short by 92" in top["message"]
    assert "nvidia.com/gpu to at most 8" in top["fix"]


def test_unschedulable_affinity(kubectl, kubectl_env, namespace):
    create(kubectl, namespace, pod("picky", {}, nodeSelector={
        "nvidia.com/gpu.product": "NVIDIA-B200"}))
    top = first_when(kubectl_env, namespace, "unschedulable_affinity")
    assert "NVIDIA-H100-80GB-HBM3" in top["fix"]


@pytest.fixture
def own_node(kubectl, namespace):
    """A KWOK node of our own; `make(taints)` creates it; deleted afterwards."""
    name = f"{namespace}-node"

    def make(taints: list[dict]) -> str:
        apply(kubectl, {"apiVersion": "v1", "kind": "Node", "metadata": {
            "name": name, "labels": {"kubernetes.io/hostname": name, "type": "kwok",
                                     "k8s-skills.io/node-pool": name},
            # KWOK manages only nodes annotated as fake (the real node is the kubelet's).
            "annotations": {"kwok.x-k8s.io/node": "fake"}},
            "spec": {"taints": taints}})
        return name
    try:
        yield make
    finally:
        kubectl("delete", "node", name, "--wait=false", check=False)


def test_unschedulable_taint(kubectl, kubectl_env, namespace, own_node):
    node = own_node([{"key": "dedicated", "value": namespace, "effect": "NoSchedule"}])
    create(kubectl, namespace, pod("pinned", {}, nodeSelector={"k8s-skills.io/node-pool": node}))
    top = first_when(kubectl_env, namespace, "unschedulable_taint")
    assert "key: dedicated" in top["fix"] and f"value: {namespace}" in top["fix"]
    assert any(node in e for e in top["evidence"])


def test_node_not_ready(kubectl, kubectl_env, namespace, own_node):
    node = own_node([{"key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown",
                      "effect": "NoExecute"}])
    wait_for(lambda: (condition(get(kubectl, "node", node), "Ready") or {}).get("status")
             == "Unknown", timeout=60, what="own node NotReady")
    create(kubectl, namespace, pod("stranded", {}, nodeName=node, tolerations=[
        {"key": "node.kubernetes.io/out-of-service", "operator": "Exists"},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists"}]))
    top = first_when(kubectl_env, namespace, "node_not_ready",
                     check=lambda f: f["object"]["name"] == node and f["count"] == 1)
    assert any("Kubelet stopped posting node status" in e for e in top["evidence"])
    assert f"kubectl drain {node}" in top["fix"]


def test_pvc_pending(kubectl, kubectl_env, namespace):
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
             "spec": {"storageClassName": "fast-ssd", "accessModes": ["ReadWriteOnce"],
                      "resources": {"requests": {"storage": "1Gi"}}}}
    user = pod("db", {}, volumes=[{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}])
    create(kubectl, namespace, claim, user)
    top = first_when(kubectl_env, namespace, "pvc_pending", check=lambda f: f["count"] == 1)
    assert "StorageClass fast-ssd does not exist" in top["message"]
    assert "recreate PVC data" in top["fix"]


def test_config_missing(kubectl, kubectl_env, namespace):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
          "data": {"level": "debug"}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
              "stringData": {"user": "admin", "pass": "s3cr3t-value"}}
    create(kubectl, namespace, cm, secret, pod("app", {"env": [
        {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "mode"}}},
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db",
                                                               "key": "password"}}}]}))
    top = first_when(kubectl_env, namespace, "config_missing")
    text = json.dumps(top)
    assert "s3cr3t-value" not in text and "admin" not in text
    assert "key password" in text and "key mode" in text
    proc = subprocess.run([sys.executable, str(SCRIPTS / "triage.py"), "-n", namespace],
                          capture_output=True, text=True, env=kubectl_env, timeout=120)
    assert "s3cr3t-value" not in proc.stdout


def test_rollout_stuck(kubectl, kubectl_env, namespace):
    dep = deployment("web", 2, PROBE)
    dep["spec"]["progressDeadlineSeconds"] = 5
    create(kubectl, namespace, dep)
    top = first_when(kubectl_env, namespace, "rollout_stuck", timeout=120)
    assert top["related_cause"] == "probe_failing"
    assert "kubectl rollout undo deployment/web" in top["fix"]
    assert "readinessProbe.httpGet.port to 8080" in top["fix"]


def test_admitted_not_started_hands_off_to_kueue(kubectl, kubectl_env, namespace):
    flavor = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
              "metadata": {"name": f"rf-{namespace}"},
              "spec": {"nodeLabels": {"k8s-skills.io/node-pool": f"{namespace}-nowhere"}}}
    cq = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
          "metadata": {"name": f"cq-{namespace}"},
          "spec": {"namespaceSelector": {"matchLabels": {
              "kubernetes.io/metadata.name": namespace}},
              "resourceGroups": [{"coveredResources": ["cpu", "memory"], "flavors": [{
                  "name": f"rf-{namespace}", "resources": [
                      {"name": "cpu", "nominalQuota": "8"},
                      {"name": "memory", "nominalQuota": "16Gi"}]}]}]}}
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {
        "name": "train", "namespace": namespace, "labels": {"kueue.x-k8s.io/queue-name": "team"}},
        "spec": {"suspend": True, "template": {"spec": {"restartPolicy": "Never", "containers": [{
            "name": "train", "image": "trainer:1.0",
            "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}}
    try:
        apply(kubectl, flavor, cq, local_queue("team", namespace, f"cq-{namespace}"))
        apply(kubectl, job)
        top = first_when(kubectl_env, namespace, "admitted_not_started", timeout=120,
                         check=lambda f: f["severity"] == "error")
        assert top["object"] == {"kind": "Job", "namespace": namespace, "name": "train"}
        assert "k8s-kueue" in top["fix"] and "explain_pending.py" in top["fix"]
        assert any("didn't match Pod's node affinity/selector" in e or "nodeSelector" in e
                   for e in top["evidence"])
    finally:
        kubectl("delete", "job", "train", "-n", namespace, "--wait=false", check=False)
        kubectl("delete", "clusterqueue", f"cq-{namespace}", "--wait=false", check=False)
        kubectl("delete", "resourceflavor", f"rf-{namespace}", "--wait=false", check=False)


MODES = {
    "crash_loop": ("svc-crash", CRASH),
    "image_pull": ("svc-pull", {"image": "team/app:0.0.0-unreleased"}),
    "oom_killed": ("svc-oom", OOM),
    "probe_failing": ("svc-probe", PROBE),
    "unschedulable_insufficient": ("svc-gpu", {"resources": {"limits": {
        "nvidia.com/gpu": "100"}}}),
    "config_missing": ("svc-cfg", {"envFrom": [{"configMapRef": {"name": "svc-cfg-env"}}]}),
}


def test_many_pods_six_modes_six_grouped_findings(kubectl, kubectl_env, namespace):
    """TSHOOT_LIVE_PODS pods (default 500) in six failure modes -> six grouped findings."""
    want = {cause: MANY // len(MODES) + (i < MANY % len(MODES))
            for i, cause in enumerate(MODES)}
    create(kubectl, namespace, *[deployment(name, want[cause], c)
                                 for cause, (name, c) in MODES.items()])

    def settled():
        doc = triage(kubectl_env, "-n", namespace, "--no-logs")
        got = {f["cause"]: f["count"] for f in doc["findings"]}
        return doc if got == want else None
    doc = wait_for(settled, timeout=300, interval=5, what=f"{MANY} pods in six modes")
    assert len(doc["findings"]) == 6
    for f in doc["findings"]:
        assert f["object"]["name"] == MODES[f["cause"]][0]
        assert f["message"].startswith(f"{want[f['cause']]} pods of Deployment "
                                       f"{f['object']['name']}")
    assert doc["summary"]["pods_scanned"] == MANY


def test_near_misses_stay_healthy(kubectl, kubectl_env, namespace):
    """The fault stages are narrow: specs that only resemble a fault run Ready, triage is 0."""
    create(kubectl, namespace,
           pod("exits-zero", {"command": ["sh", "-c", "exit 0"]}),
           pod("stress-fits", {**OOM, "args": ["--vm", "1", "--vm-bytes", "50M"]}),
           pod("probe-undeclared", {"readinessProbe": {"httpGet": {"path": "/", "port": 8081}}}),
           pod("probe-named", {"ports": [{"containerPort": 8080, "name": "http"}],
                               "readinessProbe": {"httpGet": {"path": "/", "port": "http"}}}),
           pod("small-batch", {"command": ["torchrun", "train.py", "--batch-size", "64"],
                               "resources": {"limits": {"nvidia.com/gpu": "1"}}}),
           pod("published", {"image": "team/web:v9.9.8"}))

    def all_ready():
        items = get(kubectl, "pods", "-n", namespace)["items"]
        return len(items) == 6 and all(
            (condition(p, "Ready") or {}).get("status") == "True" for p in items)
    wait_for(all_ready, timeout=60, what="six near-miss pods Ready")
    doc = triage(kubectl_env, "-n", namespace)
    assert doc["findings"] == [], doc["findings"]
