"""Held-out round 78 (pods-nodes, explain_gpu_failure.py): NCCL's bare ncclSystemError. Expected
values come from upstream, never from the script:

- nccl src/init.cc ncclGetErrorString: ncclSystemError is "unhandled system error (run with
  NCCL_DEBUG=INFO for details)" (older releases without the parenthesis); PyTorch's NCCLUtils
  getNcclErrorDetailStr adds "System call (e.g. socket, malloc) or external library call failed
  or device error". The NCCL WARN line naming the call prints only with NCCL_DEBUG set
  (src/debug.cc ncclDebugInit). vLLM's guide reads the error at ncclCommInitRank as "a missing
  IPC_LOCK linux capability or an unmounted /dev/shm" (vllm-project/vllm
  docs/usage/troubleshooting.md@7c61253f).
- gpustack/gpustack#1383: a vLLM tensor-parallel pod failed in init_device with the bare
  error; a memory-backed /dev/shm fixed it. The line alone does not say /dev/shm (the same
  line also follows a peer's exit or a socket failure), so the cause stays the transport's,
  as inferred, and the finding names /dev/shm and how to tell.
"""
from __future__ import annotations

import pytest

from .conftest import paste_findings

GPU = "explain_gpu_failure.py"

# the held-out paste's first and last worker lines (its middle is cut in the thread)
VLLM_V0 = (
    "(VllmWorkerProcess pid=1904) ERROR 03-01 12:49:34 multiproc_worker_utils.py:229] Exception "
    "in worker VllmWorkerProcess while processing method init_device.\n"
    "(VllmWorkerProcess pid=1906) ERROR 03-01 12:49:34 multiproc_worker_utils.py:229] "
    "RuntimeError: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)\n")
# PyTorch's C10D_NCCL_CHECK text and its detail line (NCCL 2.11, before the parenthesis)
TORCH = ("RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1191, "
         "unhandled system error, NCCL version 2.11.4\n"
         "ncclSystemError: System call (e.g. socket, malloc) or external library call failed or "
         "device error.\n")


@pytest.mark.parametrize("text", [VLLM_V0, TORCH])
def test_a_bare_system_error_is_the_transport_only_by_inference(text):
    (found,) = paste_findings(GPU, text)
    assert (found["cause"], found["basis"], found["severity"]) == (
        "nccl_network_error", "inferred", "warning"), found
    # it names no InfiniBand or socket failure the line does not show, and says how to tell
    assert "InfiniBand" not in found["message"] and "/dev/shm" in found["message"], found
    assert "NCCL_DEBUG=INFO" in found["confirm"], found
    assert "medium: Memory" in found["fix"], found


def test_a_system_error_with_the_sockets_own_line_stays_reported():
    # nccl misc/socket.cc 2.19+ as PyTorch's "Last error:" quotes it (NVIDIA/nccl#2076)
    text = TORCH + ("Last error:\nsocketProgressOpt: Call to recv from 10.0.3.7<33759> failed : "
                    "Connection reset by peer\n")
    (found,) = paste_findings(GPU, text)
    assert (found["cause"], found["basis"], found["severity"]) == (
        "nccl_network_error", "reported", "error"), found
    assert "InfiniBand" in found["message"], found


def test_a_system_error_with_nccls_shm_line_stays_the_shm_fault():
    # nccl src/misc/shmutils.cc (2.12+) "Error while creating shared memory segment %s (size %d)"
    text = VLLM_V0 + ("node-0:1906:1906 [1] NCCL WARN Error while creating shared memory "
                      "segment /dev/shm/nccl-TfciGV (size 31850880)\n")
    # one finding: the shared-memory line names the call the bare error does not
    assert [f["cause"] for f in paste_findings(GPU, text)] == ["nccl_shm_exhausted"]
