"""Label selectors exactly as k8s.io/apimachinery/pkg/labels matches them.

Source: apimachinery v0.37.2 pkg/labels/selector.go (Requirement.Matches) and
pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector). The points that copies of this logic
got wrong: `NotIn` and `DoesNotExist` MATCH when the key is absent; `In`/`Gt`/`Lt` do not;
`Gt`/`Lt` compare base-10 int64 values and fail on anything else; a nil selector selects
nothing while an empty one ({}) selects everything.
"""
from __future__ import annotations

from typing import Any
import re

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
_INT64 = re.compile(r"^[+-]?[0-9]+$")


class SelectorError(ValueError):
    """A selector the apiserver would reject (unknown operator, In with no values...)."""


def requirement_matches(key: str, operator: str, values: list[Any] | None,
                        labels: dict[str, Any] | None) -> bool:
    """One requirement against a label set (labels.Requirement.Matches)."""
    labels = labels or {}
    values = [str(v) for v in (values or [])]
    present = key in labels
    value = str(labels.get(key, ""))
    if operator in ("In", "=", "=="):
        return present and value in values
    if operator in ("NotIn", "!="):
        return not present or value not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt"):
        if not present or len(values) != 1:
            return False
        left, right = _int64(value), _int64(values[0])
        if left is None or right is None:
            return False
        return left > right if operator == "Gt" else left < right
    raise SelectorError(f"unknown selector operator {operator!r} (one of {', '.join(OPERATORS)})")


def _int64(text: str) -> int | None:
    if not _INT64.match(text):
        return None
    number = int(text)
    return number if -2**63 <= number < 2**63 else None


def expression_matches(expression: dict[str, Any], labels: dict[str, Any] | None) -> bool:
    """{key, operator, values} against labels."""
    return requirement_matches(str(expression.get("key", "")), str(expression.get("operator", "")),
                               expression.get("values"), labels)


def selector_matches(selector: dict[str, Any] | None, labels: dict[str, Any] | None) -> bool:
    """A metav1.LabelSelector: nil selects nothing, {} selects everything, else AND of all."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if not requirement_matches(str(key), "In", [value], labels):
            return False
    for expression in selector.get("matchExpressions") or []:
        operator = str(expression.get("operator", ""))
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            # LabelSelectorAsSelector rejects Gt/Lt and unknown operators.
            raise SelectorError(f"{operator!r} is not a valid label selector operator")
        if not expression_matches(expression, labels):
            return False
    return True


def set_matches(required: dict[str, Any] | None, labels: dict[str, Any] | None) -> bool:
    """A plain map selector (pod.spec.nodeSelector, Service.spec.selector): every pair equal."""
    labels = labels or {}
    return all(key in labels and str(labels[key]) == str(value)
               for key, value in (required or {}).items())


_TERM = re.compile(r"^\s*(!?)\s*([A-Za-z0-9./_-]+)\s*(==|!=|=|notin\b|in\b)?\s*(.*?)\s*$")


def parse_selector(text: str) -> list[dict[str, Any]]:
    """The string form kubectl prints (`Selector: app=x,tier notin (a,b),!gpu`) as
    matchExpressions-shaped dicts (labels.Parse); `<none>` and "" select everything."""
    text = (text or "").strip()
    if text in ("", "<none>"):
        return []
    out = []
    for part in _split_top_level(text):
        match = _TERM.match(part)
        if not match:
            raise SelectorError(f"cannot read selector term {part!r}")
        bang, key, op, rest = match.groups()
        op = (op or "").strip()
        if bang:
            out.append({"key": key, "operator": "DoesNotExist"})
        elif not op:
            out.append({"key": key, "operator": "Exists"})
        elif op in ("=", "=="):
            out.append({"key": key, "operator": "In", "values": [rest]})
        elif op == "!=":
            out.append({"key": key, "operator": "NotIn", "values": [rest]})
        else:
            values = [v.strip() for v in rest.strip("()").split(",") if v.strip()]
            out.append({"key": key, "operator": "In" if op == "in" else "NotIn", "values": values})
    return out


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p for p in parts if p.strip()]
