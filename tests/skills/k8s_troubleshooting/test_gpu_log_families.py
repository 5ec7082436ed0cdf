"""explain_gpu_failure.py on the wordings held-out round 6 found unread (families, not cases).

Every line is built from its source's format string, not from the script:
- NVIDIA driver (open-gpu-kernel-modules src/nvidia/arch/nvalloc/unix/src/osapi.c,
  rm_is_supported_device): "NVRM: The NVIDIA GPU %04x:%02x:%02x.%x\\n" "NVRM: (PCI ID:
  %04x:%04x) installed in this system has\\n" "NVRM: fallen off the bus and is not responding
  to commands.\\n" - Xid 79 without the Xid line (NVSentinel#155);
- CUDA runtime cudaErrorECCUncorrectable "uncorrectable ECC error encountered", nvidia-smi's
  "Volatile Uncorr. ECC" column;
- PyTorch: torch.cuda.OutOfMemoryError (1.13-2.4) and the allocator's "CUDA out of memory";
- NCCL src/transport/net_ib.cc ncclIbAsyncThreadMain WARN("NET/IB : Got async event : %s")
  and the plugin's "NET/IB : %s:%d Got async event : %s", %s from libibverbs
  ibv_event_type_str;
- nvidia-smi / NVML: "Failed to initialize NVML: %s" with nvmlErrorString."""
from __future__ import annotations

import pytest

from .conftest import run_script

PREFIXES = ["", "[ 1843.308145] ", "Oct 31 18:18:43 gpu-node-3 kernel: ",
            "worker-1: "]


def _causes(text: str) -> list[str]:
    result = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    assert result.code in (0, 1), result.err
    return [f["cause"] for f in result.doc["findings"]]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_gpu_fallen_off_the_bus_without_xid_is_hardware(prefix):
    text = "\n".join(f"{prefix}{line}" for line in (
        "NVRM: The NVIDIA GPU 0000:3b:00.0", "NVRM: (PCI ID: 10de:2330) installed in this "
        "system has", "NVRM: fallen off the bus and is not responding to commands."))
    assert _causes(text)[0] == "gpu_xid_hardware"


def test_fallen_off_next_to_its_xid_line_is_one_finding():
    text = ("NVRM: Xid (PCI:0000:3b:00): 79, pid=1582259, name=python, GPU has fallen off the "
            "bus.\nNVRM: The NVIDIA GPU 0000:3b:00.0\nNVRM: (PCI ID: 10de:2330) installed in "
            "this system has\nNVRM: fallen off the bus and is not responding to commands.")
    assert _causes(text) == ["gpu_xid_hardware"]


@pytest.mark.parametrize("line", [
    "RuntimeError: CUDA error: uncorrectable ECC error encountered",
    "the GPU 1 has 1 Volatile Uncorr. ECC and every pod on it fails",
    "my GPU hit an Uncorrectable ECC Error yesterday",
])
def test_uncorrectable_ecc_outranks_the_oom_it_causes(line):
    causes = _causes(line + "\nRuntimeError: CUDA error: out of memory")
    assert causes[0] == "gpu_xid_hardware"
    assert "cuda_out_of_memory" in causes


@pytest.mark.parametrize("line", [
    "torch.cuda.OutOfMemoryError: CUDA out of memory",
    "[rank3]: torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB",
    "RuntimeError: CUDA out of memory.",
    "the server hits cuda out of memory and shuts down",
])
def test_cuda_oom_exception_classes_and_prose(line):
    assert _causes(line)[0] == "cuda_out_of_memory"


@pytest.mark.parametrize("event,fault", [
    ("port error", True), ("local catastrophic error", True), ("QP fatal error", True),
    ("CQ error", True), ("port active", False), ("client reregistration", False),
    ("GID table change", False),
])
@pytest.mark.parametrize("form", [
    "host-1:4288:4521 [1] NCCL WARN NET/IB : Got async event : {e}",
    "host-1:4288:4521 [1] transport/net_ib.cc:94 NCCL WARN NET/IB : mlx5_0:1 Got async event "
    ": {e}",
    "NCCL WARN NET/IB : Got async event : {e}",
])
def test_ib_async_events(event, fault, form):
    causes = _causes(form.format(e=event))
    assert ("nccl_network_error" in causes) is fault


