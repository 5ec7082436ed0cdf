"""check_training.py live: a JobSet submitted to a Kueue queue is held suspended by Kueue's
own webhook (its JobSet integration) until its Workload is admitted; the script reads the
JobSet through kubectl and hands off to k8s-kueue. The local cluster runs no JobSet
controller, so only what Kueue writes is asserted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import apply, get, require_or_skip, wait_for

pytestmark = pytest.mark.live

SCRIPT = Path(__file__).resolve().parents[2] / "skills" / "k8s-troubleshooting" / "scripts" / \
    "check_training.py"


def _jobset(name: str, namespace: str, queue: str) -> dict:
    pod = {"restartPolicy": "Never", "containers": [{
        "name": "trainer", "image": "registry.invalid/trainer:1",
        "resources": {"requests": {"cpu": "1"}}}]}
    return {"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet",
            "metadata": {"name": name, "namespace": namespace,
                         "labels": {"kueue.x-k8s.io/queue-name": queue}},
            "spec": {"replicatedJobs": [{"name": "workers", "replicas": 1, "template": {
                "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 0,
                         "template": {"spec": pod}}}}]}}


def test_jobset_held_by_kueue(kubectl, kubectl_env, namespace, live_cluster):
    require_or_skip(live_cluster, any(c["metadata"]["name"] == "jobsets.jobset.x-k8s.io"
                                      for c in get(kubectl, "crd")["items"]),
                    "the JobSet CRD is not installed")
    apply(kubectl, _jobset("llm", namespace, "no-such-queue"))
    js = get(kubectl, "jobsets.jobset.x-k8s.io", "llm", "-n", namespace)
    assert js["spec"].get("suspend") is True  # Kueue's webhook suspended it
    wait_for(lambda: get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"],
             timeout=60, what="Kueue's Workload for the JobSet")
    proc = subprocess.run([sys.executable, str(SCRIPT), "-n", namespace, "--json"],
                          capture_output=True, text=True, env=kubectl_env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["jobs"] == [{"kind": "JobSet", "namespace": namespace, "name": "llm",
                            "verdict": "training_suspended"}]
    (f,) = doc["findings"]
    assert f["basis"] == "reported" and "explain_pending.py" in f["fix"]
    assert "no-such-queue" in f["message"]
