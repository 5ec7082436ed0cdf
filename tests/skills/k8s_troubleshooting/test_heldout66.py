"""Held-out round 66 (pods-nodes GPU and training). Expected values come from the upstream
source or the public thread named at each test, never from the scripts:

- PyTorch's DataLoader on a full /dev/shm, no collective: the worker's SIGBUS handler
  "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient
  shared memory (shm)." and the parent's "DataLoader worker (pid %d) is killed by signal: %s. "
  + "It is possible that dataloader's workers are out of shared memory. Please try to raise
  your shared memory limit." (torch/csrc/DataLoader.cpp at pytorch/pytorch@03d4ef67;
  pytorch/pytorch#16979: the maintainer's answer is to raise the shared memory limit) is the
  pod's /dev/shm (dev_shm_exhausted); NCCL's own "Error: failed to extend /dev/shm/nccl-%s to
  %zu bytes" (nccl src/misc/shmutils.cc) stays the collective transport's (nccl_shm_exhausted);
- gpu-feature-discovery's "Unexpected error: %v" around "Error generating NVML labels: %v" /
  "Error generating common labels: %v" / "Error getting device: %v" (NVIDIA/gpu-feature-discovery
  main.go@v0.4.1:59, :98, :183, :237) and "error generating labels: %v" (cmd/gpu-feature-
  discovery/main.go@v0.8.2:180), "error getting mig capability: %v" (internal/lm/nvml.go
  @v0.8.2:126), with NVML_ERROR_NO_PERMISSION's "Insufficient Permissions": the operator's
  pods lost MIG monitor access and the node advertises no GPU (NVIDIA/gpu-operator#322);
- GKE's driver installer "GPU driver auto installation is disabled." / "Waiting for GPU driver
  libraries to be available." (GoogleCloudPlatform/container-engine-accelerators#402, #407: no
  driver is installed until a driver version is selected).
"""
from __future__ import annotations

from typing import Any

import pytest

from .conftest import run_script


def _findings(script: str, text: str) -> list[dict[str, Any]]:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    found: list[dict[str, Any]] = res.doc["findings"]
    return found


def _causes(script: str, text: str) -> list[str]:
    return [f["cause"] for f in _findings(script, text)]


# --- PyTorch DataLoader's /dev/shm vs NCCL's shared-memory transport ----------------------------
# pytorch/pytorch#16979 as the user pasted it (a 1.0-era release: the parent's line has no hint)
ISSUE_16979 = (
    "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient "
    "shared memory (shm).\n\n    for input_dict in self.train_loader:\n  File \"/usr/local/lib/"
    "python2.7/dist-packages/torch/utils/data/dataloader.py\", line 631, in __next__\n"
    "    idx, batch = self._get_batch()\n  File \"/usr/local/lib/python2.7/dist-packages/torch/"
    "utils/data/dataloader.py\", line 274, in handler\n    _error_if_any_worker_fails()\n"
    "RuntimeError: DataLoader worker (pid 125) is killed by signal: Bus error. \n")


def test_dataloader_bus_error_is_the_pods_dev_shm() -> None:
    (found,) = _findings("check_training.py", ISSUE_16979)
    assert (found["cause"], found["basis"]) == ("dev_shm_exhausted", "reported")
    assert "/dev/shm" in found["fix"]


@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "check_training.py"])
def test_dataloader_parent_line_of_a_later_release_behind_a_log_prefix(script: str) -> None:
    # DataLoader.cpp THPModule_errorIfAnyWorkerFails: strsignal(SIGBUS) plus the shm hint, as
    # `kubectl logs --prefix` prints it
    text = ("[pod/train-0/pytorch] RuntimeError: DataLoader worker (pid 12902) is killed by "
            "signal: Bus error. It is possible that dataloader's workers are out of shared "
            "memory. Please try to raise your shared memory limit.\n")
    assert _causes(script, text)[0] == "dev_shm_exhausted"


def test_nccls_own_shm_error_stays_the_transports() -> None:
    # nccl src/misc/shmutils.cc ncclShmOpen: "Error: failed to extend %s to %ld bytes"
    text = ("train-0:52:60 [0] misc/shmutils.cc:72 NCCL WARN Error: failed to extend "
            "/dev/shm/nccl-pZafXL to 7340384 bytes\n")
    assert _causes("explain_gpu_failure.py", text) == ["nccl_shm_exhausted"]


