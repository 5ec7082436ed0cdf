"""`k8s-skills cluster build|up|down|status|env`."""
from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys

from harness.cluster import build, health, providers, topology
from harness.cluster.envoy_ai_gateway import process as aigw_process
from harness.cluster.envoy_gateway import process as eg_process
from harness.cluster.node_config import KIND_LABEL
from harness.errors import UserError

EPILOG = """examples:
  k8s-skills cluster up                       local cluster from upstream binaries (default)
  k8s-skills cluster up --topology my.yaml    your own fake hardware (see --help of up)
  k8s-skills cluster up --no-real-node        fastest start: KWOK nodes only, no registry
  k8s-skills cluster up --provider kubeconfig --context my-test-cluster
  eval "$(k8s-skills cluster env)"            point kubectl at the cluster
  k8s-skills cluster status --json
  k8s-skills cluster down
"""


def register(groups) -> None:
    parser = groups.add_parser(
        "cluster", help="the scenario cluster: build, up, down, status, env",
        description="A real Kubernetes control plane (etcd, kube-apiserver, scheduler, "
                    "controller-manager, KWOK nodes, Kueue, Envoy Gateway) built from pinned "
                    "upstream modules and run as local processes, with one real node "
                    "(kubelet, containerd, kube-proxy in private namespaces) pulling from a "
                    "local image registry; or an existing cluster.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = sub.add_parser("build", help="build the pinned binaries into the cache (once)")
    p.add_argument("--verify", action="store_true", help="also check every binary's sha256")
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("up", help="start the cluster and wait until it is ready",
                       description="Start the cluster; returns once the apiserver is ready, "
                                   "Kueue's webhooks answer and every node is Ready. "
                                   "On a running cluster it says so and succeeds.")
    _name(p)
    p.add_argument("--provider", choices=providers.PROVIDERS, default="local",
                   help="local: upstream binaries as processes (default, no Docker); "
                        "kubeconfig: an existing cluster; kind: needs a Docker engine")
    p.add_argument("--topology", metavar="FILE",
                   help="fake hardware YAML: node pools with GPUs as extended resources or "
                        f"DRA devices; the default file documents the format "
                        f"({topology.DEFAULT_FILE})")
    p.add_argument("--port", type=int, help="apiserver port (default: a free one)")
    p.add_argument("--gateway-channel", choices=("standard", "experimental"),
                   default="experimental", help="Gateway API CRD channel (default: experimental)")
    p.add_argument("--no-gateway-controller", dest="gateway_controller", action="store_false",
                   help="local provider: do not build or start Envoy Gateway (fastest start; "
                        "then nothing writes Gateway or route status)")
    p.add_argument("--no-ai-gateway", dest="ai_gateway", action="store_false",
                   help="local provider: run Envoy Gateway without Envoy AI Gateway's "
                        "controller, its extension server for InferencePool backends and the "
                        "writer of InferencePool status (then routes to InferencePools are "
                        "refused with InvalidKind and no pool gets status)")
    p.add_argument("--no-real-node", dest="real_node", action="store_false",
                   help="local provider: do not build or start the real kubelet node and its "
                        "image registries (fastest start; pods then run only on KWOK nodes, "
                        "where containers are not real)")
    p.add_argument("--kubeconfig", help="kubeconfig provider: the file (default: $KUBECONFIG)")
    p.add_argument("--context", help="kubeconfig provider: the context (default: current)")
    p.set_defaults(handler=cmd_up)

    p = sub.add_parser("down", help="stop every process and remove the cluster's state")
    _name(p)
    p.set_defaults(handler=cmd_down)

    p = sub.add_parser("status", help="health of each component")
    _name(p)
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("env", help="print `export KUBECONFIG=...` for eval")
    _name(p)
    p.set_defaults(handler=cmd_env)


def _name(parser) -> None:
    parser.add_argument("--name", default="k8s-skills",
                        help="cluster name (default: k8s-skills)")


def _log(message: str) -> None:
    print(f"[k8s-skills] {message}", file=sys.stderr, flush=True)


def cmd_build(args) -> int:
    build.ensure_built(log=_log)
    if args.verify:
        problems = build.verify_hashes()
        for problem in problems:
            print(problem)
        if problems:
            return 1
    print(f"binaries ready in {build.paths.bin_dir()}")
    return 0


def cmd_up(args) -> int:
    cluster = providers.new_cluster(args.provider, args.name, log=_log)
    # SIGTERM (e.g. a CI timeout) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    if args.provider == "local":
        created = cluster.up(topology_file=args.topology, port=args.port,
                             gateway_channel=args.gateway_channel,
                             gateway_controller=args.gateway_controller,
                             ai_gateway=args.ai_gateway, real_node=args.real_node)
    else:
        created = cluster.up(kubeconfig=args.kubeconfig, context=args.context)
    if not created:
        print(f"cluster {args.name!r} is already running")
    return cmd_status(argparse.Namespace(name=args.name, json=False))


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def cmd_down(args) -> int:
    cluster = providers.open_cluster(args.name, log=_log)
    if not cluster.dir.exists():
        print(f"cluster {args.name!r} is not running; nothing to do")
        return 0
    stopped = cluster.down()
    print(f"cluster {args.name!r} removed ({stopped} processes stopped)")
    return 0


def cmd_env(args) -> int:
    cluster = providers.open_cluster(args.name)
    state = cluster.state()
    if not state:
        raise UserError(f"cluster {args.name!r} does not exist: run `k8s-skills cluster up"
                        f"{'' if args.name == 'k8s-skills' else ' --name ' + args.name}`")
    print(f"export KUBECONFIG={shlex.quote(state['kubeconfig'])}")
    if state.get("context"):
        print(f"# context: {state['context']}  (kubectl --context {state['context']})")
    from harness.cluster import paths
    if build.binary("kubectl").is_file():
        print(f"export PATH={shlex.quote(str(paths.bin_dir()))}:\"$PATH\"")
    return 0


def cmd_status(args) -> int:
    report = collect_status(args.name)
    if args.json:
        print(json.dumps({"schema_version": 1, **report}, indent=2))
    else:
        print(render_status(report))
    return 0 if report["healthy"] else 1


def collect_status(name: str) -> dict:
    cluster = providers.open_cluster(name)
    state = cluster.state()
    if not state:
        return {"name": name, "healthy": False, "running": False, "components": [],
                "detail": "not running"}
    components = []
    if state.get("provider", "local") == "local":
        components += health.control_plane(cluster.kwok_workdir / "clusters" / name)
        components.append(health.kueue(state.get("kueue_pid"), state.get("ports", {})
                                       .get("health")))
        if "envoy_gateway" in state:
            components.append(eg_process.component_health(state["envoy_gateway"]))
        if "envoy_ai_gateway" in state:
            components.append(aigw_process.component_health(state["envoy_ai_gateway"]))
        if state.get("real_node"):
            components += health.real_node(cluster.real_node(), cluster.kubectl())
    else:
        api_ok = cluster.kubectl().ok("get", "--raw", "/readyz")
        components.append(health.ComponentHealth("kube-apiserver", api_ok,
                                                 "readyz ok" if api_ok else "unreachable"))
    inventory = _inventory(cluster) if all(c.healthy for c in components) else {}
    healthy = all(c.healthy for c in components) and inventory.get("ready_nodes", 0) > 0
    return {"name": name, "provider": state.get("provider", "local"), "running": True,
            "healthy": healthy, "kubeconfig": state.get("kubeconfig"),
            "components": [c.as_dict() for c in components], "inventory": inventory}


def _inventory(cluster) -> dict:
    kubectl = cluster.kubectl()
    nodes = kubectl.get_json("nodes")["items"]
    ready = [n for n in nodes if any(c.get("type") == "Ready" and c.get("status") == "True"
                                     for c in n.get("status", {}).get("conditions", []))]
    gpus = sum(int(n["status"].get("allocatable", {}).get("nvidia.com/gpu", 0)) for n in nodes)
    slices = kubectl.run("get", "resourceslices", "-o", "json", check=False)
    devices = 0
    if slices.returncode == 0:
        devices = sum(len(s["spec"].get("devices", [])) for s in json.loads(slices.stdout)["items"])
    real = [n for n in nodes if (n["metadata"].get("labels") or {}).get(KIND_LABEL) == "real"]
    return {"nodes": len(nodes), "ready_nodes": len(ready), "real_nodes": len(real),
            "extended_gpus": gpus, "dra_devices": devices}


def render_status(report: dict) -> str:
    if not report.get("running"):
        return f"cluster {report['name']!r} is not running (start it: k8s-skills cluster up)"
    lines = [f"cluster {report['name']!r} ({report['provider']}): "
             f"{'healthy' if report['healthy'] else 'UNHEALTHY'}",
             f"  kubeconfig: {report['kubeconfig']}"]
    for comp in report["components"]:
        mark = "ok  " if comp["healthy"] else "FAIL"
        lines.append(f"  {mark} {comp['component']:<24} {comp['detail']}")
    inv = report.get("inventory") or {}
    if inv:
        kinds = (f" ({inv['real_nodes']} real, {inv['nodes'] - inv['real_nodes']} KWOK)"
                 if inv.get("real_nodes") else "")
        lines.append(f"  nodes: {inv['ready_nodes']}/{inv['nodes']} Ready{kinds}; GPUs: "
                     f"{inv['extended_gpus']} nvidia.com/gpu (device plugin style), "
                     f"{inv['dra_devices']} DRA devices")
    return "\n".join(lines)
