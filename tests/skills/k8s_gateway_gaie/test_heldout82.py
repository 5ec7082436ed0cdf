"""Held-out round 82 of check_routes.py. Ground truth:

- Envoy Gateway logged `gateway not found` as ERROR while reconciling a deleted Gateway's
  leftover Service/Deployment; PR #1364 made it an info (envoyproxy/gateway#1347).
- GRPCRoute is served at gateway.networking.k8s.io/v1 from Gateway API v1.1.0 (CHANGELOG/
  1.1-CHANGELOG.md "GRPCRoute has graduated to GA (v1)"); a controller asking for it against
  older CRDs that otherwise work needs a newer bundle (envoyproxy/gateway#3340).
- Gateway API v0.8.0's listener CEL rule refused a hostname-less listener beside a hostnamed one
  on the same port (kubernetes-sigs/gateway-api#2369, fixed in v0.8.1 by #2370); the message is
  the CRD's (apis/v1/gateway_types.go:251@v1.6.3).
- Istio used listener names (SectionName, dots allowed: apis/v1/shared_types.go@v1.6.3) as
  Service port names until istio/istio#53201 (istio/istio#53200).
- Istio's gateway deployment controller logs `apply failed: patch /v1, Kind=Service/NS/NAME:
  <API server error>` (pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go:463,851 at
  istio/istio 86c9f01; istio/istio#59374).
- The RBAC authorizer appends `RBAC: clusterrole.rbac.authorization.k8s.io "x" not found` when a
  binding names a role that does not exist (kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/
  rbac.go:127; llm-d-incubation/llm-d-modelservice#15).
- Go's TLS client reading a plain answer says `tls: first record does not look like a TLS
  handshake` (go1.26 src/crypto/tls/conn.go:669); Traefik dialled TLS to a port-443 backend
  without a BackendTLSPolicy (traefik/traefik#13247, fixed by #13935).
"""
from __future__ import annotations

import pytest

from .conftest import paste_findings
from .conftest import problem_causes as _causes

# --- a Gateway deleted, then its "not found" logged ------------------------------------------

# envoyproxy/gateway#1347, as pasted
_EG_DELETED = """\
*Repro steps*:
1. deploy an gateway cr, wait for envoyproxy deployment create
2. delete the gateway cr

```
2023-04-24T15:13:59.956+0800    ERROR   kubernetes/predicates.go:285    gateway not found       \
{"runner": "provider", "error": "Gateway.gateway.networking.k8s.io \\"eg\\" not found"}
```
"""


def test_not_found_log_after_delete_is_no_fault(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _EG_DELETED)
    assert _causes(gw_run, tmp_path, _EG_DELETED) == []
    assert "reconcile_after_delete" in [f["cause"] for f in found]


def test_kubectl_delete_and_klog_form_is_no_fault(gw_run, tmp_path):
    text = ("$ kubectl delete gateway eg -n default\ngateway.gateway.networking.k8s.io \"eg\" "
            "deleted\nE0424 15:13:59.956 1 predicates.go:285] gateway not found "
            "error=\"Gateway.gateway.networking.k8s.io \\\"eg\\\" not found\"\n")
    assert "parent_not_found" not in _causes(gw_run, tmp_path, text)


def test_a_route_still_naming_the_deleted_gateway_keeps_parent_not_found(gw_run, tmp_path):
    route = """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: eg}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""
    assert "parent_not_found" in _causes(gw_run, tmp_path, _EG_DELETED + route)


def test_not_found_log_without_a_delete_keeps_parent_not_found(gw_run, tmp_path):
    text = _EG_DELETED.replace("2. delete the gateway cr\n", "")
    assert _causes(gw_run, tmp_path, text)[:1] == ["parent_not_found"]


# --- a kind at a version newer than the installed bundle ------------------------------------

_EG_GRPC = """\
Error: failed to create provider Kubernetes: failted to create gatewayapi controller: no \
matches for kind "GRPCRoute" in version "gateway.networking.k8s.io/v1"
Literally nothing changed, the gateway was working fine for a week and it's just totally \
crashing now.
"""


def test_grpcroute_v1_beside_a_working_bundle_is_an_old_bundle(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _EG_GRPC)[:1] == ["crd_version_unsupported"]


def test_json_log_with_gateway_objects_in_paste_is_an_old_bundle(gw_run, tmp_path):
    text = ('{"level":"error","msg":"if kind is a CRD, it should be installed before calling '
            'Start","error":"no matches for kind \\"TLSRoute\\" in version '
            '\\"gateway.networking.k8s.io/v1\\""}\n---\n'
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            "metadata: {name: eg, namespace: default}\n"
            "spec:\n  gatewayClassName: eg\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n")
    assert _causes(gw_run, tmp_path, text)[:1] == ["crd_version_unsupported"]


def test_no_evidence_of_an_installed_bundle_stays_not_installed(gw_run, tmp_path):
    text = 'observed new pod crashing with `no matches for kind "TLSRoute" in version ' \
           '"gateway.networking.k8s.io/v1"`\n'
    assert _causes(gw_run, tmp_path, text)[:1] == ["crd_not_installed"]


# --- listener uniqueness refused for unique listeners ---------------------------------------

_V080 = """\
$ echo "apiVersion: gateway.networking.k8s.io/v1beta1
kind: Gateway
metadata:
  name: prod-web
