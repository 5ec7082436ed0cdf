"""The GPU device plugin's DaemonSet wants no pod anywhere (DESIRED 0): no plugin runs, so no node
registers a GPU resource and the node's Capacity lists none.

A DaemonSet's desiredNumberScheduled counts the nodes its pod template may run on (its
nodeSelector, node affinity and tolerations against each node's labels and taints): 0 is no
node qualifying, which the controller reports as `kubectl get ds`'s DESIRED column (kubernetes
v1.37.2 pkg/printers/internalversion/printers.go:164, "desiredNumberScheduled"), `kubectl
describe ds`'s "Desired Number of Nodes Scheduled: 0" (k8s.io/kubectl v0.37.2 pkg/describe/
describe.go:2541) or `status.desiredNumberScheduled: 0` in its YAML/JSON. NVIDIA's device-plugin
chart requires, from v0.15.0, one of Node Feature Discovery's labels
feature.node.kubernetes.io/pci-10de.present=true (discrete GPUs) or
feature.node.kubernetes.io/cpu-model.vendor_id=NVIDIA (Tegra), or nvidia.com/gpu.present=true
(NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin/values.yaml@v0.15.0:62-83; v0.14.0
had `affinity: {}`): a cluster without NFD (the chart's nfd.enabled / gfd.enabled false) and
without the label has no node for it (siderolabs/talos#9187: labelling the node
nvidia.com/gpu.present=true brought the plugin up). The GPU Operator's DaemonSets select its
nvidia.com/gpu.deploy.device-plugin=true label instead.

Reported when the DaemonSet's status is pasted; a report that says so in words is inferred.
Silent when a pasted node Capacity lists a GPU resource above 0 (a plugin serves there, e.g. one
the node image runs as a service), and for the MPS control daemon's DaemonSet, which runs only on
nodes labelled for MPS sharing and is at 0 otherwise.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "DaemonSet", "name": ""}
# a device plugin's DaemonSet name: NVIDIA's chart, the GPU Operator's, AMD's, Intel's
_PLUGIN_NAME = re.compile(r"(?:device-plugin|gpu-plugin)", re.I)
_NOT_THE_PLUGIN = re.compile(r"mps-control-daemon", re.I)
# `kubectl get ds` (-A adds NAMESPACE first)
_TABLE_HEADER = re.compile(r"^\s*(?:NAMESPACE\s+)?NAME\s+DESIRED\s+CURRENT\s+READY\b")
_DESCRIBE_NAME = re.compile(r"^Name:\s+(?P<name>\S+)\s*$", re.M)
_DESCRIBE_DESIRED = re.compile(r"^Desired Number of Nodes Scheduled:\s*(?P<n>\d+)\s*$", re.M)
_YAML_DESIRED = re.compile(r"[\"']?desiredNumberScheduled[\"']?\s*:\s*(?P<n>\d+)")
_YAML_NAME = re.compile(r"[\"']?name[\"']?\s*:\s*[\"']?(?P<name>[\w.-]*(?:device-plugin|gpu-plugin)"
                        r"[\w.-]*)")
# in words: "the device plugin daemonset is not even setting any desired count", "the
# nvidia-device-plugin daemonset has 0 desired pods", "no pods for the device plugin daemonset"
_SAID = re.compile(
    r"device[- ]plugin[^.\n]{0,40}?daemon[- ]?set[^.\n]{0,60}?\b(?:no|zero|0|not\b[^.\n]{0,30}?"
    r"\bany)\s+(?:\w+\s+){0,2}?(?:desired|pods?\b|scheduled)|"
    r"\b(?:no|zero|0)\s+(?:\w+\s+){0,2}?pods?\s+(?:for|of|from|in)\s+the\s+(?:nvidia[- ])?"
    r"device[- ]plugin\s+daemon[- ]?set", re.I)
# a node Capacity block's GPU resource lines (describe node, YAML)
_CAPACITY = re.compile(r"^\s*Capacity:\s*$|^\s*capacity:\s*$", re.M)
_GPU_RESOURCE = re.compile(r"^\s*[\"']?(?:nvidia\.com/(?:gpu|mig-[\w.-]+)|amd\.com/gpu|"
                           r"gpu\.intel\.com/\w+)[\"']?\s*:\s*[\"']?(?P<n>\d+)", re.M)
_RESOURCE_LINE = re.compile(r"^\s+[\"']?[\w.-]+(?:/[\w.-]+)?[\"']?\s*:\s*\S")


def _table_rows(text: str) -> list[str]:
    out, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if not _TABLE_HEADER.match(line):
            continue
        names = line.split()
        at_name, at_desired = names.index("NAME"), names.index("DESIRED")
        for row in lines[i + 1:]:
            cells = row.split()
            if len(cells) <= at_desired or not cells[at_desired].isdigit():
                break
            name = cells[at_name]
            if _PLUGIN_NAME.search(name) and not _NOT_THE_PLUGIN.search(name) and \
                    cells[at_desired] == "0":
                out.append(f"kubectl get ds: {' '.join(cells)}")
    return out


def _described(text: str) -> list[str]:
    out = []
    for desired in _DESCRIBE_DESIRED.finditer(text):
        names = [m for m in _DESCRIBE_NAME.finditer(text, 0, desired.start())]
        name = names[-1].group("name") if names else ""
        if desired.group("n") == "0" and _PLUGIN_NAME.search(name) and \
                not _NOT_THE_PLUGIN.search(name):
            out.append(f"DaemonSet {name}: Desired Number of Nodes Scheduled: 0")
    return out


def _from_yaml(text: str) -> list[str]:
    out = []
    for desired in _YAML_DESIRED.finditer(text):
        names = [m for m in _YAML_NAME.finditer(text, 0, desired.start())]
        name = names[-1].group("name") if names else ""
        if desired.group("n") == "0" and name and not _NOT_THE_PLUGIN.search(name):
            out.append(f"DaemonSet {name}: status.desiredNumberScheduled: 0")
    return out


def _capacities(text: str) -> list[list[int]]:
    """The GPU counts of each pasted Capacity block (an empty list: a block without any)."""
    out, lines = [], text.splitlines()
    for m in _CAPACITY.finditer(text):
        start = text.count("\n", 0, m.start()) + 1
        block = []
        for line in lines[start:]:
            if not _RESOURCE_LINE.match(line):
                break
            block.append(line)
        out.append([int(g.group("n")) for g in _GPU_RESOURCE.finditer("\n".join(block))])
    return out


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """gpu_not_advertised when the device plugin's DaemonSet desires no pod and no pasted
    Capacity lists a GPU; [] else."""
    text = "\n".join(texts)
    reported = _table_rows(text) + _described(text) + _from_yaml(text)
    said = [] if reported else [f"in the text: {' '.join(m.group(0).split())}"
                                for m in _SAID.finditer(text)][:1]
    if not reported and not said:
        return []
    capacities = _capacities(text)
    if any(n > 0 for counts in capacities for n in counts):
        return []
    evidence = (reported or said)[:2]
    if capacities:
        evidence.append("the pasted node Capacity lists no GPU resource (no nvidia.com/gpu)")
    return [finding(
        "error" if reported else "warning", "gpu_not_advertised", OBJECT,
        "the GPU device plugin's DaemonSet wants no pod on any node (desired 0): no node "
        "qualifies under its pod template's nodeSelector / node affinity and tolerations, so "
        "no plugin runs, none registers nvidia.com/gpu with a kubelet, and no GPU pod can be "
        "placed; there is no plugin log to read because there is no plugin pod",
        evidence,
        "compare the DaemonSet's node selection with the GPU node's labels and taints: NVIDIA's "
        "device-plugin chart from v0.15.0 requires the label feature.node.kubernetes.io/"
        "pci-10de.present=true (set by Node Feature Discovery: the chart's nfd.enabled=true / "
        "gfd.enabled=true, or an NFD already running) or nvidia.com/gpu.present=true: install "
        "NFD or label the GPU nodes (kubectl label node NODE nvidia.com/gpu.present=true), or "
        "override the chart's affinity; the GPU Operator's plugin wants nvidia.com/gpu.deploy."
        "device-plugin=true (the operator sets it once NFD labels the node); a tainted GPU "
        "node needs a matching toleration on the plugin",
        basis="reported" if reported else "inferred",
        confirm="kubectl get ds -A -o wide | grep -i device-plugin (DESIRED); kubectl get "
                "nodes -L feature.node.kubernetes.io/pci-10de.present,nvidia.com/gpu.present; "
                "kubectl get ds -n <ns> <device plugin ds> -o jsonpath='{.spec.template.spec."
                "affinity}'")]
