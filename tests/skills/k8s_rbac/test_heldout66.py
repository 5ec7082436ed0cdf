"""Held-out round 66 (audit_rbac.py): one denial of a namespace's `default` ServiceAccount.

kubernetes-retired/dashboard#1926: the Dashboard (1.6) ran as kube-system's default
ServiceAccount, `User "system:serviceaccount:kube-system:default" cannot list
deployments.extensions in the namespace "default". (get deployments.extensions)` (the 1.6
wording, kubernetes#26909); the maintainer's answer was to deploy it with its own
ServiceAccount. coredns/helm#9 has the same shape (kube-system's default ServiceAccount, one
kind denied) and was fixed by adding the missing rule, since the chart binds its ClusterRole to
that account. So a single denial of a default ServiceAccount cannot tell the two apart; both
readings must be named, each with its check (which identity the pod runs as; the rule). A
ServiceAccount that is not `default` has no reading of "the pod runs as the default": only
the missing rule.
"""
from __future__ import annotations

from .test_rbac_prose import _audit

DASHBOARD = ('User "system:serviceaccount:kube-system:default" cannot list '
             'deployments.extensions in the namespace "default". (get deployments.extensions)\n')
# coredns/helm#9 (current wording, the chart's ClusterRole lacked the endpointslices rule)
COREDNS = ('E0225 12:38:35.403129 1 reflector.go:138] Failed to watch *v1beta1.EndpointSlice: '
           'failed to list *v1beta1.EndpointSlice: endpointslices.discovery.k8s.io is forbidden: '
           'User "system:serviceaccount:kube-system:default" cannot list resource '
           '"endpointslices" in API group "discovery.k8s.io" at the cluster scope\n')


def test_one_default_sa_denial_names_both_readings(script, tmp_path):
    for text in (DASHBOARD, COREDNS):
        found = {f["cause"]: f for f in _audit(script, tmp_path, text)}
        assert {"missing_permission", "default_service_account_used"} <= set(found), found
        sa = found["default_service_account_used"]
        assert sa["basis"] == "inferred" and "serviceAccountName" in sa["confirm"], sa


def test_a_named_service_account_is_only_a_missing_rule(script, tmp_path):
    text = DASHBOARD.replace("kube-system:default", "kube-system:kubernetes-dashboard")
    causes = [f["cause"] for f in _audit(script, tmp_path, text)]
    assert causes[:1] == ["missing_permission"]
    assert "default_service_account_used" not in causes
