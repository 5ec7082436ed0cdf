"""The message parsers, one wording each. Inputs are the formats the upstream source prints
(k8s.io/kubernetes at the tag named, see references/messages.md) or the lines users pasted
in the public thread named; the expected meaning comes from that source or thread."""
from __future__ import annotations

import sys

import pytest

from .conftest import SCRIPTS

sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(SCRIPTS.parent.parent / "_shared"))

from _tshoot import kubeletmsg as km
from _tshoot import schedmsg as sm
from _tshoot.reports import classify
from _tshoot.text import scan

SCHEDULER = [
    # (message, era, total, {category: count}, verdict category)
    # v1.5.0 plugin/pkg/scheduler/generic_scheduler.go FitError.Error (summary form); a
    # selector miss beside a taint and nothing else: the selected node is the tainted one
    # (kubernetes/kops#2730: the e2e label was on the tainted master, the pod had no toleration)
    ("pod (vsphere-e2e-j11sb) failed to fit in any node\nfit failure summary on nodes : "
     "MatchNodeSelector (2), PodToleratesNodeTaints (1)", "<=1.5", None,
     {"affinity": 2, "taint": 1}, "taint"),
    # the per-node form of the same era, as openshift/origin#11260 logged it
    ("pod (router-1-mgdlr) failed to fit in any node\nfit failure on node (pxl0docker001): "
     "PodFitsHostPorts\n", "<=1.5", None, {"ports": 1}, "ports"),
    # v1.6.0 NoNodeAvailableMsg + ": %v." of "Name (count)"; podFitsOnNode ran every
    # predicate on every node, so the counts overlap: the selector fails on the most nodes
    ("No nodes are available that match all of the following predicates:: Insufficient cpu "
     "(9), MatchNodeSelector (18), PodToleratesNodeTaints (2).", "1.6-1.8", None,
     {"insufficient": 9, "affinity": 18, "taint": 2}, "affinity"),
    ("No nodes are available that match all of the following predicates:: "
     "NodeUnderMemoryPressure (1).", "1.6-1.8", None, {"pressure": 1}, "pressure"),
    # v1.9.0 "0/%v nodes are available: %v." with "count PredicateName"
    ("0/3 nodes are available: 3 MatchNodeSelector.", "1.9+", 3, {"affinity": 3}, "affinity"),
    ("0/3 nodes are available: 1 PodToleratesNodeTaints, 3 Insufficient nvidia.com/gpu.",
     "1.9+", 3, {"taint": 1, "insufficient": 3}, "insufficient"),
    # v1.11.0 predicates/error.go descriptions
    ("0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.", "1.9+", 1,
     {"taint": 1}, "taint"),
    ("0/23 nodes are available: 1 node(s) had taints that the pod didn't tolerate, 22 node(s) "
     "didn't match node selector.", "1.9+", 23, {"taint": 1, "affinity": 22}, "taint"),
    # v1.19.0 taint_toleration.go "had taint {%s: %s}, that the pod didn't tolerate"
    ("0/6 nodes are available: 3 node(s) had taint {node-role.kubernetes.io/master: }, that "
     "the pod didn't tolerate, 3 node(s) had volume node affinity conflict.", "1.9+", 6,
     {"control_plane": 3, "volume_affinity": 3}, "volume_affinity"),
    ("0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/disk-pressure: }, that "
     "the pod didn't tolerate.", "1.9+", 1, {"pressure": 1}, "pressure"),
    # v1.22.0 nodeaffinity ErrReasonPod; v1.22.0+ preemption tail
    ("0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. "
     "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
     "1.9+", 4, {"affinity": 4}, "affinity"),
    # v1.25.0 "had untolerated taint {%s: %s}"
    ("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable:"
     " }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
     "1.9+", 1, {"not_ready": 1}, "not_ready"),
    # v1.37.2 "had untolerated taint(s)" (no key since 1.35); TaintToleration before
    # NodeAffinity (default_plugins.go), so the later filter wins without nodes
    ("0/10 nodes are available: 2 node(s) had untolerated taint(s), 8 node(s) didn't match "
     "Pod's node affinity/selector.", "1.9+", 10, {"taint": 2, "affinity": 8}, "affinity"),
    # v1.37.2 FitError.Error: a PreFilter reason has no count
    ("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: "
     "0/1 nodes are available: 1 Preemption is not helpful for scheduling..", "1.9+", 1,
     {"pvc": 1}, "pvc"),
    ("0/8 nodes are available: 8 cannot allocate all claims. preemption: 0/8 nodes are "
     "available: 8 Preemption is not helpful for scheduling.", "1.9+", 8, {"dra": 8}, "dra"),
    ("0/3 nodes are available: 1 Insufficient memory, 1 Too many pods, 1 node(s) had volume "
     "node affinity conflict. preemption: 0/3 nodes are available: 1 Preemption is not helpful"
     " for scheduling, 2 No preemption victims found for incoming pod.", "1.9+", 3,
     {"insufficient": 2, "volume_affinity": 1}, "volume_affinity"),
    # v1.33.0 binder.go ErrReasonNodeConflict
    ("0/2 nodes are available: 2 node(s) didn't match PersistentVolume's node affinity.",
     "1.9+", 2, {"volume_affinity": 2}, "volume_affinity"),
    ("0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints, 2 "
     "node(s) didn't match pod anti-affinity rules.", "1.9+", 3,
     {"spread": 1, "pod_affinity": 2}, "pod_affinity"),
    ("0/2 nodes are available: 1 Too many pods, 1 node(s) had taint "
     "{node.kubernetes.io/unreachable: }, that the pod didn't tolerate.", "1.9+", 2,
     {"insufficient": 1, "not_ready": 1}, "insufficient"),
    ("0/3 nodes are available: 3 node(s) were unschedulable.", "1.9+", 3, {"cordoned": 3},
     "cordoned"),
    ("0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.",
     "1.9+", 2, {"ports": 2}, "ports"),
    # openshift/origin#19506 (OpenShift 3.9 = 1.9): the thread's fix was labelling the nodes for
    # CheckServiceAffinity. MatchInterPodAffinity and ExistingPodsAntiAffinityRulesNotMatch are
    # printed together for one node (v1.10.0 predicates.go InterPodAffinityMatches), so the pod
    # (anti-)affinity reasons cover 1 node, not 2: service affinity (2 nodes) is the blocker.
    ("0/3 nodes are available: 1 ExistingPodsAntiAffinityRulesNotMatch, 1 "
     "MatchInterPodAffinity, 2 CheckServiceAffinity.", "1.9+", 3,
     {"pod_affinity": 2, "affinity": 2}, "affinity"),
]


