"""The container runtime the kubelet uses has no NVIDIA runtime handler: a GPU pod of the
nvidia RuntimeClass gets no sandbox.

containerd looks the pod's RuntimeClass handler up in its CRI config and refuses an unknown one:
"no runtime for %q is configured" (containerd v2.1.4 internal/cri/config/config.go:714; 1.5-1.7
pkg/cri/server), wrapped "failed to get sandbox runtime: %w" (internal/cri/server/
container_create.go:269, sandbox_run.go) and recorded by the kubelet as FailedCreatePodSandBox;
CRI-O's "failed to find runtime handler %s from runtime list %v" (cri-o internal/oci/oci.go
ValidateRuntimeHandler). Both are read by triage's own pattern (kubeletmsg.NO_RUNTIME_HANDLER).
For a handler named nvidia* the NVIDIA container toolkit was to add it to that config: it did
not run (its GPU Operator pod crash-loops) or it wrote another containerd's config (a node with
a second containerd, or a distribution whose config and socket are elsewhere: the toolkit's
CONTAINERD_CONFIG / CONTAINERD_SOCKET; hrishin/GPU-Workload-Debugging task2, NVIDIA/gpu-operator
#432). The skill files that under nvidia_runtime_not_default: the runtime the kubelet uses does
not run the NVIDIA runtime for GPU pods (references/gpu-training.md).
The same refusal on the teardown path (KillPodSandbox / StopPodSandbox) is a pod that ran with
the handler and cannot be stopped since it went: stuck_terminating (_tshoot/handler_teardown.py,
NVIDIA/nvidia-container-toolkit 0f9036c).
"""
from __future__ import annotations

from typing import Any

from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import finding
from k8s_skillkit.loading import parse_paste

from _tshoot import handler_teardown
from _tshoot.kubeletmsg import NO_RUNTIME_HANDLER

OBJECT = {"kind": "Node", "name": ""}
# the GPU Operator's toolkit DaemonSet (nvidia-container-toolkit-daemonset): its pods' prefix
_TOOLKIT_POD = "nvidia-container-toolkit"
_UP = ("Running", "Completed", "Succeeded")


def _refusals(text: str, teardown: bool = False) -> list[str]:
    """The runtime's lines refusing an NVIDIA handler, one per distinct wording: those of a
    sandbox it creates, or (teardown) of one it stops (_tshoot/handler_teardown.py)."""
    out = []
    for line in text.splitlines():
        m = NO_RUNTIME_HANDLER.search(line)
        handler = (m.group("handler") or m.group("crio") or "") if m else ""
        if handler.lower().startswith("nvidia") and \
                bool(handler_teardown.TEARDOWN.search(line)) == teardown:
            out.append(" ".join(line.split())[:300])
    return list(dict.fromkeys(out))


def _teardown(text: str) -> list[dict[str, Any]]:
    """stuck_terminating when the runtime refuses the nvidia handler only while stopping a
    sandbox: the pod ran with it, the handler went since (handler_teardown.py)."""
    refused = _refusals(text, teardown=True)
    if not refused:
        return []
    m = NO_RUNTIME_HANDLER.search(refused[0])
    crio = m.group("crio") if m else None
    handler = (crio or (m.group("handler") if m else "") or "nvidia")
    message, fix = handler_teardown.message_fix(handler, "CRI-O" if crio else "containerd")
    return [finding("error", "stuck_terminating", {"kind": "Pod", "name": ""}, message,
                    refused[:2], fix, basis="reported",
                    confirm="kubectl get runtimeclass; on the node: crio config | grep -A3 "
                            "'runtimes.nvidia' (containerd: containerd config dump)")]


def _toolkit_down(text: str) -> list[str]:
    """`kubectl get pods` rows of the NVIDIA container toolkit that are not running."""
    try:
        objects = parse_paste(text, "paste")
    except InputError:
        return []
    rows = []
    for obj in objects:
        name = (obj.get("metadata") or {}).get("name") or ""
        status = (obj.get("_columns") or {}).get("STATUS") or ""
        if obj.get("kind") == "Pod" and name.startswith(_TOOLKIT_POD) and status and \
                status not in _UP:
            rows.append(f"the NVIDIA container toolkit pod {name} is {status}")
    return rows[:1]


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """nvidia_runtime_not_default when the runtime refuses an nvidia* handler for a sandbox it
    creates, stuck_terminating when only for one it stops; [] else."""
    text = "\n".join(texts)
    refused = _refusals(text)
    if not refused:
        return _teardown(text)
    return [finding(
        "error", "nvidia_runtime_not_default", OBJECT,
        "the container runtime the kubelet uses has no NVIDIA runtime handler, so it cannot "
        "create the sandbox of a pod whose RuntimeClass names it (the GPU Operator's "
        "validators first): the NVIDIA container toolkit did not configure that runtime - it "
        "is not running, or it wrote the NVIDIA runtime into another containerd's config "
        "(a node with a second containerd, or one whose config and socket are not the default "
        "paths)",
        refused[:2] + _toolkit_down(text),
        "find the runtime the kubelet uses (its --container-runtime-endpoint / "
        "containerRuntimeEndpoint) and that containerd's config; point the toolkit at them: "
        "ClusterPolicy (or helm value) toolkit.env CONTAINERD_CONFIG and CONTAINERD_SOCKET, "
        "then read the toolkit pod's log until it says it configured and signaled containerd; "
        "without the GPU Operator: nvidia-ctk runtime configure --runtime=containerd "
        "--config=<that config>, then restart that containerd; on CRI-O with the toolkit as an "
        "OCI hook (OpenShift) drop runtimeClassName instead",
        basis="reported",
        confirm="on the node: containerd config dump | grep -A3 runtimes.nvidia (of the "
                "containerd at the kubelet's endpoint)")]
