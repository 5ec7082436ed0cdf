"""Issue 19, live: extended resources backed by DRA devices (KEP-5004) and admin access, on
the real kube-scheduler v1.37.2 (gate DRAExtendedResource GA and locked on in 1.37:
kubernetes v1.37.2 pkg/features/kube_features.go), on a KWOK node and driver of the test's
own (tests/live/test_dra_live.py `hw`: 8 devices, nothing else can take them).

- A DeviceClass with `spec.extendedResourceName` and a pod asking that name in its limits
  (an init container and two containers, two resources): the scheduler allocates the
  class's devices through a claim it makes itself; the requests and container mappings
  that _dra/extended.py computes are the ones the scheduler wrote (the claim's spec,
  pod.status.extendedResourceClaimStatus), and explain_claim.py shows that claim.
- A count above the node's devices: the scheduler leaves the pod Pending; explain_claim.py
  tells it in the pod's terms (no claim exists yet); the lowered limit runs.
- A name no class maps and no node advertises: the scheduler's own message names it;
  explain_claim.py says extended_resource_unmapped and the name that is mapped.
- make_claim.py --extended-resource (the implicit deviceclass.resource.kubernetes.io/<class>
  name): the scheduler runs it from the class's devices.
- Two classes with one extendedResourceName: check_dra.py names the clash and the class the
  scheduler uses, which is the class of the scheduler's claim.
- A node whose status.allocatable has the name serves it itself (no claim); a pod that fits
  neither node is told with that node named as the device-plugin one.
- adminAccess: a monitor's claim gets devices another claim holds (seen, not consumed);
  explain_claim.py shows it and the holder.
"""
from __future__ import annotations

import sys
import time

import pytest

from tests.live.helpers import apply, condition, get, wait_for
from tests.live.test_dra_live import (SCRIPTS, device_class, hw, pod, running, script,
                                      template, unschedulable)

pytestmark = pytest.mark.live
__all__ = ["hw"]  # the fixture, imported for the tests below

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parents[1] / "_shared")]  # as the scripts run
from _dra import extended  # noqa: E402

ANNOTATION = "resource.kubernetes.io/extended-resource-claim"


def mapped_class(name: str, driver: str, resource: str) -> dict:
    obj = device_class(name, driver)
    obj["spec"]["extendedResourceName"] = resource
    return obj


def limits_pod(name: str, ns: str, node: str, containers: list[tuple[str, dict]],
               inits: list[tuple[str, dict]] = ()) -> dict:
    def container(cname, limits):
        base = {"cpu": "100m", "memory": "64Mi"}
        return {"name": cname, "image": "cuda-app:1.0",
                "resources": {"limits": {**base, **{k: str(v) for k, v in limits.items()}},
                              "requests": base}}
    spec = {"restartPolicy": "Never", "nodeSelector": {"kubernetes.io/hostname": node},
            "containers": [container(*c) for c in containers]}
    if inits:
        spec["initContainers"] = [container(*c) for c in inits]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": spec}


def scheduler_claim(kubectl, ns: str, pod_name: str) -> tuple[dict, dict]:
    """The pod (with its extendedResourceClaimStatus) and the claim the scheduler made."""
    def check():
        p = get(kubectl, "pod", pod_name, "-n", ns)
        name = (p["status"].get("extendedResourceClaimStatus") or {}).get("resourceClaimName")
        return (p, get(kubectl, "resourceclaim", name, "-n", ns)) if name else None
    return wait_for(check, timeout=60, what=f"the scheduler's claim for pod {pod_name}")


def test_scheduler_claim_matches_the_computed_requests_and_mappings(kubectl, kubectl_env,
                                                                   namespace, hw):
    gpu, nic = f"example.com/gpu-{namespace}", f"example.com/nic-{namespace}"
    gpu_cls, nic_cls = f"{hw['class']}-x", f"{hw['class']}-nic"
    apply(kubectl, mapped_class(gpu_cls, hw["driver"], gpu),
          mapped_class(nic_cls, hw["driver"], nic))
    try:
        p = limits_pod("train", namespace, hw["node"],
                       containers=[("main", {gpu: 2, nic: 1}), ("side", {gpu: 1})],
                       inits=[("warm", {gpu: 3})])
        apply(kubectl, p)
        running(kubectl, namespace, "train", timeout=90)
        live_pod, claim = scheduler_claim(kubectl, namespace, "train")
        assert claim["metadata"]["annotations"].get(ANNOTATION) == "true"
        assert claim["metadata"]["name"].startswith("train-extended-resources-")
        # what our port of createRequestsAndMappings computes, against what the scheduler did
        requests, mappings = extended.requests_and_mappings(p, {gpu: gpu_cls, nic: nic_cls})
        written = [{"name": r["name"], "exactly": {
            k: r["exactly"][k] for k in ("deviceClassName", "allocationMode", "count")}}
            for r in claim["spec"]["devices"]["requests"]]
        assert sorted(written, key=lambda r: r["name"]) == requests, (written, requests)
        status = live_pod["status"]["extendedResourceClaimStatus"]["requestMappings"]
        key = lambda m: (m["containerName"], m["resourceName"], m["requestName"])  # noqa: E731
        assert sorted(status, key=key) == sorted(mappings, key=key)
        allocated = claim["status"]["allocation"]["devices"]["results"]
        assert len(allocated) == sum(r["exactly"]["count"] for r in requests)

        code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "train", "--json")
        assert code == 0, doc
        [alloc] = [a for a in doc["allocations"] if a["claim"].endswith(claim["metadata"]["name"])]
        assert alloc["node"] == hw["node"] and len(alloc["devices"]) == len(allocated)
        assert sorted(alloc["extendedResources"]) == sorted(
            f"{m['containerName']}: {m['resourceName']} -> {m['requestName']}" for m in status)
    finally:
        for cls in (gpu_cls, nic_cls):
            kubectl("delete", "deviceclass", cls, "--wait=false", check=False)


