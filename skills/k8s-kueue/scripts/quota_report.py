#!/usr/bin/env python3
"""Quota per ClusterQueue and cohort: limits, usage, pending demand, who is starved, and
suggested rebalancing as kubectl patches (printed, never applied)."""
from __future__ import annotations

import json
import os
import sys
from fractions import Fraction

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run, shape_errors_as_input
from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import format_quantity

from _kueue.input import read_dump, read_live
from _kueue.objects import (Cluster, cohort_of, is_true, resource_groups,
                           workload_queue, workload_requests)
from _kueue.quota import QuotaBook

EPILOG = """examples:
  quota_report.py                        # live, every ClusterQueue
  quota_report.py -f dump.yaml --json
  quota_report.py --cluster-queue team-a-cq --all

A queue is starved when pending demand exceeds what it has available now. Suggestions move
unused nominal quota from an idle queue of the same cohort (or raise nominal when there is
no cohort); they are kubectl patch commands with --dry-run=server: review, then drop the flag.
exit: 0 nobody starved, 1 some queue starved, 2 bad usage/input."""


def pending_demand(cluster: Cluster) -> dict[str, dict[str, Fraction]]:
    """{cq: {resource: total requests of Workloads not holding quota}}."""
    lq_to_cq = {key: dig(lq, "spec", "clusterQueue", default="")
                for key, lq in cluster.local_queues.items()}
    demand: dict[str, dict[str, Fraction]] = {}
    for wl in cluster.workloads:
        if is_true(wl, "QuotaReserved") or is_true(wl, "Finished"):
            continue
        cq = lq_to_cq.get((dig(wl, "metadata", "namespace", default=""), workload_queue(wl)))
        if not cq:
            continue
        bucket = demand.setdefault(cq, {})
        for res, qty in workload_requests(wl).items():
            bucket[res] = bucket.get(res, Fraction(0)) + qty
    return demand


def rows_for(cq_name: str, cluster: Cluster, book: QuotaBook, demand: dict) -> list[dict]:
    rows = []
    cq = cluster.cluster_queues[cq_name]
    for gi, group in enumerate(resource_groups(cq)):
        for fi, flavor in enumerate(group["flavors"]):
            for ri, res in enumerate(group["resources"]):
                view = book.view(cq_name, flavor, res)
                if view is None:
                    continue
                want = demand.get(cq_name, {}).get(res, Fraction(0)) if fi == 0 else Fraction(0)
                view.update(pending=want, short=max(Fraction(0), want - view["available"]),
                            path=f"/spec/resourceGroups/{gi}/flavors/{fi}/resources/{ri}")
                rows.append(view)
    return rows


def suggest(rows_by_cq: dict[str, list[dict]]) -> list[str]:
    """Move idle nominal quota inside a cohort to the starved queue; else raise nominal."""
    out = []
    for cq, rows in rows_by_cq.items():
        for row in (r for r in rows if r["short"] > 0):
            donor = _donor(row, rows_by_cq)
            if donor is None:
                out.append(_patch(cq, row, row["nominal"] + row["short"]))
                continue
            give = min(row["short"], donor["nominal"] - donor["used"])
            out.append(_patch(donor["cluster_queue"], donor, donor["nominal"] - give))
            out.append(_patch(cq, row, row["nominal"] + give))
    return out


def _donor(row, rows_by_cq):
    if not row["cohort"]:
        return None
    best = None
    for other, rows in rows_by_cq.items():
        for cand in rows:
            idle = cand["nominal"] - cand["used"] - cand["pending"]
            if (other != row["cluster_queue"] and cand["cohort"] == row["cohort"]
                    and cand["flavor"] == row["flavor"] and cand["resource"] == row["resource"]
                    and idle > 0 and (best is None or idle > best[0])):
                best = (idle, cand)
    return best[1] if best else None


def _patch(cq: str, row: dict, nominal: Fraction) -> str:
    ops = [{"op": "replace", "path": f"{row['path']}/nominalQuota",
            "value": format_quantity(nominal, row["resource"])}]
    return f"kubectl patch clusterqueue {cq} --type json --dry-run=server -p '{json.dumps(ops)}'"


def render(rows_by_cq, cluster, show_all: bool) -> list[str]:
    lines = []
    for cq, rows in sorted(rows_by_cq.items(), key=lambda kv: -sum(r["short"] for r in kv[1])):
        shown = rows if show_all else [r for r in rows if r["used"] or r["pending"]]
        if not shown and not show_all:
            continue
        cohort = cohort_of(cluster.cluster_queues[cq]) or "none"
        lines.append(f"ClusterQueue {cq} (cohort {cohort})")
        for r in shown:
            lines.append("  " + _row_text(r))
    return lines


def _row_text(r: dict) -> str:
    q = lambda v: "-" if v is None else format_quantity(v, r["resource"])  # noqa: E731
    pct = f" ({int(r['used'] * 100 / r['nominal'])}%)" if r["nominal"] else ""
    text = (f"{r['flavor']} {r['resource']}: nominal {q(r['nominal'])}, used {q(r['used'])}{pct}"
            f", borrowingLimit {q(r['borrowing_limit'])}, lendingLimit {q(r['lending_limit'])}"
            f", available {q(r['available'])}, pending {q(r['pending'])}")
    return text + (f" -> STARVED, short {q(r['short'])}" if r["short"] > 0 else "")


def body(args):
    objects, kinds, texts, lines = read_dump(args.filename) if args.filename else read_live(None)
    cluster = Cluster(objects, kinds, texts, lines)
    book, demand = QuotaBook(cluster), pending_demand(cluster)
    names = [args.cluster_queue] if args.cluster_queue else sorted(cluster.cluster_queues)
    rows_by_cq = {n: rows_for(n, cluster, book, demand) for n in names
                  if n in cluster.cluster_queues}
    starved = sorted({cq for cq, rows in rows_by_cq.items() if any(r["short"] > 0 for r in rows)})
    patches = suggest(rows_by_cq)
    summary = (f"{len(rows_by_cq)} ClusterQueue(s); starved: {', '.join(starved) or 'none'}")
    lines = [summary, ""] + render(rows_by_cq, cluster, args.all)
    if patches:
        lines += ["", "suggested rebalancing (not applied):"] + [f"  {p}" for p in patches]
    payload = {"summary": summary, "starved": starved, "patches": patches,
               "queues": {cq: [_jsonable(r) for r in rows] for cq, rows in rows_by_cq.items()}}
    return payload, "\n".join(lines), 1 if starved else 0


def _jsonable(row: dict) -> dict:
    return {k: (format_quantity(v, row["resource"]) if isinstance(v, Fraction) else v)
            for k, v in row.items()}


def build_parser():
    parser = make_parser("Report Kueue quota per ClusterQueue and cohort: nominal, borrowing "
                         "and lending limits, usage, pending demand; name starved queues and "
                         "suggest rebalancing patches.", EPILOG)
    parser.add_argument("-f", "--filename", metavar="DUMP", help="a kubectl get -o yaml dump")
    parser.add_argument("--cluster-queue", help="only this ClusterQueue")
    parser.add_argument("--all", action="store_true", help="also rows with no usage or demand")
    return parser


def main(argv=None) -> int:
    return run(build_parser(), argv, shape_errors_as_input(body))


if __name__ == "__main__":
    sys.exit(main())
