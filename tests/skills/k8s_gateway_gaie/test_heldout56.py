"""Held-out round 56 of check_routes.py: a pool-managing controller's refusals with the
`User ... cannot` part cut (client-go v0.37.2 tools/cache/reflector.go:747 `failed to list %v:
%w`). Ground truth: johnahull/llmd-gke pattern1/ISSUES-istio.md ("Issue 2: Missing RBAC
Permissions": KServe's kserve-manager-role lacked the LLMInferenceService, InferencePool and
Secret rules; patching the ClusterRole fixed it)."""
from __future__ import annotations

from .conftest import paste_findings as _findings

KSERVE = ("failed to list *v1alpha1.LLMInferenceService: llminferenceservices.serving.kserve.io "
          "is forbidden\n"
          "failed to list *v1alpha2.InferencePool: inferencepools.inference.networking.x-k8s.io "
          "is forbidden\n"
          "failed to create v1.Secret: secrets is forbidden\n")


def test_kinds_no_picker_touches_make_it_the_controllers_denial(gw_run, tmp_path):
    causes = [f["cause"] for f in _findings(gw_run, tmp_path, KSERVE)]
    assert causes[0] == "controller_forbidden"
    assert "endpoint_picker_misconfigured" not in causes


def test_the_pickers_own_kinds_alone_stay_the_pickers(gw_run, tmp_path):
    epp = ("failed to list *v1.InferencePool: inferencepools.inference.networking.k8s.io is "
           "forbidden\nfailed to list *v1.Pod: pods is forbidden\n")
    assert _findings(gw_run, tmp_path, epp)[0]["cause"] == "endpoint_picker_misconfigured"


# A policy's condition under its own `kubectl describe`: Envoy Gateway writes policy ancestor
# status with GEP-713's reasons (gateway-api apis/v1alpha2/policy_types.go v1.6.3
# PolicyReasonInvalid); gangmuk.github.io 2025-08-21 AIBrix post: EnvoyExtensionPolicy
# Accepted=False Invalid "Wasm: wasm cache is not initialized." (the node's disk was full)
POLICY = """kubectl describe httproute llama2-7b-router -n aibrix-system

Status:
  Conditions:
    Type:    Accepted
    Status:  True
    Message: Route is accepted

kubectl describe envoyextensionpolicy aibrix-gateway-plugins-extension-policy -n aibrix-system

Status:
  Conditions:
    Type:    Accepted
    Status:  False
    Reason:  Invalid
    Message: Wasm: wasm cache is not initialized.
"""


def test_a_policys_condition_pasted_under_its_describe_is_the_policys(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, POLICY)
    assert found[0]["cause"] == "policy_invalid"
    assert "wasm cache is not initialized" in found[0]["evidence"][0]


def test_the_same_condition_under_a_routes_describe_is_not_a_policys(gw_run, tmp_path):
    route = POLICY.replace("describe envoyextensionpolicy aibrix-gateway-plugins-extension-"
                           "policy", "describe httproute other")
    assert "policy_invalid" not in [f["cause"] for f in _findings(gw_run, tmp_path, route)]
