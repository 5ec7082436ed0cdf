"""One `kubectl describe` block -> the object it describes plus its events as Event dicts.

Which kind a block describes: the generic describer prints `Kind:` (custom resources,
ResourceClaim); kubectl's own describers do not, so the `kubectl describe <type>` line
before the block (when pasted) or the fields only that describer prints decide.
"""
from __future__ import annotations

from typing import Any
from . import describe_core, describe_generic
from .describe_outline import Node, outline
from .dump import kind_for_resource
from .event_table import parse_describe_events

CLUSTER_SCOPED = {"Node", "ClusterQueue", "ResourceFlavor", "Namespace", "PersistentVolume",
                  "ClusterRole", "ClusterRoleBinding", "DeviceClass", "ResourceSlice",
                  "GatewayClass", "AdmissionCheck", "Cohort", "Topology", "StorageClass",
                  "PriorityClass", "WorkloadPriorityClass"}
# Fields only one built-in describer prints (describe.go), to name the kind without a hint.
_SIGNATURES = [
    ("Node", {"Roles", "Taints", "Unschedulable", "System Info", "Capacity", "Allocatable",
              "Addresses", "Non-terminated Pods", "Allocated resources", "PodCIDR"}, 2),
    ("Job", {"Pods Statuses", "Parallelism", "Completions", "Backoff Limit"}, 2),
    ("Pod", {"Containers", "QoS Class", "IP", "Node", "Start Time", "Init Containers",
             "Volumes", "IPs"}, 3),
    ("Deployment", {"Replicas", "StrategyType", "NewReplicaSet", "OldReplicaSets"}, 2),
    ("ReplicaSet", {"Replicas", "Pods Status", "Controlled By", "Pod Template"}, 3),
    ("PersistentVolumeClaim", {"StorageClass", "Status", "Volume", "Access Modes",
                               "Capacity", "VolumeMode"}, 4),
    ("Service", {"Type", "IP", "Port", "TargetPort", "Endpoints", "Session Affinity"}, 3),
]


# Custom resources described by the generic describer, when the paste lacks `Kind:`:
# fields of spec/status only that kind has (Kueue v1beta1/v1beta2, resource.k8s.io,
# gateway.networking.k8s.io, inference.networking.k8s.io/x-k8s.io field names).
_CRD_SIGNATURES = [
    ("Workload", {"Pod Sets", "Queue Name", "Admission", "Reclaimable Pods", "Requeue State",
                  "Admission Checks", "Pod Set Assignments"}),
    ("ClusterQueue", {"Resource Groups", "Flavors Usage", "Admitted Workloads",
                      "Queueing Strategy", "Cohort", "Namespace Selector", "Fair Sharing"}),
    ("LocalQueue", {"Cluster Queue", "Flavor Usage", "Reserving Workloads"}),
    ("ResourceClaim", {"Devices", "Allocation", "Reserved For"}),
    ("HTTPRoute", {"Parent Refs", "Parents", "Rules", "Hostnames"}),
    ("Gateway", {"Gateway Class Name", "Listeners"}),
    ("InferencePool", {"Target Port Number", "Target Ports", "Extension Ref",
                       "Endpoint Picker Ref", "Selector"}),
]


def _crd_kind(root: Node) -> str:
    keys = set()
    for section in ("Spec", "Status"):
        node = root.child(section)
        keys |= {c.key for c in (node.descendants() if node else []) if c.key}
    best, score = "", 0
    for kind, signature in _CRD_SIGNATURES:
        hits = len(keys & signature)
        if kind == "LocalQueue" and "Resource Groups" in keys:
            hits = 0  # a ClusterQueue names its flavors' cluster queue nowhere
        if hits > score:
            best, score = kind, hits
    return best


