"""Ranked, grouped findings for a namespace / selector / cluster.

Pods with the same failure under the same workload become one finding ("83 pods of
Deployment web"); workload-level causes (rollout stuck, Kueue admitted but not started, PVC
pending, node not ready) absorb the pod findings they explain, so the first finding is the
root cause. Rank: severity, then pods affected, then the cause order below.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from k8s_skillkit.events import last_seen
from k8s_skillkit.findings import finding

from _tshoot import cni_bin_unwritable, consumer_absent, kubelet_start, kustomize_suffix
from _tshoot import objects
from _tshoot import stale_condition
from _tshoot import prose as _prose
from _tshoot import pods as pods_mod
from _tshoot import probe_access, pv_affinity, quota_text
from _tshoot import mounted_later, scheduled_later
from _tshoot import terminating, waiting_claims
from _tshoot.model import meta
from _tshoot.redact import redact
from _tshoot.reports import cause_weight, classify, unhealthy_devices
from _tshoot.text import Subject
from _tshoot.verdict import _FIX, UNHEALTHY_GPU_FIX, subject_finding, unhealthy_gpus

ORDER = ("no_nodes", "node_not_ready", "node_pressure", "admitted_not_started", "rollout_stuck",
         "dra_claim", "gpu_xid_hardware", "gpu_device_access_lost", "gpu_driver_build_failed",
         "gpu_driver_mismatch",
         "gpu_libraries_not_visible", "gpu_fabric_manager_not_running", "gpu_pressure", "oom_killed", "crash_loop", "image_pull",
         "config_missing", "sandbox_failed", "mount_failed", "evicted", "pvc_pending",
         "volume_node_affinity", "unschedulable_insufficient", "unschedulable_taint",
         "unschedulable_cordoned", "unschedulable_affinity", "unschedulable_pod_affinity",
         "unschedulable_topology_spread", "unschedulable_ports", "unschedulable_other",
         "stuck_terminating", "eviction_blocked_pdb", "probe_failing")
SEVERITY = {"error": 0, "warning": 1, "info": 2}


class Group:
    def __init__(self, ns: str, owner: tuple[str, str], problem: dict):
        self.ns, self.owner, self.problem = ns, owner, problem
        self.pods: list[dict] = []

    @property
    def names(self) -> list[str]:
        return [meta(p, "name") for p in self.pods]


def group_pods(cluster) -> "OrderedDict[tuple, Group]":
    groups: OrderedDict = OrderedDict()
    for pod in cluster.pods():
        problem = pods_mod.classify(cluster, pod)
        if not problem:
            continue
        ns, owner = meta(pod, "namespace"), cluster.owner(pod)
        key = (problem["cause"], ns, owner, problem["signature"])
        if key not in groups:
            groups[key] = Group(ns, owner, problem)
        groups[key].pods.append(pod)
    return groups


def triage(cluster, logs=None, name: str | None = None) -> list[dict]:
    """All findings, ranked. `logs(ns, pod, container)` -> (lines, why_not) adds evidence;
    `name` keeps the findings about that object or one of its pods."""
    groups = group_pods(cluster)
    out = []
    out += _nodes(cluster)
    out += _workloads_admitted(cluster, groups)
    out += _rollouts(cluster, groups)
    out += _pvcs(cluster, groups)
    out += pv_affinity.findings(cluster)
    out += terminating.namespace_findings(cluster)
    said = any(re.search(r"\bTerminating\b", line)  # the paste says so (live: no text)
                                 for line in getattr(cluster.dump, "texts", ()))
    out += terminating.pod_findings(cluster, said)
    out += terminating.claim_rows(cluster)
    for g in groups.values():
        out.append(_pod_finding(g, logs))
    out += _orphan_events(cluster)
    out += objects.object_findings(cluster)
    out += _text_findings(cluster, out)
    out += _quota_refusal(cluster, out)
    out += waiting_claims.findings(cluster, out)
    out += _probe_access(cluster, out)
    out += _cni_bin_unwritable(cluster, out)
    out = kubelet_start.just_started(getattr(cluster.dump, "texts", ()), out)
    out = stale_condition.demote(getattr(cluster, "text", "") or "", out)
    # a WaitForFirstConsumer claim no pod uses: Pending by design (consumer_absent.py)
    out = consumer_absent.demote(getattr(cluster, "text", "") or "", cluster.pods(), out)
    out = scheduled_later.resolved(cluster, out)  # a FailedScheduling answered by a bind
    out = mounted_later.resolved(cluster, out)  # an attach/mount failure, then Started
    if cluster.paste:
        for f in out:
            f.setdefault("_weight", cause_weight(f["cause"]))
    if name:
        out = [f for f in out if f["object"]["name"] == name or name in f["_related"]]
    for f in out:
        del f["_related"]
    # Reports read from text carry a weight (how decisive the component's message is); a dump's
    # findings rank by pods affected.
    out.sort(key=lambda f: (SEVERITY[f["severity"]], -f.get("_weight", 0), -f["count"],
                            ORDER.index(f["cause"]) if f["cause"] in ORDER else 99))
    for f in out:
        f.pop("_weight", None)
    out = _killed_behind_the_crash(cluster, out)
    out = _hashed_config_behind(cluster, out)
    for i, f in enumerate(out, 1):
        f["rank"] = i
    return out


def _quota_refusal(cluster: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A ReplicaFailure FailedCreate row beside a describe-quota block (quota_text.py), unless
    a component's own refusal already names the quota cause."""
    if any(f["cause"] in ("quota_exceeded", "quota_requires_limits") for f in found):
        return []
    return quota_text.findings(getattr(cluster, "text", "") or "")


