"""Held-out round 87 (pods-nodes). Expected values come from the upstream source or the public
document named at each test, never from the script:

- NCCL's OFI net plugin failing to register a buffer: aws-ofi-nccl's NCCL_OFI_WARN "NET/OFI "
  prefix and its wordings (v1.0.0 src/nccl_ofi_net.c:1204, v1.7.x src/nccl_ofi_rdma.c:617
  register_rail_mr_buffer, v1.21.1 src/nccl_ofi_rdma.cpp:3102 "Could not register memory on
  data rail"); AWS's EFA cheatsheet (aws-samples/awsome-distributed-training
  1.architectures/efa-cheatsheet.md@7217859:14: RC -22 with NCCL >= 2.19 and efa-installer <
  1.29.1, FI_EFA_SET_CUDA_SYNC_MEMOPS=0) -> nccl_network_error; de-registration is silent.
- NVML's Unknown Error in a container: NVIDIA/k8s-device-plugin docs/cdi.md@1b826ac:10 (`NVML:
  Unknown error`), NVIDIA/cloud-native-docs container-toolkit/troubleshooting.md@52dcb7b
  ("Failed to initialize NVML: Unknown Error"; "The message can differ depending on the type
  of application") -> gpu_device_access_lost; the hook's host-side `nvml error: unknown error`
  stays gpu_driver_mismatch (NVIDIA/nvidia-docker#1348).
- A pending GPU pod's FailedScheduling read by explain_gpu_failure.py as triage.py reads it
  (MicrosoftDocs/azure-aks-docs articles/aks/autoscale-gpu-workloads-with-keda.md@fb060ab:170,
  176) -> unschedulable_insufficient; a scale-up event alone says nothing failed.
- The kubelet's eviction manager in its own words (kubernetes-sigs/kind site/content/docs/user/
  known-issues.md@fed2688:208-209; event EvictionThresholdMet "Attempting to reclaim ...",
  kubeflow/kubeflow#2820, bsycorp/kind#15) -> node_pressure; its "failed to get summary stats"
  is no pressure.
- A runtime that refuses the nvidia handler while stopping a sandbox (KillPodSandbox):
  NVIDIA/nvidia-container-toolkit commit 0f9036c (the installer removed the CRI-O drop-in on
  GPU Operator uninstall, pods stuck Terminating) -> stuck_terminating; the same refusal on
  sandbox creation stays nvidia_runtime_not_default / sandbox_failed.
"""
from __future__ import annotations

from .conftest import loud, paste_findings

GPU = "explain_gpu_failure.py"
TRIAGE = "triage.py"
TRAINING = "check_training.py"


def _loud(script: str, text: str) -> list[dict]:
    return loud(paste_findings(script, text))


def _causes(script: str, text: str) -> list[str]:
    return [f["cause"] for f in _loud(script, text)]


# --- NCCL's OFI plugin cannot register memory ---------------------------------------------------

OFI_HELDOUT = ("register_rail_mr_buffer:617 NCCL WARN NET/OFI Unable to register memory (type = "
               "2) for device 4. RC: -22, Error: Invalid argument\n")

# aws-ofi-nccl v1.17+ (src/nccl_ofi_rdma.cpp "Could not register memory on data rail %u with
# flag %lu"), then the ncclSystemError the plugin returns, as PyTorch reports it
OFI_RAIL = """\
worker-1:45:312 [0] nccl_net_ofi_rdma.cpp:3102 NCCL WARN NET/OFI Could not register memory on \
data rail 0 with flag 2
RuntimeError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1691, unhandled \
system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.21.5
"""

# aws-ofi-nccl v1.0.0 (src/nccl_ofi_net.c:1204, no type)
OFI_V1 = ("ip-10-1-2-3:88:140 [3] NCCL WARN NET/OFI Unable to register memory for device 0. "
          "RC: -12, Error: Cannot allocate memory\n")

# de-registration at teardown and the plugin's INFO line: no registration failure
OFI_NEAR = """\
ip-10-1-2-3:88:140 [3] NCCL WARN NET/OFI Unable to de-register memory. RC: -22, Error: Invalid \
argument
ip-10-1-2-3:88:140 [3] NCCL INFO NET/OFI Selected Provider is efa (found 4 nics)
"""


def test_ofi_register_memory_heldout_is_network_error():
    found = _loud(TRAINING, OFI_HELDOUT)
    assert [f["cause"] for f in found] == ["nccl_network_error"]
    assert found[0]["basis"] == "reported"
    assert "FI_EFA_SET_CUDA_SYNC_MEMOPS=0" in found[0]["fix"]
    assert _causes(GPU, OFI_HELDOUT) == ["nccl_network_error"]


