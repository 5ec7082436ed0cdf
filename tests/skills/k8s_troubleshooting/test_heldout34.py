"""Held-out round 34 (pods, nodes, GPUs): the docker-era kubelet's start failure, NCCL finding
no interface to bootstrap on, CUDA's system-not-ready on an NVSwitch node without Fabric
Manager, and a node whose device plugin advertises 0 GPUs. Ground truth: the threads and
upstream sources named in each test (each paste is the user's own, from the thread)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import run_script


# k8sp/sextant#397: a 2016 describe event row (kubelet 1.3-1.5, pkg/kubelet/dockertools/
# docker_manager.go "Failed to start container with docker id %v with error: %v"); fixed by
# loading nvidia-uvm and creating the device nodes
SEXTANT = ('{kubelet 0c-c4-7a-82-c5-bc}\tspec.containers{worker}\tWarning\t\tFailed\t\tFailed to '
           'start container with docker id aa5a0319488f with error: Error response from daemon: '
           '{"message":"linux runtime spec devices: error gathering device information while '
           'adding custom device \\"/dev/nvidia0\\": lstat /dev/nvidia0: no such file or '
           'directory"}\n')


def test_the_docker_era_start_failure():
    assert _causes("triage.py", SEXTANT) == ["container_start_failed"]


def test_the_docker_era_create_failure():
    # the same file's FailedToCreateContainer event
    text = ('Warning  Failed  kubelet  Failed to create docker container "worker" of pod '
            '"train-0_default" with error: Error response from daemon: invalid mount config\n')
    assert _causes("triage.py", text) == ["container_start_failed"]


@pytest.mark.parametrize("text", [
    # marin-community/marin#7018 (NCCL_SOCKET_IFNAME left only non-routable NICs)
    "Failed to create NCCL communicator: INTERNAL: ncclCommInitRankConfig(...) failed:\n"
    "invalid usage ... Last NCCL warning(error): 'Bootstrap : no socket interface found'\n",
    # nccl src/bootstrap.cc as a rank prints it with NCCL_DEBUG=INFO
    "rcvlab-0:223645:223645 [0] bootstrap.cc:45 NCCL WARN Bootstrap : no socket interface found\n",
    # nccl src/transport/net_socket.cc
    "node-1:77:90 [0] NCCL WARN NET/Socket : no interface found\n",
])
def test_nccl_without_an_interface_is_the_network(text):
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "nccl_network_error" and "NCCL_SOCKET_IFNAME" in first["fix"]


# NVIDIA/gpu-operator#1043 (the cuda-validator on an NVSwitch node; resolved by a Fabric
# Manager matching the driver): CUDA's cudaErrorSystemNotReady string
VALIDATOR = ('"Failed to allocate device vector A (error code system not yet initialized)! '
             '[Vector addition of 5000 elements]\n')


def test_system_not_yet_initialized_is_fabric_manager():
    assert _causes("explain_gpu_failure.py", VALIDATOR) == ["gpu_fabric_manager_not_running"]


def test_triage_reads_the_same_line_from_an_event():
    text = "Warning  Failed  5s  kubelet  Error: " + VALIDATOR.strip('"\n') + "\n"
    assert _causes("triage.py", text)[0] == "gpu_fabric_manager_not_running"


def test_a_node_advertising_zero_gpus():
    # NVIDIA/k8s-device-plugin#100 (`kubectl describe node | grep -i gpu` after an upgrade;
    # docker's default runtime was not nvidia)
    text = ("# kubectl describe node | grep -i gpu\n nvidia.com/gpu:     0\n nvidia.com/gpu:     0\n"
            "  nvidia.com/gpu  0            0\n")
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_not_advertised" and first["object"]["kind"] == "Node"
    assert "default-runtime" in first["fix"]


def test_a_node_with_gpus_is_not_that():
    text = ("  Warning  FailedScheduling  5s  default-scheduler  0/1 nodes are available: 1 "
            "Insufficient nvidia.com/gpu.\n nvidia.com/gpu:     8\n nvidia.com/gpu:     8\n")
    assert _causes("triage.py", text) == ["unschedulable_insufficient"]
