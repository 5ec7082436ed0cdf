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
  wrong namespace or ServiceAccount -> binding_subject_mismatch;
- requests said to arrive as system:anonymous -> anonymous_request; a RoleBinding said to sit in
  another namespace than the request -> binding_wrong_namespace; a grant refused for permissions
  its creator does not hold -> escalation_prevented; a ServiceAccount said not to exist (no
  binding in the sentence) -> service_account_not_found; the kubelet API / nodes/proxy said
  to refuse -> kubelet_api_forbidden; a node's certificate or CN said not to match it
  -> node_credential_mismatch.
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
_NO_PERMISSION = re.compile(r"\bmissing\s+(?:the\s+)?[`'\"]?(?:get|list|watch|create|update|patch|"
                            r"delete)[`'\"]?\s+(?:verb|permission)\b|\bmissing\s+(?:the\s+)?"
                            r"(?:RBAC\s+)?permissions?\s+(?:to|for)\b|"
                            r"\b(?:does\s*n[o']?t|do\s*n[o']?t)\s+have\s+(?:the\s+|any\s+)?(?:RBAC\s+)?"
                            r"permissions?\s+to\b|\b(?:has|have)\s+no\s+(?:RBAC\s+)?permissions?\s+to\b"
                            r"|\blacks?\s+(?:the\s+)?(?:RBAC\s+)?permissions?\s+to\b", re.IGNORECASE)
_WORKS = re.compile(r"\b(?:now|finally)\s+works?\b|\b(?:fixed|solved|resolved)\b", re.IGNORECASE)
_VERB = re.compile(r"\b(get|list|watch|create|update|patch|delete)(?:s|ing|ed)?\b", re.IGNORECASE)
# (a "service account" is not a Service)
_RESOURCE = re.compile(r"\b(pods?|secrets?|configmaps?|services?(?![ -]?accounts?)|deployments?|"
                       r"nodes?|namespaces?|"
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
    r"different)\s+namespace\b"
    # "the RoleBinding's subject names ServiceAccount argo but the pods run as argo-workflow"
    rf"|\b(?:{_BINDING_WORD}|subjects?)\b[^.\n]{{0,60}}?\b(?:names?|lists?|references?|points?\s+"
    r"to|binds?)\b[^.\n]{0,60}?\bbut\b[^.\n]{0,60}?\b(?:runs?|running|uses?|using)\s+(?:as\s+)?",
    re.IGNORECASE)
# The request said to arrive as system:anonymous (credentials not sent or not recognised:
# the authenticator's anonymous identity), refused.
_ANONYMOUS = re.compile(
    r"\b(?:as|is|are|be|being|become|becomes)\s+[`'\"]?system:anonymous\b"
    r"|\b(?:system:anonymous|anonymous\s+(?:user|requests?|access))[`'\"]?[^.\n]{0,80}?"
    r"\b(?:forbidden|403|denied|rejected|refused)\b", re.IGNORECASE)
# A RoleBinding said to sit in another namespace than the request ("the RoleBinding lives in
# namespace default but the pod runs in monitoring", "created the RoleBinding in the wrong
# namespace"): it grants only in its own namespace.
_BINDING_ELSEWHERE = re.compile(
    r"(?<![\w-])(?<!cluster )(?<!cluster-)role ?bindings?\b[^.\n]{0,40}?\b(?:is|are|was|were|"
    r"lives?|exists?|sits?|created|deployed|installed|applied)\s+(?:only\s+)?in\s+(?:the\s+)?"
    r"(?:namespace\s+)?[`'\"]?[\w-]+[`'\"]?(?:\s+namespace)?\b[^.\n]{0,40}?\b(?:but|while|whereas"
    r"|however)\b[^.\n]{0,60}?\b(?:runs?|running|lives?|is|are|sits?|deployed|request\w*)\b"
    r"[^.\n]{0,20}?\bin\b"
    r"|(?<![\w-])(?<!cluster )(?<!cluster-)role ?bindings?\b[^.\n]{0,40}?\bin\s+(?:the\s+)?"
    r"(?:wrong|another|a\s+different|other)\s+namespace\b", re.IGNORECASE)
# Creating a Role/binding refused for granting more than its creator holds (the RBAC
# escalation check, "attempting to grant RBAC permissions not currently held").
_ESCALATION = re.compile(
    r"\bgrant\w*\b[^.\n]{0,60}?\bpermissions?\b[^.\n]{0,40}?\b(?:(?:I|we|it|you|they|he|she)\s+"
    r"(?:do(?:es)?\s*n[o']?t|don't|doesn't)\s+(?:have|hold)|not\s+(?:currently\s+)?held|"
    r"(?:I|we|it|you|they)\s+(?:lack|lacks))\b"
    r"|\b(?:privilege\s+)?escalation\s+(?:prevention|check)\b[^.\n]{0,60}?\b(?:refus\w*|"
    r"reject\w*|block\w*|prevent\w*|forbid\w*|fail\w*|denied)\b", re.IGNORECASE)
