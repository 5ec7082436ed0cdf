#!/usr/bin/env python3
"""Compact views of pods, nodes, events and logs, each within a character budget."""
from __future__ import annotations

import gc
import os
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import kubectl_get
from k8s_skillkit.quantity import format_quantity, parse_quantity

from _tshoot.input import previous_logs, read_dump, strip_values
from _tshoot.model import Cluster, meta
from _tshoot.redact import redact

EPILOG = """views:
  nodes    capacity/allocatable/free CPU, memory, GPUs (nvidia.com/gpu) and DRA devices per
           node, taints, pod count, NotReady first
  pods     one line per pod: status, ready, restarts, node; broken pods first
  events   Warning events deduplicated by reason+message: count, objects, last seen
  logs     last lines of one pod's container (secrets redacted); --previous for the crashed one

examples:
  inspect_cluster.py nodes                       # live
  inspect_cluster.py pods -n team-a --budget 2000
  inspect_cluster.py events -n team-a
  inspect_cluster.py logs -n team-a web-7f9c-abcde -c app --previous --tail 50
  inspect_cluster.py pods -f dump.json -n team-a # offline
Every view ends with what it left out and how to see more (--budget, -n, --tail).
exit: 0 shown, 2 bad usage/input."""

VIEW_KINDS = {"nodes": "nodes,pods,resourceslices.resource.k8s.io", "pods": "pods",
              "events": "events"}


def build_parser():
    parser = make_parser("Compact, budgeted views for 'show me pods / nodes / events / logs'.",
                         EPILOG)
    parser.add_argument("view", choices=["pods", "nodes", "events", "logs"])
    parser.add_argument("pod", nargs="?", help="logs: the pod name")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("-n", "--namespace")
    scope.add_argument("-A", "--all-namespaces", action="store_true")
    parser.add_argument("-f", "--filename", metavar="DUMP",
                        help="kubectl get -o yaml|json dump instead of the live cluster")
    parser.add_argument("-c", "--container", help="logs: container name")
    parser.add_argument("--previous", action="store_true", help="logs of the previous "
                                                                "(crashed) container")
    parser.add_argument("--tail", type=int, default=40, help="logs: lines (default 40)")
    parser.add_argument("--budget", type=int, default=4000,
                        help="maximum characters of output (default 4000)")
    # `logs -n NS POD`: let the pod name come after options too.
    parser.parse_args = parser.parse_intermixed_args
    return parser


def budgeted(header: list[str], rows: list[str], budget: int, more_hint: str) -> tuple[str, int]:
    """Header + as many rows as fit; a last line saying what was left out."""
    out, used = list(header), sum(len(h) + 1 for h in header)
    shown = 0
    for row in rows:
        if used + len(row) + 1 > budget - 120:
            break
        out.append(row)
        used += len(row) + 1
        shown += 1
    left = len(rows) - shown
    if left:
        out.append(f"... {left} more row(s) not shown (of {len(rows)}): {more_hint}")
    return "\n".join(out), left


