#!/usr/bin/env python3
"""Benchmark: Envoy Gateway's start on a running local cluster, and its memory.

Starts a cluster without the controller (`--no-gateway-controller`, not timed), installs
what the controller needs, then per run: certgen + controller start (as `cluster up` does),
seconds until its readiness endpoint answers, until GatewayClass `eg` is Accepted and until
Gateway `gateway-infra/shared` is Programmed (its Envoy pod Ready on a KWOK node); then its
resident memory 5 s later. The controller is stopped and the two objects deleted between runs.
Targets on a 2-core machine: GatewayClass Accepted <= 5 s after the start, Gateway Programmed
<= 10 s, controller RSS <= 256 MiB. Exits 1 on a miss.

    .venv/bin/python benchmarks/envoy_gateway_startup.py [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.cluster import build, procs
from harness.cluster.envoy_gateway import config, process
from harness.cluster.local import LocalCluster

NAME = "bench-envoy-gateway"


def one_run(cluster: LocalCluster) -> dict:
    kubectl = cluster.kubectl()
    gateway = process.EnvoyGateway(cluster.dir, cluster.kubeconfig)
    started = time.monotonic()
    gateway.begin()
    state = gateway.start(kubectl)
    out = {"start": time.monotonic() - started}
    procs.wait_until(lambda: process.component_health(state).healthy, 60, 0.05,
                     what="readiness")
    out["ready"] = time.monotonic() - started
    gateway.wait_ready(kubectl, state)
    out["accepted"] = time.monotonic() - started
    programmed = '{.status.conditions[?(@.type=="Programmed")].status}'
    procs.wait_until(lambda: kubectl.run(
        "get", "gateway", config.SHARED_GATEWAY, "-n", config.SHARED_GATEWAY_NAMESPACE, "-o",
        f"jsonpath={programmed}", check=False).stdout == "True", 60, 0.1, what="Programmed")
    out["programmed"] = time.monotonic() - started
    time.sleep(5)
    out["rss"] = psutil.Process(state["pid"]).memory_info().rss
    # Deleted while the controller runs: it removes their finalizers and the Envoy infra.
    kubectl.run("delete", "gateway", config.SHARED_GATEWAY, "-n",
                config.SHARED_GATEWAY_NAMESPACE, "--wait=true", timeout=60)
    kubectl.run("delete", "gatewayclass", config.GATEWAY_CLASS, "--wait=true", timeout=60)
    procs.stop_all([psutil.Process(state["pid"])])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    build.ensure_built()
    cluster = LocalCluster(NAME)
    cluster.down()
    cluster.up(gateway_controller=False)
    try:
        kubectl = cluster.kubectl()
        kubectl.apply([config.namespace()] + config.crd_objects(), validate=False)
        kubectl.run("wait", "--for=condition=Established", "crd", "--all", "--timeout=120s")
        runs = []
        for run in range(1, args.runs + 1):
            result = one_run(cluster)
            runs.append(result)
            print(f"run {run}: start {result['start']:.2f}s, ready {result['ready']:.2f}s, "
                  f"GatewayClass Accepted {result['accepted']:.2f}s, Gateway Programmed "
                  f"{result['programmed']:.2f}s, RSS {result['rss'] / 2**20:.0f} MiB",
                  flush=True)
    finally:
        cluster.down()
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    peak = max(r["rss"] for r in runs)
    print(f"median: GatewayClass Accepted {med['accepted']:.2f}s after the start (target <= 5s), "
          f"Gateway Programmed {med['programmed']:.2f}s (target <= 10s); controller RSS "
          f"{peak / 2**20:.0f} MiB at most (target <= 256 MiB)")
    missed = med["accepted"] > 5 or med["programmed"] > 10 or peak > 256 * 2**20
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
