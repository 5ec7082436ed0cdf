"""The pod garbage collector that cannot delete a pod whose spec lists one key twice: the pod
stays (Terminating, or orphaned on a node that is gone) however often PodGC retries.

kube-controller-manager's PodGC logs `"PodGC is force deleting Pod" pod="NS/NAME"`
(kubernetes pkg/controller/podgc/gc_controller.go, markFailedAndDeletePod) and, when the API
server refuses the status update it makes before the delete, the error through
utilruntime.HandleError (`E... gc_controller.go:NNN] <err>`; since 1.31 `"Unhandled Error"
err="<err>" logger="pod-garbage-collector-controller"`). The refusal here is the managed-fields
conversion of the live pod: `failed to create manager for existing fields: failed to convert
new object (NS/NAME; /v1, Kind=Pod) to smd typed: .spec.imagePullSecrets: duplicate entries
for key [name="X"]` (k8s.io/apimachinery pkg/util/managedfields/internal; the list-map key
check of sigs.k8s.io/structured-merge-diff typed, "duplicate entries for key"); the apply form
reads `failed to create typed live object` / `failed to create typed patch object`. Source of
the quoted lines: NVIDIA/cloud-native-docs gpu-operator/release-notes.rst@52dcb7b:1607 (GPU
Operator v23.9.2 "Fixed issues": operand DaemonSets listed the same image pull secret twice,
so PodGC could not delete the driver pods of a deleted node).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# the converter's refusal of an object: (NS/NAME; GROUP/VERSION, Kind=KIND) then the list's path
# and its duplicated key; quotes may be escaped in a JSON log (err="...")
_DUPLICATE = re.compile(
    r"(?:failed to convert new object|failed to create typed (?:live|patch) object|"
    r"failed to convert (?:live|new) object)\s*\(([^;()\s]+);\s*([^()]*?Kind=(\w+))\)"
    r"(?: to smd typed)?:\s*(\S+):\s*duplicate entries for key\s*(\[[^\]\n]*\])", re.I)
# the pod garbage collector's own words, klog's file name, or its contextual logger's name
_PODGC = re.compile(r"PodGC is force deleting|\bgc_controller\.go:\d+\]|"
                    r"pod-garbage-collector|\bPodGC\b", re.I)


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """stuck_terminating for a pod PodGC cannot delete because its spec repeats a list key;
    [] when the refusal is not of a pod, or no PodGC line says it was deleting one."""
    text = "\n".join(texts)
    for m in _DUPLICATE.finditer(text):
        name, kind, path = m.group(1), m.group(3), m.group(4)
        key = m.group(5).replace('\\"', '"')
        if kind != "Pod" or not _PODGC.search(text):
            continue
        namespace, _, pod = name.rpartition("/")
        line = next((ln.strip() for ln in text.splitlines() if m.group(5) in ln), m.group(0))
        force = next((ln.strip() for ln in text.splitlines()
                      if "force deleting" in ln and pod in ln), "")
        return [finding(
            "error", "stuck_terminating", {"kind": "Pod", "name": pod, "namespace": namespace},
            f"the pod garbage collector cannot delete pod {name}: the API server refuses to read "
            f"the live pod for its managed fields because {path} lists the same key twice "
            f"({key}), so every PodGC retry fails and the pod (orphaned by a deleted node, or "
            "terminated) stays until the duplicate is gone",
            [ln[:400] for ln in (force, line) if ln],
            "remove the duplicate from what writes the pod's spec (its owner's pod template: a "
            "DaemonSet or Deployment that lists the same image pull secret, env name or port "
            "twice; for the NVIDIA GPU Operator's operand DaemonSets, upgrade to v23.9.2 or "
            "later, which de-duplicates the image pull secrets); then delete the pods left "
            "behind: kubectl delete pod -n NAMESPACE NAME --grace-period=0 --force",
            basis="reported")]
    return []
