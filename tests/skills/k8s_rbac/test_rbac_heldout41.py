"""Held-out round 41 (audit_rbac.py): a binding the API server refused on its subject, read
without the report's markdown after it, and a cluster-scope denial that names no user beside
the one RoleBinding that grants it. Ground truth: bitnami/charts#28539 (a ClusterRoleBinding
subject without its namespace: `subjects[0].namespace: Required value`, kubernetes
pkg/apis/rbac/validation ValidateRoleBindingSubject); kubernetes/kubernetes#39194 (1.5's
`User "" cannot list nodes at the cluster scope` under a Role and RoleBinding; the maintainer:
ClusterRoleBindings grant non-namespaced resources, PR #39195)."""
from __future__ import annotations

from .test_rbac_prose import _audit

REFUSED = """\
### What do you see instead?
```
Error: UPGRADE FAILED: failed to create resource: ClusterRoleBinding.rbac.authorization.k8s.io "argo-cd-applicationset-controller" is invalid: subjects[0].namespace: Required value
```
### Additional information
"""

UNNAMED = """\
```
kind: Role
apiVersion: rbac.authorization.k8s.io/v1alpha1
metadata:
  name: test
rules:
- apiGroups: ["*"]
  verbs: ["*"]
  resources: ["*"]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1alpha1
metadata:
  name: admin-resource-binding
subjects:
  - kind: Group
    name: test
roleRef:
  kind: Role
  name: test
```
```
# ./cluster/kubectl.sh --token=/test get no
Error from server (Forbidden): User "" cannot list nodes at the cluster scope.: "<nil>" (get nodes)
```
"""


def test_a_binding_refused_on_its_subject_is_invalid(script, tmp_path):
    found = _audit(script, tmp_path, REFUSED)
    assert found[0]["cause"] == "binding_invalid", found
    assert "Additional information" not in found[0]["message"] + " ".join(found[0]["evidence"])


def test_a_cluster_scope_denial_naming_no_user_beside_one_rolebinding(script, tmp_path):
    found = _audit(script, tmp_path, UNNAMED)
    assert found[0]["cause"] == "cluster_scope_needs_clusterrolebinding", found
    assert "the client asked for nodes" in found[0]["message"]
