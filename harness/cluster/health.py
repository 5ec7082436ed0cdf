"""Health of a local cluster's components, read from its processes and endpoints."""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import json
import ssl
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.cluster import procs

if TYPE_CHECKING:
    from harness.cluster.kubectl import Kubectl
    from harness.cluster.node import RealNode

CONTROL_PLANE = (  # (component, kwok.yaml port option, scheme, health path)
    ("etcd", "etcdPort", "http", "/health"),
    ("kube-apiserver", "kubeApiserverPort", "https", "/readyz"),
    ("kube-controller-manager", "kubeControllerManagerPort", "https", "/healthz"),
    ("kube-scheduler", "kubeSchedulerPort", "https", "/healthz"),
    ("kwok-controller", "kwokControllerPort", "http", "/healthz"),
)


@dataclass
class ComponentHealth:
    name: str
    healthy: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"component": self.name, "healthy": self.healthy, "detail": self.detail}


def control_plane(kwok_cluster_dir: Path) -> list[ComponentHealth]:
    options = _kwok_options(kwok_cluster_dir)
    out = []
    for name, port_key, scheme, path in CONTROL_PLANE:
        pid = read_pid(kwok_cluster_dir / "pids" / f"{name}.pid")
        port = options.get(port_key)
        if not procs.is_alive(pid):
            out.append(ComponentHealth(name, False, "process not running"))
            continue
        answer = probe(f"{scheme}://127.0.0.1:{port}{path}") if port else "no port known"
        out.append(ComponentHealth(name, answer == "ok", f"pid {pid}, port {port}: {answer}"))
    return out


def kueue(pid: int | None, health_port: int | None) -> ComponentHealth:
    if not procs.is_alive(pid):
        return ComponentHealth("kueue", False, "process not running")
    answer = probe(f"http://127.0.0.1:{health_port}/readyz")
    return ComponentHealth("kueue", answer == "ok", f"pid {pid}, health port {health_port}: "
                                                    f"{answer}")


def real_node(node: RealNode, kubectl: Kubectl) -> list[ComponentHealth]:
    """containerd, kubelet, kube-proxy, the Node's Ready condition, the registries."""
    return [ComponentHealth(name, ok, detail) for name, ok, detail in node.health(kubectl)]


def probe(url: str) -> str:
    """'ok' for HTTP 200, or 401/403 from the component itself: up, but our anonymous probe is
    not authorised. A Kubernetes component refuses with a `Status` object (k8s.io/apiserver
    pkg/endpoints/handlers/responsewriters); any other 401/403 came from something else on the
    path (a dead component's address answered by a host's egress filter with `403
    resolve_deny`, tests/evals/resources/health/egress-deny-403.txt) and is not "up"."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # a liveness probe on loopback, not a trust decision
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(url, timeout=2) as response:
            return "ok" if response.status == 200 else f"HTTP {response.status}"
    except urllib.error.HTTPError as err:
        if err.code in (401, 403) and _is_status(err.read(4096)):
            return "ok"
        return f"HTTP {err.code}"
    except OSError as err:
        return f"unreachable ({getattr(err, 'reason', err)})"


def _is_status(body: bytes) -> bool:
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("kind") == "Status"


def _kwok_options(kwok_cluster_dir: Path) -> dict[str, Any]:
    try:
        for doc in yaml.safe_load_all((kwok_cluster_dir / "kwok.yaml").read_text()):
            if doc and doc.get("kind") == "KwokctlConfiguration":
                options: dict[str, Any] = doc.get("options", {})  # parsed YAML
                return options
    except (OSError, yaml.YAMLError):
        pass
    return {}


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None
