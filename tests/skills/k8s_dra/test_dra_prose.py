"""_dra/prose.py: what a DRA report says in words (basis inferred, warnings).

Every sentence is quoted from a public thread (the case folder under
tests/resources/real-world/dra/ names its URL); the expected cause is what that thread's
resolution established, not what the script prints.
"""
from __future__ import annotations

import pytest

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


# States a report may say in words, each read as the cause the responsible component would
# have reported for it (ids and their components: skills/k8s-dra/references/causes.md; the
# wordings: the resourceclaim controller's template-not-found, the DynamicResourceAllocation
# gate in pkg/features/kube_features.go, the allocator's "CEL runtime error", the device taint
# eviction controller, the allocator's matchAttribute constraint).
@pytest.mark.parametrize("text, cause", [
    ("The ResourceClaimTemplate referenced by the pod does not exist, so the claim is never "
     "created.", "claim_template_missing"),
    ("The DynamicResourceAllocation feature gate is not enabled on the apiserver, so "
     "resource.k8s.io isn't served.", "dra_feature_disabled"),
    ("resource.k8s.io/v1beta1 is not served by the API server.", "dra_api_missing"),
    ("The CEL selector in the DeviceClass has a typo and fails to evaluate: no such key: model.",
     "selector_error"),
    ("The claim is stuck deallocating after the pod was deleted, and the new pod can't use the "
     "GPU.", "claim_deallocating"),
    ("The device is tainted by the driver (NoSchedule) and the claim doesn't tolerate the taint, "
     "so the pod is unschedulable.", "device_taint_not_tolerated"),
    ("The matchAttribute constraint requires both GPUs to share the same pciRoot, but no two "
     "devices on the node do.", "constraint_unsatisfiable"),
    ("No device matches the request: the selector asks for memory >= 80Gi but the GPUs have "
     "40Gi.", "no_matching_device"),
])
def test_a_state_said_plainly(text, cause):
    found = prose.findings([text])
    assert [(f["cause"], f["basis"]) for f in found][:1] == [(cause, "inferred")], found
    assert found[0]["confirm"]


@pytest.mark.parametrize("text", [
    "Device taints are a new alpha feature in 1.33.",
    "We enabled the DynamicResourceAllocation feature gate everywhere and it works.",
    "The ResourceClaimTemplate exists and the claim is generated.",
])
def test_a_state_not_said(text):
    assert _causes(text) == [], text