def _killed_behind_the_crash(cluster, out: list[dict]) -> list[dict]:
    """A crash loop whose pasted log says a process was killed by SIGKILL (exit 137, "signal 9
    (Killed)") and not by a probe or a delete: the crash is the kill, and the memory cgroup's
    OOM killer is what sends it (kubeflow/mpi-operator#90: an MPI rank killed on a worker made
    the launcher crash-loop). The kill is named first, inferred; the crash loop stays."""
    if not out or out[0]["cause"] != "crash_loop" or not cluster.paste:
        return out
    lines = [str(t) for t in getattr(cluster.dump, "texts", ())]
    killed = [t for t in lines if _prose.SIGKILLED.search(t)]
    # a probe, a delete or a preemption anywhere in the paste may be what sent the SIGKILL
    other = any(_prose.SIGKILL_OTHER.search(t) for t in lines)
    if not killed or other or any(f["cause"] in ("oom_killed", "probe_failing") for f in out):
        return out
    crash = out[0]
    kill = finding("error", "oom_killed", crash["object"],
                   "the crash loop follows a SIGKILL in the pasted log (exit 137 / signal 9): "
                   "the memory cgroup's OOM killer sends it when a process passes the "
                   "container's memory limit (reason OOMKilled shows only when the container's "
                   "main process is the one killed)", [f"log: {killed[0][:240]}"],
                   "raise resources.limits.memory (and the request) of the container whose "
                   "process was killed, or make it use less memory; then the crash loop stops",
                   basis="inferred",
                   confirm="kubectl get pod POD -n NAMESPACE -o jsonpath='{.status."
                           "containerStatuses[*].lastState.terminated}'; on the node: dmesg | "
                           "grep -i 'killed process'")
    kill["count"] = crash.get("count", 1)
    return [kill] + out


def _hashed_config_behind(cluster, out: list[dict]) -> list[dict]:
    """A ConfigMap Kustomize generated under a hashed name and referenced by its bare one
    (kustomize_suffix.py): the file the crash-looping container cannot find is that config,
    so it is named before the crash loop it causes (inferred); alone when nothing else is."""
    if not cluster.paste or any(f["cause"] == "config_missing" for f in out):
        return out
    found = kustomize_suffix.findings(getattr(cluster, "text", "") or "")
    if not found or (out and out[0]["cause"] != "crash_loop"):
        return out
    found[0].update(count=out[0].get("count", 1) if out else 0, pods=[])
    return found + out