def is_generic(root: Node) -> bool:
    """Printed by the generic describer: API Version / Metadata / Spec, or a Status section
    (the Pod describer's `Status:` is a one-line phase)."""
    status = root.child("Status")
    return any(root.child(key) is not None for key in ("API Version", "Metadata", "Spec")) \
        or (status is not None and not status.value and bool(status.children))


def _cut_before_status(root: Node, kind: str) -> bool:
    """A block pasted from inside the status down ("[...]" then `Conditions:`): no Name, no
    other section, conditions at the top (the status section's own or a listener's; the
    paste no longer says which)."""
    conditions = root.child("Conditions")
    return (kind not in ("Pod", "Node", "Job", "Namespace") and root.child("Name") is None
            and conditions is not None and bool(conditions.children))


_CONDITION_FIELDS = ("type", "status", "reason", "message")


def _cut_status(root: Node, kind: str) -> dict[str, Any]:
    """The conditions of a cut block; a `Name:` printed after them, less indented than their
    fields, is the name of the list entry they belong to: on a Gateway, a listener
    (ListenerStatus prints Attached Routes, Conditions, Name, Supported Kinds)."""
    node = root.child("Conditions")
    entries = describe_generic.convert(node, "conditions", "") if node is not None else []
    entries = entries if isinstance(entries, list) else []
    conditions = [e for e in entries if isinstance(e, dict)
                  and any(k in e for k in _CONDITION_FIELDS)]
    names = [e["name"] for e in entries if isinstance(e, dict) and set(e) == {"name"}]
    if kind == "Gateway" and len(names) == 1:
        return {"listeners": [{"name": names[0], "conditions": conditions}]}
    return {"conditions": conditions}


def block_kind(root: Node, hint: str = "") -> str:
    generic_kind = root.value_of("Kind")
    if generic_kind and root.child("API Version") is not None:
        return generic_kind
    if hint:
        kind = kind_for_resource(hint)
        if kind:
            return kind
    keys = {c.key for c in root.children if c.key}
    if is_generic(root):
        return _crd_kind(root)
    for kind, signature, needed in _SIGNATURES:
        if len(keys & signature) >= needed:
            return kind
    return "Namespace" if describe_core.is_namespace(root) else ""


def describe_block(lines: list[str], hint: str = "") -> list[dict[str, Any]]:
    """Objects from one block starting at `Name:`; [] when the kind cannot be told."""
    events_at = next((i for i, line in enumerate(lines) if line.startswith("Events:")),
                     len(lines))
    root = outline(lines[:events_at])
    kind = block_kind(root, hint)
    if not kind:
        return []
    if is_generic(root):
        obj = describe_generic.generic_object(root)
    elif _cut_before_status(root, kind):
        obj = {"kind": kind, "metadata": {}, "status": _cut_status(root, kind)}
    elif kind == "Pod":
        obj = describe_core.pod_object(root)
    elif kind == "Node":
        obj = describe_core.node_object(root)
    elif kind == "Job":
        obj = describe_core.job_object(root)
    elif kind == "Namespace":
        obj = describe_core.namespace_object(root)
    elif kind == "Deployment":
        obj = describe_core.deployment_object(root)
    else:  # a kind without a converter: what every describer prints
        obj = {"kind": kind,
               "metadata": describe_core.object_meta(root, kind not in CLUSTER_SCOPED)}
    obj["kind"] = kind
    obj["_source"] = "describe"
    meta = obj.setdefault("metadata", {})
    if kind in CLUSTER_SCOPED:
        meta.pop("namespace", None)
    involved = {"kind": kind, "name": meta.get("name", "")}
    if meta.get("namespace"):
        involved["namespace"] = meta["namespace"]
    if obj.get("apiVersion"):
        involved["apiVersion"] = obj["apiVersion"]
    events_lines = lines[events_at:]
    if events_lines:
        events_lines = [events_lines[0][len("Events:"):]] + events_lines[1:]
    events = parse_describe_events(events_lines, involved, meta.get("namespace", ""))
    return [obj] + events
