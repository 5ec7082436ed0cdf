"""Issue 5, live: each DRA cause created for real, named by the scripts, and fixed.

Most tests run on hardware of their own: a KWOK node `<ns>-node` that publishes one
ResourceSlice of a per-test driver shaped like the dra-example-driver (8 devices, index,
uuid, model, driverVersion, memory 80Gi, two PCIe roots of 4), with a DeviceClass of the
same name. Nothing else on the shared cluster can take those devices, so counts are exact.
The gang and legacy-limit tests use the cluster's own H200 DRA nodes and Kueue.
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.live.helpers import (apply, cluster_queue, condition, get, local_queue,
                                require_or_skip, wait_for)

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "skills" / "k8s-dra" / "scripts"


@pytest.fixture(scope="session")
def kueue_config(live_cluster, kubeconfig) -> str:
    """The local cluster writes Kueue's Configuration next to its kubeconfig."""
    path = Path(kubeconfig).parent / "kueue" / "config.yaml"
    require_or_skip(live_cluster, path.is_file(),
                    f"no Kueue configuration at {path} (not a local cluster)")
    return str(path)


def script(env, name, *args) -> tuple[int, dict | str]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / name), *args], capture_output=True,
                          text=True, env=env, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    if "--json" in args:
        return proc.returncode, json.loads(proc.stdout)
    return proc.returncode, proc.stdout


def causes(doc: dict) -> list[str]:
    return [f["cause"] for f in doc["findings"]]


# ------------------------------------------------------------------ own hardware

@pytest.fixture
def hw(kubectl, namespace):
    """A KWOK node + ResourceSlice + DeviceClass that only this test uses."""
    node_name = f"{namespace}-node"
    driver = f"gpu.{namespace}.example.com"
    node = get(kubectl, "node", "gpu-h200-dra-0")
    node["metadata"] = {"name": node_name, "annotations": {"kwok.x-k8s.io/node": "fake"},
                        "labels": {**{k: v for k, v in node["metadata"]["labels"].items()
                                      if not k.startswith("nvidia.com/")},
                                   "kubernetes.io/hostname": node_name,
                                   "k8s-skills.io/node-pool": namespace}}
    node.pop("status", None)
    node["spec"] = {}
    objs = [node, device_class(driver, driver), example_slice(node_name, driver)]
    try:
        apply(kubectl, *objs)
        wait_for(lambda: (condition(get(kubectl, "node", node_name), "Ready") or {})
                 .get("status") == "True", what=f"node {node_name} Ready")
        yield {"node": node_name, "driver": driver, "class": driver}
    finally:
        kubectl("delete", "resourceslice", f"{node_name}-{driver}", "--wait=false", check=False)
        kubectl("delete", "deviceclass", driver, "--wait=false", check=False)
        kubectl("delete", "node", node_name, "--wait=false", check=False)


def device_class(name: str, driver: str) -> dict:
    return {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass", "metadata": {"name": name},
            "spec": {"selectors": [{"cel": {"expression": f'device.driver == "{driver}"'}}]}}


def example_slice(node: str, driver: str, count: int = 8) -> dict:
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
            "metadata": {"name": f"{node}-{driver}"},
            "spec": {"driver": driver, "nodeName": node,
                     "pool": {"name": node, "generation": 1, "resourceSliceCount": 1},
                     "devices": [{"name": f"gpu-{i}", "attributes": {
                         "index": {"int": i}, "uuid": {"string": f"gpu-{i:08x}-aaaa-bbbb-cccc"},
                         "model": {"string": "LATEST-GPU-MODEL"},
                         "driverVersion": {"version": "1.0.0"},
                         "pcieRoot": {"string": f"pci0000:0{i // 4}"}},
                         "capacity": {"memory": {"value": "80Gi"}}} for i in range(count)]}}


def template(name, ns, cls, count=1, selectors=(), constraints=None, admin=False) -> dict:
    exactly = {"deviceClassName": cls, "allocationMode": "ExactCount", "count": count}
    if selectors:
        exactly["selectors"] = [{"cel": {"expression": s}} for s in selectors]
    if admin:
        exactly["adminAccess"] = True
    devices = {"requests": [{"name": "gpus", "exactly": exactly}]}
    if constraints:
        devices["constraints"] = constraints
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaimTemplate",
            "metadata": {"name": name, "namespace": ns}, "spec": {"spec": {"devices": devices}}}


