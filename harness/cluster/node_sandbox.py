"""The real node's private namespaces, network link and cgroups, and their removal.

A holder process (`unshare -m -n`) owns a mount and a network namespace; containerd, the
kubelet and kube-proxy join both with `nsenter`. Inside: a tmpfs on /run, overlays with a
tmpfs upper layer on /var/lib, /var/log and /tmp (so the kubelet's fixed paths such as
/var/lib/kubelet/device-plugins and /var/log/containers never reach the host), the sysctls
the kubelet rewrites masked by files, a resolver list with no servers. One veth pair with a
/30 of its own joins the node to the host and nothing else: the node has no default route.

Every process of the node lives in one cgroup tree (`<root>/daemons` for the daemons, the
kubelet's pods under `<root>/kubepods`), so removal can find each of them, containers
included, and leave no cgroup behind. Names derive from the cluster folder, so a `down`
after a crash finds everything without any state file.
"""
from __future__ import annotations
from typing import Any

import errno
import fcntl
import hashlib
import ipaddress
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from harness.cluster import node_config
from harness.errors import UserError

LINK_POOL = ipaddress.ip_network("10.250.0.0/16")   # one /30 per local cluster
PRIVATE_DIRS = ("/var/lib", "/var/log", "/tmp")      # overlaid with a tmpfs upper layer
HOLDER_NAME = "k8s-skills-node"


@dataclass(frozen=True)
class NodeNames:
    """Host-visible names of one cluster's node, derived from its folder."""
    host_if: str
    cgroup_root: str

    @classmethod
    def for_cluster(cls, cluster_dir: Path, cluster_name: str) -> "NodeNames":
        digest = hashlib.sha256(str(cluster_dir).encode()).hexdigest()[:8]
        safe = "".join(c if c.isalnum() or c == "-" else "-" for c in cluster_name)[:40]
        return cls(host_if=f"k8sn{digest}", cgroup_root=f"/k8s-skills-{safe}-{digest}")


@dataclass(frozen=True)
class Link:
    host_ip: str
    node_ip: str
    prefix: int = 30


# -- cgroups (v1: one hierarchy per controller, all visible to the host) -----------------
def v1_hierarchies() -> list[Path]:
    """Mount points of the cgroup v1 hierarchies (cpu, memory, pids, name=systemd, ...)."""
    out = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        if right.split(" ")[0] == "cgroup":
            out.append(Path(left.split(" ")[4]))
    return out


class NodeCgroups:
    def __init__(self, root: str) -> None:
        self.root = root.strip("/")

    def dirs(self) -> list[Path]:
        return [h / self.root for h in v1_hierarchies()]

    def create(self) -> None:
        for hierarchy in v1_hierarchies():
            for sub in (self.root, f"{self.root}/daemons"):
                path = hierarchy / sub
                path.mkdir(exist_ok=True)
                if (hierarchy / "cpuset.cpus").exists():
                    # A new cpuset accepts no task until it has cpus and mems of its own.
                    for name in ("cpuset.cpus", "cpuset.mems"):
                        (path / name).write_text((path.parent / name).read_text())

    def join_daemons(self, pid: int) -> None:
        for hierarchy in v1_hierarchies():
            procs = hierarchy / self.root / "daemons" / "cgroup.procs"
            procs.write_text(str(pid))

    def pids(self) -> set[int]:
        found: set[int] = set()
        for top in self.dirs():
            for folder, _, _ in os.walk(top):
                try:
                    text = (Path(folder) / "cgroup.procs").read_text()
                except OSError:
                    continue
                found.update(int(p) for p in text.split())
        return found

    def kill_all(self, timeout: float = 15) -> None:
        """SIGKILL every process in the tree until none is left (containers fork)."""
        self._thaw()
        deadline = time.monotonic() + timeout
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)
        if self.pids():
            raise UserError(f"processes in cgroup {self.root} survived SIGKILL: "
                            f"{sorted(self.pids())[:10]}")

    def remove(self, timeout: float = 10) -> None:
        """Remove the tree bottom-up in every hierarchy; a cgroup whose last task just died
        can stay busy for a moment, so retry."""
        deadline = time.monotonic() + timeout
        for top in self.dirs():
            if not top.exists():
                continue
            for folder, _, _ in os.walk(top, topdown=False):
                while True:
                    try:
                        os.rmdir(folder)
                        break
                    except FileNotFoundError:
                        break
                    except OSError as err:
                        if err.errno != errno.EBUSY or time.monotonic() > deadline:
                            raise UserError(f"cannot remove cgroup {folder}: {err}") from err
                        time.sleep(0.05)

    def _thaw(self) -> None:
        for top in self.dirs():
            if (top / "freezer.state").exists():
                for folder, _, _ in os.walk(top):
                    try:
                        (Path(folder) / "freezer.state").write_text("THAWED")
                    except OSError:
                        pass


