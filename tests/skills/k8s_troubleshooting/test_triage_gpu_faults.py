"""triage.py on GPU messages that are not memory pressure: it must not call them CUDA OOM.

Texts as their threads give them:
- kubernetes#97131 (and k8s-device-plugin#231): the kubelet's admission error quoting the
  device plugin's `nvml: GPU is lost` (NVML_ERROR_GPU_IS_LOST, nvml.h: "The GPU has fallen
  off the bus or has otherwise become inaccessible");
- nvidia-container-toolkit#48: `Failed to initialize NVML: Unknown Error` inside a container
  that worked before (its device-cgroup access was lost);
- cudaGetErrorString(cudaErrorIllegalAddress) "an illegal memory access was encountered" as
  PyTorch raises it (`RuntimeError: CUDA error: ...`);
- PyTorch's C10D_NCCL_CHECK text with ncclGetErrorString(ncclSystemError) (nccl src/init.cc).
"""
from __future__ import annotations

import pytest

from .conftest import run_script

GPU_LOST = (
    "the pod description gives this message:\n\n"
    "`Message:        Pod Allocate failed due to device plugin GetPreferredAllocation rpc failed "
    "with err: rpc error: code = Unknown desc = Unable to retrieve list of available devices: "
    "error creating nvml.Device 5: nvml: GPU is lost, which is unexpected\n`\n\n"
    "bash$ kubectl get pods\n"
    "NAME          READY   STATUS                     RESTARTS   AGE\n"
    "rojin-2q6ld   0/1     UnexpectedAdmissionError   0          4s\n")


@pytest.mark.parametrize("text, said, unsaid", [
    (GPU_LOST, "GPU is lost", "out of memory"),
    ("Failed to initialize NVML: Unknown Error", "lost access to its GPU devices",
     "out of memory"),
    ("RuntimeError: CUDA error: an illegal memory access was encountered", "CUDA call failed",
     "CUDA OOM"),
    ("torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/"
     "ProcessGroupNCCL.cpp:1275, unhandled system error, NCCL version 2.18.1",
     "NCCL's collective communication failed", "CUDA OOM"),
])
def test_gpu_fault_is_named_not_called_oom(tmp_path, text, said, unsaid):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = run_script("triage.py", "-f", str(path), "--json")
    top = result.doc["findings"][0]
    assert said in top["message"] and unsaid not in top["message"]
    assert unsaid not in top["fix"].split(";")[0]


@pytest.mark.parametrize("text", [
    "RuntimeError: CUDA error: out of memory",  # cudaErrorMemoryAllocation's string
    "RuntimeError: CUDA out of memory. Tried to allocate 844.00 MiB",  # the caching allocator
])
def test_cuda_out_of_memory_stays_gpu_memory(tmp_path, text):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    top = run_script("triage.py", "-f", str(path), "--json").doc["findings"][0]
    assert (top["cause"], "CUDA OOM" in top["message"]) == ("gpu_pressure", True)


# The cause id is the fault's own (explain_gpu_failure's ids), not the CUDA-OOM id: a GPU
# fallen off the bus, lost device access, a driver/library mismatch, and no driver loaded
# (NVML_ERROR_DRIVER_NOT_LOADED "Driver Not Loaded", nvml.h, as libnvidia-container's hook
# prints it: `nvidia-container-cli: initialization error: nvml error: driver not loaded`).
@pytest.mark.parametrize("text, cause", [
    (GPU_LOST, "gpu_xid_hardware"),
    ("Failed to initialize NVML: Unknown Error", "gpu_device_access_lost"),
    ("Failed to initialize NVML: Driver/library version mismatch", "gpu_driver_mismatch"),
    ("Error: failed to create containerd task: failed to create shim task: OCI runtime create "
     "failed: runc create failed: unable to start container process: error during container "
     "init: error running hook #0: error running hook: exit status 1, stdout: , stderr: "
     "Auto-detected mode as 'legacy' nvidia-container-cli: initialization error: nvml error: "
     "driver not loaded: unknown", "gpu_driver_mismatch"),
])
def test_gpu_fault_has_its_own_cause(tmp_path, text, cause):
    path = tmp_path / "paste.txt"
    path.write_text(text + "\n")
    top = run_script("triage.py", "-f", str(path), "--json").doc["findings"][0]
    assert top["cause"] == cause, top


def test_nvml_library_missing_is_not_called_a_driver_fault(tmp_path):
    # k8s-device-plugin#23: the container started without the NVIDIA runtime, which injects
    # libnvidia-ml; the driver itself was fine
    path = tmp_path / "paste.txt"
    path.write_text("loading NVML\nFailed to start nvml with error:  could not load NVML "
                    "library\n")
    found = run_script("explain_gpu_failure.py", "-f", str(path), "--json").doc["findings"]
    assert "gpu_driver_mismatch" not in [f["cause"] for f in found], found
