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
- any other refusal of a named verb or resource -> missing_permission.
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


def findings(texts: list[str]) -> list[dict]:
    """Inferred findings for the refusals a report states in words; [] when it states none."""
    out = []
    for line in report_lines(texts):
        if not _REFUSED.search(line) or _WORKS.search(line):
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
