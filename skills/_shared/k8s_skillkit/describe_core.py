"""`kubectl describe` of a Pod, Node or Job (kubectl's own describers), as object dicts.

Field by field from k8s.io/kubectl pkg/describe/describe.go (describePod, describeNode,
describeJob, describeContainers, describeContainerState, describeStatus,
printTolerationsMultilineWithIndent, printTaintsMultilineWithIndent) at v0.37.2, checked
against kubernetes v1.5.0 pkg/kubectl/describe.go and v1.9.0
pkg/printers/internalversion/describe.go, whose layouts the same code reads. Only what the
text shows is filled in: describe does not print affinity, so a pod read from describe has
no `affinity` (the object carries `_source: describe` so scripts can tell).
"""
from __future__ import annotations
from typing import Any

import re
from datetime import datetime, timezone

from .describe_outline import Node

_RFC1123Z = r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"
# describeNamespace (kubectl v0.37.2 pkg/describe/describe.go): Type Status LastTransitionTime
# Reason Message, the time in RFC1123Z; conditions exist since Kubernetes 1.16
# (pkg/controller/namespace/deletion/status_condition_utils.go).
_NS_CONDITION = re.compile(r"^(Namespace\S+)\s+(True|False|Unknown)\s+(" + _RFC1123Z +
                           r")\s+(\S+)\s*(.*)$")
_NODE_CONDITION = re.compile(r"^(\S+)\s+(True|False|Unknown)\s+(" + _RFC1123Z + r")\s+("
                             + _RFC1123Z + r")\s+(\S+)\s*(.*)$")


def timestamp(text: str) -> str:
    """describe prints times as RFC1123Z (time.RFC1123Z); objects carry RFC3339 UTC."""
    try:
        when = datetime.strptime(text.strip(), "%a, %d %b %Y %H:%M:%S %z")
    except ValueError:
        return text
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- multi-line values ---------------------------------------------------------------

def none_or(value: str) -> str:
    return "" if value in ("<none>", "<unset>", "") else value


def labels_of(node: Node | None) -> dict[str, Any]:
    out = {}
    for line in (node.lines() if node else []):
        line = line.strip()
        if not line or line == "<none>" or "=" not in line:
            continue
        key, _, value = line.partition("=")
        out[key.strip()] = value.strip()
    return out


def annotations_of(node: Node | None) -> dict[str, Any]:
    out = {}
    for line in (node.lines() if node else []):
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._/-]*):\s?(.*)$", line.strip())
        if match:
            out[match.group(1)] = match.group(2)
    return out


def parse_taint(text: str) -> dict[str, Any] | None:
    """kubectl's Taint.ToString(): key[=value]:Effect."""
    text = text.strip()
    body, sep, effect = text.rpartition(":")
    if not sep or effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
        return None
    key, eq, value = body.partition("=")
    taint = {"key": key, "effect": effect}
    if eq:
        taint["value"] = value
    return taint


def taints_of(node: Node | None) -> list[dict[str, Any]]:
    return [t for t in (parse_taint(line) for line in (node.lines() if node else [])) if t]


def parse_toleration(text: str) -> dict[str, Any] | None:
    """printTolerationsMultilineWithIndent: key[=value][:Effect][ op=Exists][ for Ns]."""
    tokens = text.strip().split()
    if not tokens or tokens == ["<none>"]:
        return None
    toleration: dict[str, Any] = {}
    if "for" in tokens and tokens[-1].endswith("s") and tokens[-1][:-1].isdigit():
        toleration["tolerationSeconds"] = int(tokens[-1][:-1])
        tokens = tokens[:tokens.index("for")]
    exists = "op=Exists" in tokens
    body = next((t for t in tokens if t != "op=Exists"), "")
    body, sep, effect = body.rpartition(":") if ":" in body else (body, "", "")
    if sep:
        toleration["effect"] = effect
    key, eq, value = body.partition("=")
    if key:
        toleration["key"] = key
    toleration["operator"] = "Exists" if exists else "Equal"
    if eq:
        toleration["value"] = value
    return toleration


def tolerations_of(node: Node | None) -> list[dict[str, Any]]:
    return [t for t in (parse_toleration(line) for line in (node.lines() if node else [])) if t]


def resource_list(node: Node | None) -> dict[str, Any]:
    return {c.key: c.value for c in (node.children if node else []) if c.key and c.value}


# --- containers --------------------------------------------------------------------------

