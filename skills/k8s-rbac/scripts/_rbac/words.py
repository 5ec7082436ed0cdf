"""A report of a refusal in words only: no denial message, no RBAC object in the paste.

"My service account cannot list pods in kube-system, I get forbidden", "the operator fails with
403 when it tries to create leases", "I created a Role and RoleBinding but the service account
still gets forbidden when listing nodes". The sentence is the user's, not the API server's: each
finding is inferred, quotes the sentence and names the `kubectl auth can-i` that shows the
answer. Rules (RBAC semantics from kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/rbac.go
and the RBAC docs, "RoleBinding and ClusterRoleBinding"):
- a refusal (forbidden, 403, "not allowed", "permission denied", "cannot <verb>") of a
  cluster-scoped resource or across all namespaces, in a sentence that names a Role or
  RoleBinding as the grant: a RoleBinding grants only inside its namespace, so the request
  needs a ClusterRole bound by a ClusterRoleBinding -> cluster_scope_needs_clusterrolebinding;
- any other refusal of a named verb or resource ("does not have permission to list pods")
  -> missing_permission;
- a binding said to point to a role that does not exist -> role_not_found; a workload said to
  use the default ServiceAccount -> default_service_account_used; a binding said to name the
  wrong namespace or ServiceAccount -> binding_subject_mismatch.
A sentence with no refusal word, or that says the request now works, gives nothing.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.prose import report_lines

_REFUSED = re.compile(r"\bforbidden\b|\b403\b|\bnot (?:allowed|permitted|authori[sz]ed) to\b|"
                      r"\bpermission(?:s)? denied\b|\baccess denied\b|\bcan(?:no|')t (?:get|list|"
                      r"watch|create|update|patch|delete)\b|\bunable to (?:get|list|watch|create|"
                      r"update|patch|delete)\b", re.IGNORECASE)
# "does not have permission to list pods", "has no permissions to", "lacks the permission to"
_NO_PERMISSION = re.compile(r"\b(?:does\s*n[o']?t|do\s*n[o']?t)\s+have\s+(?:the\s+|any\s+)?(?:RBAC\s+)?"
                            r"permissions?\s+to\b|\b(?:has|have)\s+no\s+(?:RBAC\s+)?permissions?\s+to\b"
                            r"|\blacks?\s+(?:the\s+)?(?:RBAC\s+)?permissions?\s+to\b", re.IGNORECASE)
_WORKS = re.compile(r"\b(?:now|finally)\s+works?\b|\b(?:fixed|solved|resolved)\b", re.IGNORECASE)
_VERB = re.compile(r"\b(get|list|watch|create|update|patch|delete)(?:s|ing|ed)?\b", re.IGNORECASE)
_RESOURCE = re.compile(r"\b(pods?|secrets?|configmaps?|services?|deployments?|nodes?|namespaces?|"
                       r"leases?|events?|jobs?|persistentvolumes?|persistentvolumeclaims?|pvcs?|"
                       r"serviceaccounts?|endpoints?|endpointslices?|ingresses|"
                       r"storageclasses|customresourcedefinitions?|crds?|clusterroles?|"
                       r"statefulsets?|daemonsets?|replicasets?|cronjobs?)\b", re.IGNORECASE)
# resources without a namespace (kubectl api-resources --namespaced=false), and the words for
# a request across every namespace
_CLUSTER_SCOPED = re.compile(r"\b(?:nodes?|namespaces|persistentvolumes?|storageclasses|"
                             r"customresourcedefinitions?|crds?|clusterroles?|"
                             r"clusterrolebindings?|priorityclasses|ingressclasses|csinodes|"
                             r"csidrivers|volumeattachments|apiservices|"
                             r"certificatesigningrequests|runtimeclasses|gatewayclasses|"
                             r"deviceclasses|resourceslices|clusterqueues|resourceflavors)\b"
                             r"|\ball namespaces\b|\bcluster[- ]wide\b|\bacross (?:all )?"
                             r"namespaces\b|\bat the cluster scope\b", re.IGNORECASE)
_NAMESPACED_GRANT = re.compile(r"(?<![\w-])(?<!cluster )(?<!cluster-)role ?bindings?\b|"
                               r"(?<![\w-])(?<!cluster )(?<!cluster-)roles?\b", re.IGNORECASE)
_CLUSTER_GRANT = re.compile(r"\bcluster[- ]?role", re.IGNORECASE)


# What a sentence says of the grant itself (RBAC docs, "RoleBinding and ClusterRoleBinding"):
# a binding whose roleRef names a role that does not exist grants nothing (the authorizer's
# `role.rbac.authorization.k8s.io "x" not found`); a pod without serviceAccountName runs as
# `default`, which has no RBAC of its own; a binding whose subject names another namespace or
# ServiceAccount does not apply to the identity.
_BINDING_WORD = r"(?:cluster)?role ?bindings?|bindings?"
_ROLE_ABSENT = re.compile(
    rf"\b(?:{_BINDING_WORD})\b[^.\n]{{0,60}}?\b(?:points?|refers?|references?|roleRef)\b[^.\n]{{0,30}}?"
    r"\b(?:cluster)?roles?\b[^.\n]{0,40}?\b(?:does\s*n[o']?t\s+exist|not\s+(?:found|exist\w*)|"
    r"(?:is|was)\s+(?:missing|deleted)|non-?existent)\b", re.IGNORECASE)
_DEFAULT_SA = re.compile(r"\b(?:uses?|using|runs?\s+(?:as|with|under)|falls?\s+back\s+to)\s+(?:the\s+)?"
                         r"[`'\"]?default[`'\"]?\s+service ?accounts?\b", re.IGNORECASE)
_WRONG_SUBJECT = re.compile(
    rf"\b(?:{_BINDING_WORD}|subjects?)\b[^.\n]{{0,60}}?\b(?:wrong|another|different|other)\s+"
    r"(?:namespace|service ?account|subject)\b"
    rf"|\bbinds?\b[^.\n]{{0,40}}?\bservice ?accounts?\b[^.\n]{{0,30}}?\b(?:wrong|another|"
    r"different)\s+namespace\b", re.IGNORECASE)
_STATES = ((_ROLE_ABSENT, "role_not_found",
            "the report says a binding's roleRef names a role that does not exist: it grants "
            "nothing until that Role/ClusterRole exists (roleRef cannot be changed)",
            "create the Role/ClusterRole the binding names, or recreate the binding with an "
            "existing roleRef",
            "kubectl get rolebinding,clusterrolebinding -A -o wide (ROLE column) and kubectl "
            "get role,clusterrole NAME"),
           (_DEFAULT_SA, "default_service_account_used",
            "the report says the workload runs as the namespace's `default` ServiceAccount: it "
            "has no RBAC of its own, so every API call it makes is refused",
            "create a ServiceAccount for the workload, bind the Role it needs to it, and set "
            "spec.serviceAccountName (the chart's serviceAccount.create / name values)",
            "kubectl get pod NAME -n NAMESPACE -o jsonpath='{.spec.serviceAccountName}'"),
           (_WRONG_SUBJECT, "binding_subject_mismatch",
            "the report says the binding names another namespace or ServiceAccount than the "
            "identity that is refused: it grants nothing to that identity",
            "make the binding's subject the workload's ServiceAccount in its own namespace "
            "(kind ServiceAccount, name, namespace)",
            "kubectl get rolebinding,clusterrolebinding -A -o wide and the pod's "
            "spec.serviceAccountName"))


def _state_findings(line: str) -> list[dict]:
    return [finding("warning", cause, {"kind": "Text", "name": "paste"}, message,
                    [f"in the text: {line[:200]}"], fix, basis="inferred", confirm=confirm)
            for pattern, cause, message, fix, confirm in _STATES if pattern.search(line)]


def findings(texts: list[str]) -> list[dict]:
    """Inferred findings for the refusals a report states in words; [] when it states none."""
    out = []
    for line in report_lines(texts):
        if _WORKS.search(line):
            continue
        states = _state_findings(line)
        if states:
            out += states
            continue
        if not (_REFUSED.search(line) or _NO_PERMISSION.search(line)):
            continue
        verb, resource = _VERB.search(line), _RESOURCE.search(line)
        if not (verb or resource):
            continue
        out.append(_finding(line, verb.group(1).lower() if verb else "VERB",
                            _plural(resource.group(1)) if resource else "RESOURCE"))
    return out[:2]


def _plural(word: str) -> str:
    word = word.lower()
    if word in ("pvc", "pvcs"):
        return "persistentvolumeclaims"
    if word in ("crd", "crds"):
        return "customresourcedefinitions"
    return word if word.endswith("s") else word + "s"


def _finding(line: str, verb: str, resource: str) -> dict:
    can_i = f"kubectl auth can-i {verb} {resource} --as=system:serviceaccount:NAMESPACE:NAME"
    if _CLUSTER_SCOPED.search(line) and _NAMESPACED_GRANT.search(line) \
            and not _CLUSTER_GRANT.search(line):
        return finding("warning", "cluster_scope_needs_clusterrolebinding",
                       {"kind": "Text", "name": "paste"},
                       "the report says a Role/RoleBinding grants it and the request is refused "
                       "on a cluster-scoped resource or across namespaces: a RoleBinding grants "
                       "only inside its namespace", [f"in the text: {line[:200]}"],
                       "put the rule in a ClusterRole and bind it with a ClusterRoleBinding "
                       "(grant_denied.py writes both)", basis="inferred",
                       confirm=can_i.replace(" --as", " --all-namespaces --as"))
    return finding("warning", "missing_permission", {"kind": "Text", "name": "paste"},
                   "the report says the request is refused: no RBAC rule bound to the identity "
                   f"allows {verb} {resource} there (the exact denial names the identity, verb, "
                   "resource and scope)", [f"in the text: {line[:200]}"],
                   "paste the Forbidden message (kubectl or the controller's log) to name the "
                   "missing rule, then grant it in a Role/ClusterRole bound to that identity",
                   basis="inferred", confirm=can_i + " -n NAMESPACE")
