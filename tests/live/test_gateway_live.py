"""Issues 8 and 13, live: Gateway API status written by a real controller.

The cluster runs Envoy Gateway (harness.cluster.envoy_gateway; GatewayClass `eg`). Every
fault below is applied to a healthy baseline written by make_route.py; the test then waits
for Envoy Gateway to write status for the current generation, asserts the exact condition
it wrote (type, status, reason), and checks that check_routes.py names the same cause from
that status (basis "reported") or, where no controller writes anything (a parent or class
that does not exist), from the objects (basis "inferred").

InferencePools: beside Envoy Gateway runs Envoy AI Gateway's controller
(harness.cluster.envoy_ai_gateway), its extension server for InferencePool backends and the
writer of the pools' `status.parents`. The POOL_FAULTS cases assert what the two write for
routes to pools and check_routes.py's diagnosis from it.

Captures: with K8S_SKILLS_GATEWAY_CAPTURE=1 each case also writes what the controller wrote
to tests/resources/gateway/envoy-gateway/<case>.yaml (pool cases: envoy-ai-gateway/), the
skill tests' fixtures; test_captures_match_the_controller checks the committed ones against
a live run.
"""
from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness import pins
from harness.cluster import pki
from harness.cluster.envoy_ai_gateway import config as aigw
from harness.cluster.envoy_gateway import config as eg
from harness.cluster.envoy_gateway import netns
from tests.live.helpers import apply, condition, get, wait_for

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "skills" / "k8s-gateway-gaie" / "scripts"
CAPTURES = REPO / "tests" / "resources" / "gateway" / "envoy-gateway"
POOL_CAPTURES = CAPTURES.parent / "envoy-ai-gateway"
CAPTURE = os.environ.get("K8S_SKILLS_GATEWAY_CAPTURE") == "1"
ROUTES = ("httproute", "grpcroute")


# -- objects ---------------------------------------------------------------------------------
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


def deployment(name: str, ns: str, labels: dict, port: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "nodeSelector": dict(eg.PROXY_NODE_SELECTOR),
                         "containers": [{
                             "name": "server", "image": "vllm/vllm-openai:v0.11.0",
                             "ports": [{"containerPort": port}],
                             "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}}}}


def service(name: str, ns: str, selector: dict, port: int, app_protocol: str = "") -> dict:
    port_spec = {"name": "http", "port": port, "targetPort": port}
    if app_protocol:
        port_spec["appProtocol"] = app_protocol
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": selector, "ports": [port_spec]}}


def tls_secret(name: str, ns: str, host: str) -> dict:
    pair = pki.make_serving_cert(pki.make_ca("gateway-test-ca"), [host])
    return {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": {"name": name, "namespace": ns},
            "data": {"tls.crt": base64.b64encode(pair.cert_pem).decode(),
                     "tls.key": base64.b64encode(pair.key_pem).decode()}}


def baseline(ns: str) -> dict[str, dict]:
    """Healthy on Envoy Gateway: Gateway (HTTP + HTTPS with a real certificate), an
    HTTPRoute and a GRPCRoute to Services with a KWOK pod behind them."""
    [gw] = make("gateway", "gw", "-n", ns, "--class", eg.GATEWAY_CLASS, "--hostname",
                "*.example.com", "--tls-secret", "gw-cert")
    [route] = make("route", "llama", "-n", ns, "--gateway", "gw", "--path", "/v1",
                   "--hostname", "llm.example.com", "--timeout", "300s",
                   "--backend", "svc/llama-svc:8000")
    [grpc] = make("route", "generate", "-n", ns, "--gateway", "gw", "--grpc",
                  "--grpc-service", "vllm.Generate", "--hostname", "grpc.example.com",
                  "--backend", "svc/llama-grpc:9000")
    return {"gw": gw, "route": route, "grpc": grpc,
            "cert": tls_secret("gw-cert", ns, "*.example.com"),
            "model": deployment("llama", ns, {"app": "llama"}, 8000),
            "svc": service("llama-svc", ns, {"app": "llama"}, 8000),
            "grpc-svc": service("llama-grpc", ns, {"app": "llama"}, 9000, "kubernetes.io/h2c")}


# -- waiting for the controller --------------------------------------------------------------
def _current(obj: dict, conditions: list[dict]) -> bool:
    gen = obj["metadata"].get("generation")
    return bool(conditions) and all(c.get("observedGeneration") == gen for c in conditions)


def route_status(kubectl, kind: str, name: str, ns: str) -> dict | None:
    """The route's status entry written by Envoy Gateway for its current generation."""
    obj = get(kubectl, kind, name, "-n", ns)
    for entry in obj.get("status", {}).get("parents", []) or []:
        if entry.get("controllerName") == eg.CONTROLLER_NAME and \
                _current(obj, entry.get("conditions", [])):
            return entry
    return None


def pool_status(kubectl, name: str, ns: str, gateway: str = "gw") -> dict | None:
    """The pool's `status.parents` entry for `gateway` written by Envoy AI Gateway's
    controller for the pool's current generation."""
    obj = get(kubectl, "inferencepool", name, "-n", ns)
    for entry in (obj.get("status") or {}).get("parents") or []:
        if entry.get("parentRef", {}).get("name") == gateway and \
                _current(obj, entry.get("conditions", [])):
            return entry
    return None


def gateway_status(kubectl, name: str, ns: str, programmed: bool = False) -> dict | None:
    """The Gateway's status once Envoy Gateway has judged its current generation (and,
    with programmed=True, once Programmed is no longer waiting on the Envoy pods)."""
    obj = get(kubectl, "gateway", name, "-n", ns)
    conds = obj.get("status", {}).get("conditions", [])
    accepted = condition(obj, "Accepted") or {}
    if not _current(obj, conds) or accepted.get("reason") == "Pending":
        return None
    if programmed and (condition(obj, "Programmed") or {}).get("status") != "True":
        return None
    return obj["status"]


def wait_routes(kubectl, ns: str, names=(("httproute", "llama"), ("grpcroute", "generate"))):
    for kind, name in names:
        wait_for(lambda: route_status(kubectl, kind, name, ns), timeout=60,
                 what=f"Envoy Gateway's status on {kind} {name}")


def conds(entry: dict) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in entry["conditions"]}


# -- capture ---------------------------------------------------------------------------------
NOISE = ("managedFields", "uid", "resourceVersion", "creationTimestamp", "annotations",
         "finalizers", "selfLink")
KINDS = "gateways,httproutes,grpcroutes,referencegrants,inferencepools,services"


def snapshot(kubectl, namespaces: list[str], pods: bool = False) -> str:
    """What the controller wrote, as a `kubectl get -o yaml` List; namespace names become
    apps / models so the files do not change with every run. With `pods`, also the pods
    (labels, ports, phase and Ready), which an InferencePool's diagnosis needs."""
    items = []
    for ns in namespaces:
        items += get(kubectl, KINDS + (",pods" if pods else ""), "-n", ns)["items"]
    classes = {i["spec"].get("gatewayClassName") for i in items if i["kind"] == "Gateway"}
    items += [get(kubectl, "gatewayclass", c) for c in sorted(classes)
              if kubectl("get", "gatewayclass", c, check=False).returncode == 0]
    for item in items:
        for key in NOISE:
            item["metadata"].pop(key, None)
        if item["kind"] == "Service":
            item["spec"] = {k: v for k, v in item["spec"].items()
                            if k in ("selector", "ports", "type", "externalName")}
            item.pop("status", None)
        if item["kind"] == "Pod":
            _trim_pod(item)
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List",
                           "items": sorted(items, key=_order)}, sort_keys=False)
    for ns, stable in zip(namespaces, ("apps", "models")):
        text = re.sub(rf"\b{re.escape(ns)}\b", stable, text)
    return text


