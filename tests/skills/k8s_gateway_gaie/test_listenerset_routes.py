"""Routes that attach through a ListenerSet (parentRef kind ListenerSet, group
gateway.networking.k8s.io, Gateway API v1.5.0+) or an XListenerSet (kind XListenerSet, group
gateway.networking.x-k8s.io, v1.3.0-v1.4.x experimental).

Expected values come from the upstream conformance suite at gateway-api v1.6.1 (commit
8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3; manifests copied unchanged into
tests/resources/gateway/conformance-v1.6.1/, only the class placeholder filled in):
- ListenerSetAllowedRoutesNamespaces: every route attaches through the listener `from: All`;
  a route in the Gateway's namespace is Accepted=False NotAllowedByListeners on a ListenerSet
  in another namespace whose listener says `from: Same` (Same = the ListenerSet's namespace).
- ListenerSetGatewayParentSectionNameNotFound / ListenerSetDualParentRefIndependence: a
  Gateway parentRef whose sectionName is a ListenerSet's listener is Accepted=False
  NoMatchingParent, the same route's ListenerSet parentRef is Accepted=True.
- ListenerSetDefaultNotAllowed: a Gateway without allowedListeners leaves the ListenerSet
  Accepted=False NotAllowed. A route through it is not served; Envoy Gateway v1.9.0 writes
  no route status for that parentRef (internal/gatewayapi/helpers.go GetReferencedListeners,
  route.go processAllowedListenersForParentRefs; tests/live/test_gateway_listenerset_live.py).
Envoy Gateway matches a ListenerSet parentRef by kind AND group (v1.9.0 helpers.go
isRefToListenerSet; v1.7.0 isRefToXListenerSet wants gateway.networking.x-k8s.io), and the
group defaults to gateway.networking.k8s.io (apis/v1/shared_types.go ParentReference).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-gateway-gaie" / "scripts" / "check_routes.py"
CONFORMANCE = ROOT / "tests" / "resources" / "gateway" / "conformance-v1.6.1"
V1 = "gateway.networking.k8s.io/v1"
XV1 = "gateway.networking.x-k8s.io/v1alpha1"
NS = "gateway-conformance-infra"
ATTACH = {"parent_not_found", "not_allowed_by_listener", "hostname_mismatch", "no_controller",
          "listenerset_not_allowed", "listenerset_parent_not_accepted", "listenerset_invalid",
          "listenerset_not_reconciled", "listenerset_not_accepted"}


def conformance(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((CONFORMANCE / f"{name}.yaml").read_text()) if d]


def run(tmp_path, objs, *args) -> list[dict]:
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump_all(objs))
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", str(path), "--json", *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def attach(findings, route: str) -> list[dict]:
    return [f for f in findings if f["object"]["kind"] == "HTTPRoute"
            and f["object"]["name"] == route and f["cause"] in ATTACH]


def route(name, refs, ns=NS, hostnames=None, status=None) -> dict:
    obj = {"apiVersion": V1, "kind": "HTTPRoute", "metadata": {"name": name, "namespace": ns},
           "spec": {"parentRefs": refs, "rules": [{"backendRefs": [{"name": "svc",
                                                                   "port": 8080}]}]}}
    if hostnames:
        obj["spec"]["hostnames"] = hostnames
    if status:
        obj["status"] = {"parents": status}
    return obj


def test_allowed_routes_namespaces(tmp_path):
    found = run(tmp_path, conformance("listenerset-allowed-routes-namespaces"))
    for name in ("route-in-same-namespace", "route-in-selected-namespace",
                 "route-not-in-selected-namespace", "route-in-listenerset-namespace"):
        assert attach(found, name) == [], name          # Accepted=True in the conformance test
    refused = attach(found, "route-in-gateway-namespace")
    assert [f["cause"] for f in refused] == ["not_allowed_by_listener"]
    assert "ListenerSet gateway-api-ls-cross-ns/" in refused[0]["message"]
    assert "only gateway-api-ls-cross-ns" in " ".join(refused[0]["evidence"])


def test_selector_listener_alone_refuses_an_unlabelled_namespace(tmp_path):
    objs = conformance("listenerset-allowed-routes-namespaces")
    ls = next(o for o in objs if o["kind"] == "ListenerSet"
              and o["metadata"]["namespace"] == NS)
    section = "listener-set-listener-allowed-routes-selector"
    for name in ("route-in-selected-namespace", "route-not-in-selected-namespace"):
        r = next(o for o in objs if o["metadata"]["name"] == name)
        r["spec"]["parentRefs"][0]["sectionName"] = section
    found = run(tmp_path, objs)
    assert attach(found, "route-in-selected-namespace") == []
    refused = attach(found, "route-not-in-selected-namespace")
    assert [f["cause"] for f in refused] == ["not_allowed_by_listener"], refused
    assert ls["metadata"]["name"] in refused[0]["message"]


def test_gateway_parent_cannot_reach_a_listenerset_listener(tmp_path):
    found = run(tmp_path, conformance("listenerset-gateway-parent-section-name-not-found"))
    assert attach(found, "route-via-listenerset") == []
    bad = attach(found, "route-via-gateway")
    assert [f["cause"] for f in bad] == ["parent_not_found"]
    assert "ListenerSet gateway-conformance-infra/listenerset-section-name" in \
        " ".join(bad[0]["evidence"])
    assert "kind: ListenerSet" in bad[0]["fix"] and "sectionName: ls-only-listener" in \
        bad[0]["fix"]


def test_dual_parent_refs_are_judged_independently(tmp_path):
    found = run(tmp_path, conformance("listenerset-dual-parentref-independence"))
    assert attach(found, "route-dual-parentref-both") == []
    one = attach(found, "route-dual-parentref-one")
    assert [f["cause"] for f in one] == ["parent_not_found"]
    assert "Gateway gateway-conformance-infra/gateway-dual-parentref" in one[0]["message"]


def test_reported_no_matching_parent_names_the_listenerset(tmp_path):
    """The controller's verdict (as the conformance test requires it) is the finding; the
    evidence says which ListenerSet holds the listener."""
    objs = conformance("listenerset-gateway-parent-section-name-not-found")
    bad = next(o for o in objs if o["metadata"]["name"] == "route-via-gateway")
    bad["status"] = {"parents": [{
        "parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                      "name": "gateway-section-name", "namespace": NS,
                      "sectionName": "ls-only-listener"},
        "controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
        "conditions": [{"type": "Accepted", "status": "False", "reason": "NoMatchingParent",
                        "message": "No listeners match this parent ref"}]}]}
    got = attach(run(tmp_path, objs), "route-via-gateway")
    assert [(f["cause"], f["basis"]) for f in got] == [("parent_not_found", "reported")]
    assert "listener ls-only-listener is in ListenerSet gateway-conformance-infra/" \
           "listenerset-section-name" in " ".join(got[0]["evidence"])


def test_status_entry_is_matched_by_kind(tmp_path):
    """A Gateway and a ListenerSet with the same name: the route's Accepted=True for the
    ListenerSet parentRef says nothing about its Gateway parentRef."""
    gw = {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "edge", "namespace": NS},
          "spec": {"gatewayClassName": "c", "allowedListeners": {"namespaces": {"from": "Same"}},
                   "listeners": [{"name": "web", "port": 80, "protocol": "HTTP"}]}}
    ls = {"apiVersion": V1, "kind": "ListenerSet", "metadata": {"name": "edge", "namespace": NS},
          "spec": {"parentRef": {"name": "edge"},
                   "listeners": [{"name": "team", "port": 8080, "protocol": "HTTP"}]}}
    status = [{"parentRef": {"group": "gateway.networking.k8s.io", "kind": "ListenerSet",
                             "name": "edge", "namespace": NS, "sectionName": "team"},
               "controllerName": "x", "conditions": [
                   {"type": "Accepted", "status": "True", "reason": "Accepted"}]}]
    r = route("r", [{"name": "edge", "sectionName": "team"},
                    {"kind": "ListenerSet", "group": "gateway.networking.k8s.io",
                     "name": "edge", "sectionName": "team"}], status=status)
    got = attach(run(tmp_path, [gw, ls, r]), "r")
    assert [f["cause"] for f in got] == ["parent_not_found"]
    assert "Gateway " + NS + "/edge" in got[0]["message"]


def test_route_through_a_listenerset_the_gateway_does_not_allow(tmp_path):
    objs = conformance("listenerset-default-not-allowed")
    objs.append(route("r", [{"kind": "ListenerSet", "group": "gateway.networking.k8s.io",
                             "name": "listenerset-default-not-allowed"}]))
    found = run(tmp_path, objs)
    got = attach(found, "r")
    assert [f["cause"] for f in got] == ["listenerset_not_allowed"]
    assert "not attached to its Gateway" in got[0]["message"]
    assert "allowedListeners" in got[0]["fix"]


def test_route_reads_the_listenersets_own_refusal(tmp_path):
    """Accepted=False NotAllowed written by the controller (conformance
    ListenerSetDefaultNotAllowed) is what the route's finding quotes."""
    objs = conformance("listenerset-default-not-allowed")
    ls = next(o for o in objs if o["kind"] == "ListenerSet")
    ls["status"] = {"conditions": [{"type": "Accepted", "status": "False",
                                    "reason": "NotAllowed", "message": "not allowed here"}]}
    objs.append(route("r", [{"kind": "ListenerSet", "group": "gateway.networking.k8s.io",
                             "name": ls["metadata"]["name"]}]))
    got = attach(run(tmp_path, objs), "r")
    assert [f["cause"] for f in got] == ["listenerset_not_allowed"]
    assert "not allowed here" in " ".join(got[0]["evidence"])


