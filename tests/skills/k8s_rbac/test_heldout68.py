"""Held-out round 68 (audit_rbac.py): four general rules, each with a near miss that must
stay silent.

1. The escalation check's list of the requester's own roles it could not resolve
   (`ruleResolutionErrors=[...]` 1.6-1.11, `; resolution errors: [...]` 1.9+; kubernetes
   v1.37.2 pkg/registry/rbac/validation/rule.go:82-83, the registry's plural NotFound from
   GetRoleReferenceRules rule.go:243,250) names a role a binding of the requester refers to
   and that does not exist: role_not_found naming it. Quoted alone (Azure/AKS#426) it comes
   first; inside the whole refusal (kubeapps/kubeapps#480) the refusal stays first.
2. Helm 2's Tiller keeps releases as ConfigMaps in kube-system (helm v2.17.0 cmd/tiller/
   tiller.go:82,142, pkg/tiller/environment/environment.go:42): kube-system's default
   ServiceAccount refused ConfigMaps there, printed as a helm command's `Error: `, is Tiller
   without its own ServiceAccount (helm/helm#2687, closed with the RBAC docs: `helm init
   --service-account tiller`). Helm 3 stores Secrets (helm v3.21.4 pkg/action/action.go:388).
3. A kubelet refused its own Node or Lease (the object named as the node in its user name)
   with no authorizer reason: the Node authorizer, which always allows that, is not running
   (blog.frognew.com 2021-05, fixed with --authorization-mode=Node,RBAC): missing_permission,
   not wrong_identity.
4. A chart given a custom ServiceAccount name, the name given being the one denied, while the
   user says the failure follows the custom name: a binding of the chart names the default
   (aws-controllers-k8s/iam-controller#88, fixed in code-generator#468).
"""
from __future__ import annotations

from .test_rbac_prose import _audit

# --- 1. resolution errors -------------------------------------------------------------------

# Azure/AKS#426, the tail of Tiller's refusal as the user pasted it
AKS_TAIL = ('I was performing the installation with RBAC enabled but it failed with the '
            'following error:\n```\nruleResolutionErrors=[clusterroles.rbac.authorization.k8s.io '
            '"cluster-admin" not found]\n```\n')
# the 1.9+ wording (rule.go:81-83 at v1.37.2), a Role of the requester missing
MODERN_REFUSAL = ('Error from server (Forbidden): error when creating "role.yaml": '
                  'roles.rbac.authorization.k8s.io "deployer" is forbidden: user '
                  '"system:serviceaccount:ci:builder" (groups=["system:serviceaccounts" '
                  '"system:authenticated"]) is attempting to grant RBAC permissions not '
                  'currently held:\n{APIGroups:["apps"], Resources:["deployments"], '
                  'Verbs:["patch"]}; resolution errors: [roles.rbac.authorization.k8s.io '
                  '"ci-writer" not found]\n')
# kubeapps/kubeapps#480 (1.6-1.11 wording, the requester printed as a Go struct)
OLD_REFUSAL = ('Error: release kubeapps failed: clusterroles.rbac.authorization.k8s.io '
               '"kubeapps-apprepository-controller" is forbidden: attempt to grant extra '
               'privileges: [PolicyRule{Resources:["cronjobs"], APIGroups:["batch"], '
               'Verbs:["get"]}] user=&{system:serviceaccount:kube-system:tiller '
               '171064b4-741d-11e8 [system:serviceaccounts system:authenticated] map[]} '
               'ownerrules=[] ruleResolutionErrors=[clusterroles.rbac.authorization.k8s.io '
               '"cluster-admin" not found]\n')


def test_the_resolution_errors_quoted_alone_name_the_missing_role_first(script, tmp_path):
    found = _audit(script, tmp_path, AKS_TAIL)
    assert [f["cause"] for f in found[:2]] == ["role_not_found", "escalation_prevented"]
    assert (found[0]["object"]["kind"], found[0]["object"]["name"]) == ("ClusterRole", "cluster-admin")
    # a default role missing: the API server creates those only with RBAC on
    # (kubernetes v1.37.2 pkg/controlplane/apiserver/config.go:241-242)
    assert "--authorization-mode includes RBAC" in found[0]["fix"]


