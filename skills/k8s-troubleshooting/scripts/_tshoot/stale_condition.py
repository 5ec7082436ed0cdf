"""An OutOfDisk node condition left Unknown: a condition nothing posts any more, not a down node.

Since 1.13 the kubelet does not post the OutOfDisk condition (kubernetes/kubernetes#70111). The
1.13 node lifecycle controller still listed OutOfDisk among the conditions it marks Unknown
when a node's status is late (k8s.io/kubernetes v1.13.0 pkg/controller/nodelifecycle/
node_lifecycle_controller.go:978-1008): a condition the kubelet never posted is added as
Unknown, reason NodeStatusNeverUpdated, "Kubelet never posted node status."; one a 1.12
kubelet had posted is flipped to NodeStatusUnknown, "Kubelet stopped posting node status.".
Nothing posts OutOfDisk again, so after one short lapse it stays Unknown on a node that is
Ready (kubernetes/kubernetes#72485; the kubelet removes the stale condition since #72507, and
1.16 removed the condition type, #72420; v1.37.2 node_lifecycle_controller.go:995-1001 lists
Ready and the pressure conditions only). The controller marks Ready Unknown in the same pass,
so Ready is what says whether the kubelet posts status.

Only NodeStatusNeverUpdated is read so: the controller writes it for a condition absent from
the node's status, and a kubelet before 1.13 posted OutOfDisk with its first status, so an
OutOfDisk "never posted" beside no Ready that is not True is the 1.13 kubelet's missing
condition (gardener/machine-controller-manager#214: Ready nodes reported unhealthy for it).
NodeStatusUnknown on OutOfDisk is what a kubelet before 1.13 left when it stopped posting
(kubernetes/kubernetes#34314, a 1.4 node that was down): still node_not_ready.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from _tshoot import kubeletmsg as km

# the condition as `kubectl describe node` prints it (`OutOfDisk   Unknown   ...
# NodeStatusNeverUpdated   Kubelet never posted node status.`) or as a health checker words it
# (`condition "OutOfDisk" has invalid status Unknown ... due to NodeStatusNeverUpdated`)
STALE = re.compile(r"\bOutOfDisk\b[\"']?\s+(?:has\s+(?:an?\s+)?(?:invalid\s+)?status\s+)?"
                   r"Unknown\b[^\n]*?(?:\bNodeStatusNeverUpdated\b|kubelet never posted node "
                   r"status)", re.I)
# a Ready condition that is not True, as a describe row or a checker's sentence
_READY_NOT_TRUE = re.compile(r"^\s*Ready\s+(?:False|Unknown)\b|\bcondition\s+[\"']?Ready\b"
                             r"[\"']?\s+has\s+(?:an?\s+)?(?:invalid\s+)?status\s+(?:False|"
                             r"Unknown)\b", re.I)


def _node_down_elsewhere(lines: Iterable[str]) -> bool:
    """A line other than the OutOfDisk one says the node (its Ready, kubelet, runtime) is down."""
    return any((km.NODE_DOWN.search(line) or _READY_NOT_TRUE.search(line))
               and not STALE.search(line) for line in lines)


def demote(text: str, out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """node_not_ready findings that rest only on an Unknown OutOfDisk condition become info."""
    if not text or not STALE.search(text) or _node_down_elsewhere(text.splitlines()):
        return out
    for f in out:
        quoted = [e for e in f.get("evidence", ()) if "reported:" in e]
        if f["cause"] != "node_not_ready" or f["severity"] == "info" or not quoted \
                or not all(STALE.search(e) for e in quoted):
            continue
        what = f["message"].split(":", 1)[0]  # "node NAME" or "the pasted node"
        f.update(severity="info", basis="reported",
                 message=f"{what}: not shown NotReady: only its OutOfDisk condition is Unknown, "
                 "a condition the kubelet stopped posting in 1.13; the node controller marked it "
                 "Unknown once and nothing posts it again (kubernetes#72485, fixed by #72507), "
                 "so it says nothing about the node now: its Ready condition does")
        f["fix"] = ("nothing to fix on the node if its Ready condition is True (kubectl get node "
                    "NAME); a kubelet with kubernetes#72507 removes the stale condition, and a "
                    "health check should stop reading OutOfDisk (the type was removed in 1.16, "
                    "kubernetes#72420)")
        f["confirm"] = "kubectl get node NAME -o jsonpath='{.status.conditions}' (Ready True)"
        f.pop("_weight", None)
    return out
