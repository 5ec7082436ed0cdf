"""Held-out round 85 (pods-nodes, explain_gpu_failure.py). Expected values come from the
upstream source or the public thread named at each test, never from the script:

- apt's signature refusal ("GPG error: <uri> InRelease: The following signatures couldn't be
  verified because the public key is not available: NO_PUBKEY <key>", apt 2.6.1 methods/gpgv.cc,
  apt-pkg/acquire-item.cc) in the GPU Operator's Ubuntu driver container, which updates apt's
  cache under `set -eu` before installing the kernel headers it builds with (NVIDIA/
  gpu-driver-container ubuntu20.04/nvidia-driver@90336c1:4,25-28; its later "ERROR: Failed to
  update package cache." ubuntu22.04/nvidia-driver@06a208c:43): no driver is built
  (canonical/microk8s-core-addons#34, fixed by GPU Operator v1.10.1 in #44) -> gpu_driver_build_
  failed; the same line in an image build is no driver fault.
- A device plugin DaemonSet that desires no pod (kubectl get ds DESIRED, printers.go@v1.37.2:164;
  describe's "Desired Number of Nodes Scheduled", kubectl describe.go@v0.37.2:2541): no plugin,
  no nvidia.com/gpu; chart v0.15.0 requires NFD's pci-10de label or nvidia.com/gpu.present=true
  (NVIDIA/k8s-device-plugin values.yaml@v0.15.0:62-83; siderolabs/talos#9187) ->
  gpu_not_advertised.
- CUDA's "insufficient" on a Bottlerocket aws-k8s-*-nvidia node (driver branch 535: variants/
  aws-k8s-1.30-nvidia/Cargo.toml@91632ff5; toolkit ignoring NVIDIA_VISIBLE_DEVICES when
  unprivileged from v1.19.2, bottlerocket 911775f5): no libcuda injected (bottlerocket-os/
  bottlerocket#4309, a second device plugin DaemonSet) -> gpu_libraries_not_visible.
- CUDA's "insufficient" with a driver that supports the image's CUDA on k3s/RKE2, no runtime
  class: their containerd keeps runc the default (rancher/rke2-docs linux_agent_config.md@9477b7b:
  80 default-runtime; advanced.md@404791cb's test pod sets runtimeClassName: nvidia; NVIDIA/
  gpu-operator#415) -> nvidia_runtime_not_default, inferred, before gpu_libraries_not_visible.
"""
from __future__ import annotations

import pytest

from .conftest import loud, paste_findings

GPU = "explain_gpu_failure.py"


def _causes(text: str) -> list[str]:
    return [f["cause"] for f in loud(paste_findings(GPU, text))]


# --- the driver container cannot update its package cache ---------------------------------------

# canonical/microk8s-core-addons#34, as the reporter wrote it
GPG_HELDOUT = """\
Installation of the GPU addon fails because the NVIDIA GPU Driver containers cannot install the \
required driver packages with apt due to outdated/missing GPG keys:
`W: GPG error: https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2004/x86_64  \
InRelease: The following signatures couldn't be verified because the public key is not \
available: NO_PUBKEY A4B469963BF863CC`
"""

# the driver container's own log (nvidia-driver init, ubuntu20.04/nvidia-driver@90336c1:516-517)
# with an expired key and apt's "is not signed" line
DRIVER_CTR_LOG = """\
$ kubectl logs -n gpu-operator nvidia-driver-daemonset-7xk2p -c nvidia-driver-ctr

========== NVIDIA Software Installer ==========

Starting installation of NVIDIA driver version 470.57.02 for Linux kernel version 5.4.0-109-generic

Stopping NVIDIA persistence daemon...
Unloading NVIDIA driver kernel modules...
Unmounting NVIDIA driver rootfs...
Checking NVIDIA driver packages...
Updating the package cache...
W: GPG error: http://archive.example.org/ubuntu focal InRelease: The following signatures were \
invalid: EXPKEYSIG 3B4FE6ACC0B21F32 Ubuntu Archive Automatic Signing Key (2012)
E: The repository 'http://archive.example.org/ubuntu focal InRelease' is not signed.
Stopping NVIDIA persistence daemon...
"""

# a later driver image's own words for the same failure (ubuntu22.04/nvidia-driver@06a208c:43)
DRIVER_CTR_NEW = """\
nvidia-driver-ctr Updating the package cache...
nvidia-driver-ctr ERROR: Failed to update package cache.  Ensure that the cluster can access \
the proper networks.
"""

# a user's own image build on a CUDA base image: the same apt line, no driver container
IMAGE_BUILD = """\
$ docker build -t trainer:latest .
Step 2/9 : RUN apt-get update && apt-get install -y python3-pip
W: GPG error: https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2004/x86_64  \
InRelease: The following signatures couldn't be verified because the public key is not \
available: NO_PUBKEY A4B469963BF863CC
E: The repository 'https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2004/x86_64  \
InRelease' is not signed.
"""


