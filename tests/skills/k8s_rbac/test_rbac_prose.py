"""The user's own sentence that a binding names another subject, when no RBAC object is pasted
(the raw pastes of GoogleCloudPlatform/gke-autoneg-controller#64 and argoproj/argo-rollouts#281;
the thread resolutions: the bindings had to name the ServiceAccount that runs)."""
from __future__ import annotations

import pytest

from _rbac.prose import _says_mismatch

DENIED = ('E0727 18:09:24.847396       1 reflector.go:126] Failed to list *v1.Service: services is '
          'forbidden: User "system:serviceaccount:autoneg-system:autoneg" cannot list resource '
          '"services" in API group "" at the cluster scope\n')


@pytest.mark.parametrize("sentence", [
    "However, the rbac role bindings for the service account references, default, instead of "
    "autoneg used by the deployment.",
    "The `ClusterRoleBinding` needs to specify a namespace in which the ServiceAccount gets "
    "deployed, right now it's hardcoded to `argo-rollouts`.",
])
def test_sentences_that_say_the_binding_names_another_subject(sentence):
    assert _says_mismatch(sentence)


@pytest.mark.parametrize("sentence", [
    "I created a ClusterRoleBinding instead of a RoleBinding.",           # no subject named
    "I created a RoleBinding for the service account in my namespace.",   # no contrast
    "The service account is hardcoded in the deployment.",                # no binding
])
def test_sentences_that_do_not(sentence):
    assert not _says_mismatch(sentence)


