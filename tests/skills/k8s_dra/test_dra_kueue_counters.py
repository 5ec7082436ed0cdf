"""Kueue counter-based quota (deviceClassMappings[].sources[].counter), as Kueue v0.19.2 charges it.

Expected values come from kubernetes-sigs/kueue v0.19.2:
- pkg/dra/counters_test.go TestComputeCounterCharges (l.78-298) and TestGroupSlicesByPool
  (l.337-451): the same inputs, the same expected charges / pool completeness;
- pkg/dra/counters.go: the charge is the LARGEST value of the mapped counter among the
  devices that match the source's deviceSelector, the class and the request (l.226-272,
  l.331-359), x the request's count (l.173-184); pkg/workload/workload.go l.686-697
  multiplies it by the pod count; the error texts are counters.go l.208 and l.222.
tests/live/test_dra_kueue_counters_live.py checks the same against a running Kueue.
"""
from __future__ import annotations

import yaml
import pytest

from _dra.kueue_counters import INT64_MAX, charge_value, complete_pool_devices, \
    counter_sources

GI, MI = 2**30, 2**20


def _dev(name, memory=None, extra=None, sets=None):
    dev = {"name": name, "attributes": {"profile": {"string": name.split("-")[1]}
                                        if "-" in name else {"string": name}}}
    if memory is not None:
        counters = {"memory": {"value": memory}, **(extra or {})}
        dev["consumesCounters"] = [{"counterSet": "gpu-counter-set", "counters": counters}]
    if sets:
        dev["consumesCounters"] = [{"counterSet": s, "counters": {"memory": {"value": v}}}
                                   for s, v in sets]
    return dev


# TestComputeCounterCharges, case by case (name, matched devices, count, want)
@pytest.mark.parametrize("devices,count,want", [
    ([_dev("mig-1g10gb-0", "9856Mi")], 1, 9856 * MI),                     # single, count=1
    ([_dev("mig-1g10gb-0", "9856Mi")], 3, 9856 * MI * 3),                 # single, count=3
    ([_dev(f"mig-1g10gb-{i}", "9856Mi") for i in range(3)], 1, 9856 * MI),  # same value
    ([_dev("mig-1g10gb-0", "9856Mi"), _dev("mig-3g40gb-0", "40Gi")], 1, 40 * GI),  # MAX wins
    ([_dev("mig-1g10gb-0", "9856Mi", {"multiprocessors": {"value": "14"}})], 1, 9856 * MI),
    ([_dev("multi-set-device", sets=[("set-a", "10Gi"), ("set-b", "30Gi")])], 1, 30 * GI),
    ([_dev("whole-gpu-0")], 1, None),                                      # no consumesCounters
    ([_dev("big-counter-0", "8000000000000000000")], 2, INT64_MAX),       # saturates
    ([_dev("truncating-0", "10000000000000000000")], 2, INT64_MAX),       # clamped first
    ([_dev("overmax-0", "9223372036854775808")], 1, INT64_MAX),
    ([_dev("negative-0", "-5")], 2, 0),
    ([_dev("fractional-0", "500m")], 1, 1),                               # Value() rounds up
    ([_dev("negative-count1-0", "-5")], 1, 0),
    ([_dev("negative-fractional-0", "-500m")], 1, 0),
])
def test_charge_is_computed_as_kueue_computes_it(devices, count, want):
    assert charge_value(devices, "memory", count) == want


def _slice(name, driver, pool, gen, count, devices=()):
    return {"kind": "ResourceSlice", "metadata": {"name": name},
            "spec": {"driver": driver, "pool": {"name": pool, "generation": gen,
                                                "resourceSliceCount": count},
                     "devices": list(devices)}}


