"""check_routes.py on dumps: controller status (Envoy Gateway, Istio, GKE) and derived verdicts."""
from __future__ import annotations

import copy

import pytest
import yaml

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "gateway"

FIXTURES = {
    "healthy_envoy_status.yaml": (0, set()),
    "healthy_no_status.yaml": (0, set()),
    "grpc_route.yaml": (0, set()),
    "envoy_port_not_found.yaml": (1, {"port_mismatch"}),
    "istio_not_allowed.yaml": (1, {"not_allowed_by_listener"}),
    "gke_backend_not_found.yaml": (1, {"backend_not_found"}),
    "stale_status_hostname.yaml": (1, {"hostname_mismatch"}),
    "status_wins_without_gateway.yaml": (0, set()),
    "pool_epp_missing_status.yaml": (1, {"endpoint_picker_missing"}),
    "outdated_alpha.yaml": (1, {"endpoint_picker_missing"}),
    "gateway_class_missing.yaml": (1, {"gateway_class_not_found"}),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_verdicts(gw_run, gw_resource, name):
    code, causes = FIXTURES[name]
    res = gw_run("check_routes", "-f", gw_resource("routes", name), "--json")
    found = {f["cause"] for f in res.doc["findings"] if f["severity"] != "info"}
    assert (res.code, found) == (code, causes), res.doc["findings"]


def test_status_reason_and_message_are_quoted(gw_run, gw_resource):
    res = gw_run("check_routes", "-f", gw_resource("routes", "envoy_port_not_found.yaml"))
    assert "reason=PortNotFound" in res.out and "TCP Port 8080 not found" in res.out


def test_stale_status_is_said_out_loud(gw_run, gw_resource):
    res = gw_run("check_routes", "-f", gw_resource("routes", "stale_status_hostname.yaml"))
    assert "stale status ignored" in res.out


def _world():
    text = (RESOURCES / "routes" / "healthy_no_status.yaml").read_text()
    return {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load(text)["items"]}


def _route(w):
    return w[("HTTPRoute", "chat")]["spec"]


def _drop_https(w):
    gw = w[("Gateway", "inference-gw")]["spec"]
    gw["listeners"] = [li for li in gw["listeners"] if li["protocol"] == "HTTP"]


def _cross(w):
    _route(w)["rules"][1]["backendRefs"][0].update(namespace="models", name="shared")
    w[("Service", "shared")] = {"apiVersion": "v1", "kind": "Service",
                                "metadata": {"name": "shared", "namespace": "models"},
                                "spec": {"ports": [{"port": 8000}]}}


def _grant(w):
    _cross(w)
    w[("ReferenceGrant", "g")] = {
        "apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant",
        "metadata": {"name": "g", "namespace": "models"},
        "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                           "namespace": "llm"}], "to": [{"group": "", "kind": "Service"}]}}


# cause -> (mutation that triggers it, a nearby mutation that must not)
CASES = {
    "parent_not_found": (lambda w: _route(w)["parentRefs"][0].update(name="typo"),
                         lambda w: _route(w)["parentRefs"][0].update(sectionName="https")),
    "parent_not_found/section": (lambda w: _route(w)["parentRefs"][0].update(sectionName="web"),
                                 lambda w: _route(w)["parentRefs"][0].update(port=443)),
    "not_allowed_by_listener": (
        lambda w: w[("Namespace", "llm")]["metadata"]["labels"].pop("gateway-access"),
        lambda w: [li["allowedRoutes"]["namespaces"].update(from_="All") for li in
                   w[("Gateway", "inference-gw")]["spec"]["listeners"]]),
    "hostname_mismatch": (lambda w: _route(w).update(hostnames=["llm.example.org"]),
                          lambda w: _route(w).update(hostnames=["a.b.example.com"])),
    "backend_not_found": (lambda w: _route(w)["rules"][0]["backendRefs"][0].update(name="x"),
                          lambda w: None),
    "ref_not_permitted": (_cross, _grant),
    "port_mismatch": (lambda w: _route(w)["rules"][1]["backendRefs"][0].update(port=80),
                      lambda w: _route(w)["rules"][1]["backendRefs"][0].update(port=8000)),
    "pool_selects_no_pods": (
        lambda w: w[("InferencePool", "llama")]["spec"]["selector"].update(
            matchLabels={"app": "llama", "tier": "gold"}),
        lambda w: w[("InferencePool", "llama")]["spec"]["selector"].update(
            matchLabels={"app": "llama"})),
    "pool_target_port_mismatch": (
        lambda w: w[("InferencePool", "llama")]["spec"].update(targetPorts=[{"number": 8080}]),
        lambda w: w[("InferencePool", "llama")]["spec"].update(
            targetPorts=[{"number": 8080}, {"number": 8000}])),
    "endpoint_picker_missing": (lambda w: w.pop(("Service", "llama-epp")),
                                lambda w: w.pop(("Pod", "llama-1"))),
    "endpoint_picker_missing/not-running": (lambda w: w.pop(("Pod", "llama-epp-0")),
                                            lambda w: None),
    "inference_api_version_mismatch": (
        lambda w: _route(w)["rules"][0]["backendRefs"][0].update(
            group="inference.networking.x-k8s.io"), lambda w: None),
    "outdated_inference_api/alpha-fields-in-v1": (
        lambda w: w[("InferencePool", "llama")]["spec"].update(targetPortNumber=8000),
        lambda w: None),
    "no_timeouts": (lambda w: _route(w)["rules"][0].pop("timeouts"),
                    lambda w: _route(w)["rules"][0].update(timeouts={"request": "0s"})),
}


def _as_list(objects) -> str:
    """A full `kubectl get ... -o yaml` listing: absent objects are known to be absent."""
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": list(objects)})
    return text.replace("from_:", "from:")


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_triggers_and_does_not(gw_run, tmp_path, case):
    cause = case.split("/")[0]
    trigger, quiet = CASES[case]
    for mutate, expect in ((trigger, True), (quiet, False)):
        world = copy.deepcopy(_world())
        mutate(world)
        path = tmp_path / "dump.yaml"
        path.write_text(_as_list(world.values()))
        res = gw_run("check_routes", "-f", str(path), "--json")
        causes = {f["cause"] for f in res.doc["findings"] if f["severity"] != "info"}
        assert (cause in causes) is expect, (case, expect, res.doc["findings"])
        assert res.code == (1 if causes else 0)


def test_objects_missing_from_a_paste_are_not_in_the_dump(gw_run, tmp_path):
    world = _world()
    objs = [o for (k, _), o in world.items() if k in ("HTTPRoute", "InferencePool")]
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump_all(objs))
    res = gw_run("check_routes", "-f", str(path), "--json")
    assert {f["cause"] for f in res.doc["findings"]} == {"not_in_dump"}
    assert all(f["confirm"].startswith("kubectl get ") for f in res.doc["findings"])
    assert res.code == 0


def test_no_tls_is_advice_not_a_fault(gw_run, tmp_path):
    world = copy.deepcopy(_world())
    _drop_https(world)
    path = tmp_path / "dump.yaml"
    path.write_text(_as_list(world.values()))
    res = gw_run("check_routes", "-f", str(path), "--json")
    [tls] = [f for f in res.doc["findings"] if f["cause"] == "no_tls"]
    assert tls["severity"] == "info" and res.code == 0


def test_text_output_is_a_digest(gw_run, gw_resource):
    res = gw_run("check_routes", "-f", gw_resource("routes", "istio_not_allowed.yaml"))
    assert res.out.splitlines()[0].startswith("checked 1 route(s)")
    assert "ERROR not_allowed_by_listener" in res.out and res.code == 1


@pytest.mark.parametrize("content,needle", [("", "empty input"), ("a: [", "not valid YAML"),
                                            ("- 1\n- 2\n", "expected a Kubernetes object")])
def test_bad_dump_is_one_line_exit_2(gw_proc, content, needle):
    res = gw_proc("check_routes", "-f", "-", stdin=content)
    assert res.code == 2 and needle in res.err and len(res.err.strip().splitlines()) == 1
    assert res.out == ""


def test_selector_listener_without_namespaces_is_not_guessed(gw_run, tmp_path):
    world = [o for (k, _), o in _world().items() if k != "Namespace"]
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump_all(world))
    res = gw_run("check_routes", "-f", str(path), "--json")
    assert res.code == 0
    [info] = [f for f in res.doc["findings"] if f["cause"] == "not_checked"]
    assert "Selector not verified" in info["message"]


