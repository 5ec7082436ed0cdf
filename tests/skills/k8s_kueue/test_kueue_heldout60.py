"""Held-out round 60 (Kueue): pages that keep captured output. Ground truth: Kueue's
troubleshooting page (`Can't admit new workloads: FlavorNotFound`, pkg/cache/clusterqueue.go
@v0.12.10:297, a ClusterQueue's Active condition, below its `kubectl get clusterqueue -o yaml`
command line); KubeRay's RayJob + Kueue guides in ray-project/ray (a ProvisioningRequest
ACCEPTED True / PROVISIONED False keeps the provisioning check Pending: kueue
pkg/controller/admissionchecks/provisioning/controller.go isAccepted -> CheckStatePending; a
ClusterQueue outside any cohort whose elided spec hides the quota while 1 Workload reserves it
and 2 wait)."""
from __future__ import annotations

from .test_kueue_heldout46 import _causes

FLAVOR = ("kubectl get clusterqueue my-clusterqueue -o yaml\n\nstatus:\n  admittedWorkloads: 0\n"
          "  conditions:\n  - lastTransitionTime: \"2024-05-03T18:22:30Z\"\n    message: 'Can''t "
          "admit new workloads: FlavorNotFound'\n    reason: FlavorNotFound\n    status: \"False\"\n"
          "    type: Active\n")


def test_a_queue_active_condition_below_its_command_line():
    assert _causes("explain_pending.py", FLAVOR)[0] == "queue_inactive"


PROVREQ = """$ kubectl get rayjob trainer -o yaml
apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: trainer
  labels:
    kueue.x-k8s.io/queue-name: user-queue
status:
  jobDeploymentStatus: Suspended

$ kubectl get provisioningrequest
NAME                                 ACCEPTED   PROVISIONED   FAILED   AGE
rayjob-trainer-e95ec-rayjob-gpu-1    True       {provisioned}{failed}   22s
"""


def test_a_provisioning_request_not_provisioned_holds_the_check():
    causes = _causes("explain_pending.py",
                     PROVREQ.format(provisioned="False         ", failed="False "))
    assert causes[0] == "admission_check_pending"


def test_a_provisioned_request_holds_nothing():
    causes = _causes("explain_pending.py",
                     PROVREQ.format(provisioned="True          ", failed="False "))
    assert "admission_check_pending" not in causes


ELIDED = """$ kubectl get clusterqueue
NAME            COHORT   PENDING WORKLOADS
cluster-queue   {cohort}2
$ kubectl get clusterqueue cluster-queue -o yaml
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
...
status:
  admittedWorkloads: 1
  flavorsReservation:
  - name: default-flavor
    resources:
    - borrowed: "0"
      name: nvidia.com/gpu
      total: "2"
  pendingWorkloads: 2
  reservingWorkloads: 1
"""


def test_pending_beside_reserved_quota_in_a_queue_without_cohort():
    assert _causes("explain_pending.py", ELIDED.format(cohort="         "))[0] == \
        "quota_exhausted"


def test_a_queue_in_a_cohort_may_borrow_so_says_nothing():
    assert "quota_exhausted" not in _causes("explain_pending.py",
                                            ELIDED.format(cohort="team     "))