def test_too_many_devices_through_a_limit_is_told_in_the_pods_terms(kubectl, kubectl_env,
                                                                    namespace, hw):
    resource = f"example.com/gpu-{namespace}"
    cls = f"{hw['class']}-x"
    apply(kubectl, mapped_class(cls, hw["driver"], resource))
    try:
        apply(kubectl, limits_pod("big", namespace, hw["node"], [("main", {resource: 10})]))
        cond = unschedulable(kubectl, namespace, "big")
        assert not get(kubectl, "resourceclaims", "-n", namespace)["items"]  # none made yet
        code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "big", "--json")
        found = next(f for f in doc["findings"] if f["cause"] == "insufficient_devices")
        assert code == 1 and f"main's {resource}" in found["message"], (cond, doc)
        assert found["fix"].startswith(f"set main's {resource} to 8"), found
        assert not doc["changes"]  # the claim is the scheduler's: nothing of ours to patch
        kubectl("delete", "pod", "big", "-n", namespace, "--wait=true", "--timeout=60s")
        apply(kubectl, limits_pod("big", namespace, hw["node"], [("main", {resource: 8})]))
        running(kubectl, namespace, "big", timeout=90)
    finally:
        kubectl("delete", "deviceclass", cls, "--wait=false", check=False)


def test_unmapped_name_is_what_the_scheduler_refuses(kubectl, kubectl_env, namespace, hw):
    resource = f"example.com/gpu-{namespace}"
    typo = resource.replace("gpu-", "gpus-")
    cls = f"{hw['class']}-x"
    apply(kubectl, mapped_class(cls, hw["driver"], resource))
    try:
        apply(kubectl, limits_pod("typo", namespace, hw["node"], [("main", {typo: 1})]))
        cond = unschedulable(kubectl, namespace, "typo")
        assert f"Insufficient {typo}" in cond["message"], cond  # the scheduler's words
        code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "typo", "--json")
        found = next(f for f in doc["findings"] if f["cause"] == "extended_resource_unmapped")
        assert code == 1 and f"did you mean {resource}" in found["message"], doc
        assert f"Insufficient {typo}" in " ".join(found["evidence"])
        kubectl("delete", "pod", "typo", "-n", namespace, "--wait=true", "--timeout=60s")
        apply(kubectl, limits_pod("typo", namespace, hw["node"], [("main", {resource: 1})]))
        running(kubectl, namespace, "typo", timeout=90)
    finally:
        kubectl("delete", "deviceclass", cls, "--wait=false", check=False)


def test_make_claim_extended_resource_runs_on_the_class_devices(kubectl, kubectl_env,
                                                                namespace, hw):
    code, doc = script(kubectl_env, "make_claim.py", "--name", "implicit", "-n", namespace,
                       "--class", hw["class"], "--count", "2", "--extended-resource",
                       "--wire", "pod", "--apply", "--json")
    assert code == 0 and doc["validation"]["ok"], doc
    pod_name = next(o["metadata"]["name"] for o in doc["objects"] if o["kind"] == "Pod")
    running(kubectl, namespace, pod_name, timeout=90)
    _, claim = scheduler_claim(kubectl, namespace, pod_name)
    [req] = claim["spec"]["devices"]["requests"]
    assert req["exactly"]["deviceClassName"] == hw["class"] and req["exactly"]["count"] == 2
    nodes = {r["pool"] for r in claim["status"]["allocation"]["devices"]["results"]}
    assert nodes == {hw["node"]}


def test_clashing_classes_check_dra_names_the_class_the_scheduler_uses(kubectl, kubectl_env,
                                                                       namespace, hw):
    resource = f"example.com/gpu-{namespace}"
    older, newer = f"{hw['class']}-b", f"{hw['class']}-a"
    try:
        apply(kubectl, mapped_class(older, hw["driver"], resource))
        time.sleep(1.5)  # creationTimestamp has seconds: the second class is strictly newer
        apply(kubectl, mapped_class(newer, hw["driver"], resource))
        time.sleep(2)  # the scheduler's DeviceClass informer sees both
        apply(kubectl, limits_pod("one", namespace, hw["node"], [("main", {resource: 1})]))
        running(kubectl, namespace, "one", timeout=90)
        _, claim = scheduler_claim(kubectl, namespace, "one")
        used = claim["spec"]["devices"]["requests"][0]["exactly"]["deviceClassName"]
        code, doc = script(kubectl_env, "check_dra.py", "--json")
        clash = next(f for f in doc["findings"] if f["cause"] == "extended_resource_class_clash"
                     and resource in f["message"])
        assert f"the scheduler uses only {used}" in clash["message"], (used, clash)
        assert f"extended resource {resource} -> DeviceClass {used}: " in \
            "\n".join(doc["summary"]), doc["summary"]
    finally:
        for cls in (older, newer):
            kubectl("delete", "deviceclass", cls, "--wait=false", check=False)


