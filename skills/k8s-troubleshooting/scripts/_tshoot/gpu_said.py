"""A GPU fault stated in words, where no log line a rule reads is pasted: a report that the
node advertises no GPU (`nvidia.com/gpu showed 0`) while its device plugin crashes or logs an
error. Inferred: the plugin's own log decides what it could not do."""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

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


def said_findings(texts: list[str]) -> list[dict]:
    """gpu_not_advertised when the words say the node's GPU resource is 0 and the device
    plugin fails; [] otherwise."""
    text = "\n".join(texts)
    zero, plugin = _ZERO_SAID.search(text), _PLUGIN_SAID.search(text)
    if zero is None or plugin is None:
        return []
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
