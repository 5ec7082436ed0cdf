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

import pytest

from harness.cluster.envoy_gateway import config as eg
from tests.live.helpers import apply, condition, get, wait_until
from tests.live.test_gateway_live import check, tls_secret

pytestmark = pytest.mark.live

V1 = "gateway.networking.k8s.io/v1"


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
