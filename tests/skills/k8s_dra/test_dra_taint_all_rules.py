"""A DeviceTaintRule whose deviceSelector names no driver, pool or device taints every
device (held-out round 9 family: kubernetes/kubernetes#141422, #141620).

Expected values: k8s.io/api resource/v1 types.go DeviceTaintRuleSpec.DeviceSelector (an
empty selector selects all devices; the maintainer in kubernetes#141422: "This is not a
bug"); kubernetes#141620: on v1.37.0 an omitted selector also tainted every device (fixed by
kubernetes#141648, cherry-picked to release-1.37 as #141998); the allocator skips a device
whose NoSchedule/NoExecute taint the request does not tolerate (dynamic-resource-allocation
v0.37.2 allocator_stable.go taintPreventsAllocation).
"""
from __future__ import annotations

import pytest
import yaml

EVENT = ("Warning  FailedScheduling  pod/train-0  0/1 nodes are available: 1 cannot allocate "
         "all claims.")


def _rule(selector="omit", effect="NoSchedule"):
    spec = {"taint": {"key": "example.com/maint", "value": "true", "effect": effect}}
    if selector != "omit":
        spec["deviceSelector"] = selector
    return {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceTaintRule",
            "metadata": {"name": "maint"}, "spec": spec}


@pytest.mark.parametrize("selector,effect,expected", [
    ("omit", "NoSchedule", "device_taint_not_tolerated"),     # v1.37.0: every device
    ({}, "NoExecute", "device_taint_not_tolerated"),          # empty: every device, any version
    ({"driver": "gpu.example.com"}, "NoSchedule", "claims_unallocatable"),   # scoped
    ({}, "None", "claims_unallocatable"),                     # effect None blocks nothing
])
def test_a_rule_that_selects_every_device_explains_cannot_allocate(script, tmp_path, selector,
                                                                   effect, expected):
    path = tmp_path / "paste.txt"
    path.write_text(yaml.safe_dump(_rule(selector, effect)) + "\n" + EVENT + "\n")
    r = script("explain_claim.py", "-f", str(path), "--json")
    first = r.doc["findings"][0]
    assert first["cause"] == expected, r.doc
    if expected == "device_taint_not_tolerated":
        assert "every device of every driver" in first["message"]
        assert "cannot allocate all claims" in " ".join(first["evidence"])


def test_manifest_in_a_markdown_list_item_is_read(script, tmp_path):
    # a fence indented under `2. Apply ...` (CommonMark list item content), as in #141620
    body = yaml.safe_dump(_rule()).splitlines()
    text = "2. Apply the rule:\n   ```yaml\n" + "".join(f"   {ln}\n" for ln in body) + \
        "   ```\n3. The pod now fails: `cannot allocate all claims`.\n"
    path = tmp_path / "paste.txt"
    path.write_text(text)
    r = script("explain_claim.py", "-f", str(path), "--json")
    assert r.doc["findings"][0]["cause"] == "device_taint_not_tolerated", r.doc
