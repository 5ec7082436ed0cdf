"""The kit's scheduling model against upstream semantics (issue 12, Deliver 4).

Every expected value below is upstream's: the file and the case are named in each test.
"""
from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.crd import absent_type_name, is_resource_type_absent
from k8s_skillkit.requests import fits, pod_requests
from k8s_skillkit.scheduling import (eviction_seconds, node_rejections,
                                     node_selector_matches, preferred_affinity_score,
                                     required_affinity_matches, tolerates, untolerated_taints)
from k8s_skillkit.selectors import (SelectorError, parse_selector,
                                    requirement_matches, selector_matches)

# --- label selectors: apimachinery v0.37.2 pkg/labels/selector.go Requirement.Matches ------

@pytest.mark.parametrize("op, values, labels, expected", [
    ("In", ["a"], {"k": "a"}, True),
    ("In", ["a"], {}, False),                 # In: key must exist
    ("NotIn", ["a"], {}, True),               # NotIn: an absent key matches
    ("NotIn", ["a"], {"k": "a"}, False),
    ("NotIn", ["a"], {"k": "b"}, True),
    ("Exists", [], {"k": ""}, True),
    ("DoesNotExist", [], {}, True),           # DoesNotExist: an absent key matches
    ("DoesNotExist", [], {"k": "x"}, False),
    ("Gt", ["4"], {"k": "5"}, True),
    ("Gt", ["4"], {"k": "4"}, False),
    ("Gt", ["4"], {}, False),                 # Gt/Lt: key must exist
    ("Lt", ["4"], {"k": "x"}, False),         # ParseInt fails: no match
    ("Lt", ["4", "5"], {"k": "1"}, False),    # exactly one value required
])
def test_requirement_matches_like_apimachinery(op, values, labels, expected):
    assert requirement_matches("k", op, values, labels) is expected


def test_label_selector_nil_empty_and_and():
    # metav1.LabelSelectorAsSelector: nil -> labels.Nothing(), empty -> labels.Everything()
    assert selector_matches(None, {"a": "b"}) is False
    assert selector_matches({}, {}) is True
    selector = {"matchLabels": {"app": "x"},
                "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}
    assert selector_matches(selector, {"app": "x"}) is True
    assert selector_matches(selector, {"app": "x", "tier": "db"}) is False
    with pytest.raises(SelectorError):  # Gt is not a LabelSelector operator
        selector_matches({"matchExpressions": [{"key": "k", "operator": "Gt",
                                                "values": ["1"]}]}, {})


def test_selector_string_as_kubectl_prints_it():
    # labels.Selector.String(): "app=x,tier notin (a,b),!gpu" (kubectl describe Selector:)
    parsed = parse_selector("app=x,tier notin (a,b),!gpu,zone")
    assert parsed == [{"key": "app", "operator": "In", "values": ["x"]},
                      {"key": "tier", "operator": "NotIn", "values": ["a", "b"]},
                      {"key": "gpu", "operator": "DoesNotExist"},
                      {"key": "zone", "operator": "Exists"}]


# --- node affinity: component-helpers v0.37.2 scheduling/corev1/nodeaffinity --------------

NODE = {"metadata": {"name": "n1", "labels": {"gpu": "a100", "zone": "z1"}}}


def test_terms_are_ored_requirements_anded():
    selector = {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["h100"]}]},
        {"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["a100"]},
                              {"key": "zone", "operator": "NotIn", "values": ["z2"]}]}]}
    assert node_selector_matches(selector, NODE) is True


def test_empty_terms_match_no_node():
    # NewLazyErrorNodeSelector skips empty terms; no term left -> Match returns false
    # (nodeaffinity_test.go "nil terms" / "empty term" cases).
    assert node_selector_matches({"nodeSelectorTerms": [{}]}, NODE) is False
    assert node_selector_matches({"nodeSelectorTerms": []}, NODE) is False


