"""Node taints in topology-aware scheduling, with the real Kueue v0.19: Kueue checks a node's
taints only when the Topology's lowest level is kubernetes.io/hostname (kueue#6868;
tas_topology_tree.go l.125 isLowestLevelNode, scheduling_simulator_default.go l.74).

Two KWOK nodes of 2 cpu in one rack, both carrying the test's marker taint (the flavor
tolerates it, so Kueue gives the pods the toleration); one also carries a drain taint nobody
tolerates. A Job of 4 pods of 1 cpu asks `podset-required-topology: rack`:
- Topology [rack]: Kueue counts the rack as 4 free cpus and admits all 4 pods; kube-scheduler
  binds 2 to the untainted node and the other 2 stay Pending. explain_pending.py answers
  admitted_not_started for that Workload, and, given the Topology, ResourceFlavor and nodes
  as a paste, warns that this Topology makes Kueue blind to node taints;
- Topology [rack, hostname]: Kueue drops the drained node and writes "allows to fit only 2
  out of 4 pod(s)"; the paste of that setup gets no such warning.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.live.helpers import apply, cluster_queue, condition, get, local_queue, wait_until

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts"
RACK, HOST = "cloud.example.com/topology-rack", "kubernetes.io/hostname"
MARK = "k8s-skills.io/tas-taint-test"
DRAIN = {"key": "k8s-skills.io/drain", "value": "true", "effect": "NoSchedule"}


def _node(name: str, marker: str, drained: bool) -> dict:
    capacity = {"cpu": "2", "memory": "8Gi", "pods": "110"}
    taints = [{"key": MARK, "value": marker, "effect": "NoSchedule"}] + ([DRAIN] if drained
                                                                       else [])
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "annotations": {"kwok.x-k8s.io/node": "fake"},
                         "labels": {HOST: name, RACK: "r1", "type": "kwok", MARK: marker}},
            "spec": {"taints": taints},
            "status": {"capacity": capacity, "allocatable": dict(capacity)}}


def _job(name: str, namespace: str) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": namespace,
                         "labels": {"kueue.x-k8s.io/queue-name": "team"}},
            "spec": {"parallelism": 4, "completions": 4, "suspend": True,
                     "template": {
                         "metadata": {"annotations": {
                             "kueue.x-k8s.io/podset-required-topology": RACK}},
                         "spec": {"restartPolicy": "Never", "containers": [{
                             "name": "train", "image": "trainer:1.0",
                             "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}}


def _workload(kubectl, namespace: str, job: str) -> dict | None:
    for wl in get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]:
        if any(o.get("name") == job for o in wl["metadata"].get("ownerReferences", [])):
            return wl
    return None


def _quota(kubectl, namespace: str, job: str) -> tuple[str, str]:
    cond = condition(_workload(kubectl, namespace, job) or {}, "QuotaReserved") or {}
    return str(cond.get("status", "")), str(cond.get("message", ""))


def _pods(kubectl, namespace: str, job: str) -> tuple[int, int]:
    """(bound, pending) pods of the job."""
    items = get(kubectl, "pods", "-n", namespace, "-l", f"job-name={job}")["items"]
    bound = sum(1 for p in items if p["spec"].get("nodeName"))
    return bound, sum(1 for p in items if p["status"].get("phase") == "Pending"
                      and not p["spec"].get("nodeName"))


def _script(env: dict, *args: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_pending.py"), *args, "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _paste(tmp_path: Path, kubectl, topology: str, flavor: str, nodes: list[str]) -> str:
    objs = [get(kubectl, "topology", topology), get(kubectl, "resourceflavor", flavor)]
    objs += [get(kubectl, "node", n) for n in nodes]
    path = tmp_path / f"{topology}.yaml"
    path.write_text(yaml.safe_dump_all(objs))
    return str(path)


@pytest.fixture
def rack_nodes(kubectl, namespace):
    nodes = [_node(f"{namespace}-ok", namespace, False), _node(f"{namespace}-drained",
                                                               namespace, True)]
    try:
        apply(kubectl, *nodes)
        for node in nodes:
            name = node["metadata"]["name"]
            wait_until(lambda name=name: condition(get(kubectl, "node", name), "Ready"),
                       lambda ready: (ready or {}).get("status") == "True",
                       f"KWOK marks node {name} Ready (its Ready condition)")
        yield [n["metadata"]["name"] for n in nodes]
    finally:
        for node in nodes:
            kubectl("delete", "node", node["metadata"]["name"], "--wait=false",
                    "--ignore-not-found", check=False)


@pytest.mark.parametrize("with_hostname", [False, True])
def test_kueue_checks_taints_only_with_a_hostname_level(kubectl, kubectl_env, namespace,
                                                        rack_nodes, tmp_path, with_hostname):
    ns = namespace
    topology, flavor, cq = f"topo-{ns}", f"tas-{ns}", f"cq-{ns}"
    levels = [{"nodeLabel": RACK}] + ([{"nodeLabel": HOST}] if with_hostname else [])
    apply(kubectl,
          {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Topology",
           "metadata": {"name": topology}, "spec": {"levels": levels}},
          {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
           "metadata": {"name": flavor},
           "spec": {"nodeLabels": {MARK: ns}, "topologyName": topology,
                    "tolerations": [{"key": MARK, "operator": "Equal", "value": ns,
                                     "effect": "NoSchedule"}]}},
          cluster_queue(cq, ns, flavor, {"cpu": "100", "memory": "100Gi"}),
          local_queue("team", ns, cq))
    try:
        apply(kubectl, _job("four", ns))
        if with_hostname:
            said = wait_until(lambda: _quota(kubectl, ns, "four"), lambda q: "topology" in q[1],
                              "Kueue's TAS not-fit message on job four's QuotaReserved")[1]
            print(f"Kueue wrote: {said}")
            assert "allows to fit only 2 out of 4 pod(s)" in said, said
        else:
            wait_until(lambda: _quota(kubectl, ns, "four"), lambda q: q[0] == "True",
                       "job four admitted although one node of the rack is drained")
            wait_until(lambda: _pods(kubectl, ns, "four"), lambda c: c == (2, 2),
                       "2 pods bound to the untainted node, 2 Pending (bound, pending)")
            doc = _script(kubectl_env, "-n", ns)
            assert doc["findings"][0]["cause"] == "admitted_not_started", doc
        doc = _script(kubectl_env, "-f", _paste(tmp_path, kubectl, topology, flavor, rack_nodes))
        blind = [f for f in doc["findings"] if "without checking node taints" in f["message"]]
        if with_hostname:
            assert not blind, doc
        else:
            assert blind and blind[0]["cause"] == "admitted_not_started", doc
            assert any("drain" in e for e in blind[0]["evidence"]), blind[0]
    finally:
        kubectl("delete", "job", "four", "-n", ns, "--wait=true", "--timeout=60s",
                "--ignore-not-found", check=False)
        for kind, name in (("clusterqueue", cq), ("resourceflavor", flavor),
                           ("topology", topology)):
            kubectl("delete", kind, name, "--wait=false", "--ignore-not-found", check=False)
