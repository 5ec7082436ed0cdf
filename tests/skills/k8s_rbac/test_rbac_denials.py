"""Denials in every wording, and why they happened.

Messages are built exactly as upstream formats them (the function is named in each test);
RBAC matching follows kubernetes v1.37.2 pkg/registry/rbac/validation/rule.go appliesToUser and
pkg/apis/rbac/v1/evaluation_helpers.go.
"""
from __future__ import annotations

import pytest

from _rbac.denials import parse
from _rbac.explain import grants
from _rbac.why import explain

SA = "system:serviceaccount:ml:trainer"


def forbidden_1_11(user, verb, resource, group, namespace="", reason=""):
    """k8s.io/apiserver v0.37.2 responsewriters/errors.go forbiddenMessage +
    ForbiddenStatusError, wrapped by apimachinery NewForbidden."""
    where = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    qualified = resource.split("/")[0] + (f".{group}" if group else "")
    msg = (f'{qualified} is forbidden: User "{user}" cannot {verb} resource "{resource}" in '
           f'API group "{group}" {where}')
    return "Error from server (Forbidden): " + msg + (f": {reason}" if reason else "")


def forbidden_1_9(user, verb, resource, group, namespace=""):
    """kubernetes v1.9.0 staging apiserver responsewriters/errors.go forbiddenMessage."""
    base, _, sub = resource.partition("/")
    res = base + (f".{group}" if group else "") + (f"/{sub}" if sub else "")
    where = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    return f'Error from server (Forbidden): User "{user}" cannot {verb} {res} {where}'


@pytest.mark.parametrize("make", [forbidden_1_11, forbidden_1_9])
@pytest.mark.parametrize("resource, group, namespace", [
    ("pods", "", "ml"), ("pods/log", "", "ml"), ("deployments/scale", "apps", "ml"),
    ("nodes", "", ""), ("rollouts", "argoproj.io", ""),
])
def test_every_wording_gives_the_same_request(make, resource, group, namespace):
    (denial,) = parse(make(SA, "list", resource, group, namespace))
    assert (denial.user, denial.verb, denial.full_resource, denial.group, denial.namespace,
            denial.cluster_scope) == (SA, "list", resource, group, namespace, not namespace)


def test_reason_suffix_and_object_name():
    text = 'pods "p-1" is forbidden: ' + forbidden_1_11(
        SA, "get", "pods", "", "ml", 'RBAC: role.rbac.authorization.k8s.io "r" not found'
    ).split("is forbidden: ", 1)[1]
    (denial,) = parse(text)
    assert denial.name == "p-1" and denial.reason.startswith("RBAC: role.")
    assert [f["cause"] for f in explain(denial, [])] == ["role_not_found"]


def test_escaped_json_and_wrapped_lines_are_read():
    escaped = ('{"message":"pods is forbidden: User \\"' + SA + '\\" cannot list resource '
               '\\"pods\\" in API group \\"\\" in the namespace \\"ml\\"","code":403}')
    assert parse(escaped)[0].user == SA
    wrapped = forbidden_1_11(SA, "list", "pods", "", "ml").replace(" in API group", "\nin API group")
    assert parse(wrapped)[0].namespace == "ml"


def test_kubelet_escalation_psa_webhook_wordings():
    kubelet = "Forbidden (user=kube-apiserver, verb=get, resource=nodes, subresource=proxy)"
    assert parse(kubelet)[0].kind == "kubelet"
    # pkg/registry/rbac/validation/rule.go ConfirmNoEscalation (1.9+) and the 1.6-1.8 wording
    new = ('roles.rbac.authorization.k8s.io "r" is forbidden: user "u" (groups=["a" "b"]) is '
           'attempting to grant RBAC permissions not currently held:\n{APIGroups:[""]}')
    old = 'clusterroles.rbac.authorization.k8s.io "r" is forbidden: attempt to grant extra privileges: []'
    assert [parse(t)[0].kind for t in (new, old)] == ["escalation", "escalation"]
    assert parse(new)[0].groups == ["a", "b"]
    # pod-security-admission admission.go: "violates PodSecurity %q: %s" + ForbiddenDetail
    psa = ('pods "p" is forbidden: violates PodSecurity "baseline:v1.28": host namespaces '
           '(hostNetwork=true), hostPath volumes (volume "v")')
    (denial,) = parse(psa)
    assert denial.level == "baseline:v1.28"
    assert denial.checks == [("host namespaces", "hostNetwork=true"),
                             ("hostPath volumes", 'volume "v"')]
    assert explain(denial, [])[0]["cause"] == "host_namespaces"
    webhook = 'admission webhook "validation.gatekeeper.sh" denied the request: [x] no'
    assert explain(parse(webhook)[0], [])[0]["cause"] == "admission_webhook_denied"


