"""Why the scheduler cannot place a pod: selector/affinity, taints, then resources.

Re-checks the pod against every node in the dump the way the scheduler filters them, so the
answer says which resource, how short, on how many nodes; falls back on the scheduler's own
message ("0/8 nodes are available: 8 Insufficient nvidia.com/gpu ...") without nodes.
"""
from __future__ import annotations

from k8s_skillkit.quantity import format_quantity
from k8s_skillkit.requests import pod_requests
from k8s_skillkit.scheduling import (node_taints, pod_tolerations,
                                     required_affinity_matches, taint_text, untolerated_taints)

from _tshoot import schedmsg as sm
from _tshoot.model import meta
from _tshoot.verdict import sched_fix


def node_matches(pod: dict, node: dict) -> bool:
    """nodeSelector AND required node affinity (the kit's scheduling model)."""
    return required_affinity_matches(pod, node)


def blocking_taints(pod: dict, node: dict) -> list[dict]:
    """NoSchedule/NoExecute taints the pod does not tolerate, with a cordon shown as the
    taint the node lifecycle controller sets for it (node.kubernetes.io/unschedulable)."""
    taints = list(node_taints(node))
    if (node.get("spec") or {}).get("unschedulable") and not any(
            t.get("key") == "node.kubernetes.io/unschedulable" for t in taints):
        taints.append({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"})
    return untolerated_taints(taints, pod_tolerations(pod))


def scheduler_message(pod: dict, events: list | None = None) -> str:
    """The scheduler's latest verdict: the PodScheduled condition, else the newest
    FailedScheduling event."""
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("message"):
            return c["message"]
    failed = [e for e in events or () if e.get("reason") == "FailedScheduling"]
    if failed:
        return failed[-1].get("message") or failed[-1].get("note") or ""
    return ""


def is_unschedulable(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("status") == "False":
            return c.get("reason") in ("Unschedulable", "SchedulerError", None, "")
    return False


def explain(cluster, pod: dict) -> dict:
    """{cause, message, evidence, fix, signature, basis, confirm} for an unschedulable pod
    (memoised per workload and scheduling-relevant spec: replicas of one template share it)."""
    view = cluster.view(pod)
    msg = scheduler_message(pod, view.events)
    # not keyed on the template revision alone: a webhook (Kueue's flavors) may give replicas
    # of one template different nodeSelectors or tolerations
    asks = scheduling_key(view.spec)
    key = (view.namespace, cluster.owner(pod), msg, asks)
    cache = cluster.__dict__.setdefault("_explain_cache", {})
    if key not in cache:
        cache[key] = _explain(cluster, pod, msg, asks)
    found = cache[key]
    return {**found, "evidence": list(found["evidence"])}


def scheduling_key(spec: dict) -> str:
    """What the re-check against the nodes reads of a pod: node selection, tolerations and
    requests (containers, overhead, pod-level resources)."""
    return repr([spec.get(k) for k in ("nodeSelector", "affinity", "tolerations", "containers",
                                       "initContainers", "overhead", "resources")])


def _explain(cluster, pod: dict, msg: str, asks: str) -> dict:
    """The scheduler's message decides the cause; the dump's nodes only add arithmetic that
    agrees with it. Without a message, the re-check of the nodes is an inference."""
    parsed = sm.parse(msg)
    nodes = cluster.nodes()
    inferred = _from_nodes_cached(cluster, pod, nodes, asks) if nodes else None
    if parsed:
        reported = _from_message(parsed)
        named = {sm.CAUSE.get(c) for c in parsed.categories()}
        if inferred and inferred["cause"] in named:
            # the nodes pick one of the reasons the scheduler gave: no contradiction
            inferred["evidence"].append(f'scheduler: "{msg}"')
            if inferred["cause"] != reported["cause"]:
                inferred["evidence"].append("the scheduler's message alone cannot tell which "
                                            "reason blocks the nodes the pod targets; the "
                                            "dump's nodes decide")
            return {**inferred, "basis": "reported", "confirm": ""}
        return reported
    if inferred:
        inferred["evidence"].append("no scheduler message in the input: re-checked against the "
                                    "nodes in the dump")
        return {**inferred, "basis": "inferred",
                "confirm": f"kubectl describe pod {meta(pod, 'name')} -n "
                           f"{meta(pod, 'namespace') or 'default'}"}
    return {"cause": "unschedulable_other", "message": "Pending without a node and without the "
            "scheduler's reason in the input", "evidence": ["PodScheduled=False, no message"],
            "fix": "read the scheduler's reason: kubectl describe pod (Events: FailedScheduling)",
            "signature": "unknown", "basis": "inferred",
            "confirm": f"kubectl describe pod {meta(pod, 'name')} -n "
                       f"{meta(pod, 'namespace') or 'default'}"}


def _from_nodes_cached(cluster, pod: dict, nodes: list[dict], asks: str) -> dict | None:
    """_from_nodes, once per distinct `asks` (scheduling_key): the same template in every
    namespace of a big cluster gets the same answer from the same nodes."""
    cache = cluster.__dict__.setdefault("_from_nodes_cache", {})
    if asks not in cache:
        cache[asks] = _from_nodes(cluster, pod, nodes)
    found = cache[asks]
    return None if found is None else {**found, "evidence": list(found["evidence"])}


def _from_nodes(cluster, pod: dict, nodes: list[dict]) -> dict | None:
    selected = [n for n in nodes if node_matches(pod, n)]
    if not selected:
        return _affinity(pod, nodes)
    tolerated = [n for n in selected if not blocking_taints(pod, n)]
    if not tolerated:
        return _taint(pod, selected)
    requests = pod_requests(pod)
    short = {}
    for res, need in requests.items():
        if need <= 0:
            continue
        frees = [cluster.node_free(n, res) for n in tolerated]
        known = [f for f in frees if f is not None]
        if not any(f >= need for f in known):
            short[res] = (need, max(known) if known else None, sum(1 for f in known))
    if short:
        fit_all = [n for n in tolerated if all(
            (cluster.node_free(n, r) or 0) >= q for r, q in requests.items() if q > 0)]
        if not fit_all:
            return _insufficient(pod, short, len(tolerated), len(nodes))
    return None


def _affinity(pod: dict, nodes: list[dict]) -> dict:
    spec = pod.get("spec") or {}
    sel = spec.get("nodeSelector") or {}
    wanted, fixes = [], []
    for key, value in sel.items():
        values = sorted({(meta(n, "labels", {}) or {}).get(key) for n in nodes} - {None})
        wanted.append(f"nodeSelector {key}={value} matches "
                      f"{sum(1 for n in nodes if (meta(n, 'labels', {}) or {}).get(key) == value)}"
                      f" of {len(nodes)} nodes")
        if values and value not in values:
            fixes.append(f"{key}: use one of {', '.join(values[:6])}"
                         + (" ..." if len(values) > 6 else ""))
        elif not values:
            fixes.append(f"no node has label {key}: drop it or label the intended nodes")
    if (spec.get("affinity") or {}).get("nodeAffinity"):
        wanted.append("required nodeAffinity terms match no node")
    fix = ("change the pod template's node selection so it matches real node labels ("
           + "; ".join(fixes or ["compare with: kubectl get nodes --show-labels"]) + ")")
    return {"cause": "unschedulable_affinity",
            "message": f"no node matches its nodeSelector/affinity (0 of {len(nodes)} nodes)",
            "evidence": wanted, "fix": fix, "signature": repr(sorted(sel.items()))}


def _taint(pod: dict, selected: list[dict]) -> dict:
    taints = {}
    for n in selected:
        for t in blocking_taints(pod, n):
            taints.setdefault(taint_text(t), (t, []))[1].append(meta(n, "name"))
    first, names = next(iter(taints.values()))
    tol = {"key": first.get("key"), "operator": "Equal" if first.get("value") else "Exists",
           "effect": first.get("effect")}
    if first.get("value"):
        tol["value"] = first["value"]
    ev = [f"taint {text} on {len(ns)} node(s): {', '.join(ns[:5])}"
          for text, (_, ns) in taints.items()]
    return {"cause": "unschedulable_taint",
            "message": f"every node it may use ({len(selected)}) has a taint it does not "
                       f"tolerate: {', '.join(list(taints)[:3])}",
            "evidence": ev,
            "fix": f"add to the pod template spec.tolerations: {_flow(tol)} (only if the pod "
                   f"belongs on those nodes), or remove the taint: kubectl taint nodes "
                   f"{names[0]} {first.get('key')}:{first.get('effect')}-",
            "signature": ",".join(sorted(taints))}


def _insufficient(pod: dict, short: dict, tolerated: int, total: int) -> dict:
    parts, ev = [], []
    for res, (need, best, count) in short.items():
        need_s, best_s = format_quantity(need, res), (
            format_quantity(best, res) if best is not None else "0")
        gap = format_quantity(need - (best if best is not None and best > 0 else 0), res)
        parts.append(f"{need_s} {res} (short by {gap})")
        ev.append(f"{res}: requests {need_s}; the most free on any eligible node is {best_s}; "
                  f"{count} of {tolerated} eligible nodes have {res} at all")
    res0, (need0, best0, _) = next(iter(short.items()))
    best_q = format_quantity(best0 if best0 and best0 > 0 else 0, res0)
    return {"cause": "unschedulable_insufficient",
            "message": f"needs {', '.join(parts)}; no eligible node has that much free "
                       f"({tolerated} eligible of {total} nodes)",
            "evidence": ev,
            "fix": f"lower resources.requests {res0} to at most {best_q} per pod (split the work "
                   f"over more pods/replicas), free capacity, or add nodes with "
                   f"{format_quantity(need0, res0)} {res0} free",
            "signature": ",".join(sorted(short))}


def _from_message(parsed: "sm.SchedMessage") -> dict:
    cat, reason = sm.verdict(parsed)
    cause = sm.CAUSE.get(cat, "unschedulable_other")
    nodes = f" ({parsed.total} nodes)" if parsed.total else ""
    fix = sched_fix(cat, sm.resources(parsed), sm.taint_keys(parsed))
    if cat == "pvc":
        fix = ""  # the PVC's own finding carries the fix (it absorbs this pod)
    head = ("its DRA ResourceClaims cannot be allocated" if cat == "dra"
            else "the scheduler cannot place it")
    evidence = [f'scheduler: "{parsed.text}"']
    for alt in sm.hidden(parsed, cat):
        evidence.append(f"nodes reported for {alt} were rejected before the {cat} check: if "
                        f"those are the nodes the pod is meant for, {alt} is the blocker "
                        f"({sm.CAUSE.get(alt)})")
    return {"cause": cause, "message": f"{head}{nodes}: {reason}",
            "evidence": evidence, "fix": fix, "signature": cat,
            "basis": "reported", "confirm": ""}


def _flow(d: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
