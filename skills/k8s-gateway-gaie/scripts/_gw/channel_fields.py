"""The API server refusing a Gateway API field the installed CRD channel or release lacks.

`HTTPRoute in version "v1beta1" cannot be handled as a HTTPRoute: strict decoding error:
unknown field "spec.parentRefs[0].port"` (apimachinery's strict field validation, kubectl
1.27+ default; kubectl's client-side form `ValidationError(HTTPRoute.spec.parentRefs[0]):
unknown field "port" in ...`) reads as a refused route. When the unknown field is one the
Gateway API itself defines, only in its experimental channel or from a later release, the
manifest is not wrong: it is written for CRDs other than those installed (the standard
channel, or an older bundle), so it is manifest_api_mismatch, and the fix is the bundle, not
the field (istio/istio#48878: the Bookinfo sample's parentRefs[].port under the v1.0.0
standard-channel CRDs; the maintainer: "Are you sure you are using the experimental (not
standard channel) CRDs?"). A field Gateway API never defined stays a refused route (a typo).

Fields added to the experimental channel (gateway-api CHANGELOG): ParentReference.port
(v0.6.0 experimental, GEP-957; absent from the v1.0.0 standard CRDs, istio/istio#48878);
HTTPRouteRule.sessionPersistence (v1.1.0 experimental, GEP-1619); Gateway spec.infrastructure
(v1.1.0 experimental, standard v1.2.0) and HTTPRouteRule.timeouts (standard v1.2.0, GEP-1742);
HTTPRouteRule.retry (GEP-1731), requestMirror.percent/fraction (GEP-3171), Gateway
spec.backendTLS and BackendTLSPolicy validation.subjectAltNames (GEP-3155), route rule
`name` (all v1.2.0 experimental, 1.2-CHANGELOG.md "Experimental Channel Additions").
"""
from __future__ import annotations

import re

# spec paths (list indices dropped) the Gateway API defines outside some installed bundles
_CHANNEL_FIELDS = (
    "spec.parentRefs.port", "spec.rules.sessionPersistence", "spec.infrastructure",
    "spec.rules.timeouts", "spec.rules.retry", "spec.rules.name",
    "spec.rules.filters.requestMirror.percent", "spec.rules.filters.requestMirror.fraction",
    "spec.rules.backendRefs.filters.requestMirror.percent",
    "spec.rules.backendRefs.filters.requestMirror.fraction",
    "spec.backendTLS", "spec.validation.subjectAltNames",
)
_ROUTE_KINDS = r"(?:HTTPRoute|GRPCRoute|TLSRoute|TCPRoute|UDPRoute|Gateway|BackendTLSPolicy)"
# the server's strict decoding (`unknown field "spec.parentRefs[0].port"`, also the
# `Warning: unknown field ...` of --validate=warn) and kubectl's client-side validation
_SERVER = re.compile(r"unknown field \\?\"(spec\.[\w.\[\]]+)\\?\"")
_CLIENT = re.compile(r"ValidationError\(" + _ROUTE_KINDS + r"\.(spec[\w.\[\]]*)\): unknown field "
                     r"\\?\"(\w+)\\?\"")
_INDEX = re.compile(r"\[\d+\]")
# the refusal readers' causes for a refused Gateway API object
_REFUSED = {"route_not_accepted", "listener_invalid", "gateway_not_ready", "policy_invalid"}


def unknown_fields(text: str) -> list[str]:
    """The Gateway API channel/release fields a refusal in the text calls unknown.

    >>> unknown_fields('strict decoding error: unknown field "spec.parentRefs[0].port"')
    ['spec.parentRefs.port']
    >>> unknown_fields('ValidationError(HTTPRoute.spec.rules[0]): unknown field "retry" in x')
    ['spec.rules.retry']
    >>> unknown_fields('strict decoding error: unknown field "spec.parentRef"')
    []
    """
    paths = [_INDEX.sub("", m.group(1)) for m in _SERVER.finditer(text or "")]
    paths += [_INDEX.sub("", f"{m.group(1)}.{m.group(2)}") for m in _CLIENT.finditer(text or "")]
    return [p for p in dict.fromkeys(paths) if p in _CHANNEL_FIELDS]


def reclassify(findings: list[dict]) -> list[dict]:
    """A refused Gateway API object whose unknown field is a channel/release field ->
    manifest_api_mismatch (the API server's own words: basis stays reported)."""
    return [_mismatch(f) or f for f in findings]


def _mismatch(f: dict) -> dict | None:
    if f.get("cause") not in _REFUSED:
        return None
    text = "\n".join([f.get("message") or ""] + [str(e) for e in f.get("evidence") or []])
    fields = unknown_fields(text)
    if not fields:
        return None
    field = fields[0]
    out = dict(f, cause="manifest_api_mismatch")
    out["message"] = (f"the API server does not know {field}, a field Gateway API defines in "
                      "its experimental channel or in a later release: the manifest is "
                      "written for other Gateway API CRDs than those installed (the standard "
                      "channel, or an older bundle), so it was not stored")
    out["fix"] = ("install the Gateway API bundle the manifest needs (the experimental-install."
                  "yaml of your release, or a newer release that has the field in standard), "
                  "kubectl apply --server-side; or drop the field from the manifest. Check: "
                  "kubectl get crd httproutes.gateway.networking.k8s.io -o jsonpath="
                  "'{.metadata.annotations}' (bundle-version and channel)")
    return out
