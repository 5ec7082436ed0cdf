"""Can every pod of a gang get its DRA devices at the same time, and will Kueue agree?

Placement: pods are placed one at a time, first-fit over nodes ordered by free matching
devices, each pod's claim allocated with the per-node model in _dra.alloc (devices taken by an
earlier pod are gone for the next). Kueue: its quota for a DeviceClass is the mapped
resource (resources.deviceClassMappings) counted as devices per pod x pods
(kueue pkg/dra/claims.go), or, for a class whose mapping has `sources[].counter`, in the
counter's units as _dra/kueue_counters.py computes it; Kueue checks quota, not nodes, so a
quota larger than the devices that can be placed admits a gang the scheduler cannot run.
"""
from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.quantity import format_quantity, parse_quantity

from _dra.alloc import allocate_on_node, requests_of
from _dra.claim_rules import candidate_nodes
from _dra.kueue_counters import (INT64_MAX, CapacitySource, CounterSource, cel_precheck,
                                 request_capacity_charge, request_charge)
from _dra.model import Inventory

POOL_LABELS = ("k8s-skills.io/node-pool", "cloud.google.com/gke-nodepool",
               "eks.amazonaws.com/nodegroup", "karpenter.sh/nodepool", "agentpool",
               "node.kubernetes.io/instance-type")


class PodNeed:
    """What one pod of a pod set needs: its claim specs (from templates) and shared claims."""

    def __init__(self, ps, specs, shared, missing):
        self.ps, self.specs, self.shared, self.missing = ps, specs, shared, missing


def pod_need(inv: Inventory, ps, extra_templates: dict) -> PodNeed:
    specs, shared, missing = [], [], []
    for entry in ps.spec.get("resourceClaims") or []:
        if entry.get("resourceClaimName"):
            shared.append(entry["resourceClaimName"])
            continue
        tname = entry.get("resourceClaimTemplateName")
        tmpl = extra_templates.get((ps.namespace, tname)) or inv.templates.get(
            (ps.namespace, tname)) or extra_templates.get(("", tname))
        if tmpl is None:
            missing.append(tname)
        else:
            specs.append(dig(tmpl, "spec", "spec", default={}) or {})
    return PodNeed(ps, specs, shared, missing)


def place(inv: Inventory, needs: list[PodNeed]) -> tuple[dict, dict]:
    """Place every pod; returns ({pod set: placed}, {node: pods placed there})."""
    taken: set = set()
    placed: dict[str, int] = {}
    where: dict[str, int] = defaultdict(int)
    for need in needs:
        nodes = candidate_nodes(inv, need.ps.template)
        placed[need.ps.name] = 0
        if not need.specs:
            continue
        for _ in range(need.ps.count):
            nodes.sort(key=lambda n: -sum(1 for d in inv.devices_on(n)
                                          if inv.free(d) and d.key not in taken))
            for node in nodes:
                got = _try_pod(inv, need.specs, node, taken)
                if got is not None:
                    taken.update(got)
                    placed[need.ps.name] += 1
                    where[node] += 1
                    break
            else:
                break  # identical pods: if this one fits nowhere, neither do the rest
    return placed, dict(where)


def _try_pod(inv, specs, node, taken):
    local = set(taken)
    for spec in specs:
        picked, _ = allocate_on_node(inv, spec, node, local)
        if not picked:
            return None
        # a device with allowMultipleAllocations (consumable capacity, k8s.io/api resource/v1
        # Device.AllowMultipleAllocations) serves several claims: its capacity, not the
        # device, is what runs out, and that is not modelled here, so it is never taken
        local.update(d.key for d in picked if not d.raw.get("allowMultipleAllocations"))
    return local - taken


def describe_need(need: PodNeed) -> str:
    parts = []
    for spec in need.specs:
        for _, alts in requests_of(spec):
            rv = alts[0]
            parts.append(f"{'all' if rv.mode == 'All' else rv.count} {rv.class_name}")
    return " + ".join(parts) or "no devices"