def pod(name, ns, template_name=None, claim_name=None, node_selector=None) -> dict:
    ref = ({"resourceClaimTemplateName": template_name} if template_name
           else {"resourceClaimName": claim_name})
    spec = {"restartPolicy": "Never", "resourceClaims": [{"name": "gpus", **ref}],
            "containers": [{"name": "main", "image": "cuda-app:1.0", "resources": {
                "requests": {"cpu": "100m", "memory": "128Mi"},
                "limits": {"cpu": "100m", "memory": "128Mi"}, "claims": [{"name": "gpus"}]}}]}
    if node_selector:
        spec["nodeSelector"] = node_selector
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": spec}


def running(kubectl, ns, name, timeout=60) -> dict:
    return wait_for(lambda: (lambda p: p if p["status"].get("phase") == "Running" else None)(
        get(kubectl, "pod", name, "-n", ns)), timeout=timeout, what=f"pod {name} Running")


def unschedulable(kubectl, ns, name, timeout=30):
    """The scheduler tried and gave up (PodScheduled=False), or the claim never appeared."""
    def check():
        p = get(kubectl, "pod", name, "-n", ns)
        cond = condition(p, "PodScheduled") or {}
        return cond if cond.get("status") == "False" else None
    return wait_for(check, timeout=timeout, what=f"pod {name} unschedulable")


def apply_changes(obj: dict, changes: list[dict]) -> dict:
    """Apply the script's proposed {path, value} changes to a copy of `obj`."""
    out = copy.deepcopy(obj)
    for change in changes:
        if change["object"]["name"] != obj["metadata"]["name"]:
            continue
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", change["path"])
        cur = out
        for part in parts[:-1]:
            cur = cur[int(part[1:-1])] if part.startswith("[") else cur[part]
        last = parts[-1]
        if last.startswith("["):
            cur[int(last[1:-1])] = change["value"]
        else:
            cur[last] = change["value"]
    return out


def recreate(kubectl, ns, *objs):
    for obj in objs:
        kubectl("delete", obj["kind"].lower(), obj["metadata"]["name"], "-n", ns,
                "--wait=true", "--timeout=60s", check=False)
    apply(kubectl, *objs)


def explain_and_fix(kubectl, kubectl_env, ns, tmpl, p, cause):
    """Create the fault, assert the cause, apply the proposed change, see the pod run."""
    apply(kubectl, tmpl, p)
    unschedulable(kubectl, ns, p["metadata"]["name"])
    code, doc = script(kubectl_env, "explain_claim.py", "-n", ns, p["metadata"]["name"],
                       "--json")
    assert code == 1 and cause in causes(doc), doc
    assert doc["changes"], doc
    fixed = apply_changes(tmpl, doc["changes"])
    assert fixed != tmpl
    kubectl("delete", "pod", p["metadata"]["name"], "-n", ns, "--wait=true", "--timeout=60s")
    recreate(kubectl, ns, fixed)
    apply(kubectl, p)
    running(kubectl, ns, p["metadata"]["name"])
    code, doc = script(kubectl_env, "explain_claim.py", "-n", ns, p["metadata"]["name"],
                       "--json")
    assert code == 0 and doc["allocations"] and doc["allocations"][0]["node"], doc
    return doc


# ------------------------------------------------------------------ explain_claim causes

def test_device_class_missing_is_named_and_the_fix_runs_the_pod(kubectl, kubectl_env,
                                                                 namespace, hw):
    tmpl = template("gpus", namespace, hw["class"][:-1])  # a typo: ".co" instead of ".com"
    doc = explain_and_fix(kubectl, kubectl_env, namespace, tmpl,
                          pod("train", namespace, "gpus"), "device_class_missing")
    assert doc["allocations"][0]["node"] == hw["node"]


def test_no_matching_device_names_the_failing_attribute(kubectl, kubectl_env, namespace, hw):
    sel = f'device.attributes["{hw["driver"]}"].model == "H100-SXM"'
    tmpl = template("gpus", namespace, hw["class"], selectors=[sel])
    apply(kubectl, tmpl, pod("train", namespace, "gpus"))
    unschedulable(kubectl, namespace, "train")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "train", "--json")
    found = next(f for f in doc["findings"] if f["cause"] == "no_matching_device")
    assert "LATEST-GPU-MODEL" in " ".join(found["evidence"])
    kubectl("delete", "pod", "train", "-n", namespace, "--wait=true", "--timeout=60s")
    recreate(kubectl, namespace, apply_changes(tmpl, doc["changes"]))
    apply(kubectl, pod("train", namespace, "gpus"))
    running(kubectl, namespace, "train")


