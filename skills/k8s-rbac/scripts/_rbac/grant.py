"""The least RBAC that lets a denied request through: one rule per denied request, nothing more.

What "least" means here follows the authorizer at kubernetes v1.37.2
(pkg/apis/rbac/v1/evaluation_helpers.go): a rule matches a verb, an API group, a resource
("pods/log" for a subresource: `pods` alone does not grant it) and, when the request names
an object, optionally that name (ResourceNameMatches). So the rule carries exactly the
message's verb, group and resource, and `resourceNames` when the message named the object
(get/update/patch/delete and subresources of one object; list/watch/create of a collection
carry no name). A RoleBinding grants only in its own namespace; a request `at the cluster
scope` (a cluster-scoped kind, or a list across namespaces) needs a ClusterRole bound by a
ClusterRoleBinding; a non-resource URL (`cannot get path "/metrics"`) needs a ClusterRole
with `nonResourceURLs`.

Identities: `system:serviceaccount:<ns>:<name>` becomes a ServiceAccount subject
(pkg/serviceaccount/util.go MakeUsername); anything else a User. Two identities are never
granted to: `system:anonymous` (the request carried no credentials the apiserver accepted:
fix the credentials) and `system:node:<n>` or a bare `system:node` (kubelets are authorized by
the Node authorizer, which needs the node's name in the certificate's CN; RBAC grants to them
are the wrong fix: jetstack/tarmak#33, one `CN=system:node` kubeconfig shared by every node).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from _rbac.denials import Denial, missing_roles
from _rbac.explain import CLUSTER_SCOPED, groups_of, service_account_of

RBAC_GROUP = "rbac.authorization.k8s.io"
# Verbs that are privilege escalation in one step (kubernetes docs "RBAC good practices";
# pkg/registry/rbac/escalation_check.go) and resources whose read reveals credentials.
ESCALATING_VERBS = {"escalate", "bind", "impersonate"}
SENSITIVE = {("", "secrets"), ("", "serviceaccounts/token"), ("", "pods/exec"),
             ("", "pods/attach"), ("", "nodes/proxy")}
# The 1.6-1.10 wording ends with kubectl's `(get deployments.extensions web)`: verb, resource,
# and the object's name when there was one (kubernetes v1.9.0 staging/src/k8s.io/client-go/
# rest/request.go transformResponse -> apimachinery errors.NewGenericServerResponse).
_LEGACY_NAME = re.compile(r"^\w+ [a-z0-9.\-/]+ ([a-z0-9][a-z0-9.\-]*)$")


@dataclass
class Grant:
    """The Role (or ClusterRole) and binding for one identity in one scope."""
    user: str
    namespace: str                      # "" = cluster scope
    rules: list[dict] = field(default_factory=list)
    answers: list[Denial] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def cluster(self) -> bool:
        return not self.namespace


class Refused(Exception):
    """A denial no grant should answer (anonymous, a node, not an RBAC denial)."""


def object_name(denial: Denial) -> str:
    if denial.name:
        return denial.name
    legacy = _LEGACY_NAME.match(denial.reason or "")
    return legacy.group(1) if legacy else ""


def refusal(denial: Denial) -> str:
    """Why no RBAC grant is the fix for this denial ("" = a grant is the fix)."""
    if denial.kind not in ("rbac", "path"):
        return f"not an RBAC denial ({denial.kind}): audit_rbac.py explains it"
    if not denial.user:
        return "the message does not say who was denied: run `kubectl auth whoami`"
    if denial.user == "system:anonymous":
        return ("the request ran as system:anonymous: its credentials were not sent or not "
                "accepted; fix the credentials, never grant to anonymous")
    if denial.user == "system:node" or denial.user.startswith("system:node:"):
        return ("a node's credentials: kubelets are authorized by the Node authorizer, not "
                "by RBAC grants; use the right kubeconfig")
    return ""


def rule_for(denial: Denial, by_name: bool = True) -> dict:
    """The one PolicyRule that matches this request and nothing else it could name."""
    if denial.kind == "path":
        return {"nonResourceURLs": [denial.path], "verbs": [denial.verb]}
    rule = {"apiGroups": [denial.group], "resources": [denial.full_resource],
            "verbs": [denial.verb]}
    name = object_name(denial) if by_name else ""
    if name:
        rule["resourceNames"] = [name]
    return rule


def subject_for(user: str) -> dict:
    sa = service_account_of(user)
    if sa:
        return {"kind": "ServiceAccount", "name": sa[1], "namespace": sa[0]}
    return {"kind": "User", "name": user, "apiGroup": RBAC_GROUP}


def plan(denials: list[Denial], by_name: bool = True) -> tuple[list[Grant], list[tuple[Denial, str]]]:
    """(grants, refused): one Grant per (identity, scope); rules of one grant merged."""
    grants: dict[tuple[str, str], Grant] = {}
    refused = []
    for denial in denials:
        why = refusal(denial)
        if why:
            refused.append((denial, why))
            continue
        scope = "" if denial.kind == "path" or denial.cluster_scope else denial.namespace
        grant = grants.setdefault((denial.user, scope), Grant(denial.user, scope))
        grant.answers.append(denial)
        grant.rules.append(rule_for(denial, by_name))
        grant.notes += notes_for(denial)
    for grant in grants.values():
        grant.rules = merge_rules(grant.rules)
        grant.notes = list(dict.fromkeys(grant.notes))
    return list(grants.values()), refused


def merge_rules(rules: list[dict]) -> list[dict]:
    """Rules that differ only in verbs, or only in resources, become one rule (RBAC takes
    the cross product of a rule's lists, so merging across both would grant more)."""
    by_target: dict[tuple, set] = {}
    for rule in rules:
        key = tuple((k, tuple(v)) for k, v in sorted(rule.items()) if k != "verbs")
        by_target.setdefault(key, set()).update(rule["verbs"])
    by_verbs: dict[tuple, list[str]] = {}
    for key, verbs in by_target.items():
        fields = dict(key)
        if "resources" in fields and "resourceNames" not in fields:
            group_key = (fields["apiGroups"], tuple(sorted(verbs)))
            by_verbs.setdefault(group_key, []).extend(fields["resources"])
            continue
        by_verbs[("single",) + key + (tuple(sorted(verbs)),)] = []
    out = []
    for key, resources in by_verbs.items():
        if key[0] == "single":
            fields = {k: list(v) for k, v in key[1:-1]}
            out.append(_ordered({**fields, "verbs": list(key[-1])}))
        else:
            out.append(_ordered({"apiGroups": list(key[0]), "resources":
                                 sorted(set(resources)), "verbs": list(key[1])}))
    return out


def _ordered(rule: dict) -> dict:
    order = ("apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs")
    return {k: rule[k] for k in order if k in rule}


def notes_for(denial: Denial) -> list[str]:
    notes = []
    if denial.verb in ESCALATING_VERBS:
        notes.append(f"'{denial.verb}' is privilege escalation in one step: grant it only if "
                     "this identity must manage RBAC or act as others")
    if (denial.group, denial.full_resource) in SENSITIVE or denial.resource == "secrets":
        notes.append(f"{denial.full_resource} gives access to credentials or a shell: check "
                     "that this identity really needs it")
    if denial.cluster_scope and denial.kind == "rbac" and denial.resource not in CLUSTER_SCOPED:
        notes.append(f"{denial.full_resource} is namespaced but was asked at the cluster scope "
                     "(all namespaces): a client that works in one namespace (-n, a "
                     "namespaced informer) needs only a Role there")
    for kind, name in missing_roles(denial):
        notes.append(f"the authorizer said {kind} {name} does not exist: an existing binding "
                     f"points at it; creating {kind} {name} may be the intended fix")
    return notes


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return slug[:50].strip("-") or "grant"


def default_name(user: str) -> str:
    sa = service_account_of(user)
    return "grant-" + _slug(f"{sa[0]}-{sa[1]}" if sa else user)


def objects(grant: Grant, name: str) -> list[dict]:
    """[Role, RoleBinding] or [ClusterRole, ClusterRoleBinding] for one grant."""
    role_kind = "ClusterRole" if grant.cluster else "Role"
    meta = {"name": name} | ({} if grant.cluster else {"namespace": grant.namespace})
    role = {"apiVersion": f"{RBAC_GROUP}/v1", "kind": role_kind, "metadata": dict(meta),
            "rules": grant.rules}
    binding = {"apiVersion": f"{RBAC_GROUP}/v1", "kind": role_kind + "Binding",
               "metadata": dict(meta), "subjects": [subject_for(grant.user)],
               "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": name}}
    return [role, binding]


def access_review(denial: Denial) -> dict:
    """The SubjectAccessReview that asks the apiserver the denied question again, as the
    denied identity (authorization.k8s.io/v1 SubjectAccessReviewSpec)."""
    spec: dict = {"user": denial.user, "groups": sorted(groups_of(denial))}
    if denial.kind == "path":
        spec["nonResourceAttributes"] = {"path": denial.path, "verb": denial.verb}
    else:
        attrs = {"verb": denial.verb, "group": denial.group, "resource": denial.resource}
        for key, value in (("subresource", denial.subresource),
                           ("namespace", "" if denial.cluster_scope else denial.namespace),
                           ("name", object_name(denial))):
            if value:
                attrs[key] = value
        spec["resourceAttributes"] = attrs
    return {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": spec}

