"""Held-out round 90 (audit_rbac.py): a binding subject left in kubebuilder's placeholder
namespace `system`.

Kubebuilder's scaffold writes config/rbac/role_binding.yaml with the subject `kind:
ServiceAccount, name: controller-manager, namespace: system` (go/v2 scaffolds: `default`),
and config/default/kustomization.yaml rewrites it (`namespace: <project>-system`,
`namePrefix: <project>-`): kubernetes-sigs/kubebuilder v4.15.0-256-g5c400728
pkg/plugins/common/kustomize/v2/scaffolds/internal/templates/config/rbac/
cluster_role_binding.go, kdefault/kustomization.go:48,55; v3.15 testdata/project-v2/config/
rbac/role_binding.yaml. redhat-cop/resource-locker-operator#61: the Helm chart kept it, so the
operator's ServiceAccount in the release namespace was not bound.
"""
from __future__ import annotations

from .test_rbac_prose import _audit

# the issue's fragment, as the held-out paste gives it
FRAGMENT = """subjects:
- kind: ServiceAccount
  name: controller-manager
  namespace: system
"""

# the whole go/v2 scaffold binding applied as is (kubectl apply -f config/rbac), JSON
V2_BINDING = """{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
 "metadata": {"name": "manager-rolebinding"},
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "manager-role"},
 "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "system"}]}
"""

# near-miss: the rendered binding (kustomize applied the namespace and the prefix)
RENDERED = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: resource-locker-operator-manager-rolebinding
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: resource-locker-operator-manager-role
subjects:
- kind: ServiceAccount
  name: resource-locker-operator-controller-manager
  namespace: resource-locker-operator
"""

# near-miss: a namespace `system` that exists in the dump makes the subject real
REAL_SYSTEM = V2_BINDING + """---
apiVersion: v1
kind: Namespace
metadata:
  name: system
"""


def _loud(found: list[dict]) -> list[str]:
    return [f["cause"] for f in found if f["severity"] != "info"]


def test_the_fragment_is_the_unrendered_placeholder(script, tmp_path):
    found = _audit(script, tmp_path, FRAGMENT)
    assert _loud(found)[0] == "binding_subject_mismatch", found
    assert found[0]["basis"] == "inferred" and found[0]["confirm"], found
    assert "system/controller-manager" in found[0]["message"]


def test_a_whole_v2_scaffold_binding_is_the_same(script, tmp_path):
    found = _audit(script, tmp_path, V2_BINDING)
    assert "binding_subject_mismatch" in _loud(found), found
    assert any("system/default" in f["message"] for f in found), found


def test_a_rendered_binding_is_silent(script, tmp_path):
    assert "binding_subject_mismatch" not in _loud(_audit(script, tmp_path, RENDERED))


def test_a_namespace_system_in_the_dump_is_silent(script, tmp_path):
    found = _audit(script, tmp_path, REAL_SYSTEM)
    assert not any("placeholder" in f["message"] for f in found), found
