"""Istio and NGINX Gateway Fabric wordings read in whole objects, beside their healthy
conditions. Expected values from upstream source:
- istio/istio pilot/pkg/config/kube/gatewaycommon/context.go:94-149@HEAD (1.16..1.29:
  pilot/pkg/config/kube/gateway/context.go) ResolveGatewayInstances warnings, joined into
  Programmed=False AddressNotAssigned "Failed to assign to any requested addresses: %s"
  (gatewaycommon/conversion.go:146@HEAD);
- istio/istio pilot/pkg/config/kube/gateway/conditions.go:174-178,271@1.27.0: the route
  parent's ResolvedWaypoints stays True, its message swapped for the WaypointError one;
- istio/istio pilot/pkg/config/kube/gatewaycommon/conversion.go:380@HEAD (1.27+: gateway/
  conversion.go:1858@1.29.0): NotAllowed "The %q GatewayClass does not support ListenerSet";
- nginx/nginx-gateway-fabric internal/controller/state/conditions/conditions.go:1198@v2.6.0:
  Accepted=True InvalidParameters "The Gateway is accepted, but ParametersRef is ignored due
  to an error: %s" (the message from graph/gateway.go:205-207, field.NotFound capitalised).
"""
from __future__ import annotations

import yaml

from .conftest import paste_findings

V1 = "gateway.networking.k8s.io/v1"
T = "2026-08-01T10:00:00Z"


def cond(ctype, status, reason, message):
    return {"type": ctype, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": T, "observedGeneration": 1}


def istio_gateway(programmed: dict) -> dict:
    return {"apiVersion": V1, "kind": "Gateway",
            "metadata": {"name": "gw", "namespace": "default", "generation": 1},
            "spec": {"gatewayClassName": "istio", "listeners": [
                {"name": "http", "port": 80, "protocol": "HTTP"}]},
            "status": {"conditions": [
                cond("Accepted", "True", "Accepted", "Resource accepted"), programmed],
                "listeners": [{"name": "http", "attachedRoutes": 1, "supportedKinds": [
                    {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"}],
                    "conditions": [cond("Programmed", "True", "Programmed",
                                        "No errors found")]}]}}


def mesh_route(waypoints_message: str) -> dict:
    parent = {"group": "", "kind": "Service", "name": "reviews"}
    return {"apiVersion": V1, "kind": "HTTPRoute",
            "metadata": {"name": "reviews", "namespace": "bookinfo", "generation": 1},
            "spec": {"parentRefs": [parent], "rules": [{"backendRefs": [
                {"name": "reviews-v1", "port": 9080}]}]},
            "status": {"parents": [{"parentRef": parent,
                                    "controllerName": "istio.io/gateway-controller",
                                    "conditions": [
                                        cond("Accepted", "True", "Accepted", "Route was valid"),
                                        cond("ResolvedRefs", "True", "ResolvedRefs",
                                             "All references resolved"),
                                        cond("ResolvedWaypoints", "True", "ResolvedWaypoints",
                                             waypoints_message)]}]}}


def run(gw_run, tmp_path, *objs) -> list[dict]:
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": list(objs)})
    return [f for f in paste_findings(gw_run, tmp_path, text) if f["severity"] != "info"]


def test_istio_gateway_without_pods_is_not_an_address_wait(gw_run, tmp_path):
    found = run(gw_run, tmp_path, istio_gateway(cond(
        "Programmed", "False", "AddressNotAssigned", "Failed to assign to any requested "
        "addresses: no instances found for hostname \"gw-istio.default.svc.cluster.local\"")))
    assert found[0]["cause"] == "gateway_not_ready", found
    assert "pods" in found[0]["fix"], found[0]


def test_istio_listener_port_not_on_the_gateway_service(gw_run, tmp_path):
    found = run(gw_run, tmp_path, istio_gateway(cond(
        "Programmed", "False", "AddressNotAssigned", "Failed to assign to any requested "
        "addresses: port 8080 not found for hostname \"istio-ingressgateway.istio-system.svc."
        "cluster.local\" (hint: the service port should be specified, not the workload port. "
        "Did you mean one of these ports: [80]?)")))
    assert found[0]["cause"] == "listener_invalid", found


def test_istio_route_on_a_service_without_use_waypoint(gw_run, tmp_path):
    found = run(gw_run, tmp_path, mesh_route(
        "istio.io/use-waypoint label missing from parent and parent namespace; in ambient "
        "mode, route will not be respected"))
    assert found and found[0]["cause"] == "route_not_accepted", found
    assert "istio.io/use-waypoint" in found[0]["fix"], found[0]


def test_istio_resolved_waypoints_healthy(gw_run, tmp_path):
    found = run(gw_run, tmp_path, mesh_route("All waypoints resolved"))
    assert not [f for f in found if f.get("basis") == "reported"], found


def test_istio_class_without_listenerset_support(gw_run, tmp_path):
    ls = {"apiVersion": V1, "kind": "ListenerSet",
          "metadata": {"name": "extra", "namespace": "default", "generation": 1},
          "spec": {"parentRef": {"name": "waypoint"}, "listeners": [
              {"name": "http", "port": 8080, "protocol": "HTTP"}]},
          "status": {"conditions": [cond(
              "Accepted", "False", "NotAllowed",
              "The \"istio-waypoint\" GatewayClass does not support ListenerSet")]}}
    found = run(gw_run, tmp_path, ls)
    assert [f["cause"] for f in found if f.get("basis") == "reported"][:1] == [
        "listenerset_not_reconciled"], found


def test_ngf_gateway_accepted_with_ignored_parameters(gw_run, tmp_path):
    gw = {"apiVersion": V1, "kind": "Gateway",
          "metadata": {"name": "gw", "namespace": "default", "generation": 1},
          "spec": {"gatewayClassName": "nginx", "infrastructure": {"parametersRef": {
              "group": "gateway.nginx.org", "kind": "NginxProxy", "name": "nginx-proxy"}},
              "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]},
          "status": {"conditions": [
              cond("Accepted", "True", "InvalidParameters", "The Gateway is accepted, but "
                   "ParametersRef is ignored due to an error: Spec.infrastructure."
                   "parametersRef.name: Not found: \"nginx-proxy\""),
              cond("Programmed", "True", "Programmed", "The Gateway is programmed")]}}
    found = run(gw_run, tmp_path, gw)
    assert found and found[0]["cause"] == "gateway_not_ready", found
