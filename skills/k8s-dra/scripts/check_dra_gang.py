#!/usr/bin/env python3
"""Before submitting: can every pod of a distributed job get its DRA devices at once?"""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, render_text
from k8s_skillkit.loading import load_objects
from k8s_skillkit.objects import name_of, namespace_of

from _dra import gang as _gang
from _dra.input import device_class_mappings, kueue_configuration, load
from _dra.kueue_counters import capacity_sources, counter_sources, source_drivers
from _dra.model import Inventory
from _dra.workloads import pod_sets, queue_name

EXAMPLES = """examples:
  check_dra_gang.py -f job.yaml                          live cluster via kubectl
  check_dra_gang.py -f job.yaml --cluster dump.json      offline
  check_dra_gang.py -f jobset.yaml --kueue-config kueue-config.yaml
input: a Job, JobSet, LeaderWorkerSet, Deployment, StatefulSet or Pod manifest, plus its
  ResourceClaimTemplates (in the same file or already in the cluster).
causes: gang_partially_satisfiable gang_shared_claim claim_template_missing
  kueue_unsupported_claim kueue_class_unmapped kueue_quota_exceeds_devices
  kueue_counter_unmatched kueue_will_not_admit (info) kueue_quota_by_counters (info)
  (references/causes.md); a class mapped with sources[].counter is charged in the
  counter's units, one with sources[].capacity in the capacity it requests, as Kueue
  v0.19 does
exit: 0 the whole gang fits, 1 findings, 2 bad input"""

WORKLOAD_KINDS = ("Job", "JobSet", "LeaderWorkerSet", "Deployment", "StatefulSet", "Pod")


def body(args):
    manifest = load_objects(args.file)
    workloads = [o for o in manifest if o.get("kind") in WORKLOAD_KINDS]
    if not workloads:
        raise InputError(f"{args.file}: no workload ({', '.join(WORKLOAD_KINDS)}) found")
    cluster = load(args.cluster, kueue=True, pods=False)
    inv = Inventory(cluster.objects, complete=cluster.complete)
    templates = {(namespace_of(t), name_of(t)): t for t in manifest
                 if t.get("kind") == "ResourceClaimTemplate"}
    config = kueue_configuration(cluster.objects, args.kueue_config)
    mappings = device_class_mappings(config) if config is not None else None
    cqs = {name_of(o): o for o in cluster.objects if o.get("kind") == "ClusterQueue"}
    lqs = {(namespace_of(o), name_of(o)): o for o in cluster.objects
           if o.get("kind") == "LocalQueue"}
    findings, lines, reports = [], [], []
    for wl in workloads:
        if not namespace_of(wl) and args.namespace:
            wl.setdefault("metadata", {})["namespace"] = args.namespace
        needs = [_gang.pod_need(inv, ps, templates) for ps in pod_sets(wl)]
        placed, where = _gang.place(inv, needs)
        total = sum(n.ps.count for n in needs if n.specs)
        got = sum(placed.values())
        found = _gang.gang_findings(inv, wl, needs, placed, where)
        found += _gang.kueue_check(inv, wl, needs, mappings, queue_name(wl), cqs, lqs,
                                   can_place=got >= total,
                                   sources=counter_sources(config),
                                   drivers=source_drivers(config),
                                   capacity=capacity_sources(config))
        label = f"{wl.get('kind')}/{name_of(wl)}"
        if total:
            lines.append(f"{label}: {got} of {total} pod(s) can get their devices at once ("
                         + "; ".join(f"{n.ps.name}: {n.ps.count} x {_gang.describe_need(n)}"
                                     for n in needs if n.specs) + ")")
        else:
            lines.append(f"{label}: no pod uses a ResourceClaimTemplate")
        reports.append({"workload": label, "pods": total, "placeable": got,
                        "per_node": where})
        findings += found
    text = "\n".join(lines + ([render_text(findings)] if findings else []))
    findings = _gang.with_confirm(findings)
    return {"gangs": reports, "findings": findings}, text, exit_code(findings)


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("-f", "--file", required=True,
                        help="workload manifest (+ its ResourceClaimTemplates), - for stdin")
    parser.add_argument("--cluster", metavar="DUMP",
                        help="cluster dump instead of live kubectl (slices, classes, claims, "
                             "nodes, queues)")
    parser.add_argument("-n", "--namespace", help="namespace for objects without one")
    parser.add_argument("--kueue-config", metavar="FILE", help="Kueue Configuration YAML")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
