"""Round-85 held-out families of check_routes.py (group gateway-a): a status write refused on
a status-only field printed without `status.`, Envoy Gateway's placeholder EmptyCluster chain
colliding with a listener's own chain, a strict-decoding refusal of a Gateway API field the
installed channel lacks, and Envoy's "Secret is not supplied by SDS".

Expected values: envoyproxy/gateway#5228 (fixed by #6445) and gateway-api apis/v1alpha2
policy_types.go PolicyStatus.Ancestors MaxItems=16; envoyproxy/gateway#9516 (fixed by PR
#10011) and #7866 (PR #8521); istio/istio#48878 and gateway-api 1.2-CHANGELOG.md
"Experimental Channel Additions"; cilium/cilium#45202 (fixed by #45203) and envoy
source/common/tls/ssl_socket.cc NotReadySslSocket."""
from __future__ import annotations

import pytest

from .conftest import paste_problems as _problems
from .conftest import problem_causes as _causes



# --- a status-only field refused without its `status.` prefix -----------------------------

def test_policy_ancestors_over_the_limit_is_a_refused_status_write(gw_run, tmp_path):
    # the held-out line (envoyproxy/gateway#5228, Envoy Gateway 1.3 provider log)
    line = ('{"runner": "provider", "name": "p", "namespace": "ns", "error": '
            '"BackendTLSPolicy.gateway.networking.k8s.io \\"p\\" is invalid: [ancestors: Too '
            'many: 17: must have at most 16 items, <nil>: Invalid value: \\"null\\": some '
            'validation rules were not checked because the object was invalid; correct the '
            'existing errors to complete validation]"}\n')
    assert _causes(gw_run, tmp_path, line) == ["status_update_rejected"]


def test_route_parents_over_the_limit_in_kubectl_form(gw_run, tmp_path):
    text = ('The HTTPRoute "r" is invalid: parents: Too many: 33: must have at most 32 '
            'items\n')
    assert _causes(gw_run, tmp_path, text) == ["status_update_rejected"]


def test_too_many_parent_refs_in_the_spec_stays_a_refused_route(gw_run, tmp_path):
    text = ('The HTTPRoute "r" is invalid: spec.parentRefs: Too many: 33: must have at most '
            '32 items\n')
    assert _causes(gw_run, tmp_path, text) == ["route_not_accepted"]


# --- Envoy Gateway's EmptyCluster placeholder colliding with a listener's chain -------------

_NACK = ("[2026-01-01 00:00:00.000][1][warning][config] [source/extensions/config_subscription/"
         "grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config."
         "listener.v3.Listener rejected: Error adding/updating listener(s) ns/gw/https: error "
         "adding listener '0.0.0.0:10443': filter chain '{a}' has the same matching rules "
         "defined as '{b}'. duplicate matcher is: {{}}\n")


@pytest.mark.parametrize("a,b", [
    ("EmptyCluster", "ns/gw/https"),        # the held-out line's order (envoyproxy/gateway#9516)
    ("ns/gw/https", "EmptyCluster"),        # the listener's chain added after the placeholder
])
def test_placeholder_chain_against_a_listener_chain_is_a_nack(gw_run, tmp_path, a, b):
    found = _problems(gw_run, tmp_path, _NACK.format(a=a, b=b))
    assert [f["cause"] for f in found] == ["xds_config_rejected"], found
    assert "10011" in found[0]["fix"], found


@pytest.mark.parametrize("a,b", [
    ("EmptyCluster", "EmptyCluster"),       # two placeholders (envoyproxy/gateway#7866)
    ("ns/gw/tls-a", "ns/gw/tls-b"),         # two listeners' own chains
])
def test_chains_of_two_listeners_stay_a_listener_conflict(gw_run, tmp_path, a, b):
    assert _causes(gw_run, tmp_path, _NACK.format(a=a, b=b)) == ["listener_conflict"]


# --- a Gateway API field the installed channel / release does not have ---------------------

def test_parent_ref_port_under_standard_crds_is_a_manifest_mismatch(gw_run, tmp_path):
    # the held-out lines (istio/istio#48878)
    text = (" kubectl apply -f samples/bookinfo/gateway-api/route-reviews-90-10.yaml\n"
            'Error from server (BadRequest): error when creating "samples/bookinfo/gateway-api/'
            'route-reviews-90-10.yaml": HTTPRoute in version "v1beta1" cannot be handled as a '
            'HTTPRoute: strict decoding error: unknown field "spec.parentRefs[0].port"\n')
    assert _causes(gw_run, tmp_path, text) == ["manifest_api_mismatch"]


def test_experimental_retry_field_in_another_version_is_a_manifest_mismatch(gw_run, tmp_path):
    text = ('Error from server (BadRequest): error when creating "r.yaml": HTTPRoute in '
            'version "v1" cannot be handled as a HTTPRoute: strict decoding error: unknown '
            'field "spec.rules[0].retry", unknown field "spec.rules[0].sessionPersistence"\n')
    assert _causes(gw_run, tmp_path, text) == ["manifest_api_mismatch"]


def test_a_misspelt_field_stays_a_refused_route(gw_run, tmp_path):
    text = ('Error from server (BadRequest): error when creating "r.yaml": HTTPRoute in '
            'version "v1" cannot be handled as a HTTPRoute: strict decoding error: unknown '
            'field "spec.parentRef"\n')
    assert _causes(gw_run, tmp_path, text) == ["route_not_accepted"]


def test_unknown_fields_reads_client_side_validation():
    from _gw.channel_fields import unknown_fields
    line = ('error: error validating "r.yaml": error validating data: ValidationError('
            'HTTPRoute.spec.parentRefs[0]): unknown field "port" in io.k8s.networking.gateway.'
            'v1beta1.HTTPRoute.spec.parentRefs; if you choose to ignore these errors, turn '
            'validation off with --validate=false')
    assert unknown_fields(line) == ["spec.parentRefs.port"]


# --- Envoy waiting on an SDS secret its controller never supplies --------------------------

@pytest.mark.parametrize("line", [
    "TLS error: Secret is not supplied by SDS",    # the held-out paste (cilium/cilium#45202)
    "upstream connect error or disconnect/reset before headers. reset reason: connection "
    "failure, transport failure reason: TLS error: Secret is not supplied by SDS",
])
def test_sds_secret_never_supplied(gw_run, tmp_path, line):
    found = _problems(gw_run, tmp_path, line + "\n")
    assert [f["cause"] for f in found] == ["controller_contradicts_spec"], found
    assert "SDS" in found[0]["fix"], found


def test_a_certificate_verify_failure_is_not_an_sds_contradiction(gw_run, tmp_path):
    text = ("upstream connect error or disconnect/reset before headers. reset reason: "
            "connection failure, transport failure reason: TLS_error:|268435581:SSL routines:"
            "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED\n")
    found = _problems(gw_run, tmp_path, text)
    assert "controller_contradicts_spec" not in [f["cause"] for f in found], found
