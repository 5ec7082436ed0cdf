"""The GPU Operator's CUDA validation failing on an NVSwitch system while nvidia-smi works: NVIDIA
Fabric Manager is the likely cause even when the validator's log is not in the paste.

On NVSwitch-based systems (DGX and HGX servers: A100, H100 and later 8-GPU boards) the memory
fabric must be set up by nvidia-fabricmanager after the driver loads; until then nvidia-smi
works but every CUDA program fails with "system not yet initialized" (cudaErrorSystemNotReady),
so the operator's nvidia-cuda-validator pod (generateName nvidia-cuda-validator-, gpu-operator
validator/manifests/cuda-workload-validation.yaml@v26.7.0:8; label value in validator/main.go
@v23.3.2:191) and the nvidia-operator-validator waiting on it crash-loop while the device
plugin runs. NVIDIA's GPU Operator troubleshooting guide: "this most likely points to a GPU node
that is NVSwitch-based and requires the nvidia-fabricmanager to be installed. NVSwitch-based
systems, like NVIDIA DGX and NVIDIA HGX server systems, require the memory fabric to be set up
after the GPU driver is installed" (NVIDIA/cloud-native-docs gpu-operator/troubleshooting.rst
@52dcb7b:179-180). NVIDIA/gpu-operator#545: a DGX A100 with a host driver, cuda-validator in
Init:CrashLoopBackOff, fixed by installing and starting nvidia-fabricmanager.

What shows an NVSwitch system: an SXM GPU in nvidia-smi's table or in the text, or a DGX/HGX
system named (not the DGX Station or DGX Spark, which have no NVSwitch; 4-GPU HGX boards have
none either, hence the confirm command). The validator's own "system not yet initialized" is
read as reported by _tshoot/gpu.py FABRIC_NOT_READY; this reads the case without it: inferred.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of
from k8s_skillkit.paste import read_paste

from _tshoot import smi_table

OBJECT = {"kind": "Node", "name": ""}
_CUDA_VALIDATOR = re.compile(r"^nvidia-cuda-validator-")
_FAILING = re.compile(r"CrashLoopBackOff|Error|Failed|ContainerCannotRun|RunContainerError")
# an NVSwitch system named: DGX/HGX with an NVSwitch generation after it (DGX-2, A100, H100,
# H200, H800, B200, B300, GB200, GB300); DGX-1, DGX Station and DGX Spark have no NVSwitch
_SYSTEM = re.compile(r"\b[DH]GX[- ]?(?:2\b|A100|A800|H100|H200|H800|H20\b|B200|B300|GB[23]00)",
                     re.I)
_SXM = re.compile(r"\bSXM\d?\b", re.I)
# nvidia-smi's table header: it reached the driver
_SMI_WORKS = re.compile(r"NVIDIA-SMI \d+\.\d+[^\n]*?Driver Version:\s*\S+", re.I)


def _failing(pod: dict[str, Any]) -> bool:
    """The pod's status, or one of its (init) containers, says it crashes or errors."""
    said = [str(dig(pod, "status", "reason") or "")]
    for key in ("initContainerStatuses", "containerStatuses"):
        for cs in dig(pod, "status", key) or []:
            said += [str(dig(cs, "state", "waiting", "reason") or ""),
                     str(dig(cs, "state", "terminated", "reason") or "")]
    return dig(pod, "status", "phase") == "Failed" or any(_FAILING.search(s) for s in said)


def _nvswitch_hint(text: str) -> str:
    """The line that shows an NVSwitch system (an SXM GPU, a DGX/HGX named), or ""."""
    for gpu in smi_table.gpus(text):
        if _SXM.search(gpu.name):
            return gpu.line
    for line in text.splitlines():
        if _SYSTEM.search(line) or _SXM.search(line):
            return " ".join(line.split())[:200]
    return ""


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """gpu_fabric_manager_not_running (inferred) when the CUDA validator pod fails, nvidia-smi
    works and the node is an NVSwitch system; [] else."""
    text = "\n".join(texts)
    works, hint = _SMI_WORKS.search(text), _nvswitch_hint(text)
    if not (works and hint):
        return []
    failing = [pod for pod in read_paste(text, "paste").of_kind("Pod")
               if _CUDA_VALIDATOR.match(name_of(pod)) and _failing(pod)]
    if not failing:
        return []
    pod = failing[0]
    return [finding(
        "warning", "gpu_fabric_manager_not_running", OBJECT,
        f"the GPU Operator's CUDA validator ({name_of(pod)}) fails while nvidia-smi works, on "
        "an NVSwitch system (an SXM GPU / a DGX or HGX server): there CUDA needs NVIDIA Fabric "
        "Manager to set up the NVSwitch memory fabric after the driver loads, and without it "
        "every CUDA program fails with 'system not yet initialized'",
        [hint, f"{name_of(pod)}: {dig(pod, 'status', 'reason') or dig(pod, 'status', 'phase')}",
         " ".join(works.group(0).split())],
        "with a driver installed on the host: install nvidia-fabricmanager of exactly the "
        "driver's version and systemctl enable --now nvidia-fabricmanager; with the GPU "
        "Operator's driver container, it detects the NVSwitches and starts it (its log says "
        "so); then delete the validator pods",
        basis="inferred",
        confirm="on the node: nvidia-smi -q | grep -A2 Fabric (State In Progress: not "
        "registered; Completed: fine); kubectl logs -n <ns> <cuda validator pod> -c "
        "cuda-validation")]
