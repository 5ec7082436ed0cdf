"""MultiKueue: why a Workload waits on the manager cluster, read from what Kueue wrote.

Sources, kueue v0.19.2 pkg/controller/admissionchecks/multikueue/:
- workload.go: the check state's message. l.232/234 `No multikueue adapter found[ for owner
  kind "<gvk>"]` and l.248 `The owner is not managed by Kueue: <why>` (Rejected, v0.9+);
  l.1237 `The workload was admitted on "<worker>"` (Ready; v0.9-v0.18 `The workload got
  reservation on "<worker>"`); l.559 `Admitting remote lost` (Retry; before v0.19
  `Reserving remote lost`); l.566 `Admission check is Ready but no admitting cluster is
  recorded; ...` (v0.19); l.568 `Admitting remote no longer exists` (v0.19); l.407 `Remote
  workload on worker cluster "<w>" is out of sync with its user job, resetting for
  re-dispatch` (v0.19); l.476 `Workload evicted on worker cluster: "<w>", resetting for
  re-admission. Previously: "<state>"` (v0.16+). From v0.19 updateACS (l.275) appends
  `, Previously: "<state>"` to every message it writes.
- admissioncheck.go l.62-110: the AdmissionCheck's Active condition: reason Active, or
  BadConfig `Cannot load the AdmissionChecks parameters: <err>`, or (some / all of the
  MultiKueueConfig's clusters unusable) SomeActiveClusters (still True) / NoUsableClusters
  (False) with `Missing clusters: [a b], Inactive clusters: [c]`.
- multikueuecluster.go: MultiKueueCluster Active condition. l.923 True/Active `Connected`;
  False: l.947 BadKubeConfig, l.951 InsecureKubeConfig, l.933 BadClusterProfile, l.940
  BadRestConfig, l.929 MultiKueueClusterProfileFeatureDisabled (message `load client config
  failed: <err>`, l.900), l.914 ClientConnectionFailed (the connection error).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.objects import dig, name_of, namespace_of

from _kueue.objects import admission_check_names

CONTROLLER = "kueue.x-k8s.io/multikueue"

# Check-state message -> what it means on the manager (newest wording first).
_STATE = [
    (r"No multikueue adapter found", "MultiKueue has no adapter for the job's kind: enable that "
     "integration for MultiKueue (Kueue Configuration integrations / externalFrameworks) or "
     "run the job without the MultiKueue check"),
    (r"The owner is not managed by Kueue: (?P<why>.+?)(?:, Previously:|$)",
     "the job is not set up for MultiKueue dispatch ({why}): set the job's spec.managedBy to "
     "kueue.x-k8s.io/multikueue (Job, JobSet and others) and recreate it; a batch/v1 Job "
     "keeps spec.managedBy only where the API server's JobManagedBy feature gate is on (off "
     "by default before Kubernetes 1.32: the field is dropped, kueue#5613)"),
    (r"The workload (?:was admitted|got reservation) on \"?(?P<worker>[^\",]+)\"?",
     "worker {worker} admitted it; the job runs there"),
    (r"(?:Admitting|Reserving) remote lost",
     "the worker that admitted it became unreachable for longer than workerLostTimeout: "
     "Kueue drops that copy and dispatches again; look at that MultiKueueCluster's Active "
     "condition"),
    (r"Admission check is Ready but no admitting cluster is recorded",
     "the check is Ready but the Workload names no worker in status.clusterName (a Kueue bug "
     "or a hand-edited Workload): Kueue retries the dispatch; report it to Kueue if it "
     "repeats"),
    (r"Admitting remote no longer exists",
     "the worker's copy of the Workload is gone (deleted, or removed as out of sync): Kueue "
     "dispatches again"),
    (r"Remote workload on worker cluster \"?(?P<worker>[^\"]+)\"? is out of sync",
     "the job on worker {worker} no longer matches the manager's (its spec changed): Kueue "
     "removes it and dispatches again"),
    (r"Workload evicted on worker cluster: \"?(?P<worker>[^\"]+)\"?",
     "worker {worker} evicted it (preemption or PodsReady timeout there): it waits for "
     "re-admission; run explain_eviction.py against that worker"),
]

# v0.15+ reasons; v0.9-v0.14 wrote BadConfig for any kubeconfig failure (l.414 at v0.14.0).
CLUSTER_REASONS = {
    "BadConfig": "the kubeconfig Secret (or file) could not be loaded (v0.9-v0.14)",
    "BadKubeConfig": "the kubeconfig Secret (or file) is missing, lacks the `kubeconfig` key, "
                     "or does not parse",
    "InsecureKubeConfig": "the kubeconfig uses something MultiKueue refuses (tokenFile, "
                          "insecure TLS, certificate-authority paths, exec or auth plugins, "
                          "no server URL)",
    "BadClusterProfile": "the ClusterProfile or its access provider gave no usable "
                         "credentials",
    "BadRestConfig": "the ClusterProfile's credentials failed validation",
    "MultiKueueClusterProfileFeatureDisabled": "clusterSource.clusterProfileRef needs the "
                                               "MultiKueueClusterProfile feature gate",
    "ClientConnectionFailed": "the manager cannot reach the worker's apiserver or watch "
                              "Workloads there (network, credentials, Kueue CRDs missing on "
                              "the worker)",
}


def _condition(obj: dict | None, ctype: str) -> dict:
    for cond in dig(obj or {}, "status", "conditions", default=[]) or []:
        if isinstance(cond, dict) and cond.get("type") == ctype:
            return cond
    return {}


def _multikueue_checks(wl: dict, checks: dict[str, dict]) -> list[dict]:
    out = []
    for state in dig(wl, "status", "admissionChecks", default=[]) or []:
        if not isinstance(state, dict):
            continue
        check = checks.get(str(state.get("name")))
        controller = dig(check or {}, "spec", "controllerName", default="")
        if controller == CONTROLLER or (check is None and any(
                re.search(p, str(state.get("message", ""))) for p, _ in _STATE)):
            out.append(state)
    return out


def _clusters(others: list[dict]) -> dict[str, dict]:
    return {name_of(o): o for o in others if o.get("kind") == "MultiKueueCluster"}


def _bracketed(message: str, label: str) -> list[str]:
    found = re.search(label + r": \[([^\]]*)\]", message)
    return found.group(1).split() if found else []


def cluster_line(name: str, cluster: dict | None) -> str:
    """What one MultiKueueCluster's Active condition says, or that it is absent."""
    if cluster is None:
        return f"MultiKueueCluster {name} is not in the input"
    active = _condition(cluster, "Active")
    column = str((cluster.get("_columns") or {}).get("CONNECTED", ""))
    if not active and column == "False":
        return _table_line(name)
    if not active:
        return f"MultiKueueCluster {name}: no Active condition yet (not reconciled)"
    if active.get("status") == "True":
        return f"MultiKueueCluster {name}: Active"
    reason = str(active.get("reason", ""))
    meaning = CLUSTER_REASONS.get(reason, "")
    kind = re.search(r'no matches for kind "([^"]+)" in version "([^"]+)"',
                     str(active.get("message", "")))
    if kind:
        # MultiKueue watches every enabled integration's kind on the worker: one missing CRD
        # fails the whole connection (kubernetes-sigs/kueue#3582)
        meaning = (f"the worker has no {kind[1]} CRD ({kind[2]}) while the manager's Kueue "
                   "enables that integration: install it on every worker, or drop it from "
                   "integrations.frameworks and restart Kueue")
    return (f"MultiKueueCluster {name}: Active=False ({reason}) "
            f"\"{active.get('message', '')}\"" + (f": {meaning}" if meaning else ""))


