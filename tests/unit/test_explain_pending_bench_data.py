"""The explain_pending benchmark's dump is varied and self-consistent: what each
ClusterQueue reports as used is what it admitted, within its quota, and every "N more
needed" is that queue's arithmetic (so the size ratio is not an artefact of uniform data)."""
from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "explain_pending_bench",
    Path(__file__).resolve().parents[2] / "benchmarks" / "explain_pending_bench.py")
BENCH = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(BENCH)

MORE_NEEDED = re.compile(r"insufficient unused quota for nvidia.com/gpu in flavor (\S+), "
                         r"(\d+) more needed")


def _gpus(podsets):
    return sum(p["count"] * int(p["template"]["spec"]["containers"][0]["resources"]
                                ["requests"]["nvidia.com/gpu"]) for p in podsets)


def test_queue_usage_is_what_it_admitted_and_within_quota():
    dump = BENCH.build(workloads=2000, queues=40, nodes=10)
    queues = {o["metadata"]["name"]: o for o in dump["items"] if o["kind"] == "ClusterQueue"}
    admitted = defaultdict(int)
    for o in dump["items"]:
        if o["kind"] == "Workload" and "admission" in o["status"]:
            admitted[o["status"]["admission"]["clusterQueue"]] += _gpus(o["spec"]["podSets"])
    for name, cq in queues.items():
        quota = int(cq["spec"]["resourceGroups"][0]["flavors"][0]["resources"][2]["nominalQuota"])
        used = int(cq["status"]["flavorsUsage"][0]["resources"][2]["total"])
        assert used == admitted[name] <= quota
    assert any(admitted.values())


def test_missing_amounts_follow_each_queues_usage():
    dump = BENCH.build(workloads=2000, queues=40, nodes=10)
    queues = {o["metadata"]["name"]: o for o in dump["items"] if o["kind"] == "ClusterQueue"}
    checked = 0
    for o in dump["items"]:
        if o["kind"] != "Workload":
            continue
        found = MORE_NEEDED.search(o["status"]["conditions"][0]["message"])
        if not found:
            continue
        cq = queues[f"cq-{o['metadata']['namespace'].split('-')[1]}"]
        quota = int(cq["spec"]["resourceGroups"][0]["flavors"][0]["resources"][2]["nominalQuota"])
        used = int(cq["status"]["flavorsUsage"][0]["resources"][2]["total"])
        assert int(found.group(2)) == _gpus(o["spec"]["podSets"]) - (quota - used) > 0
        checked += 1
    assert checked > 100


def test_several_causes_and_sizes():
    dump = BENCH.build(workloads=2000, queues=40, nodes=10)
    assert len(BENCH.pending_causes(dump)) == 7
    sizes = {_gpus(o["spec"]["podSets"]) for o in dump["items"] if o["kind"] == "Workload"}
    assert len(sizes) >= 8
