#!/usr/bin/env python3
"""Explain why Kueue preempted, evicted or requeued a job: the eviction history Kueue wrote on
its Workload, the preemptor, the ClusterQueue setting that allowed it, and how to avoid it."""
from __future__ import annotations

import os
import sys
from collections import Counter

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.objects import dig, name_of, namespace_of

from _kueue.eviction import (Eviction, counts, find_preemptor, history,
                             orphan_event_groups, preemptor_lookup, priorities,
                             times_evicted, times_preempted)
from _kueue.input import add_input_args, load_cluster
from _kueue.jobs import JobIndex
from _kueue.objects import Cluster
from _kueue.preemption_policy import avoid, queue_from_path, setting_line, why
from _kueue.prose import said_preempted
from _kueue.orphans import prose_states, text_reports
from _kueue.pods_ready_write import findings as stale_pods_ready

# the states a report may give in words that are evictions (Evicted reasons PodsReadyTimeout,
# ClusterQueueStopped / LocalQueueStopped, Deactivated; apis/kueue/v1beta1 workload_types.go)
# (a webhook said to refuse Kueue's stop of the job: the eviction cannot land, kueue#2691)
_EVICTION_STATES = ("pods_ready_timeout", "queue_inactive", "workload_deactivated",
                    "admission_webhook_denied")
# what Kueue's logs and job events say instead of an eviction: it stopped a running job that
# no longer matches its Workload, or could not write the Workload's status (an eviction that
# never lands: kueue#6966), or a webhook refused Kueue's update on the way to the stop (its
# own vworkload.kb.io refusing lowered reclaimablePods: the job reconciler returns before it
# handles the eviction, kueue#1215; a job kind's webhook refusing the suspend, kueue#2691),
# or could not write the eviction itself (the scheduler's "Failed to evict workload ...",
# kueue#8258), or the API server refused Kueue's or a person's update with a known Kueue
# defect's signature (a deactivation refused by an unguarded CEL rule, kueue#10593)
_STOPS = ("job_workload_mismatch", "status_update_rejected", "admission_webhook_denied",
          "eviction_status_patch_failed", "kueue_bug")
_SAID = {"preempted": "one was preempted",
         "pods_ready_timeout": "one was evicted by the PodsReady timeout",
         "queue_inactive": "its queue was stopped (stopPolicy)",
         "workload_deactivated": "one was deactivated",
         "admission_webhook_denied": "a webhook refused Kueue's update, so the eviction "
                                     "cannot stop the job",
         "eviction_status_patch_failed": "Kueue could not write an eviction to the Workload",
         "pods_ready_misreported": "Kueue could not write a Workload's PodsReady condition"}
from _kueue.reported import check_lines, events_for, rejected_check
from _kueue.text_evictions import events as text_events
from _kueue.text_evictions import from_stopped_jobs

EPILOG = """what it reads (references/messages.md, "Eviction history"): the Evicted and
Preempted conditions (also after re-admission: "Previously: ..."), Requeued,
status.requeueState, status.schedulingStats.evictions, the Preempted / EvictedDueTo* events
on the Workload and the PreemptedWorkload event on the preemptor — every wording from
Kueue v0.3 to v0.19.

examples:
  explain_eviction.py -n team-a                 # live: every evicted/requeued Workload there
  explain_eviction.py -n team-a train-llama     # one Job/JobSet/... or Workload name
  kubectl get workloads,clusterqueues,jobs,events -A -o yaml > dump.yaml
  explain_eviction.py -f dump.yaml

causes: preempted (with the preemption reason InClusterQueue | InCohortReclamation |
  InCohortReclaimWhileBorrowing | InCohortFairSharing), pods_ready_timeout,
  admission_check_pending, admission_check_rejected, queue_inactive, workload_deactivated,
  node_failures, flavor_migration, workload_slice_replaced; admission_webhook_denied when
  Kueue's log shows a webhook refusing its update on the way (the eviction cannot land);
  eviction_status_patch_failed when Kueue logs it could not write the eviction ("Failed to
  evict workload ..."); status_update_rejected, kueue_bug from Kueue's refused updates;
  pods_ready_misreported when Kueue logs its write of the PodsReady condition failed.
exit: 0 no evictions, 1 findings, 2 bad usage/input."""


def build_parser():
    parser = make_parser(__doc__.strip(), EPILOG)
    add_input_args(parser)
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="a Workload or the job that owns it")
    return parser


