"""A GPU fault stated in words, where no log line a rule reads is pasted: a report that the
node advertises no GPU (`nvidia.com/gpu showed 0`) while its device plugin crashes or logs an
error. Inferred: the plugin's own log decides what it could not do."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

from _tshoot import gpu_node_state

# the node's device resource said to be 0 (describe node's Capacity/Allocatable in words)
_ZERO_SAID = re.compile(r"(?:nvidia\.com/gpu|amd\.com/gpu)\W{0,3}(?:[^.\n]{0,40}?\b(?:show(?:s|ed|"
                        r"ing)?|is|was|were|stays?|remains?|at|becomes?|became)\s+|\s*[:=]\s*)"
                        r"[\"'`]?(?:0|zero)\b", re.I)
_PLUGIN_SAID = re.compile(r"device[- ]plugin[^.\n]{0,80}?\b(?:crash\w*|CrashLoopBackOff|fail\w*|"
                          r"error\w*|restart\w*|exits?)", re.I)
# NVML refuses MIG device handles to a process without the MIG monitor capability
# ("Insufficient Permissions"): the plugin needs NVIDIA_MIG_MONITOR_DEVICES=all
# (NVIDIA/k8s-device-plugin#399, #229; libnvidia-container's MIG capability handling)
_MIG_PERMISSION = re.compile(r"\bmig\b[^\n]{0,160}?permission|permission[^\n]{0,160}?\bmig\b",
                             re.I)
OBJECT = {"kind": "Node", "name": ""}
# `kubectl get nodes -o custom-columns=NAME:<path>,...` with a column on a node's GPU resource:
# kubectl prints `<none>` where the path finds no value (k8s.io/kubectl@v0.37.2 pkg/cmd/get/
# customcolumn.go:252), so `<none>` (or 0) there is a node that advertises no GPU
_COLUMNS = re.compile(r"custom-columns[= ](?P<spec>[^\n]+)")
_COLUMN = re.compile(r"(?:^|,)\s*['\"]?(?P<name>[\w.-]+):(?P<path>[^,]*)")
_GPU_PATH = re.compile(r"(?:nvidia|amd)\.com/gpu")
_NO_GPU = ("<none>", "0")


def _gpu_column(text: str) -> tuple[list[str], int, str] | None:
    """(column names, index of the GPU column, the resource) of a custom-columns command."""
    for m in _COLUMNS.finditer(text):
        spec = m.group("spec").replace("\\", "")
        cols = [(c.group("name"), c.group("path").replace("'", "").replace('"', ""))
                for c in _COLUMN.finditer(spec.split()[0] if spec.split() else "")]
        for i, (_, path) in enumerate(cols):
            gpu = _GPU_PATH.search(path)
            if gpu:
                return [name for name, _ in cols], i, gpu.group(0)
    return None


def nodes_without_gpu(text: str) -> tuple[str, list[str]]:
    """(resource, rows) of a custom-columns node table whose GPU column is <none> or 0."""
    found = _gpu_column(text)
    if found is None:
        return "", []
    names, index, resource = found
    rows: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.split() != names:
            continue
        for row in lines:
            cells = row.split()
            if len(cells) != len(names):
                break
            if cells[index] in _NO_GPU:
                rows.append(" ".join(cells))
    return resource, rows


def _table_findings(text: str) -> list[dict[str, Any]]:
    resource, rows = nodes_without_gpu(text)
    if not rows:
        return []
    return [finding("warning", "gpu_not_advertised", OBJECT,
                    f"{len(rows)} node(s) advertise no {resource} (the custom-columns table "
                    "shows <none> or 0): no device plugin has registered that resource with "
                    "their kubelet, or it finds no GPU",
                    [f"in the table: {row}" for row in rows[:3]],
                    "read the device plugin pod's log on that node: a plugin that runs but "
                    "finds no GPU usually runs without the NVIDIA runtime (make nvidia the "
                    "runtime's default: Docker's daemon.json \"default-runtime\": \"nvidia\", "
                    "containerd's default_runtime_name, or runtimeClassName: nvidia on the "
                    "plugin's DaemonSet; NVIDIA/k8s-device-plugin#23), or the driver is not "
                    "loaded (nvidia-smi on the node); no plugin pod on the node: its DaemonSet's "
                    "nodeSelector or a taint; then restart the plugin pod",
                    basis="inferred",
                    confirm="kubectl logs -n <ns> <device plugin pod on that node>")]


def said_findings(texts: list[str]) -> list[dict[str, Any]]:
    """gpu_not_advertised when the words say the node's GPU resource is 0 and the device
    plugin fails, or a node table shows no GPU resource; a node's command outputs first
    (gpu_node_state: a GPU module that bound no card, a jsonpath query with no GPU); [] when
    none of these."""
    text = "\n".join(texts)
    shown = gpu_node_state.findings(text)
    causes = {f["cause"] for f in shown}
    return shown + [f for f in _said(text) if f["cause"] not in causes]


def _said(text: str) -> list[dict[str, Any]]:
    zero, plugin = _ZERO_SAID.search(text), _PLUGIN_SAID.search(text)
    if zero is None or plugin is None:
        return _table_findings(text)
    fix = ("read the device plugin's log (kubectl logs -n <ns> <its DaemonSet's pod> "
           "--previous) and fix what it names; the node advertises GPUs again once the plugin "
           "runs and registers")
    if _MIG_PERMISSION.search(text):
        fix = ("with MIG enabled the plugin must be allowed to read the MIG devices: set env "
               "NVIDIA_MIG_MONITOR_DEVICES=all on the device plugin container (the plugin's "
               "chart and the GPU Operator set it; NVIDIA/k8s-device-plugin#399), and a "
               "--mig-strategy that matches the MIG layout; restart the plugin pod and the "
               "node advertises GPUs again once it registers")
    return [finding("warning", "gpu_not_advertised", OBJECT,
                    "the report says the node's GPU resource is 0 while its device plugin "
                    "fails: a plugin that is not running, or sees no GPU, advertises none",
                    [f"in the text: {m.group(0).strip()}" for m in (plugin, zero)], fix,
                    basis="inferred",
                    confirm="kubectl describe node NODE (Capacity/Allocatable nvidia.com/gpu) "
                            "and kubectl logs -n <ns> ds/<device plugin> --previous")]
