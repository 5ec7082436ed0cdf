"""Held-out round 51 (Kueue): the API server's call to Kueue's webhook reset by a server not
yet ready. Ground truth: kubernetes-sigs/kueue#2073 (`failed calling webhook "mjob.kb.io": ...
read: connection reset by peer`; the maintainer: "the webhooks are not ready yet")."""
from __future__ import annotations

import pytest

from .test_kueue_heldout46 import _causes

CALL = ('Internal error occurred: failed calling webhook "mjob.kb.io": failed to call webhook: '
        'Post "https://kueue-webhook-service.kueue-system.svc:443/mutate-batch-v1-job?timeout='
        '10s": {}\n')


@pytest.mark.parametrize("why", ["read tcp 172.18.0.3:40472->10.244.1.3:9443: read: connection "
                                 "reset by peer", "write: broken pipe", "EOF"])
def test_a_call_cut_by_a_webhook_server_not_ready(why):
    assert _causes("explain_pending.py", CALL.format(why))[0] == "kueue_controller_down"