def test_ofi_register_memory_other_releases():
    found = _loud(GPU, OFI_RAIL)
    # one finding: the plugin's line names the call behind the bare ncclSystemError
    assert [f["cause"] for f in found] == ["nccl_network_error"]
    assert "NET/OFI" in found[0]["evidence"][0]
    assert found[0]["basis"] == "reported"
    assert _causes(TRAINING, OFI_V1) == ["nccl_network_error"]


def test_ofi_deregister_is_not_a_registration_failure():
    assert "nccl_network_error" not in _causes(GPU, OFI_NEAR)


# --- NVML: Unknown error ------------------------------------------------------------------------

NVML_HELDOUT = "NVML: Unknown error\n"

# pynvml's exception for NVML_ERROR_UNKNOWN, in a container's Python traceback
NVML_PYNVML = """\
Traceback (most recent call last):
  File "/usr/local/lib/python3.10/dist-packages/pynvml/nvml.py", line 1798, in nvmlInit
    _nvmlCheckReturn(ret)
pynvml.nvml.NVMLError_Unknown: Unknown Error
"""

# the NVIDIA hook's NVML failure on the host before the container starts
NVML_HOOK = ("Error: failed to create containerd task: OCI runtime create failed: error running "
             "hook #0: error running hook: exit status 1, stdout: , stderr: nvidia-container-cli: "
             "initialization error: nvml error: unknown error: unknown\n")

# go-nvml's lower-case error in the device plugin's own call on the host (awslabs/amazon-eks-ami
# #1523: a GSP firmware fault, not a container's lost device cgroup)
NVML_PLUGIN = ("Pod Allocate failed due to device plugin GetPreferredAllocation rpc failed with "
               "err: rpc error: code = Unknown desc = error getting list of preferred allocation "
               "devices: unable to retrieve list of available devices: error creating nvml.Device "
               "0: nvml: Unknown Error, which is unexpected\n")


def test_nvml_unknown_error_short_form_is_device_access_lost():
    found = _loud(GPU, NVML_HELDOUT)
    assert [f["cause"] for f in found] == ["gpu_device_access_lost"]
    assert found[0]["basis"] == "reported"
    assert _causes(TRIAGE, NVML_HELDOUT) == ["gpu_device_access_lost"]


def test_nvml_unknown_error_pynvml():
    assert _causes(GPU, NVML_PYNVML) == ["gpu_device_access_lost"]


def test_hook_nvml_unknown_error_stays_driver():
    assert _causes(GPU, NVML_HOOK) == ["gpu_driver_mismatch"]


def test_device_plugin_nvml_unknown_error_is_not_device_access_lost():
    assert "gpu_device_access_lost" not in _causes(GPU, NVML_PLUGIN)


# --- a pending GPU pod: what the scheduler said --------------------------------------------------

SCHED_HELDOUT = """\
Events:
  Type     Reason            Age    From                Message
  ----     ------            ----   ----                -------
  Warning  FailedScheduling  3m19s  default-scheduler   0/2 nodes are available: 2 Insufficient \
nvidia.com/gpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.
Normal   TriggeredScaleUp  2m43s  cluster-autoscaler  pod triggered scale-up: [{gpu-pool-vmss \
0->1 (max: 2)}]
"""

SCHED_AMD = """\
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  45s   default-scheduler  0/3 nodes are available: 3 Insufficient \
amd.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
"""

# the autoscaler's scale-up alone: nothing failed
SCHED_NEAR = """\
Events:
  Type    Reason            Age   From                Message
  ----    ------            ----  ----                -------
  Normal  TriggeredScaleUp  2m    cluster-autoscaler  pod triggered scale-up: [{gpu-pool 0->1 (max: 3)}]
"""


def test_gpu_pod_failed_scheduling_heldout():
    found = _loud(GPU, SCHED_HELDOUT)
    assert [f["cause"] for f in found] == ["unschedulable_insufficient"]
    assert found[0]["basis"] == "reported"
    assert "nvidia.com/gpu" in found[0]["message"]
    assert any("triggered scale-up" in e for e in found[0]["evidence"])
    # the same reading as triage's
    assert _causes(TRIAGE, SCHED_HELDOUT) == ["unschedulable_insufficient"]


def test_gpu_pod_failed_scheduling_other_vendor():
    found = _loud(GPU, SCHED_AMD)
    assert [f["cause"] for f in found] == ["unschedulable_insufficient"]
    assert "scale-up" not in found[0]["message"]


def test_scale_up_alone_is_no_scheduling_failure():
    assert _causes(GPU, SCHED_NEAR) == []


# --- the kubelet's eviction manager ------------------------------------------------------------

