"""Route rules: attachment (parents, listeners, hostnames), backends, grants, timeouts, TLS.

Each parentRef is judged from the status a controller wrote when that status is current
(Accepted / ResolvedRefs, reasons from gateway-api apis/v1/shared_types.go and the
implementations' own reasons such as Envoy Gateway's PortNotFound); otherwise the verdict is
derived from the Gateway, its listeners, the namespaces, Services and ReferenceGrants.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _gw_objects import (ALPHA_GROUP, DEFAULT_KINDS, GW_GROUP, POOL_GROUP, backend_refs,
                         cond_text, current_conditions, describe_ref, grant_allows,
                         hostnames_intersect, meta, parent_refs, pool_ports, selector_matches,
                         service_ports, status_parent)

ACCEPTED_REASONS = {"NotAllowedByListeners": "not_allowed_by_listener",
                    "NoMatchingListenerHostname": "hostname_mismatch",
                    "NoMatchingParent": "parent_not_found"}
RESOLVED_REASONS = {"RefNotPermitted": "ref_not_permitted", "BackendNotFound": "backend_not_found",
                    "PortNotFound": "port_mismatch", "PortNotSpecified": "port_mismatch",
                    "InvalidKind": "unsupported_backend_kind",
                    "UnsupportedProtocol": "unsupported_backend_kind"}


def check_route(index, route: dict) -> list[dict]:
    findings = []
    tls_ok, listeners_seen = False, False
    for ref in parent_refs(route):
        if ref["kind"] != "Gateway" or ref["group"] != GW_GROUP:
            continue  # mesh (Service parent) or ListenerSet: out of scope here
        out, listeners = _check_parent(index, route, ref)
        findings += out
        if listeners:
            listeners_seen = True
            tls_ok = tls_ok or any(li.get("protocol") in ("HTTPS", "TLS") for li in listeners)
    if listeners_seen and not tls_ok:
        findings.append(_no_tls(route))
    findings += _check_backends(index, route)
    if route.get("kind") == "HTTPRoute":
        findings += _check_timeouts(route)
    return findings


def _check_parent(index, route, ref) -> tuple[list[dict], list[dict]]:
    """Findings for one parentRef, and the listeners the route attaches to (for no_tls)."""
    entry = status_parent(route, ref)
    conds, stale = current_conditions(route, entry)
    accepted = conds.get("Accepted")
    gateway = index.get("Gateway", ref["namespace"], ref["name"])
    if accepted is not None and accepted.get("status") == "True":
        return [], _listeners_for(index, gateway, route, ref)[0] if gateway else []
    evidence = [f"parentRef {describe_ref(ref)}"] + ([stale] if stale else [])
    if accepted is not None and accepted.get("status") == "False":
        return _from_accepted_status(index, route, ref, accepted, evidence), []
    if gateway is None:
        return [_missing_gateway(index, route, ref, evidence)], []
    out = []
    listeners, why, unknown = _listeners_for(index, gateway, route, ref)
    if why:
        out.append(finding("error", why[0], route, why[1], evidence + why[2], why[3]))
    elif unknown:
        out.append(finding("info", "not_checked", route, "listener namespace Selector not "
                           "verified: Namespace labels are not in the input", evidence + unknown,
                           "include `kubectl get namespaces -o yaml` in the dump"))
    return out, listeners


def _from_accepted_status(index, route, ref, cond, evidence) -> list[dict]:
    cause = ACCEPTED_REASONS.get(cond.get("reason"), "route_not_accepted")
    derived = []
    gateway = index.get("Gateway", ref["namespace"], ref["name"])
    if gateway is not None:
        _, why, _ = _listeners_for(index, gateway, route, ref)
        if why:
            derived = why[2]
            cause = why[0] if cause == "route_not_accepted" else cause
    return [finding("error", cause, route,
                    f"{describe_ref(ref)} rejected the route ({cond.get('reason')})",
                    evidence + [cond_text(cond)] + derived, _FIXES.get(cause, "")
                    or "read the condition message; fix the named field and re-apply")]


def _missing_gateway(index, route, ref, evidence) -> dict:
    if "Gateway" not in index.covered:
        return finding("info", "not_checked", route,
                       f"Gateway {ref['namespace']}/{ref['name']} is not in the input",
                       evidence, "include `kubectl get gateways -A -o yaml` in the dump")
    return finding("error", "parent_not_found", route,
                   f"parentRef names Gateway {ref['namespace']}/{ref['name']}, which does "
                   "not exist", evidence + _gateways_hint(index),
                   "point spec.parentRefs[].name/namespace at an existing Gateway "
                   "(kubectl get gateways -A)")


def _gateways_hint(index) -> list[str]:
    names = [f"{meta(g, 'namespace')}/{meta(g, 'name')}" for g in index.of_kind("Gateway")]
    return [f"existing Gateways: {', '.join(sorted(names)[:8])}"] if names else [
        "no Gateway exists in the input"]


def _listeners_for(index, gateway, route, ref):
    """(listeners the route attaches to, None, unverified) or ([], (cause, message,
    evidence, fix), unverified)."""
    listeners = (gateway.get("spec") or {}).get("listeners") or []
    named = [li for li in listeners
             if (not ref.get("sectionName") or li.get("name") == ref["sectionName"])
             and (not ref.get("port") or li.get("port") == ref["port"])]
    gw = f"Gateway {meta(gateway, 'namespace')}/{meta(gateway, 'name')}"
    if not named:
        have = ", ".join(f"{li.get('name')}:{li.get('port')}" for li in listeners) or "none"
        return [], ("parent_not_found", f"{gw} has no listener matching sectionName/port "
                    f"{ref.get('sectionName') or '*'}:{ref.get('port') or '*'}",
                    [f"listeners (name:port): {have}"],
                    "set parentRefs[].sectionName/port to an existing listener, or drop "
                    "them"), []
    allowed, reasons, unknown = [], [], []
    for li in named:
        why = _listener_refuses(index, li, gateway, route)
        if why.startswith("?"):
            unknown.append(why[1:])
            allowed.append(li)
        elif why:
            reasons.append(why)
        else:
            allowed.append(li)
    if not allowed:
        return [], ("not_allowed_by_listener", f"no listener of {gw} admits "
                    f"{route.get('kind')} from namespace {meta(route, 'namespace')}", reasons,
                    _FIXES["not_allowed_by_listener"]), unknown
    route_hosts = (route.get("spec") or {}).get("hostnames") or []
    matching = [li for li in allowed if hostnames_intersect(li.get("hostname"), route_hosts)]
    if not matching:
        hosts = ", ".join(f"{li.get('name')}={li.get('hostname')}" for li in allowed)
        return [], ("hostname_mismatch", f"route hostnames {route_hosts} match no listener "
                    f"hostname on {gw}", [f"listener hostnames: {hosts}"],
                    _FIXES["hostname_mismatch"]), unknown
    return matching, None, unknown


def _listener_refuses(index, li, gateway, route) -> str:
    """Why the listener refuses the route; "" when it admits it; "?..." when unknowable."""
    allowed = li.get("allowedRoutes") or {}
    kinds = {k.get("kind") for k in allowed.get("kinds") or []
             if (k.get("group") or GW_GROUP) == GW_GROUP}
    kinds = kinds or DEFAULT_KINDS.get(li.get("protocol"), set())
    name = f"listener {li.get('name')} ({li.get('protocol')}:{li.get('port')})"
    if route.get("kind") not in kinds:
        return f"{name} accepts kinds {sorted(kinds)}, not {route.get('kind')}"
    namespaces = allowed.get("namespaces") or {}
    source = namespaces.get("from", "Same")
    route_ns, gw_ns = meta(route, "namespace"), meta(gateway, "namespace")
    if source == "None":
        return f"{name}: allowedRoutes.namespaces.from=None"
    if source == "Same" and route_ns != gw_ns:
        return f"{name}: allowedRoutes.namespaces.from=Same (only {gw_ns}), route is in {route_ns}"
    if source == "Selector":
        labels = index.namespace_labels(route_ns)
        if labels is None:
            return f"?{name}: allowedRoutes Selector {namespaces.get('selector')}"
        if not selector_matches(namespaces.get("selector"), labels):
            return (f"{name}: namespace {route_ns} labels {labels} do not match selector "
                    f"{namespaces.get('selector')}")
    return ""


def _no_tls(route) -> dict:
    return finding("warning", "no_tls", route,
                   "the route is served only on plain-HTTP listeners: prompts and completions "
                   "travel unencrypted",
                   [f"hostnames: {(route.get('spec') or {}).get('hostnames') or 'any'}"],
                   _FIXES["no_tls"])


def _check_backends(index, route) -> list[dict]:
    conds = {}
    for entry in (route.get("status") or {}).get("parents") or []:
        got, _ = current_conditions(route, entry)
        if "ResolvedRefs" in got:
            conds = got
            break
    resolved = conds.get("ResolvedRefs")
    if resolved is not None and resolved.get("status") == "True":
        return _outdated_refs(route)
    derived = []
    for rule, ref in backend_refs(route):
        derived += _check_backend(index, route, rule, ref)
    if resolved is None:
        return derived
    status_ev = cond_text(resolved)
    if any(f["severity"] != "info" for f in derived):
        for f in derived:
            f["evidence"].append(status_ev)
        return derived
    reasons = [r.strip() for r in str(resolved.get("reason", "")).split(",")]
    cause = next((RESOLVED_REASONS[r] for r in reasons if r in RESOLVED_REASONS),
                 "backend_unresolved")
    return derived + [finding("error", cause, route, f"the controller could not resolve a "
                              f"backendRef ({resolved.get('reason')})", [status_ev],
                    _FIXES.get(cause, "fix the backendRef the condition message names"))]


def _outdated_refs(route) -> list[dict]:
    return [_outdated_ref(route, rule, ref) for rule, ref in backend_refs(route)
            if ref["group"] == ALPHA_GROUP]


def _outdated_ref(route, rule, ref) -> dict:
    return finding("error", "outdated_inference_api", route,
                   f"rules[{rule}] points at {describe_ref(ref)}: the alpha group "
                   f"{ALPHA_GROUP} is outdated", [f"backendRef group: {ref['group']}"],
                   f"set group: {POOL_GROUP} (InferencePool v1) and migrate the pool; see "
                   "references/causes.md#outdated_inference_api")


def _check_backend(index, route, rule, ref) -> list[dict]:
    where = f"rules[{rule}] backendRef {describe_ref(ref)}"
    if ref["group"] == ALPHA_GROUP:
        return [_outdated_ref(route, rule, ref)]
    if (ref["group"], ref["kind"]) == ("", "Service"):
        target, kind = index.get("Service", ref["namespace"], ref["name"], ""), "Service"
    elif (ref["group"], ref["kind"]) == (POOL_GROUP, "InferencePool"):
        target, kind = index.get("InferencePool", ref["namespace"], ref["name"], POOL_GROUP), \
            "InferencePool"
    else:
        return []  # implementation-specific backend kinds: the controller's status decides
    out = []
    route_ns = meta(route, "namespace")
    if ref["namespace"] != route_ns and not grant_allows(
            index, route.get("kind"), route_ns, ref["group"], ref["kind"], ref["namespace"],
            ref["name"]):
        out.append(finding("error", "ref_not_permitted", route,
                           f"{where} crosses namespaces without a ReferenceGrant",
                           [f"no ReferenceGrant in {ref['namespace']} allows "
                            f"{route.get('kind')} from {route_ns}"],
                           _grant_fix(route, ref)))
    if target is None:
        if kind in index.covered:
            out.append(finding("error", "backend_not_found", route, f"{where} does not exist",
                               _siblings(index, kind, ref["namespace"]),
                               f"create the {kind} or fix backendRefs[].name/namespace"))
        else:
            out.append(finding("info", "not_checked", route, f"{where}: {kind} not in input",
                               [], f"include `kubectl get {kind.lower()}s -o yaml` in the dump"))
        return out
    out += _port_findings(route, where, kind, ref, target)
    return out


def _port_findings(route, where, kind, ref, target) -> list[dict]:
    if kind == "Service":
        ports = service_ports(target)
        if ref["port"] is not None and ref["port"] not in ports:
            return [finding("error", "port_mismatch", route,
                            f"{where}: Service has no port {ref['port']}",
                            [f"Service ports: {ports}"],
                            f"set backendRefs[].port to one of {ports} (the Service port, "
                            "not the targetPort)")]
    elif ref["port"] is not None and ref["port"] not in pool_ports(target):
        return [finding("warning", "port_mismatch", route,
                        f"{where}: port {ref['port']} is not a targetPort of the pool",
                        [f"pool targetPorts: {pool_ports(target)}"],
                        "drop backendRefs[].port for InferencePool backends: the pool's "
                        "targetPorts decide the port")]
    return []


def _siblings(index, kind, namespace) -> list[str]:
    names = sorted(meta(o, "name") for o in index.of_kind(kind)
                   if meta(o, "namespace") == namespace)
    return [f"{kind}s in {namespace}: {', '.join(names[:8]) or 'none'}"]


def _grant_fix(route, ref) -> str:
    return (f"create in namespace {ref['namespace']}: ReferenceGrant spec.from "
            f"[{{group: {GW_GROUP}, kind: {route.get('kind')}, namespace: "
            f"{meta(route, 'namespace')}}}], spec.to [{{group: \"{ref['group']}\", kind: "
            f"{ref['kind']}, name: {ref['name']}}}] (make_route.py grant prints it)")


def _check_timeouts(route) -> list[dict]:
    out = []
    for index, rule in enumerate((route.get("spec") or {}).get("rules") or []):
        if not rule.get("backendRefs") or (rule.get("timeouts") or {}).get("request"):
            continue
        pool = any(r.get("kind") == "InferencePool" for r in rule["backendRefs"])
        out.append(finding("warning", "no_timeouts", route,
                           f"rules[{index}] has no timeouts.request: the limit is whatever the "
                           "implementation defaults to" + (" (LLM generations often run for "
                                                           "minutes)" if pool else ""),
                           [f"rules[{index}].timeouts: {rule.get('timeouts')}"],
                           _FIXES["no_timeouts"]))
    return out


_FIXES = {
    "not_allowed_by_listener": "platform team: widen the listener's allowedRoutes "
                               "(namespaces.from: Selector with a label on this namespace, "
                               "or All), or attach to a listener that admits this namespace",
    "hostname_mismatch": "make spec.hostnames match a listener hostname (wildcard *.domain "
                         "covers one or more labels), or drop hostnames to inherit the "
                         "listener's",
    "parent_not_found": "point spec.parentRefs[] at an existing Gateway and listener "
                        "(sectionName = listener name)",
    "no_tls": "attach to an HTTPS listener (tls.mode Terminate with a certificateRefs "
              "Secret): make_route.py gateway --tls-secret NAME prints one",
    "no_timeouts": "set rules[].timeouts.request (e.g. 300s for streaming LLM responses; "
                   "standard channel, Support: Extended)",
    "ref_not_permitted": "add a ReferenceGrant in the target namespace (make_route.py grant)",
    "backend_not_found": "create the backend or fix backendRefs[].name/namespace",
    "port_mismatch": "set backendRefs[].port to a port the Service exposes",
    "unsupported_backend_kind": "this Gateway implementation does not support the backend "
                                "kind/protocol: check its docs (GAIE support for InferencePool)",
}
