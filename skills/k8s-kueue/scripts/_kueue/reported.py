"""What Kueue itself reported about a Workload: the evidence that decides first.

Read, in this order (pkg/controller/core/workload_controller.go, pkg/scheduler/scheduler.go,
pkg/workload/evict, Kueue v0.4-v0.19): deactivation (spec.active, DeactivationTarget, Evicted
reason Deactivated*), the Evicted condition of an admitted or requeued Workload (PodsReady
timeout, preemption, admission checks, stopped queues), admission check states, the
QuotaReserved=False (older: Admitted=False) condition message, then Kueue's events about the
Workload. The first statement that names a cause is the verdict; the rest is evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue.messages import REASONS, Clause, clauses, normalize, rank

_KUEUE_COMPONENTS = ("kueue", "log")
def _deactivated_reason(reason: str) -> bool:
    """Evicted reasons of a deactivated Workload: "InactiveWorkload" + the DeactivationTarget
    reason concatenated (v0.8-v0.9: InactiveWorkloadRequeuingLimitExceeded,
    InactiveWorkloadAdmissionCheck), "Deactivated" / "DeactivatedDueTo<reason>" (v0.10+)
    (pkg/controller/core/workload_controller.go; kueue#3512, #3530)."""
    return reason.startswith(("InactiveWorkload", "Deactivated"))


@dataclass
class Verdict:
    cause: str
    said: str                     # where Kueue said it: 'QuotaReserved=False (Pending)'
    message: str                  # Kueue's words
    clauses: list[Clause] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    basis: str = "reported"       # "inferred" when deduced from what Kueue reported

    def quote(self) -> str:
        return f'Kueue {self.said}: "{self.message[:400]}"' if self.message else \
            f"Kueue {self.said} (no message)"


def is_true(cond: dict) -> bool:
    return str(cond.get("status", "")) == "True"


def is_false(cond: dict) -> bool:
    return str(cond.get("status", "")) == "False"


def verdict(wl: dict, events: list[dict]) -> Verdict | None:
    """Kueue's own verdict on a Workload that is not finished, None when it said nothing."""
    conds = conditions(wl)
    for step in (_rejected_finish, _failed_start, _deactivated, _evicted, _admission_checks,
                 _not_reserved):
        found = step(wl, conds)
        if found:
            return _with_events(found, events)
    return _from_events(_since_admission(conds, events))


def _since_admission(conds: dict, events: list[dict]) -> list[dict]:
    """With QuotaReserved/Admitted True, the events older than that condition are history
    (a Pending before a re-admission is not why the Workload waits now)."""
    times = [str(conds.get(c, {}).get("lastTransitionTime") or "") for c in _ADMITTING
             if is_true(conds.get(c, {}))]
    since = max(times, default="")[:19]     # to the second: conditions carry no fraction
    if not since:
        return events
    return [e for e in events
            if str(e.get("lastTimestamp") or e.get("eventTime") or "9")[:19] >= since]


def finished_by_rejection(wl: dict) -> bool:
    """v0.5-v0.7 finished a Workload whose admission check was Rejected (Finished=True,
    reason AdmissionChecksRejected, "Admission checks [x] are rejected")."""
    cond = conditions(wl).get("Finished", {})
    return is_true(cond) and (cond.get("reason") == "AdmissionChecksRejected"
                              or "are rejected" in str(cond.get("message", "")))


def failed_to_start(wl: dict) -> bool:
    """Kueue finished the Workload because starting its job failed for good (Finished=True,
    reason FailedToStart: a pod set update that conflicts with the job's template, pod sets
    that do not match it; jobframework/reconciler.go:628-636@v0.19.2, :388@v0.6.3): the job
    never ran, so the Workload still explains why it waits."""
    cond = conditions(wl).get("Finished", {})
    return is_true(cond) and cond.get("reason") == "FailedToStart"


def _failed_start(wl: dict, conds: dict) -> Verdict | None:
    if not failed_to_start(wl):
        return None
    cond = conds["Finished"]
    message = normalize(cond.get("message", ""))
    return Verdict("admitted_not_started", "Finished=True (FailedToStart)", message,
                   clauses(message))


def _rejected_finish(wl: dict, conds: dict) -> Verdict | None:
    if not finished_by_rejection(wl):
        return None
    cond = conds["Finished"]
    return Verdict("admission_check_rejected", f"Finished=True ({cond.get('reason', '')})",
                   normalize(cond.get("message", "")), evidence=check_lines(wl))


def _deactivated(wl: dict, conds: dict) -> Verdict | None:
    target = conds.get("DeactivationTarget", {})
    evicted = conds.get("Evicted", {})
    active = dig(wl, "spec", "active")
    evicted_off = is_true(evicted) and _deactivated_reason(str(evicted.get("reason", "")))
    if active is not False and not is_true(target) and not evicted_off:
        return None
    statements = [(f"DeactivationTarget=True ({target.get('reason', '')})", target)] \
        if is_true(target) else []
    statements.append((f"Evicted={evicted.get('status')} ({evicted.get('reason', '')})",
                       evicted))
    for said, cond in statements:
        text = " ".join(str(cond.get(k, "")) for k in ("reason", "message"))
        cause = _deactivation_cause(text, wl)
        if cond and cause:
            found = Verdict(cause, said, normalize(cond.get("message", "")), clauses(text))
            if cause == "admission_check_rejected":
                found.evidence += check_lines(wl)
            return found
    return Verdict("workload_deactivated", "spec.active=false",
                   normalize(evicted.get("message", "") or "The workload is deactivated"))


def _deactivation_cause(text: str, wl: dict) -> str:
    """Why Kueue (or a person) deactivated it: requeue limit, rejected check, or a person."""
    found = {c.cause for c in clauses(text)}
    for reason, cause in REASONS.items():
        if reason in text.split():
            found.add(cause)
    underlying = {str(e.get("underlyingCause", "")) for e in
                  dig(wl, "status", "schedulingStats", "evictions", default=[]) or []}
    reasons = underlying | {word for word in text.split() if _deactivated_reason(word)}
    if "pods_ready_timeout" in found or any(r.endswith("RequeuingLimitExceeded")
                                            for r in reasons):
        return "pods_ready_timeout"
    if "admission_check_rejected" in found or any(r.endswith("AdmissionCheck")
                                                  for r in reasons):
        return "admission_check_rejected"
    return "workload_deactivated" if text.strip() else ""


def _evicted(wl: dict, conds: dict) -> Verdict | None:
    """An Evicted=True condition explains an admitted Workload being stopped, and a pending
    one that waits for re-admission (requeue backoff, preemptor holding the quota)."""
    evicted = conds.get("Evicted", {})
    if not is_true(evicted):
        return None
    # the message first: one reason covers several causes (AdmissionCheck is both a check in
    # Retry and, v0.9-v0.17, "Admission check(s): [x], were rejected")
    cause = next((c.cause for c in rank(clauses(evicted.get("message", "")))), "") or \
        REASONS.get(str(evicted.get("reason", "")), "")
    if not cause:
        return None
    preempted = conds.get("Preempted", {})
    said = f"Evicted=True ({evicted.get('reason', '')})"
    if cause == "preempted" and is_true(preempted):
        said += f", Preempted=True ({preempted.get('reason', '')})"
    found = Verdict(cause, said, normalize(evicted.get("message", "")),
                    clauses(evicted.get("message", "")))
    found.evidence += _requeue_lines(wl, conds)
    if cause == "admission_check_pending":
        found.evidence += check_lines(wl)
        if rejected_check(wl):
            found.cause = "admission_check_rejected"
    return found


def _admission_checks(wl: dict, conds: dict) -> Verdict | None:
    """Quota reserved, admission waits for checks (their controllers write the states). A
    Rejected state is the check controller's verdict whatever else the paste shows (a
    `status.admissionChecks` block pasted alone, kueue#5613): Kueue evicts and deactivates a
    workload on it (v0.8+; v0.5-v0.7 finished it)."""
    waiting = [c for c in _checks(wl) if str(c.get("state", "Pending")) != "Ready"]
    rejected = [c for c in waiting if str(c.get("state")) == "Rejected"]
    if not rejected and (not is_true(conds.get("QuotaReserved", {}))
                         or is_true(conds.get("Admitted", {}))):
        return None
    if not waiting:
        return None
    first = (rejected or waiting)[0]
    state = first.get("state", "Pending")
    message = normalize(first.get("message", ""))
    others = [line for line in check_lines(wl) if not line.startswith(
        f"AdmissionCheck {first.get('name')}:")]
    return Verdict("admission_check_rejected" if rejected else "admission_check_pending",
                   f"AdmissionCheck {first.get('name')} state {state}", message,
                   evidence=others)


def _not_reserved(wl: dict, conds: dict) -> Verdict | None:
    for ctype in ("QuotaReserved", "Admitted"):
        cond = conds.get(ctype, {})
        if not is_false(cond):
            continue
        message = normalize(cond.get("message", ""))
        found = rank(clauses(message))
        cause = found[0].cause if found else REASONS.get(str(cond.get("reason", "")), "")
        if cause:
            verdict_ = Verdict(cause, f"{ctype}=False ({cond.get('reason', '')})", message,
                               found)
            if cause.startswith("admission_check"):
                verdict_.evidence += check_lines(wl)
            return verdict_
    return None


def _from_events(events: list[dict]) -> Verdict | None:
    """No condition in the input: the newest Kueue event that names a cause."""
    ordered = sorted(enumerate(events), key=lambda pair: _event_order(pair[1], pair[0]),
                     reverse=True)
    evicted = _unanswered_eviction([e for _, e in ordered])
    if evicted is not None:
        return evicted
    for _, event in ordered:
        if str(event.get("reason", "")) in _ADMITTING:
            return None     # Kueue admitted it after every older Pending: those are history
        message = normalize(event.get("message") or event.get("note") or "")
        found = rank(clauses(message))
        cause = found[0].cause if found else REASONS.get(str(event.get("reason", "")), "")
        if cause:
            return Verdict(cause, _said_in(event), message, found,
                           evidence=[event_line(e) for e in events[:4]])
    return None


# Events Kueue records when it reserves quota / admits (scheduler.go, workload_controller.go).
_ADMITTING = ("QuotaReserved", "Admitted")

_EVICTING = ("Preempted", "Evicted", "EvictedDueToPodsReadyTimeout",
             "EvictedDueToAdmissionCheck", "EvictedDueToClusterQueueStopped",
             "EvictedDueToLocalQueueStopped", "EvictedDueToDeactivated")


def _unanswered_eviction(newest_first: list[dict]) -> Verdict | None:
    """A Preempted/Evicted event with no QuotaReserved/Admitted after it: the Workload lost
    its admission and has not got it back, as an Evicted=True condition would say; the
    Pending messages since then say what it waits for now (evidence)."""
    for position, event in enumerate(newest_first):
        reason = str(event.get("reason", ""))
        if reason in _ADMITTING:
            return None
        if reason not in _EVICTING:
            continue
        message = normalize(event.get("message") or event.get("note") or "")
        found = rank(clauses(message))
        cause = found[0].cause if found else REASONS.get(reason, "preempted" if reason ==
                                                         "Preempted" else "")
        if not cause:
            return None
        since = [event_line(e) for e in newest_first[:position] if e.get("message")][:2]
        return Verdict(cause, f"event {reason}", message, found,
                       evidence=[f"since then (newest first): {line}" for line in since])
    return None


def _with_events(found: Verdict, events: list[dict]) -> Verdict:
    lines = [event_line(e) for e in events if e.get("message")][:3]
    found.evidence += [line for line in lines if found.message[:60] not in line]
    return found


def _event_order(event: dict, index: int):
    """Newest first: by timestamp, else by the age a table printed ("2m5s" is older than
    "5s"), else by position (kubectl describe lists events oldest first)."""
    stamp = str(event.get("lastTimestamp") or event.get("eventTime") or "")
    if stamp:
        return (2, stamp, index)
    age = _age_seconds(str(event.get("_lastSeen") or ""))
    if age is not None:
        return (1, -age, index)
    return (0, "", index)


_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 31536000}


