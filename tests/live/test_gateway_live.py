"""Issue 8, live: objects from make_route.py are accepted by the real apiserver (pinned
Gateway API v1.6.3 experimental CRDs + InferencePool v1), and check_routes.py names every
injected fault while staying quiet on the healthy baseline.

The cluster runs no Gateway controller, so nothing writes route status: every verdict here is
derived from the objects, which is the path the issue requires. Each test owns a fresh
namespace (fixture `namespace`); the GatewayClass and the extra namespace carry that name and
are deleted in `finally`.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.live.helpers import apply, get, wait_for

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-gateway-gaie" / "scripts"


def make(*args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "make_route.py"), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [d for d in yaml.safe_load_all(proc.stdout) if d]


def check(kubectl_env, namespace: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-n", namespace,
                           "--json"], capture_output=True, text=True, env=kubectl_env,
                          timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def deployment(name: str, ns: str, labels: dict, port: int, replicas: int = 1) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                         "name": "server", "image": "vllm/vllm-openai:v0.11.0",
                         "ports": [{"containerPort": port}],
                         "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}}}}


def service(name: str, ns: str, selector: dict, port: int) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": selector, "ports": [{"name": "http", "port": port,
                                                      "targetPort": port}]}}


def baseline(ns: str) -> dict[str, dict]:
    """A healthy setup, written by make_route.py: Gateway (HTTP + HTTPS), pool + EPP, route."""
    gwc = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
           "metadata": {"name": f"gc-{ns}"},
           "spec": {"controllerName": "example.com/gateway-controller"}}
    [gw] = make("gateway", "gw", "-n", ns, "--class", f"gc-{ns}", "--hostname",
                "*.example.com", "--tls-secret", "gw-cert")
    pool, route = make("expose", "llama", "-n", ns, "--gateway", "gw", "--path", "/v1",
                       "--hostname", "llm.example.com", "--timeout", "300s", "--port", "8000")
    route["spec"]["parentRefs"][0].pop("sectionName", None)
    route["spec"]["rules"].append({
        "matches": [{"path": {"type": "PathPrefix", "value": "/svc"}}],
        "backendRefs": [{"name": "llama-svc", "port": 8000}], "timeouts": {"request": "60s"}})
    return {"gwc": gwc, "gw": gw, "pool": pool, "route": route,
            "model": deployment("llama", ns, {"app": "llama"}, 8000, 2),
            "epp": deployment("llama-epp", ns, {"app": "llama-epp"}, 9002),
            "epp-svc": service("llama-epp", ns, {"app": "llama-epp"}, 9002),
            "svc": service("llama-svc", ns, {"app": "llama"}, 8000)}


def _pods_running(kubectl, ns: str) -> bool:
    pods = get(kubectl, "pods", "-n", ns)["items"]
    running = [p for p in pods if p.get("status", {}).get("phase") == "Running"]
    return len(running) >= 3


@pytest.fixture
def setup(kubectl, namespace):
    """Apply a (possibly mutated) baseline; wait for the KWOK pods; clean up the class."""
    applied = []

    def run(mutate=None):
        objs = baseline(namespace)
        if mutate:
            mutate(objs, namespace)
        applied.extend(o for o in objs.values() if o)
        apply(kubectl, *[o for o in objs.values() if o], server_side=True)
        wait_for(lambda: _pods_running(kubectl, namespace), timeout=90,
                 what="model and EPP pods Running")
        return objs
    try:
        yield run
    finally:
        kubectl("delete", "gatewayclass", f"gc-{namespace}", "--wait=false", check=False)
        kubectl("delete", "namespace", f"{namespace}-x", "--wait=false", check=False)


def test_generated_objects_are_accepted_by_the_apiserver(kubectl, namespace):
    docs = []
    docs += make("expose", "llama-3-8b", "-n", namespace, "--gateway", "gw", "--path",
                 "/api/v1/chat", "--tls", "--timeout", "30s", "--retries", "2",
                 "--gateway-class", f"gc-{namespace}", "--tls-secret", "gw-cert")
    docs += make("route", "chat", "-n", namespace, "--gateway", "gw", "--header-route",
                 "X-Gateway-Model-Name:llama-3-8b=pool/llama-3-8b", "--header-route",
                 "x-tenant:acme=svc/acme:8000=10", "--backend", "svc/llama:8000=90",
                 "--timeout", "300s", "--backend-timeout", "120s", "--retries", "2",
                 "--retry-codes", "503,429", "--retry-backoff", "500ms", "--channel",
                 "experimental")
    docs += make("route", "sticky", "-n", namespace, "--gateway", "gw", "--backend",
                 "svc/llama:8000", "--session-header", "x-session-id", "--channel",
                 "experimental", "--timeout", "300s")
    docs += make("route", "grpc", "-n", namespace, "--gateway", "gw", "--grpc",
                 "--grpc-service", "vllm.Generate", "--backend", "svc/llama-grpc:9000")
    docs += make("route", "cross", "-n", namespace, "--gateway", "gw",
                 "--backend", f"svc/{namespace}/shared:8000")
    docs += make("pool", "multi", "-n", namespace, "--selector", "app=multi", "--port", "8000",
                 "--port", "8001", "--failure-mode", "FailOpen", "--app-protocol",
                 "kubernetes.io/h2c")
    docs += make("grant", "-n", namespace, "--from-namespace", "apps", "--to-kind",
                 "InferencePool", "--to-name", "llama-3-8b")
    docs += make("gateway", "platform", "-n", namespace, "--class", f"gc-{namespace}",
                 "--tls-secret", "cert", "--no-http", "--allow-namespaces",
                 "selector:gateway-access=llm")
    docs += make("backend-tls", "vllm-tls", "-n", namespace, "--service", "llama",
                 "--hostname", "llama.svc", "--ca-configmap", "llama-ca")
    docs += make("backend-tls", "ext-tls", "-n", namespace, "--service", "ext",
                 "--hostname", "api.example.com", "--well-known-ca")
    kinds = {d["kind"] for d in docs}
    assert kinds >= {"Gateway", "HTTPRoute", "GRPCRoute", "InferencePool", "ReferenceGrant",
                     "BackendTLSPolicy"}
    text = yaml.safe_dump_all(docs)
    kubectl("apply", "--dry-run=server", "-f", "-", stdin=text)
    try:
        kubectl("apply", "--server-side", "-f", "-", stdin=text)
        route = get(kubectl, "httproute", "chat", "-n", namespace)
        assert route["spec"]["rules"][0]["retry"]["attempts"] == 2
        pool = get(kubectl, "inferencepool", "llama-3-8b", "-n", namespace)
        assert pool["spec"]["endpointPickerRef"]["failureMode"] == "FailClose"  # CRD default
    finally:
        kubectl("delete", "gateway", "--all", "-n", namespace, "--wait=false", check=False)


def test_healthy_baseline_triggers_nothing(kubectl_env, setup, namespace):
    setup()
    code, doc = check(kubectl_env, namespace)
    assert code == 0, doc["findings"]
    assert doc["summary"] == {"routes": 1, "pools": 1, "gateways": 1}
    assert not [f for f in doc["findings"] if f["severity"] != "info"]


def _route(objs):
    return objs["route"]["spec"]


def _cross_ns_backend(objs, ns):
    other = f"{ns}-x"
    objs["ns"] = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": other}}
    objs["other-svc"] = service("shared", other, {"app": "shared"}, 8000)
    _route(objs)["rules"][1]["backendRefs"] = [{"name": "shared", "namespace": other,
                                                "port": 8000}]


def _selector_listener(objs, ns):
    for li in objs["gw"]["spec"]["listeners"]:
        li["allowedRoutes"] = {"namespaces": {"from": "Selector", "selector": {
            "matchLabels": {"gateway-access": "llm"}}}}


FAULTS = {
    "parent_not_found": lambda o, ns: _route(o)["parentRefs"][0].update(name="gw-typo"),
    "not_allowed_by_listener": _selector_listener,
    "hostname_mismatch": lambda o, ns: _route(o).update(hostnames=["llm.example.org"]),
    "backend_not_found": lambda o, ns: _route(o)["rules"][0]["backendRefs"][0].update(
        name="llama-typo"),
    "ref_not_permitted": _cross_ns_backend,
    "port_mismatch": lambda o, ns: _route(o)["rules"][1]["backendRefs"][0].update(port=8080),
    "pool_selects_no_pods": lambda o, ns: o["pool"]["spec"]["selector"].update(
        matchLabels={"app": "llama-v2"}),
    "pool_target_port_mismatch": lambda o, ns: o["pool"]["spec"].update(
        targetPorts=[{"number": 8001}]),
    "endpoint_picker_missing": lambda o, ns: o.update({"epp-svc": None}),
    "outdated_inference_api": lambda o, ns: _route(o)["rules"][0]["backendRefs"][0].update(
        group="inference.networking.x-k8s.io"),
    "no_timeouts": lambda o, ns: [r.pop("timeouts") for r in _route(o)["rules"]],
    "no_tls": lambda o, ns: o["gw"]["spec"].update(listeners=[
        li for li in o["gw"]["spec"]["listeners"] if li["protocol"] == "HTTP"]),
    "gateway_class_not_found": lambda o, ns: o["gw"]["spec"].update(
        gatewayClassName=f"missing-{ns}"),
}


@pytest.mark.parametrize("cause", sorted(FAULTS))
def test_fault_is_named(kubectl_env, setup, namespace, cause):
    setup(lambda objs, ns: FAULTS[cause](objs, ns))
    code, doc = check(kubectl_env, namespace)
    causes = {f["cause"] for f in doc["findings"]}
    assert code == 1
    assert cause in causes, doc["findings"]
    # one fault, one diagnosis: nothing else at warning or error level
    others = {f["cause"] for f in doc["findings"] if f["severity"] != "info"} - {cause}
    assert not others, doc["findings"]


def test_fault_fixed_by_the_printed_fix(kubectl, kubectl_env, setup, namespace):
    """ref_not_permitted: applying the ReferenceGrant make_route.py prints clears it."""
    setup(_cross_ns_backend)
    _, doc = check(kubectl_env, namespace)
    assert "ref_not_permitted" in {f["cause"] for f in doc["findings"]}
    apply(kubectl, *make("grant", "-n", f"{namespace}-x", "--from-namespace", namespace,
                         "--to-kind", "Service", "--to-name", "shared"))
    code, doc = check(kubectl_env, namespace)
    assert code == 0, doc["findings"]


def test_dump_mode_matches_live(kubectl, kubectl_env, setup, namespace, tmp_path):
    setup(FAULTS["port_mismatch"])
    dump = kubectl("get", "gateways,httproutes,inferencepools,services,pods,gatewayclasses",
                   "-n", namespace, "-o", "yaml").stdout
    path = tmp_path / "dump.yaml"
    path.write_text(dump)
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-f", str(path),
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "port_mismatch" in {f["cause"] for f in json.loads(proc.stdout)["findings"]}


def test_unreachable_cluster_is_one_line_exit_2(kubectl_env, tmp_path):
    bad = dict(kubectl_env, KUBECONFIG=str(tmp_path / "nope.yaml"))
    (tmp_path / "nope.yaml").write_text("apiVersion: v1\nkind: Config\nclusters:\n- name: x\n"
                                        "  cluster: {server: 'https://127.0.0.1:1'}\n"
                                        "contexts:\n- name: x\n  context: {cluster: x}\n"
                                        "current-context: x\n")
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-n", "x"],
                          capture_output=True, text=True, env=bad, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error:")


def _status(reason: str, generation: int, ctype: str = "Accepted") -> dict:
    conds = [{"type": t, "status": "True", "reason": t, "message": "",
              "observedGeneration": generation,
              "lastTransitionTime": "2026-11-26T00:00:00Z"} for t in ("Accepted", "ResolvedRefs")]
    for cond in conds:
        if cond["type"] == ctype and reason != ctype:
            cond.update(status="False", reason=reason, message=f"{reason} (test controller)")
    return {"status": {"parents": [{"parentRef": {"group": "gateway.networking.k8s.io",
                                                  "kind": "Gateway", "name": "gw"},
                                    "controllerName": "istio.io/gateway-controller",
                                    "conditions": conds}]}}


def test_controller_status_wins_and_stale_status_is_ignored(kubectl, kubectl_env, setup,
                                                            namespace):
    """Write route status as a controller would (status subresource): a current
    NotAllowedByListeners is reported although the objects look fine; once the spec moves
    on (new generation) the stale condition is ignored and the objects decide again."""
    setup()
    route = get(kubectl, "httproute", "llama", "-n", namespace)
    gen = route["metadata"]["generation"]
    kubectl("patch", "httproute", "llama", "-n", namespace, "--subresource=status",
            "--type=merge", "-p", json.dumps(_status("NotAllowedByListeners", gen)))
    code, doc = check(kubectl_env, namespace)
    [f] = [f for f in doc["findings"] if f["severity"] != "info"]
    assert (code, f["cause"]) == (1, "not_allowed_by_listener")
    assert "NotAllowedByListeners (test controller)" in " ".join(f["evidence"])
    kubectl("patch", "httproute", "llama", "-n", namespace, "--type=merge", "-p",
            json.dumps({"spec": {"hostnames": ["llm.example.com", "chat.example.com"]}}))
    code, doc = check(kubectl_env, namespace)
    assert code == 0, doc["findings"]
