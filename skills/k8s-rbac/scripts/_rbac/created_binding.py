"""A RoleBinding the paste creates with `kubectl create rolebinding ... --serviceaccount=A:S`
in another namespace B than its subject's, beside a denial that names no other identity.

Two facts decide it, both upstream:
- the RoleBinding lives in the namespace the command names (-n), else the kubeconfig
  context's, `default` when the context names none (kubectl v0.37.2 pkg/cmd/create/
  create_rolebinding.go:132 ToRawKubeConfigLoader().Namespace(); client-go v0.37.2
  tools/clientcmd/client_config.go:417-418), and grants only there;
- a pod runs as a ServiceAccount of its own namespace (kubernetes v1.37.2 plugin/pkg/
  admission/serviceaccount/admission.go:157-162: `default` when spec.serviceAccountName is
  unset, looked up in the pod's namespace).
So a binding in B naming A:S grants nothing to the pods in B (they cannot run as A:S) and
nothing to A:S in A. When the paste runs a workload in B, the subject is the wrong account
(argoproj/argo-workflows#1683: the demo's `kubectl create rolebinding default-admin
--clusterrole=admin --serviceaccount=argo:default` in namespace default, the workflow
submitted to default and run as default:default; PR #1708 fixed the demo's command). When it
also runs one in A, the near reading is a binding meant for A created in B. Inferred: the
paste shows the commands, not the running pods.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import finding

from _rbac.denials import Denial
from _rbac.explain import service_account_of

_CREATE_BINDING = re.compile(r"\b(?:kubectl|oc)\s+create\s+rolebinding\s+(?P<rest>[^\n`]*)")
# commands that start pods in the namespace they name, else the context's (a manifest applied
# with -f may name its own namespace, so it counts only with an explicit -n)
_RUNS = re.compile(r"\b(?:argo\s+submit|helm\s+(?:install|upgrade)|(?:kubectl|oc)\s+(?:run|"
                   r"create\s+(?:job|deployment|deploy|cronjob)))\b(?P<rest>[^\n`]*)")
_APPLIES = re.compile(r"\b(?:kubectl|oc)\s+(?:apply|create|replace)\b(?=[^\n`]*\s-f)"
                      r"(?P<rest>[^\n`]*)")
_CONTEXT_NS = re.compile(r"\bkubectl\s+config\s+set-context\b[^\n`]*?--namespace[= ]"
                         r"(?P<ns>[a-z0-9][a-z0-9-]*)")
_DEFAULT_NS = "default"
# a real name, not a placeholder from a message or a doc (`--serviceaccount=YOUR_NS:YOUR_SA`
# in the apiserver's requestheader hint, denials.py _REQUESTHEADER)
_DNS_LABEL = re.compile(r"[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?")


@dataclass
class Created:
    """One `kubectl create rolebinding` with a ServiceAccount subject."""
    line: str
    name: str
    namespace: str   # where the binding lives
    role: str        # "ClusterRole admin" / "Role x"
    subject: tuple[str, str]


def _words(rest: str) -> list[str]:
    try:
        return shlex.split(rest)
    except ValueError:  # an unbalanced quote in a pasted line: plain words
        return rest.split()


def _flag(words: list[str], *names: str) -> list[str]:
    """Every value of the flags `names` (`--x v`, `--x=v`, `-n v`)."""
    out = []
    for index, word in enumerate(words):
        key, eq, value = word.partition("=")
        if key in names and eq:
            out.append(value)
        elif word in names and index + 1 < len(words):
            out.append(words[index + 1])
    return out


def _namespace(words: list[str], context: str) -> str:
    return next(iter(_flag(words, "-n", "--namespace")), context)


def _lines(texts: list[str]) -> list[str]:
    return unwrap_free_text("\n".join(str(t) for t in texts).splitlines())


def created_bindings(texts: list[str]) -> list[Created]:
    """The paste's `kubectl create rolebinding` commands whose ServiceAccount subject lives in
    another namespace than the binding."""
    lines = _lines(texts)
    context = next((m["ns"] for line in lines for m in _CONTEXT_NS.finditer(line)), _DEFAULT_NS)
    out = []
    for line in lines:
        for m in _CREATE_BINDING.finditer(line):
            words = _words(m["rest"])
            role = [f"ClusterRole {r}" for r in _flag(words, "--clusterrole")] + \
                [f"Role {r}" for r in _flag(words, "--role")]
            name = next((w for w in words if not w.startswith("-")), "")
            namespace = _namespace(words, context)
            for account in _flag(words, "--serviceaccount"):
                sa_ns, colon, sa = account.partition(":")
                if colon and sa_ns != namespace and name and \
                        all(_DNS_LABEL.fullmatch(v) for v in (sa_ns, sa, namespace)):
                    out.append(Created(line.strip(), name, namespace, (role or [""])[0],
                                       (sa_ns, sa)))
    return out


def workload_namespaces(texts: list[str]) -> dict[str, str]:
    """{namespace: the command line} for each namespace the paste starts pods in."""
    lines = _lines(texts)
    context = next((m["ns"] for line in lines for m in _CONTEXT_NS.finditer(line)), _DEFAULT_NS)
    out: dict[str, str] = {}
    for line in lines:
        for m in _RUNS.finditer(line):
            out.setdefault(_namespace(_words(m["rest"]), context), line.strip())
        for m in _APPLIES.finditer(line):
            explicit = _flag(_words(m["rest"]), "-n", "--namespace")
            if explicit:
                out.setdefault(explicit[0], line.strip())
    return out


def _denied_here(denial: Denial, binding: Created) -> bool:
    """A denial the binding was meant to prevent: its identity unnamed or an account of the
    binding's namespace other than the subject, its namespace unnamed or the binding's."""
    if denial.kind != "rbac" or denial.namespace not in ("", binding.namespace):
        return False
    if not denial.user:
        return True
    sa = service_account_of(denial.user)
    return sa is not None and sa[0] == binding.namespace and sa != binding.subject


def created_binding_findings(texts: list[str],
                             denials: list[Denial]) -> list[dict[str, Any]]:
    """binding_subject_mismatch, inferred, for a RoleBinding created in B naming a
    ServiceAccount of A when the paste starts pods in B and one of its denials fits; then
    binding_wrong_namespace when it starts pods in A too. Silent when no pods run in B."""
    runs = workload_namespaces(texts)
    out: list[dict[str, Any]] = []
    for b in created_bindings(texts):
        denial = next((d for d in denials if _denied_here(d, b)), None)
        if denial is None or b.namespace not in runs:
            continue
        out.append(_subject_finding(b, runs[b.namespace], denial))
        if b.subject[0] in runs:
            out.append(_namespace_finding(b, runs[b.subject[0]], denial))
    return out


def _role_flag(b: Created) -> str:
    kind, _, name = b.role.partition(" ")
    return f"--{kind.lower()}={name}" if name else "--clusterrole=ROLE"


def _runs_as(denial: Denial, run: str) -> str:
    sa = service_account_of(denial.user) if denial.user else None
    named = _flag(_words(run), "--serviceaccount", "--service-account")
    return sa[1] if sa else (named[0] if named else "default")


def _subject_finding(b: Created, run: str, denial: Denial) -> dict[str, Any]:
    ns, (sa_ns, sa) = b.namespace, b.subject
    runs_as = _runs_as(denial, run)
    return finding(
        "error", "binding_subject_mismatch", {"kind": "RoleBinding", "namespace": ns,
                                              "name": b.name},
        f"RoleBinding {b.name} is created in namespace {ns} but binds ServiceAccount "
        f"{sa_ns}:{sa}, while the workload runs in {ns}: a pod runs as an account of its own "
        f"namespace ({ns}:{runs_as} unless its spec names another), so the binding grants the "
        f"pods in {ns} nothing (and {sa_ns}:{sa} nothing in {sa_ns}: a RoleBinding grants only "
        "in its own namespace)",
        [f"binding: {b.line[:200]} (namespace {ns}: its -n, else the context's, default "
         "when the context names none)", f"workload: {run[:200]}", denial.text[:300]],
        f"bind the account the pods run as: kubectl create rolebinding {b.name} "
        f"{_role_flag(b)} --serviceaccount={ns}:{runs_as} "
        f"-n {ns}", basis="inferred",
        confirm=_can_i(denial, ns, runs_as))


def _namespace_finding(b: Created, run: str, denial: Denial) -> dict[str, Any]:
    sa_ns, sa = b.subject
    return finding(
        "warning", "binding_wrong_namespace", {"kind": "RoleBinding", "namespace": b.namespace,
                                               "name": b.name},
        f"if the pods that need it run in {sa_ns} as {sa}, RoleBinding {b.name} is in the "
        f"wrong namespace ({b.namespace}): a RoleBinding grants only in its own namespace",
        [f"binding: {b.line[:200]}", f"workload in {sa_ns}: {run[:200]}"],
        f"create the binding in {sa_ns}: kubectl create rolebinding {b.name} "
        f"{_role_flag(b)} --serviceaccount={sa_ns}:{sa} "
        f"-n {sa_ns}", basis="inferred", confirm=f"kubectl get rolebindings -n {sa_ns} -o wide")


def _can_i(denial: Denial, namespace: str, account: str) -> str:
    resource = denial.resource + (f"/{denial.subresource}" if denial.subresource else "")
    verb = denial.verb or "get"
    return (f"kubectl auth can-i {verb} {resource or 'pods'} -n {namespace} "
            f"--as=system:serviceaccount:{namespace}:{account}")
