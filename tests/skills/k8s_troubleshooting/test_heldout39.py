"""Held-out round 39 (GPU nodes and MPI jobs): a node whose allocatable GPUs fall below its
capacity, systemd saying NVIDIA Fabric Manager is not installed, and an MPI launcher whose ssh
cannot resolve a worker. Ground truth: kubernetes v1.37.2 pkg/kubelet/cm/devicemanager/
manager.go GetCapacity (capacity counts every registered device, allocatable the healthy ones)
with NVIDIA/k8s-device-plugin#234 (the plugin marks a GPU unhealthy on a critical Xid and keeps
it so until it restarts); NVIDIA/gpu-operator#286 and #375 (an HGX A100 without
nvidia-fabricmanager); aws-samples/aws-do-eks#33 (OpenSSH's "Could not resolve hostname" from
the NCCL-tests MPIJob launcher, fixed by dnsPolicy: ClusterFirst)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import run_script

NODE = ("Name:               gpu-node-3\nRoles:              <none>\nCapacity:\n  cpu:       "
        "         104\n  nvidia.com/gpu:     8\n  pods:               110\nAllocatable:\n  cpu: "
        "               104\n  nvidia.com/gpu:     {healthy}\n  pods:               110\n"
        "Events:              <none>\n")


def test_fewer_allocatable_gpus_than_capacity_are_unhealthy_ones():
    res = run_script("triage.py", "-f", "-", "--json", stdin=NODE.format(healthy=6))
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_xid_hardware" and first["object"]["kind"] == "Node"
    assert "2 of its 8 nvidia.com/gpu are unhealthy" in first["message"]
    assert "dmesg" in first["fix"] and first["basis"] == "inferred"


@pytest.mark.parametrize("healthy, unwanted", [("8", "gpu_xid_hardware"),
                                              ("0", "gpu_xid_hardware")])
def test_all_or_none_allocatable_is_not_that(healthy, unwanted):
    # all healthy: nothing; none: the plugin sees no device (gpu_not_advertised)
    assert unwanted not in _causes("triage.py", NODE.format(healthy=healthy))


def test_the_same_counts_in_a_node_object():
    text = ("apiVersion: v1\nkind: Node\nmetadata: {name: gpu-node-3}\nstatus:\n  capacity: "
            "{nvidia.com/gpu: \"8\", cpu: \"104\"}\n  allocatable: {nvidia.com/gpu: \"7\", cpu: "
            "\"104\"}\n  conditions:\n  - {type: Ready, status: \"True\"}\n")
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    assert res.doc["findings"][0]["cause"] == "gpu_xid_hardware"
    assert "1 of its 8 nvidia.com/gpu is unhealthy" in res.doc["findings"][0]["message"]


def test_systemd_without_the_fabric_manager_unit():
    text = ("kubectl logs nvidia-cuda-validator-k6tbm -n gpu-operator-resources -c "
            "cuda-validation\n\n[root@hgx ~]# sudo systemctl status nvidia-fabricmanager\n"
            "Unit nvidia-fabricmanager.service could not be found.\n")
    assert _causes("explain_gpu_failure.py", text) == ["gpu_fabric_manager_not_running"]


def test_an_mpi_launcher_that_cannot_resolve_a_worker():
    text = ("ssh: Could not resolve hostname all-reduce-worker-1.all-reduce.ml.svc: Name or "
            "service not known\n\nORTE was unable to reliably start one or more daemons.\n")
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "mpi_worker_dns_unresolved" and "dnsPolicy" in first["fix"]


def test_an_ssh_failure_outside_an_mpi_launch_is_not_that():
    text = "ssh: Could not resolve hostname bastion: Name or service not known\n"
    assert "mpi_worker_dns_unresolved" not in _causes("explain_gpu_failure.py", text)