def free_by_pool(inv: Inventory, needs: list[PodNeed]) -> list[str]:
    """'node pool gpu-h200-dra (2 nodes): 6 free matching devices' for the classes used."""
    classes = {rv.class_name for n in needs for s in n.specs for _, alts in requests_of(s)
               for rv in alts}
    pools: dict[str, list] = defaultdict(lambda: [set(), 0])
    for cls in classes:
        devs, _ = inv.class_devices(cls)
        for dev in devs:
            if not dev.node:
                continue
            pool = _pool_of(inv, dev.node)
            pools[pool][0].add(dev.node)
            pools[pool][1] += 1 if inv.free(dev) else 0
    if not pools:
        return [f"no node publishes devices of {', '.join(sorted(classes))} "
                "(explain_claim.py on one pod says why)"]
    return [f"node pool {p} ({len(nodes)} node(s)): {free} free device(s) of "
            f"{', '.join(sorted(classes))}" for p, (nodes, free) in sorted(pools.items())]


def _pool_of(inv, node) -> str:
    labels = dig(inv.nodes.get(node, {}), "metadata", "labels", default={}) or {}
    for key in POOL_LABELS:
        if labels.get(key):
            return labels[key]
    return node


def gang_findings(inv, obj, needs, placed, where) -> list[dict]:
    out = []
    for need in needs:
        if need.missing:
            out.append(finding("error", "claim_template_missing", obj,
                               f"pod set {need.ps.name} uses ResourceClaimTemplate(s) "
                               f"{', '.join(need.missing)} not found in the input or cluster",
                               [], "create the template (make_claim.py) before the workload"))
        if need.shared and need.ps.count > 1:
            out.append(finding(
                "warning", "gang_shared_claim", obj,
                f"pod set {need.ps.name} ({need.ps.count} pods) references ResourceClaim "
                f"{', '.join(need.shared)} by name: every pod shares the same devices and "
                "must run on that claim's node", [],
                "use resourceClaimTemplateName so each pod gets its own devices"))
    total = sum(n.ps.count for n in needs if n.specs)
    got = sum(placed.values())
    if total and got < total:
        worst = next(n for n in needs if n.specs and placed[n.ps.name] < n.ps.count)
        spread = ", ".join(f"{node}: {k}" for node, k in sorted(where.items())) or "none"
        out.append(finding(
            "error", "gang_partially_satisfiable", obj,
            f"{got} of {total} pods can get their devices at once ({placed[worst.ps.name]} "
            f"of {worst.ps.count} {worst.ps.name} pods can get {describe_need(worst)} each);"
            " the gang cannot start",
            free_by_pool(inv, needs) + [f"pods placeable per node: {spread}"],
            "lower the devices per pod or the number of pods, wait for devices to free up, or "
            "add DRA nodes; with Kueue keep the ClusterQueue quota for the mapped resource at "
            "or below the devices that exist so Kueue does not admit what cannot run"))
    return out


# The command that shows what each planning verdict rests on (a pre-submission check has no
# component report yet: every finding is inferred from the manifest and the cluster state).
_KUEUE_CONFIG = "kubectl get configmap kueue-manager-config -n kueue-system -o yaml"
CONFIRM = {
    "gang_partially_satisfiable": "kubectl get resourceslices,resourceclaims -A -o yaml",
    "gang_shared_claim": "kubectl get resourceclaims -n {ns} -o yaml",
    "claim_template_missing": "kubectl get resourceclaimtemplates -n {ns} -o yaml",
    "kueue_unsupported_claim": "kubectl get workloads.kueue.x-k8s.io -n {ns} -o yaml",
    "kueue_class_unmapped": _KUEUE_CONFIG,
    "kueue_config_unknown": _KUEUE_CONFIG,
    "kueue_quota_by_counters": "kubectl get clusterqueues.kueue.x-k8s.io,"
                               "resourceslices -o yaml",
    "kueue_counter_unmatched": "kubectl get workloads.kueue.x-k8s.io -n {ns} -o yaml",
    "kueue_quota_exceeds_devices": "kubectl get clusterqueues.kueue.x-k8s.io -o yaml",
    "kueue_will_not_admit": "kubectl get clusterqueues.kueue.x-k8s.io,"
                            "localqueues.kueue.x-k8s.io -A -o yaml",
}