def test_a_whole_modern_refusal_keeps_the_refusal_first_and_names_the_role(script, tmp_path):
    found = _audit(script, tmp_path, MODERN_REFUSAL)
    assert [f["cause"] for f in found[:2]] == ["escalation_prevented", "role_not_found"]
    role = found[1]
    assert (role["object"]["kind"], role["object"]["name"]) == ("Role", "ci-writer")
    assert "system:serviceaccount:ci:builder" in role["message"]
    assert "authorization-mode" not in role["fix"]  # not a default role


def test_the_old_refusal_names_its_requester_and_the_role(script, tmp_path):
    found = _audit(script, tmp_path, OLD_REFUSAL)
    assert found[0]["cause"] == "escalation_prevented"
    assert found[0]["object"]["name"] == "tiller"
    assert ("ClusterRole", "cluster-admin") in [
        (f["object"]["kind"], f["object"]["name"]) for f in found
        if f["cause"] == "role_not_found"]


def test_empty_resolution_errors_name_no_role(script, tmp_path):
    # kubeapps#480's second paste: `ruleResolutionErrors=[]`, nothing unresolved
    text = OLD_REFUSAL.replace('clusterroles.rbac.authorization.k8s.io "cluster-admin" not '
                               'found', "")
    causes = [f["cause"] for f in _audit(script, tmp_path, text)]
    assert causes[:1] == ["escalation_prevented"] and "role_not_found" not in causes


# --- 2. Tiller's release store -------------------------------------------------------------

# helm/helm#2687 (1.7 wording, a wrapper of helm 2). The kit's paste reader drops a prompted
# shell line that is not kubectl (`host$ helm-exec list`), so the user's words carry "helm".
HELM_2687 = ('I can list configmaps with kubectl. However, with helm, I get an error:\n'
             'ubuntu@host:/opt$ helm-exec list\nError: User '
             '"system:serviceaccount:kube-system:default" cannot list configmaps in the '
             'namespace "kube-system". (get configmaps)\n')
# the same refusal in the 1.12+ wording after a bare `helm install` line (rpsls#2's shape)
HELM_MODERN = ('helm install stable/redis --name cache\nError: configmaps is forbidden: User '
               '"system:serviceaccount:kube-system:default" cannot get resource "configmaps" '
               'in API group "" in the namespace "kube-system"\n')


def test_a_helm_command_refused_configmaps_in_kube_system_is_tiller(script, tmp_path):
    for text in (HELM_2687, HELM_MODERN):
        found = _audit(script, tmp_path, text)
        assert found[0]["cause"] == "default_service_account_used", found[0]
        assert "--service-account tiller" in found[0]["fix"]
        assert found[0]["basis"] == "inferred" and "tiller-deploy" in found[0]["confirm"]


def test_not_tiller_without_helm_with_helm_3_or_from_a_controller_log(script, tmp_path):
    no_helm = HELM_2687.replace("with helm", "with my script").replace("helm-exec list",
                                                                        "./sync.sh")
    helm3 = "With HELM_DRIVER=configmap set:\n" + HELM_MODERN
    helm3_version = 'version.BuildInfo{Version:"v3.2.4", GitCommit:"0ad800e"}\n' + HELM_MODERN
    # a controller's leader election in kube-system (klog line, not a CLI's `Error: `)
    controller = ('$ helm install autoscaler ./chart -n kube-system\n$ kubectl logs deploy/x\n'
                  'E0101 10:00:00.000000 1 leaderelection.go:330] error retrieving resource '
                  'lock kube-system/x: configmaps "x" is forbidden: User '
                  '"system:serviceaccount:kube-system:default" cannot get resource '
                  '"configmaps" in API group "" in the namespace "kube-system"\n')
    for text in (no_helm, helm3, helm3_version, controller):
        found = _audit(script, tmp_path, text)
        assert found[0]["cause"] == "missing_permission", (text, found[0])
        assert not any("tiller" in f.get("fix", "") for f in found)


# --- 3. a kubelet refused its own node objects ---------------------------------------------

# blog.frognew.com/2021/05/k8s-apiserver-authorization-mode-node.html (1.19)
KUBELET = ('I0524 kubelet.go:2209] node "node1" not found\n'
           'E0524 reflector.go:127] Failed to watch *v1.Node: failed to list *v1.Node: nodes '
           '"node1" is forbidden: User "system:node:node1" cannot list resource "nodes" in API '
           'group "" at the cluster scope\n'
           'E0524 kubelet_node_status.go:470] Error updating node status, will retry: error '
           'getting node "node1": nodes "node1" is forbidden: User "system:node:node1" cannot '
           'get resource "nodes" in API group "" at the cluster scope\n')
