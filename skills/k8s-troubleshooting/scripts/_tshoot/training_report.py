"""From a training object's verdict to ranked findings: the object's own status first read
(training.py), then what failed first below it - the first failed child Job, its pods, the
replica type's pods - classified as triage classifies pods, and the rank logs in the input
read as explain_gpu_failure.py reads them."""
from __future__ import annotations

import re

from k8s_skillkit.admission_denials import WEBHOOK_CAUSE, Refusal, refusals
from k8s_skillkit.findings import finding
from k8s_skillkit.objects import name_of, namespace_of

from _tshoot import pods as pods_mod
from _tshoot import template_checks
from _tshoot.model import Cluster
from _tshoot.stamps import order_key
from _tshoot.training import (KINDS, KUBEFLOW_V1, POD_LABELS, RESOURCES, Verdict, condition,
                              first_failed_job, jobset_verdict, kubeflow_verdict, labels,
                              lws_verdict, rayjob_verdict, trainjob_verdict)

JOB_NAME_LABELS = ("batch.kubernetes.io/job-name", "job-name")
# Log findings that name a root cause on their own outrank the pod's termination reason;
# the rest (NCCL symptoms, application Xids) come after it.
DECISIVE_LOG_CAUSES = ("gpu_xid_hardware", "nccl_duplicate_gpu", "cuda_out_of_memory",
                       "nccl_shm_exhausted", "dev_shm_exhausted")


def training_objects(cluster: Cluster, name: str | None) -> list[dict]:
    found = [o for kind in KINDS for o in cluster.by_kind.get(kind, ())
             if cluster.in_scope(o) and (not name or name_of(o) == name)]
    return [o for o in found if not (is_manifest(o) and _seen_elsewhere(o, found))]


# Fields only the apiserver sets: an object without them and without a status is the user's
# own manifest (the file they applied), not the object as the cluster holds it.
_SERVER_SET = ("creationTimestamp", "uid", "resourceVersion")


def is_manifest(obj: dict) -> bool:
    meta = obj.get("metadata") or {}
    return (obj.get("_source") not in ("table", "log") and not obj.get("status")
            and not any(meta.get(key) for key in _SERVER_SET))


def _state_unknown(obj: dict) -> bool:
    """The input cannot say what the controller did with it: the user's manifest, or a job
    only a controller's log names."""
    return is_manifest(obj) or obj.get("_source") == "log"


def _seen_elsewhere(obj: dict, found: list[dict]) -> bool:
    """The same job read again from the cluster (a `kubectl get` row, describe text, a dump):
    that record speaks for its state (kubeflow/trainer#1579: the manifest, then the row)."""
    def same(other: dict) -> bool:
        spaces = {namespace_of(obj) or "", namespace_of(other) or ""} - {""}
        return (other is not obj and other.get("kind") == obj.get("kind")
                and name_of(other) == name_of(obj) and len(spaces) <= 1)
    return any(same(other) and not is_manifest(other) for other in found)


# Warning events a training controller writes when the apiserver refuses a child object:
# JobSet JobCreationFailed / HeadlessServiceCreationFailed / PVCCreationFailed
# (jobset_controller.go, volume_claim_policy.go v0.12.0), LWS FailedCreate
# (leaderworkerset_controller.go v0.9.0); the object's status says nothing then.
CREATE_FAILED = re.compile(r"CreationFailed$|^FailedCreate")
# The MPI Operator v2 says the same under its failure reason MPIJobFailed, and sets no
# condition: `launcher pod created failed: %v` (the launcher Job), `worker pod created failed:
# %v` (mpi-operator v0.8.2 pkg/controller/mpi_job_controller.go l.681, l.1028).
MPI_CREATE_FAILED = re.compile(r"^(?:launcher|worker) pod created failed: ")


def verdict_for(cluster: Cluster, obj: dict) -> Verdict | None:
    verdict = (_status_verdict(cluster, obj) or _create_failed(cluster, obj)
               or _template_refused(obj) or _not_reconciled(obj))
    if verdict and obj.get("_source") == "table":
        verdict.evidence = (verdict.evidence if verdict.cause == "training_not_reconciled"
                            else []) + _table_evidence(obj)
    return verdict


