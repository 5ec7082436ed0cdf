#!/usr/bin/env python3
"""Explain why Kueue workloads are pending (or admitted but not running), with the fix."""
from __future__ import annotations

import gc
import os
import sys
from collections import Counter

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run, shape_errors_as_input
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.objects import dig, name_of, namespace_of

from _kueue.diagnose import Diagnoser
from _kueue.input import PASTE_ASKS, add_input_args, load_cluster
from _kueue.explain import FIXES
from _kueue.flavors import pasted_flavors_refuse
from _kueue.gang_model import podsets
from _kueue.jobs import check_job_without_workload, queue_name_of
from _kueue.objects import Cluster, is_true
from _kueue import dra_uncounted, partial_start, saturated, tas_node_selector, tas_taints
from _kueue import controller_down, conversion_ca, provreq, rbac_denied, recovered_panic
from _kueue import preemption_loop, queue_mates, unregistered_webhook, unserved_api
from _kueue import visibility_api, webhook_crossed
from _kueue.orphans import fold_workers, orphan_findings, prose_findings
from k8s_skillkit.prose import ProseOnly, is_report, report_lines

EPILOG = """examples:
  explain_pending.py -n team-a                 # live, every stuck workload in team-a
  explain_pending.py -n team-a train-llama     # one Job/JobSet/RayJob/... or Workload name
  explain_pending.py -A --json                 # all namespaces, machine-readable
  kubectl get workloads,clusterqueues,localqueues,resourceflavors,jobs,pods,namespaces,nodes \\
      -A -o yaml > dump.yaml && explain_pending.py -f dump.yaml
  cat dump.yaml | explain_pending.py -f -

causes (see references/causes.md): quota_exhausted exceeds_max_quota resource_not_in_queue
  flavor_mismatch local_queue_missing cluster_queue_missing queue_inactive
  namespace_not_selected no_queue_label workload_missing waiting_pods_ready
  admission_check_pending admission_check_rejected multikueue_cluster_disconnected
  dra_class_unmapped admitted_not_started
  pods_ready_timeout preempted topology_unfit workload_deactivated admission_webhook_denied
  not_evaluated not_in_dump
  pending_unexplained
Findings say [reported] (Kueue said it: conditions, admission checks, events, logs) or
[inferred] (deduced from the objects, with the kubectl command that confirms it); reported
ones come first. A paste may be YAML/JSON, kubectl describe text, event tables or log lines.
exit: 0 nothing stuck, 1 findings, 2 bad usage/input."""


def build_parser():
    parser = make_parser("Explain, in one sentence each, why Kueue Workloads are not admitted "
                         "or admitted but not running: cause, evidence (Kueue's message, quota "
                         "arithmetic, top quota holders) and fix.", EPILOG)
    add_input_args(parser)
    parser.add_argument("--limit", type=int, default=5,
                        help="findings shown in full (default 5); the rest are counted and "
                             "grouped by cause and ClusterQueue")
    parser.add_argument("--all", action="store_true", help="show every finding")
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help="a Workload or job (Job, JobSet, LWS, RayJob, PyTorchJob, TrainJob, "
                             "pod group) name")
    return parser


def collect(cluster: Cluster, namespace: str | None, name: str | None):
    """(findings, diagnoser): the diagnoser also knows each finding's ClusterQueue."""
    diagnoser = Diagnoser(cluster)
    return _collect(diagnoser, cluster, namespace, name), diagnoser


