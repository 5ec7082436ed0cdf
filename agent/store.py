"""The service's state, kept in the cluster as custom resources so any replica serves any
request and a replica's death loses nothing.

  Proposal      a change the model suggested: target, manifest or patch, reason, evidence,
                the skill that verifies it; status: phase, dry-run result and diff,
                approval, apply, verification (written with optimistic concurrency)
  Conversation  the summary of one ask: who, question, answer, evidence, proposals
  Finding       a sustained problem the watcher found (name = digest of cause + object, so
                any leader deduplicates against what an earlier leader published)

Proposal phases:
  Proposed -> AwaitingApproval | DryRunFailed      (the applier dry-runs new proposals)
  AwaitingApproval -> Approved | Rejected          (a person with the right says so)
  Approved -> Applying -> Applied -> Verified | VerificationFailed
  Applying -> Failed                               (the fresh dry-run or the apply failed)
  Advisory                                         (advisory mode: never applied here)
"""
from __future__ import annotations
from typing import Any, Callable, ParamSpec

import datetime as _dt
import hashlib
import secrets
from dataclasses import dataclass

from agent import API_GROUP, API_VERSION
from agent.kube import Kube, KubeError

P = ParamSpec("P")

PHASES = ("Proposed", "AwaitingApproval", "DryRunFailed", "Approved", "Rejected", "Applying",
          "Applied", "Verified", "VerificationFailed", "Failed", "Advisory")
TERMINAL = {"DryRunFailed", "Rejected", "Verified", "VerificationFailed", "Failed", "Advisory"}
LABEL = "agent.k8s-skills.io/managed-by"


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


def new_name(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def digest_name(prefix: str, *parts: str) -> str:
    return f"{prefix}-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Kind:
    plural: str
    kind: str


PROPOSALS = Kind("proposals", "Proposal")
CONVERSATIONS = Kind("conversations", "Conversation")
FINDINGS = Kind("findings", "Finding")


class Conflict(Exception):
    """The object changed since it was read (or already exists)."""


class NotFound(Exception):
    pass


class Store:
    def __init__(self, kube: Kube, namespace: str) -> None:
        self.kube = kube
        self.namespace = namespace

    # --- generic ------------------------------------------------------------------------
    def create(self, kind: Kind, name: str, spec: dict[str, Any], status: dict[str, Any] | None = None,
               labels: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"apiVersion": f"{API_GROUP}/{API_VERSION}", "kind": kind.kind,
                "metadata": {"name": name, "namespace": self.namespace,
                             "labels": {LABEL: "k8s-agent", **(labels or {})}},
                "spec": spec}
        obj = self._call(self.kube.custom.create_namespaced_custom_object, API_GROUP,
                         API_VERSION, self.namespace, kind.plural, body)
        return self._first_status(kind, obj, status) if status else obj

    def _first_status(self, kind: Kind, obj: dict[str, Any], status: dict[str, Any],
                      attempts: int = 5) -> dict[str, Any]:
        """Write the creator's status onto the object it just created. The status
        subresource drops status from a create, so this is a second write, and another
        writer may come first: the applier dry-runs a new Proposal as soon as it sees it.
        Its phase and fields then stand; the creator's history goes before its lines."""
        for _ in range(attempts):
            current = obj.get("status") or {}
            obj = {**obj, "status": {**status, **current, "history": [
                *(status.get("history") or []), *(current.get("history") or [])]}
                if current else status}
            try:
                return self.replace_status(kind, obj)
            except Conflict:
                obj = self.get(kind, obj["metadata"]["name"])
        raise Conflict(f"{kind.kind} {obj['metadata']['name']}: its status kept changing "
                       f"while it was first written ({attempts} tries)")

    def get(self, kind: Kind, name: str) -> dict[str, Any]:
        return self._call(self.kube.custom.get_namespaced_custom_object, API_GROUP,
                          API_VERSION, self.namespace, kind.plural, name)

    def list(self, kind: Kind, selector: str = "") -> list[dict[str, Any]]:
        result = self._call(self.kube.custom.list_namespaced_custom_object, API_GROUP,
                            API_VERSION, self.namespace, kind.plural,
                            label_selector=selector or None)
        items: list[dict[str, Any]] = result.get("items", [])
        return items

    def replace(self, kind: Kind, obj: dict[str, Any]) -> dict[str, Any]:
        """Whole-object update, conditioned on obj's resourceVersion (Conflict if stale)."""
        return self._call(self.kube.custom.replace_namespaced_custom_object, API_GROUP,
                          API_VERSION, self.namespace, kind.plural, obj["metadata"]["name"],
                          obj)

    def replace_status(self, kind: Kind, obj: dict[str, Any]) -> dict[str, Any]:
        return self._call(self.kube.custom.replace_namespaced_custom_object_status, API_GROUP,
                          API_VERSION, self.namespace, kind.plural, obj["metadata"]["name"],
                          obj)

    def _call(self, fn: Callable[P, object], *args: P.args,
              **kwargs: P.kwargs) -> dict[str, Any]:
        """One custom objects API call; its answer is the object's (or List's) JSON."""
        try:
            answer = self.kube.call(fn, *args, **kwargs)
        except KubeError as err:
            if err.status == 409:
                raise Conflict(str(err)) from err
            if err.status == 404:
                raise NotFound(str(err)) from err
            raise
        if not isinstance(answer, dict):
            raise KubeError(0, f"the custom objects API answered a {type(answer).__name__}, "
                               "not an object")
        return answer

    # --- proposals ----------------------------------------------------------------------
    def transition(self, name: str, expect: set[str], phase: str,
                   **fields: Any) -> dict[str, Any]:
        """Move a proposal from one of `expect` to `phase`, recording `fields` in status
        and a history line; Conflict when another replica moved it first."""
        obj = self.get(PROPOSALS, name)
        current = (obj.get("status") or {}).get("phase", "Proposed")
        if current not in expect:
            raise Conflict(f"proposal {name} is {current}, not {' or '.join(sorted(expect))}")
        status = dict(obj.get("status") or {})
        status.update(fields)
        status["phase"] = phase
        history = list(status.get("history") or [])[-30:]
        history.append({"time": now(), "phase": phase,
                        "by": str(fields.get("by") or fields.get("actor") or "")})
        status["history"] = history
        obj["status"] = status
        return self.replace_status(PROPOSALS, obj)


def phase(obj: dict[str, Any]) -> str:
    current: str = (obj.get("status") or {}).get("phase", "Proposed")
    return current


def proposal_view(obj: dict[str, Any]) -> dict[str, Any]:
    """What the API returns for a proposal: spec and status, no managed fields."""
    meta = obj.get("metadata") or {}
    return {"name": meta.get("name"), "created": meta.get("creationTimestamp"),
            "phase": phase(obj), "spec": obj.get("spec") or {},
            "status": {k: v for k, v in (obj.get("status") or {}).items() if k != "phase"}}