def test_admin_access_sees_devices_another_claim_holds(kubectl, kubectl_env, namespace, hw):
    kubectl("label", "namespace", namespace, "resource.kubernetes.io/admin-access=true")
    apply(kubectl, template("all", namespace, hw["class"], count=8),
          template("watch", namespace, hw["class"], count=2, admin=True),
          pod("holder", namespace, "all"))
    running(kubectl, namespace, "holder")
    apply(kubectl, pod("monitor", namespace, "watch"))
    running(kubectl, namespace, "monitor", timeout=90)  # all 8 are held: admin still gets 2
    claims = {c["metadata"]["name"]: c for c in get(kubectl, "resourceclaims", "-n",
                                                    namespace)["items"]}
    watch = next(c for c in claims.values() if c["spec"]["devices"]["requests"][0]
                 ["exactly"].get("adminAccess"))
    holder = next(c for c in claims.values() if c is not watch)
    results = watch["status"]["allocation"]["devices"]["results"]
    assert all(r.get("adminAccess") for r in results), results
    held = {r["device"] for r in holder["status"]["allocation"]["devices"]["results"]}
    assert {r["device"] for r in results} <= held
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "monitor", "--json")
    assert code == 0, doc
    [alloc] = [a for a in doc["allocations"] if a["claim"].endswith(watch["metadata"]["name"])]
    assert len(alloc["adminAccess"]) == 2
    assert [s.rsplit("/", 1)[-1] for s in alloc["sharedWith"]] == [holder["metadata"]["name"]]
    assert (condition(get(kubectl, "pod", "holder", "-n", namespace), "Ready") or {}) \
        .get("status") == "True"


def test_a_node_with_the_resource_serves_it_itself_and_others_by_dra(kubectl, kubectl_env,
                                                                     namespace, hw):
    """A node whose status.allocatable has the name serves it the device-plugin way (no
    claim); a node without it gets the class's devices through the scheduler's claim."""
    resource = f"example.com/gpu-{namespace}"
    cls = f"{hw['class']}-x"
    plugin_node = f"{namespace}-plugin"
    base = get(kubectl, "node", hw["node"])
    capacity = {"cpu": "16", "memory": "64Gi", "pods": "110", resource: "4"}
    node_obj = {"apiVersion": "v1", "kind": "Node", "spec": {},
                "metadata": {"name": plugin_node, "annotations": {"kwok.x-k8s.io/node": "fake"},
                             "labels": {**base["metadata"]["labels"],
                                        "kubernetes.io/hostname": plugin_node}},
                "status": {"capacity": capacity, "allocatable": dict(capacity)}}
    try:
        apply(kubectl, mapped_class(cls, hw["driver"], resource), node_obj)
        wait_for(lambda: (condition(get(kubectl, "node", plugin_node), "Ready") or {})
                 .get("status") == "True", what=f"node {plugin_node} Ready")
        apply(kubectl, limits_pod("dp", namespace, plugin_node, [("main", {resource: 2})]),
              limits_pod("dra", namespace, hw["node"], [("main", {resource: 2})]))
        dp = running(kubectl, namespace, "dp", timeout=90)
        _, claim = scheduler_claim(kubectl, namespace, "dra")
        assert not dp["status"].get("extendedResourceClaimStatus"), dp["status"]
        claims = get(kubectl, "resourceclaims", "-n", namespace)["items"]
        assert [c["metadata"]["name"] for c in claims] == [claim["metadata"]["name"]]

        waiting = limits_pod("more", namespace, plugin_node, [("main", {resource: 7})])
        waiting["spec"].pop("nodeSelector")
        waiting["spec"]["affinity"] = {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{
                "matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In",
                                      "values": [plugin_node, hw["node"]]}]}]}}}
        apply(kubectl, waiting)
        cond = unschedulable(kubectl, namespace, "more")
        assert f"Insufficient {resource}" in cond["message"], cond  # the plugin node
        code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "more", "--json")
        found = next(f for f in doc["findings"] if f["cause"] == "insufficient_devices")
        said = " ".join(found["evidence"])
        assert code == 1 and f"serve {resource} with a device plugin instead" in said, found
        assert plugin_node in said
    finally:
        kubectl("delete", "pod", "dp", "-n", namespace, "--wait=false", check=False)
        kubectl("delete", "node", plugin_node, "--wait=false", check=False)
        kubectl("delete", "deviceclass", cls, "--wait=false", check=False)
