"""Held-out round 80 (audit_rbac.py): a RoleBinding created for a ServiceAccount of another
namespace than the pods that need it.

`kubectl create rolebinding NAME --clusterrole=R --serviceaccount=A:S` without -n lands in the
context's namespace, `default` when the context names none (kubectl v0.37.2 pkg/cmd/create/
create_rolebinding.go:132; client-go v0.37.2 tools/clientcmd/client_config.go:417-418), and
grants only there; a pod runs as an account of its own namespace, `default` unless its spec
names one (kubernetes v1.37.2 plugin/pkg/admission/serviceaccount/admission.go:157-162). So
with the workload run in the binding's namespace B, a binding naming A:S (A != B) binds the
wrong subject: argoproj/argo-workflows#1683, the demo's `--serviceaccount=argo:default`
binding in default while `argo submit` ran the workflow in default as default:default
(PR #1708 fixed the demo). The executor's error names no user: client-go prints "unknown"
for a 403 whose body is not text (client-go v0.37.2 rest/request.go:1345, apimachinery
v0.37.2 pkg/api/errors/errors.go:457-460), so `unknown (get pods)` is read as a 403.
"""
from __future__ import annotations

from _rbac.denials import parse

from .test_rbac_prose import _audit

# argoproj/argo-workflows#1683 as the reporter gave it (2019, argo v2.4 on minikube)
ARGO_1683 = (
    "I got `failed to save outputs: Failed to establish pod watch: unknown (get pods)` when "
    "running the hello-world workflow from the Getting Started page.\n\n"
    "minikube start\n"
    "kubectl create namespace argo\n"
    "kubectl apply -n argo -f https://raw.githubusercontent.com/argoproj/argo/stable/"
    "manifests/install.yaml\n"
    "kubectl create rolebinding default-admin --clusterrole=admin "
    "--serviceaccount=argo:default\n"
    "argo submit --watch https://raw.githubusercontent.com/argoproj/argo/master/examples/"
    "hello-world.yaml\n")


def _causes(found: list[dict]) -> list[str]:
    return [f["cause"] for f in found]


def test_the_thread_paste_binds_the_wrong_subject(script, tmp_path):
    found = _audit(script, tmp_path, ARGO_1683)
    first = found[0]
    assert first["cause"] == "binding_subject_mismatch"
    assert first["basis"] == "inferred"
    assert first["object"] == {"kind": "RoleBinding", "namespace": "default",
                               "name": "default-admin"}
    assert "--serviceaccount=default:default -n default" in first["fix"]
    assert first["confirm"] == ("kubectl auth can-i get pods -n default "
                                "--as=system:serviceaccount:default:default")
    # the near reading: the controller runs in argo (-n argo), the binding is not there
    assert "binding_wrong_namespace" in _causes(found)[:3]


def test_unknown_get_is_read_as_a_403_without_identity():
    denials = parse("failed to save outputs: Failed to establish pod watch: unknown (get pods)")
    assert [(d.kind, d.verb, d.resource, d.user, d.namespace) for d in denials] == \
        [("rbac", "get", "pods", "", "")]
    assert parse("status unknown (see pods list)") == []


def test_a_named_identity_and_explicit_namespaces(script, tmp_path):
    # the same mix-up as the RBAC authorizer words it (1.11+) when the client reads the body,
    # with -n on both commands and the pods' account named on the workload command
    text = (
        "$ kubectl create rolebinding builder-edit --clusterrole=edit "
        "--serviceaccount=ci:builder -n jobs\n"
        "$ kubectl run probe --image=busybox -n jobs\n"
        'Error from server (Forbidden): pods is forbidden: User '
        '"system:serviceaccount:jobs:default" cannot list resource "pods" in API group "" '
        'in the namespace "jobs"\n')
    found = _audit(script, tmp_path, text)
    assert found[0]["cause"] == "binding_subject_mismatch"
    assert found[0]["object"]["namespace"] == "jobs"
    assert "--serviceaccount=jobs:default -n jobs" in found[0]["fix"]
    assert "binding_wrong_namespace" not in _causes(found)  # nothing runs in ci


def test_the_pre_1_6_wording_of_the_same_403(script, tmp_path):
    text = ARGO_1683.replace("unknown (get pods)",
                             "the server does not allow access to the requested resource "
                             "(get pods)")
    assert _audit(script, tmp_path, text)[0]["cause"] == "binding_subject_mismatch"


def test_silent_when_the_subject_is_in_the_binding_namespace(script, tmp_path):
    text = ARGO_1683.replace("--serviceaccount=argo:default", "--serviceaccount=default:default")
    assert "binding_subject_mismatch" not in _causes(_audit(script, tmp_path, text))


def test_silent_when_no_pods_run_in_the_binding_namespace(script, tmp_path):
    # a cross-namespace grant on purpose: the account of `ci` reads `jobs`; only ci runs pods
    text = (
        "kubectl create rolebinding builder-view --clusterrole=view "
        "--serviceaccount=ci:builder -n jobs\n"
        "kubectl apply -n ci -f builder.yaml\n"
        "Failed to list pods: unknown (get pods)\n")
    causes = _causes(_audit(script, tmp_path, text))
    assert "binding_subject_mismatch" not in causes
    assert "binding_wrong_namespace" not in causes


def test_silent_when_the_subject_itself_is_denied(script, tmp_path):
    text = ARGO_1683.replace(
        "unknown (get pods)", 'pods is forbidden: User "system:serviceaccount:argo:default" '
        'cannot watch resource "pods" in API group "" in the namespace "default"')
    assert "binding_subject_mismatch" not in _causes(_audit(script, tmp_path, text))


def test_a_placeholder_in_a_hint_is_no_binding():
    # the apiserver's requestheader hint quotes a command with YOUR_NS:YOUR_SA (k8s.io/apiserver
    # v0.37.2 pkg/authentication/request/headerrequest/requestheader_controller.go:204)
    from _rbac.created_binding import created_bindings
    hint = ("Unable to get configmap/extension-apiserver-authentication in kube-system.  Usually "
            "fixed by 'kubectl create rolebinding -n kube-system ROLEBINDING_NAME "
            "--role=extension-apiserver-authentication-reader "
            "--serviceaccount=YOUR_NS:YOUR_SA'")
    assert created_bindings([hint]) == []
    assert [(b.name, b.namespace, b.subject) for b in created_bindings(
        ["kubectl create rolebinding default-admin --clusterrole=admin "
         "--serviceaccount=argo:default"])] == [("default-admin", "default", ("argo", "default"))]
