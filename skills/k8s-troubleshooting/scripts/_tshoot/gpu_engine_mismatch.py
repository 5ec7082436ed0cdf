"""The device plugin cannot load NVML although Docker's default runtime is nvidia: the node's
Kubernetes does not run its containers through Docker.

The device plugin's init failure asks "If this is a GPU node, did you set the docker default
runtime to `nvidia`?" (NVIDIA/k8s-device-plugin main.go@v0.7.0:65, internal/plugin/factory.go
@v0.20.0:100), a hint written for dockershim nodes. Docker's default runtime is dockerd's
`"default-runtime"` in /etc/docker/daemon.json (docker/cli v29.7.2 docs/reference/dockerd.md:
1105; `docker info` prints it as " Default Runtime:", cli/command/system/info.go:298): it
applies to Docker's containers only. A cluster whose kubelet talks to containerd or CRI-O
(microk8s, k3s, RKE2 and kubeadm with containerd; a node's CONTAINER-RUNTIME containerd:// or
cri-o://) never reads it, so the plugin runs under runc without the NVIDIA hook and finds no
libnvidia-ml. NVIDIA/k8s-device-plugin#182 (klueska, issuecomment-710147535): microk8s "does
not run with docker but with standalone containerd": make nvidia the default runtime in
containerd's config (microk8s: args/containerd.toml, or `microk8s enable gpu`).

The paste shows Docker's setting and a containerd-based node, not the kubelet's runtime:
inferred, confirmed by `kubectl get nodes -o wide` (CONTAINER-RUNTIME).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "Node", "name": ""}
# Docker set to nvidia by default: daemon.json's key, or docker info's line
_DOCKER_DEFAULT = re.compile(r"\"default-runtime\"\s*:\s*\"nvidia\"|^\s*Default Runtime:\s*nvidia\b",
                             re.I | re.M)
# a node whose kubelet uses containerd or CRI-O: a distribution built on containerd, or the
# runtime's scheme in a CONTAINER-RUNTIME cell or a container ID
_NOT_DOCKER = re.compile(r"\bmicrok8s\b|\bk3s\b|\brke2\b|\b(?:containerd|cri-o)://", re.I)
# the kubelet on Docker after all (dockershim, cri-dockerd), or containerd already set to nvidia
_DOCKER_ENGINE = re.compile(r"\bdocker://|cri-dockerd|default_runtime_name\s*=\s*[\"']nvidia",
                            re.I)
_LIBS = "gpu_libraries_not_visible"


def ahead(texts: list[str], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`found` with nvidia_runtime_not_default (inferred) first when the NVIDIA libraries are
    not visible while Docker, which the node's Kubernetes does not use, has nvidia by default;
    `found` unchanged else."""
    text = "\n".join(texts)
    docker, engine = _DOCKER_DEFAULT.search(text), _NOT_DOCKER.search(text)
    if not (docker and engine) or _DOCKER_ENGINE.search(text) or \
            not any(f["cause"] == _LIBS for f in found):
        return found
    return [finding(
        "warning", "nvidia_runtime_not_default", OBJECT,
        "the NVIDIA libraries are not visible to the device plugin although Docker's default "
        "runtime is nvidia: this node's Kubernetes runs containers through containerd or CRI-O "
        f"('{engine.group(0)}' in the paste), which never read Docker's daemon.json, so its "
        "pods run under runc without the NVIDIA hook",
        [" ".join(docker.group(0).split()), " ".join(engine.group(0).split())],
        "make nvidia the default runtime of the engine the kubelet uses: containerd's "
        "default_runtime_name = \"nvidia\" (nvidia-ctk runtime configure --runtime=containerd "
        "--set-as-default, then restart containerd; microk8s: microk8s enable gpu or its "
        "args/containerd.toml; k3s/RKE2: their config.toml.tmpl), or a RuntimeClass nvidia with "
        "runtimeClassName: nvidia on the GPU pods (NVIDIA/k8s-device-plugin#182)",
        basis="inferred",
        confirm="kubectl get nodes -o wide (CONTAINER-RUNTIME: containerd:// or cri-o://)")] + found
