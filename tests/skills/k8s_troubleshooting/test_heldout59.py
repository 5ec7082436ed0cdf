"""Held-out round 59: a CSI driver's node plugin absent from the pod's node, quoted on its own
in a report that also speaks of tolerations. Ground truth: kubernetes v1.37.2
pkg/volume/csi/csi_client.go:177 ("driver name %s not found in the list of registered CSI
drivers"), pkg/kubelet/kubelet_pods.go:2531 (ContainerCreating is the kubelet's waiting
reason: the pod is bound); kubernetes-sigs/aws-efs-csi-driver#122, fixed by #133 (the node
DaemonSet gained tolerations to run on every node)."""
from __future__ import annotations

import pytest

from .conftest import run_script

UNREGISTERED = "driver name efs.csi.aws.com not found in the list of registered CSI drivers"


def _findings(text: str) -> list[dict]:
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


@pytest.mark.parametrize("text", [
    f"the pod stays ContainerCreating with error:\n{UNREGISTERED}\n",
    f"Warning  FailedMount  kubelet  {UNREGISTERED}\n",
])
def test_an_unregistered_csi_driver_is_its_node_plugin_missing(text):
    first = _findings(text)[0]
    assert (first["cause"], first["basis"]) == ("mount_failed", "reported"), first
    assert "efs.csi.aws.com" in first["message"] and "tolerations" in first["fix"]


def test_tolerations_beside_containercreating_are_not_a_taint_refusal():
    # a pod the kubelet holds in ContainerCreating was scheduled: no taint kept it Pending
    text = ("When the pod doesn't have tolerations it mounts fine, but with tolerations the pod "
            "goes in \"ContainerCreating\" status\n")
    assert "unschedulable_taint" not in {f["cause"] for f in _findings(text)}


def test_a_pending_pod_without_the_toleration_still_is():
    text = "The pod stays Pending: it doesn't have the nvidia.com/gpu toleration.\n"
    assert _findings(text)[0]["cause"] == "unschedulable_taint"
