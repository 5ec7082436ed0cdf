"""Kueue consumable-capacity quota (deviceClassMappings[].sources[].capacity), as Kueue
v0.19.2 charges it.

Expected values come from kubernetes-sigs/kueue v0.19.2:
- pkg/dra/capacity_test.go TestRoundToValidValues (l.28-88), TestRoundToValidRange
  (l.90-193) and TestComputeCapacityCharge (l.195-300): the same inputs and expected charges
  or errors (error texts: capacity.go l.167, l.236, l.242, l.291, l.322);
- pkg/dra/capacity.go: the charge per request is, over the devices of the source's driver
  that match the source's deviceSelector, the class and the request (matchDevicesForSource,
  counters.go l.141-171), the largest of (capacity.requests[dimension], else the device's
  requestPolicy.default, else its capacity value) rounded to the device's requestPolicy,
  x count; charged to the class's mapping name (Lookup, l.109; the first entry naming the
  class, mapper.go l.128-130); a class with a capacity source gets no device count
  (claims.go l.224-226); pkg/workload/workload.go l.686-697 multiplies by the pod count.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
import yaml

from _dra.kueue_counters import capacity_charge_value, capacity_sources, round_to_policy
from k8s_skillkit.quantity import parse_quantity

GI, MI = 2**30, 2**20
Q = parse_quantity


@pytest.mark.parametrize("value,valid,want", [
    ("20Gi", ["10Gi", "20Gi", "40Gi"], "20Gi"),          # exact match
    ("15Gi", ["10Gi", "20Gi", "40Gi"], "20Gi"),          # round up to next
    ("5Gi", ["10Gi", "20Gi", "40Gi"], "10Gi"),           # below minimum rounds to first
    ("50Gi", ["10Gi", "20Gi", "40Gi"], None),            # exceeds all values
    ("80Gi", ["80Gi"], "80Gi"),                          # single valid value exact
])
def test_round_to_valid_values(value, valid, want):
    got, err = round_to_policy(Q(value), {"validValues": valid})
    assert (got, bool(err)) == ((Q(want), False) if want else (None, True))
    if not want:
        assert err == f"request {50 * GI} exceeds all valid values"


@pytest.mark.parametrize("value,lo,hi,step,want", [
    ("20Gi", "1Gi", "80Gi", "1Gi", "20Gi"),              # already aligned
    ("15500Mi", "1Gi", "80Gi", "1Gi", "16Gi"),           # round up to step
    ("500Mi", "1Gi", "80Gi", "1Gi", "1Gi"),              # below min rounds to min
    ("81Gi", "1Gi", "80Gi", "1Gi", None),                # exceeds max after rounding
    ("15500Mi", "1Gi", "80Gi", None, "15500Mi"),         # no step no rounding
    ("15500Mi", None, "80Gi", "1Gi", "15500Mi"),         # step without min skips alignment
    ("25Gi", "10Gi", "80Gi", "20Gi", "30Gi"),            # large step alignment
    ("30Gi", "10Gi", "80Gi", "20Gi", "30Gi"),            # exact step boundary
])
def test_round_to_valid_range(value, lo, hi, step, want):
    rng = {k: v for k, v in (("min", lo), ("max", hi), ("step", step)) if v}
    got, err = round_to_policy(Q(value), {"validRange": rng})
    if want is None:
        assert got is None and err == f"rounded value {81 * GI} exceeds max {80 * GI}"
    else:
        assert got == Q(want) and not err


def _dev(name, value=None, policy=None):
    dev = {"name": name}
    if value is not None:
        dev["capacity"] = {"memory": {"value": value, **({"requestPolicy": policy}
                                                         if policy else {})}}
    return dev


NO_DIM = 'matched devices have no capacity dimension "memory"'
REJECT = ("capacity request cannot be satisfied by any matched device's RequestPolicy for "
          'dimension "memory"')


# TestComputeCapacityCharge, case by case
@pytest.mark.parametrize("devices,explicit,want,error", [
    ([_dev("gpu-0", "80Gi")], "20Gi", 20 * GI, ""),                          # explicit request
    ([_dev("gpu-0", "80Gi", {"default": "40Gi"})], None, 40 * GI, ""),       # device Default
    ([_dev("gpu-0", "80Gi", {"default": "40Gi"}),
      _dev("gpu-1", "100Gi", {"default": "10Gi"})], None, 40 * GI, ""),     # max of Defaults
    ([_dev("gpu-0")], None, None, NO_DIM),                                   # no dimension
    ([_dev("gpu-0", "80Gi", {"validValues": ["10Gi", "20Gi"]}),
      _dev("gpu-1", "80Gi", {"validValues": ["10Gi", "30Gi"]})], "50Gi", None, REJECT),
    ([_dev("gpu-0", "80Gi", {"validValues": ["10Gi"]}), _dev("gpu-1")], "50Gi", None, REJECT),
])
def test_capacity_charge_is_computed_as_kueue_computes_it(devices, explicit, want, error):
    got = capacity_charge_value(devices, "memory", 1, Q(explicit) if explicit else None)
    assert got == (want, error)


def test_full_capacity_when_nothing_is_asked_and_count_multiplies():
    # chargeForDevice default branch (capDim.Value), safeChargeValue x count
    assert capacity_charge_value([_dev("gpu-0", "80Gi")], "memory", 3, None) == (240 * GI, "")
    assert capacity_charge_value([_dev("gpu-0", "500m")], "memory", 1, None) == (1, "")


def test_quota_resource_is_the_classs_first_mapping():
    config = {"resources": {"deviceClassMappings": [
        {"name": "first", "deviceClassNames": ["gpu"]},
        {"name": "second", "deviceClassNames": ["gpu"], "sources": [
            {"capacity": {"name": "memory", "driver": "d"}}]}]}}
    got = capacity_sources(config)
    assert [(s.resource, s.name, s.driver) for s in got["gpu"]] == [("first", "memory", "d")]


# ---------------------------------------------------------------- check_dra_gang.py end to end

DRIVER = "gpu.example.com"
RES = "example.com/gpu-memory"
POLICY = {"default": "10Gi", "validRange": {"min": "1Gi", "max": "80Gi", "step": "1Gi"}}


def _cluster(quota: str, policy=None) -> str:
    devices = [{"name": f"gpu-{i}", "allowMultipleAllocations": True,
                "capacity": {"memory": {"value": "80Gi", **({"requestPolicy": policy}
                                                            if policy else {})}}}
               for i in (0, 1)]
    objs = [
        {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
         "metadata": {"name": "n1-gpus"},
         "spec": {"driver": DRIVER, "nodeName": "n1",
                  "pool": {"name": "n1", "generation": 1, "resourceSliceCount": 1},
                  "devices": devices}},
        {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass", "metadata": {"name": DRIVER},
         "spec": {"selectors": [{"cel": {"expression": f'device.driver == "{DRIVER}"'}}]}},
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "labels": {
            "kubernetes.io/hostname": "n1"}}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
         "metadata": {"name": "q", "namespace": "team-a"}, "spec": {"clusterQueue": "cq"}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
         "metadata": {"name": "cq"}, "spec": {"resourceGroups": [{
             "coveredResources": [RES], "flavors": [{
                 "name": "f", "resources": [{"name": RES, "nominalQuota": quota}]}]}]}},
    ]
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objs})


def _config(tmp_path, selector="true") -> str:
    path = tmp_path / "kueue.yaml"
    path.write_text(yaml.safe_dump({
        "apiVersion": "config.kueue.x-k8s.io/v1beta2", "kind": "Configuration",
        "resources": {"deviceClassMappings": [{
            "name": RES, "deviceClassNames": [DRIVER],
            "sources": [{"capacity": {"name": "memory", "driver": DRIVER, "deviceSelector": {
                "cel": {"expression": selector}}}}]}]}}))
    return str(path)


def _job(tmp_path, pods: int, count: int = 1, ask: str | None = None) -> str:
    cap = f", capacity: {{requests: {{memory: {ask}}}}}" if ask else ""
    path = tmp_path / "job.yaml"
    path.write_text(
        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
        "metadata: {name: t, namespace: team-a}\nspec:\n  spec:\n    devices:\n"
        f"      requests:\n      - name: g\n        exactly: {{deviceClassName: {DRIVER}, "
        f"count: {count}{cap}}}\n---\n"
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: team-a\n"
        f"  labels: {{kueue.x-k8s.io/queue-name: q}}\nspec:\n  parallelism: {pods}\n"
        "  template:\n    spec:\n      restartPolicy: Never\n      resourceClaims: "
        "[{name: g, resourceClaimTemplateName: t}]\n      containers: [{name: m, "
        "image: x, resources: {claims: [{name: g}]}}]\n")
    return str(path)


def _run(script, tmp_path, quota, policy=POLICY, selector="true", **job):
    dump = tmp_path / "dump.yaml"
    dump.write_text(_cluster(quota, policy))
    return script("check_dra_gang.py", "-f", _job(tmp_path, **job), "--cluster", str(dump),
                  "--kueue-config", _config(tmp_path, selector), "--json")


def _needs(r) -> str:
    return next(f for f in r.doc["findings"] if f["cause"] == "kueue_will_not_admit")["message"]


def test_default_request_is_charged_per_pod(script, tmp_path):
    # requestPolicy.default 10Gi per pod, 3 pods = 30Gi; the quota is in capacity, not devices
    r = _run(script, tmp_path, "30Gi", pods=3)
    assert r.code == 0 and not r.causes, r.doc
    r = _run(script, tmp_path, "29Gi", pods=3)
    assert f"needs {30 * GI} {RES}" in _needs(r)


def test_explicit_request_is_rounded_to_the_policy(script, tmp_path):
    # capacity.requests 15500Mi, validRange step 1Gi from 1Gi -> 16Gi (TestRoundToValidRange)
    r = _run(script, tmp_path, "31Gi", pods=2, ask="15500Mi")
    assert f"needs {32 * GI} {RES}" in _needs(r)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_will_not_admit")
    assert any("16Gi of capacity memory per pod" in e for e in found["evidence"]), found


def test_without_policy_the_whole_capacity_is_charged(script, tmp_path):
    r = _run(script, tmp_path, "100Gi", policy=None, pods=2)
    assert f"needs {160 * GI} {RES}" in _needs(r)


def test_kueue_errors_stop_the_workload(script, tmp_path):
    r = _run(script, tmp_path, "1Ti", pods=1, ask="81Gi")
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_counter_unmatched")
    assert f"Kueue: {REJECT}" in found["evidence"] and "kueue_will_not_admit" not in r.causes
    r = _run(script, tmp_path, "1Ti", pods=1, count=3)
    found = next(f for f in r.doc["findings"] if f["cause"] == "kueue_counter_unmatched")
    assert ("Kueue: insufficient matching devices for capacity driver: 2 device(s) match but "
            "3 requested") in found["evidence"]
    r = _run(script, tmp_path, "1Ti", pods=1, selector='device.driver == "other"')
    assert "kueue_counter_unmatched" in r.causes


def test_a_capacity_class_is_not_counted_in_devices(script, tmp_path):
    # claims.go l.224-226: the 2-device quota of old would refuse 3 pods; capacity decides
    r = _run(script, tmp_path, "2", pods=3)
    assert f"needs {30 * GI} {RES}" in _needs(r) and "needs 3 " not in _needs(r)
    assert Fraction(30 * GI) == Q("30Gi")