def test_driver_container_gpg_error_is_a_build_failure() -> None:
    found = loud(paste_findings(GPU, GPG_HELDOUT))
    assert found[0]["cause"] == "gpu_driver_build_failed"
    assert found[0]["basis"] == "reported"
    assert "NO_PUBKEY" in found[0]["evidence"][0]


@pytest.mark.parametrize("text", [DRIVER_CTR_LOG, DRIVER_CTR_NEW], ids=["expkeysig", "newer-error"])
def test_driver_container_log_forms(text: str) -> None:
    assert _causes(text)[0] == "gpu_driver_build_failed"


def test_image_build_gpg_error_is_no_driver_fault() -> None:
    assert "gpu_driver_build_failed" not in _causes(IMAGE_BUILD)


# --- the device plugin's DaemonSet desires no pod -----------------------------------------------

# siderolabs/talos#9187 (the reporter's comment)
DS_HELDOUT = """\
No, it does not show up. And like I said, the device plugin daemonset is not even setting any \
desired count. There is nothing to log with it since there are no pods for the daemonset.

```
Capacity:
  cpu:                32
  ephemeral-storage:  1951312988Ki
  hugepages-2Mi:      0
  memory:             264074052Ki
  pods:               110
```
"""

DS_TABLE = """\
$ kubectl get ds -A
NAMESPACE     NAME                                      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
kube-system   kube-proxy                                3         3         3       3            3           kubernetes.io/os=linux   40d
nvidia        nvidia-device-plugin                      0         0         0       0            0           <none>                   2d
nvidia        nvidia-device-plugin-mps-control-daemon   0         0         0       0            0           nvidia.com/mps.capable=true   2d
"""

DS_DESCRIBED = """\
Name:           nvidia-device-plugin-daemonset
Namespace:      kube-system
Selector:       name=nvidia-device-plugin-ds
Node-Selector:  <none>
Labels:         <none>
Desired Number of Nodes Scheduled: 0
Current Number of Nodes Scheduled: 0
Number of Nodes Scheduled with Up-to-date Pods: 0
Number of Nodes Scheduled with Available Pods: 0
Number of Nodes Misscheduled: 0
"""

DS_YAML = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nvdp-nvidia-device-plugin
  namespace: nvidia-device-plugin
status:
  currentNumberScheduled: 0
  desiredNumberScheduled: 0
  numberMisscheduled: 0
  numberReady: 0
"""


def test_plugin_daemonset_said_to_desire_nothing() -> None:
    found = loud(paste_findings(GPU, DS_HELDOUT))
    assert found[0]["cause"] == "gpu_not_advertised"
    assert found[0]["basis"] == "inferred"
    assert "nvidia.com/gpu.present" in found[0]["confirm"]


@pytest.mark.parametrize("text", [DS_TABLE, DS_DESCRIBED, DS_YAML],
                         ids=["get-ds", "describe-ds", "yaml"])
def test_plugin_daemonset_status_forms_are_reported(text: str) -> None:
    found = loud(paste_findings(GPU, text))
    assert found[0]["cause"] == "gpu_not_advertised"
    assert found[0]["basis"] == "reported"


@pytest.mark.parametrize("text", [
    # only the MPS control daemon at 0: it runs on MPS-labelled nodes only
    DS_TABLE.replace("nvidia-device-plugin                      0         0         0       "
                     "0            0 ", "nvidia-device-plugin                      1         "
                     "1         1       1            1 "),
    # the plugin DaemonSet at 0 but the node advertises GPUs (a plugin the image runs itself)
    DS_DESCRIBED + "Capacity:\n  cpu:             8\n  nvidia.com/gpu:  4\n  pods:            110\n",
], ids=["mps-daemon-only", "capacity-has-gpus"])
def test_plugin_daemonset_near_misses_stay_silent(text: str) -> None:
    assert "gpu_not_advertised" not in _causes(text)


# --- CUDA "insufficient" on a Bottlerocket NVIDIA node --------------------------------------------

# bottlerocket-os/bottlerocket#4309
BOTTLEROCKET_HELDOUT = """\
OS Image
Bottlerocket OS 1.27.1 (aws-k8s-1.30-nvidia)
Kernel version
6.1.115
Container runtime
containerd://1.7.22+bottlerocket