def with_confirm(findings: list[dict]) -> list[dict]:
    """Every inferred finding names the one `kubectl get` that would confirm it."""
    for item in findings:
        if item["basis"] == "inferred" and not item["confirm"] and item["cause"] in CONFIRM:
            ns = item["object"].get("namespace") or "default"
            item["confirm"] = CONFIRM[item["cause"]].format(ns=ns)
    return findings


def kueue_check(inv, obj, needs, mappings: dict | None, queue: str, cqs: dict,
                lqs: dict, can_place: bool,
                sources: dict[str, list[CounterSource]] | None = None,
                drivers: dict[str, list[str]] | None = None,
                capacity: dict[str, list[CapacitySource]] | None = None) -> list[dict]:
    if not queue:
        return []
    out = []
    for need in needs:
        for spec in need.specs:
            for _, alts in requests_of(spec):
                rv = alts[0]
                bad = ("firstAvailable" if len(alts) > 1 else "adminAccess" if rv.admin else
                       "allocationMode All" if rv.mode == "All" else "")
                if bad:
                    out.append(finding("error", "kueue_unsupported_claim", obj,
                                       f"pod set {need.ps.name}: Kueue v0.19 rejects {bad} in "
                                       "DRA claims; the workload will not be admitted", [],
                                       "use exactly + ExactCount in the template"))
        if need.shared:
            out.append(finding("error", "kueue_unsupported_claim", obj,
                               f"pod set {need.ps.name} uses resourceClaimName: Kueue says "
                               "'KueueDRAIntegration feature does not support use of resource "
                               "claims'", [], "use resourceClaimTemplateName"))
    if mappings is None:
        return out + [finding("info", "kueue_config_unknown", obj,
                              "Kueue deviceClassMappings unknown: quota check skipped", [],
                              "pass --kueue-config FILE")]
    need_by_res: dict[str, int] = defaultdict(int)
    sources = sources or {}
    capacity = capacity or {}
    state = _CounterState(need_by_res)
    for need in needs if sources or capacity else []:
        for spec in need.specs:
            exact = [alts[0] for _, alts in requests_of(spec) if len(alts) == 1]
            if not any(rv.class_name in sources or rv.class_name in capacity
                       for rv in exact):
                continue
            error, unknown = cel_precheck(inv, exact, drivers or {})
            if error and not state.failed:
                state.failed = True
                state.findings.append(finding(
                    "error", "kueue_counter_unmatched", obj,
                    f"pod set {need.ps.name}: {error}: Kueue keeps the Workload inadmissible",
                    [f"Kueue: {error}"], "make the request's selectors match devices of the "
                    "mapped driver(s) that exist, or lower its count"))
            elif unknown and not state.failed:
                state.unknown_precheck = unknown
    for need in needs:
        for spec in need.specs:
            for _, alts in requests_of(spec):
                rv = alts[0]
                res = mappings.get(rv.class_name)
                if res is None:
                    out.append(finding(
                        "error", "kueue_class_unmapped", obj,
                        f"DeviceClass {rv.class_name} is not in Kueue's deviceClassMappings: "
                        "the workload stays inadmissible", [f"Kueue: DeviceClass "
                        f"{rv.class_name} is not mapped in DRA configuration for podset "
                        f"{need.ps.name}"], "add a deviceClassMappings entry (Kueue config, "
                        "restart) and quota for it in the ClusterQueue"))
                    continue
                if (rv.class_name in sources or rv.class_name in capacity) and len(alts) == 1:
                    for source in sources.get(rv.class_name, []):
                        _counter_charge(inv, obj, need, rv, source, state)
                    continue
                need_by_res[res] += rv.count * need.ps.count
    # Kueue charges capacity after every counter (workload_controller.go v0.19.2 l.529-560:
    # GetCounterResourcesForWorkload, then handleDRAConsumableCapacity), each stopping the
    # Workload at its first error
    for need in needs if capacity else []:
        for spec in need.specs:
            for _, alts in requests_of(spec):
                if len(alts) == 1 and alts[0].class_name in mappings:
                    for cap in capacity.get(alts[0].class_name, []):
                        _capacity_charge(inv, obj, need, alts[0], cap, state)
    out += state.findings
    if state.failed:
        return out  # Kueue stops at the first counter error: the Workload is inadmissible
    for res in state.unknown:
        need_by_res.pop(res, None)
    if state.unknown_precheck:
        for res in state.evidence:
            state.evidence[res].append("Kueue first checks that the devices match the "
                                       "requests' CEL selectors; not judged here: "
                                       + state.unknown_precheck)
    return out + _quota(obj, need_by_res, queue, namespace_of(obj) or "default", cqs, lqs,
                        can_place, state.evidence)