# TestGroupSlicesByPool: which pools are complete (only those are searched)
@pytest.mark.parametrize("slices,complete", [
    ([_slice("s1", "gpu.nvidia.com", "node1-gpu0", 1, 1)], True),                  # complete
    ([_slice("s1", "gpu.nvidia.com", "node1-gpu0", 1, 2)], False),                 # incomplete
    ([_slice("s1", "gpu.nvidia.com", "node1-gpu0", 1, 2),
      _slice("s2", "other.driver", "node1-gpu0", 1, 1)], False),                   # other driver
    ([_slice("s1", "gpu.nvidia.com", "node1-gpu0", 1, 2),
      _slice("s2", "gpu.nvidia.com", "node1-gpu0", 2, 1)], True),                  # newer gen
    ([_slice("s1", "gpu.nvidia.com", "node1-gpu0", 1, 1),
      _slice("s2", "gpu.nvidia.com", "node1-gpu0", 2, 2)], False),                 # new, partial
])
def test_only_complete_pools_of_the_newest_generation_count(slices, complete):
    for sl in slices:
        sl["spec"]["devices"] = [_dev(f"{sl['metadata']['name']}-x", "1Gi")]
    devices, incomplete = complete_pool_devices(slices, "gpu.nvidia.com")
    assert bool(devices) is complete and bool(incomplete) is not complete


def test_each_counter_source_charges_its_own_mapping():
    # mapper.go l.126-147: a class named by two entries with counters gets both configs
    config = {"resources": {"deviceClassMappings": [
        {"name": "a", "deviceClassNames": ["mig"], "sources": [
            {"counter": {"name": "memory", "driver": "d", "deviceSelector": {
                "cel": {"expression": "true"}}}}]},
        {"name": "b", "deviceClassNames": ["mig"], "sources": [
            {"counter": {"name": "slices", "driver": "d", "deviceSelector": {
                "cel": {"expression": "true"}}}}]},
        {"name": "c", "deviceClassNames": ["whole"]}]}}
    got = counter_sources(config)
    assert [(s.resource, s.name) for s in got["mig"]] == [("a", "memory"), ("b", "slices")]
    assert "whole" not in got


# ---------------------------------------------------------------- check_dra_gang.py end to end

DRIVER = "mig.example.com"


def _cluster(quota: str) -> str:
    parts = [("gpu0-1g", "10Gi"), ("gpu0-3g", "40Gi"), ("gpu1-1g", "10Gi"),
             ("gpu1-3g", "40Gi")]
    devices = [{"name": n, "attributes": {"profile": {"string": n.split("-")[1]}},
                "consumesCounters": [{"counterSet": n.split("-")[0], "counters": {
                    "memory": {"value": m}}}]} for n, m in parts]
    objs = [
        {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
         "metadata": {"name": "n1-counters"},
         "spec": {"driver": DRIVER, "nodeName": "n1",
                  "pool": {"name": "n1", "generation": 1, "resourceSliceCount": 2},
                  "sharedCounters": [{"name": f"gpu{i}", "counters": {
                      "memory": {"value": "80Gi"}}} for i in (0, 1)]}},
        {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
         "metadata": {"name": "n1-devices"},
         "spec": {"driver": DRIVER, "nodeName": "n1",
                  "pool": {"name": "n1", "generation": 1, "resourceSliceCount": 2},
                  "devices": devices}},
        {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass", "metadata": {"name": DRIVER},
         "spec": {"selectors": [{"cel": {"expression": f'device.driver == "{DRIVER}"'}}]}},
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "labels": {
            "kubernetes.io/hostname": "n1"}}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
         "metadata": {"name": "q", "namespace": "team-a"}, "spec": {"clusterQueue": "cq"}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
         "metadata": {"name": "cq"}, "spec": {"resourceGroups": [{
             "coveredResources": ["example.com/gpu-memory"], "flavors": [{
                 "name": "f", "resources": [{"name": "example.com/gpu-memory",
                                             "nominalQuota": quota}]}]}]}},
    ]
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objs})


def _config(tmp_path, source_selector: str = "true") -> str:
    path = tmp_path / "kueue.yaml"
    path.write_text(yaml.safe_dump({
        "apiVersion": "config.kueue.x-k8s.io/v1beta2", "kind": "Configuration",
        "resources": {"deviceClassMappings": [{
            "name": "example.com/gpu-memory", "deviceClassNames": [DRIVER],
            "sources": [{"counter": {"name": "memory", "driver": DRIVER, "deviceSelector": {
                "cel": {"expression": source_selector}}}}]}]}}))
    return str(path)


