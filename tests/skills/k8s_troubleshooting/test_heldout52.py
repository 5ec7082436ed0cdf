"""Held-out round 52 (pods, nodes, training). Ground truth per test: the public thread and the
upstream source named beside it."""
from __future__ import annotations

import pytest

from .conftest import paste_findings, run_script

_run = paste_findings


# microsoft/pai#4344: 3 of a node's 4 GPUs listed; the kernel module's lines for the fourth
# (open-gpu-kernel-modules src/nvidia/arch/nvalloc/unix/src/osinit.c RmInitAdapter); the
# maintainers cordoned the node
RM_INIT = ("[   38.773115] NVRM: RmInitAdapter failed! (0x26:0xffff:1127)\n"
           "[   38.773764] NVRM: rm_init_adapter failed for device bearing minor number 0\n")


@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_a_gpu_the_driver_cannot_initialise(script):
    found = _run(script, RM_INIT)
    assert found[0]["cause"] == "gpu_xid_hardware", found


def test_the_newer_driver_prefix_is_read_too():
    # NV_DEV_PRINTF puts `GPU <pci>: ` before the message in newer drivers
    found = _run("explain_gpu_failure.py",
                 "NVRM: GPU 0000:00:04.0: RmInitAdapter failed! (0x26:0xffff:1456)\n")
    assert found[0]["cause"] == "gpu_xid_hardware"
    assert "passthrough" in found[0]["fix"]


# kubeflow/trainer#1091: tf-operator's Warning event InvalidTFJobSpec (pkg/controller.v1/
# tensorflow/controller.go failedMarshalTFJobReason, "Failed to marshal the object to TFJob;
# the spec is invalid: %v"): two Evaluator replicas, the operator allows one
def test_the_operators_invalid_spec_event_is_a_refused_spec():
    found = _run("check_training.py",
                 "Events:\n  Type     Reason            Age   From         Message\n"
                 "  ----     ------            ----  ----         -------\n"
                 "  Warning  InvalidTFJobSpec  4s    tf-operator  Failed to marshal the object "
                 "to TFJob; the spec is invalid: failed to marshal the object to TFJob\n")
    assert found[0]["cause"] == "training_invalid", found
    assert "Evaluator" in found[0]["fix"]


# openebs/openebs#2695 (CFCR: node vm-5558... labelled kubernetes.io/hostname=192.168.243.210;
# the hostpath provisioner wrote the node's name; openebs-archive/maya#1414)
PV = """apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-509d941e
spec:
  local:
    path: /var/openebs/local/pvc-509d941e
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: kubernetes.io/hostname
          operator: In
          values:
          - {value}
status:
  phase: Bound

$ kubectl get nodes --label-columns=kubernetes.io/hostname
NAME                                      STATUS   ROLES    AGE    VERSION   HOSTNAME
vm-5558c126-d216-4c61-92d7-1dd2ce0711f9   Ready    <none>   143m   v1.14.1   {label}
"""


def test_a_pv_pinned_to_a_hostname_no_node_carries():
    found = _run("triage.py", PV.format(value="vm-6633f4f7-0761-4f5d-950e-c5db7b78f81a",
                                        label="192.168.243.210"))
    assert found[0]["cause"] == "volume_node_affinity" and found[0]["basis"] == "inferred"
    assert "kubectl get nodes -L kubernetes.io/hostname" in found[0]["confirm"]


def test_a_pv_naming_a_node_by_its_name_where_the_label_differs():
    found = _run("triage.py", PV.format(value="vm-5558c126-d216-4c61-92d7-1dd2ce0711f9",
                                        label="192.168.243.210"))
    assert found[0]["cause"] == "volume_node_affinity"
    assert "its kubernetes.io/hostname label is 192.168.243.210" in found[0]["message"]


@pytest.mark.parametrize("value,label", [
    ("192.168.243.210", "192.168.243.210"),    # the PV matches the listed node
    ("vm-other", "vm-5558c126-d216-4c61-92d7-1dd2ce0711f9"),  # names = labels: maybe unlisted
])
def test_no_conclusion_without_a_mismatch(value, label):
    res = run_script("triage.py", "-f", "-", "--json", stdin=PV.format(value=value, label=label))
    found = res.doc["findings"] if res.doc else []
    assert all(f["cause"] != "volume_node_affinity" for f in found), found