def _age_seconds(age: str) -> int | None:
    """kubectl's short age ("3m5s", "2d", "45s"); None when it is not one."""
    age = (age.split() or [""])[0]  # "16s (x11 over 4m16s)": the last time it was seen
    parts = re.findall(r"(\d+)([smhdy])", age)
    if not parts or "".join(n + u for n, u in parts) != age.strip():
        return None
    return sum(int(n) * _AGE_UNITS[u] for n, u in parts)


def _said_in(event: dict) -> str:
    """Where Kueue said it: an event (its reason), or a controller log record the paste
    carried (objects.as_kueue_object turns those into events of component "log")."""
    if (event.get("source") or {}).get("component") == "log":
        return "log line"
    return f"event {event.get('reason', '')}"


def event_line(event: dict) -> str:
    count = event.get("count")
    times = f" (x{count})" if count and int(count) > 1 else ""
    head = " ".join(_said_in(event).split()) if not event.get("type") else \
        f"event {event.get('type', '')} {event.get('reason', '')}"
    return f"{head}{times}: {normalize(event.get('message') or event.get('note') or '')[:300]}"


def _checks(wl: dict) -> list[dict]:
    return [c for c in dig(wl, "status", "admissionChecks", default=[]) or []
            if isinstance(c, dict)]


