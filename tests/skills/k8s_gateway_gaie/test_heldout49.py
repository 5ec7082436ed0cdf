"""Held-out round 49 of check_routes.py: an Istio waypoint listed without an address. A
waypoint class deploys a ClusterIP Service and a Deployment named after the Gateway
(istio pilot/pkg/config/kube/gatewaycommon/classinfo.go: DefaultServiceType ClusterIP,
DisableNameSuffix), and istiod leaves alone objects of that name it does not manage
(deploymentcontroller.go canManage); istio/istio#51294 (a waypoint named httpbin beside the
httpbin sample stayed PROGRAMMED False)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings

TABLE = ("$ kubectl get gateways -n test1\n"
         "NAME      CLASS            ADDRESS   PROGRAMMED   AGE\n"
         "httpbin   {cls}             False        35s\n")


def test_a_waypoint_without_address_is_not_deployed_not_unaddressed(gw_run, tmp_path):
    first = _findings(gw_run, tmp_path, TABLE.format(cls="istio-waypoint"))[0]
    assert first["cause"] == "gateway_not_ready", first
    assert "managed" in first["confirm"]


@pytest.mark.parametrize("cls", ["istio", "eg"])
def test_a_load_balanced_class_without_address_stays_unaddressed(gw_run, tmp_path, cls):
    first = _findings(gw_run, tmp_path, TABLE.format(cls=cls.ljust(14)))[0]
    assert first["cause"] == "gateway_no_address", first