def test_xlistenerset_kind_needs_its_own_group(tmp_path):
    """GEP-1713 (v1.4.1) writes `kind: XListenerSet` without a group; the group then
    defaults to gateway.networking.k8s.io, where the kind does not exist."""
    gw = {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "gw", "namespace": NS},
          "spec": {"gatewayClassName": "c", "allowedListeners": {"namespaces": {"from": "Same"}},
                   "listeners": [{"name": "web", "port": 80, "protocol": "HTTP"}]}}
    xls = {"apiVersion": XV1, "kind": "XListenerSet", "metadata": {"name": "team",
                                                                  "namespace": NS},
           "spec": {"parentRef": {"name": "gw", "kind": "Gateway",
                                  "group": "gateway.networking.k8s.io"},
                    "listeners": [{"name": "second", "port": 8080, "protocol": "HTTP"}]}}
    bad = route("bad", [{"kind": "XListenerSet", "name": "team", "sectionName": "second"}])
    good = route("good", [{"kind": "XListenerSet", "group": "gateway.networking.x-k8s.io",
                           "name": "team", "sectionName": "second"}])
    found = run(tmp_path, [gw, xls, bad, good])
    got = attach(found, "bad")
    assert [f["cause"] for f in got] == ["parent_not_found"]
    assert "group: gateway.networking.x-k8s.io" in got[0]["fix"]
    assert attach(found, "good") == []


