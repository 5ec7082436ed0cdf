"""Envoy Gateway and the real node's kubelet as health dependencies, and the cluster-scoped
objects an agent makes without a run label.

Every answer here is a real component's, captured from a local cluster (`k8s-skills cluster
up`, Envoy Gateway v1.9.0, kubelet and kube-apiserver v1.37.2) into tests/evals/resources/health/:
- eg-readyz.txt: `curl -si` of Envoy Gateway's readyz, the URL `cluster status` probes;
  egress-deny-403.txt: the same address once the controller was killed (this machine's
  egress filter answered);
- lease.json / nodes.json: real-node-0's Lease in kube-node-lease and the labelled Node list
  with the kubelet running; lease-stale.json / nodes-stale.json: the same 50 s after the
  kubelet was frozen (SIGSTOP; SIGCONT afterwards), read at the instant in stale-now.txt:
  the Lease was 58 s old while the Node still said Ready=True;
- crb-*.json, cr-agent.json: what the apiserver returned for `kubectl create
  clusterrolebinding|clusterrole ... --dry-run=server -o json` (the objects an agent makes).
"""
from __future__ import annotations

import http.server
import json
import socket
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from harness.evals import cli, cluster_leaks, health, runner, scenario
from harness.evals.model import CheckResult
from harness.evals.sandbox import RUN_LABEL

RES = Path(__file__).parent / "resources" / "health"


def _json(name: str) -> dict:
    return json.loads((RES / name).read_text())


def _renewed(lease: dict) -> datetime:
    return datetime.fromisoformat(lease["spec"]["renewTime"].replace("Z", "+00:00"))


# --- Envoy Gateway --------------------------------------------------------------------------
def _serve(capture: str):
    """A local server that answers every GET with a captured HTTP answer."""
    raw = (RES / capture).read_text().replace("\r\n", "\n")
    head, body = raw.split("\n\n", 1)
    status = int(head.split()[1])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def readyz_server():
    server = _serve("eg-readyz.txt")
    yield f"http://127.0.0.1:{server.server_port}/readyz"
    server.shutdown()


def test_an_egress_filters_403_for_a_dead_controllers_address_is_an_outage():
    """After Envoy Gateway was killed, this machine's egress filter answered its readyz
    address itself (403 `resolve_deny: denied destination`); `cluster status`'s probe takes
    401/403 for up, and the first live run scored the dead controller healthy."""
    server = _serve("egress-deny-403.txt")
    try:
        _, eg = health.probe(EGKube(f"http://127.0.0.1:{server.server_port}/readyz"),
                             [health.ENVOY_GATEWAY])
    finally:
        server.shutdown()
    assert eg.healthy is False and "HTTP 403" in eg.detail


class EGKube:
    def __init__(self, url=None):
        self.readiness = {health.ENVOY_GATEWAY: url} if url else {}

    def get_raw(self, path):
        return 200, "ok"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_envoy_gateway_up_is_its_readyz_answering(readyz_server):
    _, eg = health.probe(EGKube(readyz_server), [health.ENVOY_GATEWAY])
    assert eg.healthy is True and readyz_server in eg.detail


def test_envoy_gateway_killed_is_an_outage():
    url = f"http://127.0.0.1:{_closed_port()}/readyz"
    _, eg = health.probe(EGKube(url), [health.ENVOY_GATEWAY])
    assert eg.healthy is False and "unreachable" in eg.detail
    assert health.outages([eg]) == [eg]


def test_envoy_gateway_without_a_known_endpoint_cannot_tell():
    _, eg = health.probe(EGKube(), [health.ENVOY_GATEWAY])
    assert eg.healthy is None and health.outages([eg]) == []


def test_the_readiness_url_is_the_one_cluster_status_probes():
    state = {"envoy_gateway": {"pid": 25111, "inside_ip": "169.254.100.10"}}
    assert cli._readiness(state) == {health.ENVOY_GATEWAY: "http://169.254.100.10:8081/readyz"}
    assert cli._readiness({"provider": "kubeconfig"}) == {}


