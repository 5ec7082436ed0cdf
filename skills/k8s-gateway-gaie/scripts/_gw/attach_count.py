"""A route a controller reports Accepted on a Gateway whose listeners count no route.

The Gateway API defines a listener's `status.listeners[].attachedRoutes` as "the number of
Routes with the Accepted condition set to "True" that have been attached to this Listener"
(gateway-api v1.6.3 apis/v1/gateway_types.go:1388-1404). So a route whose status entry for
a Gateway parent says Accepted=True, while every listener that parentRef can select (the one
its sectionName names, those on its port, or all) counts 0, shows the controller
contradicting itself: one of the two statuses is false. The route's is usually the false one:
the data plane follows the Gateway's attachment (l7mp/stunner#90: a UDPRoute from another
namespace reported Accepted while the Gateway counted 0 and the route got no traffic;
l7mp/stunner-gateway-operator#31, fixed by #30).

Both statuses must be current (observedGeneration not older than generation), and the route
entry must be the Gateway's own controller's when the paste holds its GatewayClass.
"""
from __future__ import annotations

from typing import Any

from k8s_skillkit.findings import finding

from _gw.objects import (GW_GROUP, current_conditions, is_current, meta, parent_refs,
                         status_parent)

_ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
_CONFIRM = ("kubectl get gateway {name} -n {ns} -o jsonpath='{{.status.listeners}}' and "
            "kubectl get {kind} {route} -n {route_ns} -o jsonpath='{{.status.parents}}'")
_FIX = ("the controller reports the route accepted but its Gateway attaches none: trust the "
        "Gateway's count. Check whether the implementation supports this binding (a route in "
        "another namespace than the Gateway, this route kind on that listener) and upgrade it "
        "to a release that does or that reports the refusal; meanwhile put the route where it "
        "attaches (the Gateway's namespace, a listener that lists its kind)")


def findings(index: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for kind in _ROUTE_KINDS:
        for route in index.of_kind(kind):
            out += _route_findings(index, route)
    return out


def _route_findings(index: Any, route: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for ref in parent_refs(route):
        if ref["kind"] != "Gateway" or ref["group"] != GW_GROUP:
            continue
        gateway = index.get("Gateway", ref["namespace"], ref["name"])
        entry = status_parent(route, ref)
        conds, _ = current_conditions(route, entry)
        accepted = conds.get("Accepted")
        if gateway is None or not accepted or accepted.get("status") != "True" or \
                not _own_controller(index, gateway, entry):
            continue
        counts = _counts(gateway, ref)
        if counts and not any(counts.values()):
            out.append(_finding(route, ref, counts))
    return out


def _own_controller(index: Any, gateway: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    cls = index.get("GatewayClass", "", (gateway.get("spec") or {}).get("gatewayClassName", ""))
    wrote = (entry or {}).get("controllerName")
    return cls is None or not wrote or (cls.get("spec") or {}).get("controllerName") == wrote


def _counts(gateway: dict[str, Any], ref: dict[str, Any]) -> dict[str, int]:
    """attachedRoutes of the listeners the parentRef can select, by name; {} when the Gateway's
    status is missing, older than its spec, or lists none of them."""
    status = gateway.get("status") or {}
    if any(not is_current(gateway, c) for c in status.get("conditions") or []
           if isinstance(c, dict)):
        return {}
    ports = {str(lst.get("name")): lst.get("port")
             for lst in (gateway.get("spec") or {}).get("listeners") or []}
    out = {}
    for listener in status.get("listeners") or []:
        name = str(listener.get("name"))
        if ref.get("sectionName") and name != ref["sectionName"]:
            continue
        if ref.get("port") and ports.get(name) != ref["port"]:
            continue
        count = listener.get("attachedRoutes")
        if not isinstance(count, int):
            return {}
        out[name] = count
    return out


def _finding(route: dict[str, Any], ref: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    kind, name, ns = route.get("kind", ""), meta(route, "name"), meta(route, "namespace")
    listeners = ", ".join(f"{n}={c}" for n, c in counts.items())
    return finding(
        "warning", "controller_contradicts_spec",
        {"kind": kind, "name": name, "namespace": ns},
        f"parent Gateway {ref['namespace']}/{ref['name']} reported Accepted=True, but the "
        f"Gateway's listeners it can attach to count 0 attachedRoutes ({listeners}): a "
        "listener counts every route Accepted on it (Gateway API ListenerStatus."
        "attachedRoutes), so the controller contradicts itself",
        [f"route status.parents: Gateway {ref['namespace']}/{ref['name']} Accepted=True",
         f"Gateway status.listeners attachedRoutes: {listeners}"],
        _FIX, basis="reported",
        confirm=_CONFIRM.format(name=ref["name"], ns=ref["namespace"], kind=kind.lower(),
                                route=name, route_ns=ns))
