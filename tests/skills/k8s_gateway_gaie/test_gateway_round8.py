"""The round-8 held-out families of check_routes.py (issue 12): a listener protocol no
controller serves, a CRD said to be absent, a backendRef port the backend lacks.

Expected values: gateway-api apis/v1/gateway_types.go (ProtocolType: HTTP, HTTPS, TLS, TCP,
UDP are the core values, "Un-prefixed names are reserved for core protocols", an
implementation's own are domain-prefixed, an unsupported one gets UnsupportedProtocol); the
public threads named at each test for the sentences (quoted as their users wrote them)."""
from __future__ import annotations

import pytest
import yaml


def _causes(gw_run, tmp_path, text: str) -> tuple[int, list[str]]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code != 2, result.err
    return result.code, [f["cause"] for f in result.doc["findings"] if f["severity"] != "info"]


def _gateway(protocol: str, listener_status=None) -> dict:
    # kgateway-dev/kgateway#11640's Gateway: `protocol: HTTP2` passes the CRD's pattern
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "example-gateway2", "namespace": "default"},
          "spec": {"gatewayClassName": "kgateway",
                   "listeners": [{"name": "http", "protocol": protocol, "port": 80}]}}
    if listener_status is not None:
        gw["status"] = {"listeners": [{"name": "http", "attachedRoutes": 0,
                                       "conditions": [listener_status]}]}
    return gw


def test_an_unprefixed_non_core_protocol_is_an_invalid_listener(gw_run, tmp_path):
    code, causes = _causes(gw_run, tmp_path, yaml.safe_dump(_gateway("HTTP2")))
    assert code == 1 and causes[:1] == ["listener_invalid"]


@pytest.mark.parametrize("protocol", ["HTTP", "HTTPS", "TLS", "TCP", "UDP",
                                      "example.com/bar"])
def test_core_and_domain_prefixed_protocols_are_fine(gw_run, tmp_path, protocol):
    doc = _gateway(protocol)
    if protocol in ("HTTPS", "TLS"):
        doc["spec"]["listeners"][0]["tls"] = {"mode": "Passthrough"}
    assert "listener_invalid" not in _causes(gw_run, tmp_path, yaml.safe_dump(doc))[1]


def test_a_controller_that_accepted_the_protocol_is_believed(gw_run, tmp_path):
    accepted = {"type": "Accepted", "status": "True", "reason": "Accepted", "message": "",
                "lastTransitionTime": "2026-07-10T10:00:00Z"}
    doc = _gateway("HTTP2", accepted)
    assert "listener_invalid" not in _causes(gw_run, tmp_path, yaml.safe_dump(doc))[1]


# nginx/nginx-gateway-fabric#5214 and kgateway-dev/kgateway#11640
@pytest.mark.parametrize("sentence", [
    "The controller fails to reconcile a Gateway containing listener with unsupported "
    "protocol, with a \"failed to update status\" error",
    "Defining a `Gateway` with a listener using an invalid protocol type, e.g. `HTTP2`:",
])
def test_a_listener_protocol_said_unsupported(gw_run, tmp_path, sentence):
    assert _causes(gw_run, tmp_path, f"**Describe the bug**\n{sentence}\n")[1][:1] == \
        ["listener_invalid"]


# traefik/traefik#12321
def test_a_gateway_api_crd_said_absent(gw_run, tmp_path):
    text = ("We are using traefik with gateway-api. The issue was that traefik expected a new "
            "CRD related to gateway-api, v1.BackendTLSPolicy, to be defined. This CRD did not "
            "yet exist in our cluster, so traefik failed.\n")
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["crd_not_installed"]


