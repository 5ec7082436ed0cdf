"""Held-out round 59 (audit_rbac.py): an operator set to watch another namespace than the one
it is installed into, denied there (hashicorp/terraform-helm#32, fixed by #33: the chart's
Role and RoleBinding stayed in the release namespace while `syncWorkspace.k8WatchNamespace`
pointed the operator at `dev`; operator-sdk's WATCH_NAMESPACE is the same setting)."""
from __future__ import annotations

import pytest

from .test_rbac_prose import _audit

DENIED = ('E0616 16:19:10.725113 1 reflector.go:178] Failed to list *v1alpha1.Workspace: '
          'workspaces.app.terraform.io is forbidden: User "system:serviceaccount:terraform-'
          'operator:terraform-operator-terraform-sync-workspace" cannot list resource '
          '"workspaces" in API group "app.terraform.io" in the namespace "{ns}"\n')


@pytest.mark.parametrize("setting", [
    "syncWorkspace:\n  k8WatchNamespace: dev\n",
    "env:\n- name: WATCH_NAMESPACE\n  value: \"dev\"\n",
    "args: --watch-namespace dev\n",
    "watchNamespaces: [staging, dev]\n",
])
def test_denied_in_the_namespace_the_operator_watches(script, tmp_path, setting):
    first = _audit(script, tmp_path, setting + "\n" + DENIED.format(ns="dev"))[0]
    assert (first["cause"], first["basis"]) == ("binding_wrong_namespace", "inferred"), first
    assert "Role and RoleBinding in dev" in first["fix"]


def test_a_watch_setting_for_another_namespace_says_nothing(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path, "watchNamespace: prod\n\n"
                                         + DENIED.format(ns="dev"))]
    assert "binding_wrong_namespace" not in causes


def test_the_operator_own_namespace_watched_is_not_this(script, tmp_path):
    causes = [f["cause"] for f in _audit(script, tmp_path, "watchNamespace: terraform-operator"
                                         "\n\n" + DENIED.format(ns="terraform-operator"))]
    assert "binding_wrong_namespace" not in causes


def test_the_setting_read_from_a_pasted_deployment(script, tmp_path):
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: sync\n  namespace: "
                  "terraform-operator\nspec:\n  template:\n    spec:\n      containers:\n      - "
                  "name: op\n        image: op:1\n        env:\n        - name: WATCH_NAMESPACE\n"
                  "          value: dev\n---\n")
    first = _audit(script, tmp_path, deployment + DENIED.format(ns="dev"))[0]
    assert first["cause"] == "binding_wrong_namespace" and "env WATCH_NAMESPACE" in \
        first["evidence"][0]


def test_a_setting_value_does_not_run_into_the_next_line(script, tmp_path):
    # "dev" is on the line after an empty setting: no namespace is named
    causes = [f["cause"] for f in _audit(script, tmp_path, "watchNamespace:\ndev team notes\n\n"
                                         + DENIED.format(ns="dev"))]
    assert "binding_wrong_namespace" not in causes
