"""Held-out round 59 (Kueue): a Workload condition cut from its `type:` (only
lastTransitionTime and message, as OpenShift AI's distributed-workloads troubleshooting page
shows a suspended RayCluster's), and a ClusterQueue pasted both as YAML and as a `kubectl get`
row. Ground truth: Kueue's flavor assigner wording `insufficient quota for %s in flavor %s in
ClusterQueue` (pkg/scheduler/flavorassigner, v0.3-v0.8.3 and v0.9.0: the request exceeds what
the queue can ever give) - the doc resolves it by keeping requests within the ClusterQueue's quota; a
`kubectl get clusterqueue` row prints no resourceGroups (kueue config/components/crd printer
columns), so it says less than the object's YAML."""
from __future__ import annotations

from .test_kueue_heldout46 import _causes

CUT = ("status:\n conditions:\n   - lastTransitionTime: '2024-05-29T13:05:09Z'\n     message: "
       "'couldn''t assign flavors to pod set workers: insufficient quota for nvidia.com/gpu in "
       "flavor default-flavor in ClusterQueue'\n")


def test_a_condition_cut_from_its_type_is_read_as_kueue_words():
    assert _causes("explain_pending.py", CUT)[0] == "exceeds_max_quota"


QUEUES = """apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: cq
spec:
  namespaceSelector: {}
  resourceGroups:
  - coveredResources: ["cpu"]
    flavors:
    - name: default-flavor
      resources:
      - name: cpu
        nominalQuota: "10"
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata:
  name: lq
  namespace: team
spec:
  clusterQueue: cq
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-big-1a2b3
  namespace: team
spec:
  queueName: lq
  podSets:
  - name: main
    count: 5
    template:
      spec:
        containers:
        - name: c
          resources:
            requests:
              cpu: "5"

$ kubectl get clusterqueue
NAME   COHORT   PENDING WORKLOADS
cq              1
"""


def test_a_table_row_does_not_hide_the_queue_yaml_beside_it():
    # 5 x 5 cpu against a nominal quota of 10 with no cohort: over what the queue can ever give
    assert _causes("explain_pending.py", QUEUES)[0] == "exceeds_max_quota"
