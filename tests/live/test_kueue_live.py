"""Issue 4, live: real Kueue v0.19 acts on real objects; explain_pending.py names the cause,
and the fix its finding proposes, applied here, gets the Workload admitted.

Every namespaced object lives in a fresh namespace (fixture `namespace`); the cluster-scoped
ClusterQueue/ResourceFlavor carry the namespace in their name and are deleted in `finally`.
Set KUEUE_LIVE_RECORD=DIR to save each test's objects as a dump (the unit tests in
tests/skills/k8s_kueue run on such captures from tests/resources/kueue/live/).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.live.helpers import (apply, condition, get, gpu_job, local_queue, require_or_skip,
                                wait_for)

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts"
H100_LABELS = {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}


def run_script(kubectl_env, name: str, *args: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / name), "--json", *args],
                          capture_output=True, text=True, env=kubectl_env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def explain(kubectl, kubectl_env, namespace: str, *args: str) -> tuple[int, dict]:
    _record(kubectl, namespace)
    return run_script(kubectl_env, "explain_pending.py", "-n", namespace, *args)


def flavor_obj(namespace: str, **spec) -> dict:
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
            "metadata": {"name": f"rf-{namespace}"}, "spec": spec}


def cq_obj(namespace: str, gpus: str = "4", name: str | None = None, **extra) -> dict:
    spec = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
            "resourceGroups": [{
                "coveredResources": ["cpu", "memory", "nvidia.com/gpu"],
                "flavors": [{"name": f"rf-{namespace}", "resources": [
                    {"name": "cpu", "nominalQuota": "64"},
                    {"name": "memory", "nominalQuota": "256Gi"},
                    {"name": "nvidia.com/gpu", "nominalQuota": gpus}]}]}]}
    spec.update(extra)
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
            "metadata": {"name": name or f"cq-{namespace}"}, "spec": spec}


@pytest.fixture
def queues(kubectl, namespace):
    """Flavor rf-NS + ClusterQueue cq-NS (4 GPUs, this namespace only) + LocalQueue 'team'."""
    apply(kubectl, flavor_obj(namespace), cq_obj(namespace), local_queue("team", namespace,
                                                                         f"cq-{namespace}"))
    wait_for(lambda: (condition(get(kubectl, "clusterqueue", f"cq-{namespace}"), "Active")
                      or {}).get("status") == "True", timeout=60, what="ClusterQueue Active")
    try:
        yield namespace
    finally:
        for kind, name in (("clusterqueue", f"cq-{namespace}"),
                           ("clusterqueue", f"missing-{namespace}"),
                           ("resourceflavor", f"rf-{namespace}")):
            kubectl("delete", kind, name, "--wait=false", "--ignore-not-found", check=False)


def _record(kubectl, namespace: str) -> None:
    """KUEUE_LIVE_RECORD=DIR: save what Kueue wrote, at diagnosis time, as a unit-test dump."""
    target = os.environ.get("KUEUE_LIVE_RECORD")
    if not target:
        return
    items = []
    for args in (["workloads.kueue.x-k8s.io,localqueues.kueue.x-k8s.io,jobs,pods,"
                  "resourceclaimtemplates.resource.k8s.io", "-n", namespace], ["namespace", namespace], ["clusterqueue", f"cq-{namespace}"],
                 ["resourceflavor", f"rf-{namespace}"], ["nodes"]):
        proc = kubectl("get", *args, "-o", "json", "--ignore-not-found", check=False)
        if proc.returncode == 0 and proc.stdout.strip():
            doc = json.loads(proc.stdout)
            items += doc.get("items", [doc])
    for item in items:
        item.get("metadata", {}).pop("managedFields", None)
        if item.get("kind") == "Node":  # keep what placement needs, not images/addresses
            item["status"] = {"allocatable": item.get("status", {}).get("allocatable", {})}
    test = os.environ.get("PYTEST_CURRENT_TEST", "kueue").split("::")[-1].split(" ")[0]
    Path(target).mkdir(parents=True, exist_ok=True)
    with open(Path(target) / f"{test}.yaml", "w", encoding="utf-8") as handle:
        yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": items}, handle)


def _workload(kubectl, namespace, job):
    items = get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]
    return next((w for w in items if any(o.get("name") == job for o in
                                         w["metadata"].get("ownerReferences", []))), None)


def _reserved(kubectl, namespace, job, status):
    wl = _workload(kubectl, namespace, job)
    cond = condition(wl, "QuotaReserved") if wl else None
    return wl if cond and cond.get("status") == status else None


def _wait_reserved(kubectl, namespace, job, status="False", what=""):
    return wait_for(lambda: _reserved(kubectl, namespace, job, status), timeout=120,
                    what=what or f"{job} QuotaReserved={status}")


def _causes(doc, name=None):
    return {f["cause"] for f in doc["findings"] if name is None or name in f["object"]["name"]}


def test_quota_causes_and_fix(kubectl, kubectl_env, queues):
    ns = queues
    apply(kubectl, gpu_job("fits", ns, "team", gpus=2, parallelism=2))
    _wait_reserved(kubectl, ns, "fits", "True")
    apply(kubectl, gpu_job("waits", ns, "team", gpus=2, parallelism=1),
          gpu_job("too-big", ns, "team", gpus=4, parallelism=2))
    _wait_reserved(kubectl, ns, "too-big")
    _wait_reserved(kubectl, ns, "waits")
    code, doc = explain(kubectl, kubectl_env, ns)
    assert code == 1
    assert "exceeds_max_quota" in _causes(doc, "too-big")
    waits = [f for f in doc["findings"] if "waits" in f["object"]["name"]]
    assert waits and waits[0]["cause"] == "quota_exhausted"
    assert "/job-fits-" in waits[0]["message"], json.dumps(waits[0], indent=1)
    # The finding's fix for too-big: raise nominal to the need; Kueue then admits it.
    kubectl("delete", "job", "fits", "waits", "-n", ns, "--wait=true", check=False)
    apply(kubectl, cq_obj(ns, gpus="8"))
    _wait_reserved(kubectl, ns, "too-big", "True", "too-big admitted after raising quota")


def test_queue_plumbing_causes(kubectl, kubectl_env, queues):
    ns = queues
    apply(kubectl, gpu_job("lost", ns, "no-such-queue", gpus=1),
          gpu_job("unlabelled", ns, None, gpus=1))
    _wait_reserved(kubectl, ns, "lost")
    code, doc = explain(kubectl, kubectl_env, ns)
    assert code == 1
    assert "local_queue_missing" in _causes(doc, "lost")
    assert "no_queue_label" in _causes(doc, "unlabelled")
    apply(kubectl, local_queue("no-such-queue", ns, f"cq-{ns}"))
    _wait_reserved(kubectl, ns, "lost", "True", "lost admitted after creating its LocalQueue")


def test_cluster_queue_missing_then_created(kubectl, kubectl_env, queues):
    ns = queues
    apply(kubectl, local_queue("dangling", ns, f"missing-{ns}"),
          gpu_job("stranded", ns, "dangling", gpus=1))
    _wait_reserved(kubectl, ns, "stranded")
    code, doc = explain(kubectl, kubectl_env, ns, "stranded")
    assert code == 1 and _causes(doc) == {"cluster_queue_missing"}
    apply(kubectl, cq_obj(ns, name=f"missing-{ns}", gpus="1"))
    _wait_reserved(kubectl, ns, "stranded", "True", "stranded admitted after creating its CQ")


def test_nil_namespace_selector_selects_nothing(kubectl, kubectl_env, queues):
    ns = queues
    kubectl("patch", "clusterqueue", f"cq-{ns}", "--type", "json", "-p",
            '[{"op":"remove","path":"/spec/namespaceSelector"}]')
    apply(kubectl, gpu_job("orphan", ns, "team", gpus=1))
    _wait_reserved(kubectl, ns, "orphan")
    code, doc = explain(kubectl, kubectl_env, ns, "orphan")
    assert code == 1 and _causes(doc) == {"namespace_not_selected"}
    kubectl("patch", "clusterqueue", f"cq-{ns}", "--type", "merge", "-p",
            '{"spec":{"namespaceSelector":{}}}')
    _wait_reserved(kubectl, ns, "orphan", "True", "orphan admitted after namespaceSelector {}")


def test_stopped_queue_then_resumed(kubectl, kubectl_env, queues):
    ns = queues
    kubectl("patch", "clusterqueue", f"cq-{ns}", "--type", "merge", "-p",
            '{"spec":{"stopPolicy":"Hold"}}')
    wait_for(lambda: (condition(get(kubectl, "clusterqueue", f"cq-{ns}"), "Active") or {})
             .get("status") == "False", timeout=60, what="ClusterQueue inactive")
    apply(kubectl, gpu_job("held", ns, "team", gpus=1))
    _wait_reserved(kubectl, ns, "held")
    code, doc = explain(kubectl, kubectl_env, ns, "held")
    assert code == 1 and _causes(doc) == {"queue_inactive"}
    assert "stopPolicy Hold" in doc["findings"][0]["message"]
    kubectl("patch", "clusterqueue", f"cq-{ns}", "--type", "merge", "-p",
            '{"spec":{"stopPolicy":"None"}}')
    _wait_reserved(kubectl, ns, "held", "True", "held admitted after stopPolicy None")


def test_tainted_flavor_then_tolerated(kubectl, kubectl_env, queues):
    ns = queues
    taint = {"key": "example.com/reserved", "value": "ml", "effect": "NoSchedule"}
    apply(kubectl, flavor_obj(ns, nodeTaints=[taint]))
    apply(kubectl, gpu_job("intolerant", ns, "team", gpus=1))
    _wait_reserved(kubectl, ns, "intolerant")
    code, doc = explain(kubectl, kubectl_env, ns, "intolerant")
    assert code == 1 and _causes(doc) == {"flavor_mismatch"}
    assert "untolerated taint" in doc["findings"][0]["message"]
    # Fix: a flavor-level toleration (Kueue adds it to the pods it admits).
    apply(kubectl, flavor_obj(ns, nodeTaints=[taint], tolerations=[
        {"key": "example.com/reserved", "operator": "Equal", "value": "ml",
         "effect": "NoSchedule"}]))
    _wait_reserved(kubectl, ns, "intolerant", "True", "admitted after flavor toleration")


def test_admitted_but_no_node_matches_the_flavor(kubectl, kubectl_env, queues):
    ns = queues
    apply(kubectl, flavor_obj(ns, nodeLabels={"nvidia.com/gpu.product": "NVIDIA-B200"}))
    apply(kubectl, gpu_job("homeless", ns, "team", gpus=1))
    _wait_reserved(kubectl, ns, "homeless", "True")
    wait_for(lambda: any(p["status"].get("phase") == "Pending" and
                         condition(p, "PodScheduled") for p in
                         get(kubectl, "pods", "-n", ns)["items"]), timeout=60,
             what="pod unschedulable")
    code, doc = explain(kubectl, kubectl_env, ns, "homeless")
    assert code == 1 and _causes(doc) == {"admitted_not_started"}
    assert "match no node" in doc["findings"][0]["message"]


def test_gang_larger_than_the_h100_nodes(kubectl, kubectl_env, tmp_path, live_cluster):
    h100 = [n for n in get(kubectl, "nodes")["items"]
            if all(n["metadata"]["labels"].get(k) == v for k, v in H100_LABELS.items())]
    require_or_skip(live_cluster, h100, "this cluster has no H100 nodes")
    gang = gpu_job("gang", "default", "team", gpus=8, parallelism=len(h100) + 1)
    gang["spec"]["template"]["spec"]["nodeSelector"] = H100_LABELS
    path = tmp_path / "gang.yaml"
    path.write_text(yaml.safe_dump(gang))
    code, doc = run_script(kubectl_env, "check_gang.py", "-f", str(path), "--nodes", "live")
    assert code == 1
    finding = next(f for f in doc["findings"] if f["cause"] == "gang_unplaceable")
    assert f"only {len(h100)} of {len(h100) + 1}" in finding["message"]


def test_dra_device_class_not_mapped_in_kueue_config(kubectl, kubectl_env, queues, live_cluster):
    ns = queues
    dc = f"unmapped-{ns}"
    apply(kubectl, {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass",
                    "metadata": {"name": dc},
                    "spec": {"selectors": [{"cel": {"expression":
                                                    'device.driver == "gpu.nvidia.com"'}}]}})
    try:
        apply(kubectl, {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaimTemplate",
                        "metadata": {"name": "one-gpu", "namespace": ns},
                        "spec": {"spec": {"devices": {"requests": [
                            {"name": "gpu", "exactly": {"deviceClassName": dc}}]}}}})
        job = gpu_job("dra-job", ns, "team", gpus=0)
        pod = job["spec"]["template"]["spec"]
        pod["resourceClaims"] = [{"name": "gpu", "resourceClaimTemplateName": "one-gpu"}]
        container = pod["containers"][0]
        container["resources"] = {"requests": {"cpu": "1"}, "claims": [{"name": "gpu"}]}
        apply(kubectl, job)
        _wait_reserved(kubectl, ns, "dra-job")
        code, doc = explain(kubectl, kubectl_env, ns, "dra-job")
        assert code == 1 and _causes(doc) == {"dra_class_unmapped"}
        assert dc in doc["findings"][0]["message"]
        assert "deviceClassMappings" in doc["findings"][0]["fix"]
        cluster = live_cluster["cluster"]
        if cluster is None:
            return  # an existing cluster: its Kueue is not ours to restart
        # The fix: cover the mapped resource in the ClusterQueue, map the class in Kueue's
        # configuration, restart Kueue. In this order the restarted Kueue evaluates the
        # Workload against a queue that already covers it; the other order races Kueue's
        # requeue of inadmissible workloads on a ClusterQueue update (seen under load: the
        # Workload stayed "resource ... unavailable in ClusterQueue" after the update).
        resource = f"k8s-skills.io/{dc}"
        cq = cq_obj(ns)
        group = cq["spec"]["resourceGroups"][0]  # a flavor may appear in one group only
        group["coveredResources"].append(resource)
        group["flavors"][0]["resources"].append({"name": resource, "nominalQuota": "4"})
        apply(kubectl, cq)
        cluster.restart_kueue([{"name": resource, "deviceClassNames": [dc]}])
        _wait_reserved(kubectl, ns, "dra-job", "True", "admitted once the class is mapped")
    finally:
        kubectl("delete", "deviceclass", dc, "--wait=false", "--ignore-not-found", check=False)


def test_gang_admitted_but_larger_than_the_nodes_then_resized(kubectl, kubectl_env, queues,
                                                               live_cluster):
    """Quota admits a gang the nodes cannot hold: explain_pending names the stuck pods;
    the fix (a gang that fits the H100 nodes) runs."""
    ns = queues
    h100 = [n for n in get(kubectl, "nodes")["items"]
            if all(n["metadata"]["labels"].get(k) == v for k, v in H100_LABELS.items())]
    require_or_skip(live_cluster, h100, "this cluster has no H100 nodes")
    size = len(h100) + 1
    apply(kubectl, flavor_obj(ns, nodeLabels=H100_LABELS), cq_obj(ns, gpus=str(8 * size)))
    apply(kubectl, gpu_job("gang", ns, "team", gpus=8, parallelism=size))
    _wait_reserved(kubectl, ns, "gang", "True")
    wait_for(lambda: sum(p["status"].get("phase") == "Pending" for p in
                         get(kubectl, "pods", "-n", ns, "-l", "job-name=gang")["items"]) == 1,
             timeout=60, what="one gang pod unschedulable")
    code, doc = explain(kubectl, kubectl_env, ns, "gang")
    assert code == 1 and "admitted_not_started" in _causes(doc)
    finding = next(f for f in doc["findings"] if f["cause"] == "admitted_not_started")
    assert finding["fix"]
    # The fix: a gang no larger than the nodes that can hold it.
    kubectl("delete", "job", "gang", "-n", ns, "--wait=true")
    apply(kubectl, gpu_job("gang", ns, "team", gpus=8, parallelism=len(h100)))
    wait_for(lambda: [p for p in get(kubectl, "pods", "-n", ns, "-l", "job-name=gang")["items"]
                      if p["status"].get("phase") == "Running"
                      and not p["metadata"].get("deletionTimestamp")].__len__() == len(h100),
             timeout=90, what="the resized gang running")