# The printer column whose empty cell means the object has no status at all (training.py
# cites the printer columns): the last condition's type for the Kubeflow v1 kinds and
# TrainJob, .status.jobDeploymentStatus for RayJob. A JobSet's or LWS's columns are empty on
# a healthy object too, so a table row of those proves nothing.
_STATUS_COLUMN = {"RayJob": "DEPLOYMENT STATUS", "TrainJob": "STATE",
                  **{kind: "STATE" for kind in KUBEFLOW_V1}}
_SECONDS_OLD = re.compile(r"^\d+s$")
OPERATORS = {  # kind -> the controller that writes its status; default install namespaces
    # from each module's config/default or manifests overlay kustomization.yaml (versions as
    # in training.py)
    "JobSet": "the JobSet controller (jobset-controller-manager, namespace jobset-system)",
    "LeaderWorkerSet": "the LWS controller (lws-controller-manager, namespace lws-system)",
    "RayJob": "the KubeRay operator (kuberay-operator)",
    "TrainJob": "the Kubeflow Trainer controller (kubeflow-trainer-controller-manager, "
                "namespace kubeflow-system)",
    **{kind: "the Kubeflow training-operator (training-operator, namespace kubeflow)"
       for kind in KUBEFLOW_V1},
}


def _not_reconciled(obj: dict) -> Verdict | None:
    """No status at all: no controller has reconciled the object (not running, crashing,
    not watching this namespace, or serving another API version)."""
    kind = obj.get("kind", "")
    if _state_unknown(obj):
        return None  # the file the user applied, or a job a log names: no status to read
    if obj.get("_source") == "table":
        columns = obj.get("_columns") or {}
        column = _STATUS_COLUMN.get(kind)
        if not column or columns.get(column) or _SECONDS_OLD.match(columns.get("AGE", "")):
            return None
        seen = f"its {column} column is empty (age {columns.get('AGE') or '?'})"
    elif any(v for v in (obj.get("status") or {}).values()):
        return None
    else:
        seen = "it has no status"
    operator = OPERATORS.get(kind, "its operator")
    if kind == "MPIJob" and str(obj.get("apiVersion") or "").endswith("/v2beta1"):
        # kubeflow.org/v2beta1 MPIJobs are the standalone MPI Operator's (deploy/v2beta1)
        operator = "the MPI Operator (mpi-operator, namespace mpi-operator)"
    return Verdict("warning", "training_not_reconciled",
                   f"no controller has written a status: {operator} "
                   "is not running, is crash-looping, does not watch this namespace, or does "
                   "not serve this API version", [f"{kind} {name_of(obj)}: {seen}"],
                   "check the operator's pods and logs first (kubectl get pods -A, then "
                   "kubectl logs on the operator's pod), then its watched namespaces and the "
                   "CRD's served versions", basis="inferred")


def _table_evidence(obj: dict) -> list[str]:
    cells = {k: v for k, v in (obj.get("_columns") or {}).items()
             if v and k not in ("NAME", "NAMESPACE")}
    return ["`kubectl get` row: " + ", ".join(f"{k} {v}" for k, v in cells.items()),
            "a table row has no reason, message, restarts policy or children: "
            + _confirm(obj.get("kind", ""), obj) + " shows them"]


def _template_refused(obj: dict) -> Verdict | None:
    """No status, and a pod template the apiserver refuses: the operator cannot create the
    pods (its Warning events say so; the object's status may stay empty)."""
    if (obj.get("status") or {}).get("conditions") or is_manifest(obj):
        return None
    found = template_checks.refusals(obj)
    if not found:
        return None
    return Verdict("error", "training_invalid",
                   f"the apiserver refuses the pods the operator builds from the "
                   f"{obj.get('kind')}'s pod template, so the job gets no pods",
                   found[:3], "fix the template field named (the training object's own schema "
                   "does not validate its embedded pod templates), then re-create the job",
                   basis="inferred",
                   confirm=f"kubectl get events -n {namespace_of(obj) or 'NAMESPACE'} "
                           f"--field-selector involvedObject.name={name_of(obj)}")


