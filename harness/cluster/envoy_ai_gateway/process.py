"""Start Envoy AI Gateway's controller beside Envoy Gateway and tell whether it is healthy.

Mirrors the Helm chart's Deployment: `controller` with the pod-mutator webhook
configuration present (it patches its CA bundle at start-up and exits without it), in its
own mount and network namespaces (envoy_gateway/sandbox.py, netns.py), reading the cluster
through a kubeconfig whose server is the host end of its veth pair.
"""
from __future__ import annotations
from typing import Any

import os
import socket
from pathlib import Path

from harness.cluster import build, health, pki, procs
from harness.cluster.envoy_ai_gateway import config
from harness.cluster.envoy_gateway import netns
from harness.cluster.envoy_gateway import process as eg_process
from harness.cluster.kubectl import Kubectl
from harness.errors import UserError

BINARY = "envoy-ai-gateway-controller"
START_TIMEOUT = 60


class AIGateway:
    """Envoy AI Gateway's controller for the cluster whose state folder is `cluster_dir`."""

    def __init__(self, cluster_dir: Path, kubeconfig: Path) -> None:
        self.cluster_dir = cluster_dir
        self.dir = cluster_dir / "envoy-ai-gateway"
        self.kubeconfig = kubeconfig
        self.log_path = cluster_dir / "logs" / "envoy-ai-gateway.log"

    def start(self, kubectl: Kubectl, envoy_gateway_pid: int) -> dict[str, Any]:
        """Its CRDs (config.crd_objects()) and namespace must be served already, and Envoy
        Gateway running; returns what the cluster's state must remember."""
        self.dir.mkdir(parents=True, exist_ok=True)
        pid = self._spawn()
        link = netns.connect(pid, self.cluster_dir, self.cluster_dir.parent.parent,
                             tag="aigw", inside_iface="aigw0")
        eg_ip, own_ip = netns.link_namespaces(envoy_gateway_pid, pid, "aigw1", "eg1",
                                              config.PEER_NETWORK)
        if own_ip != extension_ip():
            raise UserError(f"internal: AI Gateway's peer address {own_ip} is not "
                            f"{extension_ip()}")
        ca = self._write_certs(link.inside_ip)
        kubectl.apply([config.webhook_configuration(link.inside_ip, ca)], validate=False)
        eg_process.write_kubeconfig(kubectl, link.host_ip, self.dir / "kubeconfig")
        (self.dir / "net-ready").touch()
        return {"pid": pid, "peer_ip": own_ip, "envoy_gateway_peer_ip": eg_ip,
                **link.as_dict()}

    def wait_ready(self, state: dict[str, Any], timeout: float = START_TIMEOUT) -> None:
        """Until its extension server accepts connections (it listens before its caches
        sync) and its metrics endpoint answers (the manager has started)."""
        def ready() -> bool:
            if not procs.is_alive(state["pid"]):
                raise procs.StopWaiting(
                    f"Envoy AI Gateway's controller exited during start-up: "
                    f"{eg_process.last_line(self.log_path)} (log: {self.log_path})")
            return _accepts(state["inside_ip"], config.EXTENSION_PORT) \
                and health.probe(metrics_url(state)) == "ok"

        try:
            procs.wait_until(ready, timeout, interval=0.1,
                             what="Envoy AI Gateway's controller")
        except TimeoutError as err:
            raise UserError(f"{err}; log: {self.log_path}") from err

    def _write_certs(self, inside_ip: str) -> bytes:
        """Its webhook's serving certificate, for the address the apiserver calls."""
        ca = pki.make_ca("k8s-skills-ai-gateway-webhook-ca")
        certs = self.dir / "certs"
        pki.write_pair(pki.make_serving_cert(ca, [inside_ip]), certs)
        (certs / "ca.crt").write_bytes(ca.cert_pem)
        return ca.cert_pem

    def _spawn(self) -> int:
        # Its certificates at their host path (the sandbox binds the cluster's folder there
        # too): the command line then names the cluster folder, which is how `cluster down`
        # and the watchdog find the process (procs.processes_using).
        command = [str(build.binary(BINARY))] + config.controller_args(str(self.dir / "certs"))
        env = {"POD_NAMESPACE": config.NAMESPACE}  # names its webhook configuration
        return eg_process.spawn_sandboxed(self.dir, command, env, self.log_path,
                                          "Envoy AI Gateway's controller")


def extension_ip() -> str:
    """The controller's address on the pair to Envoy Gateway (its extension service)."""
    return str(list(config.PEER_NETWORK.hosts())[1])


def metrics_url(state: dict[str, Any]) -> str:
    return f"http://{state['inside_ip']}:{config.METRICS_PORT}/metrics"


def mounted_on_host(cluster_dir: Path) -> bool:
    """See envoy_gateway.process.mounted_on_host."""
    return os.path.ismount(cluster_dir / "envoy-ai-gateway" / "rootfs")


def component_health(state: dict[str, Any] | None) -> health.ComponentHealth:
    """For `cluster status`: the process, its extension server and its metrics endpoint."""
    name = "envoy-ai-gateway"
    if not state:
        return health.ComponentHealth(name, False, "not started")
    if not procs.is_alive(state.get("pid")):
        return health.ComponentHealth(name, False, "process not running")
    extension = "ok" if _accepts(state["inside_ip"], config.EXTENSION_PORT) else "refused"
    metrics = health.probe(metrics_url(state))
    return health.ComponentHealth(
        name, extension == "ok" and metrics == "ok",
        f"pid {state['pid']}, extension server {extension} (Envoy Gateway calls "
        f"{state['peer_ip']}:{config.EXTENSION_PORT}), metrics on {state['inside_ip']}:"
        f"{config.METRICS_PORT} (private netns): {metrics}")


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
