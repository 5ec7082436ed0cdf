"""What the user's own sentences say about a binding, when the paste holds no RBAC objects.

Threads often carry the denial ("User system:serviceaccount:NS:SA cannot list ...") and one
sentence of the user's analysis - "the role bindings for the service account reference default
instead of autoneg", "the ClusterRoleBinding ... is hardcoded to argo-rollouts"
(GoogleCloudPlatform/gke-autoneg-controller#64, argoproj/argo-rollouts#281). With the bindings
pasted, _rbac.why compares subjects itself; without them such a sentence is the only evidence
that the binding names another subject. It is the user's statement, not the API server's: the
finding is inferred and names the command that shows the bindings' subjects.

A sentence counts only when it names a binding, says who or where it is for (a service
account, a subject or a namespace) and says that this does not match (a contrast word).

The same holds for the scope: a denial "at the cluster scope" with the user's sentence that the
grant is a namespaced one - "there were a Role and a RoleBinding, but no CR and CRB"
(CiscoDevNet/appdynamics-charts#40), "the ClusterRoleBinding object is used, but the manually
input kind `RoleBinding` doesn't match" (minio/operator#366), "Idler is cluster scoped we need
to move ... from role.yaml to cluster-role.yaml" (codeready-toolchain/host-operator#249). A
Role and a RoleBinding only grant inside their namespace, so a cluster-scope request needs a
ClusterRole bound by a ClusterRoleBinding. The sentence must name a namespaced grant (Role,
RoleBinding, role.yaml), a cluster one (ClusterRole[Binding], CR/CRB, cluster scope/wide) and
a contrast (but, no, not, instead of, doesn't match, move, need).

A ClusterRoleBinding said to be "scoped to the X namespace" is neither: it has no namespace,
so X is its subject's; X other than the denied ServiceAccount's namespace is a subject
mismatch (cloudstateio/cloudstate#123).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import finding

from _rbac.denials import Denial, normalize
from _rbac.explain import CLUSTER_SCOPED, denied_accounts, service_account_of
from _rbac.why import subject_ref

_BINDING = re.compile(r"\b(?:cluster)?role ?bindings?\b|\brbac bindings?\b", re.I)
_SUBJECT = re.compile(r"\bservice ?accounts?\b|\bsubjects?\b|\bnamespaces?\b", re.I)
_CONTRAST = re.compile(r"\binstead of\b|\bhard-?coded\b|\bdoes(?:n't| not) match\b"
                       r"|\bmismatch|\bwrong (?:namespace|service ?account|subject)\b"
                       r"|\bneeds? to (?:specify|name|reference|point)\b"
                       r"|\bshould (?:be|name|reference|point)\b", re.I)
_NAMESPACED_GRANT = re.compile(r"(?<![\w-])(?<!cluster )role(?: ?bindings?|biding|\.ya?ml|s)?\b"
                               # "the operator appears to use namespaced RBAC"
                               # (paperclipinc/openclaw-operator#529)
                               r"|\bnamespace(?:d|-scoped)\s+(?:RBAC|permissions?|roles?)\b",
                               re.I)
_CLUSTER_GRANT = re.compile(r"(?i:\bcluster[- ]?role(?: ?bindings?)?\b|\bcluster[- ]"
                            r"(?:scoped?|wide|level)\b)|\bCRB?s?\b")
_SCOPE_CONTRAST = re.compile(r"\bbut\b|\bno\b|\bnot\b|n't\b|\binstead of\b|\bmove\b|"
                             r"\bneeds?\b|\bonly\b|\bmissing\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\[(])|\n\s*\n")


def _sentences(texts: list[str]) -> list[str]:
    # a terminal's hard wrap cuts words ("`Clus" / "terRoleBinding`"): glue it back first
    lines = unwrap_free_text("\n".join(t for t in texts if t).splitlines())
    prose = "\n".join(t for t in lines if "cannot " not in t)  # not the error lines
    return [" ".join(s.split()) for s in _SENTENCE.split(prose) if s.strip()]


# "the ClusterRoleBinding ... is scoped to the `cloudstate` namespace": a ClusterRoleBinding
# has no namespace, so the namespace a user sees on it is its subject's; when that is not the
# denied ServiceAccount's, the binding names another subject (cloudstateio/cloudstate#123)
_CRB_NAMESPACE = re.compile(
    r"\bcluster ?role ?bindings?\b[^.!?]{0,120}?\b(?:scoped to|in|for|bound to|points? to)\s+"
    r"(?:the\s+)?[`'\"]?(?P<ns>[a-z0-9][a-z0-9-]*)[`'\"]?\s+namespace\b"
    # "... declares a namespace for the ClusterRoleBinding (namespace: default)": the field
    # as the manifest has it, on the subject (kubernetes-sigs/external-dns#643)
    r"|\bcluster ?role ?bindings?\b`?\s*[(`'\"]?\s*namespace:\s*[`'\"]?"
    r"(?P<field>[a-z0-9][a-z0-9-]*)", re.I)


# "the Role and RoleBinding giving access to leases were created in the release namespace
# instead of `kube-system`": the grant exists, in another namespace than the request's
# (kubernetes-sigs/node-readiness-controller#473); a RoleBinding grants only in its own
_WRONG_PLACE = re.compile(r"\b(?:instead of|rather than|not in|but not in|while|whereas)\b",
                          re.I)


def _says_wrong_namespace(sentence: str, namespace: str) -> bool:
    """The sentence puts a Role/RoleBinding in some namespace and names the request's
    `namespace` as where it is not."""
    return bool(namespace and _NAMESPACED_GRANT.search(sentence)
                and re.search(r"\bnamespaces?\b", sentence, re.I) and _WRONG_PLACE.search(sentence)
                and re.search(rf"(?<![\w-]){re.escape(namespace)}(?![\w-])", sentence))


_RELEASE_NAMESPACE = re.compile(r"\.Release\.Namespace\b")


def _templated_elsewhere(sentences: list[str], namespace: str) -> list[str]:
    """A chart's grant rendered into its release namespace (`{{ .Release.Namespace }}`) while
    the paste places the role in `namespace`, where the request was denied: a RoleBinding
    grants only in its own namespace (kubernetes/cloud-provider-vsphere#1507: the binding to
    kube-system's extension-apiserver-authentication-reader, templated into the release
    namespace)."""
    templated = [s for s in sentences if _RELEASE_NAMESPACE.search(s)]
    placed = [s for s in sentences if _NAMESPACED_GRANT.search(s)
              and re.search(rf"(?<![\w-]){re.escape(namespace)}(?![\w-])", s)]
    return templated[:1] + placed[:1] if templated and placed else []


# "This mainly changes ClusterRoleBinding to RoleBinding ... Ok, this isn't fully working"
# and a ServiceAccount then denied in another namespace than its own (integr8ly/installation
# #441): the RoleBinding grants only where it was created, the ServiceAccount's namespace
# when the chart or manifest did not say otherwise.
_NARROWED = re.compile(
    r"\bcluster ?role ?bindings?\b[^.!?]{0,40}?\b(?:to|into|with|by)\s+(?:an?\s+|the\s+)?"
    r"(?:namespaced\s+)?role ?bindings?\b|(?<!cluster)(?<!cluster )\brole ?bindings?\b"
    r"[^.!?]{0,30}?\binstead of\s+(?:an?\s+|the\s+)?cluster ?role ?bindings?\b", re.I)


def _narrowed_elsewhere(sentences: list[str], denial: Denial) -> list[str]:
    """The paste says a ClusterRoleBinding became a RoleBinding, and the ServiceAccount is
    denied outside its own namespace."""
    sa = service_account_of(denial.user)
    if not sa or sa[0] == denial.namespace:
        return []
    return [s for s in sentences if _NARROWED.search(s)][:1]


def wrong_namespace_findings(dump, denials: list[Denial]) -> list[dict]:
    """An inferred binding_wrong_namespace per namespaced denial whose namespace the paste's
    words say the Role/RoleBinding is not in (only when the paste holds no RBAC objects)."""
    sentences = _sentences(list(getattr(dump, "texts", []) or []))
    out, seen = [], set()
    for denial in denials:
        if denial.kind != "rbac" or not denial.namespace or denial.user in seen:
            continue
        said = [s for s in sentences if _says_wrong_namespace(s, denial.namespace)] \
            or _templated_elsewhere(sentences, denial.namespace) \
            or _narrowed_elsewhere(sentences, denial)
        if not said:
            continue
        seen.add(denial.user)
        out.append(finding(
            "error", "binding_wrong_namespace", subject_ref(denial),
            f"the paste says the Role/RoleBinding for {denial.user} is in another namespace "
            f"than {denial.namespace}, where the API server denied the request: a RoleBinding "
            "grants only inside its own namespace",
            [f'the paste says: "{said[0][:300]}"', denial.text],
            f"create the Role and RoleBinding in namespace {denial.namespace} (or make the "
            "client use the namespace the grant is in)", basis="inferred",
            confirm=f"kubectl get roles,rolebindings -n {denial.namespace}; "
                    f"{denial.can_i()}"))
    return out


def _says_mismatch(sentence: str) -> bool:
    return bool(_BINDING.search(sentence) and _SUBJECT.search(sentence)
                and _CONTRAST.search(sentence))


def _crb_elsewhere(sentence: str, namespace: str) -> bool:
    """The sentence puts a ClusterRoleBinding in a namespace other than `namespace`."""
    return any((m.group("ns") or m.group("field")) != namespace
               for m in _CRB_NAMESPACE.finditer(sentence))


# "I used the template ... and changed the namespaces to match mine "dev"": manifests moved to
# another namespace by hand, where a binding's subjects[].namespace is the field most often
# left behind (jcmoraisjr/haproxy-ingress#249: the ClusterRoleBinding still named the
# example's namespace)
_MOVED_NAMESPACE = re.compile(
    r"\b(?:changed|changing|renamed|replaced|edited|modified|updated|switched|set)\b[^.\n]{0,60}?"
    r"\bnamespaces?\b[^.\n]{0,40}?\bto\b|\bnamespaces?\b[^.\n]{0,30}?\b(?:changed|renamed|"
    r"replaced)\b[^.\n]{0,20}?\bto\b", re.I)


def _moved_to(sentence: str, namespace: str) -> bool:
    """The sentence says the manifests' namespace was changed to `namespace`."""
    hit = _MOVED_NAMESPACE.search(sentence)
    return bool(hit) and re.search(rf"(?<![\w-]){re.escape(namespace)}(?![\w-])",
                                   sentence[hit.start():]) is not None


