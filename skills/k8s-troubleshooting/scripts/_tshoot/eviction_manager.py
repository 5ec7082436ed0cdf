"""The kubelet's eviction manager saying the node crossed an eviction threshold: node pressure
in the kubelet's own log and events, where no node condition is pasted.

Its words (kubernetes pkg/kubelet/eviction/eviction_manager.go synchronize): the Warning event
EvictionThresholdMet "Attempting to reclaim <resource>" on the node, and in the kubelet's log
"eviction manager: attempting to reclaim <resource>", "eviction manager: must evict pod(s) to
reclaim <resource>" and "eviction manager: eviction thresholds have been met, but no pods are
active to evict" (klog lines of eviction_manager.go:340/:351 quoted by kind's known issues,
kubernetes-sigs/kind site/content/docs/user/known-issues.md@fed2688:208-209, "Failing to properly
start cluster", kind#156); releases with structured logging capitalise the prefix, "Eviction
manager: ..." (the same file's "Eviction manager: failed to get summary stats" in
bottlerocket-os/bottlerocket#4250's kubelet log), and may give the resource as a key-value
(resourceName="..."): both are read. <resource> is a signal's resource: memory,
ephemeral-storage, nodefs, imagefs, their inodes, pids.

"No pods are active to evict" is the manager finding nothing of the pods' to free: what fills
the node is not a pod's. kind's maintainers name the Docker host out of disk (a kind node's
filesystem is the host's): free it with `docker system prune` / `docker image prune`.
"""
from __future__ import annotations

import re
from typing import Any

SAID = re.compile(r"eviction manager: (?:attempting to reclaim|must evict pod\(s\) to reclaim)"
                  r"|eviction thresholds have been met, but no pods are active to evict"
                  r"|\bEvictionThresholdMet\b.{0,80}?Attempting to reclaim", re.I)
_RESOURCE = re.compile(r"(?:attempting to reclaim|must evict pod\(s\) to reclaim)\W{0,3}"
                       r"(?:resourceName=\W{0,2})?(?P<res>[A-Za-z][\w.-]*)", re.I)
_NO_PODS = re.compile(r"no pods are active to evict", re.I)
_DISK = re.compile(r"storage|fs|inodes", re.I)


def detail(text: str) -> dict[str, Any] | None:
    """node_pressure's detail (its own message and fix) when the eviction manager says it must
    reclaim a resource; None when the text does not hold its words."""
    if not SAID.search(text):
        return None
    m = _RESOURCE.search(text)
    resource = m.group("res") if m else ""
    disk = not resource or bool(_DISK.search(resource))
    if resource:
        message = (f"the kubelet's eviction manager reports the node past an eviction threshold "
                   f"for {resource} and must evict pods to reclaim it (the node reports "
                   "pressure and new pods are kept off)")
    else:
        message = ("the kubelet's eviction manager reports the node past an eviction threshold "
                   "(the node reports pressure and new pods are kept off)")
    if _NO_PODS.search(text):
        message += (": no pod is active that it could evict, so what uses it is not a pod's - "
                    + ("images, logs or other files on the node's filesystem (a kind node's "
                       "filesystem is the Docker host's: a full host disk)"
                       + ("" if resource else ", or for memory the node's own processes")
                       if disk else "the node's own processes"))
    fix = ("free disk on the node (crictl rmi --prune, old logs: journalctl --vacuum-size; for "
           "kind or another Docker-hosted node, on the host: docker system prune / docker image "
           "prune, df -h) or give it a bigger disk; the condition clears once usage is under "
           "the threshold" if disk else
           f"free {resource} on the node (its own processes, not pods, when none is evictable) "
           "or add capacity; the condition clears once usage is under the threshold")
    return {"message_fix": (message, fix), "resource": resource}
