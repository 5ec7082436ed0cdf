"""Held-out round 57 (Kueue): the API server's call to Kueue's webhook answered by a proxy's
502 while the webhook server was not serving yet, pasted as one error broken by hand after its
colons. Ground truth: kubernetes-sigs/kueue#13036 (v0.18.2: the built-in certificates make the
webhook serve 10-30 s after the pod is Ready; retrying succeeds)."""
from __future__ import annotations

from .test_kueue_heldout46 import _causes

BROKEN = ('Internal error occurred: failed calling webhook "mclusterqueue.kb.io": failed to call '
          'webhook:\nPost "https://kueue-webhook-service.kueue-system.svc:443/mutate-kueue-x-k8s-'
          'io-v1beta2-clusterqueue?timeout=10s":\nproxy error from localhost:9443 while dialing '
          '10.244.0.7:9443, code 502: 502 Bad Gateway\n')


def test_a_webhook_call_answered_502_broken_after_its_colons():
    assert _causes("explain_pending.py", BROKEN)[0] == "kueue_controller_down"


def test_the_same_on_one_line():
    assert _causes("explain_pending.py", BROKEN.replace(":\n", ": "))[0] == \
        "kueue_controller_down"
