"""Held-out rounds 71-72 of check_routes.py: Envoy Gateway's backend refusals. Ground truth:

- `Backend is disabled in Envoy Gateway configuration` is a route's ResolvedRefs=False reason
  UnsupportedValue (envoyproxy/gateway v1.8.1 internal/gatewayapi/validate.go:260-264,
  testdata/backend-invalid-feature-disabled.out.yaml): the kind is served, the controller's
  config leaves it off; references/causes.md gives ResolvedRefs=False with any reason but
  InvalidKind/UnsupportedProtocol, and the Backend's own `Backend is not enabled in Envoy
  Gateway Config`, to backend_unresolved (adampetrovic/home-ops#1981 enables
  extensionApis.enableBackend).
- `failed to locate TLS secret for client auth: <ns>/<name> specified in <Kind> <ns>/<name>`
  (envoyproxy/gateway v1.8.1 internal/gatewayapi/backendtlspolicy.go:393-402) is the client
  certificate Envoy presents to a backend, written on the route parent as ResolvedRefs=False
  InvalidBackendTLS (route.go:1920, status/error.go; envoyproxy/gateway PR #5934 pastes it for
  an EnvoyProxy's backendTLS.clientCertificateRef): the route's backend, never a listener's
  certificate, which a Gateway's status.listeners reports (gateway-api v1.6.3 apis/v1
  gateway_types.go ListenerStatus; EG's `Secret <ns>/<name> does not exist.`).
- an Envoy Gateway Backend refusal is a False condition of type Accepted or Invalid (v1.8.1
  api/v1alpha1/backend_types.go:253-272; status/backend.go:36-38 writes type Invalid, reason
  Accepted); a reference without namespace is in its referrer's namespace (gateway-api v1.6.3
  apis/v1/object_reference_types.go:69-70), and EG before PR #7987 defaulted a Backend's
  tls.clientCertificateRef namespace to `default` (backend.go:162 at f9a49ba3b4^), so its
  `Secret namespace: default does not match Backend namespace: <ns>` for a spec that puts the
  Secret in <ns> contradicts the spec (envoyproxy/gateway PR #7987's description).
"""
from __future__ import annotations

import sys

from .conftest import SCRIPTS
from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# adampetrovic/home-ops#1981 as quoted: the route's message alone
_DISABLED_LINE = "Backend is disabled in Envoy Gateway configuration.\n"

# the same refusal on a route, as Envoy Gateway writes it (validate.go:260-264 behind the
# route.go:335 prefix; testdata/backend-invalid-feature-disabled.out.yaml), names invented
_DISABLED_ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps, generation: 1}
spec:
  parentRefs: [{name: eg, namespace: infra}]
  rules:
  - backendRefs: [{group: gateway.envoyproxy.io, kind: Backend, name: ext, port: 443}]
status:
  parents:
  - parentRef: {name: eg, namespace: infra}
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, message: Route is accepted,
       observedGeneration: 1}
    - type: ResolvedRefs
      status: "False"
      reason: UnsupportedValue
      observedGeneration: 1
      message: 'Failed to process route rule 0 backendRef 0: Backend is disabled in Envoy
        Gateway configuration.'
"""


def test_backend_disabled_line_is_backend_unresolved(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _DISABLED_LINE)[0] == "backend_unresolved"


def test_backend_disabled_route_condition_is_backend_unresolved(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _DISABLED_ROUTE)
    assert (found[0]["cause"], found[0]["basis"]) == ("backend_unresolved", "reported")
    assert "enableBackend" in found[0]["fix"]


def test_externalname_unsupported_value_stays_unsupported_kind(gw_run, tmp_path):
    # near miss: the same reason for a Service of type ExternalName is a backend kind EG does
    # not serve (validate.go@v1.6.0 `... is of type ExternalName, which is not supported as a
    # backend`; catalogue rt-externalname)
    text = _DISABLED_ROUTE.replace(
        "Backend is disabled in Envoy\n        Gateway configuration.",
        "Service apps/ext is of type ExternalName, which is\n        not supported as a backend; "
        "use an Envoy Gateway Backend resource instead.")
    assert _causes(gw_run, tmp_path, text)[0] == "unsupported_backend_kind"


# envoyproxy/gateway PR #5934 as pasted: a route's parent status, indented, cut from its object
_CLIENT_AUTH_5934 = """\
  status:
    parents:
    - conditions:
      - lastTransitionTime: null
        message: Route is accepted
        reason: Accepted
        status: "True"
        type: Accepted
      - lastTransitionTime: null
        message: 'Failed to process route rule 0 backendRef 0: failed to locate TLS
          secret for client auth: envoy-gateway-system/client-auth-not-found specified
          in EnvoyProxy envoy-gateway-system/test.'
        reason: InvalidBackendTLS
        status: "False"
        type: ResolvedRefs
      controllerName: gateway.envoyproxy.io/gatewayclass-controller
