"""XListenerSet, the experimental ListenerSet of Gateway API v1.3.0-v1.4.x, is diagnosed as a
ListenerSet is. Object shapes from sigs.k8s.io/gateway-api v1.4.1:
- apisx/v1alpha1/xlistenerset_types.go l.59-73 (kind XListenerSet; the CRD
  config/crd/experimental/gateway.networking.x-k8s.io_xlistenersets.yaml: group
  gateway.networking.x-k8s.io, version v1alpha1, plural xlistenersets), l.76-119 (spec.parentRef,
  spec.listeners[]), l.219-246 (status.conditions, status.listeners[]), l.70 (the CRD default
  status: Accepted and Programmed Unknown, reason Pending, "Waiting for controller",
  lastTransitionTime 1970-01-01T00:00:00Z), l.361-412 (Accepted reasons Invalid, NotAllowed,
  ParentNotAccepted, ListenersNotValid; Pending).
- apisx/v1alpha1/shared_types.go l.43-66 (parentRef group default gateway.networking.k8s.io,
  kind default Gateway: the parent is the standard v1 Gateway).
- apis/v1/gateway_types.go l.282-288, 321-354 (spec.allowedListeners.namespaces.from
  All|Selector|Same|None, default None) and l.1264-1291 (Gateway condition
  AttachedListenerSets: ListenerSetsAttached, NoListenerSetsAttached, ListenerSetsNotAllowed).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-gateway-gaie" / "scripts" / "check_routes.py"
V1 = "gateway.networking.k8s.io/v1"
XV1A1 = "gateway.networking.x-k8s.io/v1alpha1"
PENDING = {"status": "Unknown", "reason": "Pending", "message": "Waiting for controller",
           "lastTransitionTime": "1970-01-01T00:00:00Z"}       # the CRD default, l.70
CLASS = {"apiVersion": V1, "kind": "GatewayClass", "metadata": {"name": "eg"},
         "spec": {"controllerName": "example.com/gateway-controller"}}


def gateway(allowed=None, conditions=None):
    spec = {"gatewayClassName": "eg", "listeners": [{"name": "http", "port": 80,
                                                       "protocol": "HTTP"}]}
    if allowed is not None:
        spec["allowedListeners"] = {"namespaces": allowed}
    gw = {"apiVersion": V1, "kind": "Gateway",
          "metadata": {"name": "shared", "namespace": "infra"}, "spec": spec}
    if conditions:
        gw["status"] = {"conditions": conditions}
    return gw


def xlistenerset(conditions=None, listeners=None):
    # parentRef as the apiserver stores it: group and kind filled by the CRD defaults
    obj = {"apiVersion": XV1A1, "kind": "XListenerSet",
           "metadata": {"name": "team-a-https", "namespace": "team-a"},
           "spec": {"parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                  "name": "shared", "namespace": "infra"},
                    "listeners": [{"name": "https", "port": 443, "protocol": "HTTPS",
                                   "hostname": "a.example.com",
                                   "allowedRoutes": {"namespaces": {"from": "Same"}}}]}}
    if conditions is not None:
        obj["status"] = {"conditions": conditions}
    if listeners is not None:
        obj.setdefault("status", {})["listeners"] = listeners
    return obj


def run(tmp_path, *objs):
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": list(objs)}))
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", str(path), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def of(findings, kind):
    return [f for f in findings if f["object"]["kind"] == kind]


@pytest.mark.parametrize("allowed, expected", [
    (None, ["listenerset_not_allowed"]),                 # default from: None
    ({"from": "None"}, ["listenerset_not_allowed"]),
    ({"from": "Same"}, ["listenerset_not_allowed"]),     # XListenerSet in another namespace
    ({"from": "All"}, []),
])
def test_gateway_must_opt_in(tmp_path, allowed, expected):
    got = of(run(tmp_path, CLASS, gateway(allowed), xlistenerset()), "XListenerSet")
    assert [f["cause"] for f in got] == expected
    for f in got:
        assert f["basis"] == "inferred" and "XListenerSet's listeners" in f["message"]
        assert f["confirm"].startswith("kubectl get xlistenerset team-a-https -n team-a")


def test_selector_reads_the_namespace_labels(tmp_path):
    ns = {"apiVersion": "v1", "kind": "Namespace",
          "metadata": {"name": "team-a", "labels": {"shared-gateway": "yes"}}}
    match = {"from": "Selector", "selector": {"matchLabels": {"shared-gateway": "yes"}}}
    miss = {"from": "Selector", "selector": {"matchLabels": {"shared-gateway": "no"}}}
    assert of(run(tmp_path, CLASS, ns, gateway(match), xlistenerset()), "XListenerSet") == []
    got = of(run(tmp_path, CLASS, ns, gateway(miss), xlistenerset()), "XListenerSet")
    assert [f["cause"] for f in got] == ["listenerset_not_allowed"]


@pytest.mark.parametrize("reason, cause", [
    ("NotAllowed", "listenerset_not_allowed"),
    ("ParentNotAccepted", "listenerset_parent_not_accepted"),
    ("ListenersNotValid", "listenerset_invalid"),
    ("Invalid", "listenerset_invalid"),
])
def test_controller_condition_decides(tmp_path, reason, cause):
    cond = {"type": "Accepted", "status": "False", "reason": reason, "message": "x"}
    got = of(run(tmp_path, CLASS, gateway({"from": "All"}), xlistenerset([cond])),
             "XListenerSet")
    assert got[0]["cause"] == cause and got[0]["basis"] == "reported"
    assert got[0]["message"].startswith("XListenerSet not accepted")


def test_crd_default_status_is_not_reconciled(tmp_path):
    """Nothing wrote status: the CRD default (l.70) is all there is."""
    conds = [dict(PENDING, type="Accepted"), dict(PENDING, type="Programmed")]
    got = of(run(tmp_path, CLASS, gateway({"from": "All"}), xlistenerset(conds)),
             "XListenerSet")
    assert [(f["cause"], f["severity"]) for f in got] == [
        ("listenerset_not_reconciled", "warning")]
    # v1.5.0 has no apisx/v1alpha1/xlistenerset_types.go: newer implementations read ListenerSet
    assert "ListenerSet (gateway.networking.k8s.io/v1)" in got[0]["fix"]


def test_listener_entry_conditions_name_the_listener(tmp_path):
    """status.listeners[] is ListenerEntryStatus (l.249-): reported as a Gateway's are."""
    entry = {"name": "https", "port": 443, "attachedRoutes": 0, "supportedKinds": [],
             "conditions": [{"type": "ResolvedRefs", "status": "False",
                             "reason": "InvalidCertificateRef", "message": "x"}]}
    conds = [{"type": "Accepted", "status": "True", "reason": "ListenersNotValid",
              "message": "x"}]
    got = of(run(tmp_path, CLASS, gateway({"from": "All"}), xlistenerset(conds, [entry])),
             "XListenerSet")
    assert [f["cause"] for f in got] == ["listener_certificate_invalid"]
    assert "listener https" in got[0]["message"]


