#!/usr/bin/env python3
"""Triage a namespace, a label selector or a whole cluster: ranked, grouped findings + fixes."""
from __future__ import annotations

import gc
import os
import re
import sys
from collections import Counter

import yaml

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code
from k8s_skillkit.selectors import SelectorError, parse_selector, selector_matches

from k8s_skillkit.dump import Dump
from k8s_skillkit.loading import parse_paste, read_text
from k8s_skillkit.logged_events import events_from_logs
from k8s_skillkit.prose import refuse_unless_report

from _tshoot import audit_status, cni_bin_unwritable, consumer_absent, liveness_window, node_rows
from _tshoot import probe_access, terminating
from _tshoot import prose as _prose
from _tshoot.input import previous_logs, read_live, strip_values, yaml_list_objects
from _tshoot.model import Cluster, meta
from _tshoot.text import scan
from _tshoot.triage import triage

EPILOG = """examples:
  triage.py -n team-a                  # live: what is broken in team-a, worst first
  triage.py -n team-a -l app=web       # only pods with this label
  triage.py -n team-a web-7d9f-x2x     # why is this pod (or workload/PVC/node) broken
  triage.py -A --json                  # the whole cluster, machine-readable
  kubectl get pods,events,nodes,pvc,deployments,replicasets,jobs,configmaps,storageclasses \\
      -A -o json > dump.json && triage.py -f dump.json -n team-a
  triage.py -n team-a --all            # every finding in full

causes (references/causes.md): crash_loop image_pull oom_killed unschedulable_insufficient
  unschedulable_taint unschedulable_affinity pvc_pending probe_failing config_missing
  node_not_ready admitted_not_started gpu_pressure rollout_stuck
exit: 0 nothing wrong, 1 findings, 2 bad usage/input. Secret values are never read out."""

TEXT_EVIDENCE = 4
# What decides a pod question, for a paste that holds none of it
PASTE_ASKS = ("kubectl describe pod POD -n NAMESPACE",
              "kubectl get events -n NAMESPACE --sort-by=.lastTimestamp",
              "kubectl get pod POD -n NAMESPACE -o yaml")


def build_parser():
    parser = make_parser("Find what is broken in a namespace, label selector or cluster and why: "
                         "findings grouped by workload, ranked by impact, each with the "
                         "decisive event/condition and the fix.", EPILOG)
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("-n", "--namespace", help="namespace to triage (default: kubectl's "
                                                 "current namespace; all namespaces of a dump)")
    scope.add_argument("-A", "--all-namespaces", action="store_true", help="every namespace")
    parser.add_argument("-l", "--selector", help="label selector for pods (k=v,k!=v,k,!k)")
    parser.add_argument("-f", "--filename", metavar="DUMP",
                        help="kubectl get -o yaml|json dump (List or multi-doc; - = stdin) "
                             "instead of the live cluster")
    parser.add_argument("--limit", type=int, default=8,
                        help="findings shown in full (default 8); the rest are counted by cause")
    parser.add_argument("--all", action="store_true", help="show every finding in full")
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="only findings about this pod, workload, PVC or node")
    parser.add_argument("--no-logs", action="store_true",
                        help="live: do not fetch previous container logs for crash findings")
    return parser


def _selector_matcher(selector: str):
    """k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b): the kit's label selector."""
    try:
        expressions = parse_selector(selector)
    except SelectorError as err:
        raise InputError(f"--selector: {err}") from err
    return lambda labels: selector_matches({"matchExpressions": expressions}, labels)


def load(args) -> Cluster:
    if args.limit < 1:
        raise InputError("--limit: must be at least 1")
    if args.filename:
        return _load_file(args)
    objects, kinds = read_live(args.namespace, args.selector, args.all_namespaces)
    if not args.all_namespaces and not args.namespace:
        # kubectl's current namespace: every namespaced object came from it
        spaces = {meta(o, "namespace") for o in objects} - {""}
        return Cluster(objects, spaces.pop() if len(spaces) == 1 else "default", True, kinds)
    return Cluster(objects, args.namespace, True, kinds)


