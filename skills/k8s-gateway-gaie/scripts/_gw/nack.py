"""Envoy's refusal of a listener that has no filter chain: a fault only when routes use it.

Envoy refuses any TCP listener whose config has no filter chain (envoy
source/common/listener_manager/listener_impl.cc, every release since 1.x: "error adding
listener '{}': no filter chains specified"). A control plane that translates a Gateway listener
with no route attached into such an Envoy listener gets this NACK for a listener that has
nothing to serve: nothing is lost (Envoy Gateway v1.2.0-v1.2.1 did so for a TLS passthrough
listener without TLSRoute; the maintainer called it harmless and v1.2.2 adds a default chain,
envoyproxy/gateway#4680, #4681). With routes attached, the same NACK means those routes are
not served, and stays the xds_config_rejected the log line reports.

Envoy Gateway names its xDS listeners `<namespace>/<gateway>/<listener>` (internal/gatewayapi
listener.go irListenerName, v0.3..v1.9); other names cannot be tied to a Gateway listener.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig

from _gw.objects import GW_GROUP, parent_refs

_NACK = re.compile(r"Error adding/updating listener\(s\) (.*)", re.S)
_ONE = re.compile(r"([\w./-]+): error adding listener '[^']*': ([^\n]*)")
_NO_CHAINS = "no filter chains specified"
# every route kind that attaches to a listener (the Gateway API standard and experimental kinds)
_ROUTES = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
_FIX = ("nothing to change for the NACK itself: the listener has no route, so Envoy has "
        "nothing to serve on it (Envoy Gateway >= v1.2.2 adds a default filter chain and the "
        "log line goes away); attach the route the listener is meant for")


def empty_listeners(findings: list[dict], index, lines: list[str]) -> list[dict]:
    """xds_config_rejected findings from a NACK whose every refused listener is an empty one
    with no route attached (reported by the Gateway's status) or none known (inferred):
    recast as info; a NACK for a listener with routes is kept."""
    refused = _refused(lines)
    if not refused or any(not why.startswith(_NO_CHAINS) for _, why in refused):
        return findings
    routes = {name: _routes_on(index, name) for name, _ in refused}
    if any(state == "attached" for state in routes.values()):
        return findings
    out = []
    for f in findings:
        if f["cause"] == "xds_config_rejected" and _from_nack(f):
            out.append(_recast(f, routes))
        else:
            out.append(f)
    return out


def _refused(lines: list[str]) -> list[tuple[str, str]]:
    """(xDS listener name, Envoy's reason) for every listener a NACK line refuses."""
    out = []
    for line in lines:
        nack = _NACK.search(str(line))
        if nack:
            out += [(m.group(1), m.group(2).strip().rstrip('",}')) for m in
                    _ONE.finditer(nack.group(1).replace("\\n", "\n"))]
    return out


def _from_nack(f: dict) -> bool:
    return any("Error adding/updating listener(s)" in e for e in f.get("evidence") or [])


def _routes_on(index, xds_name: str) -> str:
    """attached | none (the Gateway's status says 0) | unknown, for `<ns>/<gw>/<listener>`."""
    parts = xds_name.split("/")
    if len(parts) != 3:
        return "unknown"
    namespace, gateway, listener = parts
    if _route_names_listener(index, namespace, gateway, listener):
        return "attached"
    gw = index.get("Gateway", namespace, gateway)
    for status in dig(gw or {}, "status", "listeners", default=[]) or []:
        if isinstance(status, dict) and status.get("name") == listener:
            count = status.get("attachedRoutes")
            if isinstance(count, int):
                return "attached" if count > 0 else "none"
    return "unknown"


def _route_names_listener(index, namespace: str, gateway: str, listener: str) -> bool:
    for kind in _ROUTES:
        for route in index.of_kind(kind):
            for ref in parent_refs(route):
                if (ref["group"] == GW_GROUP and ref["kind"] == "Gateway"
                        and ref["namespace"] == namespace and ref["name"] == gateway
                        and ref["sectionName"] in (None, listener)):
                    return True
    return False


def _recast(f: dict, routes: dict[str, str]) -> dict:
    names = ", ".join(sorted(routes))
    if all(state == "none" for state in routes.values()):
        message = (f"Envoy refused listener {names} because it has no filter chain: the "
                   "Gateway's status says no route is attached to it, so nothing is lost")
        return finding("info", "empty_listener", f["object"], message, f["evidence"], _FIX,
                       basis="reported")
    gateway = names.split("/")
    confirm = ("kubectl get gateway -A -o jsonpath='{range .items[*]}{.metadata.namespace}/"
               "{.metadata.name}{\" \"}{.status.listeners[*].attachedRoutes}{\"\\n\"}{end}'")
    if len(gateway) == 3:
        confirm = (f"kubectl get gateway {gateway[1]} -n {gateway[0]} -o jsonpath='{{.status."
                   f"listeners[?(@.name==\"{gateway[2]}\")].attachedRoutes}}'")
    message = (f"Envoy refused listener {names} because it has no filter chain, which is what "
               "a listener with no route attached translates to: harmless when no route "
               "attaches to it (the routes are not in the paste); a fault only if one does")
    return finding("info", "empty_listener", f["object"], message, f["evidence"], _FIX,
                   basis="inferred", confirm=confirm)
