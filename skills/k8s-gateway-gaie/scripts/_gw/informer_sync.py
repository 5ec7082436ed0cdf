"""A controller-runtime program whose informer of a kind it could map never synced.

controller-runtime maps the kind first and creates its informer only when the API server
serves it: a kind with no CRD fails at once, `no matches for kind` (logged `if kind is a CRD,
it should be installed before calling Start`, pkg/internal/source/kind.go:93@86a0d40e). When the
informer exists but its list never succeeds it waits out the cache sync timeout and fails
with `Timeout: failed waiting for *v1.<Kind> Informer to sync` (pkg/cache/internal/
informers.go:332@86a0d40e, apierrors.NewTimeoutError; kind.go:98 logs `failed to get informer from
cache`). So for a custom kind as much as a built-in one (see sync_timeout_findings
below) the list was served and refused: the program's ServiceAccount lacks
list/watch on that resource in that API group, whose `forbidden` the reflector logs
elsewhere (llm-d-incubation/llm-d-modelservice#129: an endpoint picker's Role granted
InferencePools only in inference.networking.x-k8s.io, its v1 informer reads
inference.networking.k8s.io). Inferred: the confirm command decides.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_TIMEOUT = re.compile(r"failed waiting for \*?(?P<version>v\w+)\.(?P<kind>[A-Z]\w*) Informer "
                      r"to sync")
# the API group of a kind (the Inference Extension's InferencePool: one group per version)
_GATEWAY_API = ("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute",
                "UDPRoute", "ReferenceGrant", "BackendTLSPolicy")
_BUILT_IN_GROUPS = {"Ingress": "networking.k8s.io", "IngressClass": "networking.k8s.io",
                    "EndpointSlice": "discovery.k8s.io", "Deployment": "apps"}
_GROUPS = {("InferencePool", "v1"): "inference.networking.k8s.io",
           ("InferencePool", "v1alpha2"): "inference.networking.x-k8s.io",
           ("InferenceObjective", "v1alpha2"): "inference.networking.x-k8s.io",
           ("InferenceModel", "v1alpha2"): "inference.networking.x-k8s.io"}
# core kinds (group "") and the plurals that are not <kind>s
_CORE = ("Namespace", "Service", "Pod", "Node", "Endpoints", "Secret", "ConfigMap",
         "ServiceAccount", "Event")
_PLURAL_EXCEPTIONS = {"Endpoints": "endpoints", "Ingress": "ingresses",
                      "IngressClass": "ingressclasses", "GatewayClass": "gatewayclasses"}


def findings(lines) -> list[dict[str, Any]]:
    """One missing_permission (inferred) per kind whose informer timed out (built-in kinds
    too: sync_timeout_findings below reads client-go's `failed to sync` wording)."""
    out, seen = [], set()
    for line in lines or []:
        hit = _TIMEOUT.search(str(line))
        if not hit or hit["kind"] in seen:
            continue
        seen.add(hit["kind"])
        out.append(_finding(hit["kind"], hit["version"], str(line).strip()[:300]))
    return out


def _finding(kind: str, version: str, evidence: str) -> dict[str, Any]:
    plural = _PLURAL_EXCEPTIONS.get(kind, kind.lower() + "s")
    group = _group(kind, version)
    picker = kind.startswith("Inference")
    whose = ("the endpoint picker's (or the pool controller's)" if picker else "the program's")
    return finding(
        "error", "missing_permission", {"kind": "Text", "name": "paste"},
        f"the program gave up waiting for its {version} {kind} informer to sync: "
        f"controller-runtime creates that informer only for a kind the API server serves, so "
        f"its list was refused: {whose} ServiceAccount most likely lacks list/watch on "
        f"{plural} in API group {group or 'core'}",
        [evidence],
        f"grant get/list/watch on {plural} in API group {group or 'core'} (the group of the "
        "version the program reads: a Role written for another InferencePool group does not "
        "cover it) in the Role or ClusterRole bound to its ServiceAccount, then restart it",
        basis="inferred",
        confirm=f"kubectl auth can-i list {plural}{'.' + group if group else ''} "
                "--as=system:serviceaccount:<namespace>:<serviceaccount> -n <namespace>")


def _group(kind: str, version: str) -> str:
    if kind in _CORE:
        return ""
    if kind in _GATEWAY_API:
        return "gateway.networking.k8s.io"
    return _BUILT_IN_GROUPS.get(kind) or _GROUPS.get((kind, version), "<group>")


# client-go's own wording (a program that waits for its caches with a deadline): read for
# built-in kinds only, which a server always serves (a custom kind may lack its CRD)
_BUILT_IN = _CORE + ("EndpointSlice", "Ingress", "IngressClass")
_SYNC_TIMEOUT = re.compile(r"failed to sync \*?v1\.(?P<kind>" + "|".join(_BUILT_IN) +
                           r")\b:? ?(?:context deadline exceeded|with timeout)", re.IGNORECASE)


def sync_timeout_findings(lines) -> list[dict]:
    """A program's cache of a built-in kind never synced: its ServiceAccount may not list it."""
    out, seen = [], set()
    for line in lines or []:
        hit = _SYNC_TIMEOUT.search(str(line))
        if not hit or hit["kind"].lower() in seen:
            continue
        kind = hit["kind"]
        seen.add(kind.lower())
        plural = _PLURAL_EXCEPTIONS.get(kind, kind.lower() + "s")
        out.append(finding(
            "error", "missing_permission", {"kind": "Text", "name": "paste"},
            f"the program waited for its cache of {kind} objects and gave up: the API server "
            f"always serves {kind}, so its list was refused: the program's ServiceAccount "
            f"lacks list/watch on {plural} (client-go logs the `forbidden` only at the "
            "reflector)",
            [str(line).strip()[:300]],
            f"grant get/list/watch on {plural} in the ClusterRole bound to the program's "
            "ServiceAccount (a chart older than the feature that needs it lacks the rule: "
            "upgrade the chart or add the rule)",
            basis="inferred",
            confirm=f"kubectl auth can-i list {plural} --as=system:serviceaccount:<ns>:<sa> -A"))
    return out
