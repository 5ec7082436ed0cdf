"""Configuration files of the real node: containerd, CNI, registry mirrors, kubelet, kube-proxy.

Pure functions from a NodeLayout to file contents; node.py writes them and starts the
daemons. Field names are those of the pinned versions: containerd 1.6 (Debian bookworm's
package, config version 2), KubeletConfiguration kubelet.config.k8s.io/v1beta1 and
KubeProxyConfiguration kubeproxy.config.k8s.io/v1alpha1 of Kubernetes 1.37. Why each
non-default value is needed on this kind of machine: shared/reference/real-node.md.
"""
from __future__ import annotations

from typing import Any
import json
from dataclasses import dataclass
from pathlib import Path

NODE_NAME = "real-node-0"
KIND_LABEL = "k8s-skills.io/node-kind"
KIND_VALUE = "real"
POD_CIDR = "10.244.0.0/24"
PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
# Inside the node's private /run (a tmpfs): nothing here is visible to the host.
CONTAINERD_SOCKET = "/run/k8s-skills/containerd/containerd.sock"
CONTAINERD_STATE = "/run/k8s-skills/containerd/state"
CNI_BIN_DIR = "/usr/lib/cni"   # Debian's containernetworking-plugins
# What the kubelet wants these host-wide sysctls to be (pkg/kubelet/cm/
# container_manager_linux.go setupKernelTunables): masked per node, the host keeps its own.
KUBELET_SYSCTLS = {"vm/overcommit_memory": "1", "vm/panic_on_oom": "0", "kernel/panic": "10",
                   "kernel/panic_on_oops": "1", "kernel/keys/root_maxkeys": "1000000",
                   "kernel/keys/root_maxbytes": "25000000"}


@dataclass(frozen=True)
class NodeLayout:
    """Where one node's files live and how it is addressed."""
    dir: Path                 # <cluster>/node
    host_ip: str              # host end of the veth pair (the apiserver's advertise address)
    node_ip: str              # node end: the kubelet's InternalIP
    apiserver_port: int
    cgroup_root: str          # e.g. /k8s-skills-mycluster-1a2b3c4d
    registry: str             # host:port of the public registry (every host resolves here)
    private_registry: str     # host:port of the registry that requires credentials
    private_host: str         # the registry name images of private repositories use

    @property
    def kubelet_dir(self) -> Path:
        return self.dir / "kubelet"

    @property
    def certs_dir(self) -> Path:
        return self.dir / "pki"

    @property
    def registry_hosts_dir(self) -> Path:
        return self.dir / "containerd" / "certs.d"

    @property
    def cni_conf_dir(self) -> Path:
        return self.dir / "cni" / "net.d"


def containerd_config(layout: NodeLayout) -> str:
    """containerd 1.6 config (version 2). Everything it writes lives under the node folder
    or the node's private /run; plugins that would write elsewhere are disabled."""
    root = layout.dir / "containerd"
    cri = 'plugins."io.containerd.grpc.v1.cri"'
    return f"""\
version = 2
root = "{root / 'root'}"
state = "{CONTAINERD_STATE}"
# opt writes /opt/containerd on the host; the others are snapshotters we do not use.
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "{CONTAINERD_SOCKET}"

[ttrpc]
  address = "{CONTAINERD_SOCKET}.ttrpc"

[metrics]
  address = ""

[{cri}]
  sandbox_image = "{PAUSE_IMAGE}"
  # The kubelet asks for oom_score_adj -998 on sandboxes; without CAP_SYS_RESOURCE runc
  # cannot lower it ("can't get final child's PID from pipe: EOF").
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  [{cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [{cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [{cri}.containerd.runtimes.runc.options]
        SystemdCgroup = false
  [{cri}.cni]
    bin_dir = "{CNI_BIN_DIR}"
    conf_dir = "{layout.cni_conf_dir}"
    max_conf_num = 1
  [{cri}.registry]
    # Every registry host resolves to the local registry (see registry_hosts()).
    config_path = "{layout.registry_hosts_dir}"
"""


def registry_hosts(layout: NodeLayout) -> dict[str, str]:
    """hosts.toml files by host directory name.

    containerd 1.6 looks up `<config_path>/<host>/hosts.toml`, then
    `<config_path>/_default/hosts.toml` (remotes/docker/config/config_unix.go hostPaths).
    A `server` entry replaces the upstream host itself, so there is no fallback to it:
    a tag the local registry lacks is its 404, never a request to the public registry.
    containerd 1.6.20 rejects a file without a `[host]` table ("invalid `host` tree",
    getSortedHosts in remotes/docker/config/hosts.go) and then falls back to the upstream
    host, so the same registry is also listed as a host.
    """
    def hosts_toml(address: str) -> str:
        return (f'# k8s-skills: every pull of this host goes to the local registry\n'
                f'server = "http://{address}"\n\n'
                f'[host."http://{address}"]\n'
                f'  capabilities = ["pull", "resolve"]\n')
    return {"_default": hosts_toml(layout.registry),
            layout.private_host: hosts_toml(layout.private_registry)}