def mismatch_findings(dump, denials: list[Denial]) -> list[dict]:
    """An inferred binding_subject_mismatch per denied ServiceAccount the paste's own words
    say a binding does not name (only when the paste holds no RBAC objects)."""
    sentences = _sentences(list(getattr(dump, "texts", []) or []))
    out = []
    for denial, ns, name in denied_accounts(denials):
        said = [s for s in sentences if _says_mismatch(s) or _crb_elsewhere(s, ns)
                or _moved_to(s, ns)]
        if not said:
            continue
        out.append(finding(
            "error", "binding_subject_mismatch",
            {"kind": "ServiceAccount", "namespace": ns, "name": name},
            (f"the paste says the manifests were moved to namespace {ns} by hand, where the "
             f"API server denied {denial.user}: a binding's subjects[].namespace left on the "
             "old namespace grants nothing to it" if _moved_to(said[0], ns) else
             f"the paste says a binding names another subject than {denial.user}, which the "
             "API server denied: its permissions go to a ServiceAccount name or namespace that "
             "does not run"),
            [f'the paste says: "{said[0][:300]}"', denial.text],
            f"make the binding's subject ServiceAccount {name} in namespace {ns} (or deploy the "
            "workload where the binding points)", basis="inferred",
            confirm=f"kubectl get rolebindings,clusterrolebindings -A -o wide | grep {name}"))
    return out


