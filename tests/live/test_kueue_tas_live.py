"""Topology-aware scheduling with the real Kueue v0.19: required vs preferred levels.

Four KWOK nodes of 2 cpu, labelled block > rack > hostname (rack r1 = two nodes in block b1,
r2 = one node in b1, r3 = one node in b2), tainted so no other test's pod lands on them, make
one TAS ResourceFlavor (whose toleration Kueue gives the pods). Then, with pods of 1 cpu:
- 4 pods asking `podset-required-topology: rack` are admitted into rack r1, the only rack
  that holds 4;
- 3 more pods with a required rack stay pending: Kueue writes "allows to fit only 2 out of 3
  pod(s)" (r2 and r3 hold 2 each, and 4 are free in all): explain_topology.py must count the
  same best domain and call it fragmented, and explain_pending.py must answer topology_unfit
  from Kueue's real message;
- 3 pods asking `podset-preferred-topology: rack`, held by a stopped ClusterQueue, are judged
  to fit over the whole topology; once the queue runs Kueue admits them across two racks.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import apply, cluster_queue, condition, get, local_queue, wait_until

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts"
BLOCK, RACK = "cloud.example.com/topology-block", "cloud.example.com/topology-rack"
HOST = "kubernetes.io/hostname"
LAYOUT = (("b1", "r1"), ("b1", "r1"), ("b1", "r2"), ("b2", "r3"))


def _node(name: str, block: str, rack: str, marker: str) -> dict:
    capacity = {"cpu": "2", "memory": "8Gi", "pods": "110"}
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "annotations": {"kwok.x-k8s.io/node": "fake"},
                         "labels": {HOST: name, BLOCK: block, RACK: rack, "type": "kwok",
                                    "k8s-skills.io/tas-test": marker}},
            "spec": {"taints": [{"key": "k8s-skills.io/tas-test", "value": marker,
                                 "effect": "NoSchedule"}]},
            "status": {"capacity": capacity, "allocatable": dict(capacity)}}


def _job(name: str, namespace: str, pods: int, annotation: str, level: str) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": namespace,
                         "labels": {"kueue.x-k8s.io/queue-name": "team"}},
            "spec": {"parallelism": pods, "completions": pods, "suspend": True,
                     "template": {
                         "metadata": {"annotations": {annotation: level}},
                         "spec": {"restartPolicy": "Never", "containers": [{
                             "name": "train", "image": "trainer:1.0",
                             "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}}


def _workload(kubectl, namespace: str, job: str) -> dict | None:
    for wl in get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]:
        if any(o.get("name") == job for o in wl["metadata"].get("ownerReferences", [])):
            return wl
    return None


def _quota(kubectl, namespace: str, job: str) -> tuple[str, str]:
    """(status, message) of the Workload's QuotaReserved condition, ('', '') before it has one."""
    wl = _workload(kubectl, namespace, job) or {}
    cond = condition(wl, "QuotaReserved") or {}
    return str(cond.get("status", "")), str(cond.get("message", ""))


def _script(env: dict, name: str, *args: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / name), *args, "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _racks_of_pods(kubectl, namespace: str, job: str, racks: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pod in get(kubectl, "pods", "-n", namespace, "-l", f"job-name={job}")["items"]:
        node = pod["spec"].get("nodeName")
        if node:
            out[racks[node]] = out.get(racks[node], 0) + 1
    return out


@pytest.fixture
def tas_nodes(kubectl, namespace):
    nodes = [_node(f"{namespace}-n{i}", block, rack, namespace)
             for i, (block, rack) in enumerate(LAYOUT)]
    try:
        apply(kubectl, *nodes)
        for node in nodes:
            name = node["metadata"]["name"]
            wait_until(lambda name=name: condition(get(kubectl, "node", name), "Ready"),
                   lambda ready: (ready or {}).get("status") == "True",
                   f"KWOK marks node {name} Ready (its Ready condition)")
        yield {n["metadata"]["name"]: n["metadata"]["labels"][RACK] for n in nodes}
    finally:
        for node in nodes:
            kubectl("delete", "node", node["metadata"]["name"], "--wait=false",
                    "--ignore-not-found", check=False)


