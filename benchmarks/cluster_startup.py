#!/usr/bin/env python3
"""Benchmark: `cluster up` to ready vs a bare `kwokctl create cluster --runtime binary`.

Both use the same cached binaries (built first if missing, not timed). Prints, per run and
as medians: seconds to ready for each, their ratio, and the peak resident memory summed over
every process of our cluster (etcd, apiserver, controller-manager, scheduler, KWOK, Kueue;
sampled every 0.2 s from start until ready + 5 s).
Targets on a 2-core machine: ready <= 15 s, <= 2x bare kwokctl, <= 1.5 GB resident.

    .venv/bin/python benchmarks/cluster_startup.py [--runs 3]
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


# Short-lived clients of the cluster, not part of it (kubectl applies while `up` runs).
CLIENTS = {"kubectl", "kwokctl"}


class RssSampler:
    """Peak of the summed RSS of all processes whose command line mentions `folder`."""

    def __init__(self, folder: Path):
        self.folder, self.peak, self._stop = folder, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(0.2):
            total = 0
            for proc in procs.processes_using(self.folder):
                if proc.name() in CLIENTS:
                    continue
                try:
                    total += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, total)


def time_ours(name: str) -> tuple[float, int]:
    cluster = LocalCluster(name)
    cluster.down()
    with RssSampler(cluster.dir) as sampler:
        started = time.monotonic()
        cluster.up()
        elapsed = time.monotonic() - started
        time.sleep(5)  # Kueue and the controllers settle after ready; count that too
    cluster.down()
    return elapsed, sampler.peak


def time_bare_kwokctl(name: str) -> float:
    workdir = Path(tempfile.mkdtemp(prefix="kwokctl-bench-"))
    env = {**os.environ, "KWOK_WORKDIR": str(workdir)}
    argv = kwokctl_create_argv(name, workdir / "kubeconfig")
    try:
        started = time.monotonic()
        subprocess.run(argv, env=env, check=True, capture_output=True, timeout=150)
        return time.monotonic() - started
    finally:
        procs.stop_all(procs.processes_using(workdir))
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    build.ensure_built()
    ours, bare, peaks = [], [], []
    for run in range(1, args.runs + 1):
        seconds, peak = time_ours("bench")
        kwok_seconds = time_bare_kwokctl("bench-bare")
        ours.append(seconds), bare.append(kwok_seconds), peaks.append(peak)
        print(f"run {run}: k8s-skills cluster up {seconds:.2f}s, bare kwokctl "
              f"{kwok_seconds:.2f}s, ratio {seconds / kwok_seconds:.2f}x, "
              f"peak RSS {peak / 2**20:.0f} MiB", flush=True)
    up, kw = statistics.median(ours), statistics.median(bare)
    peak = max(peaks)
    print(f"median: cluster up to ready {up:.2f}s (target <= 15s); bare kwokctl {kw:.2f}s; "
          f"ratio {up / kw:.2f}x (target <= 2x); peak resident memory of all cluster "
          f"processes {peak / 2**20:.0f} MiB (target <= 1536 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
