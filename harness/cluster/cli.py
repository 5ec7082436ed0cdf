"""`k8s-skills cluster build|up|down|status|env`."""
from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys

from types import FrameType
from typing import Any, NoReturn

from harness.cluster import build, node_packages, paths
from harness.cluster.providers import registry
from harness.errors import UserError

EPILOG = """examples:
  k8s-skills cluster up                       local cluster from upstream binaries (default)
  k8s-skills cluster up --topology my.yaml    your own fake hardware (see --help of up)
  k8s-skills cluster up --no-real-node        fastest start: KWOK nodes only, no registry
  k8s-skills cluster up --retain              a failed start keeps its data and logs (debugging)
  k8s-skills cluster up --provider kubeconfig --context my-test-cluster
  eval "$(k8s-skills cluster env)"            point kubectl at the cluster
  k8s-skills cluster status --json
  k8s-skills cluster down
"""


def register(groups: Any) -> None:
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
                                   "On a running cluster it says so and succeeds. Each "
                                   "option names the providers that take it; any other "
                                   "provider refuses it.")
    _name(p)
    p.add_argument("--provider", choices=registry.names(), default="local",
                   help="; ".join(f"{s.name}: {s.doc}" for s in registry.REGISTRY.values())
                   + " (default: local)")
    for option, takers in registry.all_options():
        # Absent unless given: the provider's own defaults apply, and a flag given to a
        # provider that does not take it is refused (registry.check_options).
        p.add_argument(option.flag, default=argparse.SUPPRESS,
                       help=f"{', '.join(takers)}: {option.help}", **option.argparse_kwargs())
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


def _name(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default="k8s-skills",
                        help="cluster name (default: k8s-skills)")


def _log(message: str) -> None:
    print(f"[k8s-skills] {message}", file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    build.ensure_built(log=_log)
    # Not cached with the binaries: the Claude Code backend needs them on every machine.
    node_packages.ensure(_log, node_packages.SANDBOX, "Claude Code's Bash sandbox")
    if args.verify:
        problems = build.verify_hashes()
        for problem in problems:
            print(problem)
        if problems:
            return 1
    print(f"binaries ready in {paths.bin_dir()}")
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    given = {o.dest: getattr(args, o.dest) for o, _ in registry.all_options()
             if hasattr(args, o.dest)}
    registry.check_options(args.provider, given)
    cluster = registry.new_cluster(args.provider, args.name, log=_log)
    # SIGTERM (e.g. a CI timeout) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        created = cluster.up(**given)
    except BaseException:
        if given.get("retain") and cluster.dir.exists():
            where = cluster.logs()
            _log(f"cluster {args.name!r} failed to start and is kept (--retain): its "
                 f"processes are stopped{', logs: ' + where if where else ''}; remove it: "
                 f"k8s-skills cluster down --name {args.name}")
        raise
    if not created:
        print(f"cluster {args.name!r} is already running")
    return cmd_status(argparse.Namespace(name=args.name, json=False))


def _raise_interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt


def cmd_down(args: argparse.Namespace) -> int:
    cluster = registry.open_cluster(args.name, log=_log)
    if not cluster.dir.exists():
        print(f"cluster {args.name!r} is not running; nothing to do")
        return 0
    stopped = cluster.down()
    print(f"cluster {args.name!r} removed ({stopped} processes stopped)")
    return 0


def cmd_env(args: argparse.Namespace) -> int:
    cluster = registry.open_cluster(args.name)
    state = cluster.state()
    if not state:
        raise UserError(f"cluster {args.name!r} does not exist: run `k8s-skills cluster up"
                        f"{'' if args.name == 'k8s-skills' else ' --name ' + args.name}`")
    print(f"export KUBECONFIG={shlex.quote(state['kubeconfig'])}")
    if state.get("context"):
        print(f"# context: {state['context']}  (kubectl --context {state['context']})")
    if build.binary("kubectl").is_file():
        print(f"export PATH={shlex.quote(str(paths.bin_dir()))}:\"$PATH\"")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    report = collect_status(args.name)
    if args.json:
        print(json.dumps({"schema_version": 1, **report}, indent=2))
    else:
        print(render_status(report))
    return 0 if report["healthy"] else 1


def collect_status(name: str) -> dict[str, Any]:
    cluster = registry.open_cluster(name)
    state = cluster.state()
    if not state:
        return {"name": name, "healthy": False, "running": False, "components": [],
                "detail": "not running"}
    components = cluster.status()
    inventory = cluster.inventory() if all(c.healthy for c in components) else {}
    healthy = all(c.healthy for c in components) and inventory.get("ready_nodes", 0) > 0
    return {"name": name, "provider": state.get("provider", "local"), "running": True,
            "healthy": healthy, "kubeconfig": state.get("kubeconfig"),
            "components": [c.as_dict() for c in components], "inventory": inventory}


def render_status(report: dict[str, Any]) -> str:
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
