"""Nodes from lines that carry `kubectl get nodes`' STATUS and VERSION cells without its table.

kubectl prints a node's STATUS as its Ready condition ("Ready" when True, "NotReady" otherwise,
"Unknown" when the node has none) joined by commas with "SchedulingDisabled" when
spec.unschedulable (kubernetes v1.37.2 pkg/printers/internalversion/printers.go:2032-2047,
printNode), and VERSION as the kubelet's version (status.nodeInfo.kubeletVersion, "v1.x.y").
Runbooks copy those cells into their own lists ("NAME: VERSION, STATUS", `--no-headers` rows
piped through grep/awk); the kit reads only the headed table. A line read here starts with the
node's name and holds both a kubelet version and the STATUS word as cells of their own, so a
sentence that merely mentions NotReady is not a node row. The Ready condition is the node
lifecycle controller's and the kubelet's report: a NotReady row is read as that condition.
"""
from __future__ import annotations

import re
from typing import Any

_ROW = re.compile(
    r"^\s*(?P<name>[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)\s*[:,]?\s+"  # the node's name first
    r"(?:[^\n]*?[\s,])?"
    r"(?P<status>NotReady|Ready|Unknown)(?P<cordon>,SchedulingDisabled)?(?=[\s,;)]|$)")
_VERSION = re.compile(r"(?:^|[\s,])v\d+\.\d+\.\d+(?:[-+][\w.+-]*)?(?=[\s,;)]|$)")
_CONDITION = {"Ready": "True", "NotReady": "False", "Unknown": "Unknown"}


def rows(text: str, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nodes (partial objects, `_source: table`) of the text's node-status lines whose node
    the objects already read do not hold."""
    known = {(o.get("metadata") or {}).get("name") for o in objects if o.get("kind") == "Node"}
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        m = _ROW.match(line)
        if not m or not _VERSION.search(line) or m.group("name") in known:
            continue
        name, status = m.group("name", "status")
        known.add(name)
        node: dict[str, Any] = {
            "kind": "Node", "metadata": {"name": name}, "_source": "table",
            "status": {"conditions": [{"type": "Ready", "status": _CONDITION[status],
                                       "reason": status,
                                       "message": f"row: {line.strip()[:200]}"}]},
            "_columns": {"NAME": name, "STATUS": status + (m.group("cordon") or "")}}
        if m.group("cordon"):
            node["spec"] = {"unschedulable": True}
        out.append(node)
    return out
