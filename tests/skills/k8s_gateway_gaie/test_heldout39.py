"""Round 39 (check_routes.py): a request for an API group a project renamed. Ground truth:
envoyproxy/gateway release-notes/v0.6.0.yaml ("Moved EnvoyProxy CRD from
`config.gateway.envoyproxy.io` to `gateway.envoyproxy.io`") and envoyproxy/gateway#3106 (old
docs applied to a newer install); kubernetes-sigs/gateway-api v0.4.0 (apis/v1alpha2 GroupName
gateway.networking.k8s.io; v0.3.0 and before networking.x-k8s.io) and
traefik/traefik-helm-chart#493 (2021: the old group current, its CRDs not installed)."""
from __future__ import annotations

from .conftest import problem_causes as _causes

EG_OLD_GROUP = ('error: resource mapping not found for name: "custom-proxy-config" namespace: '
                '"envoy-gateway-system" from "k8s/networking.yaml": no matches for kind '
                '"EnvoyProxy" in version "config.gateway.envoyproxy.io/v1alpha1"\n')
SERVICE_APIS = ('Error: unable to build kubernetes objects from release manifest: [unable to '
                'recognize "": no matches for kind "Gateway" in version '
                '"networking.x-k8s.io/v1alpha1"]\n')


def test_envoy_gateways_old_config_group_is_an_outdated_manifest(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, EG_OLD_GROUP)[0] == "crd_version_unsupported"


def test_the_service_apis_group_alone_is_crds_not_installed(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, SERVICE_APIS)[0] == "crd_not_installed"


def test_the_service_apis_group_beside_the_new_one_is_an_outdated_manifest(gw_run, tmp_path):
    text = SERVICE_APIS + ("$ kubectl api-resources | grep gateway\n"
                           "gateways   gtw   gateway.networking.k8s.io/v1   true   Gateway\n")
    assert _causes(gw_run, tmp_path, text)[0] == "crd_version_unsupported"


def test_the_inference_alpha_group_is_not_the_service_apis_group(gw_run, tmp_path):
    # inference.networking.x-k8s.io ends in networking.x-k8s.io: another group, not renamed
    text = ('no matches for kind "InferencePool" in version '
            '"inference.networking.x-k8s.io/v1alpha2"\ngateway.networking.k8s.io/v1\n')
    assert "crd_version_unsupported" not in _causes(gw_run, tmp_path, text)
