"""Held-out round 83 (pods-nodes, explain_gpu_failure.py). Expected values come from the
upstream source or the public thread named at each test, never from the script:

- nvidia-smi's summary table: the third cell of a GPU's first row is its volatile uncorrectable
  ECC count ("0", "N/A", "Off" are no error); the header "Volatile Uncorr. ECC" names the
  column (NVIDIA/cloud-native-docs gpu-operator/troubleshooting.rst@52dcb7b:596-600). A table
  with zero counts is no gpu_xid_hardware (NVIDIA/gpu-operator#545, canonical/microk8s-core-
  addons#251: the thread's faults were elsewhere).
- nvidia-smi "WARNING: infoROM is corrupted at gpu 0000:0B:00.0" (exit 14): replace the GPU
  (the same guide, :567-629) -> gpu_xid_hardware.
- CUDA validation failing while nvidia-smi works on an NVSwitch system (DGX/HGX, SXM GPUs):
  Fabric Manager not running (the same guide, :176-181 "Operator validator pods crashing with
  'error code system not yet initialized'"; NVIDIA/gpu-operator#545) -> inferred.
- The device plugin's "did you set the docker default runtime to `nvidia`?" (k8s-device-plugin
  main.go@v0.7.0:65) beside Docker's default-runtime nvidia on a containerd-based node: the
  kubelet does not use Docker (NVIDIA/k8s-device-plugin#182, klueska) -> nvidia_runtime_not_
  default, inferred.
"""
from __future__ import annotations

import sys

import pytest

from .conftest import SCRIPTS, loud, paste_findings

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parents[1] / "_shared")]

from _tshoot import smi_table  # noqa: E402

GPU = "explain_gpu_failure.py"

# NVIDIA/gpu-operator#545 (driver 510), the GPU row cut by nvidia-smi's name width
SMI_510 = """\
+-----------------------------------------------------------------------------+
| NVIDIA-SMI 510.108.03   Driver Version: 510.108.03   CUDA Version: 11.6     |
|-------------------------------+----------------------+----------------------+
| GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
|                               |                      |               MIG M. |
|===============================+======================+======================|
|   0  NVIDIA A100-SXM...  On   | 00000000:07:00.0 Off |                    0 |
| N/A   28C    P0    49W / 400W |      0MiB / 40960MiB |      0%      Default |
|                               |                      |             Disabled |
+-------------------------------+----------------------+----------------------+
"""

# the 545 driver's wider layout (canonical/microk8s-core-addons#251), ECC unsupported: Off
SMI_545 = """\
| NVIDIA-SMI 545.23.08              Driver Version: 545.23.08    CUDA Version: 12.3     |
|-----------------------------------------+----------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |         Memory-Usage | GPU-Util  Compute M. |
|=========================================+======================+======================|
|   0  NVIDIA RTX A5000               On  | 00000000:01:00.0 Off |                  Off |
| 30%   28C    P8               7W / 230W |      2MiB / 24564MiB |      0%      Default |
"""

PODS_545 = """\
# kubectl get pod
NAME                                                          READY   STATUS                  RESTARTS       AGE
nvidia-container-toolkit-daemonset-lh5k8                      1/1     Running                 0              110m
nvidia-cuda-validator-kg6mn                                   0/1     Init:CrashLoopBackOff   6 (26s ago)    6m20s
nvidia-device-plugin-daemonset-l2c24                          1/1     Running                 0              110m
nvidia-operator-validator-pjhbf                               0/1     Init:CrashLoopBackOff   17 (80s ago)   110m
"""

# k8s-device-plugin#182 (wbadart's comment): Docker's daemon.json and the plugin's log
DAEMON_JSON = """\
I'm also seeing this error with my `microk8s` cluster. `/etc/docker/daemon.json`:
{
    "default-runtime": "nvidia",
    "runtimes": {
        "nvidia": {
            "path": "/usr/bin/nvidia-container-runtime",
            "runtimeArgs": []
        }
    }
}
"""
PLUGIN_LOG = """\
2020/10/14 18:04:53 Loading NVML
2020/10/14 18:04:53 Failed to initialize NVML: could not load NVML library.
2020/10/14 18:04:53 If this is a GPU node, did you set the docker default runtime to `nvidia`?
"""


def _causes(text: str) -> list[str]:
    return [f["cause"] for f in loud(paste_findings(GPU, text))]


# --- the ECC column: a count, not the header ------------------------------------------------

def test_smi_table_rows_read_both_layouts() -> None:
    assert [(g.number, g.ecc) for g in smi_table.gpus(SMI_510)] == [(0, "0")]
    assert [(g.name, g.ecc) for g in smi_table.gpus(SMI_545)] == [("NVIDIA RTX A5000", "Off")]


@pytest.mark.parametrize("table", [SMI_510, SMI_545], ids=["510-zero", "545-off"])
def test_ecc_header_with_no_count_is_no_hardware_fault(table: str) -> None:
    assert "gpu_xid_hardware" not in _causes(table)


