"""Held-out round 45 of check_routes.py: a controller's start-up check of a kind's CRD that the
API server answers 404, and Cilium translating a Gateway to no listener it programs.

Expected values: kgateway-dev/kgateway#10351 (kgateway's setup log `failed building
controller: error checking if TCPRoute CRD exists: the server could not find the requested
resource`; the experimental TCPRoute CRD not installed) and cilium/cilium#29924 (a Gateway with
only a TCP listener: cilium-operator's translator returns `model source can't be empty` when
the model has no listener, operator/pkg/gateway-api translation; TCP listeners arrived with
cilium/cilium#21929's TCPRoute support)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings

KGATEWAY = ('{"level":"error","ts":"2024-11-14T18:53:11.612Z","logger":"k8s","caller":'
            '"setup/ggv2setup.go:163","msg":"failed building controller: error checking if '
            'TCPRoute CRD exists: the server could not find the requested resource"}\n')
CILIUM = ('level=error msg="Unable to translate resources" controller=gateway error="model '
          'source can\'t be empty" resource=cilium/tcp-gateway subsys=gateway-controller\n')


def _first(gw_run, tmp_path, text: str) -> dict:
    return [f for f in _findings(gw_run, tmp_path, text) if f["severity"] != "info"][0]


def _causes(gw_run, tmp_path, text: str) -> list[str]:
    return [f["cause"] for f in _findings(gw_run, tmp_path, text)]


@pytest.mark.parametrize("text, cause, fix", [
    (KGATEWAY, "crd_not_installed", "experimental"),
    (CILIUM, "listener_invalid", "TCP"),
])
def test_controller_log_lines(gw_run, tmp_path, text, cause, fix):
    first = _first(gw_run, tmp_path, text)
    assert first["cause"] == cause and fix in first["fix"], first


def test_a_served_kind_checked_at_start_is_not_read(gw_run, tmp_path):
    text = '{"level":"info","msg":"TCPRoute CRD exists, starting the TCPRoute controller"}\n'
    assert "crd_not_installed" not in _causes(gw_run, tmp_path, text)


# traefik/traefik-helm-chart#484 (Traefik 2.4.9: routes served only from the Gateway's
# namespace, fixed by traefik/traefik#8299), the listener's `from: All` beside it
_SAME_NS = ("must choose the same namespace between traefik and httproute,Otherwise, no route "
            "will be matched\nthe gateway yaml is below:\nkind: Gateway\n  listeners:\n"
            "    - port: 8000\n      protocol: HTTP\n      routes:\n        kind: HTTPRoute\n"
            "        namespaces:\n          from: All\n")


def test_a_route_that_must_share_the_controllers_namespace(gw_run, tmp_path):
    first = _first(gw_run, tmp_path, _SAME_NS)
    assert first["cause"] == "not_allowed_by_listener" and "does not honour" in first["fix"]


def test_a_backend_in_the_same_namespace_is_not_that(gw_run, tmp_path):
    text = ("The HTTPRoute must be in the same namespace as the Service it routes to, "
            "otherwise I get no response from the Gateway.\n")
    assert "not_allowed_by_listener" not in _causes(gw_run, tmp_path, text)


# agentgateway/agentgateway#2370 (Gateway API v1.6 standard channel: TCPRoute v1alpha2 served:
# false; fixed by agentgateway PR #2389 moving the controller to v1)
def test_a_controller_said_to_watch_a_version_no_longer_served(gw_run, tmp_path):
    text = ("The agentgateway controller watches `TCPRoute` at "
            "`gateway.networking.k8s.io/v1alpha2`. As of Gateway API v1.6 the standard channel "
            "CRD **no longer serves `v1alpha2`**, so the controller's informer never syncs.\n")
    assert _first(gw_run, tmp_path, text)["cause"] == "crd_version_unsupported"
