"""Held-out round 82 (DRA).

1. A team's ops runbook (NVIDIA DRA driver 25.8.1 on a GB10 node): the GPU kubelet plugin's
   `gpus` container crash-loops with `error enumerating GPUs and MIG devices` / `error getting
   memory info for device 0: Not Supported`, pasted as two lines without the `error creating
   driver:` prefix -> no_resource_slices (the plugin is not registered either). Sources:
   kubernetes-sigs/dra-driver-nvidia-gpu v25.8.1 cmd/gpu-kubelet-plugin/nvlib.go:109 ("error
   enumerating GPUs and MIG devices: %w"), :128 ("error getting info for GPU %d: %w"), :180
   ("error getting memory info for device %d: %v"), device_state.go:67 ("error enumerating all
   possible devices: %w"), driver.go:50-72 (NewDeviceState runs before kubeletplugin.Start, so
   the plugin exits before it registers or publishes); v0.4.1 nvlib.go:177,185 (the newer
   wrappers), :478-486 (Not Supported ignored, PR #1121); issues 1073 and 1115 (GB10: "no GPU
   ResourceSlice is published").
"""
from __future__ import annotations

import pytest

from _dra.messages import classify

from .test_dra_heldout import _findings

# the held-out paste's two log lines (the runbook's fenced block), with a line of report text
RUNBOOK = """After fixing the driver root, the GPU kubelet-plugin's `gpus` container still went
into CrashLoopBackOff with:

```text
error enumerating GPUs and MIG devices
error getting memory info for device 0: Not Supported
```
"""

# v25.12.0's chain, one line as the container prints it on exit (issue 1073's paste)
V25_12 = ("I0423 20:52:13.460578       1 main.go:208] shutdown\n"
          "Error: error creating driver: error enumerating all possible devices: error "
          "enumerating allocatable devices: error visiting devices: error visiting device: error "
          "getting info for GPU 0: error getting memory info for device 0: Not Supported\n")


def _by_cause(found: list[dict]) -> dict[str, dict]:
    return {f["cause"]: f for f in found}


@pytest.mark.parametrize("script", ["check_dra.py", "explain_claim.py"])
def test_plugin_enumeration_failure_publishes_no_slices(script):
    found = _findings(RUNBOOK, script)
    first = found[0]
    assert (first["cause"], first["basis"]) == ("no_resource_slices", "reported"), found
    assert "not registered" in first["message"]
    # the inner line names the failing query, though the wrapper line comes first
    assert "memory info query for device 0 answered 'Not Supported'" in first["message"]
    assert first["confirm"].startswith("kubectl get resourceslices --field-selector "
                                       "spec.nodeName=")
    assert "v0.4.0" in first["fix"]


def test_the_whole_chain_reads_both_ways():
    # with 'error creating driver:' the established reading (driver_not_registered) stays
    # first and the enumeration adds that the node publishes nothing
    found = _findings(V25_12, "check_dra.py")
    causes = [f["cause"] for f in found if f["severity"] == "error"]
    assert causes[:2] == ["driver_not_registered", "no_resource_slices"], found
    assert "memory info query" in _by_cause(found)["no_resource_slices"]["message"]


@pytest.mark.parametrize("line", [
    # v0.4.1 klog structured error, another query (a GPU model newer than the release)
    'E0101 00:00:00.000000       1 main.go:290] "Error" err="error creating driver: error '
    'enumerating all possible devices: error enumerating allocatable devices: error visiting '
    'devices: error getting info for GPU 0: error getting architecture for device 0: unknown '
    'architecture"',
    # the compute-domain plugin's wrapper (v0.4.1 cmd/compute-domain-kubelet-plugin/nvlib.go:150)
    "error enumerating all possible devices: error enumerating ComputeDomain channel devices: "
    "error getting nvcap",
    # the inner query alone, as an excerpt shows it
    "error getting memory info for device 1: Unknown Error",
])
def test_other_enumeration_wordings(line):
    keys = [m.pattern.key for m in classify(line)]
    assert "nvidia-device-enumeration" in keys, keys


@pytest.mark.parametrize("line, cause", [
    # NVML's library did not load: the wrappers name enumeration, the cause is NVML's
    ("Error: error creating driver: error enumerating all possible devices: error enumerating "
     "GPUs and MIG devices: error initializing NVML: ERROR_LIBRARY_NOT_FOUND",
     "driver_not_registered"),
    # the same device query failing while a claim is prepared (v0.4.1 device_state.go:1002)
    ("error preparing devices for claim 6f1c: error discovering gpu by pci bus id: error "
     "visiting devices: error getting info for GPU 0: error getting memory info for device 0: "
     "Unknown Error", "driver_prepare_failed"),
    # ... or unprepared (v0.4.1 device_state.go:1000, a VFIO device's GPU looked up again)
    ("error unpreparing devices for claim team/train-gpu: error discovering gpu by pci bus id: "
     "error visiting devices: error getting info for GPU 0: error getting UUID for device 0: "
     "GPU is lost", "claim_deallocating"),
])
def test_near_misses_keep_their_reading(line, cause):
    found = _findings(line, "check_dra.py")
    causes = {f["cause"] for f in found}
    assert cause in causes and "no_resource_slices" not in causes, found


def test_a_release_that_ignores_not_supported_is_silent():
    # v0.4.1 nvlib.go:484 logs a warning and goes on: not a fault
    line = ("W0101 00:00:00.000000       1 nvlib.go:484] ignoring Not Supported for getting "
            "memory info for device 0\n")
    assert "nvidia-device-enumeration" not in [m.pattern.key for m in classify(line)]
