"""`cluster up` changes nothing on the host but its own veth end; `down` leaves no trace.

A cluster of its own (not the session's) is started with a running pod on the real node,
then removed. Compared before / during / after: processes, /proc/mounts, network devices,
iptables rules, cgroup folders, the sysctls the kubelet wants, and the host folders the
kubelet, containerd and the CNI plugins write by default.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psutil
import pytest

from harness.cluster import node, node_sandbox
from harness.cluster.envoy_gateway import netns
from harness.cluster.local import LocalCluster
from tests.live.conftest import CLUSTER_NAME
from tests.live.helpers import wait_for

pytestmark = pytest.mark.live

HOST_PATHS = ("/var/lib/kubelet", "/var/lib/cni", "/var/log/containers", "/var/log/pods",
              "/opt/containerd", "/run/containerd", "/var/lib/containerd", "/etc/cni",
              "/usr/libexec/kubernetes", "/run/k8s-skills", "/var/run/netns")


def host_snapshot() -> dict:
    return {
        "mounts": set(Path("/proc/mounts").read_text().splitlines()),
        "links": set(os.listdir("/sys/class/net")),
        "iptables": _iptables(),
        "cgroups": {str(p) for h in node_sandbox.v1_hierarchies() for p in h.iterdir()
                    if p.is_dir()},
        "sysctls": {k: Path(f"/proc/sys/{k}").read_text()
                    for k in node.node_config.KUBELET_SYSCTLS},
        "paths": {p for p in HOST_PATHS if os.path.lexists(p)},
    }


def _iptables() -> list[str]:
    out = []
    for tool in ("iptables-save", "ip6tables-save"):
        proc = subprocess.run([tool], capture_output=True, text=True, timeout=30)
        # counters and the dump's timestamp comments change by themselves
        out += [line.split(" [")[0] for line in proc.stdout.splitlines() if not line.startswith("#")]
    return out


def ours(cluster: LocalCluster) -> dict:
    """What belongs to this cluster on the host, found from its names alone."""
    names = node_sandbox.NodeNames.for_cluster(cluster.dir, cluster.name)
    procs = [p.pid for p in psutil.process_iter(["cmdline"])
             if any(str(cluster.dir) in a for a in (p.info["cmdline"] or []))]
    return {"processes": sorted(set(procs) | node_sandbox.NodeCgroups(names.cgroup_root).pids()),
            "link": names.host_if in os.listdir("/sys/class/net"),
            "cgroups": [str(d) for d in node_sandbox.NodeCgroups(names.cgroup_root).dirs()
                        if d.exists()]}


@pytest.fixture
def spare_cluster():
    cluster = LocalCluster(f"{CLUSTER_NAME}-cleanup", log=lambda m: print(f"[cleanup] {m}"))
    cluster.down()
    yield cluster
    cluster.down()


def test_down_leaves_no_trace(spare_cluster):
    before = host_snapshot()
    spare_cluster.up()
    kubectl = spare_cluster.kubectl()
    kubectl.apply([{"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": "busy", "namespace": "default"},
                    "spec": node.place_on_real_node({"containers": [{
                        "name": "main", "image": "busybox:1.36",
                        "command": ["sleep", "3600"]}]})}])
    wait_for(lambda: kubectl.get_json("pod", "busy", "-n", "default")["status"]
             .get("phase") == "Running", timeout=60, what="a container on the real node")
    during = host_snapshot()
    running = ours(spare_cluster)
    assert running["link"] and running["cgroups"] and len(running["processes"]) > 5

    # While it runs, the host sees its own veth end and cgroups, and nothing else.
    assert during["mounts"] - before["mounts"] == set(), "a node mount leaked to the host"
    assert during["iptables"] == before["iptables"]
    assert during["sysctls"] == before["sysctls"]
    assert during["paths"] == before["paths"]
    names = node_sandbox.NodeNames.for_cluster(spare_cluster.dir, spare_cluster.name)
    new_links = during["links"] - before["links"]
    assert names.host_if in new_links
    # Besides ours (the node's, Envoy Gateway's and Envoy AI Gateway's veth ends), only
    # other clusters' ends.
    ours_links = {names.host_if, netns.host_iface_name(spare_cluster.dir),
                  netns.host_iface_name(spare_cluster.dir, "aigw")}
    assert all(link.startswith(("k8sn", "eg", "aigw")) for link in new_links - ours_links), new_links

    spare_cluster.down()
    after = host_snapshot()
    gone = ours(spare_cluster)
    assert gone == {"processes": [], "link": False, "cgroups": []}
    assert not spare_cluster.dir.exists()
    assert after["mounts"] - before["mounts"] == set()
    assert after["iptables"] == before["iptables"]
    assert after["sysctls"] == before["sysctls"]
    assert after["paths"] == before["paths"]
    assert not ours_links & after["links"]
    assert not any(names.cgroup_root.strip("/") in c for c in after["cgroups"])
