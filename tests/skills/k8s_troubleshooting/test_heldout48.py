"""Held-out round 48: a program calling an NVML function the node's driver lacks, and the
NVIDIA runtime's prestart hook failing with a detail no other rule reads. Ground truth:
NVIDIA/k8s-device-plugin#66 (plugin 1.11 on a CUDA 8 era driver: the loader's `symbol lookup
error: ... undefined symbol: nvmlDeviceGetPciInfo_v3`; the maintainer: use the 1.10 image or a
newer driver) and NVIDIA/k8s-device-plugin#235 (the device plugin's container never starts on a
cgroup v2 node: `Running hook #0:: error running hook ... nvidia-container-cli: container
error: ...`; cgroup v2 support came with libnvidia-container 1.8.0)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import first_finding

SYMBOL = ("nvidia-device-plugin: symbol lookup error: nvidia-device-plugin: undefined symbol: "
          "nvmlDeviceGetPciInfo_v3\n")
HOOK = ("  Warning  Failed  2m (x5 over 4m)  kubelet  Error: failed to start container "
        "\"nvidia-device-plugin-ctr\": Error response from daemon: OCI runtime create failed: "
        "container_linux.go:367: starting container process caused: process_linux.go:495: "
        "container init caused: Running hook #0:: error running hook: exit status 1, stdout: "
        ", stderr: nvidia-container-cli: container error: cgroup subsystem devices not found: "
        "unknown\n")


@pytest.mark.parametrize("symbol", ["nvmlDeviceGetPciInfo_v3", "cuDevicePrimaryCtxRelease_v2"])
def test_an_nvml_or_cuda_driver_symbol_missing_is_a_driver_too_old(symbol):
    text = SYMBOL.replace("nvmlDeviceGetPciInfo_v3", symbol)
    first = first_finding("explain_gpu_failure.py", text)
    assert first["cause"] == "gpu_driver_mismatch", first
    assert "older than the program" in first["message"]
    assert _causes("triage.py", text)[0] == "gpu_driver_mismatch"


def test_a_cuda_library_symbol_is_not_the_driver():
    text = "python: symbol lookup error: libtorch.so: undefined symbol: cudnnGetVersion_v9\n"
    assert "gpu_driver_mismatch" not in _causes("explain_gpu_failure.py", text)


def test_the_hook_failing_is_the_container_not_starting():
    first = first_finding("explain_gpu_failure.py", HOOK)
    assert first["cause"] == "container_start_failed", first
    assert "libnvidia-container older than 1.8.0" in first["fix"]
    assert _causes("triage.py", HOOK)[0] == "container_start_failed"


def test_a_hook_detail_another_rule_reads_keeps_its_cause():
    text = HOOK.replace("container error: cgroup subsystem devices not found: unknown",
                        "initialization error: nvml error: driver not loaded")
    causes = _causes("explain_gpu_failure.py", text)
    assert causes[0] == "gpu_driver_mismatch" and "container_start_failed" not in causes
