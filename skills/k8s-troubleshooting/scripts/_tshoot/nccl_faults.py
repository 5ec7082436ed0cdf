"""NCCL and ProcessGroupNCCL failures beyond the collective timeout, read from rank logs.

Wordings and sources:
- NCCL src/init.cc (2.x): `WARN("Duplicate GPU detected : rank %d and rank %d both on CUDA
  device %lx", ...)`, returned as ncclInvalidUsage ("invalid usage", 2.19+ pastes) or, in
  older releases, ncclInternalError ("internal error ... Last error: Duplicate GPU
  detected", 2.14.3 pastes): two ranks of one communicator run on the same GPU.
- PyTorch ProcessGroupNCCL.cpp heartbeat monitor: `ProcessGroupNCCL's watchdog got stuck for
  N seconds without making progress in monitoring enqueued collectives. This typically
  indicates a NCCL/CUDA API (e.g., CudaEventDestroy) hang blocking the watchdog, ...` and
  `Heartbeat monitor timed out! Process will be terminated after dumping debug info.
  workMetaList_.size()=N` (TORCH_NCCL_HEARTBEAT_TIMEOUT_SEC): the watchdog thread itself
  hung. After a collective timeout it is the abort path hanging (a consequence); alone, a
  CUDA or NCCL call blocked (a stuck GPU or driver, or a GIL-holding thread).
- NCCL `Cuda failure '<cudaGetErrorString>'` with ncclUnhandledCudaError ("unhandled cuda
  error"): a CUDA call inside NCCL failed on that rank; 'out of memory' is GPU memory.
The glog prefix `[rankR]:[E1111 17:10:53...]` names the rank that logged each line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8s_skillkit.findings import finding

_DUPLICATE = re.compile(r"Duplicate GPU detected\s*:\s*rank (?P<a>\d+) and rank (?P<b>\d+) "
                        r"both on CUDA device (?P<dev>[0-9a-fA-Fx]+)")
_HANG = re.compile(r"watchdog got stuck for (?P<sec>\d+) seconds without making progress|"
                   r"Heartbeat monitor timed out! Process will be terminated")
# (the driver-API form carries the CUresult number from v2.19: "Cuda failure %d '%s'", nccl
# src/include/cudawrap.h v2.19.3-1 CUCHECK; the runtime-API form stays "Cuda failure '%s'")
_CUDA_FAILURE = re.compile(r"Cuda failure (?:\d+ )?'(?P<what>[^']+)'|(?P<bare>unhandled cuda error|"
                           r"ncclUnhandledCudaError)")
_RANK_PREFIX = re.compile(r"\[rank(?P<rank>\d+)\]:")


@dataclass
class NcclFaults:
    duplicates: list[tuple[int, int, str, str]] = field(default_factory=list)  # a, b, dev, line
    hangs: list[tuple[str, str]] = field(default_factory=list)  # (rank or "", line)
    cuda_failures: list[tuple[str, str]] = field(default_factory=list)  # (what, line)

    def __bool__(self) -> bool:
        return bool(self.duplicates or self.hangs or self.cuda_failures)


def read(text: str) -> NcclFaults:
    faults = NcclFaults()
    for raw in text.splitlines():
        line = raw.strip()
        found = _DUPLICATE.search(line)
        if found:
            faults.duplicates.append((int(found["a"]), int(found["b"]), found["dev"],
                                      line[:300]))
        if _HANG.search(line):
            rank = _RANK_PREFIX.search(line)
            faults.hangs.append((rank["rank"] if rank else "", line[:300]))
        found = _CUDA_FAILURE.search(line)
        if found:
            faults.cuda_failures.append((found["what"] or "", line[:300]))
    return faults


def shared_gpus(faults: NcclFaults) -> dict[str, list[int]]:
    """CUDA device (PCI bus id) -> the ranks that NCCL found on it."""
    out: dict[str, set[int]] = {}
    for a, b, dev, _ in faults.duplicates:
        out.setdefault(dev, set()).update((a, b))
    return {dev: sorted(ranks) for dev, ranks in sorted(out.items())}


def is_gpu_oom(what: str) -> bool:
    return "out of memory" in what.lower()


def duplicate_gpu_finding(faults: NcclFaults, obj: dict) -> list[dict]:
    if not faults.duplicates:
        return []
    groups = "; ".join(f"ranks {', '.join(map(str, ranks))} on CUDA device {dev}"
                       for dev, ranks in shared_gpus(faults).items())
    return [finding("error", "nccl_duplicate_gpu", obj,
                    f"NCCL refused to build the communicator: several ranks run on one GPU "
                    f"({groups}). Each rank needs its own GPU", [faults.duplicates[0][3]],
                    "start one process per GPU the pod was given: torchrun --nproc_per_node "
                    "= the container's nvidia.com/gpu limit (or its DRA devices); call "
                    "torch.cuda.set_device(LOCAL_RANK) before init_process_group; do not "
                    "hard-code a device or rewrite CUDA_VISIBLE_DEVICES in the code",
                    basis="reported")]


def hang_and_cuda_findings(faults: NcclFaults, obj: dict, timed_out: bool) -> list[dict]:
    out: list[dict] = []
    if faults.hangs:
        ranks = sorted({r for r, _ in faults.hangs if r}, key=int)
        who = f" on rank(s) {', '.join(ranks)}" if ranks else ""
        if timed_out:
            message = (f"the ProcessGroupNCCL watchdog then hung{who} while aborting after the "
                       "collective timeout: a consequence, read the timeout finding")
        else:
            message = (f"the ProcessGroupNCCL watchdog thread hung{who} (heartbeat monitor): "
                       "a CUDA or NCCL call blocked it - a stuck GPU or driver, or another "
                       "thread holding the GIL inside a CUDA call - and the process was "
                       "terminated")
        out.append(finding("warning" if timed_out else "error", "nccl_watchdog_hang", obj,
                           message, [faults.hangs[0][1]],
                           "look for an Xid in that node's kernel log (journalctl -k) and "
                           "dump the stuck process (py-spy dump --native); raise "
                           "TORCH_NCCL_HEARTBEAT_TIMEOUT_SEC only when a rank legitimately "
                           "works alone for that long (e.g. rank 0 preparing data)",
                           basis="reported"))
    oom = any(is_gpu_oom(what) for what, _ in faults.cuda_failures)
    # a bare "unhandled cuda error" next to NCCL's "Cuda failure 'out of memory'" is that OOM
    other = [(what, line) for what, line in faults.cuda_failures
             if (what and not is_gpu_oom(what)) or (not what and not oom)]
    if other:
        what = next((w for w, _ in other if w), "")
        out.append(finding("error", "nccl_cuda_error", obj,
                           "a CUDA call inside NCCL failed on this rank"
                           + (f" ('{what}')" if what else "") + ": the GPU or the program "
                           "faulted, NCCL only reported it", [other[0][1]],
                           "read that rank's stack and its node's kernel log for an Xid "
                           "(13, 31, 43: the program; 48, 79, 94-95, 119: the GPU); rerun "
                           "with CUDA_LAUNCH_BLOCKING=1 to find the kernel", basis="reported"))
    return out