def _probe_access(cluster: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Probe requests a container's access log shows failing (probe_access.py), when no
    component's report already says a probe fails."""
    if not cluster.paste or any(f["cause"] == "probe_failing" for f in found):
        return []
    out = probe_access.findings(getattr(cluster, "text", "") or "")
    for f in out:
        f.update(count=0, pods=[], _related=[])
    return out


def _cni_bin_unwritable(cluster: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A CNI installer kept out of /opt/cni/bin (cni_bin_unwritable.py), when no component's
    report already says a pod's sandbox fails."""
    if not cluster.paste or any(f["cause"] == "sandbox_failed" for f in found):
        return []
    out = cni_bin_unwritable.findings(getattr(cluster, "text", "") or "")
    for f in out:
        f.update(count=0, pods=[], _related=[])
    return out


def _ready_nodes(cluster) -> set[str]:
    return {meta(n, "name") for n in cluster.nodes()
            if any(c.get("type") == "Ready" and c.get("status") == "True"
                   for c in (n.get("status") or {}).get("conditions") or [])}


def _from_row(cluster, f: dict) -> bool:
    """The finding stands only on a `kubectl get` row of its pod (its STATUS word)."""
    ns, name = f["object"]["namespace"], f["object"]["name"]
    pods = [p for p in cluster.pods() if meta(p, "name") == name
            and (not ns or meta(p, "namespace") in ("", ns))]
    return bool(pods) and all(p.get("_source") == "table" for p in pods)


def _text_findings(cluster, found: list[dict]) -> list[dict]:
    """Findings from the paste's text that the objects read from it do not already give: a
    subject named by a reported object finding is that finding's (an inferred one yields to
    the text's report, which `found` then loses); an unnamed subject adds only a cause no
    object finding has."""
    out = []
    ready_now = _ready_nodes(cluster)
    pods = {meta(p, "name") for p in cluster.pods()} | {
        name for kind, _, name in cluster.events if kind == "Pod"}
    for subject in cluster.text_subjects:
        f = subject_finding(subject)
        name = f["object"]["name"]
        if not name and subject.kind == "Pod" and len(pods) == 1:
            # one pod in the paste (its YAML or its events fenced in an issue's list item,
            # framed by k9s's borders): the unnamed lines, its own messages among them, are
            # that pod's
            name = next(iter(pods))
        if f["cause"] == "node_not_ready" and (name in ready_now or (
                not name and ready_now and len(cluster.nodes()) == 1)):
            continue  # an old NodeNotReady event: the node in the paste is Ready now
        same = [g for g in found if name and name in (g["object"]["name"], *g["_related"])]
        reported = [g for g in same if g["basis"] == "reported"]
        # (a pod that is only a `get pods` row: its STATUS word yields to the paste's own
        # message about it, UnexpectedAdmissionError beside "Allocate failed ... GPU is lost")
        if reported and (not all(_from_row(cluster, g) for g in reported)
                         or f["cause"] in {g["cause"] for g in reported}):
            continue
        if not name and f["cause"] in {g["cause"] for g in found}:
            continue
        for g in same:  # inferred findings never stand against a reported one
            found.remove(g)
        out.append(f)
    return out


_CONTROLLERS = ("ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController",
                "Deployment")


def _orphan_events(cluster) -> list[dict]:
    """Events about pods and nodes the dump does not hold: the events are the whole story.
    A controller's FailedCreate events are read for admission refusals: when ResourceQuota,
    LimitRange, Pod Security or a webhook refuse its pods, there is no pod to look at."""
    pods = {(meta(p, "namespace"), meta(p, "name")) for p in cluster.by_kind.get("Pod", ())}
    nodes = {meta(n, "name") for n in cluster.nodes()}
    out = []
    for (kind, ns, name), events in cluster.events.items():
        if kind in _CONTROLLERS and not (cluster.scope_ns and ns != cluster.scope_ns):
            refused = [r for e in events if e.get("reason") == "FailedCreate" for r in [classify(
                str(e.get("message") or e.get("note") or ""))] if r and r.detail.get("admission")]
            if refused:
                f = subject_finding(Subject(kind, name, ns, refused[-1:]))
                why = _answered(cluster, kind, ns, name, events)
                if why:  # history: the controller has created pods since
                    f.update(severity="info", message=f"{f['message']} (since answered: {why})")
                    f["evidence"].append(f"answered: {why}")
                    f.pop("_weight", None)
                out.append(f)
            placed = [r for e in events if e.get("reason") == "FailedPlacement" for r in [
                classify(str(e.get("message") or e.get("note") or ""))] if r]
            if placed and not refused:  # the DaemonSet controller (<= 1.16) made no pod
                out.append(subject_finding(Subject(kind, name, ns, placed)))
            continue
        if kind not in ("Pod", "Node") or (kind == "Pod" and (ns, name) in pods) or \
                (kind == "Node" and name in nodes):
            continue
        if kind == "Pod" and ((cluster.scope_ns and ns != cluster.scope_ns)
                              or cluster.pods_filtered or cluster.live):
            continue
        reports = [r for e in events for r in [classify(
            f'{e.get("reason", "")}: {e.get("message") or e.get("note") or ""}')] if r]
        if reports:
            out.append(subject_finding(Subject(kind, name, ns, reports)))
    return out


def _answered(cluster, kind: str, ns: str, name: str, events: list[dict]) -> str:
    """Why a controller's admission refusal is history ('' while it stands): a refusal
    during namespace setup (the ServiceAccount not yet made, a webhook's cache not yet
    holding the namespace) is retried and answered, and must not outrank what the pods
    that exist report now. A ReplicaSet read from the API says so itself: its controller
    removes ReplicaFailure once a sync creates every pod it wants (kubernetes
    pkg/controller/replicaset/replica_set_utils.go calculateStatus). Otherwise, a pod of
    the controller created at or after the last refusal answers it."""
    ctrl = cluster.get(kind, ns, name)
    status = (ctrl or {}).get("status") or {}
    if kind in ("ReplicaSet", "ReplicationController") and "observedGeneration" in status \
            and not cluster.paste:
        failing = any(c.get("type") == "ReplicaFailure" and c.get("status") == "True"
                      for c in status.get("conditions") or [])
        return "" if failing else (f"{kind} {name} has no ReplicaFailure condition: its last "
                                   f"sync created the pods it wanted ({status.get('replicas', 0)}"
                                   " pods)")
    last = max((last_seen(e)[:19] for e in events if e.get("reason") == "FailedCreate"),
               default="")
    if not last:  # a paste's relative ages: no order to read
        return ""
    since = sorted((meta(p, "creationTimestamp")[:19], meta(p, "name"))
                   for p in cluster.by_kind.get("Pod", ()) if meta(p, "namespace") == ns
                   and any(r.get("kind") == kind and r.get("name") == name
                           for r in meta(p, "ownerReferences", []))
                   and meta(p, "creationTimestamp")[:19] >= last)
    return (f"pod {since[-1][1]} created at {since[-1][0]}, after the last refusal at {last}"
            if since else "")


def _describe(g: Group) -> str:
    kind, name = g.owner
    n = len(g.pods)
    if kind == "Pod":
        return f"pod {name}"
    return f"{n} pod{'s' if n != 1 else ''} of {kind} {name}"


def _pod_finding(g: Group, logs) -> dict:
    p = g.problem
    ev = list(p["evidence"])
    if logs and p["cause"] in ("crash_loop", "gpu_pressure", "oom_killed") and p["container"]:
        lines, why = logs(g.ns, g.names[0], p["container"])
        gpu = [x for x in lines if pods_mod.GPU_PATTERNS.search(x)]
        if gpu and p["cause"] == "crash_loop":
            # the crash is the GPU's: CUDA OOM / Xid in the crashed container's own log
            container = next((c for c in (g.pods[0].get("spec") or {}).get("containers") or []
                              if c.get("name") == p["container"]), {})
            p = pods_mod.gpu_problem(gpu[-1], p["container"], container, ev)
            ev = list(p["evidence"])
        if lines:
            shown = (gpu or lines)[-5:]
            ev.append(f"previous logs of {g.names[0]} ({len(shown)} of the last {len(lines)} "
                      f"lines{', GPU errors' if gpu else ''}): "
                      + " | ".join(redact(x)[:200] for x in shown))
        elif why:
            ev.append(f"previous logs unavailable: {why}")
    if len(g.pods) > 1:
        ev.append(f"pods: {', '.join(g.names[:5])}" + (" ..." if len(g.pods) > 5 else ""))
    kind, name = g.owner
    obj = {"kind": kind, "namespace": g.ns, "name": name}
    f = finding(p["severity"], p["cause"], obj, f"{_describe(g)}: {p['message']}", ev, p["fix"],
                basis=p.get("basis", "reported"), confirm=p.get("confirm", ""))
    f.update(count=len(g.pods), pods=g.names[:5], _related=g.names)
    return f


def _absorb(groups, keys) -> tuple[int, list[str], list[str]]:
    """Remove pod groups explained by a workload-level finding: (pods, evidence, names)."""
    n, ev, names = 0, [], []
    for key in keys:
        g = groups.pop(key)
        n += len(g.pods)
        names += g.names
        ev.append(f"{len(g.pods)} pod(s) {g.problem['cause']}: {g.problem['message']}")
        ev += g.problem["evidence"][:2]
    return n, ev, names


def _node_gpu(cluster, node: dict) -> dict | None:
    events = [e for e in cluster.events_for("Node", "", meta(node, "name"))
              if pods_mod.mentions_gpu(e.get("message") or "")]
    if not events:
        return None
    p = pods_mod.gpu_problem(events[-1].get("message", ""), "", {},
                             [f'event {e.get("reason")} (x{e.get("count") or 1}): '
                              f'"{e.get("message", "")[:200]}"' for e in events[-3:]])
    name = meta(node, "name")
    on = [q for q in cluster.pods() if (q.get("spec") or {}).get("nodeName") == name]
    f = finding("error", "gpu_pressure", node, f"node {name}: {p['message']}; {len(on)} pod(s) "
                f"in scope run there", p["evidence"], p["fix"].replace("NODE", name),
                basis="reported")
    names = [meta(q, "name") for q in on]
    f.update(count=len(on), pods=names[:5], _related=names)
    return f


# A node that has GPUs by another account (the pre-1.10 Accelerators count alpha.kubernetes.io/
# nvidia-gpu; gpu-feature-discovery's nvidia.com/gpu.present label) but advertises no
# nvidia.com/gpu, or a device resource at 0: its device plugin is not running there (a taint
# it does not tolerate: NVIDIA/k8s-device-plugin#68) or finds no GPU (the runtime or driver:
# #100), so pods requesting it stay Pending
_DEVICE_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "habana.ai/gaudi")


def _gpu_not_advertised(node: dict) -> dict | None:
    capacity = (node.get("status") or {}).get("capacity") or {}
    labels = (node.get("metadata") or {}).get("labels") or {}
    zero = [r for r in _DEVICE_RESOURCES if str(capacity.get(r, "")).strip() == "0"]
    legacy = str(capacity.get("alpha.kubernetes.io/nvidia-gpu", "0")).strip()
    present = labels.get("nvidia.com/gpu.present") == "true"
    if zero:
        why = f"its capacity lists {zero[0]}: 0"
    elif "nvidia.com/gpu" not in capacity and legacy not in ("", "0"):
        why = f"it has alpha.kubernetes.io/nvidia-gpu: {legacy} but no nvidia.com/gpu"
    elif "nvidia.com/gpu" not in capacity and present and capacity:
        why = "it is labelled nvidia.com/gpu.present=true but has no nvidia.com/gpu capacity"
    else:
        return None
    name = meta(node, "name")
    f = finding("error", "gpu_not_advertised", node,
                f"node {name or '(unnamed in the paste)'} advertises no GPU: {why}, so its device plugin is not running "
                "there or finds no GPU", [why], _FIX["gpu_not_advertised"],
                basis="reported", confirm="kubectl get pods -A -o wide --field-selector "
                f"spec.nodeName={name or 'NODE'} | grep -i device-plugin")
    f.update(count=0, pods=[], _related=[])
    return f


def _gpus_unhealthy(node: dict) -> dict | None:
    status = node.get("status") or {}
    found = unhealthy_devices(status.get("capacity") or {}, status.get("allocatable") or {})
    if not found:
        return None
    res, total, healthy = found
    name = meta(node, "name")
    f = finding("error", "gpu_xid_hardware", node,
                f"node {name or '(unnamed in the paste)'}: "
                f"{unhealthy_gpus(res, total - healthy, total)}",
                [f"capacity {res}: {total}, allocatable {res}: {healthy}"],
                UNHEALTHY_GPU_FIX.replace("NODE", name or "NODE"), basis="inferred",
                confirm=f"kubectl logs -n <device plugin namespace> <its pod on {name or 'NODE'}>"
                " | grep -i unhealthy")
    f.update(count=0, pods=[], _related=[])
    return f


def _nodes(cluster) -> list[dict]:
    out = []
    for node in cluster.nodes():
        out += [f for f in (_node_gpu(cluster, node), _gpu_not_advertised(node),
                            _gpus_unhealthy(node)) if f]
        conds = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or []}
        ready = conds.get("Ready")
        if ready and ready.get("status") == "True" and (node.get("spec") or {}).get(
                "unschedulable"):
            out.append(_cordoned(cluster, node))
        if not ready or ready.get("status") == "True":
            continue
        name = meta(node, "name")
        on = [p for p in cluster.pods() if (p.get("spec") or {}).get("nodeName") == name]
        ev = [f"Ready={ready.get('status')} since {ready.get('lastTransitionTime', '?')}: "
              f"{ready.get('reason', '')} \"{ready.get('message', '')}\""]
        taints = [f"{t.get('key')}:{t.get('effect')}" for t in
                  (node.get("spec") or {}).get("taints") or []]
        if taints:
            ev.append("taints: " + ", ".join(taints))
        ev += [f"{c}={v.get('status')}" for c, v in conds.items()
               if c != "Ready" and v.get("status") == "True"]
        if on:
            ev.append(f"{len(on)} pod(s) in scope on it: "
                      + ", ".join(meta(p, "name") for p in on[:5]))
        # in namespace scope a NotReady node without our pods is context, not our failure
        severity = "error" if on or cluster.scope_ns is None else "info"
        f = finding(severity, "node_not_ready", node,
                    f"node {name} is NotReady ({ready.get('reason') or ready.get('status')}); "
                    f"{len(on)} pod(s) in scope run there",
                    ev, f"check the kubelet and container runtime on {name}; if the machine is "
                        f"gone: kubectl cordon {name} && kubectl drain {name} "
                        "--ignore-daemonsets --delete-emptydir-data (or delete the Node) so its "
                        "pods are recreated elsewhere", basis="reported")
        names = [meta(p, "name") for p in on]
        f.update(count=len(on), pods=names[:5], _related=names)
        out.append(f)
    return out


