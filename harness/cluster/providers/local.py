"""The `local` provider (the default): upstream binaries as local processes, no Docker. The
processes themselves are harness.cluster.local's; this file declares its `up` options and
what `cluster status` shows of it."""
from __future__ import annotations

from harness.cluster import health, topology
from harness.cluster.envoy_ai_gateway import process as aigw_process
from harness.cluster.envoy_gateway import process as eg_process
from harness.cluster.health import ComponentHealth
from harness.cluster.local import LocalCluster
from harness.cluster.providers.registry import RETAIN, Option, node_inventory, register

TOPOLOGY = Option(
    "--topology", "topology_file", metavar="FILE",
    help="fake hardware YAML: node pools with GPUs as extended resources or DRA devices; the "
         f"default file documents the format ({topology.DEFAULT_FILE})")
PORT = Option("--port", "port", type=int, help="apiserver port (default: a free one)")
GATEWAY_CHANNEL = Option("--gateway-channel", "gateway_channel",
                         choices=("standard", "experimental"),
                         help="Gateway API CRD channel (default: experimental)")
NO_GATEWAY_CONTROLLER = Option(
    "--no-gateway-controller", "gateway_controller", action="store_false",
    help="do not build or start Envoy Gateway (fastest start; then nothing writes Gateway or "
         "route status)")
NO_AI_GATEWAY = Option(
    "--no-ai-gateway", "ai_gateway", action="store_false",
    help="run Envoy Gateway without Envoy AI Gateway's controller, its extension server for "
         "InferencePool backends and the writer of InferencePool status (then routes to "
         "InferencePools are refused with InvalidKind and no pool gets status)")
NO_REAL_NODE = Option(
    "--no-real-node", "real_node", action="store_false",
    help="do not build or start the real kubelet node and its image registries (fastest "
         "start; pods then run only on KWOK nodes, where containers are not real)")


@register("local", options=(TOPOLOGY, PORT, GATEWAY_CHANNEL, NO_GATEWAY_CONTROLLER,
                            NO_AI_GATEWAY, NO_REAL_NODE, RETAIN))
class LocalProvider(LocalCluster):
    """upstream binaries as processes (default, no Docker)"""

    def status(self) -> list[ComponentHealth]:
        state = self.state()
        components = []
        if state.get("phase") == "failed":
            components.append(ComponentHealth(
                "start-up", False, f"failed, kept by --retain; logs: {self.logs()}"))
        components += health.control_plane(self.kwok_workdir / "clusters" / self.name)
        components.append(health.kueue(state.get("kueue_pid"),
                                       state.get("ports", {}).get("health")))
        if "envoy_gateway" in state:
            components.append(eg_process.component_health(state["envoy_gateway"]))
        if "envoy_ai_gateway" in state:
            components.append(aigw_process.component_health(state["envoy_ai_gateway"]))
        if state.get("real_node"):
            components += health.real_node(self.real_node(), self.kubectl())
        return components

    def inventory(self) -> dict[str, int]:
        return node_inventory(self.kubectl())

    def logs(self) -> str:
        return str(self.dir / "logs")