def _trim_pod(pod: dict) -> None:
    pod["metadata"] = {k: v for k, v in pod["metadata"].items()
                       if k in ("name", "namespace", "labels")}
    pod["spec"] = {"containers": [{k: v for k, v in c.items() if k in ("name", "ports")}
                                  for c in pod["spec"]["containers"]]}
    pod["status"] = {"phase": pod["status"].get("phase"),
                     "conditions": [{k: c[k] for k in ("type", "status") if k in c}
                                    for c in pod["status"].get("conditions", [])
                                    if c.get("type") == "Ready"]}


def settled(kubectl, namespaces: list[str], pods: bool = False) -> str:
    """A snapshot once the conditions stopped changing (the Gateway is programmed a moment
    after the routes are judged, once its Envoy pod is up)."""
    previous = [None]

    def same_twice():
        text = snapshot(kubectl, namespaces, pods)
        tuples = status_tuples(yaml.safe_load(text))
        stable = tuples == previous[0]
        previous[0] = tuples
        return text if stable else None
    return wait_for(same_twice, timeout=60, interval=1.5, what="the status to settle")


def backends_ready(kubectl, namespaces: list[str]) -> None:
    """Every pod Ready and the status settled: Envoy Gateway (v1.6.0+) writes
    BackendsAvailable=False EndpointsNotFound on a route until its backend pods are Ready and
    drops it after, so a check run earlier reads backend_no_endpoints."""
    def all_ready():
        pods = [p for ns in namespaces for p in get(kubectl, "pods", "-n", ns)["items"]]
        return bool(pods) and all((condition(p, "Ready") or {}).get("status") == "True"
                                  for p in pods)
    wait_for(all_ready, timeout=90, what="the backend pods Ready")
    settled(kubectl, namespaces, pods=True)


