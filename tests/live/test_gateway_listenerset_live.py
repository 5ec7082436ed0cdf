"""Issue 19, live: ListenerSet (gateway.networking.k8s.io/v1, standard in Gateway API v1.6.3)
judged by the real Envoy Gateway (harness.pins.ENVOY_GATEWAY) and read back by
check_routes.py. Every expected condition below is the one the controller writes; the test
waits for it (current observedGeneration) and then asks that check_routes.py says the same.

- A Gateway without spec.allowedListeners (default None): Accepted=False NotAllowed on the
  ListenerSet; allowing the namespace (from: Same) makes it Accepted, attached and clean.
- One listener the controller refuses beside one it accepts: the ListenerSet is
  Accepted=True with reason ListenersNotValid and the refusal is only in
  status.listeners[]; check_routes.py names that listener and its reason.
- A listener whose certificate Secret is missing: the ListenerSet is Accepted and Programmed
  True ("Some listeners are not programmed"); the listener's ResolvedRefs=False is the fault.
- A parent Gateway the controller does not accept (infrastructure.parametersRef to an
  EnvoyProxy that does not exist): check_routes.py names listenerset_parent_not_accepted
  from the parent's own condition, whatever the ListenerSet's status says.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from harness.cluster.envoy_gateway import config as eg
from tests.live.helpers import apply, condition, get, wait_until
from tests.live.test_gateway_live import SCRIPTS, check, tls_secret

pytestmark = pytest.mark.live

V1 = "gateway.networking.k8s.io/v1"
SCRIPT = SCRIPTS / "check_routes.py"


def gateway(ns: str, name: str = "gw", allowed: str | None = None, **spec) -> dict:
    body = {"gatewayClassName": eg.GATEWAY_CLASS,
            "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}], **spec}
    if allowed:
        body["allowedListeners"] = {"namespaces": {"from": allowed}}
    return {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": name, "namespace": ns},
            "spec": body}


def listener_set(ns: str, name: str, listeners: list[dict], parent: str = "gw") -> dict:
    return {"apiVersion": V1, "kind": "ListenerSet", "metadata": {"name": name, "namespace": ns},
            "spec": {"parentRef": {"name": parent}, "listeners": listeners}}


def http(name: str, port: int) -> dict:
    return {"name": name, "protocol": "HTTP", "port": port, "hostname": f"{name}.example.com"}


def judged(kubectl, kind: str, name: str, ns: str) -> dict | None:
    """The object once the controller's Accepted condition is for its current generation."""
    obj = get(kubectl, kind, name, "-n", ns)
    accepted = condition(obj, "Accepted") or {}
    if accepted.get("observedGeneration") != obj["metadata"].get("generation") or \
            accepted.get("reason") == "Pending":
        return None
    return obj


def wait_conditions(kubectl, name: str, ns: str, want: dict[str, tuple[str, str]]) -> dict:
    """Wait until the ListenerSet's conditions (type -> (status, reason)) are `want`."""
    def seen():
        obj = judged(kubectl, "listenerset", name, ns)
        return obj, {c["type"]: (c["status"], c["reason"])
                     for c in ((obj or {}).get("status") or {}).get("conditions") or []}
    obj, _ = wait_until(seen, lambda pair: pair[0] is not None and pair[1] == want,
                        f"Envoy Gateway to write {want} on ListenerSet {name}", timeout=90)
    return obj


def listener_conditions(obj: dict, listener: str) -> dict[str, tuple[str, str, str]]:
    entry = next(li for li in obj["status"].get("listeners") or [] if li["name"] == listener)
    return {c["type"]: (c["status"], c["reason"], c["message"]) for c in entry["conditions"]}


def about(doc: dict, name: str) -> list[dict]:
    return [f for f in doc["findings"] if f["object"]["kind"] == "ListenerSet"
            and f["object"]["name"] == name and f["severity"] != "info"]