def test_insufficient_devices_count_above_node_is_fixed_by_the_proposed_count(
        kubectl, kubectl_env, namespace, hw):
    doc = explain_and_fix(kubectl, kubectl_env, namespace,
                          template("gpus", namespace, hw["class"], count=10),
                          pod("train", namespace, "gpus"), "insufficient_devices")
    assert len(doc["allocations"][0]["devices"]) == 8


def test_constraint_unsatisfiable_same_pcie_root(kubectl, kubectl_env, namespace, hw):
    constraint = [{"requests": ["gpus"], "matchAttribute": f"{hw['driver']}/pcieRoot"}]
    doc = explain_and_fix(kubectl, kubectl_env, namespace,
                          template("gpus", namespace, hw["class"], count=5,
                                   constraints=constraint),
                          pod("train", namespace, "gpus"), "constraint_unsatisfiable")
    assert len(doc["allocations"][0]["devices"]) == 4


def test_insufficient_devices_names_the_holder_and_freeing_it_helps(kubectl, kubectl_env,
                                                                     namespace, hw):
    apply(kubectl, template("six", namespace, hw["class"], count=6),
          template("four", namespace, hw["class"], count=4), pod("holder", namespace, "six"))
    running(kubectl, namespace, "holder")
    apply(kubectl, pod("waiter", namespace, "four"))
    unschedulable(kubectl, namespace, "waiter")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "waiter", "--json")
    found = next(f for f in doc["findings"] if f["cause"] == "insufficient_devices")
    assert "holder" in found["message"] and "2 free of 8" in " ".join(found["evidence"])
    kubectl("delete", "pod", "holder", "-n", namespace, "--wait=true", "--timeout=60s")
    running(kubectl, namespace, "waiter", timeout=90)


def test_claim_reserved_elsewhere_and_dropping_the_node_selector(kubectl, kubectl_env,
                                                                 namespace, hw):
    claim = {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaim",
             "metadata": {"name": "shared", "namespace": namespace},
             "spec": template("x", namespace, hw["class"])["spec"]["spec"]}
    apply(kubectl, claim, pod("a", namespace, claim_name="shared"))
    running(kubectl, namespace, "a")
    b = pod("b", namespace, claim_name="shared",
            node_selector={"kubernetes.io/hostname": "gpu-h200-dra-0"})
    apply(kubectl, b)
    unschedulable(kubectl, namespace, "b")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "b", "--json")
    found = next(f for f in doc["findings"] if f["cause"] == "claim_reserved_elsewhere")
    assert hw["node"] in found["message"] and "nodeSelector" in found["message"]
    kubectl("delete", "pod", "b", "-n", namespace, "--wait=true", "--timeout=60s")
    apply(kubectl, pod("b", namespace, claim_name="shared"))
    running(kubectl, namespace, "b")


def test_admin_access_forbidden_until_the_namespace_is_labelled(kubectl, kubectl_env,
                                                                 namespace, hw):
    label = "resource.kubernetes.io/admin-access"
    kubectl("label", "namespace", namespace, f"{label}=true")
    apply(kubectl, template("admin", namespace, hw["class"], admin=True))
    kubectl("label", "namespace", namespace, f"{label}-")
    apply(kubectl, pod("monitor", namespace, "admin"))
    time.sleep(2)  # the resourceclaim controller tries, and is refused, to create the claim
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "monitor", "--json")
    found = next(f for f in doc["findings"] if f["cause"] == "admin_access_forbidden")
    assert f"kubectl label namespace {namespace} {label}=true" in found["fix"]
    kubectl("label", "namespace", namespace, f"{label}=true")
    running(kubectl, namespace, "monitor", timeout=120)


