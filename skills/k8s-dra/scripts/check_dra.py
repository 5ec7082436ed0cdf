#!/usr/bin/env python3
"""Check that a cluster supports DRA end to end: API, classes, drivers, devices, Kueue."""
from __future__ import annotations

from collections import Counter, defaultdict
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.scheduling import required_affinity_matches

from k8s_skillkit import cel as _cel
from _dra.alloc import requests_of
from _dra import extended_rules, reports, tables
from _dra import component_lines
from _dra import prose as _prose
from _dra.input import device_class_mappings, kueue_configuration, load, prose_finding
from _dra.model import TABLE_CLASS_NOTE, Inventory
from _dra.workloads import legacy_gpu_requests, pod_sets

EXAMPLES = """examples:
  check_dra.py                               live, through kubectl
  check_dra.py --kueue-config config.yaml    also check Kueue deviceClassMappings
  check_dra.py -f dump.json --nodes          offline; list every node's devices
dump: kubectl get resourceslices,deviceclasses,resourceclaims,resourceclaimtemplates,
      nodes,pods,namespaces,clusterqueues -A -o json > dump.json
causes: dra_api_missing no_dra_drivers no_resource_slices device_class_unsatisfiable legacy_limits_on_dra_cluster
  extended_resource_class_clash kueue_class_unmapped kueue_config_unknown (references/causes.md)
exit: 0 DRA ready, 1 findings, 2 bad input"""

DRA_API = "resource.k8s.io/v1"
DRIVER_ADVICE = ("install a DRA driver: NVIDIA GPUs -> NVIDIA DRA Driver for GPUs (driver "
                 "gpu.nvidia.com, classes gpu.nvidia.com / mig.nvidia.com); to try DRA "
                 "without hardware -> kubernetes-sigs dra-example-driver (gpu.example.com)")


def served_versions(loaded, objects) -> list[str]:
    if loaded.api_versions is not None:
        return sorted(v for v in loaded.api_versions if v.startswith("resource.k8s.io/"))
    return sorted({str(o.get("apiVersion")) for o in objects
                   if str(o.get("apiVersion", "")).startswith("resource.k8s.io/")})


def api_findings(versions, loaded, inv) -> list[dict]:
    if DRA_API in versions or (loaded.api_versions is None and
                               (inv.slices or inv.classes or inv.claims or _listed(loaded))):
        # a `kubectl get resourceslices` that answered (even "No resources found") was
        # served: an unserved kind is "the server doesn't have a resource type"
        return []
    if loaded.api_versions is None and not (loaded.complete("ResourceSlice")
                                            or loaded.complete("DeviceClass")):
        # a paste without DRA objects says nothing about whether the API is served
        return [finding("info", "dra_objects_not_in_dump", {"kind": "APIService",
                                                             "name": DRA_API},
                        "the input holds no resource.k8s.io objects, so whether DRA is "
                        "served is unknown (not evidence that it is missing)", [],
                        "run live, or add the DRA objects to the dump",
                        confirm="kubectl api-versions | grep resource.k8s.io")]
    legacy = sum(1 for n in inv.nodes.values() if _legacy_gpus(n))
    return [finding(
        "error", "dra_api_missing", {"kind": "APIService", "name": DRA_API},
        (f"{DRA_API} is not served (served: {', '.join(versions) or 'no resource.k8s.io'}); "
         if loaded.api_versions is not None else
         "the input has no resource.k8s.io objects (DRA not served, or not in the dump); ")
        + "DRA needs Kubernetes 1.34+ (GA there) or the beta APIs with feature gates",
        [f"{legacy} node(s) expose GPUs through a device plugin (extended resources)",
         "device plugins give whole devices by count only: no attribute selection, no "
         "sharing across pods, no topology constraints, no per-claim config"],
        "upgrade to Kubernetes 1.34+; then " + DRIVER_ADVICE)]


def _listed(loaded) -> bool:
    """The paste holds a full listing (maybe empty) of a resource.k8s.io kind."""
    return loaded.complete("ResourceSlice") or loaded.complete("DeviceClass")


