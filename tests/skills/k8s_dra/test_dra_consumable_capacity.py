"""Consumable capacity (DRAConsumableCapacity, resource.k8s.io/v1, 1.34+): a device with
allowMultipleAllocations serves several claims while its capacities have room.

Ground truth: k8s.io/api resource/v1 types.go DeviceCapacity ("If unset, capacity requests are
unconstrained: requests can consume any amount of capacity, as long as the total consumed
across all allocations does not exceed the device's defined capacity. If request is also unset,
default is the full capacity value."; CapacityRequestPolicy default / validRange / validValues)
and the demo in sunya-ch/dra-example-driver (42cbba9) demo/consumablecapacity/requests/nic:
eth2 publishes egressbw 10G, one claim holds 5G of it, a second asking 8G stays
Unschedulable with "cannot allocate all claims" until the first pod is deleted
(tests/resources/dra/explain/consumable-capacity.yaml rebuilds those objects).
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from _dra.model import _capacity_need

from .conftest import RESOURCES

CASE: Path = RESOURCES / "explain" / "consumable-capacity.yaml"


def _with_request(tmp_path, amount: str | None) -> Path:
    docs = list(yaml.safe_load_all(CASE.read_text()))
    for doc in docs:
        if doc["kind"] == "ResourceClaim" and doc["metadata"]["name"] == "required-claim":
            exactly = doc["spec"]["devices"]["requests"][0]["exactly"]
            if amount is None:
                exactly.pop("capacity")
            else:
                exactly["capacity"]["requests"]["egressbw"] = amount
    path = tmp_path / "paste.yaml"
    path.write_text(yaml.safe_dump_all(docs))
    return path


def test_a_request_over_the_capacity_left_names_the_consumer(script, tmp_path):
    result = script("explain_claim.py", "-f", str(CASE), "--json")
    top = result.doc["findings"][0]
    assert top["cause"] == "insufficient_devices", top
    shared = [e for e in top["evidence"] if e.startswith("shareable device")]
    assert shared == ["shareable device worker/eth2: egressbw: needs 8G, 5G of 10G left "
                      "(consumed by default/preferred-claim)"], top["evidence"]


@pytest.mark.parametrize("amount", ["4G", None])  # 4G fits; no request takes the default 1G
def test_a_request_that_fits_the_capacity_left_is_no_device_problem(script, tmp_path, amount):
    result = script("explain_claim.py", "-f", str(_with_request(tmp_path, amount)), "--json")
    causes = [f["cause"] for f in result.doc["findings"] if f["severity"] == "error"]
    assert "insufficient_devices" not in causes, result.doc["findings"]


@pytest.mark.parametrize("asked, policy, need", [
    ("3G", {}, Fraction(3 * 10**9)),                                    # unconstrained
    (None, {}, Fraction(10 * 10**9)),                                   # the whole value
    (None, {"default": "1G"}, Fraction(10**9)),                         # the policy default
    ("500M", {"validRange": {"min": "1G"}}, Fraction(10**9)),           # up to the minimum
    ("1500M", {"validRange": {"min": "1G", "step": "1G"}}, Fraction(2 * 10**9)),  # a step
    ("3G", {"validValues": ["1G", "5G", "10G"]}, Fraction(5 * 10**9)),  # next valid value
])
def test_what_a_request_consumes(asked, policy, need):
    assert _capacity_need(asked, policy, Fraction(10 * 10**9)) == need
