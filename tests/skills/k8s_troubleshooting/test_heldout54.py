"""Held-out round 54 (pods, nodes, GPU). Ground truth per test: the public thread and the
upstream source named beside it."""
from __future__ import annotations

import pytest

from .conftest import paste_findings

_run = paste_findings


# openebs-archive/cstor-operators#196 (GKE): k8s.io/apiserver v0.37.2 pkg/admission/plugin/
# resourcequota/controller.go:591; the user removed priorityClassName, the chart got its own class
def test_a_priority_class_limited_to_quota_covered_namespaces():
    found = _run("triage.py", "Error creating: insufficient quota to match these scopes: "
                              "[{PriorityClass In [system-node-critical system-cluster-critical]}]\n")
    assert found[0]["cause"] == "quota_exceeded"
    assert "priorityClassName" in found[0]["fix"] and "scopeSelector" in found[0]["fix"]


def test_an_ordinary_quota_refusal_keeps_its_fix():
    found = _run("triage.py", 'Error creating: pods "web-1" is forbidden: exceeded quota: '
                              "compute, requested: requests.cpu=2, used: requests.cpu=9, "
                              "limited: requests.cpu=10\n")
    assert found[0]["cause"] == "quota_exceeded" and "priorityClassName" not in found[0]["fix"]


# aws/amazon-vpc-cni-k8s#1294: the plugin's own log line (cmd/routed-eni-cni-plugin/cni.go)
def test_the_aws_cni_plugins_own_ip_failure_is_a_sandbox_failure():
    found = _run("triage.py", '{"level":"error","ts":"2020-11-23T18:27:16.362Z","caller":'
                              '"routed-eni-cni-plugin/cni.go:117","msg":"Failed to assign an IP '
                              'address to container d441ca8a9c84"}\n')
    assert found[0]["cause"] == "sandbox_failed"


# NVIDIA/nvidia-container-toolkit#553: the GPU Operator's toolkit-validation log
@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_nvidia_smi_without_its_library(script):
    found = _run(script, "NVIDIA-SMI couldn't find libnvidia-ml.so library in your system. "
                         "Please make sure that the NVIDIA Display Driver is properly installed "
                         "and present in your system.\ntoolkit is not ready\n")
    assert found[0]["cause"] == "gpu_libraries_not_visible", found
