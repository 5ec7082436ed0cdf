"""Held-out round 60 of check_routes.py: the words say the route is left out of the proxy's
config while its status stays positive, the data plane named first. Ground truth:
istio/istio#59933 (an HTTPRoute's multi-line ResponseHeaderModifier value dropped from the Envoy
config while Gateway and route kept Accepted), fixed by istio/istio#59945 (now InvalidFilter);
gateway-api apis/v1 shared_types.go RouteConditionAccepted (Accepted=True promises the route is
configured)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings


@pytest.mark.parametrize("said", [
    "invalid header set values can cause the route to not be added to the actual envoy config, "
    "while still leaving positive status messages on both the Gateway and the route itself.",
    "With my HTTPRoute on the Gateway, the rule is not included in the generated xDS, but with "
    "Accepted status on the route.",
])
def test_left_out_of_the_proxy_config_while_status_stays_positive(gw_run, tmp_path, said):
    found = _findings(gw_run, tmp_path, "When configuring an HTTPRoute with the Gateway API, "
                      + said + "\n")
    assert found[0]["cause"] == "controller_contradicts_spec", found


def test_left_out_and_the_status_says_so_is_no_contradiction(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, "When configuring an HTTPRoute with the Gateway API, the "
                      "route is not added to the envoy config and its status shows Accepted "
                      "False with reason NotAllowedByListeners.\n")
    assert "controller_contradicts_spec" not in [f["cause"] for f in found]