def container_state(node: Node | None) -> dict[str, Any]:
    if node is None:
        return {}
    detail: dict[str, Any] = {field_key: node.value_of(label) for label, field_key in (
        ("Reason", "reason"), ("Message", "message"), ("Started", "startedAt"),
        ("Finished", "finishedAt")) if node.value_of(label)}
    for key in ("startedAt", "finishedAt"):
        if key in detail:
            detail[key] = timestamp(detail[key])
    state = node.value.split()[0] if node.value else "Waiting"
    if state == "Terminated":
        for label, key in (("Exit Code", "exitCode"), ("Signal", "signal")):
            if node.value_of(label).lstrip("-").isdigit():
                detail[key] = int(node.value_of(label))
        return {"terminated": detail}
    if state == "Running":
        return {"running": detail}
    return {"waiting": detail}


def containers_of(section: Node | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(container specs, container statuses) of a Containers / Init Containers section."""
    specs, statuses = [], []
    for node in (section.children if section else []):
        if node.key is None:
            continue
        spec: dict[str, Any] = {"name": node.key}
        if none_or(node.value_of("Image")):
            spec["image"] = node.value_of("Image")
        resources = {k: resource_list(node.child(label)) for k, label in
                     (("limits", "Limits"), ("requests", "Requests")) if node.child(label)}
        if resources:
            spec["resources"] = resources
        for key, label in (("command", "Command"), ("args", "Args")):
            child = node.child(label)
            if child is not None:
                spec[key] = child.lines()
        ports = none_or(node.value_of("Port") or node.value_of("Ports"))
        if ports:
            spec["ports"] = _ports(ports)
        specs.append(spec)
        if node.child("State") is not None or node.child("Container ID") is not None:
            statuses.append(_container_status(node, spec))
    return specs, statuses


def _container_status(node: Node, spec: dict[str, Any]) -> dict[str, Any]:
    status = {"name": spec["name"], "state": container_state(node.child("State")),
              "ready": node.value_of("Ready") == "True"}
    if node.child("Last State") is not None:
        status["lastState"] = container_state(node.child("Last State"))
    if node.value_of("Restart Count").isdigit():
        status["restartCount"] = int(node.value_of("Restart Count"))
    for key, label in (("image", "Image"), ("imageID", "Image ID"),
                       ("containerID", "Container ID")):
        if none_or(node.value_of(label)):
            status[key] = node.value_of(label)
    return status


def _ports(text: str) -> list[dict[str, Any]]:
    ports = []
    for part in text.split(","):
        match = re.match(r"\s*(\d+)/(\w+)(?: \((\S+)\))?", part)
        if match:
            port = {"containerPort": int(match.group(1)), "protocol": match.group(2)}
            if match.group(3):
                port["name"] = match.group(3)
            ports.append(port)
    return ports


_HEADER_WORDS = {"Type", "Namespace", "Resource", "CPU", "Name"}


def table_rows(section: Node | None) -> list[str]:
    """The data rows of a describe table: header, ---- and "(...)" note lines dropped."""
    rows = [c.text for c in (section.descendants() if section else [])]
    return [r for r in rows if r.strip() and not set(r.strip()) <= {"-", " "}
            and not r.startswith("(") and r.split()[0] not in _HEADER_WORDS]


# --- the three kinds -------------------------------------------------------------------

def _owner(root: Node) -> list[dict[str, Any]]:
    text = none_or(root.value_of("Controlled By") or root.value_of("Controllers"))
    kind, _, name = text.partition("/")
    return [{"kind": kind, "name": name, "controller": True}] if name else []


def object_meta(root: Node, namespaced: bool = True) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": root.value_of("Name"),
            "labels": labels_of(root.child("Labels")),
            "annotations": annotations_of(root.child("Annotations"))}
    if namespaced:
        meta["namespace"] = root.value_of("Namespace") or "default"
    if root.value_of("CreationTimestamp"):
        meta["creationTimestamp"] = timestamp(root.value_of("CreationTimestamp"))
    if _owner(root):
        meta["ownerReferences"] = _owner(root)
    return meta


def _pod_spec(block: Node) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    init, _ = containers_of(block.child("Init Containers"))
    spec["containers"], _ = containers_of(block.child("Containers"))
    if init:
        spec["initContainers"] = init
    selector = labels_of(block.child("Node-Selectors"))
    if selector:
        spec["nodeSelector"] = selector
    tolerations = tolerations_of(block.child("Tolerations"))
    if tolerations:
        spec["tolerations"] = tolerations
    for key, label in (("priorityClassName", "Priority Class Name"),
                       ("serviceAccountName", "Service Account"),
                       ("runtimeClassName", "Runtime Class Name")):
        if none_or(block.value_of(label)):
            spec[key] = block.value_of(label)
    return spec


def pod_object(root: Node) -> dict[str, Any]:
    spec = _pod_spec(root)
    status: dict[str, Any] = {}
    node = none_or(root.value_of("Node"))
    if node:
        spec["nodeName"], _, host_ip = node.partition("/")
        if host_ip:
            status["hostIP"] = host_ip
    if root.value_of("Priority").lstrip("-").isdigit():
        spec["priority"] = int(root.value_of("Priority"))
    meta = object_meta(root)
    phase = root.value_of("Status")
    if phase.startswith("Terminating"):
        meta["deletionTimestamp"] = phase  # describe shows only "Terminating (lasts 5m)"
    elif phase:
        status["phase"] = phase
    for key, label in (("reason", "Reason"), ("message", "Message"), ("podIP", "IP"),
                       ("nominatedNodeName", "NominatedNodeName"), ("qosClass", "QoS Class")):
        if none_or(root.value_of(label)):
            status[key] = root.value_of(label)
    if root.value_of("Start Time"):
        status["startTime"] = timestamp(root.value_of("Start Time"))
    conditions = [dict(zip(("type", "status"), row.split()[:2]))
                  for row in table_rows(root.child("Conditions")) if len(row.split()) >= 2]
    if conditions:
        status["conditions"] = conditions
    _, statuses = containers_of(root.child("Containers"))
    _, init_statuses = containers_of(root.child("Init Containers"))
    if statuses:
        status["containerStatuses"] = statuses
    if init_statuses:
        status["initContainerStatuses"] = init_statuses
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec,
            "status": status}


def node_object(root: Node) -> dict[str, Any]:
    spec: dict[str, Any] = {"unschedulable": root.value_of("Unschedulable") == "true"}
    taints = taints_of(root.child("Taints"))
    if taints:
        spec["taints"] = taints
    for key, label in (("podCIDR", "PodCIDR"), ("providerID", "ProviderID")):
        if root.value_of(label):
            spec[key] = root.value_of(label)
    status: dict[str, Any] = {"conditions": [_node_condition(r) for r in table_rows(
        root.child("Conditions")) if _node_condition(r)]}
    for key, label in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        if root.child(label) is not None:
            status[key] = resource_list(root.child(label))
    addresses = root.child("Addresses")
    if addresses is not None:
        status["addresses"] = [{"type": c.key, "address": c.value}
                               for c in addresses.children if c.key]
    info = root.child("System Info")
    if info is not None:
        status["nodeInfo"] = {_camel(c.key): c.value for c in info.children if c.key}
    obj = {"apiVersion": "v1", "kind": "Node",
           "metadata": object_meta(root, namespaced=False), "spec": spec, "status": status}
    extras = _node_extras(root)
    if extras:
        obj["_describe"] = extras
    return obj


def namespace_object(root: Node) -> dict[str, Any]:
    """`kubectl describe namespace`: name, labels, annotations, the phase and the namespace
    controller's deletion conditions."""
    status: dict[str, Any] = {}
    if root.value_of("Status"):
        status["phase"] = root.value_of("Status")
    conditions = []
    for row in table_rows(root.child("Conditions")):
        match = _NS_CONDITION.match(row.strip())
        if match:
            cond = dict(zip(("type", "status", "lastTransitionTime", "reason", "message"),
                            (g.strip() for g in match.groups())))
            cond["lastTransitionTime"] = timestamp(cond["lastTransitionTime"])
            conditions.append(cond)
    if conditions:
        status["conditions"] = conditions
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": object_meta(root, namespaced=False), "status": status}


def is_namespace(root: Node) -> bool:
    """A namespace describe without the `kubectl describe ns` line: its condition types."""
    return any(row.strip().startswith("Namespace")
               for row in table_rows(root.child("Conditions")))


def _camel(label: str) -> str:
    """System Info labels to NodeSystemInfo field names: "Kube-Proxy Version" ->
    "kubeProxyVersion", "Machine ID" -> "machineID", "System UUID" -> "systemUUID"."""
    words = label.replace("-", " ").split()
    text = words[0].lower()
    for word in words[1:]:
        text += word if word.isupper() else word[:1].upper() + word[1:].lower()
    return text


def _node_condition(row: str) -> dict[str, Any] | None:
    match = _NODE_CONDITION.match(row.strip())
    if match:
        keys = ("type", "status", "lastHeartbeatTime", "lastTransitionTime", "reason",
                "message")
        cond = dict(zip(keys, (g.strip() for g in match.groups())))
        for key in ("lastHeartbeatTime", "lastTransitionTime"):
            cond[key] = timestamp(cond[key])
        return cond
    cells = re.split(r"\s{2,}", row.strip())
    if len(cells) >= 2 and cells[1] in ("True", "False", "Unknown"):
        cond = {"type": cells[0], "status": cells[1]}
        if len(cells) >= 6:
            cond.update(reason=cells[4], message=" ".join(cells[5:]))
        return cond
    return None


_USAGE = re.compile(r"(\S+)\s+(\S+)(?:\s+\(\d+%\))?\s+(\S+)(?:\s+\(\d+%\))?\s*$")


def _node_extras(root: Node) -> dict[str, Any]:
    """Allocated resources and the pods on the node, which describe adds to the Node."""
    extras: dict[str, Any] = {}
    allocated = {}
    for row in table_rows(root.child("Allocated resources")):
        if row.startswith("(") or row.split()[:1] == ["Resource"]:
            continue
        match = _USAGE.match(row.strip())
        if match:
            allocated[match.group(1)] = {"requests": match.group(2), "limits": match.group(3)}
    if allocated:
        extras["allocatedResources"] = allocated
    pods = []
    for row in table_rows(root.child("Non-terminated Pods")):
        tokens = row.split()
        if len(tokens) >= 6 and tokens[0] != "Namespace" and "(" in row:
            pods.append({"namespace": tokens[0], "name": tokens[1],
                         "cpuRequests": tokens[2], "memoryRequests": tokens[6]
                         if len(tokens) > 6 else ""})
    if pods:
        extras["nonTerminatedPods"] = pods
    return extras


_JOB_STATUS = re.compile(r"(\d+) (?:Active|Running)(?: \((\d+) Ready\))? / (\d+) Succeeded"
                         r" / (\d+) Failed")


# `kubectl describe deployment` (k8s.io/kubectl pkg/describe/describe.go DeploymentDescriber
# v0.37.2): `Replicas: 3 desired | 0 updated | 0 total | 0 available | 3 unavailable` and a
# Conditions table of Type, Status and Reason (no message column)
_REPLICAS = re.compile(r"(\d+) desired \| (\d+) updated \| (\d+) total \| (\d+) available"
                       r" \| (\d+) unavailable")


def deployment_object(root: Node) -> dict[str, Any]:
    """A Deployment's replica counts and conditions (type, status, reason) from its describe."""
    spec: dict[str, Any] = {}
    status: dict[str, Any] = {}
    counts = _REPLICAS.search(root.value_of("Replicas"))
    if counts:
        desired, updated, total, available, unavailable = (int(n) for n in counts.groups())
        spec["replicas"] = desired
        status.update(replicas=total, updatedReplicas=updated, availableReplicas=available,
                      unavailableReplicas=unavailable)
    conditions = [dict(zip(("type", "status", "reason"), row.split()[:3]))
                  for row in table_rows(root.child("Conditions")) if len(row.split()) >= 2]
    if conditions:
        status["conditions"] = conditions
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": object_meta(root),
            "spec": spec, "status": status}


