"""Held-out round 56 (Kueue): the API server's call to Kueue's CRD conversion webhook refused
while kueue-controller-manager was down. Wording: apiextensions-apiserver v0.37.2
pkg/apiserver/conversion/webhook_converter.go:286 (`conversion webhook for %v failed: %v`);
ground truth: kubernetes-sigs/kueue#7457, fixed by #7601 (the controller pods crash and restart
after a MultiKueue worker disconnect, so the webhook server is not up)."""
from __future__ import annotations

from .test_kueue_heldout46 import _causes

REFUSED = ('conversion webhook for kueue.x-k8s.io/v1beta1, Kind=ClusterQueue failed: Post '
           '"https://kueue-webhook-service.kueue-system.svc:443/convert?timeout=30s": dial tcp '
           '10.244.1.9:9443: connect: connection refused\n')


def test_a_conversion_call_refused_is_the_controller_down():
    assert _causes("explain_pending.py", REFUSED)[0] == "kueue_controller_down"


def test_a_conversion_webhook_of_another_project_is_not_kueues():
    other = REFUSED.replace("kueue.x-k8s.io", "cert-manager.io").replace(
        "kueue-webhook-service.kueue-system", "cert-manager-webhook.cert-manager")
    assert "kueue_controller_down" not in _causes("explain_pending.py", other)