def test_overlapping_reasons_of_one_category_count_once():
    """<= 1.9 every predicate ran on every node and one predicate prints several reasons for
    one node (v1.10.0 predicates.go PodFitsResources: one Insufficient R per resource), so a
    category covers at least its largest count - here 15 nodes short of something against
    18 that fail the selector (argoproj/argo-workflows#190, 1.6-era message)."""
    msg = sm.parse("No nodes are available that match all of the following predicates:: "
                   "Insufficient cpu (9), Insufficient memory (15), MatchNodeSelector (18).")
    assert msg.category_floor() == {"insufficient": 15, "affinity": 18}
    assert sm.verdict(msg)[0] == "affinity"


@pytest.mark.parametrize("text,era,total,cats,verdict", SCHEDULER)
def test_scheduler_message_of_every_era(text, era, total, cats, verdict):
    msg = sm.parse(text)
    assert msg is not None
    assert (msg.era, msg.total, msg.categories()) == (era, total, cats)
    assert sm.verdict(msg)[0] == verdict


def test_scheduler_preemption_tail_is_kept_apart():
    msg = sm.parse("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are "
                   "available: 3 No preemption victims found for incoming pod.")
    assert msg.reasons == [(3, "Insufficient cpu")]
    assert "No preemption victims found" in msg.preemption
    assert sm.resources(msg) == ["cpu"]


