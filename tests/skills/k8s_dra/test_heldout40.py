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


def test_a_dra_resource_the_apiserver_does_not_serve():
    # kubernetes/autoscaler#9244: cluster-autoscaler 1.35 lists v1 DeviceClasses, EKS 1.32 serves
    # v1beta1 only; client-go's watch-list fallback logs the 404
    text = ('I0219 11:25:55.876049       1 reflector.go:429] "Data couldn\'t be fetched in '
            'watchlist mode. Falling back to regular list." err="the server could not find the '
            'requested resource (get deviceclasses.resource.k8s.io)"\n')
    assert _findings(text)[0]["cause"] == "dra_api_missing"