# -- the holder and its private mounts ---------------------------------------------------
def holder_script() -> str:
    """Runs as the holder, inside its new mount and network namespaces; $1 = node folder."""
    overlays = "\n".join(
        f'mkdir -p /run/k8s-skills/overlay{d}/upper /run/k8s-skills/overlay{d}/work\n'
        f'[ "${{node#{d}/}}" = "$node" ] && mount -t overlay k8s-skills-node -o '
        f'lowerdir={d},upperdir=/run/k8s-skills/overlay{d}/upper,'
        f'workdir=/run/k8s-skills/overlay{d}/work {d}'
        for d in PRIVATE_DIRS)
    return f"""set -e
node="$1"
mount -t tmpfs -o mode=0755,size=512m k8s-skills-node /run
{overlays}
for f in "$node"/sysctl/*; do
  mount --bind "$f" "/proc/sys/$(basename "$f" | tr . /)"
done
resolv=$(readlink -m /etc/resolv.conf)
case "$resolv" in
  /run/*) mkdir -p "$(dirname "$resolv")"; cp "$node/resolv.conf" "$resolv" ;;
  *) mount --bind "$node/resolv.conf" "$resolv" ;;
esac
ip link set lo up
if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
  echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables
fi
touch "$node/sandbox.ready"
exec sleep infinity
"""


def prepare_files(node_dir: Path) -> None:
    """Files the holder binds over host paths inside its namespace."""
    if any(str(node_dir).startswith(p) for p in ("/run/", "/proc/", "/sys/")):
        raise UserError(f"the cluster state folder {node_dir.parent} cannot be under /run, "
                        "/proc or /sys: set K8S_SKILLS_STATE to a folder on disk")
    sysctl_dir = node_dir / "sysctl"
    sysctl_dir.mkdir(parents=True, exist_ok=True)
    for name, value in node_config.KUBELET_SYSCTLS.items():
        (sysctl_dir / name.replace("/", ".")).write_text(value + "\n")
    (node_dir / "resolv.conf").write_text(
        "# k8s-skills: the real node has no DNS server and no route beyond the host\n")


def start_holder(node_dir: Path, cgroups: NodeCgroups, env: dict[str, Any]) -> int:
    """Start the holder in the node's cgroup; returns its pid once its mounts are done."""
    log = open(node_dir / "holder.log", "wb")
    proc = subprocess.Popen(
        ["unshare", "--mount", "--net", "--propagation", "private", "--", "sh", "-c",
         holder_script(), HOLDER_NAME, str(node_dir)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
        start_new_session=True, preexec_fn=lambda: cgroups.join_daemons(os.getpid()))
    log.close()
    ready = node_dir / "sandbox.ready"
    deadline = time.monotonic() + 10
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            text = (node_dir / "holder.log").read_text(errors="replace").strip()
            raise UserError("the real node's namespaces could not be set up: "
                            f"{(text.splitlines() or ['no output'])[-1]}")
        time.sleep(0.02)
    return proc.pid


def in_node(pid: int, argv: list[str]) -> list[str]:
    """argv run inside the node's mount and network namespaces."""
    return ["nsenter", f"--target={pid}", "--mount", "--net", "--"] + argv


# -- the link ----------------------------------------------------------------------------
def allocate_link(state_root: Path, names: NodeNames, seed: str) -> Link:
    """A /30 from LINK_POOL that no host address or route overlaps (and no other cluster's
    node holds: theirs show up as routes). Call under link_lock()."""
    used = [ipaddress.ip_network(n, strict=False) for n in _host_networks()]
    blocks = LINK_POOL.num_addresses // 4
    start = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % blocks
    for offset in range(blocks):
        net = ipaddress.ip_network(
            (int(LINK_POOL.network_address) + 4 * ((start + offset) % blocks), 30))
        if not any(net.overlaps(u) for u in used):
            hosts = list(net.hosts())
            return Link(str(hosts[0]), str(hosts[1]))
    raise UserError(f"no free /30 left in {LINK_POOL} for the real node's link")


class link_lock:
    """Serialise link allocation between clusters started at the same moment."""
    def __init__(self, state_root: Path) -> None:
        state_root.mkdir(parents=True, exist_ok=True)
        self.path = state_root / ".node-link.lock"

    def __enter__(self) -> link_lock:
        self.handle = open(self.path, "w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def create_link(names: NodeNames, link: Link, holder_pid: int) -> None:
    """A veth pair: the host end keeps the host-side address, the other end becomes the
    node's eth0. The node gets no default route: nothing beyond this /30 is reachable."""
    _ip("link", "add", names.host_if, "type", "veth", "peer", "name", "eth0",
        "netns", str(holder_pid))
    _ip("addr", "add", f"{link.host_ip}/{link.prefix}", "dev", names.host_if)
    _ip("link", "set", names.host_if, "up")
    inside = ["nsenter", f"--target={holder_pid}", "--net", "--", "ip"]
    _run(inside + ["addr", "add", f"{link.node_ip}/{link.prefix}", "dev", "eth0"])
    _run(inside + ["link", "set", "eth0", "up"])


def delete_link(names: NodeNames) -> None:
    """Deleting the host end deletes its peer too; absent is fine."""
    if Path(f"/sys/class/net/{names.host_if}").exists():
        _ip("link", "del", names.host_if)


def _host_networks() -> list[str]:
    addrs = json.loads(_run(["ip", "-json", "addr", "show"]).stdout or "[]")
    nets = [f"{a['local']}/{a['prefixlen']}" for link in addrs
            for a in link.get("addr_info", []) if a.get("family") == "inet"]
    routes = json.loads(_run(["ip", "-json", "route", "show", "table", "all"]).stdout or "[]")
    for route in routes:
        dst = route.get("dst", "")
        if dst and dst != "default" and ":" not in dst and not dst.startswith(("broadcast",)):
            nets.append(dst if "/" in dst else f"{dst}/32")
    return nets


def _ip(*args: str) -> None:
    _run(["ip", *args])


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise UserError(f"{' '.join(argv[:4])} failed: {proc.stderr.strip()[:300]}")
    return proc
