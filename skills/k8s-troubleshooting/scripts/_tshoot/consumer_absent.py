"""A WaitForFirstConsumer claim with no pod to consume it: Pending by design, not a fault.

With volumeBindingMode WaitForFirstConsumer a claim is neither bound nor provisioned until a
pod that uses it is scheduled (Kubernetes docs, concepts/storage/storage-classes.md "Volume
binding mode"). While no unscheduled pod references the claim, the PV controller records
`WaitForFirstConsumer` "waiting for first consumer to be created before binding"; once such a
pod exists it says `WaitForPodScheduled` "waiting for pod P to be scheduled" instead
(k8s.io/kubernetes v1.37.2 pkg/controller/volume/persistentvolume/pv_controller.go:307-328,
findNonScheduledPodsByPVC :1484). So that event beside a paste that shows no pod uses the
claim (`kubectl describe pvc`'s `Used By: <none>`, k8s.io/kubectl v0.37.2 pkg/describe/
describe.go:1717 and :5033-5037, `Mounted By:` before, kubernetes v1.13.0 pkg/kubectl/describe/
versioned/describe.go:1499; or the reporter saying no pod exists) is the claim doing what its
class asks: the storage is not what is wrong, the workload that should use it never made its
pod (sentry-kubernetes/charts#1947: a chart rendered the claim and not its Deployment; fixed
in the chart, #1950). Such a pvc_pending finding becomes info.

It stays a warning when anything says a consumer exists or provisioning failed: a pod in the
paste that mounts a claim, WaitForPodScheduled, the external provisioner's ExternalProvisioning
"waiting for a volume to be created" (a node was picked, so a pod was), ProvisioningFailed,
FailedBinding, a missing StorageClass; and when nothing in the paste says whether a pod uses it
(the repeated event alone: a pod that sets spec.nodeName is not seen by the scheduler either,
kubernetes#93145, _tshoot/waiting_claims.py).
"""
from __future__ import annotations

import re
from typing import Any

_WFFC = re.compile(r"\bwaiting for first consumer to be created before binding\b"
                   r"|\bWaitForFirstConsumer\b")
# describe pvc's list of pods that use the claim, empty
_USED_BY_NONE = re.compile(r"^\s*(?:Used|Mounted) By:\s+<none>\s*$", re.M)
# the reporter: "No vroom Pod is being created to consume this PVC", "no pods exist", "no pod
# uses the claim", "not used by any pod"
_NO_POD_SAID = re.compile(
    r"\bno\s+(?:[\w.-]+\s+){0,2}?pods?\b[^.!?\n]{0,40}?\b(?:exists?|(?:is|are|was|were|gets?|"
    r"got|has\s+been|have\s+been)\s+(?:being\s+)?created|consum\w*|us(?:es|ing)\s+(?:it|the|"
    r"this)|mount(?:s|ing)\s+(?:it|the|this))\b"
    r"|\b(?:not|never)\s+(?:used|consumed|mounted)\s+by\s+any\s+pods?\b", re.I)
# what says a consumer exists, or that the claim cannot be provisioned or bound
_CONSUMER_OR_FAULT = re.compile(
    r"\bWaitForPodScheduled\b|\bwaiting for pods? \S+ to be scheduled\b|\bExternalProvisioning\b"
    r"|\bwaiting for a volume to be created\b|\bProvisioningFailed\b|\bfailed to provision\b"
    r"|\bFailedBinding\b|\bstorageclass\S*\s+\S+\s+not found\b", re.I)
# a pvc_pending finding read from a claim object that names a class problem, not a wait
# (triage.py _pvcs)
_CLASS_FAULT = re.compile(r"\bis Pending: (?:StorageClass \S+ does not exist|no storageClassName)")


def no_consumer(text: str, pods: list[dict[str, Any]]) -> str:
    """The line that shows no pod uses a claim the PV controller holds for its first consumer,
    or '' when the paste does not show that (or shows a consumer or a provisioning fault)."""
    if not text or not _WFFC.search(text) or _CONSUMER_OR_FAULT.search(text) \
            or any(_mounts_claim(p) for p in pods):
        return ""
    used = _USED_BY_NONE.search(text)
    if used:
        return used.group(0).strip()
    said = next((line.strip() for line in text.splitlines() if _NO_POD_SAID.search(line)), "")
    return said


def _mounts_claim(pod: dict[str, Any]) -> bool:
    return any(isinstance(v, dict) and v.get("persistentVolumeClaim")
               for v in (pod.get("spec") or {}).get("volumes") or [])


def demote(text: str, pods: list[dict[str, Any]],
           found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pvc_pending findings of a claim that waits for a consumer no one made become info."""
    line = ""
    for f in found:
        if f["cause"] != "pvc_pending" or f["severity"] == "info" \
                or _CLASS_FAULT.search(f["message"]):
            continue
        line = line or no_consumer(text, pods)
        if not line:
            return found
        _to_info(f, line)
    return found


def _to_info(f: dict[str, Any], line: str) -> None:
    name = f["object"].get("name") if f["object"].get("kind") == "PersistentVolumeClaim" \
        else ""
    claim = f"PVC {name}" if name else "the claim"
    f.update(
        severity="info",
        message=f"{claim} is Pending by design: its StorageClass binds with WaitForFirstConsumer "
                "and no pod that uses it exists, so the PV controller waits (\"waiting for first "
                "consumer to be created before binding\"); the storage is not the fault, the "
                "workload that should use the claim has made no pod",
        fix="find why the Deployment/StatefulSet/Job meant to use the claim has no pod (it was "
            "never created - a chart value or template that does not render it - or its "
            "controller refuses to create pods: kubectl describe it); the claim binds once "
            "such a pod is scheduled; nothing to change on the claim or StorageClass",
        confirm="kubectl describe pvc NAME -n NAMESPACE (Used By: <none>; Events: "
                "WaitForFirstConsumer); kubectl get deploy,sts,job -n NAMESPACE")
    evidence = list(f.get("evidence") or [])
    if not any(line[:100] in e for e in evidence):
        evidence.append(f"no consumer: {line[:200]}")
    f["evidence"] = evidence
    if _USED_BY_NONE.match(line):  # kubectl's own list of the claim's pods, not words
        f["basis"] = "reported"
    f.pop("_weight", None)