def test_no_resource_slices_until_the_driver_publishes(kubectl, kubectl_env, namespace, hw):
    driver = f"nic.{namespace}.example.com"
    apply(kubectl, device_class(driver, driver), template("nic", namespace, driver),
          pod("train", namespace, "nic"))
    try:
        unschedulable(kubectl, namespace, "train")
        code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "train", "--json")
        found = next(f for f in doc["findings"] if f["cause"] == "no_resource_slices")
        assert driver in found["message"]
        apply(kubectl, example_slice(hw["node"], driver, count=1))  # "install the driver"
        running(kubectl, namespace, "train", timeout=90)
    finally:
        kubectl("delete", "resourceslice", f"{hw['node']}-{driver}", "--wait=false",
                check=False)
        kubectl("delete", "deviceclass", driver, "--wait=false", check=False)


def test_example_driver_selectors_are_evaluated_like_the_scheduler(kubectl, kubectl_env,
                                                                   namespace, hw):
    d = hw["driver"]
    sel = (f'device.attributes["{d}"].model == "LATEST-GPU-MODEL" && '
           f'device.capacity["{d}"].memory.compareTo(quantity("40Gi")) >= 0 && '
           f'device.attributes["{d}"].driverVersion.isGreaterThan(semver("0.9.0"))')
    apply(kubectl, template("ok", namespace, hw["class"], count=2, selectors=[sel]),
          pod("ok", namespace, "ok"))
    running(kubectl, namespace, "ok")
    big = sel.replace('"40Gi"', '"100Gi"')
    apply(kubectl, template("big", namespace, hw["class"], selectors=[big]),
          pod("big", namespace, "big"))
    unschedulable(kubectl, namespace, "big")
    code, doc = script(kubectl_env, "explain_claim.py", "-n", namespace, "--json")
    found = [f for f in doc["findings"] if f["object"]["name"] == "big"]
    assert [f["cause"] for f in found] == ["no_matching_device"], doc
    assert "memory=80.0Gi" in " ".join(found[0]["evidence"])
    assert not [f for f in doc["findings"] if f["object"]["name"] == "ok"]


# ------------------------------------------------------------------ check_dra

def test_check_dra_reports_inventory_and_configuration_errors(kubectl, kubectl_env,
                                                               namespace, hw, kueue_config):
    ghost = f"ghost.{namespace}.example.com"
    legacy = pod("legacy", namespace, "unused")
    legacy["spec"].pop("resourceClaims")
    legacy["spec"]["containers"][0]["resources"] = {"limits": {"nvidia.com/gpu": "1"}}
    legacy["spec"]["nodeSelector"] = {"nvidia.com/gpu.product": "NVIDIA-H200"}
    cq = f"cq-{namespace}"
    apply(kubectl, device_class(ghost, ghost), template("gpus", namespace, hw["class"]),
          legacy, cluster_queue(cq, namespace, "h200-dra", {"cpu": "8"}))
    try:
        unschedulable(kubectl, namespace, "legacy")
        code, doc = script(kubectl_env, "check_dra.py", "--json",
                           "--kueue-config", kueue_config)
        assert code == 1 and "resource.k8s.io/v1" in doc["api_versions"]
        assert hw["driver"] in doc["drivers"] and "gpu.nvidia.com" in doc["drivers"]
        by = {(f["cause"], f["object"]["name"]) for f in doc["findings"]}
        assert ("device_class_unsatisfiable", ghost) in by
        assert ("legacy_limits_on_dra_cluster", "legacy") in by
        assert ("kueue_class_unmapped", hw["class"]) in by
        # the proposed migration: a claim template instead of the nvidia.com/gpu limit
        code, doc2 = script(kubectl_env, "make_claim.py", "--name", "migrated", "-n",
                            namespace, "--count", "1", "--wire", "pod", "--json")
        kubectl("delete", "pod", "legacy", "-n", namespace, "--wait=true", "--timeout=60s")
        apply(kubectl, *doc2["objects"])
        running(kubectl, namespace, "migrated-pod")
        code, text = script(kubectl_env, "check_dra.py")
        assert "driver gpu.nvidia.com: 2 node(s), 16 device(s) (NVIDIA H200)" in text
    finally:
        kubectl("delete", "deviceclass", ghost, "--wait=false", check=False)
        kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)


# ------------------------------------------------------------------ make_claim

@pytest.mark.parametrize("wire", ["pod", "job", "jobset", "lws"])
def test_make_claim_output_is_accepted_by_the_apiserver(kubectl_env, namespace, wire):
    code, text = script(kubectl_env, "make_claim.py", "--name", "train", "-n", namespace,
                        "--count", "2", "--min-memory", "40Gi", "--same-attribute", "pcieRoot",
                        "--extra", "nic=gpu.nvidia.com:1", "--sharing", "TimeSlicing",
                        "--wire", wire, "--workers", "2", "--validate")
    assert code == 0 and "server-side dry-run: accepted" in text, text