# the Lease in 1.14+ wording, another node name
LEASE = ('E1102 controller.go:144] failed to ensure node lease exists, will retry in 7s, '
         'error: leases.coordination.k8s.io "worker-2" is forbidden: User '
         '"system:node:worker-2" cannot get resource "leases" in API group '
         '"coordination.k8s.io" in the namespace "kube-node-lease"\n')


def test_a_kubelet_refused_its_own_node_lacks_the_node_authorizer(script, tmp_path):
    for text in (KUBELET, LEASE):
        found = _audit(script, tmp_path, text)
        assert found[0]["cause"] == "missing_permission", found[0]
        assert "--authorization-mode=Node,RBAC" in found[0]["fix"]
        assert "wrong_identity" not in [f["cause"] for f in found]


def test_a_person_using_the_kubelet_identity_or_another_node_stays_as_before(script, tmp_path):
    # kubectl with the kubelet's kubeconfig: pods across namespaces is not a kubelet's own read
    person = ('$ kubectl get pods -A\nError from server (Forbidden): pods is forbidden: User '
              '"system:node:node1" cannot list resource "pods" in API group "" at the cluster '
              'scope\n')
    assert _audit(script, tmp_path, person)[0]["cause"] == "wrong_identity"
    other = LEASE.replace('User "system:node:worker-2"', 'User "system:node:worker-1"')
    assert _audit(script, tmp_path, other)[0]["cause"] == "node_credential_mismatch"
    # the Node authorizer ran and gave its reason (node_authorizer.go v1.37.2:445)
    reasoned = LEASE.rstrip("\n") + ": node 'worker-2' cannot read 'x', only its own Node object\n"
    assert _audit(script, tmp_path, reasoned)[0]["cause"] == "node_credential_mismatch"


# --- 4. a chart given a custom ServiceAccount name -----------------------------------------

# aws-controllers-k8s/iam-controller#88
ACK = ('While using helm, if you pass a custom name other than `ack-iam-controller`, then the '
       'controller pod gets stuck and shows the following error:\n```\nE0913 14:43:19.280349 1 '
       'leaderelection.go:330] error retrieving resource lock ack-system/ack-iam.services.k8s.aws:'
       ' leases.coordination.k8s.io "ack-iam.services.k8s.aws" is forbidden: User '
       '"system:serviceaccount:ack-system:ack-iam-controller-sa" cannot get resource "leases" in '
       'API group "coordination.k8s.io" in the namespace "ack-system"\n```\n'
       '(I tried passing in `ack-iam-controller-sa`)\n')
# another form: values.yaml said in words, a pods create refused (JetBrains/datalore-configs#29's
# title "Custom service account name is not used in role binding")
VALUES = ('We install the chart with a custom service account name in values.yaml '
          '(`infra-worker`) and the agent fails:\n'
          'pods is forbidden: User "system:serviceaccount:tools:infra-worker" cannot create '
          'resource "pods" in API group "" in the namespace "tools"\n')


def test_a_custom_service_account_name_denied_is_a_binding_naming_the_default(script,
                                                                              tmp_path):
    for text, name in ((ACK, "ack-iam-controller-sa"), (VALUES, "infra-worker")):
        found = _audit(script, tmp_path, text)
        assert found[0]["cause"] == "binding_subject_mismatch", found[0]
        assert found[0]["object"]["name"] == name
        assert found[0]["basis"] == "inferred" and "-o wide" in found[0]["confirm"]


def test_no_custom_name_said_or_another_account_denied_stays_a_missing_rule(script, tmp_path):
    plain = ACK.replace("if you pass a custom name other than `ack-iam-controller`, then ", "")
    other = ACK.replace("(I tried passing in `ack-iam-controller-sa`)", "(it runs fine)")
    no_chart = VALUES.replace("the chart", "it").replace(" in values.yaml", "")
    for text in (plain, other, no_chart):
        causes = [f["cause"] for f in _audit(script, tmp_path, text)]
        assert causes[:1] == ["missing_permission"], (text, causes)
