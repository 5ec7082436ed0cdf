"""Held-out round 83 (Kueue): a TAS Job that pins a host with nodeSelector, admitted, its pods
left SchedulingGated.

Ground truth:
- kubernetes-sigs/kueue#4571 ("TAS: workloads with nodeSelectors are scheduled by TAS, but not
  kube-scheduler", v0.11 development): a Job with `kueue.x-k8s.io/podset-required-topology:
  kubernetes.io/hostname` and `nodeSelector: kubernetes.io/hostname: kind-worker3`; TAS chose
  another node and the pods stayed SchedulingGated. Fixed by PR #4989 (v0.12.0), cherry-picked
  as #5087 (v0.10.5) and #5079 (v0.11.4) (Kueue CHANGELOG-0.10.md / CHANGELOG-0.11.md).
- Kueue v0.10.2 pkg/cache/tas_flavor_snapshot.go findTopologyAssignment reads no nodeSelector;
  v0.10.6 l.310-329 / v0.11.4 l.419-435 build a selector from it when the Topology ends at
  kubernetes.io/hostname. v0.10.2 pkg/controller/tas/topology_ungater.go l.199-212 copies the
  assigned host into the pod's nodeSelector ("failed ungating pod" on error), and the API
  server allows only additions to a gated pod's nodeSelector (kubernetes v1.37.2
  pkg/apis/core/validation/validation.go l.5950-5955, l.9746: "only additions to
  spec.nodeSelector are allowed (no mutations or deletions)").
"""
from __future__ import annotations

import sys

from .conftest import SCRIPTS
from .test_kueue_heldout75 import _findings

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue import tas_node_selector  # noqa: E402

# kueue#4571, the issue body: the Job manifest and the reporter's `k get pods -owide`
ISSUE_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  generateName: tas-sample-small-required-host-
  labels:
    kueue.x-k8s.io/queue-name: tas-user-queue
spec:
  parallelism: 2
  completions: 2
  completionMode: Indexed
  template:
    metadata:
      annotations:
        kueue.x-k8s.io/podset-required-topology: "kubernetes.io/hostname"
    spec:
      nodeSelector:
        kubernetes.io/hostname: "kind-worker3"
      containers:
      - name: dummy-job
        image: gcr.io/k8s-staging-perf-tests/sleep:v0.1.0
        resources:
          requests:
            cpu: "1"
      restartPolicy: Never
"""
ISSUE_PODS = """
NAME                                           READY   STATUS            RESTARTS   AGE     IP       NODE     NOMINATED NODE   READINESS GATES
tas-sample-small-required-host-t29tv-0-fldzf   0/1     SchedulingGated   0          4m35s   <none>   <none>   <none>           <none>
tas-sample-small-required-host-t29tv-1-2d97m   0/1     SchedulingGated   0          4m35s   <none>   <none>   <none>           <none>
"""

# The same evidence as a `-o yaml` dump (composed, with the field names of Kueue v1beta1 and
# v1alpha1 Topology): the Workload's topologyAssignment names another host than the pod's
# nodeSelector, the pod carries Kueue's TAS gate.
DUMP = """\
apiVersion: v1
kind: List
items:
- apiVersion: kueue.x-k8s.io/v1beta1
  kind: ResourceFlavor
  metadata: {name: tas-flavor}
  spec: {nodeLabels: {node-group: tas}, topologyName: hosts}
- apiVersion: kueue.x-k8s.io/v1alpha1
  kind: Topology
  metadata: {name: hosts}
  spec:
    levels: [{nodeLabel: example.com/rack}, {nodeLabel: %(lowest)s}]
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: pinned
    namespace: ml
    uid: 1111-aaaa
    labels: {kueue.x-k8s.io/queue-name: lq}
  spec:
    parallelism: 1
    template:
      metadata:
        annotations: {kueue.x-k8s.io/podset-preferred-topology: example.com/rack}
      spec:
        nodeSelector: {kubernetes.io/hostname: node-b}
        containers: [{name: c, image: busybox, resources: {requests: {cpu: "1"}}}]
- apiVersion: kueue.x-k8s.io/v1beta1
  kind: Workload
  metadata:
    name: job-pinned-3c8e1
    namespace: ml
    ownerReferences: [{apiVersion: batch/v1, kind: Job, name: pinned, uid: 1111-aaaa}]
  spec:
    queueName: lq
    podSets: [{name: main, count: 1, template: {spec: {containers: [{name: c}]}}}]
  status:
    admission:
      clusterQueue: cq
      podSetAssignments:
      - name: main
        flavors: {cpu: tas-flavor}
        count: 1
        topologyAssignment:
          levels: [kubernetes.io/hostname]
          domains: [{values: [%(assigned)s], count: 1}]
    conditions:
    - {type: QuotaReserved, status: "True", reason: QuotaReserved, message: Quota reserved}
    - {type: Admitted, status: "True", reason: Admitted, message: The workload is admitted}