W1120 16:31:10.566164 1 pinned_memory_manager.cc:273] "Unable to allocate pinned system memory, \
pinned memory pool will not be available: CUDA driver version is insufficient for CUDA runtime \
version"
E1120 16:31:10.566309 1 server.cc:241] "CudaDriverHelper has not been initialized."
"""

# `kubectl get nodes -o wide` and a PyTorch program's CUDA error
BOTTLEROCKET_WIDE = """\
NAME                          STATUS   ROLES    AGE   VERSION               INTERNAL-IP    EXTERNAL-IP   OS-IMAGE                                     KERNEL-VERSION   CONTAINER-RUNTIME
ip-10-0-3-17.ec2.internal     Ready    <none>   2d    v1.29.3-eks-ae9a62a   10.0.3.17      <none>        Bottlerocket OS 1.20.0 (aws-k8s-1.29-nvidia)   6.1.82           containerd://1.6.31+bottlerocket
RuntimeError: CUDA error: cudaErrorInsufficientDriver: CUDA driver version is insufficient for \
CUDA runtime version
"""


def test_insufficient_on_bottlerocket_nvidia_is_no_driver_injected() -> None:
    found = loud(paste_findings(GPU, BOTTLEROCKET_HELDOUT))
    assert found[0]["cause"] == "gpu_libraries_not_visible"
    assert any("Bottlerocket OS 1.27.1" in e for e in found[0]["evidence"])
    assert "volume mounts" in found[0]["fix"]


def test_bottlerocket_node_table_form() -> None:
    assert _causes(BOTTLEROCKET_WIDE)[0] == "gpu_libraries_not_visible"


@pytest.mark.parametrize("text", [
    # before v1.19.2 the toolkit still read NVIDIA_VISIBLE_DEVICES
    BOTTLEROCKET_HELDOUT.replace("1.27.1", "1.15.0"),
    # a CUDA 13 image: newer than the variants' 535 driver
    BOTTLEROCKET_HELDOUT + "image: nvcr.io/nvidia/cuda:13.0.1-runtime-ubuntu24.04\n",
    # not Bottlerocket
    BOTTLEROCKET_HELDOUT.replace("Bottlerocket OS 1.27.1 (aws-k8s-1.30-nvidia)",
                                 "Ubuntu 22.04.4 LTS"),
], ids=["before-1.19.2", "cuda-13-image", "ubuntu"])
def test_bottlerocket_near_misses_keep_the_driver_reading(text: str) -> None:
    assert _causes(text)[0] == "gpu_driver_mismatch"


# --- CUDA "insufficient" on k3s / RKE2 without the runtime class -----------------------------------

# NVIDIA/gpu-operator#415 (the issue description, the full-width colon as typed)
K3S_HELDOUT = """\
`kubectl --kubeconfig -n gpu logs cuda-vectoradd`
```
Failed to allocate device vector A (error code CUDA driver version is insufficient for CUDA \
runtime version)!
[Vector addition of 50000 elements]
```
K3S Version: v1.24.3+k3s1
GPU Operator Version: v22.9.0
CUDA Version: 11.7.1-base-ubi8
Driver Pre-installed: No
Driver Version\uff1a515.65.01-rhel8.4
Container-Toolkit Pre-installed: No
cuda-sample: cuda-sample:vectoradd-cuda11.7.1-ubi8
"""

# RKE2, the driver from `nvidia-smi -q`, a CUDA 12 image
RKE2_SMI_Q = """\
$ rke2 --version
rke2 version v1.28.9+rke2r1 (07bf87f9118c1ef27b4d8fe5bc1b7e7b0bcf5d2c)
$ nvidia-smi -q | head
Driver Version                            : 550.54.15
CUDA Version                              : 12.4
$ kubectl logs cuda-test
image: nvidia/cuda:12.2.0-base-ubuntu22.04
CUDA error: CUDA driver version is insufficient for CUDA runtime version
"""


def test_k3s_insufficient_with_a_fitting_driver_is_runtime_not_default() -> None:
    found = loud(paste_findings(GPU, K3S_HELDOUT))
    assert [f["cause"] for f in found][:2] == ["nvidia_runtime_not_default",
                                              "gpu_libraries_not_visible"]
    assert found[0]["basis"] == "inferred"
    assert "/var/lib/rancher/k3s/agent/etc/containerd/config.toml" in found[0]["confirm"]


def test_rke2_with_nvidia_smi_q_form() -> None:
    found = loud(paste_findings(GPU, RKE2_SMI_Q))
    assert found[0]["cause"] == "nvidia_runtime_not_default"
    assert "rke2" in found[0]["confirm"]


@pytest.mark.parametrize("text,first", [
    # the pod selects the runtime class: the default is not the fault
    (RKE2_SMI_Q + "spec:\n  runtimeClassName: nvidia\n", "gpu_libraries_not_visible"),
    # the driver really is older than the image's CUDA (470 runs CUDA 11 at most)
    (RKE2_SMI_Q.replace("550.54.15", "470.223.02").replace("12.4", "11.4"),
     "gpu_driver_mismatch"),
], ids=["runtime-class-set", "driver-too-old"])
def test_distro_near_misses(text: str, first: str) -> None:
    causes = _causes(text)
    assert causes[0] == first
    assert "nvidia_runtime_not_default" not in causes
