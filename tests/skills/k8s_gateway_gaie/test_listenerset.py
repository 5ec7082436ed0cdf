"""ListenerSet diagnosis. Expected values from sigs.k8s.io/gateway-api v1.6.3
apis/v1/listenerset_types.go (Accepted reasons NotAllowed, ParentNotAccepted,
ListenersNotValid, Invalid, Pending) and gateway_types.go (allowedListeners.namespaces.from
default None; Same, Selector, All)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-gateway-gaie" / "scripts" / "check_routes.py"
V1 = "gateway.networking.k8s.io/v1"


def gateway(allowed=None, ns="infra"):
    spec = {"gatewayClassName": "eg", "listeners": [{"name": "http", "port": 80,
                                                       "protocol": "HTTP"}]}
    if allowed is not None:
        spec["allowedListeners"] = {"namespaces": allowed}
    return {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "shared", "namespace": ns},
            "spec": spec}


def listenerset(ns="team-a", conditions=None):
    obj = {"apiVersion": V1, "kind": "ListenerSet", "metadata": {"name": "team-a-https",
                                                                "namespace": ns},
           "spec": {"parentRef": {"name": "shared", "namespace": "infra"},
                    "listeners": [{"name": "https", "port": 443, "protocol": "HTTPS",
                                   "hostname": "a.example.com"}]}}
    if conditions:
        obj["status"] = {"conditions": conditions}
    return obj


def diagnose(tmp_path, *objs):
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": list(objs)}))
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", str(path), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"]
            if f["object"]["kind"] == "ListenerSet"]


CLASS = {"apiVersion": V1, "kind": "GatewayClass", "metadata": {"name": "eg"},
         "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"}}


@pytest.mark.parametrize("allowed, expected", [
    (None, ["listenerset_not_allowed"]),                 # default from: None
    ({"from": "None"}, ["listenerset_not_allowed"]),
    ({"from": "Same"}, ["listenerset_not_allowed"]),     # ListenerSet in another namespace
    ({"from": "All"}, []),
])
def test_gateway_must_opt_in(tmp_path, allowed, expected):
    got = diagnose(tmp_path, CLASS, gateway(allowed), listenerset())
    assert [f["cause"] for f in got] == expected
    assert all(f["basis"] == "inferred" and f["confirm"] for f in got)


@pytest.mark.parametrize("reason, cause", [
    ("NotAllowed", "listenerset_not_allowed"),
    ("ParentNotAccepted", "listenerset_parent_not_accepted"),
    ("ListenersNotValid", "listenerset_invalid"),
    ("Pending", "listenerset_not_reconciled"),
])
def test_controller_condition_decides(tmp_path, reason, cause):
    cond = {"type": "Accepted", "status": "Unknown" if reason == "Pending" else "False",
            "reason": reason, "message": "x"}
    got = diagnose(tmp_path, CLASS, gateway({"from": "All"}), listenerset(conditions=[cond]))
    assert got[0]["cause"] == cause and got[0]["basis"] == "reported"


# Status as Envoy Gateway v1.9.0 wrote it on the live cluster (tests/live/
# test_gateway_listenerset_live.py; internal/gatewayapi/listenerset.go ProcessListenerSetStatus)
def _cond(ctype, status, reason, message):
    return {"type": ctype, "status": status, "reason": reason, "message": message,
            "observedGeneration": 1}


def test_partly_invalid_listener_set_names_the_listener(tmp_path):
    ls = listenerset(conditions=[
        _cond("Accepted", "True", "ListenersNotValid", "Some listeners are invalid"),
        _cond("Programmed", "True", "Programmed", "Some listeners are not programmed")])
    ls["status"]["listeners"] = [
        {"name": "odd", "attachedRoutes": 0, "conditions": [
            _cond("Accepted", "False", "UnsupportedProtocol",
                  "Protocol example.com/custom is unsupported, must be HTTP, HTTPS, TCP or "
                  "UDP."),
            _cond("Programmed", "False", "ListenersNotValid",
                  "Listener is invalid, see other Conditions for details.")]},
        {"name": "fine", "attachedRoutes": 0, "conditions": [
            _cond("Accepted", "True", "Accepted", "Listener has been successfully translated"),
            _cond("Conflicted", "False", "NoConflicts", "No conflicts detected")]}]
    got = diagnose(tmp_path, CLASS, gateway({"from": "All"}), ls)
    assert [(f["cause"], f["basis"]) for f in got] == [("listener_invalid", "reported")]
    assert "listener odd" in got[0]["message"] and "UnsupportedProtocol" in got[0]["message"]


def test_accepted_true_with_listeners_not_valid_alone_is_still_a_fault(tmp_path):
    """A paste of the conditions without status.listeners: the reason says it."""
    ls = listenerset(conditions=[
        _cond("Accepted", "True", "ListenersNotValid", "Some listeners are invalid")])
    got = diagnose(tmp_path, CLASS, gateway({"from": "All"}), ls)
    assert [f["cause"] for f in got] == ["listenerset_invalid"]
    assert got[0]["message"].startswith("ListenerSet partly accepted")


def test_parent_refused_overrules_a_vacuous_accepted(tmp_path):
    gw = gateway({"from": "All"})
    gw["metadata"]["generation"] = 1
    gw["status"] = {"conditions": [_cond(
        "Accepted", "False", "InvalidParameters",
        'failed to find envoyproxy infra/nope for Gateway shared: '
        'EnvoyProxy.gateway.envoyproxy.io "nope" not found')]}
    ls = listenerset(conditions=[
        _cond("Accepted", "True", "Accepted", "All listeners are accepted"),
        _cond("Programmed", "True", "Programmed", "All listeners are programmed")])
    got = diagnose(tmp_path, CLASS, gw, ls)
    assert [(f["cause"], f["basis"]) for f in got] == [
        ("listenerset_parent_not_accepted", "inferred")]
    assert any("InvalidParameters" in e for e in got[0]["evidence"])
    assert any("0 of 1 listener(s)" in e for e in got[0]["evidence"])
