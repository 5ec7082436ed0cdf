#!/usr/bin/env python3
"""Why topology-aware scheduling (TAS) cannot place a job now: for each pod set that asks for
a topology, how many of its pods every domain of the flavor's Topology (block, rack, host...)
holds with the capacity free now, counted as Kueue v0.19 counts it; the closest domain of the
level asked for and what keeps it short (running pods, other TAS workloads, excluded nodes);
whether the flavor is short overall or only fragmented; and Kueue's own not-fit message."""
from __future__ import annotations

import os
import sys
from fractions import Fraction

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import add_dump_arg, make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import ResourceTypeAbsent, kubectl_get
from k8s_skillkit.objects import dig, name_of, namespace_of

from _kueue import tas
from _kueue.input import read_dump
from _kueue.topology_fit import (Domain, Placement, Request, Verdict, judge, levels_of, place,
                                 podset_request, ranked)

EPILOG = """how to read it (references/topology.md):
  required level L: Kueue needs ONE domain of L that holds every pod now; the message's
  "allows to fit only N out of M" is the best such domain. preferred level L: Kueue tries L,
  then each level above, then spreads over the whole topology. "fragmented" = the flavor has
  room for the pod set, but no single domain of the required level does.

examples:
  explain_topology.py -n team-a train-llama      live: a Job/JobSet/... or its Workload
  explain_topology.py --flavor tas-gpu           live: free capacity per domain, no workload
  kubectl get topologies,resourceflavors,nodes -o yaml > t.yaml
  kubectl get workloads,pods -A -o yaml >> t.yaml   (with a `---` line between the two)
  explain_topology.py -f t.yaml -n team-a train-llama --json
exit: 0 it fits now or nothing asks TAS, 1 a pod set does not fit, 2 bad input."""

# (resource, kind, namespaced)
LIVE = [("topologies.kueue.x-k8s.io", "Topology", False),
        ("resourceflavors.kueue.x-k8s.io", "ResourceFlavor", False),
        ("nodes", "Node", False), ("pods", "Pod", True),
        ("workloads.kueue.x-k8s.io", "Workload", True)]
SHOWN = 4  # domains per level in the text


def read_objects(args) -> list[dict]:
    if args.filename:
        return [o for o in read_dump(args.filename)[0] if isinstance(o, dict)]
    out: list[dict] = []
    for resource, kind, namespaced in LIVE:
        try:
            items = kubectl_get(resource, all_namespaces=namespaced)
        except ResourceTypeAbsent:
            if resource.startswith("topologies"):
                raise InputError("no Kueue Topology API on this cluster: TAS needs Kueue "
                                 "v0.9+ (the TopologyAwareScheduling gate is on by default "
                                 "from v0.14)")
            continue
        for item in items:
            item.setdefault("kind", kind)
        out += list(items)
    return out


def by_kind(objects: list[dict], kind: str) -> list[dict]:
    return [o for o in objects if o.get("kind") == kind]


def find_workload(workloads: list[dict], name: str, namespace: str | None) -> dict:
    matches = [w for w in workloads if (not namespace or namespace_of(w) == namespace) and
               (name_of(w) == name or any(r.get("name") == name for r in
                                          dig(w, "metadata", "ownerReferences", default=[])
                                          or []))]
    if not matches:
        where = f" in namespace {namespace}" if namespace else ""
        raise InputError(f"no Workload named {name!r} or owned by a job {name!r}{where} in the "
                         "input")
    return matches[0]


def workload_flavor(wl: dict, podset: str, flavors: dict[str, dict]) -> str:
    """The TAS flavor of the pod set: the admitted one, else the only TAS flavor."""
    for psa in dig(wl, "status", "admission", "podSetAssignments", default=[]) or []:
        if str(psa.get("name")) == podset:
            for flavor in (psa.get("flavors") or {}).values():
                if dig(flavors.get(str(flavor), {}), "spec", "topologyName"):
                    return str(flavor)
    tas_flavors = sorted(n for n, f in flavors.items() if dig(f, "spec", "topologyName"))
    return tas_flavors[0] if len(tas_flavors) == 1 else ""


