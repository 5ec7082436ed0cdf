"""ObjectMeta, labels, annotations and label selectors, validated as apimachinery v0.37.2 does
(pkg/api/validation/objectmeta.go, pkg/apis/meta/v1/validation/validation.go).

    >>> [str(v) for v in validate_labels({"app": "web", "bad key": "x"}, "metadata.labels")][0][:57]
    'metadata.labels: Invalid value: "bad key": name part must'
"""
from __future__ import annotations
from collections.abc import Callable
from typing import Any

from . import field
from .names import is_dns1123_label, is_label_key, is_label_value, is_qualified_name

ANNOTATIONS_LIMIT = 256 * 1024


def validate_label_name(name: str, path: str, origin: str = "apiserver") -> list[Any]:
    return [field.invalid(path, name, m, origin) for m in is_qualified_name(str(name))]


def validate_labels(labels: object, path: str, origin: str = "apiserver") -> list[Any]:
    errs = []
    for key, value in (labels or {}).items() if isinstance(labels, dict) else []:
        errs += validate_label_name(str(key), path, origin)
        text = "" if value is None else str(value)
        errs += [field.invalid(path, text, m, origin) for m in is_label_value(text)]
    return errs


def validate_annotations(annotations: object, path: str, origin: str = "apiserver") -> list[Any]:
    if not isinstance(annotations, dict):
        return []
    errs = [field.invalid(path, k, m, origin)
            for k in annotations for m in is_label_key(str(k).lower())]
    size = sum(len(str(k)) + len(str(v or "")) for k, v in annotations.items())
    if size > ANNOTATIONS_LIMIT:
        errs.append(field.too_long(path, ANNOTATIONS_LIMIT, origin))
    return errs


def validate_label_selector(selector: object, path: str, origin: str = "apiserver") -> list[Any]:
    if not isinstance(selector, dict):
        return []
    errs = validate_labels(selector.get("matchLabels") or {}, f"{path}.matchLabels", origin)
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        errs += _requirement(expr or {}, f"{path}.matchExpressions[{i}]", origin)
    return errs


def _requirement(expr: dict[str, Any], path: str, origin: str) -> list[Any]:
    errs, op, values = [], expr.get("operator"), expr.get("values") or []
    if op in ("In", "NotIn"):
        if not values:
            errs.append(field.required(f"{path}.values", "must be specified when `operator` is "
                                       "'In' or 'NotIn'", origin))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(field.forbidden(f"{path}.values", "may not be specified when "
                                        "`operator` is 'Exists' or 'DoesNotExist'", origin))
    else:
        errs.append(field.invalid(f"{path}.operator", op, "not a valid selector operator",
                                  origin))
    errs += validate_label_name(str(expr.get("key", "")), f"{path}.key", origin)
    for i, value in enumerate(values):
        errs += [field.invalid(f"{path}.values[{i}]", value, m, origin)
                 for m in is_label_value(str(value))]
    return errs


def selector_matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    """Does a metav1.LabelSelector select these labels? (an empty selector selects all)"""
    labels = labels or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def validate_object_meta(meta: object, path: str,
                         name_check: Callable[[str, bool], list[str]], namespaced: bool,
                         origin: str = "apiserver") -> list[Any]:
    """ValidateObjectMetaAccessor: name/generateName, namespace, labels, annotations,
    finalizers. `namespaced` objects get their namespace from the request when unset."""
    meta = meta if isinstance(meta, dict) else {}
    errs = []
    name, generate = meta.get("name") or "", meta.get("generateName") or ""
    if generate:
        errs += [field.invalid(f"{path}.generateName", generate, m, origin)
                 for m in name_check(generate, True)]
    if not name and not generate:
        errs.append(field.required(f"{path}.name", "name or generateName is required", origin))
    elif name:
        errs += [field.invalid(f"{path}.name", name, m, origin) for m in name_check(name, False)]
    namespace = meta.get("namespace") or ""
    if namespace and namespaced:
        errs += [field.invalid(f"{path}.namespace", namespace, m, origin)
                 for m in is_dns1123_label(namespace)]
    errs += validate_labels(meta.get("labels") or {}, f"{path}.labels", origin)
    errs += validate_annotations(meta.get("annotations") or {}, f"{path}.annotations", origin)
    for finalizer in meta.get("finalizers") or []:
        errs += [field.invalid(f"{path}.finalizers", finalizer, m, origin)
                 for m in is_qualified_name(str(finalizer))]
    return errs
