"""explain_topology.py and _kueue/topology_fit.py against Kueue v0.19.2's own TAS tests.

The cases are cases of TestFindTopologyAssignments in
sigs.k8s.io/kueue@v0.19.2/pkg/cache/scheduler/tas_cache_test.go: the nodes (labels,
allocatable, taints), the levels, the pod set's request and count are copied, and the
expected number is the one in that case's `wantReason` ("allows to fit only N out of M") or
the domain of its `wantAssignment`. The exclusion counts are that file's "detailed failure
message with exclusion stats" case. The topologyAssignment encodings are the v1beta2 API
(apis/kueue/v1beta2/workload_types.go TopologyAssignmentSlice) and v1beta1 (`domains`).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from .conftest import SCRIPTS

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue import topology_fit as tf  # noqa: E402

BLOCK, RACK, HOST = "cloud.com/topology-block", "cloud.com/topology-rack", \
    "kubernetes.io/hostname"
TWO_LEVELS = [BLOCK, RACK]
ONE_LEVEL = [HOST]


def node(name, labels, cpu=None, memory=None, pods="10", taints=None):
    alloc = {"pods": pods}
    if cpu is not None:
        alloc["cpu"] = cpu
    if memory is not None:
        alloc["memory"] = memory
    return {"kind": "Node", "metadata": {"name": name, "labels": {HOST: name, **labels}},
            "spec": {"taints": taints} if taints else {},
            "status": {"allocatable": alloc}}


#      b1                   b2
#   /      \             /      \
#  r1       r2          r1       r2
#  |      /  |  \       |         |
#  x3    x5  x1  x6     x2       x4       (tas_cache_test.go defaultNodes)
DEFAULT_NODES = [
    node("b1-r1-x3", {BLOCK: "b1", RACK: "r1"}, "1", "1Gi"),
    node("b1-r2-x5", {BLOCK: "b1", RACK: "r2"}, "1", "1Gi"),
    node("b1-r2-x1", {BLOCK: "b1", RACK: "r2"}, "1", "1Gi"),
    node("b1-r2-x6", {BLOCK: "b1", RACK: "r2"}, "1", "1Gi"),
    node("b2-r2-x2", {BLOCK: "b2", RACK: "r1"}, "1", "1Gi"),
    node("b2-r2-x4", {BLOCK: "b2", RACK: "r2"}, "2", "4Gi", pods="40"),
]


def workload(count, mode=None, level=None, cpu="1", node_selector=None, tolerations=None,
             annotations=None):
    spec = {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]}
    if node_selector:
        spec["nodeSelector"] = node_selector
    if tolerations:
        spec["tolerations"] = tolerations
    podset = {"name": "main", "count": count,
              "template": {"metadata": {"annotations": annotations or {}}, "spec": spec}}
    if mode:
        podset["topologyRequest"] = {mode: level}
    return {"kind": "Workload", "metadata": {"name": "wl", "namespace": "ns"},
            "spec": {"podSets": [podset]}}


FLAVOR = {"kind": "ResourceFlavor", "metadata": {"name": "tas"},
          "spec": {"topologyName": "default"}}


def judge(nodes, levels, wl, pods=(), workloads=(), flavor=FLAVOR):
    request = tf.podset_request(wl, wl["spec"]["podSets"][0])
    placement = tf.place(request, levels, flavor, nodes, list(pods), list(workloads))
    return tf.judge(request, placement), placement


@pytest.mark.parametrize("mode,level,count,fit", [
    # "rack required; too many pods to fit in any rack; BestFit": "3 out of 4"
    ("required", RACK, 4, 3),
    # "block required; too many Pods to fit requested; BestFit": "4 out of 5"
    ("required", BLOCK, 5, 4),
    # "block preferred; but the workload cannot be accommodate in entire topology": "7 of 10"
    ("preferred", BLOCK, 10, 7),
])
def test_not_fit_counts_match_kueue(mode, level, count, fit):
    verdict, _ = judge(DEFAULT_NODES, TWO_LEVELS, workload(count, mode, level))
    assert not verdict.fits
    assert verdict.best_count == fit and verdict.need == count


def test_required_rack_picks_the_tightest_rack_that_fits():
    # "rack required; multiple Pods fit in a rack; BestFit": 2 pods go to b2/r2
    verdict, _ = judge(DEFAULT_NODES, TWO_LEVELS, workload(2, "required", RACK))
    assert verdict.fits and verdict.best.name == "b2/r2"


def test_fragmented_vs_short():
    verdict, _ = judge(DEFAULT_NODES, TWO_LEVELS, workload(4, "required", RACK))
    assert (verdict.total, verdict.best.name) == (7, "b1/r2")  # 7 free in all: fragmented
    verdict, _ = judge(DEFAULT_NODES, TWO_LEVELS, workload(4, "preferred", RACK))
    assert verdict.fits and verdict.level == BLOCK  # b1 holds 4 once rack is relaxed


def test_non_tas_pods_count_against_the_node():
    # "include usage from non-TAS pods; pod usage": 10 pods allocatable, 2 running -> 8 of 9
    nodes = [node("x3", {}, pods="10")]
    pods = [{"kind": "Pod", "metadata": {"name": f"running{i}", "namespace": "test-ns"},
             "spec": {"nodeName": "x3", "containers": [{"name": "c"}]},
             "status": {"phase": "Running"}} for i in (1, 2)]
    verdict, _ = judge(nodes, ONE_LEVEL, workload(9, "required", HOST, cpu="0"), pods)
    assert verdict.best_count == 8 and not verdict.fits
    # a finished pod and a TAS pod (Kueue counts those from the Workload) do not
    pods[0]["status"]["phase"] = "Succeeded"
    pods[1]["metadata"]["annotations"] = {"kueue.x-k8s.io/podset-required-topology": HOST}
    verdict, _ = judge(nodes, ONE_LEVEL, workload(9, "required", HOST, cpu="0"), pods)
    assert verdict.fits


def test_exclusion_stats_match_kueue():
    # "detailed failure message with exclusion stats": Total nodes: 4; excluded:
    # nodeSelector: 2, resource "cpu": 1, taint "key=value:NoSchedule": 1
    nodes = [node("x1", {}, "1", taints=[{"key": "key", "value": "value",
                                          "effect": "NoSchedule"}]),
             node("x2", {"zone": "zone-b"}, "1"), node("x3", {"zone": "zone-b"}, "2"),
             node("x4", {"zone": "zone-a"}, "100m")]
    verdict, placement = judge(nodes, ONE_LEVEL,
                               workload(1, "required", HOST, node_selector={"zone": "zone-a"}))
    assert placement.total_nodes == 4 and verdict.best_count == 0
    assert placement.excluded == {"nodeSelector": 2, 'resource "cpu"': 1,
                                  'taint "key=value:NoSchedule"': 1}


def test_flavor_toleration_counts():
    nodes = [node("x1", {}, "1", taints=[{"key": "example.com/gpu", "value": "present",
                                          "effect": "NoSchedule"}])]
    verdict, placement = judge(nodes, ONE_LEVEL, workload(1, "required", HOST))
    assert placement.excluded == {'taint "example.com/gpu=present:NoSchedule"': 1}
    tolerant = {**FLAVOR, "spec": {**FLAVOR["spec"], "tolerations": [
        {"key": "example.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]}}
    verdict, _ = judge(nodes, ONE_LEVEL, workload(1, "required", HOST), flavor=tolerant)
    assert verdict.fits


def test_flavor_node_labels_and_missing_level_label():
    flavor = {**FLAVOR, "spec": {**FLAVOR["spec"], "nodeLabels": {BLOCK: "b2"}}}
    nodes = DEFAULT_NODES + [node("no-rack", {BLOCK: "b2"}, "8")]  # lacks the rack label
    verdict, placement = judge(nodes, TWO_LEVELS, workload(3, "required", BLOCK),
                               flavor=flavor)
    assert placement.total_nodes == 2 and verdict.best_count == 3 and verdict.fits


def _admitted(assignment, flavor="tas", cpu="1"):
    wl = workload(2, "required", HOST, cpu=cpu)
    wl["metadata"]["name"] = "other"
    wl["status"] = {"conditions": [{"type": "QuotaReserved", "status": "True"}],
                    "admission": {"podSetAssignments": [{
                        "name": "main", "flavors": {"cpu": flavor},
                        "topologyAssignment": assignment}]}}
    return wl


@pytest.mark.parametrize("assignment", [
    # v1beta2: individual values with a prefix, universal count
    {"levels": [HOST], "slices": [{"domainCount": 2, "valuesPerLevel": [
        {"individual": {"prefix": "b1-r2-", "roots": ["x5", "x1"]}}],
        "podCounts": {"universal": 1}}]},
    # v1beta2: every level, universal values above the host, individual counts
    {"levels": [BLOCK, RACK, HOST], "slices": [{"domainCount": 2, "valuesPerLevel": [
        {"universal": "b1"}, {"universal": "r2"},
        {"individual": {"prefix": "b1-r2-", "roots": ["x5", "x1"]}}],
        "podCounts": {"individual": [1, 1]}}]},
    # v1beta1
    {"levels": [HOST], "domains": [{"values": ["b1-r2-x5"], "count": 1},
                                   {"values": ["b1-r2-x1"], "count": 1}]},
])
def test_admitted_tas_usage_is_subtracted(assignment):
    levels = TWO_LEVELS + [HOST]
    before, _ = judge(DEFAULT_NODES, levels, workload(3, "required", RACK))
    assert before.fits and before.best.name == "b1/r2"
    after, _ = judge(DEFAULT_NODES, levels, workload(3, "required", RACK),
                     workloads=[_admitted(assignment)])
    assert not after.fits and after.best_count == 2  # b2/r2's 2 cpus now lead


def test_slices_count_per_slice_level():
    anns = {"kueue.x-k8s.io/podset-slice-required-topology": RACK,
            "kueue.x-k8s.io/podset-slice-size": "2"}
    verdict, _ = judge(DEFAULT_NODES, TWO_LEVELS,
                       workload(6, "required", BLOCK, annotations=anns))
    # b1: r1 holds 0 slices of 2, r2 holds 1; b2: r1 0, r2 1 -> best block 1 of 3 slices
    assert (verdict.unit, verdict.best_count, verdict.need) == ("slice", 1, 3)


def test_assignment_domains_decoding():
    got = tf.assignment_domains({"levels": [BLOCK, HOST], "slices": [{
        "domainCount": 2, "valuesPerLevel": [{"universal": "b1"}, {"individual": {
            "prefix": "n-", "suffix": "-x", "roots": ["1", "2"]}}],
        "podCounts": {"individual": [3, 1]}}]})
    assert got == [({BLOCK: "b1", HOST: "n-1-x"}, 3), ({BLOCK: "b1", HOST: "n-2-x"}, 1)]


# --- the script --------------------------------------------------------------------------

def run_script(*args, stdin=None):
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_topology.py"), *args],
                          input=stdin, capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def _dump(wl, said=None):
    if said:
        wl = {**wl, "status": {"conditions": [{"type": "QuotaReserved", "status": "False",
                                               "reason": "Pending", "message": said}]}}
    topology = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Topology",
                "metadata": {"name": "default"},
                "spec": {"levels": [{"nodeLabel": BLOCK}, {"nodeLabel": RACK}]}}
    items = [topology, {**FLAVOR, "apiVersion": "kueue.x-k8s.io/v1beta2"},
             *[{**n, "apiVersion": "v1"} for n in DEFAULT_NODES],
             {**wl, "apiVersion": "kueue.x-k8s.io/v1beta2"}]
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": items})


def _running(name, node_name):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "x"},
            "spec": {"nodeName": node_name, "containers": [
                {"name": "c", "resources": {"requests": {"cpu": "1"}}}]},
            "status": {"phase": "Running"}}


def test_script_too_big_vs_fragmented():
    said = ("couldn't assign flavors to pod set main: topology \"default\" allows to fit only "
            "3 out of 4 pod(s)")
    dump = _dump(workload(4, "required", RACK), said)
    code, out, err = run_script("-f", "-", "wl", stdin=dump)
    assert code == 1, err
    assert "never fits as asked" in out and "at most 3" in out and "Kueue said:" in out
    # 2 pods: b1/r2 would hold 3 when empty, but running pods leave 1 in every rack
    doc = yaml.safe_load(_dump(workload(2, "required", RACK)))
    doc["items"] += [_running("a", "b1-r2-x5"), _running("b", "b1-r2-x1"),
                     _running("c", "b2-r2-x4")]
    code, out, err = run_script("-f", "-", "-n", "ns", "wl", "--json",
                                stdin=yaml.safe_dump(doc))
    row = json.loads(out)["podsets"][0]
    assert code == 1, err
    assert (row["state"], row["closest_count"], row["need"], row["total"],
            row["closest_count_when_empty"]) == ("fragmented", 1, 2, 4, 3)
    # b1/r1 is first in Kueue's order, but only b1/r2 (3 when empty) can ever hold 2
    assert row["wait_for_domain"] == "b1/r2" and len(row["running_there"]) == 2, row


def test_script_short_and_fits():
    code, out, _ = run_script("-f", "-", "--json", "wl",
                              stdin=_dump(workload(10, "preferred", BLOCK)))
    assert code == 1 and json.loads(out)["podsets"][0]["state"] == "too_big"  # 7 in all
    doc = yaml.safe_load(_dump(workload(6, "preferred", RACK)))
    doc["items"] += [_running("a", "b1-r2-x5"), _running("b", "b2-r2-x4")]
    code, out, _ = run_script("-f", "-", "--json", "wl", stdin=yaml.safe_dump(doc))
    row = json.loads(out)["podsets"][0]
    assert code == 1 and (row["state"], row["total"]) == ("short", 5), row
    code, out, _ = run_script("-f", "-", "--json", "wl",
                              stdin=_dump(workload(4, "preferred", RACK)))
    row = json.loads(out)["podsets"][0]
    assert code == 0 and (row["state"], row["fits_at"]) == ("fits", BLOCK)


def test_script_free_capacity_without_a_workload():
    code, out, err = run_script("-f", "-", stdin=_dump(workload(1)))
    assert code == 0, err
    assert f"{RACK}: 4 domain(s)" in out and "b1/r2 3" in out


@pytest.mark.parametrize("args,stdin,needle", [
    (["-f", "-", "nope"], None, "no Workload named 'nope'"),
    (["-f", "-"], "kind: Node\nmetadata: {name: a}\n", "no Topology in the input"),
])
def test_script_bad_input_is_one_line_exit_2(args, stdin, needle):
    code, out, err = run_script(*args, stdin=stdin if stdin is not None else
                                _dump(workload(1)))
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1
