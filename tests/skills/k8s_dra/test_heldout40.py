"""Held-out round 40 (DRA): claims listed `deleted,allocated,reserved` by a filtered
`kubectl get resourceclaim -A` typed through a kubectl alias. Ground truth: kubernetes v1.37.2
pkg/printers/internalversion/printers.go resourceClaimState (deleted, pending, allocated,
reserved); kubernetes-sigs/dra-driver-nvidia-gpu#725 (claims stuck in deletion on 1.32: the
resourceclaim controller bug fixed by kubernetes#132533, backported to 1.33.6 by #134676)."""
from __future__ import annotations

import pytest

from .test_dra_heldout import _findings

ROWS = ("admin@rob1:~$ {cmd} get resourceclaim -A  | grep dele\n"
        "gold-tom    armada-01-gang-6adfe8-69nr7    deleted,allocated,reserved   11h\n"
        "gold-tom    armada-01-gang-6adfe8-6rnn2    deleted,allocated,reserved   11h\n")


@pytest.mark.parametrize("cmd", ["kubectl", "kc armada-06.ospr-k8s-batch-p", "kubecolor"])
def test_claims_deleted_but_still_allocated_wait_for_deallocation(cmd):
    found = _findings(ROWS.format(cmd=cmd))
    assert [f["cause"] for f in found] == ["claim_deallocating"] * 2, found
    assert found[0]["object"]["namespace"] == "gold-tom"
    assert "reservedFor" in found[0]["fix"]


def test_a_pending_claim_row_is_still_not_in_the_dump():
    text = ("$ kubectl get resourceclaim -n ml\nNAME        STATE     AGE\n"
            "gpu-claim   pending   3m\n")
    assert [f["cause"] for f in _findings(text)] == ["resource_claim_not_in_dump"]