def _age(ts: str | None, now: datetime) -> str:
    if not ts:
        return "?"
    try:
        then = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return "?"
    s = int((now - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size:
            return f"{s // size}{unit}"
    return f"{max(s, 0)}s"


def pod_status(pod: dict) -> str:
    st = pod.get("status") or {}
    if meta(pod, "deletionTimestamp"):
        return "Terminating"
    for cs in (st.get("initContainerStatuses") or []) + (st.get("containerStatuses") or []):
        w = (cs.get("state") or {}).get("waiting") or {}
        if w.get("reason") and w["reason"] not in ("ContainerCreating", "PodInitializing"):
            return w["reason"]
        t = (cs.get("state") or {}).get("terminated") or {}
        if t.get("reason") and st.get("phase") != "Succeeded" and t.get("exitCode"):
            return t["reason"]
    for c in st.get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("status") == "False":
            return c.get("reason") or "Pending"
    return st.get("phase") or "Unknown"


def view_pods(cluster: Cluster, budget: int) -> str:
    now = datetime.now(timezone.utc)
    rows = []
    for p in cluster.pods():
        st = p.get("status") or {}
        css = st.get("containerStatuses") or []
        status = pod_status(p)
        bad = status not in ("Running", "Succeeded") or not all(c.get("ready") for c in css)
        restarts = sum(c.get("restartCount") or 0 for c in css)
        ns = meta(p, "namespace") + "/" if cluster.scope_ns is None else ""
        spec = p.get("spec") or {}
        total = len(css) or len(spec.get("containers") or [])
        ready = f"{sum(1 for c in css if c.get('ready'))}/{total}"
        rows.append((not bad, f"{ns}{meta(p, 'name')}  {status}  {ready}  restarts={restarts}"
                              f"  node={spec.get('nodeName') or '-'}"
                              f"  age={_age(meta(p, 'creationTimestamp'), now)}"))
    rows.sort(key=lambda r: r[0])
    counts = Counter(pod_status(p) for p in cluster.pods())
    head = [f"{len(rows)} pods: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()),
            "NAME  STATUS  READY  RESTARTS  NODE  AGE (not-ready first)"]
    return budgeted(head, [r[1] for r in rows], budget, "raise --budget, or -n / -l to narrow, "
                    "or run triage.py for the grouped causes")[0]


def _q(value, res: str) -> str:
    return format_quantity(value, res) if value is not None else "-"


def view_nodes(cluster: Cluster, budget: int) -> str:
    dra = defaultdict(int)
    for sl in cluster.by_kind.get("ResourceSlice", ()):
        node = (sl.get("spec") or {}).get("nodeName")
        if node:
            dra[(node, (sl.get("spec") or {}).get("driver", "?"))] += len(
                (sl.get("spec") or {}).get("devices") or [])
    pods_on = Counter((p.get("spec") or {}).get("nodeName") for p in cluster.by_kind.get("Pod", ())
                      if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))
    rows = []
    for n in cluster.nodes():
        name = meta(n, "name")
        conds = {c.get("type"): c.get("status")
                 for c in (n.get("status") or {}).get("conditions") or []}
        ready = {"True": "Ready", "False": "NotReady"}.get(conds.get("Ready"), "Unknown")
        if (n.get("spec") or {}).get("unschedulable"):
            ready += ",SchedulingDisabled"
        alloc = (n.get("status") or {}).get("allocatable") or {}
        parts = []
        for res in ("cpu", "memory", "nvidia.com/gpu"):
            if res in alloc:
                try:
                    total = parse_quantity(alloc[res])
                except ValueError:
                    continue
                parts.append(f"{res.split('/')[-1]} {_q(cluster.node_free(n, res), res)} free/"
                             f"{_q(total, res)}")
        for (node, driver), count in dra.items():
            if node == name:
                parts.append(f"DRA {driver}: {count} devices")
        pressure = [c for c, v in conds.items() if c != "Ready" and v == "True"]
        taints = [f"{t.get('key')}:{t.get('effect')}"
                  for t in (n.get("spec") or {}).get("taints") or []]
        row = (f"{name}  {ready}  " + ", ".join(parts) + f"  pods {pods_on.get(name, 0)}"
               + (f"  pressure: {','.join(pressure)}" if pressure else "")
               + (f"  taints: {','.join(taints)}" if taints else ""))
        rows.append((ready == "Ready", row))
    rows.sort(key=lambda r: r[0])
    head = [f"{len(rows)} nodes ({sum(1 for r in rows if not r[0])} not Ready); free = "
            "allocatable - requests of running pods"]
    return budgeted(head, [r[1] for r in rows], budget, "raise --budget")[0]


def view_events(cluster: Cluster, budget: int) -> str:
    groups: dict = {}
    for ev in cluster.by_kind.get("Event", ()):
        if ev.get("type") != "Warning" or not cluster.in_scope(ev):
            continue
        ref = ev.get("involvedObject") or ev.get("regarding") or {}
        msg = " ".join(str(ev.get("message") or ev.get("note") or "").split())[:220]
        key = (ev.get("reason", ""), ref.get("kind", ""), _event_shape(msg, ref.get("name")))
        g = groups.setdefault(key, {"count": 0, "objects": [], "last": "", "msg": msg})
        g["count"] += int(ev.get("count") or 1)
        if ref.get("name") not in g["objects"]:
            g["objects"].append(ref.get("name"))
        last = ev.get("lastTimestamp") or ev.get("eventTime") or ""
        g["last"] = max(g["last"], last or "")
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]["objects"]), -kv[1]["count"]))
    rows = [f"{reason} x{g['count']} on {len(g['objects'])} {kind.lower()}(s) "
            f"({', '.join(g['objects'][:3])}{' ...' if len(g['objects']) > 3 else ''}), "
            f"last {g['last'] or '?'}: {redact(g['msg'])}" for (reason, kind, _), g in ranked]
    total = sum(1 for e in cluster.by_kind.get("Event", ()) if cluster.in_scope(e))
    head = [f"{len(rows)} distinct Warning events (from {total} events; Normal events hidden)"]
    return budgeted(head, rows, budget, "raise --budget or narrow with -n")[0]


