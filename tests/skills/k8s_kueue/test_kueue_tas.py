"""Topology-aware scheduling messages, read as Kueue writes them.

Every message is built with the format strings of kueue v0.19.2
pkg/cache/scheduler/tas_flavor_snapshot.go (notFitMessage l.1997-2017,
multiLayerNotFitMessage l.2029-2068, tasExclusionStats.formatReasons l.500-522,
findLevelWithFitDomains l.1342) and, for the older wording, v0.9.0-v0.12.x
pkg/cache/tas_flavor_snapshot.go ("... out of %v pod(s)", no exclusion stats)."""
from __future__ import annotations

import json
import sys

import pytest

from .conftest import SCRIPTS

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue import tas as _kueue_tas


def _not_fit(topology: str, fit: int, total: int, unit: str = "pod", excluded: str = "",
             nodes: int = 0) -> str:
    """notFitMessage, v0.19.2 l.1997-2017."""
    if fit == 0:
        text = f'topology "{topology}" doesn\'t allow to fit any of {total} {unit}(s)'
    else:
        text = f'topology "{topology}" allows to fit only {fit} out of {total} {unit}(s)'
    if excluded:
        text += f". Total nodes: {nodes}; excluded: {excluded}"
    return text


def _multi_layer(topology: str, layers: list[tuple[int, int, str]]) -> str:
    """multiLayerNotFitMessage, v0.19.2 l.2029-2068."""
    text = f'topology "{topology}" doesn\'t allow to fit'
    for fit, need, level in layers:
        text += f"; {fit}/{need} slice(s) fit on level {level}"
    return text


FA = "couldn't assign flavors to pod set worker: "


@pytest.mark.parametrize("message,expected", [
    (_not_fit("default", 3, 8), {"topology": "default", "fit": 3, "total": 8, "unit": "pod"}),
    (_not_fit("default", 0, 8), {"topology": "default", "fit": 0, "total": 8, "unit": "pod"}),
    (_not_fit("tpu", 1, 4, "slice"), {"topology": "tpu", "fit": 1, "total": 4,
                                      "unit": "slice"}),
    # v0.9.0 wording: %v instead of %d gives the same text
    ('topology "default" allows to fit only 2 out of 4 pod(s)',
     {"topology": "default", "fit": 2, "total": 4, "unit": "pod"}),
    (_not_fit("default", 3, 8, excluded='nodeSelector: 2, resource "nvidia.com/gpu": 4, '
              'taint "gpu=true:NoSchedule": 1', nodes=10),
     {"topology": "default", "fit": 3, "total": 8, "unit": "pod", "nodes": 10,
      "excluded": {"nodeSelector": 2, 'resource "nvidia.com/gpu"': 4,
                   'taint "gpu=true:NoSchedule"': 1}}),
    (_multi_layer("default", [(2, 4, "cloud.example.com/block"),
                              (1, 8, "kubernetes.io/hostname")]),
     {"topology": "default", "layers": [
         {"fit": 2, "need": 4, "level": "cloud.example.com/block"},
         {"fit": 1, "need": 8, "level": "kubernetes.io/hostname"}]}),
    ("no topology domains at level: cloud.example.com/rack",
     {"no_domains_level": "cloud.example.com/rack"}),
    ("insufficient unused quota for cpu in flavor default, 2 more needed", {}),
])
def test_parse_reads_the_numbers_kueue_wrote(message, expected):
    assert _kueue_tas.parse(FA + message) == expected


def _workload(request: dict | None = None, annotations: dict | None = None,
              message: str = "") -> dict:
    podset: dict = {"name": "worker", "count": 8, "template": {
        "metadata": {"annotations": annotations or {}},
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]}}}
    if request is not None:
        podset["topologyRequest"] = request
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Workload",
            "metadata": {"name": "job-train-1", "namespace": "team"},
            "spec": {"queueName": "lq", "podSets": [podset]},
            "status": {"conditions": [{"type": "QuotaReserved", "status": "False",
                                       "reason": "Pending", "message": FA + message}]}}


@pytest.mark.parametrize("wl,expected", [
    (_workload({"required": "cloud.example.com/rack"}),
     {"worker": ("required", "cloud.example.com/rack")}),
    (_workload({"preferred": "cloud.example.com/block"}),
     {"worker": ("preferred", "cloud.example.com/block")}),
    (_workload({"unconstrained": True}), {"worker": ("unconstrained", "")}),
    (_workload(None, {_kueue_tas.REQUIRED: "cloud.example.com/rack"}),
     {"worker": ("required", "cloud.example.com/rack")}),
    (_workload(None), {}),
])
def test_requests_read_topology_request_or_annotations(wl, expected):
    assert _kueue_tas.requests(wl) == expected


def test_required_level_names_one_domain():
    msg = _not_fit("default", 3, 8)
    text = _kueue_tas.summary(_workload({"required": "cloud.example.com/rack"}), "worker",
                              FA + msg)
    assert "only 3 of the 8 pod(s)" in text
    assert "one domain of the required level cloud.example.com/rack" in text


def test_preferred_level_names_the_whole_topology():
    """findLevelWithFitDomains climbs above a preferred level and fails at the top only."""
    text = _kueue_tas.summary(_workload({"preferred": "cloud.example.com/block"}), "worker",
                              FA + _not_fit("default", 5, 8))
    assert "only 5 of the 8 pod(s)" in text and "whole topology" in text


def test_layers_name_the_worst_level():
    msg = _multi_layer("default", [(2, 4, "cloud.example.com/block"),
                                   (7, 8, "kubernetes.io/hostname")])
    text = _kueue_tas.summary(_workload({"required": "cloud.example.com/rack"}), "worker",
                              FA + msg)
    assert "only 2 of 4 slice(s) fit on level cloud.example.com/block" in text


def test_explain_pending_names_level_count_and_exclusions(script):
    msg = _not_fit("default", 3, 8, excluded='resource "nvidia.com/gpu": 4', nodes=10)
    wl = _workload({"required": "cloud.example.com/rack"}, message=msg)
    result = script("explain_pending.py", "-f", "-", "--json", stdin=json.dumps(wl))
    assert result.code == 1, result.err if hasattr(result, "err") else ""
    finding = result.doc["findings"][0]
    assert finding["cause"] == "topology_unfit"
    assert "only 3 of the 8 pod(s)" in finding["message"]
    assert "cloud.example.com/rack" in finding["message"]
    evidence = " ".join(finding["evidence"])
    assert 'resource "nvidia.com/gpu": 4' in evidence and "10 nodes" in evidence
    assert _kueue_tas.PREFERRED in evidence


@pytest.mark.parametrize("message,needle", [
    # tas_flavorassigner.go v0.19.2 l.193 (v0.9+)
    ('Flavor "tas-gpu" does not contain the requested level',
     "flavor tas-gpu has a Topology without the level cloud.example.com/rack"),
    # tas_flavor_snapshot.go v0.19.2 l.936
    ("no requested topology level: cloud.example.com/rack",
     "the flavor has a Topology without the level cloud.example.com/rack"),
])
def test_missing_level_is_named(script, message, needle):
    wl = _workload({"required": "cloud.example.com/rack"}, message=message)
    finding = script("explain_pending.py", "-f", "-", "--json",
                     stdin=json.dumps(wl)).doc["findings"][0]
    assert finding["cause"] == "topology_unfit"
    assert needle in finding["message"]