# "I created a ClusterRoleBinding instead of a RoleBinding": the cluster grant is the one made
_CLUSTER_INSTEAD = re.compile(r"(?i:cluster[- ]?role(?: ?bindings?)?|\bCRB?s?)\W+(?:\w+\W+){0,2}?"
                              r"instead of\W+(?:an? )?role", re.I)


def _says_namespaced_grant(sentence: str) -> bool:
    return bool(_NAMESPACED_GRANT.search(sentence) and _CLUSTER_GRANT.search(sentence)
                and _SCOPE_CONTRAST.search(sentence) and not _CLUSTER_INSTEAD.search(sentence)
                and not _CRB_NAMESPACE.search(sentence))  # that namespace is a subject's


# A request on the RBAC objects themselves ("cannot create clusterroles...", minishift#3089:
# "No error in role creation"): the paste's role words name what was being created.
_RBAC_RESOURCES = {"roles", "clusterroles", "rolebindings", "clusterrolebindings"}


# A chart installed with its cluster-wide RBAC turned off (`--set rbac.cluster=false`, values
# `rbac: {cluster: false}`, `rbac.namespaced=true`) renders a Role/RoleBinding only: a program
# that still lists across namespaces is denied at the cluster scope (dask/dask-kubernetes#916:
# the operator kept its default --all-namespaces because its args value was misspelt)
_NAMESPACED_SETTING = re.compile(
    r"\brbac\.\w*cluster\w*\s*=\s*[\"']?false\b|\brbac\.(?:namespaced|namespaceScoped|"
    r"singleNamespace)\s*=\s*[\"']?true\b|^\s*rbac:\s*\n(?:\s+[\w-]+:.*\n){0,4}?\s+"
    r"\w*cluster\w*:\s*false\b", re.I | re.M)


