"""Held-out rounds 67-68 of check_routes.py. Ground truth, per rule:

- an empty condition in a controller's status write is refused by the CRD schema (metav1.
  Condition: reason MinLength=1, type a pattern, status an enum: k8s.io/apimachinery v0.37.2
  pkg/apis/meta/v1/types.go:1650-1688); the write carries no verdict, so the status in the
  cluster is stale (nginx/nginx-gateway-fabric#582, the NKG statusUpdater's JSON log).
- the API server that cannot call a fail-closed webhook refuses the request with `failed
  calling webhook %q: %v` (k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go); `no endpoints
  available for service %q` is its proxy's words for a webhook Service without endpoints
  (pkg/util/proxy/proxy.go:78). The Gateway API's own webhook validate.gateway.networking.
  k8s.io (gateway-api v0.8.1 config/webhook/admission_webhook.yaml, failurePolicy Fail) not
  running: nginx/nginx-gateway-fabric#336 (the maintainer: it is not running, install only the
  CRDs).
- a webhook whose name says an API version is deprecated refuses manifests in that version
  (l7mp/stunner#101: GKE's `gateway-api-alpha-deprecated-use-beta-version.gke.io` and a
  v1alpha2 GatewayClass; v1beta1 applied).
- a listener's attachedRoutes counts every route Accepted=True on it (gateway-api v1.6.3
  apis/v1/gateway_types.go:1388-1404): a route said attached while the Gateway counts 0 is
  the controller contradicting itself (l7mp/stunner#90, confirmed by the maintainer).
- routes failing since a controller upgrade with healthy statuses: cilium/cilium#45050 (a
  1.19.2 regression, fixed by #45371).
- a setting accepted that the generated config omits: envoyproxy/gateway#9095 (fixed by
  #9131, which now rejects it).
- an object that referenced a missing one, never accepted once that was created:
  Kong/kong-operator#2160 (no watch on the referenced kind, fixed by #2161); the same
  pattern as envoyproxy/gateway#9614.
"""
from __future__ import annotations

from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# nginx/nginx-gateway-fabric#582, the statusUpdater's JSON log line as the PR quotes it (cut
# after the first stack frame, as stored)
_NKG_JSON = (
    '{"level":"error","ts":"2023-04-18T15:37:49Z","logger":"statusUpdater","msg":"Failed to '
    'update status","namespace":"default","name":"coffee","kind":"HTTPRoute","error":"HTTPRoute'
    '.gateway.networking.k8s.io \\"coffee\\" is invalid: [status.parents[0].conditions[1].reason: '
    'Invalid value: \\"\\": status.parents[0].conditions[1].reason in body should be at least 1 '
    'chars long, status.parents[0].conditions[1].status: Unsupported value: \\"\\": supported '
    'values: \\"True\\", \\"False\\", \\"Unknown\\", status.parents[0].conditions[1].type: Invalid '
    'value: \\"\\": status.parents[0].conditions[1].type in body should match \'^([a-z0-9]([-a-z0-'
    '9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-'
    '9])$\']","stacktrace":"github.com/nginxinc/nginx-kubernetes-gateway/internal/status.(*updat'
    'erImpl).update\\n\\t/home/runner/work/internal/status/updater.go:168\n')


def test_an_empty_condition_refused_in_a_json_log_is_status_update_rejected(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _NKG_JSON)
    assert (found[0]["cause"], found[0]["basis"]) == ("status_update_rejected", "reported")


def test_an_empty_reason_refused_in_klog_text_is_status_update_rejected(gw_run, tmp_path):
    # the same refusal in a klog/logr text line (err="..." with escaped quotes), a GRPCRoute
    # and the apimachinery `Required value` form of an empty reason
    text = ('E0418 15:37:49.123456       1 updater.go:168] "Failed to update status" err="GRPCRoute'
            '.gateway.networking.k8s.io \\"grpc\\" is invalid: status.parents[0].conditions[0]'
            '.reason: Required value" kind="GRPCRoute"\n')
    assert _causes(gw_run, tmp_path, text)[0] == "status_update_rejected"


