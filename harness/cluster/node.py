"""One real node beside the KWOK nodes: kubelet, containerd, runc, CNI and kube-proxy.

Three steps, so the slow parts overlap the control plane's start:
  prepare()        before kwokctl: the private namespaces and the link (the apiserver is
                   told the link's host address to advertise, see apiserver_args(), so
                   pods reach it through the `kubernetes` Service)
  start_runtime()  while kwokctl works: the registries and containerd
  join()           once the apiserver answers: certificates from the cluster's CA, then
                   the kubelet and kube-proxy
and stop() removes it all (node_sandbox.py explains what "all" is). The node registers as
NODE_NAME with the label and NoSchedule taint `k8s-skills.io/node-kind=real`: a workload
chooses it with that nodeSelector and toleration. KWOK never manages it (only nodes
annotated kwok.x-k8s.io/node=fake, see local.py).
"""
from __future__ import annotations
from collections.abc import Callable
from typing import Any

import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from harness import yamlio
from harness.cluster import (build, image_store, images, node_config, node_packages,
                             node_sandbox, paths, pki, procs, registry, state_json)
from harness.cluster.kubectl import Kubectl
from harness.cluster.node_config import NodeLayout
from harness.errors import UserError

NODE_NAME = node_config.NODE_NAME
SELECTOR = {node_config.KIND_LABEL: node_config.KIND_VALUE}
TOLERATION = {"key": node_config.KIND_LABEL, "operator": "Equal",
              "value": node_config.KIND_VALUE, "effect": "NoSchedule"}
DAEMONS = ("containerd", "kubelet", "kube-proxy")


def place_on_real_node(pod_spec: dict[str, Any]) -> dict[str, Any]:
    """A pod spec that runs on the real node (a copy; nodeSelector and toleration added)."""
    spec = dict(pod_spec)
    spec["nodeSelector"] = {**(spec.get("nodeSelector") or {}), **SELECTOR}
    spec["tolerations"] = list(spec.get("tolerations") or []) + [TOLERATION]
    return spec


