"""What controllers and the kubelet wrote on objects other than pods: a Job's Failed condition,
a Node's pressure conditions, and the events about Jobs, Deployments and PersistentVolumeClaims
a dump holds without the object itself (a `kubectl get events -o yaml` paste).

Pods, ReplicaSets' FailedCreate refusals and NotReady nodes are read in triage.py; this module
adds the rest of what the catalogue (references/catalogue/*.yaml) lists, with the same
reports.classify vocabulary, so a wording is read the same way in every input form.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _tshoot.model import meta
from _tshoot.redact import redact
from _tshoot.reports import classify
from _tshoot.text import Subject
from _tshoot.verdict import _FIX, message_fix, subject_finding

_PRESSURE = ("DiskPressure", "MemoryPressure", "PIDPressure")
# kinds whose events are read here when the object is not in the dump (pods, nodes and the
# pod controllers' FailedCreate are read by triage._orphan_events)
_EVENT_KINDS = ("Job", "Deployment", "PersistentVolumeClaim", "CronJob")


def object_findings(cluster) -> list[dict]:
    return _failed_jobs(cluster) + _pressured_nodes(cluster) + _orphan_object_events(cluster)


def _failed_jobs(cluster) -> list[dict]:
    """A Job's Failed=True condition (the job controller's reason and message)."""
    out = []
    for job in cluster.by_kind.get("Job", ()):
        if not cluster.in_scope(job):
            continue
        failed = next((c for c in (job.get("status") or {}).get("conditions") or []
                       if c.get("type") == "Failed" and c.get("status") == "True"), None)
        if not failed:
            continue
        rep = classify(f'{failed.get("reason", "")}: {failed.get("message", "")}')
        if not rep or rep.cause != "job_failed":
            continue
        msg, fix = message_fix(rep)
        f = finding("error", "job_failed", job, f"job {meta(job, 'name')}: {msg} "
                    f"({failed.get('reason', '')})",
                    [f'condition Failed=True {failed.get("reason", "")}: '
                     f'"{redact(failed.get("message", ""))}"'], fix, basis="reported")
        f.update(count=0, pods=[], _related=[meta(job, "name")])
        out.append(f)
    return out


def _pressured_nodes(cluster) -> list[dict]:
    """A Ready node whose kubelet reports DiskPressure/MemoryPressure/PIDPressure=True (a
    NotReady node is triage's node_not_ready finding already)."""
    out = []
    for node in cluster.nodes():
        conds = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or []}
        ready = conds.get("Ready")
        if ready and ready.get("status") != "True":
            continue
        hot = [conds[t] for t in _PRESSURE if (conds.get(t) or {}).get("status") == "True"]
        if not hot:
            continue
        name = meta(node, "name")
        on = [meta(p, "name") for p in cluster.pods()
              if (p.get("spec") or {}).get("nodeName") == name]
        ev = [f'{c.get("type")}=True {c.get("reason", "")}: "{redact(c.get("message", ""))}"'
              for c in hot]
        f = finding("error" if on or cluster.scope_ns is None else "info", "node_pressure",
                    node, f"node {name} reports {', '.join(c.get('type') for c in hot)}",
                    ev, _FIX["node_pressure"], basis="reported")
        f.update(count=len(on), pods=on[:5], _related=on)
        out.append(f)
    return out


def _orphan_object_events(cluster) -> list[dict]:
    out = []
    for (kind, ns, name), events in cluster.events.items():
        if kind not in _EVENT_KINDS or cluster.get(kind, ns, name) is not None:
            continue
        if cluster.scope_ns and ns != cluster.scope_ns:
            continue
        reports = [r for e in events if e.get("reason") != "FailedCreate"
                   for r in [classify(f'{e.get("reason", "")}: '
                                      f'{e.get("message") or e.get("note") or ""}')] if r]
        if reports:
            out.append(subject_finding(Subject(kind, name, ns, reports)))
    return out