def test_an_empty_condition_refused_in_logfmt_is_status_update_rejected(gw_run, tmp_path):
    text = ('level=error msg="failed to update status" error="Gateway.gateway.networking.k8s.io '
            '\\"gw\\" is invalid: status.conditions[0].reason: Invalid value: \\"\\": status.'
            'conditions[0].reason in body should be at least 1 chars long" name=gw\n')
    assert _causes(gw_run, tmp_path, text)[0] == "status_update_rejected"


def test_a_refused_reason_with_text_stays_the_controllers_verdict(gw_run, tmp_path):
    # near miss: the reason holds the controller's words (envoyproxy/gateway#8857 joined two
    # reasons): not an empty condition, so not status_update_rejected
    text = ('HTTPRoute.gateway.networking.k8s.io "r" is invalid: status.parents[0].conditions[0]'
            '.reason: Invalid value: "BackendNotFound,RefNotPermitted": status.parents[0]'
            '.conditions[0].reason in body should match \'^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$\'\n')
    assert "status_update_rejected" not in _causes(gw_run, tmp_path, text)


# nginx/nginx-gateway-fabric#336, as the issue pastes it
_WEBHOOK_REFUSED = (
    "```bash\nkubectl apply -f deploy/manifests/gatewayclass.yaml\n```\n"
    'Error from server (InternalError): error when creating "deploy/manifests/gatewayclass.yaml"'
    ': Internal error occurred: failed calling webhook "validate.gateway.networking.k8s.io": '
    'Post "https://gateway-api-admission-server.gateway-system.svc:443/validate?timeout=10s": '
    "dial tcp 10.111.55.121:443: connect: connection refused\n")


def test_a_webhook_the_apiserver_cannot_call_is_admission_webhook_denied(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _WEBHOOK_REFUSED)
    assert (found[0]["cause"], found[0]["basis"]) == ("admission_webhook_denied", "reported")
    assert "Deployment" in found[0]["fix"]


def test_a_webhook_without_endpoints_is_admission_webhook_denied(gw_run, tmp_path):
    # another webhook and the apiserver proxy's `no endpoints available for service %q`
    text = ('Error from server (InternalError): error when creating "route.yaml": Internal error '
            'occurred: failed calling webhook "validate.policy.example.io": failed to call '
            'webhook: Post "https://policy-webhook.policy-system.svc:443/validate?timeout=10s": '
            'no endpoints available for service "policy-webhook"\n'
            "kind: HTTPRoute\n")
    assert _causes(gw_run, tmp_path, text)[0] == "admission_webhook_denied"


# l7mp/stunner#101, the apiserver's answer as the issue pastes it
_GKE_ALPHA = (
    "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GatewayClass\nmetadata:\n  name: "
    "stunner-gatewayclass\nspec:\n  controllerName: \"stunner.l7mp.io/gateway-operator\"\n\n"
    'Error from server (InternalError): error when creating "STDIN": Internal error occurred: '
    'failed calling webhook "gateway-api-alpha-deprecated-use-beta-version.gke.io": failed to '
    'call webhook: Post "https://gateway-api-alpha-deprecated-use-beta-version.kube-system.svc:'
    '443/?timeout=1s": service "gateway-api-alpha-deprecated-use-beta-version" not found\n')


def test_a_webhook_named_for_a_deprecated_version_is_manifest_api_mismatch(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _GKE_ALPHA)
    assert found[0]["cause"] == "manifest_api_mismatch"
    assert "v1" in found[0]["fix"]


def test_a_webhook_denial_saying_the_version_is_deprecated_is_manifest_api_mismatch(
        gw_run, tmp_path):
    # the denial form: the webhook's message names the version and says it is deprecated
    text = ('Error from server: error when creating "gw.yaml": admission webhook "versions.'
            'example.io" denied the request: gateway.networking.k8s.io/v1alpha2 Gateway is '
            'deprecated and no longer served, use v1\n')
    assert _causes(gw_run, tmp_path, text)[0] == "manifest_api_mismatch"


