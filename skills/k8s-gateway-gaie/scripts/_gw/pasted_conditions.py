"""A `status.conditions` list pasted alone (`kubectl get gateway X -o yaml`, the conditions
copied without their object, or `-o jsonpath='{.status.conditions}'`): a valid input, read as
the status of the object whose kind its condition types prove.

A condition is a metav1.Condition (type, status, reason, message, lastTransitionTime,
observedGeneration; type and status required: k8s.io/apimachinery pkg/apis/meta/v1
types.go `Condition`). A condition type tells the kind only when the catalogue knows it on
one kind alone: `AttachedListenerSets` is a Gateway's (gateway-api v1.4.1
apis/v1/gateway_types.go l.1263-1291, GatewayConditionAttachedListenerSets); `Accepted`,
`Programmed` or `ResolvedRefs` are on every kind, so a list of those stays a status of an
unknown kind (its conditions are still read; nothing is said about a kind it may not be).

>>> conditions_of_list([{"type": "AttachedListenerSets", "status": "Unknown"}])[0]["type"]
'AttachedListenerSets'
>>> conditions_of_list([{"kind": "Gateway"}])
[]
>>> kind_of([{"type": "AttachedListenerSets", "status": "Unknown"}])
'Gateway'
>>> kind_of([{"type": "Accepted", "status": "True"}])
''
"""
from __future__ import annotations

from typing import Any

import yaml

from k8s_skillkit.loading import has_yaml_alias

from _gw import catalogue

# the scope a catalogue row names -> the kind whose top-level status.conditions carry it
_KIND_OF_SCOPE = {"gateway": "Gateway", "class": "GatewayClass", "listenerset": "ListenerSet"}


def conditions_of_list(doc: object) -> list[dict[str, Any]]:
    """The conditions of a YAML/JSON list whose every item is a condition (type and status,
    no kind or apiVersion); [] for anything else."""
    if not isinstance(doc, list) or not doc:
        return []
    if all(isinstance(c, dict) and "type" in c and "status" in c and
           not (c.get("kind") or c.get("apiVersion")) for c in doc):
        return list(doc)
    return []


def kind_of(conditions: list[dict[str, Any]]) -> str:
    """The kind every condition type is catalogued on, or '' when none or more than one."""
    scopes: set[str] = set()
    for cond in conditions:
        ctype = str(cond.get("type") or "")
        scopes |= {r.scope for r in catalogue.rows() if r.ctype == ctype}
    kinds = {_KIND_OF_SCOPE.get(s, "") for s in scopes}
    return kinds.pop() if len(kinds) == 1 else ""


def condition_lists(text: str) -> list[list[dict[str, Any]]]:
    """Each conditions list the text holds when the whole text is YAML/JSON; [] otherwise
    (a text the kit read line by line stays so, and its conditions are read as text)."""
    if has_yaml_alias(text):  # the kit refuses an alias bomb; kubectl never prints one
        return []
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return []
    return [found for found in map(conditions_of_list, docs) if found]


def status_objects(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A partial object (`_source: fragment`) for each conditions list whose condition types
    prove the kind; lists of types every kind has make none."""
    out = []
    for conditions in lists:
        kind = kind_of(conditions)
        if kind:
            out.append({"kind": kind,
                        "metadata": {"name": "(pasted conditions)", "namespace": ""},
                        "status": {"conditions": conditions}, "_source": "fragment"})
    return out


# a listener, rule or parentRef names itself by one of these; a condition has none of them
_SPEC_ITEM_KEYS = frozenset({"name", "port", "protocol", "hostname", "matches", "backendRefs",
                             "group", "kind", "sectionName"})


def _is_condition(item: object) -> bool:
    return isinstance(item, dict) and {"type", "status", "reason"} <= set(item) and \
        not _SPEC_ITEM_KEYS & set(item)


def lift_misplaced(obj: dict[str, Any]) -> int:
    """Move conditions a paste put inside a spec list back to status.conditions; returns
    how many. A condition copied under a manifest with the indentation of the list above it
    (`    - lastTransitionTime: ...` under `spec.listeners`) parses as one more item of that
    list (projectcontour/contour#6567: a Gateway's listener ResolvedRefs=False pasted under
    its listeners); a metav1.Condition (type, status, reason) is never a spec item."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return 0
    moved: list[dict[str, Any]] = []
    for key, value in spec.items():
        if isinstance(value, list) and any(_is_condition(i) for i in value):
            moved += [i for i in value if isinstance(i, dict) and _is_condition(i)]
            spec[key] = [i for i in value if not _is_condition(i)]
    if moved:
        current = obj.get("status")
        status: dict[str, Any] = current if isinstance(current, dict) else {}
        status["conditions"] = list(status.get("conditions") or []) + moved
        obj["status"] = status
    return len(moved)
