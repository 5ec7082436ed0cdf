"""Events a controller logged instead of (or beside) writing them: controller-runtime's event
recorder logs every event it records with the event's fields
(pkg/internal/recorder/recorder.go: `logger.V(1).Info(e.Message, "type", e.Type, "object",
e.InvolvedObject, "reason", e.Reason)`, logger name `events`), so a pasted controller log
carries the Warning events of the objects it refused, e.g. the AWS Gateway API controller's

    DEBUG  events  Failed build model due to LATTICE_RETRY  {"type": "Warning", "object":
    {"kind":"HTTPRoute","namespace":"default","name":"r"}, "reason": "FailedBuildModel"}

(aws/aws-application-networking-k8s#209). Both zap encodings are read: console (the message,
then the fields as JSON) and JSON (the message under `msg`)."""
from __future__ import annotations

import json

_TYPES = ("Warning", "Normal")


def _fields(line: str) -> tuple[str, dict] | None:
    """(message, fields) of a log line whose fields are one JSON object."""
    start = line.find("{")
    while start != -1:
        try:
            data = json.loads(line[start:])
        except ValueError:
            start = line.find("{", start + 1)
            continue
        if not isinstance(data, dict):
            return None
        head = line[:start].rstrip().split("\t")[-1].strip()
        return str(data.get("msg") or head), data
    return None


def events_from_logs(lines) -> list[dict]:
    """The events the pasted log lines record, as Event objects (involvedObject, type,
    reason, message)."""
    out = []
    for raw in lines or []:
        line = str(raw).strip()
        if '"object"' not in line or '"reason"' not in line:
            continue
        parsed = _fields(line)
        if parsed is None:
            continue
        message, data = parsed
        ref = data.get("object")
        if not (isinstance(ref, dict) and ref.get("kind") and data.get("type") in _TYPES
                and data.get("reason")):
            continue
        out.append({"apiVersion": "v1", "kind": "Event",
                    "metadata": {"name": f"{ref.get('name', '')} (controller log)",
                                 "namespace": ref.get("namespace") or ""},
                    "involvedObject": {k: ref[k] for k in ("kind", "name", "namespace")
                                       if ref.get(k)},
                    "type": data["type"], "reason": data["reason"], "message": message,
                    "source": {"component": "controller log (event recorder)"},
                    "_source": "log"})
    return out
