"""Held-out round 53 (audit_rbac.py): a Kustomization's `namespace:` moves a chart's
leader-election RoleBinding out of kube-system (kustomize rewrites the namespace of every
namespaced resource it emits; cert-manager/cert-manager#5293, #1068: removing `namespace`
fixed it)."""
from __future__ import annotations

from .test_rbac_prose import _audit

KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: {ns}

helmCharts:
- name: cert-manager
  releaseName: cluster0

E0709 15:02:18.865017       1 leaderelection.go:330] error retrieving resource lock kube-system/cert-manager-cainjector-leader-election: leases.coordination.k8s.io "cert-manager-cainjector-leader-election" is forbidden: User "system:serviceaccount:cert-manager:cluster0-cert-manager-cainjector" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"
"""


def test_a_denial_outside_the_namespace_kustomize_forces(script, tmp_path):
    first = _audit(script, tmp_path, KUSTOMIZATION.format(ns="cert-manager"))[0]
    assert first["cause"] == "binding_wrong_namespace" and first["basis"] == "inferred"
    assert "leader-election-namespace" in first["fix"]


def test_a_kustomization_for_another_namespace_explains_nothing(script, tmp_path):
    first = _audit(script, tmp_path, KUSTOMIZATION.format(ns="monitoring"))[0]
    assert first["cause"] == "missing_permission", first
