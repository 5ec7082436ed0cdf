#!/usr/bin/env python3
"""Benchmark: `cluster up` to ready vs a bare `kwokctl create cluster --runtime binary`.

Both use the same cached binaries (built first if missing, not timed). Prints, per run and
as medians: seconds to ready for each, their ratio, and the peak resident memory summed over
every process of our cluster (etcd, apiserver, controller-manager, scheduler, KWOK, Kueue;
sampled every 0.2 s from start until ready + 5 s); then the same for the default `cluster up`,
which also runs Envoy Gateway (ready = its GatewayClass Accepted).
Targets on a 2-core machine: ready <= 15 s, <= 2x bare kwokctl, <= 1.5 GB resident; with
Envoy Gateway (issue 13) <= 30 s and <= 2.5 GB. Exits 1 on a miss.

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


def time_ours(name: str, **up_options) -> tuple[float, int]:
    cluster = LocalCluster(name)
    cluster.down()
    with RssSampler(cluster.dir) as sampler:
        started = time.monotonic()
        cluster.up(**up_options)
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
    ours, bare, peaks, full, full_peaks = [], [], [], [], []
    for run in range(1, args.runs + 1):
        seconds, peak = time_ours("bench", gateway_controller=False)
        kwok_seconds = time_bare_kwokctl("bench-bare")
        with_gw, with_gw_peak = time_ours("bench", gateway_controller=True)
        ours.append(seconds), bare.append(kwok_seconds), peaks.append(peak)
        full.append(with_gw), full_peaks.append(with_gw_peak)
        print(f"run {run}: k8s-skills cluster up --no-gateway-controller {seconds:.2f}s, "
              f"bare kwokctl {kwok_seconds:.2f}s, ratio {seconds / kwok_seconds:.2f}x, "
              f"peak RSS {peak / 2**20:.0f} MiB; with Envoy Gateway {with_gw:.2f}s, "
              f"peak RSS {with_gw_peak / 2**20:.0f} MiB", flush=True)
    up, kw = statistics.median(ours), statistics.median(bare)
    peak = max(peaks)
    print(f"median: cluster up to ready {up:.2f}s (target <= 15s); bare kwokctl {kw:.2f}s; "
          f"ratio {up / kw:.2f}x (target <= 2x); peak resident memory of all cluster "
          f"processes {peak / 2**20:.0f} MiB (target <= 1536 MiB)")
    with_gw, with_gw_peak = statistics.median(full), max(full_peaks)
    print(f"median with Envoy Gateway: cluster up to ready {with_gw:.2f}s (target <= 30s), "
          f"peak resident memory {with_gw_peak / 2**20:.0f} MiB (target <= 2560 MiB)")
    missed = up > 15 or up / kw > 2 or peak > 1536 * 2**20 or with_gw > 30 \
        or with_gw_peak > 2560 * 2**20
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
