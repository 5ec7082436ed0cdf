"""inspect_cluster.py views stay within their budget and say what they left out; redaction."""
from __future__ import annotations

import sys

from .conftest import SCRIPTS, as_dump, load, run_script

sys.path.insert(0, str(SCRIPTS))
sys.path.insert(1, str(SCRIPTS.parents[1] / "_shared"))
from _tshoot.redact import redact


def _inspect(objects, *args):
    return run_script("inspect_cluster.py", *args, "-f", "-", stdin=as_dump(*objects))


def test_nodes_view_shows_gpus_and_dra_devices():
    nodes = load("nodes.yaml")
    pods = [o for o in load("gpu_cuda_oom.yaml") if o["kind"] == "Pod"]
    sl = {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
          "metadata": {"name": "gpu-h200-dra-0-gpu"},
          "spec": {"nodeName": "gpu-h200-dra-0", "driver": "gpu.nvidia.com",
                   "devices": [{"name": f"gpu-{i}"} for i in range(8)]}}
    res = _inspect(nodes + pods + [sl], "nodes")
    assert res.code == 0, res.err
    node = pods[0]["spec"]["nodeName"]
    row = next(line for line in res.out.splitlines() if line.startswith(node + " "))
    assert "gpu 7 free/8" in row
    assert "DRA gpu.nvidia.com: 8 devices" in res.out


def test_every_view_respects_the_budget_and_says_what_it_left_out():
    objects = load("nodes.yaml") + load("rollout_stuck.yaml") + load("crash_loop.yaml")
    for view in ("nodes", "pods", "events"):
        res = _inspect(objects, view, "--budget", "300")
        assert res.code == 0, res.err
        assert len(res.out) <= 300 + 200  # the last line names what was left out
        assert "not shown" in res.out.splitlines()[-1]


def test_pods_view_lists_broken_pods_first():
    objects = load("healthy.yaml") + load("crash_loop.yaml")
    lines = _inspect(objects, "pods").out.splitlines()
    assert lines[2].startswith("ts-dev/crash  CrashLoopBackOff")
    assert lines[3].startswith("ts-dev/healthy  Running")


def test_events_are_deduplicated():
    """The two pods' probe failures differ only in pod IP (real kubelet wording): one line."""
    objects = load("rollout_stuck.yaml")
    out = _inspect(objects, "events").out
    assert "Unhealthy x5 on 2 pod(s)" in out


def test_logs_need_a_live_cluster():
    res = run_script("inspect_cluster.py", "logs", "web", "-f", "x.json")
    assert res.code == 2 and res.err.startswith("error: logs")


def test_redact_secret_looking_strings():
    line = ("connecting to postgres://app:hunter2@db:5432 with password=hunter2 "
            "api_key: sk-abcdefghijklmnopqrstuvwxyz Authorization: Bearer abcdef123456")
    out = redact(line)
    assert "hunter2" not in out and "sk-abcdef" not in out and "abcdef123456" not in out
    assert "postgres://app:[REDACTED]@db:5432" in out
    assert redact("step 10 loss=0.25 lr=3e-4") == "step 10 loss=0.25 lr=3e-4"


def test_cuda_oom_in_previous_logs_turns_a_crash_loop_into_gpu_pressure():
    from _tshoot.input import strip_values
    from _tshoot.model import Cluster
    from _tshoot.triage import triage

    objects = [strip_values(o) for o in load("nodes.yaml") + load("crash_loop.yaml")]
    calls = []

    def logs(ns, pod, container):
        calls.append((ns, pod, container))
        return ["epoch 3 step 120", "RuntimeError: CUDA error: out of memory",
                "token=abc123secret"], ""
    top = triage(Cluster(objects, "ts-dev", live=True), logs)[0]
    assert calls == [("ts-dev", "crash", "app")]
    assert top["cause"] == "gpu_pressure"
    assert any("CUDA error: out of memory" in e for e in top["evidence"])
    assert "abc123secret" not in str(top)


def test_crash_evidence_carries_redacted_previous_logs():
    from _tshoot.input import strip_values
    from _tshoot.model import Cluster
    from _tshoot.triage import triage

    objects = [strip_values(o) for o in load("nodes.yaml") + load("crash_loop.yaml")]
    top = triage(Cluster(objects, "ts-dev", live=True),
                 lambda ns, pod, c: (["connecting with password=hunter2", "FATAL: bye"], ""))[0]
    assert top["cause"] == "crash_loop"
    logs = next(e for e in top["evidence"] if e.startswith("previous logs of crash"))
    assert "FATAL: bye" in logs and "hunter2" not in logs


def test_stripping_twice_keeps_the_key_names():
    """Live mode strips Secrets twice (read_live); the key names must survive, or a Running
    pod's secretKeyRef is reported missing (seen on the real node, issue 13)."""
    from _tshoot.input import strip_values

    secret = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
              "metadata": {"name": "db", "namespace": "ts-dev"},
              "data": {"user": "c3Zj", "password": "eA=="}}
    once = strip_values(secret)
    assert strip_values(once) == once and once["keys"] == ["password", "user"]
    assert "data" not in once
