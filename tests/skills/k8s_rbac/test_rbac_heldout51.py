"""Held-out round 51 (audit_rbac.py): a ServiceAccount's grant checked with `--as <name>`,
which impersonates a User. Ground truth: kubectl's --as (a user name; a ServiceAccount is
system:serviceaccount:<namespace>:<name>, k8s.io/apiserver@v0.37.2 pkg/authentication/
serviceaccount/util.go) and aquasecurity/kubectl-who-can#26 (a RoleBinding to ServiceAccount
gotoams/alice; `kubectl auth can-i get pods -n gotoams --as alice` said no)."""
from __future__ import annotations

from .test_rbac_prose import _audit

BINDING = """---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: alice-pods, namespace: gotoams}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}}
subjects:
- {{kind: {kind}, name: alice{ns}}}
"""
ASKED = "$ kubectl auth can-i get pods --namespace gotoams --as alice\nno\n\n"


def test_a_service_accounts_grant_checked_as_a_user(script, tmp_path):
    first = _audit(script, tmp_path, ASKED + BINDING.format(kind="ServiceAccount",
                                                           ns=", namespace: gotoams"))[0]
    assert first["cause"] == "wrong_identity", first
    assert "--as system:serviceaccount:gotoams:alice" in first["fix"]


def test_a_user_bound_by_name_is_not_that(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path,
                                         ASKED + BINDING.format(kind="User", ns=""))]
    assert "wrong_identity" not in causes, causes