def _create_failed(cluster: Cluster, obj: dict) -> Verdict | None:
    events = [e for e in cluster.events_for(obj.get("kind", ""), namespace_of(obj),
                                            name_of(obj))
              if e.get("type") == "Warning" and (CREATE_FAILED.search(e.get("reason") or "")
                                                 or MPI_CREATE_FAILED.match(e.get("message") or ""))]
    if not events:
        return None
    last = events[-1]
    said = "controller log" if str((last.get("source") or {}).get("component", "")).endswith(
        "(log)") else f"event {last.get('reason')}"  # _tshoot.training_logs
    message = (last.get("message") or "").strip()
    called = webhook_call_failed(message)
    if called:  # the webhook did not answer: its Service, pods or the path to them
        return Verdict("error", "admission_webhook_denied",
                       f"the controller cannot create the {obj.get('kind')}'s child objects: "
                       f"the API server cannot call admission webhook {called.webhook} "
                       f"({called.call_error[:120]}) and so refuses them",
                       [f"{said}: \"{message[:300]}\""], WEBHOOK_CALL_FIX)
    webhook = _WEBHOOK_DENIED.search(message)
    if webhook:  # a policy refusing the pods, not the job's schema
        return Verdict("error", "admission_webhook_denied",
                       f"the controller cannot create the {obj.get('kind')}'s pods: admission "
                       f"webhook {webhook.group(1)} denies them", [f"{said}: \"{message[:300]}\""],
                       f"the webhook {webhook.group(1)} refuses what the operator creates: fix "
                       "what its message names in the job's template, or the webhook (its "
                       "configuration, its own release) when the message is its own error")
    no_kind = _NO_KIND.search(message)
    fix = ("the cluster's API does not declare the field named: its Kubernetes (or the CRD) "
           "is older than this operator's release needs; upgrade the cluster or install the "
           "operator release for it" if _UNDECLARED.search(message) else
           f"the cluster serves no {no_kind.group(1)} API: install the CRD and controller that "
           "this operator creates its children with (Kubeflow Trainer v2 runs each TrainJob "
           "as a JobSet: install JobSet), at the version its release needs (kubectl "
           "api-resources lists what is served)" if no_kind else
           "fix the template field the apiserver names (the training object's own schema does "
           "not validate its embedded Job/pod templates)")
    why = (f"the cluster has no API for their kind {no_kind.group(1)}" if no_kind
           else "the apiserver refuses them")
    return Verdict("error", "training_invalid",
                   f"the controller cannot create the {obj.get('kind')}'s child objects: {why}",
                   [f"{said}: \"{message[:300]}\""], fix)


def webhook_call_failed(message: str) -> Refusal | None:
    """The kit's reading of `failed calling webhook "NAME": WHY` in a message, if any."""
    return next((r for r in refusals(message.replace('\\"', '"'))
                 if r.cause == WEBHOOK_CAUSE and r.call_error), None)


# The apiserver calls the webhook's Service; a failurePolicy Fail webhook that does not answer
# refuses the object. A timeout ("context deadline exceeded") is a call nothing answered in
# timeoutSeconds: a service mesh sidecar in the webhook's pod intercepting the apiserver's
# HTTPS call (kubeflow/community-distribution#3396, #3322: Istio in front of the JobSet
# webhook), a firewall or network policy, or a slow webhook.
WEBHOOK_CALL_FIX = ("make the webhook answer: its Service needs ready endpoints (kubectl get "
                    "endpoints -n <webhook namespace>; the webhook's pods and logs); a timeout "
                    "(context deadline exceeded) is a call nothing answered - a service mesh "
                    "sidecar injected into the webhook's pod intercepting the API server's "
                    "call (exclude the webhook port from interception or disable injection "
                    "there), a firewall or NetworkPolicy between the API server and the pod, "
                    "or a webhook too slow for its timeoutSeconds; if the webhook was "
                    "uninstalled, delete its leftover Mutating/ValidatingWebhookConfiguration")


_WEBHOOK_DENIED = re.compile(r"admission webhook \\?\"?([\w.-]+)\\?\"? denied the request")
# server-side apply of a field the server's schema lacks (structured-merge-diff's wording):
# StatefulSet spec.ordinals before 1.26 (kubernetes-sigs/lws#401, lws#406)
_UNDECLARED = re.compile(r"field not declared in schema")
# The child's kind has no API in the cluster (its CRD is not installed, or not at the version
# asked): k8s.io/apimachinery v0.37.2 pkg/api/meta/errors.go NoKindMatchError.Error l.114-118,
# `no matches for kind %q in version %q` (and `in group %q`, `in versions %q`); the Trainer
# v2.2.1 TrainJobResourcesCreationFailed event (trainjob_controller.go l.129-133) carries it
# when JobSet is not installed.
_NO_KIND = re.compile(r"no matches for kind \\?\"?([\w.]+)\\?\"? in (?:version|group)")


