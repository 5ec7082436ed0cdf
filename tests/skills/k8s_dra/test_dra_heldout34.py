"""Held-out round 34 (DRA): the kubelet refused a pod's ResourceClaim by the Node authorizer.
Ground truth: kubernetes/kubernetes#119307 (its description's log line) and pkg/kubelet/cm/dra/
manager.go v1.27.0 ('failed to fetch ResourceClaim %s referenced by pod %s: %+v')."""
from __future__ import annotations

from _dra.messages import classify

# the PR description's kubelet line (GitHub's auto-links around the group removed)
FORBIDDEN = ('E0713 08:50:49.984737   62838 pod_workers.go:1300] "Error syncing pod, skipping" '
             'err="failed to fetch ResourceClaim external-claim referenced by pod tester-1: '
             'resourceclaims.resource.k8s.io \\"external-claim\\" is forbidden: User '
             '\\"system:node:127.0.0.1\\" cannot get resource \\"resourceclaims\\" in API group '
             '\\"resource.k8s.io\\" in the namespace \\"default\\": no relationship found between '
             'node \'127.0.0.1\' and this object"')


def test_the_node_authorizer_refusing_the_kubelet():
    found = classify(FORBIDDEN)
    assert found[0].cause == "kubelet_claim_access_denied"
    assert found[0].value("claim") == "external-claim"


def test_a_claim_the_apiserver_does_not_serve_stays_the_api():
    line = ("failed to fetch ResourceClaim c1 referenced by pod p1: the server could not find "
            "the requested resource")
    assert classify(line)[0].cause == "dra_api_missing"
