"""check_routes.py over InferencePool status a real controller wrote: Envoy Gateway v1.9.0 on
the routes and Envoy AI Gateway's controller v1.0.0 on the pools, in the local cluster.

The captures (tests/resources/gateway/envoy-ai-gateway/<case>.yaml, status verbatim, with the
namespaces' pods) are re-captured by tests/live/test_gateway_live.py, which also checks the
same diagnosis live.
"""
from __future__ import annotations

from pathlib import Path

import pytest

CAPTURES = Path(__file__).resolve().parents[2] / "resources" / "gateway" / "envoy-ai-gateway"

# case -> (first cause, its basis); None = nothing wrong
EXPECTED = {
    "pool_accepted": None,
    "pool_selects_no_pods": ("pool_selects_no_pods", "inferred"),
    "pool_endpoint_picker_missing": ("endpoint_picker_missing", "reported"),
    "pool_alpha_group_route": ("inference_api_version_mismatch", "reported"),
    "pool_route_not_accepted": ("not_allowed_by_listener", "reported"),
}


def test_every_capture_has_an_expectation():
    assert {p.stem for p in CAPTURES.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_ai_gateway_capture(gw_run, case):
    res = gw_run("check_routes", "-f", str(CAPTURES / f"{case}.yaml"), "--json")
    problems = [f for f in res.doc["findings"] if f["severity"] != "info"]
    got = (problems[0]["cause"], problems[0]["basis"]) if problems else None
    assert got == EXPECTED[case], res.doc["findings"]