def test_scheduler_histogram_quoted_without_its_head():
    # gitpod-io/gitpod#2622 quoted only the reasons
    msg = sm.parse("`1 node(s) didn't have free ports for the requested pod ports, 1 node(s) "
                   "had taint {node-role.kubernetes.io/master: }, that the pod didn't "
                   "tolerate.`")
    assert msg.categories() == {"ports": 1, "control_plane": 1}
    assert sm.verdict(msg)[0] == "ports"
    assert sm.taint_keys(msg) == ["node-role.kubernetes.io/master"]


def test_no_nodes_at_all():
    assert sm.verdict(sm.parse("no nodes available to schedule pods"))[0] == "no_nodes"


def test_hidden_alternatives_name_the_earlier_filter():
    msg = sm.parse("0/10 nodes are available: 2 node(s) had untolerated taint(s), 8 node(s) "
                   "didn't match Pod's node affinity/selector.")
    assert sm.hidden(msg, "affinity") == ["taint"]


@pytest.mark.parametrize("text,kind", [
    # kubevela/kubevela#981
    ('Failed to pull image "oamdev/vela-core:0.3.1": rpc error: code = Unknown desc = Error '
     'response from daemon: manifest for oamdev/vela-core:0.3.1 not found: manifest unknown: '
     'manifest unknown', "tag or repository not found"),
    # UKHomeOffice/kb8or#68 (2016)
    ('Failed to pull image "quay.io/u/s3registry:v2.0.0-bob": image pull failed for '
     'quay.io/u/s3registry:v2.0.0-bob, this may be because there are no credentials on this '
     'request.  details: (Tag v2.0.0-bob not found in repository quay.io/u/s3registry)',
     "tag or repository not found"),
    # kubernetes/kubernetes#21452 (2016)
    ("image pull failed for x/app:latest, this may be because there are no credentials on this"
     " request.  details: (Authentication is required.)", "registry auth"),
    # rancher-archives/rke#167
    ('Failed to pull image "r/test-service:latest": rpc error: code = Unknown desc = '
     'unauthorized: authentication required', "registry auth"),
    # infradohq/headscale-operator#123
    ("Failed to pull image \"headscale-api-key\": Error response from daemon: pull access denied"
     " for headscale-api-key, repository does not exist or may require 'docker login'",
     "not found or private"),
    # Cloud-and-Distributed-Systems/Erms#1
    ('Get "https://k.harbor.siat.ac.cn/v2/": dial tcp: lookup k.harbor.siat.ac.cn on '
     '192.168.65.2:53: no such host', "registry unreachable"),
    # kubernetes/community#760
    ('{"message":"Get https://registry.example/v1/_ping: x509: certificate signed by unknown '
     'authority"}', "TLS not trusted"),
    # red-hat-storage/ocs-ci#4494
    ("Error reading manifest latest in docker.io/o/kafdrop: toomanyrequests: You have reached "
     "your pull rate limit.", "rate limited"),
    # codefactoryhu/manifest#11 (containerd), kube-rbac-proxy/kube-rbac-proxy#79 (docker)
    ('failed to pull and unpack image "ghcr.io/c/manifest:0.1.5": no match for platform in '
     'manifest: not found', "wrong platform"),
    ("no matching manifest for linux/arm64/v8 in the manifest list entries", "wrong platform"),
    # v1.37.2 pkg/kubelet/images/types.go
    ("ErrImageNeverPull", "never pulled"),
    ("InvalidImageName", "invalid name"),
])
def test_pull_failure_kinds(text, kind):
    assert km.pull_kind(text) == kind


@pytest.mark.parametrize("text,expected", [
    # v1.37.2 pkg/kubelet/kubelet_pods.go
    ("Error: couldn't find key name in Secret catalog/catalog-db",
     {"kind": "Secret", "name": "catalog-db", "key": "name"}),
    # GoogleCloudPlatform/continuous-deployment-on-kubernetes#89 (1.7: in the waiting reason)
    ("Couldn't find key options in Secret jenkins/jenkins",
     {"kind": "Secret", "name": "jenkins", "key": "options"}),
    ('Error: configmap "autotune-config-key" not found',
     {"kind": "ConfigMap", "name": "autotune-config-key", "key": ""}),
    ('MountVolume.SetUp failed for volume "config-volume" : secrets '
     '"alertmanager-alertmanager-main" not found',
     {"kind": "Secret", "name": "alertmanager-alertmanager-main", "key": ""}),
])
def test_config_the_kubelet_could_not_resolve(text, expected):
    assert km.config_missing(text) == expected


