"""One-line pastes about a gateway: a program's reflector that cannot list a Gateway API kind,
the CRDs' default condition as a `Reason: message` line, Envoy's own answers (a route timeout,
a connection that failed), and reports in words that a Gateway has no address or is not
programmed. Expected values: client-go v0.37.2 tools/cache/reflector.go ("Failed to watch",
"failed to list %v: %w"; older releases "Failed to list %v: %v"); gateway-api v1.6.3
config/crd/standard/*.yaml (default condition Pending "Waiting for controller"); Envoy
docs/root/faq/configuration/timeouts.rst (route timeout, 15 s default, 504 "upstream request
timeout") and source/common/router/router.cc (reset reason "connection failure")."""
from __future__ import annotations

import pytest

from .conftest import problem_causes as _causes, paste_findings, paste_problems



@pytest.mark.parametrize("line", [
    # client-go v0.37.2, structured
    'E1105 10:01:02.123456 1 reflector.go:166] "Unhandled Error" err="sigs.k8s.io/gateway-api/'
    'pkg/client/informers/externalversions/factory.go:141: Failed to watch *v1.GRPCRoute: '
    'failed to list *v1.GRPCRoute: the server could not find the requested resource" '
    'logger="UnhandledError"',
    # client-go <= v0.2x, klog
    "E0101 10:01:02.123456 1 reflector.go:138] pkg/mod/k8s.io/client-go@v0.21.3/tools/cache/"
    "reflector.go:167: Failed to list *v1alpha2.HTTPRoute: the server could not find the "
    "requested resource (get httproutes.gateway.networking.k8s.io)",
])
def test_a_reflector_that_cannot_list_a_gateway_api_kind_is_a_missing_crd(gw_run, tmp_path,
                                                                           line):
    assert _causes(gw_run, tmp_path, line + "\n") == ["crd_not_installed"]


def test_a_forbidden_list_is_the_controllers_rbac_not_a_crd(gw_run, tmp_path):
    line = ('E1105 1 reflector.go:166] "Unhandled Error" err="Failed to watch *v1.GRPCRoute: '
            'failed to list *v1.GRPCRoute: grpcroutes.gateway.networking.k8s.io is forbidden: '
            'User \\"system:serviceaccount:kube-system:external-dns\\" cannot list resource '
            '\\"grpcroutes\\" in API group \\"gateway.networking.k8s.io\\" at the cluster scope"')
    assert _causes(gw_run, tmp_path, line + "\n") == ["controller_forbidden"]


def test_the_crds_default_condition_as_a_reason_line_is_no_controller(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, "Pending: Waiting for controller\n") == ["no_controller"]


def test_envoys_route_timeout_answer_is_a_missing_route_timeout(gw_run, tmp_path):
    text = ("$ curl -si http://gw.example.com/v1/completions\nHTTP/1.1 504 Gateway Timeout\n"
            "content-length: 24\n\nupstream request timeout\n")
    found = paste_problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found][:1] == ["no_timeouts"]
    assert "timeouts.request" in found[0]["fix"]


def test_a_connection_failure_to_a_service_backend_is_its_port(gw_run, tmp_path):
    text = ("upstream connect error or disconnect/reset before headers. reset reason: "
            "connection failure, transport failure reason: delayed connect error: 111\n")
    found = paste_problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["port_mismatch"]
    assert "targetPort" in found[0]["fix"]


def test_the_same_failure_behind_an_inference_pool_is_the_pools_target_port(gw_run, tmp_path):
    text = ("The InferencePool backend answers: upstream connect error or disconnect/reset "
            "before headers. reset reason: connection failure\n")
    assert _causes(gw_run, tmp_path, text) == ["pool_target_port_mismatch"]


@pytest.mark.parametrize("text", [
    "The GatewayClass is not accepted, its status is Unknown with reason Pending.",
    'The TLSRoute is not accepted: "TLSRoute is not supported by this listener".',
])
def test_a_one_line_report_naming_another_gateway_api_kind_is_read(gw_run, tmp_path, text):
    paste_findings(gw_run, tmp_path, text + "\n")   # exit 2 before: not a gateway report


@pytest.mark.parametrize("text, cause", [
    ("The Gateway has no address assigned, and the Service is LoadBalancer with EXTERNAL-IP "
     "<pending>.", "gateway_no_address"),
    ("kubectl get gateway shows PROGRAMMED False for the gateway.", "gateway_not_ready"),
])
def test_a_gateway_state_given_in_words_is_inferred(gw_run, tmp_path, text, cause):
    found = paste_problems(gw_run, tmp_path, text + "\n")
    assert [f["cause"] for f in found] == [cause]
    assert found[0]["basis"] == "inferred" and found[0]["confirm"]