_POD_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b")


def _event_shape(message: str, name: str | None) -> str:
    """A kubelet's message names the pod's IP and UID ('dial tcp 10.244.0.83:8081: ...'):
    the same failure on two pods differs only there, so group by the message without them."""
    shape = _POD_ADDRESS.sub("*", message)
    return shape.replace(name, "*") if name else shape


def view_logs(args) -> str:
    if not args.pod:
        raise InputError("logs: name the pod (inspect_cluster.py logs POD -n NS [-c CONTAINER])")
    if args.filename:
        raise InputError("logs: live only (a dump has no logs); paste the log text instead")
    ns = args.namespace or "default"
    container = args.container
    if not container:
        pods = kubectl_get(f"pod/{args.pod}", namespace=ns)
        names = [c.get("name") for c in ((pods[0].get("spec") or {}).get("containers") or [])]
        container = names[0] if names else ""
        note = f" (containers: {', '.join(names)}; -c to choose)" if len(names) > 1 else ""
    else:
        note = ""
    lines, why = previous_logs(ns, args.pod, container, args.tail, args.previous)
    if why:
        raise InputError(f"logs {ns}/{args.pod} -c {container}: {why}")
    rows = [redact(line)[:400] for line in lines]
    head = [f"{'previous ' if args.previous else ''}logs {ns}/{args.pod} -c {container}, last "
            f"{len(rows)} line(s), secrets redacted{note}"]
    text, left = budgeted(head, rows[::-1], args.budget, "raise --budget or lower --tail")
    body = text.splitlines()
    kept = body[1:len(body) - (1 if left else 0)][::-1]
    return "\n".join(body[:1] + ([body[-1].replace("not shown", "older lines not shown")]
                                 if left else []) + kept)


def body(args):
    if args.budget < 200:
        raise InputError("--budget: at least 200 characters")
    if args.view == "logs":
        return {"view": "logs", "text": (t := view_logs(args))}, t, 0
    if args.filename:
        objects = read_dump(args.filename)
    else:
        every = args.all_namespaces
        objects = []
        for res in VIEW_KINDS[args.view].split(","):
            # node usage counts the pods of every namespace
            every_here = every or (args.view == "nodes" and res == "pods")
            try:
                objects += kubectl_get(res, namespace=args.namespace, all_namespaces=every_here)
            except InputError:
                if "resourceslices" not in res:
                    raise
        objects = [strip_values(o) for o in objects]
    ns = None if args.all_namespaces else args.namespace
    cluster = Cluster(objects, ns)
    text = {"pods": view_pods, "nodes": view_nodes, "events": view_events}[args.view](
        cluster, args.budget)
    return {"view": args.view, "text": text}, text, 0


def main(argv=None) -> int:
    gc.disable()  # short-lived, builds millions of small dicts: see triage.py
    return run(build_parser(), argv, body)


if __name__ == "__main__":
    sys.exit(main())
