"""_dra/prose.py: what a DRA report says in words (basis inferred, warnings).

Every sentence is quoted from a public thread (the case folder under
tests/resources/real-world/dra/ names its URL); the expected cause is what that thread's
resolution established, not what the script prints.
"""
from __future__ import annotations

from _dra import prose


def _causes(text: str) -> list[str]:
    return [f["cause"] for f in prose.findings(text.splitlines())]


def test_class_said_not_created():
    # kubernetes-sigs/dra-driver-nvidia-gpu#136: the reporter's own resolution
    found = prose.findings(["the resourceclass is not created."])
    assert [(f["cause"], f["severity"], f["basis"]) for f in found] == \
        [("device_class_missing", "warning", "inferred")]
    assert found[0]["confirm"].startswith("kubectl get deviceclasses")


def test_class_and_slices_said_not_listed():
    # kubernetes-sigs/dra-driver-nvidia-gpu#438: the GPU part of the driver was disabled
    text = ("1. `kubectl get deviceclasses` doesn't include `gpu.nvidia.com`\n\n"
            "2. `kubectl get resourceslices` doesn't  include any resource with the driver "
            "`gpu.nvidia.com`\n")
    found = prose.findings(text.splitlines())
    assert [f["cause"] for f in found] == ["device_class_missing", "no_resource_slices"]
    assert found[0]["object"]["name"] == "gpu.nvidia.com"


def test_connection_to_kubelet_said_lost():
    # kubernetes-sigs/dra-example-driver#126: the plugin socket vanished after ~30 min idle
    text = ("Approximately 30 minutes post-deployment, the driver's Unix domain socket file "
            "disappeared from the output of ss -x on the node.\n\nThis loss of connection "
            "between the dra-example-driver and kubelet caused subsequent pod creation to "
            "hang in ContainerCreating and pod deletion to hang in Terminating.\n")
    assert _causes(text) == ["driver_not_registered"]


def test_a_sentence_wrapped_over_lines_is_read_whole():
    text = "The DeviceClass gpu.example.com\nwas never created by the chart.\n"
    assert _causes(text) == ["device_class_missing"]


def test_sentences_that_state_no_absence_say_nothing():
    # kubernetes-sigs/dra-driver-nvidia-gpu#1380 and google/dranet#141 (round 9): reports that
    # name DRA objects without saying one is missing
    for text in ("The ResourceClaim is successfully allocated and reserved, and "
                 "`NodePrepareResources` returns success.",
                 "When creating a pod using the same `ResourceClaimTemplate`, deletion and "
                 "recreation of the pod causes the pod to get stuck in `ContainerCreating`.",
                 "kubectl get deviceclasses shows gpu.nvidia.com and the resourceclass is "
                 "created."):
        assert _causes(text) == [], text
