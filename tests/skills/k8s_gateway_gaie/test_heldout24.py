"""The round-24 held-out families of check_routes.py: a GatewayClass status write refused on
supportedFeatures (Gateway API CRDs of another release than the controller's), the AGC ALB
controller skipping a Gateway that names no AGC resource, istiod's alpha-only listener
protocol, and requests sent without the route's path prefix. Expected values: the threads
named at each test; gateway-api apis/v1/gatewayclass_types.go (SupportedFeature objects since
v1.2.0)."""
from __future__ import annotations

import pytest

from .conftest import problem_causes as _causes



@pytest.mark.parametrize("line", [
    # istio/istio#51409: CRDs older than Istio 1.22 do not list GRPCRoute
    '2024-06-05T01:20:41.155340Z\terror\tstatus\tEncountered unexpected error updating status, '
    'will try again later: GatewayClass.gateway.networking.k8s.io "istio-waypoint" is invalid: '
    '[supportedFeatures[0]: Unsupported value: "GRPCRoute": supported values: "Gateway", '
    '"HTTPRoute"]',
    # cilium/cilium#35562: v1.2.0 CRDs (objects) under Cilium 1.16.3 (strings)
    'level=error msg="Failed to update GatewayClass status" error="GatewayClass.gateway.'
    'networking.k8s.io \\"cilium\\" is invalid: [supportedFeatures[0]: Invalid value: '
    '\\"string\\": supportedFeatures[0] in body must be of type object: \\"string\\"]"',
])
def test_a_gatewayclass_status_refused_on_supported_features(gw_run, tmp_path, line):
    assert _causes(gw_run, tmp_path, line + "\n") == ["crd_version_unsupported"]


def test_the_agc_controller_skips_a_gateway_without_an_agc_resource(gw_run, tmp_path):
    # Azure-Samples/holiday-peak-hub#861 (ALB controller v1.9+)
    text = ("Without it, the controller skips the Gateway entirely (Gateway is not referencing "
            "a Application Gateway for Containers resource; skipping).\n")
    assert _causes(gw_run, tmp_path, text) == ["no_controller"]


def test_istiods_alpha_only_listener_protocol(gw_run, tmp_path):
    # istio/istio#59387 (fixed by #59693)
    text = ("you get a status error in a gateway with a listener containing `protocol: tls` "
            "that `protocol TLS is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true "
            "is configured`.\n")
    assert _causes(gw_run, tmp_path, text) == ["listener_invalid"]


def test_requests_without_the_routes_path_prefix(gw_run, tmp_path):
    # opendatahub-io/opendatahub-tests#1750
    text = ("used `status.addresses[0].url` which resolves to the gateway address - a bare "
            "gateway IP without the `/<namespace>/<name>` path prefix. This caused all "
            "inference requests to return HTTP 404 from the gateway.\n")
    assert _causes(gw_run, tmp_path, text) == ["request_not_routed"]
