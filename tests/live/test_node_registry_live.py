"""Images come from the local registry only, and nothing leaves the machine.

Pulls of well-known registry names are served by the local registry (its access log shows
each request); a missing tag is its 404 and a private repository its 401, as the kubelet
reports them; an imagePullSecret with the registry's credentials fixes the latter. While
pods pull and run, every socket of the node's daemons and pods and every conntrack entry of
the node's network namespace is sampled: no peer address may lie beyond the machine.
"""
from __future__ import annotations

import base64
import ipaddress
import json
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from harness.cluster import images, node, node_config, node_sandbox, registry
from tests.live.helpers import apply, get, wait_for

pytestmark = pytest.mark.live

WELL_KNOWN = ("busybox:1.36", "docker.io/library/busybox:1.37", "quay.io/library/busybox:latest",
              "ghcr.io/library/busybox:stable", "registry.k8s.io/pause:3.9",
              "nvcr.io/library/busybox:1.36", "public.ecr.aws/library/busybox:1.36")


@pytest.fixture
def real_node(live_cluster):
    if not live_cluster["cluster"]:
        pytest.skip("needs the local cluster's real node")
    return live_cluster["cluster"].real_node()


def pod(name: str, namespace: str, image: str, **spec) -> dict:
    container = {"name": "main", "image": image, "imagePullPolicy": "Always"}
    if "pause" not in image:
        container["command"] = ["sh", "-c", "echo pulled; sleep 3600"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace},
            "spec": node.place_on_real_node({"containers": [container],
                                             "terminationGracePeriodSeconds": 1, **spec})}


def waiting_reason(kubectl, namespace: str, name: str) -> tuple[str, str] | None:
    status = get(kubectl, "pod", name, "-n", namespace)["status"]
    for cs in status.get("containerStatuses", []):
        waiting = cs.get("state", {}).get("waiting")
        if waiting and waiting.get("reason") in ("ErrImagePull", "ImagePullBackOff"):
            return waiting["reason"], waiting.get("message", "")
    return None


def running(kubectl, namespace: str, name: str) -> bool:
    return get(kubectl, "pod", name, "-n", namespace)["status"].get("phase") == "Running"


class Watcher:
    """Samples the peers of every socket in the node's network namespaces (the node's and
    each pod's) and the node's conntrack table, in a background thread."""

    def __init__(self, real_node):
        self.node = real_node
        self.peers: set[str] = set()          # remote addresses of sockets
        self.tracked: set[str] = set()        # destinations in the node's conntrack table
        self.rounds = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)

    def _run(self):
        while not self.stop.is_set():
            self._sample()
            self.rounds += 1
            time.sleep(0.05)

    def _sample(self):
        pids = self.node.cgroups.pids()
        namespaces = {}
        for pid in pids:
            try:
                namespaces.setdefault(Path(f"/proc/{pid}/ns/net").resolve().name, pid)
            except OSError:
                continue
        for pid in namespaces.values():
            for table in ("tcp", "tcp6", "udp", "udp6"):
                self.peers |= _peers(Path(f"/proc/{pid}/net/{table}"))
        holder = self.node.state()["holder_pid"]
        proc = subprocess.run(node_sandbox.in_node(holder, ["conntrack", "-L", "-o", "extended"]),
                              capture_output=True, text=True, timeout=10)
        for line in proc.stdout.splitlines():
            self.tracked |= {f.split("=", 1)[1] for f in line.split() if f.startswith("dst=")}


def _peers(path: Path) -> set[str]:
    try:
        lines = path.read_text().splitlines()[1:]
    except OSError:
        return set()
    out = set()
    for line in lines:
        remote = line.split()[2]
        address = remote.split(":")[0]
        if len(address) == 8:
            out.add(str(ipaddress.IPv4Address(bytes.fromhex(address)[::-1])))
        else:
            words = [bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, 32, 8)]
            out.add(str(ipaddress.IPv6Address(b"".join(words))))
    return out


def local_networks(real_node) -> list:
    state = real_node.state()
    return [ipaddress.ip_network(n, strict=False) for n in (
        "127.0.0.0/8", "::1/128", "0.0.0.0/32", "::/128", node_config.POD_CIDR,
        "10.0.0.0/24",  # the apiserver's default Service range (kwokctl sets none)
        f"{state['host_ip']}/30",
        # link-local multicast (IGMP/MLD reports of the node's own links): never routed
        "224.0.0.0/24", "ff02::/16", "fe80::/10")]


def beyond(addresses: set[str], real_node) -> list[str]:
    nets = local_networks(real_node)
    return sorted(a for a in addresses if not any(_ip(a) in n for n in nets))


def _ip(address: str):
    ip = ipaddress.ip_address(address)
    return ip.ipv4_mapped or ip if isinstance(ip, ipaddress.IPv6Address) else ip