def cni_conflist(layout: NodeLayout) -> str:
    """A bridge with host-local IPAM; pods masquerade to the node's address. The node has
    no default route, so a pod's packet to anything beyond the node is dropped there."""
    return json.dumps({
        "cniVersion": "1.0.0", "name": "k8s-skills",
        "plugins": [
            {"type": "bridge", "bridge": "cni0", "isGateway": True, "ipMasq": True,
             "hairpinMode": True,
             "ipam": {"type": "host-local", "ranges": [[{"subnet": POD_CIDR}]],
                      "routes": [{"dst": "0.0.0.0/0"}],
                      "dataDir": str(layout.dir / "cni" / "ipam")}},
            {"type": "portmap", "capabilities": {"portMappings": True}},
        ]}, indent=1)


def kubelet_config(layout: NodeLayout, client_ca: Path) -> dict[str, Any]:
    return {
        "apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration",
        # cgroup v1 is all this machine has; the kubelet then records a CgroupV1 warning.
        "failCgroupV1": False,
        # containerd 1.6 lacks the CRI RuntimeConfig call, so say it ourselves.
        "cgroupDriver": "cgroupfs",
        "cgroupRoot": layout.cgroup_root,
        "failSwapOn": False,
        "containerRuntimeEndpoint": f"unix://{CONTAINERD_SOCKET}",
        "address": layout.node_ip, "port": 10250, "readOnlyPort": 0,
        "healthzBindAddress": "127.0.0.1", "healthzPort": 10248,
        "authentication": {"anonymous": {"enabled": False},
                           "webhook": {"enabled": True},
                           "x509": {"clientCAFile": str(client_ca)}},
        "authorization": {"mode": "Webhook"},
        "podLogsDir": str(layout.dir / "pod-logs"),
        "volumePluginDir": str(layout.kubelet_dir / "volume-plugins"),
        # No cluster DNS and no DNS beyond the node: pods get an empty resolver list.
        "resolvConf": str(layout.dir / "resolv.conf"),
        "registerWithTaints": [{"key": KIND_LABEL, "value": KIND_VALUE,
                                "effect": "NoSchedule"}],
        # A disk and memory shared with the rest of the machine: evict late.
        "evictionHard": {"memory.available": "100Mi", "nodefs.available": "2%",
                         "nodefs.inodesFree": "2%", "imagefs.available": "2%"},
        "imageGCHighThresholdPercent": 99, "imageGCLowThresholdPercent": 98,
        # Without CAP_SYS_RESOURCE the kubelet cannot lower its own score (default -999).
        "oomScoreAdj": 0,
        # The host's sysctls are masked for the node; keep the kubelet from fighting them.
        "protectKernelDefaults": False,
        # "Error" turns into "CrashLoopBackOff" on the next sync: see real-node.md.
        "syncFrequency": "10s",
        "nodeStatusUpdateFrequency": "10s",
        "serializeImagePulls": False,
        "maxPods": 110,
        "containerLogMaxSize": "5Mi", "containerLogMaxFiles": 2,
        "enableDebuggingHandlers": True,
        "shutdownGracePeriod": "0s",
    }


def kubelet_argv(layout: NodeLayout, kubelet: str) -> list[str]:
    return [kubelet, f"--config={layout.dir / 'kubelet.yaml'}",
            f"--kubeconfig={layout.dir / 'kubelet.kubeconfig'}",
            f"--root-dir={layout.kubelet_dir}", f"--cert-dir={layout.certs_dir / 'kubelet'}",
            f"--node-ip={layout.node_ip}", f"--hostname-override={NODE_NAME}",
            f"--node-labels={KIND_LABEL}={KIND_VALUE}", "--v=1"]


def kube_proxy_config(layout: NodeLayout) -> dict[str, Any]:
    return {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1", "kind": "KubeProxyConfiguration",
        "clientConnection": {"kubeconfig": str(layout.dir / "kube-proxy.kubeconfig")},
        "hostnameOverride": NODE_NAME, "mode": "iptables", "clusterCIDR": POD_CIDR,
        # nf_conntrack_max is host-wide: leave it (and the timeouts) alone.
        "conntrack": {"maxPerCore": 0, "min": 0, "tcpEstablishedTimeout": "0s",
                      "tcpCloseWaitTimeout": "0s"},
        "iptables": {"localhostNodePorts": False},
        "metricsBindAddress": "127.0.0.1:10249", "healthzBindAddress": "127.0.0.1:10256",
    }


def kubeconfig(server: str, ca: Path, cert: Path, key: Path, user: str) -> dict[str, Any]:
    """A kubeconfig with a client certificate. The apiserver's certificate names localhost
    (kwokctl's PKI), not the veth address, hence tls-server-name."""
    return {"apiVersion": "v1", "kind": "Config", "current-context": "node",
            "clusters": [{"name": "local", "cluster": {
                "server": server, "certificate-authority": str(ca),
                "tls-server-name": "localhost"}}],
            "users": [{"name": user, "user": {"client-certificate": str(cert),
                                              "client-key": str(key)}}],
            "contexts": [{"name": "node", "context": {"cluster": "local", "user": user}}]}
