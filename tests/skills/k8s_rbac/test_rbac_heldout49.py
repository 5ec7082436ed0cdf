"""Held-out round 49 (audit_rbac.py): a ServiceAccount's name impersonated without the
`system:` prefix, and NodeRestriction's older wording. Ground truth: k8s.io/apiserver@v0.37.2
pkg/authentication/serviceaccount/util.go (ServiceAccountUsernamePrefix "system:serviceaccount:")
and rancher/fleet#372 (Fleet impersonated `serviceaccount:fleet-system:fleet-agent`; fixed by
PR #410); kubernetes plugin/pkg/admission/noderestriction/admission.go@v1.37.2 ("node %q is not
allowed to modify node %q") and slawekzachcial/kubernetes-the-hard-way-aws#4 (a 2018 kubelet:
"node \"worker-1\" cannot modify node \"ip-10-240-0-21\"", fixed by --hostname-override)."""
from __future__ import annotations

import pytest

from .test_rbac_prose import _audit

_DENIED = ('Error from server (Forbidden): secrets is forbidden: User "{user}" cannot list '
           'resource "secrets" in API group "" in the namespace "apps"\n')


def test_a_service_account_name_without_the_system_prefix_is_the_wrong_identity(script,
                                                                               tmp_path):
    first = _audit(script, tmp_path, _DENIED.format(user="serviceaccount:ci:deployer"))[0]
    assert first["cause"] == "wrong_identity", first
    assert "system:serviceaccount:ci:deployer" in first["fix"]


@pytest.mark.parametrize("user", ["system:serviceaccount:ci:deployer", "jane"])
def test_a_full_service_account_or_a_person_is_a_missing_rule(script, tmp_path, user):
    assert _audit(script, tmp_path, _DENIED.format(user=user))[0]["cause"] == \
        "missing_permission"


@pytest.mark.parametrize("verb", ["cannot modify node", "is not allowed to modify node"])
def test_node_restriction_in_both_wordings(script, tmp_path, verb):
    text = ('E0524 11:02:10.330172   19716 kubelet_node_status.go:106] Unable to register node '
            '"ip-10-0-0-21" with API server: nodes "ip-10-0-0-21" is forbidden: node "worker-1" '
            f'{verb} "ip-10-0-0-21"\n')
    first = _audit(script, tmp_path, text)[0]
    assert first["cause"] == "node_credential_mismatch", first
