"""Kueue v0.19.2 consumable-capacity quota, live: the charge check_dra_gang.py computes for a
class mapped with `sources[].capacity` is the one Kueue itself uses.

A KWOK node of the test's own publishes two shareable GPUs (allowMultipleAllocations,
capacity memory 80Gi, requestPolicy default 10Gi, validRange 1Gi..80Gi step 1Gi; Kubernetes
v1.37 serves these fields: DRAConsumableCapacity beta, on). Kueue is restarted with the
KueueDRAIntegrationConsumableCapacity gate (alpha, off by default) and a deviceClassMappings
entry whose capacity source is `memory` of that driver; a ClusterQueue gives 30Gi of it.
- Four pods asking nothing: each is charged the policy default (capacity.go chargeForDevice),
  40Gi > 30Gi; Kueue says so in QuotaReserved=False and the script's `needs N` is that
  request.
- One pod asking 15500Mi: rounded up to the 1Gi step (roundToValidRange), 16Gi; Kueue
  reserves it and its ClusterQueue usage is what the script computed.
- One pod asking 81Gi: no device's policy can hold it; the script's kueue_counter_unmatched
  quotes the message Kueue writes (capacity.go l.242).
"""
from __future__ import annotations

import re

import pytest
import yaml

from tests.live.helpers import (apply, cluster_queue, get, local_queue, require_or_skip,
                                wait_for)
from tests.live.test_dra_kueue_counters_live import _job, _reserved, parse_quantity
from tests.live.test_dra_live import device_class, kueue_config, script
from tests.live.test_dra_partitions_live import _slice, node

pytestmark = pytest.mark.live

__all__ = ["kueue_config", "node"]  # fixtures, imported for the test below

POLICY = {"default": "10Gi", "validRange": {"min": "1Gi", "max": "80Gi", "step": "1Gi"}}


def _template(name, ns, cls, ask=None):
    exactly = {"deviceClassName": cls, "allocationMode": "ExactCount", "count": 1}
    if ask:
        exactly["capacity"] = {"requests": {"memory": ask}}
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaimTemplate",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"spec": {"devices": {"requests": [{"name": "gpus", "exactly": exactly}]}}}}


def test_capacity_quota_charge_is_kueues(kubectl, kubectl_env, namespace, node, tmp_path,
                                         live_cluster, kueue_config):
    cluster = live_cluster["cluster"]
    require_or_skip(live_cluster, cluster is not None,
                    "an existing cluster: its Kueue is not ours to restart")
    node_name, created = node
    driver = f"shared.{namespace}.example.com"
    resource = f"k8s-skills.io/{namespace}-gpu-memory"
    gpus = _slice(f"{node_name}-gpus", node_name, driver, devices=[
        {"name": f"gpu-{i}", "allowMultipleAllocations": True,
         "capacity": {"memory": {"value": "80Gi", "requestPolicy": POLICY}}} for i in (0, 1)])
    created += [("resourceslice", f"{node_name}-gpus"), ("deviceclass", driver)]
    apply(kubectl, device_class(driver, driver), gpus)
    cq = f"cq-{namespace}"
    apply(kubectl, cluster_queue(cq, namespace, "h200-dra", {
        "cpu": "64", "memory": "256Gi", resource: "30Gi"}), local_queue("q", namespace, cq))
    try:
        cluster.restart_kueue([
            {"name": resource, "deviceClassNames": [driver], "sources": [
                {"capacity": {"name": "memory", "driver": driver,
                              "deviceSelector": {"cel": {"expression": "true"}}}}]}],
            feature_gates={"KueueDRAIntegrationConsumableCapacity": True})
        manifest = tmp_path / "job.yaml"

        def check(objs):
            manifest.write_text(yaml.safe_dump_all(objs))
            return script(kubectl_env, "check_dra_gang.py", "-f", str(manifest),
                          "--kueue-config", kueue_config, "--json")

        objs = [_template("plain", namespace, driver), _job("wide", namespace, "q", "plain", 4)]
        _, doc = check(objs)
        found = next(f for f in doc["findings"] if f["cause"] == "kueue_will_not_admit")
        ours = int(re.search(r"needs (\d+) ", found["message"]).group(1))
        apply(kubectl, *objs)
        cond = _reserved(kubectl, namespace, "wide", "False")
        match = re.search(rf"insufficient quota for {re.escape(resource)} in flavor \S+, "
                          r"previously considered podsets requests \(([^)]*)\) \+ current "
                          r"podset request \(([^)]*)\) > maximum capacity \(([^)]*)\)",
                          cond["message"])
        assert match, cond
        assert parse_quantity(match.group(2)) == ours == 40 * 2**30, (match.group(0), found)
        kubectl("delete", "job", "wide", "-n", namespace, "--wait=true")

        objs = [_template("odd", namespace, driver, ask="15500Mi"),
                _job("odd", namespace, "q", "odd", 1)]
        code, doc = check(objs)
        assert code == 0 and not doc["findings"], doc
        apply(kubectl, *objs)
        _reserved(kubectl, namespace, "odd", "True")

        def usage():
            for flavor in get(kubectl, "clusterqueue", cq).get("status", {}).get(
                    "flavorsUsage") or []:
                for res in flavor.get("resources") or []:
                    if res["name"] == resource and parse_quantity(res.get("total", 0)):
                        return parse_quantity(res["total"])
            return None
        assert wait_for(usage, timeout=30, what="ClusterQueue usage") == 16 * 2**30
        kubectl("delete", "job", "odd", "-n", namespace, "--wait=true")

        objs = [_template("huge", namespace, driver, ask="81Gi"),
                _job("huge", namespace, "q", "huge", 1)]
        _, doc = check(objs)
        found = next(f for f in doc["findings"] if f["cause"] == "kueue_counter_unmatched")
        said = next(e for e in found["evidence"] if e.startswith("Kueue: "))
        apply(kubectl, *objs)
        cond = _reserved(kubectl, namespace, "huge", "False")
        assert said.removeprefix("Kueue: ") in cond["message"], (said, cond)
    finally:
        kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)