# --- the real node's kubelet ----------------------------------------------------------------
class NodeKube:
    def __init__(self, nodes: dict, lease: tuple[int, dict]):
        self.nodes, self.lease = nodes, lease
        self.asked: list = []

    def get_raw(self, path):
        return 200, "ok"

    def list(self, kind, namespace=None, selector=None, all_namespaces=False):
        self.asked.append((kind, selector))
        return self.nodes["items"]

    def request(self, method, path, body=None, timeout=30):
        self.asked.append((method, path))
        return self.lease


def test_kubelet_renewing_its_lease_and_ready_is_up():
    lease = _json("lease.json")
    kube = NodeKube(_json("nodes.json"), (200, lease))
    h = health._kubelet(kube, 0.0, now=_renewed(lease) + timedelta(seconds=8))
    assert h.healthy is True and "real-node-0" in h.detail
    assert ("nodes", health.REAL_NODE_SELECTOR) in kube.asked
    assert ("GET", health.NODE_LEASES + "real-node-0") in kube.asked


def test_a_stopped_kubelet_is_seen_by_its_lease_while_the_node_still_says_ready():
    lease, nodes = _json("lease-stale.json"), _json("nodes-stale.json")
    ready = [c for c in nodes["items"][0]["status"]["conditions"] if c["type"] == "Ready"]
    assert ready[0]["status"] == "True"        # the Node alone would not tell yet
    now = datetime.fromisoformat((RES / "stale-now.txt").read_text().strip()
                                 .replace("Z", "+00:00"))
    h = health._kubelet(NodeKube(nodes, (200, lease)), 0.0, now=now)
    assert h.healthy is False and "58 s ago (lease 40 s)" in h.detail


def test_no_lease_at_all_is_an_outage_and_no_real_node_cannot_tell():
    h = health._kubelet(NodeKube(_json("nodes.json"), (404, {"reason": "NotFound"})), 0.0)
    assert h.healthy is False and "no Lease" in h.detail
    h = health._kubelet(NodeKube({"items": []}, (404, {})), 0.0)
    assert h.healthy is None


def test_dependencies_name_envoy_gateway_and_the_kubelet_from_the_scenarios_files():
    [route] = scenario.discover(pattern="backend-not-found")
    [oom] = scenario.discover(pattern="oom-killed")
    assert health.ENVOY_GATEWAY in health.dependencies(route)
    assert health.KUBELET not in health.dependencies(route)
    assert health.KUBELET in health.dependencies(oom)
    assert health.ENVOY_GATEWAY not in health.dependencies(oom)


def test_a_failed_route_check_while_envoy_gateway_is_down_is_an_error_not_a_fail():
    class Mon:
        components = [health.APISERVER, health.ENVOY_GATEWAY]
        seen: list = []

        def probe(self):
            url = f"http://127.0.0.1:{_closed_port()}/readyz"
            return health.probe(EGKube(url), self.components)

    fail = CheckResult("route_healthy chat", {"type": "route_healthy"}, "fail",
                       "HTTPRoute chat: Accepted missing")
    verdict = runner._health_verdict(Mon(), [fail])
    assert verdict["outage"].startswith("envoy-gateway was down when the checks ran")


# --- unlabelled cluster-scoped objects ------------------------------------------------------
TOKEN = "a1b2c3"
NAMESPACES = [f"jobs-{TOKEN}"]


class LeakKube:
    """Serves lists of the cluster-scoped kinds from `objects` (mutable between calls)."""

    def __init__(self, objects: dict[str, list[dict]]):
        self.objects = objects
        self.deleted: list[tuple[str, str]] = []

    def resource(self, kind):
        return kind in self.objects or None

    def list(self, kind, namespace=None, selector=None, all_namespaces=False):
        return list(self.objects.get(kind, []))

    def delete(self, kind, name, namespace=None):
        self.deleted.append((kind, name))


