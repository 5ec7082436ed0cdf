#!/usr/bin/env python3
"""Benchmark: `cluster up` to ready, with and without the real node, its registries and
the gateway controllers (Envoy Gateway, Envoy AI Gateway), vs bare kwokctl.

All runs use the same cached binaries (built first if missing, not timed). Per run and as
medians it prints the seconds to ready of
  - `cluster up --no-real-node --no-gateway-controller` (control plane, KWOK, Kueue) and a
    bare `kwokctl create cluster --runtime binary`, with their ratio;
  - the default `cluster up`: also the real node, its two local registries, Envoy Gateway
    and Envoy AI Gateway (ready = the node Ready and the GatewayClass Accepted);
and the peak resident memory summed over every process of the cluster (those whose command
line names its folder, plus everything in the real node's cgroups: containerd's shims and
the containers too), sampled every 0.2 s from the start until ready + 5 s. Each run also
prints the load average at its start and the CPU seconds used until ready: as root, exactly,
from a cpuacct cgroup that the start (every process it spawns, kubectl included) and the
real node's cgroups are in; otherwise the sampled processes' own (a lower bound). On a
machine shared with other jobs the wall time is partly theirs; the CPU seconds are ours,
so their ratio to bare kwokctl's is printed too.
The etcd snapshot `cluster up` restores (harness/cluster/etcd_snapshot.py) is made before
the first timed run, like the cached binaries.
Targets on a 2-core machine (exit 1 on any miss):
  without the node: ready <= 15 s, <= 2x bare kwokctl, <= 1.5 GB resident;
  with it:          ready <= 30 s, <= 2.5 GB resident.

Measured 2026-12-04 on a fresh 2-core machine (cold cache built first, 3 runs, load 1.0-2.2):
without the node 5.68 s median vs bare kwokctl 3.64 s, ratio 1.56x, peak 920 MiB, CPU s 8.3
vs 3.7; with the node, registries and gateway controllers 8.67 s, peak 1523 MiB; exit 0.

    .venv/bin/python benchmarks/cluster_startup.py [--runs 3] [--name bench]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.cluster import build, procs
from harness.cluster.local import LocalCluster, kwokctl_create_argv
from harness.errors import UserError


# Short-lived clients of the cluster, not part of it (kubectl applies while `up` runs).
CLIENTS = {"kubectl", "kwokctl"}


class RssSampler:
    """Peak of the summed RSS of all processes whose command line mentions `folder`, and
    the CPU seconds (user + system) they used, as last seen alive: on a machine shared with
    other jobs the wall time is partly theirs, the CPU seconds are the cluster's own."""

    def __init__(self, folder: Path, extra_pids=lambda: set(), on_sample=lambda: None):
        self.folder, self.peak, self._stop = folder, 0, threading.Event()
        self.extra_pids, self.on_sample = extra_pids, on_sample
        self._cpu: dict[int, float] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(0.2):
            found = {p.pid: p for p in procs.processes_using(self.folder)}
            for pid in self.extra_pids() - set(found):
                try:
                    found[pid] = psutil.Process(pid)
                except psutil.NoSuchProcess:
                    pass
            total = 0
            for proc in found.values():
                try:
                    if proc.name() not in CLIENTS:
                        total += proc.memory_info().rss
                        times = proc.cpu_times()
                        self._cpu[proc.pid] = times.user + times.system
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, total)
            self.on_sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())


class CpuAccount:
    """CPU seconds of this process's children from now on, exactly: a cpuacct cgroup (v1)
    this process joins, so everything it starts is counted (plus `extra` cgroup folders,
    the real node's). None where cgroups cannot be written (not root)."""
    ROOT = Path("/sys/fs/cgroup/cpuacct")

    def __init__(self, extra=lambda: []):
        self.extra, self.group, self.start = extra, None, 0.0
        self.extra_usage = 0.0

    def __enter__(self):
        try:
            self.group = self.ROOT / f"k8s-skills-bench-{os.getpid()}"
            self.group.mkdir(exist_ok=True)
            (self.group / "cgroup.procs").write_text(str(os.getpid()))
        except OSError:
            self.group = None
            return self
        self.start = _usage(self.group) - _self_cpu()
        return self

    def sample(self) -> None:
        """Read the extra cgroups now (they vanish with the cluster)."""
        self.extra_usage = max(self.extra_usage, sum(_usage(g) for g in self.extra()))

    @property
    def seconds(self) -> float | None:
        if self.group is None:
            return None
        return _usage(self.group) - _self_cpu() - self.start + self.extra_usage

    def __exit__(self, *exc):
        if self.group is not None:
            (self.ROOT / "cgroup.procs").write_text(str(os.getpid()))
            try:
                self.group.rmdir()
            except OSError:
                pass  # a straggler still in it; the folder is named by pid


def _usage(group: Path) -> float:
    try:
        return int((group / "cpuacct.usage").read_text()) / 1e9
    except OSError:
        return 0.0


def _self_cpu() -> float:
    """This process's own CPU: its sampling threads are the benchmark's, not the cluster's."""
    times = os.times()
    return times.user + times.system