def test_ecc_count_in_a_gpu_row_is_hardware() -> None:
    table = SMI_510.replace("Off |                    0 |", "Off |                    3 |")
    assert _causes(table)[0] == "gpu_xid_hardware"


def test_ecc_said_zero_in_prose_stays_silent() -> None:
    assert "gpu_xid_hardware" not in _causes("the GPU has 0 Volatile Uncorr. ECC")


# --- infoROM: the cloud-native-docs guide's output --------------------------------------------

def test_inforom_corrupted_is_hardware() -> None:
    text = SMI_510 + "WARNING: infoROM is corrupted at gpu 0000:0B:00.0\n14\n"
    found = loud(paste_findings(GPU, text))
    assert found[0]["cause"] == "gpu_xid_hardware"
    assert "infoROM" in found[0]["evidence"][0]


# --- Fabric Manager on an NVSwitch system -------------------------------------------------------

def test_dgx_cuda_validator_crashing_is_fabric_manager_inferred() -> None:
    found = loud(paste_findings(GPU, "RedHat 8.8 node (DGX A100)\n" + SMI_510 + PODS_545))
    assert found[0]["cause"] == "gpu_fabric_manager_not_running", found
    assert found[0]["basis"] == "inferred"
    assert "Fabric" in found[0]["confirm"]


DESCRIBE_VALIDATOR = """\
$ kubectl describe pod nvidia-cuda-validator-x7p2q -n gpu-operator
Name:         nvidia-cuda-validator-x7p2q
Namespace:    gpu-operator
Status:       Pending
Init Containers:
  cuda-validation:
    Image:         nvcr.io/nvidia/cloud-native/gpu-operator-validator:v23.3.2
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
    Ready:          False
    Restart Count:  6
"""


def test_hgx_named_with_a_described_validator() -> None:
    # another form: the validator pod described, the system named in prose (no SXM in a table)
    text = "Our HGX H100 nodes run the host driver; nvidia-smi is fine:\n" + \
        SMI_510.replace("A100-SXM...", "H100 80GB HBM3") + DESCRIBE_VALIDATOR
    assert _causes(text)[0] == "gpu_fabric_manager_not_running"


@pytest.mark.parametrize("text", [
    # a PCIe workstation GPU: no NVSwitch
    SMI_545 + PODS_545,
    # the validator ran: nothing to explain
    SMI_510 + PODS_545.replace("0/1     Init:CrashLoopBackOff   6 (26s ago)",
                               "0/1     Completed               0          "),
    # a DGX Station (SXM4, no NVSwitch) named, with a PCIe GPU table
    "DGX Station A100\n" + SMI_545 + PODS_545,
], ids=["pcie-gpu", "validator-completed", "dgx-station"])
def test_fabric_near_misses_stay_silent(text: str) -> None:
    assert "gpu_fabric_manager_not_running" not in _causes(text)


# --- Docker's default runtime on a containerd node ---------------------------------------------

def test_docker_default_on_microk8s_is_runtime_not_default() -> None:
    found = loud(paste_findings(GPU, DAEMON_JSON + PLUGIN_LOG))
    assert [f["cause"] for f in found][:2] == ["nvidia_runtime_not_default",
                                              "gpu_libraries_not_visible"]
    assert found[0]["basis"] == "inferred"
    assert "CONTAINER-RUNTIME" in found[0]["confirm"]


def test_docker_info_and_node_table_form() -> None:
    # another form: `docker info` and `kubectl get nodes -o wide` showing containerd
    text = (" Runtimes: io.containerd.runc.v2 nvidia runc\n Default Runtime: nvidia\n"
            "NAME    STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE"
            "             KERNEL-VERSION     CONTAINER-RUNTIME\n"
            "gpu-1   Ready    <none>   3d    v1.27.4   10.0.0.5      <none>        Ubuntu 22.04.3"
            " LTS   5.15.0-83-generic  containerd://1.7.2\n" + PLUGIN_LOG)
    assert _causes(text)[0] == "nvidia_runtime_not_default"


@pytest.mark.parametrize("text", [
    # the kubelet on Docker: the hint's own case, Docker's setting does apply
    DAEMON_JSON.replace("microk8s", "kubeadm") + PLUGIN_LOG +
    "gpu-1   Ready   <none>   3d   v1.19.2   10.0.0.5   <none>   Ubuntu   5.4.0   docker://19.3.13\n",
    # containerd, but Docker is not set to nvidia (nothing contradicts the hint)
    "microk8s cluster\n" + PLUGIN_LOG,
    # Docker set and containerd named, but the plugin loaded NVML
    DAEMON_JSON + "2020/10/14 18:04:53 Loading NVML\n2020/10/14 18:04:53 Starting GRPC server\n",
], ids=["docker-engine", "docker-not-set", "nvml-loaded"])
def test_engine_near_misses_keep_the_old_answer(text: str) -> None:
    assert "nvidia_runtime_not_default" not in _causes(text)
