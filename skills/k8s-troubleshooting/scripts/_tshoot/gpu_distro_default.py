"""A GPU container without the NVIDIA driver's libraries on k3s or RKE2, with no runtime class
named: their containerd runs runc by default, so a pod that relies on the default gets no driver.

k3s and RKE2 (which embeds k3s's agent) render containerd's config themselves at every start,
from their built-in template or a config.toml.tmpl beside it (rancher/rke2-docs@9477b7b docs/
advanced.md "Configuring containerd"), add an `nvidia` runtime they find on the node, and keep
runc the default unless told otherwise (their `default-runtime` option, "Set the default runtime
in containerd": docs/reference/linux_agent_config.md@9477b7b:80). Their GPU guide's test pod
therefore sets `runtimeClassName: nvidia` (docs/advanced.md@404791cb "Deploy NVIDIA operator",
2024-05; docs/add-ons/gpu_operators.md@9477b7b:246, needed until GPU Operator v25.10's CDI mode,
:120). The GPU Operator's toolkit makes nvidia the default only in the config file it is given:
written to /etc/containerd/config.toml (its default path) k3s's containerd never reads it; written
to the rendered config.toml it is lost at the next render (_tshoot/gpu_rendered_config.py,
NVIDIA/gpu-operator#473); written to a template k3s cannot use, likewise. A pod without
runtimeClassName then runs under runc with no libcuda: CUDA says the driver is "insufficient"
and NVML cannot load its library, whatever the node's driver. A toolkit up to v1.11 also
writes a version 2 config into a file that k3s's containerd of that time read as version 1,
unless CONTAINERD_USE_LEGACY_CONFIG=true ("Specify whether a legacy (pre v1.3) config should be
used": NVIDIA/nvidia-container-toolkit tools/container/containerd/containerd.go@v1.11.0:170-173,
ParseVersion :306: no config means version 2).

The paste shows the distribution and the symptom, not containerd's config: inferred, ahead of
the reported gpu_libraries_not_visible, confirmed by the rendered config's default_runtime_name.
Silent when the paste sets the runtime class on the pod, or nvidia as the default
(default_runtime_name, RKE2/k3s default-runtime), or another rule already named the runtime.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "Node", "name": ""}
# k3s or RKE2 named: in words, a version (v1.24.3+k3s1, v1.28.9+rke2r1), their paths
_DISTRO = re.compile(r"\b(?:k3s|rke2)|\+(?:k3s|rke2r)\d|/var/lib/rancher/(?:k3s|rke2)/", re.I)
# the pod selects the NVIDIA runtime, or nvidia is made containerd's default
_SELECTED = re.compile(r"runtimeClassName\W{0,4}\s*[\"']?nvidia|"
                       r"default_runtime_name\s*=\s*[\"']nvidia|"
                       r"default-runtime\W{0,4}\s*[\"']?nvidia", re.I)
_LIBS = "gpu_libraries_not_visible"
_RUNTIME = "nvidia_runtime_not_default"


def _line_of(text: str, at: int) -> str:
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    return " ".join(text[start:end if end >= 0 else None].split())[:200]


def ahead(texts: list[str], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`found` with nvidia_runtime_not_default (inferred) first when a GPU container got no
    driver libraries on k3s/RKE2 and nothing in the paste selects the NVIDIA runtime; `found`
    unchanged else."""
    text = "\n".join(texts)
    distro = _DISTRO.search(text)
    if distro is None or _SELECTED.search(text) or \
            not any(f["cause"] == _LIBS and f["object"]["kind"] != "Node" for f in found) or \
            any(f["cause"] == _RUNTIME for f in found):
        return found
    name = "RKE2" if "rke2" in distro.group(0).lower() else "k3s"
    data_dir = f"/var/lib/rancher/{name.lower()}"
    return [finding(
        "warning", _RUNTIME, OBJECT,
        f"the container got no NVIDIA driver libraries on {name}, and nothing in the paste "
        f"selects the NVIDIA runtime: {name} renders its containerd config itself, adds an "
        "nvidia runtime but keeps runc the default, so a GPU pod without runtimeClassName: "
        "nvidia runs under runc, gets no libcuda and CUDA calls the driver 'insufficient'; the "
        "GPU Operator's toolkit sets nvidia as the default only where its CONTAINERD_CONFIG "
        f"points, which {name}'s containerd does not read (the default path) or renders again "
        "(config.toml)",
        [f"{name} named in the paste: {_line_of(text, distro.start())}",
         "no runtimeClassName: nvidia, default_runtime_name = \"nvidia\" or default-runtime: "
         "nvidia in the paste"],
        "set runtimeClassName: nvidia on the GPU pods (the GPU Operator creates that "
        f"RuntimeClass), or make nvidia the default for {name}'s containerd: {name}'s own "
        "default-runtime: nvidia (config.yaml), or the GPU Operator's toolkit.env "
        f"CONTAINERD_CONFIG={data_dir}/agent/etc/containerd/config.toml.tmpl (config-v3.toml."
        "tmpl with containerd 2.0), CONTAINERD_SOCKET=/run/k3s/containerd/containerd.sock and "
        "CONTAINERD_SET_AS_DEFAULT=true (an older toolkit that writes a version 2 config into "
        "a version 1 template needs CONTAINERD_USE_LEGACY_CONFIG=true); then delete the pod",
        basis="inferred",
        confirm=f"on the node: grep -n default_runtime_name {data_dir}/agent/etc/containerd/"
                "config.toml")] + found
