"""What the API server answered, as its audit log recorded it: a refused request is read as the
apiserver's own message, about the object the request named.

An audit event (audit.k8s.io/v1 Event, k8s.io/apiserver v0.37.2 pkg/apis/audit/v1/types.go:
objectRef, responseStatus, requestObject, responseObject) keeps the Status the apiserver
returned: its message and details.causes (an eviction a PodDisruptionBudget refuses: 429
TooManyRequests "Cannot evict pod as it would violate the pod's disruption budget." with a
DisruptionBudget cause "The disruption budget %s needs %d healthy pods and has %d currently",
kubernetes v1.37.2 pkg/registry/core/pod/storage/eviction.go:419,455). Read here: whole events
(one JSON document or a log file's JSON lines, the kit loads them) and the part of one an issue
pastes without its outer braces ("requestObject": {...}, "responseObject": {...};
Flagsmith/flagsmith-charts#185).
"""
from __future__ import annotations

import json
import re
from typing import Any

from k8s_skillkit.dump import kind_for_resource

from _tshoot.reports import classify
from _tshoot.text import Subject

_KEYS = ("objectRef", "responseStatus", "requestObject", "responseObject")
_FENCE = re.compile(r"^\s*```[\w-]*\s*$", re.M)


def is_audit(obj: Any) -> bool:
    """An audit event (not a core Event: its apiVersion is audit.k8s.io/*)."""
    return isinstance(obj, dict) and str(obj.get("apiVersion", "")).startswith("audit.k8s.io/")


def read(items: list[Any], text: str, unread: list[str]) -> tuple[list[dict], str]:
    """(the audit events in the paste, the text left to read as messages): the events the kit
    loaded (and the lines it did not read), else the paste itself when it is one event's
    fields without the outer braces (and nothing left).

    >>> read([], '"responseStatus": {"code": 429},', [])
    ([{'responseStatus': {'code': 429}}], '')
    """
    loaded = [o for o in items if is_audit(o)]
    if loaded:
        return loaded, "\n".join(unread)
    fragment = _fragment(text)
    return ([fragment], "") if fragment else ([], text)


def _fragment(text: str) -> dict | None:
    body = _FENCE.sub("", text).strip().rstrip(",")
    if not any(f'"{k}"' in body for k in _KEYS) or body.startswith(("{", "[")):
        return None
    try:
        doc = json.loads("{" + body + "}")
    except ValueError:
        return None
    return doc if any(isinstance(doc.get(k), dict) for k in _KEYS) else None


def subjects(events: list[dict]) -> list[Subject]:
    """A subject per refused request the triage reads a cause in, named by its request."""
    out: dict[tuple, Subject] = {}
    for event in events:
        report = classify(_status_text(event))
        if not report:
            continue
        kind, name, ns = _target(event)
        out.setdefault((kind, ns, name), Subject(kind, name, ns)).reports.append(report)
    return list(out.values())


def _status_text(event: dict) -> str:
    """The Status message and its causes' messages, as kubectl prints them after each other."""
    status = event.get("responseObject")
    if not (isinstance(status, dict) and status.get("kind") == "Status"):
        status = event.get("responseStatus")
    if not isinstance(status, dict) or status.get("status") == "Success":
        return ""
    causes = (status.get("details") or {}).get("causes") or []
    parts = [status.get("message") or ""] + [c.get("message") or "" for c in causes
                                             if isinstance(c, dict)]
    return ": ".join(p.strip() for p in parts if p and p.strip())


def _target(event: dict) -> tuple[str, str, str]:
    """(kind, name, namespace) the request was about: objectRef (an eviction is a pods
    subresource), else the Eviction's own metadata, which names the pod."""
    ref = event.get("objectRef")
    if isinstance(ref, dict) and ref.get("name"):
        kind = kind_for_resource(ref.get("resource") or "") or ref.get("resource") or "Pod"
        return kind, ref["name"], ref.get("namespace") or ""
    request = event.get("requestObject")
    if isinstance(request, dict) and request.get("kind") == "Eviction":
        meta = request.get("metadata") or {}
        return "Pod", meta.get("name") or "", meta.get("namespace") or ""
    return "Pod", "", ""