def _api_unknown(loaded, inv) -> str:
    """The API row when no resource.k8s.io version is known. Only live discovery may say
    'not served'; a paste (a `kubectl get` table carries no apiVersion) says what it holds."""
    if loaded.api_versions is not None:
        return "resource.k8s.io not served"
    if inv.slices or inv.classes or inv.claims:
        return "resource.k8s.io (its objects are in the dump; the version is not)"
    if _listed(loaded):
        return "resource.k8s.io (kubectl listed its kinds; the version is not in the dump)"
    return "unknown (no resource.k8s.io objects in the dump)"


def _legacy_gpus(node: dict) -> dict:
    alloc = dig(node, "status", "allocatable", default={}) or {}
    return {k: v for k, v in alloc.items() if k in ("nvidia.com/gpu", "amd.com/gpu")
            and str(v) not in ("0", "")}


def class_findings(inv: Inventory, devices_known: bool = True) -> tuple[list, list]:
    """One row per DeviceClass; `devices_known` is False for a paste without any device
    (a dump is partial: 0 would be a claim about the cluster, not about the paste)."""
    rows, out = [], []
    for name, cls in sorted(inv.classes.items()):
        devs, notes = inv.class_devices(name)
        free = sum(1 for d in devs if inv.free(d))
        if TABLE_CLASS_NOTE in notes:
            rows.append(f"DeviceClass {name}: {TABLE_CLASS_NOTE}")
            continue
        rows.append(f"DeviceClass {name}: " + (f"{len(devs)} device(s), {free} free"
                    if devices_known else "devices not in the dump")
                    + (f" ({notes[0]})" if notes else ""))
        if not devs and inv.devices and not notes:
            exprs = [dig(s, "cel", "expression", default="")
                     for s in dig(cls, "spec", "selectors", default=[]) or []]
            out.append(finding(
                "warning", "device_class_unsatisfiable", cls,
                f"DeviceClass {name} selects none of the {len(inv.devices)} published devices;"
                " every claim using it stays pending",
                exprs[:2] + [f"drivers publishing: {', '.join(sorted(inv.drivers()))}"],
                "install the driver this class is for, or fix its selectors"))
    return rows, out


def driver_rows(inv: Inventory, per_node: bool) -> list[str]:
    per = defaultdict(lambda: [0, 0])
    drivers = defaultdict(set)
    for dev in inv.devices:
        node = dev.node or "(all nodes)"
        per[(dev.driver, node)][0] += 1
        per[(dev.driver, node)][1] += 0 if inv.free(dev) else 1
        drivers[dev.driver].add(node)
    rows = []
    for driver, nodes in sorted(drivers.items()):
        shapes = Counter(tuple(per[(driver, n)]) for n in nodes)
        total = sum(per[(driver, n)][0] for n in nodes)
        used = sum(per[(driver, n)][1] for n in nodes)
        product = _product(inv, driver)
        rows.append(f"driver {driver}: {len(nodes)} node(s), {total} device(s){product}, "
                    f"{used} allocated")
        if per_node:
            rows += [f"  {n}: {per[(driver, n)][0]} devices, {per[(driver, n)][1]} allocated"
                     for n in sorted(nodes)]
        else:
            rows += [f"  {count} node(s) with {d} devices, {u} allocated"
                     for (d, u), count in shapes.most_common(3)]
    return rows


def _product(inv: Inventory, driver: str) -> str:
    for dev in inv.devices:
        if dev.driver == driver:
            attrs = dev.view["attributes"].get(driver) or {}
            name = attrs.get("productName") or attrs.get("model")
            return f" ({name})" if isinstance(name, str) else ""
    return ""


