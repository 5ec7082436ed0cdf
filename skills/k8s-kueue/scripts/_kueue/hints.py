"""Kueue's own condition messages, used as quoted evidence and as a fallback hint.

Rules decide from object state first: message wording changed between releases (v0.8.4+ and
v0.9.1-v0.14.1 wrote "request > maximum capacity (24 > 16)", v0.13.7+/v0.14.2+ "previously
considered podsets requests (16) + current podset request (8) > maximum capacity (16)"), so the
patterns here are loose.
Sources: pkg/scheduler/flavorassigner/flavorassigner.go, pkg/controller/core/workload_controller.go
(getQueueBlocker), pkg/workload/resources.go (ErrNamespaceMismatch), pkg/scheduler/scheduler.go
(waitForPodsReadyIfNeeded), pkg/dra/claims.go.
"""
from __future__ import annotations

import re

from k8s_skillkit.objects import conditions

_PATTERNS = [
    ("dra_class_unmapped", r"not mapped in DRA configuration|does not support use of resource "
                           r"claims|unsupported allocation mode"),
    ("local_queue_missing", r"LocalQueue \S+ doesn'?t exist|localQueue doesn'?t exist"),
    ("cluster_queue_missing",
     r"ClusterQueue \S+ (doesn'?t exist|not found)|clusterQueue doesn'?t exist"),
    ("queue_inactive", r"(LocalQueue|ClusterQueue) \S+ is inactive|queue is inactive|is stopped"),
    ("namespace_not_selected", r"namespace doesn'?t match ClusterQueue selector"),
    ("admission_check_pending", r"failed admission checks"),
    ("waiting_pods_ready", r"waiting for all admitted workloads to be in PodsReady"),
    ("exceeds_max_quota", r"maximum capacity"),
    ("quota_exhausted", r"insufficient unused quota|Pending the preemption"),
    ("resource_not_in_queue", r"resource \S+ unavailable in ClusterQueue"),
    ("flavor_mismatch", r"untolerated taint|doesn'?t match node affinity|flavor \S+ not found"),
]

# QuotaReserved=False reasons (apis/kueue/v1beta2/workload_types.go); finer ones need the
# UnadmittedWorkloadsObservability gate, the legacy ones are Pending/Inadmissible/Waiting.
REASON_HINTS = {
    "ExceedsMaxQuota": "exceeds_max_quota",
    "WaitingForQuota": "quota_exhausted",
    "WaitingForPreemptedWorkloads": "quota_exhausted",
    "NoMatchingFlavor": "flavor_mismatch",
    "WaitingForPodsReady": "waiting_pods_ready",
    "Waiting": "waiting_pods_ready",
}


def pending_condition(wl: dict) -> dict:
    """The QuotaReserved condition when False (older Kueue also used Admitted alone)."""
    conds = conditions(wl)
    for ctype in ("QuotaReserved", "Admitted"):
        cond = conds.get(ctype)
        if cond and str(cond.get("status")) == "False" and cond.get("message"):
            return cond
    return {}


def hint_from(cond: dict) -> str:
    """The cause id Kueue's message or reason points at, '' when it says nothing known."""
    message = str(cond.get("message", ""))
    for cause, pattern in _PATTERNS:
        if re.search(pattern, message, re.IGNORECASE):
            return cause
    return REASON_HINTS.get(str(cond.get("reason", "")), "")


def quote(cond: dict, limit: int = 400) -> str:
    """`Kueue says (reason): "message"`, trimmed for the context window."""
    if not cond:
        return ""
    message = " ".join(str(cond.get("message", "")).split())
    if len(message) > limit:
        message = message[:limit] + "..."
    return f'Kueue {cond.get("type", "")}={cond.get("status", "")} ' \
           f'({cond.get("reason", "")}): "{message}"'
