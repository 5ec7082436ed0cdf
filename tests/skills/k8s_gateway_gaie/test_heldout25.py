"""The round-25/26 held-out families of check_routes.py: a route condition's message pasted
alone (no reason, no object), GKE's route error code before a message that names no object,
and the Gateway API admission webhook's field errors (v0.5-v0.8, before CEL). Expected values:
the threads named at each test; nginx-gateway-fabric internal/controller/state/graph/
httproute.go (`All rules are invalid: %s`); gateway-api v0.8.0 pkg/admission (the webhook
validate.gateway.networking.k8s.io)."""
from __future__ import annotations

import pytest

from .conftest import problem_causes as _causes

# nginx/nginx-gateway-fabric#1688 (NGF 1.1.0 had no URLRewrite): the route's Accepted message
NGF_ALL_RULES = (
    'All rules are invalid: [spec.rules[0].filters[0].type: Unsupported value: "URLRewrite": '
    'supported values: "RequestRedirect", "RequestHeaderModifier", spec.rules[1].filters[0].type: '
    'Unsupported value: "URLRewrite": supported values: "RequestRedirect", '
    '"RequestHeaderModifier"]')


def test_a_condition_message_pasted_alone_is_read_whole(gw_run, tmp_path):
    # one finding for the whole message; its field errors name a filter type NGF 1.1.0 does
    # not support (httproute.go:700@v1.1.0 field.NotSupported on filters[].type): the
    # route_not_accepted of this message is the specific unsupported_filter (round 73)
    assert _causes(gw_run, tmp_path, NGF_ALL_RULES + "\n") == ["unsupported_filter"]


def test_a_wrapper_wording_cut_by_the_terminal_yields_to_its_paragraph(gw_run, tmp_path):
    # kubernetes-sigs/aws-load-balancer-controller (instance targets on a ClusterIP Service):
    # the first line alone is AWS's `Failed build model due to %s`
    text = ("```\nFailed build model due to TargetGroup port is empty.\nWhen using Instance "
            "targets, your service must be of type 'NodePort' or 'LoadBalancer'\n```\n")
    assert _causes(gw_run, tmp_path, text) == ["backend_target_type_mismatch"]


def test_gkes_route_error_code_alone(gw_run, tmp_path):
    # kserve/kserve#5319: a RegularExpression path GKE refused
    text = "GWCER104: Paths must start with a '/' character \"^/.*$\"\n"
    assert _causes(gw_run, tmp_path, text) == ["route_not_accepted"]


@pytest.mark.parametrize("line, cause", [
    # Kong/docs.konghq.com#5701 (Gateway API v0.7 webhook): an HTTPS listener without tls
    ('Error from server: error when creating "STDIN": admission webhook '
     '"validate.gateway.networking.k8s.io" denied the request: spec.listeners[1].tls: '
     'Forbidden: must be set for protocol HTTPS', "listener_invalid"),
    # NGINX Gateway Fabric's docs (resource validation, step 2): the webhook on a listener
    ('Error from server: error when creating "some-gateway.yaml": admission webhook '
     '"validate.gateway.networking.k8s.io" denied the request: spec.listeners[1].hostname: '
     'Forbidden: should be empty for protocol TCP', "listener_invalid"),
    # Envoy Gateway's docs (HTTP request mirroring): the webhook on a route
    ('Error from server: error when creating "STDIN": admission webhook '
     '"validate.gateway.networking.k8s.io" denied the request: spec.rules[0].filters: Invalid '
     'value: "RequestMirror": cannot be used multiple times in the same rule',
     "route_not_accepted"),
])
def test_the_gateway_api_webhooks_field_errors(gw_run, tmp_path, line, cause):
    assert _causes(gw_run, tmp_path, line + "\n") == [cause]


@pytest.mark.parametrize("text, cause", [
    # a Gateway whose data plane Service got no load balancer address (AddressNotAssigned)
    ("The Gateway never gets an address, it stays Programmed False.", "gateway_no_address"),
    # a backendRef to a Service that does not exist (ResolvedRefs=False BackendNotFound)
    ("The backend service referenced by the route does not exist.", "backend_not_found"),
    # a GatewayClass whose controllerName no running controller serves ("Waiting for
    # controller", gateway-api apis/v1/gatewayclass_types.go)
    ("The GatewayClass is not accepted by any controller.", "no_controller"),
    # an InferencePool whose endpointPickerRef names nothing that serves ext_proc
    ("The InferencePool has no endpoint picker so requests fail with 500.",
     "endpoint_picker_missing"),
])
def test_a_state_said_in_words(gw_run, tmp_path, text, cause):
    assert _causes(gw_run, tmp_path, text + "\n")[:1] == [cause]


@pytest.mark.parametrize("text", [
    "The InferencePool with endpoint picker works fine, but latency is high.",
    "The Gateway gets an address and routes work.",
])
def test_words_that_state_no_fault(gw_run, tmp_path, text):
    assert _causes(gw_run, tmp_path, text + "\n") == []