def rejected_check(wl: dict) -> bool:
    return any(str(c.get("state")) == "Rejected" for c in _checks(wl))


def check_lines(wl: dict) -> list[str]:
    """One line per check state; retryCount / requeueAfterSeconds (v0.15+) when set."""
    return [f"AdmissionCheck {c.get('name')}: state {c.get('state', 'Pending')}"
            + (f', message "{normalize(c["message"])}"' if c.get("message") else "")
            + (f", retryCount {c['retryCount']}" if c.get("retryCount") else "")
            + (f", requeueAfterSeconds {c['requeueAfterSeconds']}"
               if c.get("requeueAfterSeconds") else "")
            for c in _checks(wl)][:4]


def _requeue_lines(wl: dict, conds: dict) -> list[str]:
    lines = []
    state = dig(wl, "status", "requeueState", default={}) or {}
    if isinstance(state, list):  # describe text of an older kubectl reads it as a list
        state = state[0] if state else {}
    if state.get("count"):
        lines.append(f"requeued {state['count']} time(s)"
                     + (f", next attempt at {state['requeueAt']}" if state.get("requeueAt")
                        else ""))
    requeued = conds.get("Requeued", {})
    if requeued:
        lines.append(f"Requeued={requeued.get('status')} ({requeued.get('reason', '')}): "
                     f"{normalize(requeued.get('message', ''))}")
    return lines


# ---- which events are about which Workload ------------------------------------------------

def is_kueue_event(event: dict) -> bool:
    source = dig(event, "source", "component", default="") or \
        event.get("reportingController") or event.get("reportingComponent") or ""
    return not source or any(k in str(source) for k in _KUEUE_COMPONENTS)


def events_for(wl: dict, events: list[dict], owner_names: set[str]) -> list[dict]:
    """Kueue events about the Workload (by uid or name; an unnamed describe block's events
    belong to its unnamed Workload) or about the job that owns it."""
    uid, name, ns = dig(wl, "metadata", "uid"), name_of(wl), namespace_of(wl)
    out = []
    for event in events:
        ref = event.get("involvedObject") or event.get("regarding") or {}
        ref_ns = ref.get("namespace") or dig(event, "metadata", "namespace", default="")
        same_ns = not ns or not ref_ns or ref_ns == ns
        if uid and ref.get("uid") == uid:
            out.append(event)
        elif ref.get("kind") == "Workload" and ref.get("name", "") == name and same_ns:
            out.append(event)
        elif ref.get("name") in owner_names and same_ns and is_kueue_event(event):
            out.append(event)
    return out