@pytest.mark.parametrize("psp", [
    # v1.9.0 plugin/pkg/admission/security/podsecuritypolicy/admission.go (1.5-1.18)
    'pods "a-" is forbidden: unable to validate against any pod security policy: '
    "[spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed to be used]",
    # v1.19.0 same file (1.19-1.24); alphagov/govuk-helm-charts#394
    'pods "nginx-hostnetwork-deployment-76c46fdb6-" is forbidden: PodSecurityPolicy: unable to '
    "admit pod: [spec.securityContext.hostNetwork: Invalid value: true: Host network is not "
    "allowed to be used]",
])
def test_psp_refusal_in_both_wordings(psp):
    (denial,) = parse(psp)
    assert denial.kind == "psp"
    assert explain(denial, [])[0]["cause"] == "pod_security_policy_denied"


# --- RBAC semantics -------------------------------------------------------------------------

def rule(groups, resources, verbs, names=None):
    r = {"apiGroups": groups, "resources": resources, "verbs": verbs}
    if names:
        r["resourceNames"] = names
    return r


@pytest.mark.parametrize("r, expected", [
    (rule([""], ["pods/log"], ["get"]), True),
    (rule([""], ["pods"], ["get"]), False),          # subresources are separate
    (rule([""], ["pods/*"], ["get"]), False),        # ResourceMatches: "pods/*" is literal
    (rule([""], ["*/log"], ["get"]), True),          # "*/subresource" matches any resource
    (rule(["*"], ["*"], ["*"]), True),
    (rule(["apps"], ["pods/log"], ["get"]), False),  # APIGroupMatches
])
def test_rule_matching_like_the_authorizer(r, expected):
    (denial,) = parse(forbidden_1_11(SA, "get", "pods/log", "", "ml"))
    assert grants(r, denial) is expected


def test_resource_names_never_match_list():
    (denial,) = parse(forbidden_1_11(SA, "list", "secrets", "", "ml"))
    assert not grants(rule([""], ["secrets"], ["list"], ["one"]), denial)


def _objects(*docs):
    return list(docs)


ROLE = {"kind": "Role", "metadata": {"name": "r", "namespace": "ml"},
        "rules": [rule([""], ["pods"], ["get", "list"])]}


def _binding(kind="RoleBinding", ns="ml", subject=None):
    meta = {"name": "b", "namespace": ns} if kind == "RoleBinding" else {"name": "b"}
    return {"kind": kind, "metadata": meta, "roleRef": {"kind": "Role" if kind == "RoleBinding"
                                                        else "ClusterRole", "name": "r"},
            "subjects": [subject or {"kind": "ServiceAccount", "name": "trainer"}]}


def causes(text, *objects):
    (denial,) = parse(text)
    return [f["cause"] for f in explain(denial, list(objects))]


def test_sa_subject_without_namespace_means_the_bindings_namespace():
    # appliesToUser: saNamespace defaults to the binding's namespace -> RBAC allows this
    text = forbidden_1_11(SA, "list", "pods", "", "ml")
    assert causes(text, ROLE, _binding())[0] == "rbac_allows"


def test_missing_verb_subresource_and_group_are_named():
    found = explain(parse(forbidden_1_11(SA, "watch", "pods", "", "ml"))[0],
                    [ROLE, _binding()])
    assert found[0]["cause"] == "missing_permission" and "'watch'" in found[0]["message"]
    found = explain(parse(forbidden_1_11(SA, "get", "pods/log", "", "ml"))[0],
                    [ROLE, _binding()])
    assert "subresource" in found[0]["message"]


def test_binding_in_another_namespace_and_subject_mismatch():
    text = forbidden_1_11(SA, "list", "pods", "", "ml")
    other = dict(ROLE, metadata={"name": "r", "namespace": "dev"})
    elsewhere = _binding(ns="dev", subject={"kind": "ServiceAccount", "name": "trainer",
                                            "namespace": "ml"})
    assert causes(text, other, elsewhere)[0] == "binding_wrong_namespace"
    wrong_ns = _binding(subject={"kind": "ServiceAccount", "name": "trainer",
                                 "namespace": "team"})
    assert causes(text, ROLE, wrong_ns)[0] == "binding_subject_mismatch"
    default_sa = forbidden_1_11("system:serviceaccount:ml:default", "list", "pods", "", "ml")
    assert causes(default_sa, ROLE, _binding())[0] == "default_service_account_used"


def test_cluster_scope_needs_a_clusterrolebinding():
    text = forbidden_1_11(SA, "list", "pods", "", "")  # kubectl get pods -A
    assert causes(text, ROLE, _binding())[0] == "cluster_scope_needs_clusterrolebinding"


def test_without_rbac_objects_the_denial_itself_is_the_answer():
    found = explain(parse(forbidden_1_11(SA, "list", "pods", "", "ml"))[0], [])
    assert [(f["cause"], f["basis"]) for f in found] == [("missing_permission", "reported")]
    assert found[0]["confirm"] == f"kubectl auth can-i list pods -n ml --as={SA}"


