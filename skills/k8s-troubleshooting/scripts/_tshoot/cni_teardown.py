"""A pod sandbox the runtime cannot stop because the CNI plugin's DEL fails.

When the kubelet stops a pod's sandbox the runtime first tears down its network (CNI DEL):
containerd "failed to destroy network for sandbox %q: %w" (containerd v2.1.4
internal/cri/server/sandbox_stop.go:119), CRI-O "failed to destroy network for pod sandbox
%s(%s): %w" (cri-o v1.34.0 server/sandbox_network.go:188). The kubelet logs it as
"StopPodSandbox from runtime service failed" (k8s.io/cri-client v0.37.2 pkg/remote_runtime.go:355)
and records FailedKillPod "error killing pod: failed to \"KillPodSandbox\" for ... with
KillPodSandboxError: ..." (kubernetes v1.37.2 pkg/kubelet/kubelet.go:2378,
pkg/kubelet/container/sync_result.go:95,181). The sandbox then stays, and the kubelet retries
it over and over. libcni's own DEL errors inside: "plugin %s failed (delete): %w" (the plugin
refused; containernetworking/cni v1.3.0 libcni/api.go:606), and up to v1.1.x "failed to get
network %q cached result: %w" (v1.1.2 libcni/api.go:502 DelNetworkList): the result libcni
cached at ADD (CacheDir /var/lib/cni, file results/NETWORK-CONTAINERID-IFNAME, api.go:41,256)
cannot be read - "decoding version from network config: unexpected end of JSON input" (v1.3.0
pkg/types/create/create.go:36) is an empty file, e.g. after a crash or power loss
(AverageMarcus/blog 2025-09-28 "Investigating and fixing StopPodSandbox"). libcni v1.2.0 and
later delete such a cache entry on DEL and go on (v1.2.0 libcni/api.go:589).
"""
from __future__ import annotations

import re
from typing import Any

SAID = re.compile(r"failed to destroy network for (?:pod )?sandbox|plugin type=\S+ (?:name=\S+ )?"
                  r"failed \(delete\)", re.I)
_CACHE = re.compile(r"failed to get network \\?\"?(?P<net>[^\"\\\s]+)\\?\"? cached result", re.I)
_SANDBOX_ID = re.compile(r"for (?:pod )?sandbox \\?\"?(?:[^\"\\\s(]*\()?(?P<id>[0-9a-f]{12,64})")


def detail(text: str) -> dict[str, Any] | None:
    """The sandbox report's detail (with its own headline and fix), or None."""
    if not SAID.search(text):
        return None
    sandbox = _SANDBOX_ID.search(text)
    sid = sandbox.group("id") if sandbox else "SANDBOX_ID"
    cache = _CACHE.search(text)
    if cache:
        net = cache.group("net")
        return {"teardown": True, "message_fix": (
            f"the runtime cannot stop a pod sandbox: the CNI DEL fails because libcni cannot "
            f"read the result it cached for network {net} at ADD (an empty or corrupt file, "
            "e.g. after a crash or power loss), so the kubelet retries the teardown forever",
            f"on that node, look at /var/lib/cni/results/{net}-{sid}-* (the file for that "
            f"sandbox; 'unexpected end of JSON input' is an empty or cut one), move it away, "
            f"then crictl rmp --force {sid} (or let the "
            "kubelet retry); libcni v1.2.0 and later drop an unreadable cache entry on DEL "
            "themselves, so a runtime built with it stops repeating this")}
    return {"teardown": True, "message_fix": (
        "the runtime cannot stop a pod sandbox: the CNI plugin's DEL (network teardown) fails, "
        "so the sandbox stays and the kubelet retries it (a deleted pod can stay Terminating, "
        "its IP allocated)",
        "read the CNI plugin's own error after 'failed to destroy network for sandbox' and "
        "check the network add-on's pods and config on that node (kubectl get pods -A -o wide "
        "for them, /etc/cni/net.d); once DEL succeeds the sandbox goes (crictl rmp --force "
        f"{sid})")}
