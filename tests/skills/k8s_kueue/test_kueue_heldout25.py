"""Held-out rounds 25 and 26 (Kueue): a ClusterQueue's Active condition summarised by its
reason, a Workload's admissionChecks block pasted alone with a Rejected check, and a paste
whose only Workload is admitted and running. Ground truth: kueue v0.19.2 pkg/cache/
clusterqueue.go (inactiveReason: FlavorNotFound and the others), apis/kueue/v1beta2
workload_types.go (CheckState Rejected; ReclaimablePods), and the threads named below."""
from __future__ import annotations

import pytest


def _findings(script, tmp_path, text: str) -> list[dict]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


# headlamp-k8s/plugins#1177: the sample ClusterQueue named flavors that did not exist
HEADLAMP = """Reproduced against a live cluster (minikube + Kueue v0.19.1, `v1beta2` API):
- Before fix: `kubectl get clusterqueue team-a` → `status.conditions: Active=False, reason=FlavorNotFound`. No workload can ever be admitted.
- After fix: `Active=True, reason=Ready, message="Can admit new workloads"`.
"""


def test_an_inactive_cluster_queue_said_by_its_reason(script, tmp_path):
    top = _findings(script, tmp_path, HEADLAMP)[0]
    # not "ClusterQueue ... not found": the queue exists, its flavor does not
    assert top["cause"] == "queue_inactive", top


# kubernetes-sigs/kueue#5613: the JobManagedBy gate off (Kubernetes 1.31) dropped spec.managedBy
MULTIKUEUE = """status:
  admissionChecks:
  - lastTransitionTime: "2025-06-11T05:25:09Z"
    message: 'The owner is not managed by Kueue: Expecting spec.managedBy to be "kueue.x-k8s.io/multikueue" not ""'
    name: demo
    state: Rejected
"""


def test_a_rejected_check_pasted_alone_is_the_check_controllers_verdict(script, tmp_path):
    top = _findings(script, tmp_path, MULTIKUEUE)[0]
    assert (top["cause"], top["basis"]) == ("admission_check_rejected", "reported"), top
    assert "JobManagedBy" in " ".join(top["evidence"]), top


# kubernetes-sigs/kueue#3141: an admitted, partly finished Workload pasted by a user whose
# other jobs were not admitted (never answered)
ADMITTED = """Status:
  Admission:
    Cluster Queue:  cluster-queue
    Pod Set Assignments:
      Count:  456
      Flavors:
        nvidia.com/gpu:      pool1
      Name:                   main
  Conditions:
    Last Transition Time:  2025-03-31T22:51:10Z
    Message:               Quota reserved in ClusterQueue cluster-queue
    Reason:                QuotaReserved
    Status:                True
    Type:                  QuotaReserved
    Last Transition Time:  2025-03-31T22:51:10Z
    Message:               The workload is admitted
    Reason:                Admitted
    Status:                True
    Type:                  Admitted
  Reclaimable Pods:
    Count:  454
    Name:   main
"""


def test_an_admitted_running_workload_alone_says_the_waiting_one_is_not_here(script,
                                                                             tmp_path):
    found = _findings(script, tmp_path, ADMITTED)
    assert [(f["cause"], f["severity"]) for f in found] == [("not_in_dump", "info")], found
    assert "454 pod(s) finished" in found[0]["message"], found


@pytest.mark.parametrize("text, cause", [
    # LocalQueue Active=False reasons (kueue pkg/controller/core/localqueue_controller.go)
    ("`kubectl get localqueue team-a -n ml -o yaml` shows `Active=False, "
     "reason=ClusterQueueDoesNotExist`\n", "cluster_queue_missing"),
    ("the LocalQueue status says Active: False (ClusterQueueIsInactive)\n", "queue_inactive"),
    ("ClusterQueue cq shows Active=False reason=AdmissionCheckNotFound\n", "queue_inactive"),
])
def test_a_queues_active_condition_said_by_its_reason(script, tmp_path, text, cause):
    assert _findings(script, tmp_path, text)[0]["cause"] == cause


@pytest.mark.parametrize("text, cause", [
    ("My workload is pending because the ClusterQueue has no more quota for nvidia.com/gpu.",
     "quota_exhausted"),
    ("The LocalQueue does not exist in the namespace, so the job is never admitted.",
     "local_queue_missing"),
    ("The workload was preempted by a higher priority workload in the cohort.", "preempted"),
    ("The job is missing the kueue.x-k8s.io/queue-name label so Kueue ignores it.",
     "no_queue_label"),
])
def test_a_kueue_state_said_in_words(script, tmp_path, text, cause):
    top = _findings(script, tmp_path, text + "\n")[0]
    assert (top["cause"], top["basis"], top["severity"]) == (cause, "inferred", "warning"), top


def test_enough_quota_said_is_not_a_quota_problem(script, tmp_path):
    text = "The ClusterQueue has enough quota and the workload was admitted right away, pods run.\n"
    assert all(f["severity"] == "info" for f in _findings(script, tmp_path, text))
