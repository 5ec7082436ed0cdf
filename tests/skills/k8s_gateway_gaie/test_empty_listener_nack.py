"""Envoy's NACK of a listener with no filter chain is a fault only when a route uses the
listener. Expected values: Envoy's wording in source/common/listener_manager/listener_impl.cc
("error adding listener '{}': no filter chains specified"); envoyproxy/gateway#4680, where a
TLS passthrough listener with no route attached drew the NACK and the maintainer answered "It's
a minor issue - there is no real impact" (Envoy Gateway v1.2.2 adds a default chain, #4681);
envoyproxy/gateway#601 for a NACK of a listener that serves routes (partial wildcards)."""
from __future__ import annotations

from .conftest import paste_findings

# the log line as envoyproxy/gateway#4680 pasted it
NACK = ("[2024-11-08 04:34:43.214][1][warning][config] [source/extensions/config_subscription/"
        "grpc/grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config."
        "listener.v3.Listener rejected: Error adding/updating listener(s) "
        "gateway-conformance-infra/same-namespace/tls: error adding listener '0.0.0.0:10443': "
        "no filter chains specified\n")

GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: same-namespace
  namespace: gateway-conformance-infra
spec:
  gatewayClassName: eg
  listeners:
  - name: tls
    protocol: TLS
    port: 443
    tls:
      mode: Passthrough
"""

STATUS = """status:
  listeners:
  - name: tls
    attachedRoutes: {count}
    supportedKinds:
    - kind: TLSRoute
    conditions:
    - type: Programmed
      status: "True"
      reason: Programmed
"""

TLS_ROUTE = """---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata:
  name: passthrough
  namespace: gateway-conformance-infra
spec:
  parentRefs:
  - name: same-namespace
    sectionName: tls
  rules:
  - backendRefs:
    - name: tls-backend
      port: 443
"""


def _by_cause(findings: list[dict]) -> dict[str, dict]:
    return {f["cause"]: f for f in findings}


def test_the_nack_alone_is_read_as_an_empty_listener_to_confirm(gw_run, tmp_path):
    findings = paste_findings(gw_run, tmp_path, "error:\n" + NACK + "\n```yaml\n" + GATEWAY
                              + "```\n")
    assert [f for f in findings if f["severity"] != "info"] == []
    empty = _by_cause(findings)["empty_listener"]
    assert empty["basis"] == "inferred"
    assert 'listeners[?(@.name=="tls")].attachedRoutes' in empty["confirm"]
    assert "cause_unknown" not in _by_cause(findings)


def test_a_status_with_no_attached_route_makes_it_reported(gw_run, tmp_path):
    findings = paste_findings(gw_run, tmp_path, NACK + "---\n" + GATEWAY
                              + STATUS.format(count=0))
    assert [f for f in findings if f["severity"] != "info"] == []
    assert _by_cause(findings)["empty_listener"]["basis"] == "reported"


def test_a_status_with_attached_routes_keeps_the_fault(gw_run, tmp_path):
    findings = paste_findings(gw_run, tmp_path, NACK + "---\n" + GATEWAY
                              + STATUS.format(count=1))
    assert "xds_config_rejected" in _by_cause(findings)
    assert "empty_listener" not in _by_cause(findings)


def test_a_route_on_the_listener_keeps_the_fault(gw_run, tmp_path):
    findings = paste_findings(gw_run, tmp_path, NACK + "---\n" + GATEWAY + TLS_ROUTE)
    assert _by_cause(findings)["xds_config_rejected"]["severity"] == "error"
    assert "empty_listener" not in _by_cause(findings)


def test_another_reason_in_the_same_nack_keeps_the_fault(gw_run, tmp_path):
    # envoyproxy/gateway#601's reason for a second listener in the same NACK
    line = NACK.rstrip("\n") + ("\\ndefault/eg/https: error adding listener '0.0.0.0:8443': "
                                "partial wildcards are not supported\n")
    assert "xds_config_rejected" in _by_cause(paste_findings(gw_run, tmp_path, line))
