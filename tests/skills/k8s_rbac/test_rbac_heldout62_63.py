"""Held-out rounds 62-63 (audit_rbac.py).

- An operator in its namespaced mode, set to watch another namespace, denied in its own one:
  the chart binds its rules in the watched namespace, so what the operator does at home (its
  leader-election lock) has no grant (chaos-mesh/chaos-mesh#2437: `clusterScoped=false
  controllerManager.targetNamespace=busybox`, configmaps `*` only in the ClusterRole bound in
  the target namespace, helm/chaos-mesh/templates/controller-manager-rbac.yaml:61,157 at
  a5589134; fixed by #2474, commit 2a0443f, which moved the rule to the release namespace's
  Role).
- `helm install` printing the API server's NotFound for the ClusterRole a ClusterRoleBinding
  names: the escalation check reads the role (kubernetes v1.37.2 pkg/registry/rbac/
  clusterrolebinding/policybased/storage.go:84) and helm prints the error as it came (helm
  v3.22.0 pkg/kube/client.go:634; cobra's `Error: `; `INSTALLATION FAILED: ` since 3.7,
  cmd/helm/install.go:158): dora-metrics/pelorus#170, fixed by #171 (the roleRef renamed).
- A cluster-scoped resource denied with no RBAC object in the paste (jupyterhub/binderhub#562):
  whether a Role or nothing granted it is not in the paste, so the denial stays the answer,
  and its fix says a Role can never grant such a resource (rule.go:208 VisitRulesFor visits
  RoleBindings only for a request in a namespace).
"""
from __future__ import annotations

import pytest

from .test_rbac_prose import _audit

CM_DENIED = ('leaderelection.go:329] error initially creating leader election record: '
             'configmaps is forbidden: User "system:serviceaccount:{sa_ns}:chaos-controller-'
             'manager" cannot create resource "configmaps" in API group "" in the namespace '
             '"{ns}"\n')


def _first(script, tmp_path, text: str) -> dict:
    return _audit(script, tmp_path, text)[0]


def test_chaos_mesh_leader_election_denied_at_home_while_targeting_another(script, tmp_path):
    # the paste (chaos-mesh/chaos-mesh#2437)
    text = ("install Chaos Mesh with `clusterScoped=false controllerManager.targetNamespace="
            "busybox `\n\n" + CM_DENIED.format(sa_ns="chaos-testing", ns="chaos-testing"))
    first = _first(script, tmp_path, text)
    assert (first["cause"], first["basis"]) == ("binding_wrong_namespace", "inferred"), first
    assert "RoleBinding in chaos-testing" in first["fix"]
    assert "busybox" in first["confirm"]


# controller-runtime's leader election takes its lock, a Lease by default, in the namespace
# the pod runs in unless told otherwise (controller-runtime v0.24.1 pkg/leaderelection/
# leader_election.go:75,86), while WATCH_NAMESPACE or a chart value points the operator
# elsewhere: the same split, other settings and another resource
LEASE_DENIED = ('E0301 10:00:00.000000 1 leaderelection.go:330] error retrieving resource lock '
                'shop-system/shop-operator-lock: leases.coordination.k8s.io "shop-operator-lock" '
                'is forbidden: User "system:serviceaccount:shop-system:shop-operator" cannot get '
                'resource "leases" in API group "coordination.k8s.io" in the namespace '
                '"shop-system"\n')


@pytest.mark.parametrize("setting", [
    "controllerManager:\n  targetNamespace: shop\n",
    "env:\n- name: WATCH_NAMESPACE\n  value: shop\n",
    "helm install op ./chart --set clusterScoped=false --set operator.watchNamespace=shop "
    "-n shop-system\n",
    "helm install op ./chart --set targetNamespaces={shop,shop-canary}\n",
])
def test_denied_in_its_own_namespace_while_watching_others(script, tmp_path, setting):
    first = _first(script, tmp_path, setting + "\n" + LEASE_DENIED)
    assert (first["cause"], first["basis"]) == ("binding_wrong_namespace", "inferred"), first
    assert "leases" in first["fix"] and "shop-system" in first["fix"]


def test_watching_its_own_namespace_too_says_nothing(script, tmp_path):
    # its own namespace is among the watched ones: the chart binds its rules there too, so a
    # denial there is a rule missing, not one bound elsewhere
    causes = [f["cause"] for f in _audit(
        script, tmp_path, "watchNamespaces: [shop, shop-system]\n\n" + LEASE_DENIED)]
    assert causes[0] == "missing_permission" and "binding_wrong_namespace" not in causes


def test_a_denial_in_a_third_namespace_says_nothing(script, tmp_path):
    text = "controllerManager:\n  targetNamespace: busybox\n\n" + CM_DENIED.format(
        sa_ns="chaos-testing", ns="default")
    causes = [f["cause"] for f in _audit(script, tmp_path, text)]
    assert "binding_wrong_namespace" not in causes


def test_no_setting_leaves_the_denial_the_answer(script, tmp_path):
    first = _first(script, tmp_path, CM_DENIED.format(sa_ns="chaos-testing", ns="chaos-testing"))
    assert first["cause"] == "missing_permission"


