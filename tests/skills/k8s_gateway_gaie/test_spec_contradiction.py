"""A reported NoMatchingListenerHostname that the Gateway API spec rules out is the
controller's defect, not a fault in the objects.

Expected values come from the spec: gateway-api apis/v1/httproute_types.go
HTTPRouteSpec.Hostnames (a Listener "matches HTTPRoutes that have either not specified any
hostnames or have specified at least one hostname that matches the Listener hostname"; "If
both the Listener and HTTPRoute have specified hostnames, and none match ... the HTTPRoute is
not accepted"), and from nginx/nginx-gateway-fabric#606 (NGINX Kubernetes Gateway rejected a
route without hostnames with this reason; fixed by PR #650, "Allow empty HTTPRoute
hostnames"). The status below is the one that issue shows.
"""
from __future__ import annotations

from .conftest import paste_findings

STATUS = """
Status:
  Parents:
    Conditions:
      Last Transition Time:  2023-05-03T15:55:08Z
      Message:               Listener hostname does not match the HTTPRoute hostnames
      Observed Generation:   1
      Reason:                NoMatchingListenerHostname
      Status:                False
      Type:                  Accepted
    Controller Name:         k8s-gateway.nginx.org/nginx-gateway-controller
"""


def _route(hostnames: str) -> str:
    return f"""apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: app
spec:
  parentRefs:
  - name: gw
    sectionName: http
{hostnames}  rules:
  - backendRefs:
    - name: app
      port: 80
"""


def _gateway(hostname: str) -> str:
    line = f"    hostname: {hostname}\n" if hostname else ""
    return f"""---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    protocol: HTTP
    port: 80
{line}"""


def _first(gw_run, tmp_path, text: str) -> dict:
    return paste_findings(gw_run, tmp_path, text)[0]


def test_route_without_hostnames_cannot_mismatch(gw_run, tmp_path):
    first = _first(gw_run, tmp_path, _route("") + "```\n" + STATUS + "```\n")
    assert first["cause"] == "controller_contradicts_spec" and first["severity"] == "warning", first
    assert "upgrade" in first["fix"]


def test_listener_without_hostname_cannot_mismatch(gw_run, tmp_path):
    first = _first(gw_run, tmp_path, _route("  hostnames: [app.example.com]\n") + _gateway("") + "\n```\n" +
                   STATUS + "```\n")
    assert first["cause"] == "controller_contradicts_spec", first


def test_both_hostnames_set_the_verdict_stands(gw_run, tmp_path):
    first = _first(gw_run, tmp_path, _route("  hostnames: [app.example.com]\n") + _gateway("api.example.org") +
                   "\n```\n" + STATUS + "```\n")
    assert (first["cause"], first["severity"]) == ("hostname_mismatch", "error"), first


def test_route_spec_not_in_the_paste_the_verdict_stands(gw_run, tmp_path):
    first = _first(gw_run, tmp_path, STATUS)
    assert (first["cause"], first["severity"]) == ("hostname_mismatch", "error"), first

