"""A GPU node's state as command outputs show it: a jsonpath query of the node's GPU resource
that prints nothing, and a /sys/class/drm listing without a card while the GPU kernel module is
loaded. Both inferred (the plugin's log and the kernel's log decide).

- `kubectl get nodes -o jsonpath=...{.status.allocatable.<gpu resource>}` prints an empty
  string where the node has no such key (kubectl's jsonpath prints nothing for a missing map
  key: kubectl's --allow-missing-template-keys defaults to true, k8s.io/cli-runtime v0.37.2
  pkg/genericclioptions/jsonpath_flags.go:104-109) and `0` where the
  plugin registered it and sees no device -> gpu_not_advertised.
- The DRM core creates one `cardN` device under /sys/class/drm for every GPU a DRM driver binds
  (Linux drivers/gpu/drm/drm_sysfs.c drm_sysfs_minor_alloc "card%d"; the class's own `version`
  file exists as soon as the drm module loads, drm_sysfs_init). Intel's GPU plugin counts those
  cards (intel-device-plugins-for-kubernetes v0.23.0 cmd/gpu_plugin/gpu_plugin.go:38
  sysfsDrmDirectory "/sys/class/drm", v0.36.0 :47 gpuDeviceRE `^card[0-9]+$`). The GPU's DRM
  module (i915, xe, amdgpu) loaded with no card means the driver did not bind the GPU: a kernel
  whose driver does not know this GPU, or its firmware missing (intel-device-plugins-for-
  kubernetes#864: Comet Lake on Debian 10's 4.19 kernel) -> gpu_driver_mismatch, the root of
  the node advertising no GPU, so ranked first.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "Node", "name": ""}
_GPU_RESOURCE = re.compile(r"^(?:nvidia\.com/gpu|amd\.com/gpu|gpu\.intel\.com/(?:i915|xe)\w*)$")
_JSONPATH = re.compile(r"jsonpath=(?P<tpl>\S.*)")
# a literal label (or the node's name and a separator) right before the GPU resource's field
_LABELLED = re.compile(r"\{\s*['\"](?P<label>[^'\"{}]*?)['\"]\s*\}\s*\{\s*\.status\.(?:allocatable|"
                       r"capacity)\.(?P<res>[\w\\.-]+/[\w.-]+)\s*\}")
_AFTER_NAME = re.compile(r"\{\s*\.metadata\.name\s*\}\s*(?:\{\s*['\"](?:\\t|[ \t:,=])*['\"]\s*\}\s*)?"
                         r"\{\s*\.status\.(?:allocatable|capacity)\.(?P<res>[\w\\.-]+/[\w.-]+)\s*\}")
_PROMPT = re.compile(r"^\s*(?:\S+[#$]|[#$])\s+\S|^\s*```")
_NO_VALUE = ("", "0")


def _output(lines: list[str], start: int) -> list[str]:
    """The lines a command printed: after it, up to the next prompt or code fence."""
    out = []
    for line in lines[start + 1:]:
        if _PROMPT.match(line):
            break
        out.append(line)
    return out


def jsonpath_without_gpu(text: str) -> tuple[str, list[str]]:
    """(resource, output lines) of a node jsonpath query whose GPU value is empty or 0."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _JSONPATH.search(line)
        if not m:
            continue
        tpl = m.group("tpl")
        labelled, named = _LABELLED.search(tpl), _AFTER_NAME.search(tpl)
        found = labelled or named
        if not found:
            continue
        resource = found.group("res").replace("\\", "")
        if not _GPU_RESOURCE.match(resource):
            continue
        out = _output(lines, i)
        label = re.sub(r"\\[tn]", " ", labelled.group("label")).strip() if labelled else ""
        if label:  # a literal such as ' i915: ' (a separator alone, "\t", is no label)
            rows = [o.strip() for o in out if o.strip().startswith(label)
                    and o.strip()[len(label):].strip() in _NO_VALUE]
        else:  # `NAME<sep>VALUE` rows: a name alone, or with 0
            rows = [o.strip() for o in out if o.strip() and (
                len(o.split()) == 1 or (len(o.split()) == 2 and o.split()[1] == "0"))]
        if rows:
            return resource, rows
    return "", []


# `lsmod` rows of a GPU's DRM driver: name, size, use count
_LSMOD = re.compile(r"^\s*(?P<mod>i915|xe|amdgpu)\s+\d+\s+\d+\b", re.MULTILINE)
_LS_DRM = re.compile(r"\bls\b[^\n]*?/sys/class/drm/?\s*$")
_LONG = re.compile(r"^[-dlcbps][-rwxsStT]{9}[.+@]?\s")


def _entries(out: list[str]) -> list[str]:
    names = []
    for line in out:
        if not line.strip() or line.strip().startswith("total "):
            continue
        if _LONG.match(line.strip()):
            head = line.split(" -> ")[0].split()
            names.append(head[-1])
        else:
            names += line.split()
    return [n for n in names if n not in (".", "..")]


def unbound_drm(text: str) -> tuple[str, list[str]] | None:
    """(module, the listing's entries) when a GPU DRM module is loaded and /sys/class/drm
    lists no cardN; None when a card is there, or no listing or no module is shown."""
    mod = _LSMOD.search(text)
    if not mod:
        return None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not _LS_DRM.search(line):
            continue
        entries = _entries(_output(lines, i))
        if entries and not any(re.match(r"card\d+$", e) for e in entries):
            return mod.group("mod"), entries
    return None


def findings(text: str) -> list[dict[str, Any]]:
    """gpu_driver_mismatch (a loaded GPU module that bound no card) before gpu_not_advertised
    (a jsonpath query printing no GPU), each when its output is pasted."""
    out = []
    unbound = unbound_drm(text)
    if unbound:
        mod, entries = unbound
        out.append(finding(
            "warning", "gpu_driver_mismatch", OBJECT,
            f"the {mod} kernel module is loaded but /sys/class/drm lists no cardN: the driver "
            "did not bind the GPU (the node's kernel driver does not support this GPU model, or "
            "its firmware is missing), so the device plugin finds no GPU to advertise",
            [f"lsmod: {mod} loaded", "ls /sys/class/drm: " + " ".join(entries[:6])],
            "run a kernel whose driver supports this GPU (a newer kernel / distribution "
            "release, or the vendor's backport driver) with the GPU firmware package installed; "
            "once /sys/class/drm shows cardN, restart the device plugin pod",
            basis="inferred",
            confirm=f"on the node: dmesg | grep -i {mod} (the probe's error, or no probe)"))
    resource, rows = jsonpath_without_gpu(text)
    if rows:
        out.append(finding(
            "warning", "gpu_not_advertised", OBJECT,
            f"{len(rows)} node row(s) of the jsonpath query print no {resource} value (empty or "
            "0): no device plugin has registered that resource with the node's kubelet, or it "
            "finds no GPU", [f"in the output: {row or '(empty)'}" for row in rows[:3]],
            "read the device plugin pod's log on that node and fix what it names (no GPU "
            "device found: the driver; not registered: the plugin's DaemonSet and kubelet "
            "socket); then restart the plugin pod",
            basis="inferred",
            confirm="kubectl describe node NODE (Capacity/Allocatable) and kubectl logs -n "
                    "<ns> <device plugin pod on that node>"))
    return out
