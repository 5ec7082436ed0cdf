"""The fault KWOK Stages are well-formed and join KWOK's defaults at `cluster up`.

Their behaviour on a real cluster is proven by tests/live/test_troubleshooting_live.py."""
from __future__ import annotations

from harness.cluster import fault_stages, kwok_stages


def test_fault_stages_are_weighted_and_skip_deleted_pods():
    stages = fault_stages.stages()
    names = [s["metadata"]["name"] for s in stages]
    assert len(names) == len(set(names)) and all(n.startswith("fault-") for n in names)
    for stage in stages:
        spec = stage["spec"]
        assert spec["weight"] == fault_stages.WEIGHT  # beats KWOK's weight-0 defaults
        keys = [e["key"] for e in spec["selector"]["matchExpressions"]]
        if spec["resourceRef"]["kind"] == "Pod":
            assert ".metadata.deletionTimestamp" in keys and ".spec.nodeName" in keys
        assert "annotations" not in " ".join(keys), "no tell-tale annotations"


def test_cluster_up_applies_defaults_then_faults():
    names = [s["metadata"]["name"] for s in kwok_stages.stages()]
    assert names[:5] == ["node-initialize", "node-heartbeat-with-lease", "pod-ready",
                         "pod-complete", "pod-delete"]
    assert names[5:] == [s["metadata"]["name"] for s in fault_stages.stages()]
