"""Held-out round 50: the NVIDIA device plugin finding no GPU, or marking one unhealthy; a
pods table pasted without its header under `kubectl get pods -o wide` of an older kubectl;
the node volume limit against a taint in one scheduler message. Ground truth:
NVIDIA/k8s-device-plugin cmd/nvidia-device-plugin/main.go ("No devices found. Waiting
indefinitely.", v0.7.0..v0.19; #414: after a reboot, fixed by restarting the plugin) and
internal/rm/health.go ("Marking device %v as unhealthy"; #111: a double-bit ECC error, a
restart only forgets it); k8s.io/kubernetes pkg/printers/internalversion/printers.go (wide pod
columns IP, NODE, NOMINATED NODE, READINESS GATES; pangeo-data/pangeo-cloud-federation#274:
Evicted rows under a 3-column wide table); pkg/scheduler/apis/config/v1/default_plugins.go@
v1.37.2 (NodeVolumeLimits filters after TaintToleration; digitalocean/csi-digitalocean#314)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import first_finding

NO_DEVICES = ("2023/06/12 09:21:24 Loading NVML\n2023/06/12 09:21:25 Retreiving plugins.\n"
              "2023/06/12 09:21:25 No devices found. Waiting indefinitely.\n")


def test_a_plugin_that_found_no_gpu_advertises_none():
    first = first_finding("explain_gpu_failure.py", NO_DEVICES)
    assert first["cause"] == "gpu_not_advertised" and "restart the plugin" in first["fix"]


@pytest.mark.parametrize("text,basis", [
    ("I0101 10:00:00.000000 1 health.go:109] Marking device GPU-1 as unhealthy: "
     "ERROR_GPU_IS_LOST\n", "reported"),
    ("k8s-device-plugin reports that a gpu is unhealthy, then i restart the pod and it is "
     "healthy again.\n", "inferred"),
])
def test_a_gpu_the_plugin_marked_unhealthy_is_a_hardware_fault(text, basis):
    first = first_finding("explain_gpu_failure.py", text)
    assert first["cause"] == "gpu_xid_hardware" and first["basis"] == basis, first


def test_a_headerless_wide_table_of_an_older_kubectl_is_read():
    text = ("kubectl get pods --namespace hub -o wide\n```\n"
            "hub-b55dd58f7-6nqpn   0/1   Evicted   0   10h   <none>   ip-10-0-0-1.ec2.internal"
            "   <none>\n```\n")
    assert _causes("triage.py", text)[0] == "evicted"


def test_the_volume_limit_is_what_nodes_past_the_taints_fail():
    text = ("  Warning  FailedScheduling  <unknown>  default-scheduler  0/3 nodes are available: "
            "1 node(s) had taints that the pod didn't tolerate, 2 node(s) exceed max volume "
            "count.\n")
    assert _causes("triage.py", text)[0] == "unschedulable_insufficient"
