"""Start Envoy Gateway's control plane for a local cluster and tell whether it is healthy.

The steps mirror the Helm chart: the `certgen` Job (here: `envoy-gateway certgen` run
once, which writes the envoy-gateway, envoy, envoy-rate-limit and envoy-oidc-hmac Secrets
into envoy-gateway-system), then the controller Deployment (here: `envoy-gateway server`
in its own mount and network namespaces, see sandbox.py and netns.py), reading the
EnvoyGateway configuration from a file and the cluster through a kubeconfig.
"""
from __future__ import annotations
from typing import Any

import base64
import os
import subprocess
import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import yaml

from harness import yamlio
from harness.cluster import build, health, procs
from harness.cluster.envoy_gateway import config, netns
from harness.cluster.kubectl import Kubectl
from harness.errors import UserError

BINARY = "envoy-gateway"
START_TIMEOUT = 60


class EnvoyGateway:
    """Envoy Gateway for the cluster whose state folder is `cluster_dir`."""

    def __init__(self, cluster_dir: Path, kubeconfig: Path,
                 extension_manager: dict[str, Any] | None = None) -> None:
        """extension_manager: the `extensionManager` section of its configuration (see
        envoy_ai_gateway.config), or None for Envoy Gateway alone."""
        self.extension_manager = extension_manager
        self.cluster_dir = cluster_dir
        self.dir = cluster_dir / "envoy-gateway"
        self.kubeconfig = kubeconfig
        self.log_path = cluster_dir / "logs" / "envoy-gateway.log"
        self._certgen: subprocess.Popen[bytes] | None = None

    def begin(self) -> None:
        """Write its configuration and start certgen; config.namespace() must exist."""
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "config.yaml").write_text(yamlio.dump_all(
            [config.envoy_gateway_config(self.extension_manager)]))
        self._certgen = self._start_certgen()

    def start(self, kubectl: Kubectl) -> dict[str, Any]:
        """After begin(): the controller and the default GatewayClass; returns what the
        cluster's state must remember. The Gateway API CRDs and config.crd_objects() must
        be served already (kinds missing at its start are never watched)."""
        self._finish_certgen()
        self._write_certs(kubectl)
        pid = self._spawn()
        link = netns.connect(pid, self.cluster_dir, self.cluster_dir.parent.parent)
        write_kubeconfig(kubectl, link.host_ip, self.dir / "kubeconfig")
        (self.dir / "net-ready").touch()
        kubectl.apply(config.default_objects(), validate=False)  # the server validates
        return {"pid": pid, **link.as_dict()}

    def wait_ready(self, kubectl: Kubectl, state: dict[str, Any], timeout: float = START_TIMEOUT) -> None:
        """Until its readiness endpoint answers (caches synced, runners up) and it has
        accepted the default GatewayClass."""
        self._wait(lambda: health.probe(readiness_url(state)) == "ok", state, timeout,
                   "Envoy Gateway's readiness")
        template = '{.status.conditions[?(@.type=="Accepted")].status}'
        self._wait(lambda: kubectl.run("get", "gatewayclass", config.GATEWAY_CLASS, "-o",
                                       f"jsonpath={template}", check=False).stdout == "True",
                   state, timeout, f"GatewayClass {config.GATEWAY_CLASS} to be Accepted")

    def _wait(self, check: Callable[[], bool], state: dict[str, Any], timeout: float,
              what: str) -> None:
        """Poll `check` while the process lives; one clear error when it dies or stalls."""
        def ready() -> bool:
            if not procs.is_alive(state["pid"]):
                raise procs.StopWaiting(f"Envoy Gateway exited during start-up: "
                                        f"{last_line(self.log_path)} (log: {self.log_path})")
            return check()

        try:
            procs.wait_until(ready, timeout, interval=0.1, what=what)
        except TimeoutError as err:
            raise UserError(f"{err}; log: {self.log_path}") from err

    # -- steps -------------------------------------------------------------------------
    def _start_certgen(self) -> subprocess.Popen[bytes]:
        """The Helm chart's certgen Job: Secrets envoy-gateway, envoy, envoy-rate-limit and
        envoy-oidc-hmac in the controller namespace."""
        # --config-home only matters with --local; it puts the cluster folder on the
        # command line, which is how `down` and the watchdog find every cluster process.
        argv = [str(build.binary(BINARY)), "certgen", "--disable-topology-injector",
                "--config-home", str(self.dir)]
        env = {**os.environ, "KUBECONFIG": str(self.kubeconfig),
               "ENVOY_GATEWAY_NAMESPACE": config.NAMESPACE}
        self.certgen_log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.certgen_log, "w") as log:
            return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    stdin=subprocess.DEVNULL)

    @property
    def certgen_log(self) -> Path:
        return self.cluster_dir / "logs" / "envoy-gateway-certgen.log"

    def _finish_certgen(self) -> None:
        certgen = self._certgen
        if certgen is None:
            raise UserError("internal: Envoy Gateway's start() before its begin()")
        try:
            code = certgen.wait(timeout=60)
        except subprocess.TimeoutExpired as err:
            certgen.kill()
            raise UserError(f"envoy-gateway certgen did not finish in 60s "
                            f"(log: {self.certgen_log})") from err
        if code != 0:
            raise UserError(f"envoy-gateway certgen failed: {last_line(self.certgen_log)} "
                            f"(log: {self.certgen_log})")

    def _write_certs(self, kubectl: Kubectl) -> None:
        """The controller's own certificate (Secret envoy-gateway) into the folder the
        sandbox mounts on /certs."""
        secret = kubectl.get_json("secret", "envoy-gateway", "-n", config.NAMESPACE)
        certs = self.dir / "certs"
        certs.mkdir(exist_ok=True)
        for key in ("ca.crt", "tls.crt", "tls.key"):
            path = certs / key
            path.write_bytes(base64.b64decode(secret["data"][key]))
            path.chmod(0o600)

    def _spawn(self) -> int:
        binary = str(build.binary(BINARY))
        env = {"ENVOY_GATEWAY_NAMESPACE": config.NAMESPACE}
        return spawn_sandboxed(self.dir, [binary, "server", "--config-path",
                                          str(self.dir / "config.yaml")],
                               env, self.log_path, "Envoy Gateway")