def kueue_said(wl: dict) -> tuple[str, str]:
    """(condition type, message) of Kueue's last TAS not-fit message on the Workload."""
    for cond in dig(wl, "status", "conditions", default=[]) or []:
        message = str(cond.get("message") or "")
        if tas.parse(message) or "topology" in message.lower():
            return str(cond.get("type")), message
    return "", ""


def domain_row(domain: Domain, unit: str) -> dict:
    return {"domain": domain.name, "pods": domain.pods,
            f"{unit}s" if unit == "slice" else "fit": domain.slices}


def holders(domain: Domain | None, pods: list[dict]) -> list[str]:
    """Pods running in the domain, largest requests first (what frees it when they end)."""
    if domain is None:
        return []
    names = set(_leaf_nodes(domain))
    return sorted(f"{namespace_of(p)}/{name_of(p)} on {dig(p, 'spec', 'nodeName')}"
                  for p in pods if dig(p, "spec", "nodeName") in names
                  and dig(p, "status", "phase") not in ("Succeeded", "Failed"))


def _leaf_nodes(domain: Domain) -> list[str]:
    if not domain.children:
        return list(domain.nodes)
    return [n for c in domain.children.values() for n in _leaf_nodes(c)]


def wait_domain(request: Request, placement: Placement, empty: Placement,
                need: int) -> Domain | None:
    """The domain of the required level to wait for: one that holds the pod set when empty,
    the one closest to it now (most slices free, then Kueue's order)."""
    if request.level not in placement.levels:
        return None
    index = placement.levels.index(request.level)
    when_empty = {d.values: d.slices for d in empty.at_level(index)}
    return next((d for d in ranked(placement.at_level(index))
                 if when_empty.get(d.values, 0) >= need), None)


def podset_report(request: Request, placement: Placement, empty_placement: Placement,
                  topology: str, flavor: str, said: str,
                  pods: list[dict]) -> tuple[dict, list[str]]:
    verdict, empty = judge(request, placement), judge(request, empty_placement)
    unit = verdict.unit
    levels = placement.levels
    lines = [f"pod set {request.podset}: {request.count} pod(s)"
             + (f" in slices of {request.slice_size} at {request.slice_level}"
                if request.slice_size > 1 else "")
             + f", topology {request.mode or 'not requested'}"
             + (f" {request.level}" if request.level else "")
             + f" - flavor {flavor}, Topology {topology} ({' > '.join(levels)})"]
    if request.level and request.level not in levels:
        lines.append(f"  Topology {topology} has no level {request.level}: Kueue answers "
                     f"'Flavor \"{flavor}\" does not contain the requested level' (use one of "
                     f"{', '.join(levels)}, or add the level)")
    per_level = []
    for index, level in enumerate(levels):
        domains = ranked(placement.at_level(index))
        per_level.append({"level": level, "domains": [domain_row(d, unit) for d in domains]})
        shown = ", ".join(f"{d.name} {d.slices}" for d in domains[:SHOWN])
        more = f" (+{len(domains) - SHOWN} more)" if len(domains) > SHOWN else ""
        lines.append(f"  {level}: {len(domains)} domain(s); {unit}s that fit now, best "
                     f"first: {shown or 'none'}{more}")
    if placement.excluded:
        lines.append(f"  of the flavor's {placement.total_nodes} node(s) the pod set cannot use "
                     + ", ".join(f"{n} ({why})" for why, n in sorted(placement.excluded.items())))
    wait = wait_domain(request, placement, empty_placement, verdict.need) \
        if not verdict.fits and empty.fits and request.mode == "required" else None
    state, text = _verdict_text(request, verdict, empty, wait)
    lines.append(f"  verdict: {text}")
    busy = holders(wait, pods)
    if busy:
        lines.append(f"  running in {wait.name if wait else '?'}: "
                     + ", ".join(busy[:6]) + (f" (+{len(busy) - 6} more)" if len(busy) > 6
                                               else ""))
    if said:
        facts = tas.parse(said)
        reported = facts.get("fit")
        lines.append(f"  Kueue said: {said}")
        if reported is not None and request.mode == "required" and \
                reported != verdict.best_count:
            lines.append(f"  (Kueue counted {reported} then; {verdict.best_count} fit now: "
                         "pods have started or ended since)")
    row = {"podset": request.podset, "count": request.count, "mode": request.mode,
           "level": request.level, "slice_size": request.slice_size, "flavor": flavor,
           "topology": topology, "state": state, "fits_at": verdict.level if verdict.fits
           else None, "closest_domain": verdict.best.name if verdict.best else None,
           "closest_count": verdict.best_count, "need": verdict.need, "total": verdict.total,
           "closest_count_when_empty": empty.best_count,
           "wait_for_domain": wait.name if wait else None, "running_there": busy,
           "unit": unit, "excluded_nodes": placement.excluded, "levels": per_level,
           "kueue_message": said or None}
    return row, lines, verdict.fits


