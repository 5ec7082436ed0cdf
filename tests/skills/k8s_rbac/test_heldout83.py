"""Held-out round 83 (audit_rbac.py): a User subject written for another OIDC username prefix.

RBAC compares a User subject with the username byte for byte (kubernetes v1.37.2
pkg/registry/rbac/validation/rule.go:283-284). An OIDC username is `<prefix><claim>`
(k8s.io/apiserver v0.37.2 plugin/pkg/authenticator/token/oidc/oidc.go:1023-1025), the prefix
`<issuer URL>#` when --oidc-username-prefix is unset and the claim is not email, none for `-`
(kubernetes v1.37.2 pkg/kubeapiserver/options/authentication.go:529-541). int128/kubelogin#266:
with `--oidc-username-prefix=-` the user was plain `test`, the ClusterRoleBinding named the
`ISSUER_URL#sub` form; the reporter fixed it by binding the user name itself.
"""
from __future__ import annotations

import json

from _rbac.user_form import form_gap, oidc_flags

from .test_rbac_prose import _audit

# int128/kubelogin#266 as reported (2020-04): the error, the apiserver flags, the binding
KUBELOGIN_266 = """Error from server (Forbidden): pods is forbidden: User "test" cannot list \
resource "pods" in API group "" in the namespace "default"

- Api Manifest
```
    - --oidc-issuer-url=https://test1.example.com/auth/realms/kubernetes
    - --oidc-username-claim=preferred_username
    - --oidc-username-prefix=-
    - --oidc-groups-claim=groups
    - --oidc-client-id=kubernetes
```
- Cluster role binding

```yaml
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: oidc-cluster-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: User
  name: https://test1.example.com.com/auth/realms/kubernetes#23fd6g03-e03e-450e-8b5d-07b19007c443
```
"""


def _binding_json(subject: str, kind: str = "ClusterRoleBinding", namespace: str = "") -> str:
    meta = {"name": "people-view", **({"namespace": namespace} if namespace else {})}
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": [{
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "view"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                      "name": subject}]}]}, indent=2)


def test_the_thread_paste_is_a_subject_mismatch(script, tmp_path):
    found = _audit(script, tmp_path, KUBELOGIN_266)
    first = found[0]
    assert (first["cause"], first["basis"]) == ("binding_subject_mismatch", "inferred")
    assert first["object"]["name"] == "oidc-cluster-admin"
    assert any("--oidc-username-prefix=-" in e for e in first["evidence"])
    assert "auth whoami" in first["confirm"]
    assert "missing_permission" not in [f["cause"] for f in found]


def test_the_flags_are_read_from_the_manifest_lines():
    assert oidc_flags(KUBELOGIN_266.splitlines()) == {
        "issuer-url": "https://test1.example.com/auth/realms/kubernetes",
        "username-claim": "preferred_username", "username-prefix": "-"}


def test_an_explicit_prefix_in_the_subject_and_the_1_9_wording(script, tmp_path):
    # `kubectl get -o json` of the binding, the 1.7-1.11 Forbidden wording (no "resource")
    found = _audit(script, tmp_path, 'Error from server (Forbidden): pods is forbidden: User '
                   '"alice" cannot list pods in the namespace "default"\n'
                   + _binding_json("oidc:alice"))
    assert found[0]["cause"] == "binding_subject_mismatch"
    assert "'oidc:'" in found[0]["message"]


def test_a_prefixed_user_beside_a_plain_subject(script, tmp_path):
    # the other direction: the apiserver adds --oidc-username-prefix=oidc:, the binding lacks it
    found = _audit(script, tmp_path, 'Error from server (Forbidden): pods is forbidden: User '
                   '"oidc:alice" cannot list resource "pods" in API group "" in the namespace '
                   '"shop"\n' + _binding_json("alice", "RoleBinding", "shop"))
    assert found[0]["cause"] == "binding_subject_mismatch"


def test_issuer_form_of_the_same_claim_needs_no_flags():
    assert form_gap("https://idp.example/realms/k#alice", "alice")


def test_near_misses_stay_a_missing_permission(script, tmp_path):
    # an issuer#sub binding for someone, no OIDC flags pasted, a certificate user denied:
    # nothing says the binding was meant for this user
    denied = ('Error from server (Forbidden): nodes is forbidden: User "kubernetes-admin" '
              'cannot list resource "nodes" in API group "" at the cluster scope\n')
    found = _audit(script, tmp_path, denied + _binding_json(
        "https://idp.example/realms/k#0b1c2d3e-77aa"))
    assert found[0]["cause"] == "missing_permission"
    # another user whose name merely ends like the denied one
    found = _audit(script, tmp_path, denied.replace("kubernetes-admin", "alice")
                   + _binding_json("dev-alice"))
    assert found[0]["cause"] == "missing_permission"
    # a ServiceAccount is never an OIDC user, whatever flags are pasted
    sa = KUBELOGIN_266.replace('User "test"', 'User "system:serviceaccount:default:test"')
    assert _audit(script, tmp_path, sa)[0]["cause"] != "binding_subject_mismatch"


def test_the_subject_in_the_users_own_form_is_allowed(script, tmp_path):
    # the reporter's fix: bind the name the apiserver reports; the role (not pasted) may grant
    fixed = KUBELOGIN_266.replace(
        "https://test1.example.com.com/auth/realms/kubernetes#23fd6g03-e03e-450e-8b5d-"
        "07b19007c443", "test")
    causes = [f["cause"] for f in _audit(script, tmp_path, fixed)]
    assert "binding_subject_mismatch" not in causes