def test_a_target_namespace_denied_from_the_release_namespace(script, tmp_path):
    # the rule of round 59 (hashicorp/terraform-helm#32) read through the `targetNamespace`
    # word: the operator denied in the namespace it targets, its Role left at home
    first = _first(script, tmp_path, "install with `--set controllerManager.targetNamespace="
                   "busybox`\n\n" + CM_DENIED.format(sa_ns="chaos-testing", ns="busybox"))
    assert first["cause"] == "binding_wrong_namespace", first
    assert "Role and RoleBinding in busybox" in first["fix"]


def test_an_assigned_value_is_not_a_template(script, tmp_path):
    # `targetNamespace={{ .Release.Namespace }}` names no namespace
    text = ("--set controllerManager.targetNamespace={{ .Release.Namespace }}\n\n"
            + CM_DENIED.format(sa_ns="chaos-testing", ns="chaos-testing"))
    assert _first(script, tmp_path, text)["cause"] == "missing_permission"


# --- helm's NotFound for the role a binding names -------------------------------------------

def test_pelorus_helm_install_clusterrole_not_found(script, tmp_path):
    # the paste (dora-metrics/pelorus#170)
    first = _first(script, tmp_path, '$ helm install pelorus charts/pelorus\nError: clusterroles'
                   '.rbac.authorization.k8s.io "pelorus-exporter" not found\n')
    assert (first["cause"], first["basis"]) == ("role_not_found", "reported"), first
    assert (first["object"]["kind"], first["object"]["name"]) == \
        ("ClusterRole", "pelorus-exporter")


@pytest.mark.parametrize("line,kind", [
    # helm >= 3.7 (cmd/helm/install.go:158), a RoleBinding's Role (rolebinding storage.go:92)
    ('Error: INSTALLATION FAILED: roles.rbac.authorization.k8s.io "leader-election" not found',
     "Role"),
    # helm upgrade adding the binding (cmd/helm/upgrade.go:244)
    ('Error: UPGRADE FAILED: clusterroles.rbac.authorization.k8s.io "metrics-reader" not found',
     "ClusterRole"),
    # Tiller's wrapper (the form of hashicorp/consul-helm#199)
    ('Error: release quiet-owl failed: clusterroles.rbac.authorization.k8s.io "metrics-reader" '
     'not found', "ClusterRole"),
    # --atomic (pkg/action/install.go:519)
    ('Error: release shop failed, and has been uninstalled due to atomic being set: '
     'roles.rbac.authorization.k8s.io "shop-writer" not found', "Role"),
])
def test_helm_wrappers_of_the_binding_role_lookup(script, tmp_path, line, kind):
    first = _first(script, tmp_path, "$ helm upgrade --install shop ./chart\n" + line + "\n")
    assert first["cause"] == "role_not_found" and first["object"]["kind"] == kind, first


def test_helm_uninstall_of_a_role_already_gone_is_not_a_roleref(script, tmp_path):
    # helm v3.22.0 pkg/action/uninstall.go:164: the delete of a ClusterRole already gone
    paste = tmp_path / "p.txt"
    paste.write_text('$ helm uninstall shop\nError: uninstallation completed with 1 error(s): '
                     'clusterroles.rbac.authorization.k8s.io "shop-reader" not found\n')
    res = script("audit_rbac.py", "-f", str(paste), "--json")
    assert res.code in (0, 1), res.err
    assert "role_not_found" not in [f["cause"] for f in res.doc["findings"]]


# --- a cluster-scoped resource, no RBAC object in the paste ---------------------------------

NODES = ('HTTP response body: {"kind":"Status","apiVersion":"v1","metadata":{},"status":'
         '"Failure","message":"nodes \\"gke-staging-default-pool-80145d64-q25t\\" is forbidden: '
         'User \\"system:serviceaccount:staging:image-cleaner\\" cannot get nodes at the cluster '
         'scope: Unknown user \\"system:serviceaccount:staging:image-cleaner\\"","reason":'
         '"Forbidden","details":{"name":"gke-staging-default-pool-80145d64-q25t","kind":"nodes"},'
         '"code":403}\n')


def test_a_cluster_scoped_resource_fix_says_a_role_cannot_grant_it(script, tmp_path):
    # jupyterhub/binderhub#562: the paste cannot tell a Role's grant from none; the fix (#563:
    # ClusterRole and ClusterRoleBinding) is what either needs
    first = _first(script, tmp_path, NODES)
    assert first["cause"] == "missing_permission", first
    assert "ClusterRoleBinding" in first["fix"] and "nodes are cluster-scoped" in first["fix"]


def test_a_namespaced_resource_across_namespaces_is_not_called_cluster_scoped(script, tmp_path):
    first = _first(script, tmp_path, 'pods is forbidden: User "system:serviceaccount:mon:agent" '
                   'cannot list resource "pods" in API group "" at the cluster scope\n')
    assert first["cause"] == "missing_permission" and "cluster-scoped" not in first["fix"]
