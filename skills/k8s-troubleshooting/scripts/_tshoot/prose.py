"""What a report says in words, when nothing in the paste is a component's message.

A bug report often states the decisive fact only in a sentence ("the alertmanager pvc is still
unbound") beside a truncated `kubectl get pods` table. triage.py reads tables and messages; when
they yield nothing, the words are the only evidence left. A script cannot verify a sentence,
so a rule here gives a warning with basis `inferred`, the sentence as evidence and the command
that shows the state itself; a report that says none of these gets the info `not_evaluated`
(the cause cannot be told from the paste) instead of "nothing broken found".

Rules (the wording is users'; the state is Kubernetes'):
- a PersistentVolumeClaim said unbound / Pending / not bound (the PV controller leaves a claim
  Pending while no volume matches and no StorageClass provisions one: pkg/controller/volume/
  persistentvolume/pv_controller.go syncUnboundClaim, "no persistent volumes available for
  this claim and no storage class is set"; prometheus-community/helm-charts#4946) -> pvc_pending.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.prose import ProseOnly, is_report, report_lines

_PVC = r"(?:pvcs?|pvc's|persistent ?volume ?claims?|volume ?claims?)"
# "the pvc's are unbound", "alertmanager pvc still unbund", "PVC data-0 is stuck in Pending",
# "PVC pending", "unbound immediate PersistentVolumeClaims": the claim is the subject of the
# state word (not "the PVC was created and the pod is pending")
_UNBOUND = re.compile(
    rf"\b{_PVC}(?:\s+[`'\"]?[\w.-]+[`'\"]?)?\s+(?:(?:is|are|was|were|stays?|remains?|still|stuck|"
    r"keeps?|in)\s+(?:\w+\s+){0,2}?)?(?:unbo?u?nd\w*|pending|not\s+bound)\b"
    rf"|\bunbound\s+(?:immediate\s+)?{_PVC}", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no longer|not)\s+(?:\w+\s+)?(?:unbound|pending)\b", re.IGNORECASE)

_RULES = (
    (_UNBOUND, "pvc_pending",
     "the report says a PersistentVolumeClaim is unbound: a pod using it stays Pending until a "
     "PersistentVolume binds it (no default StorageClass, a storageClassName that does not "
     "exist, or no PV that matches)",
     "set an existing storageClassName on the claim (or mark a StorageClass default: "
     "storageclass.kubernetes.io/is-default-class=true), or create a matching PersistentVolume",
     "kubectl get pvc -n NAMESPACE; kubectl describe pvc NAME -n NAMESPACE; "
     "kubectl get storageclass"),
)


def findings(text: str, asks: list[str]) -> list[dict]:
    """For a paste in which nothing was found: inferred warnings for what the report says,
    else one not_evaluated info when it is a person's report; [] for anything else."""
    lines = text.splitlines()
    if not is_report(lines):
        return []
    said = report_lines(lines)
    out = []
    for pattern, cause, message, fix, confirm in _RULES:
        quoted = [line for line in said if pattern.search(line) and not _NEGATED.search(line)]
        if quoted:
            out.append(finding("warning", cause, {"kind": "Text", "name": "paste"}, message,
                               [f"in the text: {q[:200]}" for q in quoted[:2]], fix,
                               basis="inferred", confirm=confirm))
    return out or [ProseOnly("the paste", said, asks).finding()]
