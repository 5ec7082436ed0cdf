"""Held-out round 92 (DRA): DRA drivers' prepare-path errors quoted bare in fix commits.

The common shape (references/messages.md driver-prepare-inner): the kubelet's
NodePrepareResources reaches a driver through k8s.io/dynamic-resource-allocation kubeletplugin,
whose PrepareResourceClaims returns one PrepareResult{Err} per claim; users quote that inner
error without the kubelet's or the driver's wrapper. Sources:
- kubernetes-sigs/dra-driver-cpu de98098 pkg/cpumanager/cpu_assignment.go:783,910
  ('not enough cpus available to satisfy request: requested=%d, available=%d'), commit 84fa2d3
  (cpuManagerPolicy: static leaves the driver's pool empty); the kubelet's own CPU manager says
  it after 'Allocate failed due to' at pod admission (not a DRA driver's).
- NVIDIA/nvidia-container-toolkit d34b3046 pkg/nvcdi/lib-nvml.go:86 ('failed to get device
  handle from UUID: %v'), lib-csv.go:276 (the UUID quoted), called by dra-driver-nvidia-gpu
  193f8b62^ cmd/gpu-kubelet-plugin/cdi.go:208-210; nvidia-ctk's own wrappers
  cmd/nvidia-ctk/cdi/generate/generate.go:319,409. Commit 193f8b62 (GPU bound to vfio-pci).
- dra-driver-nvidia-gpu b9e47624^ cmd/gpu-kubelet-plugin/device_state.go:234 ('unprepare noop:
  claim preparation started but not completed: %v'), commit b9e47624.
- QEMU hw/vfio/common.c vfio_get_group ('vfio: error, group %d is not viable, please ensure all
  devices within the iommu_group are bound to their vfio bus driver.'), hw/vfio/container.c
  (8.1+: 'group %d is not viable' + hint); dra-driver-nvidia-gpu dc54b409.
- ComputeDomain status (api/nvidia.com/resource/v1beta1/computedomain.go:112-142@95932046;
  cmd/compute-domain-kubelet-plugin/computedomain.go:298-309, 'current node not ready in
  ComputeDomain'); commit 8489b57f quotes a describe Status block with both nodes NotReady.
"""
from __future__ import annotations

import pytest

from _dra.messages import classify

from .test_dra_heldout import _findings


def _first(text: str, script: str = "explain_claim.py") -> dict:
    found = [f for f in _findings(text, script) if f["severity"] != "info"]
    assert found, _findings(text, script)
    return found[0]


def _keys(text: str) -> list[str]:
    return [m.pattern.key for m in classify(text)]


# ---------------------------------------------------------------- dra-driver-cpu (84fa2d3)
# the commit's quote, wrapped as in the commit body
CPU_HELD_OUT = '"not enough cpus available to\nsatisfy request."\n'
# the driver's full error as the kubelet's event shows it (another form)
CPU_EVENT = ("Warning  FailedPrepareDynamicResources  12s  kubelet  Failed to prepare dynamic "
             "resources: NodePrepareResources failed for claim default/pod-cpu-claim: not "
             "enough cpus available to satisfy request: requested=4, available=0\n")
# the kubelet's own CPU manager at admission (topologymanager: 'Allocate failed due to %v,
# which is unexpected'): a pod without DRA, not a driver's prepare
CPU_KUBELET_ADMISSION = ("Warning  UnexpectedAdmissionError  5s  kubelet  Allocate failed due to "
                         "not enough cpus available to satisfy request: requested=4, "
                         "available=2, which is unexpected\n")


def test_cpu_driver_empty_pool_held_out():
    first = _first(CPU_HELD_OUT)
    assert (first["cause"], first["basis"]) == ("driver_prepare_failed", "reported")
    assert "cpuManagerPolicy" in first["message"]


def test_cpu_driver_error_in_the_kubelets_event():
    first = _first(CPU_EVENT)
    assert first["cause"] == "driver_prepare_failed"
    assert "cpuManagerPolicy" in first["message"]


def test_kubelet_cpu_manager_admission_is_not_a_driver_prepare():
    assert "driver-prepare-inner" not in _keys(CPU_KUBELET_ADMISSION)


# ---------------------------------------------------------------- NVML by UUID (193f8b62)
UUID_HELD_OUT = '"device handle from UUID: Not Found"\n'
# the driver's whole chain in its kubelet plugin log (device_state.go:379 around cdi.go:210)
UUID_CHAIN = ('E0806 10:00:01.000000 1 driver.go:417] "error preparing devices for claim '
              'vm/gpu-claim: unable to create CDI spec file for claim: unable to get device '
              'spec for gpu-0: failed to get device handle from UUID: ERROR_NOT_FOUND"\n')
# nvidia-ctk cdi generate on a host (generate.go:319,409 around nvcdi): not a DRA driver's
UUID_NVIDIA_CTK = ("Error: failed to generate CDI spec: failed to create device CDI specs: "
                   "failed to construct device spec generators: failed to get device handle "
                   "from UUID: Not Found\n")
# the GPU plugin's health monitor (device_health.go:174): a warning, not a prepare error
UUID_HEALTH = ("W0806 10:00:01.000000 1 device_health.go:174] Unable to get device handle from "
               "UUID[GPU-0]: Not Found; marking devices as unmonitored\n")


