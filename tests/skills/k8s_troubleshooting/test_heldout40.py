"""Held-out round 40: a GPU driver that cannot be built for the node's kernel, and pods of all
namespaces the kubelet refused, listed by a filtered `kubectl get pods -A -o wide`. Ground
truth: NVIDIA/gpu-operator#729 (modpost's GPL-only symbol error, linux scripts/mod/modpost.c,
driver 535.54.03 on 5.15.0-1064-azure, fixed in 535.183.08); the GPU Operator driver
container's "Could not resolve Linux kernel version" (its nvidia-driver script: no headers
for the running kernel); rancher/rke2#127 (NodeAffinity admission, kubernetes#92067/#94087)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import run_script


@pytest.mark.parametrize("line", [
    "ERROR: modpost: GPL-incompatible module nvidia.ko uses GPL-only symbol "
    "'rcu_read_unlock_strict'",
    "Could not resolve Linux kernel version",
    "ERROR: Unable to build the NVIDIA kernel module.",
])
def test_a_driver_that_cannot_be_built_for_the_kernel(line):
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=line + "\n")
    first = res.doc["findings"][0]
    # its own id since round 82 (CONTRIBUTING.md: the corpus accepts gpu_driver_mismatch too)
    assert first["cause"] == "gpu_driver_build_failed" and "cannot be built" in first["message"]


def test_triage_reads_the_driver_pods_log():
    text = ("nvidia-driver-daemonset-x   0/1   CrashLoopBackOff   12   40m\n\n"
            "$ kubectl logs -n gpu-operator nvidia-driver-daemonset-x\n"
            "Could not resolve Linux kernel version\n")
    assert _causes("triage.py", text)[0] == "gpu_driver_build_failed"


def test_refused_pods_of_all_namespaces_without_the_header():
    text = ("kubectl get pods -A  -o wide |grep helm\n"
            "kube-system   helm-install-canal-6qn9r     0/1     NodeAffinity   0          38m   "
            "<none>          ip-172-31-27-126   <none>           <none>\n"
            "kube-system   helm-install-canal-w8wn7     0/1     Completed      0          37m   "
            "172.31.27.126   ip-172-31-27-126   <none>           <none>\n")
    assert _causes("triage.py", text) == ["kubelet_admission_rejected"]


# NVIDIA/k8s-device-plugin#109 (a v1beta1 plugin on a 1.10 kubelet), #32 (a 1.9 plugin on
# master), #10 (1.8 without the DevicePlugins feature gate): main.go "Could not register device
# plugin: %s"
@pytest.mark.parametrize("line, fix", [
    ("2019/04/05 04:02:20 Could not register device plugin: rpc error: code = Unimplemented "
     "desc = unknown service v1beta1.Registration", "release made for this Kubernetes"),
    ("2017/11/24 09:06:29 Could not register device plugin: context deadline exceeded",
     "DevicePlugins=true"),
])
def test_a_device_plugin_that_cannot_register(line, fix):
    text = ("2019/04/05 04:02:20 Starting to serve on /var/lib/kubelet/device-plugins/nvidia.sock"
            "\n" + line + "\n2019/04/05 04:02:20 Could not contact Kubelet, retrying. Did you "
            "enable the device plugin feature gate?\n")
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_not_advertised" and fix in first["fix"], first


# round 42: go-nvml's ERROR_LIBRARY_NOT_FOUND (NVIDIA/k8s-device-plugin#856; KAI-Scheduler#349,
# PR #360) and nvidia-smi missing from a GPU container the NVIDIA runtime did not set up
# (NVIDIA/nvkind#31)
@pytest.mark.parametrize("script, text", [
    ("explain_gpu_failure.py", "error starting plugins: error creating plugin manager: unable to "
     "create plugin manager: nvml init failed: ERROR_LIBRARY_NOT_FOUND\n"),
    ("triage.py", 'failed to create shim task: OCI runtime create failed: runc create failed: '
     'unable to start container process: exec: "nvidia-smi": executable file not found in '
     '$PATH: unknown\n'),
])
def test_the_nvidia_libraries_not_in_the_container(script, text):
    assert _causes(script, text)[0] == "gpu_libraries_not_visible"


def test_a_device_plugin_that_cannot_start():
    # NVIDIA/k8s-device-plugin#399: NVML cannot read a MIG device's memory without
    # NVIDIA_MIG_MONITOR_DEVICES=all (the maintainer's answer, the reporter's confirmation)
    text = ("Error starting plugins: unable to add default resources to config: error visiting "
            "devices: error visiting device: error visiting device: error getting device memory "
            "info: Insufficient Pemmissions\n")
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_not_advertised" and "NVIDIA_MIG_MONITOR_DEVICES" in first["fix"]


def test_the_cni_bridge_plugins_own_error():
    # containernetworking/plugins#366 (bridge.go "failed to set bridge addr: %v": cni0 raced
    # by pods started together at node start)
    text = ("This can cause pod start failure with error `failed to set bridge addr: could not "
            "add IP address to \\\"cni0\\\": file exists`.\n")
    assert _causes("triage.py", text)[0] == "sandbox_failed"
