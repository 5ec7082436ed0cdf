"""A pod sandbox the runtime cannot stop because the RuntimeClass handler it was created with is
no longer in the runtime's config: the pod stays Terminating.

The runtime looks the sandbox's handler up when it stops it as when it creates it: CRI-O's
"failed to find runtime handler %s from runtime list %v" (cri-o internal/oci/oci.go
ValidateRuntimeHandler), containerd's "no runtime for %q is configured" (containerd v2.1.4
internal/cri/config/config.go:714). On the teardown path the kubelet logs it as
"StopPodSandbox from runtime service failed" (k8s.io/cri-client v0.37.2 pkg/remote_runtime.go:355)
and records FailedKillPod "error killing pod: failed to \"KillPodSandbox\" for \"UID\" with
KillPodSandboxError: ..." (kubernetes v1.37.2 pkg/kubelet/kubelet.go:2378,
pkg/kubelet/container/sync_result.go:95,181): the same refusal there is no pod that cannot
start but one that cannot stop, and the kubelet retries the kill until the handler is back.

The known way there: the handler's config removed while pods of it still run. The NVIDIA
container toolkit's installer (the GPU Operator's toolkit pod) removed its CRI-O drop-in and
restarted CRI-O on shutdown, so uninstalling the GPU Operator left the pods started with the
nvidia handler Terminating with `failed to find runtime handler nvidia from runtime list
map[crun:... runc:...], failed to "KillPodSandbox" for ...`; from v1.18.0 the drop-in stays
(NVIDIA/nvidia-container-toolkit commit 0f9036c, "do not revert cri-o config on shutdown").
The drop-in is /etc/crio/conf.d/99-nvidia.toml (cmd/nvidia-ctk/runtime/configure/
configure.go@v1.18.0:50, written by `nvidia-ctk runtime configure --runtime=crio`).
"""
from __future__ import annotations

import re

# the kubelet's teardown words around the runtime's refusal
TEARDOWN = re.compile(r"\bKillPodSandbox|\bStopPodSandbox\b|\bFailedKillPod\b|error killing pod",
                      re.IGNORECASE)


def message_fix(handler: str, runtime: str) -> tuple[str, str]:
    """The finding's message and fix for a teardown refused for a handler the runtime lacks."""
    nvidia = handler.lower().startswith("nvidia")
    message = (f"{runtime} no longer has the runtime handler \"{handler}\" the pod's sandbox was "
               "created with, so it cannot stop the sandbox (KillPodSandbox) and the pod stays "
               "Terminating while the kubelet retries: the handler's config was removed while "
               "pods of it still ran")
    if nvidia and runtime == "CRI-O":
        message += (" (the NVIDIA container toolkit's installer before v1.18.0 removed its CRI-O "
                    "drop-in and restarted CRI-O when the GPU Operator was uninstalled: "
                    "NVIDIA/nvidia-container-toolkit 0f9036c)")
    fix = ("put the handler back so the runtime can stop the sandbox, then let the kubelet's "
           "retry finish the deletion: "
           + ("`nvidia-ctk runtime configure --runtime=crio` (it writes the drop-in "
              "/etc/crio/conf.d/99-nvidia.toml; on containerd `nvidia-ctk runtime configure "
              "--runtime=containerd` for its runtimes.nvidia entry), then restart the runtime; "
              "remove the handler only after "
              "every pod of its RuntimeClass is gone (toolkit v1.18.0+ keeps the CRI-O drop-in "
              "on uninstall: upgrade the GPU Operator before uninstalling it)"
              if nvidia else
              f"add [crio.runtime.runtimes.{handler}] (CRI-O) or the runtimes.{handler} entry "
              "(containerd) again and restart the runtime; remove a handler only after every "
              "pod of its RuntimeClass is gone")
           + "; crictl pods --name POD on the node shows the sandbox left")
    return message, fix
