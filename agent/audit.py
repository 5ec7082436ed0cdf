"""The service's audit trail: the k8s-rbac JSON Lines log (`k8s-skills audit` reads it) and,
for changes, a Kubernetes Event on the changed object.

Tool calls are judged and recorded by the guard itself (harness.safety.Guard); the service
adds records of the same shape for questions, proposals, approvals, applies and
verifications, with `event` naming which, so `k8s-skills audit` lists them beside commands.
"""
from __future__ import annotations
from typing import Any

import datetime as _dt
import json
import os
import secrets
import threading

from kubernetes import client

from agent.kube import Kube, KubeError
from agent.store import now

_lock = threading.Lock()
CLASS = {"ask": "read", "tool": "read", "proposal": "read", "approval": "write",
         "rejection": "read", "dry-run": "read", "apply": "write", "verify": "read",
         "finding": "read"}


class AuditLog:
    def __init__(self, path: str, identity: dict[str, Any]) -> None:
        self.path = path
        self.identity = identity

    def record(self, event: str, action: str, who: str = "", result: str = "",
               signals: list[str] | None = None, decision: str = "allow",
               **extra: Any) -> dict[str, Any]:
        rec = {"time": now(), "id": extra.pop("record_id", ""), "source": "agent-service",
               "event": event, "identity": {**self.identity, "user": who},
               "command": "", "classification": CLASS.get(event, "read"),
               "reasons": [], "decision": decision,
               "signals": [s for s in (signals or []) if s][:10], "guard_signals": [],
               "action": action, "before": extra.pop("before", ""), "result": result,
               **extra}
        self.append(rec)
        return rec

    def append(self, record: dict[str, Any]) -> None:
        """One line per record, the same format as the guard's log (file private to us)."""
        if not self.path:
            return
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        line = json.dumps(record, sort_keys=True, default=str) + "\n"
        with _lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line)


def post_event(kube: Kube, target: dict[str, Any], reason: str, note: str, identity: str,
               warning: bool = False, action: str = "Apply") -> None:
    """An events.k8s.io/v1 Event about `target` ({apiVersion, kind, namespace, name, uid})."""
    namespace = target.get("namespace") or "default"
    stamp = _dt.datetime.now(_dt.timezone.utc)
    event = client.EventsV1Event(
        metadata=client.V1ObjectMeta(name=f"{target.get('name', 'object')}."
                                          f"{secrets.token_hex(8)}", namespace=namespace),
        event_time=stamp, action=action, reason=reason, note=note[:1024],
        type="Warning" if warning else "Normal",
        reporting_controller="agent.k8s-skills.io/applier",
        reporting_instance=identity[:128],
        regarding=client.V1ObjectReference(api_version=target.get("apiVersion"),
                                           kind=target.get("kind"), name=target.get("name"),
                                           namespace=target.get("namespace") or None,
                                           uid=target.get("uid") or None))
    try:
        kube.call(kube.events.create_namespaced_event, namespace, event)
    except KubeError as err:
        raise KubeError(err.status, f"cannot record the Event on {target.get('kind')}/"
                                    f"{target.get('name')}: {err}") from err
