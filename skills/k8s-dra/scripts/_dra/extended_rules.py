"""explain_claim's view of a pod that asks DRA devices through an extended resource.

The scheduler turns `resources.limits: {<name>: N}` into a claim of its own when a
DeviceClass maps the name (_dra/extended.py has the rules and their source). Before the pod
is bound that claim exists only in the scheduler's memory, so it is rebuilt here the same
way and explained like any claim; once bound, the real claim is used. A name no node
advertises and no class maps is named too (the scheduler says "Insufficient <name>").
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, namespace_of
from k8s_skillkit.scheduling import required_affinity_matches

from _dra import extended as ext
from _dra.claim_rules import Target
from _dra.model import Inventory

BASE = "spec"


def wants_dra(inv: Inventory, pod: dict) -> bool:
    return bool(ext.served_by_dra(inv, pod))


def pod_targets(inv: Inventory, pod: dict, findings: list) -> list[Target]:
    """The pod's extended-resource claim (real or rebuilt) as a Target; unmapped names
    become findings."""
    ns = namespace_of(pod)
    pending = not dig(pod, "spec", "nodeName")
    if pending and inv.classes and inv.nodes and inv.complete("DeviceClass") and \
            inv.complete("Node"):
        findings += [_unmapped(inv, pod, *item) for item in ext.unmapped(inv, pod)]
    served = ext.served_by_dra(inv, pod)
    if not served:
        return []
    claim = ext.claim_of(inv, pod)
    if claim is not None:
        return [Target(claim, claim.get("spec") or {}, ns, pod, BASE, claim)]
    if not pending:
        return []
    return [Target(pod, ext.synthetic_spec(pod, served), ns, pod, BASE)]


def synthetic(t: Target) -> bool:
    return t.obj is t.pod and t.claim is None


def evidence(inv: Inventory, pod: dict) -> list[str]:
    """How the scheduler maps the pod's extended resources (for the findings' evidence)."""
    served = ext.served_by_dra(inv, pod)
    _, maps = ext.requests_and_mappings(pod, served)
    plugin = ext.plugin_nodes(inv, served)
    out = []
    for resource, cls in sorted(served.items()):
        how = ("implicit name of DeviceClass" if resource.startswith(ext.PREFIX)
               else "extendedResourceName of DeviceClass")
        reqs = sorted({m["requestName"] for m in maps if m["resourceName"] == resource})
        out.append(f"{resource}: {how} {cls}; the scheduler asks it as claim request(s) "
                   f"{', '.join(reqs)} on nodes without a device plugin for it")
        reach = [n for n in plugin[resource]
                 if required_affinity_matches(pod, inv.nodes[n])]
        if reach:
            out.append(f"{len(reach)} node(s) serve {resource} with a device plugin instead "
                       f"(status.allocatable): {', '.join(reach[:3])}")
    return out


def in_pod_terms(inv: Inventory, pod: dict, found: dict) -> dict:
    """A finding about the rebuilt claim, told in the pod's terms: the request names the
    scheduler generates become "<container>'s <resource>", and a proposed count becomes the
    container's limit."""
    _, maps = ext.requests_and_mappings(pod, ext.served_by_dra(inv, pod))
    names = {m["requestName"]: f"{m['containerName']}'s {m['resourceName']}" for m in maps}
    for key in ("message", "fix"):
        text = found[key]
        for req, said in names.items():
            text = re.sub(rf"request {re.escape(req)}\b", f"request {req} ({said})", text)
        found[key] = text
    count = re.match(r"set count: (\d+)", found["fix"])
    if count and len(names) == 1:
        said = next(iter(names.values()))
        found["fix"] = f"set {said} to {count.group(1)}" + found["fix"][count.end():]
    found["evidence"] = evidence(inv, pod) + found["evidence"]
    return found


def _unmapped(inv: Inventory, pod: dict, resource: str, qty: int, near: str) -> dict:
    table, _ = ext.mapping(inv.classes)
    named = sorted(f"{r} -> {c}" for r, c in table.items() if not r.startswith(ext.PREFIX))
    hint = f"; did you mean {near} (DeviceClass {table[near]})?" if near else ""
    fix = (f"ask {near} instead of {resource}" if near else
           f"set spec.extendedResourceName: {resource} on the DeviceClass that selects "
           f"these devices (cluster admin), or ask {ext.PREFIX}<class name>")
    return finding(
        "error", "extended_resource_unmapped", pod,
        f"the pod asks {resource}: {qty}, but no node advertises it and no DeviceClass maps "
        f"it, so no node fits{hint}",
        [f"scheduler: Insufficient {resource} (NodeResourcesFit)",
         "DeviceClass extendedResourceName mappings: " + (", ".join(named) or "none"),
         f"every DeviceClass is also reachable as {ext.PREFIX}<class name>"],
        fix, confirm="kubectl get deviceclasses -o custom-columns=NAME:.metadata.name,"
                     "EXTENDED:.spec.extendedResourceName")


def inventory(inv: Inventory) -> tuple[list[str], list[dict]]:
    """check_dra: every explicit mapping with its devices, the pods using it, and clashes."""
    table, clashes = ext.mapping(inv.classes)
    rows, out = [], []
    users: dict[str, set] = {}
    for pod in inv.pods:
        for resource in ext.served_by_dra(inv, pod):
            users.setdefault(resource, set()).add(f"{namespace_of(pod)}/{pod['metadata']['name']}")
    for resource, cls in sorted(table.items()):
        if resource.startswith(ext.PREFIX) and resource not in users:
            continue
        devs, _ = inv.class_devices(cls)
        free = sum(1 for d in devs if inv.free(d))
        plugin = ext.plugin_nodes(inv, [resource])[resource]
        rows.append(f"extended resource {resource} -> DeviceClass {cls}: {len(devs)} device(s), "
                    f"{free} free" + (f"; device plugin on {len(plugin)} node(s) (used there "
                                      "instead)" if plugin else "")
                    + (f"; used by {len(users[resource])} pod(s)" if resource in users else ""))
    for resource, classes in clashes:
        out.append(finding(
            "warning", "extended_resource_class_clash", inv.classes[classes[0]],
            f"DeviceClasses {', '.join(classes)} all set extendedResourceName {resource}; the "
            f"scheduler uses only {classes[0]} (the newest; the lower name on a tie)",
            [f"DeviceClass {c}: created {dig(inv.classes[c], 'metadata', 'creationTimestamp')}"
             for c in classes],
            f"keep extendedResourceName {resource} on one class (a migration may keep both "
            f"briefly: pods get {classes[0]}'s devices); pods wanting another class ask "
            f"{ext.PREFIX}<class name>",
            confirm="kubectl get deviceclasses -o custom-columns=NAME:.metadata.name,"
                    "EXTENDED:.spec.extendedResourceName,CREATED:.metadata.creationTimestamp"))
    return rows, out
