"""A private network namespace for Envoy Gateway, joined to the host by one veth pair.

Why: Envoy Gateway binds fixed ports on every address (health :8081, xDS :18000, Wasm
cache :18002, admin :19000, metrics :19001; internal/provider/kubernetes/kubernetes.go,
internal/xds/bootstrap/bootstrap.go), so two clusters on one machine would collide; and a
namespace whose only route is a /30 to the host cannot send anything off the machine
(no default route, no DNS), whatever a configuration asks it to fetch.

The pair is made with the namespace's end already inside it; the kernel deletes both ends
when the namespace's last process exits, so `cluster down` has nothing to undo.
Addresses come from 169.254.100.0/24 (link-local, never routed off a host; the cloud
metadata address 169.254.169.254 is outside it): the first /30 no host interface uses.
"""
from __future__ import annotations
from typing import Any

import fcntl
import hashlib
import ipaddress
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UserError

POOL = ipaddress.IPv4Network("169.254.100.0/24")
INSIDE_IFACE = "eg0"


@dataclass(frozen=True)
class Link:
    host_iface: str
    host_ip: str
    inside_ip: str

    def as_dict(self) -> dict[str, Any]:
        return {"host_iface": self.host_iface, "host_ip": self.host_ip,
                "inside_ip": self.inside_ip}


def connect(pid: int, cluster_dir: Path, lock_dir: Path, tag: str = "eg",
            inside_iface: str = INSIDE_IFACE) -> Link:
    """Create the veth pair into the network namespace of `pid` and address both ends
    (`tag` starts the host end's name: one pair per cluster and tag)."""
    iface = host_iface_name(cluster_dir, tag)
    lock_dir.mkdir(parents=True, exist_ok=True)
    # Two `cluster up` at once must not pick the same /30.
    with open(lock_dir / "envoy-gateway-net.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subnet = _free_subnet(_used_networks())
        host_ip, inside_ip = (str(a) for a in list(subnet.hosts())[:2])
        prefix = subnet.prefixlen
        _ip("link", "add", iface, "type", "veth", "peer", "name", inside_iface,
            "netns", str(pid))
        _ip("addr", "add", f"{host_ip}/{prefix}", "dev", iface)
        _ip("link", "set", iface, "up")
    _ip("addr", "add", f"{inside_ip}/{prefix}", "dev", inside_iface, netns_pid=pid)
    _ip("link", "set", inside_iface, "up", netns_pid=pid)
    _ip("link", "set", "lo", "up", netns_pid=pid)
    return Link(iface, host_ip, inside_ip)


def link_namespaces(pid_a: int, pid_b: int, iface_a: str, iface_b: str,
                    network: ipaddress.IPv4Network) -> tuple[str, str]:
    """A veth pair straight between the network namespaces of two processes, addressed
    from `network` (a /30 that exists only inside those two namespaces, so it cannot clash
    with the host's or another cluster's); returns (address in a, address in b). Like the
    host pairs, it disappears when either namespace's last process exits."""
    ip_a, ip_b = (str(a) for a in list(network.hosts())[:2])
    _ip("link", "add", iface_a, "type", "veth", "peer", "name", iface_b, "netns", str(pid_b),
        netns_pid=pid_a)
    for pid, iface, address in ((pid_a, iface_a, ip_a), (pid_b, iface_b, ip_b)):
        _ip("addr", "add", f"{address}/{network.prefixlen}", "dev", iface, netns_pid=pid)
        _ip("link", "set", iface, "up", netns_pid=pid)
    return ip_a, ip_b


def host_iface_name(cluster_dir: Path, tag: str = "eg") -> str:
    """The host end's name: one per cluster folder and tag, within the kernel's 15
    characters."""
    return tag + hashlib.sha256(str(cluster_dir).encode()).hexdigest()[:15 - len(tag) - 3]


def _used_networks() -> list[ipaddress.IPv4Network]:
    out = _ip("-j", "-4", "addr", "show")
    used = []
    for iface in json.loads(out or "[]"):
        for addr in iface.get("addr_info", []):
            used.append(ipaddress.IPv4Network(f"{addr['local']}/{addr['prefixlen']}",
                                              strict=False))  # `-4`: IPv4 addresses only
    return used


def _free_subnet(used: list[ipaddress.IPv4Network]) -> ipaddress.IPv4Network:
    for subnet in POOL.subnets(new_prefix=30):
        if not any(subnet.overlaps(net) for net in used):
            return subnet
    raise UserError(f"no free /30 left in {POOL} for Envoy Gateway's network namespace: "
                    "stop other local clusters (k8s-skills cluster down --name ...)")


def _ip(*args: str, netns_pid: int | None = None) -> str:
    argv = (["nsenter", "-t", str(netns_pid), "-n"] if netns_pid else []) + ["ip", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except FileNotFoundError as err:
        raise UserError("Envoy Gateway needs `ip` and `nsenter` (Debian: iproute2, "
                        "util-linux), or start without it: --no-gateway-controller") from err
    if proc.returncode != 0:
        raise UserError(f"`{' '.join(argv)}` failed: {proc.stderr.strip()[:200]}")
    return proc.stdout
