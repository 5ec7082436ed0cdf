"""Kueue v0.19.2 counter-based quota, live: the charge check_dra_gang.py computes for a class
mapped with `sources[].counter` is the one Kueue itself uses.

A KWOK node of the test's own publishes a partitionable GPU (shared counter memory 80Gi) as
partitions full (80Gi), 4g (40Gi) and two 1g (10Gi each); Kueue is restarted with a
deviceClassMappings entry whose counter source is `memory` of that driver, and a
ClusterQueue gives 60Gi of it.
- A one-pod Job whose request has no selector: Kueue charges the LARGEST partition
  (pkg/dra/counters.go l.331-359), 80Gi > 60Gi, and says so in QuotaReserved=False; the
  script's `needs N` is that very request.
- A two-pod Job for 1g partitions: 2 x 10Gi; Kueue reserves quota and its ClusterQueue
  usage is what the script computed.
- Too few devices: a request for three 1g partitions (CEL selector) gets Kueue's
  claims.go l.513 error, and a second class whose counter source's deviceSelector keeps only
  the 1g partitions, asked for three without a selector, gets counters.go l.208; the
  script's kueue_counter_unmatched quotes each message Kueue writes; so for a third class
  whose source names a counter no partition consumes (counters.go l.222).
"""
from __future__ import annotations

import re

import pytest
import yaml

from tests.live.helpers import (apply, cluster_queue, condition, get, local_queue,
                                require_or_skip, wait_for)
from tests.live.test_dra_live import device_class, kueue_config, script
from tests.live.test_dra_partitions_live import _slice, _template, node

pytestmark = pytest.mark.live

__all__ = ["kueue_config", "node"]  # fixtures, imported for the test below


def parse_quantity(text) -> int:
    """The integer forms Kueue prints here (80Gi, 85899345920); anything else fails."""
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi|Ti)?", str(text).strip())
    assert match, text
    return int(match.group(1)) * {None: 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30,
                                  "Ti": 2**40}[match.group(2)]


def _part(name, profile, memory):
    return {"name": name, "attributes": {"profile": {"string": profile}},
            "consumesCounters": [{"counterSet": "gpu-0-counters", "counters": {
                "memory": {"value": memory}}}]}


def _job(name, ns, queue, template, pods):
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": ns,
                         "labels": {"kueue.x-k8s.io/queue-name": queue}},
            "spec": {"parallelism": pods, "completions": pods, "suspend": True,
                     "template": {"spec": {
                         "restartPolicy": "Never",
                         "resourceClaims": [{"name": "gpus",
                                             "resourceClaimTemplateName": template}],
                         "containers": [{"name": "main", "image": "busybox",
                                         "resources": {"claims": [{"name": "gpus"}]}}]}}}}


def _reserved(kubectl, ns, job, status):
    def check():
        for wl in get(kubectl, "workloads.kueue.x-k8s.io", "-n", ns)["items"]:
            owners = [o.get("name") for o in wl["metadata"].get("ownerReferences") or []]
            cond = condition(wl, "QuotaReserved") or {}
            if job in owners and cond.get("status") == status:
                return cond
        return None
    return wait_for(check, timeout=90, what=f"Workload of {job} QuotaReserved={status}")


