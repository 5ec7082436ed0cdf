"""Held-out round 81 (Kueue): a Workload left without a reservation while a queue-mate (same
namespace and LocalQueue) is admitted, in `kubectl get workloads` rows and nothing else.

Ground truth:
- netai-devsecops-runbook experiments 27 and 28 (Kueue v0.18.2 on kind, Jobs propagated by
  Karmada): ClusterQueue nominalQuota cpu=1, two Jobs of cpu 1 each; one Workload admitted, the
  other unreserved, the queue's counters PENDING 1 / ADMITTED 1; the author deleted the admitted
  Job and the other was admitted. Rows quoted without their header, the command with global
  flags before the verb (kit: tests/unit/test_skillkit_headerless_workloads.py).
- The mate proves the queue path: Kueue reserves quota only through an existing LocalQueue
  (spec.clusterQueue, immutable) and an active ClusterQueue selecting the namespace
  (getQueueBlocker, pkg/controller/core/workload_controller.go @v0.19.2); what is left is the
  flavor assignment's `insufficient unused quota` (pkg/scheduler/flavorassigner/
  flavorassigner.go @v0.19.2), hence basis inferred with the QuotaReserved message to read.
- Near miss: kubernetes-sigs/kueue#1651's script (KEP-1284) stops the ClusterQueue with
  stopPolicy Hold: a pending Workload beside an admitted one there is queue_inactive.
"""
from __future__ import annotations

from .test_kueue_heldout75 import _findings

# the held-out write-up's capture (experiment 28), as it pastes it
EXP28 = """```bash
kubectl --context kind-datax -n demo-argocd-kueue-datax get workloads -o wide
```

```text
job-demo-argocd-kueue-hold-a-b6d6b   argocd-datax-user-queue
job-demo-argocd-kueue-hold-b-94242   argocd-datax-user-queue   argocd-datax-cpu-queue   True
```
"""


def test_a_pending_workload_beside_an_admitted_queue_mate_waits_for_its_quota():
    first = _findings(EXP28)[0]
    assert first["cause"] == "quota_exhausted"
    assert first["basis"] == "inferred"
    assert first["object"]["name"] == "job-demo-argocd-kueue-hold-a-b6d6b"
    assert "job-demo-argocd-kueue-hold-b-94242" in first["message"]
    assert "QuotaReserved" in first["confirm"]


# another form: a v0.19 table with its header, the ClusterQueue and the Job as YAML (the
# quota and the request shown beside the inference)
WITH_OBJECTS = """$ kubectl -n team get workloads
NAME                 QUEUE        RESERVED IN   ADMITTED   FINISHED   AGE
job-train-b-22222    team-queue                                       1m
job-train-a-11111    team-queue   team-cq       True                  3m
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata:
  name: team-cq
spec:
  namespaceSelector: {}
  resourceGroups:
  - coveredResources: [cpu]
    flavors:
    - name: default
      resources:
      - name: cpu
        nominalQuota: "2"
---
apiVersion: batch/v1
kind: Job
metadata:
  name: train-b
  namespace: team
  labels:
    kueue.x-k8s.io/queue-name: team-queue
spec:
  suspend: true
  template:
    spec:
      containers:
      - name: c
        image: busybox
        resources:
          requests:
            cpu: "2"
"""


def test_the_same_evidence_with_the_queue_and_job_yaml_shows_the_arithmetic():
    first = _findings(WITH_OBJECTS)[0]
    assert first["cause"] == "quota_exhausted" and first["basis"] == "inferred"
    assert any("nominalQuota: cpu 2" in e for e in first["evidence"])
    assert any("requests cpu 2" in e for e in first["evidence"])


def test_a_queue_with_room_for_two_such_pods_is_not_called_exhausted():
    roomy = WITH_OBJECTS.replace('nominalQuota: "2"', 'nominalQuota: "8"')
    assert not any(f["cause"] == "quota_exhausted" for f in _findings(roomy))


def test_a_mate_in_another_local_queue_proves_nothing():
    other = EXP28.replace("hold-b-94242   argocd-datax-user-queue",
                          "hold-b-94242   another-user-queue     ")
    assert not any(f["cause"] == "quota_exhausted" for f in _findings(other))


def test_a_queue_the_report_stopped_outranks_the_mates_quota():
    stopped = ("[updating team-b-cq to stopPolicy: Hold]\n"
               "clusterqueue.kueue.x-k8s.io/team-b-cq patched\n"
               "$ kubectl get pods -n team-b\n"
               "NAME                     READY   STATUS    RESTARTS   AGE\n"
               "sample-job-jd5xb-lf697   1/1     Running   0          70s\n"
               "$ kubectl get workloads -n team-b\n"
               "NAME                         QUEUE          ADMITTED BY   AGE\n"
               "job-sample-job-6lgkq-88dfd   team-b-queue                 3s\n"
               "job-sample-job-jd5xb-929ef   team-b-queue   team-b-cq     73s\n")
    assert _findings(stopped)[0]["cause"] == "queue_inactive"
