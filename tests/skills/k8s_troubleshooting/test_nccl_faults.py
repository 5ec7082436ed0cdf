"""explain_gpu_failure.py: NCCL's duplicate-GPU refusal, the ProcessGroupNCCL heartbeat
monitor (watchdog hang) and CUDA failures inside NCCL.

The lines are built from the format strings of their sources, not from the script:
- NCCL src/init.cc: WARN("Duplicate GPU detected : rank %d and rank %d both on CUDA device
  %lx"), surfaced by PyTorch as `NCCL error in: <file>:<line>, invalid usage ... NCCL version
  2.19.3 / ncclInvalidUsage: ... / Last error: / Duplicate GPU detected ...` (2.14.3 said
  `internal error` / ncclInternalError);
- PyTorch ProcessGroupNCCL.cpp heartbeat monitor: "ProcessGroupNCCL's watchdog got stuck for
  <N> seconds without making progress in monitoring enqueued collectives. ..." and
  "Heartbeat monitor timed out! Process will be terminated after dumping debug info.
  workMetaList_.size()=<n>", with the glog prefix `[rank<R>]:[E<mmdd> <time> ...]`;
- NCCL CUDACHECK: `Cuda failure '<cudaGetErrorString>'` (ncclUnhandledCudaError)."""
from __future__ import annotations

import pytest

from .conftest import run_script

DUP = "Duplicate GPU detected : rank {a} and rank {b} both on CUDA device {dev}"


def _causes(text: str, *args: str) -> tuple[list[str], dict]:
    result = run_script("explain_gpu_failure.py", "-f", "-", "--json", *args, stdin=text)
    assert result.code in (0, 1), result.err
    return [f["cause"] for f in result.doc["findings"]], result.doc


@pytest.mark.parametrize("wrapper", [
    "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/"
    "ProcessGroupNCCL.cpp:1691, invalid usage (run with NCCL_DEBUG=WARN for details), NCCL "
    "version 2.19.3\nncclInvalidUsage: This usually reflects invalid usage of NCCL library.\n"
    "Last error:\n{dup}",
    "RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:1275, internal error, NCCL version "
    "2.14.3\nncclInternalError: Internal check failed.\nLast error:\n{dup}",
    "host-3:29880:30398 [0] init.cc:497 NCCL WARN {dup}",
])
def test_duplicate_gpu_every_wrapping(wrapper):
    text = wrapper.format(dup=DUP.format(a=2, b=0, dev="1000")) + "\n" + \
        "host-3:29881:30401 [0] init.cc:497 NCCL WARN " + DUP.format(a=3, b=0, dev="1000")
    causes, doc = _causes(text)
    assert causes[0] == "nccl_duplicate_gpu"
    assert "ranks 0, 2, 3 on CUDA device 1000" in doc["findings"][0]["message"]


def test_duplicate_gpu_outranks_the_timeouts_it_causes():
    text = ("[rank1]:[E1111 17:01:37.1] [Rank 1] Watchdog caught collective operation timeout: "
            "WorkNCCL(SeqNum=1, OpType=BROADCAST, Timeout(ms)=600000) ran for 600010 "
            "milliseconds before timing out.\nNCCL WARN " + DUP.format(a=1, b=0, dev="3b000"))
    causes, _ = _causes(text)
    assert causes[0] == "nccl_duplicate_gpu" and "nccl_watchdog_timeout" in causes


HANG = ("[rank{r}]:[E1111 17:10:53.000000000 ProcessGroupNCCL.cpp:1484] [PG ID 0 PG GUID 0"
        "(default_pg) Rank {r}] ProcessGroupNCCL's watchdog got stuck for 480 seconds without "
        "making progress in monitoring enqueued collectives. This typically indicates a "
        "NCCL/CUDA API (e.g., CudaEventDestroy) hang blocking the watchdog, and could be "
        "triggered by another thread holding the GIL inside a CUDA api (for example, "
        "CudaEventDestroy), or other deadlock-prone behaviors.")


def test_watchdog_hang_alone_is_the_error():
    causes, doc = _causes(HANG.format(r=3))
    assert causes == ["nccl_watchdog_hang"]
    finding = doc["findings"][0]
    assert finding["severity"] == "error" and "rank(s) 3" in finding["message"]


def test_heartbeat_monitor_wording():
    line = ("[rank0]:[E ProcessGroupNCCL.cpp:1316] [PG 0 Rank 0] Heartbeat monitor timed out! "
            "Process will be terminated after dumping debug info. workMetaList_.size()=2")
    assert _causes(line)[0] == ["nccl_watchdog_hang"]


def test_watchdog_hang_after_a_timeout_is_a_consequence():
    timeout = ("[rank3]:[E1111 17:01:37.000000000 ProcessGroupNCCL.cpp:607] [Rank 3] Watchdog "
               "caught collective operation timeout: WorkNCCL(SeqNum=14863, OpType=ALLREDUCE, "
               "NumelIn=14845952, NumelOut=14845952, Timeout(ms)=1800000) ran for 1800048 "
               "milliseconds before timing out.")
    causes, doc = _causes(timeout + "\n" + HANG.format(r=3))
    assert causes == ["nccl_watchdog_timeout", "nccl_watchdog_hang"]
    assert doc["findings"][1]["severity"] == "warning"


@pytest.mark.parametrize("what,cause", [
    ("an illegal memory access was encountered", "nccl_cuda_error"),
    ("out of memory", "cuda_out_of_memory"),
])
def test_cuda_failure_inside_nccl(what, cause):
    text = (f"node-1:41:41 [3] enqueue.cc:1556 NCCL WARN Cuda failure '{what}'\n"
            "RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:1269, unhandled cuda error, "
            "NCCL version 2.18.1\nncclUnhandledCudaError: Call to CUDA function failed.")
    causes = _causes(text)[0]
    assert cause in causes and len([c for c in causes if c.startswith(("nccl_cuda",
                                                                       "cuda_out"))]) == 1
