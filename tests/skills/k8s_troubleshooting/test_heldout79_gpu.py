"""Held-out round 79 (pods-nodes, explain_gpu_failure.py). Expected values come from the
upstream source or the public thread named at each test, never from the script:

- The NVIDIA container toolkit told to set nvidia as containerd's default runtime
  (CONTAINERD_SET_AS_DEFAULT / NVIDIA_RUNTIME_SET_AS_DEFAULT, nvidia-container-toolkit v1.13.5
  tools/container/containerd/containerd.go:144, v1.17.0 tools/container/runtime/runtime.go:89;
  nvidia-ctk runtime configure --set-as-default, v1.17.0 cmd/nvidia-ctk/runtime/configure/
  configure.go:159) in the config.toml RKE2/k3s generate under agent/etc/containerd (CONTAINERD_
  CONFIG, containerd.go:108 / runtime.go:53; --config, configure.go:119) rather than the
  template they render it from (rancher/rke2-docs@9477b7b docs/advanced.md "Configuring
  containerd"; the toolkit's signal restarts RKE2, docs/add-ons/gpu_operators.md) ->
  nvidia_runtime_not_default, inferred (NVIDIA/gpu-operator#473: GPU pods ran only with
  runtimeClassName: nvidia until CONTAINERD_CONFIG named config.toml.tmpl).
"""
from __future__ import annotations

import sys

import pytest

from .conftest import SCRIPTS, paste_findings, loud as _loud

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parents[1] / "_shared")]

from _tshoot.toolkit_settings import settings  # noqa: E402

GPU = "explain_gpu_failure.py"


# NVIDIA/gpu-operator#473 as pasted: the Helm values the reporter deployed with
HELM_VALUES = """\
the NVIDIA Container Toolkit will fail to set the default runtime, requiring all GPU pods to
be run with `runtimeClassName: nvidia`.

```
    toolkit:
      env:
      - name: CONTAINERD_CONFIG
        value: /var/lib/rancher/rke2/agent/etc/containerd/config.toml
      - name: CONTAINERD_SOCKET
        value: /run/k3s/containerd/containerd.sock
      - name: CONTAINERD_RUNTIME_CLASS
        value: nvidia
      - name: CONTAINERD_SET_AS_DEFAULT
        value: "true"
```
"""

# the same setting in a ClusterPolicy as `kubectl get clusterpolicy -o json` prints it, on k3s
CLUSTERPOLICY_JSON = """\
{"apiVersion": "nvidia.com/v1", "kind": "ClusterPolicy", "metadata": {"name": "cluster-policy"},
 "spec": {"toolkit": {"enabled": true, "env": [
   {"name": "CONTAINERD_CONFIG", "value": "/var/lib/rancher/k3s/agent/etc/containerd/config.toml"},
   {"name": "CONTAINERD_SOCKET", "value": "/run/k3s/containerd/containerd.sock"},
   {"name": "CONTAINERD_SET_AS_DEFAULT", "value": "1"}]}}}
"""

# helm --set form (the chart's toolkit.env list by index)
HELM_SET = """\
helm install gpu-operator nvidia/gpu-operator -n gpu-operator --create-namespace \\
  --set toolkit.env[0].name=CONTAINERD_CONFIG \\
  --set toolkit.env[0].value=/var/lib/rancher/rke2/agent/etc/containerd/config.toml \\
  --set toolkit.env[1].name=CONTAINERD_SOCKET \\
  --set toolkit.env[1].value=/run/k3s/containerd/containerd.sock \\
  --set toolkit.env[2].name=CONTAINERD_SET_AS_DEFAULT \\
  --set-string toolkit.env[2].value=true
"""

# without the GPU Operator: nvidia-ctk pointed at k3s's generated config
CTK = """\
$ sudo nvidia-ctk runtime configure --runtime=containerd \
--config=/var/lib/rancher/k3s/agent/etc/containerd/config.toml --set-as-default
$ sudo systemctl restart k3s
pods still need runtimeClassName: nvidia
"""


@pytest.mark.parametrize("paste", [HELM_VALUES, CLUSTERPOLICY_JSON, HELM_SET, CTK],
                         ids=["helm-values", "clusterpolicy-json", "helm-set", "nvidia-ctk"])
def test_default_set_in_regenerated_config(paste: str) -> None:
    found = _loud(paste_findings(GPU, paste))
    assert found and found[0]["cause"] == "nvidia_runtime_not_default", found
    assert found[0]["basis"] == "inferred"
    assert "default_runtime_name" in found[0]["confirm"]
    assert "config.toml.tmpl" in found[0]["fix"]


NEAR_MISSES = {
    # the fix of NVIDIA/gpu-operator#473: the template RKE2 renders from
    "template": HELM_VALUES.replace("config.toml\n", "config.toml.tmpl\n"),
    # a stock containerd's own config is not regenerated
    "stock-containerd": HELM_VALUES.replace("/var/lib/rancher/rke2/agent/etc/containerd",
                                            "/etc/containerd"),
    # nvidia is not asked to be the default: runtimeClassName: nvidia is the design (the
    # operator sets NVIDIA_RUNTIME_SET_AS_DEFAULT=false with CDI, gpu-operator
    # controllers/object_controls.go transformToolkitCtrForCDI)
    "not-default": HELM_VALUES.replace('"true"', '"false"'),
    "default-unstated": HELM_VALUES.split("      - name: CONTAINERD_RUNTIME_CLASS")[0],
    # the toolkit pod's own env names its mount, not the host's directory (gpu-operator
    # controllers/object_controls.go: DefaultRuntimeConfigTargetDir)
    "in-container-path": "Environment:\n  CONTAINERD_CONFIG:  /runtime/config-dir/config.toml\n"
                         "  CONTAINERD_SET_AS_DEFAULT:  true\n",
}


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_near_misses_stay_silent(name: str) -> None:
    causes = [f["cause"] for f in _loud(paste_findings(GPU, NEAR_MISSES[name]))]
    assert "nvidia_runtime_not_default" not in causes, causes


def test_settings_reader_forms() -> None:
    assert settings(HELM_VALUES)["CONTAINERD_SET_AS_DEFAULT"] == "true"
    assert settings(HELM_SET)["CONTAINERD_CONFIG"].endswith("/containerd/config.toml")
    assert settings(CTK)["nvidia-ctk --set-as-default"] == "true"
    described = "    Environment:\n      RUNTIME_CONFIG:   /x/config.toml\n"
    assert settings(described) == {"RUNTIME_CONFIG": "/x/config.toml"}
    assert settings("docker run -e NVIDIA_RUNTIME_SET_AS_DEFAULT=false img") == {
        "NVIDIA_RUNTIME_SET_AS_DEFAULT": "false"}


def test_settings_reader_yaml_entry_order() -> None:
    reversed_entry = "env:\n- value: /a/config.toml\n  name: CONTAINERD_CONFIG\n"
    assert settings(reversed_entry) == {"CONTAINERD_CONFIG": "/a/config.toml"}
    # a valueFrom entry does not borrow the value of the entry before it
    value_from = ("env:\n- name: OTHER\n  value: /b\n- name: CONTAINERD_CONFIG\n"
                  "  valueFrom: {configMapKeyRef: {name: c, key: k}}\n")
    assert settings(value_from) == {}