def _namespaced_settings(texts: list[str]) -> list[str]:
    text = "\n".join(str(t) for t in texts) + "\n"
    return [" ".join(m.group(0).split()) for m in _NAMESPACED_SETTING.finditer(text)][:1]


# "Should we use a ClusterRoleBinding ?" above an informer's list of a namespaced resource at
# the cluster scope (weaveworks/weave-gitops#1409 review; "With a clusterrolebinding it is
# working"): the user asks whether the grant must be cluster-wide, and for a list/watch across
# all namespaces it must, as a RoleBinding grants only in its namespace (the authorizer visits
# RoleBindings only for a request in a namespace: kubernetes v1.37.2
# pkg/registry/rbac/validation/rule.go:208 VisitRulesFor). Without such words a one-line
# denial stays missing_permission (the rule may as well be missing from a ClusterRole).
# Stricter than _CLUSTER_GRANT: in a question "CR" is as often a custom resource.
_CLUSTER_GRANT_NAMED = re.compile(
    r"(?i:\bcluster[- ]?role(?:[- ]?bindings?|s)?\b|\bcluster[- ](?:wide|level|scoped?)\s+"
    r"(?:rbac|permissions?|rights|access|roles?|bindings?|grants?)\b)|\bCRBs?\b")
_LIST_VERBS = {"list", "watch"}


def _asks_cluster_grant(sentence: str) -> bool:
    """A question about a cluster-wide grant ("Should we use a ClusterRoleBinding ?")."""
    return sentence.rstrip().endswith("?") and bool(_CLUSTER_GRANT_NAMED.search(sentence))


def _across_namespaces(denial: Denial) -> bool:
    """A list/watch of a namespaced resource at the cluster scope: an informer on all
    namespaces, which only a ClusterRoleBinding can allow."""
    return denial.verb in _LIST_VERBS and denial.resource not in CLUSTER_SCOPED


def scope_findings(dump: Any, denials: list[Denial]) -> list[dict[str, Any]]:
    """An inferred cluster_scope_needs_clusterrolebinding per identity denied at the cluster
    scope when the paste's own words (or the chart setting it installed with) say its grant is
    a Role / RoleBinding, or ask whether it should be a ClusterRoleBinding for a list across
    namespaces (only when the paste holds no RBAC objects)."""
    texts = list(getattr(dump, "texts", []) or [])
    sentences = _sentences(texts)
    said = [s for s in sentences if _says_namespaced_grant(s)] or _namespaced_settings(texts)
    asked = [s for s in sentences if _asks_cluster_grant(s)]
    if not said and not asked:
        return []
    out, seen = [], set()
    for denial in denials:
        if denial.kind != "rbac" or denial.namespace or denial.user in seen:
            continue  # only requests at the cluster scope
        if denial.group == "rbac.authorization.k8s.io" or denial.resource in _RBAC_RESOURCES:
            continue  # the words about roles are about the objects it was creating
        if not said and not (denial.cluster_scope and _across_namespaces(denial)):
            continue
        seen.add(denial.user)
        out.append(finding(
            "error", "cluster_scope_needs_clusterrolebinding", subject_ref(denial),
            (f"{denial.user} was denied at the cluster scope and the paste says its grant is "
             "a namespaced Role/RoleBinding" if said else
             f"{denial.user} was denied {denial.verb} {denial.resource} across all namespaces "
             "(at the cluster scope) and the paste asks whether a ClusterRoleBinding is "
             "needed (yes)") + ": a RoleBinding grants only inside its namespace, so "
            "a request across all namespaces or on a cluster-scoped resource needs a "
            "ClusterRole bound by a ClusterRoleBinding",
            [f'the paste says: "{(said or asked)[0][:300]}"', denial.text],
            "grant the rule in a ClusterRole and bind it with a ClusterRoleBinding to "
            f"{denial.user} (grant_denied.py writes both), or make the client namespaced "
            "(watch one namespace)", basis="inferred",
            confirm=f"kubectl auth can-i {denial.verb} {denial.resource} --all-namespaces "
                    f"--as={denial.user}"))
    return out