def evidence(wl: dict, checks: dict[str, dict], others: list[dict]) -> list[str]:
    """Lines explaining the MultiKueue check(s) of one Workload; [] when it has none."""
    states = _multikueue_checks(wl, checks)
    if not states:
        return []
    clusters, out = _clusters(others), []
    for state in states:
        message = str(state.get("message", ""))
        for pattern, meaning in _STATE:
            found = re.search(pattern, message)
            if found:
                out.append(f"MultiKueue check {state.get('name')}: "
                           + meaning.format(**{k: v for k, v in found.groupdict().items()}))
                break
        out += check_lines(checks.get(str(state.get("name"))), clusters)
        if str(state.get("state", "Pending")) == "Pending" and \
                not dig(wl, "status", "clusterName", default=""):
            out.append(_stuck_line(wl))
    return out[:6]


def check_lines(check: dict | None, clusters: dict[str, dict]) -> list[str]:
    """What a MultiKueue AdmissionCheck's Active condition says about its workers."""
    active = _condition(check, "Active")
    reason = str(active.get("reason", ""))
    if check is None or reason not in ("NoUsableClusters", "SomeActiveClusters", "BadConfig"):
        return []
    text = str(active.get("message", ""))
    out = [f"AdmissionCheck {name_of(check)}: Active={active.get('status')} ({reason}) "
           f"\"{text}\"" + (": no worker can take the Workload"
                            if reason == "NoUsableClusters" else "")]
    for name in _bracketed(text, "Missing clusters"):
        out.append(f"MultiKueueCluster {name} does not exist: create it or drop it from the "
                   "MultiKueueConfig's spec.clusters")
    for name in _bracketed(text, "Inactive clusters"):
        out.append(cluster_line(name, clusters.get(name)))
    return out


