"""`kubectl describe` of a custom resource (Workload, ClusterQueue, LocalQueue, HTTPRoute,
Gateway, InferencePool) and of a ResourceClaim: the generic describer, inverted.

kubectl describes kinds without a built-in describer with genericDescriber
(k8s.io/kubectl pkg/describe/describe.go, printUnstructuredContent, same shape since 1.9):
Name, Namespace, Labels, Annotations, then every field of the object, keys sorted, each
name passed through smartLabelFor ("lastTransitionTime" -> "Last Transition Time",
"apiVersion" -> "API Version"; names with characters other than letters and '-' are printed
as they are, e.g. "nvidia.com/gpu"). Lists of objects print their items one after another
with no marker, so an item ends where the sorted key order starts again.
"""
from __future__ import annotations
from typing import Any

import re

from .describe_core import annotations_of, labels_of
from .describe_outline import Node

# Whether a field printed with one item is a list: the Kubernetes API conventions name list
# fields in the plural and maps/structs in the singular, so a plural name is a list unless
# listed here as a map (or a map in that parent's context). Several items are recognised
# without any of this, by the sorted key order restarting.
MAP_FIELDS = {"labels", "annotations", "nodeLabels", "matchLabels", "attributes", "timeouts",
              "options", "limits", "resourceUsage", "data", "stringData", "allocatedResources",
              "extras", "parameters", "details", "status", "metrics", "devices",
              "admissionChecksStrategy", "preemption", "requests", "capacity", "consumedCapacity",
              "tls", "sessionPersistence", "allowedRoutes", "namespaces"}
LIST_FIELDS = {"devices.requests", "status.devices", "config", "admissionChecks",
               "flavorsReservation", "flavorsUsage", "flavorUsage", "finalizers",
               "ownerReferences", "managedFields", "reservedFor", "nominatedNodeNames",
               "resourceClaims", "results"}
# Maps in one API, lists of named items in another (ResourceClaim spec.devices is a map,
# ResourceSlice spec.devices a list of devices): a list when the one item has a name.
LIST_IF_NAMED = {"devices"}
# A name qualified by its parent ("podSetAssignments.flavors") wins over the bare name.
DATA_MAPS = {"labels", "annotations", "nodeLabels", "matchLabels", "nodeSelector",
             "selector", "podSetAssignments.flavors", "resourceUsage", "resources.requests",
             "resources.limits", "capacity", "allocatable", "attributes", "count.requests",
             "resourceRequests.resources"}
NOT_LISTS = {"podSetAssignments.flavors", "resources.requests", "resources.limits",
             "spec.resources", "containers.resources", "initContainers.resources",
             "containerStatuses.resources", "spec.devices", "allocation.devices",
             "podSetAssignments.resourceUsage", "tls.options",
             "resourceRequests.resources"}  # Kueue Workload status: resource -> quantity
_NOT_PLURAL = ("ss", "us", "is")
_SMART = re.compile(r"^[A-Za-z]+(?: (?:[A-Za-z]+|-))*$")
_INT = re.compile(r"^-?[0-9]+$")


def field_name(label: str) -> str:
    """smartLabelFor inverted: "Last Transition Time" -> "lastTransitionTime"."""
    if not _SMART.match(label):
        return label  # printed as-is (contains '.', '/', digits...)
    parts = label.split(" ")
    out = parts[0].lower() if parts[0].isupper() or len(parts) > 1 or parts[0][:1].isupper() \
        else parts[0]
    lower_next = False
    for part in parts[1:]:
        if part == "-":
            out += "-"
            lower_next = True
            continue
        out += part.lower() if lower_next else part
        lower_next = False
    return out


def scalar(text: str, data: bool = False) -> str | int | bool | None:
    if text in ("<nil>", "<none>") and not data:
        return None
    if data:
        return text
    if text in ("true", "false"):
        return text == "true"
    if _INT.match(text) and len(text) < 19:
        return int(text)
    return text


def is_list_field(parent: str, name: str) -> bool:
    qualified = f"{parent}.{name}"
    if qualified in NOT_LISTS:
        return False
    if qualified in LIST_FIELDS or name in LIST_FIELDS:
        return True
    if name in MAP_FIELDS:
        return False
    return name.endswith("s") and not name.endswith(_NOT_PLURAL)


def is_data_map(parent: str, name: str) -> bool:
    qualified = {q for q in DATA_MAPS if q.endswith("." + name)}
    if qualified:
        return f"{parent}.{name}" in qualified or name in DATA_MAPS
    return name in DATA_MAPS


def convert(node: Node, name: str, parent: str = "", in_data_map: bool = False) -> Any:
    """A printUnstructuredContent subtree -> dict / list / scalar."""
    if not node.children:
        if node.value:
            return scalar(node.value, in_data_map)
        if node.blank_value:
            return ""
        return [] if is_list_field(parent, name) else {}
    if all(child.key is None for child in node.children):
        return [scalar(child.text) for child in node.children]
    data = is_data_map(parent, name)
    items = _split_items(node.children, data)
    converted = [_to_dict(item, name, data) for item in items]
    if len(converted) > 1 or is_list_field(parent, name) or (
            name in LIST_IF_NAMED and "name" in converted[0]):
        return converted
    return converted[0]


def _split_items(children: list[Node], data: bool) -> list[list[Node]]:
    items, current, previous = [], [], None
    for child in children:
        key = _data_key(child.key) if data and child.key else field_name(child.key or "")
        if child.key is not None and previous is not None and key <= previous:
            items.append(current)
            current = []
        current.append(child)
        previous = key if child.key is not None else previous
    items.append(current)
    return items


def _to_dict(children: list[Node], parent: str, data: bool) -> dict[str, Any]:
    out = {}
    for child in children:
        if child.key is None:
            continue
        key = _data_key(child.key) if data else field_name(child.key)
        out[key] = convert(child, key, parent, in_data_map=data)
    return out


def _data_key(label: str) -> str:
    """Keys of data maps are data, but plain words went through smartLabelFor too
    ("cpu" -> "Cpu", "memory" -> "Memory", "node-pool" -> "Node - Pool")."""
    if _SMART.match(label):
        return field_name(label) if " " in label else label.lower()
    return label


def generic_object(root: Node) -> dict[str, Any]:
    """The whole object from a generic describe block."""
    obj: dict[str, Any] = {}
    for child in root.children:
        if child.key in ("Name", "Namespace", "Labels", "Annotations", "Events"):
            continue
        key = field_name(child.key or "")
        if not key:
            continue
        obj[key] = convert(child, key, "")
    converted = obj.get("metadata")
    meta = converted if isinstance(converted, dict) else {}
    for key, node in (("labels", root.child("Labels")), ("annotations", root.child("Annotations"))):
        values = (labels_of if key == "labels" else annotations_of)(node)
        if values:
            meta[key] = values
    meta["name"] = root.value_of("Name")
    if root.value_of("Namespace"):
        meta["namespace"] = root.value_of("Namespace")
    obj["metadata"] = meta
    return obj
