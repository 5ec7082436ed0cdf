"""A node image that brings its own NVIDIA driver, container toolkit and device plugin, named in
a paste: Bottlerocket's Kubernetes NVIDIA variants.

Every aws-k8s-<version>-nvidia variant builds in the NVIDIA datacenter driver of branch 535 or
later (bottlerocket-os/bottlerocket variants/aws-k8s-1.24-nvidia ... aws-k8s-1.31-nvidia
Cargo.toml@91632ff5: kmod-5.15-nvidia-tesla-535, kmod-6.1-nvidia-tesla-535), which runs every
CUDA 12 runtime (minor version compatibility: 12.x >= 525.60.13, NVIDIA CUDA Compatibility
guide). From v1.19.2 (2024-02-26) the variants' container toolkit takes a pod's GPUs only as
volume mounts from Bottlerocket's own device plugin and ignores NVIDIA_VISIBLE_DEVICES in an
unprivileged container (bottlerocket 911775f5 packages/nvidia-container-toolkit/
nvidia-container-toolkit-config-k8s.toml: accept-nvidia-visible-devices-as-volume-mounts = true,
accept-nvidia-visible-devices-envvar-when-unprivileged = false; today sources/shared-defaults/
nvidia-k8s-container-toolkit.toml and nvidia-k8s-device-plugin.toml@91632ff5
device-list-strategy="volume-mounts"; SECURITY_GUIDANCE.md "Enforce requested NVIDIA GPU limits
for unprivileged containers"). A second device plugin on the node (NVIDIA's DaemonSet chart, the
GPU Operator's), whose default strategy passes the GPUs as NVIDIA_VISIBLE_DEVICES, then gets
containers nothing injected: CUDA finds no libcuda and says the driver is "insufficient"
(bottlerocket-os/bottlerocket#4309: fixed by keeping NVIDIA's DaemonSet off the Bottlerocket
nodes).

Read from the OS image the node reports (`kubectl get nodes -o wide` OS-IMAGE, `kubectl describe
node` "OS Image:", the node's status.nodeInfo.osImage: "Bottlerocket OS 1.27.1
(aws-k8s-1.30-nvidia)"), or from EKS's AMI type for Bottlerocket with NVIDIA
(BOTTLEROCKET_x86_64_NVIDIA, BOTTLEROCKET_ARM_64_NVIDIA).
"""
from __future__ import annotations

import re

# the OS image string: "Bottlerocket OS <version> (<variant>)", a -nvidia Kubernetes variant
_OS_IMAGE = re.compile(r"Bottlerocket OS (?P<version>\d+\.\d+\.\d+)\s*\((?P<variant>"
                       r"[\w-]*k8s-[\d.]+-nvidia[\w-]*)\)", re.I)
_AMI_TYPE = re.compile(r"\bBOTTLEROCKET_(?:x86_64|ARM_64)_NVIDIA\b")
_VOLUME_MOUNTS_FROM = (1, 19, 2)


def volume_mount_node(text: str) -> str:
    """The line naming a Bottlerocket Kubernetes NVIDIA node whose toolkit ignores
    NVIDIA_VISIBLE_DEVICES in unprivileged containers (v1.19.2+; an AMI type, no version), or
    ""."""
    for m in _OS_IMAGE.finditer(text):
        version = tuple(int(part) for part in m.group("version").split("."))
        if version >= _VOLUME_MOUNTS_FROM:
            return " ".join(m.group(0).split())
    m = _AMI_TYPE.search(text)
    return m.group(0) if m and not _OS_IMAGE.search(text) else ""
