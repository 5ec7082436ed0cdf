"""Held-out round 46 (audit_rbac.py): Helm 2's Tiller denied as kube-system's default
ServiceAccount. Ground truth: helm v2 (Tiller runs as the ServiceAccount `helm init
--service-account` names, else kube-system's default; its refusals reach the client as
"Error: release <name> failed: ..."); aws-samples/eks-workshop#55 (fixed by reinstalling Tiller
with its own ServiceAccount)."""
from __future__ import annotations

from .test_rbac_prose import _audit

TILLER = ('helm install stable/metrics-server --name metrics-server --namespace metrics\n\n'
          'Error: release metrics-server failed: namespaces "metrics" is forbidden: User '
          '"system:serviceaccount:kube-system:default" cannot get namespaces in the namespace '
          '"metrics"\n')
PLAIN = ('Error from server (Forbidden): namespaces "metrics" is forbidden: User '
         '"system:serviceaccount:kube-system:default" cannot get namespaces in the namespace '
         '"metrics"\n')


def test_tiller_without_its_own_service_account(script, tmp_path):
    first = _audit(script, tmp_path, TILLER)[0]
    assert first["cause"] == "default_service_account_used", first
    assert "--service-account tiller" in first["fix"]


def test_without_helm_one_kind_stays_a_missing_rule(script, tmp_path):
    assert _audit(script, tmp_path, PLAIN)[0]["cause"] == "missing_permission"
