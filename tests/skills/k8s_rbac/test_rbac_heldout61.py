"""Held-out round 61 (audit_rbac.py): a chart installed with its cluster RBAC off while its
program lists at the cluster scope (dask/dask-kubernetes#916: `--set rbac.cluster=false`, the
operator kept --all-namespaces because `kopOfArgs` was misspelt), and the kubelet's own informer
denied what every kubelet reads (kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/
bootstrappolicy/policy.go:220-227 NodeRules, used by the Node authorizer; kubernetes#52711:
since 1.8 the system:nodes group is no longer bound to system:node;
opsnull/follow-me-install-kubernetes-cluster#180: fixed by --authorization-mode=Node,RBAC)."""
from __future__ import annotations

import pytest

from .test_rbac_prose import _audit

CLUSTER_DENIAL = ('kopf._cogs.clients.errors.APIForbiddenError: services is forbidden: User '
                  '"system:serviceaccount:tst:dask-operator" cannot list resource "services" in '
                  'API group "" at the cluster scope\n')


@pytest.mark.parametrize("setting", [
    "helm install -n tst dask/dask-kubernetes-operator --set rbac.cluster=false\n",
    "rbac:\n  create: true\n  cluster: false\n",
])
def test_cluster_rbac_turned_off_beside_a_cluster_scope_denial(script, tmp_path, setting):
    first = _audit(script, tmp_path, setting + "\n" + CLUSTER_DENIAL)[0]
    assert (first["cause"], first["basis"]) == ("cluster_scope_needs_clusterrolebinding",
                                                "inferred"), first


def test_cluster_rbac_left_on_says_nothing_of_scope(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path, "helm install -n tst x --set "
                                         "rbac.cluster=true\n\n" + CLUSTER_DENIAL)]
    assert "cluster_scope_needs_clusterrolebinding" not in causes


INFORMER = ('E1102 10:01:02.000000 1 reflector.go:205] Failed to list *v1.Service: services is '
            'forbidden: User "system:node:10.0.0.4" cannot list services at the cluster scope\n')
KUBECTL = ('Error from server (Forbidden): services is forbidden: User "system:node:10.0.0.4" '
           'cannot list resource "services" in API group "" at the cluster scope\n')


def test_the_kubelet_informer_denied_its_own_reads(script, tmp_path):
    first = _audit(script, tmp_path, INFORMER)[0]
    assert first["cause"] == "missing_permission" and "Node,RBAC" in first["fix"], first


def test_a_person_using_the_kubelet_credentials_is_the_wrong_identity(script, tmp_path):
    assert _audit(script, tmp_path, KUBECTL)[0]["cause"] == "wrong_identity"