# "it was missing the serviceAccountName: kubeip-sa in the Deployment", "we forgot to set
# serviceAccountName": the workload ran as its namespace's `default` ServiceAccount
# (doitintl/kubeip#35, fixed by naming the chart's ServiceAccount)
_NO_SA_NAME = re.compile(
    r"\bserviceAccountName\b[^.!?\n]{0,80}?\b(?:missing|not set|unset|forgot\w*|absent|empty)\b"
    r"|\b(?:missing|without|forgot\w*|lacks?|lacking|no)\b[^.!?\n]{0,60}?\bserviceAccountName\b",
    re.I)


# A controller's informers list and watch every kind it reads as it starts, so one denied
# on several kinds has no rule at all, not one missing: with the identity being the
# namespace's default ServiceAccount the workload runs without its own (banzaicloud/
# pipeline#3043: traefik installed without rbac.enabled, denied ingresses, endpoints and
# services). One or two kinds denied read as a missing rule (elcarro#33, oracle-db-operator
# #148).
_KINDS_OF_A_CONTROLLER = 3


def custom_group(group: str) -> bool:
    """A custom resource's API group: not the core group, not a built-in one without a dot
    (apps, batch, extensions, policy, autoscaling), not one of Kubernetes' own `*.k8s.io`
    groups and not OpenShift's built-in `*.openshift.io` (a sigs project's `*.x-k8s.io` is a
    CRD group: it ends in `-k8s.io`)."""
    group = group.strip().lower()
    return "." in group and not group.endswith((".k8s.io", ".openshift.io"))


# A custom resource is granted only by the RBAC its operator or chart ships: Kubernetes' built-in
# roles name no custom group (bootstrap policy, kubernetes v1.37.2 plugin/pkg/auth/authorizer/
# rbac/bootstrappolicy/policy.go; CRDs reach admin/edit/view only through aggregation labels
# the CRD's own project sets), and an operator's generated ClusterRole always holds its own
# kinds (kubebuilder `+kubebuilder:rbac` markers) bound to the operator's own ServiceAccount
# (kubebuilder pkg/plugins/common/kustomize/v2/scaffolds/internal/templates/config/rbac/
# role_binding.go: subject ServiceAccount controller-manager). A namespace's default
# ServiceAccount refused a custom resource is a workload running without the ServiceAccount
# that RBAC binds: a manager deployed without its serviceAccountName, a kustomize/OLM install
# bypassed (trustyai-explainability/trustyai-service-operator#15: the manager ran as the e2e
# namespace's default ServiceAccount, denied its own TrustyAIService kind; "caused by the
# operator's incorrect deployment"). A built-in kind refused to default stays a missing rule
# (projects that bind `default` themselves: kubernetes-sigs/cluster-api#1600,
# GoogleCloudPlatform/elcarro-oracle-operator#33, where the fix was the rule).


