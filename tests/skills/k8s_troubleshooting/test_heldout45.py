"""Held-out round 45: the GPU Operator's toolkit that cannot signal containerd, the kubelet
refusing a pod whose devices the plugin could not allocate, and an MPI worker name that does
not resolve for ping. Ground truth: NVIDIA/gpu-operator#406 (RKE2: the toolkit's `Error
signaling containerd, attempt 5/6: unable to dial ...`, nvidia-container-toolkit tools/container
containerd.go; fixed with CONTAINERD_CONFIG/CONTAINERD_SOCKET); NVIDIA/k8s-device-plugin#2038
(UnexpectedAdmissionError `Allocate failed due to device plugin GetPreferredAllocation rpc
failed ...`, kubernetes pkg/kubelet/cm/admission/errors.go); volcano-sh/volcano#778 (`ping:
unknown host <job>-mpiworker-0.<job>` with hostNetwork: true, fixed by volcano PR #779)."""
from __future__ import annotations

import pytest

from .conftest import run_script


def _first(script: str, text: str) -> dict:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    return res.doc["findings"][0]


def test_toolkit_cannot_reach_containerd():
    text = ('time="2022-09-19T11:52:23Z" level=warning msg="Error signaling containerd, attempt '
            '5/6: unable to dial: dial unix /runtime/sock-dir/containerd.sock: connect: no such '
            'file or directory"\n')
    first = _first("explain_gpu_failure.py", text)
    assert first["cause"] == "nvidia_runtime_not_default" and "CONTAINERD_SOCKET" in first["fix"]


@pytest.mark.parametrize("event", [
    "Warning  UnexpectedAdmissionError  pod/x  Allocate failed due to device plugin "
    "GetPreferredAllocation rpc failed with err: rpc error: code = Unknown desc = error getting "
    "list of preferred allocation devices: unable to get device link information: ...",
    "Warning  UnexpectedAdmissionError  12s  kubelet  Allocate failed due to requested number of "
    "devices unavailable for nvidia.com/gpu. Requested: 1, Available: 0, which is unexpected",
])
def test_device_admission_refusal(event):
    first = _first("explain_gpu_failure.py", event + "\n")
    assert first["cause"] == "kubelet_admission_rejected" and "device plugin" in first["fix"]


def test_a_lost_gpu_ranks_before_the_admission_refusal_it_causes():
    text = ("NVRM: Xid (PCI:0000:3b:00): 79, pid=0, GPU has fallen off the bus.\n"
            "Warning  UnexpectedAdmissionError  pod/x  Allocate failed due to device plugin "
            "GetPreferredAllocation rpc failed\n")
    assert _first("explain_gpu_failure.py", text)["cause"] == "gpu_xid_hardware"


@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "check_training.py"])
@pytest.mark.parametrize("lines", [
    "lm-mpi-job-mpiworker-0.lm-mpi-job\nping: unknown host lm-mpi-job-mpiworker-0.lm-mpi-job\n",
    "$ cat /etc/mpi/hostfile\npi-worker-0.pi-worker slots=1\n"
    "ping: pi-worker-0.pi-worker: Name or service not known\n",
])
def test_an_mpi_worker_name_ping_cannot_resolve(script, lines):
    first = _first(script, lines)
    assert first["cause"] == "mpi_worker_dns_unresolved" and "ClusterFirstWithHostNet" in \
        first["fix"]


def test_ping_of_another_host_is_not_an_mpi_worker():
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json",
                     stdin="ping: unknown host example.internal\n")
    assert "mpi_worker_dns_unresolved" not in [f["cause"] for f in res.doc["findings"]]


# NVIDIA/nvidia-docker#1348 (driver 435.21: "That usually points to a driver installation
# problem", fixed by another driver release)
def test_the_hooks_nvml_unknown_error_is_the_nodes_driver():
    text = ("stderr: nvidia-container-cli: detection error: nvml error: unknown error\\n\\\"\"\": "
            "unknown.\n")
    first = _first("explain_gpu_failure.py", text)
    assert first["cause"] == "gpu_driver_mismatch" and "nvidia-smi on the node" in first["fix"]
