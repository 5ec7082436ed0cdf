#!/usr/bin/env python3
"""Explain why a DRA ResourceClaim (or a pod's claims) is not allocated."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.objects import dig, name_of, namespace_of

from k8s_skillkit import cel as _cel
from _dra import claim_rules as rules
from _dra import extended_rules as ext_rules
from _dra import prose as _prose
from _dra import alloc_status, component_lines, domain_status, reports
from _dra.input import current_namespace, load, prose_finding
from _dra import extended as ext
from _dra.model import Inventory, claim_label, claim_node

EXAMPLES = """examples:
  explain_claim.py -n team-a                 every pending pod / unallocated claim in team-a
  explain_claim.py -n team-a train-0         one pod (or one ResourceClaim) by name
  explain_claim.py -A --json                 whole cluster, machine-readable
  explain_claim.py -f dump.yaml train-0      offline: kubectl get resourceslices,deviceclasses,
                                             resourceclaims,resourceclaimtemplates,pods,nodes,
                                             namespaces,events -A -o yaml > dump.yaml
  explain_claim.py -f pasted.txt             a paste: kubectl describe pod, an events table,
                                             kubelet/driver logs, an apiserver error
order: what a component reported (basis reported: scheduler, kubelet, driver, runtime,
  apiserver, Kueue; every version's wording, references/messages.md) comes first; specs
  only explain or add to it (basis inferred, with a confirm command). An object missing
  from a paste is "not in the dump" (info), never "missing".
causes: references/causes.md
exit: 0 nothing blocked, 1 findings, 2 bad input"""


def _pending(pod: dict) -> bool:
    return not dig(pod, "spec", "nodeName") and dig(pod, "status", "phase") in (None, "Pending")


def _select(inv: Inventory, namespace, name):
    pods = [p for p in inv.pods if dig(p, "spec", "resourceClaims")
            or ext_rules.wants_dra(inv, p) or _pending(p) and ext.unmapped(inv, p)]
    claims = list(inv.claims.values())
    if namespace:
        pods = [p for p in pods if namespace_of(p) == namespace]
        claims = [c for c in claims if namespace_of(c) == namespace]
    if name:
        pods = [p for p in pods if name_of(p) == name]
        claims = [c for c in claims if name_of(c) == name]
        if not pods and not claims:
            where = f" in namespace {namespace}" if namespace else ""
            raise InputError(f"{name}: no pod with resourceClaims or DRA extended resources and "
                             f"no ResourceClaim of that name{where}")
    return pods, claims


def explain(inv: Inventory, namespace=None, name=None) -> tuple[list, list, list]:
    """(findings, allocations, changes) for the selected pods and claims."""
    pods, claims = _select(inv, namespace, name)
    findings, changes, done = [], [], set()
    used = []
    for pod in pods:
        if not _pending(pod) and not name:
            continue
        before = len(findings)
        targets = rules.pod_targets(inv, pod, findings, changes)
        targets += ext_rules.pod_targets(inv, pod, findings)
        for t in targets:
            if t.claim is not None and id(t.claim) not in done:
                done.add(id(t.claim))
                used.append(t.claim)
            if ext_rules.synthetic(t):  # the scheduler's own claim: no object to change
                findings += [ext_rules.in_pod_terms(inv, pod, f)
                             for f in _explain_target(inv, t, [])]
                continue
            findings += _explain_target(inv, t, changes)
        if len(findings) == before and _pending(pod):
            findings += rules.check_together(inv, pod, targets)
    claims = used + [c for c in claims if id(c) not in done]
    for claim in claims:
        if id(claim) in done or dig(claim, "status", "allocation"):
            continue
        if not claim.get("spec"):  # a row of `kubectl get resourceclaims`: nothing to infer
            findings += _row_only(claim)
            continue
        t = rules.Target(claim, claim.get("spec") or {}, namespace_of(claim), None, "spec",
                         claim)
        found = _explain_target(inv, t, changes)
        if not found and not (dig(claim, "status", "reservedFor")):
            found = [finding("info", "waiting_for_consumer", claim,
                             "not allocated yet: devices are available; the scheduler "
                             "allocates a claim only when a pod using it is scheduled", [],
                             "reference it from a pod (spec.resourceClaims)")]
        findings += found
    if not any(f["cause"] == "device_taint_not_tolerated" for f in findings):
        findings += _taint_all_rules(inv)
    findings += alloc_status.findings(claims)  # what the allocator wrote wrong
    allocations = [_allocation(inv, c) for c in claims if dig(c, "status", "allocation")]
    return findings, allocations, changes


def _taint_all_rules(inv: Inventory) -> list[dict]:
    """A DeviceTaintRule with a NoSchedule/NoExecute taint whose deviceSelector names no
    driver, pool or device taints every device of every driver: an empty selector by the
    API (k8s.io/api resource/v1 types.go DeviceTaintRuleSpec.DeviceSelector; "not a bug",
    kubernetes#141422), an omitted one too on v1.37 releases without kubernetes#141648
    (cherry-pick #141998; kubernetes#141620). Every claim that does not tolerate it stays
    unallocated (NoSchedule) or its pods are evicted (NoExecute)."""
    out = []
    for rule in inv.by_kind.get("DeviceTaintRule", []):
        spec = rule.get("spec") or {}
        taint = spec.get("taint") or {}
        if taint.get("effect") not in ("NoSchedule", "NoExecute"):
            continue
        selector = spec.get("deviceSelector")
        if isinstance(selector, dict) and any(selector.get(k) for k in
                                              ("driver", "pool", "device")):
            continue
        omitted = not isinstance(selector, dict)
        text = f"{taint.get('key', '')}{'=' + str(taint['value']) if taint.get('value') else ''}" \
            f":{taint['effect']}"
        out.append(finding(
            "warning", "device_taint_not_tolerated", rule,
            f"DeviceTaintRule {name_of(rule)} taints {text} on every device of every driver "
            + ("(deviceSelector omitted: Kubernetes v1.37 releases without the fix of "
               "kubernetes#141648 read it as all devices; the API and later releases as none)"
               if omitted else "(an empty deviceSelector selects all devices)")
            + ": a claim that does not tolerate it cannot be allocated"
            + (", and pods using devices are evicted" if taint["effect"] == "NoExecute"
               else ""),
            [f"spec.taint: {text}", "spec.deviceSelector: "
             + ("omitted" if omitted else "{} (no driver, pool or device)")],
            "scope the rule: spec.deviceSelector {driver, pool, device} of the device(s) meant; "
            "delete it to release the devices (tolerate it only if running there is right)",
            confirm=f"kubectl get devicetaintrule {name_of(rule)} -o yaml"))
    return out


def _row_only(claim: dict) -> list[dict]:
    """A claim known only from a `kubectl get resourceclaims` row: its STATE column
    (k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go resourceClaimState:
    deleted / pending / allocated / reserved) says whether it waits, never why."""
    state = str((claim.get("_columns") or {}).get("STATE", ""))
    name, ns = name_of(claim), namespace_of(claim)
    if state.startswith("deleted,"):
        return [_deleted_but_held(claim, state)]
    if not state or "allocated" in state:
        return []
    return [finding("info", "resource_claim_not_in_dump", claim,
                    f"only a table row of ResourceClaim {name} is in the dump (state {state}): "
                    "its spec, status and events are not, so why it waits cannot be told here",
                    [], "add the claim's YAML and its pod's describe output to the paste, or "
                    "run this script live",
                    confirm=f"kubectl get resourceclaim {name}" + (f" -n {ns}" if ns else "")
                    + " -o yaml")]


def _deleted_but_held(claim: dict, state: str) -> dict:
    """`deleted,allocated[,reserved]`: the claim's deletion waits on its delete-protection
    finalizer, which the resourceclaim controller removes once no pod holds the claim and it
    is deallocated. Claims stuck so after their pods are gone are a kube-controller-manager
    bug (kubernetes#132334: deleted claims skipped after a restart; fixed by #132533,
    backported to 1.33.6 in #134676; dra-driver-nvidia-gpu#725 on 1.32)."""
    name, ns = name_of(claim), namespace_of(claim)
    where = f" -n {ns}" if ns else ""
    return finding("warning", "claim_deallocating", claim,
                   f"ResourceClaim {name} is being deleted but is still {state[8:]}: its "
                   "delete-protection finalizer stays until no pod reserves it and its devices "
                   "are released",
                   [f"kubectl get resourceclaims: STATE {state}"],
                   "check the pods in status.reservedFor still exist; if they are gone, the "
                   "resourceclaim controller failed to clean up (kube-controller-manager before "
                   "the fix of kubernetes#132533, backported to 1.33.6 by #134676): upgrade it and "
                   "restart it; the driver's kubelet plugin must still unprepare the devices",
                   basis="reported",
                   confirm=f"kubectl get resourceclaim {name}{where} -o jsonpath="
                   "'{.metadata.finalizers} {.status.reservedFor}'")


def _explain_target(inv, t, changes) -> list[dict]:
    if t.claim is not None and dig(t.claim, "status", "allocation"):
        return rules.check_reserved_elsewhere(inv, t)
    out = rules.check_admin_access(inv, t)
    if out and out[0]["severity"] == "error":
        return out
    return out + rules.explain_spec(inv, t, changes)


# Inferred causes that explain the scheduler's bare "cannot allocate all claims".
REFINES = ("no_matching_device", "insufficient_devices", "constraint_unsatisfiable",
           "selector_error", "no_resource_slices", "claim_reserved_elsewhere",
           "admin_access_forbidden", "device_class_missing", "device_taint_not_tolerated")
# Inferred causes about scheduling: moot once the pod has a node or a later stage spoke.
SCHEDULING = REFINES + ("claim_template_missing", "claim_missing", "waiting_for_consumer",
                        "selector_not_evaluated")
LATE_STAGE = ("driver_not_registered", "driver_prepare_failed", "claim_not_reserved_for_pod",
              "cdi_device_unresolvable", "cdi_spec_incomplete")


def merge(loaded, inv, inferred: list, namespace, name) -> list:
    """Reported first; an inference that only explains a generic report takes its place
    (carrying the report as evidence); inferences a report makes moot are dropped."""
    objects = [o for o in _scope(loaded.objects, namespace, name) if not _bystander(o)]
    pods = [o for o in objects if o.get("kind") == "Pod"]
    said = reports.collect(objects, loaded.texts)
    reported = reports.findings(said, pods[0] if len(pods) == 1 else None)
    if not any(f["cause"] == "driver_prepare_failed" for f in reported):
        # a ComputeDomain its driver reports NotReady: its channel claims wait at prepare
        reported += domain_status.findings(objects, loaded.raw, loaded.texts)
    causes = {f["cause"] for f in reported}
    if causes & set(LATE_STAGE) or reports.scheduled(objects, loaded.texts):
        inferred = [f for f in inferred if f["cause"] not in SCHEDULING]
    for index, f in enumerate(reported):
        same = next((i for i in inferred if i["cause"] == f["cause"]), None)
        if same is not None:  # the spec analysis adds names and the exact fix to the report
            reported[index] = {**same, "basis": "reported", "confirm": "", "severity": "error",
                               "evidence": f["evidence"] + same["evidence"]}
    inferred = [f for f in inferred if f["cause"] not in causes]
    for index, f in enumerate(reported):
        if f["cause"] != "claims_unallocatable":
            continue
        refine = next((i for i in inferred if i["cause"] in REFINES
                       and i["severity"] != "info"), None)
        if refine is not None:
            refine["evidence"] = f["evidence"][:1] + refine["evidence"]
            inferred.remove(refine)
            reported[index] = refine
    return reported + inferred


def _bystander(obj: dict) -> bool:
    """A running pod without ResourceClaims pasted beside the report: not the pod a DRA
    message is about (it was placed and runs), so neither the owner of a message that names
    no pod nor proof that "the" pod was scheduled."""
    return obj.get("kind") == "Pod" and not dig(obj, "spec", "resourceClaims") \
        and dig(obj, "status", "phase") == "Running"


def _scope(objects: list, namespace, name) -> list:
    """The objects a report may be about: everything, or the named pod/claim's namespace."""
    if not namespace and not name:
        return objects
    out = []
    for obj in objects:
        ref = obj.get("involvedObject") or obj.get("regarding") or {}
        ns = ref.get("namespace") or namespace_of(obj)
        if namespace and ns and ns != namespace:
            continue
        if name and obj.get("kind") in ("Pod", "Event") and (ref.get("name") or name_of(obj)) \
                not in (name, "") and not str(ref.get("name") or name_of(obj)).startswith(name):
            continue
        out.append(obj)
    return out


def _allocation(inv: Inventory, claim: dict) -> dict:
    results = dig(claim, "status", "allocation", "devices", "results", default=[]) or []
    out = {"claim": claim_label(claim), "node": claim_node(claim),
           "devices": [f"{r.get('driver')}/{r.get('pool')}/{r.get('device')}" for r in results],
           "reservedFor": [r.get("name") for r in
                           dig(claim, "status", "reservedFor", default=[]) or []]}
    admin = [r for r in results if r.get("adminAccess")]
    if admin:  # adminAccess: the device is seen, not consumed (others may hold it too)
        out["adminAccess"] = [f"{r.get('driver')}/{r.get('pool')}/{r.get('device')}"
                              for r in admin]
        out["sharedWith"] = sorted({claim_label(h) for r in admin if (h := inv.holders.get(
            (r.get("driver"), r.get("pool"), r.get("device")))) is not None})
    if dig(claim, "metadata", "annotations", ext.CLAIM_ANNOTATION) == "true":
        out["extendedResources"] = _served(inv, claim)
    return out


def _served(inv: Inventory, claim: dict) -> list[str]:
    """container: resource -> request, from the owning pod's extendedResourceClaimStatus."""
    for pod in inv.pods:
        status = dig(pod, "status", "extendedResourceClaimStatus", default={}) or {}
        if namespace_of(pod) == namespace_of(claim) and \
                status.get("resourceClaimName") == name_of(claim):
            return [f"{m.get('containerName')}: {m.get('resourceName')} -> "
                    f"{m.get('requestName')}" for m in status.get("requestMappings") or []]
    return []


COLLECT = ("kubectl describe pod POD (its Events); kubectl get resourceclaims,"
           "resourceclaimtemplates,deviceclasses,resourceslices -A -o yaml; the DRA driver's "
           "kubelet plugin log on the pod's node; journalctl -u kubelet | grep -i -e dra "
           "-e resourceclaim")


def _nothing_read(loaded, inv: Inventory) -> list[dict]:
    """A paste in which nothing blocked was found because nothing DRA was in it: a report in
    prose, or objects none of which is a claim, a pod with claims or a DRA message. Say the
    cause cannot be told (info), not "nothing blocked"."""
    if loaded.complete("ResourceSlice") and not inv.slices:
        return [_no_slices_listed()]
    if loaded.prose:
        return [prose_finding(loaded, COLLECT)]
    routine = component_lines.read(loaded.texts)
    if routine:  # a DRA component's log that names no fault: what it cannot tell
        return [component_lines.finding_for(routine)]
    if inv.claims or any(dig(p, "spec", "resourceClaims") for p in inv.pods):
        return []
    return [finding("info", "not_evaluated", {"kind": "Paste", "name": ""},
                    "the paste holds no ResourceClaim, no pod with spec.resourceClaims and no "
                    "scheduler, kubelet or driver message about DRA: why the workload waits "
                    "cannot be told from it", [f"read: {_kinds(loaded.objects)}"],
                    f"paste what these print: {COLLECT}")]


def _no_slices_listed() -> dict:
    """`kubectl get resourceslices` answered "No resources found" (cluster-scoped: the whole
    cluster): no driver publishes a device, so no claim can be allocated."""
    return finding("error", "no_resource_slices", {"kind": "ResourceSlice", "name": ""},
                   "kubectl lists no ResourceSlice in the cluster: no DRA driver publishes any "
                   "device, so the scheduler can allocate no claim",
                   ["kubectl get resourceslices: No resources found"],
                   "install the DRA driver for the devices (its kubelet plugin publishes one "
                   "ResourceSlice per node and pool), or check why its kubelet plugin "
                   "publishes none (its pods' logs on the GPU nodes)", basis="reported")


def _kinds(objects: list) -> str:
    kinds = sorted({str(o.get("kind") or "object") for o in objects if isinstance(o, dict)})
    return ", ".join(kinds) or "no object"


def render(findings, allocations, verbose: bool) -> str:
    lines = [render_text(findings)] if findings else []
    if not findings:
        lines.append("no blocked DRA claims found")
    shown = allocations if verbose else allocations[:5]
    for a in shown:
        devs = ", ".join(d.rsplit("/", 1)[1] for d in a["devices"][:8])
        more = f" (+{len(a['devices']) - 8})" if len(a["devices"]) > 8 else ""
        users = ", ".join(a["reservedFor"]) or "nobody yet"
        lines.append(f"allocated {a['claim']}: node {a['node'] or '?'}, "
                     f"{len(a['devices'])} device(s) {devs}{more}; reserved for {users}")
        if a.get("extendedResources"):
            lines.append("  the scheduler's claim for extended resources: "
                         + "; ".join(a["extendedResources"]))
        if a.get("adminAccess"):
            shared = ", ".join(a["sharedWith"]) or "no other claim now"
            lines.append(f"  adminAccess on {len(a['adminAccess'])} device(s): seen, not "
                         f"consumed (also allocated to: {shared})")
    if len(allocations) > len(shown):
        lines.append(f"... {len(allocations) - len(shown)} more allocated claim(s) (--all)")
    return "\n".join(lines)


def body(args):
    if args.all_namespaces and args.namespace:
        raise InputError("usage: -n and -A are mutually exclusive (see --help)")
    namespace = None if args.all_namespaces else args.namespace
    if not args.file and not namespace and not args.all_namespaces:
        namespace = current_namespace()
    loaded = load(args.file, pod_namespace=namespace)
    inv = Inventory(loaded.objects, complete=loaded.complete)
    inferred, allocations, changes = explain(inv, namespace, args.name)
    findings = merge(loaded, inv, inferred, namespace, args.name)
    if loaded.source == "dump" and not [f for f in findings if f["severity"] != "info"]:
        # what the report says in words: weaker than any output, so only when nothing else
        # found a problem (it then replaces "cannot tell")
        said = _prose.findings(loaded.raw)
        if said:
            findings = said + findings
        elif not findings and not allocations:
            findings = _nothing_read(loaded, inv)
    payload = {"findings": findings, "allocations": allocations, "changes": changes,
               "cel_engine": _cel.engine_name()}
    text = render(findings, allocations, args.all)
    return payload, text, exit_code(findings)


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("name", nargs="?", help="a pod or ResourceClaim name")
    parser.add_argument("-n", "--namespace",
                        help="namespace (live default: the kubeconfig context's)")
    parser.add_argument("-A", "--all-namespaces", action="store_true",
                        help="look at every namespace")
    parser.add_argument("-f", "--file", help="kubectl get -o yaml|json dump, - for stdin")
    parser.add_argument("--all", action="store_true", help="list every allocated claim")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