def explain(wl: dict, cluster: Cluster, jobs: JobIndex, events=None) -> dict | None:
    owners = {r.get("name", "") for r in (wl.get("metadata") or {}).get("ownerReferences")
              or []}
    mine = events_for(wl, cluster.events, owners) if events is None else events
    past = history(wl, mine)
    if not past:
        return None
    last = past[0]
    message, evidence, fix, confirm = _story(last, wl, cluster)
    preempted = times_preempted(mine) if last.cause == "preempted" and not last.current else 0
    cycle = preempted >= CYCLE_PREEMPTIONS
    if cycle:
        message, fix = _cycle(preempted, message, fix)
    evidence += [f"earlier: {e.said}: {e.message[:300]}" for e in past[1:3]]
    evidence += counts(wl)
    job = jobs.job_for(wl)
    if job is not None:
        evidence.append(f"job: {job.get('kind', 'Job')} {namespace_of(job)}/{name_of(job)}")
    cause = last.cause
    if cause == "admission_check_pending" and rejected_check(wl):
        # "At least one admission check is false" covers Retry and Rejected: the states say
        # which (kubernetes-sigs/kueue#10807: a check Rejected, the Workload evicted)
        cause = "admission_check_rejected"
        evidence += [line for line in check_lines(wl) if line not in evidence]
        fix = _fix(last, cause)
    return finding("warning" if last.current or cycle else "info", cause, wl, message,
                   evidence, fix, basis="reported", confirm=confirm)


# Preempted this often and re-admitted each time is no longer history: workloads take the
# quota from each other in turn (kubernetes-sigs/kueue#7101 on v0.13.5, #6929: fair sharing
# with equal shares preempted back and forth; each round restarts the job).
CYCLE_PREEMPTIONS = 3


def _cycle(times: int, message: str, fix: str) -> tuple[str, str]:
    return (f"preempted {times} times and re-admitted each time: every round restarts the "
            "job, and workloads that take the quota from each other in turn are a preemption "
            f"cycle; last: {message}",
            "find the preemptors (kubectl get workloads -A, by the UIDs above): the same ones "
            "each time is a cycle; with fair sharing, equal shares preempted back and forth in "
            "Kueue v0.13 (kubernetes-sigs/kueue#6929, #7101): upgrade Kueue, or give the "
            f"ClusterQueues different fairSharing weights; otherwise: {fix}")


def _story(last: Eviction, wl: dict, cluster: Cluster):
    total = times_evicted(wl)
    state = ("still evicted" if last.current else "admitted again since")
    head = f"evicted {total} time(s); last: " if total > 1 else ""
    quote = f'Kueue {last.said}: "{last.message[:500]}"'
    if last.cause != "preempted":
        return (f"{head}{last.reason or 'evicted'} ({state}): {last.message[:200]}",
                [quote], _fix(last), "")
    reason = last.preemption_reason
    preemptor_path, victim_path = last.paths()
    victim_cq = queue_from_path(victim_path) or dig(wl, "status", "admission",
                                                    "clusterQueue", default="")
    preemptor_cq = queue_from_path(preemptor_path)
    who, found = find_preemptor(last, wl, cluster)
    evidence = [quote] + found
    line = setting_line(cluster.cluster_queues.get(preemptor_cq), reason)
    if line:
        evidence.append(line)
    prio = priorities(last)
    if prio:
        evidence.append(f"priority: preemptor {prio[0]}, this workload {prio[1]}")
    confirm = "" if who else preemptor_lookup(last)
    preemptor = f"; preemptor: Workload {who}" if who else \
        (f"; preemptor: Workload UID {last.preemptor_uid()} (not in the input)"
         if last.preemptor_uid() else "")
    message = (f"{head}preempted ({reason or 'reason not recorded'}, {state}): "
               f"{why(reason, victim_cq, preemptor_cq)}{preemptor}")
    return message, evidence, avoid(reason, victim_cq, preemptor_cq), confirm