def test_every_registry_host_is_served_locally_and_nothing_leaves(kubectl, namespace,
                                                                   real_node):
    log = real_node.cluster_dir / "registry" / "public.log"
    already = log.read_text() if log.exists() else ""
    with Watcher(real_node) as watcher:
        apply(kubectl, *[pod(f"p{i}", namespace, image) for i, image in enumerate(WELL_KNOWN)])
        for i in range(len(WELL_KNOWN)):
            wait_for(lambda: running(kubectl, namespace, f"p{i}"), timeout=90,
                     what=f"pod of {WELL_KNOWN[i]} running")
        time.sleep(1)
    assert watcher.rounds > 10
    # The watcher sees the node's own traffic: the kubelet's connections to the apiserver.
    assert real_node.state()["host_ip"] in watcher.tracked | watcher.peers
    assert beyond(watcher.peers | watcher.tracked, real_node) == []
    # Each pull was answered by the local registry (its access log names the repository).
    served = log.read_text()[len(already):]
    for repository in ("library/busybox", "pause"):
        assert f"/v2/{repository}/manifests/" in served, served[-2000:]


def test_a_pod_cannot_reach_beyond_the_node(kubectl, namespace, real_node):
    apply(kubectl, pod("curious", namespace, "busybox:1.36"))
    wait_for(lambda: running(kubectl, namespace, "curious"), timeout=60, what="pod running")
    with Watcher(real_node) as watcher:
        # An address, another, then a name (there is no resolver to ask).
        out = kubectl("exec", "curious", "-n", namespace, "--", "sh", "-c",
                      "wget -q -O - http://1.1.1.1/ 2>&1; echo rc=$?; "
                      "nc -w 3 8.8.8.8 53 </dev/null 2>&1; echo rc=$?; "
                      "nslookup example.com 2>&1; echo rc=$?", check=False).stdout
        time.sleep(1)
    assert "rc=0" not in out, out
    assert "Network is unreachable" in out, out
    # The pod's own sockets tried (SYN_SENT), but the node routed nothing on: no conntrack
    # entry of the node's namespace points beyond the machine.
    assert {"1.1.1.1", "8.8.8.8"} & watcher.peers
    assert beyond(watcher.tracked, real_node) == []


def test_node_has_no_route_and_no_resolver_beyond_the_host(real_node):
    holder = real_node.state()["holder_pid"]
    routes = subprocess.run(node_sandbox.in_node(holder, ["ip", "-json", "route"]),
                            capture_output=True, text=True, timeout=10).stdout
    assert not any(r.get("dst") == "default" for r in json.loads(routes))
    resolv = Path(f"/proc/{holder}/root/etc/resolv.conf").read_text()
    assert "nameserver" not in resolv


def test_missing_tag_is_a_registry_404(kubectl, namespace, real_node):
    apply(kubectl, pod("missing", namespace, "team/web:v9.9.9"))
    reason, message = wait_for(lambda: waiting_reason(kubectl, namespace, "missing"),
                               timeout=60, what="ErrImagePull")
    assert "docker.io/team/web:v9.9.9: not found" in message, message
    wait_for(lambda: (waiting_reason(kubectl, namespace, "missing") or ("",))[0]
             == "ImagePullBackOff", timeout=60, what="ImagePullBackOff")


def test_private_repository_needs_a_real_pull_secret(kubectl, namespace, real_node):
    image = f"{images.PRIVATE_HOST}/ml/model-server:1.0"
    apply(kubectl, pod("private", namespace, image))
    _, message = wait_for(lambda: waiting_reason(kubectl, namespace, "private"), timeout=60,
                          what="ErrImagePull on the private repository")
    assert "401 Unauthorized" in message, message
    creds = registry.read_credentials(real_node.cluster_dir / "registry" / "credentials.json")
    wrong = registry.Credentials(creds.username, "not-the-password")
    for name, c in (("wrong", wrong), ("right", creds)):
        apply(kubectl, {"apiVersion": "v1", "kind": "Secret", "type":
                        "kubernetes.io/dockerconfigjson",
                        "metadata": {"name": name, "namespace": namespace},
                        "data": {".dockerconfigjson": base64.b64encode(
                            c.docker_config(images.PRIVATE_HOST).encode()).decode()}})
    apply(kubectl, pod("wrong-secret", namespace, image, imagePullSecrets=[{"name": "wrong"}]))
    _, message = wait_for(lambda: waiting_reason(kubectl, namespace, "wrong-secret"),
                          timeout=60, what="ErrImagePull with a wrong password")
    assert "401 Unauthorized" in message, message
    apply(kubectl, pod("right-secret", namespace, image, imagePullSecrets=[{"name": "right"}]))
    wait_for(lambda: running(kubectl, namespace, "right-secret"), timeout=60,
             what="the private image pulled with the right secret")


def test_registry_processes_talk_only_locally(real_node):
    for entry in real_node.state()["registries"].values():
        proc = psutil.Process(entry["pid"])
        for conn in proc.net_connections(kind="inet"):
            if conn.raddr:
                assert beyond({conn.raddr.ip}, real_node) == [], conn
