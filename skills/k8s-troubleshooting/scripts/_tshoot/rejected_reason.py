"""A pod whose status.reason is a scheduler's word the node wrote: the kubelet refused it after
it was bound (inferred). The kubelet's own reasons are k8s_skillkit.get_table.ADMISSION_REASON,
read by _tshoot.reports.admission_refusal (reported).

`kubectl get pods` STATUS prints pod.status.reason when set (v1.37.2 pkg/printers/internalversion/
printers.go:976, printPod; of the PodScheduled condition only SchedulingGated). The scheduler
writes its verdict into that condition, never into status.reason (v1.10.0 pkg/scheduler/
scheduler.go:198 Reason: v1.PodReasonUnschedulable), so a pod it could not place prints
Pending. A bound pod's status.reason is the kubelet's: rejectPod sets phase Failed with the
admit handler's reason (v1.2.0 pkg/kubelet/kubelet.go:2313, v1.37.2 :2640).

"Unschedulable" / "NodeUnschedulable" as status.reason: no upstream kubelet (v1.2.0, v1.8.0-
v1.13.0, v1.37.2) writes it and the scheduler writes it only into the condition, so a node-side
admission check that refuses pods on a cordoned node (a kubelet that re-admits its own pods on
restart; kubernetes/kubernetes#61256) wrote it. That attribution is inferred; the pod's
status.message and its Warning event say who refused it.
"""
from __future__ import annotations

from typing import Any

SCHEDULER_WORDS = frozenset({"Unschedulable", "NodeUnschedulable"})


def finding(name: str, ns: str, reason: str, where: str) -> dict[str, Any] | None:
    """kubelet_admission_rejected (inferred) for a pod whose status.reason is one of these."""
    if reason not in SCHEDULER_WORDS:
        return None
    target = f"{name} -n {ns or 'NAMESPACE'}"
    confirm = (f"kubectl get pod {target} -o jsonpath='{{.status.phase}} {{.status.reason}} "
               f"{{.status.message}}' (\"Pod was rejected: ...\") and kubectl get events -n "
               f"{ns or 'NAMESPACE'} --field-selector involvedObject.name={name}")
    what = ("the node refused the pod after it was bound: STATUS shows status.reason "
            f"{reason}, which the scheduler never writes there (a pod it cannot place stays "
            "Pending); a kubelet admission check rejected it - with the node cordoned, e.g. a "
            "kubelet restarted while the node was unschedulable re-admits its pods and fails "
            "them")
    return {"cause": "kubelet_admission_rejected", "severity": "error", "container": "",
            "basis": "inferred", "confirm": confirm,
            "message": what, "evidence": [f"{where}: {reason}"],
            "fix": "a Failed pod is never restarted: delete it so its controller creates a "
                   "new one (kubectl delete pod " + target + "), after making the node admit "
                   "it (uncordon it: kubectl uncordon NODE, or fix what the reason names); for "
                   "node maintenance drain the node instead of cordoning it around a kubelet "
                   "restart",
            "signature": f"kubelet_admission_rejected:{reason}"}
