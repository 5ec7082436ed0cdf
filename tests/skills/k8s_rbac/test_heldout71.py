"""Held-out round 71 (audit_rbac.py): a chart's grant left in the release namespace, and a
question about a ClusterRoleBinding above a list across all namespaces.

1. Helm creates every rendered object that names no metadata.namespace in the release
   namespace (helm v3.22.0 pkg/kube/client.go:325-343: newBuilder's
   NamespaceParam(c.namespace()).DefaultNamespace(), c.namespace() being --namespace). A chart
   that places its ServiceAccount in N by a value but not its Role/RoleBinding leaves the
   grant in the release namespace M, where it grants nothing for N (a RoleBinding grants only
   in its own namespace): kyverno/kyverno#3389, chart 1.6.1's leader-election Role and
   RoleBinding, fixed by #3429 "add missing namespace to role and rolebinding" (it adds
   `namespace: {{ template "kyverno.namespace" . }}` to both). So: a ServiceAccount of N denied
   in N, and the paste installs the release into M != N -> binding_wrong_namespace, inferred,
   confirmed by `kubectl get rolebindings,roles -n M`. Silent when M is N.
2. A list/watch of a namespaced resource "at the cluster scope" is an informer on all
   namespaces; the authorizer visits RoleBindings only for a request in a namespace (kubernetes
   v1.37.2 pkg/registry/rbac/validation/rule.go:208 VisitRulesFor), so only a
   ClusterRoleBinding allows it. The corpus labels a bare one-line denial missing_permission
   (the rule may be missing from a ClusterRole); the user's question "Should we use a
   ClusterRoleBinding ?" (weaveworks/weave-gitops#1409 review, answered "With a
   clusterrolebinding it is working") makes it cluster_scope_needs_clusterrolebinding.
"""
from __future__ import annotations

from .test_rbac_prose import _audit

# kyverno/kyverno#3389 as the reporter gave it (kyverno 1.6.1's kyverno-pre container)
KYVERNO = (
    "After updating from 1.5 to 1.6.1 I get these error messages in the logs of the "
    "kyverno-pre container\n```\nE0314 16:58:59.738232       1 leaderelection.go:367] Failed "
    'to update lock: leases.coordination.k8s.io "kyvernopre" is forbidden: User '
    '"system:serviceaccount:kyverno:mynamespace-kyverno" cannot update resource "leases" in '
    'API group "coordination.k8s.io" in the namespace "kyverno"\n```\nI installed kyverno as '
    "a dependency in one of my helm charts, with the value kyverno.namespace set to "
    "'kyverno'.\nBut my helm chart itself is installed into mynamespace.\n")

# client-go's ConfigMap lock of the 1.1x years (leaderelection resourcelock), another account
CONFIGMAP_LOCK = (
    'E0101 10:00:00.000000       1 leaderelection.go:330] error retrieving resource lock '
    'monitoring/agent-lock: configmaps "agent-lock" is forbidden: User '
    '"system:serviceaccount:monitoring:agent" cannot get resource "configmaps" in API group "" '
    'in the namespace "monitoring"\n')


def _first(found: list[dict]) -> dict:
    return found[0]


def test_the_thread_paste_is_the_grant_in_the_release_namespace(script, tmp_path):
    found = _audit(script, tmp_path, KYVERNO)
    first = _first(found)
    assert first["cause"] == "binding_wrong_namespace"
    assert first["basis"] == "inferred"
    assert (first["object"]["namespace"], first["object"]["name"]) == \
        ("kyverno", "mynamespace-kyverno")
    assert first["confirm"] == "kubectl get rolebindings,roles -n mynamespace"
    assert "metadata.namespace: kyverno" in first["fix"]
    assert "missing_permission" not in [f["cause"] for f in found]


def test_a_helm_command_installing_into_another_namespace(script, tmp_path):
    text = ("helm upgrade --install agent ./charts/agent --namespace tools "
            "--set global.namespace=monitoring\n\nthe agent pod logs:\n" + CONFIGMAP_LOCK)
    first = _first(_audit(script, tmp_path, text))
    assert first["cause"] == "binding_wrong_namespace"
    assert first["confirm"] == "kubectl get rolebindings,roles -n tools"
    assert any("global.namespace=monitoring" in e for e in first["evidence"])


def test_words_naming_the_release_namespace_with_the_word_namespace(script, tmp_path):
    text = CONFIGMAP_LOCK + "\nThe chart is deployed in the `platform` namespace, as all our " \
        "releases are.\n"
    first = _first(_audit(script, tmp_path, text))
    assert first["cause"] == "binding_wrong_namespace"
    assert first["confirm"] == "kubectl get rolebindings,roles -n platform"