def test_not_allowed_until_the_gateway_opts_in(kubectl, kubectl_env, namespace):
    apply(kubectl, gateway(namespace), listener_set(namespace, "team", [http("team", 8080)]))
    obj = wait_conditions(kubectl, "team", namespace, {"Accepted": ("False", "NotAllowed"),
                                                       "Programmed": ("False", "NotAllowed")})
    said = condition(obj, "Accepted")["message"]
    code, doc = check(kubectl_env, namespace)
    found = about(doc, "team")
    assert code == 1 and [f["cause"] for f in found] == ["listenerset_not_allowed"], doc
    assert found[0]["basis"] == "reported" and said in " ".join(found[0]["evidence"])
    assert "allowedListeners" in found[0]["fix"]

    apply(kubectl, gateway(namespace, allowed="Same"))
    obj = wait_conditions(kubectl, "team", namespace, {"Accepted": ("True", "Accepted"),
                                                       "Programmed": ("True", "Programmed")})
    assert listener_conditions(obj, "team")["Accepted"][:2] == ("True", "Accepted")
    wait_until(lambda: (get(kubectl, "gateway", "gw", "-n", namespace).get("status") or {})
               .get("attachedListenerSets"), lambda n: n == 1,
               "the Gateway to count the attached ListenerSet")
    code, doc = check(kubectl_env, namespace)
    assert not about(doc, "team"), doc


def test_partly_invalid_listener_set_names_the_refused_listener(kubectl, kubectl_env,
                                                                namespace):
    odd = {"name": "odd", "protocol": "example.com/custom", "port": 9000}
    apply(kubectl, gateway(namespace, allowed="Same"),
          listener_set(namespace, "mixed", [odd, http("fine", 8082)]))
    obj = wait_conditions(kubectl, "mixed", namespace, {
        "Accepted": ("True", "ListenersNotValid"), "Programmed": ("True", "Programmed")})
    refused = listener_conditions(obj, "odd")["Accepted"]
    assert refused[:2] == ("False", "UnsupportedProtocol"), refused
    assert listener_conditions(obj, "fine")["Accepted"][:2] == ("True", "Accepted")
    code, doc = check(kubectl_env, namespace)
    found = about(doc, "mixed")
    assert code == 1 and len(found) == 1, doc
    assert found[0]["basis"] == "reported" and "listener odd" in found[0]["message"]
    assert "UnsupportedProtocol" in found[0]["message"]
    assert refused[2] in " ".join(found[0]["evidence"])

    apply(kubectl, listener_set(namespace, "mixed", [http("fine", 8082)]))
    wait_conditions(kubectl, "mixed", namespace, {"Accepted": ("True", "Accepted"),
                                                  "Programmed": ("True", "Programmed")})
    code, doc = check(kubectl_env, namespace)
    assert not about(doc, "mixed"), doc


def test_missing_certificate_is_told_by_the_listener(kubectl, kubectl_env, namespace):
    tls = {"name": "secure", "protocol": "HTTPS", "port": 8443,
           "hostname": "secure.example.com",
           "tls": {"mode": "Terminate", "certificateRefs": [{"name": "secure-cert"}]}}
    apply(kubectl, gateway(namespace, allowed="Same"),
          listener_set(namespace, "tls", [tls, http("plain", 8081)]))
    obj = wait_conditions(kubectl, "tls", namespace, {"Accepted": ("True", "Accepted"),
                                                      "Programmed": ("True", "Programmed")})
    refs = listener_conditions(obj, "secure")["ResolvedRefs"]
    assert refs[:2] == ("False", "InvalidCertificateRef"), refs
    code, doc = check(kubectl_env, namespace)
    found = about(doc, "tls")
    assert code == 1 and [f["cause"] for f in found] == ["listener_certificate_invalid"], doc
    assert "listener secure" in found[0]["message"] and refs[2] in found[0]["evidence"][0]

    apply(kubectl, tls_secret("secure-cert", namespace, "secure.example.com"))
    wait_until(lambda: judged(kubectl, "listenerset", "tls", namespace),
               lambda o: o is not None and listener_conditions(o, "secure")["ResolvedRefs"][0]
               == "True", "Envoy Gateway to resolve the certificate", timeout=90)
    code, doc = check(kubectl_env, namespace)
    assert not about(doc, "tls"), doc


