"""Kueue's eviction told on the job: jobframework reconciler.go stopJob records `Normal
Stopped <the Workload's eviction message>` on the job (v0.3-v0.19), so a `kubectl describe`
of the job shows the preemption (kubernetes-sigs/kueue#2923, a TFJob)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_eviction.py"

EVENTS = """Events:
  Type    Reason           Age   From                                 Message
  ----    ------           ----  ----                                 -------
  Normal  CreatedWorkload  88s   kubeflow.org/tfjob-kueue-controller  Created Workload: default/tfjob-a-c6ba7
  Normal  Started          88s   kubeflow.org/tfjob-kueue-controller  Admitted by clusterQueue cluster-queue
  Normal  Stopped          64s   kubeflow.org/tfjob-kueue-controller  Preempted to accommodate a workload (UID: c8eb139e-b434-41b3-9b30-4292ec91f36a) due to prioritization in the ClusterQueue
  Normal  SuccessfulDeletePod  64s  tfjob-controller                  Deleted pod: a-worker-0
"""


def test_the_jobs_stopped_event_tells_the_preemption():
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=EVENTS,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)["findings"]
    assert found[0]["cause"] == "preempted" and found[0]["basis"] == "reported", found
    assert "c8eb139e" in found[0]["message"]


def test_a_multikueue_worker_not_connected():
    # `kubectl get multikueueclusters`: CONNECTED prints the Active condition's status
    # (apis/kueue/v1beta2/multikueue_types.go printcolumn), as kueue#8227 shows it
    text = ("$ kubectl get multikueueclusters\n"
            "NAME                 CONNECTED   AGE\n"
            "training-cluster-w4  False       6m13s\n")
    script = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_pending.py"
    proc = subprocess.run([sys.executable, str(script), "-f", "-", "--json"], input=text,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)["findings"]
    # the disconnected worker is the cause Kueue reports (kueue#8227's label)
    assert found[0]["cause"] == "multikueue_cluster_disconnected", found
    assert found[0]["object"]["kind"] == "MultiKueueCluster" and "kubeconfig" in found[0]["fix"]
