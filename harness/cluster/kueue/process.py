"""Kueue as a local process of one cluster: its certificates and configuration, its start,
the wait until its webhooks answer, and its restart with a new configuration.

The objects it needs in the cluster (CRDs, webhook configurations) and its Configuration
come from harness.cluster.kueue.config; the etcd snapshot's key hashes that module, not
this one.
"""
from __future__ import annotations

import os
import ssl
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from harness import pins, yamlio
from harness.cluster import build, pki, procs, topology
from harness.cluster.kubectl import Kubectl
from harness.cluster.kueue import config
from harness.errors import UserError

# Per wait (Kueue's webhooks): as the cluster's other start-up waits (see local.py).
READY_TIMEOUT = 180


class KueueProcess:
    """One cluster's Kueue: files under <cluster>/kueue, output in <cluster>/logs/kueue.log."""

    def __init__(self, cluster_dir: Path, kubeconfig: Path):
        self.cluster_dir = cluster_dir
        self.dir = cluster_dir / "kueue"
        self.kubeconfig = kubeconfig
        self.log_path = cluster_dir / "logs" / "kueue.log"

    @property
    def config_path(self) -> Path:
        return self.dir / "config.yaml"

    @property
    def gates_path(self) -> Path:
        """Kueue feature gates turned on or off for this cluster, one `Name=bool` a line:
        kept across restarts, since a Configuration that needs a gate (a deviceClassMappings
        `sources[].capacity` needs KueueDRAIntegrationConsumableCapacity, kueue v0.19.2
        pkg/config/validation.go l.594-598) stops Kueue from starting without it."""
        return self.dir / "feature-gates"

    def set_feature_gates(self, gates: dict[str, bool]) -> None:
        current = self._gates()
        current.update(gates)
        self.gates_path.write_text("".join(f"{k}={str(v).lower()}\n"
                                           for k, v in sorted(current.items())))

    def _gates(self) -> dict[str, bool]:
        if not self.gates_path.is_file():
            return {}
        pairs = (line.partition("=") for line in self.gates_path.read_text().splitlines())
        return {k: v == "true" for k, _, v in pairs if k}

    def make_certs(self, ca: pki.KeyPair) -> pki.KeyPair:
        """The webhook server's certificate, signed by `ca` (the etcd snapshot's, which its
        CRDs' conversion webhooks trust), and the metrics certificate Kueue requires."""
        serving = pki.make_serving_cert(ca, ["127.0.0.1", "localhost",
                                             "kueue-webhook-service.kueue-system.svc"])
        pki.write_pair(ca, self.dir / "ca", "ca.crt", "ca.key")
        pki.write_pair(serving, self.dir / "certs")
        ensure_metrics_cert(ca)
        return ca

    def ca(self) -> pki.KeyPair:
        return pki.KeyPair((self.dir / "ca" / "ca.crt").read_bytes(),
                           (self.dir / "ca" / "ca.key").read_bytes())

    def write_config(self, topo: topology.Topology, ports: dict[str, int]) -> Path:
        mappings = ([{"name": topo.kueue_mapping, "deviceClassNames": [topo.device_class]}]
                    if topo.uses_dra else [])
        self.config_path.write_text(yamlio.dump_all(
            [config.configuration(ports, self.dir / "certs", mappings)]))
        return self.config_path

    def update_config(self, device_class_mappings: list[dict[str, Any]],
                      settings: dict[str, object]) -> None:
        """More `resources.deviceClassMappings` entries and top-level Configuration
        `settings` (a None value removes the key); Kueue reads them at its next start."""
        current = yamlio.load(self.config_path.read_text())
        current.setdefault("resources", {}).setdefault("deviceClassMappings", []) \
            .extend(device_class_mappings)
        for key, value in settings.items():
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
        self.config_path.write_text(yamlio.dump_all([current]))

    def start(self, port_claim: IO[str] | None = None) -> int:
        """Start Kueue; its pid. port_claim: the snapshot's webhook-port lock (see
        etcd_snapshot), handed to Kueue so that it holds it while it runs."""
        argv = [str(build.binary("kueue")), f"--config={self.config_path}",
                f"--kubeconfig={self.kubeconfig}",
                # The visibility API is an aggregated APIService that needs a routable
                # Service; a local process cannot be one, so it stays off. (Gates go on the
                # command line only: Kueue refuses them in both places.)
                "--feature-gates=" + ",".join(
                    ["VisibilityOnDemand=false"] + [f"{k}={str(v).lower()}" for k, v in
                                                    sorted(self._gates().items())])]
        env = {**os.environ, "NAMESPACE": config.NAMESPACE, "KUBECONFIG": str(self.kubeconfig)}
        if port_claim is None:
            return procs.start_background(argv, self.log_path, env)
        with port_claim:
            return procs.start_background(argv, self.log_path, env,
                                          pass_fds=(port_claim.fileno(),))

    def stop(self, pid: int | None) -> None:
        """Stop the Kueue process `pid` (only if it is one of this cluster's processes)."""
        procs.stop_all([p for p in procs.processes_using(self.cluster_dir) if p.pid == pid])

    def wait_ready(self, pid: int | None, ports: dict[str, int], ca: pki.KeyPair) -> None:
        """Until Kueue is ready, serves its webhooks with our certificate, and the apiserver
        reaches it (a v1beta1 read goes through the conversion webhook)."""
        context = ssl.create_default_context(cadata=ca.cert_pem.decode())
        kubectl = Kubectl(self.kubeconfig)

        def ready() -> bool:
            if not procs.is_alive(pid):
                raise procs.StopWaiting(f"Kueue exited during start-up: "
                                        f"{procs.last_error_line(self.log_path)}")
            _http_ok(f"http://127.0.0.1:{ports['health']}/readyz")
            # Any HTTP answer over TLS with our CA proves the webhook server serves our cert.
            # Not a webhook's own path: an empty request to /convert made Kueue log an error
            # with a stack trace ("failed to read conversion request": EOF) on every start.
            _https_answers(f"https://127.0.0.1:{ports['webhook']}/", context)
            return kubectl.ok("get", "clusterqueues.v1beta1.kueue.x-k8s.io")

        try:
            procs.wait_until(ready, READY_TIMEOUT, what="Kueue's webhooks")
        except TimeoutError as err:
            raise UserError(f"{err}; Kueue log: {self.log_path}") from err


def ensure_metrics_cert(ca: pki.KeyPair) -> None:
    """Kueue exits unless a metrics certificate exists at its fixed path (see config.py)."""
    folder = config.METRICS_CERT_DIR
    if (folder / "tls.crt").is_file() and (folder / "tls.key").is_file():
        return
    try:
        pki.write_pair(pki.make_serving_cert(ca, ["localhost", "127.0.0.1"]), folder)
    except PermissionError as err:
        raise UserError(f"Kueue {pins.KUEUE} needs a metrics certificate in {folder} and "
                        f"this user cannot write there: run `sudo mkdir -p {folder} && "
                        f"sudo chown $USER {folder}` once") from err


def _http_ok(url: str) -> None:
    with urllib.request.urlopen(url, timeout=2) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")


def _https_answers(url: str, context: ssl.SSLContext) -> None:
    try:
        urllib.request.urlopen(url, timeout=2, context=context)
    except urllib.error.HTTPError:
        return  # the server answered (e.g. 400 to an empty conversion request)
