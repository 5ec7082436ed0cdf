"""explain_gpu_failure.py on log excerpts from public threads (tests/resources/troubleshooting/
gpu/SOURCES.md lists each URL) and on lines built from upstream format strings.

Expected values: the ranks, sequence numbers and Xid codes are the ones in the pasted lines;
which rank fell behind follows from ProcessGroupNCCL's semantics (every rank that logs the
watchdog timeout was waiting in the collective; a lower SeqNum is an earlier collective);
Xid meanings are NVIDIA's Xid catalog
(https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-troubleshooting" / "scripts" / "explain_gpu_failure.py"
GPU = ROOT / "tests" / "resources" / "troubleshooting" / "gpu"


def run(*args, stdin=None):
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], input=stdin,
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def findings(*args, stdin=None):
    proc = run(*args, "--json", stdin=stdin)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_desynchronised_rank_is_named():
    (f,) = findings("-f", str(GPU / "pytorch-118369-desync.log"))
    assert f["cause"] == "nccl_watchdog_timeout"
    assert "rank(s) [7] fell behind first" in f["message"]
    assert any("collective #64088" in e for e in f["evidence"])


def test_world_size_names_the_silent_ranks():
    (f,) = findings("-f", str(GPU / "basicsr-737-watchdog.log"), "--world-size", "4")
    assert "rank(s) [3] fell behind first" in f["message"]
    assert "first to time out: rank 0 at 626 06:24:44.159932949" in f["evidence"]


def test_same_collective_everywhere_names_no_rank_without_world_size():
    (f,) = findings("-f", str(GPU / "llamafactory-7396-watchdog.log"))
    # ranks 0, 3, 4 report (rank 3 through the 2.2+ progress line): 1 and 2 are absent
    assert "fell behind first" in f["message"] and "[1, 2]" in f["message"]
    assert "ALLREDUCE #1580 waited 600s (timeout 600s)" in f["message"]


def test_xid_79_is_hardware_and_comes_first():
    paste = (GPU / "open-gpu-kernel-modules-1151-xid79.log").read_text() + \
        (GPU / "basicsr-737-watchdog.log").read_text()
    got = findings("-f", "-", stdin=paste)
    assert [f["cause"] for f in got] == ["gpu_xid_hardware", "nccl_watchdog_timeout"]
    assert got[0]["object"] == {"kind": "GPU", "name": "0000:2b:00", "namespace": ""} or \
        got[0]["object"]["name"] == "0000:2b:00"
    assert "fallen off the bus" in got[0]["message"]


def test_xid_31_is_the_application_and_69_the_gpu():
    # k8s-device-plugin internal/rm/health.go applicationErrorXids: 13, 31, 43, 45, 68 leave
    # the GPU healthy; 69 is not among them, and NVIDIA's Xid catalog (copied in leptonai/gpud
    # components/accelerator/nvidia/query/xid/xid.go, r555) flags 69 a hardware/driver error
    got = findings("-f", str(GPU / "pastebin-fTNHmgzB-xid31.log"))
    assert [(f["cause"], f["message"].split(": ")[0]) for f in got] == [
        ("gpu_xid_hardware", "Xid 69 on GPU 0000:08:00"),
        ("gpu_xid_application", "Xid 31 on GPU 0000:08:00")]


@pytest.mark.parametrize("line", [
    # PyTorch 2.x c10/cuda/CUDACachingAllocator.cpp
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a "
    "total capacity of 79.15 GiB of which 1.02 GiB is free.",
    # PyTorch 1.x
    "RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 15.78 GiB total "
    "capacity; 14.51 GiB already allocated; 3.50 MiB free)",
    "RuntimeError: CUDA error: out of memory",
])
def test_gpu_memory_is_not_the_container_limit(line):
    (f,) = findings("-f", "-", stdin=line + "\n")
    assert f["cause"] == "cuda_out_of_memory"
    assert "Kubernetes memory limits play no part" in f["message"]


def test_container_limit_and_node_pressure_are_told_apart():
    paste = ("    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n"
             "  Warning  Evicted  2m  kubelet  The node was low on resource: memory. Threshold "
             "quantity: 100Mi, available: 91Mi.\n")
    assert [f["cause"] for f in findings("-f", "-", stdin=paste)] == ["oom_killed",
                                                                      "node_pressure"]


def test_nothing_found_is_exit_0_and_no_input_is_exit_2():
    assert run("-f", "-", stdin="all good\n").returncode == 0
    proc = run()
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")


def test_exit_137_without_oomkilled_is_not_an_oom_kill():
    # 137 = 128 + SIGKILL: a liveness/startup probe kill, a stop past
    # terminationGracePeriodSeconds or an outside kill give it too; only reason OOMKilled
    # (set from the runtime's OOM event) says the memory limit was hit
    # (kubernetes/kubernetes#19825).
    paste = "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    137\n"
    assert "oom_killed" not in [f["cause"] for f in findings("-f", "-", stdin=paste)]