def test_silent_when_the_release_is_in_the_denied_namespace(script, tmp_path):
    # near miss: the grant did land where the request is; the rule itself is missing
    text = CONFIGMAP_LOCK + "\nMy helm chart is installed into monitoring.\n"
    found = _audit(script, tmp_path, text)
    assert found[0]["cause"] == "missing_permission"
    assert "binding_wrong_namespace" not in [f["cause"] for f in found]


def test_silent_when_the_words_name_no_namespace(script, tmp_path):
    # "installed into the cluster" / "installed it into production." say nothing of a namespace
    text = CONFIGMAP_LOCK + "\nI installed the helm chart into the cluster last week. We " \
        "deployed it to production.\n"
    found = _audit(script, tmp_path, text)
    assert found[0]["cause"] == "missing_permission"
    assert "binding_wrong_namespace" not in [f["cause"] for f in found]


def test_silent_without_a_chart_or_release_in_the_sentence(script, tmp_path):
    text = CONFIGMAP_LOCK + "\nThe agent is installed into tools.\n"
    found = _audit(script, tmp_path, text)
    assert "binding_wrong_namespace" not in [f["cause"] for f in found]


# weaveworks/weave-gitops#1409, the reviewer's comment as given (client-go v0.22.2 reflector)
WEAVE = (
    "Should we use a ClusterRoleBinding ? When installing the chart we have currently in the "
    "logs :\n```\nE0209 15:49:45.385748       1 reflector.go:138] pkg/mod/k8s.io/client-go@"
    "v0.22.2/tools/cache/reflector.go:167: Failed to watch *v1beta1.HelmRepository: failed to "
    "list *v1beta1.HelmRepository: helmrepositories.source.toolkit.fluxcd.io is forbidden: User "
    '"system:serviceaccount:flux-system:wego-app-service-account" cannot list resource '
    '"helmrepositories" in API group "source.toolkit.fluxcd.io" at the cluster scope\n```\n')

# client-go v0.32's structured "Unhandled Error" form (reflector.go:166), another resource
SECRETS_032 = (
    'E0416 17:00:42.386428       1 reflector.go:166] "Unhandled Error" err="pkg/mod/k8s.io/'
    'client-go@v0.32.1/tools/cache/reflector.go:251: Failed to watch *v1.Secret: failed to '
    'list *v1.Secret: secrets is forbidden: User \\"system:serviceaccount:ops:agent\\" cannot '
    'list resource \\"secrets\\" in API group \\"\\" at the cluster scope" '
    'logger="UnhandledError"\n')


def test_the_thread_paste_asks_for_a_clusterrolebinding(script, tmp_path):
    found = _audit(script, tmp_path, WEAVE)
    first = _first(found)
    assert first["cause"] == "cluster_scope_needs_clusterrolebinding"
    assert first["basis"] == "inferred"
    assert "--all-namespaces" in first["confirm"]


def test_another_wording_asks_for_a_clusterrole(script, tmp_path):
    text = SECRETS_032 + "\nThe agent only has a service account so far. Do we need a " \
        "ClusterRole for this?\n"
    first = _first(_audit(script, tmp_path, text))
    assert first["cause"] == "cluster_scope_needs_clusterrolebinding"
    assert (first["object"]["namespace"], first["object"]["name"]) == ("ops", "agent")


def test_a_bare_cluster_scope_denial_stays_missing_permission(script, tmp_path):
    # near miss: no words about the grant's scope (the corpus labels these missing_permission)
    found = _audit(script, tmp_path, SECRETS_032)
    assert found[0]["cause"] == "missing_permission"


def test_a_question_about_a_custom_resource_is_no_cluster_grant(script, tmp_path):
    # near miss: "CR" in a question is a custom resource, not a ClusterRole
    found = _audit(script, tmp_path, SECRETS_032 + "\nIs the CR applied correctly?\n")
    assert found[0]["cause"] == "missing_permission"


def test_a_question_beside_a_namespaced_denial_is_no_scope_finding(script, tmp_path):
    # near miss: the request is inside a namespace; a RoleBinding there would allow it
    found = _audit(script, tmp_path, CONFIGMAP_LOCK + "\nShould we use a ClusterRoleBinding?\n")
    assert "cluster_scope_needs_clusterrolebinding" not in [f["cause"] for f in found]