def test_make_claim_first_available_is_allocated_by_the_scheduler(kubectl, kubectl_env,
                                                                   namespace, hw):
    code, doc = script(kubectl_env, "make_claim.py", "--name", "alt", "-n", namespace,
                       "--class", hw["class"], "--attr", "model=H100-SXM",
                       "--fallback", f"{hw['class']}:2:model=LATEST-GPU-MODEL",
                       "--wire", "pod", "--apply", "--json")
    assert code == 0 and doc["validation"]["ok"], doc
    running(kubectl, namespace, "alt-pod")
    claim = get(kubectl, "resourceclaims", "-n", namespace)["items"][0]
    results = claim["status"]["allocation"]["devices"]["results"]
    assert len(results) == 2 and {r["request"] for r in results} == {"gpus/alt1"}


# ------------------------------------------------------------------ gang + Kueue

def test_partly_satisfiable_gang_is_reported_before_and_not_admitted_after(
        kubectl, kubectl_env, namespace, tmp_path, kueue_config):
    cq = f"cq-{namespace}"
    apply(kubectl, cluster_queue(cq, namespace, "h200-dra", {
        "cpu": "64", "memory": "256Gi", "nvidia.com/dra-gpu": "16"}),
        local_queue("dra", namespace, cq))
    try:
        code, text = script(kubectl_env, "make_claim.py", "--name", "five", "-n", namespace,
                            "--count", "5", "--wire", "job", "--workers", "4", "--queue", "dra")
        manifest = tmp_path / "gang.yaml"
        manifest.write_text(text)
        code, doc = script(kubectl_env, "check_dra_gang.py", "-f", str(manifest),
                           "--kueue-config", kueue_config, "--json")
        gang = next(f for f in doc["findings"] if f["cause"] == "gang_partially_satisfiable")
        assert code == 1 and re.search(r"^[0-3] of 4 pods", gang["message"]), gang
        assert "node pool gpu-h200-dra" in " ".join(gang["evidence"])
        assert "kueue_will_not_admit" in causes(doc)
        apply(kubectl, *yaml.safe_load_all(text))

        def pending():
            items = get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]
            cond = (condition(items[0], "QuotaReserved") or {}) if items else {}
            return cond if cond.get("status") == "False" else None
        cond = wait_for(pending, what="Workload QuotaReserved=False")
        assert "insufficient" in cond["message"] and "nvidia.com/dra-gpu" in cond["message"]
        time.sleep(3)
        workload = get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"][0]
        assert (condition(workload, "Admitted") or {}).get("status") != "True"
        assert get(kubectl, "job", "five-job", "-n", namespace)["spec"]["suspend"] is True
    finally:
        kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)


def test_unmapped_device_class_is_reported_and_kueue_agrees(kubectl, kubectl_env, namespace,
                                                             hw, tmp_path, kueue_config):
    cq = f"cq-{namespace}"
    apply(kubectl, cluster_queue(cq, namespace, "h200-dra", {"cpu": "8", "memory": "8Gi"}),
          local_queue("q", namespace, cq))
    try:
        code, text = script(kubectl_env, "make_claim.py", "--name", "t", "-n", namespace,
                            "--class", hw["class"], "--wire", "job", "--queue", "q")
        manifest = tmp_path / "job.yaml"
        manifest.write_text(text)
        code, doc = script(kubectl_env, "check_dra_gang.py", "-f", str(manifest),
                           "--kueue-config", kueue_config, "--json")
        assert code == 1 and "kueue_class_unmapped" in causes(doc)
        assert doc["gangs"][0]["placeable"] == 1  # the devices exist; Kueue is the blocker
        apply(kubectl, *yaml.safe_load_all(text))

        def inadmissible():
            items = get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]
            cond = (condition(items[0], "QuotaReserved") or {}) if items else {}
            return cond if cond.get("reason") == "Inadmissible" else None
        cond = wait_for(inadmissible, what="Workload Inadmissible")
        assert f"DeviceClass {hw['class']} is not mapped in DRA configuration" in cond["message"]
    finally:
        kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)