spec:
  gatewayClassName: acme-lb
  listeners:
  - protocol: HTTP
    port: 80
    name: http
  - protocol: HTTP
    port: 80
    name: httphostname
    hostname: http.example" | kubectl create -f -
The Gateway "prod-web" is invalid: spec.listeners: Invalid value: "array": Combination of port, \
protocol and hostname must be unique for each listener
"""


def test_unique_listeners_refused_mean_the_crd_rule(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _V080)[:1] == ["crd_version_unsupported"]


def test_a_plain_yaml_manifest_then_apply_error(gw_run, tmp_path):
    text = """\
```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: Gateway
metadata:
  name: gw
spec:
  gatewayClassName: kong
  listeners:
  - name: http
    port: 80
    protocol: HTTP
  - name: https-a
    port: 443
    protocol: HTTPS
    hostname: a.example
```
Error from server (Invalid): error when creating "gw.yaml": Gateway.gateway.networking.k8s.io \
"gw" is invalid: spec.listeners: Invalid value: "array": Combination of port, protocol and \
hostname must be unique for each listener
"""
    assert _causes(gw_run, tmp_path, text)[:1] == ["crd_version_unsupported"]


def test_listeners_that_collide_keep_the_refusal(gw_run, tmp_path):
    text = _V080.replace("    hostname: http.example\" | kubectl create -f -",
                         "\" | kubectl create -f -")
    assert _causes(gw_run, tmp_path, text)[:1] in (["listener_invalid"], ["listener_conflict"])


# --- Istio: dotted listener names ------------------------------------------------------------

_ISTIO_GW = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: internal-gateway
  namespace: istio-ingress
spec:
  gatewayClassName: istio
  listeners:
  - name: LISTENER
    hostname: '*.example.com'
    port: 80
    protocol: HTTP

% kubectl get gtw -n istio-ingress
NAME               CLASS   ADDRESS   PROGRAMMED   AGE
internal-gateway   istio             False        9d
"""


def test_istio_dotted_listener_name_is_the_controllers_defect(gw_run, tmp_path):
    text = _ISTIO_GW.replace("LISTENER", "example.com")
    assert _causes(gw_run, tmp_path, text)[:1] == ["controller_contradicts_spec"]


def test_istio_dotted_name_with_a_status_condition(gw_run, tmp_path):
    text = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-ingress}
spec:
  gatewayClassName: istio
  listeners: [{name: api.example.com, port: 80, protocol: HTTP}]
status:
  conditions:
  - type: Programmed
    status: "False"
    reason: AddressNotAssigned
    message: Failed to assign to any requested addresses
