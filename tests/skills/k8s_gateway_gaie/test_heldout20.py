"""The round-20 held-out families of check_routes.py: a listener condition pasted as text
whose reason (RefNotPermitted) decides over its message, the API server's validation refusal
of a Gateway API object read by the field it names, and a report that the controller picks
up routes only in the Gateway's own namespace.

Expected values: the public thread each paste is quoted from (named at each test), gateway-api
v1.6.3 (apis/v1/gateway_types.go ListenerReasonRefNotPermitted and its CEL rules; config/crd),
gateway-api-inference-extension v1.6.0 api/v1/inferencepool_types.go, apimachinery v0.37.2
(pkg/api/errors NewInvalid, pkg/util/validation/field ErrorBody), kubectl v0.37.2
(pkg/cmd/util/helpers.go, pkg/cmd/util/editor/editoptions.go) and apiextensions-apiserver
v0.37.2 (pkg/apiserver/schema/cel/validation.go: no value for an object or array rule)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "skills" / "k8s-gateway-gaie" / "scripts"


def _findings(gw_run, tmp_path, text: str) -> list[dict]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code != 2, result.err
    return [f for f in result.doc["findings"] if f["severity"] != "info"]


def _causes(gw_run, tmp_path, text: str) -> list[str]:
    return [f["cause"] for f in _findings(gw_run, tmp_path, text)]


# --- a listener's RefNotPermitted pasted as text ----------------------------------------------
# https://github.com/cilium/cilium/issues/37778: the listener condition as pasted (its first
# line out of step with the others, so no YAML parser reads it), Cilium 1.17.1
CILIUM_CONDITION = ('When referring from gateway to a secret in a different namespace:\n \n'
                    '- lastTransitionTime: "2025-02-20T16:30:09Z"\n'
                    '      message: CertificateRef is not permitted\n'
                    '      reason: RefNotPermitted\n'
                    '      status: "False"\n'
                    '      type: ResolvedRefs\n\n'
                    'How can we reproduce the issue?\n')


def test_a_pasted_listener_refnotpermitted_is_the_missing_grant(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, CILIUM_CONDITION)
    assert [f["cause"] for f in found] == ["ref_not_permitted"]
    assert "reason=RefNotPermitted" in found[0]["evidence"][0]
    assert "--to-kind Secret" in found[0]["fix"]


def test_the_same_condition_in_describe_form(gw_run, tmp_path):
    text = ("Listeners:\n  Conditions:\n    Last Transition Time:  2025-02-20T16:30:09Z\n"
            "      Message:  CertificateRef is not permitted\n    Reason:   RefNotPermitted\n"
            "    Status:   False\n    Type:     ResolvedRefs\n")
    assert _causes(gw_run, tmp_path, text)[:1] == ["ref_not_permitted"]


def test_a_certificate_message_with_another_reason_stays_the_certificate(gw_run, tmp_path):
    # Envoy Gateway's listener message (internal/gatewayapi/validate.go, InvalidCertificateRef)
    text = ("- lastTransitionTime: \"2025-02-20T16:30:09Z\"\n"
            "      message: Secret default/www-tls does not exist.\n"
            "      reason: InvalidCertificateRef\n      status: \"False\"\n"
            "      type: ResolvedRefs\n")
    assert _causes(gw_run, tmp_path, text)[:1] == ["listener_certificate_invalid"]


def test_a_parsed_listener_refnotpermitted_names_the_grant_to_secret(gw_run, tmp_path):
    text = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tls-gateway, namespace: default}
spec:
  gatewayClassName: cilium
  listeners:
  - name: web
    port: 443
    protocol: HTTPS
    tls:
      certificateRefs: [{kind: Secret, name: web-tls, namespace: certs}]
status:
  listeners:
  - name: web
    attachedRoutes: 0
    supportedKinds: []
    conditions:
    - {type: ResolvedRefs, status: "False", reason: RefNotPermitted,
       message: CertificateRef is not permitted}
"""
    found = _findings(gw_run, tmp_path, text)
    assert found[0]["cause"] == "ref_not_permitted"
    assert "ReferenceGrant in that namespace" in found[0]["fix"]


# --- the API server refused the object --------------------------------------------------------
# https://github.com/kubernetes-sigs/gateway-api/issues/5210: kubectl edit's refusal header
# (editoptions.go `%s %q was not valid`) and the CEL rule's message (gateway_types.go v1.5.0+)
GWAPI_5210 = ('When I try to create a gateway with `Passthrough` as TLS mode, I received the '
              'following error:\n\n```\ngateways.gateway.networking.k8s.io "gateway" was not '
              'valid:\n* spec.listeners: Invalid value: tls mode must be Terminate for protocol '
              'HTTPS\n```\n')


def test_an_https_passthrough_listener_refused_by_the_crd(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, GWAPI_5210)
    assert [f["cause"] for f in found] == ["listener_invalid"]
    assert "protocol TLS" in found[0]["fix"]
    assert "spec.listeners" in found[0]["evidence"][0]