def test_identities_named_by_the_message():
    anon = forbidden_1_11("system:anonymous", "get", "pods", "", "default")
    node = forbidden_1_11("system:node:n1", "get", "clusterroles", "rbac.authorization.k8s.io")
    assert causes(anon) == ["anonymous_request"] and causes(node) == ["wrong_identity"]


# --- the scripts, as a user runs them -------------------------------------------------------------

def test_audit_rbac_explains_a_pasted_error_first(script, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text("$ kubectl get pods -A\n" + forbidden_1_11(SA, "list", "pods", "", "")
                     + "\n---\n" + "\n".join([
                         "apiVersion: rbac.authorization.k8s.io/v1", "kind: Role",
                         "metadata: {name: r, namespace: ml}",
                         "rules: [{apiGroups: [''], resources: [pods], verbs: [list]}]", "---",
                         "apiVersion: rbac.authorization.k8s.io/v1", "kind: RoleBinding",
                         "metadata: {name: b, namespace: ml}",
                         "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}",
                         "subjects: [{kind: ServiceAccount, name: trainer, namespace: ml}]"]))
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code == 1, res.err
    assert res.causes[0] == "cluster_scope_needs_clusterrolebinding"
    assert res.doc["denials"][0]["user"] == SA


def test_audit_rbac_denied_flag_without_a_cluster_is_one_line(script, tmp_path):
    env = {"PATH": str(tmp_path)}  # no kubectl on PATH: live RBAC cannot be read
    res = script("audit_rbac.py", "--denied", forbidden_1_11(SA, "list", "pods", "", "ml"),
                 env=env)
    assert res.code == 2 and res.err.count("\n") == 1 and "kubectl" in res.err


def test_check_pod_security_reads_a_failedcreate_event(script, tmp_path):
    events = tmp_path / "events.txt"
    events.write_text(
        "LAST SEEN   TYPE      REASON         OBJECT             MESSAGE\n"
        "2m          Warning   FailedCreate   replicaset/web-1   Error creating: pods \"web-1-x\""
        " is forbidden: violates PodSecurity \"restricted:latest\": runAsNonRoot != true (pod or"
        " container \"web\" must set securityContext.runAsNonRoot=true)\n")
    res = script("check_pod_security.py", "-f", str(events), "--json")
    assert res.code == 1 and res.causes == ["run_as_root"]
    assert res.doc["findings"][0]["basis"] == "reported"


def test_a_pasted_can_i_no_is_a_denial(script, tmp_path):
    # kubectl v0.37.2 pkg/cmd/auth/cani.go prints "no" (or "no - <reason>") when denied
    paste = tmp_path / "p.txt"
    paste.write_text(f"$ kubectl auth can-i get pods --subresource=log --as={SA} -n ml\n"
                     "no - RBAC: role.rbac.authorization.k8s.io \"reader\" not found\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code == 1 and res.causes[0] == "role_not_found"
    assert res.doc["denials"][0]["subresource"] == "log"


def test_a_subject_whose_serviceaccount_lives_elsewhere_is_a_mismatch():
    # appliesToUser compares namespace and name: a ServiceAccount of that name in another
    # namespace never matches (kubeshop/botkube#102 is this shape).
    from _rbac.rules import audit
    sa = {"kind": "ServiceAccount", "metadata": {"name": "bot", "namespace": "default"}}
    crb = {"kind": "ClusterRoleBinding", "metadata": {"name": "b"},
           "roleRef": {"kind": "ClusterRole", "name": "r"},
           "subjects": [{"kind": "ServiceAccount", "name": "bot", "namespace": "bots"}]}
    causes_found = [f["cause"] for f in audit([sa, crb], service_accounts={("default", "bot")})]
    assert causes_found == ["binding_subject_mismatch"]


@pytest.mark.parametrize("make", [forbidden_1_11, forbidden_1_9])
def test_default_service_account_is_named_after_the_missing_rule(make):
    # kubewatch#95: "pods is forbidden: User system:serviceaccount:default:default cannot list
    # pods at the cluster scope"; the reporter's fix was serviceAccountName (the ServiceAccount
    # admission plugin gives a pod that names none its namespace's `default`)
    (denial,) = parse(make("system:serviceaccount:default:default", "list", "pods", ""))
    got = [(f["cause"], f["severity"], f["basis"]) for f in explain(denial, [])]
    assert got == [("missing_permission", "error", "reported"),
                   ("default_service_account_used", "warning", "inferred")]


def test_a_named_service_account_gets_no_default_warning():
    (denial,) = parse(forbidden_1_11(SA, "list", "pods", "", "ml"))
    assert "default_service_account_used" not in [f["cause"] for f in explain(denial, [])]
