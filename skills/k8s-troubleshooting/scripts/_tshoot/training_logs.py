"""A training controller's own log line about a job it cannot build, when the job itself is
not in the paste.

The controllers log through controller-runtime's zap logger: `<time> ERROR <msg> {json}` in
console format, the JSON holding `"controllerKind"` and the object (`"JobSet": {"name",
"namespace"}`, or `"namespace"` and `"name"`), and the `"error"` the reconciler returned. When
that error is the apiserver refusing a child object (`... is invalid: ...`, `... is
forbidden: ...`, an admission webhook's denial), it is what a FailedCreate event on the job
would say (sigs.k8s.io/jobset pkg/controllers/jobset_controller.go reconcileReplicatedJobs
logs `creating jobs` with it, as kubeflow/trainer#2363 shows: a child Job without limits for a
non-overcommitable resource). The line is read as that event, on a stub of the job it names.
"""
from __future__ import annotations

import json
import re
from typing import Any

from k8s_skillkit import invalid_errors
from k8s_skillkit.admission_denials import WEBHOOK_CAUSE, Refusal, refusals
from k8s_skillkit.logged_events import events_from_logs

from _tshoot.training import KINDS

_JSON_START = re.compile(r"\{\s*\"")
# the apiserver (or an admission webhook) refused what the controller tried to create; a
# server-side apply of a field the cluster's schema lacks fails before validation ("failed to
# create typed patch object (ns/name; apps/v1, Kind=StatefulSet): .spec.ordinals: field not
# declared in schema": a cluster older than the operator's API, kubernetes-sigs/lws#401)
# ... or could not call an admission webhook whose failurePolicy is Fail, and refused the object
# all the same (k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go `failed calling webhook %q:
# %v`; kubeflow/community-distribution#3396: the Trainer's JobSet timing out on mjobset.kb.io)
_REFUSED = re.compile(r"\bis invalid: |\bis forbidden: |admission webhook \S+ denied|"
                      r"failed to create typed patch object|field not declared in schema|"
                      r"failed calling webhook", re.I)


def read(lines: list[str], jobs: list[dict[str, Any]] = ()) -> tuple[list[dict[str, Any]],
                                                                     list[dict[str, Any]]]:
    """(stub jobs, events) from the controller log lines in `lines`: FailedCreate from a
    refused child object, and the events a recorder logged (kit logged_events) on a job.
    `jobs`: the training objects the paste holds besides (a refusal that names no job is
    the paste's only job's: a `kubectl describe` event row pasted apart from its job,
    openkruise/kruise#1863)."""
    stubs: dict[tuple[str, str, str], dict[str, Any]] = {}
    events = []
    for event in events_from_logs(lines):
        ref = event["involvedObject"]
        if ref.get("kind") in KINDS and ref.get("name"):
            _stub(stubs, ref["kind"], ref.get("namespace") or "", ref["name"])
            events.append(event)
    helpers = []  # refusals a job controller's helper reconciler logged (its pod controller)
    for line in lines:
        record = _record(str(line))
        if record is None and _REFUSED.search(str(line)):
            # a text-format log (logrus `msg="reconcilePods error Pod \"x\" is invalid: ..."`,
            # klog `Error syncing tfjob: ...`; kubeflow/trainer#707): the refusal, with no
            # object fields; it is the job's when the log names one job
            row = _EVENT_ROW.match(str(line))  # a describe event row, not a log line
            helpers.append(("", str(line).strip() if row else
                            _refusal_text(_unescape(str(line)))))
            continue
        kind = _kind(record) if record else ""
        error = str(record.get("error") or "") if record else ""
        if not _REFUSED.search(error):
            continue
        if kind not in KINDS:
            helpers.append((str(record.get("namespace") or ""), error))
            continue
        ref = record.get(kind) if isinstance(record.get(kind), dict) else record
        name, namespace = str(ref.get("name") or ""), str(ref.get("namespace") or "")
        if not name:
            continue
        _stub(stubs, kind, namespace, name)
        events.append(_failed_create(kind, namespace, name, error))
    known = {(str(j.get("kind")), str((j.get("metadata") or {}).get("namespace") or ""),
              str((j.get("metadata") or {}).get("name") or "")): j for j in jobs}
    return list(stubs.values()), events + _helper_refusals({**known, **stubs}, helpers)


# `kubectl describe`'s event row: Type, Reason, Age, From, Message
_EVENT_ROW = re.compile(r"^\s*Warning\s+(?P<reason>\w+)\s+\S+(?:\s+\(x\d+ over \S+\))?\s+"
                        r"(?P<source>\S+)\s+(?P<message>.+)$")


def _failed_create(kind: str, namespace: str, name: str, error: str) -> dict[str, Any]:
    row = _EVENT_ROW.match(error)
    if row:  # the event itself, as describe printed it
        return {"kind": "Event", "type": "Warning", "reason": row.group("reason"),
                "message": row.group("message"),
                "involvedObject": {"kind": kind, "name": name, "namespace": namespace},
                "source": {"component": row.group("source")}}
    return {"kind": "Event", "type": "Warning", "reason": "FailedCreate", "message": error,
            "involvedObject": {"kind": kind, "name": name, "namespace": namespace},
            "source": {"component": f"{kind} controller (log)"}}


