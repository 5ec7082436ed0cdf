"""A chart's or manifest's binding that names its ServiceAccount in another namespace than
the one it was installed into, read from the helm or kubectl command in the paste.

`helm template|install|upgrade ... --namespace X` renders the chart's namespaced objects
(its ServiceAccount, its Deployment) into X; a RoleBinding/ClusterRoleBinding subject whose
ServiceAccount namespace is written into the template as something else binds an account
that does not run the workload (opensearch-project/opensearch-k8s-operator#132: the v1.0
chart's ClusterRoleBindings named namespace `default`, fixed by templating the release
namespace). Inferred: the paste shows the rendering, not the running identity."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import finding
from k8s_skillkit.objects import name_of, namespace_of

from _rbac.denials import Denial
from _rbac.explain import service_account_of

_HELM = re.compile(r"\bhelm\s+(?:template|install|upgrade)\b[^\n`]*?"
                   r"(?:--namespace[= ]|(?<!\S)-n\s+)(?P<ns>[a-z0-9][a-z0-9-]*)")
_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


def release_namespace(texts: list[str]) -> str:
    """The one namespace the paste's helm commands render into ("" for none or several)."""
    lines = unwrap_free_text("\n".join(str(t) for t in texts).splitlines())  # console cuts
    found = {m["ns"] for line in lines for m in _HELM.finditer(line)}
    return found.pop() if len(found) == 1 else ""


def release_namespace_findings(objects: Any, texts: list[str]) -> list[dict[str, Any]]:
    release = release_namespace(texts)
    if not release:
        return []
    accounts = {(namespace_of(o), name_of(o)) for o in objects
                if o.get("kind") == "ServiceAccount"}
    out = []
    for binding in (o for o in objects if o.get("kind") in _BINDINGS):
        for subject in binding.get("subjects") or []:
            ns = subject.get("namespace") or ""
            if (subject.get("kind") != "ServiceAccount" or not ns or ns == release
                    or (ns, subject.get("name")) in accounts):
                continue
            name = subject.get("name")
            out.append(finding(
                "warning", "binding_subject_mismatch", binding,
                f"{binding.get('kind')} {name_of(binding)} names ServiceAccount {ns}/{name}, "
                f"but the chart is rendered into namespace {release} (helm --namespace "
                f"{release}), where its ServiceAccount runs: the binding grants an account "
                "nothing runs as", [f"subject: ServiceAccount {name} in namespace {ns}",
                                    f"helm ... --namespace {release}"],
                f"set the subject's namespace to the release namespace ({release}; in the "
                "chart: {{ .Release.Namespace }})", basis="inferred",
                confirm=f"kubectl get serviceaccount {name} -n {release}"))
    return out


# `kubectl apply|create -f FILE` with no namespace puts the manifest's namespaced objects
# that name none (its ServiceAccount, its controller) into the context's namespace, `default`
# unless the context sets one; its ClusterRoleBindings keep the subject namespace written in
# the file. The controller then runs as default/<name>, an account nothing binds
# (argoproj/argo-workflows#4345: install.yaml applied without -n, workflow-controller denied
# as system:serviceaccount:default:argo; "you must install into the `argo` namespace").
_APPLY = re.compile(r"\bkubectl\s+(?:apply|create)\b[^\n`]*?\s-f\s")
_NAMESPACED = re.compile(r"(?<!\S)(?:-n\s*\S|--namespace\b|-A\b|--all-namespaces\b)")
_CONTEXT_NS = re.compile(r"\bkubectl\s+config\s+set-context\b[^\n]*--namespace")


def _applied_without_namespace(texts: list[str]) -> str:
    """The paste's first `kubectl apply|create -f`, when none of them (nor a context the paste
    sets) names a namespace; "" otherwise."""
    lines = unwrap_free_text("\n".join(str(t) for t in texts).splitlines())
    applies = [line.strip() for line in lines if _APPLY.search(line)]
    starts = [m.start() if (m := _APPLY.search(line)) else 0 for line in applies]
    if any(_NAMESPACED.search(line[at:]) for line, at in zip(applies, starts)) or \
            any(_CONTEXT_NS.search(line) for line in lines):
        return ""
    return applies[0] if applies else ""


def unnamespaced_apply_findings(texts: list[str],
                                denials: list[Denial]) -> list[dict[str, Any]]:
    """binding_subject_mismatch, inferred, for a ServiceAccount of namespace default (not the
    default one) denied after the paste applied a manifest without a namespace."""
    applied = _applied_without_namespace(texts)
    if not applied:
        return []
    out, seen = [], set()
    for denial in denials:
        sa = service_account_of(denial.user) if denial.kind == "rbac" else None
        if not sa or sa[0] != "default" or sa[1] == "default" or sa in seen:
            continue
        seen.add(sa)
        out.append(finding(
            "warning", "binding_subject_mismatch",
            {"kind": "ServiceAccount", "namespace": sa[0], "name": sa[1]},
            f"the manifest was applied without a namespace, so its ServiceAccount {sa[1]} and "
            "the workload running as it landed in namespace default: if the manifest was "
            "written for another namespace, its bindings name the ServiceAccount there (a "
            "binding's subject namespace is fixed text) and the account that runs has no grant",
            [applied[:200], denial.text],
            "install into the namespace the manifest is written for (kubectl create namespace "
            "N; kubectl apply -n N -f FILE; then delete what landed in default), or change the "
            "bindings' subjects to namespace default", basis="inferred",
            confirm=f"kubectl get clusterrolebindings,rolebindings -A -o wide | grep {sa[1]}"))
    return out


