"""The real node, live: a kubelet of the pinned version runs real containers.

Everything asserted here is reported by real components: the Node object and its lease
written by the kubelet, container states from containerd through the kubelet, logs and exec
served by the kubelet through the apiserver, a Service answered through kube-proxy's rules.
"""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest

from harness import pins
from harness.cluster import node
from tests.live.helpers import apply, condition, get, wait_for

pytestmark = pytest.mark.live


def on_node(name: str, namespace: str, container: dict, **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
            "spec": node.place_on_real_node({"containers": [{"name": "main", **container}],
                                             "terminationGracePeriodSeconds": 2, **spec})}


def wait_ready(kubectl, namespace: str, name: str, timeout: float = 60) -> dict:
    return wait_for(lambda: (lambda p: p if (condition(p, "Ready") or {}).get("status")
                             == "True" else None)(get(kubectl, "pod", name, "-n", namespace)),
                    timeout=timeout, what=f"pod {name} Ready")


def test_real_node_registers_ready_with_label_and_taint(kubectl, live_cluster):
    obj = get(kubectl, "node", node.NODE_NAME)
    assert condition(obj, "Ready")["status"] == "True"
    assert obj["metadata"]["labels"][node.node_config.KIND_LABEL] == "real"
    assert {"key": node.node_config.KIND_LABEL, "value": "real",
            "effect": "NoSchedule"} in obj["spec"]["taints"]
    info = obj["status"]["nodeInfo"]
    assert info["kubeletVersion"] == pins.KUBERNETES
    assert info["containerRuntimeVersion"].startswith("containerd://1.6")
    assert "kwok.x-k8s.io/node" not in obj["metadata"].get("annotations", {})
    # The kubelet itself renews the node's lease (KWOK renews only the fake nodes').
    lease = get(kubectl, "lease", node.NODE_NAME, "-n", "kube-node-lease")
    assert lease["spec"]["holderIdentity"] == node.NODE_NAME
    if live_cluster["cluster"]:
        address = {a["type"]: a["address"] for a in obj["status"]["addresses"]}
        assert address["InternalIP"] == live_cluster["cluster"].real_node().state()["node_ip"]


def test_kwok_nodes_stay_fake_and_untainted_by_the_node(kubectl):
    nodes = get(kubectl, "nodes")["items"]
    fake = [n for n in nodes if n["metadata"].get("annotations", {})
            .get("kwok.x-k8s.io/node") == "fake"]
    assert fake and all(n["status"]["nodeInfo"]["kubeletVersion"] == "fake" for n in fake)


def test_logs_exec_and_port_forward_go_through_the_kubelet(kubectl, kubectl_env, namespace):
    apply(kubectl, on_node("web", namespace, {
        "image": "team/app:1.4.2", "ports": [{"containerPort": 8080}],
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080},
                           "periodSeconds": 1}}))
    wait_ready(kubectl, namespace, "web")
    logs = kubectl("logs", "web", "-n", namespace).stdout
    assert "serve: listening on [::]:8080" in logs
    hostname = kubectl("exec", "web", "-n", namespace, "--", "cat", "/etc/hostname").stdout
    assert hostname.strip() == "web"
    port = _free_port()
    forward = subprocess.Popen(["kubectl", "port-forward", "-n", namespace, "pod/web",
                                f"{port}:8080"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=kubectl_env)
    try:
        body = wait_for(lambda: _http_get(port, "/healthz"), timeout=20, what="port-forward")
        assert body == "ok\n"
    finally:
        forward.terminate()
        forward.wait(timeout=10)


def test_cluster_ip_service_answers_through_kube_proxy(kubectl, namespace):
    apply(kubectl, on_node("backend", namespace, {"image": "team/app:1.4.2",
                                                  "ports": [{"containerPort": 8080}]}),
          {"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": "backend", "namespace": namespace},
           "spec": {"selector": {"app": "backend"},
                    "ports": [{"port": 80, "targetPort": 8080}]}},
          on_node("client", namespace, {"image": "busybox:1.36",
                                        "command": ["sleep", "3600"]}))
    wait_ready(kubectl, namespace, "backend")
    wait_ready(kubectl, namespace, "client")
    ip = get(kubectl, "service", "backend", "-n", namespace)["spec"]["clusterIP"]

    def answered():
        # (no -T: Debian's busybox 1.35 wget crashes with a timeout set)
        proc = kubectl("exec", "client", "-n", namespace, "--", "timeout", "5", "wget", "-q",
                       "-O", "-", f"http://{ip}/healthz", check=False)
        return proc.stdout if proc.returncode == 0 else None
    assert wait_for(answered, timeout=30, what="ClusterIP answer") == "ok\n"


def test_pods_reach_the_apiserver_through_the_kubernetes_service(kubectl, namespace):
    apply(kubectl, on_node("probe", namespace, {"image": "busybox:1.36", "command": [
        "sh", "-c", "nc -w 3 $KUBERNETES_SERVICE_HOST $KUBERNETES_SERVICE_PORT </dev/null "
                    "&& echo reached"]}, restartPolicy="Never"))
    pod = wait_for(lambda: (lambda p: p if p["status"].get("phase") in ("Succeeded", "Failed")
                            else None)(get(kubectl, "pod", "probe", "-n", namespace)),
                   timeout=60, what="probe pod finished")
    assert pod["status"]["phase"] == "Succeeded", kubectl("logs", "probe", "-n", namespace,
                                                          check=False).stdout
    assert "reached" in kubectl("logs", "probe", "-n", namespace).stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _http_get(port: int, path: str) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return response.read().decode()
    except OSError:
        time.sleep(0.3)
        return None
