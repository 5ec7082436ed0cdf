"""Device taints and partitionable devices on the real kube-scheduler v1.37.2 (KWOK node of
the test's own, so nothing else takes its devices):

- a DeviceTaintRule taints 2 of 4 devices NoSchedule; a claim for 3 stays Pending;
  explain_claim.py names device_taint_not_tolerated and the toleration; with that
  toleration added the scheduler allocates and the pod runs;
- a NoExecute DeviceTaintRule evicts the running pod (kube-controller-manager), and the pod
  created again stays Pending until its claim tolerates NoExecute;
- a pool's shared counters (80Gi, 7 slices) feed a full-GPU partition and a 4g half; with the
  full one allocated the half stays Pending; explain_claim.py names shared_counters_exhausted
  and the holder; deleting the holder lets the half run.
"""
from __future__ import annotations

import copy

import pytest

from tests.live.helpers import apply, condition, get, wait_for
from tests.live.test_dra_live import (causes, device_class, pod, running, script,
                                      unschedulable)

pytestmark = pytest.mark.live

TAINT = {"key": "example.com/unhealthy", "value": "ecc", "effect": "NoSchedule"}


def _template(name, ns, cls, count=1, selector=None, tolerations=None):
    exactly = {"deviceClassName": cls, "allocationMode": "ExactCount", "count": count}
    if selector:
        exactly["selectors"] = [{"cel": {"expression": selector}}]
    if tolerations:
        exactly["tolerations"] = tolerations
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaimTemplate",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"spec": {"devices": {"requests": [{"name": "gpus", "exactly": exactly}]}}}}


def _slice(name, node, driver, **spec):
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
            "metadata": {"name": name},
            "spec": {"driver": driver, "nodeName": node,
                     "pool": {"name": node, "generation": 1,
                              "resourceSliceCount": spec.pop("count", 1)}, **spec}}


def _partition(name, memory, slices):
    return {"name": name, "attributes": {"profile": {"string": name.rsplit("-", 1)[-1]}},
            "capacity": {"memory": {"value": memory}},
            "consumesCounters": [{"counterSet": "gpu-0-counters", "counters": {
                "memory": {"value": memory}, "slices": {"value": str(slices)}}}]}


@pytest.fixture
def node(kubectl, namespace):
    name = f"{namespace}-node"
    base = get(kubectl, "node", "gpu-h200-dra-0")
    obj = {"apiVersion": "v1", "kind": "Node", "spec": {},
           "metadata": {"name": name, "annotations": {"kwok.x-k8s.io/node": "fake"},
                        "labels": {**{k: v for k, v in base["metadata"]["labels"].items()
                                      if not k.startswith("nvidia.com/")},
                                   "kubernetes.io/hostname": name}}}
    created: list[tuple[str, str]] = []
    try:
        apply(kubectl, obj)
        wait_for(lambda: (condition(get(kubectl, "node", name), "Ready") or {})
                 .get("status") == "True", what=f"node {name} Ready")
        yield name, created
    finally:
        for kind, obj_name in created:
            kubectl("delete", kind, obj_name, "--wait=false", "--ignore-not-found",
                    check=False)
        kubectl("delete", "node", name, "--wait=false", check=False)


def test_device_taint_rule_blocks_until_tolerated(kubectl, kubectl_env, namespace, node):
    node_name, created = node
    driver = f"gpu.{namespace}.example.com"
    devices = [{"name": f"gpu-{i}", "attributes": {"index": {"int": i}}} for i in range(4)]
    rule = {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceTaintRule",
            "metadata": {"name": f"{namespace}-ecc"},
            "spec": {"deviceSelector": {"driver": driver, "pool": node_name,
                                        "device": "gpu-0"}, "taint": TAINT}}
    rule2 = copy.deepcopy(rule)
    rule2["metadata"]["name"] += "-1"
    rule2["spec"]["deviceSelector"]["device"] = "gpu-1"
    created += [("resourceslice", f"{node_name}-gpus"), ("deviceclass", driver),
                ("devicetaintrule", rule["metadata"]["name"]),
                ("devicetaintrule", rule2["metadata"]["name"])]
    apply(kubectl, device_class(driver, driver),
          _slice(f"{node_name}-gpus", node_name, driver, devices=devices), rule, rule2)
    tmpl = _template("three", namespace, driver, count=3)
    apply(kubectl, tmpl, pod("train", namespace, "three"))
    unschedulable(kubectl, namespace, "train")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "train", "--json")
    assert code == 1 and "device_taint_not_tolerated" in causes(doc), doc
    found = next(f for f in doc["findings"] if f["cause"] == "device_taint_not_tolerated")
    assert f"DeviceTaintRule {rule['metadata']['name']}" in " ".join(found["evidence"])
    # The toleration the fix names, added to the template: the scheduler now allocates.
    assert "{key: example.com/unhealthy, operator: Equal, effect: NoSchedule, value: ecc}" in \
        found["fix"]
    kubectl("delete", "pod", "train", "-n", namespace, "--wait=true", "--timeout=60s")
    kubectl("delete", "resourceclaimtemplate", "three", "-n", namespace, "--wait=true")
    apply(kubectl, _template("three", namespace, driver, count=3, tolerations=[
        {"key": TAINT["key"], "operator": "Equal", "value": TAINT["value"],
         "effect": TAINT["effect"]}]), pod("train", namespace, "three"))
    running(kubectl, namespace, "train", timeout=90)