def capture(kubectl, case: str, namespaces: list[str], note: str,
            folder: Path = CAPTURES) -> None:
    """With K8S_SKILLS_GATEWAY_CAPTURE=1, save the settled snapshot as the case's fixture."""
    if not CAPTURE:
        return
    writers = f"Envoy Gateway {pins.ENVOY_GATEWAY}" + (
        f" and Envoy AI Gateway {pins.ENVOY_AI_GATEWAY}\n# (its controller writes the "
        "InferencePool status)" if folder == POOL_CAPTURES else "")
    header = (f"# Captured from {writers} on the local cluster "
              f"(k8s-skills cluster up;\n# Gateway API {pins.GATEWAY_API} CRDs, Inference "
              f"Extension {pins.GATEWAY_API_INFERENCE_EXTENSION}) by\n"
              f"# tests/live/test_gateway_live.py with K8S_SKILLS_GATEWAY_CAPTURE=1.\n"
              f"# Case {case}: {note}\n# Status is verbatim; only namespace names were "
              f"replaced (apps, models) and metadata noise dropped.\n")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{case}.yaml").write_text(
        header + settled(kubectl, namespaces, pods=folder == POOL_CAPTURES))


def _order(item: dict) -> tuple:
    kinds = ["GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant",
             "InferencePool", "Service", "Pod"]
    kind = item["kind"]
    return (kinds.index(kind) if kind in kinds else 99, item["metadata"].get("namespace", ""),
            item["metadata"]["name"])


def status_tuples(doc: dict) -> set[tuple]:
    """Every (kind, name, where, type, status, reason) of a captured List: what a fixture
    claims the controller wrote."""
    out = set()
    for item in doc["items"]:
        kind, name, status = item["kind"], item["metadata"]["name"], item.get("status") or {}
        if kind == "Pod":  # KWOK's, not a controller's verdict
            continue
        for cond in status.get("conditions", []) or []:
            out.add((kind, name, "", cond["type"], cond["status"], cond["reason"]))
        for li in status.get("listeners", []) or []:
            for cond in li.get("conditions", []):
                out.add((kind, name, f"listener {li['name']}", cond["type"], cond["status"],
                         cond["reason"]))
        for parent in status.get("parents", []) or []:
            for cond in parent.get("conditions", []):
                out.add((kind, name, f"parent {parent['parentRef']['name']}", cond["type"],
                         cond["status"], cond["reason"]))
    return out


# -- the controller itself -------------------------------------------------------------------
def test_gateway_class_is_accepted_and_the_shared_gateway_programmed(kubectl):
    """`cluster up` made GatewayClass eg and Gateway gateway-infra/shared; Envoy Gateway
    accepted the one and programmed the other (its Envoy pod runs on a KWOK node)."""
    cls = get(kubectl, "gatewayclass", eg.GATEWAY_CLASS)
    assert (condition(cls, "Accepted") or {}).get("reason") == "Accepted"
    status = wait_for(lambda: gateway_status(kubectl, eg.SHARED_GATEWAY,
                                             eg.SHARED_GATEWAY_NAMESPACE, programmed=True),
                      timeout=90, what="the shared Gateway Programmed")
    assert status["addresses"][0]["type"] == "IPAddress"  # the ClusterIP of its Service
    pods = get(kubectl, "pods", "-n", eg.NAMESPACE, "-l",
               f"gateway.envoyproxy.io/owning-gateway-name={eg.SHARED_GATEWAY}")["items"]
    assert pods and all(p["status"]["phase"] == "Running" for p in pods)
    for pod in pods:
        node = get(kubectl, "node", pod["spec"]["nodeName"])
        assert node["metadata"]["labels"].get("type") == "kwok"


@pytest.mark.parametrize("component", ["envoy_gateway", "envoy_ai_gateway"])
def test_controller_can_reach_nothing_but_the_host(live_cluster, component):
    """Each controller's network namespace routes only to the host end of its veth pair
    and to the pair between the two namespaces (Envoy Gateway's extension calls), and every
    connection it holds goes to one of those ends (the apiserver, the other controller)."""
    if live_cluster["cluster"] is None:
        pytest.skip("an existing cluster: its controller is not ours to inspect")
    cluster_state = live_cluster["cluster"].state()
    state = cluster_state[component]
    ai = cluster_state.get("envoy_ai_gateway", {})
    allowed_nets = [netns.POOL] + ([aigw.PEER_NETWORK] if ai else [])

    def inside(*argv):
        return subprocess.run(["nsenter", "-t", str(state["pid"]), "-n", *argv],
                              capture_output=True, text=True, check=True, timeout=30).stdout
    routes = json.loads(inside("ip", "-j", "route", "show", "table", "all")) + \
        json.loads(inside("ip", "-6", "-j", "route", "show", "table", "all"))
    own = [r for r in routes if r.get("type") not in ("local", "broadcast", "multicast")
           and r.get("dev") != "lo" and r.get("table") != "local"]
    link_local_v6 = ipaddress.ip_network("fe80::/10")
    assert own and all(r["dst"] != "default" and (
        any(ipaddress.ip_network(r["dst"]).subnet_of(net) for net in allowed_nets)
        if ipaddress.ip_network(r["dst"]).version == 4
        else ipaddress.ip_network(r["dst"]).subnet_of(link_local_v6)) for r in own), routes
    peers = [line.split()[4] for line in inside("ss", "-Htn").splitlines() if line.strip()]
    ends = {state["host_ip"], "127.0.0.1"} | {ai.get("peer_ip"), ai.get("envoy_gateway_peer_ip")}
    # IPv4 peers of a dual-stack listener show as [::ffff:a.b.c.d]
    addresses = {p.rsplit(":", 1)[0].strip("[]").removeprefix("::ffff:") for p in peers}
    assert peers and addresses <= ends, peers


