"""Held-out round 58 of check_routes.py: spec.addresses of a type the implementation does not
assign. Ground truth: kubernetes-sigs/gateway-api#2632 (GKE gke-l7-rilb, `Error GWCER106 ...
unsupported address type "IPAddress", only "NamedAddress" is supported`; closed as the GKE
controller's limitation) and #799 (Istio's `Only NamedAddress is supported`, working as
intended); gateway-api apis/v1/gateway_types.go v1.6.3 GatewayReasonUnsupportedAddress."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings


@pytest.mark.parametrize("text", [
    'failed to translate Gateway "gateway/test": Error GWCER106: Gateway "gateway/test" is '
    'invalid, err: unsupported address type "IPAddress", only "NamedAddress" is supported..\n',
    "failed to assign to any requested addresses: Only NamedAddress is supported, ignoring "
    "[10.0.0.1]\n",
])
def test_an_address_type_the_implementation_does_not_assign(gw_run, tmp_path, text):
    found = _findings(gw_run, tmp_path, text)
    assert found[0]["cause"] == "gateway_no_address"