class _CounterState:
    """Counter charges gathered over a workload's requests (kueue_counters.py)."""

    def __init__(self, need_by_res):
        self.need_by_res = need_by_res
        self.findings: list[dict] = []
        self.evidence: dict[str, list[str]] = defaultdict(list)
        self.unknown: set[str] = set()
        self.unknown_precheck = ""
        self.failed = False


def _counter_charge(inv, obj, need, rv, source, state) -> None:
    """Add what one request costs in one counter source's quota resource, as Kueue does."""
    if state.failed:
        return
    charge = request_charge(inv, rv, source)
    res = source.resource
    if charge.kueue_error:
        state.failed = True
        state.findings.append(finding(
            "error", "kueue_counter_unmatched", obj,
            f"pod set {need.ps.name}: Kueue charges {res} from counter {source.name} of the "
            f"{source.driver} devices the request selects, and {charge.kueue_error}: the "
            "Workload stays inadmissible", [f"Kueue: {charge.kueue_error}"] + charge.notes,
            f"make the request ({rv.describe()}) select devices of {source.driver} that match "
            "the mapping's sources[].counter.deviceSelector and consume counter "
            f"{source.name}, or fix the mapping"))
        return
    if not _add_charge(state, obj, need, rv, res, charge, f"in units of counter {source.name}"):
        return
    state.evidence[res].append(
        f"pod set {need.ps.name}: {rv.describe()} is charged "
        f"{format_quantity(Fraction(charge.amount), source.name)} of counter {source.name} per "
        f"pod ({'' if rv.count == 1 else f'{rv.count} x '}the largest value among the "
        f"{charge.matched} matching device(s) of {source.driver}) x {need.ps.count} pod(s)")
    state.evidence[res].extend(charge.notes)


def _capacity_charge(inv, obj, need, rv, source: CapacitySource, state) -> None:
    """Add what one request costs in its class's quota resource from one capacity source
    (kueue v0.19.2 pkg/dra/capacity.go; _dra/kueue_counters.py request_capacity_charge)."""
    if state.failed:
        return
    charge = request_capacity_charge(inv, rv, source)
    res = source.resource
    if charge.kueue_error:
        state.failed = True
        state.findings.append(finding(
            "error", "kueue_counter_unmatched", obj,
            f"pod set {need.ps.name}: Kueue charges {res} from capacity {source.name} of the "
            f"{source.driver} devices the request selects, and {charge.kueue_error}: the "
            "Workload stays inadmissible (QuotaReserved=False, reason Misconfigured)",
            [f"Kueue: {charge.kueue_error}"] + charge.notes,
            f"make the request ({rv.describe()}) select devices of {source.driver} that match "
            f"the mapping's sources[].capacity.deviceSelector and publish capacity "
            f"{source.name}" + (", and ask for a capacity.requests value their "
                                "requestPolicy allows" if "RequestPolicy" in
                                charge.kueue_error else "") + ", or fix the mapping"))
        return
    if not _add_charge(state, obj, need, rv, res, charge, f"by capacity {source.name}"):
        return
    asked = rv.capacity.get(source.name)
    base = (f"its capacity.requests {source.name}={asked}" if asked is not None else
            "the device's requestPolicy.default, else its whole capacity")
    state.evidence[res].append(
        f"pod set {need.ps.name}: {rv.describe()} is charged "
        f"{format_quantity(Fraction(charge.amount), source.name)} of capacity {source.name} "
        f"per pod ({'' if rv.count == 1 else f'{rv.count} x '}{base}, rounded to the "
        f"requestPolicy, the largest among the {charge.matched} matching device(s) of "
        f"{source.driver}) x {need.ps.count} pod(s)")
    state.evidence[res].extend(charge.notes)


