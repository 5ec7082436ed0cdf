"""The user's own sentence that a binding names another subject, when no RBAC object is pasted
(the raw pastes of GoogleCloudPlatform/gke-autoneg-controller#64 and argoproj/argo-rollouts#281;
the thread resolutions: the bindings had to name the ServiceAccount that runs)."""
from __future__ import annotations

import pytest

from _rbac.prose import _says_mismatch

DENIED = ('E0727 18:09:24.847396       1 reflector.go:126] Failed to list *v1.Service: services is '
          'forbidden: User "system:serviceaccount:autoneg-system:autoneg" cannot list resource '
          '"services" in API group "" at the cluster scope\n')


@pytest.mark.parametrize("sentence", [
    "However, the rbac role bindings for the service account references, default, instead of "
    "autoneg used by the deployment.",
    "The `ClusterRoleBinding` needs to specify a namespace in which the ServiceAccount gets "
    "deployed, right now it's hardcoded to `argo-rollouts`.",
])
def test_sentences_that_say_the_binding_names_another_subject(sentence):
    assert _says_mismatch(sentence)


@pytest.mark.parametrize("sentence", [
    "I created a ClusterRoleBinding instead of a RoleBinding.",           # no subject named
    "I created a RoleBinding for the service account in my namespace.",   # no contrast
    "The service account is hardcoded in the deployment.",                # no binding
])
def test_sentences_that_do_not(sentence):
    assert not _says_mismatch(sentence)


def test_prose_explains_the_denial_as_an_inferred_mismatch(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The controller fails:\n\n```\n" + DENIED + "```\n\nThis occurs because "
                     "the deployment's service account is `autoneg`. However, the rbac role "
                     "bindings for the service account references `default` instead of autoneg "
                     "used by the deployment.\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code == 1
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("binding_subject_mismatch", "inferred")
    assert "rolebindings,clusterrolebindings" in top["confirm"]
    assert [f["cause"] for f in res.doc["findings"]][1:] == ["access_denied"]


def test_without_such_a_sentence_the_denial_is_a_missing_permission(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The controller fails with:\n" + DENIED)
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.causes[0] == "missing_permission"