def test_both_users_of_dev_shm_in_one_paste_are_both_named() -> None:
    text = ("misc/shmutils.cc:72 NCCL WARN Error: failed to extend /dev/shm/nccl-Ab12Cd to "
            "9637892 bytes\nERROR: Unexpected bus error encountered in worker. This might be "
            "caused by insufficient shared memory (shm).\n")
    causes = _causes("explain_gpu_failure.py", text)
    assert {"nccl_shm_exhausted", "dev_shm_exhausted"} <= set(causes)


def test_dataloader_segfault_is_not_the_shm_fault() -> None:
    # DataLoader.cpp SIGNAL_HANDLER(SIGSEGV, ...): the same handler family, no shm hint
    text = ("ERROR: Unexpected segmentation fault encountered in worker.\nRuntimeError: "
            "DataLoader worker (pid 77) is killed by signal: Segmentation fault.\n")
    causes = _causes("explain_gpu_failure.py", text)
    assert not {"dev_shm_exhausted", "nccl_shm_exhausted"} & set(causes)


# --- gpu-feature-discovery refused by NVML ------------------------------------------------------
# NVIDIA/gpu-operator#322 as the user pasted it (GFD v0.4-v0.5 wordings)
GPU_OPERATOR_322 = (
    "gpu-feature-discovery: 2022/03/13 12:09:51 Unexpected error: Error generating NVML labels: "
    "Error generating common labels: Error getting device: nvml: Insufficient Permissions\n")


def test_gfd_insufficient_permissions_is_gpu_not_advertised_to_confirm() -> None:
    (found,) = _findings("explain_gpu_failure.py", GPU_OPERATOR_322)
    assert (found["cause"], found["basis"]) == ("gpu_not_advertised", "inferred")
    assert "kubectl describe node" in found["confirm"]
    assert "NVIDIA_MIG_MONITOR_DEVICES" in found["fix"]


@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_gfd_v08_wording_is_read_too(script: str) -> None:
    # cmd/gpu-feature-discovery/main.go@v0.8.2:180 around internal/lm/nvml.go@v0.8.2:126
    text = ("I0607 10:11:12.000000       1 main.go:180] error generating labels: error getting "
            "mig capability: Insufficient Permissions\n")
    assert _causes(script, text)[0] == "gpu_not_advertised"


def test_insufficient_permissions_outside_gpu_discovery_is_not_gpu_not_advertised() -> None:
    # NVML_ERROR_NO_PERMISSION for an admin call a user's container may not make (nvml.h:
    # "the user doesn't have permission to perform this operation"): not the node's GPUs
    text = ("$ nvidia-smi -pm 1\nUnable to set persistence mode for GPU 00000000:3B:00.0: "
            "Insufficient Permissions\nTerminating early due to previous errors.\n")
    assert "gpu_not_advertised" not in _causes("explain_gpu_failure.py", text)


# --- GKE: driver installation disabled ----------------------------------------------------------
# GoogleCloudPlatform/container-engine-accelerators#407 as the user pasted it
ISSUE_407 = (
    "$ kubectl -n kube-system get pod\n\nkube-system       nvidia-gpu-device-plugin-small-cos-"
    "4fpl4                         0/2     Init:0/2   0          16m\n\n$ kubectl -n kube-system "
    "logs nvidia-gpu-device-plugin-small-cos-hzvds -c nvidia-driver-installer\n\n"
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
    "100   598  100   598    0     0   273k      0 --:--:-- --:--:-- --:--:--  291k\n"
    "GPU driver auto installation is disabled.\nWaiting for GPU driver libraries to be "
    "available.\n")
# #402 (T4): the curl progress on one line, the same two lines after it
ISSUE_402 = (
    "   0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0 100   720"
    "  100   720    0     0   113k      0 --:--:-- --:--:-- --:--:--  117k\nGPU driver auto "
    "installation is disabled.\nWaiting for GPU driver libraries to be available.\n")


@pytest.mark.parametrize("text", [ISSUE_407, ISSUE_402])
def test_gke_driver_installation_disabled_is_no_driver(text: str) -> None:
    found = _findings("explain_gpu_failure.py", text)[0]
    assert (found["cause"], found["basis"]) == ("gpu_driver_mismatch", "reported")
    assert "gke-gpu-driver-version" in found["fix"]


def test_triage_reads_the_installer_line_the_same_way() -> None:
    assert _causes("triage.py", ISSUE_402)[0] == "gpu_driver_mismatch"


def test_an_installer_still_waiting_is_not_no_driver() -> None:
    text = "Waiting for GPU driver libraries to be available.\n"
    assert "gpu_driver_mismatch" not in _causes("explain_gpu_failure.py", text)
