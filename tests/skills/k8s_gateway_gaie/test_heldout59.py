"""Held-out round 59 of check_routes.py: a line saying a Gateway is not found beside the
Gateway itself. Ground truth: istio/istio#60708 (istioctl analyze's IST0101 `Referenced gateway
not found` for a VirtualService naming a gateway.networking.k8s.io Gateway, which works at
runtime), fixed by istio/istio#60776 (pkg/config/analysis/analyzers/virtualservice/gateways.go
now also looks up gvk.KubernetesGateway)."""
from __future__ import annotations

from .conftest import paste_findings as _findings

GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: my-gateway
  namespace: {ns}
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: my-vs
  namespace: default
spec:
  hosts: [example.com]
  gateways: [default/my-gateway]
  http:
  - route:
    - destination: {{host: my-service}}

istioctl analyze says `Referenced gateway not found: "default/my-gateway"`
"""


def test_a_not_found_gateway_the_paste_holds_is_not_an_error(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, GATEWAY.format(ns="default"))
    assert not [f for f in found if f["severity"] in ("error", "warning")], found
    (said,) = [f for f in found if f["cause"] == "controller_contradicts_spec"]
    assert said["basis"] == "inferred" and "my-gateway -n default" in said["confirm"]


def test_the_gateway_in_another_namespace_leaves_the_line_standing(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, GATEWAY.format(ns="infra"))
    assert found[0]["cause"] == "parent_not_found" and found[0]["severity"] == "error"
