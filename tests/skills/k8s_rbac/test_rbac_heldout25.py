"""Held-out round 25 (RBAC): GKE's 2017-2018 Forbidden, which quotes the RBAC authorizer's
reason after a period (`in the namespace "ns".: "role.rbac.authorization.k8s.io \\"x\\" not
found\\nRequired \\"container.pods.list\\" permission."`). Ground truth: jcbsmpsn/gke-rbac-
walkthrough#1 (the step shows a Role bound from another namespace: the role does not exist
there), kubernetes v1.9.0 plugin/pkg/auth/authorizer/rbac/rbac.go (the authorizer's reason
lists the errors its rule resolver met, role "x" not found among them)."""
from __future__ import annotations

import pytest

GKE_WALKTHROUGH = '''$ a-kubectl create rolebinding account2-pod-reader-binding \\
>     --role=pod-reader \\
>     --user=$account2 \\
>     --namespace=ns-2
rolebinding "account2-pod-reader-binding" created

$ 2-kubectl get pods --namespace=ns-2
Error from server (Forbidden): User "cluster-user-2@cluster-name.iam.gserviceaccount.com" cannot list pods in the namespace "ns-2".: "role.rbac.authorization.k8s.io \\"pod-reader\\" not found\\nRequired \\"container.pods.list\\" permission." (get pods)
'''


def test_a_missing_role_quoted_in_gkes_forbidden_is_role_not_found(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text(GKE_WALKTHROUGH)
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("role_not_found", "reported"), top
    assert "pod-reader" in top["message"], top



@pytest.mark.parametrize("text, cause", [
    ("The service account does not have permission to list pods in the cluster.",
     "missing_permission"),
    ("The RoleBinding points to a Role that does not exist.", "role_not_found"),
    ("The operator uses the default service account which has no permissions.",
     "default_service_account_used"),
    ("The ClusterRoleBinding binds the service account in the wrong namespace.",
     "binding_subject_mismatch"),
])
def test_a_grant_state_said_in_words(script, tmp_path, text, cause):
    paste = tmp_path / "p.txt"
    paste.write_text(text + "\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"], top["severity"]) == (cause, "inferred", "warning"), top


def test_a_binding_said_to_work_now_is_nothing(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The RoleBinding points to the right Role and now it works.\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert all(f["severity"] == "info" for f in res.doc["findings"]), res.doc
