"""Held-out round 53 (pods, nodes, GPU). Ground truth per test: the public thread and the
upstream source named beside it."""
from __future__ import annotations

import pytest

from .conftest import paste_findings, run_script

_run = paste_findings


# projectcalico/calico#3541: calico-node's readiness probe (confd/health.go) failing on BIRD;
# two NICs, fixed with IP_AUTODETECTION_METHOD=interface=eno1
CALICO = ("  Warning  Unhealthy  3m39s (x134 over 25m)  kubelet, psw-main  (combined from similar "
          "events): Readiness probe failed: 2020-05-12 05:43:43.500 [INFO][5161] confd/health.go "
          "177: Number of node(s) with BGP peering established = 0\n"
          "calico/node is not ready: BIRD is not ready: BGP not established with 192.168.10.172,"
          "192.168.10.8\n")


def test_calico_nodes_own_readiness_output_is_its_probe_not_a_node():
    found = _run("triage.py", CALICO)
    assert [f["cause"] for f in found] == ["probe_failing"], found
    assert "IP_AUTODETECTION_METHOD" in found[0]["fix"]


def test_the_node_controllers_not_ready_event_is_still_a_node():
    # the pod event of MarkPodsNotReady (pkg/controller/util/node/controller_utils.go)
    found = _run("triage.py", "  Warning  NodeNotReady  2m  node-controller  Node is not "
                              "ready\n")
    assert found[0]["cause"] == "node_not_ready"


# awslabs/amazon-eks-ami#1892 (GPU Operator on Amazon Linux 2, glibc 2.26), NVIDIA/gpu-operator#755
@pytest.mark.parametrize("text", [
    "nvidia operator validator & nvidia cuda validator pods are crashing with GLIBC_2.27 not "
    "found.\n",
    "Error: failed to create containerd task: OCI runtime create failed: container_linux.go:380: "
    "starting container process caused: process_linux.go:545: container init caused: Running "
    "hook #0:: error running hook: exit status 1, stdout: , stderr: /usr/local/nvidia/toolkit/"
    "nvidia-container-cli: /lib64/libc.so.6: version `GLIBC_2.27' not found (required by "
    "/usr/local/nvidia/toolkit/libnvidia-container.so.1): unknown\n",
])
@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_nvidia_binaries_needing_a_newer_glibc_than_the_host(script, text):
    found = _run(script, text)
    assert found[0]["cause"] == "container_start_failed", found


def test_a_glibc_miss_outside_the_gpu_stack_is_not_this():
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json",
                     stdin="./server: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' "
                           "not found (required by ./server)\n")
    found = res.doc["findings"] if res.doc else []
    assert all(f.get("cause") != "container_start_failed" for f in found), found