def unbound_default_findings(denials: list[Denial]) -> list[dict]:
    """default_service_account_used for a namespace's default ServiceAccount denied on
    _KINDS_OF_A_CONTROLLER or more kinds, or on a custom resource (only when the paste holds
    no RBAC objects)."""
    kinds: dict[tuple[str, str], set] = {}
    texts: dict[tuple[str, str], list[str]] = {}
    for denial in denials:
        sa = service_account_of(denial.user) if denial.kind == "rbac" else None
        if sa and sa[1] == "default":
            kinds.setdefault(sa, set()).add((denial.group, denial.resource))
            texts.setdefault(sa, []).append(denial.text)
    out = []
    for sa, found in kinds.items():
        custom = sorted(f"{r}.{g}" for g, r in found if custom_group(g))
        if len(found) >= _KINDS_OF_A_CONTROLLER:
            why = (f"namespace {sa[0]}'s default ServiceAccount was denied {len(found)} kinds "
                   f"({', '.join(sorted(r for _, r in found))}): a controller reading them runs "
                   "with no RBAC of its own, as the default ServiceAccount (a chart installed "
                   "with RBAC off, or a pod spec without serviceAccountName)")
        elif custom:
            why = (f"namespace {sa[0]}'s default ServiceAccount was denied the custom resource "
                   f"{', '.join(custom)}: a custom resource is granted only by the RBAC its "
                   "operator or chart ships, bound to the workload's own ServiceAccount, so the "
                   "workload runs as default instead (deployed without serviceAccountName, or "
                   "outside its install manifests)")
        else:
            continue
        out.append(finding(
            "error", "default_service_account_used",
            {"kind": "ServiceAccount", "namespace": sa[0], "name": sa[1]}, why, texts[sa][:3],
            "run the workload as its own ServiceAccount bound to the rules it needs (the chart's "
            "rbac.create/rbac.enabled, the operator's install manifests, or "
            "spec.serviceAccountName); granting default grants every pod of the namespace",
            basis="inferred",
            confirm=f"kubectl get pods -n {sa[0]} -o custom-columns=NAME:.metadata.name,"
                    "SA:.spec.serviceAccountName"))
    return out


# A chart's RBAC values (`rbac.create=true`, `rbac.enabled`, `serviceAccount.create`) say the
# chart was to create the workload's own ServiceAccount and bind it; the namespace's default
# ServiceAccount being denied then says the pod does not run as it (chaoskube: the user set
# rbac.enabled where the chart reads rbac.create).
_CHART_RBAC = re.compile(r"\b(?:rbac\.(?:create|enabled)|serviceAccount\.(?:create|name))\b",
                         re.I)


# Helm 2's server side, Tiller, runs in kube-system as the ServiceAccount `helm init
# --service-account` names, else as kube-system's default one; its refusals come back to the
# client as "Error: release <name> failed: ..." (helm v2 pkg/tiller release_server.go). A
# kube-system default ServiceAccount denied in such a Helm exchange is Tiller without its own
# ServiceAccount (aws-samples/eks-workshop#55, kubeflow/trainer#106: fixed by a tiller
# ServiceAccount bound to cluster-admin and `helm init --service-account tiller --upgrade`).
_HELM2 = re.compile(r"\bError: release \S+ failed:|\btiller\b|\bhelm init\b", re.I)
# Tiller keeps each release as ConfigMaps in its own namespace (helm v2.17.0 cmd/tiller/
# tiller.go:82 `--storage` defaults to configmap, :142 ConfigMaps(namespace()), pkg/tiller/
# environment/environment.go:42 kube-system; pkg/storage/driver/cfgmaps.go:88-92 lists them),
# and the Helm 2 client prints Tiller's refusal as cobra's `Error: MSG`. Helm 3 has no server
# side and stores releases as Secrets by default (helm v3.21.4 pkg/action/action.go:388), so
# kube-system's default ServiceAccount refused ConfigMaps in kube-system, printed as a helm
# command's `Error: `, is Tiller reading its store (helm/helm#2687: `helm list` through a
# wrapper, `Error: User "system:serviceaccount:kube-system:default" cannot list configmaps in
# the namespace "kube-system"`). Not with HELM_DRIVER (Helm 3's configmap driver) or a Helm 3
# version in the paste.
_HELM = re.compile(r"\bhelm\b|\bhelm[\w.-]*\s+(?:list|ls|install|upgrade|delete|del|status|"
                   r"history|rollback|get)\b", re.I)
_HELM3 = re.compile(r"\bHELM_DRIVER\b|BuildInfo\{Version:\s*\"v3|\bhelm\s*v?3(?:\.\d+)*\b",
                    re.I)
_TILLER_STORE_VERBS = ("list", "get", "create", "update", "delete")
_CLI_ERROR = re.compile(r'(?<![\w-])Error:\s+(?:[a-z0-9.]+(?: "[^"]*")? is forbidden:\s+)?$')


