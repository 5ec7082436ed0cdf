"""A ClusterQueue that says it has pending Workloads while a resource is used up to its quota.

A paste often holds the ClusterQueue with its status but not the pending Workload (only its
row in `kubectl get workloads`, or nothing). Kueue's own counters then still tell the story:
`status.pendingWorkloads` > 0 while `status.flavorsReservation` (`flavorsUsage` before v0.5)
of some flavor and resource equals its nominalQuota. A ClusterQueue outside any cohort cannot
borrow, so a pending Workload that asks for that resource waits for the admitted ones to
finish (Kueue: "insufficient unused quota ..."; pkg/scheduler/flavorassigner/flavorassigner.go
fitsResourceQuota). kubernetes-sigs/kueue#707: 9 of 9 cpu held by the first Job, the second
pending, waitForPodsReady blamed.

The finding is inferred (the pending Workload's own QuotaReserved condition is the reported
word) and names the command that shows it. A ClusterQueue in a cohort is left alone: whether
it can borrow depends on the cohort's other queues, which a paste rarely holds whole.
"""
from __future__ import annotations

from fractions import Fraction
from collections.abc import Callable
from typing import Any

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import format_quantity, parse_quantity

from _kueue.objects import Cluster, cq_usage


def findings(cluster: Cluster) -> list[dict]:
    out = []
    for name, cq in sorted(_queues(cluster).items()):
        pending = dig(cq, "status", "pendingWorkloads", default=0) or 0
        if not isinstance(pending, int) or pending <= 0 or _in_cohort(cq):
            continue
        full = _used_up(cq)
        if full:
            out.append(_finding(name, pending, full))
        elif not dig(cq, "spec", "resourceGroups"):
            held = _held_without_spec(cluster, name, cq)
            if held:
                out.append(held)
        else:
            partly = _partly_held(name, cq, pending)
            if partly:
                out.append(partly)
    return out


def _queues(cluster: Cluster) -> dict[str, dict[str, Any]]:
    """The ClusterQueues, a nameless status block joined to its spec: `kubectl describe
    clusterqueue` pasted from its `Status:` line (describe prints the status last) beside the
    one ClusterQueue's YAML (a guide's manifest, then its status) is that queue's status."""
    queues = dict(cluster.cluster_queues)
    nameless = queues.get("")
    named = [n for n, q in queues.items() if n and q.get("_source") != "table"]
    if nameless and not dig(nameless, "spec", "resourceGroups") and len(named) == 1 \
            and not queues[named[0]].get("status"):
        del queues[""]
        queues[named[0]] = {**queues[named[0]], "status": nameless.get("status") or {}}
    return queues


def _partly_held(name: str, cq: dict[str, Any], pending: int) -> dict[str, Any] | None:
    """Pending Workloads beside admitted ones that reserve part of a queue in no cohort: a
    Workload is admitted only when ALL its pods fit at once, in the quota the others leave
    (flavorassigner.go fitsResourceQuota: request > nominal - reserved is "insufficient unused
    quota"), so a pending one that asks more than what is free waits for them (the KubeRay
    guide's second RayJob: 2 CPUs each, 2 of 3 reserved). Inferred: the pending Workload's
    request is not in the paste; its QuotaReserved condition says which resource is short."""
    status = cq.get("status") or {}
    reserving = status.get("reservingWorkloads", status.get("admittedWorkloads")) or 0
    if not isinstance(reserving, int) or reserving <= 0 or not _active(cq):
        return None
    free = _free(cq)
    if not free:
        return None
    shown = ", ".join(f"{res} {format_quantity(nominal - used, res)} of "
                      f"{format_quantity(nominal, res)} free in flavor {flavor}"
                      for flavor, res, used, nominal in free)
    return finding(
        "warning", "quota_exhausted", {"kind": "ClusterQueue", "name": name},
        f"ClusterQueue {name} has {pending} pending Workload(s) while {reserving} admitted "
        f"one(s) reserve part of its quota ({shown}); it is in no cohort, so it cannot "
        "borrow: a pending Workload that asks more than is free, for all its pods at once, "
        "most likely waits for the admitted ones to finish",
        [f"status.pendingWorkloads: {pending}", f"status.reservingWorkloads: {reserving}",
         f"nominalQuota against status.flavorsReservation: {shown}"],
        "wait for the admitted Workloads to finish, raise nominalQuota by the pending "
        "Workload's shortfall, or put the ClusterQueue in a cohort with spare quota to borrow; "
        "if its request is over the nominal quota itself it can never fit (shrink it)",
        basis="inferred",
        confirm="kubectl describe workload NAME -n NAMESPACE for a pending one (its "
                "QuotaReserved condition names the resource and how much more is needed)")


def _active(cq: dict[str, Any]) -> bool:
    """Not said inactive: a stopped or misconfigured queue is another cause."""
    for cond in dig(cq, "status", "conditions", default=[]) or []:
        if isinstance(cond, dict) and cond.get("type") == "Active":
            return str(cond.get("status")) == "True"
    return True