# A ServiceAccount said not to exist (the ServiceAccount admission plugin refuses the pod:
# "error looking up service account NS/NAME: serviceaccount "NAME" not found").
_SA_ABSENT = re.compile(
    r"\bservice ?accounts?\b(?:\s+[`'\"]?[\w.:-]+[`'\"]?)?[^.\n]{0,60}?\b(?:does\s*n[o']?t\s+"
    r"exist|not\s+(?:found|exist\w*|created)|(?:is|was)\s+(?:missing|deleted|absent)"
    # "is missing the watch verb" says what it lacks, not that it is absent
    r"(?!\s+(?:the|a|an|any|some|its|their|[`'\"])))\b",
    re.IGNORECASE)
# The kubelet refusing the API server's kubelet-client identity (logs / exec / port-forward go
# through the kubelet API; nodes/proxy): bind system:kubelet-api-admin to that user.
_KUBELET_API = re.compile(
    r"\bkubelet(?:'s)?\s+API\b[^.\n]{0,80}?\b(?:forbidden|403|not\s+allowed|denied|refus\w*)"
    r"|\b(?:forbidden|403|not\s+allowed|denied|refus\w*)\b[^.\n]{0,80}?\bkubelet(?:'s)?\s+API\b"
    r"|\bnodes/proxy\b[^.\n]{0,60}?\b(?:forbidden|403|not\s+allowed|denied)"
    r"|\b(?:forbidden|403|not\s+allowed|denied)\b[^.\n]{0,80}?\bnodes/proxy\b", re.IGNORECASE)
# A node's credentials said not to match it (the Node authorizer allows a kubelet only as
# system:node:<its own node name>): a certificate CN or user for another name.
_NODE_CREDENTIAL = re.compile(
    r"\b(?:node|kubelet)(?:'s)?\b[^.\n]{0,40}?\b(?:certificates?|certs?|credentials?|CN|"
    r"identity|user\s*name)\b[^.\n]{0,60}?\b(?:wrong|mismatch\w*|does\s*n[o']?t\s+match|"
    r"different|another\s+node)\b", re.IGNORECASE)
_SA_BINDING = re.compile(r"\bbindings?\b|\bsubjects?\b", re.IGNORECASE)

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
           (_ANONYMOUS, "anonymous_request",
            "the report says the requests arrive as system:anonymous: the API server did not "
            "recognise credentials (none sent, an expired or foreign token/certificate), so no "
            "RBAC rule for the intended identity applies",
            "fix the client's credentials (kubeconfig user, the pod's ServiceAccount token "
            "mount); never grant permissions to system:anonymous",
            "kubectl auth whoami (1.28+), or kubectl auth can-i --list with the same kubeconfig"),
           (_BINDING_ELSEWHERE, "binding_wrong_namespace",
            "the report says the RoleBinding is in another namespace than the request: a "
            "RoleBinding grants only inside its own namespace",
            "create the RoleBinding (and Role) in the namespace of the request, or use a "
            "ClusterRoleBinding for every namespace",
            "kubectl get rolebindings -A -o wide | grep SERVICEACCOUNT"),
           (_ESCALATION, "escalation_prevented",
            "the report says creating a Role or binding is refused because it grants "
            "permissions its creator does not hold: RBAC's escalation check",
            "apply it as a user holding every permission it grants (or with the escalate / "
            "bind verb on roles)", "kubectl auth can-i --list (as the user applying it)"),
           (_KUBELET_API, "kubelet_api_forbidden",
            "the report says the kubelet refuses the API server's kubelet-client identity "
            "(logs, exec, port-forward go through the kubelet API, nodes/proxy)",
            "bind ClusterRole system:kubelet-api-admin to the user of the API server's "
            "--kubelet-client-certificate", "kubectl get clusterrolebinding -o wide | grep "
            "kubelet-api-admin"),
           (_NODE_CREDENTIAL, "node_credential_mismatch",
            "the report says the node's credentials do not match the node: the Node authorizer "
            "allows a kubelet only as system:node:<its own node name> in group system:nodes",
            "issue the kubelet's certificate with CN system:node:<node name> (O system:nodes) "
            "matching its --hostname-override / node name",
            "openssl x509 -in /var/lib/kubelet/pki/kubelet-client-current.pem -noout -subject; "
            "kubectl get nodes"),
           (_WRONG_SUBJECT, "binding_subject_mismatch",
            "the report says the binding names another namespace or ServiceAccount than the "
            "identity that is refused: it grants nothing to that identity",
            "make the binding's subject the workload's ServiceAccount in its own namespace "
            "(kind ServiceAccount, name, namespace)",
            "kubectl get rolebinding,clusterrolebinding -A -o wide and the pod's "
            "spec.serviceAccountName"),
           (_SA_ABSENT, "service_account_not_found",
            "the report says the ServiceAccount the workload names does not exist: the "
            "ServiceAccount admission plugin refuses its pods (\"error looking up service "
            "account\"), so none is created",
            "create the ServiceAccount in that namespace (the chart's serviceAccount.create), or "
            "fix spec.serviceAccountName",
            "kubectl get serviceaccounts -n NAMESPACE; kubectl describe replicaset -n NAMESPACE "
            "(FailedCreate events)"))


def _state_findings(line: str) -> list[dict]:
    return [finding("warning", cause, {"kind": "Text", "name": "paste"}, message,
                    [f"in the text: {line[:200]}"], fix, basis="inferred", confirm=confirm)
            for pattern, cause, message, fix, confirm in _STATES if pattern.search(line)
            and not (pattern is _SA_ABSENT and _SA_BINDING.search(line))]


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
