"""CUDA's "driver version is insufficient" that no driver version cures: the container got no
driver library at all.

The CUDA runtime returns cudaErrorInsufficientDriver both when the driver is older than the
runtime and when it finds no libcuda in the container (PyTorch's "Found no NVIDIA driver" is the
same error with driver version 0: c10/cuda/CUDAFunctions.cpp device_count_impl). A reporter who
tried several driver versions and got the same error each time has ruled out the first reading:
a driver older than the image would be cured by a newer one. What is left is the injection: the
NVIDIA runtime hook handed the container no driver files (elastisys/compliantkubernetes-apps
#2470, fixed by PR #2473: the GPU Operator v24.9.2 toolkit's
ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED false, so the hook ignored the
unprivileged pod's NVIDIA_VISIBLE_DEVICES and injected nothing; the hook logs "Ignoring devices
specified in NVIDIA_VISIBLE_DEVICES (privileged=%v, %v=%v)", NVIDIA/nvidia-container-toolkit
cmd/nvidia-container-runtime-hook/container_config.go@v1.17.0:179, read by gpu.LIBS_NOT_VISIBLE).
A paste with one insufficient-driver line and nothing else keeps the driver-too-old reading.
"""
from __future__ import annotations

import re

# "tried several different GPU driver versions ..., all led to same error", "the same error with
# every driver version we tried": several driver versions, one outcome, in one sentence
_VERSIONS = r"(?:several|multiple|different|various|many|all|every|each|any)\s+(?:\w+\s+){0,3}" \
            r"driver(?:\s+version)?s?\b"
_SAME = r"\b(?:same|identical)\s+(?:error|issue|failure|problem|result|message)s?\b"
SAME_ACROSS_DRIVERS = re.compile(rf"{_VERSIONS}[^.\n]{{0,160}}?{_SAME}|"
                                 rf"{_SAME}[^.\n]{{0,100}}?{_VERSIONS}", re.I)


def across_drivers(text: str) -> str:
    """The sentence saying several driver versions fail the same way, or ""."""
    m = SAME_ACROSS_DRIVERS.search(text)
    return " ".join(m.group(0).split()) if m else ""