def time_ours(name: str, flags: list[str]) -> tuple[float, int, float]:
    """`k8s-skills cluster up` as a user runs it (its own Python work is counted, the
    benchmark's sampling is not)."""
    cluster = LocalCluster(name)
    cluster.down()
    the_node = cluster.real_node()
    node_groups = lambda: [CpuAccount.ROOT / the_node.names.cgroup_root.lstrip("/")]  # noqa: E731
    argv = [sys.executable, "-c", "import sys; from harness.cli import main; sys.exit(main())", "cluster", "up",
            "--name", name, *flags]
    with CpuAccount(node_groups) as account, \
            RssSampler(cluster.dir, the_node.cgroups.pids, account.sample) as sampler:
        started = time.monotonic()
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.monotonic() - started
        account.sample()
        cpu = account.seconds
        if proc.returncode != 0:
            cluster.down()
            raise UserError(f"cluster up {' '.join(flags)} failed: "
                            f"{(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
        time.sleep(5)  # Kueue and the controllers settle after ready; count that too
    cluster.down()
    return elapsed, sampler.peak, cpu if cpu is not None else sampler.cpu_seconds


def time_bare_kwokctl(name: str) -> tuple[float, float | None]:
    workdir = Path(tempfile.mkdtemp(prefix="kwokctl-bench-"))
    env = {**os.environ, "KWOK_WORKDIR": str(workdir)}
    argv = kwokctl_create_argv(name, workdir / "kubeconfig")
    try:
        with CpuAccount() as account:
            started = time.monotonic()
            subprocess.run(argv, env=env, check=True, capture_output=True, timeout=240)
            return time.monotonic() - started, account.seconds
    finally:
        procs.stop_all(procs.processes_using(workdir))
        shutil.rmtree(workdir, ignore_errors=True)


# The snapshot each configuration restores (the real node is not in it).
CONFIGS = {"without": {"gateway_controller": False}, "with": {}}
FLAGS = {"without": ["--no-real-node", "--no-gateway-controller"], "with": []}
ROOT = Path(__file__).resolve().parents[1]


def _cpu_text(seconds: float | None) -> str:
    return f" ({seconds:.1f} CPU s)" if seconds is not None else ""


TARGETS = {  # (seconds, MiB)
    "without": (15, 1536),
    "with": (30, 2560),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--name", default="bench",
                        help="cluster name (default: bench; give your own when another "
                             "checkout may benchmark at the same time)")
    args = parser.parse_args(argv)
    build.ensure_built()
    for options in CONFIGS.values():  # made once, like the cached binaries: not timed
        LocalCluster(args.name).ensure_snapshot(**options)
    times = {"with": [], "without": [], "bare": []}
    peaks = {"with": [], "without": []}
    cpu = {"with": [], "without": [], "bare": []}
    for run in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        for label in CONFIGS:
            seconds, peak, cpu_seconds = time_ours(args.name, FLAGS[label])
            times[label].append(seconds), peaks[label].append(peak)
            cpu[label].append(cpu_seconds)
        bare_seconds, bare_cpu = time_bare_kwokctl(f"{args.name}-bare")
        times["bare"].append(bare_seconds), cpu["bare"].append(bare_cpu)
        print(f"run {run} (load average {load:.1f} at its start): cluster up --no-real-node "
              f"--no-gateway-controller {times['without'][-1]:.2f}s "
              f"(peak RSS {peaks['without'][-1] / 2**20:.0f} MiB, "
              f"{cpu['without'][-1]:.1f} CPU s), bare kwokctl {times['bare'][-1]:.2f}s"
              f"{_cpu_text(bare_cpu)}; "
              f"cluster up with the real node, registries and gateway controllers "
              f"{times['with'][-1]:.2f}s (peak RSS {peaks['with'][-1] / 2**20:.0f} MiB, "
              f"{cpu['with'][-1]:.1f} CPU s)", flush=True)
    median = {k: statistics.median(v) for k, v in times.items()}
    peak = {k: max(v) / 2**20 for k, v in peaks.items()}
    ratio = median["without"] / median["bare"]
    misses = [label for label, (secs, mib) in TARGETS.items()
              if median[label] > secs or peak[label] > mib] + (["ratio"] if ratio > 2 else [])
    cpu_ratio = (f"; CPU s {statistics.median(cpu['without']):.1f} vs bare kwokctl "
                 f"{statistics.median(cpu['bare']):.1f}, ratio "
                 f"{statistics.median(cpu['without']) / statistics.median(cpu['bare']):.2f}x"
                 if None not in cpu["bare"] else "")
    print(f"median without the real node and gateway controllers: cluster up to ready {median['without']:.2f}s "
          f"(target <= {TARGETS['without'][0]}s); bare kwokctl {median['bare']:.2f}s; ratio "
          f"{ratio:.2f}x (target <= 2x); peak resident memory {peak['without']:.0f} MiB "
          f"(target <= {TARGETS['without'][1]} MiB){cpu_ratio}")
    print(f"median with the real node, registries and gateway controllers: cluster up to ready "
          f"{median['with']:.2f}s (target <= {TARGETS['with'][0]}s); peak resident memory "
          f"{peak['with']:.0f} MiB (target <= {TARGETS['with'][1]} MiB); "
          f"{statistics.median(cpu['with']):.1f} CPU s")
    if misses:
        print(f"MISSED: {', '.join(misses)}")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except UserError as err:  # a cluster that did not come up is a miss, said in one line
        print(f"MISSED: cluster up failed: {err}")
        sys.exit(1)
