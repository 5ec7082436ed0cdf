"""Quota arithmetic per ClusterQueue, flavor and resource, from object state alone.

The model follows Kueue's cohort accounting (pkg/cache/scheduler/clusterqueue.go,
pkg/resources, pkg/scheduler/flavorassigner/flavorassigner.go fitsResourceQuota):
- a ClusterQueue's *guaranteed* part is nominalQuota - lendingLimit (all of it when no
  lendingLimit is set it lends everything: guaranteed 0);
- a cohort pools every member's lendable quota (plus quota set on a Cohort object);
- maximum capacity = nominal + min(borrowingLimit, what the rest of the cohort could lend);
- available now = unused guaranteed quota + unused pool, capped by nominal + borrowingLimit.
It is an estimate for explanations, never a re-implementation of the scheduler; Kueue's own
condition message is quoted next to it. A cohort tree of more than one Cohort (hierarchical
cohorts: quota on a child Cohort is lendable to the whole tree) is computed with Kueue's
resource nodes instead (_kueue.fair_sharing: available / potentialAvailable,
pkg/cache/scheduler/resource_node.go), so a ClusterQueue in the root cohort reaches the
quota a child Cohort holds (kubernetes-sigs/kueue#3948).
"""
from __future__ import annotations

from fractions import Fraction

from k8s_skillkit.quantity import format_quantity

from _kueue import fair_sharing as tree
from _kueue.objects import (Cluster, admitted_usage, cohort_of, cq_usage, flavor_quotas,
                           is_true)

INF = None  # "no limit" is None throughout, as in the API