def _cordoned(cluster, node: dict) -> dict:
    """A Ready node with spec.unschedulable (kubectl: Ready,SchedulingDisabled): cordoned by
    kubectl cordon/drain and never uncordoned, so no new pod lands there (canonical/microk8s
    #468: the stop script drained the node and the start did not uncordon it)."""
    name = meta(node, "name")
    pending = [meta(p, "name") for p in cluster.pods()
               if (p.get("status") or {}).get("phase") == "Pending"]
    severity = "warning" if pending or cluster.paste else "info"
    f = finding(severity, "unschedulable_cordoned", node,
                f"node {name} is cordoned (SchedulingDisabled): the scheduler places no new pod "
                "on it", ["spec.unschedulable: true"
                          + (" (kubectl get nodes: Ready,SchedulingDisabled)"
                             if node.get("_source") == "table" else "")]
                + ([f"{len(pending)} pod(s) Pending: " + ", ".join(pending[:5])] if pending
                   else []),
                f"kubectl uncordon {name} once its maintenance is over (a drain cordons it; "
                "nothing uncordons it by itself)", basis="reported")
    f.update(count=len(pending), pods=pending[:5], _related=pending)
    return f


def _workloads_admitted(cluster, groups) -> list[dict]:
    out = []
    by_owner: dict = {}
    if cluster.by_kind.get("Workload"):
        for p in cluster.pods():
            by_owner.setdefault((meta(p, "namespace"), cluster.owner(p)), []).append(p)
    for wl in cluster.by_kind.get("Workload", ()):
        if not cluster.in_scope(wl):
            continue
        conds = {c.get("type"): c for c in (wl.get("status") or {}).get("conditions") or []}
        if (conds.get("Admitted") or {}).get("status") != "True" or \
                (conds.get("Finished") or {}).get("status") == "True":
            continue
        ns = meta(wl, "namespace")
        owners = [(r.get("kind"), r.get("name")) for r in meta(wl, "ownerReferences", [])]
        job_pods = [p for o in owners for p in by_owner.get((ns, o), [])]
        if any((p.get("status") or {}).get("phase") in ("Running", "Succeeded")
               for p in job_pods):
            continue
        keys = [k for k, g in groups.items() if g.ns == ns and g.owner in owners]
        n, ev, _ = _absorb(groups, keys)
        ev.insert(0, f"Workload {meta(wl, 'name')} Admitted=True: "
                     f"\"{(conds['Admitted'].get('message') or '')[:200]}\"")
        if not job_pods:
            ev.append("no pods exist for it")
        kind, name = owners[0] if owners else ("Workload", meta(wl, "name"))
        f = finding("error" if job_pods else "warning", "admitted_not_started",
                    {"kind": kind, "namespace": ns, "name": name},
                    f"{kind} {name} is admitted by Kueue but its pods never started "
                    f"({len(job_pods)} pod(s), none running)", ev,
                    "hand off to the k8s-kueue skill: scripts/explain_pending.py -n "
                    f"{ns} {name}; Kueue quota is not node capacity - fix what the pods' "
                    "scheduling evidence names (flavor nodeLabels/tolerations, nodeSelector, "
                    "requests), then the pods start without re-queueing", basis="reported")
        names = [meta(p, "name") for p in job_pods]
        f.update(count=max(n, len(job_pods)), pods=names[:5],
                 _related=names + [meta(wl, "name")])
        out.append(f)
    return out