def test_required_vs_preferred_rack(kubectl, kubectl_env, namespace, tas_nodes):
    ns = namespace
    topology, flavor, cq = f"topo-{ns}", f"tas-{ns}", f"cq-{ns}"
    queue = cluster_queue(cq, ns, flavor, {"cpu": "100", "memory": "100Gi"})
    apply(kubectl,
          {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Topology",
           "metadata": {"name": topology},
           "spec": {"levels": [{"nodeLabel": BLOCK}, {"nodeLabel": RACK}, {"nodeLabel": HOST}]}},
          {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
           "metadata": {"name": flavor},
           "spec": {"nodeLabels": {"k8s-skills.io/tas-test": ns}, "topologyName": topology,
                    "tolerations": [{"key": "k8s-skills.io/tas-test", "operator": "Equal",
                                     "value": ns, "effect": "NoSchedule"}]}},
          queue, local_queue("team", ns, cq))
    try:
        apply(kubectl, _job("four", ns, 4, "kueue.x-k8s.io/podset-required-topology", RACK))
        wait_until(lambda: _quota(kubectl, ns, "four"), lambda q: q[0] == "True",
               "job four admitted (its Workload's QuotaReserved condition)")
        wait_until(lambda: _racks_of_pods(kubectl, ns, "four", tas_nodes),
               lambda racks: racks == {"r1": 4},
               "job four's 4 pods bound to rack r1's two nodes (pods per rack)")

        apply(kubectl, _job("three", ns, 3, "kueue.x-k8s.io/podset-required-topology", RACK))
        said = wait_until(lambda: _quota(kubectl, ns, "three"), lambda q: "topology" in q[1],
                      "Kueue's TAS not-fit message on job three's QuotaReserved condition")[1]
        print(f"Kueue wrote: {said}")
        assert "allows to fit only 2 out of 3 pod(s)" in said, said

        code, doc = _script(kubectl_env, "explain_topology.py", "-n", ns, "three")
        assert code == 1, doc
        row = doc["podsets"][0]
        assert (row["mode"], row["level"], row["state"]) == ("required", RACK, "fragmented"), row
        assert (row["closest_count"], row["need"], row["total"]) == (2, 3, 4), row
        assert row["closest_domain"] in ("b1/r2", "b2/r3"), row
        assert row["kueue_message"] == said
        # the nodes it cannot use, in Kueue's formatReasons order, as Kueue counted them
        excluded = ", ".join(f"{k}: {v}" for k, v in sorted(row["excluded_nodes"].items()))
        assert excluded and f"excluded: {excluded}" in said, (excluded, said)

        code, doc = _script(kubectl_env, "explain_pending.py", "-n", ns, "three")
        causes = [f["cause"] for f in doc["findings"]]
        assert causes and causes[0] == "topology_unfit", doc
        assert "only 2 of the 3 pod(s)" in doc["findings"][0]["message"], doc["findings"][0]

        # preferred: held by a stopped queue, judged, then admitted across two racks
        kubectl("delete", "job", "three", "-n", ns, "--wait=true", "--timeout=60s")
        kubectl("patch", "clusterqueue", cq, "--type=merge", "-p",
                '{"spec":{"stopPolicy":"Hold"}}')
        apply(kubectl, _job("spread", ns, 3, "kueue.x-k8s.io/podset-preferred-topology", RACK))
        wait_until(lambda: _workload(kubectl, ns, "spread") is not None, bool,
               "Kueue creates the Workload of job spread")
        code, doc = _script(kubectl_env, "explain_topology.py", "-n", ns, "spread")
        row = doc["podsets"][0]
        assert code == 0 and row["state"] == "fits", row
        assert row["fits_at"] == "(whole topology)" and row["total"] == 4, row
        kubectl("patch", "clusterqueue", cq, "--type=merge", "-p",
                '{"spec":{"stopPolicy":"None"}}')
        wait_until(lambda: _quota(kubectl, ns, "spread"), lambda q: q[0] == "True",
               "job spread admitted once the queue runs (QuotaReserved condition)")
        racks = wait_until(lambda: _racks_of_pods(kubectl, ns, "spread", tas_nodes),
                       lambda r: sum(r.values()) == 3, "job spread's 3 pods bound (per rack)")
        assert set(racks) == {"r2", "r3"}, racks
    finally:
        for job in ("four", "three", "spread"):
            kubectl("delete", "job", job, "-n", ns, "--wait=false", "--ignore-not-found",
                    check=False)
        for kind, name in (("clusterqueue", cq), ("resourceflavor", flavor),
                           ("topology", topology)):
            kubectl("delete", kind, name, "--wait=false", "--ignore-not-found", check=False)
