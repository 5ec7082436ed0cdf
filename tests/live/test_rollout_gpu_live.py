"""A rolling update of a GPU Deployment with the real kube-controller-manager and scheduler.

Two KWOK nodes of 2 GPUs each (tainted, so no other test's pod lands there) hold a 4-replica
Deployment of 1-GPU pods: every GPU is taken. With maxSurge 1 / maxUnavailable 0,
check_rollout.py must predict the stall before the roll; after the roll starts the real
controller's surge pod stays Pending with the scheduler's "Insufficient nvidia.com/gpu", and
the script must report the stall from those words. Its fix (maxSurge 0, maxUnavailable 1),
applied, lets the real controller finish the roll.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import apply, condition, get, wait_until

pytestmark = pytest.mark.live

SCRIPT = Path(__file__).resolve().parents[2] / "skills" / "k8s-troubleshooting" / "scripts" / \
    "check_rollout.py"
GPU = "nvidia.com/gpu"
TAINT = "k8s-skills.io/rollout-test"


def _node(name: str, marker: str) -> dict:
    capacity = {"cpu": "16", "memory": "64Gi", "pods": "110", GPU: "2"}
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "annotations": {"kwok.x-k8s.io/node": "fake"},
                         "labels": {"kubernetes.io/hostname": name, "type": "kwok",
                                    TAINT: marker}},
            "spec": {"taints": [{"key": TAINT, "value": marker, "effect": "NoSchedule"}]},
            "status": {"capacity": capacity, "allocatable": dict(capacity)}}


def _deployment(namespace: str, marker: str) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "server", "namespace": namespace},
            "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "server"}},
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {
                         "maxSurge": 1, "maxUnavailable": 0}},
                     "template": {
                         "metadata": {"labels": {"app": "server"}},
                         "spec": {"nodeSelector": {TAINT: marker},
                                  "tolerations": [{"key": TAINT, "operator": "Equal",
                                                   "value": marker, "effect": "NoSchedule"}],
                                  "containers": [{"name": "vllm", "image": "vllm:0.1",
                                                  "resources": {"limits": {GPU: "1"}}}]}}}}


def _status(kubectl, ns: str) -> dict:
    return get(kubectl, "deployment", "server", "-n", ns).get("status") or {}


def _script(env, ns: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, str(SCRIPT), "-n", ns, "server", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_surge_without_a_free_gpu_stalls_then_the_fix_rolls(kubectl, kubectl_env, namespace):
    ns = namespace
    nodes = [_node(f"{ns}-g{i}", ns) for i in range(2)]
    try:
        apply(kubectl, *nodes)
        for node in nodes:
            name = node["metadata"]["name"]
            wait_until(lambda name=name: condition(get(kubectl, "node", name), "Ready"),
                   lambda c: (c or {}).get("status") == "True",
                   f"KWOK marks node {name} Ready (its Ready condition)")
        apply(kubectl, _deployment(ns, ns))
        wait_until(lambda: _status(kubectl, ns), lambda s: s.get("readyReplicas") == 4,
               "the 4 replicas Ready on the 4 GPUs (deployment status)")

        code, doc = _script(kubectl_env, ns)
        assert code == 1 and doc["deployments"][0]["state"] == "stalls", doc
        before = doc["findings"][0]
        assert before["cause"] == "rollout_surge_stalls" and before["basis"] == "inferred"

        kubectl("patch", "deployment", "server", "-n", ns, "--type=merge", "-p",
                '{"spec":{"template":{"metadata":{"annotations":{"rev":"2"}}}}}')
        events = wait_until(
            lambda: [e for e in get(kubectl, "events", "-n", ns)["items"]
                     if e.get("reason") == "FailedScheduling"],
            bool, "the scheduler's FailedScheduling event for the surge pod")
        print(f"scheduler: {events[0].get('message')}")
        assert f"Insufficient {GPU}" in events[0].get("message", "")
        code, doc = _script(kubectl_env, ns)
        during = doc["findings"][0]
        assert code == 1 and during["cause"] == "rollout_surge_stalls", doc
        assert during["basis"] == "reported" and f"Insufficient {GPU}" in \
            " ".join(during["evidence"]), during
        assert _status(kubectl, ns).get("readyReplicas") == 4  # nothing old was removed

        kubectl("patch", "deployment", "server", "-n", ns, "--type=merge", "-p",
                '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}}')
        wait_until(lambda: _status(kubectl, ns),
               lambda s: s.get("updatedReplicas") == 4 and s.get("readyReplicas") == 4
               and s.get("replicas") == 4, "the real controller finishes the roll "
               "(updated, ready and total replicas all 4)", timeout=180)
    finally:
        kubectl("delete", "deployment", "server", "-n", ns, "--wait=false",
                "--ignore-not-found", check=False)
        for node in nodes:
            kubectl("delete", "node", node["metadata"]["name"], "--wait=false",
                    "--ignore-not-found", check=False)
