"""A Workload waiting beside a queue-mate that Kueue admitted: the quota the mate holds.

The mate's own state proves the queue path: a Workload of the same namespace and LocalQueue
reserved in ClusterQueue X means the LocalQueue exists and points at X
(`spec.clusterQueue`, immutable), and X is active and selects the namespace (Kueue reserves
quota only then: getQueueBlocker and the ClusterQueue Active condition,
pkg/controller/core/workload_controller.go and pkg/cache/scheduler/clusterqueue.go @v0.19.2).
What is left between a Workload with no reservation and that queue is the flavor assignment,
and a Workload shaped like its mate (a write-up's two copies of one Job) fails it only for
quota the mate holds: Kueue's `insufficient unused quota` (flavorassigner.go). Without
Kueue's QuotaReserved message this is inferred, and the message is the one command to run.
"""
from __future__ import annotations

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of
from k8s_skillkit.quantity import format_quantity

from _kueue.objects import flavor_quotas, is_true, pod_requests, workload_queue


_LEAD = "no quota reserved, while "


def reserved_mates(wl: dict, cluster) -> list[dict]:
    """The other Workloads of wl's namespace and LocalQueue holding a quota reservation."""
    queue, ns = workload_queue(wl), namespace_of(wl)
    if not queue:
        return []
    return [w for w in cluster.workloads if w is not wl and workload_queue(w) == queue
            and namespace_of(w) == ns and _reserved_in(w)]


def cluster_queue(wl: dict, cluster) -> str:
    """The ClusterQueue wl's LocalQueue leads to, as its reserved mates show it."""
    names = {_reserved_in(w) for w in reserved_mates(wl, cluster)}
    return names.pop() if len(names) == 1 else ""


def held_by_mates(wl: dict, cluster, cq: dict | None, job: dict | None) -> tuple | None:
    """(cause, message, evidence, fix, confirm) for a Workload Kueue gave no verdict on (no
    condition in the input) and no reservation, while a mate holds quota in its queue."""
    if conditions(wl) or _reserved_in(wl):
        return None
    mates = reserved_mates(wl, cluster)
    target = cluster_queue(wl, cluster)
    if not mates or not target or _room_for_two(cq, job):
        return None
    shown = ", ".join(f"{namespace_of(w)}/{name_of(w)}" for w in mates[:3])
    more = f" and {len(mates) - 3} more" if len(mates) > 3 else ""
    evidence = [f"Workload {namespace_of(w)}/{name_of(w)}: same LocalQueue "
                f"{workload_queue(w)}, quota reserved in ClusterQueue {target}"
                + (", admitted" if is_true(w, "Admitted") else "") for w in mates[:3]]
    evidence += _quota_lines(cq, job)
    name, ns = name_of(wl), namespace_of(wl)
    return ("quota_exhausted",
            f"{_LEAD}{shown}{more} of the same LocalQueue "
            f"{workload_queue(wl)} holds quota in ClusterQueue {target}: the queue path works "
            "(the mate came through it), so this one most likely waits for the quota the mate "
            "holds; Kueue's QuotaReserved message is not in the input",
            evidence,
            f"wait for {shown}{more} to finish; or raise ClusterQueue {target}'s nominalQuota "
            "by this Workload's request; or give it a higher WorkloadPriorityClass with "
            "preemption.withinClusterQueue; or borrow through a cohort",
            f"kubectl get workloads.kueue.x-k8s.io {name}" + (f" -n {ns}" if ns else "")
            + " -o jsonpath='{.status.conditions[?(@.type==\"QuotaReserved\")].message}'")


def inferred_from_mates(found: dict) -> bool:
    """A finding of held_by_mates: a guess that what the report states (a queue it stopped)
    or the queue's own counters outrank."""
    return found.get("cause") == "quota_exhausted" and found.get("basis") == "inferred" and \
        str(found.get("message", "")).startswith(_LEAD)


def _reserved_in(wl: dict) -> str:
    """The ClusterQueue a Workload reserves quota in (status.admission, the table's RESERVED
    IN column)."""
    return str(dig(wl, "status", "admission", "clusterQueue", default="") or "")


def _room_for_two(cq: dict | None, job: dict | None) -> bool:
    """The input shows the ClusterQueue's quota and the job's request, and the quota holds two
    such pods in some flavor for every resource (or lacks one the pod asks for): then a mate
    alike cannot have used it up, and the inference is not made."""
    spec = dig(job or {}, "spec", "template", "spec", default=None)
    if cq is None or cq.get("_source") == "table" or not isinstance(spec, dict):
        return False
    quotas = flavor_quotas(cq)
    asked = {res: q for res, q in pod_requests(spec).items() if q > 0}
    pods = dig(job or {}, "spec", "parallelism", default=1) or 1
    for res, q in asked.items():
        nominal = [v["nominal"] for (_, r), v in quotas.items() if r == res]
        if nominal and max(nominal) < 2 * q * pods:
            return False
    return bool(asked)


def _quota_lines(cq: dict | None, job: dict | None) -> list[str]:
    """The quota and the request, when the input holds them (the ClusterQueue's spec, the
    job's pod template): the arithmetic a reader checks the inference with."""
    out = []
    if cq is not None and cq.get("_source") != "table":
        quotas = ", ".join(f"{res} {format_quantity(q['nominal'], res)} in flavor {flavor}"
                           for (flavor, res), q in sorted(flavor_quotas(cq).items()))
        if quotas:
            out.append(f"ClusterQueue {name_of(cq)} nominalQuota: {quotas}")
    spec = dig(job or {}, "spec", "template", "spec", default=None)
    if isinstance(spec, dict):
        asked = ", ".join(f"{res} {format_quantity(q, res)}"
                          for res, q in sorted(pod_requests(spec).items()) if q)
        pods = dig(job or {}, "spec", "parallelism", default=1)
        if asked:
            out.append(f"{job.get('kind', 'Job')} {name_of(job or {})} pod template requests "
                       f"{asked} (parallelism {pods})")
    return out
