"""Held-out round 48 of check_routes.py: a route its controller reports Accepted while the
data plane does not carry it. Ground truth: cilium/cilium#44824 (Cilium 1.19.1 took every
GRPCRoute for kind "Unknown" when a listener lists allowedRoutes.kinds and left it out of the
generated CiliumEnvoyConfig while the route's status said Accepted: True; fixed by #44826).
Accepted=True is the controller's statement that it configures the route (gateway-api
apis/v1 shared_types.go RouteConditionAccepted)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings

REPORT = ("When a listener sets allowedRoutes.kinds explicitly, the GRPCRoute is silently "
          "excluded from the generated CiliumEnvoyConfig. Traffic fails. {sentence}\n")


@pytest.mark.parametrize("sentence", [
    "The route status misleadingly shows `Accepted: True`.",
    "The route status shows accepted but the envoy config contains no gRPC routes.",
    "The HTTPRoute status says Accepted=True, yet the route is not programmed on the proxy.",
])
def test_accepted_but_not_carried_is_the_controllers_defect(gw_run, tmp_path, sentence):
    found = [f for f in _findings(gw_run, tmp_path, REPORT.format(sentence=sentence))
             if f["severity"] != "info"]
    assert found and found[0]["cause"] == "controller_contradicts_spec", found
    assert found[0]["basis"] == "inferred"


def test_accepted_and_serving_is_not_a_contradiction(gw_run, tmp_path):
    text = ("The HTTPRoute status shows Accepted: True and traffic works; the 404 comes from "
            "the backend itself.\n")
    causes = [f["cause"] for f in _findings(gw_run, tmp_path, text)]
    assert "controller_contradicts_spec" not in causes
