"""A GatewayClass whose parametersRef names a namespaced kind without a namespace
(envoyproxy/gateway#8406, Envoy Gateway v1.7). Ground truth: Gateway API
apis/v1/gatewayclass_types.go (ParametersReference.namespace "is required when referring to a
Namespace-scoped resource"; an unresolvable referent is Accepted=False InvalidParameters) and
the real Envoy Gateway v1.9.0, which tests/live/test_gateway_live.py
::test_class_parameters_without_namespace_are_rejected_and_inferred drives: it looks in
`default`, rejects the class, and accepts it once the namespace is set."""
from __future__ import annotations

import yaml


def _class(ref: dict, status: dict | None = None) -> dict:
    obj = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
           "metadata": {"name": "public", "namespace": "envoy-gateway-system"},
           "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
                    "parametersRef": ref}}
    if status:
        obj["status"] = status
    return obj


PROXY = {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyProxy",
         "metadata": {"name": "public", "namespace": "envoy-gateway-system"}, "spec": {}}
REF = {"group": "gateway.envoyproxy.io", "kind": "EnvoyProxy", "name": "public"}


def _findings(gw_run, tmp_path, *objects: dict) -> list[dict]:
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump_all(list(objects)))
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def test_a_namespaced_referent_without_namespace_is_not_accepted(gw_run, tmp_path):
    (found,) = _findings(gw_run, tmp_path, _class(REF))
    assert (found["cause"], found["severity"], found["basis"]) == (
        "gateway_class_not_accepted", "warning", "inferred")
    assert found["object"] == {"kind": "GatewayClass", "namespace": "", "name": "public"} \
        or found["object"]["namespace"] in ("", None)
    assert any("is ignored" in e for e in found["evidence"])  # the class's own namespace


def test_the_referent_elsewhere_in_the_dump_makes_it_an_error_naming_its_namespace(
        gw_run, tmp_path):
    (found,) = _findings(gw_run, tmp_path, _class(REF), PROXY)
    assert (found["cause"], found["severity"]) == ("gateway_class_not_accepted", "error")
    assert "(envoy-gateway-system)" in found["fix"]


def test_a_namespace_set_or_a_class_the_controller_accepted_is_left_alone(gw_run, tmp_path):
    assert not _findings(gw_run, tmp_path, _class({**REF, "namespace": "envoy-gateway-system"}),
                         PROXY)
    accepted = {"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted",
                                "message": "Valid GatewayClass"}]}
    assert not _findings(gw_run, tmp_path, _class(REF, accepted))


def test_a_cluster_scoped_or_unknown_parameters_kind_is_not_judged(gw_run, tmp_path):
    ref = {"group": "example.com", "kind": "ClusterGatewayConfig", "name": "x"}
    assert not _findings(gw_run, tmp_path, _class(ref))


def test_the_controllers_rejection_is_reported(gw_run, tmp_path):
    # the status Envoy Gateway v1.9.0 wrote in the live test (message shape of
    # internal/provider/kubernetes/controller.go processGatewayClassParamsRef)
    rejected = {"conditions": [{
        "type": "Accepted", "status": "False", "reason": "InvalidParameters",
        "message": "Invalid GatewayClass: failed to find envoyproxy default/public for "
                   "GatewayClass public: envoyproxies.gateway.envoyproxy.io \"public\" not "
                   "found"}]}
    found = _findings(gw_run, tmp_path, _class(REF, rejected), PROXY)
    assert found[0]["cause"] == "gateway_class_not_accepted"
    assert found[0].get("basis") == "reported"


def test_an_envoy_gateway_backend_refused_because_the_backend_api_is_off(gw_run, tmp_path):
    # envoyproxy/ai-gateway#829 (Envoy AI Gateway v0.2 routes through EG Backends); the
    # message is Envoy Gateway's internal/gatewayapi/backend.go ProcessBackends; that release
    # wrote it under type Invalid / reason Accepted, so the wording decides
    backend = {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "Backend",
               "metadata": {"name": "extproc", "namespace": "default", "generation": 1},
               "spec": {"endpoints": [{"unix": {"path": "/run.sock"}}]},
               "status": {"conditions": [{
                   "type": "Invalid", "status": "False", "reason": "Accepted",
                   "observedGeneration": 1,
                   "message": "The Backend was not accepted since Backend is not enabled in "
                              "Envoy Gateway Config"}]}}
    (found,) = _findings(gw_run, tmp_path, backend)
    assert (found["cause"], found["basis"]) == ("backend_unresolved", "reported")
    assert "enableBackend" in found["fix"]
