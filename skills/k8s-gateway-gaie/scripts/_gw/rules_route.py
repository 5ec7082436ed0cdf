"""Route rules inferred from specs: attachment (parents, listeners, hostnames), backends,
grants, timeouts, TLS. Every finding here has basis "inferred" and names the command that
would confirm it.

Inference never contradicts the controller: a parentRef with a current Accepted condition is
the controller's to judge (_gw.reported), and a current ResolvedRefs=True silences backend
inference. Field semantics follow gateway-api v1.6.3 apis/v1 (listeners, allowedRoutes
defaults, hostname intersection) and GAIE v1.6.0 api/v1 (InferencePool backendRefs).
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from k8s_skillkit.dump import ABSENT

from _gw import eg_backend
from _gw.causes import fix_for
from _gw.rules_listenerset import detached as listenerset_detached
from _gw.objects import (ALPHA_GROUP, DEFAULT_KINDS, GW_GROUP, LISTENERSET_KINDS, POOL_GROUP,
                         backend_refs, current_conditions, describe_ref, grant_allows,
                         holding_listener, hostnames_intersect, meta, name_label_only,
                         namespace_selected, parent_refs, pool_ports, scoped, service_ports,
                         status_parent)


def check_route(index, route: dict) -> list[dict]:
    findings = []
    tls_ok, listeners_seen = False, False
    for ref in parent_refs(route):
        if ref["kind"] in LISTENERSET_KINDS:
            out, listeners = _check_listenerset_parent(index, route, ref)
        elif ref["kind"] == "Gateway" and ref["group"] == GW_GROUP:
            out, listeners = _check_parent(index, route, ref)
        else:
            continue  # mesh (Service parent) or an implementation's own kind
        findings += out
        if listeners:
            listeners_seen = True
            tls_ok = tls_ok or any(li.get("protocol") in ("HTTPS", "TLS") for li in listeners)
    if listeners_seen and not tls_ok:
        findings.append(_no_tls(route))
    if not any(f["severity"] != "info" for f in findings):
        findings += _unreconciled(route)
    findings += _check_backends(index, route)
    if route.get("kind") == "HTTPRoute":
        findings += _check_timeouts(route)
    return findings


def _from_cluster(obj: dict) -> bool:
    """Read from the apiserver (not a manifest): the server sets these on every object."""
    return any(meta(obj, key) for key in ("uid", "resourceVersion", "creationTimestamp"))


def _unreconciled(route) -> list[dict]:
    """A route read from the cluster that no controller wrote status for: nothing serves
    the Gateway it names (or it was created moments ago)."""
    status = route.get("status") or {}
    if not _from_cluster(route) or status.get("parents") or status.get("gateways"):
        return []
    refs = [r for r in parent_refs(route) if r["kind"] == "Gateway"
            or LISTENERSET_KINDS.get(r["kind"]) == r["group"]]
    if not refs:
        return []
    ref = refs[0]
    return [finding("warning", "no_controller", route,
                    f"no controller has written status for this route: the {ref['kind']} it "
                    "names is not served by a running controller, or the route was just "
                    "created",
                    [f"parentRef {describe_ref(ref)}", "status.parents: none"],
                    f"check that the {ref['kind']} exists and its GatewayClass controller "
                    "runs (kubectl get gatewayclass -o wide)",
                    confirm=f"kubectl get {ref['kind'].lower()}s.{ref['group']} {ref['name']} "
                            f"-n {ref['namespace']} -o yaml")]


def _confirm_route(route) -> str:
    return (f"kubectl get {route.get('kind', 'httproute').lower()} {scoped(route)} -o yaml"
            "   # status.parents[] from the controller")


def _check_parent(index, route, ref) -> tuple[list[dict], list[dict]]:
    """Findings for one parentRef, and the listeners the route attaches to (for no_tls)."""
    entry = status_parent(route, ref)
    conds, stale = current_conditions(route, entry)
    gateway = index.get("Gateway", ref["namespace"], ref["name"])
    if "Accepted" in conds or "Admitted" in conds:
        # The controller judged this parent (a False is a reported finding already).
        accepted = (conds.get("Accepted") or conds.get("Admitted")).get("status") == "True"
        return [], (_listeners_for(index, gateway, route, ref)[0]
                    if gateway is not None and accepted else [])
    evidence = [f"parentRef {describe_ref(ref)}"] + ([stale] if stale else [])
    if gateway is None:
        return [_missing_gateway(index, route, ref, evidence)], []
    return _attach(index, route, gateway, ref, evidence)


def _attach(index, route, holder, ref, evidence) -> tuple[list[dict], list[dict]]:
    """Findings for a parentRef whose Gateway or ListenerSet (`holder`) is in the input,
    and the listeners the route attaches to."""
    out = []
    listeners, why, unknown = _listeners_for(index, holder, route, ref)
    if why:
        out.append(finding("error", why[0], route, why[1], evidence + why[2], why[3],
                           confirm=_confirm_route(route)))
    elif unknown:
        out.append(finding("info", "not_checked", route, "listener namespace Selector not "
                           "verified: Namespace labels are not in the input", evidence + unknown,
                           "include `kubectl get namespaces -o yaml` in the dump",
                           confirm=f"kubectl get namespace {meta(route, 'namespace')} "
                                   "--show-labels"))
    return out, listeners


def _check_listenerset_parent(index, route, ref) -> tuple[list[dict], list[dict]]:
    """A parentRef to a ListenerSet (gateway.networking.k8s.io, standard since Gateway API
    v1.5.0) or an XListenerSet (gateway.networking.x-k8s.io, v1.3.0-v1.4.x experimental).

    gateway-api v1.6.1 apis/v1/listenerset_types.go: routes attach to a ListenerSet as a
    parentRef, sectionName naming one of its listeners (names need not be unique across
    the Gateway and its ListenerSets); ListenerEntry.allowedRoutes defaults to
    namespaces.from Same, and Same is the ListenerSet's namespace, not the Gateway's
    (conformance ListenerSetAllowedRoutesNamespaces, 'Cross-namespace ListenerSet':
    a route in the Gateway's namespace is Accepted=False NotAllowedByListeners). The kind
    alone does not select it: controllers match kind and group (Envoy Gateway v1.9.0
    helpers.go isRefToListenerSet, v1.7.0 isRefToXListenerSet) and the group defaults to
    gateway.networking.k8s.io, where no XListenerSet exists."""
    entry = status_parent(route, ref)
    conds, stale = current_conditions(route, entry)
    group = LISTENERSET_KINDS[ref["kind"]]
    holder = index.get(ref["kind"], ref["namespace"], ref["name"], group) \
        if ref["group"] == group else None
    if "Accepted" in conds:
        accepted = conds["Accepted"].get("status") == "True"
        return [], (_listeners_for(index, holder, route, ref)[0]
                    if holder is not None and accepted else [])
    evidence = [f"parentRef {describe_ref(ref)}"] + ([stale] if stale else [])
    if ref["group"] != group:
        return [_wrong_group(route, ref, group, evidence)], []
    if holder is None:
        return [_missing_listenerset(index, route, ref, evidence)], []
    problem = listenerset_detached(index, holder)
    if problem:
        name = f"{ref['kind']} {ref['namespace']}/{ref['name']}"
        return [finding(problem["severity"], problem["cause"], route,
                        f"parentRef {name} is not attached to its Gateway, so this route is "
                        f"not served through it: {problem['why']}",
                        evidence + [f"{name}: {problem['why']}"
                                    + (" (its status)" if problem["basis"] == "reported"
                                       else "")], problem["fix"],
                        confirm=f"kubectl get {ref['kind'].lower()} {ref['name']} -n "
                                f"{ref['namespace']} -o jsonpath='{{.status.conditions}}'")], []
    return _attach(index, route, holder, ref, evidence)


def _wrong_group(route, ref, group, evidence) -> dict:
    other = "Gateway API v1.3-v1.4 experimental" if ref["kind"] == "XListenerSet" else \
        "Gateway API v1.5+"
    return finding("error", "parent_not_found", route,
                   f"parentRef kind {ref['kind']} is in group {group} ({other}), but the "
                   f"parentRef's group is {ref['group'] or '(core)'}: no such kind there, "
                   "so no controller attaches the route (the group defaults to "
                   f"{GW_GROUP} when omitted)",
                   evidence + [f"parentRef group: {ref['group'] or '(core)'}"],
                   f"set spec.parentRefs[].group: {group} beside kind: {ref['kind']}",
                   confirm=_confirm_route(route))


def _missing_listenerset(index, route, ref, evidence) -> dict:
    found = index.presence(ref["kind"], ref["namespace"], ref["name"])
    name = f"{ref['kind']} {ref['namespace']}/{ref['name']}"
    if found.state != ABSENT:
        return finding("info", "not_in_dump", route, f"{name} is not in the dump", evidence,
                       "add the ListenerSet to the dump, or run live", confirm=found.command)
    names = sorted(f"{meta(o, 'namespace')}/{meta(o, 'name')}"
                   for o in index.of_kind(ref["kind"]))
    return finding("error", "parent_not_found", route,
                   f"parentRef names {name}, which does not exist",
                   evidence + [f"existing {ref['kind']}s: {', '.join(names[:8])}" if names
                               else f"no {ref['kind']} exists in the input"],
                   f"point spec.parentRefs[].name/namespace at an existing {ref['kind']}",
                   confirm=found.command)


def _missing_gateway(index, route, ref, evidence) -> dict:
    found = index.presence("Gateway", ref["namespace"], ref["name"])
    if found.state != ABSENT:
        return finding("info", "not_in_dump", route,
                       f"Gateway {ref['namespace']}/{ref['name']} is not in the dump",
                       evidence, "add the Gateway to the dump, or run live",
                       confirm=found.command)
    return finding("error", "parent_not_found", route,
                   f"parentRef names Gateway {ref['namespace']}/{ref['name']}, which does "
                   "not exist", evidence + _gateways_hint(index),
                   "point spec.parentRefs[].name/namespace at an existing Gateway "
                   "(kubectl get gateways -A)", confirm=found.command)


def _gateways_hint(index) -> list[str]:
    names = [f"{meta(g, 'namespace')}/{meta(g, 'name')}" for g in index.of_kind("Gateway")]
    return [f"existing Gateways: {', '.join(sorted(names)[:8])}"] if names else [
        "no Gateway exists in the input"]


def _listeners_for(index, gateway, route, ref):
    """(listeners the route attaches to, None, unverified) or ([], (cause, message,
    evidence, fix), unverified). `gateway` is the Gateway or the ListenerSet the parentRef
    names: a Gateway parentRef reaches only the Gateway's own spec.listeners, never its
    ListenerSets' (GEP-1713 'Gateway parents and sectionName')."""
    listeners = [li for li in (gateway.get("spec") or {}).get("listeners") or []
                 if isinstance(li, dict)]
    named = [li for li in listeners
             if (not ref.get("sectionName") or li.get("name") == ref["sectionName"])
             and (not ref.get("port") or _listener_port(gateway, li) in (ref["port"], None))]
    gw = f"{gateway.get('kind') or 'Gateway'} {meta(gateway, 'namespace')}/{meta(gateway, 'name')}"
    if not named:
        have = ", ".join(f"{li.get('name')}:{li.get('port')}" for li in listeners) or "none"
        elsewhere = holding_listener(index, gateway, ref["sectionName"]) \
            if gateway.get("kind") == "Gateway" and ref.get("sectionName") else []
        return [], ("parent_not_found", f"{gw} has no listener matching sectionName/port "
                    f"{ref.get('sectionName') or '*'}:{ref.get('port') or '*'}",
                    [f"listeners (name:port): {have}"] + ([
                        f"listener {ref['sectionName']} is in {', '.join(elsewhere)}: a "
                        "Gateway parentRef reaches only the Gateway's own listeners"]
                        if elsewhere else []),
                    _to_listenerset(elsewhere[0], ref["sectionName"]) if elsewhere else
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
                    fix_for("not_allowed_by_listener")), unknown
    route_hosts = (route.get("spec") or {}).get("hostnames") or []
    matching = [li for li in allowed if hostnames_intersect(li.get("hostname"), route_hosts)]
    if not matching:
        hosts = ", ".join(f"{li.get('name')}={li.get('hostname')}" for li in allowed)
        return [], ("hostname_mismatch", f"route hostnames {route_hosts} match no listener "
                    f"hostname on {gw}", [f"listener hostnames: {hosts}"],
                    fix_for("hostname_mismatch")), unknown
    return matching, None, unknown


def _listener_port(holder: dict, li: dict):
    """A listener's port; an XListenerSet (v1.4.x) listener may leave it 0 for the
    implementation to assign (apisx/v1alpha1/xlistenerset_types.go ListenerEntry.Port),
    then status.listeners[].port says which; None when unknown."""
    if li.get("port"):
        return li["port"]
    for entry in (holder.get("status") or {}).get("listeners") or []:
        if isinstance(entry, dict) and entry.get("name") == li.get("name") and entry.get("port"):
            return entry["port"]
    return None


def _to_listenerset(where: str, section: str) -> str:
    kind, _, nsname = where.partition(" ")
    ns, _, name = nsname.partition("/")
    group = LISTENERSET_KINDS.get(kind, GW_GROUP)
    return (f"attach to the listener through its {kind}: spec.parentRefs[] {{group: {group}, "
            f"kind: {kind}, name: {name}, namespace: {ns}, sectionName: {section}}}")


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
        if labels is None:  # a selector on the name label alone is decided by the name
            labels = name_label_only(namespaces.get("selector"), route_ns)
        if labels is None:
            return f"?{name}: allowedRoutes Selector {namespaces.get('selector')}"
        selected = namespace_selected(namespaces.get("selector"), labels)
        if selected is None:
            return f"?{name}: allowedRoutes Selector {namespaces.get('selector')} is invalid"
        if not selected:
            return (f"{name}: namespace {route_ns} labels {labels} do not match selector "
                    f"{namespaces.get('selector')}")
    return ""


def _no_tls(route) -> dict:
    return finding("info", "no_tls", route,
                   "the route is served only on plain-HTTP listeners: prompts and completions "
                   "travel unencrypted",
                   [f"hostnames: {(route.get('spec') or {}).get('hostnames') or 'any'}"],
                   fix_for("no_tls"))


def _resolved_status(route) -> dict | None:
    for entry in (route.get("status") or {}).get("parents") or []:
        got, _ = current_conditions(route, entry)
        if "ResolvedRefs" in got:
            return got["ResolvedRefs"]
    return None


def _check_backends(index, route) -> list[dict]:
    resolved = _resolved_status(route)
    if resolved is not None and resolved.get("status") == "True":
        return _outdated_refs(route)  # the controller resolved every ref: nothing to infer
    out = []
    for rule, ref in backend_refs(route):
        out += _check_backend(index, route, rule, ref)
    return out


def _outdated_refs(route) -> list[dict]:
    return [_outdated_ref(route, rule, ref) for rule, ref in backend_refs(route)
            if ref["group"] == ALPHA_GROUP]


def _outdated_ref(route, rule, ref) -> dict:
    return finding("info", "outdated_inference_api", route,
                   f"rules[{rule}] points at {describe_ref(ref)} in the alpha group "
                   f"{ALPHA_GROUP}: fine while your implementation serves v1alpha2, but GAIE "
                   "v1.0+ and current implementations serve inference.networking.k8s.io/v1",
                   [f"backendRef group: {ref['group']}"], fix_for("outdated_inference_api"))


def _check_backend(index, route, rule, ref) -> list[dict]:
    where = f"rules[{rule}] backendRef {describe_ref(ref)}"
    if ref["kind"] == "InferencePool" and ref["group"] in (ALPHA_GROUP, POOL_GROUP):
        return _check_pool_ref(index, route, rule, ref, where)
    if ref["group"] == GW_GROUP and ref["kind"] in ("HTTPRoute", "GRPCRoute"):
        return _delegation(index, route, where)
    if (ref["group"], ref["kind"]) == (eg_backend.EG_GROUP, "Backend"):
        return _check_eg_backend(index, route, ref, where)
    if (ref["group"], ref["kind"]) != ("", "Service"):
        return []  # implementation-specific backend kinds: the controller's status decides
    out = _grant_findings(index, route, ref, where)
    found = index.presence("Service", ref["namespace"], ref["name"])
    if not found.present:
        return out + [_absent(route, where, "Service", ref, found, index)]
    return out + _port_findings(route, where, ref, found.obj)


def _check_eg_backend(index, route, ref, where) -> list[dict]:
    """An Envoy Gateway Backend in the input that EG's own validation refuses."""
    backend = index.get("Backend", ref["namespace"], ref["name"], eg_backend.EG_GROUP)
    said = eg_backend.problems(backend) if backend is not None else []
    if not said:
        return []  # not in the input, or valid: EG's status decides
    return [finding("warning", "backend_unresolved", route,
                    f"{where}: Envoy Gateway refuses that Backend ({said[0]}), so the rule "
                    "has no usable backend (ResolvedRefs=False; EG before v1.1.1 accepted the "
                    "route and sent traffic to the address anyway)",
                    [where, f"Backend {ref['namespace']}/{ref['name']} spec: {said[0]}"],
                    "point the Backend at an address EG accepts (no loopback, a DNS name "
                    "with a dot) or reference the Service directly",
                    basis="inferred", confirm=_confirm_route(route))]


# A route as a backendRef is route delegation: not in the Gateway API (a BackendObjectReference
# is a Service, or an implementation-specific kind), implemented by kgateway (and Gloo
# Gateway, its predecessor, controller solo.io/gloo-gateway). Istio answered "Not supported
# yet" (istio/istio#39160); Envoy Gateway answers InvalidKind "only Service, MCS ServiceImport
# and Envoy Gateway Backend are supported" (internal/gatewayapi/validate.go).
_DELEGATING = ("kgateway", "gloo-gateway")


def _delegation(index, route, where) -> list[dict]:
    controllers = set()
    for ref in parent_refs(route):
        gw = index.get("Gateway", ref["namespace"], ref["name"])
        cls = index.get("GatewayClass", "", ((gw or {}).get("spec") or {}).get(
            "gatewayClassName", ""))
        if cls is not None:
            controllers.add(str((cls.get("spec") or {}).get("controllerName") or ""))
    if any(d in c for c in controllers for d in _DELEGATING):
        return []
    known = bool(controllers)
    return [finding("error" if known else "warning", "unsupported_backend_kind", route,
                    f"{where} is another route: route delegation is kgateway's (Gloo "
                    "Gateway's) extension, not Gateway API; other implementations answer "
                    "InvalidKind or ignore the rule" + (f" (controller: "
                                                        f"{', '.join(sorted(controllers))})"
                                                        if known else ""),
                    [where], fix_for("unsupported_backend_kind"),
                    confirm="kubectl get gatewayclass -o custom-columns=NAME:.metadata.name,"
                            "CONTROLLER:.spec.controllerName")]


def _check_pool_ref(index, route, rule, ref, where) -> list[dict]:
    out = _grant_findings(index, route, ref, where)
    same = index.get("InferencePool", ref["namespace"], ref["name"], ref["group"])
    if same is not None:
        out += _outdated_refs_one(route, rule, ref)
        if ref["port"] is not None and ref["port"] not in pool_ports(same):
            out.append(finding("warning", "port_mismatch", route,
                               f"{where}: port {ref['port']} is not a targetPort of the pool",
                               [f"pool targetPorts: {pool_ports(same)}"],
                               "drop backendRefs[].port for InferencePool backends: the "
                               "pool's targetPorts decide the port",
                               confirm=_confirm_route(route)))
        return out
    other = [p for p in index.of_kind("InferencePool") if meta(p, "name") == ref["name"]
             and meta(p, "namespace") == ref["namespace"]]
    if other:
        return out + [finding("error", "inference_api_version_mismatch", route,
                              f"{where}: the pool exists as {other[0].get('apiVersion')}, not "
                              f"in group {ref['group']}",
                              [f"backendRef group: {ref['group']}",
                               f"InferencePool apiVersion: {other[0].get('apiVersion')}"],
                              fix_for("inference_api_version_mismatch"),
                              confirm=_confirm_route(route))]
    found = index.presence("InferencePool", ref["namespace"], ref["name"])
    return out + [_absent(route, where, "InferencePool", ref, found, index)]


def _outdated_refs_one(route, rule, ref) -> list[dict]:
    return [_outdated_ref(route, rule, ref)] if ref["group"] == ALPHA_GROUP else []


def _absent(route, where, kind, ref, found, index) -> dict:
    if found.state == ABSENT:
        return finding("error", "backend_not_found", route, f"{where} does not exist",
                       _siblings(index, kind, ref["namespace"]), fix_for("backend_not_found"),
                       confirm=found.command)
    return finding("info", "not_in_dump", route, f"{where}: the {kind} is not in the dump",
                   [], f"add `{found.command}` to the dump", confirm=found.command)


def _grant_findings(index, route, ref, where) -> list[dict]:
    route_ns = meta(route, "namespace")
    if ref["namespace"] == route_ns or grant_allows(
            index, route.get("kind"), route_ns, ref["group"], ref["kind"], ref["namespace"],
            ref["name"]):
        return []
    grants_listed = index.listed("ReferenceGrant", ref["namespace"])
    return [finding("error" if grants_listed else "warning", "ref_not_permitted", route,
                    f"{where} crosses namespaces"
                    + (" without a ReferenceGrant" if grants_listed
                       else ": no ReferenceGrant for it is in the dump"),
                    [f"no ReferenceGrant in {ref['namespace']} allows {route.get('kind')} "
                     f"from {route_ns}" + ("" if grants_listed else " (in the input)")],
                    _grant_fix(route, ref),
                    confirm=f"kubectl get referencegrants -n {ref['namespace']} -o yaml")]


def _port_findings(route, where, ref, svc) -> list[dict]:
    ports = service_ports(svc)
    if ref["port"] is not None and ref["port"] not in ports:
        return [finding("error", "port_mismatch", route,
                        f"{where}: Service has no port {ref['port']}",
                        [f"Service ports: {ports}"],
                        f"set backendRefs[].port to one of {ports} (the Service port, "
                        "not the targetPort)", confirm=_confirm_route(route))]
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
        # advice, not a fault: a warning where generations outlast a proxy's default timeout
        # (an InferencePool backend), an info otherwise, so it never outranks what the paste
        # is about (aws-application-networking-k8s#544: the backend missing from the paste)
        out.append(finding("warning" if pool else "info", "no_timeouts", route,
                           f"rules[{index}] has no timeouts.request: the limit is whatever the "
                           "implementation defaults to" + (" (LLM generations often run for "
                                                           "minutes)" if pool else ""),
                           [f"rules[{index}].timeouts: {rule.get('timeouts')}"],
                           fix_for("no_timeouts"), confirm=_confirm_route(route)))
    return out

