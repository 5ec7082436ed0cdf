"""Explain one denial: reported causes from its wording, then the RBAC objects' story.

Order (references/rbac-denials.md): what the message itself establishes (an authorizer's
reason such as a missing role, an anonymous or node identity, escalation prevention, Pod
Security, a webhook, the kubelet) is reported; what the Roles and bindings in the input add
(the binding names another subject, sits in another namespace, the role lacks a verb...) is
inferred and carries the `kubectl auth can-i` that confirms it. The apiserver's own words
("User X cannot ...") are the first evidence line of every finding; when the input explains
them, that restatement is kept as an info finding (`access_denied`), otherwise it is the
error finding `missing_permission`.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.admission_denials import PSP_NONE_CHECK, psa_cause
from k8s_skillkit.findings import finding

from _rbac.denials import Denial, is_scc, missing_roles, unresolved_roles
from _rbac.explain import (CLUSTER_SCOPED, Rbac, applies, binding_text, gap, grants,
                           service_account_of, subject_text, _ns)
from _rbac.user_form import flag_evidence, form_gap, oidc_flags



def subject_ref(denial: Denial) -> dict:
    sa = service_account_of(denial.user)
    if sa:
        return {"kind": "ServiceAccount", "namespace": sa[0], "name": sa[1]}
    return {"kind": "User", "name": denial.user or "?"}


def explain(denial: Denial, objects) -> list[dict]:
    if denial.kind in _SPECIAL:
        return _SPECIAL[denial.kind](denial)
    kubelet = _kubelet_denied_its_reads(denial, objects) if denial.kind == "rbac" else []
    if kubelet:
        return kubelet
    reported = _reported(denial)
    if reported:
        return reported
    as_user = _service_account_as_user(denial, objects) if denial.kind == "rbac" else []
    if as_user:
        return as_user
    moved = _kustomize_namespace(denial, objects) if denial.kind == "rbac" else []
    if moved:
        return moved + [_denied(denial, explained=True, objects=objects)]
    specific = _from_objects(denial, objects) if denial.kind == "rbac" else []
    found = specific + [_denied(denial, explained=bool(specific), objects=objects)]
    return found + _default_service_account(denial, found)


def _kustomize_namespace(denial: Denial, objects) -> list[dict]:
    """A ServiceAccount of namespace X denied in namespace Y, where the paste's Kustomization
    sets `namespace: X`: kustomize rewrites the namespace of every namespaced resource it
    emits (kubectl kustomize, the `namespace` field), so the Role/RoleBinding a chart or base
    puts in Y (leader election in kube-system) lands in X and grants nothing in Y
    (cert-manager/cert-manager#5293, #1068)."""
    sa = service_account_of(denial.user)
    if not sa or not denial.namespace:
        return []
    moved_to = {str(o.get("namespace")) for o in objects if o.get("kind") == "Kustomization"
                and str(o.get("apiVersion", "")).startswith("kustomize.config.k8s.io")
                and o.get("namespace")}
    if sa[0] not in moved_to or denial.namespace == sa[0]:
        return []
    return [finding("error", "binding_wrong_namespace", subject_ref(denial),
                    f"{denial.user} is denied in namespace {denial.namespace}, and the "
                    f"Kustomization sets namespace: {sa[0]}: kustomize moves every namespaced "
                    f"object into {sa[0]}, the Role/RoleBinding meant for {denial.namespace} "
                    "too, so nothing grants it there",
                    [denial.text, f"Kustomization: namespace: {sa[0]}"],
                    f"keep the {denial.namespace} Role/RoleBinding out of the namespace "
                    "rewrite (a separate kustomization without `namespace`, or a patch that "
                    f"sets metadata.namespace: {denial.namespace} back), or point the "
                    f"program at {sa[0]} (cert-manager: --leader-election-namespace)",
                    basis="inferred", confirm=f"kubectl get rolebindings -n {denial.namespace}"
                                              f"; kubectl get rolebindings -n {sa[0]}")]


def _service_account_as_user(denial: Denial, objects) -> list[dict]:
    """A plain user name denied where the paste's bindings grant a ServiceAccount of that
    name and no User of it: `kubectl --as alice` acts as the User alice, a ServiceAccount is
    system:serviceaccount:<namespace>:<name> (kubectl's --as; aquasecurity/kubectl-who-can#26:
    a RoleBinding to ServiceAccount gotoams/alice, `can-i ... --as alice` said no)."""
    user = denial.user
    if not user or ":" in user:
        return []
    subjects = [(b, s) for b in objects if b.get("kind") in ("RoleBinding", "ClusterRoleBinding")
                for s in b.get("subjects") or [] if s.get("name") == user]
    accounts = [(b, s) for b, s in subjects if s.get("kind") == "ServiceAccount"]
    if not accounts or any(s.get("kind") == "User" for _, s in subjects):
        return []
    binding, subject = accounts[0]
    ns = subject.get("namespace") or (binding.get("metadata") or {}).get("namespace") or \
        "<namespace>"
    full = f"system:serviceaccount:{ns}:{user}"
    return [finding("error", "wrong_identity", subject_ref(denial),
                    f"the request ran as the User {user}, while {binding.get('kind')} "
                    f"{(binding.get('metadata') or {}).get('name', '')} binds the ServiceAccount "
                    f"{ns}/{user}: a ServiceAccount acts as {full}, so the binding does not apply "
                    "to the name checked", [denial.text, f"subject: ServiceAccount {user} in "
                                                         f"namespace {ns}"],
                    f"check (or impersonate) the ServiceAccount by its full name: --as {full}; "
                    "bind the User only if a person signs in as it", basis="reported",
                    confirm=denial.can_i().replace(f"--as={user}", f"--as={full}"))]


def _default_service_account(denial: Denial, found: list[dict]) -> list[dict]:
    """A denied `system:serviceaccount:NS:default`: every pod of NS that names no
    serviceAccountName runs as it (the ServiceAccount admission plugin's default), so the
    workload most likely lacks its own ServiceAccount; granting `default` grants every pod of
    the namespace (kubewatch#95: the fix was serviceAccountName)."""
    sa = service_account_of(denial.user)
    if not sa or sa[1] != "default" or any(
            f["cause"] == "default_service_account_used" for f in found):
        return []
    return [finding("warning", "default_service_account_used", subject_ref(denial),
                    f"the request ran as namespace {sa[0]}'s default ServiceAccount: the pod "
                    "sets no serviceAccountName (or the one it names was meant to be bound)",
                    [denial.text], "give the workload its own ServiceAccount "
                    "(spec.serviceAccountName) and bind that; rights granted to default go to "
                    "every pod of the namespace", basis="inferred",
                    confirm=f"kubectl get pods -n {sa[0]} -o custom-columns=NAME:.metadata.name,"
                            "SA:.spec.serviceAccountName")]


def _denied(denial: Denial, explained: bool, objects) -> dict:
    has_rbac = any(o.get("kind") in ("Role", "ClusterRole", "RoleBinding",
                                     "ClusterRoleBinding") for o in objects)
    where = f"in namespace {denial.namespace}" if denial.namespace else \
        "(the message names no namespace)" if denial.scope_unknown else "at the cluster scope"
    what = denial.path if denial.kind == "path" else denial.full_resource + (
        f" ({denial.group})" if denial.group else "")
    if not denial.user:
        return _denied_unnamed(denial, what, where)
    if explained:
        return finding("info", "access_denied", subject_ref(denial),
                       f"{denial.user} was denied {denial.verb} {what} {where}",
                       [denial.text], basis="reported")
    fix = (f"grant it: a Role with {{apiGroups: [\"{denial.group}\"], resources: "
           f"[\"{denial.full_resource}\"], verbs: [\"{denial.verb}\"]}} and a RoleBinding in "
           f"{denial.namespace} naming {denial.user}" if denial.namespace else
           f"grant it cluster-wide: a ClusterRole with that rule and a ClusterRoleBinding "
           f"naming {denial.user}")
    if not denial.namespace and denial.resource in CLUSTER_SCOPED and not has_rbac:
        # a cluster-scoped object's request has no namespace, and the authorizer visits
        # RoleBindings only for a request in a namespace (kubernetes v1.37.2
        # pkg/registry/rbac/validation/rule.go:208 VisitRulesFor): no Role grants it, in any
        # namespace (jupyterhub/binderhub#562: nodes granted by the chart's Role, fixed by
        # #563 with a ClusterRole and ClusterRoleBinding)
        fix += (f" ({denial.resource} are cluster-scoped: a Role and RoleBinding never grant "
                "them, in any namespace; if the chart grants them that way, make both "
                "cluster-wide)")
    evidence = [denial.text] + ([] if has_rbac else [
        "no Role/ClusterRole/binding in the input: run audit_rbac.py live (or paste "
        "`kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml`)"])
    if denial.reason:
        evidence.append(f"authorizer said: {denial.reason}")
    if not has_rbac:  # a binding may exist and name another subject: say how to tell
        fix += ("; if a binding meant to grant it exists, compare its subjects with "
                f"{denial.user} exactly (ServiceAccount name and namespace: charts often "
                "bind another name, or were installed into another namespace)")
    sa = service_account_of(denial.user)
    if sa and denial.namespace and sa[0] != denial.namespace:
        evidence.append(f"the ServiceAccount lives in namespace {sa[0]} but the request is in "
                        f"{denial.namespace}: if the workload was meant to run in "
                        f"{denial.namespace}, it was installed into {sa[0]} (e.g. helm "
                        "install without --namespace)")
    return finding("error", "missing_permission", subject_ref(denial),
                   f"no RBAC rule bound to {denial.user} allows {denial.verb} {what} {where}",
                   evidence, fix, basis="reported", confirm=denial.can_i())


def _denied_unnamed(denial: Denial, what: str, where: str) -> dict:
    """A 403 that names no identity (client-go's generic text, every 403 before 1.6): the
    denied identity is the client's own, its ServiceAccount when it runs in a pod."""
    return finding("error", "missing_permission", subject_ref(denial),
                   f"the API server refused {denial.verb} {what} {where}; the message does "
                   "not name the identity: the client's own (its pod's ServiceAccount)",
                   [denial.text], "grant that identity the rule: "
                   f"{{apiGroups: [\"{denial.group}\"], resources: [\"{denial.full_resource}\"], "
                   f"verbs: [\"{denial.verb}\"]}} in a Role and RoleBinding in the namespace it "
                   "works in (a ClusterRole and ClusterRoleBinding for cluster-wide objects)",
                   basis="reported", confirm="kubectl get pod <pod> -n <namespace> -o "
                   "jsonpath='{.spec.serviceAccountName}'; " + denial.can_i())


# --- what the message alone establishes ---------------------------------------------------------

# A user named just "system" is no built-in identity (those are system:<...>; OpenShift's
# administrator is system:admin): a login under a wrong name that an any-password identity
# provider accepted (tektoncd/pipeline#796: Minishift, every cluster-scoped create denied
# "no RBAC policy matched"; the fix, PR #797, logs in as an admin).
# A ServiceAccount's username is system:serviceaccount:<namespace>:<name> (k8s.io/apiserver
# pkg/authentication/serviceaccount util.go ServiceAccountUsernamePrefix); a user named
# `serviceaccount:<ns>:<name>` is nobody's, so the ServiceAccount's bindings do not apply:
# rancher/fleet#372, Fleet impersonating a GitRepo's ServiceAccount without the prefix (fixed
# by PR #410, "Use system prefix for impersonating serviceaccount").
_SA_WITHOUT_PREFIX = re.compile(r"serviceaccounts?:[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9.-]*$")


def _reported(denial: Denial) -> list[dict]:
    user = denial.user
    if user == "system:anonymous":
        return [finding("error", "anonymous_request", subject_ref(denial),
                        "the request reached the API server without credentials it "
                        "recognised, so it ran as system:anonymous",
                        [denial.text], "fix the client's credentials (kubeconfig user, token or "
                        "client certificate); do not grant RBAC to system:anonymous",
                        basis="reported", confirm="kubectl auth whoami")]
    if "no relationship found between node" in denial.reason:
        return [finding("error", "node_authorizer_no_relationship", subject_ref(denial),
                        f"the Node authorizer let {user} read only objects of pods bound to "
                        "that node, and this object is not (yet) one of them", [denial.text],
                        "usually transient (the pod was just scheduled or deleted); if it "
                        "persists, check the pod's nodeName and that it references the object",
                        basis="reported")]
    if _kubelet_not_its_node(denial):
        node = user.partition("system:node:")[2]
        said = (f"the kubelet's credentials ({user}) do not name the node it runs as"
                + (f" ({denial.name})" if node and denial.name and denial.name != node else ""))
        return [finding("error", "node_credential_mismatch", subject_ref(denial),
                        said + ": the Node authorizer lets a kubelet (user system:node:<node "
                        "name>, group system:nodes) reach only its own Node, Lease and the "
                        "objects of pods bound to it", [denial.text],
                        "issue the kubelet's client certificate with CN system:node:<node name> "
                        "and O system:nodes for the name it registers with (--hostname-override,"
                        " the cloud provider's name), one per node; or let the kubelet bootstrap "
                        "its own (TLS bootstrapping)", basis="reported",
                        confirm="on the node: openssl x509 -in /var/lib/kubelet/pki/kubelet-"
                                "client-current.pem -noout -subject; kubectl get nodes")]
    if user == "system":
        return [finding("error", "wrong_identity", subject_ref(denial),
                        "the request ran as a user named just \"system\": no built-in identity "
                        "has that name (they are system:<something>, the cluster administrator "
                        "of OpenShift is system:admin), so the login used another name than "
                        "meant (an identity provider that accepts any name, e.g. Minishift's, "
                        "made a new, unprivileged user)", [denial.text],
                        "log in as the administrator (oc login -u system:admin, or a user bound "
                        "to cluster-admin) and apply again", basis="reported",
                        confirm="oc whoami (kubectl auth whoami)")]
    if _SA_WITHOUT_PREFIX.match(user):
        return [finding("error", "wrong_identity", subject_ref(denial),
                        f"the request ran as user {user}, a ServiceAccount's name without the "
                        "'system:' prefix: ServiceAccounts authenticate as system:serviceaccount:"
                        "<namespace>:<name>, so no binding of the ServiceAccount applies to it "
                        "(an impersonation or a tool that built the name without the prefix)",
                        [denial.text], "impersonate (or bind) the full name system:serviceaccount:"
                        f"{user.split(':', 1)[1]}; a tool that builds the name wrongly needs a "
                        "release that adds the prefix", basis="reported",
                        confirm=f"kubectl auth can-i --list --as system:serviceaccount:"
                                f"{user.split(':', 1)[1]} -n {denial.namespace or 'default'}")]
    if user == "system:node" or user.startswith("system:node:"):
        return [finding("error", "wrong_identity", subject_ref(denial),
                        f"the request ran as the node identity {user} (a kubelet's "
                        "credentials), which the Node authorizer limits to its own node",
                        [denial.text], "use an administrator's kubeconfig (e.g. "
                        "/etc/kubernetes/admin.conf), not the kubelet's", basis="reported",
                        confirm="kubectl auth whoami")]
    roles = missing_roles(denial)
    if roles:
        names = ", ".join(f"{k} {n}" for k, n in roles)
        return [finding("error", "role_not_found", subject_ref(denial),
                        f"a binding for {user} refers to {names}, which does not exist "
                        "(the RBAC authorizer said so)", [denial.text],
                        "create the missing role(s) or point the binding's roleRef at an "
                        "existing one", basis="reported")]
    return []


# A running program's informer (client-go reflector `Failed to list *v1.Service: ...`, `Failed
# to watch`), not a person's kubectl, asking at the cluster scope for what the Node authorizer's
# node rules give every kubelet: read services (plugin/pkg/auth/authorizer/
# rbac/bootstrappolicy/policy.go v1.37.2:221 NodeRules, used by node_authorizer.go:171).
# Denied as the kubelet's own identity, the Node authorizer is not running (kubernetes#52711:
# 1.8 dropped the system:nodes binding; opsnull/follow-me-install-kubernetes-cluster#180).
_INFORMER = re.compile(r"\bFailed to (?:list|watch) \*v1\.|\breflector\.go:\d+\]")
# (not nodes: with AuthorizeNodeWithSelectors the Node authorizer itself refuses a kubelet's
# list of all nodes, with its reason `node 'N' cannot read all nodes, only its own Node
# object`, node_authorizer.go v1.37.2:442; a denial carrying a Node authorizer reason is not
# this)
_KUBELET_READS = {("services", "list"), ("services", "watch"), ("services", "get")}


def _kubelet_informer(denial: Denial, texts: list[str]) -> bool:
    """The denial is for a kubelet read and a line of the paste holding it is an informer's."""
    return bool(denial.cluster_scope and (denial.resource, denial.verb) in _KUBELET_READS
                and not denial.reason
                and any(_INFORMER.search(t) and "forbidden" in t for t in texts))


# the Node authorizer's reason when a kubelet asks for another node's Lease (plugin/pkg/auth/
# authorizer/node/node_authorizer.go v1.37.2 authorizeLease: "can only access node lease with
# the same name as the requesting node"; authorizeCSINode, authorizeStatusUpdate alike)
_NOT_ITS_NODE = "same name as the requesting node"
# and on a Node read: `node 'A' cannot read 'B', only its own Node object`, written only when
# B is not A (node_authorizer.go v1.37.2:445), so it holds when the user masked both names
_OTHER_NODE = re.compile(r"cannot read '[^']*', only its own Node object")
_NODE_OBJECTS = ("nodes", "leases", "csinodes")


def _kubelet_denied_its_reads(denial: Denial, objects) -> list[dict]:
    """The kubelet's own informer denied what every kubelet reads (see _KUBELET_READS)."""
    user = denial.user
    if not user.startswith("system:node:"):
        return []
    texts = [denial.text] + [str(t) for t in getattr(objects, "texts", []) or []
                             if user in str(t) and denial.resource in str(t)]
    own = _its_own_node_object(denial)
    if _kubelet_informer(denial, texts) or own:
        where = (f"its own {denial.resource[:-1]} {denial.name}" if own else
                 f"{denial.full_resource} at the cluster scope")
        return [finding("error", "missing_permission", subject_ref(denial),
                        f"the kubelet itself ({user}) was denied {denial.verb} {where}, which "
                        "every kubelet needs and the Node authorizer grants (its node rules, "
                        "the system:node role's): the API server runs without the Node "
                        "authorizer (since 1.8 the system:nodes group is no longer bound to the "
                        "system:node role), so nothing grants it; the identity is right"
                        + (" (the user names the node it asked for)" if own else ""),
                        [denial.text],
                        "run kube-apiserver with --authorization-mode=Node,RBAC (keep the "
                        "NodeRestriction admission plugin); the Node authorizer also needs the "
                        "kubelet's certificate to carry O=system:nodes; on an old cluster that "
                        "cannot, bind the system:node ClusterRole to group system:nodes",
                        basis="inferred", confirm="ps -ef | grep kube-apiserver | grep -o "
                        "'authorization-mode=[^ ]*' on a control-plane node")]
    return []


def _its_own_node_object(denial: Denial) -> bool:
    """A kubelet (system:node:N) refused its own Node, Lease or CSINode (named N) with no
    authorizer's reason: the Node authorizer always allows a node its own objects
    (plugin/pkg/auth/authorizer/node/node_authorizer.go v1.37.2 authorizeGet/authorizeLease/
    authorizeCSINode), and when it refuses it gives a reason; RBAC alone denied it
    (blog.frognew.com 2021-05 k8s-apiserver-authorization-mode-node: a 1.19 cluster's
    kubelets NotReady until kube-apiserver ran --authorization-mode=Node,RBAC)."""
    node = denial.user.partition("system:node:")[2]
    return bool(node and denial.kind == "rbac" and not denial.reason
                and denial.resource in _NODE_OBJECTS and denial.name == node)


def _kubelet_not_its_node(denial: Denial) -> bool:
    """A kubelet's own request refused because its credentials do not match the node: the
    user names no node (CN system:node, one kubeconfig for all nodes), the authorizer says the
    object is another node's, or the Node/Lease/CSINode asked for has another name."""
    user = denial.user
    if user == "system:node":
        return True
    if not user.startswith("system:node:"):
        return False
    if _NOT_ITS_NODE in denial.reason or _OTHER_NODE.search(denial.reason):
        return True
    node = user.partition("system:node:")[2]
    return denial.resource in _NODE_OBJECTS and bool(denial.name) and denial.name != node


def _kubelet(denial: Denial) -> list[dict]:
    if denial.user == "system:anonymous":
        return [finding("error", "anonymous_request", subject_ref(denial),
                        "the kubelet saw the API server's log/exec/proxy request without a "
                        "client certificate it trusts (system:anonymous)", [denial.text],
                        "give kube-apiserver --kubelet-client-certificate/--kubelet-client-key "
                        "signed by the kubelets' client CA", basis="reported")]
    return [finding("error", "kubelet_api_forbidden", subject_ref(denial),
                    f"the kubelet refused {denial.verb} nodes/{denial.subresource} to "
                    f"{denial.user}: the API server's kubelet-client identity lacks "
                    "permission on the kubelet API (kubectl logs/exec/port-forward fail)",
                    [denial.text], f"kubectl create clusterrolebinding "
                    f"apiserver-kubelet-api --clusterrole=system:kubelet-api-admin "
                    f"--user={denial.user}", basis="reported",
                    confirm=f"kubectl auth can-i get nodes --subresource=proxy "
                            f"--as={denial.user}")]


def _escalation(denial: Denial) -> list[dict]:
    who = denial.user or "the requester"
    if "aggregationRule" in denial.text[:120]:
        return [finding("error", "escalation_prevented", subject_ref(denial),
                        "a ClusterRole with an aggregationRule may gather any rule, so only a "
                        "requester holding every verb on every resource (cluster-admin) or the "
                        "escalate verb on clusterroles may set it (escalation prevention)",
                        [denial.text[:400]], "apply it as cluster-admin, or grant the applier "
                        "`escalate` on clusterroles.rbac.authorization.k8s.io",
                        basis="reported")]
    return [finding("error", "escalation_prevented", subject_ref(denial),
                    f"{who} tried to create or update a role or binding granting permissions "
                    "it does not hold itself; RBAC refuses that (escalation prevention)",
                    [denial.text[:400]], "apply it as a user who holds those permissions (or "
                    "has the escalate/bind verb), e.g. bind cluster-admin to yourself first",
                    basis="reported")] + _unresolved(denial)


# The API server's default roles (kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/
# bootstrappolicy/policy.go:340,392,403,413 and the system:* ones) are created at start by the
# rbac/bootstrap-roles hook, which runs only when --authorization-mode includes RBAC
# (pkg/controlplane/apiserver/config.go:241-242): one of them missing means RBAC is off
_DEFAULT_ROLES = {"cluster-admin", "admin", "edit", "view"}


def _unresolved(denial: Denial) -> list[dict[str, Any]]:
    """role_not_found for each role the escalation check could not read for the requester: a
    binding of the requester names it and it does not exist, so its rules were not counted."""
    who = denial.user or "the requester"
    out = []
    for kind, name in unresolved_roles(denial):
        default = kind == "ClusterRole" and (name in _DEFAULT_ROLES or
                                              name.startswith("system:"))
        out.append(finding(
            "error", "role_not_found", {"kind": kind, "name": name},
            f"a binding of {who} refers to {kind} {name}, which does not exist: the API "
            "server listed it among the requester's roles it could not resolve, so none of its "
            "rules count, and what the requester creates with them is refused as an escalation",
            [denial.text[:400]],
            (f"{name} is one of the API server's default roles, created at start only when "
             "--authorization-mode includes RBAC: the cluster runs without RBAC (a managed "
             "cluster created with RBAC off, e.g. AKS without --enable-rbac); turn RBAC on "
             "(recreate the cluster with it) rather than creating the role by hand, or install "
             "without RBAC objects (the chart's rbac.create=false)") if default else
            f"create {kind} {name}, or point the requester's binding at an existing role",
            basis="reported", confirm=f"kubectl get {kind.lower()} {name}"
            + ("; kubectl get clusterroles (empty without RBAC)" if default else
               " -n <the binding's namespace>" if kind == "Role" else "")))
    return out


def _resolution_errors(denial: Denial) -> list[dict[str, Any]]:
    """The escalation refusal's list of unresolvable roles, pasted without the refusal: the
    missing role first, then the refusal it comes from (only that check prints the list)."""
    missing = _unresolved(denial)
    return missing + [finding("error", "escalation_prevented", subject_ref(denial),
                              "the RBAC API refused to create a role or binding as an "
                              "escalation: this list of unresolvable roles is printed only "
                              "by its escalation check (the refusal itself is not in the "
                              "paste)", [denial.text[:400]],
                              "fix the missing role above; then apply as a user who holds "
                              "every permission granted", basis="reported")]


def _pod_security(denial: Denial) -> list[dict]:
    checks = [psa_cause(reason, detail) for reason, detail in denial.checks]
    first = checks[0] if checks else "pod_security_violation"
    verb = "would be rejected by" if denial.reason == "warning" else "was rejected by"
    evidence = [f"{r}: {d}" if d else r for r, d in denial.checks] or [denial.text]
    if denial.text.startswith("existing pods in namespace"):  # a namespace label's warning
        return [finding("warning", first, {"kind": "Pod", "name": denial.name},
                        f"pods already in namespace {denial.namespace} (first: "
                        f"{denial.name or '?'}) fail the new enforce level {denial.level}: "
                        f"{', '.join(r for r, _ in denial.checks) or 'see the next warning'}; "
                        "they keep running, but the namespace refuses them once re-created "
                        "(a rollout, an eviction, a node drain)",
                        [denial.text[:400]], "fix the pods' securityContext first "
                        "(check_pod_security.py -n NAMESPACE --templates --level LEVEL names "
                        "each field), or keep the old enforce label until they pass; the "
                        "warn/audit labels preview a level without refusing anything",
                        basis="reported")]
    return [finding("error" if denial.reason != "warning" else "warning", first,
                    {"kind": "Pod", "name": denial.name},
                    f"pod {denial.name or ''} {verb} Pod Security admission "
                    f"({denial.level}): {', '.join(r for r, _ in denial.checks)}".replace(
                        "pod  ", "the pod "),
                    evidence, "set the securityContext fields named above on the pod "
                    "template (check_pod_security.py --level restricted shows the YAML "
                    "paths), or run it in a namespace whose pod-security level allows it",
                    basis="reported")]


def _psp(denial: Denial) -> list[dict]:
    if any(check == PSP_NONE_CHECK for check, _ in denial.checks):
        return [finding("error", "pod_security_policy_denied", {"kind": "Pod",
                                                               "name": denial.name},
                        "the PodSecurityPolicy admission plugin is on and no policy is usable "
                        "by the pod's creator or its ServiceAccount, so it refuses every pod",
                        [denial.text],
                        "create a PodSecurityPolicy that admits the pods and grant `use` on it "
                        "(a ClusterRole with verbs [use] on podsecuritypolicies, bound to the "
                        "pods' ServiceAccounts, or to system:serviceaccounts:kube-system for the "
                        "control plane's pods), or turn the plugin off (PSP was removed in "
                        "1.25)", basis="reported")]
    if "security context constraint" in denial.text and denial.reason in ("exec", "attach"):
        return _scc_exec(denial)
    if is_scc(denial):
        # OpenShift's SecurityContextConstraints: the same provider list, SCCs for policies
        cause = _scc_cause(_scc_list(denial))
        one = "" if cause == "pod_security_policy_denied" else (
            f"; the SCCs it may use object to one setting only: set {_SCC_HINT[cause]} in the "
            "pod template and it is admitted")
        if "no access to scc/restricted" in _scc_list(denial):  # admission.go:330
            one += ("; the `restricted` SCC (v1, which restricted-v2 replaced for new "
                    "ServiceAccounts in OpenShift 4.11) would admit it, but it may not use it")
        return [finding("error", cause, {"kind": "Pod"},
                        "no SecurityContextConstraints the pod's ServiceAccount may use admits "
                        "it (OpenShift): " + ("each provider's refusal is in the evidence"
                                              if denial.checks else "the paste stops before "
                                              "the providers' refusals (the full event names "
                                              "each one)") + one,
                        [c for c, _ in denial.checks][:5] or [denial.text],
                        "make the pod fit the SCC it may use (restricted: no fixed fsGroup / "
                        "runAsUser outside the namespace's ranges, no host namespaces or "
                        "hostPath), or let its ServiceAccount use a fitting SCC: oc adm policy "
                        "add-scc-to-user <scc> -z <serviceaccount> -n <namespace>",
                        basis="reported")]
    return [finding("error", "pod_security_policy_denied", {"kind": "Pod"},
                    "no PodSecurityPolicy the pod's ServiceAccount may use admits it",
                    [c for c, _ in denial.checks][:5] or [denial.text],
                    "fix the pod's securityContext, or grant `use` on a fitting policy "
                    "(PodSecurityPolicy was removed in 1.25: migrate to Pod Security "
                    "admission)", basis="reported")]


def _scc_exec(denial: Denial) -> list[dict]:
    """`oc exec`/`attach` into a running pod refused by SCC admission, which re-validates the
    pod as the caller (scc_exec.go): the pod is fine, the caller's SCC rights are short."""
    what = f"pod {denial.name}" if denial.name else "the pod"
    return [finding("error", "pod_security_policy_denied", {"kind": "Pod", "name": denial.name},
                    f"{denial.reason} into {what} was refused by OpenShift's SCC admission: "
                    "it re-validates the running pod against the SCCs you (or its ServiceAccount) "
                    "may use, and none admits it; the pod was admitted under an SCC its creator "
                    "could use (its openshift.io/scc annotation)",
                    [c for c, _ in denial.checks][:5] or [denial.text],
                    f"{denial.reason} as a user who may use that SCC, or grant it: oc adm "
                    "policy add-scc-to-user <scc> <your user>; the pod itself needs no change",
                    basis="reported",
                    confirm=f"oc get pod {denial.name or '<pod>'} -o jsonpath="
                            "'{.metadata.annotations.openshift\\.io/scc}'")]


# An SCC's field errors (openshift/apiserver-library-go pkg/securitycontextconstraints/
# sccmatching, the validation of each provider the ServiceAccount may use) that name one
# securityContext setting; a refusal whose usable providers object to exactly one of them is
# that setting (openshift/instaslice-operator#213: restricted-v2's allowPrivilegeEscalation),
# anything else (ranges, several settings) the SCC refusal as a whole. Wordings at
# openshift/apiserver-library-go a8019f39 (sccmatching/provider.go, user/, selinux/, seccomp/,
# sysctl/ under pkg/securitycontextconstraints).
_SCC_FIELDS = (
    ("privilege_escalation_allowed", re.compile(r"allowPrivilegeEscalation: Invalid value")),
    ("privileged_container", re.compile(r"\.privileged: Invalid value|Privileged containers "
                                        r"are not allowed")),
    ("host_namespaces", re.compile(r"\.host(?:Network|PID|IPC): Invalid value|Host (?:network|"
                                   r"PID|IPC) is not allowed")),
    ("host_path_volume", re.compile(r"hostPath volumes are not allowed")),
    ("host_port", re.compile(r"\.hostPort: Invalid value|Host ports are not allowed")),
    ("capabilities_added", re.compile(r"capabilit(?:y|ies)[^,]{0,60}?may not be added|"
                                      r"capabilities\.add: Invalid value")),
    # the SCC's volumes list (openshift/origin#8297: persistentVolumeClaim refused, 2016)
    ("restricted_volume_type", re.compile(r"\b(?!hostPath\b)\w+ volumes are not allowed to be "
                                          r"used")),
    # MustRunAsRange refusing UID 0 (projectcalico/calico#5223: runAsUser 0 under
    # restricted-v2); another UID outside the ranges is the namespace's range, not root;
    # MustRunAsNonRoot (nonroot, nonroot-v2): `running with the root UID is forbidden`,
    # `runAsNonRoot: Invalid value: false: must be true` (user/nonroot.go:35,39)
    ("run_as_root", re.compile(r"runAsUser: Invalid value: 0: (?:must be in the ranges|running "
                               r"with the root UID is forbidden)|runAsNonRoot: Invalid value: "
                               r"false: must be true")),
    # the SCC's allowedUnsafeSysctls/forbiddenSysctls: `unsafe sysctl "x" is not allowed`,
    # `sysctl "x" is not allowed` (sysctl/mustmatchpatterns.go:174,180)
    ("unsafe_sysctls", re.compile(r"\bsysctl \\?\"[^\s\"\\]+\\?\" is not allowed")),
    # seccompProfiles without unconfined (restricted-v2: [runtime/default]):
    # `unconfined is not an allowed seccomp profile. Valid values are [...]` (seccomp/
    # strategy.go:149); another profile refused is the SCC's list as a whole
    ("seccomp_unconfined", re.compile(r"\bunconfined is not an allowed seccomp profile")),
    # requiredDropCapabilities (restricted-v2: [ALL]) a container's drop list lacks:
    # `capabilities.drop: Invalid value: []core.Capability{...}: ALL is required to be dropped
    # but was not found` (capabilities/mustrunas.go:111-112)
    ("capabilities_not_dropped", re.compile(r"capabilities\.drop: Invalid value")),
    # seLinuxContext MustRunAs: a pod or container seLinuxOptions other than the SCC's:
    # `.seLinuxOptions.type: Invalid value: "spc_t": must be ` (selinux/mustrunas.go:48-60)
    # is the Pod Security SELinux control (type, user, role: k8s.io/pod-security-admission
    # v0.37.2 policy/check_seLinuxOptions.go); that control never reads the level
    ("selinux_options", re.compile(r"seLinuxOptions\.(?:role|type|user): Invalid value")),
    # the level is the namespace's MCS level (its openshift.io/sa.scc.mcs annotation) that
    # MustRunAs assigns only to a pod or container with no seLinuxOptions at all: an empty
    # `seLinuxOptions: {}` is set, is not filled, and fails as `.seLinuxOptions.level: Invalid
    # value: ""` (selinux/mustrunas.go@4b0354dd MutateContainer returns early when
    # SELinuxOptions() != nil; validate compares levels; bitnami/charts#22511): a
    # securityContext value the SCC refuses that no Pod Security check names
    ("security_context_denied", re.compile(r"seLinuxOptions\.level: Invalid value")),
)
_SCC_HINT = {"privilege_escalation_allowed": "allowPrivilegeEscalation: false",
             "privileged_container": "privileged: false", "host_namespaces":
             "hostNetwork / hostPID / hostIPC false", "host_path_volume":
             "no hostPath volume (another volume type)", "host_port": "no hostPort",
             "capabilities_added": "no capabilities.add",
             "capabilities_not_dropped": "capabilities.drop: [ALL]",
             "restricted_volume_type": "only volume types the SCC lists (oc get scc <name> -o "
                                       "jsonpath='{.volumes}')",
             "run_as_root": "no runAsUser: 0 (leave it unset: OpenShift assigns a UID from the "
                            "namespace's range)",
             "unsafe_sysctls": "no sysctls the SCC does not allow (oc get scc <name> -o "
                               "jsonpath='{.allowedUnsafeSysctls}')",
             "seccomp_unconfined": "seccompProfile.type: RuntimeDefault (or leave it unset)",
             "selinux_options": "no seLinuxOptions type, user or role (leave them unset: the "
                                "SCC assigns its own)",
             "security_context_denied": "no seLinuxOptions at all, not even an empty `{}` "
                                        "(a chart's seLinuxOptions: null; OpenShift then "
                                        "assigns the namespace's MCS level),"}
_SCC_ERROR = re.compile(r"(?:Invalid value|Unsupported value|Required value|Forbidden):")
# the items that are no setting's refusal: an SCC the requester and the ServiceAccount may not
# use (`provider "anyuid": Forbidden: not usable by user or serviceaccount`), and the note that
# restricted (v1) would admit what restricted-v2 refuses (sccadmission/admission.go:266,330)
_SCC_NOT_A_SETTING = re.compile(r'provider\s+\\?"?[\w.-]+\\?"?:\s+Forbidden:\s+not\s+usable\s+by\s+'
                                r'user\s+or\s+serviceaccount|no access to scc/restricted:\s+'
                                r'Forbidden:[^,\]]*(?:,[^,\]]*)?security context constraint')


def _scc_list(denial: Denial) -> str:
    """The whole provider list (the denial's text stops at 600 characters; its checks are the
    list cut at `, spec.`)."""
    return ", spec.".join(c for c, _ in denial.checks) or denial.text


def _scc_cause(text: str) -> str:
    # the field errors of the SCCs that were tried; a volume's (`spec.volumes[0]: ...`), a
    # sysctl's and a seccomp profile's carry no `provider X:` prefix, so they follow the
    # previous provider's item in the list: drop the items that are no refusal, not the chunks
    text = _SCC_NOT_A_SETTING.sub("", text.split("any security context constraint", 1)[-1])
    errors = len(_SCC_ERROR.findall(text))
    named = {cause: len(p.findall(text)) for cause, p in _SCC_FIELDS}
    named = {cause: n for cause, n in named.items() if n}
    if len(named) == 1 and sum(named.values()) >= errors:
        return next(iter(named))
    return "pod_security_policy_denied"


def _privileged_disallowed(denial: Denial) -> list[dict]:
    what = f"{denial.resource} {denial.name}".strip() or "the pod"
    kind = denial.resource.split(".")[0] or "Pod"
    if denial.reason == "kubelet":
        return [finding("error", "privileged_container", {"kind": "Pod", "name": denial.name},
                        "the node's kubelet refused the pod: it runs with --allow-privileged="
                        "false (Kubernetes up to 1.14), so it blocks every privileged "
                        "container", [denial.text],
                        "run the container unprivileged, or start the kubelets that must run "
                        "privileged pods with --allow-privileged=true (the flag is gone since "
                        "1.15, where the API server's setting decides)", basis="reported")]
    return [finding("error", "privileged_container", {"kind": kind, "name": denial.name},
                    f"the API server refused {what}: it runs without --allow-privileged, so "
                    "its validation refuses every privileged container (no admission policy "
                    "is involved)", [denial.text],
                    "run the container unprivileged (the chart's privileged init container, "
                    "e.g. a sysctl one, can often be turned off), or, where privileged pods are "
                    "meant to run, start kube-apiserver with --allow-privileged=true",
                    basis="reported",
                    confirm="ps -ef | grep [k]ube-apiserver | grep -o -- '--allow-privileged"
                            "=[a-z]*' (on a control-plane node)")]


def _kubelet_nonroot(denial: Denial) -> list[dict]:
    if denial.reason == "root":
        return [finding("error", "run_as_root", {"kind": "Pod"},
                        "the kubelet refused to start the container: the pod asks runAsNonRoot "
                        "and the image runs as root (no USER, or USER 0), so the check happens "
                        "at start, after admission let the pod in", [denial.text],
                        "build the image with a non-root USER (numeric), or set "
                        "securityContext.runAsUser to a non-zero UID the image can run as",
                        basis="reported")]
    return [finding("error", "security_context_denied", {"kind": "Pod"},
                    f"the kubelet cannot verify runAsNonRoot: the image names its user by name "
                    f"({denial.name or 'non-numeric'}), not by UID", [denial.text],
                    "set securityContext.runAsUser to that user's numeric UID, or use USER "
                    "<uid> in the image", basis="reported")]


def _webhook(denial: Denial) -> list[dict]:
    return [finding("error", "admission_webhook_denied", {"kind": "ValidatingWebhook",
                                                          "name": denial.webhook},
                    f"admission webhook {denial.webhook} denied the request: {denial.reason}",
                    [denial.text], "change the object to satisfy that policy (its message "
                    "says which rule), or ask its owners for an exception",
                    basis="reported")]


def _invalid_binding(denial: Denial) -> list[dict]:
    kind, name = denial.resource, denial.name
    subjects = "subjects[" in denial.reason
    if _ROLEREF_IMMUTABLE.search(denial.reason):
        # ValidateRoleBindingUpdate (kubernetes pkg/apis/rbac/validation/validation.go): an
        # update that changes roleRef is refused, the old binding keeps its old role
        # (keptn/keptn#3842: a Helm upgrade); "cannot change roleRef" in older releases,
        # ValidateImmutableField's "field is immutable" in v1.37.2 (validation.go:165)
        return [finding("error", "binding_invalid", {"kind": kind, "name": name},
                        f"the API server refused to change {kind} {name}'s roleRef (roleRef is "
                        "immutable): the binding keeps granting its old role",
                        [denial.text], f"delete the {kind} and create it again with the new "
                        "roleRef (for a chart: rename the binding, or delete it before the "
                        "upgrade)", basis="reported")]
    # a refused binding is binding_invalid whatever field it names: it was never stored
    # (bitnami/charts#28539, minio/operator: a ServiceAccount subject without its namespace)
    return [finding("error", "binding_invalid",
                    {"kind": kind, "name": name}, f"the API server refused {kind} {name} "
                    f"({denial.reason}): it does not exist, so nothing it grants applies"
                    + (" — a ServiceAccount subject needs its namespace" if
                       subjects and "namespace: Required" in denial.reason else ""),
                    [denial.text], "fix the field named in the error and apply the binding "
                    "again", basis="reported")]


_ROLEREF_IMMUTABLE = re.compile(r"cannot change roleRef|^roleRef: Invalid value: .*field is "
                                r"immutable")


SECURITY_CONTEXT_DENY_FIX = ("drop the field the message names from the pod template, or remove "
                             "SecurityContextDeny from kube-apiserver's "
                             "--enable-admission-plugins (deprecated in 1.27, removed in 1.30; "
                             "Pod Security admission replaces it)")
ADMISSION_TEXT = {
    "service_account_not_found": ("the pod names a ServiceAccount that does not exist in its "
                                  "namespace, so the ServiceAccount admission plugin refuses it",
                                  "create the ServiceAccount, or fix serviceAccountName"),
    "quota_exceeded": ("a ResourceQuota in the namespace has no room for this request",
                       "raise the quota, lower the requests, or free usage"),
    "quota_requires_limits": ("a ResourceQuota on compute resources requires every container "
                              "to set them", "set requests/limits (or add a LimitRange "
                              "with defaults)"),
    "limit_range_violation": ("a LimitRange in the namespace rejects the container's "
                              "requests/limits", "fit the values into the LimitRange"),
    "namespace_terminating": ("the namespace is being deleted; nothing new can be created in "
                              "it", "wait for the deletion (check its finalizers) or use "
                              "another namespace"),
    "security_context_denied": ("the SecurityContextDeny admission plugin (kube-apiserver "
                                "<= 1.29) refuses pods that set this securityContext field",
                                SECURITY_CONTEXT_DENY_FIX),
}


def _admission(denial: Denial) -> list[dict]:
    message, fix = ADMISSION_TEXT[denial.reason]
    return [finding("error", denial.reason, {"kind": "Pod", "name": denial.name}, message,
                    [denial.text], fix, basis="reported")]


def _owner_finalizers(denial: Denial) -> list[dict]:
    """The OwnerReferencesPermissionEnforcement plugin's refusals (on in OpenShift): changing an
    object's ownerReferences needs `delete` on it; setting blockOwnerDeletion needs `update` on
    the owner's finalizers."""
    what = f"{denial.resource} {denial.name}".strip() or "an object"
    if denial.verb == "delete":
        plural = denial.resource or "<plural>"
        message = (f"changing the ownerReferences of {what} was refused: the plugin requires "
                   "whoever changes an object's ownerReferences to be allowed to delete it")
        fix = (f"grant the identity `delete` on {denial.resource or '<the object plural>'} in "
               "its namespace, or leave ownerReferences unchanged on update")
        can_i = f"delete {plural}"
    else:
        message = (f"creating {what} with an ownerReference that sets blockOwnerDeletion was "
                   "refused: the plugin requires the creator to be allowed to update the "
                   "owner's finalizers subresource, and it is not")
        fix = ("grant the controller's identity `update` on `<owner plural>/finalizers` in the "
               "owner's API group (an operator's ClusterRole: resources: [<kinds>/finalizers], "
               "verbs: [update]), or do not set blockOwnerDeletion")
        can_i = "update <owner plural>/finalizers"
    return [finding("error", "missing_permission", {"kind": "ServiceAccount", "name": ""},
                    message + " (OwnerReferencesPermissionEnforcement admission, on in "
                    "OpenShift)", [denial.text[:300]], fix, basis="reported",
                    confirm=f"kubectl auth can-i {can_i} --as system:serviceaccount:<ns>:<sa>")]

def _policy(denial: Denial) -> list[dict]:
    name = denial.webhook.split(" (binding ")[0]
    return [finding("error", "admission_webhook_denied", {"kind": "ValidatingAdmissionPolicy",
                                                          "name": name},
                    f"ValidatingAdmissionPolicy {denial.webhook} denied the request: "
                    f"{denial.reason}", [denial.text],
                    "change the object to satisfy the policy's validation (its message says "
                    "which), or have its owners change the policy, its binding's "
                    "matchResources or validationActions (Warn/Audit instead of Deny)",
                    basis="reported",
                    confirm=f"kubectl get validatingadmissionpolicy {name} -o yaml; kubectl get "
                            "validatingadmissionpolicybinding -o wide")]


def _unauthenticated(denial: Denial) -> list[dict]:
    said = f" ({denial.reason})" if denial.reason else ""
    return [finding("error", "unauthenticated", {"kind": "User", "name": "(unauthenticated)"},
                    f"the API server did not accept the request's credentials{said}: the "
                    "request was never authorized, so no Role or binding changes this (401, "
                    "not 403)", [denial.text],
                    "renew the credentials: an expired token or client certificate (kubectl "
                    "config view --minify; an exec plugin's cached token), a ServiceAccount "
                    "token whose Secret or ServiceAccount was deleted, or a cloud identity the "
                    "cluster does not map (EKS: an access entry or aws-auth mapping for the IAM "
                    "role; GKE/AKS: the cluster's credentials command again)",
                    basis="reported", confirm="kubectl auth whoami (1.28+); kubectl config "
                    "view --minify -o jsonpath='{.users[0].user}' (which credential is used)")]


def _node_restriction(denial: Denial) -> list[dict]:
    node = denial.user.partition("system:node:")[2]
    return [finding("error", "node_credential_mismatch", subject_ref(denial),
                    f"the NodeRestriction admission plugin refused a kubelet whose credentials "
                    f"are for node {node or '<another node>'} to write "
                    f"{denial.resource or 'an object'} {denial.name}".rstrip()
                    + ": a kubelet may write only its own node's objects (Node, Lease, the "
                    "pods bound to it), so its certificate (CN system:node:<name>) names "
                    "another node than it registers as",
                    [denial.text], "give each node its own kubelet client certificate, CN "
                    "system:node:<the node's name> (the name it registers with: hostname, "
                    "--hostname-override or the cloud provider's), or let it bootstrap one; do "
                    "not copy /var/lib/kubelet/pki between nodes", basis="reported",
                    confirm="on the node: openssl x509 -in /var/lib/kubelet/pki/kubelet-client-"
                            "current.pem -noout -subject; kubectl get nodes")]


def _binding_role_missing(denial: Denial) -> list[dict]:
    # the binding was refused, not stored: its roleRef names no role (kubernetes v1.37.2
    # pkg/registry/rbac/rolebinding/policybased/storage.go:92, validation/rule.go:243)
    (kind, name), = missing_roles(denial)
    return [finding("error", "role_not_found", {"kind": kind, "name": name},
                    f"the binding was refused: its roleRef names {kind} {name}, which does not "
                    "exist (the API server read it to check the grant)", [denial.text],
                    f"create {kind} {name} first, or point roleRef at an existing role (a "
                    "ClusterRole needs kind: ClusterRole); then apply the binding again",
                    basis="reported", confirm=f"kubectl get {kind.lower()} {name}"
                    + (" -n <the binding's namespace>" if kind == "Role" else ""))]


_SPECIAL = {"binding-role-missing": _binding_role_missing, "owner-finalizers": _owner_finalizers, "node-restriction": _node_restriction, "admission": _admission, "invalid-binding": _invalid_binding, "kubelet": _kubelet, "escalation": _escalation, "pod-security": _pod_security, "resolution-errors": _resolution_errors,
            "psp": _psp, "webhook": _webhook, "policy": _policy, "unauthenticated": _unauthenticated, "privileged-disallowed": _privileged_disallowed,
            "kubelet-nonroot": _kubelet_nonroot}


# --- what the Roles and bindings in the input add -------------------------------------------------

def _from_objects(denial: Denial, objects) -> list[dict]:
    rbac = Rbac(objects)
    if not rbac.bindings and not rbac.roles:
        return []
    applicable = [b for b in rbac.bindings if _in_scope(b, denial) and _names_user(b, denial)]
    if applicable:
        return _bound(denial, rbac, applicable)
    return (_cluster_scope(denial, rbac) or _other_namespace(denial, rbac)
            or _subject_mismatch(denial, rbac) or _role_for_cluster_scope(denial, rbac)
            or _granting_role_unbound(denial, rbac) or _nobody(denial, rbac))


def _in_scope(binding: dict, denial: Denial) -> bool:
    if binding.get("kind") == "ClusterRoleBinding":
        return True
    return not denial.cluster_scope and _ns(binding) == denial.namespace


def _names_user(binding: dict, denial: Denial) -> bool:
    ns = _ns(binding) if binding.get("kind") == "RoleBinding" else ""
    return any(applies(s, denial, ns) for s in binding.get("subjects") or [])


def _rules(role: dict | None) -> list[dict]:
    return [r for r in (role or {}).get("rules") or [] if isinstance(r, dict)]


def _would_grant(rbac: Rbac, binding: dict, denial: Denial) -> bool | None:
    """True/False when the bound role is in the input, None when it is not."""
    role = rbac.role_of(binding)
    if role is None:
        return None
    return any(grants(r, denial) for r in _rules(role))


def _bound(denial: Denial, rbac: Rbac, applicable: list[dict]) -> list[dict]:
    texts = [binding_text(b) for b in applicable]
    for binding in applicable:
        if _would_grant(rbac, binding, denial):
            return [finding("warning", "rbac_allows", subject_ref(denial),
                            f"the RBAC objects in the input allow this ({binding_text(binding)}"
                            "): the denial came from elsewhere — objects not applied (yet), "
                            "another cluster or identity, or a non-RBAC authorizer",
                            [denial.text, f"bound: {binding_text(binding)}"],
                            "apply them, and compare `kubectl auth whoami` with the denied "
                            "user", confirm=denial.can_i())]
    for binding in applicable:
        presence = rbac.role_presence(binding)
        ref = binding.get("roleRef") or {}
        if rbac.role_of(binding) is None and presence is not None and presence.absent:
            return [finding("error", "role_not_found", binding, f"{binding_text(binding)}: "
                            f"{ref.get('kind')} {ref.get('name')} does not exist",
                            [denial.text, presence.command], "create the role or fix roleRef",
                            confirm=presence.command)]
    gaps = [(b, g) for b in applicable for r in _rules(rbac.role_of(b)) if (g := gap(r, denial))]
    if gaps:
        binding, why = gaps[0]
        ref = binding.get("roleRef") or {}
        return [finding("error", "missing_permission", subject_ref(denial),
                        f"{ref.get('kind')} {ref.get('name')} (bound by {binding_text(binding)})"
                        f" {why}", [denial.text] + [f"bound: {t}" for t in texts],
                        f"add the missing part to {ref.get('kind')} {ref.get('name')}",
                        confirm=denial.can_i())]
    unknown = [b for b in applicable if rbac.role_of(b) is None]
    evidence = [denial.text] + [f"bound: {t}" for t in texts]
    if unknown:
        command = rbac.role_presence(unknown[0])
        evidence.append(f"role not in the input: {command.command if command else ''}")
    return [finding("error", "missing_permission", subject_ref(denial),
                    f"the roles bound to {denial.user} here ({', '.join(texts)}) grant "
                    f"nothing for {denial.verb} {denial.full_resource}", evidence,
                    "add a rule for it to one of those roles", confirm=denial.can_i())]


def _cluster_scope(denial: Denial, rbac: Rbac) -> list[dict]:
    """A cluster-scope request (list across namespaces, cluster-scoped resources) that only a
    RoleBinding covers."""
    if not denial.cluster_scope:
        return []
    granting = [b for b in rbac.bindings if b.get("kind") == "RoleBinding"
                and _would_grant(rbac, b, denial) is not False]
    # a denial that names no user (1.5-1.7's `User "" cannot list nodes at the cluster scope`
    # for a token the authenticator mapped to groups only; kubernetes#39194) is about the one
    # RoleBinding the paste shows granting it
    unnamed = not denial.user and len(granting) == 1
    for binding in granting:
        if _names_user(binding, denial) or unnamed:
            return [finding("error", "cluster_scope_needs_clusterrolebinding",
                            subject_ref(denial), f"{denial.user or 'the client'} asked for "
                            f"{denial.full_resource} at the cluster scope, but "
                            f"{binding_text(binding)} grants only inside "
                            + (f"namespace {_ns(binding)}" if _ns(binding) else
                               "its own namespace"),
                            [denial.text, f"bound: {binding_text(binding)}"],
                            "bind a ClusterRole with a ClusterRoleBinding, or make the client "
                            "work in one namespace (a namespaced informer / -n)",
                            confirm=denial.can_i())]
    return []


def _other_namespace(denial: Denial, rbac: Rbac) -> list[dict]:
    named = _named_role_elsewhere(denial, rbac)
    if named:
        return named
    for binding in rbac.bindings:
        if binding.get("kind") == "RoleBinding" and _ns(binding) != denial.namespace and \
                _names_user(binding, denial) and _would_grant(rbac, binding, denial) \
                is not False:
            return [finding("error", "binding_wrong_namespace", binding,
                            f"{binding_text(binding)} names {denial.user} but lives in "
                            f"namespace {_ns(binding) or '(none)'}; the request is in "
                            f"{denial.namespace or 'the cluster scope'}",
                            [denial.text, f"binding: {binding_text(binding)}"],
                            f"create the RoleBinding in namespace {denial.namespace}",
                            confirm=denial.can_i())]
    return []


def _named_role_elsewhere(denial: Denial, rbac: Rbac) -> list[dict[str, Any]]:
    """A denial that names the Role which would allow it but not its user (an aggregated API
    server's requestheader warning: `--role=extension-apiserver-authentication-reader`, k8s.io/
    apiserver v0.37.2 pkg/authentication/request/headerrequest/requestheader_controller.go:204)
    beside a RoleBinding of that Role in another namespace than the request's. A RoleBinding
    may reference only a Role of its own namespace and grants only there (RBAC docs, "A
    RoleBinding grants permissions within a specific namespace"); that Role is bootstrapped in
    kube-system (kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
    namespace_policy.go:75-77), so the binding must live where the denial is
    (kedacore/keda#1682, kubernetes/cloud-provider-vsphere#1507)."""
    if not denial.role or denial.cluster_scope or not denial.namespace:
        return []
    for binding in rbac.bindings:
        ref = binding.get("roleRef") or {}
        ns = str((binding.get("metadata") or {}).get("namespace") or "")
        if binding.get("kind") != "RoleBinding" or ref.get("kind") != "Role" \
                or ref.get("name") != denial.role or ns == denial.namespace:
            continue
        subjects = [s for s in binding.get("subjects") or [] if isinstance(s, dict)]
        who = subject_text(subjects[0], ns) if subjects else "its subject"
        as_user = (f"system:serviceaccount:{subjects[0].get('namespace') or ns}:"
                   f"{subjects[0].get('name')}" if subjects
                   and subjects[0].get("kind") == "ServiceAccount" else
                   str(subjects[0].get("name")) if subjects else "<the component's user>")
        target = denial.resource + (f"/{denial.name}" if denial.name else "")
        return [finding("error", "binding_wrong_namespace", binding,
                        f"the denial in namespace {denial.namespace} names Role {denial.role} "
                        f"there as its fix; {binding_text(binding)} binds that Role name but "
                        f"lives in namespace {ns or '(none)'}, and a RoleBinding grants only in "
                        "its own namespace (the user is not printed: the binding's subject is "
                        "taken as the component's)",
                        [denial.text, f"binding: {binding_text(binding)}"],
                        f"create the RoleBinding (roleRef Role {denial.role}, subject {who}) in "
                        f"namespace {denial.namespace}",
                        confirm=f"kubectl auth can-i {denial.verb} {target} -n "
                        f"{denial.namespace} --as={as_user}")]
    return []


def _subject_mismatch(denial: Denial, rbac: Rbac) -> list[dict]:
    sa = service_account_of(denial.user)
    flags = oidc_flags(list(getattr(rbac.dump, "texts", None) or ()))
    best, score, subject = None, 0, None
    for binding in rbac.bindings:
        ns = _ns(binding) if binding.get("kind") == "RoleBinding" else ""
        for s in binding.get("subjects") or []:
            points = _nearness(s, ns, denial, sa, binding, flags)
            if points > score and _would_grant(rbac, binding, denial) is not False:
                best, score, subject = binding, points, s
    if best is None:
        return []
    other_form = form_gap(str(subject.get("name", "")), denial.user, flags) \
        if subject.get("kind") == "User" else ""
    if other_form:
        return _user_form_mismatch(denial, best, subject or {}, other_form, flags)
    ns = _ns(best) if best.get("kind") == "RoleBinding" else ""
    cause = "binding_subject_mismatch"
    if sa and sa[1] == "default" and subject.get("name") != "default":
        cause = "default_service_account_used"
    return [finding("error", cause, best, f"{binding_text(best)} names "
                    f"{subject_text(subject, ns)}, but the denied identity is {denial.user}"
                    + (" (the pod runs as its namespace's default ServiceAccount: set "
                       "serviceAccountName)" if cause == "default_service_account_used" else ""),
                    [denial.text, f"binding subject: {subject_text(subject, ns)}"],
                    "make the subject match the identity that runs (ServiceAccount name and "
                    "namespace), or run the workload as the bound ServiceAccount",
                    confirm=denial.can_i())]


def _user_form_mismatch(denial: Denial, binding: dict, subject: dict, why: str,
                        flags: dict[str, str]) -> list[dict]:
    """A User subject written for another username prefix (_rbac/user_form.py): RBAC
    compares names byte for byte, so the binding never applies to the denied user."""
    name = subject.get("name", "")
    return [finding("error", "binding_subject_mismatch", binding,
                    f"{binding_text(binding)} names User {name}, but the API server "
                    f"authenticated the request as {denial.user}: {why}",
                    [denial.text, f"binding subject: User {name}",
                     *flag_evidence(str(name), flags)],
                    f"make the subject the username the API server reports (User "
                    f"{denial.user}), or set the authenticator's username claim and prefix to the form "
                    "the binding uses", confirm=f"kubectl auth whoami (as {denial.user}'s "
                    "kubeconfig; 1.28+): its Username is the name a User subject must match")]


def _nearness(subject: dict, binding_ns: str, denial: Denial, sa, binding: dict,
              flags: dict[str, str] | None = None) -> int:
    """How likely this subject was meant for the denied identity (0 = not at all)."""
    if subject.get("kind") == "ServiceAccount" and sa:
        ns, name = subject.get("namespace") or binding_ns, subject.get("name")
        if name == sa[1] and ns != sa[0]:
            return 3  # right name, other (or missing) namespace
        if not subject.get("namespace") and binding.get("kind") == "ClusterRoleBinding":
            return 3  # invalid: a ClusterRoleBinding's ServiceAccount needs a namespace
        if ns == sa[0] and name != sa[1]:
            return 2  # same namespace, another ServiceAccount
    if subject.get("kind") == "User" and subject.get("name", "").lower() == denial.user.lower() \
            and subject.get("name") != denial.user:
        return 2
    if subject.get("kind") == "User" and form_gap(str(subject.get("name", "")), denial.user,
                                                  flags):
        return 2  # the same user under another OIDC username prefix
    return 0


def _role_for_cluster_scope(denial: Denial, rbac: Rbac) -> list[dict]:
    """A request at the cluster scope beside a namespaced Role whose rules would allow it, and
    no ClusterRoleBinding: a Role is bound only by a RoleBinding and grants only inside its
    namespace, so no binding of it can allow a cluster-scope request (RBAC authorizer: a
    RoleBinding's rules apply to requests in its namespace; kubernetes/kubernetes#75970, fixed
    by #76014, where `auth can-i` said yes in the context's namespace for `list namespaces`
    while the request was refused at the cluster scope)."""
    if not denial.cluster_scope or any(b.get("kind") == "ClusterRoleBinding"
                                       for b in rbac.bindings):
        return []
    roles = [r for r in rbac.roles.values() if r.get("kind") == "Role"
             and any(grants(rule, denial) for rule in _rules(r))]
    if not roles:
        return []
    name, ns = (roles[0].get("metadata") or {}).get("name", ""), _ns(roles[0])
    return [finding("error", "cluster_scope_needs_clusterrolebinding", subject_ref(denial),
                    f"{denial.user or 'the client'} asked for {denial.full_resource} at the "
                    f"cluster scope; Role {ns}/{name} in the input allows {denial.verb} on it, "
                    f"but a Role grants only inside its own namespace ({ns}) through a "
                    "RoleBinding, never at the cluster scope",
                    [denial.text, f"Role {ns}/{name} grants {denial.verb} "
                     f"{denial.full_resource} in namespace {ns} only"],
                    f"put the rule in a ClusterRole and bind it with a ClusterRoleBinding to "
                    f"{denial.user or 'the client'}, or make the client work in namespace {ns}",
                    basis="inferred", confirm=denial.can_i())]


def _granting_role_unbound(denial: Denial, rbac: Rbac) -> list[dict]:
    """The paste holds a role that allows the request and no binding at all (argoproj/argo-cd
    #1265: the ClusterRole of install.yaml, the controller installed into another namespace
    than the one its ClusterRoleBinding names). The role is right, so the denial says nothing
    binds it to this identity: the binding (not pasted) names another subject, or is missing."""
    if rbac.bindings:
        return []
    granting = [r for r in rbac.roles.values() if any(grants(rule, denial) for rule in _rules(r))
                and (r.get("kind") == "ClusterRole" or _ns(r) == denial.namespace)]
    if not granting:
        return []
    name = (granting[0].get("metadata") or {}).get("name", "")
    kind = granting[0].get("kind", "Role")
    return [finding("error", "binding_subject_mismatch", subject_ref(denial),
                    f"{kind} {name} in the input allows this request, yet {denial.user} was "
                    "denied: no binding gives that role to this identity - the binding for it "
                    "(not in the input) names another subject (a ServiceAccount name or "
                    "namespace: installed into another namespace than the manifest assumes?) "
                    "or does not exist",
                    [denial.text, f"{kind} {name} grants {denial.verb} {denial.full_resource}"],
                    f"make the {'ClusterRoleBinding' if kind == 'ClusterRole' else 'RoleBinding'}"
                    f" of {name} name {denial.user} (namespace included), or create it",
                    basis="inferred", confirm="kubectl get rolebindings,clusterrolebindings -A "
                    f"-o wide | grep {name}")]


def _nobody(denial: Denial, rbac: Rbac) -> list[dict]:
    return [finding("error", "missing_permission", subject_ref(denial),
                    f"no binding in the input names {denial.user} (or a group it belongs to)",
                    [denial.text, f"bindings in the input: "
                     f"{', '.join(binding_text(b) for b in rbac.bindings[:5]) or 'none'}"],
                    f"bind a role granting {denial.verb} {denial.full_resource} to "
                    f"{denial.user}", confirm=denial.can_i())]