def test_parent_not_accepted_is_named_from_the_parent(kubectl, kubectl_env, namespace):
    infra = {"infrastructure": {"parametersRef": {
        "group": "gateway.envoyproxy.io", "kind": "EnvoyProxy", "name": "absent"}}}
    apply(kubectl, gateway(namespace, allowed="Same", **infra),
          listener_set(namespace, "orphan", [http("orphan", 8080)]))
    gw = wait_until(lambda: judged(kubectl, "gateway", "gw", namespace),
                    lambda o: o is not None, "Envoy Gateway to judge Gateway gw")
    parent = condition(gw, "Accepted")
    assert (parent["status"], parent["reason"]) == ("False", "InvalidParameters"), parent
    ls = wait_until(lambda: judged(kubectl, "listenerset", "orphan", namespace),
                    lambda o: o is not None, "Envoy Gateway to write the ListenerSet's status")
    code, doc = check(kubectl_env, namespace)
    found = about(doc, "orphan")
    # Envoy Gateway v1.9.0 writes ParentNotAccepted only for a parent it processes; a parent
    # refused earlier leaves the ListenerSet Accepted=True over no listener status (seen
    # here): either way the diagnosis is the parent's
    assert code == 1 and [f["cause"] for f in found] == ["listenerset_parent_not_accepted"], \
        (ls["status"], doc)
    assert parent["message"] in " ".join(found[0]["evidence"])


# --- routes whose parentRef is the ListenerSet ----------------------------------------------

def route_to(ns: str, name: str, refs: list[dict]) -> dict:
    return {"apiVersion": V1, "kind": "HTTPRoute", "metadata": {"name": name, "namespace": ns},
            "spec": {"parentRefs": refs, "rules": [{"backendRefs": [{"name": "svc",
                                                                    "port": 8080}]}]}}


def ls_ref(name: str, ns: str, **extra) -> dict:
    return {"group": "gateway.networking.k8s.io", "kind": "ListenerSet", "name": name,
            "namespace": ns, **extra}


def parent_status(kubectl, ns: str, name: str, kind: str) -> dict | None:
    """The route's Accepted condition for its parentRef of `kind`, once written for the
    current generation."""
    obj = get(kubectl, "httproute", name, "-n", ns)
    for entry in (obj.get("status") or {}).get("parents") or []:
        if entry["parentRef"].get("kind") == kind:
            cond = next((c for c in entry["conditions"] if c["type"] == "Accepted"), None)
            if cond and cond.get("observedGeneration") == obj["metadata"]["generation"]:
                return cond
    return None


def check_route(kubectl_env, ns: str, name: str, *source: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPT), *(source or ("-A",)), "--route",
                           f"{ns}/{name}", "--json"], capture_output=True, text=True,
                          env=kubectl_env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"]
            if f["object"]["kind"] == "HTTPRoute" and f["object"]["name"] == name
            and f["severity"] != "info" and f["cause"] not in ("no_timeouts", "no_tls",
                                                                 "backend_not_found")]


def without_status(kubectl, tmp_path, *items: tuple[str, str, str]) -> str:
    """The objects as `kubectl get -o yaml` prints them, route status removed: what the kit
    infers from the specs alone must agree with what the controller wrote."""
    objs = []
    for kind, name, ns in items:
        obj = get(kubectl, kind, name, "-n", ns)
        if kind == "httproute":
            obj.pop("status", None)
        objs.append(obj)
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objs}))
    return str(path)


def test_route_through_a_listenerset_the_gateway_refuses(kubectl, kubectl_env, namespace):
    """Envoy Gateway v1.9.0 writes no route status for a parentRef to a ListenerSet it did not
    attach (helpers.go GetReferencedListeners); check_routes.py says why from the
    ListenerSet instead of 'no controller'."""
    apply(kubectl, gateway(namespace), listener_set(namespace, "team", [http("team", 8080)]),
          route_to(namespace, "r", [ls_ref("team", namespace)]))
    wait_conditions(kubectl, "team", namespace, {"Accepted": ("False", "NotAllowed"),
                                                 "Programmed": ("False", "NotAllowed")})
    assert parent_status(kubectl, namespace, "r", "ListenerSet") is None
    found = check_route(kubectl_env, namespace, "r", "-n", namespace)
    assert [f["cause"] for f in found] == ["listenerset_not_allowed"], found
    assert "not attached to its Gateway" in found[0]["message"]

    apply(kubectl, gateway(namespace, allowed="Same"))
    cond = wait_until(lambda: parent_status(kubectl, namespace, "r", "ListenerSet"),
                      lambda c: c is not None, "Envoy Gateway to accept the route", timeout=90)
    assert (cond["status"], cond["reason"]) == ("True", "Accepted"), cond
    assert check_route(kubectl_env, namespace, "r", "-n", namespace) == []


