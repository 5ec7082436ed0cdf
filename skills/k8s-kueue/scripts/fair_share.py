#!/usr/bin/env python3
"""Fair sharing as Kueue computes it: the cohort tree (hierarchical Cohorts with their own
quota, lendingLimit and borrowingLimit at every level), each ClusterQueue's and Cohort's
dominant resource share (what it borrows over what its parent could lend, divided by its
fair-sharing weight), and the order Kueue uses: the lowest share is admitted first, the
highest is preempted first. Kueue's own status.fairSharing.weightedShare is shown beside the
computed value when the input has it."""
from __future__ import annotations

import os
import sys
from fractions import Fraction

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import add_dump_arg, make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.quantity import format_quantity, parse_quantity

from _kueue.fair_sharing import (MAX, FR, Node, add_usage, amount, available, build_tree,
                                 dominant_resource_share, potential_available)
from _kueue.input import read_dump, read_live
from _kueue.objects import Cluster

EPILOG = """how to read it (references/fair-sharing.md):
  share = max over resources of (borrowed above the node's quota) * 1000 / (what its parent
  could lend), / weight. 0 = within its own quota. Kueue admits the lowest share first and,
  with fair-sharing preemption, takes back from the highest. Shares are compared among
  siblings at each level of the tree, so a Cohort's share matters as much as its queues'.

examples:
  fair_share.py                                   live: every cohort tree
  fair_share.py -f dump.yaml --json               kubectl get cq,cohorts,wl -A -o yaml
  fair_share.py -f dump.yaml --cluster-queue team-a --request gpu-pool:nvidia.com/gpu=8
                      every share as if that workload were admitted to team-a (the scheduler
                      compares queues this way, each with its next workload added)
exit: 0 shown, 2 bad input (fair_share.py only reports; nothing is a finding)."""


def parse_request(items: list[str]) -> dict[FR, int]:
    out: dict[FR, int] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        flavor, colon, resource = key.partition(":")
        if not (sep and colon and flavor and resource):
            raise InputError(f"--request {item!r}: use FLAVOR:RESOURCE=QUANTITY, e.g. "
                             "default:nvidia.com/gpu=8")
        try:
            qty = parse_quantity(value)
        except ValueError as err:
            raise InputError(f"--request {item!r}: {err}") from err
        out[(flavor, resource)] = amount(resource, qty)
    return out


def fmt(res: str, value: int) -> str:
    if value == MAX:
        return "unlimited"
    return format_quantity(Fraction(value, 1000) if res == "cpu" else Fraction(value), res)


def share_text(value: int) -> str:
    return "inf" if value == MAX else str(value)


def node_row(node: Node) -> dict:
    share = dominant_resource_share(node)
    row = {
        "kind": node.kind, "name": node.name,
        "parent": node.parent.name if node.parent else None,
        "weight": node.weight, "weighted_share": share.weighted_share,
        "precise_share": share.precise, "dominant_resource": share.resource or None,
        "borrowing": share.borrowing,
        "borrowed": {r: fmt(r, v) for r, v in sorted(share.borrowed.items())},
        "lendable": {r: fmt(r, share.lendable[r]) for r in sorted(share.borrowed)
                     if r in share.lendable},
        "reported_weighted_share": node.reported, "implicit": node.implicit,
    }
    row["cells"] = [{"flavor": fr[0], "resource": fr[1],
                     "subtree_quota": fmt(fr[1], node.subtree.get(fr, 0)),
                     "usage": fmt(fr[1], node.usage.get(fr, 0)),
                     "available": fmt(fr[1], max(0, available(node, fr))),
                     "max_capacity": fmt(fr[1], potential_available(node, fr))}
                    for fr in sorted(node.subtree)]
    return row


def render(rows: list[dict], roots: list[str]) -> str:
    by_parent: dict[str | None, list[dict]] = {}
    for row in rows:
        by_parent.setdefault(row["parent"], []).append(row)
    lines: list[str] = []

    def walk(row: dict, depth: int) -> None:
        pad = "  " * depth
        label = f"{'cohort' if row['kind'] == 'Cohort' else 'cq'} {row['name']}"
        share = share_text(row["weighted_share"])
        text = f"{pad}{label} (weight {row['weight']:g}): share {share}"
        if row["borrowing"]:
            text += (f", borrowing {', '.join(f'{r} {v}' for r, v in row['borrowed'].items())}"
                     f" of lendable {', '.join(f'{r} {v}' for r, v in row['lendable'].items())}"
                     + (f" (dominant {row['dominant_resource']})"
                        if row["dominant_resource"] else ""))
        reported = row["reported_weighted_share"]
        if reported is not None:
            text += (f"; Kueue reports {share_text(reported)}" if reported !=
                     row["weighted_share"] else "; Kueue reports the same")
        lines.append(text)
        kids = sorted(by_parent.get(row["name"], []) if row["kind"] == "Cohort" else [],
                      key=lambda r: (r["weighted_share"], r["kind"], r["name"]))
        if len(kids) > 1:
            lines.append(f"{pad}  among these {len(kids)}: lowest share {kids[0]['name']} "
                         f"(its workloads go first), highest {kids[-1]['name']} (first to "
                         "lose workloads to fair-sharing preemption)")
        for kid in kids:
            walk(kid, depth + 1)

    for row in sorted((r for r in rows if r["parent"] is None), key=lambda r: r["name"]):
        if row["name"] in roots:
            walk(row, 0)
    return "\n".join(lines)


def body(args):
    objects, kinds, texts, lines = read_dump(args.filename) if args.filename else read_live(None)
    cluster = Cluster(objects, kinds, texts, lines)
    if not cluster.cluster_queues and not cluster.cohorts:
        raise InputError("no ClusterQueue or Cohort in the input (kubectl get "
                         "clusterqueues,cohorts -o yaml)")
    nodes = build_tree(cluster)
    request = parse_request(args.request)
    if request and not args.cluster_queue:
        raise InputError("--request needs --cluster-queue (the queue the workload is for)")
    target = ("ClusterQueue", args.cluster_queue) if args.cluster_queue else None
    if target and target not in nodes:
        raise InputError(f"ClusterQueue {args.cluster_queue!r} is not in the input")
    if target:
        for fr, value in request.items():
            add_usage(nodes[target], fr, value)
    rows = [node_row(n) for n in nodes.values()]
    roots = sorted({_root(n).name for n in nodes.values()
                    if target is None or _root(n) is _root(nodes[target])})
    rows = [r for r in rows if _root(nodes[(r["kind"], r["name"])]).name in roots]
    text = render(rows, roots) or "no cohort tree"
    if all(r["parent"] is None for r in rows if r["kind"] == "ClusterQueue"):
        text += ("\nno ClusterQueue is in a cohort: fair sharing only orders queues that "
                 "share a cohort (every share is 0)")
    return {"nodes": rows}, text, 0


def _root(node: Node) -> Node:
    seen = set()
    while node.parent is not None and id(node) not in seen:
        seen.add(id(node))
        node = node.parent
    return node


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EPILOG)
    add_dump_arg(parser, "kubectl get clusterqueues,cohorts,workloads -A -o yaml")
    parser.add_argument("--cluster-queue", metavar="CQ", help="only CQ's cohort tree")
    parser.add_argument("--request", action="append", metavar="FLAVOR:RESOURCE=QTY",
                        help="with --cluster-queue: the shares as if a workload with these "
                             "requests were admitted to CQ (repeatable)")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