def spawn_sandboxed(folder: Path, command: list[str], env: dict[str, Any], log_path: Path,
                    what: str) -> int:
    """Start `command` (command[0] is the binary) in a sandbox rooted at folder/rootfs
    (sandbox.py) with folder/certs on /certs and folder/kubeconfig as its KUBECONFIG; its
    pid once it is in its own network namespace. The sandbox then waits for
    folder/net-ready, which the caller touches once the network and files are in place."""
    root = folder / "rootfs"
    root.mkdir(exist_ok=True)
    (folder / "certs").mkdir(exist_ok=True)
    # A restart in the same folder: the sandbox must wait for this start's network.
    (folder / "net-ready").unlink(missing_ok=True)
    argv = ["unshare", "--mount", "--net", "--propagation", "private", "--",
            sys.executable, "-m", "harness.cluster.envoy_gateway.sandbox",
            "--root", str(root), "--ready", str(folder / "net-ready"),
            "--certs", str(folder / "certs"), "--bind", str(folder),
            "--bind", command[0], "--", *command]
    env = {**os.environ, "KUBECONFIG": str(folder / "kubeconfig"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[3]), **env}
    return spawn_in_namespace(argv, log_path, env, what)


def spawn_in_namespace(argv: list[str], log_path: Path, env: dict[str, Any], what: str) -> int:
    """Start an `unshare --net ...` command line in the background; its pid once it is in
    its own network namespace (the veth pair can then be moved there)."""
    pid = procs.start_background(argv, log_path, env)
    own = os.readlink("/proc/self/ns/net")

    def in_own_namespace() -> bool:
        if not procs.is_alive(pid):
            raise procs.StopWaiting(f"could not start {what}'s namespaces: "
                                    f"{last_line(log_path)}")
        return os.readlink(f"/proc/{pid}/ns/net") != own

    procs.wait_until(in_own_namespace, 10, interval=0.01,
                     what=f"{what}'s network namespace")
    return pid


def write_kubeconfig(kubectl: Kubectl, host_ip: str, path: Path) -> None:
    """The cluster's kubeconfig with its credentials inlined and the server reached
    through the host end of a veth pair; the certificate is still checked against
    the name the cluster's own kubeconfig uses (tls-server-name)."""
    flat = yaml.safe_load(kubectl.run("config", "view", "--flatten", "--minify",
                                      "--raw").stdout)
    cluster = flat["clusters"][0]["cluster"]
    server = urllib.parse.urlsplit(cluster["server"])
    cluster["tls-server-name"] = server.hostname
    cluster["server"] = f"{server.scheme}://{host_ip}:{server.port}"
    path.write_text(yaml.safe_dump(flat))
    path.chmod(0o600)


def mounted_on_host(cluster_dir: Path) -> bool:
    """True if the sandbox's root were visible on the host (it never should be: its mounts
    are private); deleting the cluster folder would then reach into the bound folders."""
    return os.path.ismount(cluster_dir / "envoy-gateway" / "rootfs")


def readiness_url(state: dict[str, Any]) -> str:
    return f"http://{state['inside_ip']}:{config.HEALTH_PORT}/readyz"


def component_health(state: dict[str, Any] | None) -> health.ComponentHealth:
    """For `cluster status`: the process and its readiness endpoint."""
    if not state:
        return health.ComponentHealth("envoy-gateway", False, "not started")
    if not procs.is_alive(state.get("pid")):
        return health.ComponentHealth("envoy-gateway", False, "process not running")
    answer = health.probe(readiness_url(state))
    return health.ComponentHealth("envoy-gateway", answer == "ok",
                                  f"pid {state['pid']}, readyz on {state['inside_ip']}:"
                                  f"{config.HEALTH_PORT} (private netns): {answer}")


def last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1].strip()[:300] if lines else "no output"


