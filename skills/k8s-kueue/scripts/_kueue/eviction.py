"""Why a Workload was preempted, evicted or requeued: its eviction history as Kueue wrote it.

Where Kueue writes it (kubernetes-sigs/kueue, each at the tags named):
- `Evicted` condition, reason Preempted | PodsReadyTimeout | AdmissionCheck |
  ClusterQueueStopped | LocalQueueStopped | Deactivated* | NodeFailures | FlavorMigration |
  WorkloadSliceReplaced (apis/kueue/v1beta2/workload_types.go v0.19.2); with it the
  `Preempted` condition, reason InClusterQueue | InCohortReclamation | InCohortFairSharing |
  InCohortReclaimWhileBorrowing (v0.8+; v0.7: InClusterQueue | InCohort).
- On re-admission both turn False with reason QuotaReserved and the message
  `Previously: <old message>` (pkg/workload/workload.go SetQuotaReservation /
  resetActiveCondition, v0.8+); `Requeued` stays True with the eviction's reason.
- `status.requeueState{count, requeueAt}` (v0.6+), `status.schedulingStats.evictions[]
  {reason, underlyingCause, count}` (v0.12+).
- The preemption message (pkg/scheduler/preemption/preemption.go):
  v0.3-v0.6 `Preempted to accommodate a higher priority Workload`;
  v0.7 `... a workload (UID: <u>) in the ClusterQueue|cohort`;
  v0.8-v0.10 `... a workload (UID: <u>) due to <why>`;
  v0.11-v0.14 `... (UID: <u>, JobUID: <j>) due to <why>`;
  v0.15+ `...; preemptor path: /<cohort>/.../<cq>; preemptee path: ...`;
  the victim's `Preempted` event adds (v0.17+) `; preemptor effective priority: P (base: B,
  boost: X); preemptee effective priority: ...`, and the preemptor gets a
  `PreemptedWorkload` event `Preempted workload <ns>/<name> (UID: <u>) in ClusterQueue <cq>;
  ...` (v0.17+).
- PodsReady timeout: `Exceeded the PodsReady timeout <ns>/<name>`
  (pkg/controller/core/workload_controller.go v0.19.2:1257).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue.messages import REASONS, clauses, rank
from _kueue.reported import _event_order

# HumanReadablePreemptionReasons (preemption.go v0.8-v0.19.2) and the v0.7 origins.
WHY_TO_REASON = {
    "prioritization in the ClusterQueue": "InClusterQueue",
    "reclamation within the cohort while borrowing": "InCohortReclaimWhileBorrowing",
    "reclamation within the cohort": "InCohortReclamation",
    "Fair Sharing within the cohort": "InCohortFairSharing",
    "ClusterQueue": "InClusterQueue",
    "cohort": "InCohort",
}
_UID = re.compile(r"accommodate a workload \(UID: ([^,)\s]+)")
_JOB_UID = re.compile(r"JobUID: ([^,)\s]+)")
_WHY = re.compile(r"\) (?:due to|in the) (.+?)(?:;|$)")
_PATHS = re.compile(r"preemptor path: (\S+?);\s*preemptee path: (\S+?)(?:;|$|\s)")
_PRIORITIES = re.compile(r"preemptor effective priority: (-?\d+) \(base: (-?\d+), boost: "
                         r"(-?\d+)\); preemptee effective priority: (-?\d+) \(base: (-?\d+)")
_PREEMPTED_WORKLOAD = re.compile(r"Preempted workload ([^/\s]+)/(\S+) \(UID: ([^)\s]+)\) in "
                                 r"ClusterQueue (\S+?);")
EVICTION_REASONS = {"Preempted", "PodsReadyTimeout", "AdmissionCheck", "ClusterQueueStopped",
                    "LocalQueueStopped", "NodeFailures", "FlavorMigration",
                    "WorkloadSliceReplaced", "InactiveWorkload"}
EXTRA_CAUSES = {"NodeFailures": "node_failures", "FlavorMigration": "flavor_migration",
                "WorkloadSliceReplaced": "workload_slice_replaced"}


@dataclass
class Eviction:
    """One eviction as Kueue described it."""
    reason: str                # the Evicted reason (Preempted, PodsReadyTimeout, ...)
    message: str               # Kueue's message, without "Previously: "
    current: bool              # Evicted=True now (not re-admitted since)
    said: str                  # where: "Evicted=True (Preempted)", "event Preempted"
    detail: str = ""           # Preempted condition reason (InCohortReclamation, ...)
    when: str = ""

    @property
    def cause(self) -> str:
        """Kueue's message names the cause first (a deactivation after too many requeues is
        a PodsReady timeout); the reason decides when the message does not."""
        said = rank(clauses(self.message))
        if said:
            return said[0].cause
        if self.reason in EXTRA_CAUSES:
            return EXTRA_CAUSES[self.reason]
        if self.reason.startswith(("Deactivated", "InactiveWorkload")):
            return REASONS.get(self.reason, "workload_deactivated")
        return REASONS.get(self.reason, "evicted")

    @property
    def preemption_reason(self) -> str:
        if self.detail:
            return self.detail
        why = _WHY.search(self.message)
        return WHY_TO_REASON.get(why.group(1).strip(), "") if why and "accommodate" in \
            self.message else ""

    def preemptor_uid(self) -> str:
        found = _UID.search(self.message)
        return "" if not found or found.group(1) == "UNKNOWN" else found.group(1)

    def preemptor_job_uid(self) -> str:
        found = _JOB_UID.search(self.message)
        return "" if not found or found.group(1) == "UNKNOWN" else found.group(1)

    def paths(self) -> tuple[str, str]:
        found = _PATHS.search(self.message)
        return (found.group(1), found.group(2)) if found else ("", "")


def _strip(message: str) -> str:
    message = " ".join(str(message or "").split())
    return message[len("Previously: "):] if message.startswith("Previously: ") else message


def history(wl: dict, events: list[dict]) -> list[Eviction]:
    """Every eviction Kueue recorded on this Workload, newest first, one per message."""
    conds = conditions(wl)
    out: list[Eviction] = []
    evicted, preempted = conds.get("Evicted") or {}, conds.get("Preempted") or {}
    if evicted.get("message"):
        current = str(evicted.get("status")) == "True"
        reason = str(evicted.get("reason", ""))
        if not current:  # re-admitted: the old reason is only in the Requeued condition
            reason = _past_reason(conds, evicted)
        detail = str(preempted.get("reason", "")) if preempted.get("message") and \
            _strip(preempted["message"]) == _strip(evicted["message"]) else ""
        if detail == "QuotaReserved":
            detail = ""
        out.append(Eviction(reason, _strip(evicted["message"]), current,
                            f"Evicted={evicted.get('status')} ({evicted.get('reason', '')})",
                            detail, str(evicted.get("lastTransitionTime", ""))))
    requeued = conds.get("Requeued") or {}
    if requeued.get("message") and str(requeued.get("reason")) in EVICTION_REASONS:
        out.append(Eviction(str(requeued["reason"]), _strip(requeued["message"]), False,
                            f"Requeued={requeued.get('status')} ({requeued['reason']})",
                            when=str(requeued.get("lastTransitionTime", ""))))
    ordered = [e for _, e in sorted(enumerate(events), reverse=True,
                                    key=lambda pair: _event_order(pair[1], pair[0]))]
    readmitted = False  # a QuotaReserved/Admitted event newer than the eviction
    for event in ordered:
        reason = str(event.get("reason", ""))
        message = _strip(event.get("message") or event.get("note") or "")
        if reason in ("QuotaReserved", "Admitted"):
            readmitted = True
        # (v0.6-v0.7 recorded the deactivation after the last requeue as an event of the
        # Evicted reason itself, InactiveWorkload: workload_controller.go:463@v0.7.1)
        if reason in ("Preempted", "InactiveWorkload") or reason.startswith("EvictedDueTo") \
                or (reason == "Evicted" and message):
            evicted_reason = reason[len("EvictedDueTo"):] if reason.startswith(
                "EvictedDueTo") else "Preempted" if "accommodate" in message else reason
            out.append(Eviction(evicted_reason, message, not readmitted and not evicted,
                                f"event {reason}",
                                when=str(event.get("lastTimestamp") or
                                         event.get("eventTime") or "")))
    return _dedupe(out)


def _past_reason(conds: dict, evicted: dict) -> str:
    requeued = conds.get("Requeued") or {}
    if _strip(requeued.get("message", "")) == _strip(evicted.get("message", "")):
        return str(requeued.get("reason", ""))
    return "Preempted" if "accommodate" in str(evicted.get("message", "")) else "Evicted"


def _dedupe(evictions: list[Eviction]) -> list[Eviction]:
    """One record per message (the condition and its event say the same); the richer one
    (the event carries priorities, the condition the Preempted reason) lends its facts."""
    merged: dict[str, Eviction] = {}
    for ev in evictions:
        key = _PRIORITIES.split(ev.message)[0].rstrip("; ")
        if key not in merged:
            merged[key] = ev
            continue
        kept = merged[key]
        kept.current = kept.current or ev.current
        kept.detail = kept.detail or ev.detail
        if len(ev.message) > len(kept.message):
            kept.message = ev.message
        if kept.reason in ("Evicted", "") and ev.reason:
            kept.reason = ev.reason
    # Conditions first (the current state), then events newest first, as collected.
    return sorted(merged.values(), key=lambda e: not e.current)


def orphan_event_groups(events: list[dict], known: list[dict]) -> dict[tuple, list[dict]]:
    """Kueue eviction events about Workloads that are not in the input (a pasted describe
    or events table): grouped by the Workload they are about ("" = unnamed)."""
    names = {(namespace_of(w), name_of(w)) for w in known}
    groups: dict[tuple, list[dict]] = {}
    for event in events:
        ref = event.get("involvedObject") or event.get("regarding") or {}
        if ref.get("kind") not in (None, "", "Workload"):
            continue
        key = (ref.get("namespace") or dig(event, "metadata", "namespace", default="") or "",
               ref.get("name") or "")
        if key in names or (not key[1] and known):
            continue
        groups.setdefault(key, []).append(event)
    return {k: v for k, v in groups.items() if history({}, v)}


def counts(wl: dict) -> list[str]:
    """schedulingStats.evictions and requeueState as one line each."""
    lines = []
    for entry in dig(wl, "status", "schedulingStats", "evictions", default=[]) or []:
        if isinstance(entry, dict):
            cause = entry.get("underlyingCause") or ""
            lines.append(f"schedulingStats: evicted {entry.get('count', '?')} time(s) for "
                         f"{entry.get('reason', '?')}" + (f" ({cause})" if cause else ""))
    state = dig(wl, "status", "requeueState", default={}) or {}
    if isinstance(state, dict) and state:
        lines.append(f"requeueState: count {state.get('count', 0)}"
                     + (f", next try at {state['requeueAt']}" if state.get("requeueAt")
                        else ""))
    return lines


# One preemption records Preempted and EvictedDueToPreempted (v0.13+) on the Workload: count one
_PREEMPTION_EVENTS = ("EvictedDueToPreempted", "Preempted")


def times_preempted(events: list[dict]) -> int:
    """How many preemptions the Workload's events record (their `count`, a describe's xN)."""
    for reason in _PREEMPTION_EVENTS:
        total = sum(int(e.get("count") or 1) for e in events if e.get("reason") == reason)
        if total:
            return total
    return 0


def times_evicted(wl: dict) -> int:
    total = sum(int(e.get("count") or 0) for e in
                dig(wl, "status", "schedulingStats", "evictions", default=[]) or []
                if isinstance(e, dict))
    return total


# --- the preemptor ---------------------------------------------------------------------------

def find_preemptor(eviction: Eviction, victim: dict, cluster) -> tuple[str, list[str]]:
    """("<ns>/<name>" or "", evidence): the Workload that took the quota, found by its UID in
    the input, by the PreemptedWorkload event it received, or by its job's UID."""
    uid, job_uid = eviction.preemptor_uid(), eviction.preemptor_job_uid()
    for wl in cluster.workloads:
        if uid and dig(wl, "metadata", "uid") == uid:
            return f"{namespace_of(wl)}/{name_of(wl)}", []
    victim_uid = dig(victim, "metadata", "uid", default="")
    for event in cluster.events:
        found = _PREEMPTED_WORKLOAD.search(str(event.get("message") or event.get("note") or ""))
        if found and (found.group(3) == victim_uid or
                      (found.group(1), found.group(2)) == (namespace_of(victim),
                                                           name_of(victim))):
            ref = event.get("involvedObject") or event.get("regarding") or {}
            who = f"{ref.get('namespace', '')}/{ref.get('name', '')}"
            if not uid or ref.get("uid") in ("", None, uid):
                return who, [f"event PreemptedWorkload on {who}: {found.group(0).rstrip(';')}"]
    for job in cluster.jobs:
        if job_uid and dig(job, "metadata", "uid") == job_uid:
            return "", [f"the preemptor's job is {job.get('kind', 'Job')} "
                        f"{namespace_of(job)}/{name_of(job)} (JobUID {job_uid})"]
    return "", []


def preemptor_lookup(eviction: Eviction) -> str:
    uid = eviction.preemptor_uid()
    if not uid:
        return ""
    return ("kubectl get workloads -A -o jsonpath='{range .items[?(@.metadata.uid==\"" + uid
            + "\")]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}'")


def priorities(eviction: Eviction) -> tuple[int, int] | None:
    found = _PRIORITIES.search(eviction.message)
    return (int(found.group(1)), int(found.group(4))) if found else None
