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
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

from _rbac.denials import Denial
from _rbac.explain import service_account_of

_BINDING = re.compile(r"\b(?:cluster)?role ?bindings?\b|\brbac bindings?\b", re.I)
_SUBJECT = re.compile(r"\bservice ?accounts?\b|\bsubjects?\b|\bnamespaces?\b", re.I)
_CONTRAST = re.compile(r"\binstead of\b|\bhard-?coded\b|\bdoes(?:n't| not) match\b"
                       r"|\bmismatch|\bwrong (?:namespace|service ?account|subject)\b"
                       r"|\bneeds? to (?:specify|name|reference|point)\b"
                       r"|\bshould (?:be|name|reference|point)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\[(])|\n\s*\n")


def _sentences(texts: list[str]) -> list[str]:
    prose = "\n".join(t for t in texts if t and "cannot " not in t)  # not the error lines
    return [" ".join(s.split()) for s in _SENTENCE.split(prose) if s.strip()]


def _says_mismatch(sentence: str) -> bool:
    return bool(_BINDING.search(sentence) and _SUBJECT.search(sentence)
                and _CONTRAST.search(sentence))


def mismatch_findings(dump, denials: list[Denial]) -> list[dict]:
    """An inferred binding_subject_mismatch per denied ServiceAccount the paste's own words
    say a binding does not name (only when the paste holds no RBAC objects)."""
    said = [s for s in _sentences(list(getattr(dump, "texts", []) or [])) if _says_mismatch(s)]
    if not said:
        return []
    out, seen = [], set()
    for denial in denials:
        sa = service_account_of(denial.user) if denial.kind == "rbac" else None
        if not sa or sa in seen:
            continue
        seen.add(sa)
        ns, name = sa
        out.append(finding(
            "error", "binding_subject_mismatch",
            {"kind": "ServiceAccount", "namespace": ns, "name": name},
            f"the paste says a binding names another subject than {denial.user}, which the "
            "API server denied: its permissions go to a ServiceAccount name or namespace that "
            "does not run",
            [f'the paste says: "{said[0][:300]}"', denial.text],
            f"make the binding's subject ServiceAccount {name} in namespace {ns} (or deploy the "
            "workload where the binding points)", basis="inferred",
            confirm=f"kubectl get rolebindings,clusterrolebindings -A -o wide | grep {name}"))
    return out