def test_a_crd_said_absent_outside_gateway_api_is_not_read(gw_run, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text("The pods crashed. This CRD did not yet exist in our cluster.\n")
    assert gw_run("check_routes", "-f", str(path), "--json").code == 2


# kgateway-dev/kgateway#8948 and #14042
@pytest.mark.parametrize("sentence", [
    "4. Use kubectl to modify the httpbin HTTPRoute to change the backendRef name to the "
    "correct `httpbin` value, but change the port to an invalid value.",
    "When an HTTPRoute references a ServiceEntry with a port that is not defined on that "
    "resource, the backendRef is reported as not found.",
])
def test_a_backendref_port_said_absent(gw_run, tmp_path, sentence):
    text = f"A bad backendRef port is not reported.\n\n{sentence}\n"
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["port_mismatch"]


# traefik/traefik#9158 (lines shortened): cert-manager's HTTP-01 solver Services
# (GenerateName cm-acme-http-solver-, cert-manager pkg/issuer/acme/http) were gone, so the
# certificate, and the listener's Secret with it, was never issued.
_TRAEFIK = (
    'time="2022-07-03T12:45:22Z" level=error msg="an error occurred while creating gateway '
    'status: 1 error occurred:\\n\\t* Cannot load HTTPRoute service default/'
    '{svc}: service not found\\n\\n" namespace=default providerName=kubernetesgateway '
    'gateway=gateway-http\n'
    'time="2022-07-03T12:45:22Z" level=error msg="an error occurred while creating gateway '
    'status: 1 error occurred:\\n\\t* Error while retrieving certificate: secret default/'
    'zerossl-key-prod8 does not exist\\n\\n" gateway=gateway-https '
    'providerName=kubernetesgateway namespace=default\n')


def test_a_missing_acme_solver_backend_comes_before_the_secret_it_would_issue(gw_run,
                                                                              tmp_path):
    causes = _causes(gw_run, tmp_path, _TRAEFIK.format(svc="cm-acme-http-solver5dqs9"))[1]
    assert causes[:2] == ["backend_not_found", "listener_certificate_invalid"]


def test_an_ordinary_missing_backend_leaves_the_secret_first(gw_run, tmp_path):
    causes = _causes(gw_run, tmp_path, _TRAEFIK.format(svc="web"))[1]
    assert causes[:1] == ["listener_certificate_invalid"]


# envoyproxy/gateway#8861 and #10004: the route's Accepted=False contradicts a data plane
# the user saw serving the route.
_ROUTE_STATUS = """```yaml
status:
  parents:
  - conditions:
    - type: Accepted
      status: "False"
      reason: NoMatchingListenerHostname
      message: No hostnames match parent listeners
      lastTransitionTime: "2026-04-26T10:00:00Z"
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    parentRef:
      name: main
```
"""


@pytest.mark.parametrize("sentence", [
    "The data plane is healthy and serving traffic on the affected hostnames, but the "
    "route's status object never re-emits.",
    "Concretely, a route can be attached and serving traffic correctly on one listener, but "
    "its status shows Accepted: False (e.g. NoMatchingListenerHostname) borrowed from the "
    "other listener.",
])
def test_a_route_condition_the_data_plane_contradicts_is_stale(gw_run, tmp_path, sentence):
    causes = _causes(gw_run, tmp_path, f"{sentence}\n\n{_ROUTE_STATUS}")[1]
    assert causes[:1] == ["stale_status"]


def test_a_route_condition_alone_is_believed(gw_run, tmp_path):
    causes = _causes(gw_run, tmp_path, f"The route does not work.\n\n{_ROUTE_STATUS}")[1]
    assert causes[:1] == ["hostname_mismatch"]


# envoyproxy/gateway#5618 (status message) and #1472 (controller log): the GatewayClass
# parametersRef is refused (internal/provider/kubernetes/controller.go)
@pytest.mark.parametrize("text", [
    "status:\n  conditions:\n  - lastTransitionTime: \"2025-03-26T16:53:45Z\"\n    message: "
    "'Invalid parametersRef: unsupported parametersRef for gatewayclass shared-eg'\n",
    "2023-06-01T05:51:50.646Z        ERROR   kubernetes/controller.go:237    failed to process "
    "parametersRef for gatewayclass    {\"runner\": \"provider\", \"name\": \"eg\", \"error\": "
    "\"no envoyproxies exist in namespace envoy-gateway-system\"}\n",
])
def test_a_refused_gatewayclass_parametersref(gw_run, tmp_path, text):
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["gateway_class_not_accepted"]


def _delegating_route(controller: str | None) -> str:
    # istio/istio#39160's route: a backendRef of kind HTTPRoute (route delegation)
    docs = [{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "bookinfo", "namespace": "default"},
             "spec": {"parentRefs": [{"name": "gw"}],
                      "rules": [{"backendRefs": [{"name": "productpage", "kind": "HTTPRoute",
                                                  "group": "gateway.networking.k8s.io"}],
                                 "timeouts": {"request": "30s"}}]}}]
    if controller:
        docs += [{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                  "metadata": {"name": "gw", "namespace": "default"},
                  "spec": {"gatewayClassName": "c", "listeners": [
                      {"name": "http", "port": 80, "protocol": "HTTP"}]}},
                 {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                  "metadata": {"name": "c"}, "spec": {"controllerName": controller}}]
    return yaml.safe_dump_all(docs)


