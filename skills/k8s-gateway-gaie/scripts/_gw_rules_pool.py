"""InferencePool, Gateway and outdated-API rules.

InferencePool v1 facts (GAIE v1.6.0 api/v1/inferencepool_types.go): selector.matchLabels
only, same namespace; targetPorts[].number (1-8); endpointPickerRef{group, kind (default
Service), name, port (required for Service), failureMode FailOpen|FailClose (default
FailClose)}; endpointPickerRef optional since v1.5 but "still required by most
implementations" (reason EndpointPickerRefMissing); status.parents[].conditions Accepted
and ResolvedRefs (reason InvalidExtensionRef).
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _gw_objects import (ALPHA_GROUP, GW_GROUP, POOL_GROUP, cond_text, container_ports,
                         current_conditions, grant_allows, meta, pool_ports, service_ports)

POOL_REASONS = {"EndpointPickerRefMissing": "endpoint_picker_missing",
                "InvalidExtensionRef": "endpoint_picker_missing"}


def check_pool(index, pool: dict) -> list[dict]:
    spec = pool.get("spec") or {}
    findings = _pool_status(pool)
    old = [k for k in ("targetPortNumber", "extensionRef") if k in spec]
    if old:  # alpha field names under the v1 apiVersion: the v1 CRD rejects or drops them
        findings.append(finding("error", "outdated_inference_api", pool,
                                f"alpha field(s) {', '.join(old)} in a v1 InferencePool",
                                [f"spec keys: {sorted(spec)}"], _ALPHA_FIX))
    match = (spec.get("selector") or {}).get("matchLabels") or {}
    ns = meta(pool, "namespace")
    if "Pod" not in index.covered:
        findings.append(finding("info", "not_checked", pool, "pods are not in the input: "
                                "pool membership and ports not checked", [],
                                "include `kubectl get pods -o yaml` of the pool namespace"))
    else:
        pods = index.pods(ns, match)
        if not pods:
            findings.append(_no_pods(index, pool, match))
        else:
            findings += _target_ports(pool, pods)
    if not any(f["cause"] == "endpoint_picker_missing" for f in findings):
        findings += _endpoint_picker(index, pool, spec.get("endpointPickerRef"))
    return findings


def _pool_status(pool) -> list[dict]:
    out = []
    for entry in (pool.get("status") or {}).get("parents") or []:
        conds, _ = current_conditions(pool, entry)
        for ctype in ("Accepted", "ResolvedRefs"):
            cond = conds.get(ctype)
            if cond is None or cond.get("status") != "False":
                continue
            cause = POOL_REASONS.get(cond.get("reason"), "pool_not_accepted")
            parent = (entry.get("parentRef") or {}).get("name", "?")
            out.append(finding("error", cause, pool, f"Gateway {parent} reports "
                               f"{ctype}=False ({cond.get('reason')})", [cond_text(cond)],
                               _POOL_FIXES.get(cause, "")))
    return out


def _no_pods(index, pool, match) -> dict:
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
                   "to this pool fails", evidence,
                   "make spec.selector.matchLabels equal the model server pod template labels "
                   "(same namespace; matchLabels only)")


def _target_ports(pool, pods) -> list[dict]:
    wanted = set(pool_ports(pool))
    declared = [container_ports(p) for p in pods]
    if not any(declared):
        return []  # pods declare no containerPort: nothing to compare against
    if any(wanted & d for d in declared):
        return []
    have = sorted(set().union(*declared))
    return [finding("error", "pool_target_port_mismatch", pool,
                    f"targetPorts {sorted(wanted)} match no containerPort of the {len(pods)} "
                    "selected pod(s)", [f"containerPorts: {have}"],
                    f"set spec.targetPorts[].number to the model server port ({have[0]} here) "
                    "or fix the container port")]


def _endpoint_picker(index, pool, ref) -> list[dict]:
    if not ref:
        return [finding("warning", "endpoint_picker_missing", pool, "no endpointPickerRef: "
                        "optional in the API since GAIE v1.5 but required by most "
                        "implementations (Accepted=False reason EndpointPickerRefMissing)",
                        ["spec.endpointPickerRef: unset"], _POOL_FIXES["endpoint_picker_missing"])]
    if (ref.get("group") or "") != "" or (ref.get("kind") or "Service") != "Service":
        return []
    ns, name = meta(pool, "namespace"), ref.get("name", "")
    svc = index.get("Service", ns, name, "")
    port = (ref.get("port") or {}).get("number")
    if svc is None:
        if "Service" not in index.covered:
            return []
        return [finding("error", "endpoint_picker_missing", pool,
                        f"endpointPickerRef names Service {ns}/{name}, which does not exist",
                        [f"failureMode: {ref.get('failureMode', 'FailClose')}"],
                        _POOL_FIXES["endpoint_picker_missing"])]
    if port not in service_ports(svc):
        return [finding("error", "endpoint_picker_missing", pool,
                        f"endpointPickerRef port {port} is not a port of Service {name}",
                        [f"Service ports: {service_ports(svc)}"],
                        "set endpointPickerRef.port.number to the EPP Service port "
                        "(gRPC ext-proc, 9002 by convention)")]
    selector = (svc.get("spec") or {}).get("selector") or {}
    if "Pod" in index.covered and selector and not index.pods(ns, selector):
        return [finding("error", "endpoint_picker_missing", pool,
                        f"EPP Service {name} selects no running pod: the endpoint picker is "
                        "not running", [f"Service selector: {selector}",
                                        f"failureMode: {ref.get('failureMode', 'FailClose')}"],
                        "deploy the endpoint picker (llm-d router for GAIE >= v1.6, the GAIE "
                        "EPP for <= v1.5) or fix the Service selector")]
    return []


def check_gateway(index, gw: dict) -> list[dict]:
    out = []
    spec = gw.get("spec") or {}
    cls = spec.get("gatewayClassName")
    if "GatewayClass" in index.covered and index.get("GatewayClass", "", cls) is None:
        classes = sorted(meta(c, "name") for c in index.of_kind("GatewayClass"))
        out.append(finding("error", "gateway_class_not_found", gw,
                           f"gatewayClassName {cls} names no GatewayClass: no controller "
                           "will program this Gateway",
                           [f"GatewayClasses: {', '.join(classes[:8]) or 'none'}"],
                           "set spec.gatewayClassName to an installed class (kubectl get "
                           "gatewayclass)"))
    conds = {c.get("type"): c for c in (gw.get("status") or {}).get("conditions") or []}
    for ctype in ("Accepted", "Programmed"):
        cond = conds.get(ctype)
        if cond and cond.get("status") == "False":
            out.append(finding("error", "gateway_not_ready", gw,
                               f"Gateway {ctype}=False ({cond.get('reason')})", [cond_text(cond)],
                               "platform team: read the message (addresses, listeners, class)"))
    out += _listener_certs(index, gw)
    return out


def _listener_certs(index, gw) -> list[dict]:
    out = []
    gw_ns = meta(gw, "namespace")
    for li in (gw.get("spec") or {}).get("listeners") or []:
        for cert in ((li.get("tls") or {}).get("certificateRefs") or []):
            ns = cert.get("namespace") or gw_ns
            if ns != gw_ns and not grant_allows(index, "Gateway", gw_ns, cert.get("group", ""),
                                                cert.get("kind", "Secret"), ns, cert.get("name")):
                out.append(finding("error", "ref_not_permitted", gw,
                                   f"listener {li.get('name')} uses Secret {ns}/"
                                   f"{cert.get('name')} without a ReferenceGrant", [],
                                   f"create in {ns}: ReferenceGrant from {{group: {GW_GROUP}, "
                                   f"kind: Gateway, namespace: {gw_ns}}} to {{group: \"\", "
                                   "kind: Secret}"))
    return out


def check_outdated(obj: dict) -> list[dict]:
    """Alpha inference.networking.x-k8s.io objects (pre-v1.0 pools, InferenceModel) and
    InferenceObjective, which left this project for llm-d in GAIE v1.6."""
    kind = obj.get("kind")
    api = obj.get("apiVersion")
    if kind == "InferencePool":
        spec = obj.get("spec") or {}
        old = [k for k in ("targetPortNumber", "extensionRef") if k in spec]
        return [finding("error", "outdated_inference_api", obj,
                        f"{api} InferencePool is the pre-v1.0 alpha API; current is "
                        f"{POOL_GROUP}/v1", [f"apiVersion: {api}"] +
                        ([f"alpha fields: {', '.join(old)}"] if old else []),
                        _ALPHA_FIX)]
    if kind == "InferenceModel":
        return [finding("error", "outdated_inference_api", obj,
                        "InferenceModel was replaced by InferenceObjective in GAIE v1.0; "
                        "model-name routing is done by the EPP / body-based routing",
                        [f"apiVersion: {api}"], "delete it; express priority with an "
                        "InferenceObjective of your endpoint picker's version")]
    if kind == "InferenceObjective":
        return [finding("info", "outdated_inference_api", obj,
                        "InferenceObjective left the GAIE repo in v1.6 (moved to llm-d with the "
                        "endpoint picker); it only matters if your EPP version reads it",
                        [f"apiVersion: {api}"], "keep it only with an EPP that reads "
                        "InferenceObjective (GAIE <= v1.5 EPP or the llm-d router)")]
    return []


def is_alpha(obj: dict) -> bool:
    return str(obj.get("apiVersion", "")).startswith(ALPHA_GROUP + "/") and obj.get("kind") in (
        "InferencePool", "InferenceModel", "InferenceObjective")


_ALPHA_FIX = (f"recreate as {POOL_GROUP}/v1: targetPortNumber N -> targetPorts: [{{number: N}}], "
              "extensionRef -> endpointPickerRef (with port.number), and point HTTPRoute "
              f"backendRefs at group {POOL_GROUP}")

_POOL_FIXES = {
    "endpoint_picker_missing": "set spec.endpointPickerRef {name: <epp Service>, port: "
                               "{number: 9002}, failureMode: FailOpen|FailClose} and run the "
                               "endpoint picker (llm-d router for GAIE >= v1.6)",
    "pool_not_accepted": "read the condition message; the Gateway implementation may not "
                         "support InferencePool backends",
}
