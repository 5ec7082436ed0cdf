"""Held-out round 52 of check_routes.py: reports in words of a controller whose status is not
what its data plane does. Ground truth: the public threads and fix PRs named per test, and the
Gateway API's own condition contracts (gateway-api apis/v1 gateway_types.go
ListenerConditionProgrammed, shared_types.go RouteConditionAccepted)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings

# cilium/cilium#47622 (fixed by #47627: the Secret sync watched Gateways, not ListenerSets)
CILIUM = (
    "TLS Secrets referenced only by Gateway API ListenerSets are not synchronized into the "
    "configured `cilium-secrets` namespace when the Secret already exists before the "
    "ListenerSet is created.\n\n"
    "The ListenerSets report `Accepted=True`, `Programmed=True`, and `ResolvedRefs=True`. "
    "Cilium also generates a CiliumEnvoyConfig containing the expected TLS filter chains. "
    "However, the referenced `cilium-sync-secret-*` resources do not exist, so Envoy resets "
    "TLS connections during ClientHello.\n")


def test_a_listener_said_programmed_while_the_proxy_resets_tls_is_the_controllers_defect(
        gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, CILIUM)
    assert found[0]["cause"] == "controller_contradicts_spec", found
    # the paragraph's other words describe the defect's effect, not a missing certificate
    assert all(f["cause"] != "listener_certificate_invalid" for f in found), found


def test_programmed_true_with_traffic_served_is_no_contradiction(gw_run, tmp_path):
    text = ("The ListenerSets report `Accepted=True` and `Programmed=True`, and HTTPS works "
            "for every hostname.\n")
    found = _findings(gw_run, tmp_path, text)
    assert all(f["cause"] != "controller_contradicts_spec" for f in found), found


# envoyproxy/gateway#9614 (v1.8.3; fixed by #9634: the Secret predicate had no ListenerSet
# certificateRefs check, so creating the Secret never re-reconciled the ListenerSet)
EG = ("A `ListenerSet` whose `certificateRefs` Secret does not exist yet is correctly marked\n"
      "`Accepted=True / Programmed=False` with `ResolvedRefs=False (InvalidCertificateRef)` -\n"
      "but when the Secret is created afterwards, Envoy Gateway never re-reconciles. The\n"
      "ListenerSet stays unprogrammed forever (until a controller restart or an unrelated\n"
      "watched event forces a full reconcile).\n")


def test_a_certificate_ref_never_re_reconciled_after_the_secret_exists_is_stale(gw_run,
                                                                                 tmp_path):
    found = _findings(gw_run, tmp_path, EG)
    assert found[0]["cause"] == "stale_status", found
    assert "#9634" in found[0]["fix"]


@pytest.mark.parametrize("text", [
    "The Gateway shows ResolvedRefs=False InvalidCertificateRef: Secret default/web-tls does "
    "not exist.\n",
    "The listener stays ResolvedRefs=False InvalidCertificateRef because the Secret was never "
    "created; cert-manager is not installed.\n",
])
def test_a_certificate_still_missing_stays_a_certificate_fault(gw_run, tmp_path, text):
    found = _findings(gw_run, tmp_path, text)
    assert found[0]["cause"] == "listener_certificate_invalid", found
