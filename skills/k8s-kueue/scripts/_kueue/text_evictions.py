"""Kueue's eviction messages in pasted text that holds no Workload and no event kubectl
printed (a script's own report, a chat, a log): each is read as the event Kueue records with
it, on the Workload the message names (else an unnamed one).

Kueue evicts through workload/evict.Evict, which sets the Evicted condition and records an
event `EvictedDueTo<Reason>` with the same message (kubernetes-sigs/kueue v0.19.2
pkg/workload/evict/evict.go); the messages (v0.19.2 pkg/controller/core/
workload_controller.go):
- `Exceeded the PodsReady timeout <ns>/<name>` (PodsReadyTimeout; the same since v0.3);
- `The workload is deactivated` and `... due to <why>` (Deactivated); <why> alone for a
  rejected admission check, `Admission check(s): <c>, were rejected` (v0.10-v0.17,
  l.781@v0.17.8) or `AdmissionCheck(s) in Rejected state: <c>...` (v0.18+, l.958-983);
- v0.6-v0.7's event InactiveWorkload `Deactivated Workload "<ns/wl>" by reached re-queue
  backoffLimitCount` (the requeues after PodsReady timeouts ran out, l.464@v0.7.1);
- `The ClusterQueue is stopped` (ClusterQueueStopped), `The LocalQueue is stopped`
  (LocalQueueStopped, v0.8+, l.1068);
- an admission check in Retry: `Evicted due to AdmissionCheck(s) in Retry state: <check>...`
  (AdmissionCheck, l.994@v0.19.2, v0.18+; v0.5-v0.17 `At least one admission check is false`,
  l.797@v0.17.8);
- the preemption message `Preempted to accommodate a ...` (Preempted; eviction.py lists its
  wordings from v0.3 on);
- a TAS node failure (NodeFailures): `Workload was evicted as there was no replacement for
  unhealthy node(s): <n>` (pkg/scheduler/scheduler.go:914@v0.19.2; v0.13.0-v0.14.6 and
  v0.15.0-v0.15.1 "... for a failed node: <n>", l.580@v0.14.6) and `Workload eviction
  triggered due to multiple TAS assigned node failures, including: <n>`
  (pkg/controller/tas/node_controller.go:69@v0.19.2).
"""
from __future__ import annotations

import re
from typing import Any

_NAME = r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?"
_MESSAGES = [
    (re.compile(rf"Exceeded the PodsReady timeout(?: (?P<ns>{_NAME})/(?P<name>{_NAME}))?"),
     "EvictedDueToPodsReadyTimeout"),
    (re.compile(r"The workload is deactivated(?: due to .*)?"), "EvictedDueToDeactivated"),
    (re.compile(r"Deactivated Workload \S+ by reached re-queue backoffLimitCount"),
     "EvictedDueToInactiveWorkload"),
    (re.compile(r"Admission check\(s\): .*were rejected|AdmissionChecks? in Rejected state: "
                r".*"), "EvictedDueToDeactivatedDueToAdmissionCheck"),
    (re.compile(r"The ClusterQueue is stopped"), "EvictedDueToClusterQueueStopped"),
    (re.compile(r"The LocalQueue is stopped"), "EvictedDueToLocalQueueStopped"),
    (re.compile(r"Evicted due to AdmissionChecks? in Retry state: .*|At least one admission "
                r"check is false"), "EvictedDueToAdmissionCheck"),
    (re.compile(r"Preempted to accommodate a .*"), "Preempted"),
    (re.compile(r"Workload was evicted as there was no replacement for (?:unhealthy node\(s\)|"
                r"a failed node): .*|Workload eviction triggered due to multiple TAS assigned "
                r"node failures.*"), "EvictedDueToNodeFailures"),
]


def events(lines: list[str]) -> list[dict[str, Any]]:
    """An Event per line that carries one of Kueue's eviction messages, in text order."""
    out = []
    for line in lines:
        for pattern, reason in _MESSAGES:
            match = pattern.search(str(line))
            if match is None:
                continue
            groups = match.groupdict()
            out.append({"kind": "Event", "type": "Normal", "reason": reason,
                        "message": match.group(0).strip().rstrip('".,'),
                        "involvedObject": {"kind": "Workload",
                                           "namespace": groups.get("ns") or "",
                                           "name": groups.get("name") or ""},
                        "source": {"component": "kueue (quoted in the paste)"}})
            break
    return out


def from_stopped_jobs(job_events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Kueue's eviction told on the job: when it stops an evicted workload's job, the job
    reconciler records `Normal Stopped <the eviction message>` on the job (jobframework
    reconciler.go stopJob: r.record.Event(object, EventTypeNormal, ReasonStopped, eventMsg),
    v0.3-v0.19; a `kubectl describe tfjob` shows it, kubernetes-sigs/kueue#2923)."""
    out = []
    for event in job_events:
        if event.get("reason") != "Stopped":
            continue
        for found in events([str(event.get("message") or event.get("note") or "")]):
            ref = event.get("involvedObject") or event.get("regarding") or {}
            found["involvedObject"]["namespace"] = found["involvedObject"]["namespace"] or \
                str(ref.get("namespace") or "")
            found["source"] = {"component": "kueue (the job's Stopped event)"}
            out.append(found)
    return out