def _verdict_text(request: Request, verdict: Verdict, empty: Verdict,
                  wait: Domain | None) -> tuple[str, str]:
    """empty: the same judgement on the empty topology (nothing running, no TAS usage);
    wait: the domain of the required level that holds the pod set once its pods end."""
    need, unit, total = verdict.need, verdict.unit, verdict.total
    if not verdict.fits and not empty.fits:
        where = (f"no single {request.level} domain" if request.mode == "required"
                 else "the whole topology")
        return "too_big", (
            f"never fits as asked: even with nothing running, {where} holds {need} "
            f"{unit}(s) of this size (at most {empty.best_count}); ask for a higher level, "
            f"make it preferred, or use fewer or smaller pods"
            if request.mode == "required" else
            f"never fits: even with nothing running the flavor's nodes hold {empty.total} of "
            f"{need} {unit}(s) of this size; add nodes, or use fewer or smaller pods")
    if verdict.fits:
        where = (f"domain {verdict.best.name}" if verdict.best and
                 verdict.level == request.level else f"level {verdict.level}")
        return "fits", (f"fits now ({need} {unit}(s) in {where}); if the Workload is still "
                        "pending, Kueue's next attempt should admit it unless quota or a "
                        "higher-priority workload comes first")
    if total < need:
        return "short", (f"short overall: the whole topology holds {total} of {need} "
                         f"{unit}(s) now; wait for running pods to end, add nodes, or ask "
                         "for fewer pods")
    closest = verdict.best.name if verdict.best else "?"
    waiting = (f"{wait.name} holds it once pods there end (it has {wait.slices} free now)"
               if wait else "")
    return "fragmented", (
        f"fragmented: the flavor holds {total} {unit}(s) in all, but the best "
        f"{request.level} domain ({closest}) holds only {verdict.best_count} of {need}; "
        + (waiting + "; " if waiting else "")
        + f"or relax {tas.REQUIRED} to {tas.PREFERRED} to let Kueue spread the pods")


def free_report(placement: Placement, flavor: str, topology: str) -> list[str]:
    lines = [f"flavor {flavor}, Topology {topology}: {placement.total_nodes} node(s)"]
    for index, level in enumerate(placement.levels):
        domains = ranked(placement.at_level(index))
        shown = ", ".join(f"{d.name} {d.pods}" for d in domains[:SHOWN])
        lines.append(f"  {level}: {len(domains)} domain(s); one-cpu pods that fit, best "
                     f"first: {shown or 'none'}")
    return lines