def test_healthy_baseline_is_accepted_programmed_and_triggers_nothing(kubectl, kubectl_env,
                                                                     namespace):
    objs = baseline(namespace)
    apply(kubectl, *objs.values(), server_side=True)
    wait_routes(kubectl, namespace)
    status = wait_for(lambda: gateway_status(kubectl, "gw", namespace, programmed=True),
                      timeout=90, what="Gateway gw Programmed")
    for li in status["listeners"]:
        assert {c["type"]: c["status"] for c in li["conditions"]} == {
            "Accepted": "True", "Programmed": "True", "ResolvedRefs": "True"}, li
        assert li["attachedRoutes"] == (2 if li["name"] == "http" else 2)
    healthy = {"Accepted": ("True", "Accepted"), "ResolvedRefs": ("True", "ResolvedRefs")}
    for kind, name in (("httproute", "llama"), ("grpcroute", "generate")):
        # Envoy Gateway (v1.6.0+) writes BackendsAvailable=False EndpointsNotFound while the
        # backend pods are not Ready yet, and drops it once their EndpointSlices are: under
        # load the first status it writes can predate the pods' readiness.
        seen: list[dict] = []

        def settled(kind=kind, name=name, seen=seen):
            seen.append(conds(route_status(kubectl, kind, name, namespace)))
            return seen[-1] == healthy
        try:
            wait_for(settled, timeout=90, interval=1,
                     what=f"{kind} {name} with Accepted and ResolvedRefs only")
        except AssertionError as timeout:
            raise AssertionError(f"{timeout}; last conditions: {seen[-1:]}") from timeout
    capture(kubectl, "healthy", [namespace], "Gateway with HTTP and HTTPS listeners, an "
            "HTTPRoute and a GRPCRoute to Services: everything accepted and programmed.")
    code, doc = check(kubectl_env, namespace)
    assert code == 0, doc["findings"]
    assert not [f for f in doc["findings"] if f["severity"] != "info"]


def _route(objs):
    return objs["route"]["spec"]


def _cross_ns_backend(objs, ns, other):
    objs["other-model"] = deployment("shared", other, {"app": "shared"}, 8000)
    objs["other-svc"] = service("shared", other, {"app": "shared"}, 8000)
    _route(objs)["rules"][0]["backendRefs"] = [{"name": "shared", "namespace": other,
                                                "port": 8000}]


def _selector_listener(objs, ns, other):
    for li in objs["gw"]["spec"]["listeners"]:
        li["allowedRoutes"] = {"namespaces": {"from": "Selector", "selector": {
            "matchLabels": {"gateway-access": "llm"}}}}


def _pool_backend(objs, ns, other):
    objs["pool"], = make("pool", "llama", "-n", ns, "--selector", "app=llama", "--port", "8000",
                         "--epp", "llama-epp")
    objs["epp"] = deployment("llama-epp", ns, {"app": "llama-epp"}, 9002)
    objs["epp-svc"] = service("llama-epp", ns, {"app": "llama-epp"}, 9002)
    _route(objs)["rules"][0]["backendRefs"] = [
        {"group": "inference.networking.k8s.io", "kind": "InferencePool", "name": "llama"}]


def _extension_filter(objs, ns, other):
    _route(objs)["rules"][0]["filters"] = [{"type": "ExtensionRef", "extensionRef": {
        "group": "example.com", "kind": "RateLimit", "name": "llm-quota"}}]


def _external_name(objs, ns, other):
    objs["svc"]["spec"] = {"type": "ExternalName", "externalName": "llama.example.com",
                           "ports": [{"name": "http", "port": 8000}]}


def _no_endpoints(objs, ns, other):
    objs["svc"]["spec"]["selector"] = {"app": "llama-v2"}  # no pod has this label


def _conflicting_listener(objs, ns, other):
    """An HTTPS listener on the HTTP listener's port (the CRD refuses two listeners with
    the same port, protocol and hostname, so the conflict is the protocol)."""
    https = next(li for li in objs["gw"]["spec"]["listeners"] if li["protocol"] == "HTTPS")
    objs["gw"]["spec"]["listeners"].append({**https, "name": "https-80", "port": 80})