def _tiller_store(dump: Any, denials: list[Denial]) -> list[str]:
    """The refusals that are Tiller reading its release ConfigMaps (see _HELM above)."""
    texts = [str(t) for t in getattr(dump, "texts", []) or []]
    whole = normalize("\n".join(texts))
    said = whole + " " + " ".join(line for line, _ in getattr(dump, "commands", []) or [])
    if not _HELM.search(said) or _HELM3.search(said):
        return []
    return [d.text for d in denials if d.kind == "rbac"
            and service_account_of(d.user) == ("kube-system", "default")
            and d.resource == "configmaps" and d.namespace == "kube-system"
            and d.verb in _TILLER_STORE_VERBS and d.text[:40] in whole
            and _CLI_ERROR.search(whole[:whole.find(d.text[:40])][-120:])]
_TILLER_FIX = ("create a ServiceAccount for Tiller and bind it (kubectl -n kube-system create "
               "serviceaccount tiller; kubectl create clusterrolebinding tiller --clusterrole "
               "cluster-admin --serviceaccount kube-system:tiller), then helm init "
               "--service-account tiller --upgrade (or move to Helm 3, which has no Tiller); "
               "do not grant the rights to kube-system's default ServiceAccount")


def default_sa_findings(dump, denials: list[Denial]) -> list[dict]:
    """An inferred default_service_account_used per denied `default` ServiceAccount whose
    workload the paste's own words say names no serviceAccountName (only when the paste holds
    no RBAC objects)."""
    sentences = _sentences(list(getattr(dump, "texts", []) or []))
    said = [s for s in sentences if _NO_SA_NAME.search(s)]
    why = "the paste says the workload names no serviceAccountName, so it ran"
    helm2 = [" ".join(t.split()) for t in getattr(dump, "texts", []) or []
             if _HELM2.search(str(t))]
    if not said and helm2 and any(service_account_of(d.user) == ("kube-system", "default")
                                  for d in denials if d.kind == "rbac"):
        said = helm2
        why = ("Helm 2's Tiller made this request (its 'release ... failed' error) and ran "
               "without a ServiceAccount of its own")
    store = [] if said else _tiller_store(dump, denials)
    if store:
        said = [" ".join(line.split()) for line in
                [c for c, _ in getattr(dump, "commands", []) or []] +
                [x for t in getattr(dump, "texts", []) or [] for x in str(t).splitlines()]
                if _HELM.search(line)][:1]
        why = ("Helm 2's Tiller made this request (a helm command's error on ConfigMaps in "
               "kube-system, where Tiller keeps its releases) and ran without a "
               "ServiceAccount of its own")
    if not said:
        # the chart's values may share the line of the error it reports ("with
        # rbac.create=true cannot list pods"), which `_sentences` leaves out
        said = [" ".join(t.split()) for t in getattr(dump, "texts", []) or []
                if _CHART_RBAC.search(str(t))]
        why = ("the paste installs a chart through its RBAC values, yet the workload ran "
               "without the chart's ServiceAccount (a value the chart does not read, or its "
               "ServiceAccount not created)")
    out, seen = [], set()
    for denial in denials:
        sa = service_account_of(denial.user) if denial.kind == "rbac" else None
        if not said or not sa or sa[1] != "default" or sa in seen:
            continue
        seen.add(sa)
        out.append(finding(
            "error", "default_service_account_used",
            {"kind": "ServiceAccount", "namespace": sa[0], "name": sa[1]},
            f"{why} as namespace {sa[0]}'s default ServiceAccount, which the API server denied",
            [f'the paste says: "{said[0][:300]}"', denial.text],
            _TILLER_FIX if why.startswith("Helm 2") else
            "set spec.serviceAccountName to the ServiceAccount the chart or manifest binds "
            "(do not grant the rights to default: every pod of the namespace runs as it)",
            basis="inferred",
            confirm=_TILLER_CONFIRM if why.startswith("Helm 2") else
            f"kubectl get pods -n {sa[0]} -o custom-columns=NAME:.metadata.name,"
            "SA:.spec.serviceAccountName"))
    return out


_TILLER_CONFIRM = ("kubectl -n kube-system get deploy tiller-deploy -o "
                   "jsonpath='{.spec.template.spec.serviceAccountName}'")
