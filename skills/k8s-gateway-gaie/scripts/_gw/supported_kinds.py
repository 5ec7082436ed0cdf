"""A `kubectl describe gateway` fragment holding only listeners' `Supported Kinds:` blocks.

`kubectl describe gateway NAME | grep -A2 "Supported Kinds"` prints each listener's
status.listeners[].supportedKinds block (`Group:` / `Kind:` lines) and grep's `--` between
matches, without the listener names, protocols, allowedRoutes or any route. SupportedKinds is
what the implementation supports for that listener's configuration (gateway-api v1.6.3
apis/v1/gateway_types.go ListenerStatus.SupportedKinds: kinds of allowedRoutes.kinds it does
not support MUST NOT appear, with ResolvedRefs=False InvalidRouteKinds), so a route of a kind
no block lists cannot attach to these listeners (not_allowed_by_listener). Whether that is the
user's allowedRoutes.kinds or the controller leaving out a kind it supports for the protocol
(cilium/cilium#40922: GRPCRoute missing from HTTP/HTTPS listeners, fixed by #41232) needs the
Gateway's spec, its class's controller and the route: the fragment alone decides neither, so
it is said in an info finding, with the command that does.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_HEADER = re.compile(r"^\s*Supported Kinds:\s*$")
_FIELD = re.compile(r"^\s*(?:-\s+)?(?P<key>Group|Kind):\s*(?P<value>\S*)\s*$")
_GREP_SEPARATOR = "--"


def blocks(lines) -> list[list[str]]:
    """The kinds of each `Supported Kinds:` block, when the paste holds nothing else (grep's
    `--` separators and blank lines aside); [] otherwise."""
    out: list[list[str]] = []
    for line in (str(x) for x in lines or []):
        if not line.strip() or line.strip() == _GREP_SEPARATOR:
            continue
        if _HEADER.match(line):
            out.append([])
            continue
        field = _FIELD.match(line)
        if not field or not out:
            return []
        if field["key"] == "Kind" and field["value"]:
            out[-1].append(field["value"])
    return out if out and all(out) else []


def findings(lines) -> list[dict[str, Any]]:
    """One info finding naming the kinds the pasted listeners take; nothing is decided."""
    found = blocks(lines)
    if not found:
        return []
    kinds = sorted({kind for block in found for kind in block})
    return [finding(
        "info", "not_evaluated", {"kind": "Text", "name": "paste"},
        f"the paste lists {len(found)} listener(s)' supportedKinds ({', '.join(kinds)}) and "
        "nothing else: a route of another kind cannot attach to these listeners "
        "(not_allowed_by_listener), but without the listeners' protocol and "
        "allowedRoutes.kinds, the route and the controller it cannot say whether a listener "
        "should list that kind (a kind the implementation supports for an HTTP/HTTPS "
        "listener, such as GRPCRoute, missing from it is the controller's defect)",
        [f"Supported Kinds: {', '.join(block)}" for block in found][:5],
        "compare with the route's kind: if the Gateway's listeners leave allowedRoutes.kinds "
        "unset and the implementation documents that kind for the listener's protocol, "
        "upgrade the controller; otherwise add the kind to allowedRoutes.kinds or use a "
        "listener of the protocol that takes it",
        basis="inferred",
        confirm="kubectl get gateway NAME -n NS -o yaml (spec.listeners[].protocol, "
                "allowedRoutes.kinds, status.listeners[].conditions) and the route's "
                "status.parents")]