@pytest.mark.parametrize("text,cause", [
    # v1.37.2 eviction/helpers.go nodeLowMessageFmt + containerMessageFmt (1.28+ form)
    ("The node was low on resource: ephemeral-storage. Threshold quantity: 2146223340, "
     "available: 1883424Ki. Container helmer was using 10304Ki, request is 10Mi, has larger "
     "consumption of ephemeral-storage.", "evicted"),
    # v1.37.2 pleg/generic.go
    ("KubeletNotReady PLEG is not healthy: pleg was last seen active 16h17m50s ago; threshold "
     "is 3m0s", "node_not_ready"),
    # v1.37.2 node_lifecycle_controller.go
    ("NodeStatusUnknown Kubelet stopped posting node status.", "node_not_ready"),
    ("runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker:"
     " network plugin is not ready: cni config uninitialized", "node_not_ready"),
    ("  DiskPressure         True    Wed, 05 Aug 2020 12:43:36 +0530   KubeletHasDiskPressure",
     "node_pressure"),
    ('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for'
     ' sandbox "4827": plugin type="calico" failed (add): error getting ClusterInformation: '
     'connection is unauthorized: Unauthorized', "sandbox_failed"),
    ('Multi-Attach error for volume "pvc-80c5" Volume is already exclusively attached to one '
     'node and can\'t be attached to another', "mount_failed"),
    ("Liveness probe failed: context deadline exceeded", "probe_failing"),
    ("Container app failed liveness probe, will be restarted", "probe_failing"),
    ("      Reason:       OOMKilled", "oom_killed"),
    ("Exit Code: 143          <- SIGTERM from the kubelet, not OOMKilled", None),
    ("container's State.OOMKilled is false, and State.ExitCode is 137", None),
    ("standard_init_linux.go:228: exec user process caused: exec format error", "crash_loop"),
    ("Status:       Terminating (expires Mon, 21 Mar 2016 16:42:16 -0400)", "stuck_terminating"),
    ('running Reserve plugin "DynamicResources": waiting for resource driver to allocate '
     'resource', "dra_claim"),
    ("RuntimeError: CUDA out of memory. Tried to allocate 844.00 MiB", "gpu_pressure"),
])
def test_one_reported_message(text, cause):
    rep = classify(text)
    assert (rep.cause if rep else None) == cause


def test_liveness_kill_outranks_the_crash_loop_it_causes():
    assert classify("Liveness probe failed: Get ...: connection refused").weight > \
        classify("Back-off restarting failed container").weight
    assert classify("Readiness probe failed: HTTP probe failed with statuscode: 503").weight < \
        classify("Back-off restarting failed container").weight


def test_tolerations_of_a_described_pod_are_not_node_problems():
    text = """Name:         web-1
Namespace:    default
Status:       Pending
Containers:
  web:
    Image:  nginx
Tolerations:     node.kubernetes.io/disk-pressure:NoSchedule op=Exists
                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:          <none>
"""
    assert scan(text) == []


def test_text_subjects_follow_event_rows_and_describe_names():
    text = """Name:               node4
Roles:              master
Taints:             node.kubernetes.io/unreachable:NoExecute
Unschedulable:      false

LAST SEEN   TYPE      REASON   OBJECT        MESSAGE
3s          Warning   Failed   pod/api-1     Error: couldn't find key k in Secret ns/creds
"""
    subjects = {(s.kind, s.name): [r.cause for r in s.reports] for s in scan(text)}
    assert subjects == {("Node", "node4"): ["node_not_ready"],
                        ("Pod", "api-1"): ["config_missing"]}