def _load_file(args) -> Cluster:
    """A dump, or a paste (describe output, event tables, status lines, prose): the kit reads
    the objects in it; the components' messages in the rest of the text are read as reports.
    Text with neither is bad input."""
    text, label = read_text(args.filename)
    try:
        dump = parse_paste(text, label)
    except InputError:  # e.g. a YAML list of events, as `kubectl get events -o yaml` items
        dump = Dump(yaml_list_objects(text), forms=["yaml-list"])
    # an apiserver audit log's events (or one pasted without its braces): what it answered
    audits, rest = audit_status.read(list(dump), text, list(getattr(dump, "texts", None) or ()))
    # mappings without a kind are status fragments or prose YAML happened to read: text
    objects = [strip_values(o) for o in dump if o.get("kind") and not audit_status.is_audit(o)]
    # the events a controller's recorder logged (kube-controller-manager's klog
    # `Event(v1.ObjectReference{...}): type: 'Normal' reason: 'X' msg`, client-go
    # tools/record/event.go@v0.37.2:383; structured `"Event occurred"`, :395): read as Events
    objects += events_from_logs(getattr(dump, "texts", ()))
    if not any(o.get("kind") == "Namespace" for o in objects):
        objects += terminating.namespace_rows(text)  # a `get ns` table the kit did not take
    # node STATUS/VERSION cells copied out of `kubectl get nodes` into a list (node_rows.py)
    objects += node_rows.rows(text, objects)
    if args.selector:
        match = _selector_matcher(args.selector)
        objects = [o for o in objects if o.get("kind") != "Pod"
                   or match(meta(o, "labels", {}) or {})]
    cluster = Cluster(objects, args.namespace, dump=dump)
    cluster.pods_filtered = bool(args.selector)
    cluster.text = text
    # a paste too: objects plus text the YAML reader left (a status fragment pasted under the
    # object it belongs to, a sentence between two documents)
    cluster.paste = not set(dump.forms) <= {"yaml", "json"} or len(objects) < len(dump) \
        or any(line.strip() for line in getattr(dump, "texts", None) or ())
    cut = [m for o in objects for m in _untyped_messages(o)] or _condition_fragment(
        text, objects)
    if cut and not (cluster.paste and objects):
        # its YAML folds a long message over lines: the message itself is read
        cluster.paste = True
        cluster.text_subjects = scan("\n\n".join(cut))
    elif audits:  # the apiserver's refusals, about the objects the requests named
        cluster.paste, cluster.text = True, rest  # the events are read: not prose to guess at
        cluster.text_subjects = audit_status.subjects(audits) + scan(rest)
    elif cluster.paste or not objects:
        cluster.text_subjects = scan(text)
    if not objects and not cluster.text_subjects and not audits and not _looks_like_kubectl(text) \
            and not _prose.states_a_fault(text) and not probe_access.findings(text) \
            and not cni_bin_unwritable.findings(text) and not liveness_window.findings(text):
        raise refuse_unless_report(
            text, label,
            f"{label}: not a kubectl get -o yaml|json dump, and no Kubernetes component "
            "message (describe output, events, pod status) found in it", PASTE_ASKS)
    return cluster


def _untyped_messages(obj: dict) -> list[str]:
    """The messages of status conditions cut from their `type:` (the paste keeps
    lastTransitionTime and message only, the lines under the type a user scrolled past): the
    object readers match conditions by type, so each is read as a component's message pasted
    alone is."""
    conditions = (obj.get("status") or {}).get("conditions")
    return [c["message"] for c in conditions if isinstance(c, dict) and not c.get("type")
            and isinstance(c.get("message"), str)] if isinstance(conditions, list) else []


def _condition_fragment(text: str, objects: list[dict]) -> list[str]:
    """The messages of a condition list copied alone, from lastTransitionTime on (no object
    around it, so the kit leaves it as text): [] for anything else."""
    if objects or "message:" not in text:
        return []
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    return _untyped_messages({"status": {"conditions": doc}}) if isinstance(doc, list) else []


def _looks_like_kubectl(text: str) -> bool:
    """describe output or a table of a healthy object: readable, just nothing wrong in it."""
    return bool(re.search(r"^(Name|Namespace|Status|Conditions|Events):", text, re.M)
                or re.search(r"^NAME\s+(READY|STATUS)", text, re.M))


def summary(cluster: Cluster, findings: list[dict]) -> dict:
    pods = cluster.pods()
    phases = Counter((p.get("status") or {}).get("phase", "Unknown") for p in pods)
    scope = (f"namespace {cluster.scope_ns}" if cluster.scope_ns else "all namespaces")
    if cluster.paste or (not pods and cluster.text_subjects):
        scope = "the paste"
    return {"scope": scope, "pods_scanned": len(pods), "pod_phases": dict(phases),
            "nodes": len(cluster.nodes()), "findings": len(findings),
            "pods_affected": sum(f.get("count", 0) for f in findings),
            "by_cause": dict(Counter(f["cause"] for f in findings))}


