"""A WaitForFirstConsumer claim that keeps waiting: no pod the scheduler places uses it.

The PV controller records `WaitForFirstConsumer` ("waiting for first consumer to be created
before binding") on every resync of an unbound claim of a WaitForFirstConsumer class whose
selected-node annotation the scheduler has not written (kubernetes
pkg/controller/volume/persistentvolume/pv_controller.go@v1.37.2:307-328, called at :366-369).
Since 1.19 (kubernetes#91455) a claim that a not-yet-scheduled pod uses gets
`WaitForPodScheduled` instead (findNonScheduledPodsByPVC, pv_controller.go@v1.37.2:1484-1500
skips pods with spec.nodeName), so the event repeating means no pod waits in the scheduler
for it: none uses it yet, or the ones that do set spec.nodeName and bypass the scheduler, whose
volumebinding plugin is what writes the annotation (kubernetes#95767, kubernetes#93145,
openebs/openebs#2915). One event is normal (the claim was just made); a repeat is a claim
still Pending.
"""
from __future__ import annotations

from typing import Any

from k8s_skillkit.findings import finding

from _tshoot.model import meta

_WAITING = "WaitForFirstConsumer"
# events that show the wait is over or another component owns the claim's story now: the
# scheduler picked a node (external-provisioner's ExternalProvisioning/Provisioning, results),
# or a pod waits in the scheduler (WaitForPodScheduled: its FailedScheduling says why)
_PAST_WAIT = ("WaitForPodScheduled", "ExternalProvisioning", "Provisioning",
              "ProvisioningSucceeded", "ProvisioningFailed", "FailedBinding")


def findings(cluster: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for (kind, ns, name), events in cluster.events.items():
        if kind != "PersistentVolumeClaim" or (cluster.scope_ns and ns and ns != cluster.scope_ns):
            continue
        waits = [e for e in events if e.get("reason") == _WAITING]
        seen = sum(_count(e) for e in waits)
        if seen < 2 or any(e.get("reason") in _PAST_WAIT for e in events) \
                or _settled(cluster, ns, name) or _told(found, ns, name) \
                or _scheduler_says(cluster, found, ns):
            continue
        out.append(_finding(cluster, ns, name, waits, seen))
    return out


def _count(event: dict[str, Any]) -> int:
    try:
        return max(int(event.get("count") or 1), 1)
    except (TypeError, ValueError):
        return 1


def _settled(cluster: Any, ns: str, name: str) -> bool:
    """The claim shows a phase past Pending, or a pod using it runs (kubelet mounts bound
    claims only)."""
    pvc = cluster.get("PersistentVolumeClaim", ns, name)
    phase = ((pvc or {}).get("status") or {}).get("phase")
    if phase and phase != "Pending":
        return True
    return any((p.get("status") or {}).get("phase") in ("Running", "Succeeded")
               for p in _users(cluster, ns, name))


def _users(cluster: Any, ns: str, name: str) -> list[dict[str, Any]]:
    return [p for p in cluster.by_kind.get("Pod", ()) if meta(p, "namespace") in (ns, "")
            and any((v.get("persistentVolumeClaim") or {}).get("claimName") == name
                    for v in (p.get("spec") or {}).get("volumes") or [] if isinstance(v, dict))]


def _told(found: list[dict[str, Any]], ns: str, name: str) -> bool:
    """Another finding already names this claim (a Pending PVC object, a provisioner's
    error)."""
    return any(f["object"].get("kind") == "PersistentVolumeClaim"
               and f["object"].get("name") == name and f["object"].get("namespace") in (ns, "")
               for f in found)


def _scheduler_says(cluster: Any, found: list[dict[str, Any]], ns: str) -> bool:
    """A pod in the namespace failed scheduling: before 1.19 the PV controller said
    WaitForFirstConsumer while such a pod existed too (kubernetes#88229), and the scheduler's
    own message says what blocks it."""
    if any(f["cause"].startswith("unschedulable_") or f["cause"] == "no_nodes"
           for f in found if f["object"].get("namespace") in (ns, "")):
        return True
    return any(kind == "Pod" and pod_ns in (ns, "") and
               any(e.get("reason") == "FailedScheduling" for e in events)
               for (kind, pod_ns, _), events in cluster.events.items())


def _finding(cluster: Any, ns: str, name: str, waits: list[dict[str, Any]],
             seen: int) -> dict[str, Any]:
    where = f" -n {ns}" if ns else ""
    evidence = [f'event {_WAITING} (x{seen}, the PV controller): '
                f'"{waits[-1].get("message", "")}"']
    pinned = [meta(p, "name") for p in _users(cluster, ns, name)
              if (p.get("spec") or {}).get("nodeName")]
    if pinned:
        evidence.append(f"pod {pinned[0]} uses it and sets spec.nodeName: the scheduler never "
                        "places it, so no node is selected for the claim")
    f = finding(
        "warning", "pvc_pending", {"kind": "PersistentVolumeClaim", "namespace": ns,
                                   "name": name},
        f"PVC {name} is still Pending, waiting for its first consumer: no pod that uses it has "
        "been placed by the scheduler",
        evidence,
        "a WaitForFirstConsumer claim binds only when the scheduler places a pod that uses it "
        "(its volumebinding plugin selects the node the volume is provisioned on): create the "
        "pod, or, if the pod sets spec.nodeName (which skips the scheduler), pin it with a "
        "nodeSelector or nodeAffinity on kubernetes.io/hostname instead",
        basis="inferred",
        confirm=f"kubectl get pods{where} -o wide (the pod using the claim and its NODE); "
                f"kubectl describe pvc {name}{where}")
    f.update(count=0, _related=[])
    return f