def _free(cq: dict[str, Any]) -> list[tuple[str, str, Fraction, Fraction]]:
    """(flavor, resource, reserved, nominal) where some but not all quota is reserved."""
    return _quotas(cq, lambda used, nominal: 0 < used < nominal)


def _quotas(cq: dict[str, Any], keep: Callable[[Fraction, Fraction], bool]
            ) -> list[tuple[str, str, Fraction, Fraction]]:
    """(flavor, resource, used, nominal) of each quota whose usage the status shows and
    `keep(used, nominal)` accepts."""
    usage = cq_usage(cq) or {}
    out = []
    for group in dig(cq, "spec", "resourceGroups", default=[]) or []:
        for flavor in group.get("flavors") or []:
            for res in flavor.get("resources") or []:
                nominal = parse_quantity(res.get("nominalQuota") or 0)
                used = usage.get((flavor.get("name", ""), res.get("name", "")))
                if used is not None and keep(used, nominal):
                    out.append((flavor.get("name", ""), res.get("name", ""), used, nominal))
    return out


def _held_without_spec(cluster: Cluster, name: str, cq: dict) -> dict | None:
    """A ClusterQueue whose spec the paste elides (a guide's `...`), whose status says that
    admitted Workloads reserve quota while others are pending, and whose `kubectl get
    clusterqueue` row shows no cohort: the pending ones most likely wait for that quota
    (inferred: the quota's size is not shown). A nameless YAML takes the name and cohort of the
    paste's one ClusterQueue row (KubeRay's RayJob priority-scheduling guide: `pendingWorkloads:
    2`, `reservingWorkloads: 1`, a row with an empty COHORT)."""
    status = cq.get("status") or {}
    reserving = status.get("reservingWorkloads", status.get("admittedWorkloads")) or 0
    rows = [q for q in cluster.cluster_queues.values() if q.get("_source") == "table"]
    row = cq if cq.get("_source") == "table" else (rows[0] if len(rows) == 1 else None)
    if not isinstance(reserving, int) or reserving <= 0 or row is None or \
            "COHORT" not in (row.get("_columns") or {}) or row["_columns"]["COHORT"]:
        return None
    shown = name or dig(row, "metadata", "name", default="") or "(unnamed)"
    reserved = ", ".join(f"{res} {format_quantity(quantity, res)}" for (flavor, res), quantity in
                         sorted((cq_usage(cq) or {}).items()) if quantity)
    return finding(
        "warning", "quota_exhausted", {"kind": "ClusterQueue", "name": shown},
        f"ClusterQueue {shown} has {status.get('pendingWorkloads')} pending Workload(s) while "
        f"{reserving} admitted one(s) reserve its quota" + (f" ({reserved})" if reserved else "")
        + "; it is in no cohort, so it cannot borrow: the pending ones most likely wait for "
        "that quota (its size is not in the paste)",
        [f"status.pendingWorkloads: {status.get('pendingWorkloads')}",
         f"status.reservingWorkloads/admittedWorkloads: {reserving}",
         "kubectl get clusterqueue: COHORT empty"],
        "wait for the admitted Workloads to finish, raise nominalQuota, or put the ClusterQueue "
        "in a cohort with spare quota to borrow",
        basis="inferred",
        confirm=f"kubectl get clusterqueue {shown} -o yaml (spec.resourceGroups nominalQuota "
                "against status.flavorsReservation) and kubectl describe workload NAME -n "
                "NAMESPACE for a pending one (its QuotaReserved condition)")


def _in_cohort(cq: dict) -> bool:
    spec = cq.get("spec") or {}
    return bool(spec.get("cohort") or spec.get("cohortName"))  # v1beta1 / v1beta2


def _used_up(cq: dict) -> list[tuple[str, str, Fraction, Fraction]]:
    """(flavor, resource, used, nominal) for every quota that is fully used."""
    return _quotas(cq, lambda used, nominal: nominal > 0 and used >= nominal)


def _finding(name: str, pending: int, full: list[tuple[str, str, Fraction, Fraction]]) -> dict:
    shown = ", ".join(f"{res} in flavor {flavor}: {format_quantity(used, res)} of "
                      f"{format_quantity(nominal, res)}" for flavor, res, used, nominal in full)
    return finding(
        "warning", "quota_exhausted", {"kind": "ClusterQueue", "name": name},
        f"ClusterQueue {name} has {pending} pending Workload(s) and its quota is used up "
        f"({shown}); it is in no cohort, so it cannot borrow: a pending Workload that asks for "
        "that resource waits until admitted ones release their quota",
        [f"status.pendingWorkloads: {pending}",
         f"status.flavorsReservation/flavorsUsage at nominalQuota: {shown}"],
        "wait for the admitted Workloads to finish, raise nominalQuota, or put the ClusterQueue "
        "in a cohort with spare quota to borrow",
        basis="inferred",
        confirm="kubectl get workloads.kueue.x-k8s.io -A (the pending ones) and kubectl "
                "describe workload NAME -n NAMESPACE (its QuotaReserved condition)")
