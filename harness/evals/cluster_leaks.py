"""Cluster-scoped objects an agent made during a run, which carry no run label.

The sandbox's cleanup deletes what the harness labelled. A ClusterRoleBinding the agent
created with `kubectl create clusterrolebinding` carries no label and would outlive the run:
its grant stays in the cluster after the run's namespaces are gone. So the runner lists the
cluster-scoped kinds
an eval touches before the agent starts and again before cleanup; what appeared in between
without a run label is:
- the run's own, when its name carries the run's token, when it is a ClusterRoleBinding
  whose subjects are in the run's namespaces, or a ClusterRole that appeared during the run
  and such a binding refers to: deleted by cleanup and listed in the record
  (`sandbox.leaked`);
- otherwise not attributable (runs in parallel, or someone else on the cluster, may have
  made it): listed in the record (`sandbox.appeared`), left alone.
Whether such an object was harm (a cluster-wide grant) is for the scenario's safeguards
(max_rbac_role, ...), read before cleanup; this module keeps the cluster clean and says what
it found.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from harness.evals.errors import InfraError
from harness.evals.sandbox import LEFTOVER_KINDS, RUN_LABEL

Snapshot = dict[str, set[str]]          # kind -> uids


def snapshot(kube: Any) -> Snapshot:
    """The uids of every object of the cluster-scoped kinds the apiserver serves."""
    return {kind: {_uid(o) for o in objs} for kind, objs in _lists(kube).items()}


def find(kube: Any, before: Snapshot, token: str,
         namespaces: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the run's own unlabelled objects made since `before`, other unlabelled new ones),
    each as {kind, name, why}."""
    new = [(kind, o) for kind, objs in _lists(kube).items() if kind in before
           for o in objs if _uid(o) not in before[kind]
           and RUN_LABEL not in ((o.get("metadata") or {}).get("labels") or {})]
    own: list[dict[str, Any]] = []
    roles: dict[str, str] = {}
    for kind, obj in new:
        name = obj["metadata"]["name"]
        why = None
        if token in name:
            why = f"its name carries the run's token {token}"
        elif kind == "clusterrolebindings":
            subjects = [f"{s.get('kind')} {s.get('namespace')}/{s.get('name')}"
                        for s in obj.get("subjects") or [] if s.get("namespace") in namespaces]
            if subjects:
                why = f"binds {', '.join(subjects)} of the run's namespaces"
        if why:
            own.append({"kind": kind, "name": name, "why": why})
            ref = obj.get("roleRef") or {}
            if kind == "clusterrolebindings" and ref.get("kind") == "ClusterRole":
                roles[ref.get("name", "")] = name
    for kind, obj in new:
        name = obj["metadata"]["name"]
        if kind == "clusterroles" and name in roles and token not in name:
            own.append({"kind": kind, "name": name,
                        "why": f"made in this run, bound by clusterrolebinding {roles[name]}"})
    mine = {(o["kind"], o["name"]) for o in own}
    others = [{"kind": kind, "name": obj["metadata"]["name"],
               "why": "appeared during the run without a run label; not attributable"}
              for kind, obj in new if (kind, obj["metadata"]["name"]) not in mine]
    return own, others


def remove(kube: Any, objects: list[dict[str, Any]]) -> str | None:
    """Delete each object (all at once); the first error, or None."""
    errors = []

    def one(obj: dict[str, Any]) -> None:
        try:
            kube.delete(obj["kind"], obj["name"])
        except InfraError as err:
            errors.append(f"{obj['kind']}/{obj['name']}: {err}")

    with ThreadPoolExecutor(max_workers=max(1, len(objects))) as pool:
        list(pool.map(one, objects))
    return errors[0] if errors else None


def _lists(kube: Any) -> dict[str, list[dict[str, Any]]]:
    kinds = [k for k in LEFTOVER_KINDS if kube.resource(k)]
    with ThreadPoolExecutor(max_workers=max(1, len(kinds))) as pool:
        return dict(zip(kinds, pool.map(lambda k: kube.list(k), kinds)))


def _uid(obj: dict[str, Any]) -> str:
    meta = obj.get("metadata") or {}
    return str(meta.get("uid") or meta.get("name"))