class RealNode:
    def __init__(self, cluster_dir: Path, cluster_name: str,
                 log: Callable[[str], None] | None = None) -> None:
        self.cluster_dir = cluster_dir
        self.dir = cluster_dir / "node"
        self.names = node_sandbox.NodeNames.for_cluster(cluster_dir, cluster_name)
        self.cgroups = node_sandbox.NodeCgroups(self.names.cgroup_root)
        self.log: Callable[[str], None] = log or (lambda message: None)

    # -- state ---------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.dir / "state.json"

    def state(self) -> dict[str, Any]:
        return state_json.read(self.state_file)

    def _save(self, **values: Any) -> None:
        state_json.write(self.state_file, {**self.state(), **values})

    def layout(self, apiserver_port: int = 0) -> NodeLayout:
        state = self.state()
        host_ip = state["host_ip"]
        return NodeLayout(
            dir=self.dir, host_ip=host_ip, node_ip=state["node_ip"],
            apiserver_port=apiserver_port or state.get("apiserver_port", 0),
            cgroup_root=self.names.cgroup_root,
            registry=f"{host_ip}:{registry.PUBLIC_PORT}",
            private_registry=f"{host_ip}:{registry.PRIVATE_PORT}",
            private_host=images.PRIVATE_HOST)

    # -- start ---------------------------------------------------------------------------
    def prepare(self) -> None:
        """Namespaces and link; before the control plane starts."""
        problems = node_packages.problems()
        if problems:
            raise UserError("the real node cannot run here: " + "; ".join(problems)
                            + " (or start without it: `cluster up --no-real-node`)")
        image_store.require_ready()
        self.dir.mkdir(parents=True, exist_ok=True)
        node_sandbox.prepare_files(self.dir)
        with node_sandbox.link_lock(paths.state_root()):
            link = node_sandbox.allocate_link(paths.state_root(), self.names,
                                              str(self.cluster_dir))
            self.cgroups.create()
            holder = node_sandbox.start_holder(self.dir, self.cgroups, _env())
            self._save(holder_pid=holder, host_ip=link.host_ip, node_ip=link.node_ip,
                       host_if=self.names.host_if, cgroup_root=self.names.cgroup_root)
            node_sandbox.create_link(self.names, link, holder)

    def start_runtime(self) -> None:
        """The registries and containerd (the apiserver is not needed yet)."""
        self._start_registries()
        self._start_containerd()

    def apiserver_args(self, kwok_pki: Path) -> list[tuple[str, str]]:
        """kube-apiserver flags the node needs: it reaches the kubelet (logs, exec,
        port-forward) with the admin certificate, at the node's InternalIP, and advertises
        the link's host address (the `kubernetes` Service endpoint pods reach)."""
        return [("advertise-address", self.state()["host_ip"]),
                ("kubelet-client-certificate", str(kwok_pki / "admin.crt")),
                ("kubelet-client-key", str(kwok_pki / "admin.key")),
                ("kubelet-preferred-address-types", "InternalIP")]

    def join(self, kwok_pki: Path, apiserver_port: int) -> None:
        """Certificates, then the kubelet and kube-proxy; returns without waiting."""
        self._save(apiserver_port=apiserver_port)
        layout = self.layout(apiserver_port)
        ca_crt = kwok_pki / "ca.crt"
        ca = pki.KeyPair(ca_crt.read_bytes(), (kwok_pki / "ca.key").read_bytes())
        server = f"https://{layout.host_ip}:{apiserver_port}"
        for user, cn, orgs in (("kubelet", f"system:node:{NODE_NAME}", ["system:nodes"]),
                               ("kube-proxy", "system:kube-proxy", [])):
            pki.write_pair(pki.make_client_cert(ca, cn, orgs), layout.certs_dir,
                           f"{user}.crt", f"{user}.key")
            _write_yaml(self.dir / f"{user}.kubeconfig", node_config.kubeconfig(
                server, ca_crt, layout.certs_dir / f"{user}.crt",
                layout.certs_dir / f"{user}.key", user))
        _write_yaml(self.dir / "kubelet.yaml", node_config.kubelet_config(layout, ca_crt))
        _write_yaml(self.dir / "kube-proxy.yaml", node_config.kube_proxy_config(layout))
        self._wait_containerd()
        self._start_daemon("kubelet", node_config.kubelet_argv(
            layout, str(build.binary("kubelet"))))
        self._start_daemon("kube-proxy", [str(build.binary("kube-proxy")),
                                          f"--config={self.dir / 'kube-proxy.yaml'}"])

    def _start_registries(self) -> None:
        layout = self.layout()
        store = self.cluster_dir / "registry"
        creds = registry.new_credentials()
        registry.write_credentials(store / "credentials.json", creds)
        registry.write_htpasswd(store / "htpasswd", creds)
        started = {}
        for name, private, address in (("public", False, layout.registry),
                                       ("private", True, layout.private_registry)):
            registry.copy_storage(image_store.storage(private), store / name)
            doc = registry.config(store / name, address, store / "htpasswd" if private else None)
            started[name] = (registry.start(build.binary("registry"), store, name, doc), address)
        self._save(registries={n: {"pid": pid, "address": a} for n, (pid, a) in started.items()})
        for name, (pid, address) in started.items():
            registry.wait_ready(f"http://{address}", pid, store / f"{name}.log")

    def _start_containerd(self) -> None:
        layout = self.layout()
        for host, text in node_config.registry_hosts(layout).items():
            folder = layout.registry_hosts_dir / host
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "hosts.toml").write_text(text)
        layout.cni_conf_dir.mkdir(parents=True, exist_ok=True)
        (layout.cni_conf_dir / "10-k8s-skills.conflist").write_text(
            node_config.cni_conflist(layout))
        config = self.dir / "containerd" / "config.toml"
        config.write_text(node_config.containerd_config(layout))
        self._start_daemon("containerd", ["containerd", f"--config={config}"])

    def _start_daemon(self, name: str, argv: list[str]) -> None:
        holder = self.state()["holder_pid"]
        log_path = self.dir / "logs" / f"{name}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(
                node_sandbox.in_node(holder, argv), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=_env(), start_new_session=True,
                preexec_fn=lambda: self.cgroups.join_daemons(os.getpid()))
        self._save(**{f"{name}_pid": proc.pid})

    def _wait_containerd(self) -> None:
        socket = Path(f"/proc/{self.state()['holder_pid']}/root"
                      f"{node_config.CONTAINERD_SOCKET}")

        def up() -> bool:
            if not procs.is_alive(self.state().get("containerd_pid")):
                raise procs.StopWaiting("containerd exited: " + _last_line(
                    self.dir / "logs" / "containerd.log"))
            return socket.exists()
        try:
            procs.wait_until(up, 20, interval=0.05, what="containerd's socket")
        except TimeoutError as err:
            raise UserError(f"{err}; log: {self.dir / 'logs' / 'containerd.log'}") from err

    def wait_ready(self, kubectl: Kubectl, timeout: float = 60) -> None:
        def ready() -> bool:
            for name in ("kubelet", "kube-proxy"):
                if not procs.is_alive(self.state().get(f"{name}_pid")):
                    raise procs.StopWaiting(f"{name} of the real node exited: " + _last_line(
                        self.dir / "logs" / f"{name}.log"))
            node = kubectl.run("get", "node", NODE_NAME, "-o", "json", check=False)
            return node.returncode == 0 and _is_ready(json.loads(node.stdout))
        try:
            procs.wait_until(ready, timeout, interval=0.2, what=f"node {NODE_NAME} Ready")
        except TimeoutError as err:
            raise UserError(f"{err}; kubelet log: {self.dir / 'logs' / 'kubelet.log'}") from err

    # -- stop ----------------------------------------------------------------------------
    def stop(self) -> int:
        """Remove every trace: the link, each process of the node's cgroups (containers
        included), the namespaces (gone with their last process), the cgroups. Works from
        names alone, so it also cleans up after a crashed start. Returns processes killed."""
        node_sandbox.delete_link(self.names)
        killed = len(self.cgroups.pids())
        self.cgroups.kill_all()
        self.cgroups.remove()
        return killed

    # -- status --------------------------------------------------------------------------
    def health(self, kubectl: Kubectl) -> list[tuple[str, bool, str]]:
        """(component, healthy, detail) for `cluster status`."""
        state = self.state()
        out = []
        for name in DAEMONS:
            pid = state.get(f"{name}_pid")
            alive = procs.is_alive(pid)
            out.append((name, alive, f"pid {pid}, in the node's namespaces" if alive
                        else "process not running"))
        node = kubectl.run("get", "node", NODE_NAME, "-o", "json", check=False)
        ready = node.returncode == 0 and _is_ready(json.loads(node.stdout))
        out.append((f"node/{NODE_NAME}", ready,
                    f"InternalIP {state.get('node_ip')}, {'Ready' if ready else 'not Ready'}"))
        for name, entry in (state.get("registries") or {}).items():
            answer = _registry_answer(entry["address"])
            ok = answer == ("401 (credentials required)" if name == "private" else "200")
            out.append((f"registry ({name})", ok and procs.is_alive(entry["pid"]),
                        f"http://{entry['address']}: {answer}"))
        return out


def _registry_answer(address: str) -> str:
    try:
        urllib.request.urlopen(f"http://{address}/v2/", timeout=2)
        return "200"
    except urllib.error.HTTPError as err:
        return "401 (credentials required)" if err.code == 401 else f"HTTP {err.code}"
    except OSError as err:
        return f"unreachable ({getattr(err, 'reason', err)})"


def _is_ready(node: dict[str, Any]) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in node.get("status", {}).get("conditions", []))


def _env() -> dict[str, Any]:
    env = dict(os.environ)
    path = env.get("PATH", "")
    for extra in ("/usr/sbin", "/sbin", "/usr/bin", "/bin"):
        if extra not in path.split(":"):
            path += ":" + extra
    env["PATH"] = path
    return env


def _write_yaml(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(yamlio.dump_all([doc]))


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    for line in reversed(lines):
        if "error" in line.lower() or line.startswith("E"):
            return line.strip()[:300]
    return lines[-1].strip()[:300] if lines else "no output"
