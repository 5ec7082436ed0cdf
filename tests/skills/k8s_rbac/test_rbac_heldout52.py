"""Held-out round 52 (audit_rbac.py): a chart that renders the ServiceAccount from one value
and the binding's subject from another (newrelic/helm-charts#102: serviceAccount.name set,
the ClusterRoleBinding still naming the release's default account)."""
from __future__ import annotations

from .test_rbac_prose import _audit

RENDERED = """---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    [...]
  name: my-account
  namespace: default
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: rel-nri-kube-events
rules:
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: rel-nri-kube-events
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rel-nri-kube-events}
subjects:
- kind: ServiceAccount
  name: {subject}
  namespace: default
"""


def test_a_binding_naming_an_absent_account_beside_an_unbound_one(script, tmp_path):
    first = _audit(script, tmp_path, RENDERED.replace("{subject}", "rel-nri-kube-events"))[0]
    assert first["cause"] == "binding_subject_mismatch", first
    assert "my-account" in first["message"]


def test_a_binding_of_the_account_that_exists_is_no_mismatch(script, tmp_path):
    found = _audit(script, tmp_path, RENDERED.replace("{subject}", "my-account"))
    assert all(f["cause"] not in ("binding_subject_mismatch", "stale_binding") for f in found)


def test_an_absent_account_with_no_other_beside_it_stays_stale(script, tmp_path):
    text = RENDERED.replace("{subject}", "rel-nri-kube-events").replace(
        "name: my-account", "name: rel-other")
    extra = ("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n"
             "  name: other\n  namespace: default\nroleRef: {apiGroup: rbac.authorization.k8s.io,"
             " kind: ClusterRole, name: rel-nri-kube-events}\nsubjects:\n- kind: ServiceAccount\n"
             "  name: rel-other\n  namespace: default\n")
    found = _audit(script, tmp_path, text + extra)
    assert [f["cause"] for f in found if f["cause"] in ("stale_binding",
                                                        "binding_subject_mismatch")] == \
        ["stale_binding"], found