def _collect(diagnoser, cluster: Cluster, namespace: str | None, name: str | None):
    if name:
        return _for_name(diagnoser, cluster, namespace, name)
    def in_scope(obj: dict) -> bool:
        return namespace is None or namespace_of(obj) in ("", namespace)
    workloads = [wl for wl in cluster.workloads if in_scope(wl)]
    findings = [f for wl in workloads for f in [diagnoser.explain(wl)] if f]
    unknown = []  # labelled jobs whose Workload is not in the input: said last, decide nothing
    for job in cluster.jobs:
        if in_scope(job) and not diagnoser.jobs.workloads_for(job):
            found = check_job_without_workload(job, cluster, named=False)
            if found and found.get("cause") == "not_in_dump":
                unknown.append(found)
            elif found:
                findings.append(found)
    covered = {(namespace_of(o), name_of(o)) for o in workloads + cluster.jobs}
    covered |= {(namespace_of(o), r.get("name", "")) for o in workloads
                for r in (o.get("metadata") or {}).get("ownerReferences") or []}
    # (a table row's "the table does not print why" explains nothing: Kueue's words in the
    # paste's text still count)
    explained = any(f["severity"] != "info" for f in findings)
    findings += [f for f in orphan_findings(cluster, covered, explained=explained)
                 if namespace is None or f["object"]["namespace"] in ("", namespace)]
    findings = fold_workers(findings) + provreq.findings(cluster)
    texts = getattr(cluster, "texts", [])
    findings = controller_down.findings(cluster.pods, texts, cluster.events) + findings
    unserved = unregistered_webhook.findings(texts)
    if unserved:  # a job kind's webhook answering 404: the manager runs without that handler
        findings = unregistered_webhook.order(unserved, findings)
    bugs = recovered_panic.findings(texts)
    if bugs:  # the webhook call failed because its handler panicked, not a manager down
        findings = bugs + [f for f in findings if not recovered_panic.webhook_failure_of(f)]
    unserved_visibility = visibility_api.findings(
        texts + list(getattr(cluster, "lines", []) or []))
    if unserved_visibility and not any(f["cause"] == "kueue_controller_down" for f in findings):
        # Kueue's visibility APIService registered but not served (kueue#1769, #2205)
        findings = unserved_visibility + findings
    looped = preemption_loop.findings(texts)
    if looped:  # the same victim preempted again after it re-admitted (kueue#6929)
        findings = looped + findings
    crossed = webhook_crossed.findings(texts + list(getattr(cluster, "lines", []) or []))
    if crossed:  # a webhook's Service answered by another server's certificate (kueue#5192)
        findings = crossed + [f for f in findings if f["severity"] != "info"]
    shipped = conversion_ca.findings(texts)
    if shipped:  # a conversion call that reached Kueue and failed its CA: a CRD, not a crash
        findings = shipped + [f for f in findings if not conversion_ca.covers(f, shipped)]
    if not findings:  # nothing else: read the objects once more, as a last resort
        findings = [f for wl in workloads for f in [diagnoser.unverified_start(wl)] if f][:3]
        findings += [f for job in cluster.jobs if in_scope(job)
                     and not diagnoser.jobs.workloads_for(job)
                     for f in [diagnoser.unadmitted_job(job)] if f][:3]
    uncounted = dra_uncounted.findings(cluster)
    if uncounted:  # DRA claims Kueue never charged (kueue#10504): why the admitted ones wait
        findings = uncounted + [f for f in findings if not dra_uncounted.explains(f)]
    pinned = [f for f in tas_node_selector.findings(cluster)
              if namespace is None or f["object"]["namespace"] in ("", namespace)]
    if pinned:  # TAS chose a host the pod's nodeSelector excludes (kueue#4571): gate stays
        findings = pinned + [f for f in findings if not tas_node_selector.explains(f)]
    if not findings:  # the only flavors shown refuse the job (taints, affinity; kueue#3158)
        findings = [f for job in cluster.jobs if in_scope(job)
                    and not diagnoser.jobs.workloads_for(job)
                    for f in [_flavor_refusal(job, cluster)] if f][:3]
    if not findings:  # a TAS Topology that makes Kueue blind to node taints (kueue#6868)
        findings = tas_taints.findings(cluster)
    if not findings:  # a queue whose own counters say it is full and has pending work
        findings = saturated.findings(cluster)
    if not findings:  # pods only: a job partly running, the rest left by the scheduler
        findings = partial_start.findings(cluster)
    if not findings:  # no object, no Kueue message: what the report says in prose
        findings = prose_findings(cluster)
    elif all(f["severity"] == "info" or queue_mates.inferred_from_mates(f) for f in findings):
        # only "not in the dump" (or quota guessed from a queue-mate's reservation): a full
        # queue's own counters, or a state the report states (a queue it stopped), say more
        findings = (saturated.findings(cluster) or prose_findings(cluster)) + findings
    # Kueue's log noise about an API version the cluster lacks: after every real finding (it
    # stops nothing), before the "not in the dump" infos
    # Kueue's informer refused by RBAC (its ClusterRole, kueue_bug): after what the API server
    # reports now (kueue#5783: the webhook timing out is kueue_controller_down, first; this is
    # its why; kueue#5288: alone, the release's missing rule); a refused watch (it relists)
    # with the noise below
    denied = rbac_denied.behind_controller_down(rbac_denied.findings(texts), findings)
    findings = ([f for f in findings if f["severity"] != "info"]
                + [f for f in denied if f["severity"] == "error"]
                + [f for f in findings if f["severity"] == "info"])
    noise = [f for f in denied if f["severity"] != "error"] + unserved_api.findings(texts)
    if noise:
        findings = ([f for f in findings if f["severity"] != "info"] + noise
                    + [f for f in findings if f["severity"] == "info"])
    if not findings and not unknown and not workloads and not cluster.jobs and (
            cluster.cluster_queues or cluster.flavors or cluster.admission_checks):
        unknown.append(_config_only(cluster))
    elif not findings and not unknown and not workloads and not cluster.jobs and \
            cluster.events:
        unknown.append(_events_only(cluster))
    elif not findings and not unknown and workloads and "Workload" not in cluster.live_kinds \
            and all(is_true(wl, "Admitted") for wl in workloads):
        unknown.append(_admitted_only(workloads))
    elif not findings and not unknown and not workloads and not cluster.jobs:
        # a report in words beside objects that are not Kueue's (a pod): nothing was checked,
        # so "nothing stuck" would be a verdict on what is not here
        texts = [str(t) for t in getattr(cluster, "texts", []) or []]
        if is_report(texts):
            unknown.append(ProseOnly("the paste", report_lines(texts), PASTE_ASKS).finding())
    return findings + unknown