def test_match_fields_metadata_name_only():
    by_name = {"nodeSelectorTerms": [{"matchFields": [
        {"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]}
    assert node_selector_matches(by_name, NODE) is True
    other = {"nodeSelectorTerms": [{"matchFields": [
        {"key": "metadata.name", "operator": "NotIn", "values": ["n1"]}]}]}
    assert node_selector_matches(other, NODE) is False
    two_values = {"nodeSelectorTerms": [{"matchFields": [
        {"key": "metadata.name", "operator": "In", "values": ["n1", "n2"]}]}]}
    assert node_selector_matches(two_values, NODE) is False  # "must have one element"


def test_node_selector_and_required_affinity_both_hold():
    # RequiredNodeAffinity.Match: spec.nodeSelector AND required terms
    pod = {"kind": "Pod", "spec": {"nodeSelector": {"zone": "z1"}, "affinity": {
        "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "gpu", "operator": "Exists"}]}]}}}}}
    assert required_affinity_matches(pod, NODE) is True
    pod["spec"]["nodeSelector"] = {"zone": "z2"}
    assert required_affinity_matches(pod, NODE) is False


def test_preferred_terms_sum_weights_and_skip_zero_weight():
    # PreferredSchedulingTerms.Score; NewPreferredSchedulingTerms skips weight 0
    pod = {"kind": "Pod", "spec": {"affinity": {"nodeAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 5, "preference": {"matchExpressions": [
                {"key": "gpu", "operator": "In", "values": ["a100"]}]}},
            {"weight": 0, "preference": {"matchExpressions": [
                {"key": "zone", "operator": "Exists"}]}},
            {"weight": 2, "preference": {"matchExpressions": [
                {"key": "zone", "operator": "Exists"}]}}]}}}}
    assert preferred_affinity_score(pod, NODE) == 7


# --- taints: k8s.io/api v0.37.2 core/v1/toleration.go ToleratesTaint -----------------------

TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}


@pytest.mark.parametrize("toleration, expected", [
    ({"key": "nvidia.com/gpu", "operator": "Exists"}, True),        # empty effect: all
    ({"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}, True),  # "" = Equal
    ({"key": "nvidia.com/gpu", "operator": "Equal", "value": "other"}, False),
    ({"operator": "Exists"}, True),                                  # empty key + Exists
    ({"operator": "Exists", "effect": "NoExecute"}, False),          # effect must match
    ({"key": "nvidia.com/gpu", "operator": "Exists", "effect": "PreferNoSchedule"}, False),
])
def test_toleration_semantics(toleration, expected):
    assert tolerates(toleration, TAINT) is expected


def test_comparison_operators():
    # compareNumericValues: Lt tolerates a taint value below the toleration's
    taint = {"key": "gpu-count", "value": "2", "effect": "NoSchedule"}
    assert tolerates({"key": "gpu-count", "operator": "Lt", "value": "4"}, taint) is True
    assert tolerates({"key": "gpu-count", "operator": "Gt", "value": "4"}, taint) is False
    assert tolerates({"key": "gpu-count", "operator": "Lt", "value": "x"}, taint) is False


def test_only_noschedule_and_noexecute_block_scheduling():
    # tainttoleration.Filter uses DoNotScheduleTaintsFilterFunc (NoSchedule, NoExecute)
    taints = [{"key": "a", "effect": "PreferNoSchedule"}, TAINT]
    assert untolerated_taints(taints, []) == [TAINT]


def test_noexecute_eviction_time():
    # pkg/controller/tainteviction/taint_eviction.go getMinTolerationTime
    taint = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
    forever = {"key": taint["key"], "operator": "Exists", "effect": "NoExecute"}
    timed = dict(forever, tolerationSeconds=300)
    assert eviction_seconds([], taint) == 0
    assert eviction_seconds([forever], taint) is None
    assert eviction_seconds([forever, timed], taint) == 300
    assert eviction_seconds([dict(timed, tolerationSeconds=-5)], taint) == 0


def test_node_rejections_in_scheduler_wording():
    node = {"metadata": {"name": "n", "labels": {}}, "spec": {"unschedulable": True,
                                                              "taints": [TAINT]}}
    pod = {"kind": "Pod", "spec": {"nodeSelector": {"gpu": "a100"}}}
    assert node_rejections(pod, node) == [
        "node(s) were unschedulable", "node(s) didn't match Pod's node affinity/selector",
        "node(s) had untolerated taint(s)"]


# --- effective requests: component-helpers v0.37.2 resource/helpers_test.go TestPodRequests --

def _c(name, cpu, sidecar=False):
    container = {"name": name, "resources": {"requests": {"cpu": str(cpu)}}}
    if sidecar:
        container["restartPolicy"] = "Always"
    return container


@pytest.mark.parametrize("init, containers, expected", [
    # "restartable init container": 1 + 1
    ([_c("r1", 1, True)], [_c("c1", 1)], 2),
    # "multiple restartable init containers": max(5, (3+2+1) + 1) = 7
    ([_c("i1", 5), _c("r1", 1, True), _c("r2", 2, True), _c("r3", 3, True)], [_c("c1", 1)], 7),
    # "multiple restartable and regular init containers": init-2 5 + sidecars 1+2 = 8
    ([_c("i1", 5), _c("r1", 1, True), _c("r2", 2, True), _c("i2", 5), _c("r3", 3, True)],
     [_c("c1", 1)], 8),
    # "restartable-init, init and regular": max(10+200, 10+100) = 210
    ([_c("r1", 10, True), _c("i1", 200)], [_c("c1", 100)], 210),
])
def test_pod_requests_with_sidecars(init, containers, expected):
    pod = {"kind": "Pod", "spec": {"initContainers": init, "containers": containers}}
    assert pod_requests(pod)["cpu"] == expected


def test_overhead_limits_default_and_pod_level():
    # "pod overhead included"; SetDefaults_Pod: requests default to limits; pod-level
    # spec.resources.requests replace the aggregate for cpu/memory (PodLevelResources)
    pod = {"kind": "Pod", "spec": {
        "containers": [{"name": "c", "resources": {"limits": {"memory": "1Gi",
                                                              "nvidia.com/gpu": 2}}}],
        "overhead": {"memory": "64Mi"}}}
    requests = pod_requests(pod)
    assert requests["memory"] == Fraction(1024 + 64, 1) * 2**20
    assert requests["nvidia.com/gpu"] == 2
    pod["spec"]["resources"] = {"requests": {"memory": "2Gi"}}
    assert pod_requests(pod, include_overhead=False)["memory"] == 2 * 2**30
    assert fits({"nvidia.com/gpu": Fraction(2)}, {"nvidia.com/gpu": Fraction(1)}) == [
        "Insufficient nvidia.com/gpu"]


def test_job_template_requests():
    job = {"kind": "Job", "spec": {"template": {"spec": {"containers": [_c("c", "500m")]}}}}
    assert pod_requests(job)["cpu"] == Fraction(1, 2)


# --- optional CRD not installed: the wordings and their sources are in crd.py -----------------

@pytest.mark.parametrize("text", [
    'error: the server doesn\'t have a resource type "localqueues"',
    'the server doesn\'t have a resource type "workloads" in group "kueue.x-k8s.io"',
    'error: unable to recognize "cq.yaml": no matches for kind "ClusterQueue" in version '
    '"kueue.x-k8s.io/v1beta1"',
    'error: resource mapping not found for name: "cq" namespace: "" from "cq.yaml": no '
    'matches for kind "ClusterQueue" in version "kueue.x-k8s.io/v1beta1"\nensure CRDs are '
    'installed first',
    'no matches for kind "HTTPRoute" in versions ["gateway.networking.k8s.io/v1"]',
    'Error from server (NotFound): Unable to list "kueue.x-k8s.io/v1beta1, '
    'Resource=clusterqueues": the server could not find the requested resource (get '
    'clusterqueues.kueue.x-k8s.io)',
    'error: couldn\'t find resource for "resource.k8s.io/v1, Kind=ResourceClaim"',
])
def test_crd_absent_wordings(text):
    assert is_resource_type_absent(text)


@pytest.mark.parametrize("text", [
    'Error from server (Forbidden): localqueues.kueue.x-k8s.io is forbidden: User "u" cannot '
    'list resource "localqueues" in API group "kueue.x-k8s.io" in the namespace "ml"',
    'Error from server (NotFound): localqueues.kueue.x-k8s.io "team-a" not found',
    "Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused",
])
def test_not_absence(text):
    # an object that is not found, RBAC denial and a dead server are not "CRD absent"
    assert not is_resource_type_absent(text)


def test_absent_type_name():
    assert absent_type_name('error: the server doesn\'t have a resource type "lq"') == "lq"
    assert absent_type_name('no matches for kind "ClusterQueue" in version "v"') == \
        "ClusterQueue"


def test_pod_limits_with_sidecars():
    # component-helpers resource/helpers_test.go TestPodLimits "multiple restartable and
    # regular init containers": the same max-of-steps rule as requests, on limits (= 8)
    def lim(name, cpu, sidecar=False):
        c = {"name": name, "resources": {"limits": {"cpu": str(cpu)}}}
        if sidecar:
            c["restartPolicy"] = "Always"
        return c
    from k8s_skillkit.requests import pod_limits
    pod = {"kind": "Pod", "spec": {
        "initContainers": [lim("i1", 5), lim("r1", 1, True), lim("r2", 2, True), lim("i2", 5),
                           lim("r3", 3, True)],
        "containers": [lim("c1", 1)]}}
    assert pod_limits(pod)["cpu"] == 8
