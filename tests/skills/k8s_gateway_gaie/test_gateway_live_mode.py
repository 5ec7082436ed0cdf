"""check_routes.py live mode against a stand-in kubectl: listings are complete, optional CRDs
may be missing. The stand-in answers `kubectl get <resource> -o json [-n NS]` from a small
world and prints kubectl's own error for types the server does not serve."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "skills" / "k8s-gateway-gaie" / "scripts" / \
    "check_routes.py"

WORLD = [
    {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
     "metadata": {"name": "eg", "uid": "1"}, "spec": {"controllerName": "x/y"},
     "status": {"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted"}]}},
    {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
     "metadata": {"name": "gw", "namespace": "llm", "uid": "2"},
     "spec": {"gatewayClassName": "eg", "listeners": [
         {"name": "https", "port": 443, "protocol": "HTTPS",
          "tls": {"certificateRefs": [{"name": "cert"}]}}]}},
    {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
     "metadata": {"name": "chat", "namespace": "llm", "uid": "3", "generation": 1},
     "spec": {"parentRefs": [{"name": "gw"}],
              "rules": [{"backendRefs": [{"name": "llama-typo", "port": 8000}],
                         "timeouts": {"request": "300s"}}]}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "cert", "namespace": "llm"}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "llama", "namespace": "llm"},
     "spec": {"ports": [{"port": 8000}]}},
]

# kubectl's wording when the server does not serve a type (kubectl get unknownthing)
ABSENT = 'error: the server doesn\'t have a resource type "{}"'

STAND_IN = r'''#!{python}
import json, sys
world = json.load(open({world!r}))
args = sys.argv[1:]
resource = args[1]
kinds = {{"services": "Service", "pods": "Pod", "events": "Event", "namespaces": "Namespace",
          "httproutes": "HTTPRoute", "grpcroutes": "GRPCRoute", "gateways": "Gateway",
          "referencegrants": "ReferenceGrant", "gatewayclasses": "GatewayClass",
          "inferencepools": "InferencePool"}}
base = resource.split(".")[0]
if base not in kinds or "x-k8s" in resource or base in {missing!r}:
    print({absent!r}.format(base), file=sys.stderr)
    sys.exit(1)
ns = args[args.index("-n") + 1] if "-n" in args else None
items = [o for o in world if o["kind"] == kinds[base]
         and (ns is None or o["metadata"].get("namespace") == ns)]
print(json.dumps({{"apiVersion": "v1", "kind": "List", "items": items}}))
'''


def run_live(tmp_path, objects, missing=()):
    world = tmp_path / "world.json"
    world.write_text(json.dumps(objects))
    kubectl = tmp_path / "bin" / "kubectl"
    kubectl.parent.mkdir()
    kubectl.write_text(STAND_IN.format(python=sys.executable, world=str(world), absent=ABSENT,
                                       missing=set(missing)))
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ, PATH=f"{kubectl.parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run([sys.executable, str(SCRIPT), "-n", "llm", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)


def test_live_listing_proves_absence_and_skips_missing_crds(tmp_path):
    proc = run_live(tmp_path, WORLD)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "skipped" not in proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"] if f["severity"] != "info"]
    # the Service list of llm is complete: llama-typo does not exist (not just "not in dump")
    assert [(f["cause"], f["basis"]) for f in found][:1] == [("backend_not_found", "inferred")]
    assert found[0]["confirm"] == "kubectl get services llama-typo -n llm -o yaml"
    # a route read from the cluster with no status at all: no controller reconciled it
    assert "no_controller" in {f["cause"] for f in found}


def test_live_cluster_without_the_gateway_api_crds(tmp_path):
    proc = run_live(tmp_path, [WORLD[4]], missing={"httproutes", "grpcroutes", "gateways",
                                                    "referencegrants", "gatewayclasses"})
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    assert (found[0]["cause"], found[0]["basis"]) == ("crd_not_installed", "reported")
    assert "standard-install.yaml" in found[0]["fix"]


def test_live_route_to_a_pool_group_the_server_does_not_serve(tmp_path):
    route = json.loads(json.dumps(WORLD[2]))
    route["spec"]["rules"][0]["backendRefs"] = [
        {"group": "inference.networking.x-k8s.io", "kind": "InferencePool", "name": "llama"}]
    proc = run_live(tmp_path, WORLD[:2] + [route] + WORLD[3:])
    found = [f for f in json.loads(proc.stdout)["findings"] if f["severity"] != "info"]
    assert found[0]["cause"] == "crd_not_installed"
    assert found[0]["object"]["name"] == "inferencepools.inference.networking.x-k8s.io"
    assert "GAIE v1.5.0 removed it" in found[0]["fix"]