def test_a_plain_webhook_call_failure_is_not_a_version_mismatch(gw_run, tmp_path):
    # near miss: nothing in the webhook's name or the error speaks of a version
    causes = _causes(gw_run, tmp_path, _WEBHOOK_REFUSED)
    assert "manifest_api_mismatch" not in causes


def test_a_denial_saying_deprecated_without_a_version_is_not_a_mismatch(gw_run, tmp_path):
    text = ('Error from server: error when creating "r.yaml": admission webhook "v.example.io" '
            'denied the request: the annotation example.io/timeout is deprecated\nkind: '
            'HTTPRoute\n')
    assert "manifest_api_mismatch" not in _causes(gw_run, tmp_path, text)


# l7mp/stunner#90, the report's sentence
_ATTACHED_ZERO = (
    "When I'm using UDPRoute in app's namespace (and allowed all namespaces on the listener) - "
    "the route seems attached in route status, but on Gateway status there are 0 attached "
    "routes. My clients also cannot connect to the backend app and are getting permission "
    "denied from the stunner.\n")


def test_a_route_attached_while_the_gateway_counts_none_contradicts(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _ATTACHED_ZERO)
    assert (found[0]["cause"], found[0]["basis"]) == ("controller_contradicts_spec", "inferred")
    assert "attachedRoutes" in found[0]["message"]


def test_route_status_accepted_and_attachedroutes_zero_contradicts(gw_run, tmp_path):
    text = ("My HTTPRoute status shows Accepted=True for the Gateway, however the Gateway "
            "listener reports attachedRoutes: 0 and requests get 404.\n")
    assert _causes(gw_run, tmp_path, text)[0] == "controller_contradicts_spec"


def test_a_route_not_attached_and_zero_attached_routes_agree(gw_run, tmp_path):
    # near miss: both statuses say the route is not attached: no contradiction
    text = ("The HTTPRoute is not accepted by the Gateway and the Gateway listener shows 0 "
            "attached routes, so requests fail with 404.\n")
    assert "controller_contradicts_spec" not in _causes(gw_run, tmp_path, text)


# cilium/cilium#45050, the report's first sentence
_UPGRADE = ("After upgrading cilium to 1.19.2 TLSRoutes start timeouting, though both gateway "
            "and tlsroute statuses show business as usual.\n")


def test_routes_failing_since_an_upgrade_with_healthy_status_contradict(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _UPGRADE)
    assert (found[0]["cause"], found[0]["basis"]) == ("controller_contradicts_spec", "inferred")


def test_another_controller_upgrade_with_accepted_status_contradicts(gw_run, tmp_path):
    text = ("Since updating Envoy Gateway to v1.4.0 our HTTPRoutes fail with 503 while the "
            "route status says Accepted.\n")
    assert _causes(gw_run, tmp_path, text)[0] == "controller_contradicts_spec"


def test_an_upgrade_without_a_healthy_status_is_not_a_contradiction(gw_run, tmp_path):
    # near miss: nothing says the status is healthy
    text = "After upgrading cilium to 1.19.2 TLSRoutes start timing out on the gateway.\n"
    assert "controller_contradicts_spec" not in _causes(gw_run, tmp_path, text)


# envoyproxy/gateway#9095, the report's sentences
_REWRITE_OMITTED = (
    "`URLRewrite` path filters under `backendRefs[].filters` are accepted on an `HTTPRoute`, "
    "but the generated Envoy route config does not include the rewrite. The backend receives "
    "the original path.\n\n### Observed behavior\nThe route is accepted, but generated Envoy "
    "config has no rewrite fields.\n")


def test_an_accepted_setting_the_generated_config_omits_contradicts(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _REWRITE_OMITTED)
    assert (found[0]["cause"], found[0]["basis"]) == ("controller_contradicts_spec", "inferred")


