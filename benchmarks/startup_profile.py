#!/usr/bin/env python3
"""Profile one `cluster up`: when each start-up step ran and the CPU seconds per process.

Each step of LocalCluster._start (and of the real node, Envoy Gateway and Envoy AI Gateway)
is timed by wrapping its method; CPU seconds come from a cpuacct cgroup (v1) that this
process and all its children join (exact, short-lived kubectl and kwokctl included) plus
the real node's own cgroup tree, and per process from psutil samples every 0.1 s (a
process that lives less than that is counted in "other").
On a shared machine the wall times are partly the other jobs'; the CPU seconds are ours.

    .venv/bin/python benchmarks/startup_profile.py [--name prof] [--no-real-node
        --no-gateway-controller]
"""
from __future__ import annotations

import argparse
import collections
import functools
import inspect
import os
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.cluster import local, node
from harness.cluster.envoy_ai_gateway import process as aigw_process
from harness.cluster.envoy_gateway import process as eg_process
from harness.cluster.https_api import HttpsApi
from harness.cluster.kubectl import Kubectl
from harness.cluster.kueue.process import KueueProcess

CPUACCT = Path("/sys/fs/cgroup/cpuacct")
STEPS = {
    local.LocalCluster: ("_prepare", "_wait_control_plane", "_wait_crds_established",
                         "_restart_kwok_controller", "_wait_nodes",
                         "_restart_exited_control_plane"),
    KueueProcess: ("make_certs", "start", "wait_ready"),
    node.RealNode: ("prepare", "start_runtime", "join", "wait_ready", "_start_registries",
                    "_start_containerd", "_wait_containerd"),
    eg_process.EnvoyGateway: ("begin", "start", "wait_ready"),
    aigw_process.AIGateway: ("start", "wait_ready"),
    Kubectl: ("apply", "wait_applied"),
    HttpsApi: ("apply",),
}


class Timeline:
    def __init__(self):
        self.t0 = time.monotonic()
        self.rows: list[tuple[float, float, str]] = []

    def wrap(self, cls, name: str) -> None:
        method = getattr(cls, name)
        label = f"{cls.__name__}.{name}"

        @functools.wraps(method)
        def timed(*args, **kwargs):
            begin = time.monotonic() - self.t0
            try:
                return method(*args, **kwargs)
            finally:
                self.rows.append((begin, time.monotonic() - self.t0, label))
        static = isinstance(inspect.getattr_static(cls, name), staticmethod)
        setattr(cls, name, staticmethod(timed) if static else timed)


class CpuSampler(threading.Thread):
    """Last-seen user+system seconds of every descendant and node-cgroup process."""

    def __init__(self, groups: list[Path]):
        super().__init__(daemon=True)
        self.seen: dict[int, tuple[str, float]] = {}
        self.groups, self.stop = groups, threading.Event()
        self.me = os.getpid()

    def run(self):
        while not self.stop.wait(0.1):
            for pid in _members(self.groups) - {self.me}:
                try:
                    proc = psutil.Process(pid)
                    times = proc.cpu_times()
                    self.seen[pid] = (_label(proc), times.user + times.system)
                except psutil.NoSuchProcess:
                    pass


def _members(groups: list[Path]) -> set[int]:
    pids = set()
    for group in groups:
        for folder, _, _ in os.walk(group):
            try:
                pids.update(int(p) for p in (Path(folder) / "cgroup.procs").read_text().split())
            except OSError:
                pass  # removed between the walk and the read
    return pids


def _label(proc: psutil.Process) -> str:
    name = proc.name()
    if name in ("python", "python3", "python3.11"):
        cmd = proc.cmdline()
        return "python " + next((a for a in cmd[1:] if not a.startswith("-")), "")[-40:]
    return name


def _cgroup_usage(path: Path) -> float:
    try:
        return int((path / "cpuacct.usage").read_text()) / 1e9
    except OSError:
        return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="prof")
    parser.add_argument("--no-real-node", dest="real_node", action="store_false")
    parser.add_argument("--no-gateway-controller", dest="gateway_controller",
                        action="store_false")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = parser.parse_args(argv)
    group = CPUACCT / f"k8s-skills-profile-{os.getpid()}"
    group.mkdir()
    (group / "cgroup.procs").write_text(str(os.getpid()))
    timeline = Timeline()
    for cls, names in STEPS.items():
        for name in names:
            timeline.wrap(cls, name)
    cluster = local.LocalCluster(args.name, log=lambda m: print(
        f"{time.monotonic() - timeline.t0:7.2f}s  {m}", flush=True))
    cluster.down()
    the_node = cluster.real_node()
    node_group = CPUACCT / the_node.names.cgroup_root.lstrip("/")
    sampler = CpuSampler([group, node_group])
    load = os.getloadavg()[0]
    own0, self0 = _cgroup_usage(group), sum(os.times()[:2])
    node_cpu = [0.0]

    def watch_node():
        while not sampler.stop.wait(0.1):
            node_cpu[0] = max(node_cpu[0], _cgroup_usage(node_group))
    threading.Thread(target=watch_node, daemon=True).start()
    sampler.start()
    timeline.t0 = time.monotonic()
    try:
        cluster.up(real_node=args.real_node, gateway_controller=args.gateway_controller)
        ready = time.monotonic() - timeline.t0
        own = _cgroup_usage(group) - own0
    finally:
        sampler.stop.set()
        if not args.keep:
            cluster.down()
    python_cpu = sum(os.times()[:2]) - self0
    print(f"\nready in {ready:.2f}s at load average {load:.1f}; CPU s: {own + node_cpu[0]:.1f} "
          f"(this process tree {own:.1f}, of which `cluster up` itself {python_cpu:.1f}; "
          f"real node cgroups {node_cpu[0]:.1f})")
    print("\nsteps (start - end, seconds from `up`):")
    for begin, end, label in sorted(timeline.rows):
        print(f"  {begin:7.2f} - {end:7.2f}  {end - begin:6.2f}s  {label}")
    by_name: dict[str, float] = collections.defaultdict(float)
    counts: dict[str, int] = collections.Counter()
    for label, seconds in sampler.seen.values():
        by_name[label] += seconds
        counts[label] += 1
    print("\nCPU seconds per process (sampled, until ready):")
    for label, seconds in sorted(by_name.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:6.2f}  {label} (x{counts[label]})")
    print(f"  {own + node_cpu[0] - python_cpu - sum(by_name.values()):6.2f}  other "
          "(processes shorter than a sample)")
    _leave(group)
    return 0


def _leave(group: Path) -> None:
    (CPUACCT / "cgroup.procs").write_text(str(os.getpid()))
    try:
        group.rmdir()
    except OSError:
        pass  # a straggler still in it; the next run uses its own group


if __name__ == "__main__":
    sys.exit(main())