"""


def test_client_auth_secret_on_a_route_parent_is_the_backend(gw_run, tmp_path):
    causes = _causes(gw_run, tmp_path, _CLIENT_AUTH_5934)
    assert causes[0] == "backend_unresolved"
    assert "listener_certificate_invalid" not in causes


def test_client_auth_wording_alone_names_the_backend_tls(gw_run, tmp_path):
    # another form: the message as a describe line, owner a Backend (processClientTLSSettings
    # is called with the Backend as owner, backendtlspolicy.go:114-119@v1.8.1)
    text = ("    Message:  Failed to process route rule 1 backendRef 0: failed to locate TLS "
            "secret for client auth: shop/mtls-client specified in Backend shop/payments.\n"
            "    Reason:   InvalidBackendTLS\n    Status:   False\n    Type:     ResolvedRefs\n")
    found = [f for f in _findings(gw_run, tmp_path, text) if f["severity"] != "info"]
    assert [f["cause"] for f in found][:1] == ["backend_unresolved"]
    assert "clientCertificateRef" in found[0]["fix"]


def test_route_parent_text_is_read_with_route_wordings_only():
    # the scope rule itself, on a Secret wording the route table does not know: a listener's
    # cert-missing (`secrets "<name>" not found`) must not claim a route backendRef's message
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from _gw.messages import match_quoted, scope_of_text
    route_text = ("message: 'Failed to process route rule 0 backendRef 0: the client certificate "
                  "Secret could not be read: TLS secret shop/c is empty.'")
    verdict = match_quoted(route_text, reason_tokens=False)
    assert verdict is None or verdict.layer != "listener"
    assert scope_of_text("backendRef 0: certificate Secret x is missing") == "route"
    assert scope_of_text("Certificate ref to secret x is invalid") == "listener"


_LISTENER_CERT = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg, namespace: infra, generation: 1}
spec:
  gatewayClassName: eg
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls: {certificateRefs: [{name: site-cert}]}
status:
  listeners:
  - name: https
    attachedRoutes: 0
    supportedKinds: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]
    conditions:
    - {type: ResolvedRefs, status: "False", reason: InvalidCertificateRef,
       message: Secret infra/site-cert does not exist., observedGeneration: 1}
"""


def test_a_listener_certificate_condition_stays_listener_certificate_invalid(gw_run, tmp_path):
    # near miss: EG's listener wording (validate.go, listener ResolvedRefs InvalidCertificateRef)
    assert _causes(gw_run, tmp_path, _LISTENER_CERT)[0] == "listener_certificate_invalid"


def test_a_listener_tls_secret_line_stays_listener_certificate_invalid(gw_run, tmp_path):
    # near miss as text: a listener condition quoted on its own, no route words
    text = ('Listener https: ResolvedRefs False InvalidCertificateRef "invalid TLS secret '
            'infra/site-cert: secret infra/site-cert must contain tls.crt"\n')
    assert _causes(gw_run, tmp_path, text)[0] == "listener_certificate_invalid"


# envoyproxy/gateway PR #7987 as pasted (metadata trimmed)
_BACKEND_7987 = """\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata:
  name: httpbin-mtls-httpbin-tls-be
  namespace: httpbin-tls
spec:
  endpoints:
  - fqdn:
      hostname: httpbin-tls.httpbin-tls.svc.cluster.local
      port: 8443
  tls:
    caCertificateRefs:
    - group: ""
      kind: Secret
      name: httpbin-mtls-ssl
    clientCertificateRef:
      group: ""
      kind: Secret
      name: httpbin-mtls-ssl
      namespace: httpbin-tls
    insecureSkipVerify: false
  type: Endpoints
status:
  conditions:
  - lastTransitionTime: "2026-01-17T17:32:38Z"
    message: 'The Backend was not accepted: clientCertificateRef Secret is not located
      in the same namespace as Backend. Secret namespace: default does not match Backend
      namespace: httpbin-tls'
    observedGeneration: 2
    reason: Accepted
    status: "False"
    type: Invalid
"""