def legacy_findings(inv: Inventory, objects: list[dict]) -> list[dict]:
    """Pods/templates asking nvidia.com/gpu where GPUs exist only as DRA devices."""
    dra_nodes = {d.node for d in inv.devices if d.node}
    legacy_nodes = {n for n, node in inv.nodes.items() if _legacy_gpus(node)}
    if not dra_nodes:
        return []
    bridged = {dig(c, "spec", "extendedResourceName") for c in inv.classes.values()}
    present = {(o.get("kind"), namespace_of(o), name_of(o)) for o in objects}
    out = []
    for obj in objects:
        if obj.get("kind") == "Pod" and (dig(obj, "spec", "nodeName") or any(
                (r.get("kind"), namespace_of(obj), r.get("name")) in present
                for r in dig(obj, "metadata", "ownerReferences", default=[]) or [])):
            continue  # running, or its owner (reported once) is in the input too
        for ps in pod_sets(obj):
            asks = {k: v for k, v in legacy_gpu_requests(ps.spec).items() if k not in bridged}
            if not asks:
                continue
            reachable = _reachable(inv, ps.spec, legacy_nodes)
            if reachable:
                continue
            res = ", ".join(f"{k}: {v}" for k, v in asks.items())
            out.append(finding(
                "error", "legacy_limits_on_dra_cluster", obj,
                f"{ps.label()} asks for {res} in resources, but "
                + ("its nodeSelector only matches nodes whose GPUs are DRA devices"
                   if legacy_nodes else "no node exposes that resource: GPUs here are DRA "
                   "devices") + f" ({len(dra_nodes)} node(s) publish ResourceSlices)",
                [f"nodes with {', '.join(asks)}: {len(legacy_nodes)}",
                 f"DRA nodes: {', '.join(sorted(dra_nodes)[:3])}"
                 + (" ..." if len(dra_nodes) > 3 else "")],
                "drop the nvidia.com/gpu limit/request and add a ResourceClaimTemplate "
                "(make_claim.py --count N --wire ...) referenced from spec.resourceClaims and "
                "containers[].resources.claims"))
    return out


def _reachable(inv, spec, legacy_nodes) -> bool:
    """Can a pod with this spec land on a node exposing the legacy resource (nodeSelector
    and required node affinity, the kit's scheduling model)?"""
    pod = {"kind": "Pod", "spec": spec}
    return any(required_affinity_matches(pod, inv.nodes[name]) for name in legacy_nodes
               if name in inv.nodes)


def kueue_findings(inv, objects, config, config_path) -> tuple[list, list]:
    kueue_used = any(o.get("kind") in ("ClusterQueue", "LocalQueue") for o in objects)
    if config is None:
        if not kueue_used:
            return [], []
        return [], [finding("info", "kueue_config_unknown", {"kind": "Configuration",
                                                             "name": "kueue"},
                            "Kueue queues exist but its Configuration was not found, so "
                            "deviceClassMappings were not checked",
                            [], "pass --kueue-config FILE (the controller_manager_config.yaml)",
                            confirm="kubectl get configmap kueue-manager-config -n "
                                    "kueue-system -o yaml")]
    mappings = device_class_mappings(config)
    rows = ["Kueue deviceClassMappings: " + (", ".join(
        f"{c} -> {r}" for c, r in sorted(mappings.items())) or "none")]
    used = defaultdict(set)
    for obj in list(inv.claims.values()) + list(inv.templates.values()):
        spec = obj.get("spec") or {}
        spec = spec.get("spec", spec) if obj.get("kind") == "ResourceClaimTemplate" else spec
        for _, alts in requests_of(spec):
            for rv in alts:
                if rv.class_name:
                    used[rv.class_name].add(f"{namespace_of(obj)}/{name_of(obj)}")
    out = []
    for cls, users in sorted(used.items()):
        if cls in mappings or (not kueue_used):
            continue
        out.append(finding(
            "warning", "kueue_class_unmapped", {"kind": "DeviceClass", "name": cls},
            f"claims use DeviceClass {cls} but Kueue's resources.deviceClassMappings has no "
            "entry for it: Kueue-managed workloads using it stay inadmissible",
            [f"used by {', '.join(sorted(users)[:3])}",
             f"Kueue message: DeviceClass {cls} is not mapped in DRA configuration for podset"
             " <podset>"],
            f"add to the Kueue Configuration: resources.deviceClassMappings: [{{name: "
            f"<quota resource, e.g. example.com/{cls.split('.')[0]}>, deviceClassNames: [{cls}]}}]"
            ", restart Kueue, and add that resource to the ClusterQueue"))
    return rows, out


COLLECT = ("kubectl api-versions | grep resource.k8s.io; kubectl get deviceclasses,"
           "resourceslices -o yaml; kubectl get pods -A | grep -i dra (the driver's pods); the "
           "driver's kubelet plugin log")


