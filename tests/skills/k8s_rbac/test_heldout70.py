"""Held-out round 70 (audit_rbac.py): a denial that names the Role allowing it, beside a
RoleBinding of that Role in another namespace.

An aggregated API server's requestheader warning does not print its user; it prints the Role
whose binding in the ConfigMap's namespace allows the get:
  1.14+: `Unable to get configmap/%s in %s.  Usually fixed by 'kubectl create rolebinding -n %s
         ROLEBINDING_NAME --role=%s --serviceaccount=YOUR_NS:YOUR_SA'` (k8s.io/apiserver v0.37.2
         pkg/authentication/request/headerrequest/requestheader_controller.go:204; :193 at
         kubernetes-1.19.0)
  1.9-1.13: the same with `ROLE_NAME` (k8s.io/apiserver kubernetes-1.12.0
         pkg/server/options/authentication.go:247)
That Role, extension-apiserver-authentication-reader, is bootstrapped in kube-system (kubernetes
v1.37.2 plugin/pkg/auth/authorizer/rbac/bootstrappolicy/namespace_policy.go:75-77) and a
RoleBinding grants only in its own namespace (RBAC docs: "A RoleBinding grants permissions
within a specific namespace"). So a RoleBinding of it in another namespace grants nothing for
the refused get: binding_wrong_namespace, the fix being the binding in kube-system
(kedacore/keda#1682: the maintainer's "we should fix that for 2.2"; the same fix merged in
kubernetes/cloud-provider-vsphere#1507). A binding of it in kube-system, or a binding of
another Role elsewhere, must not give that cause.
"""
from __future__ import annotations

import json

from .test_rbac_prose import _audit

# the warning as kedacore/keda#1682 quotes it (KEDA 2.1.0's metrics apiserver, 1.19+ wording)
WARNING_119 = ("W0317 16:10:21.774104       1 requestheader_controller.go:193] Unable to get "
               "configmap/extension-apiserver-authentication in kube-system.  Usually fixed by "
               "'kubectl create rolebinding -n kube-system ROLEBINDING_NAME "
               "--role=extension-apiserver-authentication-reader "
               "--serviceaccount=YOUR_NS:YOUR_SA'\n")
# the 1.9-1.13 wording (authentication.go:247 at kubernetes-1.12.0), a glog line
WARNING_112 = ("W0923 04:05:47.537843       1 authentication.go:246] Unable to get "
               "configmap/extension-apiserver-authentication in kube-system.  Usually fixed by "
               "'kubectl create rolebinding -n kube-system ROLE_NAME "
               "--role=extension-apiserver-authentication-reader "
               "--serviceaccount=YOUR_NS:YOUR_SA'\n")


def _binding_yaml(namespace: str, role: str = "extension-apiserver-authentication-reader") -> str:
    # the shape of keda-2.1.0.yaml's keda-auth-reader, as the thread pasted it (no apiVersion)
    return ("kind: RoleBinding\nmetadata:\n  name: keda-auth-reader\n"
            f"  namespace: {namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n"
            f"  kind: Role\n  name: {role}\nsubjects:\n- kind: ServiceAccount\n"
            "  name: keda-operator\n  namespace: keda\n")


def test_the_thread_paste_is_the_binding_in_the_wrong_namespace(script, tmp_path):
    found = _audit(script, tmp_path, WARNING_119 + "\n" + _binding_yaml("keda"))
    first = found[0]
    assert first["cause"] == "binding_wrong_namespace"
    assert (first["object"]["kind"], first["object"]["namespace"], first["object"]["name"]) == \
        ("RoleBinding", "keda", "keda-auth-reader")
    assert "namespace kube-system" in first["fix"]
    assert first["basis"] == "inferred"
    # the confirm replays the get as the binding's subject, not as the placeholder
    assert "-n kube-system" in first["confirm"]
    assert "--as=system:serviceaccount:keda:keda-operator" in first["confirm"]
    assert "missing_permission" not in [f["cause"] for f in found]


def test_the_older_wording_and_a_json_binding_in_another_namespace(script, tmp_path):
    # another form: `kubectl get rolebinding -o json` of a metrics adapter installed into
    # its own namespace, under the 1.9-1.13 wording
    binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
               "metadata": {"name": "metrics-server-auth-reader", "namespace": "monitoring"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                           "name": "extension-apiserver-authentication-reader"},
               "subjects": [{"kind": "ServiceAccount", "name": "metrics-server",
                             "namespace": "monitoring"}]}
    found = _audit(script, tmp_path, WARNING_112 + json.dumps(binding, indent=2) + "\n")
    assert found[0]["cause"] == "binding_wrong_namespace"
    assert found[0]["object"]["namespace"] == "monitoring"
    assert "--as=system:serviceaccount:monitoring:metrics-server" in found[0]["confirm"]


def test_near_miss_the_same_binding_in_the_denied_namespace_stays_silent(script, tmp_path):
    found = _audit(script, tmp_path, WARNING_119 + "\n" + _binding_yaml("kube-system"))
    assert "binding_wrong_namespace" not in [f["cause"] for f in found]


def test_near_miss_a_binding_of_another_role_elsewhere_stays_silent(script, tmp_path):
    found = _audit(script, tmp_path, WARNING_119 + "\n" + _binding_yaml("keda", "keda-reader"))
    assert "binding_wrong_namespace" not in [f["cause"] for f in found]


def test_the_warning_alone_is_still_a_denied_get_in_kube_system(script, tmp_path):
    found = _audit(script, tmp_path, WARNING_112)
    assert found[0]["cause"] == "missing_permission"
    assert "configmaps" in found[0]["message"] and "kube-system" in found[0]["message"]


def test_the_apiservers_own_403_beside_the_warning_names_the_real_user(script, tmp_path):
    # kubernetes/kubernetes#68986: the 1.12 warning, then the 403 with the user printed
    # (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/responsewriters/errors.go)
    paste = tmp_path / "p.txt"
    paste.write_text(WARNING_112 + 'configmaps "extension-apiserver-authentication" is forbidden: '
                     'User "system:serviceaccount:kube-system:kube-controller-manager" cannot '
                     'get resource "configmaps" in API group "" in the namespace "kube-system"\n')
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert [d["user"] for d in res.doc["denials"]] == [
        "system:serviceaccount:kube-system:kube-controller-manager"]
