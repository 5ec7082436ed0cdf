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


# Grant states a report says in words, each read as the refusal the component would have
# printed for it (references/rbac-denials.md): the authenticator's system:anonymous, a
# RoleBinding's namespace (RBAC docs: a RoleBinding grants only in its namespace), RBAC's
# escalation check ("attempting to grant RBAC permissions not currently held"), the
# ServiceAccount admission plugin ("error looking up service account"), the kubelet's
# nodes/proxy refusal of the API server's client, the Node authorizer (system:node:<name>).
@pytest.mark.parametrize("text, cause", [
    ("Requests to the API come in as system:anonymous, so every call is rejected with 403.",
     "anonymous_request"),
    ("The RoleBinding lives in namespace default but the pod runs in monitoring, so the "
     "ServiceAccount gets no permissions there.", "binding_wrong_namespace"),
    ('The RoleBinding\'s subject names ServiceAccount "argo" but the workflow pods run as '
     '"argo-workflow".', "binding_subject_mismatch"),
    ("Creating the RoleBinding fails because I'm trying to grant permissions I don't have "
     "myself.", "escalation_prevented"),
    ("The ServiceAccount referenced by the deployment doesn't exist in the namespace, so the "
     "pods are never created.", "service_account_not_found"),
    ("Running kubectl logs fails with Forbidden because the apiserver's client certificate is "
     "not allowed to access the kubelet API (nodes/proxy).", "kubelet_api_forbidden"),
    ("The node's kubelet client certificate has the wrong CN, so the Node authorizer rejects "
     "it.", "node_credential_mismatch"),
    ('The service account is missing the "watch" verb on configmaps in its Role.',
     "missing_permission"),
])
def test_a_grant_state_said_plainly(script, tmp_path, text, cause):
    top = _top(script, tmp_path, text + "\n")
    assert (top["cause"], top["basis"]) == (cause, "inferred"), top
    assert top["confirm"], top


def test_a_service_account_lacking_a_verb_is_not_a_missing_account(script, tmp_path):
    top = _top(script, tmp_path, 'The service account is missing the "watch" verb on '
               "configmaps in its Role.\n")
    assert "configmaps" in top["confirm"] and "services" not in top["confirm"], top


# A kubelet whose credentials name another node (or none): the Node authorizer's reason
# (kubernetes v1.37.2 plugin/pkg/auth/authorizer/node/node_authorizer.go authorizeLease: "can
# only access node lease with the same name as the requesting node"), a CN without a node name
# (one kubeconfig for every node, jetstack/tarmak#33), and the NodeRestriction admission
# plugin's refusals (plugin/pkg/admission/noderestriction/admission.go: "node %q is not allowed
# to modify node %q"). Not wrong_identity: that is an admin using a kubelet's kubeconfig.
@pytest.mark.parametrize("text", [
    'controller.go:136] failed to ensure node lease exists, will retry in 7s, error: '
    'leases.coordination.k8s.io "10.202.43.114" is forbidden: User "system:node:k8s-node-1" '
    'cannot get resource "leases" in API group "coordination.k8s.io" in the namespace '
    '"kube-node-lease": can only access node lease with the same name as the requesting node',
    'failed to ensure lease exists, will retry in 7s, error: leases.coordination.k8s.io '
    '"11.166.85.79" is forbidden: User "system:node" cannot get resource "leases" in API group '
    '"coordination.k8s.io" in the namespace "kube-node-lease"',
    'Unable to register node "k8s-node02" with API server: nodes "k8s-node02" is forbidden: '
    'node "ecs-b11c-0003.novalocal" is not allowed to modify node "k8s-node02"',
    'leases.coordination.k8s.io "node-b" is forbidden: can only access node lease with the '
    'same name as the requesting node',
])
def test_a_kubelet_refused_for_another_node_is_a_credential_mismatch(script, tmp_path, text):
    top = _top(script, tmp_path, text + "\n")
    assert (top["cause"], top["basis"]) == ("node_credential_mismatch", "reported"), top


def test_an_admin_with_a_kubelet_kubeconfig_is_the_wrong_identity(script, tmp_path):
    top = _top(script, tmp_path, 'Error from server (Forbidden): pods is forbidden: User '
               '"system:node:master-1" cannot list resource "pods" in API group "" at the '
               'cluster scope\n')
    assert top["cause"] == "wrong_identity", top


# A Pod Security refusal told in words: each control the sentence names is the check Pod
# Security admission fails for it (kubernetes v1.37.2 staging/src/k8s.io/pod-security-admission
# policy/check_hostNamespaces.go, check_hostPathVolumes.go, check_privileged.go,
# check_runAsNonRoot.go, check_seccompProfile_restricted.go).
@pytest.mark.parametrize("text, causes", [
    ("The namespace enforces the restricted Pod Security Standard, so the node-exporter "
     "DaemonSet pods are rejected because they use hostNetwork and hostPath volumes.",
     ["host_namespaces", "host_path_volume"]),
    ("Pod Security admission (baseline) blocks the device plugin because it runs privileged.",
     ["privileged_container"]),
    ("The pods fail to start in the restricted namespace since they run as root and have no "
     "seccomp profile.", ["run_as_root", "seccomp_missing"]),
])
def test_a_pod_security_refusal_said_plainly(script, tmp_path, text, causes):
    paste = tmp_path / "p.txt"
    paste.write_text(text + "\n")
    res = script("check_pod_security.py", "-f", str(paste), "--json")
    assert res.code == 1, res.err
    found = res.doc["findings"]
    assert [f["cause"] for f in found] == causes, found
    assert {f["basis"] for f in found} == {"inferred"}


def test_a_report_without_pod_security_words_is_not_evaluated(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("My pods are not starting in the new namespace, any idea what is wrong?\n")
    res = script("check_pod_security.py", "-f", str(paste), "--json")
    assert res.code == 0, res.err
    assert [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"]


def test_a_service_account_of_another_namespace_is_pointed_out(script, tmp_path):
    # the apiserver's 403 names the ServiceAccount's namespace (system:serviceaccount:NS:NAME)
    # and the request's; nats-io/nats-operator#211: the chart installed into default while the
    # operator works in nats-io
    top = _top(script, tmp_path,
               'failed to list pods: pods is forbidden: User "system:serviceaccount:default:'
               'nats-operator" cannot list resource "pods" in API group "" in the namespace '
               '"nats-io"\n')
    assert top["cause"] == "missing_permission"
    assert any("lives in namespace default" in e for e in top["evidence"])
    assert "compare its subjects" in top["fix"]