@pytest.mark.parametrize("line,cause", [
    ("Failed to initialize NVML: Unknown Error", "gpu_device_access_lost"),
    ("$ kubectl exec -it trainer-0 -- nvidia-smi\nFailed to initialize NVML: Unknown Error",
     "gpu_device_access_lost"),
    ("Failed to initialize NVML: Driver/library version mismatch", "gpu_driver_mismatch"),
])
def test_nvml_init_errors(line, cause):
    assert _causes(line)[0] == cause


@pytest.mark.parametrize("line", [
    # the device plugin, as kubelet's admission error quotes it (k8s-device-plugin#231,
    # kubernetes#97131): go bindings print nvmlErrorString(NVML_ERROR_GPU_IS_LOST)
    "Pod Allocate failed due to device plugin GetPreferredAllocation rpc failed with err: rpc "
    "error: code = Unknown desc = Unable to retrieve list of available devices: error creating "
    "nvml.Device 3: nvml: GPU is lost, which is unexpected",
    # nvidia-smi on the host (k8s-device-plugin#231)
    "Unable to determine the device handle for GPU 0000:C1:00.0: GPU is lost.  Reboot the "
    "system to recover this GPU",
    # the return code by name (leptonai/gpud#604, after an Xid 79)
    "failed to get device remapped rows: ERROR_GPU_IS_LOST",
])
def test_nvml_gpu_is_lost_is_the_hardware(line):
    # nvml.h: NVML_ERROR_GPU_IS_LOST "The GPU has fallen off the bus or has otherwise become
    # inaccessible"
    assert _causes(line) == ["gpu_xid_hardware"]


def test_gpu_is_lost_next_to_its_xid_79_line_is_one_finding():
    text = ("NVRM: Xid (PCI:0000:ae:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off "
            "the bus.\nfailed to get device remapped rows: ERROR_GPU_IS_LOST\n")
    assert _causes(text) == ["gpu_xid_hardware"]


@pytest.mark.parametrize("line", [
    # PyTorch's C10D_NCCL_CHECK text: "NCCL error in: <file>:<line>, " + ncclGetErrorString
    # (nccl src/init.cc) + ", NCCL version X"; the second line is getNcclErrorDetailStr
    "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/"
    "ProcessGroupNCCL.cpp:1275, unhandled system error (run with NCCL_DEBUG=INFO for details), "
    "NCCL version 2.18.1",
    "RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1191, "
    "unhandled system error, NCCL version 2.11.4",
    "torch.distributed.DistBackendError: NCCL error in: /pytorch/torch/csrc/distributed/c10d/"
    "NCCLUtils.hpp:268, remote process exited or there was a network error, NCCL version 2.21.5",
    "ncclRemoteError: A call failed possibly due to a network error or a remote process exiting "
    "prematurely.",
])
def test_nccl_result_strings_are_the_transport(line):
    assert _causes(line) == ["nccl_network_error"]


def _findings(text: str) -> list[dict]:
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def test_no_space_beside_shared_memory_words_is_the_shm_fault_to_confirm():
    # AI-Hypercomputer/xpk#965: TorchTitan's first broadcast in JobSet pods, the log cut
    # before NCCL's own line; the fix mounted a memory-backed /dev/shm
    (found,) = _findings("the 'No space left on device' error occured because of a missing "
                         "shared memory mount\n  File \"train.py\", line 140, in "
                         "set_determinism\n    torch.distributed.broadcast(seed, src=0)\n")
    assert (found["cause"], found["severity"], found["basis"]) == (
        "nccl_shm_exhausted", "warning", "inferred")
    assert "df -h /dev/shm" in found["confirm"]


def test_no_space_from_a_checkpoint_write_is_not_the_shm_fault():
    # a full disk: no word about shared memory
    found = _findings("torch.save(state, '/ckpt/step-900.pt')\nOSError: [Errno 28] No space "
                      "left on device\nrank 0 exited; torch.distributed.elastic restarting\n")
    assert "nccl_shm_exhausted" not in {f["cause"] for f in found}


