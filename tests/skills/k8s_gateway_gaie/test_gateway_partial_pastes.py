"""Pastes that hold part of an object, as issue threads show them.

Ground truth: a manifest without metadata.namespace is created in the namespace kubectl
applies it to, so a route's parentRef to that namespace names it; `kubectl get httproute X
-o jsonpath='{.status}'` prints the status alone ({"parents": [...]}, gateway-api
RouteStatus); a condition cut before its Status and Type still carries its reason, and
gateway-api's ListenerReasonUnsupportedProtocol is only written on Accepted=False
(apis/v1/gateway_types.go). The JSON and describe shapes are those of
Kong/kubernetes-ingress-controller#5411 and #7015.
"""
from __future__ import annotations

import json

from .conftest import paste_findings

GATEWAY_NO_NAMESPACE = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: app
  namespace: default
spec:
  parentRefs:
  - name: gw
    namespace: default
  rules:
  - backendRefs:
    - name: app
      port: 80
"""


def test_a_manifest_without_namespace_is_the_parent_it_names(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, GATEWAY_NO_NAMESPACE)
    assert not any(f["cause"] == "not_in_dump" and "Gateway" in f["message"] for f in found), found


def _parents(reason: str, status: str) -> str:
    return json.dumps({"parents": [{
        "conditions": [{"type": "Accepted", "status": status, "reason": reason, "message": ""}],
        "controllerName": "konghq.com/kic-gateway-controller",
        "parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "kong"}}]},
        indent=2)


def test_a_status_printed_alone_is_read(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _parents("NotAllowedByListeners", "False"))
    assert found[0]["cause"] == "not_allowed_by_listener", found


def test_a_status_alone_reporting_nothing_is_not_called_right(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _parents("Accepted", "True"))
    assert [f["cause"] for f in found] == ["not_evaluated"], found
    assert "Accepted=True" in found[0]["message"]


def test_a_listener_condition_cut_after_its_reason(gw_run, tmp_path):
    text = """Status:
  Conditions:
    Last Transition Time:  2025-01-21T16:46:04Z
    Message:               ok
    Reason:                Accepted
    Status:                True
    Type:                  Accepted
  Listeners:
    Attached Routes:  1
    Conditions:
      Last Transition Time:  2025-01-21T16:46:04Z
      Message:               no Kong listen with the requested protocol is configured
      Observed Generation:   1
      Reason:                UnsupportedProtocol
"""
    found = paste_findings(gw_run, tmp_path, text)
    assert found[0]["cause"] == "listener_invalid" and "restart" in found[0]["fix"], found
