"""The NVIDIA runtime handler in a pasted containerd config (config.toml, `containerd config
dump`): which binary its options name. The handler is only NVIDIA's when its runc options'
BinaryName is an NVIDIA container runtime; another binaryName there (a deployment tool's
lowerCamelCase key beside the toolkit's: kubernetes-sigs/kubespray#12167,
NVIDIA/gpu-operator#1374) made the `nvidia` RuntimeClass run plain runc, so its containers
got no driver files."""
from __future__ import annotations

import re

# `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.nvidia.options]` (containerd 1.x)
# and `[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.nvidia.options]` (2.x)
_NVIDIA_OPTIONS = re.compile(r"^\s*\[plugins\.[^\]\n]*\.runtimes\.[\"']?nvidia[\"']?\.options\]"
                             r"\s*$", re.I)
_SECTION = re.compile(r"^\s*\[")
_BINARY = re.compile(r"^\s*binaryname\s*=\s*[\"'](?P<path>[^\"']*)[\"']", re.I)


def non_nvidia_binaries(text: str) -> list[str]:
    """The nvidia handler's binaryName lines whose binary is no NVIDIA runtime, when the
    handler also names one ([] otherwise: one binary, or no such section)."""
    binaries, inside = [], False
    for line in text.splitlines():
        if _SECTION.match(line):
            inside = bool(_NVIDIA_OPTIONS.match(line))
            continue
        m = _BINARY.match(line) if inside else None
        if m:
            binaries.append((m.group("path"), line.strip()))
    names = [path.rsplit("/", 1)[-1] for path, _ in binaries]
    if not any("nvidia" in name for name in names):
        return []
    return [line for (_, line), name in zip(binaries, names) if "nvidia" not in name]