def test_same_means_the_listenersets_namespace(kubectl, kubectl_env, namespace,
                                               other_namespace, tmp_path):
    """conformance ListenerSetAllowedRoutesNamespaces 'Cross-namespace ListenerSet': a route
    in the Gateway's namespace is NotAllowedByListeners on a ListenerSet elsewhere whose
    listener keeps the default allowedRoutes (from: Same)."""
    elsewhere = listener_set(other_namespace, "team", [http("team", 8080)])
    elsewhere["spec"]["parentRef"]["namespace"] = namespace
    apply(kubectl, gateway(namespace, allowed="All"), elsewhere,
          route_to(namespace, "outside", [ls_ref("team", other_namespace)]),
          route_to(other_namespace, "inside", [ls_ref("team", other_namespace)]))
    out = wait_until(lambda: parent_status(kubectl, namespace, "outside", "ListenerSet"),
                     lambda c: c is not None, "Envoy Gateway to judge route outside",
                     timeout=90)
    assert (out["status"], out["reason"]) == ("False", "NotAllowedByListeners"), out
    ok = wait_until(lambda: parent_status(kubectl, other_namespace, "inside", "ListenerSet"),
                    lambda c: c is not None, "Envoy Gateway to judge route inside", timeout=90)
    assert ok["status"] == "True", ok
    live = check_route(kubectl_env, namespace, "outside")
    assert [(f["cause"], f["basis"]) for f in live] == [("not_allowed_by_listener",
                                                         "reported")], live
    dump = without_status(kubectl, tmp_path, ("gateway", "gw", namespace),
                          ("listenerset", "team", other_namespace),
                          ("httproute", "outside", namespace),
                          ("httproute", "inside", other_namespace))
    inferred = check_route(kubectl_env, namespace, "outside", "-f", dump)
    assert [(f["cause"], f["basis"]) for f in inferred] == [("not_allowed_by_listener",
                                                             "inferred")], inferred
    # the status was removed on purpose: only its absence (no_controller) may be said
    assert [f["cause"] for f in check_route(kubectl_env, other_namespace, "inside", "-f",
                                            dump)] in ([], ["no_controller"])


def test_gateway_parent_does_not_reach_listenerset_listeners(kubectl, kubectl_env, namespace,
                                                             tmp_path):
    """conformance ListenerSetGatewayParentSectionNameNotFound: NoMatchingParent."""
    apply(kubectl, gateway(namespace, allowed="Same"),
          listener_set(namespace, "team", [http("team", 8080)]),
          route_to(namespace, "via-gw", [{"name": "gw", "sectionName": "team"}]),
          route_to(namespace, "via-ls", [ls_ref("team", namespace, sectionName="team")]))
    bad = wait_until(lambda: parent_status(kubectl, namespace, "via-gw", "Gateway"),
                     lambda c: c is not None, "Envoy Gateway to judge route via-gw", timeout=90)
    assert (bad["status"], bad["reason"]) == ("False", "NoMatchingParent"), bad
    good = wait_until(lambda: parent_status(kubectl, namespace, "via-ls", "ListenerSet"),
                      lambda c: c is not None, "Envoy Gateway to judge route via-ls", timeout=90)
    assert good["status"] == "True", good
    live = check_route(kubectl_env, namespace, "via-gw", "-n", namespace)
    assert [(f["cause"], f["basis"]) for f in live] == [("parent_not_found", "reported")], live
    assert f"ListenerSet {namespace}/team" in " ".join(live[0]["evidence"])
    assert check_route(kubectl_env, namespace, "via-ls", "-n", namespace) == []
    dump = without_status(kubectl, tmp_path, ("gateway", "gw", namespace),
                          ("listenerset", "team", namespace), ("httproute", "via-gw", namespace))
    inferred = check_route(kubectl_env, namespace, "via-gw", "-f", dump)
    assert [f["cause"] for f in inferred] == ["parent_not_found"], inferred