# case -> (mutation, what Envoy Gateway writes {(kind, name, where): {type: (status, reason)}},
#          the cause check_routes.py must name, a one-line note for the capture)
FAULTS = {
    "not_allowed_by_listener": (
        _selector_listener,
        {("HTTPRoute", "llama", "parent gw"): {"Accepted": ("False", "NotAllowedByListeners")}},
        "not_allowed_by_listener",
        "listeners admit routes only from namespaces labelled gateway-access=llm; apps is not"),
    "hostname_mismatch": (
        lambda o, ns, other: _route(o).update(hostnames=["llm.example.org"]),
        {("HTTPRoute", "llama", "parent gw"): {
            "Accepted": ("False", "NoMatchingListenerHostname")}},
        "hostname_mismatch", "route hostname llm.example.org, listeners *.example.com"),
    "backend_not_found": (
        lambda o, ns, other: _route(o)["rules"][0]["backendRefs"][0].update(name="llama-typo"),
        {("HTTPRoute", "llama", "parent gw"): {"ResolvedRefs": ("False", "BackendNotFound")}},
        "backend_not_found", "backendRef names Service llama-typo, which does not exist"),
    "ref_not_permitted": (
        _cross_ns_backend,
        {("HTTPRoute", "llama", "parent gw"): {"ResolvedRefs": ("False", "RefNotPermitted")}},
        "ref_not_permitted", "backendRef to Service models/shared without a ReferenceGrant"),
    "port_mismatch": (
        lambda o, ns, other: _route(o)["rules"][0]["backendRefs"][0].update(port=8080),
        {("HTTPRoute", "llama", "parent gw"): {"ResolvedRefs": ("False", "PortNotFound")}},
        "port_mismatch", "backendRef port 8080; the Service exposes 8000"),
    "external_name_backend": (
        _external_name,
        {("HTTPRoute", "llama", "parent gw"): {"ResolvedRefs": ("False", "UnsupportedValue")}},
        "unsupported_backend_kind", "backend Service of type ExternalName"),
    "unsupported_filter": (
        _extension_filter,
        {("HTTPRoute", "llama", "parent gw"): {"Accepted": ("False", "UnsupportedValue")}},
        "unsupported_filter", "an ExtensionRef filter to example.com/RateLimit"),
    "grpc_backend_not_found": (
        lambda o, ns, other: o["grpc"]["spec"]["rules"][0]["backendRefs"][0].update(
            name="llama-grpc-typo"),
        {("GRPCRoute", "generate", "parent gw"): {
            "ResolvedRefs": ("False", "BackendNotFound")}},
        "backend_not_found", "GRPCRoute backendRef names a Service that does not exist"),
    "listener_certificate_invalid": (
        lambda o, ns, other: o.pop("cert"),
        {("Gateway", "gw", "listener https"): {
            "ResolvedRefs": ("False", "InvalidCertificateRef"),
            "Programmed": ("False", "Invalid")}},
        "listener_certificate_invalid", "HTTPS listener's certificate Secret gw-cert is missing"),
    "no_endpoints": (
        _no_endpoints,
        {("HTTPRoute", "llama", "parent gw"): {
            "Accepted": ("True", "Accepted"), "ResolvedRefs": ("True", "ResolvedRefs"),
            "BackendsAvailable": ("False", "EndpointsNotFound")}},
        "backend_no_endpoints",
        "the backend Service selects no pod: resolved, but no endpoints (an Envoy Gateway "
        "condition type beyond the Gateway API's)"),
    "listener_conflict": (
        _conflicting_listener,
        {("Gateway", "gw", "listener http"): {"Conflicted": ("True", "ProtocolConflict")}},
        "listener_conflict", "an HTTPS listener on port 80, where the HTTP listener is"),
}


def _applied(kubectl, objs: dict) -> None:
    apply(kubectl, *[o for o in objs.values() if o], server_side=True)


def _actual(kubectl, ns: str, key: tuple) -> dict:
    kind, name, where = key
    if kind == "InferencePool":
        entry = wait_for(lambda: pool_status(kubectl, name, ns, where.split()[-1]),
                         timeout=60, what=f"Envoy AI Gateway's status on InferencePool {name}")
        return conds(entry)
    if kind == "Gateway":
        status = wait_for(lambda: gateway_status(kubectl, name, ns), timeout=60,
                          what=f"Envoy Gateway's status on Gateway {name}")
        [li] = [li for li in status["listeners"] if f"listener {li['name']}" == where]
        return {c["type"]: (c["status"], c["reason"]) for c in li["conditions"]}
    entry = wait_for(lambda: route_status(kubectl, kind.lower(), name, ns), timeout=60,
                     what=f"Envoy Gateway's status on {kind} {name}")
    return conds(entry)


def assert_written(kubectl, ns: str, key: tuple, want: dict, timeout: float = 30) -> None:
    """The controller's conditions for `key` reach `want` (its first verdict may predate
    objects applied in the same batch: a Service it has not seen yet is BackendNotFound)."""
    seen = []

    def reached():
        got = _actual(kubectl, ns, key)
        seen[:] = [got]
        return {t: got.get(t) for t in want} == want
    try:
        wait_for(reached, timeout=timeout, what=str(key))
    except AssertionError:
        raise AssertionError(f"{key}: wanted {want}, the controller wrote {seen[0]}") from None


