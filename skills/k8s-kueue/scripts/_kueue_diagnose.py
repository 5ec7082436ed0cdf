"""One Workload in, one finding (or None) out: the decision tree behind explain_pending.py.

State first (queues, selectors, quotas, flavors, pods), Kueue's condition message second:
the message is always quoted as evidence and only decides the cause when the objects in
hand cannot (a partial dump, an older Kueue wording). See references/causes.md.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue_hints import hint_from, pending_condition, quote
from _kueue_jobs import JobIndex
from _kueue_objects import is_finished, is_true, workload_queue
from _kueue_quota import QuotaBook
from _kueue_rules_queue import check_queue_path
from _kueue_rules_quota import check_resources, podset_summary
from _kueue_rules_running import (check_admission_checks, check_dra, check_pods_ready_block,
                                 check_started)

INFO_CAUSES = {"pending_unexplained"}
WARNING_CAUSES = {"quota_exhausted", "waiting_pods_ready", "admission_check_pending",
                  "not_evaluated"}

# Used when only Kueue's message names the cause (the objects to prove it are not at hand).
HINT_FIXES = {
    "quota_exhausted": "wait, raise the ClusterQueue's nominalQuota, or use priority/preemption",
    "exceeds_max_quota": "shrink the request or raise nominalQuota/borrowingLimit above it",
    "resource_not_in_queue": "add the resource to a resourceGroup of the ClusterQueue",
    "flavor_mismatch": "align tolerations/nodeSelector with the ResourceFlavor, or create it",
    "local_queue_missing": "create the LocalQueue named by kueue.x-k8s.io/queue-name",
    "cluster_queue_missing": "create the ClusterQueue the LocalQueue points at",
    "queue_inactive": "set stopPolicy None and fix missing flavors/admission checks",
    "namespace_not_selected": "make the ClusterQueue namespaceSelector match the namespace",
    "waiting_pods_ready": "get the admitted workloads' pods running, or wait for the timeout",
}


class Diagnoser:
    def __init__(self, cluster):
        self.cluster = cluster
        self.book = QuotaBook(cluster)
        self.jobs = JobIndex(cluster)
        self.queue_of: dict[int, str] = {}  # id(finding) -> ClusterQueue, for digests

    def explain(self, wl: dict) -> dict | None:
        if is_finished(wl):
            return None
        cond = pending_condition(wl)
        if is_true(wl, "Admitted"):
            result = check_started(wl, self.cluster, self.jobs.pods_for(wl))
            cond = {}
        elif is_true(wl, "QuotaReserved"):
            result = check_admission_checks(wl, self.cluster)
        else:
            result = self._not_reserved(wl, cond)
        if not result:
            return None
        cause, message, evidence, fix = result
        severity = "info" if cause in INFO_CAUSES else \
            "warning" if cause in WARNING_CAUSES else "error"
        found = finding(severity, cause, wl, message, self._evidence(wl, cond, evidence), fix)
        self.queue_of[id(found)] = self.queue_name(wl)
        return found

    def queue_name(self, wl: dict) -> str:
        """The ClusterQueue a Workload is in (admitted) or aims at (through its LocalQueue)."""
        admitted = dig(wl, "status", "admission", "clusterQueue", default="")
        if admitted:
            return admitted
        lq = self.cluster.local_queues.get((namespace_of(wl), workload_queue(wl)))
        return dig(lq or {}, "spec", "clusterQueue", default="") or ""

    def _not_reserved(self, wl: dict, cond: dict):
        if dig(wl, "spec", "active") is False:
            return ("workload_deactivated", "the Workload is deactivated (spec.active: false)",
                    [_eviction(wl)] if _eviction(wl) else [],
                    "find why (Evicted condition: PodsReadyTimeout backoff limit, rejected "
                    "AdmissionCheck, or a person); set spec.active true to requeue")
        hint = hint_from(cond)
        if hint == "dra_class_unmapped":
            return check_dra(wl, self.cluster, str(cond.get("message", "")))
        found = check_queue_path(wl, self.cluster)
        if found:
            return found
        if hint == "waiting_pods_ready":
            found = check_pods_ready_block(wl, self.cluster)
            if found:
                return found
        cq = self._cluster_queue(wl)
        if cq is not None:
            found = check_resources(wl, cq, self.book)
            if found:
                return found
        return _from_hint(hint, cond, cq is not None)

    def _cluster_queue(self, wl: dict):
        lq = self.cluster.local_queues.get((namespace_of(wl), workload_queue(wl)))
        return self.cluster.cluster_queues.get(dig(lq or {}, "spec", "clusterQueue", default=""))

    def _evidence(self, wl: dict, cond: dict, evidence: list[str]) -> list[str]:
        out = [quote(cond)] if cond else []
        out += evidence
        out.append(f"request: {podset_summary(wl)}")
        job = self.jobs.job_for(wl)
        if job is not None:
            out.append(f"job: {job.get('kind')} {namespace_of(job)}/{name_of(job)}")
        if _eviction(wl):
            out.append(_eviction(wl))
        return [line for line in out if line]


def _from_hint(hint: str, cond: dict, had_queue: bool = False):
    if hint and hint in HINT_FIXES:
        why = ("decided from Kueue's message: the queue objects in the input show room now, "
               "so they changed since Kueue's last attempt (or the status is stale)"
               if had_queue else "decided from Kueue's message: the objects needed to check "
                                 "it were not in the input")
        return (hint, f"Kueue reports {hint.replace('_', ' ')}: {cond.get('message', '')}"[:300],
                [why], HINT_FIXES[hint])
    if not cond:
        return ("not_evaluated",
                "Kueue has not evaluated this Workload yet (no QuotaReserved condition)",
                [], "wait a few seconds; if it persists, check that the Kueue controller is "
                    "running and its logs")
    return ("pending_unexplained",
            "not admitted, yet the queues in the input have room for it now",
            ["Kueue retries inadmissible workloads when quota frees up; a stale dump or a "
             "hierarchical cohort can also explain this"],
            "re-run live in a minute; if it stays, check Kueue's logs and events for the Workload")


def _eviction(wl: dict) -> str:
    evicted = conditions(wl).get("Evicted", {})
    if str(evicted.get("status")) != "True" and not evicted.get("reason"):
        return ""
    return (f"previously evicted: Evicted={evicted.get('status')} ({evicted.get('reason', '')})"
            f": {evicted.get('message', '')}")