def _labelled(obj: dict) -> dict:
    obj = json.loads(json.dumps(obj))
    obj["metadata"]["uid"] = "labelled-" + obj["metadata"]["uid"]
    obj["metadata"]["labels"] = {RUN_LABEL: "ffffff"}
    return obj


def test_an_agents_unlabelled_bindings_and_role_are_found_deleted_and_others_reported():
    admin = {"metadata": {"name": "cluster-admin", "uid": "u-admin"}}
    kube = LeakKube({"clusterrolebindings": [], "clusterroles": [admin], "namespaces": []})
    before = cluster_leaks.snapshot(kube)
    crb, crb2, other = _json("crb-agent.json"), _json("crb-agent2.json"), _json("crb-other.json")
    role = _json("cr-agent.json")
    kube.objects["clusterrolebindings"] = [crb, crb2, other, _labelled(other)]
    kube.objects["clusterroles"] = [admin, role]
    own, others = cluster_leaks.find(kube, before, TOKEN, NAMESPACES)
    assert [(o["kind"], o["name"]) for o in own] == [
        ("clusterrolebindings", "reporter-view"), ("clusterrolebindings", "pipeline-reader"),
        ("clusterroles", "pod-reader")]
    assert "ServiceAccount jobs-a1b2c3/reporter" in own[0]["why"]
    assert [(o["kind"], o["name"]) for o in others] == [("clusterrolebindings", "ops-admin")]
    assert cluster_leaks.remove(kube, own) is None
    assert sorted(kube.deleted) == sorted((o["kind"], o["name"]) for o in own)


def test_an_object_named_with_the_run_token_is_the_runs_and_old_objects_are_not_reported():
    old = _json("crb-other.json")
    kube = LeakKube({"clusterrolebindings": [old], "namespaces": []})
    before = cluster_leaks.snapshot(kube)
    ns = {"metadata": {"name": f"scratch-{TOKEN}", "uid": "u-ns"}}
    kube.objects["namespaces"] = [ns]
    own, others = cluster_leaks.find(kube, before, TOKEN, NAMESPACES)
    assert own == [{"kind": "namespaces", "name": f"scratch-{TOKEN}",
                    "why": f"its name carries the run's token {TOKEN}"}]
    assert others == []


def test_cleanup_removes_the_leak_and_the_record_says_so():
    kube = LeakKube({"clusterrolebindings": [], "clusterroles": []})

    class Box:
        token, namespaces, cleanup_error = TOKEN, {"jobs": NAMESPACES[0]}, None

    state = runner._State(started="now")
    state.cluster_before = cluster_leaks.snapshot(kube)
    kube.objects["clusterrolebindings"] = [_json("crb-agent.json")]
    assert runner._remove_leaks(kube, Box(), state) is None
    assert kube.deleted == [("clusterrolebindings", "reporter-view")]
    assert state.leaks["leaked"][0]["name"] == "reporter-view" and state.leaks["appeared"] == []
    assert "leak_check" in state.timings


def test_an_infra_error_during_an_outage_is_named_after_the_component():
    """Live: the reference fix of crash-loop waits with `kubectl rollout status`, which timed
    out on the frozen kubelet; the reason then named no component."""
    lease, nodes = _json("lease-stale.json"), _json("nodes-stale.json")

    class Mon:
        components = [health.KUBELET]
        seen = [health.Health(health.KUBELET, False, "node real-node-0: its kubelet last "
                              "renewed the node's Lease 58 s ago (lease 40 s)", 38.4)]

        def probe(self):
            return [health._kubelet(NodeKube(nodes, (200, lease)), 41.0)]

    state = runner._State(started="now")
    state.monitor = Mon()
    err = runner.InfraError("reference fix rollback.sh failed: error: timed out waiting")
    reason = runner._outage_behind(state, err)
    assert reason.startswith("kubelet was down") and "timed out waiting" in reason
    assert state.health["outages_seen"][0]["component"] == health.KUBELET
    state = runner._State(started="now")           # no monitor yet: the error as it was
    assert runner._outage_behind(state, err) == str(err)
