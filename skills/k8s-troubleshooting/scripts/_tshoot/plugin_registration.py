"""A node whose GPU resource is not registered, as the components around the device plugin
say it: Karpenter's NodeClaim condition (reported) and the kubelet's device manager losing the
plugin's stream with no registration after it (inferred).

- Karpenter keeps a NodeClaim's Initialized condition off while an extended resource it asked
  for is zero in the node's allocatable: `Resource %q was requested but not registered`, reason
  ResourceNotRegistered (kubernetes-sigs/karpenter pkg/controllers/nodeclaim/lifecycle/
  initialization.go@v1.14.1:83, @v1.0.0:71 as Unknown; @v0.33.0:72 as False;
  RequestedResourcesRegistered: "the device plugin hasn't registered it yet"). It reads the
  node's allocatable, so it reports what the node advertises.
- The kubelet logs `ListAndWatch ended unexpectedly for device plugin` with resource=<name>
  when the plugin's stream breaks (kubernetes v1.37.2 pkg/kubelet/cm/devicemanager/plugin/
  v1beta1/client.go:88, :95; before structured logging `listAndWatch ended unexpectedly for
  device plugin %s with error %v`, pkg/kubelet/cm/devicemanager/endpoint.go run(), errListAndWatch);
  the client then disconnects and, the resource's last plugin gone, the manager marks its
  devices unhealthy (manager.go@v1.37.2:256-275 PluginDisconnected -> markResourceUnhealthy):
  the node's allocatable for it drops to 0 until a plugin registers again (`Got registration
  request from device plugin with resource` resourceName=<name>, plugin/v1beta1/server.go
  @v1.37.2:161; `... with resource name %q` before structured logging). A stream that ended
  with no registration after it in the log is a node left without the resource
  (bottlerocket-os/bottlerocket#4250: the plugin registered twice at boot, both streams ended,
  the node never advertised nvidia.com/gpu).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

OBJECT = {"kind": "Node", "name": ""}
# the GPU resources the device plugins register (NVIDIA's whole GPUs and MIG devices, AMD's,
# Intel's): another extended resource not registered is not a GPU's
_GPU_RESOURCE = re.compile(r"^(?:nvidia\.com/(?:gpu|mig-[\w.-]+)|amd\.com/gpu|"
                           r"gpu\.intel\.com/[\w.-]+)$")
# Karpenter's %q, kept or escaped inside a pasted YAML/JSON string
_NOT_REGISTERED = re.compile(r"Resource \\?\"(?P<res>[^\"\\\s]+)\\?\" was requested but not "
                             r"registered")
_STREAM_ENDED = re.compile(r"(?i:listAndWatch) ended unexpectedly for device plugin(?:\"[^\n]*?"
                           r"\bresource=\"?(?P<res>[^\"\s]+)| (?P<old>\S+) with error)")
_REGISTERED = re.compile(r"Got registration request from device plugin with resource(?: name)?"
                         r"\W+(?:resourceName=)?\"?(?P<res>[^\"\s]+)")


def _events(text: str) -> list[tuple[str, str, str]]:
    """(kind, resource, line) of the kubelet's device-plugin lines in order; kind is
    "ended" or "registered"."""
    out = []
    for line in text.splitlines():
        ended, registered = _STREAM_ENDED.search(line), _REGISTERED.search(line)
        if ended:
            out.append(("ended", ended.group("res") or ended.group("old"), line.strip()[:300]))
        elif registered:
            out.append(("registered", registered.group("res"), line.strip()[:300]))
    return out


def stream_lost(text: str) -> tuple[str, list[str]]:
    """(resource, lines) of a GPU resource whose last device-plugin line is a stream that
    ended: the registrations before it and the end; ("", []) when it registered again after."""
    events = _events(text)
    for resource in dict.fromkeys(res for _, res, _ in events):
        if not _GPU_RESOURCE.match(resource):
            continue
        mine = [(kind, line) for kind, res, line in events if res == resource]
        if mine[-1][0] == "ended":
            return resource, [line for _, line in mine][-3:]
    return "", []


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """gpu_not_advertised: Karpenter says a requested GPU resource is not registered
    (reported), or the kubelet's stream to the GPU's plugin ended for good (inferred)."""
    text = "\n".join(texts)
    said = [m for m in _NOT_REGISTERED.finditer(text) if _GPU_RESOURCE.match(m.group("res"))]
    resource, lines = stream_lost(text)
    fix = ("restart the device plugin pod on that node so it registers the resource again, and "
           "read its log for why its gRPC server went away (a crash, or a restart when it saw "
           "the kubelet's device-plugin socket re-created); when it happens at boot the plugin "
           "started before the kubelet's socket was ready and lost its registration: upgrade "
           "the node image or plugin (bottlerocket-os/bottlerocket#4250: fixed by waiting for "
           "kubelet.sock); pods asking for the resource stay Pending meanwhile")
    if said:
        name = said[0].group("res")
        return [finding("error", "gpu_not_advertised", OBJECT,
                        f"Karpenter reports that {name} was requested but the node has not "
                        "registered it (its allocatable stays 0): no device plugin serves the "
                        "resource on that node's kubelet, so the NodeClaim never initialises "
                        "and the pods that need it stay Pending",
                        [said[0].group(0)] + lines[-2:], fix, basis="reported")]
    if resource:
        return [finding("warning", "gpu_not_advertised", OBJECT,
                        f"the kubelet's stream to the {resource} device plugin ended and no "
                        "registration follows in the log: with its last plugin gone the kubelet "
                        "marks the resource's devices unhealthy, so the node advertises 0 until "
                        "the plugin registers again", lines, fix, basis="inferred",
                        confirm="kubectl get node NODE -o jsonpath='{.status.allocatable}' and "
                                "kubectl logs -n <ns> <device plugin pod on that node>")]
    return []