def _admitted_only(workloads: list[dict]) -> dict:
    """A paste whose Workloads Kueue all admitted: nothing holds them, and a workload that
    waits (the one a report is about when it says others are not admitted) is not in it."""
    finished = sum(int(p.get("count") or 0) for wl in workloads for p in
                   dig(wl, "status", "reclaimablePods", default=[]) or [] if isinstance(p, dict))
    queues = sorted({dig(wl, "status", "admission", "clusterQueue", default="") for wl in
                     workloads} - {""})
    return finding(
        "info", "not_in_dump", {"kind": "Workload"},
        f"the {len(workloads)} Workload(s) in the input are admitted"
        + (f" in ClusterQueue {', '.join(queues)}" if queues else "")
        + (f" ({finished} pod(s) finished: status.reclaimablePods)" if finished else "")
        + ": nothing holds them; a workload that still waits is not in the input",
        [f"Workload {name_of(wl) or '(no name)'} Admitted=True" for wl in workloads[:3]],
        "run `kubectl get workloads.kueue.x-k8s.io -A` and re-run with the pending one's "
        "`kubectl get workload NAME -n NAMESPACE -o yaml` and its ClusterQueue's",
        basis="inferred", confirm="kubectl get workloads.kueue.x-k8s.io -A")


def _events_only(cluster: Cluster) -> dict:
    """Events without the Workload they are about (a describe's Events section pasted
    alone): they tell what happened to one workload, not which, nor whether another waits;
    "nothing stuck" would conclude from objects that are not here."""
    last = cluster.events[-1]
    said = f"{last.get('reason', '')}: {' '.join(str(last.get('message') or '').split())}"
    ref = last.get("involvedObject") or last.get("regarding") or {}
    about = (f"{ref.get('kind') or 'object'} {ref['name']}" if ref.get("name") else
             "an object the paste does not name")
    return finding(
        "info", "not_in_dump", {"kind": "Workload"},
        f"no Workload or job in the input, only {len(cluster.events)} event(s); the last, on "
        f"{about}, says {said[:200]}: a workload that still waits has its reason in its own "
        "conditions", [f"event {said[:300]}"],
        "run `kubectl get workloads.kueue.x-k8s.io -n NAMESPACE -o yaml` (the pending one's "
        "status.conditions and events) and re-run with the output",
        basis="inferred", confirm="kubectl get workloads.kueue.x-k8s.io -A")


def _config_only(cluster: Cluster) -> dict:
    """Queue configuration without any Workload or job: it shows what Kueue may admit, not
    why something waits (the Workload's conditions say that)."""
    shown = [f"{len(d)} {kind}" for kind, d in (("ClusterQueue", cluster.cluster_queues),
                                                ("ResourceFlavor", cluster.flavors),
                                                ("AdmissionCheck", cluster.admission_checks)) if d]
    return finding(
        "info", "not_in_dump", {"kind": "Workload"},
        "no Workload or job in the input, only queue configuration (" + ", ".join(shown) +
        "): why a job waits is in its Workload's conditions and admission check states, "
        "which are not here", [], "run `kubectl get workloads.kueue.x-k8s.io -A -o yaml` (and "
        "`kubectl describe workload`, `kubectl get provisioningrequests -A -o yaml` when an "
        "admission check is involved) and re-run with the output",
        basis="inferred", confirm="kubectl get workloads.kueue.x-k8s.io -A -o yaml")


