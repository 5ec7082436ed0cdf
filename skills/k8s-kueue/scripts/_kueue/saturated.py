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

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import format_quantity, parse_quantity

from _kueue.objects import Cluster, cq_usage


def findings(cluster: Cluster) -> list[dict]:
    out = []
    for name, cq in sorted(cluster.cluster_queues.items()):
        pending = dig(cq, "status", "pendingWorkloads", default=0) or 0
        if not isinstance(pending, int) or pending <= 0 or _in_cohort(cq):
            continue
        full = _used_up(cq)
        if full:
            out.append(_finding(name, pending, full))
    return out


def _in_cohort(cq: dict) -> bool:
    spec = cq.get("spec") or {}
    return bool(spec.get("cohort") or spec.get("cohortName"))  # v1beta1 / v1beta2


def _used_up(cq: dict) -> list[tuple[str, str, Fraction, Fraction]]:
    """(flavor, resource, used, nominal) for every quota that is fully used."""
    usage = cq_usage(cq) or {}
    out = []
    for group in dig(cq, "spec", "resourceGroups", default=[]) or []:
        for flavor in group.get("flavors") or []:
            for res in flavor.get("resources") or []:
                nominal = parse_quantity(res.get("nominalQuota") or 0)
                used = usage.get((flavor.get("name", ""), res.get("name", "")))
                if used is not None and nominal > 0 and used >= nominal:
                    out.append((flavor.get("name", ""), res.get("name", ""), used, nominal))
    return out


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
