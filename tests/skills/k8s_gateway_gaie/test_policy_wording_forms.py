"""Policy, EnvoyProxy and AWS LBC listener wordings in the forms users paste them beyond the
catalogue test's: under the `kubectl describe <kind> NAME` line that printed them (kubectl's
alphabetical Type/Status/Reason/Message lines, indented and with the indentation lost), and
as a controller's log line carrying the message.

Expected causes are the catalogue rows' (skills/k8s-gateway-gaie/references/catalogue/*.yaml),
which cite each wording's upstream file: envoyproxy/gateway v1.9.0 internal/gatewayapi
(securitypolicy.go, backendtrafficpolicy.go, clienttrafficpolicy.go, envoypatchpolicy.go,
listener.go, translator.go), kubernetes-sigs/aws-load-balancer-controller v3.5.0
pkg/gateway/routeutils and controllers/gateway, nginx/nginx-gateway-fabric v2.6.7
internal/controller/state/graph/policies.go. The resource names on the command lines are the
CRDs' own (Envoy Gateway api/v1alpha1 kubebuilder shortName: btp, ctp, sp, eep, epp).
"""
from __future__ import annotations

import json

import pytest

from .conftest import problem_causes
from .test_gateway_catalogue import ROWS, describe_for, example

# (catalogue component:id, what the user ran to print it)
DESCRIBED = [
    ("envoy-gateway:pol-overridden", "kubectl describe securitypolicy my-policy"),
    ("envoy-gateway:pol-overridden", "kubectl describe sp my-policy"),
    ("envoy-gateway:ctp-overridden", "kubectl describe ctp my-policy"),
    ("envoy-gateway:ctp-shared-http-port", "kubectl describe clienttrafficpolicy my-policy"),
    ("envoy-gateway:btp-global-ratelimit-disabled", "kubectl describe btp my-policy"),
    ("envoy-gateway:sp-oidc-discovery-failed", "kubectl describe sp my-policy"),
    ("envoy-gateway:sp-oidc-discovery-transient", "kubectl describe securitypolicy my-policy"),
    ("envoy-gateway:eep-wasm-cache-uninitialized", "kubectl describe eep my-extension"),
    ("envoy-gateway:eep-lua-disabled", "kubectl describe envoyextensionpolicy my-extension"),
    ("envoy-gateway:epp-disabled", "kubectl describe epp my-patch"),
    ("envoy-gateway:epp-target-kind", "kubectl describe envoypatchpolicy my-patch"),
    ("envoy-gateway:epp-merged-class-missing", "kubectl describe envoypatchpolicy my-patch"),
    ("envoy-gateway:epp-xds-missing", "kubectl describe envoypatchpolicy my-patch"),
    ("envoy-gateway:epp-xds-invalid", "kubectl describe epp my-patch"),
    ("envoy-gateway:pol-no-section-gateway", "kubectl describe sp my-policy"),
    ("envoy-gateway:gw-envoyproxy-accesslog-backend", "kubectl describe gateway eg"),
    ("envoy-gateway:gw-envoyproxy-tracing-backend", "kubectl describe gateway eg"),
    ("envoy-gateway:gw-merge-gateways-and-backends", "kubectl describe gateway eg"),
    ("envoy-gateway:gw-address-type-unsupported", "kubectl describe gateway eg"),
    ("aws-load-balancer-controller:rt-lrc-not-found", "kubectl describe httproute web"),
    ("aws-load-balancer-controller:rt-lrc-not-accepted", "kubectl describe httproute web"),
    ("aws-load-balancer-controller:rt-lrc-multiple", "kubectl describe httproute web"),
    ("aws-load-balancer-controller:rt-listener-hostname-invalid",
     "kubectl describe httproute web"),
    ("aws-load-balancer-controller:gw-lrc-not-found", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:class-lbc-not-found", "kubectl describe gatewayclass alb"),
    ("aws-load-balancer-controller:class-lbc-namespace-required",
     "kubectl describe gatewayclass alb"),
    ("aws-load-balancer-controller:ls-route-kind-invalid", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:ls-port-unavailable", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:ls-protocol-unsupported", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:ls-protocol-conflict", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:ls-hostname-conflict", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:ls-not-accepted", "kubectl describe gateway alb"),
    ("aws-load-balancer-controller:ls-pending", "kubectl describe gateway alb"),
    ("nginx-gateway-fabric:pol-target-not-found", "kubectl describe clientsettingspolicy csp"),
    ("nginx-gateway-fabric:pol-target-invalid", "kubectl describe observabilitypolicy obs"),
    ("nginx-gateway-fabric:pol-parent-gateway-invalid",
     "kubectl describe clientsettingspolicy csp"),
    ("nginx-gateway-fabric:pol-conflicts", "kubectl describe clientsettingspolicy csp"),
    ("nginx-gateway-fabric:btlsp-conflicts", "kubectl describe backendtlspolicy tls"),
    ("nginx-gateway-fabric:btlsp-no-ca", "kubectl describe backendtlspolicy tls"),
]
_BY_ID = dict(ROWS)


def _described(rid: str, command: str, flat: bool) -> str:
    text = f"$ {command} -n default\n" + describe_for(_BY_ID[rid])
    return "\n".join(line.strip() for line in text.splitlines()) + "\n" if flat else text


@pytest.mark.parametrize("flat", [False, True], ids=["indented", "indentation-lost"])
@pytest.mark.parametrize("rid,command", DESCRIBED, ids=[f"{r}|{c.split()[2]}"
                                                         for r, c in DESCRIBED])
def test_a_condition_under_its_describe_command(gw_run, tmp_path, rid, command, flat):
    causes = problem_causes(gw_run, tmp_path, _described(rid, command, flat))
    assert causes[:1] == [_BY_ID[rid]["cause"]], causes


@pytest.mark.parametrize("rid", sorted({r for r, _ in DESCRIBED} - {
    # `No section name %s found for Gateway %s` is also a route's (route.go): a log line
    # does not say whose it is
    "envoy-gateway:pol-no-section-gateway"}))
def test_the_message_in_a_controller_log_line(gw_run, tmp_path, rid):
    line = json.dumps({"level": "error", "ts": "2026-12-01T10:00:00Z", "msg": "Reconciler error",
                       "controller": "gateway", "error": example(_BY_ID[rid])})
    assert problem_causes(gw_run, tmp_path, line + "\n")[:1] == [_BY_ID[rid]["cause"]]


def test_the_envoyproxy_log_line_names_the_class(gw_run, tmp_path):
    # envoyproxy/gateway v1.9.0 internal/gatewayapi/translator.go:473 (the GatewayClass is
    # then refused with InvalidParameters)
    line = example(_BY_ID["envoy-gateway:log-envoyproxy-invalid"])
    assert problem_causes(gw_run, tmp_path, line + "\n")[:1] == ["gateway_class_not_accepted"]


OVERRIDDEN = """apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {name: gateway-auth, namespace: default, generation: 1}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg}]
status:
  ancestors:
  - ancestorRef: {group: gateway.networking.k8s.io, kind: Gateway, name: eg, namespace: default}
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, message: Policy has been accepted.,
       observedGeneration: 1, lastTransitionTime: "2026-12-01T10:00:00Z"}
    - {type: Overridden, status: "True", reason: Overridden, observedGeneration: 1,
       lastTransitionTime: "2026-12-01T10:00:00Z",
       message: "This policy is being overridden by other securityPolicies for these routes: [default/api]"}
"""
ROUTE_BACKEND_MISSING = """---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default, generation: 1}
spec:
  parentRefs: [{name: eg}]
  rules: [{backendRefs: [{name: web-svc, port: 80}]}]
status:
  parents:
  - parentRef: {name: eg}
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    conditions:
    - {type: ResolvedRefs, status: "False", reason: BackendNotFound, observedGeneration: 1,
       message: Service default/web-svc not found, lastTransitionTime: "2026-12-01T10:00:00Z"}
"""


def test_an_overridden_policy_is_a_warning_after_any_error(gw_run, tmp_path):
    # envoyproxy/gateway api/v1alpha1/shared_types.go:54@v1.9.0: the policy is applied
    # (Accepted=True); only the listed routes have their own policy of the kind
    assert problem_causes(gw_run, tmp_path, OVERRIDDEN) == ["policy_conflicted"]
    causes = problem_causes(gw_run, tmp_path, OVERRIDDEN + ROUTE_BACKEND_MISSING)
    assert causes[0] == "backend_not_found" and "policy_conflicted" in causes


def test_the_ancestors_kind_is_not_the_described_objects(gw_run, tmp_path):
    # describe prints a policy's ancestor as `Ancestor Ref:` / `Group:` / `Kind: Gateway`: the
    # condition below it is the policy's (TargetNotFound), not a Gateway's or route's
    text = _described("envoy-gateway:pol-no-section-gateway",
                      "kubectl describe securitypolicy my-policy", flat=False)
    assert problem_causes(gw_run, tmp_path, text) == ["policy_target_not_found"]


@pytest.mark.parametrize("msg", ["failed to start wasm cache",
                                 "Failed to create Wasm cache directory"])
def test_the_controllers_wasm_cache_log(gw_run, tmp_path, msg):
    # envoyproxy/gateway v1.9.0 internal/gatewayapi/runner/runner.go:181, :193: no Wasm
    # EnvoyExtensionPolicy is applied then (envoyextensionpolicy.go:1568)
    line = json.dumps({"level": "error", "ts": "2026-12-01T10:00:00Z", "logger": "gateway-api",
                       "msg": msg, "runner": "gateway-api",
                       "error": "mkdir /var/lib/eg/wasm: no space left on device"})
    assert problem_causes(gw_run, tmp_path, line + "\n")[:1] == ["policy_invalid"]