@pytest.mark.parametrize("controller,expected", [
    (None, "unsupported_backend_kind"), ("istio.io/gateway-controller",
                                         "unsupported_backend_kind")])
def test_route_delegation_outside_kgateway(gw_run, tmp_path, controller, expected):
    assert expected in _causes(gw_run, tmp_path, _delegating_route(controller))[1][:1]


def test_route_delegation_on_kgateway_is_fine(gw_run, tmp_path):
    causes = _causes(gw_run, tmp_path, _delegating_route("kgateway.dev/kgateway"))[1]
    assert "unsupported_backend_kind" not in causes


# SovereignCloudStack/k8s-cluster-api-provider#514: client-go discovery names the
# group/version it could not list (ErrGroupDiscoveryFailed), not a kind
@pytest.mark.parametrize("group_version,expected", [
    ("gateway.networking.k8s.io/v1beta1", ["crd_not_installed"]),
    ("inference.networking.k8s.io/v1", ["crd_not_installed"]),
])
def test_a_gateway_group_discovery_cannot_list(gw_run, tmp_path, group_version, expected):
    text = ('level=fatal msg="Failed to create gateway controller" error="failed to get API '
            'group resources: unable to retrieve the complete list of server APIs: '
            f'{group_version}: the server could not find the requested resource" '
            'subsys=gateway-controller\n')
    assert _causes(gw_run, tmp_path, text)[1][:1] == expected


def test_another_areas_group_is_not_read(gw_run, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text('error="unable to retrieve the complete list of server APIs: '
                    'kueue.x-k8s.io/v1beta1: the server could not find the requested resource"\n')
    assert gw_run("check_routes", "-f", str(path), "--json").code == 2


# Kong/kubernetes-ingress-controller#6749: KIC's log for a backendRef whose Service is absent
def test_kic_backendref_target_missing(gw_run, tmp_path):
    text = ("[ingress-controller] 2024-12-02T09:53:20Z        debug   Object requested "
            "backendRef to target, but it does not exist, skipping...       {\"object_name\": "
            "\"gateway.networking.k8s.io/v1, Kind=GRPCRoute default/grpcbin-via-http\", "
            "\"target_kind\": \"Service\"}\n")
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["backend_not_found"]


# kubernetes-sigs/gateway-api#1932 (listener refused) and #1275 (its SslCertificate missing)
@pytest.mark.parametrize("err,expected", [
    ('TLS configuration not allowed when CertificateMap "gcp-xyz-com" is attached to the '
     'Gateway.', "listener_invalid"),
    ('SslCertificate "global/sslCertificates/web" does not exist.',
     "listener_certificate_invalid"),
])
def test_gke_listener_invalid_event(gw_run, tmp_path, err, expected):
    text = ("**What happened**:\n```\nWarning  SYNC    100s   sc-gateway-controller  failed to "
            'translate Gateway "kube-system/xyz-dev": Error GWCER105: Listener "https" is '
            f"invalid, err: {err}\n```\n")
    assert _causes(gw_run, tmp_path, text)[1][:1] == [expected]
