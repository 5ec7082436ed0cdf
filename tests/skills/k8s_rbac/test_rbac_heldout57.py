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
