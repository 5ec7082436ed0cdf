"""Gateway API and Inference Extension checks.

Route status is the controller's word (Envoy Gateway on the local cluster): a route holds
only when the controller accepted it on the named Gateway and resolved its references at the
route's current generation, and reported nothing False. What no controller writes here
(InferencePool status: Envoy Gateway does not implement InferencePool), is judged from what
real components report about the objects a pool names: pods the apiserver selects with
the pool's selector and the kubelet calls Ready, the endpoint picker's Service endpoints.
"""
from __future__ import annotations
from typing import Any

import re

from harness.evals.checks import register
from harness.evals.kube import Kube
from harness.evals.checks_pods import is_ready, live_pods, ready_endpoints

HTTPROUTE = "httproutes.gateway.networking.k8s.io"
POOL = "inferencepools.inference.networking.k8s.io"
POOL_GROUP = "inference.networking.k8s.io"


def route_parent(route: dict[str, Any], gateway: str, namespace: str) -> dict[str, Any] | None:
    """The route's status entry for Gateway `namespace/gateway` (any section) whose
    parentRef is one the route still names, or None. A controller may leave the entry of a
    parentRef the route no longer has (e.g. an old sectionName): it says nothing now."""
    own = route["metadata"].get("namespace")
    current = [_ref_key(r, own) for r in (route.get("spec") or {}).get("parentRefs") or []]
    parents: list[dict[str, Any]] = (route.get("status") or {}).get("parents") or []
    for parent in parents:
        ref = parent.get("parentRef") or {}
        if ref.get("kind", "Gateway") == "Gateway" and ref.get("name") == gateway \
                and ref.get("namespace", own) == namespace and _ref_key(ref, own) in current:
            return parent
    return None


def _ref_key(ref: dict[str, Any], own: str) -> tuple[object, ...]:
    return (ref.get("group", "gateway.networking.k8s.io"), ref.get("kind", "Gateway"),
            ref.get("namespace", own), ref.get("name"), ref.get("sectionName"),
            ref.get("port"))


@register("route_healthy", required=("name", "namespace", "gateway"),
          optional=("kind", "gateway_namespace"))
