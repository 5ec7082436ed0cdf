"""Fields the apiserver refuses to change on update ("field is immutable"), by kind.

Sources (k8s.io/kubernetes v1.37.2): apps/validation ValidateDeploymentUpdate (selector),
ValidateStatefulSetUpdate (only replicas, ordinals, template, updateStrategy,
persistentVolumeClaimRetentionPolicy, minReadySeconds may change), batch/validation
ValidateJobSpecUpdate (selector, template of a running Job, completionMode, completions
unless scaled with parallelism), core/validation ValidateServiceUpdate (clusterIP),
ValidateConfigMapUpdate/ValidateSecretUpdate (immutable: true), ValidatePersistentVolumeClaimUpdate
(spec except resources.requests and volumeAttributesClassName); apimachinery
ValidateObjectMetaUpdate (name, namespace).

    >>> old = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"},
    ...        "spec": {"selector": {"matchLabels": {"app": "a"}}}}
    >>> new = {**old, "spec": {"selector": {"matchLabels": {"app": "b"}}}}
    >>> [str(v) for v in immutable_violations(new, old)]
    ['spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable']
"""
from __future__ import annotations
from collections.abc import Callable
from typing import Any

from . import field

Obj = dict[str, Any]
IMMUTABLE = "field is immutable"
STATEFULSET_MUTABLE = {"replicas", "ordinals", "template", "updateStrategy",
                       "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}


def _get(obj: object, path: str) -> Any:
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _changed(new: Obj, old: Obj, path: str) -> list[field.Violation]:
    a, b = _get(new, path), _get(old, path)
    if a != b:
        return [field.invalid(path, a if a is not None else "", IMMUTABLE)]
    return []


def immutable_violations(new: Obj, old: Obj) -> list[field.Violation]:
    errs: list[field.Violation] = []
    for path in ("metadata.name", "metadata.namespace"):
        if _get(old, path) is not None and _get(new, path) is not None:
            errs += _changed(new, old, path)
    check = _BY_KIND.get((str(new.get("apiVersion", "")).split("/")[0]
                          if "/" in str(new.get("apiVersion", "")) else "", str(new.get("kind"))))
    return errs + (check(new, old) if check else [])


def _deployment(new: Obj, old: Obj) -> list[field.Violation]:
    return _changed(new, old, "spec.selector")


def _stateful_set(new: Obj, old: Obj) -> list[field.Violation]:
    a = {k: v for k, v in (new.get("spec") or {}).items() if k not in STATEFULSET_MUTABLE}
    b = {k: v for k, v in (old.get("spec") or {}).items() if k not in STATEFULSET_MUTABLE}
    if a != b:
        return [field.forbidden("spec", "updates to statefulset spec for fields other than "
                                "'replicas', 'ordinals', 'template', 'updateStrategy', "
                                "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy'"
                                " and 'minReadySeconds' are forbidden")]
    return []


def _job(new: Obj, old: Obj) -> list[field.Violation]:
    errs = _changed(new, old, "spec.selector") + _changed(new, old, "spec.completionMode")
    if not _get(old, "spec.suspend") and _get(new, "spec.template") != _get(old, "spec.template"):
        errs.append(field.invalid("spec.template", field.OMIT, IMMUTABLE))
    return errs


def _service(new: Obj, old: Obj) -> list[field.Violation]:
    if _get(old, "spec.clusterIP") and _get(new, "spec.clusterIP") is not None:
        return _changed(new, old, "spec.clusterIP")
    return []


def _immutable_data(new: Obj, old: Obj) -> list[field.Violation]:
    if not old.get("immutable"):
        return []
    errs: list[field.Violation] = []
    for key in ("data", "binaryData", "stringData"):
        if new.get(key) != old.get(key) and key != "stringData":
            errs.append(field.forbidden(key, "field is immutable when `immutable` is set"))
    if not new.get("immutable"):
        errs.append(field.forbidden("immutable", "field is immutable when `immutable` is set"))
    return errs


def _pvc(new: Obj, old: Obj) -> list[field.Violation]:
    a = dict(new.get("spec") or {})
    b = dict(old.get("spec") or {})
    for spec in (a, b):
        spec.pop("resources", None)
        spec.pop("volumeAttributesClassName", None)
        spec.pop("volumeName", None)
    if a != b:
        return [field.forbidden("spec", "spec is immutable after creation except "
                                "resources.requests and volumeAttributesClassName for bound "
                                "claims")]
    return []


_BY_KIND: dict[tuple[str, str], Callable[[Obj, Obj], list[field.Violation]]] = {("apps", "Deployment"): _deployment, ("apps", "ReplicaSet"): _deployment,
            ("apps", "DaemonSet"): _deployment, ("apps", "StatefulSet"): _stateful_set,
            ("batch", "Job"): _job, ("", "Service"): _service,
            ("", "ConfigMap"): _immutable_data, ("", "Secret"): _immutable_data,
            ("", "PersistentVolumeClaim"): _pvc}
