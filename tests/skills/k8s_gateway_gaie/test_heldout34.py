"""Round-34 families of check_routes.py: a controller built for a Gateway API version that the
installed, newer CRDs no longer serve (crd_version_unsupported, not crd_not_installed), the
client scheme's `no kind is registered` for an optional kind whose CRD is absent, and a
controller's own error ranked before the "Waiting for controller" it explains. Expected values:
the threads named at each test; which versions each bundle serves from kubernetes-sigs/
gateway-api config/crd/{standard,experimental} at the tags named."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import problem_causes as _causes

_SKILLS = Path(__file__).resolve().parents[3] / "skills"
sys.path[:0] = [str(_SKILLS / "_shared"), str(_SKILLS / "k8s-gateway-gaie" / "scripts")]
from _gw import superseded  # noqa: E402

# agentgateway/agentgateway#1110 (Gateway API v1.5.0: TLSRoute v1 only; the controller still
# listed v1alpha2; fixed by PR #1123)
AGW_LOG = ('{"level":"error","time":"2026-03-03T22:58:31.128847Z","msg":"watch error in '
           'cluster : failed to list *v1alpha2.TLSRoute: the server could not find the requested '
           'resource (get tlsroutes.gateway.networking.k8s.io)"}\n')
AGW_CRD = ("kubectl get crd tlsroutes.gateway.networking.k8s.io -o jsonpath='{range "
           ".spec.versions[*]}{.name}{\"\\t\"}served={.served}{\"\\t\"}storage={.storage}{\"\\n\"}"
           "{end}'\nv1      served=true     storage=true\nv1alpha2        served=false    "
           "storage=false\nv1alpha3        served=false    storage=false\n")
# kubernetes-sigs/kubespray#13222 (cilium 1.19 on Gateway API v1.5.1 standard)
CILIUM_FATAL = ('level=fatal msg="failed to start: failed to populate object graph: failed to '
                'create gateway controller: failed to setup reconciler: failed to setup field '
                'indexer \\"gatewayTLSRouteIndex\\": no matches for kind \\"TLSRoute\\" in version '
                '\\"gateway.networking.k8s.io/v1alpha2\\""\n')


def test_a_served_listing_newer_than_the_request_is_a_version_mismatch(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, AGW_LOG + "\n" + AGW_CRD)[0] == "crd_version_unsupported"


def test_the_request_alone_cannot_tell_an_absent_crd_from_a_newer_one(gw_run, tmp_path):
    # before v1.5 the standard bundle had no TLSRoute at all: the CRD may simply be absent
    assert _causes(gw_run, tmp_path, CILIUM_FATAL) == ["crd_not_installed"]


@pytest.mark.parametrize("release, cause", [
    ("Gateway API CRDs v1.5.1 (standard channel) are installed.", "crd_version_unsupported"),
    ("We installed gateway-api v1.4.1 standard-install.yaml.", "crd_not_installed"),
    # the experimental channel still serves TLSRoute v1alpha2 at v1.6.1
    ("Gateway API v1.6.1 experimental-install.yaml is applied.", "crd_not_installed"),
])
def test_a_named_release_decides_by_what_its_bundle_serves(gw_run, tmp_path, release, cause):
    assert _causes(gw_run, tmp_path, release + "\n\n" + CILIUM_FATAL)[0] == cause


def test_a_user_stating_the_version_is_not_served(gw_run, tmp_path):
    # traefik/traefik#13622 (the user's own sentence; v1.6.1 standard: TCPRoute v1alpha2
    # served: false)
    text = ("Gateway API CRDs installed: standard channel, v1.6.1 (TCPRoute/TLSRoute serve v1 "
            "only; v1alpha2 is served: false).\n")
    assert _causes(gw_run, tmp_path, text)[0] == "crd_version_unsupported"


def test_a_served_listing_older_than_the_request_is_an_absent_version(gw_run, tmp_path):
    # Envoy Gateway 1.8 reads TLSRoute v1; CRDs not upgraded serve only the alphas
    # (rwlove/home-ops#2664 family)
    text = ('error: no matches for kind "TLSRoute" in version "gateway.networking.k8s.io/v1"\n\n'
            "kubectl get crd tlsroutes.gateway.networking.k8s.io -o json | jq ...\n"
            "v1alpha2 served=true\nv1alpha3 served=true\n")
    assert _causes(gw_run, tmp_path, text)[0] == "crd_not_installed"


@pytest.mark.parametrize("kind, version, stop_standard", [
    # gateway-api config/crd/standard at the tags: served: false (or gone) from these releases
    ("tlsroute", "v1alpha2", (1, 5)), ("tcproute", "v1alpha2", (1, 6)),
    ("grpcroute", "v1alpha2", (1, 1)), ("referencegrant", "v1alpha2", (1, 1)),
    ("backendtlspolicy", "v1alpha3", (1, 4)), ("httproute", "v1alpha2", (0, 8)),
])
def test_the_table_of_superseded_versions(kind, version, stop_standard):
    assert superseded._STOPS[(kind, version)][1] == stop_standard


def test_scheme_without_the_optional_kind(gw_run, tmp_path):
    # cilium/cilium#38420 (fixed by #38874): the operator lists TLSRoutes with only the
    # standard bundle installed; its Gateway stays "Waiting for controller"
    text = ("kubectl -n default describe gateways.gateway.networking.k8s.io test-gateway\n"
            "Name:         test-gateway\nStatus:\n  Conditions:\n"
            "    Last Transition Time:  1970-01-01T00:00:00Z\n"
            "    Message:               Waiting for controller\n    Reason:                "
            "Pending\n    Status:                Unknown\n    Type:                  Accepted\n"
            "---\n```\nno kind is registered for the type v1alpha2.TLSRouteList in scheme "
            '\\"k8s.io/client-go/kubernetes/scheme/register.go:83\\"\n```\n')
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "crd_not_installed" and "no_controller" in causes