def body(args):
    loaded = load(args.file, kueue=True)
    if loaded.prose:  # a report in prose only: the API, drivers and classes are unknown
        findings = _prose.findings(loaded.raw) or [prose_finding(loaded, COLLECT)]
        return ({"api_versions": [], "drivers": [], "device_classes": [], "devices": 0,
                 "allocated": 0, "summary": [], "findings": findings,
                 "cel_engine": _cel.engine_name()},
                "nothing to check in the paste\n" + render_text(findings), exit_code(findings))
    objects = loaded.objects
    inv = Inventory(objects)
    versions = served_versions(loaded, objects)
    findings = api_findings(versions, loaded, inv)
    rows = [f"API: {', '.join(versions) or _api_unknown(loaded, inv)}"
            + (f" (not readable: {', '.join(loaded.missing)})" if loaded.missing else "")]
    if not findings and not inv.devices and loaded.complete("ResourceSlice"):
        findings.append(finding(
            "warning", "no_dra_drivers", {"kind": "ResourceSlice", "name": ""},
            "the DRA API is served but no driver publishes devices (0 ResourceSlices)",
            [f"{sum(1 for n in inv.nodes.values() if _legacy_gpus(n))} node(s) expose GPUs "
             "as extended resources (device plugin)"], DRIVER_ADVICE))
    rows += driver_rows(inv, args.nodes)
    listings = tables.slice_listings(loaded.raw)
    rows += tables.summary(listings) if not inv.devices else []
    findings += tables.vanished(listings) + tables.classes_not_listed(inv)
    class_rows, class_found = class_findings(
        inv, bool(inv.devices) or loaded.source == "live" or loaded.complete("ResourceSlice"))
    rows += class_rows
    ext_rows, ext_found = extended_rules.inventory(inv)
    rows += ext_rows
    findings += class_found + ext_found + legacy_findings(inv, objects)
    config = kueue_configuration(objects, args.kueue_config)
    k_rows, k_found = kueue_findings(inv, objects, config, args.kueue_config)
    rows += k_rows
    findings += k_found
    findings = reported_first(objects, loaded.texts, findings)
    if loaded.source == "dump" and not [f for f in findings if f["severity"] != "info"]:
        findings = _prose.findings(loaded.raw) + findings  # what the report says in words
        routine = component_lines.read(loaded.texts) if not objects else []
        if routine and not [f for f in findings if f["cause"] != "dra_objects_not_in_dump"]:
            # a DRA component's log naming no fault: what it cannot tell comes first
            findings = [component_lines.finding_for(routine)] + findings
    payload = {"api_versions": versions, "drivers": sorted(inv.drivers()),
               "device_classes": sorted(inv.classes), "devices": len(inv.devices),
               "allocated": len(inv.holders), "summary": rows, "findings": findings,
               "cel_engine": _cel.engine_name()}
    verdict = (f"{len(findings)} finding(s)" if [f for f in findings if f["severity"] != "info"]
               else "DRA ready" if inv.devices or loaded.source == "live"
               else "no problem found in the dump (ResourceSlice table rows carry no "
                    "devices: the devices are unknown, not missing)" if listings
               else "no problem found in the dump (it holds no ResourceSlice devices: the "
                    "drivers and devices are unknown, not missing)")
    text = "\n".join(rows + [verdict] + ([render_text(findings)] if findings else []))
    return payload, text, exit_code(findings)


def reported_first(objects, texts, inferred: list[dict]) -> list[dict]:
    """What components said about DRA (kubelet, drivers, scheduler events in the dump) comes
    before the inventory's inferences (references/messages.md)."""
    said = reports.findings(reports.collect(objects, texts), None)
    causes = {f["cause"] for f in said}
    return said + [f for f in inferred if f["cause"] not in causes]


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("-f", "--file", help="kubectl get -o yaml|json dump, - for stdin")
    parser.add_argument("--kueue-config", metavar="FILE",
                        help="Kueue Configuration YAML (or its ConfigMap) to check mappings")
    parser.add_argument("--nodes", action="store_true", help="list devices per node")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
