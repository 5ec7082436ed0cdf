"""A 401 (credentials not accepted) is not a 403, and a refusal told only in words is an
inferred finding. Expected values: k8s.io/kubectl v0.37.2 pkg/cmd/util/helpers.go ("error: You
must be logged in to the server (%s)"), apimachinery v0.37.2 pkg/api/errors/errors.go
NewUnauthorized ("the server has asked for the client to provide credentials"), apiserver
v0.37.2 pkg/endpoints/filters/authentication.go ("Unable to authenticate the request");
kubernetes-sigs/aws-iam-authenticator#92, #289 (EKS: an IAM identity the cluster does not map
gets the 401; mapping it fixed it); RBAC docs for the RoleBinding scope."""
from __future__ import annotations

import pytest


def _top(script, tmp_path, text: str) -> dict:
    paste = tmp_path / "p.txt"
    paste.write_text(text)
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code != 2, res.err
    assert res.doc["findings"], res.doc
    return res.doc["findings"][0]


@pytest.mark.parametrize("text", [
    # kubernetes-sigs/aws-iam-authenticator#92, as pasted
    "**TLDR;** Not sure what I'm missing here\n\n```\nerror: You must be logged in to the "
    "server (Unauthorized)\n```\n",
    "error: You must be logged in to the server (the server has asked for the client to "
    "provide credentials)\n",
    'E0312 10:01:02.123456 1 authentication.go:73] "Unable to authenticate the request" '
    'err="[invalid bearer token, service account token has been invalidated]"\n',
])
def test_a_401_is_unauthenticated_not_a_missing_permission(script, tmp_path, text):
    top = _top(script, tmp_path, text)
    assert (top["cause"], top["basis"]) == ("unauthenticated", "reported")
    assert "auth whoami" in top["confirm"]


@pytest.mark.parametrize("text, cause", [
    ("I created a Role and RoleBinding but the service account still gets forbidden when "
     "listing nodes.", "cluster_scope_needs_clusterrolebinding"),
    ("My service account cannot list pods in the kube-system namespace, I get forbidden.",
     "missing_permission"),
    ("The operator fails with 403 when it tries to create leases in coordination.k8s.io.",
     "missing_permission"),
])
def test_a_refusal_told_in_words_is_inferred(script, tmp_path, text, cause):
    top = _top(script, tmp_path, text + "\n")
    assert (top["cause"], top["basis"]) == (cause, "inferred")
    assert top["confirm"].startswith("kubectl auth can-i ")


def test_a_report_that_it_works_now_is_not_a_refusal(script, tmp_path):
    top = _top(script, tmp_path, "It was forbidden to list pods before, with the new "
                                 "ClusterRoleBinding it now works.\n")
    assert top["cause"] == "not_evaluated"
