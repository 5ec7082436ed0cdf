"""A GPU container that works from containerd's ctr with --gpus while the Kubernetes pod on the
same node gets no driver files: the NVIDIA runtime is not the one the CRI uses.

`ctr run --gpus N` adds the NVIDIA hook to that one container itself: ctr's run command calls
nvidia.WithGPUs (containerd v2.1.4 cmd/ctr/commands/run/run_unix.go:335), which appends a
CreateRuntime hook running nvidia-container-cli (contrib/nvidia/nvidia.go:90), whatever runtime
containerd would pick. A pod goes through the CRI plugin, which runs its containers with
default_runtime_name (runc unless changed) or the pod's RuntimeClass handler, so without either
naming the nvidia runtime nothing injects the driver: the pod's nvidia-smi is a blank file
(NVIDIA/nvidia-container-runtime#147: the maintainer named the --gpus bypass, the reporter fixed
it with default_runtime_name = "nvidia"). A paste whose containerd config already makes nvidia
the default says otherwise, and stays silent here.

The paste shows the contrast, not containerd's config: the finding is inferred.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "Node", "name": ""}
# ctr (containerd-ctr on some distributions) running a container with --gpus
_CTR_GPUS = re.compile(r"^[ \t>$#]*(?:sudo\s+)?(?:\S*/)?(?:containerd-)?ctr\b[^\n]*\brun\b"
                       r"[^\n]*\s--gpus[= ]\S+[^\n]*", re.M)
# the pod's container without the driver's files: nvidia-smi blank/empty/zero bytes
_POD_NO_DRIVER = re.compile(r"nvidia-smi[^\n.]{0,80}?\b(?:blank|empty|zero[- ]byte|0[- ]byte)"
                            r"|\b(?:blank|empty|zero[- ]byte|0[- ]byte) (?:file )?"
                            r"[^\n.]{0,40}?nvidia-smi", re.I)
_KUBERNETES = re.compile(r"\b(?:k8s|kubernetes|kubelet|pods?|CRI)\b", re.I)
# the ctr run itself failing is the driver's or the toolkit's fault, not the CRI's runtime
_CTR_FAILED = re.compile(r"nvidia-container-cli: [\w ]*error|ctr: [^\n]*(?:failed|error)", re.I)
_NVIDIA_DEFAULT = re.compile(r"default_runtime_name\s*=\s*[\"']nvidia", re.I)


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """nvidia_runtime_not_default (inferred) when ctr --gpus works and the pod gets no driver
    files; [] else."""
    text = "\n".join(texts)
    ctr, pod = _CTR_GPUS.search(text), _POD_NO_DRIVER.search(text)
    if not (ctr and pod and _KUBERNETES.search(text)) or _CTR_FAILED.search(text) or \
            _NVIDIA_DEFAULT.search(text):
        return []
    return [finding(
        "warning", "nvidia_runtime_not_default", OBJECT,
        "the GPU container works from ctr --gpus but not in the pod: ctr's --gpus adds the "
        "NVIDIA hook to its own container, while the kubelet's containers run with containerd's "
        "default runtime (runc unless set) or the pod's RuntimeClass, so the NVIDIA runtime "
        "never injects the driver into the pod",
        [" ".join(ctr.group(0).split())[:200], " ".join(pod.group(0).split())[:200]],
        "make the NVIDIA runtime the CRI's default: in /etc/containerd/config.toml set "
        "default_runtime_name = \"nvidia\" under the cri plugin's containerd section (nvidia-ctk "
        "runtime configure --runtime=containerd --set-as-default) and restart containerd; or "
        "create a RuntimeClass with handler nvidia and set runtimeClassName: nvidia on GPU pods "
        "(NVIDIA/nvidia-container-runtime#147)",
        basis="inferred",
        confirm="on the node: containerd config dump | grep -n default_runtime_name (and "
        "kubectl get runtimeclass)")]