@pytest.mark.parametrize("case", sorted(FAULTS))
def test_controller_writes_the_fault(kubectl, namespace, other_namespace, case):
    """Ground truth: the exact condition Envoy Gateway writes for each fault."""
    mutate, expected, _, note = FAULTS[case]
    objs = baseline(namespace)
    mutate(objs, namespace, other_namespace)
    _applied(kubectl, objs)
    for key, want in expected.items():
        assert_written(kubectl, namespace, key, want)
    capture(kubectl, case, [namespace, other_namespace], note)


@pytest.mark.parametrize("case", sorted(FAULTS))
def test_check_names_what_the_controller_wrote(kubectl, kubectl_env, namespace,
                                                other_namespace, case):
    """check_routes.py reads the controller's verdict and names its cause (reported)."""
    mutate, expected, cause, _ = FAULTS[case]
    objs = baseline(namespace)
    mutate(objs, namespace, other_namespace)
    _applied(kubectl, objs)
    for key in expected:
        _actual(kubectl, namespace, key)
    backends_ready(kubectl, [namespace, other_namespace])
    code, doc = check(kubectl_env, namespace)
    named = [f for f in doc["findings"] if f["cause"] == cause]
    assert code == 1 and named, doc["findings"]
    assert named[0].get("basis") == "reported", named[0]
    # one fault, one diagnosis: nothing else at warning or error level
    others = {f["cause"] for f in doc["findings"] if f["severity"] != "info"} - {cause}
    assert not others, doc["findings"]


# -- InferencePool: Envoy Gateway + Envoy AI Gateway's controller ----------------------------
def _pool_no_pods(objs, ns, other):
    _pool_backend(objs, ns, other)
    objs["pool"]["spec"]["selector"]["matchLabels"] = {"app": "llama-v2"}  # no pod has it


def _pool_no_picker(objs, ns, other):
    _pool_backend(objs, ns, other)
    objs.pop("epp-svc")


def _pool_alpha_route(objs, ns, other):
    """The route names the pre-v1 alpha group; the pool is v1."""
    _pool_backend(objs, ns, other)
    _route(objs)["rules"][0]["backendRefs"][0]["group"] = "inference.networking.x-k8s.io"


def _pool_route_refused(objs, ns, other):
    _pool_backend(objs, ns, other)
    _selector_listener(objs, ns, other)


ROUTE = ("HTTPRoute", "llama", "parent gw")
POOL = ("InferencePool", "llama", "parent gw")
POOL_OK = {"Accepted": ("True", "Accepted"), "ResolvedRefs": ("True", "ResolvedRefs")}
# case -> (mutation, what the two controllers write, the cause check_routes.py must name with
#          its basis (None: nothing at warning or error level), a note for the capture)
POOL_FAULTS = {
    "pool_accepted": (
        _pool_backend, {ROUTE: POOL_OK, POOL: POOL_OK}, None,
        "HTTPRoute to a v1 InferencePool with its endpoint-picker Service: Envoy Gateway "
        "accepts the route (InferencePool is an extension backend resource) and Envoy AI "
        "Gateway's controller accepts the pool for Gateway gw"),
    "pool_selects_no_pods": (
        _pool_no_pods, {ROUTE: POOL_OK, POOL: POOL_OK}, ("pool_selects_no_pods", "inferred"),
        "the pool's selector matches no pod; neither controller judges pool members, so both "
        "accept"),
    "pool_endpoint_picker_missing": (
        _pool_no_picker,
        {ROUTE: POOL_OK, POOL: {"Accepted": ("False", "NotAccepted"),
                                "ResolvedRefs": ("False", "ResolvedRefs")}},
        ("endpoint_picker_missing", "reported"),
        "the pool's endpointPickerRef names Service llama-epp, which does not exist"),
    "pool_alpha_group_route": (
        _pool_alpha_route,
        {ROUTE: {"ResolvedRefs": ("False", "InvalidKind")}},
        ("inference_api_version_mismatch", "reported"),
        "the route's backendRef names group inference.networking.x-k8s.io (the pre-v1 alpha "
        "API); the pool is inference.networking.k8s.io/v1"),
    "pool_route_not_accepted": (
        _pool_route_refused,
        {ROUTE: {"Accepted": ("False", "NotAllowedByListeners")}, POOL: POOL_OK},
        ("not_allowed_by_listener", "reported"),
        "the route to the pool is refused by the listeners (namespace selector); Envoy AI "
        "Gateway's controller still accepts the pool for the Gateway the route names"),
}


