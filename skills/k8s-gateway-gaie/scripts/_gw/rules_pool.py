"""InferencePool, Gateway and outdated-API rules inferred from specs (basis "inferred").

InferencePool v1 facts (GAIE v1.6.0 api/v1/inferencepool_types.go): selector.matchLabels
only, same namespace; targetPorts[].number (1-8); endpointPickerRef{group, kind (default
Service), name, port (required for Service), failureMode FailOpen|FailClose (default
FailClose)}; endpointPickerRef optional since v1.6 but "still required by most
implementations" (pool Accepted=False reason EndpointPickerRefMissing). The alpha
inference.networking.x-k8s.io/v1alpha2 pool (GAIE v0.2-v0.5) has targetPortNumber and
extensionRef{name, portNumber, failureMode} instead. The controller's own pool conditions are
read by _gw.reported.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

from _gw.causes import fix_for
from _gw.contradicts import ignored_addresses
from k8s_skillkit.dump import ABSENT
from _gw.objects import (ALPHA_GROUP, GW_GROUP, POOL_GROUP, container_ports, grant_allows,
                         meta, pod_ready, pod_waiting, pool_ports, scoped, service_ports)


def check_pool(index, pool: dict) -> list[dict]:
    spec = pool.get("spec") or {}
    findings = []
    alpha = pool.get("apiVersion", "").startswith(ALPHA_GROUP + "/")
    if alpha:
        findings.append(_outdated_pool(pool))
    elif [k for k in ("targetPortNumber", "extensionRef") if k in spec]:
        findings.append(finding("error", "outdated_inference_api", pool,
                                "alpha field(s) targetPortNumber/extensionRef in a v1 "
                                "InferencePool: the v1 CRD drops or rejects them",
                                [f"spec keys: {sorted(spec)}"], _ALPHA_FIX,
                                confirm=_confirm_pool(pool)))
    findings += _members(index, pool, _selector(spec))
    findings += _endpoint_picker(index, pool, spec.get("endpointPickerRef")
                                 or spec.get("extensionRef"), alpha)
    return findings


def _selector(spec: dict) -> dict:
    """v1: selector.matchLabels; v1alpha2: selector is the label map itself."""
    selector = spec.get("selector") or {}
    if "matchLabels" in selector:
        return selector.get("matchLabels") or {}
    return {k: v for k, v in selector.items() if isinstance(v, (str, int, bool))}


def _pool_ports(pool: dict) -> list[int]:
    spec = pool.get("spec") or {}
    return pool_ports(pool) or ([spec["targetPortNumber"]] if spec.get("targetPortNumber")
                                else [])


def endpoint_picker_kind(pool: dict, ref: dict) -> list[dict]:
    """An endpoint picker reference to something other than a core Service (a Gateway, say):
    the gateway reaches the picker through a Service; implementations refuse other kinds
    (gateway-api-inference-extension#2915: ResolvedRefs=False InvalidExtensionRef) or crash
    on them (agentgateway/agentgateway#1719: no port, nil dereference)."""
    group, kind = ref.get("group") or "", ref.get("kind") or "Service"
    if group == "" and kind == "Service":
        return []
    named = f"{kind} {ref.get('name', '')}" + (f" (group {group})" if group else "")
    shown_group = group or '""'
    return [finding("warning", "endpoint_picker_missing", pool,
                    f"the endpoint picker reference names {named}, not the endpoint picker's "
                    "Service: the gateway cannot reach a picker through it",
                    [f"endpointPickerRef: group {shown_group}, kind {kind}, name "
                     f"{ref.get('name', '')}"],
                    "point endpointPickerRef at the endpoint picker's Service (group \"\", "
                    "kind Service, its gRPC port)", confirm=_confirm_pool(pool))]


def fragment_findings(fragments) -> list[dict]:
    """An InferencePool's endpointPickerRef (extensionRef) pasted without its object (a
    `spec:` or the ref's own block cut from a manifest): its kind is checked as the pool's."""
    out = []
    for frag in fragments or []:
        if not isinstance(frag, dict):
            continue
        spec = frag.get("spec") if isinstance(frag.get("spec"), dict) else frag
        ref = spec.get("endpointPickerRef") or spec.get("extensionRef")
        if isinstance(ref, dict):
            pool = {"kind": "InferencePool",
                    "metadata": {"name": "(pasted endpointPickerRef)", "namespace": ""}}
            out += endpoint_picker_kind(pool, ref)
    return out


def _confirm_pool(pool) -> str:
    if meta(pool, "name").startswith("("):  # a pasted part of a pool: which one is unknown
        return "kubectl get inferencepools -A -o yaml"
    return f"kubectl get inferencepools {scoped(pool)} -o yaml"


def _members(index, pool, match) -> list[dict]:
    ns = meta(pool, "namespace")
    pods = index.pods(ns, match)
    confirm = f"kubectl get pods -n {ns} -l " + ",".join(f"{k}={v}" for k, v in match.items())
    if not pods:
        if not index.listed("Pod", ns):
            return [finding("info", "not_in_dump", pool, "the pool's pods are not in the dump: "
                            "membership and ports not checked", [f"selector: {match}"],
                            f"add `{confirm} -o yaml` to the dump", confirm=confirm)]
        return [_no_pods(index, pool, match, confirm)]
    return _not_ready(pool, pods, confirm) or _target_ports(pool, pods, confirm)


def _not_ready(pool, pods, confirm) -> list[dict]:
    """Every selected pod reports Ready=False: the pool has no endpoint to send to."""
    states = [pod_ready(p) for p in pods]
    if any(s is None or s for s in states):
        return []
    waiting = [f"{meta(p, 'name')} ({pod_waiting(p) or 'not ready'})" for p in pods[:5]]
    return [finding("error", "pool_pods_not_ready", pool,
                    f"none of the {len(pods)} pod(s) the pool selects is Ready: the gateway "
                    "answers 'no healthy upstream'", [f"pods: {'; '.join(waiting)}"],
                    fix_for("pool_pods_not_ready"), confirm=confirm)]


def _no_pods(index, pool, match, confirm) -> dict:
    ns = meta(pool, "namespace")
    near = []
    keys = set(match)
    for pod in index.of_kind("Pod"):
        labels = meta(pod, "labels", {}) or {}
        if meta(pod, "namespace") == ns and keys & set(labels):
            near.append(f"{meta(pod, 'name')} {dict((k, labels[k]) for k in keys if k in labels)}")
    in_ns = [p for p in index.of_kind("Pod") if meta(p, "namespace") == ns]
    evidence = [f"selector.matchLabels: {match}", f"pods in {ns}: {len(in_ns)}"]
    if near:
        evidence.append("pods with some of the keys: " + "; ".join(near[:5]))
    return finding("error", "pool_selects_no_pods", pool,
                   "selector matches no running pod in the pool's namespace: every request "
                   "to this pool fails", evidence, fix_for("pool_selects_no_pods"),
                   confirm=confirm)


def _target_ports(pool, pods, confirm) -> list[dict]:
    wanted = set(_pool_ports(pool))
    declared = [(p, container_ports(p)) for p in pods]
    judged = [(p, ports) for p, ports in declared if ports]
    if not judged or not wanted:
        return []  # pods declare no containerPort: nothing to compare against
    missing = [p for p, ports in judged if not wanted & ports]
    if not missing:
        return []
    have = sorted(set().union(*(ports for _, ports in judged)))
    names = ", ".join(meta(p, "name") for p in missing[:5])
    some = len(missing) < len(judged)
    return [finding("warning" if some else "error", "pool_target_port_mismatch", pool,
                    f"targetPorts {sorted(wanted)} match no containerPort of "
                    f"{len(missing)} of the {len(judged)} selected pod(s)"
                    + (": those pods get requests they refuse" if some else
                       ": the endpoint picker drops every pod"),
                    [f"containerPorts: {have}", f"pods without a target port: {names}"],
                    fix_for("pool_target_port_mismatch"), confirm=confirm)]


def _endpoint_picker(index, pool, ref, alpha: bool) -> list[dict]:
    if not ref:
        field = "extensionRef" if alpha else "endpointPickerRef"
        return [finding("warning", "endpoint_picker_missing", pool, f"no {field}: optional in "
                        "the API but required by most implementations (pool Accepted=False "
                        "reason EndpointPickerRefMissing)", [f"spec.{field}: unset"],
                        fix_for("endpoint_picker_missing"), confirm=_confirm_pool(pool))]
    if (ref.get("group") or "") != "" or (ref.get("kind") or "Service") != "Service":
        return endpoint_picker_kind(pool, ref)
    ns, name = meta(pool, "namespace"), ref.get("name", "")
    found = index.presence("Service", ns, name)
    port = (ref.get("port") or {}).get("number") if not alpha else ref.get("portNumber")
    mode = ref.get("failureMode", "FailClose")
    if not found.present:
        if found.state != ABSENT:
            return [finding("info", "not_in_dump", pool, f"endpoint-picker Service {ns}/{name} "
                            "is not in the dump", [], f"add `{found.command}`",
                            confirm=found.command)]
        return [finding("error", "endpoint_picker_missing", pool,
                        f"the endpoint-picker Service {ns}/{name} does not exist",
                        [f"failureMode: {mode}"], fix_for("endpoint_picker_missing"),
                        confirm=found.command)]
    svc = found.obj
    if port is not None and port not in service_ports(svc):
        return [finding("error", "endpoint_picker_missing", pool,
                        f"endpoint-picker port {port} is not a port of Service {name}",
                        [f"Service ports: {service_ports(svc)}"],
                        "set the endpoint-picker port to the EPP Service port (gRPC ext-proc, "
                        "9002 by convention)", confirm=found.command)]
    selector = (svc.get("spec") or {}).get("selector") or {}
    epp_pods = index.pods(ns, selector) if selector else []
    if epp_pods and all(pod_ready(p) is False for p in epp_pods):
        states = "; ".join(f"{meta(p, 'name')} ({pod_waiting(p) or 'not ready'})"
                           for p in epp_pods[:3])
        return [finding("error", "endpoint_picker_missing", pool,
                        f"the endpoint picker behind Service {name} is not Ready",
                        [f"EPP pods: {states}", f"failureMode: {mode}"],
                        "read the EPP pod's logs and events (image, RBAC to list "
                        "InferencePools/Pods, --pool-name) and fix its Deployment",
                        confirm=f"kubectl get pods -n {ns} -l "
                                + ",".join(f"{k}={v}" for k, v in selector.items()))]
    if selector and not epp_pods and index.listed("Pod", ns):
        return [finding("error", "endpoint_picker_missing", pool,
                        f"EPP Service {name} selects no running pod: the endpoint picker is "
                        "not running", [f"Service selector: {selector}", f"failureMode: {mode}"],
                        "deploy the endpoint picker (llm-d router for GAIE >= v1.6, the GAIE "
                        "EPP for <= v1.5) or fix the Service selector",
                        confirm=f"kubectl get pods -n {ns} -l "
                                + ",".join(f"{k}={v}" for k, v in selector.items()))]
    return []


def check_gateway(index, gw: dict) -> list[dict]:
    out = []
    cls = (gw.get("spec") or {}).get("gatewayClassName")
    found = index.presence("GatewayClass", "", cls)
    if found.state == ABSENT:
        classes = sorted(meta(c, "name") for c in index.of_kind("GatewayClass"))
        out.append(finding("error", "gateway_class_not_found", gw,
                           f"gatewayClassName {cls} names no GatewayClass: no controller "
                           "will program this Gateway",
                           [f"GatewayClasses: {', '.join(classes[:8]) or 'none'}"],
                           fix_for("gateway_class_not_found"), confirm=found.command))
    out += _listener_certs(index, gw)
    out += _listener_protocols(gw)
    out += _plain_http_on_tls_port(gw)
    out += _terminate_on_tls(gw)
    out += ignored_addresses(gw)
    return out


# Protocol TLS with tls.mode Terminate (TLSRoute behind a terminating proxy) is Extended
# support; some implementations accept only Passthrough there: Contour (changelogs 4631, "For
# a TLS listener, the TLS mode Passthrough must be used"), NGINX Gateway Fabric 2.4
# (nginx/nginx-gateway-fabric#4977, supported from #5287). A status that accepts the listener
# answers it; without one it is a question to ask.
def _terminate_on_tls(gw) -> list[dict]:
    accepted = _accepted_listeners(gw)
    out = []
    for li in (gw.get("spec") or {}).get("listeners") or []:
        if not isinstance(li, dict) or str(li.get("protocol") or "") != "TLS" or \
                str((li.get("tls") or {}).get("mode") or "") != "Terminate" or \
                str(li.get("name")) in accepted:
            continue
        out.append(finding("warning", "listener_invalid", gw,
                           f"listener {li.get('name')} is protocol TLS with tls.mode Terminate: "
                           "Extended support, and some implementations accept only "
                           "Passthrough on a TLS listener (Contour; NGINX Gateway Fabric 2.4); "
                           "there the listener is not accepted and its TLSRoutes get no traffic",
                           [f"spec.listeners[name={li.get('name')}]: protocol TLS, "
                            "tls.mode Terminate"],
                           "check the listener's Accepted condition; if the implementation "
                           "refuses it, terminate on an HTTPS listener (HTTPRoute) or pass "
                           "TLS through (mode Passthrough) to a backend that terminates it",
                           confirm="kubectl get gateway <name> -n <namespace> -o "
                                   "jsonpath='{.status.listeners[*].conditions}'"))
    return out


def _accepted_listeners(gw) -> set[str]:
    # (a `kubectl describe` pasted with its indentation lost reads as flat text: its status
    # is no mapping)
    status = gw.get("status")
    return {str(ls.get("name")) for ls in (status if isinstance(status, dict) else {}).get(
                "listeners") or []
            if isinstance(ls, dict) and any(
                isinstance(c, dict) and c.get("type") == "Accepted" and
                str(c.get("status")) == "True" for c in ls.get("conditions") or [])}


# A listener's port or name does not make it TLS: only protocol HTTPS/TLS with a `tls` block
# does (gateway-api apis/v1/gateway_types.go Listener.TLS). "Simply using port 443 doesn't
# transform the listener to a TLS enabled listener" (envoyproxy/gateway#3083: a listener
# named https on 443 with protocol HTTP; the ClientTrafficPolicy's TLS settings had no effect).
# (A name that only starts so, `https-redirect` on port 80, is the usual redirect listener.)
_TLS_NAME = re.compile(r"(?:^|[-_.])(?:https|tls|ssl)[-_.]?\d*$", re.IGNORECASE)


def _plain_http_on_tls_port(gw) -> list[dict]:
    out = []
    for li in (gw.get("spec") or {}).get("listeners") or []:
        if not isinstance(li, dict) or str(li.get("protocol") or "") != "HTTP" or li.get("tls"):
            continue
        port, name = str(li.get("port") or ""), str(li.get("name") or "")
        if port not in ("443", "8443") and not _TLS_NAME.search(name):
            continue
        out.append(finding("warning", "no_tls", gw,
                           f"listener {name} (port {port}) has protocol HTTP and no tls: it "
                           "serves plain HTTP; a port or a name does not make a listener TLS, "
                           "and TLS settings aimed at it (certificates, a ClientTrafficPolicy's "
                           "tls) do not apply",
                           [f"spec.listeners[name={name}]: protocol HTTP, port {port}, no tls"],
                           "set protocol: HTTPS with tls.mode: Terminate and tls.certificateRefs "
                           "naming the certificate Secret",
                           confirm="kubectl get gateway <name> -n <namespace> -o "
                                   "jsonpath='{.spec.listeners}'"))
    return out


# Un-prefixed protocol names are reserved for the core ones; an implementation's own are
# domain-prefixed (example.com/bar) and a listener whose protocol the controller does not
# support gets Accepted=False UnsupportedProtocol (gateway-api apis/v1/gateway_types.go,
# ProtocolType). kgateway-dev/kgateway#11640: `protocol: HTTP2` passed the CRD and no status
# said why the listener did nothing.
CORE_PROTOCOLS = ("HTTP", "HTTPS", "TLS", "TCP", "UDP")


def _listener_protocols(gw) -> list[dict]:
    out = []
    accepted = _accepted_listeners(gw)
    for li in (gw.get("spec") or {}).get("listeners") or []:
        proto = str((li or {}).get("protocol") or "")
        if not proto or proto in CORE_PROTOCOLS or "/" in proto or \
                str(li.get("name")) in accepted:
            continue  # a controller that accepted it knows the protocol better
        out.append(finding("error", "listener_invalid", gw,
                           f"listener {li.get('name')} uses protocol {proto}: un-prefixed "
                           "protocol names are reserved for the core HTTP, HTTPS, TLS, TCP "
                           "and UDP (an implementation's own are domain-prefixed), so no "
                           "controller serves it and no route attaches to it",
                           [f"spec.listeners[name={li.get('name')}].protocol: {proto}"],
                           fix_for("listener_invalid"),
                           confirm="kubectl get gateway <name> -n <namespace> -o "
                                   "jsonpath='{.status.listeners[*].conditions}'"))
    return out


def _listener_certs(index, gw) -> list[dict]:
    out = []
    gw_ns = meta(gw, "namespace")
    for li in (gw.get("spec") or {}).get("listeners") or []:
        for cert in ((li.get("tls") or {}).get("certificateRefs") or []):
            ns = cert.get("namespace") or gw_ns
            if ns != gw_ns and not grant_allows(index, "Gateway", gw_ns, cert.get("group", ""),
                                                cert.get("kind", "Secret"), ns, cert.get("name")):
                out.append(finding("error" if index.listed("ReferenceGrant", ns) else "warning",
                                   "ref_not_permitted", gw,
                                   f"listener {li.get('name')} uses Secret {ns}/"
                                   f"{cert.get('name')} without a ReferenceGrant in the input",
                                   [], f"create in {ns}: ReferenceGrant from {{group: "
                                   f"{GW_GROUP}, kind: Gateway, namespace: {gw_ns}}} to "
                                   "{group: \"\", kind: Secret}",
                                   confirm=f"kubectl get referencegrants -n {ns} -o yaml"))
                continue
            found = index.presence("Secret", ns, cert.get("name", ""))
            if found.state == ABSENT:
                out.append(finding("error", "listener_certificate_invalid", gw,
                                   f"listener {li.get('name')} names Secret {ns}/"
                                   f"{cert.get('name')}, which does not exist", [],
                                   fix_for("listener_certificate_invalid"),
                                   confirm=found.command))
    return out


def _outdated_pool(pool) -> dict:
    spec = pool.get("spec") or {}
    old = [k for k in ("targetPortNumber", "extensionRef") if k in spec]
    return finding("info", "outdated_inference_api", pool,
                   f"{pool.get('apiVersion')} InferencePool is the pre-v1.0 alpha API; "
                   f"current is {POOL_GROUP}/v1 (routes must name the group the pool has)",
                   [f"apiVersion: {pool.get('apiVersion')}"]
                   + ([f"alpha fields: {', '.join(old)}"] if old else []), _ALPHA_FIX)


def check_outdated(obj: dict) -> list[dict]:
    """InferenceModel / InferenceObjective (alpha group): advice only, never a fault."""
    kind, api = obj.get("kind"), obj.get("apiVersion")
    if kind == "InferenceModel":
        return [finding("info", "outdated_inference_api", obj,
                        "InferenceModel was replaced by InferenceObjective in GAIE v1.0; "
                        "model-name routing is done by the EPP / body-based routing",
                        [f"apiVersion: {api}"], "with GAIE >= v1.0 express priority with an "
                        "InferenceObjective of your endpoint picker's version")]
    if kind == "InferenceObjective":
        return [finding("info", "outdated_inference_api", obj,
                        "InferenceObjective left the GAIE repo in v1.6 (moved to llm-d with the "
                        "endpoint picker, now llm-d.ai/v1alpha2); it only matters if your EPP "
                        "version reads it",
                        [f"apiVersion: {api}"], "keep it only with an EPP that reads "
                        "InferenceObjective (GAIE <= v1.5 EPP or the llm-d router)")]
    return []


def is_alpha(obj: dict) -> bool:
    return str(obj.get("apiVersion", "")).startswith(ALPHA_GROUP + "/") and obj.get("kind") in (
        "InferenceModel", "InferenceObjective")


_ALPHA_FIX = (f"recreate as {POOL_GROUP}/v1: targetPortNumber N -> targetPorts: [{{number: N}}], "
              "extensionRef -> endpointPickerRef (with port.number), and point HTTPRoute "
              f"backendRefs at group {POOL_GROUP}")