def test_xlistenerset_listener_port_assigned_in_status(tmp_path):
    """v1.4.1 xlistenerset_types.go: ListenerEntry.port may be 0 (the implementation
    assigns it, status.listeners[].port says which)."""
    gw = {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "gw", "namespace": NS},
          "spec": {"gatewayClassName": "c", "allowedListeners": {"namespaces": {"from": "Same"}},
                   "listeners": [{"name": "web", "port": 80, "protocol": "HTTP"}]}}
    xls = {"apiVersion": XV1, "kind": "XListenerSet", "metadata": {"name": "team",
                                                                  "namespace": NS},
           "spec": {"parentRef": {"name": "gw"},
                    "listeners": [{"name": "dyn", "protocol": "HTTP"}]},
           "status": {"listeners": [{"name": "dyn", "port": 30080, "attachedRoutes": 0,
                                     "supportedKinds": [], "conditions": []}]}}
    ref = {"kind": "XListenerSet", "group": "gateway.networking.x-k8s.io", "name": "team"}
    found = run(tmp_path, [gw, xls, route("ok", [{**ref, "port": 30080}]),
                           route("off", [{**ref, "port": 8080}])])
    assert attach(found, "ok") == []
    assert [f["cause"] for f in attach(found, "off")] == ["parent_not_found"]


def test_hostname_and_missing_listenerset(tmp_path):
    objs = conformance("listenerset-gateway-parent-section-name-not-found")
    ref = {"kind": "ListenerSet", "group": "gateway.networking.k8s.io",
           "name": "listenerset-section-name"}
    objs += [route("host", [ref], hostnames=["other.example.com"]),
             route("gone", [{**ref, "name": "absent"}])]
    found = run(tmp_path, [{"apiVersion": "v1", "kind": "List", "items": objs}])
    assert [f["cause"] for f in attach(found, "host")] == ["hostname_mismatch"]
    gone = attach(found, "gone")
    assert [f["cause"] for f in gone] == ["parent_not_found"]
    assert "ListenerSet gateway-conformance-infra/absent" in gone[0]["message"]


def test_listenerset_not_in_a_partial_dump_is_unknown(tmp_path):
    r = route("r", [{"kind": "ListenerSet", "group": "gateway.networking.k8s.io",
                     "name": "elsewhere"}])
    found = run(tmp_path, [r])
    assert attach(found, "r") == []
    assert any(f["cause"] == "not_in_dump" and "ListenerSet" in f["message"]
               for f in found if f["object"]["name"] == "r")


def test_route_filter_keeps_the_listenerset_and_its_gateway(tmp_path):
    objs = conformance("listenerset-default-not-allowed")
    objs.append(route("r", [{"kind": "ListenerSet", "group": "gateway.networking.k8s.io",
                             "name": "listenerset-default-not-allowed"}]))
    found = run(tmp_path, objs, "--route", f"{NS}/r")
    kinds = {f["object"]["kind"] for f in found if f["cause"] == "listenerset_not_allowed"}
    assert kinds == {"ListenerSet", "HTTPRoute"}