EVICT_HELDOUT = """\
Dec 07 00:37:53 kind-1-control-plane kubelet[688]: I1207 00:37:53.229561     688 \
eviction_manager.go:340] eviction manager: must evict pod(s) to reclaim ephemeral-storage
Dec 07 00:37:53 kind-1-control-plane kubelet[688]: E1207 00:37:53.229638     688 \
eviction_manager.go:351] eviction manager: eviction thresholds have been met, but no pods are \
active to evict
"""

# structured logging: the capitalised prefix and the resource as a key-value
EVICT_STRUCTURED = """\
Mar 12 10:01:02 worker-3 kubelet[1234]: I0312 10:01:02.123456    1234 eviction_manager.go:366] \
"Eviction manager: attempting to reclaim" resourceName="nodefs"
Mar 12 10:01:02 worker-3 kubelet[1234]: I0312 10:01:02.123499    1234 eviction_manager.go:377] \
"Eviction manager: must evict pod(s) to reclaim" resourceName="nodefs"
"""

EVICT_EVENT = """\
Events:
  Type     Reason                Age   From     Message
  ----     ------                ----  ----     -------
  Warning  EvictionThresholdMet  3m    kubelet  Attempting to reclaim memory
"""

EVICT_NEAR = ('Oct 17 12:05:33 worker-3 kubelet[1655]: E1017 12:05:33.254400    1655 '
              'eviction_manager.go:282] "Eviction manager: failed to get summary stats" '
              'err="failed to get node info: node \\"worker-3\\" not found"\n')


def test_eviction_manager_no_pods_to_evict_heldout():
    found = _loud(TRIAGE, EVICT_HELDOUT)
    assert [f["cause"] for f in found] == ["node_pressure"]
    assert found[0]["basis"] == "reported"
    assert "no pod is active that it could evict" in found[0]["message"]
    assert "docker system prune" in found[0]["fix"]


def test_eviction_manager_structured_and_event():
    found = _loud(TRIAGE, EVICT_STRUCTURED)
    assert [f["cause"] for f in found] == ["node_pressure"]
    assert "nodefs" in found[0]["message"]
    found = _loud(TRIAGE, EVICT_EVENT)
    assert [f["cause"] for f in found] == ["node_pressure"]
    assert "memory" in found[0]["message"]


def test_eviction_manager_summary_stats_is_no_pressure():
    assert "node_pressure" not in _causes(TRIAGE, EVICT_NEAR)


# --- a sandbox that cannot be stopped: its runtime handler is gone -------------------------------

TEARDOWN_HELDOUT = ('failed to find runtime handler nvidia from runtime list map[crun:... '
                    'runc:...], failed to "KillPodSandbox" for ...\n')

# the kubelet's FailedKillPod event with containerd's refusal of the handler
TEARDOWN_CONTAINERD = """\
Events:
  Type     Reason         Age                 From     Message
  ----     ------         ----                ----     -------
  Warning  FailedKillPod  2m (x14 over 20m)   kubelet  error killing pod: failed to \
"KillPodSandbox" for "5f1c2a7e-0d1b-4c52-9b1e-2f1a0c9d7e11" with KillPodSandboxError: "rpc error: \
code = Unknown desc = failed to get sandbox runtime: no runtime for \\"nvidia\\" is configured"
"""

# the same refusal when the sandbox is created: a missing handler, not a stuck pod
TEARDOWN_NEAR = """\
Events:
  Type     Reason                  Age   From     Message
  ----     ------                  ----  ----     -------
  Warning  FailedCreatePodSandBox  10s   kubelet  Failed to create pod sandbox: rpc error: code = \
Unknown desc = failed to find runtime handler nvidia from runtime list map[crun:0xc000 runc:0xc001]
"""


def test_handler_gone_at_teardown_heldout():
    found = _loud(GPU, TEARDOWN_HELDOUT)
    assert [f["cause"] for f in found] == ["stuck_terminating"]
    assert found[0]["basis"] == "reported"
    assert "CRI-O" in found[0]["message"] and "0f9036c" in found[0]["message"]
    assert _causes(TRIAGE, TEARDOWN_HELDOUT) == ["stuck_terminating"]


def test_handler_gone_at_teardown_containerd_event():
    found = _loud(GPU, TEARDOWN_CONTAINERD)
    assert [f["cause"] for f in found] == ["stuck_terminating"]
    assert "containerd" in found[0]["message"] and "CRI-O drop-in" not in found[0]["message"]
    assert _causes(TRIAGE, TEARDOWN_CONTAINERD) == ["stuck_terminating"]


def test_handler_missing_at_creation_is_not_teardown():
    assert _causes(GPU, TEARDOWN_NEAR) == ["nvidia_runtime_not_default"]
    assert _causes(TRIAGE, TEARDOWN_NEAR) == ["sandbox_failed"]