def test_backend_status_naming_another_namespace_than_its_spec(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _BACKEND_7987)
    first = found[0]
    assert (first["cause"], first["basis"]) == ("controller_contradicts_spec", "reported")
    # the status against the spec, both quoted
    assert any("Secret namespace: default" in e for e in first["evidence"])
    assert any(e.startswith("spec: clientCertificateRef namespace: httpbin-tls")
               for e in first["evidence"])


def test_a_reference_without_namespace_is_in_its_referrers(gw_run, tmp_path):
    # the defaulting bug as it happened (backend.go:162 before PR #7987): no namespace in the
    # spec, the status claims `default` for a Backend that lives elsewhere
    text = _BACKEND_7987.replace("      namespace: httpbin-tls\n    insecureSkipVerify",
                                 "    insecureSkipVerify")
    assert "namespace: httpbin-tls\n    insecure" not in text
    first = _findings(gw_run, tmp_path, text)[0]
    assert first["cause"] == "controller_contradicts_spec"
    assert any("referrer's namespace" in e for e in first["evidence"])


def test_a_backend_refusal_the_spec_confirms_stays_backend_unresolved(gw_run, tmp_path):
    # near miss: the spec really names `default`, so the refusal is EG's rule (a Backend's
    # client certificate must be in its own namespace, backend.go:155-162@v1.8.1), the
    # Backend refused: references/causes.md backend_unresolved
    text = _BACKEND_7987.replace("      namespace: httpbin-tls\n    insecureSkipVerify",
                                 "      namespace: default\n    insecureSkipVerify")
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "backend_unresolved"
    assert "controller_contradicts_spec" not in causes


def test_any_backend_refusal_is_evaluated(gw_run, tmp_path):
    # a Backend refusal whose wording no table holds (EG validateBackend's
    # `DynamicResolver type cannot have endpoints specified`, backend.go@v1.9.0), written the
    # other way round (type Accepted, reason Invalid, backend_types.go:264-272)
    text = ("apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: dyn, "
            "namespace: apps}\nspec:\n  type: DynamicResolver\n  endpoints: [{fqdn: {hostname: "
            "a.example.com, port: 443}}]\nstatus:\n  conditions:\n  - {type: Accepted, status: "
            "\"False\", reason: Invalid, message: 'The Backend was not accepted: DynamicResolver "
            "type cannot have endpoints specified'}\n")
    found = _findings(gw_run, tmp_path, text)
    assert (found[0]["cause"], found[0]["basis"]) == ("backend_unresolved", "reported")


def test_an_accepted_backend_is_no_finding(gw_run, tmp_path):
    # near miss: EG's acceptance (status/backend.go:32-34)
    text = ("apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: ok, "
            "namespace: apps}\nspec:\n  endpoints: [{fqdn: {hostname: a.example.com, port: 443}}]"
            "\nstatus:\n  conditions:\n  - {type: Accepted, status: \"True\", reason: Accepted, "
            "message: The Backend was accepted}\n")
    assert "backend_unresolved" not in _causes(gw_run, tmp_path, text)


def _route_quoting_backend_refusal(client_ref: str) -> str:
    """The route's condition quotes its Backend's refusal (backendtlspolicy.go
    processClientTLSSettings before PR #7987: `ClientCertificateRef Secret is not located in
    the same namespace as Backend. Secret namespace: default does not match Backend
    namespace: <ns>`, reason InvalidBackendTLS), beside the Backend with `client_ref`."""
    return _DISABLED_ROUTE.replace("reason: UnsupportedValue", "reason: InvalidBackendTLS").replace(
        "Backend is disabled in Envoy\n        Gateway configuration.",
        "ClientCertificateRef Secret is not located in\n        the same namespace as Backend. "
        "Secret namespace: default does not match Backend namespace: apps.") + (
        "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: ext, "
        "namespace: apps}\nspec:\n  endpoints: [{fqdn: {hostname: a.example.com, port: 443}}]\n"
        f"  tls: {{clientCertificateRef: {client_ref}}}\n")


def test_a_route_quoting_its_backends_misread_reference(gw_run, tmp_path):
    # another form: the Backend in the paste sets no namespace for its client certificate
    text = _route_quoting_backend_refusal("{kind: Secret, name: client}")
    first = _findings(gw_run, tmp_path, text)[0]
    assert first["cause"] == "controller_contradicts_spec"
    assert first["object"]["kind"] == "HTTPRoute"


def test_a_route_quoting_a_refusal_its_backend_spec_confirms(gw_run, tmp_path):
    # near miss: the Backend really names `default` for its client certificate
    text = _route_quoting_backend_refusal("{kind: Secret, name: client, namespace: default}")
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "backend_unresolved"
    assert "controller_contradicts_spec" not in causes