def test_nvml_uuid_not_found_held_out():
    first = _first(UUID_HELD_OUT)
    assert first["cause"] == "driver_prepare_failed"
    assert "vfio-pci" in first["message"]


def test_nvml_uuid_in_the_drivers_chain():
    assert _first(UUID_CHAIN)["cause"] == "driver_prepare_failed"
    assert "driver-prepare-inner" in _keys(UUID_CHAIN)


@pytest.mark.parametrize("text", [UUID_NVIDIA_CTK, UUID_HEALTH])
def test_nvml_uuid_elsewhere_is_not_a_prepare_error(text):
    assert "driver-prepare-inner" not in _keys(text)


# ---------------------------------------------------------------- checkpoint (b9e47624)
CHECKPOINT_HELD_OUT = (
    "I1106 20:55:46.273327       1 device_state.go:174] checkpoint updated for claim "
    "2b267b75-227f-4e7a-92a1-14b37e15a595\n"
    "I1106 20:55:46.273337       1 device_state.go:181] skip prepare: claim "
    "2b267b75-227f-4e7a-92a1-14b37e15a595 found in checkpoint\n"
    "I1106 20:56:11.318763       1 device_state.go:284] unprepare noop: claim preparation "
    "started but not completed for claim '2b267b75-227f-4e7a-92a1-14b37e15a595'\n")
# v25.8.1's own format ('...: %v', device_state.go:234), as a JSON log record
CHECKPOINT_JSON = ('{"ts":1730926571318.7,"caller":"device_state.go:234","msg":"unprepare noop: '
                   'claim preparation started but not completed: 2b267b75"}\n')


@pytest.mark.parametrize("text", [CHECKPOINT_HELD_OUT, CHECKPOINT_JSON])
def test_checkpoint_partial_prepare(text):
    first = _first(text)
    assert first["cause"] == "driver_prepare_failed"
    assert "PrepareStarted" in first["message"]


def test_a_claim_not_in_the_checkpoint_is_no_fault():
    # device_state.go:505@95932046: a claim never prepared or already unprepared
    line = ("I1106 20:56:11.318763 1 device_state.go:505] Unprepare noop: claim not found in "
            "checkpoint data: default/c (uid)\n")
    assert "driver-prepare-inner" not in _keys(line)


# ---------------------------------------------------------------- vfio group (dc54b409)
VFIO_HELD_OUT = ("  'vfio group is not viable, please ensure all devices within the iommu\n"
                 "   group are bound to their vfio bus driver'\n")
# QEMU 8.1+ (hw/vfio/container.c) in virt-launcher's log
VFIO_QEMU_NEW = ('{"component":"virt-launcher","level":"error","msg":"internal error: qemu '
                 'unexpectedly closed the monitor: vfio 0000:86:00.0: group 45 is not viable"}\n')


@pytest.mark.parametrize("text", [VFIO_HELD_OUT, VFIO_QEMU_NEW])
def test_vfio_group_not_viable_is_an_incomplete_prepare(text):
    first = _first(text)
    assert (first["cause"], first["basis"]) == ("driver_prepare_failed", "inferred")
    assert "iommu_group" in first["confirm"]


def test_a_viable_group_line_is_silent():
    assert "vfio-group-not-viable" not in _keys("vfio 0000:86:00.0: group 45 is viable")


# ---------------------------------------------------------------- ComputeDomain (8489b57f)
CD_HELD_OUT = """Status:
  Nodes:
    Clique Id: 9f410827-489f-46fd-8203-51266ca08eb7.32766
    Index: 0
    Ip Address: 10.42.3.138
    Name: cluster1-mgx-00011
    Status: NotReady
    Clique Id: 9f410827-489f-46fd-8203-51266ca08eb7.32766
    Index: 1
    Ip Address: 10.42.1.100
    Name: cluster1-mgx-00017
    Status: NotReady
  Status: NotReady
Events: <none>

I0415 16:14:28.038098 1 cdstatus.go:339] numNodes: 2, nodes seen: 1
"""

CD_YAML = """apiVersion: resource.nvidia.com/v1beta1
kind: ComputeDomain
metadata:
  name: imex-domain
  namespace: default
spec:
  numNodes: 2
  channel:
    resourceClaimTemplate:
      name: imex-channel
status:
  status: {status}
  nodes:
  - name: node-a
    ipAddress: 10.0.0.1
    cliqueID: abc.1
    index: 0
    status: {node}
"""


def test_computedomain_describe_not_ready_held_out():
    first = _first(CD_HELD_OUT)
    assert (first["cause"], first["basis"]) == ("driver_prepare_failed", "reported")
    assert first["object"]["kind"] == "ComputeDomain"
    assert any("1 of numNodes 2" in e for e in first["evidence"])


def test_computedomain_yaml_not_ready():
    first = _first(CD_YAML.format(status="NotReady", node="NotReady"))
    assert first["cause"] == "driver_prepare_failed"
    assert first["object"]["name"] == "imex-domain"


def test_a_ready_computedomain_is_silent():
    found = _findings(CD_YAML.format(status="Ready", node="Ready"))
    assert not [f for f in found if f["cause"] == "driver_prepare_failed"], found
