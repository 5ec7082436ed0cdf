"""Issue 19 item 4: extended resources backed by DRA devices, and admin access.

The claim requests the scheduler builds for a pod's extended resources are checked against
Kubernetes v1.37.2's own unit test cases (pkg/scheduler/framework/plugins/dynamicresources/
extendeddynamicresources_test.go, Test_createRequestsAndMappings_requests); the class a
clashing extendedResourceName resolves to against the scheduler's cache
(staging/src/k8s.io/dynamic-resource-allocation/deviceclass/extendedresourcecache/
extendedresourcecache.go updateResourceName2class). tests/live/test_dra_extended_live.py
runs the same against the real apiserver and scheduler.
"""
from __future__ import annotations

import pytest

from _dra import extended as ext

EXAMPLE = "cluster-example.yaml"
FIXTURE = "explain/extended.yaml"
ER = "example.com/er"  # the test's extendedResourceName


def container(name, requests, sidecar=False) -> dict:
    c = {"name": name, "image": "app", "resources": {"requests": requests}}
    if sidecar:
        c["restartPolicy"] = "Always"
    return c


def pod(containers, inits=()) -> dict:
    spec = {"containers": containers}
    if inits:
        spec["initContainers"] = list(inits)
    return {"kind": "Pod", "metadata": {"name": "p", "namespace": "ns"}, "spec": spec}


POD1 = pod([container("c0", {ER: "1", ER + "1": "2"})])
POD2 = pod([container("c0", {ER: "1"}), container("c1", {ER + "1": "2"})])
POD_INIT = pod([container("c", {ER: "1"})], [container("i0", {ER + "init": "2"})])
POD_INIT2 = pod([container("c", {ER: "1"})],
                [container("i0", {ER + "init": "1"}), container("i1", {ER + "init": "2"})])
POD_INIT3 = pod([container("c", {ER: "1"})],
                [container("i0", {ER + "init": "1"}),
                 container("s1", {ER + "init": "1"}, sidecar=True),
                 container("i2", {ER + "init": "2"})])

# upstream case name -> (pod, resource -> class, [(request name, class, count)])
UPSTREAM = {
    "one resource match": (POD1, {ER: "class"}, [("container-0-request-0", "class", 1)]),
    "two resources match": (POD1, {ER: "class", ER + "1": "class1"},
                            [("container-0-request-0", "class", 1),
                             ("container-0-request-1", "class1", 2)]),
    "two containers match": (POD2, {ER: "class", ER + "1": "class1"},
                             [("container-0-request-0", "class", 1),
                              ("container-1-request-0", "class1", 2)]),
    "one init container, one regular container": (
        POD_INIT, {ER: "class", ER + "init": "classInit"},
        [("container-0-request-0", "classInit", 2), ("container-1-request-0", "class", 1)]),
    "two init containers, one regular container": (
        POD_INIT2, {ER: "class", ER + "init": "classInit"},
        [("container-1-request-0", "classInit", 2), ("container-2-request-0", "class", 1)]),
    "three init containers, one sidecar, one regular container": (
        POD_INIT3, {ER: "class", ER + "init": "classInit"},
        [("container-1-request-0", "classInit", 1), ("container-2-request-0", "classInit", 2),
         ("container-3-request-0", "class", 1)]),
}


@pytest.mark.parametrize("case", sorted(UPSTREAM))
def test_claim_requests_are_built_like_the_scheduler(case):
    the_pod, resources, want = UPSTREAM[case]
    requests, _ = ext.requests_and_mappings(the_pod, resources)
    assert [(r["name"], r["exactly"]["deviceClassName"], r["exactly"]["count"])
            for r in requests] == want
    assert all(r["exactly"]["allocationMode"] == "ExactCount" for r in requests)


def test_one_resource_mapped_of_two_asks_only_that_one():
    """Upstream "one resource match, one resource not match"."""
    requests, maps = ext.requests_and_mappings(POD1, {ER: "class"})
    assert [r["name"] for r in requests] == ["container-0-request-0"]
    assert maps == [{"containerName": "c0", "resourceName": ER,
                     "requestName": "container-0-request-0"}]


def test_init_container_reuses_the_long_lived_request():
    """An init container needing no more than a later regular container asks nothing of its
    own: it is mapped to that container's request (reusableRequests)."""
    p = pod([container("main", {ER: "2"})], [container("init", {ER: "1"})])
    requests, maps = ext.requests_and_mappings(p, {ER: "class"})
    assert [(r["name"], r["exactly"]["count"]) for r in requests] == [("container-1-request-0", 2)]
    assert {m["containerName"]: m["requestName"] for m in maps} == {
        "main": "container-1-request-0", "init": "container-1-request-0"}


def classes(*specs) -> dict:
    return {name: {"metadata": {"name": name, "creationTimestamp": ts},
                   "spec": {"extendedResourceName": ER}} for name, ts in specs}


