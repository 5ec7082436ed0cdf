"""A node's Capacity that lists its GPU resource at 0 (`kubectl describe node`, or the node's
YAML `status.capacity`): the device plugin that registered it is gone. Inferred: the plugin's
own log and the node's unit/pod status say why it stopped.

Why 0 and not absent: the kubelet's device manager reports no capacity for a resource whose
plugin stopped more than 5 minutes ago (endpointStopGracePeriod) and the node status setter
then writes it as 0 instead of dropping it, "to indicate that the resource is managed by
device plugin and had been registered before" (kubernetes v1.37.2 pkg/kubelet/nodestatus/
setters.go:274-284, pkg/kubelet/cm/devicemanager/manager.go:472-520 GetCapacity, types.go:125);
after a kubelet restart every checkpointed resource starts with no devices "so that the
resource capacity will stay zero till the corresponding device plugin re-registers"
(manager.go:561-566 readCheckpoint). A plugin that is registered counts its unhealthy devices
in Capacity too (GetCapacity), so Capacity 0 is no plugin, while Capacity N with Allocatable 0
is every device unhealthy (another cause: not read here). bottlerocket-os/bottlerocket#3132:
the plugin's systemd unit, bound to the kubelet's, stopped when the kubelet restarted at boot
and never came back: nvidia.com/gpu 0 on 10-40% of new nodes.

A resource left at 0 beside another resource of the same vendor that has devices is a plugin
that now advertises under another name (MIG's mixed strategy, a renamed shared resource): no
finding then.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.describe_outline import Node, outline
from k8s_skillkit.findings import finding

OBJECT = {"kind": "Node", "name": ""}
# device-plugin resources of GPUs; the vendor domain groups a plugin's other names
_GPU = re.compile(r"^(?P<vendor>nvidia\.com|amd\.com|gpu\.intel\.com)/(?:gpu|i915|xe)$")
_VENDOR = re.compile(r"^(?P<vendor>nvidia\.com|amd\.com|gpu\.intel\.com)/")


def _count(value: str) -> int | None:
    text = value.strip().strip("\"'")
    return int(text) if text.isdigit() else None


def _capacities(root: Node) -> list[tuple[Node, dict[str, int]]]:
    """(parent, {resource: count}) of every Capacity / capacity map in the outline."""
    out = []
    for parent in [root] + root.descendants():
        block = next((c for c in parent.children if c.key in ("Capacity", "capacity")), None)
        if block is None:
            continue
        counts = {c.key: _count(c.value) for c in block.children if c.key}
        out.append((parent, {k: v for k, v in counts.items() if v is not None}))
    return out


def _vendor(resource: str) -> str:
    m = _VENDOR.match(resource)
    return m.group("vendor") if m else ""


def _zero_gpus(counts: dict[str, int]) -> list[str]:
    """The GPU resources at 0 with no other resource of their vendor above 0."""
    return [resource for resource, count in counts.items()
            if _GPU.match(resource) and count == 0
            and not any(_vendor(other) == _vendor(resource) and n > 0
                        for other, n in counts.items())]


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """gpu_not_advertised for the nodes whose Capacity lists a GPU resource at 0; [] else."""
    rows = []
    for parent, counts in _capacities(outline("\n".join(texts).splitlines())):
        name = parent.value_of("Name") or parent.value_of("name")
        rows += [f"Capacity of {'node ' + name if name else 'the node'}: {resource}: 0"
                 for resource in _zero_gpus(counts)]
    if not rows:
        return []
    return [finding(
        "warning", "gpu_not_advertised", OBJECT,
        f"{len(rows)} node Capacity block(s) list a GPU resource at 0: the kubelet keeps a "
        "device plugin's resource at 0 once the plugin that registered it has stopped (and "
        "after a kubelet restart until the plugin registers again) or when it serves no "
        "device, so no device plugin is serving GPUs on that node and no GPU pod is placed "
        "there",
        rows[:3],
        "check the device plugin on that node: its pod (kubectl get pods -A -o wide "
        "--field-selector spec.nodeName=NODE) or, where the node image runs it as a service, "
        "its systemd unit (systemctl status on the node): a plugin stopped by a kubelet "
        "restart and not started again leaves the node at 0, so restart it and make it "
        "restart with the kubelet (a newer node image); a running plugin that logs no GPU "
        "found points to the driver or the NVIDIA runtime",
        basis="inferred",
        confirm="kubectl logs -n <ns> <device plugin pod on that node> (or journalctl -u "
                "<device plugin unit> on the node)")]