@pytest.mark.parametrize("case", sorted(POOL_FAULTS))
def test_pool_status_written_and_diagnosed(kubectl, kubectl_env, namespace, other_namespace,
                                           case):
    """Ground truth for routes to InferencePools: the exact conditions Envoy Gateway writes
    on the route and Envoy AI Gateway's controller on the pool; the committed capture still
    matches them; and check_routes.py names the cause from that status."""
    mutate, expected, cause, note = POOL_FAULTS[case]
    objs = baseline(namespace)
    mutate(objs, namespace, other_namespace)
    _applied(kubectl, objs)
    for key, want in expected.items():
        assert_written(kubectl, namespace, key, want)
    if POOL not in expected:  # the pool is not named by any route of its group
        pool = get(kubectl, "inferencepool", "llama", "-n", namespace)
        assert not [p for p in (pool.get("status") or {}).get("parents") or []
                    if p.get("parentRef", {}).get("name") == "gw"], pool.get("status")
    capture(kubectl, case, [namespace, other_namespace], note, folder=POOL_CAPTURES)
    live = settled(kubectl, [namespace, other_namespace], pods=True)
    if not CAPTURE:
        committed = POOL_CAPTURES / f"{case}.yaml"
        assert status_tuples(yaml.safe_load(live)) == \
            status_tuples(yaml.safe_load(committed.read_text())), committed
    code, doc = check(kubectl_env, namespace)
    problems = [f for f in doc["findings"] if f["severity"] != "info"]
    if cause is None:
        assert code == 0 and not problems, doc["findings"]
        return
    named = [f for f in problems if f["cause"] == cause[0]]
    assert code == 1 and named, doc["findings"]
    assert named[0].get("basis") == cause[1], named[0]
    assert {f["cause"] for f in problems} == {cause[0]}, doc["findings"]


def test_missing_parent_gets_no_status_and_is_inferred(kubectl, kubectl_env, namespace):
    """A parentRef to a Gateway that does not exist: no controller writes anything for it,
    so the diagnosis can only come from the objects."""
    objs = baseline(namespace)
    _route(objs)["parentRefs"][0]["name"] = "gw-typo"
    _applied(kubectl, objs)
    wait_routes(kubectl, namespace, (("grpcroute", "generate"),))  # the controller has run
    route = get(kubectl, "httproute", "llama", "-n", namespace)
    assert not route.get("status", {}).get("parents")
    capture(kubectl, "parent_not_found", [namespace], "parentRef names Gateway gw-typo, "
            "which does not exist: the controller writes no status for the route")
    code, doc = check(kubectl_env, namespace)
    named = [f for f in doc["findings"] if f["cause"] == "parent_not_found"]
    assert code == 1 and named and named[0].get("basis") == "inferred", doc["findings"]


def test_unknown_gateway_class_leaves_the_gateway_pending(kubectl, kubectl_env, namespace):
    objs = baseline(namespace)
    objs["gw"]["spec"]["gatewayClassName"] = f"missing-{namespace}"
    _applied(kubectl, objs)
    wait_for(lambda: gateway_status(kubectl, eg.SHARED_GATEWAY, eg.SHARED_GATEWAY_NAMESPACE),
             what="the controller running")
    gw = get(kubectl, "gateway", "gw", "-n", namespace)
    # the CRD's default status: nobody has looked at it
    assert (condition(gw, "Accepted") or {}).get("reason") == "Pending"
    capture(kubectl, "gateway_class_not_found", [namespace], "gatewayClassName names a "
            "class that does not exist: the Gateway keeps the CRD's default Pending status")
    code, doc = check(kubectl_env, namespace)
    assert code == 1 and "gateway_class_not_found" in {f["cause"] for f in doc["findings"]}


def _class_with_parameters(name: str, namespace: str | None) -> dict:
    ref = {"group": "gateway.envoyproxy.io", "kind": "EnvoyProxy", "name": "params"}
    if namespace:
        ref["namespace"] = namespace
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
            "metadata": {"name": name},
            "spec": {"controllerName": eg.CONTROLLER_NAME, "parametersRef": ref}}


def test_class_parameters_without_namespace_are_rejected_and_inferred(kubectl, kubectl_env,
                                                                       namespace, tmp_path):
    """envoyproxy/gateway#8406: a GatewayClass (cluster-scoped) names an EnvoyProxy without
    parametersRef.namespace. Envoy Gateway looks in `default`, rejects the class with
    Accepted=False InvalidParameters, and check_routes.py names gateway_class_not_accepted
    from that status; from the spec alone (no status in the dump) it infers the same cause.
    With the namespace set, the controller accepts the class."""
    name = f"params-{namespace}"
    apply(kubectl, {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyProxy",
                    "metadata": {"name": "params", "namespace": namespace}, "spec": {}},
          _class_with_parameters(name, None))
    try:
        rejected = wait_for(lambda: condition(get(kubectl, "gatewayclass", name), "Accepted")
                            if (condition(get(kubectl, "gatewayclass", name), "Accepted") or
                                {}).get("reason") == "InvalidParameters" else None,
                            timeout=60, what="Envoy Gateway to reject the class")
        assert rejected["status"] == "False" and "default/params" in rejected["message"]
        live = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-A",
                               "--json"], capture_output=True, text=True, env=kubectl_env,
                              timeout=120)
        doc = json.loads(live.stdout)
        named = [f for f in doc["findings"] if f["cause"] == "gateway_class_not_accepted"
                 and f["object"]["name"] == name]
        assert named and named[0].get("basis") == "reported", doc["findings"]
        spec_only = get(kubectl, "gatewayclass", name)
        spec_only.pop("status")
        proxy = get(kubectl, "envoyproxy", "params", "-n", namespace)
        dump = tmp_path / "class.yaml"
        dump.write_text(yaml.safe_dump_all([spec_only, proxy]))
        offline = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-f",
                                  str(dump), "--json"], capture_output=True, text=True,
                                 timeout=120)
        first = json.loads(offline.stdout)["findings"][0]
        assert (first["cause"], first["severity"], first.get("basis")) == (
            "gateway_class_not_accepted", "error", "inferred"), first
        apply(kubectl, _class_with_parameters(name, namespace))
        wait_for(lambda: (condition(get(kubectl, "gatewayclass", name), "Accepted") or
                          {}).get("status") == "True", timeout=60,
                 what="Envoy Gateway to accept the class once the namespace is set")
    finally:
        kubectl("delete", "gatewayclass", name, "--ignore-not-found", "--wait=false")