"""
    assert _causes(gw_run, tmp_path, text)[:1] == ["controller_contradicts_spec"]


def test_istio_plain_listener_name_keeps_no_address(gw_run, tmp_path):
    text = _ISTIO_GW.replace("LISTENER", "http")
    assert _causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


def test_other_class_with_dotted_name_keeps_no_address(gw_run, tmp_path):
    text = _ISTIO_GW.replace("LISTENER", "example.com").replace(
        "gatewayClassName: istio", "gatewayClassName: eg").replace("   istio   ", "   eg      ")
    assert _causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


# --- Istio: the generated Service refused --------------------------------------------------

@pytest.mark.parametrize("error", [
    "Internal error occurred: failed to allocate a nodePort: range is full",
    'Service "gw-istio" is invalid: spec.ports[0].name: Invalid value: "example.com": a DNS-1123 '
    "label must consist of lower case alphanumeric characters",
])
def test_istio_service_apply_failed_means_no_address(gw_run, tmp_path, error):
    text = ("2026-03-10T10:21:07.741006Z     error   controllers     error handling "
            "istio-system/public-gateway, retrying (retry count: 3): apply failed: patch /v1, "
            f"Kind=Service/istio-system/public-gateway-istio: {error}   controller=gateway "
            "deployment\n")
    assert _causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


def test_istio_deployment_apply_failed_is_not_read_as_no_address(gw_run, tmp_path):
    text = ("2026-03-10T10:21:07Z error controllers error handling istio-system/gw, retrying "
            "(retry count: 1): apply failed: patch apps/v1, Kind=Deployment/istio-system/gw-istio: "
            "the server rejected our request\n")
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    # (a line this skill does not read is refused as input, exit 2: no finding at all)
    assert result.code == 2 or "gateway_no_address" not in [
        f["cause"] for f in result.doc["findings"]]


# --- RBAC: the bound role does not exist ---------------------------------------------------

def test_epp_forbidden_by_a_missing_clusterrole(gw_run, tmp_path):
    line = ('W0707 17:11:45.310073 1 reflector.go:569] pkg/mod/k8s.io/client-go@v0.32.4/tools/'
            'cache/reflector.go:251: failed to list *v1alpha2.InferenceModel: inferencemodels.'
            'inference.networking.x-k8s.io is forbidden: User "system:serviceaccount:llm:epp-sa" '
            'cannot list resource "inferencemodels" in API group "inference.networking.x-k8s.io" '
            'in the namespace "llm": RBAC: clusterrole.rbac.authorization.k8s.io "pod-read" not '
            'found\n')
    assert _causes(gw_run, tmp_path, line)[:1] == ["missing_permission"]


def test_json_log_forbidden_by_a_missing_role(gw_run, tmp_path):
    line = ('{"level":"error","msg":"failed to list","error":"pods is forbidden: User '
            '\\"system:serviceaccount:llm:epp\\" cannot list resource \\"pods\\" in API group '
            '\\"\\" in the namespace \\"llm\\": RBAC: role.rbac.authorization.k8s.io '
            '\\"epp-reader\\" not found"}\n')
    assert _causes(gw_run, tmp_path, line)[:1] == ["missing_permission"]


def test_epp_forbidden_without_a_missing_role_keeps_its_reading(gw_run, tmp_path):
    line = ('"inferencemodelrewrites.inference.networking.x-k8s.io is forbidden:  User '
            '\\"system:serviceaccount:llm:epp\\" cannot list resource \\"inferencemodelrewrites\\" '
            'in API group \\"inference.networking.x-k8s.io\\" in the namespace \\"llm\\""\n')
    assert _causes(gw_run, tmp_path, line)[:1] == ["endpoint_picker_misconfigured"]


# --- a gateway dialling TLS nobody asked for ----------------------------------------------

_TRAEFIK = """\
When I change the service port to 80 or 8080 the HTTPRoute works. Otherwise I only get an \
`Internal Server Error` and the following log entry:
```
2026-05-26T09:09:02Z ERR 500 Internal Server Error error="tls: first record does not look like \
a TLS handshake"
```
I don't have any BackendTLSPolicy active in my cluster.
"""


def test_tls_dial_without_policy_is_the_controllers_defect(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _TRAEFIK)[:1] == ["controller_contradicts_spec"]


def test_json_log_and_other_phrasing(gw_run, tmp_path):
    text = ('{"level":"error","status":502,"error":"remote error: tls: first record does not '
            'look like a TLS handshake"}\nThere is no BackendTLSPolicy for this service.\n')
    assert _causes(gw_run, tmp_path, text)[:1] == ["controller_contradicts_spec"]


def test_with_a_backendtlspolicy_in_the_paste_it_stays_silent(gw_run, tmp_path):
    text = ("2026-05-26T09:09:02Z ERR 500 Internal Server Error error=\"tls: first record does "
            "not look like a TLS handshake\"\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\n"
            "metadata: {name: web-tls, namespace: default}\n"
            "spec:\n  targetRefs: [{group: '', kind: Service, name: web}]\n"
            "  validation: {hostname: web.example, wellKnownCACertificates: System}\n")
    assert "controller_contradicts_spec" not in _causes(gw_run, tmp_path, text)
