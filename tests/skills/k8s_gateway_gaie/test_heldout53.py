"""Held-out round 53 of check_routes.py: controller-runtime's informer timeout for a Gateway API
kind whose CRD is absent (sigs.k8s.io/controller-runtime v0.24.1 pkg/internal/source/kind.go
WaitForSync; aws/aws-application-networking-k8s#658: v1.0.6 without the TLSRoute CRD, fixed
by installing it)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings


@pytest.mark.parametrize("text", [
    # a JSON log whose msg runs the kind into the next words
    '{"level":"error","logger":"setup","msg":"failed to wait for tlsroute caches to sync: '
    'timed out waiting for cache to be synced for Kind *v1alpha2.TLSRouteproblem running '
    'manager"}\n',
    # controller-runtime v0.15+
    "E0101 failed to wait for httproute caches to sync kind source: *v1.HTTPRoute: timed out "
    "waiting for cache to be synced for kind source: *v1.HTTPRoute\n",
])
def test_an_informer_that_never_synced_is_an_absent_crd(gw_run, tmp_path, text):
    assert _findings(gw_run, tmp_path, text)[0]["cause"] == "crd_not_installed"


def test_another_kind_is_not_read_as_a_gateway_api_kind(gw_run, tmp_path):
    text = ("timed out waiting for cache to be synced for Kind *v1.GatewayConfigurationFoo\n"
            "the gateway answers 503\n")
    found = _findings(gw_run, tmp_path, text)
    assert all(f["cause"] != "crd_not_installed" for f in found), found
