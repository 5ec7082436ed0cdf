"""Held-out round 60 (audit_rbac.py): a cluster-scope request beside a namespaced Role that
would allow it (kubernetes/kubernetes#75970, fixed by #76014: `list namespaces` refused at
the cluster scope while the only grant was a Role bound in one namespace), and an operator
whose RoleBinding sits in its own namespace while it is set to watch another
(quarkiverse/quarkus-operator-sdk#447, fixed by #456)."""
from __future__ import annotations

from .test_rbac_prose import _audit

ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: myrole
  namespace: test
rules:
- apiGroups: [""]
  resources: ["{resource}"]
  verbs: [list, get, watch]
"""
CLUSTER_DENIAL = ('Error from server (Forbidden): namespaces is forbidden: User "system:'
                  'serviceaccount:jx:builder" cannot list resource "namespaces" in API group "" '
                  "at the cluster scope\n\n")


def test_a_role_cannot_grant_at_the_cluster_scope(script, tmp_path):
    first = _audit(script, tmp_path, CLUSTER_DENIAL + ROLE.format(resource="*"))[0]
    assert (first["cause"], first["basis"]) == ("cluster_scope_needs_clusterrolebinding",
                                                "inferred"), first
    assert "ClusterRoleBinding" in first["fix"]


def test_a_role_for_other_resources_says_nothing_of_scope(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path,
                                         CLUSTER_DENIAL + ROLE.format(resource="pods"))]
    assert "cluster_scope_needs_clusterrolebinding" not in causes


OPERATOR = """quarkus.kubernetes.namespace=ops
quarkus.operator-sdk.controllers."mycrcontroller".namespaces={watched}

apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reconciler-binding
  namespace: ops
roleRef:
  kind: ClusterRole
  apiGroup: rbac.authorization.k8s.io
  name: reconciler-cluster-role
subjects:
- kind: ServiceAccount
  name: my-operator
  namespace: ops
"""


def test_bound_only_outside_the_namespaces_it_watches(script, tmp_path):
    first = _audit(script, tmp_path, OPERATOR.format(watched="team-data"))[0]
    assert (first["cause"], first["severity"], first["basis"]) == (
        "binding_wrong_namespace", "warning", "inferred"), first
    assert "team-data" in first["fix"]


def test_bound_where_it_watches_is_fine(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path, OPERATOR.format(watched="ops"))]
    assert "binding_wrong_namespace" not in causes


def test_the_sdk_keywords_are_not_namespaces(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path,
                                         OPERATOR.format(watched="JOSDK_ALL_NAMESPACES"))]
    assert "binding_wrong_namespace" not in causes
