"""explain_eviction.py on real Kueue v0.19: two real preemptions, then the same after the
victims were admitted again.

- InCohortReclamation: ClusterQueue A (4 GPUs nominal) runs a 6-GPU job by borrowing from B in
  the same cohort; a 4-GPU job in B reclaims (reclaimWithinCohort: Any).
- InClusterQueue: ClusterQueue C (4 GPUs, no cohort) runs a low-priority 4-GPU job; a
  high-priority one arrives (withinClusterQueue: LowerPriority).
The preemptor the script names must be the Workload Kueue itself names in its
PreemptedWorkload event.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import apply, condition, get, gpu_job, local_queue, wait_for

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts"


def _cq(name, namespace, flavor, **preemption):
    cohort = preemption.pop("cohort", None)
    spec = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
            "preemption": preemption,
            "resourceGroups": [{"coveredResources": ["cpu", "memory", "nvidia.com/gpu"],
                                "flavors": [{"name": flavor, "resources": [
                                    {"name": "cpu", "nominalQuota": "64"},
                                    {"name": "memory", "nominalQuota": "256Gi"},
                                    {"name": "nvidia.com/gpu", "nominalQuota": "4"}]}]}]}
    if cohort:
        spec["cohortName"] = cohort
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
            "metadata": {"name": name}, "spec": spec}


def _job(name, namespace, priority, gpus, parallelism=1):
    job = gpu_job(name, namespace, "team", gpus=gpus, parallelism=parallelism)
    job["metadata"]["labels"]["kueue.x-k8s.io/priority-class"] = priority
    return job


def _workload(kubectl, namespace, job):
    for wl in get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]:
        if any(o.get("name") == job for o in wl["metadata"].get("ownerReferences", [])):
            return wl
    return None


def _status(kubectl, namespace, job, ctype):
    wl = _workload(kubectl, namespace, job)
    return (condition(wl, ctype) or {}).get("status") if wl else None


def _explain(kubectl_env, namespace):
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_eviction.py"), "--json",
                           "-n", namespace], capture_output=True, text=True,
                          env=kubectl_env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def _preemptor_from_event(kubectl, namespace):
    """The Workload Kueue's PreemptedWorkload event was written on (its own word)."""
    for event in get(kubectl, "events", "-n", namespace)["items"]:
        if event.get("reason") == "PreemptedWorkload":
            return f"{namespace}/{event['involvedObject']['name']}"
    return None


@pytest.fixture
def setup(kubectl, namespace, other_namespace):
    third = f"{namespace}-c"
    kubectl("create", "namespace", third)
    flavor, names = f"rf-{namespace}", [f"cqa-{namespace}", f"cqb-{namespace}",
                                        f"cqc-{namespace}"]
    prio = [{"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "WorkloadPriorityClass",
             "metadata": {"name": f"{level}-{namespace}"}, "value": value}
            for level, value in (("low", 10), ("high", 1000))]
    apply(kubectl, *prio, {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
                           "metadata": {"name": flavor}, "spec": {}},
          _cq(names[0], namespace, flavor, cohort=f"co-{namespace}",
              reclaimWithinCohort="Any"),
          _cq(names[1], other_namespace, flavor, cohort=f"co-{namespace}",
              reclaimWithinCohort="Any"),
          _cq(names[2], third, flavor, withinClusterQueue="LowerPriority"),
          local_queue("team", namespace, names[0]), local_queue("team", other_namespace,
                                                                names[1]),
          local_queue("team", third, names[2]))
    try:
        yield namespace, other_namespace, third
    finally:
        kubectl("delete", "namespace", third, "--wait=false", check=False)
        for kind, name in [("clusterqueue", n) for n in names] + [
                ("resourceflavor", flavor), ("workloadpriorityclass", f"low-{namespace}"),
                ("workloadpriorityclass", f"high-{namespace}")]:
            kubectl("delete", kind, name, "--wait=false", "--ignore-not-found", check=False)


def test_real_preemptions_explained(kubectl, kubectl_env, setup):
    a, b, c = setup
    low, high = f"low-{a}", f"high-{a}"
    apply(kubectl, _job("borrower", a, low, gpus=3, parallelism=2), _job("low", c, low, gpus=4))
    for ns, job in ((a, "borrower"), (c, "low")):
        wait_for(lambda ns=ns, job=job: _status(kubectl, ns, job, "Admitted") == "True",
                 timeout=120, what=f"{job} admitted")
    apply(kubectl, _job("reclaimer", b, low, gpus=4), _job("urgent", c, high, gpus=4))
    for ns, job in ((a, "borrower"), (c, "low")):
        wait_for(lambda ns=ns, job=job: _status(kubectl, ns, job, "Preempted") == "True",
                 timeout=120, what=f"{job} preempted")

    (borrower,) = _explain(kubectl_env, a)
    assert borrower["cause"] == "preempted" and borrower["severity"] == "warning"
    assert "InCohortReclamation" in borrower["message"]
    wait_for(lambda: _preemptor_from_event(kubectl, b), timeout=60, what="event")
    assert f"Workload {_preemptor_from_event(kubectl, b)}" in borrower["message"]
    assert f"ClusterQueue cqb-{a} spec.preemption.reclaimWithinCohort: Any" in \
        borrower["evidence"]
    victims = [f for f in _explain(kubectl_env, c) if "low" in f["object"]["name"]]
    assert victims and "InClusterQueue" in victims[0]["message"]
    assert f"Workload {_preemptor_from_event(kubectl, c)}" in victims[0]["message"]

    # The preemptors go away; the victims are admitted again and keep their history.
    kubectl("delete", "job", "reclaimer", "-n", b, "--wait=true")
    wait_for(lambda: _status(kubectl, a, "borrower", "Admitted") == "True", timeout=120,
             what="borrower admitted again")
    (again,) = _explain(kubectl_env, a)
    assert again["severity"] == "info" and "admitted again" in again["message"]
    assert "InCohortReclamation" in again["message"]
