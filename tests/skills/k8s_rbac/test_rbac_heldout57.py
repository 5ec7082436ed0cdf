"""Held-out round 57 (audit_rbac.py): manifests moved to another namespace by hand, the
denied ServiceAccount in that namespace: a binding's subjects[].namespace left behind
(jcmoraisjr/haproxy-ingress#249: the maintainer pointed at the ClusterRoleBinding's subject
namespace; the user found it still named the example's namespace)."""
from __future__ import annotations

from .test_rbac_prose import _audit

PASTE = """So I used the template in the instructions and changed the namespaces to match mine "{moved}".

no service with name dev/ingress-default-backend found: services "ingress-default-backend" is forbidden: User "system:serviceaccount:dev:ingress-controller" cannot get resource "services" in API group "" in the namespace "dev"
"""


def test_a_denied_account_in_the_namespace_the_manifests_were_moved_to(script, tmp_path):
    first = _audit(script, tmp_path, PASTE.format(moved="dev"))[0]
    assert first["cause"] == "binding_subject_mismatch" and first["basis"] == "inferred"
    assert "subjects[].namespace" in first["message"]


def test_a_move_to_another_namespace_says_nothing_of_this_account(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path, PASTE.format(moved="prod"))]
    assert "binding_subject_mismatch" not in causes


# kubernetes/kubernetes#9634 (2015; fixed by #9636 documenting --allow_privileged): the v0.x
# field error's lower-case type with the Go pointer value quoted
OLD_PRIVILEGED = ('The Pod "nfs-server" is invalid:spec.containers[0].securityContext.privileged: '
                  "spec.containers[0].securityContext.privileged: forbidden "
                  "'<*>(0xc20b3e0e0c)true'\n")


def test_the_2015_privileged_refusal(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text(OLD_PRIVILEGED)
    found = script("check_pod_security.py", "-f", str(paste), "--json").doc["findings"]
    assert found[0]["cause"] == "privileged_container"
    assert "--allow-privileged" in found[0]["fix"]


# an API server refusal pasted with a break before its `User ...` part (kit join_error_chains):
# the denial is read whole, its identity and verb with it
def test_a_refusal_broken_by_hand_before_its_user(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text('Error from server (Forbidden): pods "web-1" is forbidden:\n'
                     'User "system:serviceaccount:ci:runner" cannot get resource "pods" in API '
                     'group "" in the namespace "ci"\n')
    found = script("audit_rbac.py", "-f", str(paste), "--json").doc["findings"]
    assert found[0]["cause"] == "missing_permission"
    assert found[0]["object"]["name"] == "runner"
