"""Held-out round 56 (pods, nodes). Ground truth per test: the public thread and the upstream
source named beside it."""
from __future__ import annotations

from .conftest import paste_findings

_run = paste_findings

# kubectl prints Terminating for a pod with a deletionTimestamp not yet in a terminal phase
# (k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go:1104-1107);
# evryfs/github-actions-runner-operator#212: the operator's pod finalizer was never removed
# once its own CR was deleted first
ROWS = """NAMESPACE   NAME                 READY   STATUS        RESTARTS   AGE
runners     pool-pod-fhthp       0/3     Terminating   0          4m50s
runners     pool-pod-wfs62       0/3     Terminating   0          4m50s
operator    runner-operator-59   1/1     Running       0          5m26s
"""


def test_pods_shown_terminating_are_a_deletion_that_has_not_completed():
    found = _run("triage.py", ROWS)
    assert found[0]["cause"] == "stuck_terminating" and found[0]["basis"] == "inferred"
    assert "finalizers" in found[0]["fix"] and "--grace-period=0 --force" in found[0]["fix"]
    assert "deletionTimestamp" in found[0]["confirm"]


def test_pending_rows_alone_still_cannot_be_told():
    pending = ROWS.replace("Terminating", "Pending    ")
    assert [f["cause"] for f in _run("triage.py", pending)] == ["not_evaluated"]


# CUDA's "driver version is insufficient" beside a driver that runs every runtime of the
# named CUDA major (minor version compatibility: NVIDIA CUDA Compatibility guide; 12.x needs
# >= 525.60.13): the container found no driver (SYSTRAN/faster-whisper#1259: host driver
# 550.144.03 / CUDA 12.4, fixed by requesting nvidia.com/gpu)
INSUFFICIENT = ("RuntimeError: CUDA failed with error CUDA driver version is insufficient for "
                "CUDA runtime version\n")
HOST_SMI = "| NVIDIA-SMI 550.144.03             Driver Version: 550.144.03     CUDA Version: 12.4 |\n"


def test_insufficient_beside_a_new_enough_driver_is_a_driver_not_seen():
    found = _run("explain_gpu_failure.py", INSUFFICIENT + HOST_SMI)
    assert found[0]["cause"] == "gpu_libraries_not_visible"
    assert "nvidia.com/gpu" in found[0]["fix"]


def test_insufficient_beside_a_driver_older_than_the_named_runtime_stays_a_mismatch():
    # gpu-operator#277's kind: a CUDA 12 image on a driver of CUDA 11.0 (450)
    old = HOST_SMI.replace("550.144.03", "450.80.02").replace("CUDA Version: 12.4",
                                                              "CUDA Version: 11.0")
    found = _run("explain_gpu_failure.py", INSUFFICIENT + old + "image: nvidia/cuda:12.2.0-base\n")
    assert found[0]["cause"] == "gpu_driver_mismatch"


def test_insufficient_alone_stays_a_mismatch():
    assert _run("explain_gpu_failure.py", INSUFFICIENT)[0]["cause"] == "gpu_driver_mismatch"


# NVIDIA/k8s-device-plugin#229 (and #399, the maintainer's fix): with MIG on, the plugin
# crashes on NVML's insufficient permissions for MIG devices; nvidia.com/gpu shows 0
MIG_SAID = ("once i turn on mig on a dgx-a100 device plugin pod crashes and the log states that "
            "it doesnt have sufficient permissions to bring call mig devices.\n"
            "Since the pod crashed, the resource under nvidia.com/gpu showed 0.\n")


def test_a_zero_gpu_resource_beside_a_failing_plugin_said_in_words():
    found = _run("explain_gpu_failure.py", MIG_SAID)
    assert found[0]["cause"] == "gpu_not_advertised" and found[0]["basis"] == "inferred"
    assert "NVIDIA_MIG_MONITOR_DEVICES=all" in found[0]["fix"]


def test_a_zero_gpu_resource_alone_is_not_enough():
    words = "the resource under nvidia.com/gpu showed 0 after the upgrade.\n"
    assert "gpu_not_advertised" not in [f["cause"] for f in _run("explain_gpu_failure.py", words)]
