"""Resource, flavor and quota rules for a Workload whose queue path is healthy.

Follows the flavor assignment of pkg/scheduler/flavorassigner/flavorassigner.go (Kueue
v0.19.2): every requested resource must be covered by a resourceGroup ("resource X
unavailable in ClusterQueue"), a flavor must tolerate/match the pod set, then the request is
compared with available quota (WaitingForQuota) and maximum capacity (ExceedsMaxQuota).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from k8s_skillkit.objects import dig, name_of
from k8s_skillkit.quantity import format_quantity

from _kueue.flavors import flavor_problem
from _kueue.objects import podset_requests, resource_groups, workload_requests
from _kueue.presence import kind_known

FIT, WAIT, NEVER = "fits", "wait", "never"


def check_resources(wl: dict, cq: dict, book) -> tuple | None:
    needs = _needs(wl, cq)
    groups = resource_groups(cq)
    covered = {r for g in groups for r in g["resources"]}
    missing = sorted(r for r in needs if r not in covered)
    if missing:
        return _not_in_queue(missing, needs, cq)
    worst = None
    for group in groups:
        wanted = [r for r in group["resources"] if r in needs]
        if not wanted:
            continue
        result = _check_group(wl, cq, group, wanted, needs, book)
        if result and (worst is None or _rank(result) > _rank(worst)):
            worst = result
    return worst


def _needs(wl: dict, cq: dict) -> dict[str, Fraction]:
    needs = {r: q for r, q in workload_requests(wl).items() if q > 0}
    covered = {r for g in resource_groups(cq) for r in g["resources"]}
    if "pods" in covered:  # Kueue counts pods only when the queue covers "pods"
        needs["pods"] = Fraction(sum(ps.get("count", 1) for ps in
                                     dig(wl, "spec", "podSets", default=[]) or []))
    return needs


def _not_in_queue(missing, needs, cq):
    name = name_of(cq)
    shown = ", ".join(f"{format_quantity(needs[r], r)} {r}" for r in missing)
    return ("resource_not_in_queue",
            f"requests {shown}, which ClusterQueue {name} does not cover in any resourceGroup",
            [f"resource {r} unavailable in ClusterQueue {name}" for r in missing] +
            [f"ClusterQueue {name} covers: "
             f"{', '.join(sorted({r for g in resource_groups(cq) for r in g['resources']}))}"],
            f"add {', '.join(missing)} to a resourceGroup of ClusterQueue {name} (coveredResources"
            " and every flavor's resources, same order), or drop the request from the pod template"
            " (or exclude it via Kueue's resources.excludeResourcePrefixes config)")


def _check_group(wl, cq, group, wanted, needs, book):
    podsets = dig(wl, "spec", "podSets", default=[]) or []
    candidates, problems = [], []
    for flavor in group["flavors"]:
        problem = _first_problem(flavor, podsets, book.cluster)
        (problems.append(problem) if problem else candidates.append(flavor))
    if not candidates:
        return ("flavor_mismatch",
                f"no flavor of ClusterQueue {name_of(cq)} for {', '.join(wanted)} accepts the pod"
                f" template: {problems[0]}" if problems else "no flavor",
                problems[:4], _flavor_fix(problems, name_of(cq)))
    outcomes = [_flavor_outcome(name_of(cq), f, wanted, needs, book) for f in candidates]
    if any(o["state"] == FIT for o in outcomes):
        return None
    waiting = [o for o in outcomes if o["state"] == WAIT]
    if waiting:
        return _exhausted(waiting[0], wl, book)
    return _exceeds(max(outcomes, key=lambda o: o["worst"]["max_capacity"]), wl, podsets)


def _first_problem(flavor, podsets, cluster) -> str:
    for podset in podsets:
        spec = dig(podset, "template", "spec", default={}) or {}
        problem = flavor_problem(cluster.flavors.get(flavor), flavor, spec)
        if problem:
            if problem.endswith("not found") and not kind_known(cluster, "ResourceFlavor"):
                return ""  # a flavor not in a partial dump proves nothing
            return problem
    return ""


def _flavor_fix(problems, cq_name) -> str:
    text = " ".join(problems)
    if "untolerated taint" in text:
        return ("add a matching toleration to the pod template (or to the ResourceFlavor's "
                "spec.tolerations if every workload of the flavor should tolerate it)")
    if "node affinity" in text:
        return ("make the pod's nodeSelector/required affinity agree with the flavor's "
                f"nodeLabels, or add a flavor with those labels to ClusterQueue {cq_name}")
    return f"create the missing ResourceFlavor, or fix the flavor name in ClusterQueue {cq_name}"


def _flavor_outcome(cq, flavor, wanted, needs, book) -> dict:
    state, worst = FIT, None
    for res in wanted:
        view = book.view(cq, flavor, res)
        if view is None:
            continue
        view["need"] = needs[res]
        if needs[res] > view["max_capacity"]:
            state, worst = NEVER, view
        elif needs[res] > view["available"] and state != NEVER:
            state, worst = WAIT, view
        worst = worst or view
    return {"flavor": flavor, "state": state, "worst": worst}


def _exhausted(outcome, wl, book):
    view = outcome["worst"]
    res, flavor, cq = view["resource"], view["flavor"], view["cluster_queue"]
    holders, total = book.top_holders(cq, flavor, res)
    held = ", ".join(f"{name_of_ns(w)} ({_q(q, res)})" for w, q in holders) or \
        "Workloads not in the input"
    if total > len(holders):
        held += f" and {total - len(holders)} more"
    summary = (f"needs {_q(view['need'], res)} {res} in flavor {flavor}; ClusterQueue {cq} has "
               f"{_q(view['available'], res)} available now ({_borrow_now(view)}); "
               f"in use by {held}")
    evidence = [_arith(view)]  # the holders are already named in the summary
    if view["cohort"]:
        shared = book.cohort_usage(view["cohort"], flavor, res)
        evidence.append(f"cohort {view['cohort']} pool: " + ("; ".join(shared) or
                                                             "no member above its guarantee"))
    return ("quota_exhausted", summary, evidence,
            f"wait for the holders to finish; or raise nominalQuota of {res} in flavor {flavor} "
            f"of ClusterQueue {cq} by {_q(view['need'] - view['available'], res)}; or give the "
            "job a higher WorkloadPriorityClass with preemption.withinClusterQueue set; " +
            (f"or let it reclaim lent quota in cohort {view['cohort']} "
             "(preemption.reclaimWithinCohort)" if view["cohort"] else
             "or join a cohort with idle quota"))


def _exceeds(outcome, wl, podsets):
    view = outcome["worst"]
    res, flavor, cq = view["resource"], view["flavor"], view["cluster_queue"]
    summary = (f"needs {_q(view['need'], res)} {res} in flavor {flavor}, more than ClusterQueue "
               f"{cq} can ever hold ({_q(view['max_capacity'], res)} = nominal "
               f"{_q(view['nominal'], res)} + borrowable {_q(view['borrowable'], res)}; "
               f"{_why_borrow(view)})")
    evidence = [_arith(view)]
    partial = [ps.get("name", "main") for ps in podsets if ps.get("minCount") is not None]
    if partial:
        evidence.append(f"pod sets {', '.join(partial)} allow partial admission (minCount)")
    return ("exceeds_max_quota", summary, evidence,
            f"lower the job's request to at most {_q(view['max_capacity'], res)} {res} (fewer "
            f"replicas or smaller pods), or raise nominalQuota/borrowingLimit of {res} in flavor "
            f"{flavor} of ClusterQueue {cq} to at least {_q(view['need'], res)}, or put it in a "
            "cohort that can lend")


def _borrow_now(view) -> str:
    """Why borrowing does not close the gap right now."""
    if not view["cohort"] or view["borrowable"] == 0:
        return _why_borrow(view)
    if view["available"] <= view["nominal"] - min(view["used"], view["nominal"]):
        return f"cohort {view['cohort']} has no idle quota to lend now"
    return f"counting what cohort {view['cohort']} can lend now"


def _why_borrow(view) -> str:
    if not view["cohort"]:
        return "cannot borrow: it has no cohort"
    if view["borrowing_limit"] is not None and view["borrowing_limit"] == 0:
        return f"cannot borrow: borrowingLimit 0 in cohort {view['cohort']}"
    return f"may borrow up to {_q(view['borrowable'], view['resource'])} from cohort " \
           f"{view['cohort']}"


def _arith(view) -> str:
    res = view["resource"]
    limit = "none" if view["borrowing_limit"] is None else _q(view["borrowing_limit"], res)
    return (f"ClusterQueue {view['cluster_queue']} flavor {view['flavor']} {res}: need "
            f"{_q(view['need'], res)}, nominal {_q(view['nominal'], res)}, used "
            f"{_q(view['used'], res)}, available now {_q(view['available'], res)}, borrowable "
            f"{_q(view['borrowable'], res)} (borrowingLimit {limit}, cohort "
            f"{view['cohort'] or 'none'}), max {_q(view['max_capacity'], res)}")


def _rank(result) -> int:
    return {"quota_exhausted": 1, "exceeds_max_quota": 2, "flavor_mismatch": 3}.get(result[0], 0)


@lru_cache(maxsize=4096)
def _q(value, res) -> str:
    return format_quantity(value, res)


def name_of_ns(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def podset_summary(wl: dict) -> str:
    """'main: 4 x {cpu 2, nvidia.com/gpu 8}' style digest of the request."""
    parts = []
    for ps in dig(wl, "spec", "podSets", default=[]) or []:
        count = ps.get("count", 1)
        per_pod = {r: q / count for r, q in podset_requests(ps).items()} if count else {}
        inner = ", ".join(f"{r} {_q(q, r)}" for r, q in sorted(per_pod.items()) if q)
        parts.append(f"{ps.get('name', 'main')}: {count} x {{{inner}}}")
    return "; ".join(parts)


def usage_unknown_wait(wl: dict, cq: dict, book) -> tuple | None:
    """A pod set that fits only while its flavors are (nearly) unused, in a ClusterQueue whose
    usage the input does not show (no status, no quota-holding Workload): the objects leave a
    busy queue as the explanation, and without a cohort nothing can be borrowed meanwhile
    (kueue#1276). None when a candidate flavor holds two such pod sets, or usage is known."""
    name = name_of(cq)
    if cq.get("status") or any(key[0] == name for key in book.holders):
        return None
    needs = _needs(wl, cq)
    podsets = dig(wl, "spec", "podSets", default=[]) or []
    tightest = None
    for group in resource_groups(cq):
        wanted = [r for r in group["resources"] if r in needs]
        for flavor in group["flavors"] if wanted else []:
            if _first_problem(flavor, podsets, book.cluster):
                continue
            views = [v for v in (book.view(name, flavor, r) for r in wanted) if v]
            if not views or any(needs[v["resource"]] > v["max_capacity"] for v in views):
                continue
            sized = [v for v in views if v["max_capacity"] > 0]
            if not sized:
                continue
            view = max(sized, key=lambda v: needs[v["resource"]] / v["max_capacity"])
            ratio = needs[view["resource"]] / view["max_capacity"]
            if ratio * 2 <= 1:  # room for two such pod sets: not the tight case
                return None
            if tightest is None or ratio < tightest[0]:
                tightest = (ratio, view)
    if tightest is None:
        return None
    view = tightest[1]
    res, flavor, need = view["resource"], view["flavor"], needs[view["resource"]]
    borrow = (f"it may borrow up to {_q(view['borrowable'], res)} in cohort {view['cohort']}"
              if view["cohort"] else f"ClusterQueue {name} has no cohort, so it cannot borrow "
              "while the flavor is busy")
    return ("quota_exhausted",
            f"needs {_q(need, res)} {res} of the {_q(view['max_capacity'], res)} flavor {flavor} "
            f"can ever hold in ClusterQueue {name}: it is admitted only while that flavor is "
            f"(nearly) unused; {borrow}. The queue's usage is not in the input",
            [f"flavor {flavor}: nominalQuota {_q(view['nominal'], res)} {res}, maximum "
             f"capacity {_q(view['max_capacity'], res)}; the pod set needs {_q(need, res)}"],
            f"wait for what holds flavor {flavor}; or raise its nominalQuota; "
            + ("or put the ClusterQueue in a cohort with idle quota (borrowing needs a cohort)"
               if not view["cohort"] else "or raise its borrowingLimit"),
            f"kubectl get clusterqueue {name} -o jsonpath='{{.status.flavorsReservation}}'")
