"""GatewayClass rules inferred from its spec (basis "inferred").

A GatewayClass is cluster-scoped, so its `parametersRef.namespace` is the only place the
namespace of a namespaced referent can come from: "This field is required when referring to a
Namespace-scoped resource" (gateway-api apis/v1/gatewayclass_types.go, ParametersReference),
and a referent that cannot be found makes the class "Accepted: False, InvalidParameters".
Envoy Gateway looks the EnvoyProxy up in `default` when the namespace is unset and rejects the
class when it is not there (envoyproxy/gateway internal/provider/kubernetes/controller.go
processGatewayClassParamsRef, "failed to find envoyproxy <ns>/<name> for GatewayClass";
envoyproxy/gateway#8406). A `metadata.namespace` on the class is ignored by the apiserver.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _gw.objects import meta

# (group, kind) of namespaced parameter kinds that controllers name in parametersRef:
# Envoy Gateway's EnvoyProxy, kgateway's GatewayParameters, a core ConfigMap (Istio).
NAMESPACED_PARAMETERS = {("gateway.envoyproxy.io", "EnvoyProxy"),
                         ("gateway.kgateway.dev", "GatewayParameters"),
                         ("", "ConfigMap"), ("core", "ConfigMap")}


def check_gateway_class(index, gc: dict) -> list[dict]:
    ref = (gc.get("spec") or {}).get("parametersRef") or {}
    if not isinstance(ref, dict) or ref.get("namespace") or _accepted(gc):
        return []
    group, kind, name = str(ref.get("group") or ""), str(ref.get("kind") or ""), ref.get("name")
    if (group, kind) not in NAMESPACED_PARAMETERS:
        return []
    elsewhere = sorted(meta(o, "namespace") for o in index.of_kind(kind)
                       if meta(o, "name") == name and meta(o, "namespace") != "default")
    evidence = [f"spec.parametersRef: {{group: {group or 'core'}, kind: {kind}, name: {name}}} "
                "(no namespace)"]
    if meta(gc, "namespace"):
        evidence.append(f"metadata.namespace {meta(gc, 'namespace')} is ignored: a "
                        "GatewayClass is cluster-scoped")
    if elsewhere:
        evidence.append(f"{kind} {name} in the input is in namespace(s) {', '.join(elsewhere)}")
    return [finding(
        "error" if elsewhere else "warning", "gateway_class_not_accepted",
        {"kind": "GatewayClass", "name": meta(gc, "name")},
        f"GatewayClass {meta(gc, 'name')} names the namespaced {kind} {name} without "
        "parametersRef.namespace: Gateway API requires the namespace for a namespaced "
        "referent, and a controller that cannot find it rejects the class (InvalidParameters; "
        "Envoy Gateway looks in `default`), so its Gateways get no parameters or no proxy",
        evidence,
        f"set spec.parametersRef.namespace to the {kind}'s namespace"
        + (f" ({elsewhere[0]})" if elsewhere else "") + " and re-read the class's Accepted "
        "condition",
        basis="inferred",
        confirm=f"kubectl get gatewayclass {meta(gc, 'name')} -o "
                "jsonpath='{.status.conditions}'")]


def _accepted(gc: dict) -> bool:
    """The controller accepted the class: it found its parameters, whatever we infer."""
    return any(isinstance(c, dict) and c.get("type") == "Accepted" and
               str(c.get("status")) == "True"
               for c in (gc.get("status") or {}).get("conditions") or [])