def _status_verdict(cluster: Cluster, obj: dict) -> Verdict | None:
    kind = obj.get("kind", "")
    if kind == "JobSet":
        return jobset_verdict(obj, child_jobs(cluster, obj))
    if kind == "TrainJob":
        return trainjob_verdict(obj, child_jobs(cluster, obj))
    if kind == "LeaderWorkerSet":
        return lws_verdict(obj, related_pods(cluster, obj))
    if kind == "RayJob":
        return rayjob_verdict(obj)
    if kind in KUBEFLOW_V1:
        return kubeflow_verdict(_with_event_state(cluster, obj), kind)
    return None


# The training-operator records each condition it sets as an event of the same reason and
# message: reason = kind + one of these (pkg/common/util NewReason; the per-kind constants
# "TFJobRestarting", ... before v1.3), so without the status its last event is its state.
_KUBEFLOW_EVENT = re.compile(r"^(?P<kind>[A-Za-z]+Job)(?P<type>Created|Running|Restarting|"
                             r"Succeeded|Failed|FailedValidation|Suspended|Resumed)$")
# The MPI Operator v2's failure events carry other reasons (training.py MPI_V2_FAILED, cited
# there): the launcher Job's Failed reason, MPIJobEvicted, ValidationError.
_MPI_V2_EVENT = re.compile(r"^(?:BackoffLimitExceeded(?:/\w*)?|DeadlineExceeded|MPIJobEvicted|"
                           r"ValidationError)$")


def _with_event_state(cluster: Cluster, obj: dict) -> dict:
    if (obj.get("status") or {}).get("conditions"):
        return obj
    latest = None
    for event in cluster.events_for(obj.get("kind", ""), namespace_of(obj), name_of(obj)):
        m = _KUBEFLOW_EVENT.match(event.get("reason") or "")
        if MPI_CREATE_FAILED.match(event.get("message") or ""):
            continue  # a refused child object, not the job's state (_create_failed reads it)
        if m and m["kind"] == obj.get("kind"):
            latest = (event, m["type"])
        elif obj.get("kind") == "MPIJob" and _MPI_V2_EVENT.match(event.get("reason") or ""):
            latest = (event, "Failed")
    if latest is None:
        return obj
    event, type_ = latest
    cond = {"type": "Failed" if type_ == "FailedValidation" else type_, "status": "True",
            "reason": event.get("reason"), "message": event.get("message") or "",
            "_event": "controller log, event" if event.get("_source") == "log" else "event"}
    return {**obj, "status": {**(obj.get("status") or {}), "conditions": [cond]}}


def findings_for(cluster: Cluster, obj: dict, log_findings: list[dict]) -> list[dict]:
    """The object's findings, root cause first."""
    verdict = verdict_for(cluster, obj)
    if verdict is None and _state_unknown(obj):
        return [_state_not_in_input(obj)]
    if verdict is None:
        return []
    culprit = _first_pod_problem(cluster, obj, verdict)
    job_finding = _job_finding(cluster, obj, verdict, culprit)
    if verdict.severity != "error" and verdict.cause == "training_suspended":
        return [job_finding]
    decisive = [f for f in log_findings if f["cause"] in DECISIVE_LOG_CAUSES]
    rest = [f for f in log_findings if f["cause"] not in DECISIVE_LOG_CAUSES]
    return decisive + ([culprit[1]] if culprit else []) + rest + [job_finding]


def _state_not_in_input(obj: dict) -> dict:
    kind = obj.get("kind", "")
    held = ("a controller's log names it" if obj.get("_source") == "log" else
            "the input holds its manifest only (no status, no creationTimestamp or uid)")
    return finding("info", "not_evaluated", obj,
                   f"{kind} {name_of(obj)}: {held}: what the controller did with it is not in "
                   "the input", [f"{kind} {name_of(obj)}: no status and no server-set metadata"],
                   "paste the object as the cluster holds it", basis="inferred",
                   confirm=_confirm(kind, obj))


