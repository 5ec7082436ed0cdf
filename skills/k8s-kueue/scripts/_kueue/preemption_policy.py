"""Which ClusterQueue setting allowed a preemption, and what keeps the victim safe.

Semantics (kubernetes-sigs/kueue v0.19.2 apis/kueue/v1beta2/clusterqueue_types.go
ClusterQueuePreemption, pkg/scheduler/preemption/preemption.go and classical/, fairsharing/;
site/content/en/docs/concepts/preemption.md):
- InClusterQueue: preemptor and victim share a ClusterQueue; `withinClusterQueue`
  LowerPriority (victim priority < preemptor's) or LowerOrNewerEqualPriority (also equal
  priority, admitted later). Default Never.
- InCohortReclamation: the preemptor's ClusterQueue takes back its nominal quota from a
  ClusterQueue of the cohort that borrowed it; allowed by the PREEMPTOR's ClusterQueue
  `reclaimWithinCohort` Any | LowerPriority | LowerOrNewerEqualPriority (default Never). Only
  workloads of a ClusterQueue that is over its nominal quota are candidates.
- InCohortReclaimWhileBorrowing: the preemptor's ClusterQueue borrows to fit and preempts a
  lower-priority workload of another ClusterQueue; allowed by `borrowWithinCohort.policy:
  LowerPriority`, victims at or below `maxPriorityThreshold` only.
- InCohortFairSharing: fair sharing is on (Kueue config `fairSharing`); the victim's
  ClusterQueue has a higher share (usage above nominal / weight) than the preemptor's would
  have, per `preemptionStrategies` LessThanOrEqualToFinalShare, LessThanInitialShare;
  `spec.fairSharing.weight` scales a ClusterQueue's share (weight 0: preempted first).
"""
from __future__ import annotations

from k8s_skillkit.objects import dig, name_of

SETTING = {
    "InClusterQueue": "withinClusterQueue",
    "InCohortReclamation": "reclaimWithinCohort",
    "InCohortReclaimWhileBorrowing": "borrowWithinCohort",
}


def queue_from_path(path: str) -> str:
    """The ClusterQueue at the end of a preemption path ("/cohort/cq" -> "cq")."""
    return path.rstrip("/").rsplit("/", 1)[-1] if path else ""


def setting_line(cq: dict | None, reason: str) -> str:
    """The preemption setting of the preemptor's ClusterQueue that allowed `reason`."""
    field = SETTING.get(reason)
    if cq is None or not field:
        return ""
    value = dig(cq, "spec", "preemption", field)
    if value is None:
        value = "Never (default)"
    elif isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    return f"ClusterQueue {name_of(cq)} spec.preemption.{field}: {value}"


def why(reason: str, victim_cq: str, preemptor_cq: str) -> str:
    """One sentence: what Kueue did and under which rule."""
    victim_cq, preemptor_cq = victim_cq or "its ClusterQueue", preemptor_cq or \
        "another ClusterQueue"
    return {
        "InClusterQueue": f"a workload of higher priority (or, with LowerOrNewerEqualPriority, "
                          f"equal priority and newer) in the same ClusterQueue"
                          f"{'' if victim_cq == 'its ClusterQueue' else ' ' + victim_cq} "
                          f"needed the quota (withinClusterQueue)",
        "InCohortReclamation": f"ClusterQueue {preemptor_cq} took back its nominal quota, "
                               f"which {victim_cq} was borrowing through the cohort "
                               f"(reclaimWithinCohort of {preemptor_cq})",
        "InCohortReclaimWhileBorrowing": f"ClusterQueue {preemptor_cq}, itself borrowing, "
                                         f"preempted this lower-priority workload of "
                                         f"{victim_cq} (borrowWithinCohort: LowerPriority)",
        "InCohortFairSharing": f"fair sharing: {victim_cq}'s share of the cohort was above "
                               f"what {preemptor_cq} gets with its workload "
                               f"(preemptionStrategies, fairSharing.weight)",
        "InCohort": f"a workload of {preemptor_cq} in the same cohort needed the quota",
    }.get(reason, "another workload needed the quota")


def avoid(reason: str, victim_cq: str, preemptor_cq: str) -> str:
    """What keeps this workload from being preempted the same way again."""
    victim_cq = victim_cq or "its ClusterQueue"
    return {
        "InClusterQueue": "give it a higher WorkloadPriorityClass than the workloads that "
                          f"preempt it, or set withinClusterQueue: Never on {victim_cq}",
        "InCohortReclamation": "run it within its ClusterQueue's nominal quota (workloads "
                               "that do not borrow are never reclaimed): raise "
                               f"{victim_cq}'s nominalQuota, cap borrowing with "
                               "borrowingLimit, or accept the requeue (it is readmitted when "
                               "the quota is free again)",
        "InCohortReclaimWhileBorrowing": "raise its priority above the preemptor ClusterQueue's "
                                         "borrowWithinCohort.maxPriorityThreshold, or run it "
                                         "within its nominal quota",
        "InCohortFairSharing": f"raise {victim_cq}'s spec.fairSharing.weight or its "
                               "nominalQuota, or run fewer borrowing workloads at once",
    }.get(reason, "raise its priority, or give its ClusterQueue quota it does not lend "
                  "(lendingLimit) or borrow")