def test_apimachinery_single_line_refusal_of_a_tls_listener(gw_run, tmp_path):
    # NewInvalid's `%s %q is invalid: %v` with one cause; the rule at gateway_types.go
    text = ('Error from server (Invalid): error when creating "gw.yaml": Gateway.gateway.'
            'networking.k8s.io "gw" is invalid: spec.listeners: Invalid value: tls mode must be '
            'set for protocol TLS\n')
    assert _causes(gw_run, tmp_path, text)[:1] == ["listener_invalid"]


def test_kubectl_multiline_refusal_of_a_service_ref_without_port(gw_run, tmp_path):
    # kubectl helpers.go: `The %s %q is invalid` then `* FIELD: MESSAGE` lines; the rule at
    # object_reference_types.go `Must have port for Service reference`
    text = ('The HTTPRoute "app" is invalid: \n* spec.rules[0].backendRefs[0]: Invalid value: '
            'Must have port for Service reference\n')
    assert _causes(gw_run, tmp_path, text)[:1] == ["port_mismatch"]


def test_a_refused_status_update_is_not_the_user_object(gw_run, tmp_path):
    # a controller's own status write refused (kubernetes-sigs/aws-load-balancer-controller#4600)
    text = ('{"level":"error","msg":"Failed to update route status","error":"HTTPRoute.gateway.'
            'networking.k8s.io \\"web\\" is invalid: [status.parents[1].conditions: Required '
            'value, <nil>: Invalid value: \\"null\\": some validation rules were not checked '
            'because the object was invalid; correct the existing errors to complete '
            'validation]"}\n')
    assert "route_not_accepted" not in _causes(gw_run, tmp_path, text)


@pytest.fixture
def api_refusal():
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from _gw import api_refusal as module
    return module


@pytest.mark.parametrize("kind, field, detail, cause", [
    # gateway-api v1.6.3 CEL messages, at the field their rule sits on
    ("gateways.gateway.networking.k8s.io", "spec.listeners",
     "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", "listener_invalid"),
    ("Gateway", "spec.listeners[0].tls",
     "certificateRefs or options must be specified when mode is Terminate",
     "listener_certificate_invalid"),
    ("ListenerSet.gateway.networking.k8s.io", "spec.listeners",
     "tls mode must be Terminate for protocol HTTPS", "listener_invalid"),
    ("HTTPRoute", "spec.parentRefs",
     "sectionName must be specified when parentRefs includes 2 or more references to the same "
     "parent", "route_not_accepted"),
    ("httproutes.gateway.networking.k8s.io", "spec.rules[0]",
     "RequestRedirect filter must not be used together with backendRefs",
     "route_not_accepted"),
    ("GRPCRoute", "spec.rules[0].backendRefs[0]", "Must have port for Service reference",
     "port_mismatch"),
    ("GatewayClass", "spec.controllerName", "Value is immutable",
     "gateway_class_not_accepted"),
    # gateway-api-inference-extension v1.6.0 api/v1 EndpointPickerRef rule
    ("InferencePool.inference.networking.k8s.io", "spec.endpointPickerRef",
     "port is required when kind is 'Service' or unspecified (defaults to 'Service')",
     "endpoint_picker_missing"),
])
def test_refusal_cause_by_field(api_refusal, kind, field, detail, cause):
    assert api_refusal.refusal_cause(kind, [(field, detail)]).cause == cause


def test_refusal_of_another_groups_gateway_is_not_read(api_refusal):
    assert api_refusal.refusal_cause("Gateway.networking.istio.io",
                                     [("spec.servers[0].port", "Required value")]) is None


# --- routes from other namespaces never picked up ---------------------------------------------
# https://github.com/traefik/traefik/issues/8246 (fixed by traefik/traefik#8299): the report's
# sentences and its v1alpha1 describe of the listener
TRAEFIK_8246 = ("We have found that the implementation only looks for HTTPRoutes in the same "
                "namespace as the Gateway as per the provider code.\n\n"
                "We have a listner configured on a GW with Namespaces: All\n```yaml\n"
                "  Listeners:\n    Port:      8000\n    Protocol:  HTTP\n    Routes:\n"
                "      Kind:   HTTPRoute\n      Namespaces:\n        From:  All\n```\n\n"
                "but it only looks in the Default NS (where the Gateway is deployed)\n")


def test_routes_only_in_the_gateway_namespace_with_from_all(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, TRAEFIK_8246)
    assert [f["cause"] for f in found] == ["not_allowed_by_listener"]
    assert found[0]["basis"] == "inferred" and found[0]["confirm"]
    assert "does not honour it" in found[0]["fix"]


def test_a_route_in_another_namespace_without_effect_is_the_default_same(gw_run, tmp_path):
    # apache/apisix-ingress-controller#2727
    text = ("I'm testing Gateway API support. When I create HTTPRoute in a different namespace, "
            "it does not seem to take effect.\n")
    found = _findings(gw_run, tmp_path, text)
    assert [f["cause"] for f in found][:1] == ["not_allowed_by_listener"]
    assert "defaults to Same" in found[0]["fix"]


def test_a_service_in_another_namespace_is_not_the_listener(gw_run, tmp_path):
    text = ("My Gateway serves an HTTPRoute whose backendRef names a Service in a different "
            "namespace, and it does not work.\n")
    assert "not_allowed_by_listener" not in _causes(gw_run, tmp_path, text)
