"""Issue 4, live: real Kueue v0.19 acts on real objects; explain_pending.py names the cause.

Every object lives in a fresh namespace (fixture `namespace`) or carries its name; the
ClusterQueue and ResourceFlavor are cluster-scoped, so they are deleted in `finally`.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import apply, condition, get, gpu_job, local_queue, wait_for

pytestmark = pytest.mark.live

SCRIPT = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts" / \
    "explain_pending.py"


def explain(kubectl_env, namespace: str, *args: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, str(SCRIPT), "-n", namespace, "--json", *args],
                          capture_output=True, text=True, env=kubectl_env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _queue_objects(namespace: str, gpus: str, selector: dict | None) -> list[dict]:
    flavor = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
              "metadata": {"name": f"rf-{namespace}"}, "spec": {}}
    spec = {"resourceGroups": [{
        "coveredResources": ["cpu", "memory", "nvidia.com/gpu"],
        "flavors": [{"name": f"rf-{namespace}", "resources": [
            {"name": "cpu", "nominalQuota": "64"}, {"name": "memory", "nominalQuota": "256Gi"},
            {"name": "nvidia.com/gpu", "nominalQuota": gpus}]}]}]}
    if selector is not None:
        spec["namespaceSelector"] = selector
    cq = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
          "metadata": {"name": f"cq-{namespace}"}, "spec": spec}
    return [flavor, cq, local_queue("team", namespace, f"cq-{namespace}")]


@pytest.fixture
def queues(kubectl, namespace):
    """4 GPUs of a fresh flavor for this namespace only; returns a re-apply helper."""
    selector = {"matchLabels": {"kubernetes.io/metadata.name": namespace}}
    apply(kubectl, *_queue_objects(namespace, "4", selector))
    wait_for(lambda: (condition(get(kubectl, "clusterqueue", f"cq-{namespace}"), "Active")
                      or {}).get("status") == "True", timeout=60, what="ClusterQueue Active")
    try:
        yield lambda gpus, sel=selector: apply(kubectl, *_queue_objects(namespace, gpus, sel))
    finally:
        kubectl("delete", "clusterqueue", f"cq-{namespace}", "--wait=false", check=False)
        kubectl("delete", "resourceflavor", f"rf-{namespace}", "--wait=false", check=False)


def _workload(kubectl, namespace, job):
    items = get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]
    return next((w for w in items if any(o.get("name") == job for o in
                                         w["metadata"].get("ownerReferences", []))), None)


def _reserved(kubectl, namespace, job, status):
    wl = _workload(kubectl, namespace, job)
    cond = condition(wl, "QuotaReserved") if wl else None
    return wl if cond and cond.get("status") == status else None


def _causes(doc, name=None):
    return {f["cause"] for f in doc["findings"] if name is None or name in f["object"]["name"]}


def test_quota_causes_and_fix(kubectl, kubectl_env, namespace, queues):
    apply(kubectl, gpu_job("fits", namespace, "team", gpus=2, parallelism=2))
    wait_for(lambda: _reserved(kubectl, namespace, "fits", "True"), timeout=90,
             what="fits reserved quota")
    apply(kubectl, gpu_job("waits", namespace, "team", gpus=2, parallelism=1),
          gpu_job("too-big", namespace, "team", gpus=4, parallelism=2))
    wait_for(lambda: _reserved(kubectl, namespace, "too-big", "False"), timeout=90,
             what="too-big evaluated")
    wait_for(lambda: _reserved(kubectl, namespace, "waits", "False"), timeout=90,
             what="waits evaluated")
    code, doc = explain(kubectl_env, namespace)
    assert code == 1
    assert "exceeds_max_quota" in _causes(doc, "too-big")
    waits = [f for f in doc["findings"] if "waits" in f["object"]["name"]]
    assert waits and waits[0]["cause"] == "quota_exhausted"
    assert any("fits" in e for e in waits[0]["evidence"]), waits[0]
    # The fix the finding proposes for too-big: raise nominal to the need; Kueue admits it.
    kubectl("delete", "job", "fits", "waits", "-n", namespace, "--wait=true", check=False)
    queues("8")
    wait_for(lambda: _reserved(kubectl, namespace, "too-big", "True"), timeout=120,
             what="too-big admitted after raising nominalQuota")


def test_queue_plumbing_causes(kubectl, kubectl_env, namespace, queues):
    apply(kubectl, gpu_job("lost", namespace, "no-such-queue", gpus=1),
          gpu_job("unlabelled", namespace, None, gpus=1))
    wait_for(lambda: _reserved(kubectl, namespace, "lost", "False"), timeout=90,
             what="lost evaluated")
    code, doc = explain(kubectl_env, namespace)
    assert code == 1
    assert "local_queue_missing" in _causes(doc, "lost")
    assert "no_queue_label" in _causes(doc, "unlabelled")
    # Fix for local_queue_missing: create the LocalQueue the job names.
    apply(kubectl, local_queue("no-such-queue", namespace, f"cq-{namespace}"))
    wait_for(lambda: _reserved(kubectl, namespace, "lost", "True"), timeout=120,
             what="lost admitted after creating its LocalQueue")


def test_nil_namespace_selector_selects_nothing(kubectl, kubectl_env, namespace, queues):
    kubectl("patch", "clusterqueue", f"cq-{namespace}", "--type", "json", "-p",
            '[{"op":"remove","path":"/spec/namespaceSelector"}]')
    apply(kubectl, gpu_job("orphan", namespace, "team", gpus=1))
    wait_for(lambda: _reserved(kubectl, namespace, "orphan", "False"), timeout=90,
             what="orphan evaluated")
    code, doc = explain(kubectl_env, namespace, "orphan")
    assert code == 1
    assert _causes(doc) == {"namespace_not_selected"}
    kubectl("patch", "clusterqueue", f"cq-{namespace}", "--type", "merge", "-p",
            '{"spec":{"namespaceSelector":{}}}')
    wait_for(lambda: _reserved(kubectl, namespace, "orphan", "True"), timeout=120,
             what="orphan admitted after namespaceSelector {}")
