"""Held-out round 44: NCCL failing on an address it never filled in, and a container that finds
no NVIDIA user-space at all. Ground truth: NVIDIA/nccl#1837 (NCCL_SOCKET_IFNAME naming an
interface the host does not have: ncclFindInterfaces finds none, no warning, then
misc/socket.cc ncclSocketInit's `connecting to address %s with family %d is neither AF_INET(%d)
nor AF_INET6(%d)`; `Net : ...` in ncclSocketConnect before 2.12); kubeflow/notebooks#68 (the
kernel module loaded, nvidia-smi absent, PyTorch's `Found no NVIDIA driver on your system`, from
c10/cuda/CUDAFunctions.cpp device_count_impl when the driver version is 0; fixed with
runtimeClassName: nvidia)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import run_script

_IFNAME = "[3] NCCL INFO NCCL_SOCKET_IFNAME set by environment to eth2\n"


@pytest.mark.parametrize("line", [
    "[0]:ncclSocketInit: connecting to address  with family 59936 is neither AF_INET(2) nor "
    "AF_INET6(10)",
    "node-1:77:90 [0] NCCL WARN Net : connecting to address <unknown> with family 0 is neither "
    "AF_INET(2) nor AF_INET6(10)",
])
@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "check_training.py"])
def test_an_address_never_filled_in_is_no_matching_interface(line, script):
    res = run_script(script, "-f", "-", "--json", stdin=_IFNAME + line + "\n")
    first = res.doc["findings"][0]
    assert first["cause"] == "nccl_network_error", first
    assert "NCCL_SOCKET_IFNAME" in first["fix"]


@pytest.mark.parametrize("line", [
    "RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA "
    "GPU and installed a driver from http://www.nvidia.com/Download/index.aspx",
    "bash: nvidia-smi: command not found",
    "sh: 1: nvidia-smi: not found",
])
def test_no_user_space_driver_in_the_container(line):
    text = ("NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.129.03  Thu Oct 19 18:56:32 UTC "
            "2023\n" + line + "\n")
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_libraries_not_visible", first
    assert "runtimeClassName: nvidia" in first["fix"]


def test_triage_reads_it_in_a_pod_log():
    text = ("$ kubectl logs test-gpu-0\n"
            "RuntimeError: Found no NVIDIA driver on your system. Please check that you have an "
            "NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx\n")
    assert _causes("triage.py", text)[0] == "gpu_libraries_not_visible"


def test_smi_found_is_not_read_as_missing():
    text = "$ nvidia-smi\nNVIDIA-SMI 535.129.03   Driver Version: 535.129.03   CUDA Version: 12.2\n"
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    assert "gpu_libraries_not_visible" not in [f["cause"] for f in res.doc["findings"]]
