"""What a missing CNI plugin binary means on a GPU node beyond triage's sandbox_failed.

The runtime looks the CNI plugin up in the bin dir(s) its own config names and, not finding it,
says `failed to find plugin "P" in path [DIRS]` (containernetworking/cni pkg/invoke/find.go@
v1.3.0:47). On a GPU node the NVIDIA container toolkit rewrites containerd's config.toml to add
its runtime, and by default builds the new file from `containerd config dump` (config sources
"command", then "file": NVIDIA/nvidia-container-toolkit cmd/nvidia-ctk-installer/container/
runtime/runtime.go@v1.20.0-27-gd34b3046:121-129, RUNTIME_CONFIG_SOURCE); where the platform's
containerd keeps its CNI binaries outside the default /opt/cni/bin, the rewritten config can
point the CRI at a dir without them, so every new sandbox on the node fails, the GPU Operator's
own pods included. NVIDIA lists it as a known issue on GKE 1.33+, fixed by
RUNTIME_CONFIG_SOURCE=file in the toolkit's env (NVIDIA/cloud-native-docs gpu-operator/
google-gke.rst@52dcb7b8 and release-notes.rst, added by #312; NVIDIA/gpu-operator#1577).
The sandbox failure is the kubelet's (reported); the toolkit's part is inferred, and only
offered when the paste is about the NVIDIA stack.
"""
from __future__ import annotations

import re

_NOT_FOUND = re.compile(r"failed to find plugin \S+ in path", re.I)
_NVIDIA_STACK = re.compile(r"\bnvidia\b|\bgpu-operator\b|container-toolkit|\bnvidia-ctk\b", re.I)


def toolkit_cni_note(paste: str) -> tuple[str, str, str] | None:
    """(message tail, fix, confirm) for a CNI plugin binary not found in a paste about the
    NVIDIA GPU stack; None otherwise.

    >>> toolkit_cni_note('failed to find plugin "gke" in path [/opt/cni/bin]\\n'
    ...                  'gpu-operator-5798b5b564-9fxlv 1/1 Running')[0][:40]
    '; inferred: on a GPU node the NVIDIA con'
    >>> toolkit_cni_note('failed to find plugin "gke" in path [/opt/cni/bin]\\nweb-0 1/1')
    """
    if not _NOT_FOUND.search(paste or "") or not _NVIDIA_STACK.search(paste or ""):
        return None
    return ("; inferred: on a GPU node the NVIDIA container toolkit rewrites containerd's "
            "config.toml (by default from `containerd config dump`), and where the platform "
            "keeps its CNI binaries outside the dir that config now names (GKE 1.33+, an "
            "NVIDIA known issue) every new pod sandbox on the node fails this way, the GPU "
            "Operator's own pods included",
            "if the CNI binary exists on the node in another dir, the config is at fault, not "
            "the plugin: set the toolkit's env RUNTIME_CONFIG_SOURCE=file (ClusterPolicy "
            "toolkit.env, Helm --set toolkit.env[0].name=RUNTIME_CONFIG_SOURCE,"
            "toolkit.env[0].value=file), restore the platform's containerd config (or recreate "
            "the node) and restart containerd; else install the CNI plugin binary on the node",
            "on the node: containerd config dump | grep -n bin_dir (the CNI bin dir(s) "
            "containerd uses) and ls of the dir that holds the named plugin")