def _basis_counts(findings: list[dict]) -> str:
    """Where the paste's findings come from: components' words, or inference to confirm."""
    inferred = sum(f.get("basis") == "inferred" for f in findings)
    reported = len(findings) - inferred
    parts = ([f"{reported} from what the scheduler, kubelet and controllers reported in it"]
             if reported else [])
    parts += ([f"{inferred} inferred from its objects or its words (confirm each)"]
              if inferred else [])
    return ": " + "; ".join(parts)


def render(summ: dict, findings: list[dict], limit: int | None) -> str:
    if not findings:
        return (f"OK {summ['scope']}: {summ['pods_scanned']} pods, {summ['nodes']} nodes; "
                "nothing broken found")
    if summ["scope"] == "the paste":
        lines = [f"the paste: {summ['findings']} finding(s){_basis_counts(findings)}"]
    else:
        lines = [f"{summ['scope']}: {summ['findings']} finding(s), {summ['pods_affected']} "
                 f"pod(s) affected of {summ['pods_scanned']} scanned (phases: "
                 + ", ".join(f"{k} {v}" for k, v in sorted(summ["pod_phases"].items())) + ")"]
    shown = findings if limit is None else findings[:limit]
    for f in shown:
        o = f["object"]
        where = "/".join(p for p in (o["kind"], o["namespace"], o["name"]) if p)
        tag = " [inferred]" if f.get("basis") == "inferred" else ""
        lines.append(f"{f['rank']}. {f['severity'].upper()} {f['cause']} {where}{tag}: "
                     f"{f['message']}")
        evidence = f["evidence"] if limit is None else f["evidence"][:TEXT_EVIDENCE]
        lines += [f"   evidence: {e}" for e in evidence]
        if len(evidence) < len(f["evidence"]):
            lines.append(f"   (+{len(f['evidence']) - len(evidence)} more evidence lines: --all)")
        if f.get("basis") == "inferred" and f.get("confirm"):
            lines.append(f"   confirm: {f['confirm']}")
        lines.append(f"   fix: {f['fix']}")
    rest = findings[len(shown):]
    if rest:
        counts = Counter(f["cause"] for f in rest)
        lines.append(f"... {len(rest)} more finding(s) not shown ("
                     + ", ".join(f"{c} {n}" for c, n in counts.most_common())
                     + "): --limit N or --all")
    lines.append("Propose fixes as YAML/diff; apply only after kubectl apply --dry-run=server "
                 "and the user's yes.")
    return "\n".join(lines)


def body(args):
    cluster = load(args)
    logs = None
    if cluster.live and not args.no_logs:
        budget = [3]  # at most three kubectl logs calls per run

        def logs(ns, pod, container):
            if budget[0] <= 0:
                return [], ""
            budget[0] -= 1
            return previous_logs(ns, pod, container)
    findings = triage(cluster, logs, args.name)
    if not findings and cluster.paste and not args.name:
        # nothing a component printed: what the report says in words, else "cannot tell"
        said = consumer_absent.demote(cluster.text, cluster.pods(), _prose.findings(
            cluster.text, list(PASTE_ASKS), cluster.pods()))
        findings = [{**f, "rank": i + 1, "count": 0} for i, f in enumerate(said)]
    summ = summary(cluster, findings)
    if args.name:
        summ["scope"] += f", only {args.name}"
    payload = {"summary": summ, "findings": findings}
    text = render(summ, findings, None if args.all else args.limit)
    return payload, text, exit_code(findings)


def main(argv=None) -> int:
    # A short-lived CLI that builds millions of small dicts from one dump: the cyclic GC
    # would rescan them all again and again (json.loads of 140 MB: 2.9 s with it, 0.8 s
    # without). Nothing here makes reference cycles that need collecting.
    gc.disable()
    return run(build_parser(), argv, body)


if __name__ == "__main__":
    code = main()
    # The dump stays referenced until exit (k8s_skillkit.unread keeps the pastes read, for
    # the "Not read" line), and the interpreter's last collection at exit walks every object
    # still tracked: 1.4 s for a 50,000-pod dump (1.4 million objects). gc.freeze() takes
    # them out of that collection's reach; the OS takes the memory back at exit.
    gc.freeze()
    sys.exit(code)