def test_a_clash_resolves_to_the_newest_class_then_the_lower_name():
    table, clashes = ext.mapping(classes(("old", "2026-01-01T00:00:00Z"),
                                         ("new", "2026-02-01T00:00:00Z")))
    assert table[ER] == "new" and clashes == [(ER, ["new", "old"])]
    table, _ = ext.mapping(classes(("b", "2026-01-01T00:00:00Z"), ("a", "2026-01-01T00:00:00Z")))
    assert table[ER] == "a"
    assert table[ext.PREFIX + "b"] == "b"  # every class keeps its implicit name


@pytest.mark.parametrize("name,extended", [
    ("example.com/gpu", True), ("nvidia.com/gpu", True),
    ("deviceclass.resource.kubernetes.io/gpu.example.com", True), ("cpu", False),
    ("memory", False), ("hugepages-2Mi", False), ("requests.example.com/gpu", False),
    ("kubernetes.io/batch", False)])
def test_extended_resource_names(name, extended):
    """v1helper.IsExtendedResourceName plus the implicit DeviceClass prefix
    (pkg/scheduler/util/utils.go IsDRAExtendedResourceName)."""
    assert ext.is_extended(name) is extended


def test_too_many_is_told_in_the_pods_terms(script, dump):
    r = script("explain_claim.py", "-f", dump(EXAMPLE, FIXTURE), "-n", "team-a", "big",
               "--json")
    assert r.code == 1, r.err
    [f] = r.doc["findings"]
    assert f["cause"] == "insufficient_devices"
    assert "request container-0-request-0 (main's example.com/gpu) wants 10" in f["message"]
    assert f["fix"].startswith("set main's example.com/gpu to 8 ")
    assert f["evidence"][0].startswith("example.com/gpu: extendedResourceName of DeviceClass "
                                       "gpu.example.com")
    assert r.doc["changes"] == []  # the scheduler's claim is not the user's object


def test_unmapped_name_names_the_nearest_mapping(script, dump):
    r = script("explain_claim.py", "-f", dump(EXAMPLE, FIXTURE), "-n", "team-a", "typo",
               "--json")
    [f] = r.doc["findings"]
    assert f["cause"] == "extended_resource_unmapped" and r.code == 1
    assert "did you mean example.com/gpu (DeviceClass gpu.example.com)" in f["message"]
    assert f["fix"] == "ask example.com/gpu instead of example.com/gpus"


def test_bound_pod_shows_the_schedulers_claim_and_its_mapping(script, dump):
    r = script("explain_claim.py", "-f", dump(EXAMPLE, FIXTURE), "-n", "team-a", "train")
    assert r.code == 0, r.out + r.err
    assert ("allocated team-a/train-extended-resources-x7k2p: node worker-0, 2 device(s) "
            "gpu-0, gpu-1; reserved for train") in r.out
    assert ("the scheduler's claim for extended resources: main: example.com/gpu -> "
            "container-0-request-1") in r.out


def test_admin_access_allocation_is_shown_as_not_consumed(script, dump):
    r = script("explain_claim.py", "-f", dump(EXAMPLE, FIXTURE), "-n", "monitoring", "dcgm",
               "--json")
    assert r.code == 0
    [a] = r.doc["allocations"]
    assert a["adminAccess"] == ["gpu.example.com/worker-0/gpu-0"]
    assert a["sharedWith"] == ["team-a/train-extended-resources-x7k2p"]


def test_check_dra_lists_the_mapping_and_a_clash(script, dump):
    clash = ("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu-new, "
             "creationTimestamp: '2026-12-02T10:00:00Z'}\nspec:\n  extendedResourceName: "
             "example.com/gpu\n  selectors:\n  - cel: {expression: device.driver == "
             "'gpu.example.com'}\n")
    r = script("check_dra.py", "-f", dump(EXAMPLE, FIXTURE), "--json")
    assert ("extended resource example.com/gpu -> DeviceClass gpu.example.com: 16 device(s), "
            "14 free; used by 2 pod(s)") in r.doc["summary"]
    r = script("check_dra.py", "-f", dump(EXAMPLE, FIXTURE, extra=clash), "--json")
    [f] = [f for f in r.doc["findings"] if f["cause"] == "extended_resource_class_clash"]
    assert "the scheduler uses only gpu-new" in f["message"]


def test_make_claim_extended_resource(script):
    r = script("make_claim.py", "--name", "t", "--class", "gpu.example.com", "--count", "2",
               "--extended-resource", "--wire", "job", "--json")
    assert r.code == 0, r.err
    [job] = r.doc["objects"]
    spec = job["spec"]["template"]["spec"]
    assert "resourceClaims" not in spec
    assert spec["containers"][0]["resources"]["limits"][
        "deviceclass.resource.kubernetes.io/gpu.example.com"] == "2"
    r = script("make_claim.py", "--name", "t", "--extended-resource", "example.com/gpu",
               "--wire", "pod", "--json")
    [p] = r.doc["objects"]
    assert p["spec"]["containers"][0]["resources"]["limits"]["example.com/gpu"] == "1"
    r = script("make_claim.py", "--name", "t", "--extended-resource", "--min-memory", "40Gi",
               "--wire", "pod")
    assert r.code == 2 and r.err.startswith("error: --extended-resource") and \
        "--min-memory" in r.err and "Traceback" not in r.err