def job_object(root: Node) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    for key, label in (("parallelism", "Parallelism"), ("completions", "Completions"),
                       ("backoffLimit", "Backoff Limit"),
                       ("activeDeadlineSeconds", "Active Deadline Seconds")):
        value = root.value_of(label).rstrip("s")
        if value.isdigit():
            spec[key] = int(value)
    if root.value_of("Completion Mode"):
        spec["completionMode"] = root.value_of("Completion Mode")
    if root.value_of("Suspend") in ("true", "false"):
        spec["suspend"] = root.value_of("Suspend") == "true"
    template = root.child("Pod Template")
    if template is not None:
        spec["template"] = {"metadata": {"labels": labels_of(template.child("Labels"))},
                            "spec": _pod_spec(template)}
    status: dict[str, Any] = {}
    match = _JOB_STATUS.search(root.value_of("Pods Statuses") or root.value_of("Pods Status"))
    if match:
        status = {"active": int(match.group(1)), "succeeded": int(match.group(3)),
                  "failed": int(match.group(4))}
        if match.group(2) is not None:
            status["ready"] = int(match.group(2))
    for key, label in (("startTime", "Start Time"), ("completionTime", "Completed At")):
        if root.value_of(label):
            status[key] = timestamp(root.value_of(label))
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": object_meta(root),
            "spec": spec, "status": status}
