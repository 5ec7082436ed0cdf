#!/usr/bin/env python3
"""Benchmark: Envoy AI Gateway's controller start beside a running Envoy Gateway, the time
until it writes an InferencePool's status, and its memory.

Starts a cluster without the real node (not timed). Per run: stops the controller, then
starts it again as `cluster up` does (sandbox, veth pairs, webhook certificate) and times
until its extension server and metrics endpoint answer; then applies an InferencePool, its
endpoint-picker Service and an HTTPRoute to it on Gateway `gateway-infra/shared`, and times
until the controller has written the pool's `status.parents` (Accepted=True) and Envoy
Gateway has accepted the route; then its resident memory 5 s later. The three objects are
deleted between runs. Targets on a 2-core machine: ready <= 10 s after the start, pool
status <= 10 s after the objects, controller RSS <= 256 MiB. Exits 1 on a miss.

    .venv/bin/python benchmarks/ai_gateway_startup.py [--runs 3]
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
from harness.cluster.envoy_ai_gateway import process
from harness.cluster.envoy_gateway import config as eg
from harness.cluster.local import LocalCluster

NAME = "bench-ai-gateway"
NS = eg.SHARED_GATEWAY_NAMESPACE


def pool_objects() -> list[dict]:
    return [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "bench-epp", "namespace": NS},
         "spec": {"selector": {"app": "bench-epp"}, "ports": [{"port": 9002}]}},
        {"apiVersion": "inference.networking.k8s.io/v1", "kind": "InferencePool",
         "metadata": {"name": "bench-pool", "namespace": NS},
         "spec": {"selector": {"matchLabels": {"app": "bench"}},
                  "targetPorts": [{"number": 8000}],
                  "endpointPickerRef": {"name": "bench-epp", "port": {"number": 9002}}}},
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
         "metadata": {"name": "bench-route", "namespace": NS},
         "spec": {"parentRefs": [{"name": eg.SHARED_GATEWAY}], "rules": [{"backendRefs": [{
             "group": "inference.networking.k8s.io", "kind": "InferencePool",
             "name": "bench-pool"}]}]}},
    ]


def _jsonpath(kubectl, kind: str, name: str, path: str) -> str:
    return kubectl.run("get", kind, name, "-n", NS, "-o", f"jsonpath={path}",
                       check=False).stdout


def one_run(cluster: LocalCluster) -> dict:
    kubectl = cluster.kubectl()
    state = cluster.state()
    procs.stop_all([psutil.Process(state["envoy_ai_gateway"]["pid"])])
    controller = process.AIGateway(cluster.dir, cluster.kubeconfig)
    started = time.monotonic()
    new = controller.start(kubectl, state["envoy_gateway"]["pid"])
    out = {"start": time.monotonic() - started}
    controller.wait_ready(new)
    out["ready"] = time.monotonic() - started
    cluster._write_state({**state, "envoy_ai_gateway": new})
    applied = time.monotonic()
    kubectl.apply(pool_objects(), validate=False)
    accepted = '{.status.parents[0].conditions[?(@.type=="Accepted")].status}'
    procs.wait_until(lambda: _jsonpath(kubectl, "inferencepool", "bench-pool", accepted)
                     == "True", 60, 0.1, what="the pool's status")
    out["pool"] = time.monotonic() - applied
    route = '{.status.parents[0].conditions[?(@.type=="ResolvedRefs")].status}'
    procs.wait_until(lambda: _jsonpath(kubectl, "httproute", "bench-route", route) == "True",
                     60, 0.1, what="the route resolved")
    out["route"] = time.monotonic() - applied
    time.sleep(5)
    out["rss"] = psutil.Process(new["pid"]).memory_info().rss
    kubectl.run("delete", "httproute/bench-route", "inferencepool/bench-pool",
                "service/bench-epp", "-n", NS, "--wait=true", timeout=60)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    build.ensure_built(skip=build.NODE_COMPONENTS)
    cluster = LocalCluster(NAME)
    cluster.down()
    cluster.up(real_node=False)
    try:
        runs = []
        for run in range(1, args.runs + 1):
            result = one_run(cluster)
            runs.append(result)
            print(f"run {run}: start {result['start']:.2f}s, ready {result['ready']:.2f}s; "
                  f"pool Accepted {result['pool']:.2f}s and route resolved "
                  f"{result['route']:.2f}s after the objects; RSS "
                  f"{result['rss'] / 2**20:.0f} MiB", flush=True)
    finally:
        cluster.down()
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    peak = max(r["rss"] for r in runs)
    print(f"median: controller ready {med['ready']:.2f}s after the start (target <= 10s), pool "
          f"Accepted {med['pool']:.2f}s after the objects (target <= 10s), route resolved "
          f"{med['route']:.2f}s; controller RSS {peak / 2**20:.0f} MiB at most "
          "(target <= 256 MiB)")
    missed = med["ready"] > 10 or med["pool"] > 10 or peak > 256 * 2**20
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