def test_nccl_shm_line_wrapped_by_hand_in_a_quote():
    # NCCL include/shm.h / src/misc/shmutils.cc "Error while creating shared memory segment
    # %s (size %d)" behind XLA's "NCCL operation ncclGroupEnd() failed: unhandled system error",
    # wrapped by hand inside a GitHub quote as AI-Hypercomputer/xpk#492 shows it
    text = ("> ```\n> failed: INTERNAL: NCCL operation ncclGroupEnd() failed: unhandled system "
            "error (run with\n> NCCL_DEBUG=INFO for details). Last NCCL warning(error) log "
            "entry (may be unrelated)  'Error\n> while creating shared memory segment "
            "/dev/shm/nccl-TfciGV (size 31850880), error: No space\n> left on device (28)'.\n"
            "> ```\n")
    assert _causes(text) == ["nccl_shm_exhausted"]


def test_pytorch_dataloader_bus_error_is_the_shm_fault():
    # torch/csrc/DataLoader.cpp SIGNAL_HANDLER(SIGBUS, ...) as kubeflow/pipelines#6510 shows it
    text = ("ERROR: Unexpected bus error encountered in worker. This might be caused by "
            "insufficient shared memory (shm).\n")
    # the DataLoader's own /dev/shm, no collective (pytorch/pytorch#16979: raise the limit)
    assert _causes(text) == ["dev_shm_exhausted"]


def test_rendezvous_that_cannot_resolve_the_master():
    # torch/distributed/rendezvous.py _env_rendezvous_handler -> TCPStore(master_addr, ...),
    # c10d's resolver error, as kubeflow/pytorch-operator#125 shows it
    text = ("  File \"/usr/lib/python3.7/site-packages/torch/distributed/rendezvous.py\", line "
            "143, in _env_rendezvous_handler\n    store = TCPStore(master_addr, master_port, "
            "start_daemon)\nValueError: host not found: Name or service not known\n")
    assert _causes(text) == ["master_not_ready"]


def test_a_dns_error_without_a_rendezvous_is_not_the_master():
    text = "curl: (6) Could not resolve host: example.org; Name or service not known\n"
    assert "master_not_ready" not in _causes(text)


@pytest.mark.parametrize("text", [
    # torch/csrc/DataLoader.cpp _error_if_any_worker_fails: the parent's report of a worker
    # that SIGBUS killed (logicalclocks/hopsworks#1557, cut to its first line)
    "RuntimeError: DataLoader worker (pid 729) is killed by signal: Bus error. It is possible "
    "that dataloader's workers are out of shared memory. Please try to raise your shared "
    "memory limit.\n",
    # aten MapAllocator.cpp: torch's shared-memory file /torch_<pid>_<n> could not grow
    "RuntimeError: unable to write to file </torch_739_144252761_4>: No space left on device "
    "(28)\n",
])
def test_pytorch_own_shared_memory_words_are_the_shm_fault(text):
    (found,) = _findings(text)
    assert (found["cause"], found["basis"]) == ("dev_shm_exhausted", "reported")


@pytest.mark.parametrize("line", [
    # torchelastic ProcessFailure: f"Signal {-exitcode} ({signal_name}) received by PID {pid}"
    # (intelligent-machine-learning/dlrover PR #1046: checkpoints through a 64Mi /dev/shm)
    "{0: ProcessFailure(local_rank=0, pid=54, exitcode=-7, error_file='<N/A>', "
    "error_file_data={'message': '<NONE>'}, message='Signal 7 (SIGBUS) received by PID 54', "
    "timestamp=1711419181)}",
    "/entrypoint.sh: line 4:    12 Bus error (core dumped) python train.py",
])
def test_a_process_killed_by_sigbus_is_the_shm_fault_to_confirm(line):
    (found,) = _findings(line + "\n")
    # a process's own mapping in /dev/shm, not a collective's transport (dlrover PR #1046)
    assert (found["cause"], found["severity"], found["basis"]) == (
        "dev_shm_exhausted", "warning", "inferred")
    assert "df -h /dev/shm" in found["confirm"]


def test_the_word_bus_alone_is_not_sigbus():
    found = _findings("NCCL INFO Bus error counters reset on GPU 0\nNCCL WARN NET/Socket : "
                      "socket progress error\n")
    assert "nccl_shm_exhausted" not in {f["cause"] for f in found}