def _route_healthy(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The controller accepted the route on `gateway` and resolved its references, at the
    route's current generation, with no condition False (e.g. BackendsAvailable)."""
    kind = spec.get("kind", HTTPROUTE)
    route = kube.get(kind, spec["name"], spec["namespace"])
    where = f"{kind.split('.')[0]}/{spec['name']}"
    if route is None:
        return False, f"{where} not found"
    gw_ns = spec.get("gateway_namespace", spec["namespace"])
    parent = route_parent(route, spec["gateway"], gw_ns)
    if parent is None:
        return False, f"{where}: no status from a controller for Gateway {gw_ns}/{spec['gateway']}"
    generation = route["metadata"].get("generation")
    conds = {c.get("type"): c for c in parent.get("conditions") or []}
    problems = [f"{t}={conds.get(t, {}).get('status', 'missing')} "
                f"({conds.get(t, {}).get('reason', '')}: {conds.get(t, {}).get('message', '')[:140]})"
                for t in ("Accepted", "ResolvedRefs") if conds.get(t, {}).get("status") != "True"]
    problems += [f"{t}=False ({c.get('reason', '')}: {c.get('message', '')[:140]})"
                 for t, c in conds.items() if t not in ("Accepted", "ResolvedRefs")
                 and c.get("status") == "False"]
    stale = [t for t, c in conds.items() if c.get("observedGeneration") not in (None, generation)]
    if stale:
        problems.append(f"status of generation {conds[stale[0]].get('observedGeneration')}, "
                        f"the route is at {generation} (the controller has not caught up)")
    if problems:
        return False, f"{where} on {spec['gateway']}: {'; '.join(problems)}"
    return True, f"{where} accepted and resolved by {parent.get('controllerName', '?')}"


@register("route_backends_ready", required=("name", "namespace"),
          optional=("kind", "backend_kind", "min"))
def _route_backends_ready(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """Every backendRef with traffic (weight > 0) of the route exists and can serve: a
    Service with ready endpoints, or an InferencePool with Ready pods and an endpoint picker
    with ready endpoints; at least `min` (1) of them are of `backend_kind` when given."""
    kind = spec.get("kind", HTTPROUTE)
    route = kube.get(kind, spec["name"], spec["namespace"])
    if route is None:
        return False, f"{kind.split('.')[0]}/{spec['name']} not found"
    refs = [r for rule in (route.get("spec") or {}).get("rules") or []
            for r in rule.get("backendRefs") or [] if int(r.get("weight", 1)) > 0]
    if not refs:
        return False, "the route sends traffic to no backend"
    for ref in refs:
        ok, detail = _backend_ready(kube, ref, ref.get("namespace", spec["namespace"]))
        if not ok:
            return False, detail
    wanted = spec.get("backend_kind")
    matching = [r for r in refs if r.get("kind", "Service") == wanted] if wanted else refs
    if len(matching) < int(spec.get("min", 1)):
        return False, f"{len(matching)} backends of kind {wanted} (want >= {spec.get('min', 1)})"
    return True, f"{len(refs)} backends exist and serve"


def _backend_ready(kube: Kube, ref: dict[str, Any], namespace: str) -> tuple[bool, str]:
    kind, group = ref.get("kind", "Service"), ref.get("group", "")
    if kind == "Service" and group in ("", "core"):
        if kube.get("service", ref["name"], namespace) is None:
            return False, f"backend service/{ref['name']} not found in {namespace}"
        found = ready_endpoints(kube, namespace, ref["name"])
        return (bool(found), f"backend service/{ref['name']}: {len(found)} ready endpoints")
    if kind == "InferencePool" and group == POOL_GROUP:
        return pool_ready(kube, ref["name"], namespace, 1)
    return False, f"backend {group or 'core'}/{kind} {ref['name']}: not a kind that serves here"


def pool_ready(kube: Kube, name: str, namespace: str, min_pods: int) -> tuple[bool, str]:
    """An InferencePool (v1) selects `min_pods` Ready pods and its endpoint picker Service
    has ready endpoints on the port the pool names."""
    pool = kube.get(POOL, name, namespace)
    if pool is None:
        return False, f"InferencePool {name} ({POOL_GROUP}) not found in {namespace}"
    spec = pool.get("spec") or {}
    labels = ((spec.get("selector") or {}).get("matchLabels")) or {}
    if not labels:
        return False, f"InferencePool {name} has no selector"
    selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    pods = live_pods(kube, namespace, selector)
    ready = [p for p in pods if is_ready(p)]
    ports = {int(p.get("number")) for p in spec.get("targetPorts") or [] if p.get("number")}
    if len(ready) < min_pods:
        return False, (f"InferencePool {name} selects {len(pods)} pods ({selector}), "
                       f"{len(ready)} Ready (want >= {min_pods})")
    undeclared = [p["metadata"]["name"] for p in ready if ports and not ports & {
        int(cp.get("containerPort", 0)) for c in p["spec"].get("containers", [])
        for cp in c.get("ports") or []}]
    if undeclared:
        return False, (f"InferencePool {name} targets ports {sorted(ports)} that pods "
                       f"{', '.join(undeclared[:3])} do not serve")
    epp = spec.get("endpointPickerRef") or {}
    if epp:
        if epp.get("kind", "Service") != "Service" or kube.get(
                "service", epp.get("name", ""), namespace) is None:
            return False, f"InferencePool {name}: endpoint picker service/{epp.get('name')} " \
                          f"not found"
        if not ready_endpoints(kube, namespace, epp["name"]):
            return False, f"InferencePool {name}: endpoint picker service/{epp['name']} has " \
                          "no ready endpoints"
    return True, (f"InferencePool {name}: {len(ready)} Ready pods ({selector})"
                  + (f", endpoint picker {epp['name']} ready" if epp else ""))


@register("inference_pool_ready", required=("name", "namespace"), optional=("min_pods",))
def _inference_pool_ready(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """An InferencePool selects at least `min_pods` (1) Ready pods serving its target
    ports, and its endpoint picker Service has ready endpoints."""
    return pool_ready(kube, spec["name"], spec["namespace"], int(spec.get("min_pods", 1)))


@register("route_weights", required=("name", "namespace", "backend"),
          optional=("kind", "min_percent", "max_percent"))
def _route_weights(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """In the route rule that names `backend`, that backend gets between `min_percent` and
    `max_percent` of the traffic by weight (Gateway API: weight / sum of weights)."""
    kind = spec.get("kind", HTTPROUTE)
    route = kube.get(kind, spec["name"], spec["namespace"])
    if route is None:
        return False, f"{kind.split('.')[0]}/{spec['name']} not found"
    for rule in (route.get("spec") or {}).get("rules") or []:
        refs = rule.get("backendRefs") or []
        if any(r.get("name") == spec["backend"] for r in refs):
            total = sum(int(r.get("weight", 1)) for r in refs)
            mine = sum(int(r.get("weight", 1)) for r in refs if r.get("name") == spec["backend"])
            share = 100.0 * mine / total if total else 0.0
            low, high = float(spec.get("min_percent", 0)), float(spec.get("max_percent", 100))
            return low <= share <= high, (f"{spec['backend']} gets {share:.1f}% of its rule's "
                                          f"traffic (want {low:g}-{high:g}%)")
    return False, f"no rule of the route sends traffic to {spec['backend']}"


_DURATION = re.compile(r"(\d+)(h|ms|m|s)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def gateway_duration(text: str) -> float:
    """Seconds of a Gateway API Duration ("1h", "30s", "500ms", "1m30s"; "0s" disables the
    timeout: infinity). ValueError on anything else (GEP-2257 grammar)."""
    parts = _DURATION.findall(text or "")
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a Gateway API duration: {text!r}")
    seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)
    return float("inf") if seconds == 0 else seconds


@register("route_timeout", required=("name", "namespace", "min_seconds"), optional=("path",))
def _route_timeout(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """Every HTTPRoute rule that serves `path` (a PathPrefix match; every rule without
    `path`) lets a request run at least `min_seconds`: the effective limit is the smaller of
    `timeouts.request` and `timeouts.backendRequest` ("0s" disables one; unset leaves it
    to the implementation, counted as no limit)."""
    route = kube.get(HTTPROUTE, spec["name"], spec["namespace"])
    if route is None:
        return False, f"httproute/{spec['name']} not found"
    want, path = float(spec["min_seconds"]), spec.get("path")
    rules = [r for r in (route.get("spec") or {}).get("rules") or []
             if path is None or _serves(r, path)]
    if not rules:
        return False, f"no rule of the route serves {path}"
    for rule in rules:
        limits = {k: v for k, v in (rule.get("timeouts") or {}).items()
                  if k in ("request", "backendRequest")}
        try:
            effective = min([gateway_duration(v) for v in limits.values()] or [float("inf")])
        except ValueError as err:
            return False, str(err)
        if effective < want:
            return False, (f"a rule cuts requests after {effective:g} s ({limits}); "
                           f"want >= {want:g} s")
    return True, f"{len(rules)} rule(s) allow requests of >= {want:g} s"


def _serves(rule: dict[str, Any], path: str) -> bool:
    matches = rule.get("matches") or [{"path": {"type": "PathPrefix", "value": "/"}}]
    for m in matches:
        p = m.get("path") or {"type": "PathPrefix", "value": "/"}
        value = p.get("value", "/")
        if p.get("type", "PathPrefix") == "PathPrefix" and (
                path == value or path.startswith(value.rstrip("/") + "/") or value == "/"):
            return True
        if p.get("type") == "Exact" and path == value:
            return True
    return False
