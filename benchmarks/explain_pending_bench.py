#!/usr/bin/env python3
"""Benchmark (issue 4): explain_pending.py on a synthetic dump of 10,000 Workloads, 200
ClusterQueues and 2,000 nodes must finish in <= 2 s with default output under 6,000
characters, at least 100x smaller than the dump. Prints time, sizes and ratio.

    python benchmarks/explain_pending_bench.py [--workloads N] [--queues N]
        [--nodes N] [--keep DUMP.json]
Exit 0 when every target is met, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "skills" / "k8s-kueue" / "scripts" / \
    "explain_pending.py"
API = "kueue.x-k8s.io/v1beta2"


def _cond(ctype, status, reason, message):
    return {"type": ctype, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": "2026-11-26T04:00:00Z"}


def cluster_queue(i: int) -> dict:
    return {"apiVersion": API, "kind": "ClusterQueue", "metadata": {"name": f"cq-{i}"},
            "spec": {"namespaceSelector": {}, "cohortName": f"cohort-{i // 10}",
                     "resourceGroups": [{"coveredResources": ["cpu", "memory", "nvidia.com/gpu"],
                                         "flavors": [{"name": "h100", "resources": [
                                             {"name": "cpu", "nominalQuota": "256"},
                                             {"name": "memory", "nominalQuota": "2Ti"},
                                             {"name": "nvidia.com/gpu", "nominalQuota": "32"}]}]}]},
            "status": {"conditions": [_cond("Active", "True", "Ready", "Can admit new workloads")],
                       "flavorsReservation": [{"name": "h100", "resources": [
                           {"name": "cpu", "total": "64", "borrowed": "0"},
                           {"name": "memory", "total": "512Gi", "borrowed": "0"},
                           {"name": "nvidia.com/gpu", "total": "32", "borrowed": "0"}]}]}}


def workload(i: int, queues: int) -> dict:
    ns, cq = f"team-{i % queues}", f"cq-{i % queues}"
    admitted = i % 2 == 0
    podset = {"name": "main", "count": 4, "template": {"spec": {"containers": [{
        "name": "trainer", "image": "registry.example/trainer:1",
        "resources": {"requests": {"cpu": "4", "memory": "32Gi", "nvidia.com/gpu": "2"}}}]}}}
    wl = {"apiVersion": API, "kind": "Workload",
          "metadata": {"name": f"job-train-{i}-ab{i % 1000:03d}", "namespace": ns,
                       "uid": f"wl-{i}", "labels": {"kueue.x-k8s.io/job-uid": f"job-{i}"}},
          "spec": {"queueName": "main", "active": True, "podSets": [podset]}}
    if admitted:
        wl["status"] = {"admission": {"clusterQueue": cq, "podSetAssignments": [{
            "name": "main", "count": 4, "flavors": {"cpu": "h100", "memory": "h100",
                                                    "nvidia.com/gpu": "h100"},
            "resourceUsage": {"cpu": "16", "memory": "128Gi", "nvidia.com/gpu": "8"}}]},
            "conditions": [_cond("QuotaReserved", "True", "QuotaReserved", f"Quota reserved in ClusterQueue {cq}"),
                           _cond("Admitted", "True", "Admitted", "The workload is admitted"),
                           _cond("PodsReady", "True", "PodsReady", "All pods reached readiness")]}
    else:
        wl["status"] = {"conditions": [_cond(
            "QuotaReserved", "False", "Pending", "couldn't assign flavors to pod set main: "
            "insufficient unused quota for nvidia.com/gpu in flavor h100, 8 more needed")]}
    return wl


def node(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": f"gpu-{i}", "labels": {"cloud.example.com/accelerator": "h100",
                                                        "kubernetes.io/hostname": f"gpu-{i}"}},
            "status": {"allocatable": {"cpu": "96", "memory": "1Ti", "nvidia.com/gpu": "8",
                                       "pods": "110"}}}


def build(workloads: int, queues: int, nodes: int) -> dict:
    items = [{"apiVersion": API, "kind": "ResourceFlavor", "metadata": {"name": "h100"},
              "spec": {"nodeLabels": {"cloud.example.com/accelerator": "h100"}}}]
    items += [cluster_queue(i) for i in range(queues)]
    items += [{"apiVersion": API, "kind": "LocalQueue",
               "metadata": {"name": "main", "namespace": f"team-{i}"},
               "spec": {"clusterQueue": f"cq-{i}"}} for i in range(queues)]
    items += [{"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "name": f"team-{i}", "labels": {"kubernetes.io/metadata.name": f"team-{i}"}}}
        for i in range(queues)]
    items += [workload(i, queues) for i in range(workloads)]
    items += [node(i) for i in range(nodes)]
    return {"apiVersion": "v1", "kind": "List", "items": items}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workloads", type=int, default=10_000)
    parser.add_argument("--queues", type=int, default=200)
    parser.add_argument("--nodes", type=int, default=2_000)
    parser.add_argument("--keep", help="also write the dump here")
    args = parser.parse_args(argv)
    text = json.dumps(build(args.workloads, args.queues, args.nodes))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(text)
        path = handle.name
    try:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(SCRIPT), "-f", path], capture_output=True,
                              text=True, timeout=120)
        elapsed = time.perf_counter() - start
    finally:
        if args.keep:
            os.replace(path, args.keep)
        else:
            os.unlink(path)
    out_len, dump_len = len(proc.stdout), len(text)
    ratio = dump_len / max(out_len, 1)
    ok = proc.returncode == 1 and elapsed <= 2.0 and out_len < 6000 and ratio >= 100
    print(f"time {elapsed:.2f}s (target <= 2s); output {out_len} chars (target < 6000); "
          f"dump {dump_len} chars; ratio {ratio:.0f}x (target >= 100x); exit {proc.returncode}"
          f" -> {'PASS' if ok else 'FAIL'}")
    if proc.returncode == 2:
        print(proc.stderr.strip(), file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