def _job_finding(cluster: Cluster, obj: dict, v: Verdict, culprit) -> dict:
    kind = obj.get("kind", "")
    evidence = list(v.evidence)
    if v.first_job:
        evidence.append(f"first failed Job: {v.first_job}" + _job_detail(cluster, obj, v))
    if v.replica_type:
        evidence.append(f"failed replica type: {v.replica_type}")
    if culprit:
        evidence.append(f"first failing pod: {culprit[0]} ({culprit[1]['cause']})")
    elif v.severity == "error":
        key = POD_LABELS.get(kind, "")
        evidence.append(f"no failing pod of it in the input: kubectl get pods -n "
                        f"{namespace_of(obj) or 'NS'} -l {key}={name_of(obj)}, then "
                        "kubectl logs POD --previous on the first that failed")
    confirm = v.confirm or _confirm(kind, obj)
    return finding(v.severity, v.cause, obj, f"{kind} {name_of(obj)}: {v.message}", evidence,
                   v.fix, basis=v.basis, confirm=confirm if v.basis == "inferred" else "")


def _confirm(kind: str, obj: dict) -> str:
    ns = namespace_of(obj)
    return f"kubectl get {RESOURCES[kind]} {name_of(obj)}" + (f" -n {ns}" if ns else "") + \
        " -o yaml"


def _job_detail(cluster: Cluster, obj: dict, v: Verdict) -> str:
    job = cluster.get("Job", namespace_of(obj), v.first_job)
    if job is None:
        return f" (not in the input: kubectl get job {v.first_job} -n {namespace_of(obj)} -o yaml)"
    cond = condition(job, "Failed") or {}
    parent = labels(job).get("jobset.sigs.k8s.io/replicatedjob-name")
    return ((f" of replicated job {parent}" if parent else "")
            + f", Failed reason {cond.get('reason') or '-'}: "
            f"\"{(cond.get('message') or '').strip()[:200]}\"")


def child_jobs(cluster: Cluster, obj: dict) -> list[dict]:
    return [j for j in cluster.by_kind.get("Job", ()) if namespace_of(j) == namespace_of(obj)
            and labels(j).get("jobset.sigs.k8s.io/jobset-name") == name_of(obj)]


def related_pods(cluster: Cluster, obj: dict) -> list[dict]:
    key = POD_LABELS.get(obj.get("kind", ""), "")
    return [p for p in cluster.by_kind.get("Pod", ()) if namespace_of(p) == namespace_of(obj)
            and labels(p).get(key) == name_of(obj)]


def _suspects(cluster: Cluster, obj: dict, v: Verdict) -> list[dict]:
    """The pods where the failure started: the first failed Job's, else the failed replica
    type's, else all of the object's."""
    pods = related_pods(cluster, obj)
    job = v.first_job
    if not job and obj.get("kind") in ("JobSet", "TrainJob"):
        first = first_failed_job(child_jobs(cluster, obj))
        job = name_of(first) if first else ""
    if job:
        of_job = [p for p in cluster.by_kind.get("Pod", ())
                  if namespace_of(p) == namespace_of(obj)
                  and any(labels(p).get(k) == job for k in JOB_NAME_LABELS)]
        return of_job or pods
    if v.replica_type:
        rtype = v.replica_type.lower()
        return [p for p in pods
                if labels(p).get("training.kubeflow.org/replica-type", "").lower() == rtype] \
            or pods
    return pods


def _first_pod_problem(cluster: Cluster, obj: dict, v: Verdict) -> tuple[str, dict] | None:
    """(pod name, finding) of the suspect pod whose container terminated first."""
    found = []
    for pod in _suspects(cluster, obj, v):
        problem = pods_mod.classify(cluster, pod)
        if problem and problem["severity"] in ("error", "warning"):
            found.append((_finished_at(pod), name_of(pod), pod, problem))
    if not found:
        return None
    found.sort(key=lambda t: (order_key(t[0]), t[1]))
    stamp, name, pod, p = found[0]
    evidence = list(p["evidence"])
    if stamp:
        evidence.append(f"terminated at {stamp}, the earliest of {len(found)} failing pod(s)"
                        " of the part that failed first")
    f = finding(p["severity"], p["cause"], pod, f"pod {name}: {p['message']}", evidence,
                p["fix"], basis=p.get("basis", "reported"), confirm=p.get("confirm", ""))
    return name, f


def _finished_at(pod: dict) -> str:
    stamps = []
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        for state in (cs.get("state") or {}, cs.get("lastState") or {}):
            term = state.get("terminated") or {}
            if term.get("finishedAt") and term.get("exitCode") not in (0, None):
                stamps.append(str(term["finishedAt"]))
    return min(stamps, key=order_key) if stamps else ""