def test_printed_fix_makes_the_controller_resolve_the_ref(kubectl, kubectl_env, namespace,
                                                         other_namespace):
    """ref_not_permitted: the ReferenceGrant make_route.py prints makes Envoy Gateway flip
    ResolvedRefs to True, and the check is then clean."""
    objs = baseline(namespace)
    _cross_ns_backend(objs, namespace, other_namespace)
    _applied(kubectl, objs)
    assert conds(wait_for(lambda: route_status(kubectl, "httproute", "llama", namespace),
                          what="route status"))["ResolvedRefs"] == ("False", "RefNotPermitted")
    apply(kubectl, *make("grant", "-n", other_namespace, "--from-namespace", namespace,
                         "--to-kind", "Service", "--to-name", "shared"))
    wait_for(lambda: conds(route_status(kubectl, "httproute", "llama", namespace) or
                           {"conditions": []}).get("ResolvedRefs") == ("True", "ResolvedRefs"),
             what="Envoy Gateway to resolve the ref")
    backends_ready(kubectl, [namespace, other_namespace])
    code, doc = check(kubectl_env, namespace)
    assert code == 0, doc["findings"]


@pytest.mark.parametrize("case", sorted(set(FAULTS) & {p.stem for p in CAPTURES.glob("*.yaml")}))
def test_captures_match_the_controller(kubectl, namespace, other_namespace, case):
    """The committed fixtures still say what the pinned Envoy Gateway writes: every
    condition (object, where, type, status, reason) of the capture, no more, no less."""
    mutate, expected, _, _ = FAULTS[case]
    objs = baseline(namespace)
    mutate(objs, namespace, other_namespace)
    _applied(kubectl, objs)
    for key in expected:
        _actual(kubectl, namespace, key)
    committed = status_tuples(yaml.safe_load((CAPTURES / f"{case}.yaml").read_text()))
    live = status_tuples(yaml.safe_load(settled(kubectl, [namespace, other_namespace])))
    assert live == committed


def test_generated_objects_are_accepted_by_the_apiserver(kubectl, namespace):
    docs = []
    docs += make("expose", "llama-3-8b", "-n", namespace, "--gateway", "gw", "--path",
                 "/api/v1/chat", "--tls", "--timeout", "30s", "--retries", "2",
                 "--gateway-class", eg.GATEWAY_CLASS, "--tls-secret", "gw-cert")
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
    docs += make("gateway", "platform", "-n", namespace, "--class", eg.GATEWAY_CLASS,
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
    kubectl("apply", "--server-side", "-f", "-", stdin=text)
    route = get(kubectl, "httproute", "chat", "-n", namespace)
    assert route["spec"]["rules"][0]["retry"]["attempts"] == 2
    pool = get(kubectl, "inferencepool", "llama-3-8b", "-n", namespace)
    assert pool["spec"]["endpointPickerRef"]["failureMode"] == "FailClose"  # CRD default


def test_dump_mode_matches_live(kubectl, kubectl_env, namespace, tmp_path):
    objs = baseline(namespace)
    FAULTS["port_mismatch"][0](objs, namespace, None)
    _applied(kubectl, objs)
    wait_routes(kubectl, namespace)
    wait_for(lambda: gateway_status(kubectl, "gw", namespace, programmed=True), timeout=90,
             what="Gateway gw Programmed")
    # Both modes must read one state (CI stop 27: the dump caught BackendsAvailable=False,
    # the live run a moment later did not).
    backends_ready(kubectl, [namespace])
    dump = kubectl("get", "gateways,httproutes,grpcroutes,inferencepools,services,pods,"
                   "gatewayclasses", "-n", namespace, "-o", "yaml").stdout
    path = tmp_path / "dump.yaml"
    path.write_text(dump)
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-f", str(path),
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    live = check(kubectl_env, namespace)[1]
    assert {f["cause"] for f in json.loads(proc.stdout)["findings"]} == \
        {f["cause"] for f in live["findings"]}


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