class QuotaBook:
    """Usage and holders for every (ClusterQueue, flavor, resource), computed once."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.quotas = {name: flavor_quotas(cq) for name, cq in cluster.cluster_queues.items()}
        self.holders: dict[tuple[str, str, str], list[tuple[dict, Fraction]]] = {}
        self._views: dict[tuple[str, str, str], dict | None] = {}
        self._cohort_lines: dict[tuple, list[str]] = {}
        self._nodes: dict[tuple[str, str], tree.Node] | None = None
        summed: dict[str, dict[tuple[str, str], Fraction]] = {}
        for wl in cluster.workloads:
            if not is_true(wl, "QuotaReserved") or is_true(wl, "Finished"):
                continue
            cq = str((wl.get("status") or {}).get("admission", {}).get("clusterQueue", ""))
            for flavor, res, qty in admitted_usage(wl):
                self.holders.setdefault((cq, flavor, res), []).append((wl, qty))
                bucket = summed.setdefault(cq, {})
                bucket[(flavor, res)] = bucket.get((flavor, res), Fraction(0)) + qty
        # ClusterQueue status lags the Workloads (and a namespaced dump may miss holders):
        # per cell, the larger of status and the sum of quota-holding Workloads.
        self.usage = {}
        for name, cq in cluster.cluster_queues.items():
            cells = dict(cq_usage(cq) or {})
            for cell, qty in summed.get(name, {}).items():
                cells[cell] = max(cells.get(cell, Fraction(0)), qty)
            self.usage[name] = cells

    def used(self, cq: str, flavor: str, res: str) -> Fraction:
        return self.usage.get(cq, {}).get((flavor, res), Fraction(0))

    def top_holders(self, cq: str, flavor: str, res: str, limit: int = 3):
        rows = sorted(self.holders.get((cq, flavor, res), []), key=lambda r: -r[1])
        return rows[:limit], len(rows)

    def view(self, cq: str, flavor: str, res: str) -> dict | None:
        """The arithmetic for one cell (a fresh copy), None when the queue has no quota for it.

        Memoized: thousands of pending Workloads share a few hundred cells."""
        key = (cq, flavor, res)
        if key not in self._views:
            self._views[key] = self._compute(cq, flavor, res)
        cached = self._views[key]
        return dict(cached) if cached is not None else None

    def _compute(self, cq: str, flavor: str, res: str) -> dict | None:
        quota = self.quotas.get(cq, {}).get((flavor, res))
        if quota is None:
            return None
        nominal, used = quota["nominal"], self.used(cq, flavor, res)
        borrow_limit = quota["borrowing_limit"]
        lendable = _lendable(quota)
        guaranteed = nominal - lendable
        cohort = cohort_of(self.cluster.cluster_queues[cq])
        pool_total, pool_used = self._pool(cohort, flavor, res) if cohort else (lendable, max(
            Fraction(0), used - guaranteed))
        from_others = pool_total - lendable
        borrowable = from_others if borrow_limit is None else min(borrow_limit, from_others)
        max_capacity = nominal + max(Fraction(0), borrowable)
        available = (guaranteed - min(used, guaranteed)) + (pool_total - pool_used)
        if borrow_limit is not None:
            available = min(available, nominal + borrow_limit - used)
        if not cohort:
            available = nominal - used
        nested = self._nested(cq, flavor, res)
        if nested is not None:
            max_capacity, available = nested
            borrowable = max_capacity - nominal
        return {
            "cluster_queue": cq, "flavor": flavor, "resource": res, "cohort": cohort,
            "nominal": nominal, "borrowing_limit": borrow_limit,
            "lending_limit": quota["lending_limit"], "used": used,
            "borrowable": max(Fraction(0), borrowable), "max_capacity": max_capacity,
            "available": max(Fraction(0), available),
        }

    def _nested(self, cq: str, flavor: str, res: str) -> tuple[Fraction, Fraction] | None:
        """(maximum capacity, available now) from Kueue's resource nodes when the queue's
        cohort tree holds more than one Cohort; None for a flat cohort (or none)."""
        if self._nodes is None:
            self._nodes = tree.build_tree(self.cluster)
        node = self._nodes.get(("ClusterQueue", cq))
        if node is None or node.parent is None or tree._has_cycle(node):
            return None
        root = tree.root_of(node)
        if _cohorts_in(root) < 2:
            return None
        fr = (flavor, res)
        return (_quantity(res, tree.potential_available(node, fr)),
                _quantity(res, max(0, tree.available(node, fr))))

    def cohort_usage(self, cohort: str, flavor: str, res: str, limit: int = 3) -> list[str]:
        """'cq uses U of nominal N' for the cohort members eating into the shared pool."""
        key = (cohort, flavor, res, limit)
        if key not in self._cohort_lines:
            self._cohort_lines[key] = self._cohort_usage(cohort, flavor, res, limit)
        return list(self._cohort_lines[key])

    def _cohort_usage(self, cohort: str, flavor: str, res: str, limit: int) -> list[str]:
        rows = []
        for member in self.cluster.cq_members.get(cohort, []):
            quota = self.quotas.get(member, {}).get((flavor, res))
            used = self.used(member, flavor, res)
            guaranteed = quota["nominal"] - _lendable(quota) if quota else Fraction(0)
            if used > guaranteed:
                nominal = quota["nominal"] if quota else Fraction(0)
                rows.append((used - guaranteed, f"{member} uses {_fmt(used, res)} of nominal "
                                                f"{_fmt(nominal, res)}"))
        rows.sort(key=lambda r: -r[0])
        return [text for _, text in rows[:limit]]

    def _pool(self, cohort: str, flavor: str, res: str) -> tuple[Fraction, Fraction]:
        """(lendable capacity pooled in the cohort, part of it in use) for one cell."""
        total, in_use = Fraction(0), Fraction(0)
        for member in self.cluster.cq_members.get(cohort, []):
            quota = self.quotas.get(member, {}).get((flavor, res))
            used = self.used(member, flavor, res)
            if quota is None:
                in_use += used
                continue
            lendable = _lendable(quota)
            total += lendable
            in_use += max(Fraction(0), used - (quota["nominal"] - lendable))
        cohort_obj = self.cluster.cohorts.get(cohort)
        if cohort_obj:
            total += flavor_quotas(cohort_obj).get((flavor, res), {}).get("nominal", Fraction(0))
        return total, in_use


def _cohorts_in(node: tree.Node) -> int:
    return (node.kind == "Cohort") + sum(_cohorts_in(child) for child in node.children)


def _quantity(res: str, amount: int) -> Fraction:
    """Kueue's integer amount (milli-CPU, units) as a quantity; "unlimited" stays huge."""
    return Fraction(amount, 1000) if res == "cpu" else Fraction(amount)


def _fmt(value: Fraction, res: str) -> str:
    return format_quantity(value, res)


def _lendable(quota: dict) -> Fraction:
    if quota["lending_limit"] is None:
        return quota["nominal"]
    return min(quota["lending_limit"], quota["nominal"])