def _rollouts(cluster, groups) -> list[dict]:
    out = []
    for dep in cluster.by_kind.get("Deployment", ()):
        if not cluster.in_scope(dep):
            continue
        conds = {c.get("type"): c for c in (dep.get("status") or {}).get("conditions") or []}
        prog = conds.get("Progressing") or {}
        if prog.get("reason") != "ProgressDeadlineExceeded":
            continue
        ns, name = meta(dep, "namespace"), meta(dep, "name")
        keys = [k for k, g in groups.items() if g.ns == ns and g.owner == ("Deployment", name)]
        causes = [groups[k].problem for k in keys]
        n, ev, names = _absorb(groups, keys)
        st = dep.get("status") or {}
        said = prog.get("message") or ""  # describe prints no message column
        ev.insert(0, "Progressing=False ProgressDeadlineExceeded" + (f': "{said}"' if said else ""))
        ev.insert(1, f"replicas {st.get('replicas', 0)}, updated {st.get('updatedReplicas', 0)}"
                     f", available {st.get('availableReplicas', 0)}, unavailable "
                     f"{st.get('unavailableReplicas', 0)}")
        failed = conds.get("ReplicaFailure") or {}
        if failed.get("status") == "True":  # the ReplicaSet's pod creates are refused
            ev.insert(1, f"ReplicaFailure=True {failed.get('reason', '')}"
                         + (f': "{failed["message"]}"' if failed.get("message") else ""))
        fix = (f"{causes[0]['fix']}; the rollout resumes once new pods are Ready"
               if causes else
               "the new ReplicaSet cannot create its pods: kubectl describe rs shows the "
               "refusal (ResourceQuota, LimitRange, an admission webhook, Pod Security)"
               if failed.get("status") == "True" else
               "find why the new ReplicaSet's pods are not Ready (kubectl describe rs)")
        fix += f"; or roll back now: kubectl rollout undo deployment/{name} -n {ns}"
        why = f": new pods {causes[0]['cause']} ({causes[0]['message']})" if causes else ""
        f = finding("error", "rollout_stuck", dep,
                    f"Deployment {name} rollout is stuck{why}", ev, fix, basis="reported")
        f.update(count=max(n, int(st.get("unavailableReplicas") or 0)), pods=names[:5],
                 _related=names,
                 related_cause=causes[0]["cause"] if causes else "")
        out.append(f)
    return out