def queue_check_evidence(cq: dict | None, checks: dict[str, dict],
                         others: list[dict]) -> list[str]:
    """For a ClusterQueue made inactive by a MultiKueue check (AdmissionCheckInactive): the
    check's workers and why each is unusable (the Workload itself has no check state yet)."""
    clusters, out = _clusters(others), []
    for name in admission_check_names(cq or {}):
        check = checks.get(name)
        if dig(check or {}, "spec", "controllerName", default="") == CONTROLLER:
            out += check_lines(check, clusters)
    return out


def _stuck_line(wl: dict) -> str:
    nominated = dig(wl, "status", "nominatedClusterNames", default=[]) or []
    queue = dig(wl, "spec", "queueName", default="") or "<its LocalQueue>"
    where = f"dispatched to {', '.join(map(str, nominated))}" if nominated else \
        "not dispatched to any worker yet"
    return (f"no worker has admitted it ({where}): each worker needs namespace "
            f"{namespace_of(wl)} with LocalQueue {queue} (the copy keeps the queue name) and a "
            "ClusterQueue with quota; run explain_pending.py on a worker "
            "(kubectl --context <worker>) to see why its copy waits")


def _table_line(name: str) -> str:
    return (f"MultiKueueCluster {name}: CONNECTED False (a table row: its Active condition's "
            "reason and message are in -o yaml)")


def _connected(cluster: dict[str, Any]) -> str:
    """The Active condition's status, or the CONNECTED column of a `kubectl get` row (the
    printcolumn `.status.conditions[?(@.type=='Active')].status`, apis/kueue/v1beta2/
    multikueue_types.go:121@v0.19.2, since v0.11); '' when neither is shown."""
    active = _condition(cluster, "Active")
    column = str((cluster.get("_columns") or {}).get("CONNECTED", ""))
    return str(active.get("status", column))


def disconnected_clusters(others: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """MultiKueueClusters Kueue reports not connected (Active=False; `kubectl get
    multikueueclusters` prints that condition's status as CONNECTED): (the cluster, what it
    says). Workloads whose MultiKueue check may only use these workers wait Pending."""
    return [(cluster, cluster_line(name_of(cluster), cluster))
            for cluster in _clusters(others).values() if _connected(cluster) == "False"]


def other_workers_usable(others: list[dict[str, Any]],
                         checks: dict[str, dict[str, Any]]) -> bool:
    """Whether the input shows MultiKueue can still dispatch somewhere: a MultiKueueCluster
    connected (Active True), or a MultiKueue AdmissionCheck whose Active condition is True.
    admissioncheck.go:62-104@v0.19.2 writes True (reason Active) only when every cluster of
    its MultiKueueConfig is connected, and keeps it True with reason SomeActiveClusters ("keep
    it partially active") while only some are missing or inactive; NoUsableClusters is False.
    Then a disconnected worker is one lead among others, not the blocker."""
    if any(_connected(c) == "True" for c in _clusters(others).values()):
        return True
    return any(dig(check, "spec", "controllerName", default="") == CONTROLLER
               and _condition(check, "Active").get("status") == "True"
               for check in checks.values())