# --- a release installed into another namespace than the one its account is denied in ------------

# Helm creates every rendered object that names no metadata.namespace in the release namespace:
# its kube client builds with NamespaceParam(c.namespace()).DefaultNamespace(), c.namespace()
# being --namespace (helm v3.22.0 pkg/kube/client.go:325-343). A chart that places its
# ServiceAccount by a value (`namespace: {{ template "x.namespace" . }}`) but not its Role and
# RoleBinding splits them: the account runs in N, the grant lands in the release namespace M
# and grants nothing in N (kyverno/kyverno#3389: chart 1.6.1's leader-election Role/RoleBinding,
# fixed by #3429 "add missing namespace to role and rolebinding"). The paste says where the
# release is installed: a helm command's -n M, or words ("my helm chart itself is installed
# into mynamespace").
_INSTALLED = re.compile(
    r"(?i:\b(?:installed|deployed)\s+(?:(?:it|them)\s+)?(?:in|into|to)\s+(?:the\s+)?)"
    r"(?:(?P<kw>namespace)\s+)?[`'\"]?(?P<ns>[a-z0-9][a-z0-9-]*)[`'\"]?"
    r"(?P<tail>\s+namespace\b|[.,;:!?)]?(?:\s|$))")
# words the pattern takes for a namespace that never name one
_NOT_A_NAMESPACE = {"a", "an", "my", "our", "your", "their", "its", "this", "that", "one",
                    "another", "each", "every", "all", "same", "different", "separate", "it",
                    "there", "here", "place", "cluster", "clusters", "kubernetes", "k8s",
                    "production", "minikube", "kind", "k3s", "openshift", "gke", "eks", "aks"}
_RELEASE_WORDS = re.compile(r"(?i:\bhelm\b|\bcharts?\b|\brelease\b)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\[(])")


def _said_installed_into(texts: list[str]) -> tuple[str, str]:
    """(namespace, the sentence) for the one namespace the paste's words install its
    chart/release into; ("", "") for none or several."""
    lines = unwrap_free_text("\n".join(str(t) for t in texts).splitlines())
    prose = " ".join(line for line in lines if "cannot " not in line)  # not the error lines
    found: dict[str, str] = {}
    for sentence in _SENTENCE_END.split(prose):
        if not _RELEASE_WORDS.search(sentence):
            continue
        for m in _INSTALLED.finditer(sentence):
            if m["ns"] in _NOT_A_NAMESPACE or not (m["kw"] or m["tail"].strip() or
                                                   m.end() == len(sentence)):
                continue
            found.setdefault(m["ns"], " ".join(sentence.split()))
    return next(iter(found.items())) if len(found) == 1 else ("", "")


def _values_naming(texts: list[str], namespace: str) -> str:
    """A chart value that names `namespace` ("the value kyverno.namespace set to 'kyverno'",
    `--set namespace=kyverno`): how the account came to live there."""
    text = " ".join(" ".join(str(t) for t in texts).split())
    m = re.search(r"[\w.-]*namespace\w*[`'\"]?\s*(?:=|:|\bset to\b|\bto\b)\s*[`'\"]?"
                  rf"{re.escape(namespace)}(?![\w-])[`'\"]?", text, re.I)
    return m.group(0) if m else ""


def release_elsewhere_findings(texts: list[str],
                               denials: list[Denial]) -> list[dict[str, Any]]:
    """binding_wrong_namespace, inferred, for a ServiceAccount of namespace N denied in N when
    the paste installs its release into another namespace M: the chart's Role/RoleBinding that
    name no namespace are in M. Silent when the release namespace is N."""
    release, said = release_namespace(texts), ""
    if release:
        said = f"helm ... --namespace {release}"
    else:
        release, said = _said_installed_into(texts)
    if not release:
        return []
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for denial in denials:
        sa = service_account_of(denial.user) if denial.kind == "rbac" else None
        if not sa or not denial.namespace or sa[0] != denial.namespace or \
                denial.namespace == release or sa in seen:
            continue
        seen.add(sa)
        value = _values_naming(texts, sa[0])
        out.append(finding(
            "error", "binding_wrong_namespace",
            {"kind": "ServiceAccount", "namespace": sa[0], "name": sa[1]},
            f"{denial.user} runs in namespace {sa[0]} and is denied there, but the release is "
            f"installed into namespace {release}: Helm puts every object whose template names "
            f"no namespace into the release namespace, so the chart's Role/RoleBinding for "
            f"{sa[0]} most likely landed in {release}, and a RoleBinding grants only in its own "
            "namespace", [f'the paste says: "{said[:300]}"']
            + ([f"chart value: {value}"] if value else []) + [denial.text],
            f"give the chart's Role and RoleBinding metadata.namespace: {sa[0]} (the value that "
            f"places its ServiceAccount), or install the release into {sa[0]} (helm install -n "
            f"{sa[0]})", basis="inferred", confirm=f"kubectl get rolebindings,roles -n {release}"))
    return out
