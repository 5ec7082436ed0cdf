"""Held-out round 90 (DRA). Expected values come from upstream source or the public fix:

1. kubernetes-sigs/dranet#198 (commit 97f65858): the apiserver refused dranet's ResourceSlice
   (`ResourceSlice "..." is invalid: spec.devices[N].attributes[dra.net/ipv4].string: Too
   long: may not be more than 64 bytes`; k8s.io/api v0.37.2 resource/v1/types.go:935
   DeviceAttributeMaxValueLength = 64), so the node published no devices ->
   no_resource_slices. The refusal quoted alone is apimachinery's NewInvalid
   (pkg/api/errors/errors.go:309) or kubectl's `The KIND "NAME" is invalid`.
2. NVIDIA/k8s-dra-driver-gpu 616fe033 ("Add SCC to service accounts on OpenShift"): the
   compute-domain daemon runs under a random UID that may not write root-owned /etc
   (`open /etc/nvidia-imex/nodes_config.cfg: permission denied`) -> security_context_denied,
   inferred (the kernel's EACCES says a write was refused, not which identity), ranked before
   the daemon's wrapper line it explains.
"""
from __future__ import annotations

import pytest

from _dra.messages import classify, mentions_dra

from .test_dra_heldout import _findings

# the commit message's quote, as the held-out paste gives it
SLICE_QUOTE = ('  ResourceSlice "..." is invalid: spec.devices[N].attributes[dra.net/ipv4]\n'
               "  .string: Too long: may not be more than 64 bytes\n")
# kubectl's form of the same refusal (a slice applied by hand), one field error
SLICE_KUBECTL = ('The ResourceSlice "node-a-dra.net" is invalid: spec.devices[2].attributes'
                 '[dra.net/ipv4].string: Too long: may not be more than 64 bytes\n')
# near-miss: the apiserver refusing a ResourceClaim is the claim's problem, not the slice's
CLAIM_INVALID = ('The ResourceClaim "gpu" is invalid: spec.devices.requests[0].name: '
                 'Required value\n')

IMEX_QUOTE = ("IMEXDaemonUpdateLoop failed, initiate shutdown:\n"
              "writeNodesConfig failed: failed to create nodes config file:\n"
              "open /etc/nvidia-imex/nodes_config.cfg: permission denied\n")
# the same refusal on the directory, logged on one klog line
IMEX_ONE_LINE = ('E0915 10:01:02.123456       1 main.go:322] "IMEXDaemonUpdateLoop failed, '
                 'initiate shutdown" err="writeNodesConfig failed: mkdir /etc/nvidia-imex: '
                 'permission denied"\n')
# near-miss: a read-only filesystem is not a refused identity
IMEX_READ_ONLY = ("IMEXDaemonUpdateLoop failed, initiate shutdown:\n"
                  "writeNodesConfig failed: failed to create nodes config file:\n"
                  "open /etc/nvidia-imex/nodes_config.cfg: read-only file system\n")


def _causes(text: str, script: str) -> list[str]:
    return [f["cause"] for f in _findings(text, script) if f["severity"] != "info"]


@pytest.mark.parametrize("script", ["check_dra.py", "explain_claim.py"])
@pytest.mark.parametrize("text", [SLICE_QUOTE, SLICE_KUBECTL])
def test_a_refused_slice_quoted_alone_publishes_nothing(text, script):
    assert _causes(text, script)[0] == "no_resource_slices"


def test_a_refused_claim_is_not_a_refused_slice():
    assert "no_resource_slices" not in {m.cause for m in classify(CLAIM_INVALID)}


@pytest.mark.parametrize("text", [IMEX_QUOTE, IMEX_ONE_LINE])
def test_a_driver_refused_a_write_by_the_kernel_is_its_security_context(text):
    found = [f for f in _findings(text) if f["severity"] != "info"]
    assert found[0]["cause"] == "security_context_denied", found
    assert found[0]["basis"] == "inferred" and "io/scc" in found[0]["confirm"]
    assert "/etc/nvidia-imex" in found[0]["message"]
    assert "driver_prepare_failed" in [f["cause"] for f in found]  # the reported wrapper stays


def test_a_read_only_filesystem_is_not_the_security_context():
    assert "security_context_denied" not in _causes(IMEX_READ_ONLY, "explain_claim.py")


def test_a_permission_denied_alone_is_not_a_dra_message():
    assert not mentions_dra("open /etc/app/config.yaml: permission denied")