def _job(tmp_path, pods: int, selector: str = "", count: int = 1) -> str:
    sel = f", selectors: [{{cel: {{expression: '{selector}'}}}}]" if selector else ""
    path = tmp_path / "job.yaml"
    path.write_text(
        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
        "metadata: {name: t, namespace: team-a}\nspec:\n  spec:\n    devices:\n"
        f"      requests:\n      - name: g\n        exactly: {{deviceClassName: {DRIVER}, "
        f"count: {count}{sel}}}\n---\n"
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: team-a\n"
        f"  labels: {{kueue.x-k8s.io/queue-name: q}}\nspec:\n  parallelism: {pods}\n"
        "  template:\n    spec:\n      restartPolicy: Never\n      resourceClaims: "
        "[{name: g, resourceClaimTemplateName: t}]\n      containers: [{name: m, "
        "image: x, resources: {claims: [{name: g}]}}]\n")
    return str(path)


ONE_G = f'device.attributes["{DRIVER}"].profile == "1g"'


def _run(script, tmp_path, quota, source_selector="true", **job):
    dump = tmp_path / "dump.yaml"
    dump.write_text(_cluster(quota))
    return script("check_dra_gang.py", "-f", _job(tmp_path, **job), "--cluster", str(dump),
                  "--kueue-config", _config(tmp_path, source_selector), "--json")


def test_counter_charge_is_compared_with_the_quota(script, tmp_path):
    # 2 pods x (the largest memory among the 1g partitions: 10Gi) = 20Gi > 16Gi
    r = _run(script, tmp_path, "16Gi", pods=2, selector=ONE_G)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_will_not_admit")
    assert f"needs {20 * GI} example.com/gpu-memory" in found["message"]
    assert f"{16 * GI} nominal" in found["message"]
    assert any("10Gi of counter memory per pod" in e and "2 matching device(s)" in e
               for e in found["evidence"]), found
    r = _run(script, tmp_path, "20Gi", pods=2, selector=ONE_G)
    assert r.code == 0, r.doc


def test_without_a_narrowing_selector_kueue_charges_the_largest_partition(script, tmp_path):
    # counters.go l.331-359: MAX over every matching device, so one pod costs 40Gi here
    r = _run(script, tmp_path, "60Gi", pods=2)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_will_not_admit")
    assert f"needs {80 * GI} example.com/gpu-memory" in found["message"]


def test_count_multiplies_the_charge(script, tmp_path):
    r = _run(script, tmp_path, "30Gi", pods=1, selector=ONE_G, count=2)
    assert r.code == 0 and not r.causes, r.doc
    r = _run(script, tmp_path, "19Gi", pods=1, selector=ONE_G, count=2)
    assert "kueue_will_not_admit" in r.causes


def test_too_few_matching_devices_is_kueues_own_error(script, tmp_path):
    # a request with CEL selectors is checked first by claims.go l.415-519 (l.513 wording)
    r = _run(script, tmp_path, "80Gi", pods=1, selector=ONE_G, count=3)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_counter_unmatched")
    assert (f"Kueue: insufficient matching devices for CEL selector in DeviceClass {DRIVER}: "
            "2 device(s) match in the cluster but 3 requested") in found["evidence"]
    assert "kueue_will_not_admit" not in r.causes
    # no request selector, the source's deviceSelector narrows: counters.go l.204-210
    r = _run(script, tmp_path, "80Gi", pods=1, count=3, source_selector=ONE_G)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_counter_unmatched")
    assert ("Kueue: insufficient matching devices for counter driver: 2 device(s) match but "
            "3 requested") in found["evidence"]
    # the source's deviceSelector scopes the devices charged: only 1g partitions, 10Gi each
    # (without it, 40Gi per pod: test_without_a_narrowing_selector_...)
    r = _run(script, tmp_path, "20Gi", pods=2, source_selector=ONE_G)
    assert r.code == 0, r.doc
    r = _run(script, tmp_path, "19Gi", pods=2, source_selector=ONE_G)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_will_not_admit")
    assert f"needs {20 * GI} example.com/gpu-memory" in found["message"]