def _add_charge(state, obj, need, rv, res: str, charge, unit: str) -> bool:
    """Add a request's per-pod charge x the pod set's count to `res` (saturating at int64, as
    Kueue's quantities do); when the input cannot give the charge, say once per resource that
    its quota is not checked. True when the charge was added."""
    if charge.amount is None:
        if res not in state.unknown:
            state.unknown.add(res)
            state.findings.append(finding(
                "info", "kueue_quota_by_counters", obj,
                f"Kueue charges {res} (DeviceClass {rv.class_name}) {unit}, not devices, and "
                f"the charge cannot be computed from the input ({charge.unknown}): quota for "
                f"{res} not checked", charge.notes,
                "pass a dump with the ResourceSlices and DeviceClasses (kubectl get "
                "resourceslices,deviceclasses -o yaml)"))
        return False
    total = min(charge.amount * need.ps.count, INT64_MAX)
    state.need_by_res[res] = min(state.need_by_res[res] + total, INT64_MAX)
    return True


def _quota(obj, need_by_res, queue, namespace, cqs, lqs, can_place,
           evidence: dict[str, list[str]] | None = None) -> list[dict]:
    lq = lqs.get((namespace, queue))
    if lq is None:
        return [finding("warning", "kueue_queue_unknown", obj,
                        f"LocalQueue {namespace}/{queue} not found: quota not checked", [],
                        "create the LocalQueue or pass a dump that has it")]
    cq = cqs.get(dig(lq, "spec", "clusterQueue", default=""))
    if cq is None:
        return []
    out = []
    for res, amount in need_by_res.items():
        nominal, used = _cq_quota(cq, res)
        free = nominal - used
        fits = amount <= free
        why = (evidence or {}).get(res, [])
        msg = (f"needs {amount} {res}; ClusterQueue {name_of(cq)} has {nominal} nominal, "
               f"{used} in use")
        if not fits:
            out.append(finding("info", "kueue_will_not_admit", obj,
                               msg + ": Kueue keeps the workload suspended (quota is reserved "
                               "all-or-nothing)", why, "" if not can_place else
                               "raise the nominalQuota (devices exist) or wait for usage to drop"))
        elif not can_place:
            out.append(finding("error", "kueue_quota_exceeds_devices", obj,
                               msg + ": Kueue would admit it although the devices cannot hold "
                               "the whole gang; pods would sit pending (until waitForPodsReady "
                               "evicts)", why, f"set the ClusterQueue nominalQuota of {res} to "
                               + ("what the devices that exist consume" if why else
                                  "the number of devices that exist") + ", or shrink the gang"))
    return out


def _cq_quota(cq, resource) -> tuple[int, int]:
    nominal = 0
    for group in dig(cq, "spec", "resourceGroups", default=[]) or []:
        for flavor in group.get("flavors") or []:
            for res in flavor.get("resources") or []:
                if res.get("name") == resource:
                    nominal += int(parse_quantity(res.get("nominalQuota", 0)))
    used = 0
    for flavor in dig(cq, "status", "flavorsUsage", default=[]) or []:
        for res in flavor.get("resources") or []:
            if res.get("name") == resource:
                used += int(parse_quantity(res.get("total", 0)))
    return nominal, used