def test_parent_gateway_refused(tmp_path):
    gw = gateway({"from": "All"}, [{"type": "Accepted", "status": "False",
                                    "reason": "InvalidParameters", "message": "x"}])
    got = of(run(tmp_path, CLASS, gw, xlistenerset()), "XListenerSet")
    assert [f["cause"] for f in got] == ["listenerset_parent_not_accepted"]


def test_missing_parent(tmp_path):
    """A `kind: List` holding the Gateways of the parent's namespace proves it absent."""
    other = gateway({"from": "All"})
    other["metadata"]["name"] = "other"
    got = of(run(tmp_path, CLASS, other, xlistenerset()), "XListenerSet")
    assert [f["cause"] for f in got] == ["parent_not_found"]
    assert "Gateway infra/shared" in got[0]["message"]


@pytest.mark.parametrize("reason, expected", [
    ("ListenerSetsNotAllowed", ["listenerset_not_allowed"]),
    ("NoListenerSetsAttached", []),                     # no set attaches: its normal state
])
def test_v1_4_gateway_attached_listenersets_condition(tmp_path, reason, expected):
    gw = gateway({"from": "All"}, [{"type": "AttachedListenerSets", "status": "False",
                                    "reason": reason, "message": "x"}])
    got = of(run(tmp_path, CLASS, gw), "Gateway")
    assert [f["cause"] for f in got if f["basis"] == "reported"] == expected


def test_same_kind_in_the_wrong_group_is_not_inferred(tmp_path):
    """An XListenerSet is only ever served in gateway.networking.x-k8s.io."""
    obj = xlistenerset()
    obj["apiVersion"] = V1
    assert of(run(tmp_path, CLASS, gateway(), obj), "XListenerSet") == []


# A Gateway API v1.4.x experimental cluster, live: the server serves
# xlistenersets.gateway.networking.x-k8s.io and has no listenersets.gateway.networking.k8s.io
# (v1.4.1 ships only config/crd/experimental/gateway.networking.x-k8s.io_xlistenersets.yaml).
STAND_IN = r'''#!{python}
import json, sys
world = json.load(open({world!r}))
resource = sys.argv[2]
served = {{"gateways.gateway.networking.k8s.io": "Gateway",
          "gatewayclasses.gateway.networking.k8s.io": "GatewayClass",
          "xlistenersets.gateway.networking.x-k8s.io": "XListenerSet",
          "services": "Service", "namespaces": "Namespace"}}
if resource not in served:
    print('error: the server doesn\'t have a resource type "%s"' % resource.split(".")[0],
          file=sys.stderr)
    sys.exit(1)
args = sys.argv[1:]
ns = args[args.index("-n") + 1] if "-n" in args else None
items = [o for o in world if o["kind"] == served[resource]
         and (ns is None or o["metadata"].get("namespace") in (ns, None))]
print(json.dumps({{"apiVersion": "v1", "kind": "List", "items": items}}))
'''


def test_live_v1_4_cluster_reads_xlistenersets(tmp_path):
    world = tmp_path / "world.json"
    world.write_text(json.dumps([CLASS, gateway(), xlistenerset()]))
    kubectl = tmp_path / "bin" / "kubectl"
    kubectl.parent.mkdir()
    kubectl.write_text(STAND_IN.format(python=sys.executable, world=str(world)))
    kubectl.chmod(0o755)
    env = dict(os.environ, PATH=f"{kubectl.parent}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run([sys.executable, str(SCRIPT), "-A", "--json"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 1, proc.stderr
    got = of(json.loads(proc.stdout)["findings"], "XListenerSet")
    assert [f["cause"] for f in got] == ["listenerset_not_allowed"]   # allowedListeners unset