- apiVersion: v1
  kind: Pod
  metadata:
    name: pinned-x7k2p
    namespace: ml
    ownerReferences: [{apiVersion: batch/v1, kind: Job, name: pinned, uid: 1111-aaaa}]
  spec:
    nodeSelector: {kubernetes.io/hostname: node-b, node-group: tas}
    schedulingGates: [{name: kueue.x-k8s.io/topology}]
    containers: [{name: c, image: busybox}]
  status:
    phase: Pending
    conditions:
    - {type: PodScheduled, status: "False", reason: SchedulingGated,
       message: Scheduling is blocked due to non-empty scheduling gates}
"""

# Kueue's record of the refused ungating, composed from its log call (topology_ungater.go:212
# @v0.10.2, zap JSON) and the API server's validation message (validation.go:9746 @v1.37.2)
LOG = ('{"level":"error","ts":"2025-03-12T10:21:07Z","caller":"tas/topology_ungater.go:212",'
       '"msg":"failed ungating pod","controller":"tas_topology_ungater","pod":{"name":"web-0-abcde",'
       '"namespace":"team"},"error":"Pod \\"web-0-abcde\\" is invalid: spec.nodeSelector: '
       'Invalid value: map[string]string{\\"kubernetes.io/hostname\\":\\"n1\\"}: only additions '
       'to spec.nodeSelector are allowed (no mutations or deletions)"}\n')


def _dump(lowest: str = "kubernetes.io/hostname", assigned: str = "node-a") -> str:
    return DUMP % {"lowest": lowest, "assigned": assigned}


def test_the_issue_paste_is_the_tas_node_selector_bug():
    found = _findings(ISSUE_JOB + ISSUE_PODS)
    first = found[0]
    assert first["cause"] == "kueue_bug"
    assert first["basis"] == "inferred"
    assert "kueue#4571" in first["message"] and "kind-worker3" in first["message"]
    assert "failed ungating pod" in first["confirm"]


def test_a_dump_with_the_assignment_names_the_host_kueue_chose():
    found = _findings(_dump())
    assert [f["cause"] for f in found][:1] == ["kueue_bug"]
    assert "assigned node-a, not node-b" in found[0]["message"]
    # the admitted-but-gated symptom is explained by the bug, not reported beside it
    assert "admitted_not_started" not in [f["cause"] for f in found]


def test_kueues_log_of_the_refused_ungating_is_reported():
    found = _findings(LOG)
    assert found[0]["cause"] == "kueue_bug"
    assert found[0]["basis"] == "reported"
    assert found[0]["object"] == {"kind": "Pod", "namespace": "team", "name": "web-0-abcde"}


def test_a_fixed_kueue_release_keeps_it_silent():
    text = ISSUE_JOB + ISSUE_PODS + "image: registry.k8s.io/kueue/kueue:v0.11.4\n"
    assert "kueue_bug" not in [f["cause"] for f in _findings(text)]
    assert tas_node_selector.is_fixed((0, 10, 5)) and tas_node_selector.is_fixed((0, 12, 0))
    assert not tas_node_selector.is_fixed((0, 11, 3)) and not tas_node_selector.is_fixed(None)


def test_near_misses_stay_silent():
    running = ISSUE_PODS.replace("SchedulingGated", "Running        ")
    other_key = ISSUE_JOB.replace("kubernetes.io/hostname: \"kind-worker3\"",
                                  "cloud.google.com/gke-nodepool: \"pool-a\"")
    for text in (ISSUE_JOB + running, other_key + ISSUE_PODS,
                 ISSUE_JOB.replace("kueue.x-k8s.io/podset-required-topology", "team/x")
                 + ISSUE_PODS,
                 _dump(assigned="node-b"),                 # Kueue chose the pinned host
                 _dump(lowest="example.com/block")):       # not a host-level Topology
        assert "kueue_bug" not in [f["cause"] for f in _findings(text)], text[:80]


def test_the_flavor_imposed_label_is_not_a_pin():
    flavor = {"spec": {"nodeLabels": {"kubernetes.io/hostname": "n1"}, "topologyName": "t"}}
    template = {"spec": {"nodeSelector": {"kubernetes.io/hostname": "n1"}}}
    assert tas_node_selector.pinned_hosts(template, [flavor], None) == {}
    assert tas_node_selector.pinned_hosts(template, [], ["kubernetes.io/hostname"]) == \
        {"kubernetes.io/hostname": "n1"}