def _fix(last: Eviction, cause: str = "") -> str:
    return {
        "pods_ready_timeout": "its pods did not all become Ready within waitForPodsReady."
                              "timeout: find why (explain_pending.py, triage.py on the pods); "
                              "after requeuingStrategy.backoffLimitCount requeues it is "
                              "deactivated",
        "admission_check_pending": "an admission check went to Retry/False: see "
                                   "status.admissionChecks and the check's controller",
        "admission_check_rejected": "an admission check rejected it: see "
                                    "status.admissionChecks",
        "queue_inactive": "its ClusterQueue or LocalQueue was stopped (stopPolicy "
                          "HoldAndDrain): set stopPolicy None to resume",
        "workload_deactivated": "spec.active is false: set it true (kubectl patch workload "
                                "... --type=merge -p '{\"spec\":{\"active\":true}}') once the "
                                "cause is fixed",
        "node_failures": "a node it ran on failed (topology-aware scheduling): it is requeued "
                         "to be placed on healthy nodes",
        "flavor_migration": "Kueue moved it to a more favourable flavor (concurrent "
                            "admission): nothing to fix",
        "workload_slice_replaced": "an elastic job was resized: the new slice replaced this "
                                   "one; nothing to fix",
    }.get(cause or last.cause, "see Kueue's message")


def in_scope(wl: dict, namespace: str | None, name: str | None) -> bool:
    if namespace and namespace_of(wl) != namespace:
        return False
    if not name:
        return True
    owners = {r.get("name") for r in (wl.get("metadata") or {}).get("ownerReferences") or []}
    return name_of(wl) == name or name in owners


def body(args):
    cluster = load_cluster(args)
    chosen = [wl for wl in cluster.workloads if in_scope(wl, args.namespace, args.name)]
    if args.name and not chosen:
        raise InputError(f"{args.name}: no Workload of that name (or owned by a job of that "
                         "name) in the input")
    jobs = JobIndex(cluster)
    findings = [f for wl in chosen for f in [explain(wl, cluster, jobs)] if f]
    # with no Workload and no Event, Kueue's eviction messages quoted in the text
    quoted = [] if chosen or cluster.events else text_events(list(cluster.texts or []))
    told_on_jobs = from_stopped_jobs(cluster.events or [])
    for (namespace, name), events in orphan_event_groups((cluster.events or quoted) +
                                                         told_on_jobs,
                                                         cluster.workloads).items():
        stub = {"kind": "Workload", "metadata": {"name": name, "namespace": namespace}}
        if in_scope(stub, args.namespace, args.name) or not name:
            findings += [f for f in [explain(stub, cluster, jobs, events)] if f]
    if not findings and not chosen:
        # the report's words: an eviction state (PodsReady timeout, a stopped queue, a
        # deactivated Workload), else a preemption, else "no Workload in the input"
        findings = [f for f in prose_states(cluster) if f["cause"] in _EVICTION_STATES] \
            or _stops(cluster) or said_preempted(cluster)
    # Kueue's log: its write of a Workload's PodsReady condition failed (kueue#7363)
    findings = stale_pods_ready(list(cluster.texts or [])) + findings
    findings.sort(key=lambda f: (_RANK.get(f["severity"], 3), f["object"]["namespace"],
                                 f["object"]["name"]))
    summary = _summary(findings, chosen, cluster, bool(quoted))
    text = summary + ("\n\n" + render_text(findings) if findings else "")
    return {"summary": summary, "findings": findings}, text, exit_code(findings, "info")


_RANK = {"error": 0, "warning": 1, "info": 2}


def _stops(cluster: Cluster) -> list[dict]:
    """Kueue's own words that it stopped the job, or could not: the refusal that keeps an
    eviction from landing explains more than the preemption that started it, which the report
    may state too (kueue#1215: "queue A is preempted ... will happen this webhook failure")."""
    stops = [f for f in text_reports(cluster) if f["cause"] in _STOPS]
    if any(f["cause"] == "admission_webhook_denied" for f in stops):
        stops += [f for f in said_preempted(cluster) if f["cause"] == "preempted"]
    return stops


def _summary(findings: list[dict], chosen: list[dict], cluster: Cluster,
             quoted: bool = False) -> str:
    if not chosen and not cluster.events and not quoted:  # only the report's words
        said = [_SAID.get(f["cause"], f["cause"].replace("_", " ")) for f in findings
                if f["severity"] in ("error", "warning")]
        return "no Workload in the input" + (f": the report says {said[0]}" if said else "")
    if findings:
        where = " (Kueue's messages quoted in the paste)" if quoted else ""
        return f"{len(findings)} workload(s) evicted{where}: " + ", ".join(
            f"{n} {c}" for c, n in Counter(f["cause"] for f in findings).most_common())
    return f"no evictions recorded on {len(chosen)} workload(s)"


def main(argv=None) -> int:
    return run(build_parser(), argv, body)


if __name__ == "__main__":
    sys.exit(main())
