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

from _tshoot.training import KINDS

_JSON_START = re.compile(r"\{\s*\"")
# the apiserver (or an admission webhook) refused what the controller tried to create
_REFUSED = re.compile(r"\bis invalid: |\bis forbidden: |admission webhook \S+ denied", re.I)


def read(lines: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(stub jobs, FailedCreate events) from the controller log lines in `lines`."""
    stubs: dict[tuple[str, str, str], dict[str, Any]] = {}
    events = []
    for line in lines:
        record = _record(str(line))
        kind = str(record.get("controllerKind") or "") if record else ""
        error = str(record.get("error") or "") if record else ""
        if kind not in KINDS or not _REFUSED.search(error):
            continue
        ref = record.get(kind) if isinstance(record.get(kind), dict) else record
        name, namespace = str(ref.get("name") or ""), str(ref.get("namespace") or "")
        if not name:
            continue
        stubs.setdefault((kind, namespace, name), {
            "kind": kind, "metadata": {"name": name, "namespace": namespace},
            "_source": "log"})
        events.append({"kind": "Event", "type": "Warning", "reason": "FailedCreate",
                       "message": error,
                       "involvedObject": {"kind": kind, "name": name, "namespace": namespace},
                       "source": {"component": f"{kind} controller (log)"}})
    return list(stubs.values()), events


def _record(line: str) -> dict[str, Any] | None:
    start = _JSON_START.search(line)
    if start is None:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(line[start.start():])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
