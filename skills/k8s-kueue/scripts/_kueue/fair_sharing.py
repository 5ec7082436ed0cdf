"""Fair sharing over a cohort tree, computed as Kueue v0.19.2 computes it.

Kueue keeps one resource node per ClusterQueue and per Cohort (pkg/cache/scheduler/
resource_node.go) and derives every share from them (fair_sharing.go):
- SubtreeQuota: a ClusterQueue's nominal quota; a Cohort's own nominal quota plus, from each
  child, the child's SubtreeQuota minus what the child keeps for itself (its localQuota).
- localQuota: SubtreeQuota - lendingLimit (at least 0) when a lendingLimit is set, else 0:
  without a lendingLimit everything is lendable.
- Usage: a ClusterQueue's reserved quota; a Cohort's is, from each child, the child's usage
  above the child's localQuota (accumulateFromChild).
- available: localQuota left + what the parent has available, the parent's part capped by
  the node's borrowingLimit (available). potentialAvailable: the same with no usage.
- dominantResourceShare(node, request): for each flavor/resource the node's usage (+ the
  request) above its SubtreeQuota is borrowed; per resource name (flavors summed) the
  borrowed amount * 1000 / the lendable amount (potentialAvailable of the node's parent,
  summed over every flavor of the root), the largest ratio (ties: the alphabetically first
  resource) divided by the fair-sharing weight (default 1). No parent, or no borrowing: 0.
  Weight 0 while borrowing: infinite (math.MaxInt64 in status).
- status.fairSharing.weightedShare = ceil(share) (pkg/controller/core/helpers.go).
Amounts are Kueue's integers: cpu in milli-units, other resources in units, rounded up
(resources.AmountFromQuantity), saturating at math.MaxInt64 ("unlimited").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import parse_quantity

from _kueue.objects import (Cluster, admitted_usage, cohort_of, cohort_parent, cq_usage,
                            flavor_quotas, is_true)

MAX = 2**63 - 1          # resources.Unlimited / math.MaxInt64
MIN = -(2**63)
FR = tuple[str, str]      # (flavor, resource)


def amount(resource: str, qty: Fraction) -> int:
    """resources.AmountFromQuantity: milli-CPU or units, rounded up, MaxInt64 if too big."""
    if resource == "cpu":
        return MAX if qty >= Fraction(MAX // 1000) else math.ceil(qty * 1000)
    return MAX if qty >= MAX else math.ceil(qty)


def add(a: int, b: int) -> int:
    if a == MAX or b == MAX:
        return MAX
    return max(MIN, min(MAX, a + b))


def sub(a: int, b: int) -> int:
    if a == MAX and b == MAX:
        return 0
    if a == MAX:
        return MAX
    if b == MAX:
        return MIN
    return max(MIN, min(MAX, a - b))


@dataclass
class Quota:
    nominal: int
    borrowing_limit: int | None
    lending_limit: int | None


@dataclass
class Node:
    kind: str                       # ClusterQueue | Cohort
    name: str
    weight: float = 1.0
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    quotas: dict[FR, Quota] = field(default_factory=dict)
    subtree: dict[FR, int] = field(default_factory=dict)
    usage: dict[FR, int] = field(default_factory=dict)
    reported: int | None = None     # status.fairSharing.weightedShare, as Kueue wrote it
    implicit: bool = False          # a cohort named by a ClusterQueue, without an object

    def local_quota(self, fr: FR) -> int:
        quota = self.quotas.get(fr)
        if quota is None or quota.lending_limit is None:
            return 0
        return max(0, sub(self.subtree.get(fr, 0), quota.lending_limit))


@dataclass
class Share:
    """DRS for one node (fair_sharing.go)."""
    weight: float
    ratio: float = 0.0              # unweightedRatio
    resource: str = ""              # dominantResource
    borrowed: dict[str, int] = field(default_factory=dict)
    lendable: dict[str, int] = field(default_factory=dict)

    @property
    def borrowing(self) -> bool:
        return bool(self.borrowed)

    @property
    def precise(self) -> float:
        if self.ratio == 0:
            return 0.0
        if self.weight == 0:
            return math.inf
        return self.ratio / self.weight

    @property
    def weighted_share(self) -> int:
        """status.fairSharing.weightedShare: ceil of the precise share; MaxInt64 if infinite."""
        value = self.precise
        return MAX if value == math.inf else math.ceil(value)


def build_tree(cluster: Cluster) -> dict[tuple[str, str], Node]:
    """Every ClusterQueue and Cohort as Kueue's cache links them; cohorts a ClusterQueue or
    a Cohort names without an object are implicit (no quota, weight 1)."""
    nodes: dict[tuple[str, str], Node] = {}
    for name, obj in cluster.cohorts.items():
        nodes[("Cohort", name)] = _node("Cohort", name, obj)
    for name, obj in cluster.cluster_queues.items():
        node = nodes[("ClusterQueue", name)] = _node("ClusterQueue", name, obj)
        node.usage = _cq_usage(cluster, name, obj)
    for (kind, name), node in list(nodes.items()):
        obj = (cluster.cohorts if kind == "Cohort" else cluster.cluster_queues)[name]
        parent = cohort_parent(obj) if kind == "Cohort" else cohort_of(obj)
        if parent:
            key = ("Cohort", parent)
            if key not in nodes:
                nodes[key] = Node("Cohort", parent, implicit=True)
            node.parent = nodes[key]
            nodes[key].children.append(node)
    for node in nodes.values():
        if node.parent is None and not _has_cycle(node):
            _accumulate(node)
    return nodes


def _has_cycle(node: Node) -> bool:
    seen = set()
    while node.parent is not None:
        if id(node) in seen:
            return True
        seen.add(id(node))
        node = node.parent
    return False


def _node(kind: str, name: str, obj: dict) -> Node:
    quotas = {fr: Quota(amount(fr[1], q["nominal"]),
                        None if q["borrowing_limit"] is None
                        else amount(fr[1], q["borrowing_limit"]),
                        None if q["lending_limit"] is None
                        else amount(fr[1], q["lending_limit"]))
              for fr, q in flavor_quotas(obj).items()}
    weight = dig(obj, "spec", "fairSharing", "weight")
    reported = dig(obj, "status", "fairSharing", "weightedShare")
    return Node(kind, name, _weight(weight), quotas=quotas,
                reported=int(reported) if reported is not None else None)


def _weight(value) -> float:
    """FairSharing.Weight (a quantity: "1", "0.5", "300", "100m"); default 1."""
    if value is None:
        return 1.0
    return float(parse_quantity(value))


def _cq_usage(cluster: Cluster, name: str, cq: dict) -> dict[FR, int]:
    """Reserved quota from status (flavorsReservation); without status, the quota-holding
    Workloads of the input."""
    usage = cq_usage(cq)
    if usage is None:
        usage = {}
        for wl in cluster.workloads:
            if not is_true(wl, "QuotaReserved") or is_true(wl, "Finished"):
                continue
            if dig(wl, "status", "admission", "clusterQueue") != name:
                continue
            for flavor, res, qty in admitted_usage(wl):
                usage[(flavor, res)] = usage.get((flavor, res), Fraction(0)) + qty
    return {fr: amount(fr[1], qty) for fr, qty in usage.items()}


def _accumulate(node: Node) -> None:
    """updateCohortResourceNode / updateClusterQueueResourceNode / accumulateFromChild."""
    node.subtree = {fr: q.nominal for fr, q in node.quotas.items()}
    if node.kind == "ClusterQueue":
        return
    node.usage = {}
    for child in node.children:
        _accumulate(child)
        for fr, quota in child.subtree.items():
            node.subtree[fr] = add(node.subtree.get(fr, 0), sub(quota, child.local_quota(fr)))
        for fr, used in child.usage.items():
            node.usage[fr] = add(node.usage.get(fr, 0),
                                 max(0, sub(used, child.local_quota(fr))))


def local_available(node: Node, fr: FR) -> int:
    return max(0, sub(node.local_quota(fr), node.usage.get(fr, 0)))


def available(node: Node, fr: FR) -> int:
    """What a workload could still get on `fr` through this node (resource_node.go)."""
    if node.parent is None:
        return sub(node.subtree.get(fr, 0), node.usage.get(fr, 0))
    from_parent = available(node.parent, fr)
    quota = node.quotas.get(fr)
    if quota is not None and quota.borrowing_limit is not None:
        local = node.local_quota(fr)
        stored = sub(node.subtree.get(fr, 0), local)
        used_in_parent = max(0, sub(node.usage.get(fr, 0), local))
        from_parent = min(add(sub(stored, used_in_parent), quota.borrowing_limit), from_parent)
    return add(local_available(node, fr), from_parent)


def potential_available(node: Node, fr: FR) -> int:
    """The most this node could hold on `fr` with nothing else running (resource_node.go)."""
    if node.parent is None:
        return node.subtree.get(fr, 0)
    avail = add(node.local_quota(fr), potential_available(node.parent, fr))
    quota = node.quotas.get(fr)
    if quota is not None and quota.borrowing_limit is not None:
        avail = min(add(node.subtree.get(fr, 0), quota.borrowing_limit), avail)
    return avail


def root_of(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def lendable(parent: Node) -> dict[str, int]:
    """calculateLendable: potentialAvailable of `parent` for every flavor/resource of the
    root's SubtreeQuota, summed per resource name."""
    out: dict[str, int] = {}
    for fr in root_of(parent).subtree:
        out[fr[1]] = add(out.get(fr[1], 0), potential_available(parent, fr))
    return out


def dominant_resource_share(node: Node, request: dict[FR, int] | None = None) -> Share:
    share = Share(node.weight)
    if node.parent is None:
        return share
    request = request or {}
    for fr, quota in node.subtree.items():
        over = sub(add(request.get(fr, 0), node.usage.get(fr, 0)), quota)
        if over > 0:
            share.borrowed[fr[1]] = add(share.borrowed.get(fr[1], 0), over)
    if not share.borrowed:
        return share
    share.lendable = lendable(node.parent)
    for res in sorted(share.borrowed):
        have = share.lendable.get(res, 0)
        if have > 0:
            ratio = float(share.borrowed[res]) * 1000.0 / float(have)
            if ratio > share.ratio:
                share.ratio, share.resource = ratio, res
    return share


def add_usage(node: Node, fr: FR, value: int) -> None:
    """addUsage: the part above what the node still has locally goes up to its parent. The
    scheduler's tournament adds each queue's head workload this way before it compares
    shares (fair_sharing_iterator.go computeDRS, SimulateUsageAddition)."""
    local = local_available(node, fr)
    node.usage[fr] = add(node.usage.get(fr, 0), value)
    if node.parent is not None and value > local:
        add_usage(node.parent, fr, sub(value, local))
