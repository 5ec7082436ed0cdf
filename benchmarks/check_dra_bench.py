#!/usr/bin/env python3
"""Benchmark: `check_dra.py -f dump.json` on a generated cluster of 2,000 nodes x 8 devices.

The dump is what `kubectl get resourceslices,deviceclasses,resourceclaims,nodes -A -o json`
returns for such a cluster: 2,000 KWOK-style nodes, one ResourceSlice each with 8 H200-shaped
devices (attributes and capacity as the NVIDIA DRA driver publishes them), the DeviceClass,
and 1,000 allocated ResourceClaims holding 4 devices each. The script runs as a user runs it
(a fresh interpreter), so start-up and parsing are included. Target: <= 2 s.

    .venv/bin/python benchmarks/check_dra_bench.py [--nodes 2000] [--devices 8] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "skills" / "k8s-dra" / "scripts" / "check_dra.py"
TARGET_S = 2.0
DRIVER = "gpu.nvidia.com"


def device(i: int) -> dict:
    return {"name": f"gpu-{i}", "attributes": {
        "type": {"string": "gpu"}, "index": {"int": i},
        "uuid": {"string": f"GPU-{uuid.uuid4()}"}, "productName": {"string": "NVIDIA H200"},
        "brand": {"string": "Nvidia"}, "architecture": {"string": "Hopper"},
        "cudaComputeCapability": {"version": "9.0.0"}, "driverVersion": {"version": "580.159.4"},
        "cudaDriverVersion": {"version": "13.0.0"}, "pcieRoot": {"string": f"pci0000:0{i // 4}"}},
        "capacity": {"memory": {"value": "143771Mi"}}}


def dump(nodes: int, devices: int) -> dict:
    items = [{"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass",
              "metadata": {"name": DRIVER}, "spec": {"selectors": [{"cel": {"expression":
              f'device.driver == "{DRIVER}" && device.attributes["{DRIVER}"].type == "gpu"'}}]}}]
    for n in range(nodes):
        name = f"gpu-node-{n:05d}"
        items.append({"apiVersion": "v1", "kind": "Node", "metadata": {
            "name": name, "labels": {"kubernetes.io/hostname": name,
                                     "node.kubernetes.io/instance-type": "p5en.48xlarge"}},
            "status": {"allocatable": {"cpu": "192", "memory": "2Ti", "pods": "110"}}})
        items.append({"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
                      "metadata": {"name": f"{name}-{DRIVER}"},
                      "spec": {"driver": DRIVER, "nodeName": name,
                               "pool": {"name": name, "generation": 1, "resourceSliceCount": 1},
                               "devices": [device(i) for i in range(devices)]}})
        if n % 2 == 0:
            items.append({"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaim",
                          "metadata": {"name": f"train-{n}", "namespace": "team-a"},
                          "spec": {"devices": {"requests": [{"name": "gpus", "exactly": {
                              "deviceClassName": DRIVER, "count": 4}}]}},
                          "status": {"allocation": {"devices": {"results": [
                              {"request": "gpus", "driver": DRIVER, "pool": name,
                               "device": f"gpu-{i}"} for i in range(4)]}},
                              "reservedFor": [{"resource": "pods", "name": f"train-{n}"}]}})
    return {"apiVersion": "v1", "kind": "List", "items": items}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.json"
        path.write_text(json.dumps(dump(args.nodes, args.devices)))
        size_mb = path.stat().st_size / 1e6
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, str(SCRIPT), "-f", str(path)],
                                  capture_output=True, text=True, timeout=120)
            times.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                print(f"check_dra.py failed ({proc.returncode}): {proc.stderr.strip()}")
                return 2
    median = statistics.median(times)
    print(proc.stdout.strip().splitlines()[1])
    print(f"check_dra.py on {args.nodes} nodes x {args.devices} devices "
          f"({args.nodes * args.devices} devices, {size_mb:.1f} MB JSON): "
          f"median {median:.2f} s over {args.runs} run(s) "
          f"[{', '.join(f'{t:.2f}' for t in times)}]; target <= {TARGET_S:.1f} s: "
          f"{'PASS' if median <= TARGET_S else 'FAIL'}")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