def _flavor_refusal(job: dict, cluster: Cluster) -> dict | None:
    """Every ResourceFlavor in the input refuses a pod set of this labelled job and no
    ClusterQueue is shown: the flavor check Kueue runs before quota (flavorassigner.go
    checkFlavorForPodSets) already fails. Inferred: the ClusterQueue may list other flavors."""
    if not queue_name_of(job):
        return None
    reasons = pasted_flavors_refuse(cluster, podsets(job))
    if not reasons:
        return None
    return finding(
        "warning", "flavor_mismatch", job,
        f"every ResourceFlavor in the input refuses {job.get('kind', 'job')} {name_of(job)}: "
        f"{'; '.join(reasons)[:240]} (Kueue checks taints and node affinity before quota, so "
        "it cannot assign these flavors; other flavors of the ClusterQueue are not in the "
        "input)",
        [f"Kueue would say: {r}" for r in reasons[:3]], FIXES.get("flavor_mismatch", ""),
        basis="inferred",
        confirm=f"kubectl describe workload -n {namespace_of(job) or '<ns>'} "
                f"$(kubectl get workloads -n {namespace_of(job) or '<ns>'} -o name | grep "
                f"{name_of(job)})")


def _for_name(diagnoser, cluster, namespace, name) -> list[dict]:
    def in_scope(obj: dict) -> bool:
        return namespace is None or namespace_of(obj) == namespace
    # A Workload's own name, or its owner's (the job may be missing from a dump).
    workloads = [w for w in cluster.workloads if in_scope(w) and (
        name_of(w) == name or any(r.get("name") == name for r in
                                  (w.get("metadata") or {}).get("ownerReferences") or []))]
    jobs = [j for j in cluster.jobs if in_scope(j) and name_of(j) == name]
    for job in jobs:
        workloads += [w for w in diagnoser.jobs.workloads_for(job) if w not in workloads]
    if not workloads and not jobs:
        where = f"namespace {namespace}" if namespace else "any namespace"
        raise InputError(f"{name}: no Workload or job of that name in {where}")
    findings = [f for wl in workloads for f in [diagnoser.explain(wl)] if f]
    for job in jobs:
        if not diagnoser.jobs.workloads_for(job):
            found = check_job_without_workload(job, cluster, named=True)
            if found:
                findings.append(found)
    return findings


def summarize(findings: list[dict], total: int) -> str:
    if not findings:
        return f"nothing stuck: {total} workload(s) checked, none pending or failing to start"
    if len(findings) == 1:
        f = findings[0]
        ns, name = f["object"].get("namespace") or "", f["object"].get("name") or ""
        label = f"{ns}/{name}" if ns and name else name or \
            f"the pasted {f['object'].get('kind') or 'object'} (no name in the paste)"
        return f"{label}: {f['message']}"
    counts = Counter(f["cause"] for f in findings)
    parts = ", ".join(f"{n} {c}" for c, n in counts.most_common())
    return f"{len(findings)} stuck: {parts}"


def body(args):
    cluster = load_cluster(args)
    findings, diagnoser = collect(cluster, args.namespace, args.name)
    # What Kueue reported comes first, then severity; the sort is stable.
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (f.get("basis") != "reported", order[f["severity"]],
                                 f["cause"], f["object"]["namespace"], f["object"]["name"]))
    shown = findings if args.all else findings[:max(args.limit, 0)]
    counts = dict(Counter(f["cause"] for f in findings))
    summary = summarize(findings, len(cluster.workloads))
    groups = _groups(findings, diagnoser.queue_of)
    text = summary
    if len(findings) > len(shown) and groups:
        text += "\nby cause and ClusterQueue: " + ", ".join(
            f"{g['cause']} {g['cluster_queue'] or '-'} ({g['count']})" for g in groups[:8])
    if shown:
        text += "\n\n" + render_text(shown)
    if len(shown) < len(findings):
        text += f"\n\n... {len(findings) - len(shown)} more (use --all or --limit N)"
    payload = {"summary": summary, "counts": counts, "total_findings": len(findings),
               "groups": groups, "findings": shown}
    return payload, text, exit_code(findings)


def _groups(findings: list[dict], queue_of: dict) -> list[dict]:
    """Counts per (cause, ClusterQueue), largest first: the digest of a big cluster."""
    counts = Counter((f["cause"], queue_of.get(id(f), "")) for f in findings)
    return [{"cause": c, "cluster_queue": q, "count": n} for (c, q), n in counts.most_common()]


def main(argv=None) -> int:
    return run(build_parser(), argv, shape_errors_as_input(body))


if __name__ == "__main__":
    # A short-lived CLI over a dump of many small dicts that makes no reference cycles: the
    # cyclic GC's passes over the parsed dump cost a third of a 10,000-workload run (as in
    # k8s-troubleshooting's triage.py).
    gc.disable()
    code = main()
    # The interpreter's last collection at exit still walks every tracked object (gc.disable
    # does not stop it) and the dump stays referenced to the end (k8s_skillkit.unread):
    # gc.freeze() takes them out of its reach; the OS takes the memory back at exit.
    gc.freeze()
    sys.exit(code)
