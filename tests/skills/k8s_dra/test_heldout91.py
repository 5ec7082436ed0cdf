"""Held-out round 91 (DRA).

kubernetes-sigs/dra-driver-nvidia-gpu#1002: a GpuConfig with sharing.strategy MPS refused as
`unknown GPU sharing strategy: MPS` because the driver's own MPSSupport feature gate was off ->
dra_feature_disabled. Source: api/nvidia.com/resource/v1beta1/validate.go@v25.8.0:24-35 (gates
added by afdaeb41: TimeSlicing needs TimeSlicingSettings, MPS needs MPSSupport, else "unknown GPU
sharing strategy: %v"); @v0.4.1:26-43 (PR #996, 34c2d18d: `%q is selected as the GPU sharing
strategy, but the %q feature gate is not enabled`, and a truly unknown value `unknown GPU sharing
strategy: %v, supported GPU sharing strategies: %s, %s`); v25.3.0 accepted both without gates.
"""
from __future__ import annotations

import pytest

from _dra.messages import classify

from .test_dra_heldout import _findings

# the one line (v25.8-v25.12 wording)
OLD = "unknown GPU sharing strategy: MPS\n"

# v0.4.0+ through the driver's webhook (cmd/webhook/main.go@v0.4.1:282,291), as kubectl prints it
NEW_WEBHOOK = (
    'Error from server: error when creating "claim.yaml": admission webhook '
    '"gpu.nvidia.com" denied the request: 1 configs failed to validate: object at '
    'spec.devices.config[0].opaque.parameters is invalid: "TimeSlicing" is selected as the GPU '
    'sharing strategy, but the "TimeSlicingSettings" feature gate is not enabled\n')

# a value no release knows (the case matters: strategies are case-sensitive)
UNKNOWN_NEW = ("unknown GPU sharing strategy: Mps, supported GPU sharing strategies: "
               "TimeSlicing, MPS\n")
UNKNOWN_OLD = "unknown GPU sharing strategy: mps\n"


def test_old_wording_for_mps_is_the_drivers_gate():
    found = _findings(OLD)
    first = found[0]
    assert (first["cause"], first["basis"]) == ("dra_feature_disabled", "reported"), found
    assert "MPSSupport" in first["fix"] and "featureGates" in first["fix"]


@pytest.mark.parametrize("script", ["explain_claim.py", "check_dra.py"])
def test_new_wording_in_a_webhook_denial_names_the_gate(script):
    # the webhook is what refused the claim (corpus dra-driver-nvidia-gpu-462, PR #462's smoke
    # test): that denial is the finding, and it names the driver's gate
    found = _findings(NEW_WEBHOOK, script)
    assert found[0]["cause"] == "admission_webhook_denied", found
    assert "TimeSlicingSettings" in found[0]["message"]


def test_new_wording_alone_is_the_drivers_gate():
    line = ('"MPS" is selected as the GPU sharing strategy, but the "MPSSupport" feature gate '
            'is not enabled\n')
    assert _findings(line)[0]["cause"] == "dra_feature_disabled"


def test_unknown_values_are_not_the_gate():
    assert "nvidia-sharing-gate-disabled" not in [m.pattern.key for m in classify(UNKNOWN_NEW)]
    assert "nvidia-sharing-gate-disabled" not in [m.pattern.key for m in classify(UNKNOWN_OLD)]
