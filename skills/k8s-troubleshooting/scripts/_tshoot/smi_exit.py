"""nvidia-smi's exit status, when a wrapper quotes only that number.

nvidia-smi exits with the NVML return code that stopped it (man nvidia-smi, RETURN VALUE: "9
NVIDIA driver is not loaded", "12 NVML Shared Library couldn't be found or loaded", "14
infoROM is corrupted", "15 The GPU has fallen off the bus or has otherwise become
inaccessible"; the same numbers as nvmlReturn_t, NVIDIA/go-nvml gen/nvml/nvml.h@v0.13.3-0:1307-
1313). Programs that run nvidia-smi and report its failure often keep only Go's exec error,
"exit status N": the GPU exporter utkuozdemir/nvidia_gpu_exporter's `command failed. stderr: %s
err: %w` (internal/exporter/exporter.go@bfa82ba, before v1.2.0; v1.2.0 on: `command failed.
code: %d | command: %s | ...`), whose scrape of a pod that could not load libnvidia-ml logged
"err: exit status 12" (utkuozdemir/nvidia_gpu_exporter#146: the chart hand-mounted the host's
library as a symlink without its versioned target).

A number means nothing without the program: "exit status 12" of anything else says nothing.
So the line must name nvidia-smi (reported), or the paste must run nvidia-smi through the
program whose line it is, that is name nvidia-smi elsewhere (a values file's command, the
exporter's image): then the code is nvidia-smi's by inference, and running nvidia-smi in the
pod, which prints NVML's own words, confirms it. Codes without one meaning in a pod (4 no
permission, 255 other) are not read.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "Pod", "name": ""}
# Go's *exec.ExitError "exit status N"; "exit code N"; the exporter's v1.2.0+ "command failed.
# code: N | command: ..."
_EXIT = re.compile(r"\bexit (?:status|code)[:=]? ?(?P<code>\d+)\b|"
                   r"\bcommand failed\. code: (?P<code2>\d+)\b", re.I)
_SMI = re.compile(r"\bnvidia-smi\b|\bnvidia_smi\b", re.I)

# code: (cause, what it means, fix)
_CODES = {
    12: ("gpu_libraries_not_visible",
         "NVML's shared library (libnvidia-ml.so.1) could not be found or loaded in the "
         "container (NVML_ERROR_LIBRARY_NOT_FOUND): the container does not see the driver's "
         "user-space libraries, because it was started without the NVIDIA container runtime "
         "that injects them, or they are mounted from the host by hand and a link in their "
         "symlink chain (libnvidia-ml.so -> .so.1 -> .so.<driver version>) points at a file "
         "not mounted",
         "let the NVIDIA runtime inject the driver: request the GPU (nvidia.com/gpu) and run the "
         "pod with runtimeClassName: nvidia (or nvidia as containerd's default runtime, or "
         "CDI) instead of hostPath-mounting libnvidia-ml; if you must mount it by hand, mount "
         "the versioned file the links resolve to (readlink -f on the node) as well"),
    9: ("gpu_driver_mismatch",
        "the NVIDIA kernel driver is not loaded on the node (NVML_ERROR_DRIVER_NOT_LOADED)",
        "on the node: lsmod | grep nvidia and nvidia-smi; install or load the driver (the GPU "
        "Operator's driver pod's log says why it did not), then restart the pod"),
    14: ("gpu_xid_hardware",
         "the GPU's infoROM is corrupted (NVML_ERROR_CORRUPTED_INFOROM)",
         "replace the GPU (NVIDIA's GPU Operator troubleshooting guide, 'infoROM is "
         "corrupted'); meanwhile kubectl cordon the node and drain it"),
    15: ("gpu_xid_hardware",
         "the GPU has fallen off the bus or is otherwise inaccessible (NVML_ERROR_GPU_IS_LOST)",
         "kubectl cordon the node, then drain it; reboot it; look for the Xid in journalctl -k; "
         "reseat or replace the GPU if it repeats"),
}


def _code(match: re.Match[str]) -> int:
    return int(match.group("code") or match.group("code2"))


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """One finding per nvidia-smi exit code this module reads; [] when no line quotes one or
    nothing in the paste says the program is nvidia-smi.

    >>> [f["cause"] for f in findings(["nvidia-smi failed: exit status 12"])]
    ['gpu_libraries_not_visible']
    >>> findings(["command failed: exit status 12"])
    []
    """
    text = "\n".join(texts)
    if not _SMI.search(text):
        return []
    out, seen = [], set()
    for line in text.splitlines():
        match = _EXIT.search(line)
        if not match or _code(match) not in _CODES or _code(match) in seen:
            continue
        seen.add(_code(match))
        out.append(_finding(_code(match), " ".join(line.split())[:240],
                            bool(_SMI.search(line))))
    return out


def _finding(code: int, line: str, named: bool) -> dict[str, Any]:
    cause, meaning, fix = _CODES[code]
    if named:
        return finding("error", cause, OBJECT, f"nvidia-smi exited {code}: {meaning}", [line],
                       fix, basis="reported")
    return finding("warning", cause, OBJECT,
                   f"a program that runs nvidia-smi (named in the paste) failed with exit "
                   f"status {code}, which is nvidia-smi's code for: {meaning}", [line], fix,
                   basis="inferred",
                   confirm="kubectl exec POD -- nvidia-smi (it prints NVML's own error)")
