"""Envoy Gateway looking up its own proxy Service before that proxy exists: log noise.

Envoy Gateway names the Service of each Envoy proxy it provisions `envoy-<name>-<hash>`
(internal/infrastructure/kubernetes/proxy/resource.go ExpectedResourceHashedName: "envoy-"
and utils.GetHashedName, the Gateway's `<namespace>/<name>` with "/" as "-", or the
GatewayClass's name when the class merges its Gateways, cut to 48 characters, then "-" and 8
hex digits of its SHA-256), in the controller's namespace. From v1.5.0 (the zone-aware
routing's topology injector, PR #6597 / #6763: processServiceCluster) the provider adds that
Service to the backend lookups of every Gateway and of every merged-gateways class, whether
the proxy is provisioned or not, and processBackendRefs logs the lookup that fails:
`ERROR provider kubernetes/controller.go:618 failed to get Service {"runner": "provider",
"namespace": "envoy-gateway-system", "name": "envoy-<...>-<hash>", "error": "Service
\\"envoy-<...>-<hash>\\" not found"}` (internal/provider/kubernetes/controller.go v1.5.0:618).
So right after install, before a Gateway of the class exists or while its proxy is being
created, the line names a Service nothing references: envoyproxy/gateway#6814 and #7072
("Meaningless error message"), fixed by PR #7424 (v1.6.0: insertProxyServiceIfExists adds the
Service only once it exists and logs no NotFound).

A user's missing backend is another line: its name is the route's backendRef, and the route's
own status says it (ResolvedRefs=False BackendNotFound; EG's processBackendRefs: "these errors
... will surface in the status of the resources referencing them"). The lookup is read as the
proxy's own only when all of this holds:
- the line is Envoy Gateway's `failed to get Service` log record;
- the Service it names has the proxy Service's form (`envoy-...-<8 hex>`);
- no route in the paste names that Service as a backendRef (then it is a real
  backend_not_found and stays one).
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

from _gw.objects import ROUTE_KINDS, backend_refs

_LOOKUP = re.compile(r"\bfailed to get Service\b")
# the Service the record names (its `name` field, or the NotFound error's quoted name)
_PROXY_NAME = re.compile(r'(?:"name":\s*|Service \\?")\\?"?(envoy-[a-z0-9][a-z0-9-]*?-[0-9a-f]{8})'
                         r'\\?"')
_FIX = ("nothing to fix: Envoy Gateway v1.5.x looks up the Service of each Gateway's (or merged "
        "GatewayClass's) proxy before the proxy exists; the line stops once a Gateway of the "
        "class is programmed, and v1.6.0 no longer logs it (envoyproxy/gateway PR #7424). A "
        "route whose backend is missing says so in its own status (ResolvedRefs=False)")


def reclassify(findings: list[dict], index) -> list[dict]:
    """backend_not_found read from Envoy Gateway's lookup of its own proxy Service -> an info
    proxy_not_provisioned."""
    return [_own_lookup(f, index) or f for f in findings]


def _own_lookup(f: dict, index) -> dict | None:
    if f["cause"] != "backend_not_found" or f["object"].get("kind") != "Text":
        return None
    lines = [str(e) for e in f.get("evidence") or []]
    names = {hit.group(1) for line in lines if _LOOKUP.search(line)
             for hit in _PROXY_NAME.finditer(line)}
    if not names or _referenced(index, names):
        return None
    service = sorted(names)[0]
    return finding(
        "info", "proxy_not_provisioned", {"kind": "Service", "name": service},
        f"Envoy Gateway logged that Service {service} is not found: that is the Service of "
        "an Envoy proxy it provisions itself (envoy-<gateway or merged class>-<hash>), looked "
        "up before the proxy exists (no Gateway of the class yet, or still being created), "
        "not a route's backend; nothing is wrong (envoyproxy/gateway#6814, #7072)", lines,
        _FIX, basis="inferred",
        confirm="kubectl get gateway -A; kubectl get svc -n <envoy gateway namespace> "
                "-l app.kubernetes.io/managed-by=envoy-gateway")


def _referenced(index, names: set[str]) -> bool:
    """A route in the paste names one of these Services as a backend."""
    return any(ref.get("name") in names and (ref.get("kind") or "Service") == "Service"
               for kind in ROUTE_KINDS for route in index.of_kind(kind)
               for _, ref in backend_refs(route))