def _pvcs(cluster, groups) -> list[dict]:
    out = []
    classes = {meta(s, "name") for s in cluster.by_kind.get("StorageClass", ())}
    have_classes = cluster.knows_all("StorageClass")
    for pvc in cluster.by_kind.get("PersistentVolumeClaim", ()):
        if not cluster.in_scope(pvc) or (pvc.get("status") or {}).get("phase") != "Pending":
            continue
        ns, name = meta(pvc, "namespace"), meta(pvc, "name")
        sc = (pvc.get("spec") or {}).get("storageClassName")
        users = [k for k, g in groups.items() if g.ns == ns and g.problem["cause"] ==
                 "pvc_pending" and any(_uses_claim(p, name) for p in g.pods)]
        n, ev, names = _absorb(groups, users)
        events = [e for e in cluster.events_for("PersistentVolumeClaim", ns, name)]
        ev = [f'event {e.get("reason")}: "{e.get("message", "")[:200]}"' for e in events[-2:]] + ev
        gone = any("not found" in (e.get("message") or "") and "storageclass" in
                   (e.get("message") or "").lower() for e in events)
        if sc and ((have_classes and sc not in classes) or gone):
            msg = f"StorageClass {sc} does not exist"
            known = ", ".join(sorted(classes)) or "none exist: install a provisioner or create a PV"
            fix = (f"StorageClass is immutable on a PVC: recreate PVC {name} with "
                   f"storageClassName set to an existing class ({known})")
        elif not sc and have_classes and not any(
                (meta(s, "annotations", {}) or {}).get(
                    "storageclass.kubernetes.io/is-default-class") == "true"
                for s in cluster.by_kind.get("StorageClass", ())):
            msg, fix = ("no storageClassName and no default StorageClass",
                        "set storageClassName to an existing class or mark one as default")
        else:
            msg = f"StorageClass {sc or '(default)'} has not provisioned a volume"
            fix = ("check the provisioner for this StorageClass (its pods and events); with "
                   "WaitForFirstConsumer the PVC binds only after a pod using it schedules (a pod "
                   "pinned with spec.nodeName skips the scheduler, so its claim is never bound: "
                   "use a nodeSelector on kubernetes.io/hostname; openebs/lvm-localpv#379)")
        f = finding("error", "pvc_pending", pvc, f"PVC {name} is Pending: {msg}"
                    + (f"; {n} pod(s) wait for it" if n else ""), ev, fix, basis="reported")
        f.update(count=n, pods=names[:5], _related=names)
        out.append(f)
    return out


def _uses_claim(pod: dict, claim: str) -> bool:
    return any(((v.get("persistentVolumeClaim") or {}).get("claimName")) == claim
               for v in (pod.get("spec") or {}).get("volumes") or [])
