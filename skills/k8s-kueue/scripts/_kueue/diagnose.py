"""One Workload in, one finding (or None) out: the decision behind explain_pending.py.

Evidence order: what Kueue reported (Workload conditions, admission check states, Kueue's
events; see _kueue/reported.py) decides the cause, basis "reported". The queue objects in
the input only add evidence to it (quota arithmetic, top holders) and never contradict it.
When Kueue said nothing usable, the cause is inferred from the objects (basis "inferred",
with the one kubectl command that would confirm it). See references/causes.md.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue.gang_model import podsets
from _kueue.explain import explain_reported, quota_causes
from _kueue.jobs import JobIndex, queue_name_of
from _kueue.objects import (admission_check_names, is_finished, is_true,
                            resource_groups, workload_queue)
from _kueue.presence import get_command
from _kueue import queue_mates
from _kueue.quota import QuotaBook
from _kueue.reported import events_for, failed_to_start, finished_by_rejection, verdict
from _kueue.rules_queue import check_queue_path
from _kueue.rules_quota import check_resources, podset_summary, usage_unknown_wait
from _kueue.rules_running import (check_admission_checks, check_dra, check_pods_ready_block,
                                 check_started)

QUEUE_CAUSES = ("local_queue_missing", "cluster_queue_missing", "queue_inactive",
                "namespace_not_selected")
INFO_CAUSES = {"pending_unexplained", "not_in_dump", "not_evaluated"}
WARNING_CAUSES = {"quota_exhausted", "waiting_pods_ready", "admission_check_pending",
                  "preempted"}


def severity_of(cause: str) -> str:
    return "info" if cause in INFO_CAUSES else \
        "warning" if cause in WARNING_CAUSES else "error"


class Diagnoser:
    def __init__(self, cluster):
        self.cluster = cluster
        self.book = QuotaBook(cluster)
        self.jobs = JobIndex(cluster)
        self.queue_of: dict[int, str] = {}  # id(finding) -> ClusterQueue, for digests

    def explain(self, wl: dict) -> dict | None:
        if is_finished(wl) and not (finished_by_rejection(wl) or failed_to_start(wl)):
            return None
        events = events_for(wl, self.cluster.events, self._owner_names(wl))
        said = verdict(wl, events)
        if is_true(wl, "Admitted") and (said is None or said.cause == "admission_check_pending"):
            found = self._admitted(wl)
        elif said is not None:
            found = self._reported(wl, said)
        else:
            found = self._inferred(wl)
        if found is not None:
            self.queue_of[id(found)] = self.queue_name(wl)
        return found

    def queue_name(self, wl: dict) -> str:
        """The ClusterQueue a Workload is in (admitted) or aims at (through its LocalQueue)."""
        admitted = dig(wl, "status", "admission", "clusterQueue", default="")
        if admitted:
            return admitted
        return dig(self._local_queue(wl) or {}, "spec", "clusterQueue", default="") or \
            queue_mates.cluster_queue(wl, self.cluster)

    # ---- reported: Kueue's verdict, the objects add evidence -----------------------------

    def _reported(self, wl: dict, said) -> dict:
        cq = self.cluster.cluster_queues.get(self.queue_name(wl))
        evidence = []
        if cq is None:
            cq = self._only_queue_with(said)
            if cq is not None:
                evidence.append(f"ClusterQueue {name_of(cq)} taken as the Workload's: the "
                                "LocalQueue is not in the input and it is the only "
                                "ClusterQueue there with the flavors Kueue names")
        message, more, fix = explain_reported(wl, said, cq, self._state(wl, said.cause, cq),
                                              self.cluster)
        evidence += more
        if said.cause == "dra_class_unmapped":
            _, message, evidence_dra, fix = check_dra(wl, self.cluster, said.message)
            evidence += evidence_dra
        if said.cause.startswith("admission_check"):
            evidence += self._check_controllers(wl)
        return finding(severity_of(said.cause), said.cause, wl, message,
                       [said.quote()] + said.evidence + evidence + self._context(wl), fix,
                       basis="reported")

    def _check_controllers(self, wl: dict) -> list[str]:
        """Which controller owes each check its state (the AdmissionCheck objects)."""
        lines = []
        for state in dig(wl, "status", "admissionChecks", default=[]) or []:
            check = self.cluster.admission_checks.get(str(state.get("name", "")))
            if check is None:
                continue
            active = conditions(check).get("Active", {})
            lines.append(f"AdmissionCheck {name_of(check)}: controllerName "
                         f"{dig(check, 'spec', 'controllerName', default='?')}"
                         + (f", Active={active.get('status')} ({active.get('reason', '')})"
                            if active else ""))
        return lines[:3]

    def _state(self, wl: dict, cause: str, cq):
        """What the objects in the input say about the same stage Kueue reported on, used
        only to add detail (never to change Kueue's cause)."""
        if cause in quota_causes():
            return check_resources(wl, cq, self.book) if cq is not None else None
        if cause in QUEUE_CAUSES:
            return check_queue_path(wl, self.cluster, reported=cause)
        if cause == "waiting_pods_ready":
            return check_pods_ready_block(wl, self.cluster)
        return None

    # ---- admitted: Kueue is done, is the job running? ------------------------------------

    def _admitted(self, wl: dict) -> dict | None:
        found = check_admission_checks(wl, self.cluster) if not is_true(wl, "Admitted") \
            else check_started(wl, self.cluster, self.jobs.pods_for(wl), self.jobs.job_for(wl))
        if not found:
            return None
        cause, message, evidence, fix = found[:4]
        basis = found[4] if len(found) > 4 else "reported"
        admitted = conditions(wl).get("Admitted", {})
        quote = (f'Kueue Admitted=True ({admitted.get("reason", "")}): '
                 f'"{admitted.get("message", "")}"' if admitted.get("message") else
                 "Kueue Admitted=True (kubectl get workloads: ADMITTED True)") if admitted else ""
        ns = namespace_of(wl)
        return finding(severity_of(cause), cause, wl, message,
                       [q for q in [quote] if q] + evidence + self._context(wl), fix,
                       basis=basis, confirm="" if basis == "reported" else
                       (f"kubectl describe pods -n {ns}" if ns else
                        "kubectl get pods -A -o wide | grep Pending"))

    def unverified_start(self, wl: dict) -> dict | None:
        """Last resort, when the input gave no finding at all: an admitted, unfinished Workload
        whose PodsReady is not True and whose job and pods are not in the input. Kueue's part
        is done; a job that still does not run stopped after admission (kueue#4224: the job
        stayed suspended for days)."""
        if not is_true(wl, "Admitted") or is_true(wl, "PodsReady") or is_finished(wl) \
                or _pods_finished(wl):
            return None
        job = self.jobs.job_for(wl)
        if job is not None or self.jobs.pods_for(wl):
            return None
        owner = next(iter(dig(wl, "metadata", "ownerReferences", default=[]) or []), {})
        kind, name, ns = owner.get("kind") or "job", owner.get("name") or "", namespace_of(wl)
        target = f"{kind.lower()} {name}" if name else "the job"
        confirm = (f"kubectl get {kind.lower()} {name} -n {ns or 'NAMESPACE'} -o "
                   "jsonpath='{.spec.suspend}' && kubectl get pods -n "
                   f"{ns or 'NAMESPACE'} -o wide") if name else \
            f"kubectl get pods -n {ns or 'NAMESPACE'} -o wide"
        queue = dig(wl, "status", "admission", "clusterQueue", default="")
        found = finding(
            "warning", "admitted_not_started", wl,
            f"Kueue admitted this Workload{f' in ClusterQueue {queue}' if queue else ''}, so "
            f"Kueue's part is done; {target} and its pods are not in the input: if it still "
            "does not run, it stopped after admission (job still suspended, pods not created or "
            "not scheduled)",
            [f"Workload Admitted=True, PodsReady not True{_ready_note(wl)}"] + self._context(wl),
            "check the job's spec.suspend and events and Kueue's log for \"Unsuspending job\" "
            "errors; waitForPodsReady (timeout, requeuingStrategy.backoffLimitCount) makes "
            "Kueue evict and deactivate a workload that never starts",
            basis="inferred", confirm=confirm)
        self.queue_of[id(found)] = queue
        return found

    def unadmitted_job(self, job: dict) -> dict | None:
        """Last resort: a suspended, queue-labelled job whose Workload is not in the input.
        Its pod sets (as Kueue's integration builds them) are checked against the
        ClusterQueue its LocalQueue names, or the only ClusterQueue of the input."""
        if dig(job, "spec", "suspend") is not True or not queue_name_of(job):
            return None
        sets = podsets(job)
        if not sets:
            return None
        ns = namespace_of(job)
        lq = self.cluster.local_queues.get((ns, queue_name_of(job)))
        cq = self.cluster.cluster_queues.get(dig(lq or {}, "spec", "clusterQueue", default=""))
        taken = ""
        if cq is None and lq is None and len(self.cluster.cluster_queues) == 1:
            cq = next(iter(self.cluster.cluster_queues.values()))
            taken = (f"ClusterQueue {name_of(cq)} taken as the job's: LocalQueue "
                     f"{queue_name_of(job)} is not in the input and it is the only ClusterQueue")
        if cq is None:
            return None
        wl = {"kind": "Workload", "metadata": {"name": name_of(job), "namespace": ns},
              "spec": {"queueName": queue_name_of(job),
                       "podSets": [{"name": p["name"], "count": p["count"],
                                    "template": p["template"]} for p in sets]}}
        found = check_resources(wl, cq, self.book) or usage_unknown_wait(wl, cq, self.book)
        if not found:
            return None
        cause, message, evidence, fix = found[:4]
        confirm = found[4] if len(found) > 4 else get_command("Workload", "", ns)
        kind = job.get("kind", "job")
        shown = name_of(job) or dig(job, "metadata", "generateName", default="") + "*"
        lead = f"{kind} {ns + '/' if ns else ''}{shown} (suspended, " \
            "its Workload not in the input): "
        return finding(severity_of(cause), cause, job, lead + message,
                       [e for e in [taken] if e] + evidence
                       + [f"request: {podset_summary(wl)}"], fix,
                       basis="inferred", confirm=confirm)

    # ---- inferred: Kueue said nothing usable ---------------------------------------------

    def _inferred(self, wl: dict) -> dict | None:
        found = self._infer(wl)
        if not found:
            return None
        cause, message, evidence, fix = found[:4]
        confirm = found[4] if len(found) > 4 else \
            get_command("Workload", name_of(wl), namespace_of(wl))
        # an inferred admitted_not_started is Kueue's part done, nothing failed: a warning
        severity = "warning" if cause == "admitted_not_started" else severity_of(cause)
        return finding(severity, cause, wl, message, evidence + self._context(wl),
                       fix, basis="inferred", confirm=confirm)

    def _infer(self, wl: dict):
        if dig(wl, "spec", "active") is False:
            return ("workload_deactivated", "the Workload is deactivated (spec.active: false)",
                    [], "find who deactivated it; set spec.active true to requeue")
        found = self._reserved_not_admitted(wl)
        if found:
            return found
        found = check_queue_path(wl, self.cluster)
        if found and not (found[0] == "not_in_dump" and queue_mates.cluster_queue(
                wl, self.cluster)):  # a mate reserved through the queue path: it works
            return found
        found = check_pods_ready_block(wl, self.cluster)
        if found:
            return found
        cq = self.cluster.cluster_queues.get(self.queue_name(wl))
        if cq is not None and cq.get("_source") == "table" and not conditions(wl):
            # a `kubectl get clusterqueue` row: the queue exists, its quota is not shown
            command = get_command("ClusterQueue", name_of(cq))
            return ("not_in_dump",
                    f"ClusterQueue {name_of(cq)} is only a `kubectl get` row here: its quota "
                    "(resourceGroups) and namespaceSelector are not in the input, nor is "
                    "Kueue's QuotaReserved message for the Workload",
                    [f"ClusterQueue {name_of(cq)}: a table row (no spec)"],
                    f"run `{command}` (and `kubectl describe workload`) and re-run with that "
                    "output", command)
        if cq is not None and cq.get("_source") != "table":
            found = check_resources(wl, cq, self.book)
            if found:
                return found
        found = queue_mates.held_by_mates(wl, self.cluster, cq, self.jobs.job_for(wl))
        if found:
            return found
        if not conditions(wl) and wl.get("_source") == "table":
            return ("not_evaluated",
                    "kubectl get workloads shows no quota reserved for this Workload; why is "
                    "in its QuotaReserved condition, which the table does not print",
                    ["kubectl get workloads row: " + ", ".join(
                        f"{k} {v or '<empty>'}" for k, v in (wl.get("_columns") or {}).items())],
                    "read the Workload's QuotaReserved message (kubectl describe workload) and "
                    "re-run with it")
        if not conditions(wl):
            return ("not_evaluated",
                    "Kueue has not evaluated this Workload yet (no QuotaReserved condition "
                    "in the input)", [],
                    "wait a few seconds; if it persists, check the Kueue controller is running "
                    "and read its logs")
        return ("pending_unexplained",
                "not admitted, yet the queues in the input have room for it now",
                ["Kueue retries inadmissible workloads when quota frees up; a stale dump or a "
                 "hierarchical cohort can also explain this"],
                "re-run live in a minute; if it stays, read Kueue's events for the Workload")

    def _reserved_not_admitted(self, wl: dict):
        """Quota reserved, Admitted not True, check states not in the input: since v0.5 only
        admission checks stand between the two (a `kubectl get workloads` of v0.5/v0.6 shows
        the reservation as ADMITTED BY, kueue#1790). A ClusterQueue in the input without
        checks means admission follows at once, so nothing is inferred."""
        queue = dig(wl, "status", "admission", "clusterQueue", default="")
        if not (queue or is_true(wl, "QuotaReserved")) or conditions(wl).get("Admitted"):
            return None
        if any(dig(p, "status", "phase") in ("Running", "Succeeded")
               for p in self.jobs.pods_for(wl)):
            return None  # its pods run: Kueue admitted it (it unsuspends only on admission)
        cq = self.cluster.cluster_queues.get(queue or self.queue_name(wl))
        names = admission_check_names(cq) if cq is not None else []
        if cq is not None and not names:
            return None
        if cq is None and _admitted_by_row(wl) and not self._checks_in_input():
            return _admitted_by(wl, queue)
        where = f" in ClusterQueue {queue}" if queue else ""
        checks = f" ({', '.join(names)})" if names else ""
        evidence = [f"ClusterQueue {name_of(cq)} requires AdmissionCheck(s) {', '.join(names)}"] \
            if names else []
        if wl.get("_source") == "table":
            evidence.append(f"kubectl get workloads: reserved in {queue} (the v0.5/v0.6 column "
                            "ADMITTED BY shows the reservation, not admission)")
        ns = namespace_of(wl)
        return ("admission_check_pending",
                f"quota is reserved{where} but the Workload is not admitted: admission waits "
                f"for its admission checks{checks}, whose states are not in the input",
                evidence,
                "look at the check's controller (MultiKueue: the worker clusters; "
                "ProvisioningRequest: its status); a Rejected check deactivates the workload",
                "kubectl get workloads.kueue.x-k8s.io "
                + (f"{name_of(wl)} -n {ns} " if ns else
                   f"-A --field-selector=metadata.name={name_of(wl)} ")
                + "-o jsonpath='{..status.admissionChecks}'")

    # ---- helpers --------------------------------------------------------------------------

    def _checks_in_input(self) -> bool:
        """Admission checks anywhere in the input (an AdmissionCheck, a Workload's check
        states, a ClusterQueue's checks, a describe fragment's `Admission Checks:`): the
        paste is about them."""
        return bool(self.cluster.admission_checks) or any(
            _CHECKS_FIELD.match(line) for line in self.cluster.lines) or any(
            dig(w, "status", "admissionChecks") for w in self.cluster.workloads) or any(
            admission_check_names(cq) for cq in self.cluster.cluster_queues.values())

    def _only_queue_with(self, said):
        """The one ClusterQueue of the input holding every flavor Kueue's message names."""
        flavors = {c.facts["flavor"] for c in said.clauses if c.facts.get("flavor")}
        if not flavors:
            return None
        found = [cq for cq in self.cluster.cluster_queues.values()
                 if flavors <= {f for g in resource_groups(cq) for f in g["flavors"]}]
        return found[0] if len(found) == 1 else None

    def _local_queue(self, wl: dict):
        return self.cluster.local_queues.get((namespace_of(wl), workload_queue(wl)))

    def _owner_names(self, wl: dict) -> set[str]:
        return {r.get("name") for r in dig(wl, "metadata", "ownerReferences", default=[]) or []
                if r.get("name")}

    def _context(self, wl: dict) -> list[str]:
        out = []
        summary = podset_summary(wl)
        if summary:
            out.append(f"request: {summary}")
        job = self.jobs.job_for(wl)
        if job is not None:
            out.append(f"job: {job.get('kind')} {namespace_of(job)}/{name_of(job)}")
        return out


def _pods_finished(wl: dict) -> int:
    """Pods of the Workload that ran to completion: the job controller's count Kueue copies to
    status.reclaimablePods (v0.3+, pkg/controller/jobframework ReclaimablePods; a Job's
    succeeded pods beyond the remaining completions). Pods that finished were started."""
    return sum(int(p.get("count") or 0) for p in
               dig(wl, "status", "reclaimablePods", default=[]) or [] if isinstance(p, dict))


def _ready_note(wl: dict) -> str:
    """PodsReady is set only with waitForPodsReady (jobframework reconciler)."""
    return "" if "PodsReady" in conditions(wl) else \
        " (no PodsReady condition: waitForPodsReady is off)"


_CHECKS_FIELD = re.compile(r"^\s*(?:Admission Checks|admissionChecks):")


def _admitted_by_row(wl: dict) -> bool:
    """A `kubectl get workloads` row of Kueue v0.1-v0.6, whose ADMITTED BY column printed
    status.admission.clusterQueue, with no admission check state in the input."""
    return wl.get("_source") == "table" and "ADMITTED BY" in (wl.get("_columns") or {}) \
        and not dig(wl, "status", "admissionChecks")


def _admitted_by(wl: dict, queue: str):
    """ADMITTED BY is admission up to v0.4 (no admission checks before v0.5) and, from v0.5,
    the reservation, which admission follows at once unless the ClusterQueue has admission
    checks (kueue#1790 renamed the column RESERVED IN in v0.7). Most queues have none: read
    it as admitted, and say what would make it otherwise."""
    ns = namespace_of(wl)
    where = f"-n {ns}" if ns else "-A"
    return ("admitted_not_started",
            f"kubectl get workloads shows ClusterQueue {queue} under ADMITTED BY (Kueue "
            "v0.1-v0.6): Kueue admitted the Workload (from v0.5 that column is the quota "
            "reservation, and admission follows unless the ClusterQueue has admission checks), "
            "so Kueue's part is done; its job and pods are not in the input: if it does not "
            "run, it stopped after admission",
            [f"kubectl get workloads: ADMITTED BY {queue}"],
            "check the job's spec.suspend and events and Kueue's log for \"Unsuspending job\" "
            "errors (a job suspended again after preemption stays so until Kueue re-admits "
            "it); if ClusterQueue " + queue + " lists admissionChecks, admission waits for them",
            f"kubectl get workloads.kueue.x-k8s.io {where} -o custom-columns=NAME:.metadata."
            "name,ADMITTED:.status.conditions[?(@.type=='Admitted')].status,CHECKS:.status."
            "admissionChecks[*].state")
