"""Device taints and shared counters (partitionable devices).

Ground truth:
- tests/resources/dra/live_taints_counters.yaml was captured from the local cluster
  (kube-scheduler v1.37.2, DRADeviceTaints GA, DRAPartitionableDevices beta-on): 4 devices of
  which 2 carry `example.com/unhealthy=ecc:NoSchedule`, a claim for 3 -> Pending; a pool
  whose one sharedCounters set (80Gi memory, 7 slices) feeds a full-GPU partition and two
  halves, the full one allocated to a running pod, a 4g half -> Pending. The scheduler kept
  both pods Pending with "cannot allocate all claims" (in the dump's events);
  tests/live/test_dra_partitions_live.py shows the proposed fixes get them scheduled.
- Toleration matching is resourceclaim.ToleratesTaint (k8s.io/dynamic-resource-allocation
  v0.37.2 resourceclaim/devicetoleration.go), the cases below are its documented rules.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-dra" / "scripts"
sys.path[:0] = [str(SCRIPTS), str(ROOT / "skills" / "_shared")]
from _dra.partitions import tolerates

DUMP = ROOT / "tests" / "resources" / "dra" / "live_taints_counters.yaml"
TAINT = {"key": "example.com/unhealthy", "value": "ecc", "effect": "NoSchedule"}


def explain(*args):
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_claim.py"), "-f", str(DUMP),
                           "--json", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_tainted_devices_named_with_the_toleration_that_would_admit_them():
    (found,) = [f for f in explain("tainted-wait") if f["cause"] == "device_taint_not_tolerated"]
    assert found["basis"] == "inferred" and found["confirm"]
    assert "example.com/unhealthy=ecc:NoSchedule" in found["message"]
    # it explains the scheduler's bare "cannot allocate all claims" (explain_claim REFINES):
    # the report comes first in its evidence, the tainted devices next
    assert "cannot allocate all claims" in found["evidence"][0]
    assert "dra-x-node/gpu-0, dra-x-node/gpu-1" in found["evidence"][1]
    assert "{key: example.com/unhealthy, operator: Equal, effect: NoSchedule, value: ecc}" \
        in found["fix"]


def test_partition_blocked_by_the_allocated_full_gpu():
    found = [f for f in explain("half-wait") if f["cause"] == "shared_counters_exhausted"]
    assert found, explain("half-wait")
    evidence = " ".join(found[0]["evidence"])
    assert "counter slices of set gpu-0-counters" in evidence and "needs 4, 0 left of 7" in \
        evidence
    assert "needs 40Gi, 0 left of 80Gi" in evidence
    assert "dra-x-node/gpu-0-full" in evidence


def test_the_running_holder_is_allocated():
    assert not [f for f in explain("full-holder") if f["severity"] == "error"]


@pytest.mark.parametrize("toleration, expected", [
    ({"key": "example.com/unhealthy", "operator": "Equal", "value": "ecc"}, True),
    ({"key": "example.com/unhealthy", "value": "ecc"}, True),          # "" operator = Equal
    ({"key": "example.com/unhealthy", "value": "other"}, False),
    ({"key": "example.com/unhealthy", "operator": "Exists"}, True),
    ({"operator": "Exists"}, True),                                    # every key
    ({"operator": "Exists", "effect": "NoExecute"}, False),            # effect must match
    ({"key": "example.com/unhealthy", "operator": "Exists", "effect": "NoSchedule"}, True),
    ({"key": "other", "operator": "Exists"}, False),
    ({"key": "example.com/unhealthy", "operator": "Gt", "value": "1"}, False),
])
def test_toleration_rules(toleration, expected):
    assert tolerates(toleration, TAINT) is expected


RECREATED = ROOT / "tests" / "resources" / "dra" / "live_taint_recreated_pod.yaml"


def test_an_earlier_pods_scheduled_event_does_not_make_the_recreated_pod_scheduled():
    """Captured from the real cluster (see the file's header): the pod evicted by a NoExecute
    DeviceTaintRule was created again and is Pending (PodScheduled False, 'cannot allocate all
    claims'), while the evicted pod's Scheduled event (another uid) is still listed. The rule
    still explains the scheduler's message; the old event must not make it moot (CI stop 27)."""
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_claim.py"), "-f",
                           str(RECREATED), "-n", "t-1b0ab946", "train", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    assert [f["cause"] for f in found] == ["device_taint_not_tolerated"], found
    assert any("DeviceTaintRule t-1b0ab946-drain" in e for e in found[0]["evidence"])
    assert "effect: NoExecute" in found[0]["fix"]
