"""check_routes.py over what a real Envoy Gateway (v1.9.0, in the local cluster) wrote.

The captures are gwctrl's (tests/resources/gateway/envoy-gateway/<case>.yaml, status verbatim,
re-captured by tests/live/test_gateway_live.py); each one's cause is the controller's own
verdict. Until the captures are on this branch the tests skip.
"""
from __future__ import annotations

from pathlib import Path

import pytest

CAPTURES = Path(__file__).resolve().parents[2] / "resources" / "gateway" / "envoy-gateway"

# case -> (first cause, its basis); None = nothing wrong
EXPECTED = {
    "healthy": None,
    "not_allowed_by_listener": ("not_allowed_by_listener", "reported"),
    "hostname_mismatch": ("hostname_mismatch", "reported"),
    "backend_not_found": ("backend_not_found", "reported"),
    "grpc_backend_not_found": ("backend_not_found", "reported"),
    "ref_not_permitted": ("ref_not_permitted", "reported"),
    "port_mismatch": ("port_mismatch", "reported"),
    "external_name_backend": ("unsupported_backend_kind", "reported"),
    "inference_pool_backend": ("inference_pool_unsupported", "reported"),
    # Accepted=False UnsupportedValue "Invalid filter ExtensionRef: unknown kind ..."
    "unsupported_filter": ("unsupported_filter", "reported"),
    "listener_certificate_invalid": ("listener_certificate_invalid", "reported"),
    "listener_conflict": ("listener_conflict", "reported"),
    "no_endpoints": ("backend_no_endpoints", "reported"),
    "parent_not_found": ("parent_not_found", "inferred"),
    # the capture holds no GatewayClass listing, so the class's absence is not proven: the
    # CRD default 'Waiting for controller' is all the paste says (live mode lists classes)
    "gateway_class_not_found": ("no_controller", "reported"),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_envoy_gateway_capture(gw_run, case):
    path = CAPTURES / f"{case}.yaml"
    assert path.exists(), f"capture {path.name} is missing"
    res = gw_run("check_routes", "-f", str(path), "--json")
    problems = [f for f in res.doc["findings"] if f["severity"] != "info"]
    got = (problems[0]["cause"], problems[0]["basis"]) if problems else None
    assert got == EXPECTED[case], res.doc["findings"]
