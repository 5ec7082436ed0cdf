"""RBAC rules of the apiserver (k8s.io/kubernetes v1.37.2 pkg/apis/rbac/validation:
ValidatePolicyRule, ValidateRoleBinding, ValidateClusterRoleBinding,
ValidateRoleBindingSubject), after rbac/v1 defaults (roleRef.apiGroup and subjects'
apiGroup filled in when empty).

    >>> crb = {"roleRef": {"kind": "Role", "name": "x"},
    ...        "subjects": [{"kind": "ServiceAccount", "name": "sa"}]}
    >>> [str(v) for v in cluster_role_binding(crb)]
    ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"', 'subjects[0].namespace: Required value']
"""
from __future__ import annotations
from typing import Any

from . import field
from .meta import validate_label_selector
from .names import is_dns1123_subdomain, is_path_segment_name

GROUP = "rbac.authorization.k8s.io"


def role(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    return _rules(obj.get("rules") or [], namespaced=True)


def cluster_role(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    errs = _rules(obj.get("rules") or [], namespaced=False)
    aggregation = obj.get("aggregationRule")
    if isinstance(aggregation, dict):
        selectors = aggregation.get("clusterRoleSelectors") or []
        if not selectors:
            errs.append(field.required("aggregationRule.clusterRoleSelectors", "at least one "
                                       "clusterRoleSelector required if aggregationRule is "
                                       "non-nil"))
        for i, selector in enumerate(selectors):
            errs += validate_label_selector(selector, f"aggregationRule.clusterRoleSelectors[{i}]")
    return errs


def _rules(rules: list[Any], namespaced: bool) -> list[Any]:
    errs = []
    for i, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else {}
        where = f"rules[{i}]"
        if not rule.get("verbs"):
            errs.append(field.required(f"{where}.verbs", "verbs must contain at least one value"))
        urls = rule.get("nonResourceURLs") or []
        if urls:
            if namespaced:
                errs.append(field.invalid(f"{where}.nonResourceURLs", urls,
                                          "namespaced rules cannot apply to non-resource URLs"))
            if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
                errs.append(field.invalid(f"{where}.nonResourceURLs", urls, "rules cannot apply "
                                          "to both regular resources and non-resource URLs"))
            continue
        if not rule.get("apiGroups"):
            errs.append(field.required(f"{where}.apiGroups",
                                       "resource rules must supply at least one api group"))
        if not rule.get("resources"):
            errs.append(field.required(f"{where}.resources",
                                       "resource rules must supply at least one resource"))
    return errs


def role_binding(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    return _binding(obj, ["Role", "ClusterRole"], namespaced=True)


def cluster_role_binding(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    return _binding(obj, ["ClusterRole"], namespaced=False)


def _binding(obj: dict[str, Any], kinds: list[Any], namespaced: bool) -> list[Any]:
    raw_ref = obj.get("roleRef")
    ref = raw_ref if isinstance(raw_ref, dict) else {}
    errs = []
    group = ref.get("apiGroup") or GROUP
    if group != GROUP:
        errs.append(field.not_supported("roleRef.apiGroup", group, [GROUP]))
    if ref.get("kind") not in kinds:
        errs.append(field.not_supported("roleRef.kind", ref.get("kind") or "", kinds))
    name = ref.get("name") or ""
    if not name:
        errs.append(field.required("roleRef.name"))
    else:
        errs += [field.invalid("roleRef.name", name, m) for m in is_path_segment_name(name)]
    for i, subject in enumerate(obj.get("subjects") or []):
        errs += _subject(subject if isinstance(subject, dict) else {}, namespaced,
                         f"subjects[{i}]")
    return errs


def _subject(subject: dict[str, Any], namespaced: bool, path: str) -> list[Any]:
    errs = []
    name, kind = subject.get("name") or "", subject.get("kind") or ""
    if not name:
        errs.append(field.required(f"{path}.name"))
    if kind == "ServiceAccount":
        if name:
            errs += [field.invalid(f"{path}.name", name, m) for m in is_dns1123_subdomain(name)]
        if subject.get("apiGroup"):
            errs.append(field.not_supported(f"{path}.apiGroup", subject["apiGroup"], [""]))
        if not namespaced and not subject.get("namespace"):
            errs.append(field.required(f"{path}.namespace"))
    elif kind in ("User", "Group"):
        group = subject.get("apiGroup") or GROUP
        if group != GROUP:
            errs.append(field.not_supported(f"{path}.apiGroup", group, [GROUP]))
    else:
        errs.append(field.not_supported(f"{path}.kind", kind, ["ServiceAccount", "User",
                                                               "Group"]))
    return errs
