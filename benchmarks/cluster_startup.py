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
prints the load average at its start and the CPU seconds the cluster's processes used (the
part of the wall time that is the cluster's own when other jobs share the cores; processes
that exit between two samples are missed, so it is a lower bound).
Targets on a 2-core machine (exit 1 on any miss):
  without the node: ready <= 15 s, <= 2x bare kwokctl, <= 1.5 GB resident;
  with it:          ready <= 30 s, <= 2.5 GB resident.

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
from harness.cluster import build, procs  # noqa: E402
from harness.cluster.local import LocalCluster, kwokctl_create_argv  # noqa: E402
from harness.errors import UserError  # noqa: E402


# Short-lived clients of the cluster, not part of it (kubectl applies while `up` runs).
CLIENTS = {"kubectl", "kwokctl"}


class RssSampler:
    """Peak of the summed RSS of all processes whose command line mentions `folder`, and
    the CPU seconds (user + system) they used, as last seen alive: on a machine shared with
    other jobs the wall time is partly theirs, the CPU seconds are the cluster's own."""

    def __init__(self, folder: Path, extra_pids=lambda: set()):
        self.folder, self.peak, self._stop = folder, 0, threading.Event()
        self.extra_pids = extra_pids
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

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())


def time_ours(name: str, **up_options) -> tuple[float, int, float]:
    cluster = LocalCluster(name)
    cluster.down()
    node_pids = cluster.real_node().cgroups.pids
    with RssSampler(cluster.dir, node_pids) as sampler:
        started = time.monotonic()
        cluster.up(**up_options)
        elapsed = time.monotonic() - started
        time.sleep(5)  # Kueue and the controllers settle after ready; count that too
    cluster.down()
    return elapsed, sampler.peak, sampler.cpu_seconds


def time_bare_kwokctl(name: str) -> float:
    workdir = Path(tempfile.mkdtemp(prefix="kwokctl-bench-"))
    env = {**os.environ, "KWOK_WORKDIR": str(workdir)}
    argv = kwokctl_create_argv(name, workdir / "kubeconfig")
    try:
        started = time.monotonic()
        subprocess.run(argv, env=env, check=True, capture_output=True, timeout=240)
        return time.monotonic() - started
    finally:
        procs.stop_all(procs.processes_using(workdir))
        shutil.rmtree(workdir, ignore_errors=True)


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
    times = {"with": [], "without": [], "bare": []}
    peaks = {"with": [], "without": []}
    cpu = {"with": [], "without": []}
    for run in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        for label, options in (("without", {"real_node": False, "gateway_controller": False}),
                               ("with", {})):
            seconds, peak, cpu_seconds = time_ours(args.name, **options)
            times[label].append(seconds), peaks[label].append(peak)
            cpu[label].append(cpu_seconds)
        times["bare"].append(time_bare_kwokctl(f"{args.name}-bare"))
        print(f"run {run} (load average {load:.1f} at its start): cluster up --no-real-node "
              f"--no-gateway-controller {times['without'][-1]:.2f}s "
              f"(peak RSS {peaks['without'][-1] / 2**20:.0f} MiB, "
              f"{cpu['without'][-1]:.1f} CPU s), bare kwokctl {times['bare'][-1]:.2f}s; "
              f"cluster up with the real node, registries and gateway controllers "
              f"{times['with'][-1]:.2f}s (peak RSS {peaks['with'][-1] / 2**20:.0f} MiB, "
              f"{cpu['with'][-1]:.1f} CPU s)", flush=True)
    median = {k: statistics.median(v) for k, v in times.items()}
    peak = {k: max(v) / 2**20 for k, v in peaks.items()}
    ratio = median["without"] / median["bare"]
    misses = [label for label, (secs, mib) in TARGETS.items()
              if median[label] > secs or peak[label] > mib] + (["ratio"] if ratio > 2 else [])
    print(f"median without the real node and gateway controllers: cluster up to ready {median['without']:.2f}s "
          f"(target <= {TARGETS['without'][0]}s); bare kwokctl {median['bare']:.2f}s; ratio "
          f"{ratio:.2f}x (target <= 2x); peak resident memory {peak['without']:.0f} MiB "
          f"(target <= {TARGETS['without'][1]} MiB)")
    print(f"median with the real node, registries and gateway controllers: cluster up to ready "
          f"{median['with']:.2f}s (target <= {TARGETS['with'][0]}s); peak resident memory "
          f"{peak['with']:.0f} MiB (target <= {TARGETS['with'][1]} MiB)")
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