def test_prose_explains_the_denial_as_an_inferred_mismatch(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The controller fails:\n\n```\n" + DENIED + "```\n\nThis occurs because "
                     "the deployment's service account is `autoneg`. However, the rbac role "
                     "bindings for the service account references `default` instead of autoneg "
                     "used by the deployment.\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code == 1
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("binding_subject_mismatch", "inferred")
    assert "rolebindings,clusterrolebindings" in top["confirm"]
    assert [f["cause"] for f in res.doc["findings"]][1:] == ["access_denied"]


def test_without_such_a_sentence_the_denial_is_a_missing_permission(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The controller fails with:\n" + DENIED)
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.causes[0] == "missing_permission"


# --- the grant is namespaced (held-out round 6: CiscoDevNet/appdynamics-charts#40,
# minio/operator#366, codeready-toolchain/host-operator#249; each resolved by a ClusterRole and
# a ClusterRoleBinding) -------------------------------------------------------------------------

from _rbac.prose import _says_namespaced_grant  # noqa: E402

CLUSTER_DENIED = ('E1125 05:58:51.544661       1 reflector.go:178] Failed to list *v1.Service: '
                  'services is forbidden: User "system:serviceaccount:ops:op" cannot list '
                  'resource "services" in API group "" at the cluster scope\n')


@pytest.mark.parametrize("sentence", [
    "Checking the resources created by the chart there were a Role and a RoleBinding, but no "
    "CR and CRB.",
    "The generated manifests use a `ClusterRoleBinding`, but the kind `RoleBinding` was typed "
    "by hand and doesn't match.",
    "Since the resource is cluster scoped we need to move the rule from role.yaml to "
    "cluster-role.yaml.",
    "The chart only creates a Role and RoleBinding, not a ClusterRole.",
])
def test_sentences_that_say_the_grant_is_namespaced(sentence):
    assert _says_namespaced_grant(sentence)


@pytest.mark.parametrize("sentence", [
    "I created a ClusterRoleBinding instead of a RoleBinding.",   # the cluster grant exists
    "The ClusterRole and the ClusterRoleBinding are both there.",  # no namespaced grant
    "The Role grants list on services.",                           # nothing cluster-wide
    "There is a Role and a ClusterRole for the operator.",         # no contrast
])
def test_sentences_that_do_not_say_it(sentence):
    assert not _says_namespaced_grant(sentence)


def test_cluster_scope_denial_with_such_a_sentence(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The operator logs:\n`" + CLUSTER_DENIED.strip() + "`\nThe chart created a "
                     "Role and a RoleBinding, but no ClusterRole and ClusterRoleBinding.\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("cluster_scope_needs_clusterrolebinding", "inferred")
    assert "--all-namespaces" in top["confirm"]


def test_a_namespaced_denial_is_not_read_as_a_scope_problem(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text(CLUSTER_DENIED.replace("at the cluster scope", 'in the namespace "ops"')
                     + "The chart created a Role and a RoleBinding, but no ClusterRole.\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.causes[0] == "missing_permission"


# --- a pasted role that allows the request, no binding (argoproj/argo-cd#1265) ---------------

ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: app-controller
rules:
- apiGroups: ['*']
  resources: ['*']
  verbs: ['*']
"""


def test_a_granting_role_without_binding_means_the_binding_names_someone_else(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text('replicasets.apps is forbidden: User "system:serviceaccount:fr:app-'
                     'controller" cannot list resource "replicasets" in API group "apps" at the '
                     "cluster scope\n\n```yaml\n" + ROLE + "```\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("binding_subject_mismatch", "inferred")
    assert "grep app-controller" in top["confirm"]


def test_a_role_that_does_not_grant_it_stays_a_missing_permission(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text('replicasets.apps is forbidden: User "system:serviceaccount:fr:app-'
                     'controller" cannot list resource "replicasets" in API group "apps" at the '
                     "cluster scope\n\n```yaml\n" + ROLE.replace("['*']\n  verbs", "['pods']\n"
                                                               "  verbs") + "```\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.causes[0] != "binding_subject_mismatch"


def test_a_sentence_a_terminal_hard_wrapped_is_read_whole():
    from _rbac.prose import _sentences
    sentence = ("After searching for the cause, it seems that when generating manifests the "
                "`ClusterRoleBinding` object is used, but the manually input kind `RoleBinding` "
                "doesn't match.")
    wrapped = [sentence[i:i + 80] for i in range(0, len(sentence), 80)]  # cut inside words
    assert not any(_says_namespaced_grant(line) for line in wrapped)
    assert any(_says_namespaced_grant(s) for s in _sentences(["\n".join(wrapped)]))


CLOUDSTATE = ('18:54:59.728 INFO  skuber.api - [Response: non-ok status returned - Status(v1,'
              'Status,ListMeta(,,None),Some(Failure),Some(namespaces is forbidden: User '
              '"system:serviceaccount:default:cloudstate-operator" cannot list resource '
              '"namespaces" in API group "" at the cluster scope),Some(Forbidden))\n')


@pytest.mark.parametrize("namespace, expected", [
    # cloudstateio/cloudstate#123: the operator ran in `default`, the ClusterRoleBinding's
    # subject was cloudstate/cloudstate-operator (a ClusterRoleBinding has no namespace: the
    # one the user sees on it is its subject's); the maintainer's fix: reinstall in
    # `cloudstate` or change the subject's namespace
    ("cloudstate", "binding_subject_mismatch"),
    # the same sentence naming the ServiceAccount's own namespace says no mismatch and no
    # namespaced grant: the API server's denial is what is left
    ("default", "missing_permission"),
])
def test_a_clusterrolebinding_said_scoped_to_a_namespace(script, tmp_path, namespace, expected):
    paste = tmp_path / "p.txt"
    paste.write_text("I just noticed, the cloudstate-operator is configured to watch all "
                     "namespaces, but the ClusterRoleBinding linked to the role containing the "
                     f"`namespaces: list` permission is scoped to the `{namespace}` namespace."
                     "\n\n```\n" + CLOUDSTATE + "```\n")
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code in (0, 1), res.err
    top = res.doc["findings"][0]
    assert top["cause"] == expected, top


def _audit(script, tmp_path, text: str) -> list[dict]:
    paste = tmp_path / "p.txt"
    paste.write_text(text)
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def test_a_workload_said_to_name_no_service_account(script, tmp_path):
    # doitintl/kubeip#35 (fixed by PR #36): the Deployment lacked serviceAccountName, so the
    # pod ran as default:default; the authorizer's reason stops before the report's heading
    found = _audit(script, tmp_path, 'Failed to list *v1.Pod: pods is forbidden: User '
                   '"system:serviceaccount:default:default" cannot list pods at the cluster '
                   'scope: Unknown user "system:serviceaccount:default:default"\n\n**To '
                   'Reproduce**\n1. Follow the deploy steps.\n\nAfter looking over the '
                   'deployment yaml it appeared it was missing the serviceAccountName: kubeip-sa '
                   'in the Deployment object.\n')
    assert (found[0]["cause"], found[0]["basis"]) == ("default_service_account_used",
                                                      "inferred"), found
    assert all("To Reproduce" not in e for f in found for e in f["evidence"])
    assert [f["cause"] for f in found].count("default_service_account_used") == 1


def test_a_role_said_to_be_in_another_namespace_than_the_request(script, tmp_path):
    # kubernetes-sigs/node-readiness-controller#473 (fixed by PR #476): the leader-election
    # Role/RoleBinding in the release namespace, the Lease in kube-system
    found = _audit(script, tmp_path, "However, the Role and RoleBinding giving access to "
                   "leases were created in the release namespace instead of `kube-system`.\n\n"
                   '```\ncoordination.k8s.io/leases is forbidden: User "system:serviceaccount:'
                   'nrc-system:nrc" cannot get resource "leases" in API group '
                   '"coordination.k8s.io" in the namespace "kube-system"\n```\n')
    assert (found[0]["cause"], found[0]["basis"]) == ("binding_wrong_namespace", "inferred")
    assert "binding_subject_mismatch" not in {f["cause"] for f in found}


def test_namespaced_rbac_said_for_a_cluster_scoped_request(script, tmp_path):
    # paperclipinc/openclaw-operator#529 (fixed by PR #531): watchNamespaces gave namespaced
    # Roles; the custom resource is cluster-scoped
    found = _audit(script, tmp_path, "With this configuration, the operator appears to use "
                   "namespaced RBAC, but OpenClawClusterDefaults is a cluster-scoped resource.\n\n"
                   "```\nfailed to list *v1alpha1.OpenClawClusterDefaults: openclawclusterdefaults."
                   'openclaw.rocks is forbidden: User "system:serviceaccount:openclaw:openclaw-'
                   'operator" cannot list resource "openclawclusterdefaults" in API group '
                   '"openclaw.rocks" at the cluster scope\n```\n')
    assert found[0]["cause"] == "cluster_scope_needs_clusterrolebinding", found


def test_a_wrapped_denial_copied_with_trailing_spaces(script, tmp_path):
    # kube-logging/logging-operator#815's log line cut at its terminal width ("... forbidden:
    # Use" / "r ..."), copied with every line padded by spaces
    found = _audit(script, tmp_path, "```   \nE0902 10:05:33 reflector.go:138] Failed to watch "
                   "*v1.PrometheusRule: prometheusrules.monitoring.coreos.com is forbidden: Use   "
                   "\nr \"system:serviceaccount:logging:logging-operator\" cannot list resource "
                   "\"prometheusrules\" in API group \"monitoring.coreos.com\" at the cluster "
                   "scope   \n```   \n")
    assert found and found[0]["cause"] == "missing_permission", found


# --- held-out round 15 ---------------------------------------------------------------------

@pytest.mark.parametrize("subject_namespace, expected", [
    # kubernetes-sigs/external-dns#643 (EKS, the 1.7-1.11 wording): the manifest's
    # ClusterRoleBinding subject was default/external-dns, the pod ran in argo-test; the
    # maintainer's fix, confirmed by the reporter: the subject's namespace
    ("default", "binding_subject_mismatch"),
    ("argo-test", "missing_permission"),  # the subject's namespace is the pod's: no mismatch
])
def test_a_clusterrolebinding_namespace_field_said_in_words(script, tmp_path,
                                                            subject_namespace, expected):
    found = _audit(script, tmp_path, "I get the following message from the external-dns pod:\n"
                   "```\nservices is forbidden: User \\\"system:serviceaccount:argo-test:"
                   "external-dns\\\" cannot list services at the cluster scope\n```\n\nThis "
                   "looks like some permissions issues.  I notice that the manifest only "
                   "declares a namespace for the ClusterRoleBinding (namespace: "
                   f"{subject_namespace}), but not the Deployment or ServiceAccount.\n")
    assert [f["cause"] for f in found if f["severity"] != "info"][:1] == [expected], found


def test_a_denial_copied_from_a_k9s_log_pane(script, tmp_path):
    # open-feature/open-feature-operator#645: the log pane's border (U+2502) at both sides of
    # each row, the message wrapped inside it; the authorizer's reason names the ClusterRole
    # the binding refers to, which a kustomize overlay had renamed (fix: PR #647)
    found = _audit(script, tmp_path, """With OFO version `0.5.6`, from the `manager` pod logs, I get:

```
failed to list *v1 │
│ .Deployment: deployments.apps is forbidden: User "system:serviceaccount:open-feature-operator-system:open-feature-operator-contro │
│ ller-manager" cannot list resource "deployments" in API group "apps" at the cluster scope: RBAC: clusterrole.rbac.authorization.k │
│ 8s.io "manager-role" not found
```
""")
    assert (found[0]["cause"], found[0]["basis"]) == ("role_not_found", "reported"), found
    assert found[0]["object"]["name"] == "open-feature-operator-controller-manager"


def test_pod_security_warnings_one_per_line_are_read_each(script, tmp_path):
    # OpenUnison/helm-charts#126: kubectl's klog warnings, one per container; each names the
    # restricted check it fails (pod-security-admission policy/check_capabilities_restricted.go)
    line = ('W1218 09:23:48.611675   15128 warnings.go:70] would violate PodSecurity '
            '"restricted:latest": unrestricted capabilities (container "{c}" must set '
            'securityContext.capabilities.drop=["ALL"])\n')
    found = _audit(script, tmp_path, "".join(line.replace("{c}", c) for c in ("a", "b")))
    assert [f["cause"] for f in found] == ["capabilities_not_dropped"], found


# --- held-out round 16 ---------------------------------------------------------------------

def test_owner_references_permission_enforcement(script, tmp_path):
    # apache/superset-kubernetes-operator#357 (OpenShift 4.20): the operator set
    # blockOwnerDeletion on a child's ownerReference without update on supersets/finalizers;
    # the admission plugin's wording: kubernetes v1.37.2 plugin/pkg/admission/gc/
    # gc_admission.go:149
    found = _audit(script, tmp_path, '{"level":"error","msg":"Reconciler error","error":'
                   '"reconciling ServiceAccount: serviceaccounts \\"superset\\" is forbidden: '
                   "cannot set blockOwnerDeletion if an ownerReference refers to a resource you "
                   "can't set finalizers on: , <nil>\"}\n")
    assert (found[0]["cause"], found[0]["basis"]) == ("missing_permission", "reported"), found
    assert "/finalizers" in found[0]["fix"]


def test_a_pod_security_warning_whose_detail_wraps_before_the_reports_words(script, tmp_path):
    # jordigilh/kubernaut#449: the warning's check detail on the next line, the report's own
    # sentence (with its own parentheses) after the fence
    paste = tmp_path / "p.txt"
    paste.write_text('```\nWarning: would violate PodSecurity "restricted:latest": runAsNonRoot '
                     '!= true\n(container "wait-for-postgres" must not set securityContext.'
                     'runAsNonRoot=false)\n```\n\nCurrently non-blocking (warning only), but '
                     'would block deployment.\n')
    res = script("check_pod_security.py", "-f", str(paste), "--json")
    assert res.code in (0, 1), res.err
    assert [f["cause"] for f in res.doc["findings"]][:1] == ["run_as_root"], res.doc


# --- held-out round 17 ---------------------------------------------------------------------

def _informer_denial(resource: str, group: str) -> str:
    return (f'E0723 12:57:51.764291       1 reflector.go:205] Failed to list *v1.X: {resource} is '
            f'forbidden: User "system:serviceaccount:pipeline-system:default" cannot list '
            f'resource "{resource}" in API group "{group}" at the cluster scope\n')


def test_default_service_account_denied_every_kind_a_controller_reads(script, tmp_path):
    # banzaicloud/pipeline#3043: traefik installed without rbac.enabled ran as the namespace's
    # default ServiceAccount and was denied each kind its informers list; the fix turned the
    # chart's RBAC (its own ServiceAccount) on
    text = "".join(_informer_denial(r, g) for r, g in
                   (("ingresses", "extensions"), ("endpoints", ""), ("services", "")))
    found = _audit(script, tmp_path, text)
    assert (found[0]["cause"], found[0]["basis"]) == ("default_service_account_used",
                                                      "inferred"), found


def test_default_service_account_denied_one_kind_is_a_missing_rule(script, tmp_path):
    # elcarro#33, oracle-db-operator#148: one kind denied, the fix was that rule
    found = _audit(script, tmp_path, _informer_denial("leases", "coordination.k8s.io"))
    assert found[0]["cause"] == "missing_permission", found


def test_a_chart_binding_naming_another_namespace_than_the_release(script, tmp_path):
    # opensearch-project/opensearch-k8s-operator#132: `helm template --namespace X` renders
    # the ServiceAccount into X and a ClusterRoleBinding subject into `default`
    text = ("`helm template op op/opensearch-operator --namespace opensearch-operator` puts "
            "the ServiceAccount in the given namespace:\n\n```yaml\n"
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n"
            "  name: manager-rolebinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n"
            "  kind: ClusterRole\n  name: manager-role\nsubjects:\n- kind: ServiceAccount\n"
            "  name: controller-manager\n  namespace: default\n```\n")
    found = _audit(script, tmp_path, text)
    assert [(f["cause"], f["basis"]) for f in found] == [("binding_subject_mismatch",
                                                          "inferred")], found
    same = _audit(script, tmp_path, text.replace("namespace: default", "namespace: "
                                                 "opensearch-operator"))
    assert not [f for f in same if f["cause"] == "binding_subject_mismatch"], same


REQUESTHEADER = ("W0609 19:23:32.331275       1 requestheader_controller.go:204] Unable to get "
                 "configmap/extension-apiserver-authentication in kube-system.  Usually fixed by "
                 "'kubectl create rolebinding -n kube-system ROLEBINDING_NAME "
                 "--role=extension-apiserver-authentication-reader "
                 "--serviceaccount=YOUR_NS:YOUR_SA'\n")


def test_the_aggregated_apiserver_warning_is_a_denied_get(script, tmp_path):
    # k8s.io/apiserver v0.37.2 headerrequest/requestheader_controller.go:204, printed on a
    # Forbidden get of the client-CA ConfigMap
    found = _audit(script, tmp_path, REQUESTHEADER)
    assert found[0]["cause"] == "missing_permission", found
    assert "kube-system" in found[0]["message"], found


def test_a_binding_templated_into_the_release_namespace(script, tmp_path):
    # kubernetes/cloud-provider-vsphere#1507: the RoleBinding to kube-system's
    # extension-apiserver-authentication-reader was rendered into {{ .Release.Namespace }}
    text = ("Currently, the namespace is templated using `{{ .Release.Namespace }}`. However, "
            "the role being bound here is one of the default roles included in Kubernetes in "
            "`kube-system` namespace.\n\n```\n" + REQUESTHEADER + "```\n")
    found = _audit(script, tmp_path, text)
    assert (found[0]["cause"], found[0]["basis"]) == ("binding_wrong_namespace", "inferred"), found


def test_the_helm_command_cut_by_a_console_is_read_whole(script, tmp_path):
    # the same report copied from an 80-column terminal (benchmarks/paste_variants.py wrap)
    text = ("`helm template opensearch-operator opensearch-operator/opensearch-operator --nam\n"
            "espace opensearch-operator` results in the Service Account and Operator deployme\n"
            "nts being launched in the given namespace.\n\n```yaml\n"
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n"
            "  name: manager-rolebinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n"
            "  kind: ClusterRole\n  name: manager-role\nsubjects:\n- kind: ServiceAccount\n"
            "  name: controller-manager\n  namespace: default\n```\n")
    assert len(text.splitlines()[0]) == 80
    found = _audit(script, tmp_path, text)
    assert [f["cause"] for f in found] == ["binding_subject_mismatch"], found


def test_a_chart_installed_with_rbac_values_yet_running_as_default(script, tmp_path):
    # linki/chaoskube (corpus case chaoskube-rbac-enabled-typo-default-sa): the chart's RBAC
    # values were set, yet the pod ran as the namespace's default ServiceAccount; the
    # maintainer: the chart reads rbac.create, the user had set rbac.enabled
    text = ("`chaoskube` with `rbac.create=true` cannot list pods at a cluster scope:\n\n```\n"
            'level=error msg="failed to terminate victim" err="pods is forbidden: User '
            '\\"system:serviceaccount:chaoskube:default\\" cannot list pods at the cluster '
            'scope"\n```\n')
    found = _audit(script, tmp_path, text)
    assert (found[0]["cause"], found[0]["basis"]) == ("default_service_account_used",
                                                      "inferred"), found
    plain = _audit(script, tmp_path, text.replace(" with `rbac.create=true`", ""))
    assert plain[0]["cause"] == "missing_permission", plain


# --- held-out round 18 ---------------------------------------------------------------------

def test_a_roleref_change_refused_on_upgrade(script, tmp_path):
    # keptn/keptn#3842: Helm's error prints the group-qualified kind; roleRef is immutable
    # (older apiservers: "cannot change roleRef"; v1.37.2 ValidateImmutableField "field is
    # immutable")
    for why in ("cannot change roleRef", "field is immutable"):
        found = _audit(script, tmp_path, 'Error: cannot patch "manage-secrets" with kind '
                       'RoleBinding: RoleBinding.rbac.authorization.k8s.io "manage-secrets" is '
                       'invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization'
                       f'.k8s.io", Kind:"Role", Name:"get-secrets"}}: {why}\n')
        assert found[0]["cause"] == "binding_invalid", found
        assert "delete the RoleBinding and create it again" in found[0]["fix"], found


def test_role_words_about_the_rbac_objects_being_created(script, tmp_path):
    # minishift/minishift#3089: "No error in role creation" while creating a ClusterRole is
    # about the object created, not about the identity's grant being a Role; the identity is
    # a login named just "system" (the maintainer: log in as admin): wrong_identity
    found = _audit(script, tmp_path, "### Expected\nNo error in role creation\n\n### Actual\n"
                   '```\nError from server (Forbidden): error when creating "STDIN": '
                   'clusterroles.rbac.authorization.k8s.io is forbidden: User "system" cannot '
                   "create clusterroles.rbac.authorization.k8s.io at the cluster scope: no RBAC "
                   "policy matched\n```\n")
    assert found[0]["cause"] == "wrong_identity", found


# --- held-out round 19 ---------------------------------------------------------------------

def test_a_403_that_names_no_identity(script, tmp_path):
    # coreos/etcd-operator#619 (1.5): client-go's generic 403 text with "(verb resource name)"
    # (apimachinery pkg/api/errors NewGenericServerResponse); the identity is the client's own
    found = _audit(script, tmp_path, "E0106 17:42:32.378922       5 leaderelection.go:252] "
                   "error retrieving endpoint: the server does not allow access to the requested "
                   "resource (get endpoints etcd-operator)\n")
    assert [(f["cause"], f["basis"]) for f in found] == [("missing_permission", "reported")]
    assert "does not name the identity" in found[0]["message"], found
    assert "at the cluster scope" not in found[0]["message"], found  # no scope was said
    assert 'resources: ["endpoints"], verbs: ["get"]' in found[0]["fix"], found


def test_a_clusterrolebinding_turned_rolebinding_then_denied_elsewhere(script, tmp_path):
    # integr8ly/installation#441: the RoleBinding grants only in its own namespace
    text = ("This mainly changes ClusterRoleBinding to RoleBinding, with additional change to "
            "enable sso backup pod to access resources in default namespace.\n\nOk, this isn't "
            "fully working.\n`Error from server (Forbidden): pods is forbidden: User \"system:"
            "serviceaccount:default:backupjob\" cannot list pods in the namespace \"3scale\": no "
            "RBAC policy matched`\n")
    found = _audit(script, tmp_path, text)
    assert (found[0]["cause"], found[0]["basis"]) == ("binding_wrong_namespace", "inferred")
    # denied in its own namespace, the same words say nothing about where the binding is
    same = _audit(script, tmp_path, text.replace('"3scale"', '"default"'))
    assert same[0]["cause"] == "missing_permission", same


def test_privileged_refused_by_an_apiserver_without_allow_privileged(script, tmp_path):
    # bitnami/bitnami-docker-elasticsearch#94 (microk8s 1.18): kubernetes v1.37.2
    # pkg/apis/core/validation ValidateSecurityContext "disallowed by cluster policy" when
    # kube-apiserver runs without --allow-privileged; the fix was the flag
    text = ('Error: Deployment.apps "elasticsearch-coordinating-only" is invalid: spec.template.'
            'spec.initContainers[0].securityContext.privileged: Forbidden: disallowed by cluster '
            'policy\n')
    for name in ("check_pod_security.py", "audit_rbac.py"):
        paste = tmp_path / "p.txt"
        paste.write_text(text)
        res = script(name, "-f", str(paste), "--json")
        found = res.doc["findings"]
        assert (found[0]["cause"], found[0]["object"]["kind"]) == (
            "privileged_container", "Deployment"), found
        assert "--allow-privileged" in found[0]["fix"], found


# --- held-out round 21 ---------------------------------------------------------------------

def test_a_forbidden_fragment_cut_before_the_user(script, tmp_path):
    # projectcalico/calico#6378: the paste keeps the request but not `User "..."`; the fix was
    # a ClusterRole rule for serviceaccounts/token (a chart bug the maintainer confirmed)
    found = _audit(script, tmp_path, "unable to install calico using the etcd manifest\n"
                   'error: cannot create resource "serviceaccounts/token" in API group "" in '
                   'the namespace "kube-system"\n')
    assert [(f["cause"], f["basis"]) for f in found] == [("missing_permission", "reported")]
    assert "does not name the identity" in found[0]["message"], found
    assert 'resources: ["serviceaccounts/token"], verbs: ["create"]' in found[0]["fix"], found


@pytest.mark.parametrize(("text", "cause"), [
    ('Error creating: pods "jenkins-" is forbidden: service account default/fabric8 was not '
     "found, retry after the service account is created\n", "service_account_not_found"),
    ('create Pod consul-0 in StatefulSet consul failed error: pods "consul-0" is forbidden: '
     "pod.Spec.SecurityContext.RunAsUser is forbidden\n", "security_context_denied"),
])
def test_older_admission_plugin_refusals(script, tmp_path, text, cause):
    # fabric8io/fabric8#6827; kubernetes v1.29.0 securitycontext/scdeny/admission.go
    found = _audit(script, tmp_path, text)
    assert [(f["cause"], f["basis"]) for f in found] == [(cause, "reported")], found


# --- held-out round 23 ---------------------------------------------------------------------

def test_a_service_account_refusal_cut_before_error_looking(script, tmp_path):
    # kubeflow/spark-operator#454: `grep service` kept only the tail of the ServiceAccount
    # plugin's refusal, wrapped in fabric8's "Forbidden!Configured service account ..."
    found = _audit(script, tmp_path, "      Message: Forbidden!Configured service account "
                   "doesn't have access. Service account\n      up service account default/"
                   'spark: serviceaccount \\"spark\\" not found.\\n\\tat\n')
    assert [(f["cause"], f["basis"]) for f in found] == [("service_account_not_found",
                                                          "reported")], found


# --- held-out round 24 ---------------------------------------------------------------------

def test_psp_with_no_usable_policy(script, tmp_path):
    # kubernetes/minikube#7314: the PSP plugin on and no policy installed (podsecuritypolicy/
    # admission.go computeSecurityContext, "no providers available to validate pod request")
    found = _audit(script, tmp_path, "E0330 04:09:55.404425       1 daemon_controller.go:957] "
                   'pods "kube-proxy-" is forbidden: no providers available to validate pod '
                   "request\n")
    assert [(f["cause"], f["basis"]) for f in found] == [("pod_security_policy_denied",
                                                          "reported")], found
    assert "grant `use`" in found[0]["fix"] and "no policy is usable" in found[0]["message"]


def test_one_psp_field_error_quoted_alone(script, tmp_path):
    # kubernetes/ingress-nginx#5244: the provider's ForbiddenReason without the list around
    # it (v1.24.0 pkg/security/podsecuritypolicy/provider.go)
    found = _audit(script, tmp_path, "We have cluster wide Pod Security Policy which restricts "
                   "allowPrivilegeEscalation:false. In this scenario, NGINX controller does not "
                   'start and says "**securityContext.allowPrivilegeEscalation: Invalid value: '
                   'true: Allowing privilege escalation for containers is not allowed**".\n')
    assert [f["cause"] for f in found] == ["pod_security_policy_denied"], found