def _helper_refusals(stubs: dict, helpers: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """A refusal logged by a reconciler of another kind (LeaderWorkerSet's pod controller
    builds the worker StatefulSet from the leader pod, kubernetes-sigs/lws#401) belongs to the
    job when the log names exactly one job in that namespace; a text-format line, which names
    no namespace, when the log names exactly one job."""
    out = []
    for namespace, error in helpers:
        jobs = [key for key in stubs if key[1] == namespace or not namespace]
        if len(jobs) == 1:
            kind, job_namespace, name = jobs[0]
            out.append(_failed_create(kind, job_namespace, name, error))
    return out


def _refusal_text(line: str) -> str:
    """The refusal without the log line's prefix: the API server's validation message when it
    is one (k8s_skillkit.invalid_errors), else the whole line."""
    found = invalid_errors.parse(line)
    return found.quote if found is not None else line


def _unescape(line: str) -> str:
    """A text log line's quoted message as the controller wrote it (`\\"` -> `"`)."""
    return line.replace('\\"', '"')


def _stub(stubs: dict, kind: str, namespace: str, name: str) -> None:
    stubs.setdefault((kind, namespace, name), {
        "kind": kind, "metadata": {"name": name, "namespace": namespace}, "_source": "log"})


def _kind(record: dict[str, Any]) -> str:
    """The job kind the line is about: controller-runtime's `controllerKind`, else the key
    that holds the object's name (`"RayJob": {"name", "namespace"}`: KubeRay's logger
    `controllers.RayJob` prints no controllerKind, ray-project/kuberay#2210)."""
    named = str(record.get("controllerKind") or "")
    if named:
        return named
    return next((k for k in KINDS if isinstance(record.get(k), dict)), "")


# a JSON log record cut short (a terminal, a paste that stops mid-stacktrace) still carries
# its leading fields: string values, and the `{"name", "namespace"}` of the object
_STRING_FIELD = re.compile(r'"(\w+)"\s*:\s*("(?:[^"\\]|\\.)*")')
_OBJECT_FIELD = re.compile(r'"(\w+)"\s*:\s*\{\s*"name"\s*:\s*"([^"]*)"\s*,\s*'
                           r'"namespace"\s*:\s*"([^"]*)"\s*\}')


def _record(line: str) -> dict[str, Any] | None:
    start = _JSON_START.search(line)
    if start is None:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(line[start.start():])
    except ValueError:
        return _cut_record(line[start.start():])
    return value if isinstance(value, dict) else None


def _cut_record(text: str) -> dict[str, Any] | None:
    """The fields of a JSON record that does not close, read one by one."""
    record: dict[str, Any] = {}
    for key, name, namespace in _OBJECT_FIELD.findall(text):
        record.setdefault(key, {"name": name, "namespace": namespace})
    # an object's own "name" is not the record's
    for key, raw in _STRING_FIELD.findall(_OBJECT_FIELD.sub("", text)):
        try:
            record.setdefault(key, json.loads(raw))
        except ValueError:
            continue  # a string with an escape JSON does not know: not this field
    return record or None


# The operator refusing a job's spec in its own log, when neither the job nor its status is in
# the paste: tf-operator 2017 (tensorflow/k8s pkg/trainer/training.go) logs `TfJob failed to
# setup: tbReplicaSpec.LogDir must be specified` and leaves the job's status empty
# (kubeflow/trainer#218). The line names the kind, not the job.
_SETUP_REFUSED = re.compile(r"\b(?P<kind>TfJob|TFJob|PyTorchJob|MPIJob|MXJob|XGBoostJob|"
                            r"PaddleJob|JAXJob|TrainJob)\b[^:\n]{0,40}?\bfailed to set ?up:\s*"
                            r"(?P<why>.+)", re.IGNORECASE)


# ... and the v1alpha2..v1 operators' Warning event when the job does not decode into its type
# (a field of the wrong type, a replica count validation refuses): reason `InvalidTFJobSpec`,
# "Failed to marshal the object to TFJob; the spec is invalid: %v" (kubeflow/tf-operator
# pkg/controller.v1/tensorflow/controller.go, failedMarshalTFJobReason; kubeflow/trainer#1091:
# two Evaluator replicas, at most one allowed)
_MARSHAL_REFUSED = re.compile(r"Failed to marshal the object to (?P<kind>TFJob|PyTorchJob|MPIJob|"
                              r"MXJob|XGBoostJob|PaddleJob)\s*;\s*the spec is invalid", re.I)


def setup_refusals(lines: list[str]) -> list[tuple[str, str]]:
    """[(kind, the line)] for each operator log line or event that refuses a job's spec."""
    out = []
    for line in lines:
        found = _SETUP_REFUSED.search(str(line)) or _MARSHAL_REFUSED.search(str(line))
        if found:
            kind = "TFJob" if found.group("kind").lower() == "tfjob" else found.group("kind")
            out.append((kind, " ".join(str(line).split())[:300]))
    return out


def webhook_refusals(lines: list[str]) -> list[tuple[Refusal, str]]:
    """[(refusal, the line)] for each admission webhook that refused, or could not be called
    for, an object a controller created (k8s_skillkit.admission_denials), in a paste that
    holds no job: the log line or error a user copies when a job gets no children."""
    out = []
    for line in lines:
        for refusal in refusals(_unescape(str(line))):
            if refusal.cause == WEBHOOK_CAUSE:
                out.append((refusal, " ".join(_unescape(str(line)).split())[:300]))
    return out