def test_an_accepted_filter_missing_from_the_xds_dump_contradicts(gw_run, tmp_path):
    text = ("The HTTPRoute with a RequestMirror filter is accepted, but the xDS config dump "
            "has no request_mirror_policies for the route.\n")
    assert _causes(gw_run, tmp_path, text)[0] == "controller_contradicts_spec"


def test_accepted_but_failing_traffic_alone_is_not_a_contradiction(gw_run, tmp_path):
    # near miss: a failing request has many causes besides the controller
    text = "The HTTPRoute is accepted, but requests through the gateway fail with 503.\n"
    assert "controller_contradicts_spec" not in _causes(gw_run, tmp_path, text)


# Kong/kong-operator#2160, the report's steps
_CREATED_LATER = (
    "## Current Behavior\nCreate GatewayClass referencing non existent GatewayConfiguration\n"
    "Create GatewayConfiguration\nGatewayClass never enters Accepted state\n\n"
    "## Expected Behavior\nGatewayClass enters Accepted state once GatewayConfiguration has "
    "been recognized and reconciled\n")


def test_a_referent_created_later_and_never_accepted_is_stale_status(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _CREATED_LATER)
    assert (found[0]["cause"], found[0]["basis"]) == ("stale_status", "inferred")


def test_a_secret_created_after_the_gateway_is_stale_status(gw_run, tmp_path):
    text = ("I applied a Gateway referencing a missing Secret in its listener. Then I created "
            "the `tls-cert` Secret, but the Gateway never becomes Programmed.\n")
    assert _causes(gw_run, tmp_path, text)[0] == "stale_status"


def test_a_referent_never_created_is_not_stale_status(gw_run, tmp_path):
    # near miss: the referenced object was never created, so the verdict is current
    text = ("The GatewayClass is referencing a non existent GatewayConfiguration and never "
            "enters Accepted state.\n")
    assert "stale_status" not in _causes(gw_run, tmp_path, text)


# The same contradiction read from the objects: a route parent Accepted=True beside a Gateway
# whose listeners count 0 attachedRoutes (gateway-api v1.6.3 apis/v1/gateway_types.go:1401-1404:
# "The AttachedRoutes number represents the number of Routes with the Accepted condition set
# to "True" that have been attached to this Listener").
_DUMP = """apiVersion: v1
kind: List
items:
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: {name: gw, namespace: infra, generation: 1}
  spec:
    gatewayClassName: example
    listeners:
    - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
    - {name: admin, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  status:
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
    - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}
    listeners:
    - {name: http, attachedRoutes: HTTP_COUNT, conditions: []}
    - {name: admin, attachedRoutes: 1, conditions: []}
- apiVersion: gateway.networking.k8s.io/v1alpha2
  kind: UDPRoute
  metadata: {name: media, namespace: app, generation: 1}
  spec:
    parentRefs: [{name: gw, namespace: infra, sectionName: http}]
    rules: [{backendRefs: [{name: media, port: 3478}]}]
  status:
    parents:
    - parentRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw, namespace: infra,
                  sectionName: http}
      controllerName: example.com/gateway-controller
      conditions:
      - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
"""


def test_a_route_accepted_on_a_listener_counting_zero_is_reported(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _DUMP.replace("HTTP_COUNT", "0"))
    hit = [f for f in found if f["cause"] == "controller_contradicts_spec"]
    assert hit and hit[0]["basis"] == "reported"
    assert hit[0]["object"]["kind"] == "UDPRoute"


def test_a_route_accepted_on_a_listener_that_counts_it_is_silent(gw_run, tmp_path):
    # near miss: the named listener counts the route (another listener's count is not read)
    found = _findings(gw_run, tmp_path, _DUMP.replace("HTTP_COUNT", "1"))
    assert "controller_contradicts_spec" not in [f["cause"] for f in found]