def test_counter_quota_charge_is_kueues(kubectl, kubectl_env, namespace, node, tmp_path,
                                        live_cluster, kueue_config):
    cluster = live_cluster["cluster"]
    require_or_skip(live_cluster, cluster is not None,
                    "an existing cluster: its Kueue is not ours to restart")
    node_name, created = node
    driver = f"mig.{namespace}.example.com"
    resource = f"k8s-skills.io/{namespace}-gpu-memory"
    counters = _slice(f"{node_name}-counters", node_name, driver, count=2, sharedCounters=[
        {"name": "gpu-0-counters", "counters": {"memory": {"value": "80Gi"}}}])
    parts = _slice(f"{node_name}-parts", node_name, driver, count=2, devices=[
        _part("gpu-0-full", "full", "80Gi"), _part("gpu-0-4g", "4g", "40Gi"),
        _part("gpu-0-1g-a", "1g", "10Gi"), _part("gpu-0-1g-b", "1g", "10Gi")])
    small_class, slices_class = f"{driver}.small", f"{driver}.slices"
    created += [("resourceslice", f"{node_name}-counters"),
                ("resourceslice", f"{node_name}-parts"), ("deviceclass", driver),
                ("deviceclass", small_class), ("deviceclass", slices_class)]
    apply(kubectl, device_class(driver, driver), device_class(small_class, driver),
          device_class(slices_class, driver), counters, parts)
    cq = f"cq-{namespace}"
    apply(kubectl, cluster_queue(cq, namespace, "h200-dra", {
        "cpu": "64", "memory": "256Gi", resource: "60Gi"}), local_queue("q", namespace, cq))
    try:
        one_g = f'device.attributes["{driver}"].profile == "1g"'
        cluster.restart_kueue([
            {"name": resource, "deviceClassNames": [driver], "sources": [
                {"counter": {"name": "memory", "driver": driver,
                             "deviceSelector": {"cel": {"expression": "true"}}}}]},
            {"name": resource + "-small", "deviceClassNames": [small_class], "sources": [
                {"counter": {"name": "memory", "driver": driver,
                             "deviceSelector": {"cel": {"expression": one_g}}}}]},
            {"name": resource + "-slices", "deviceClassNames": [slices_class], "sources": [
                {"counter": {"name": "slices", "driver": driver,
                             "deviceSelector": {"cel": {"expression": "true"}}}}]}])
        objs = [_template("any", namespace, driver), _template("small", namespace, driver,
                                                                selector=one_g),
                _job("big", namespace, "q", "any", 1)]
        manifest = tmp_path / "big.yaml"
        manifest.write_text(yaml.safe_dump_all(objs))
        code, doc = script(kubectl_env, "check_dra_gang.py", "-f", str(manifest),
                           "--kueue-config", kueue_config, "--json")
        found = next(f for f in doc["findings"] if f["cause"] == "kueue_will_not_admit")
        ours = int(re.search(r"needs (\d+) ", found["message"]).group(1))
        apply(kubectl, *objs)
        cond = _reserved(kubectl, namespace, "big", "False")
        match = re.search(rf"insufficient quota for {re.escape(resource)} in flavor \S+, "
                          r"previously considered podsets requests \(([^)]*)\) \+ current "
                          r"podset request \(([^)]*)\) > maximum capacity \(([^)]*)\)",
                          cond["message"])
        assert match, cond
        assert parse_quantity(match.group(2)) == ours == 80 * 2**30, (match.group(0), found)
        assert parse_quantity(match.group(3)) == 60 * 2**30
        kubectl("delete", "job", "big", "-n", namespace, "--wait=true")

        small = [_job("small", namespace, "q", "small", 2)]
        manifest.write_text(yaml.safe_dump_all(objs[:2] + small))
        code, doc = script(kubectl_env, "check_dra_gang.py", "-f", str(manifest),
                           "--kueue-config", kueue_config, "--json")
        assert code == 0 and not doc["findings"], doc
        apply(kubectl, *small)
        _reserved(kubectl, namespace, "small", "True")

        def usage():
            for flavor in get(kubectl, "clusterqueue", cq).get("status", {}).get(
                    "flavorsUsage") or []:
                for res in flavor.get("resources") or []:
                    if res["name"] == resource and parse_quantity(res.get("total", 0)):
                        return parse_quantity(res["total"])
            return None
        assert wait_for(usage, timeout=30, what="ClusterQueue usage") == 2 * 10 * 2**30
        kubectl("delete", "job", "small", "-n", namespace, "--wait=true")

        for name, template in (("many", _template("three-1g", namespace, driver, count=3,
                                                  selector=one_g)),
                               ("three", _template("three", namespace, small_class, count=3)),
                               ("sliced", _template("sliced", namespace, slices_class))):
            job = _job(name, namespace, "q", template["metadata"]["name"], 1)
            manifest.write_text(yaml.safe_dump_all([template, job]))
            code, doc = script(kubectl_env, "check_dra_gang.py", "-f", str(manifest),
                               "--kueue-config", kueue_config, "--json")
            found = next(f for f in doc["findings"] if f["cause"] == "kueue_counter_unmatched")
            said = next(e for e in found["evidence"] if e.startswith("Kueue: "))
            apply(kubectl, template, job)
            cond = _reserved(kubectl, namespace, name, "False")
            assert said.removeprefix("Kueue: ") in cond["message"], (said, cond)
    finally:
        kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)