def test_shared_counters_block_a_partition_until_the_full_gpu_is_freed(
        kubectl, kubectl_env, namespace, node):
    node_name, created = node
    driver = f"mig.{namespace}.example.com"
    counters = _slice(f"{node_name}-counters", node_name, driver, count=2, sharedCounters=[
        {"name": "gpu-0-counters", "counters": {"memory": {"value": "80Gi"},
                                                "slices": {"value": "7"}}}])
    parts = _slice(f"{node_name}-parts", node_name, driver, count=2, devices=[
        _partition("gpu-0-full", "80Gi", 7), _partition("gpu-0-4g", "40Gi", 4),
        _partition("gpu-0-3g", "40Gi", 3)])
    created += [("resourceslice", f"{node_name}-counters"),
                ("resourceslice", f"{node_name}-parts"), ("deviceclass", driver)]
    apply(kubectl, device_class(driver, driver), counters, parts)
    profile = f'device.attributes["{driver}"].profile == '
    apply(kubectl, _template("full", namespace, driver, selector=profile + '"full"'),
          _template("half", namespace, driver, selector=profile + '"4g"'),
          pod("holder", namespace, "full"))
    running(kubectl, namespace, "holder")
    apply(kubectl, pod("half", namespace, "half"))
    unschedulable(kubectl, namespace, "half")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "half", "--json")
    found = [f for f in doc["findings"] if f["cause"] == "shared_counters_exhausted"]
    assert found, doc
    assert f"{node_name}/gpu-0-full" in " ".join(found[0]["evidence"])
    kubectl("delete", "pod", "holder", "-n", namespace, "--wait=true", "--timeout=60s")
    running(kubectl, namespace, "half", timeout=90)


def test_no_execute_rule_evicts_the_running_pod_and_blocks_its_return(
        kubectl, kubectl_env, namespace, node):
    """A NoExecute DeviceTaintRule on the device a running pod holds: kube-controller-manager's
    device taint eviction controller (kubernetes v1.37.2 pkg/controller/devicetainteviction)
    deletes the pod (event DeviceTaintManagerEviction); the pod created again stays Pending,
    explain_claim.py names the rule and a NoExecute toleration, and with it the pod runs."""
    node_name, created = node
    driver = f"gpu.{namespace}.example.com"
    devices = [{"name": "gpu-0", "attributes": {"index": {"int": 0}}}]
    taint = {**TAINT, "effect": "NoExecute"}
    rule = {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceTaintRule",
            "metadata": {"name": f"{namespace}-drain"},
            "spec": {"deviceSelector": {"driver": driver, "pool": node_name,
                                        "device": "gpu-0"}, "taint": taint}}
    created += [("resourceslice", f"{node_name}-gpus"), ("deviceclass", driver),
                ("devicetaintrule", rule["metadata"]["name"])]
    apply(kubectl, device_class(driver, driver),
          _slice(f"{node_name}-gpus", node_name, driver, devices=devices),
          _template("one", namespace, driver), pod("train", namespace, "one"))
    uid = running(kubectl, namespace, "train")["metadata"]["uid"]
    apply(kubectl, rule)

    def gone():
        items = get(kubectl, "pods", "-n", namespace)["items"]
        return not [p for p in items if p["metadata"]["uid"] == uid]
    wait_for(gone, timeout=90, what="the device taint eviction controller to delete the pod")
    events = get(kubectl, "events", "-n", namespace,
                 "--field-selector", f"involvedObject.uid={uid}")["items"]
    assert "DeviceTaintManagerEviction" in {e["reason"] for e in events}, events

    apply(kubectl, pod("train", namespace, "one"))
    unschedulable(kubectl, namespace, "train")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "train", "--json")
    found = next((f for f in doc["findings"] if f["cause"] == "device_taint_not_tolerated"),
                 None)
    assert found, doc
    assert code == 1 and f"DeviceTaintRule {rule['metadata']['name']}" in \
        " ".join(found["evidence"]), found
    assert "effect: NoExecute" in found["fix"], found
    kubectl("delete", "pod", "train", "-n", namespace, "--wait=true", "--timeout=60s")
    kubectl("delete", "resourceclaimtemplate", "one", "-n", namespace, "--wait=true")
    apply(kubectl, _template("one", namespace, driver, tolerations=[
        {"key": taint["key"], "operator": "Equal", "value": taint["value"],
         "effect": "NoExecute"}]), pod("train", namespace, "one"))
    running(kubectl, namespace, "train", timeout=90)