def body(args):
    objects = read_objects(args)
    topologies = {name_of(t): t for t in by_kind(objects, "Topology")}
    flavors = {name_of(f): f for f in by_kind(objects, "ResourceFlavor")}
    nodes, pods = by_kind(objects, "Node"), by_kind(objects, "Pod")
    workloads = by_kind(objects, "Workload")
    if not topologies:
        raise InputError("no Topology in the input (kubectl get topologies.kueue.x-k8s.io "
                         "-o yaml)")
    if not nodes:
        raise InputError("no Node in the input (kubectl get nodes -o yaml): the domains are "
                         "made of nodes")
    if not args.name:
        return _free_only(args, topologies, flavors, nodes, pods, workloads)
    wl = find_workload(workloads, args.name, args.namespace)
    said_type, said = kueue_said(wl)
    rows, text = [], [f"Workload {namespace_of(wl)}/{name_of(wl)}"]
    worst = 0
    for podset in dig(wl, "spec", "podSets", default=[]) or []:
        request = podset_request(wl, podset)
        if not request.mode:
            continue
        flavor = workload_flavor(wl, request.podset, flavors)
        topology = str(dig(flavors.get(flavor, {}), "spec", "topologyName", default=""))
        if topology not in topologies:
            text.append(f"pod set {request.podset}: no TAS flavor"
                        + (f" ({flavor} names Topology {topology}, not in the input)"
                           if flavor else " (several or none in the input: pass --flavor)"))
            continue
        placement = place(request, levels_of(topologies[topology]), flavors[flavor], nodes,
                          pods, [w for w in workloads if w is not wl])
        empty = place(request, levels_of(topologies[topology]), flavors[flavor], nodes, [], [])
        row, lines, fits = podset_report(request, placement, empty, topology, flavor, said,
                                         pods)
        rows.append(row)
        text += lines
        worst = max(worst, 0 if fits else 1)
    if not rows and len(text) == 1:
        text.append("no pod set asks for a topology (no podset-*-topology annotation, and "
                    "no TAS-only ClusterQueue in the input)")
    return ({"workload": f"{namespace_of(wl)}/{name_of(wl)}", "kueue_condition": said_type
             or None, "podsets": rows}, "\n".join(text), worst)


def _free_only(args, topologies, flavors, nodes, pods, workloads):
    wanted = [args.flavor] if args.flavor else sorted(
        n for n, f in flavors.items() if dig(f, "spec", "topologyName"))
    if args.flavor and args.flavor not in flavors:
        raise InputError(f"ResourceFlavor {args.flavor!r} is not in the input")
    text, rows = [], []
    probe = Request("probe", 1, "", "", "", 1, {"cpu": Fraction(1), "pods": Fraction(1)},
                    {"kind": "Pod", "spec": {}})
    for name in wanted:
        topology = str(dig(flavors[name], "spec", "topologyName", default=""))
        if topology not in topologies:
            text.append(f"flavor {name}: Topology {topology or '(none)'} not in the input")
            continue
        placement = place(probe, levels_of(topologies[topology]), flavors[name], nodes, pods,
                          workloads)
        text += free_report(placement, name, topology)
        rows.append({"flavor": name, "topology": topology, "nodes": placement.total_nodes,
                     "levels": [{"level": lvl, "domains": [
                         domain_row(d, "pod") for d in ranked(placement.at_level(i))]}
                         for i, lvl in enumerate(placement.levels)]})
    if not text:
        text.append("no ResourceFlavor with a topologyName in the input")
    return {"flavors": rows}, "\n".join(text), 0


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EPILOG)
    parser.add_argument("-n", "--namespace", help="the Workload's namespace")
    add_dump_arg(parser, "kubectl get topologies,resourceflavors,nodes,pods,workloads -o yaml")
    parser.add_argument("--flavor", help="without NAME: only this TAS ResourceFlavor")
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="a Workload or the job that owns it; without it, the free "
                             "capacity per domain of each TAS flavor")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
