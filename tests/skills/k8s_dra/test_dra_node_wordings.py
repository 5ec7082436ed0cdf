"""Node-side wordings (kubelet 1.36/1.37, the kubeletplugin helper, NVIDIA's DRA driver) and
what the finding tells the user to do.

Every message is the upstream format string at the cited version, filled the way the
component fills it (names are placeholders); none is taken from the script's output.
"""
from __future__ import annotations

import pytest

from _dra.reports import collect, findings

PREPARE = ("Failed to prepare dynamic resources: prepare dynamic resources: "
           "NodePrepareResources failed for ResourceClaim train-0-gpu-7xk2q: ")


def _first(message: str) -> dict:
    found = findings(collect([], [message]), None)
    assert found, message
    return found[0]


@pytest.mark.parametrize("message,cause,words", [
    # kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-kubelet-plugin/
    # computedomain.go:320, device_state.go:653,529,236, driver.go:270
    (PREPARE + "error preparing devices for claim 'team-a/train-0-channel-5n2qd:0d1c6f7e': "
     "prepare devices failed: error applying config: error adding Node label for "
     "ComputeDomain: label already exists for a different ComputeDomain",
     "driver_prepare_failed", ["resource.nvidia.com/computeDomain", "one domain at a time"]),
    # the same driver, cmd/gpu-kubelet-plugin/device_state.go:268,1251 (v0.4.1)
    (PREPARE + "error preparing devices for claim team-a/train-0-gpu-7xk2q:0d1c6f7e: unable to "
     "prepare claim 0d1c6f7e: requested device gpu-0 is already allocated to different claim "
     "7a41c2d0", "driver_prepare_failed", ["gpu-0", "7a41c2d0", "force-deleted"]),
    # the same driver at 95932046 cmd/gpu-kubelet-plugin/device_state.go:327,1520
    (PREPARE + "error preparing devices for claim team-a/train-0-gpu-7xk2q:0d1c6f7e: unable to "
     "prepare claim 0d1c6f7e: requested device gpu-0 has conflicting configuration with "
     "already prepared claim 7a41c2d0", "driver_prepare_failed", ["same config"]),
    # kubelet v1.37.2 pkg/kubelet/cm/dra/plugin/dra_plugin_manager.go:558,570 as the plugin
    # logs the kubelet's refusal (dynamic-resource-allocation v0.37.2 registrationserver.go:62)
    ("failed registration process: RegisterPlugin error -- plugin validation failed with err: "
     "invalid supported gRPC versions of DRA driver plugin gpu.example.com at endpoint "
     "/var/lib/kubelet/plugins/gpu.example.com/dra.sock: empty list of supported gRPC services "
     "(aka supported versions)", "driver_not_registered",
     ["gpu.example.com", "another Kubernetes version"]),
    # kubelet v1.36.0 pkg/kubelet/cm/dra/manager.go:763 (GetResources) through
    # pkg/kubelet/kuberuntime/kuberuntime_container.go "Error: %v" (event Failed)
    ("Warning  Failed  12s (x3 over 40s)  kubelet  Error: unable to get information for "
     "ResourceClaim train-0-gpu-7xk2q", "claim_deallocating", ["delete the pod", "1.37"]),
    # dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1388,1295 via kubelet
    # v1.37.2 pkg/kubelet/cm/dra/manager.go:428
    ("Failed to prepare dynamic resources: prepare dynamic resources: NodePrepareResources: rpc "
     "error: code = Unknown desc = get resource claims: retrieve claim team-a/train-0-gpu-7xk2q: "
     "the server could not find the requested resource", "dra_api_missing",
     ["kubectl api-versions"]),
    # kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-daemon/main.go:218, :76
    ("Error: CDI container edits did not apply -- is CDI enabled in your container runtime?",
     "cdi_not_enabled", ["enable_cdi"]),
    # the daemon pod's probe, v0.4.1 cmd/compute-domain-daemon/main.go:455
    ("Warning  Unhealthy  8s (x20 over 3m)  kubelet  Startup probe failed: Error: IMEX daemon "
     "not ready: NOT READY", "driver_prepare_failed", ["IMEX daemon", "status.nodes"]),
    # v0.4.1 pkg/featuregates/featuregates.go:210, cmd/gpu-kubelet-plugin/main.go:212, :77
    ("Error: feature gate validation failed: feature gate DynamicMIG is currently mutually "
     "exclusive with MPSSupport", "driver_not_registered", ["featureGates"]),
])
def test_node_wordings_and_their_fix(message, cause, words):
    found = _first(message)
    assert found["cause"] == cause, found
    said = f"{found['message']} {found['fix']}"
    for word in words:
        assert word in said, (word, said)


def test_a_grpc_wait_timeout_is_not_told_as_a_version_mismatch():
    # v1.35.0 pkg/kubelet/cm/dra/plugin/dra_plugin.go:123: the plugin's socket does not answer
    found = _first("Failed to prepare dynamic resources: prepare dynamic resources: "
                   "NodePrepareResources: rpc error: code = Unavailable desc = timed out "
                   "waiting for gRPC connection to be ready")
    assert found["cause"] == "driver_not_registered"
    assert "another Kubernetes version" not in found["message"]
