"""Kueue's own Workload webhook refusing its job reconciler's update of
status.reclaimablePods: the reconciler stops there, so an eviction of that job never lands.

What upstream does (kubernetes-sigs/kueue):
- the job reconciler updates the Workload's reclaimable pods (step 4) BEFORE it handles an
  eviction (step 6) and returns the error when the update fails, logged "Updating reclaimable
  pods" and as controller-runtime's "Reconciler error" (pkg/controller/jobframework/
  reconciler.go:328-345 @v0.6.3; steps 4 and 6 at l.524 and l.580 @v0.19.2). While the update
  is refused the job is never stopped: a preemption or any other eviction of it is stuck.
- vworkload.kb.io (pkg/webhooks/workload_webhook.go validateReclaimablePodsUpdate, while the
  old and new Workload hold quota) refuses a count that shrinks or a pod set that disappears:
  `status.reclaimablePods[<podset>]: Required value: cannot be removed` (l.403@v0.6.3,
  l.454@v0.19.2; the reporter's v0.5-era build of kueue#1215 too) and
  `status.reclaimablePods[<podset>].count: Invalid value: <n>: cannot be less then <m>`
  (l.397@v0.6.3, the typo up to v0.17.0 l.359; "less than" at v0.19.2 l.448).
- kubernetes-sigs/kueue#1215: a custom Volcano Job integration zeroed its reclaimable pods
  when the job was suspended for a preemption; the webhook refused it and the eviction got
  stuck. Fixed by PR #1277 ("Allow decrease reclaimable pods to 0 for suspended job"): an
  integration that still reports fewer reclaimable pods than recorded trips it today.
"""
from __future__ import annotations

import re

# the field error, whichever layer wraps it (the webhook's denial, a Status' causes)
PATTERN = (r"status\.reclaimablePods\[[^\]\s]+\](?::\s*Required value:\s*cannot be removed|"
           r"\.count:\s*Invalid value:\s*-?\d+:\s*cannot be less th[ae]n\s*\d+)")
_FOUND = re.compile(PATTERN, re.I)

LEAD = ("Kueue's own Workload webhook refuses lowering status.reclaimablePods, and the job "
        "reconciler stops there, before it handles an eviction: the job cannot be evicted")

FIX = ("the job integration must never lower status.reclaimablePods while the Workload holds "
       "quota: Kueue's webhook refuses a pod set removed or a count lowered "
       "(validateReclaimablePodsUpdate). A custom or external integration that resets the "
       "counts when its job is suspended needs the behaviour of kueue PR #1277 (counts may "
       "drop to 0 only once the Workload lost its quota; kueue#1215): upgrade Kueue and fix "
       "the integration's ReclaimablePods(); meanwhile the evicted job keeps running, so stop "
       "it by hand (suspend it) if its quota is needed")


def said(message: str) -> bool:
    """True when the message carries the webhook's reclaimablePods refusal."""
    return bool(_FOUND.search(message or ""))