def _route_status(ctype, reason):
    conds = [{"type": t, "status": "True", "reason": t, "message": ""}
             for t in ("Accepted", "ResolvedRefs")]
    for c in conds:
        if c["type"] == ctype:
            c.update(status="False", reason=reason, message=f"{reason} from the controller")
    return {"parents": [{"parentRef": {"name": "inference-gw", "namespace": "infra"},
                         "controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
                         "conditions": conds}]}


STATUS_ONLY = {
    "route_not_accepted": lambda w: w[("HTTPRoute", "chat")].update(
        status=_route_status("Accepted", "IncompatibleFilters")),
    # the route's only backend a controller can refuse by kind is its InferencePool
    "inference_pool_unsupported/invalid-kind": lambda w: w[("HTTPRoute", "chat")].update(
        status=_route_status("ResolvedRefs", "InvalidKind")),
    "backend_unresolved": lambda w: w[("HTTPRoute", "chat")].update(
        status=_route_status("ResolvedRefs", "InvalidBackendTLS")),
    "inference_pool_unsupported": lambda w: w[("InferencePool", "llama")].update(status={
        "parents": [{"parentRef": {"name": "inference-gw", "namespace": "infra"},
                     "conditions": [{"type": "Accepted", "status": "False",
                                     "reason": "NotSupportedByParent", "message": ""}]}]}),
    "pool_not_accepted": lambda w: w[("InferencePool", "llama")].update(status={"parents": [{
        "parentRef": {"name": "inference-gw", "namespace": "infra"},
        "conditions": [{"type": "Accepted", "status": "False",
                        "reason": "HTTPRouteNotAccepted", "message": ""}]}]}),
    "gateway_no_address": lambda w: w[("Gateway", "inference-gw")].update(status={
        "conditions": [{"type": "Programmed", "status": "False", "reason": "AddressNotAssigned",
                        "message": "No addresses have been assigned to the Gateway"}]}),
    "gateway_not_ready": lambda w: w[("Gateway", "inference-gw")].update(status={"conditions": [
        {"type": "Programmed", "status": "False", "reason": "NoResources",
         "message": "Envoy replicas unavailable"}]}),
}


@pytest.mark.parametrize("cause", sorted(STATUS_ONLY))
def test_status_only_causes(gw_run, tmp_path, cause):
    world = copy.deepcopy(_world())
    STATUS_ONLY[cause](world)
    cause = cause.split("/")[0]
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump_all(list(world.values())))
    res = gw_run("check_routes", "-f", str(path), "--json")
    found = [f for f in res.doc["findings"] if f["severity"] != "info"]
    assert [f["cause"] for f in found] == [cause] and res.code == 1
    assert any("reason=" in e for e in found[0]["evidence"])
