"""Findings for claims that fail only because of device taints or exhausted shared counters.

Called from _dra.claim_rules._why_no_node with the per-node stats of _dra.alloc.allocate_on_node:
`tainted` = matching free devices a NoSchedule/NoExecute taint keeps from this request,
`counters` = untainted free devices whose shared counters have no room left. A cause is
named only when it decides the answer on every candidate node: without it, some request
would have had enough devices there (references/causes.md).
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _dra.alloc import counters_of, matching, requests_of
from _dra.partitions import blocking_taints, taint_text

NONE = {"matching": 0, "free": 0, "tainted": 0, "counters": 0, "need": 1}


def _decides(per_node, reqs, field: str) -> bool:
    """On every node that has enough matching devices for each request, some request is
    short of free ones and would not be without `field`. Nodes without enough matching
    devices are a capacity question, not this one."""
    def get(stats, rv):
        return stats.get(rv.name, NONE)
    relevant = [stats for stats in per_node.values()
                if all(any(get(stats, rv)["matching"] >= rv.count for rv in alts)
                       for _, alts in reqs)]
    if not relevant:
        return False
    for stats in relevant:
        decided = False
        for _, alts in reqs:
            if any(get(stats, rv)["free"] >= rv.count for rv in alts):
                continue
            if any(get(stats, rv)["free"] + get(stats, rv)[field] >= rv.count for rv in alts):
                decided = True
        if not decided:
            return False
    return True


def why_blocked(inv, t, obj, per_node: dict, request_path) -> dict | None:
    reqs = requests_of(t.spec)
    if _decides(per_node, reqs, "tainted"):
        return _taint_finding(inv, t, obj, reqs, per_node, request_path)
    if _decides(per_node, reqs, "counters"):
        return _counter_finding(inv, t, obj, reqs, per_node)
    return None


def _taint_finding(inv, t, obj, reqs, per_node, request_path):
    seen: dict[str, list[str]] = {}
    for node in per_node:
        for _, alts in reqs:
            for rv in alts:
                devices, _, _ = matching(inv, rv, inv.devices_on(node))
                for dev in devices:
                    for taint, source in blocking_taints(inv, dev, rv.tolerations):
                        seen.setdefault(f"{taint_text(taint)} ({source})", []).append(
                            dev.label())
    evidence = [f"{taint}: devices {', '.join(sorted(set(devs))[:4])}"
                + (f" and {len(set(devs)) - 4} more" if len(set(devs)) > 4 else "")
                for taint, devs in list(seen.items())[:4]]
    first = next(iter(seen), "")
    taint = first.split(" (")[0]
    key, _, rest = taint.partition("=") if "=" in taint else (taint.split(":")[0], "", "")
    effect = taint.rsplit(":", 1)[-1]
    value = rest.rsplit(":", 1)[0] if rest else ""
    toleration = {"key": key, "operator": "Equal" if value else "Exists", "effect": effect}
    if value:
        toleration["value"] = value
    return finding("error", "device_taint_not_tolerated", obj,
                   f"the matching devices are tainted ({taint}) and the request does not "
                   "tolerate the taint: the scheduler will not allocate them",
                   evidence, "find out why the devices are tainted (a driver or admin marks "
                   "unhealthy or reserved devices); once fixed the taint goes away. Only if "
                   "using them anyway is right, add to the request "
                   f"{request_path(t, 0)}.tolerations: [{_inline(toleration)}]",
                   basis="inferred", confirm="kubectl get resourceslices -o yaml | grep -B2 "
                   "-A3 taints; kubectl get devicetaintrules")


def _inline(toleration: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in toleration.items()) + "}"


def _counter_finding(inv, t, obj, reqs, per_node):
    counters = counters_of(inv)
    lines: list[str] = []
    for node in per_node:
        for _, alts in reqs:
            for rv in alts:
                devices, _, _ = matching(inv, rv, inv.devices_on(node))
                for dev in devices:
                    if inv.free(dev) and not blocking_taints(inv, dev, rv.tolerations):
                        for short in counters.short(dev):
                            line = f"{dev.label()}: {short}"
                            if line not in lines:
                                lines.append(line)
    holders = sorted({f"{h[1]}/{h[2]}" for h in inv.holders
                      if h in counters.by_key and counters.consumes(counters.by_key[h])})
    evidence = lines[:4] + ([f"allocated partitions using the counters: "
                             f"{', '.join(holders[:5])}"] if holders else [])
    return finding("error", "shared_counters_exhausted", obj,
                   "free partitions match, but the physical device they are carved from has "
                   "no shared counter capacity left (other partitions of it are allocated): "
                   "the scheduler will not allocate them", evidence,
                   "wait for the claims holding the other partitions to be freed, ask for a "
                   "smaller partition (a selector on the profile/size attribute), or use a "
                   "device whose counters are free", basis="inferred",
                   confirm="kubectl get resourceslices -o yaml  # sharedCounters and "
                           "consumesCounters")

