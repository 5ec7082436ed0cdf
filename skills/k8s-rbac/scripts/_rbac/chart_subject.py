"""A chart whose binding template names the ServiceAccount by another template than the one
its values set: with `serviceAccount.name: X` the chart's ServiceAccount (and the pods) are X,
while a subject written as `{{ include "<chart>.fullname" . }}` binds the release's full name,
an account nothing runs as. The chart's own `serviceAccountName` helper is the name the pods
use (helm v3.22.0 pkg/chartutil/create.go:618, the `<CHARTNAME>.serviceAccountName` helper
`helm create` writes, returns .Values.serviceAccount.name when set). JetBrains/datalore-configs#29:
a custom serviceAccount.name was denied pods/create. Inferred: the paste shows the template,
not the rendered binding."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

from _rbac.denials import Denial
from _rbac.explain import denied_accounts

# values.yaml's `serviceAccount:` block with its `name:`, or `--set serviceAccount.name=X`
_VALUES_NAME = re.compile(r"^\s*serviceAccount:\s*\n(?:\s+#.*\n|\s+\w+:.*\n){0,4}?\s+name:\s*"
                          r"[\"']?(?P<name>[a-z0-9][a-z0-9.-]*)[\"']?\s*$"
                          r"|serviceAccount\.name=(?P<set>[a-z0-9][a-z0-9.-]*)", re.M)
_BINDING = re.compile(r"^\s*kind:\s*(?:Cluster)?RoleBinding\s*$", re.M)
# a subject of kind ServiceAccount whose name is a template expression
_SUBJECT = re.compile(r"-\s*kind:\s*ServiceAccount\s*\n(?:\s+\w+:.*\n){0,2}?\s+name:\s*"
                      r"(?P<expr>\{\{[^}\n]*\}\})", re.M)


def chart_subject_findings(texts: list[str], denials: list[Denial]) -> list[dict]:
    text = "\n".join(str(t) for t in texts) + "\n"
    values = {m.group("name") or m.group("set") for m in _VALUES_NAME.finditer(text)}
    if not values or not _BINDING.search(text):
        return []
    subjects = [m.group("expr") for m in _SUBJECT.finditer(text)
                if "serviceaccount" not in m.group("expr").lower()]
    if not subjects:
        return []
    out = []
    for denial, ns, name in denied_accounts(denials):
        if name not in values:
            continue
        out.append(finding(
            "error", "binding_subject_mismatch",
            {"kind": "ServiceAccount", "namespace": ns, "name": name},
            f"the chart's values name the ServiceAccount {name}, but its binding template names "
            f"the subject {subjects[0]}, not the values' name: the binding grants an account "
            "nothing runs as, so the denied one has no rule",
            [f"values: serviceAccount.name {name}", f"binding subject name: {subjects[0]}",
             denial.text],
            "template the subject with the chart's ServiceAccount helper (name: {{ include "
            "\"<chart>.serviceAccountName\" . }}, the one the pods use), or leave "
            "serviceAccount.name unset so both are the full name", basis="inferred",
            confirm=f"helm template ... | grep -B4 -A8 'kind: ServiceAccount' ; kubectl get "
                    f"rolebindings,clusterrolebindings -A -o wide | grep {name}"))
    return out


# The same bug said in words, with no template pasted: "if you pass a custom name other than
# `X`, then the controller pod gets stuck" and the ServiceAccount denied is the name passed
# (aws-controllers-k8s/iam-controller#88, fixed in code-generator#468: the leader-election
# RoleBinding named the fixed default ServiceAccount, not the `service-account.name` helper;
# JetBrains/datalore-configs#29, "Custom service account name is not used in role binding").
# A chart's helper-templated objects follow the value; the failure following the name choice
# says one binding does not. Three things must hold: the paste installs through a chart, a
# sentence says a custom / non-default / other-than name was given, and the denied
# ServiceAccount's name is quoted outside the error lines (the value the user passed).
_CHART = re.compile(r"\bhelm\b|\bcharts?\b|\bvalues\.ya?ml\b|--set\b", re.I)
_CUSTOM_NAME = re.compile(
    r"\b(?:custom|non-?default|different|overrid\w*)\b[^.!?\n]{0,40}?\bnames?\b"
    r"|\bnames?\b[^.!?\n]{0,40}?\bother than\b", re.I)


def custom_name_findings(texts: list[str], denials: list[Denial]) -> list[dict[str, Any]]:
    """An inferred binding_subject_mismatch for a ServiceAccount the paste says was given a
    custom name through a chart, that name being the one denied (no RBAC objects pasted)."""
    prose = [line for t in texts for line in str(t).splitlines()
             if "cannot " not in line and "forbidden" not in line.lower()]
    said = [line for line in prose if _CUSTOM_NAME.search(line)]
    if not said or not _CHART.search("\n".join(str(t) for t in texts)):
        return []
    out = []
    for denial, ns, name in denied_accounts(denials):
        named = re.compile(rf"(?<![\w.:-]){re.escape(name)}(?![\w.:-])")
        if name == "default" or not any(named.search(line) for line in prose):
            continue
        out.append(finding(
            "error", "binding_subject_mismatch",
            {"kind": "ServiceAccount", "namespace": ns, "name": name},
            f"the paste says the chart was given a custom ServiceAccount name, and {name}, the "
            "name given, is denied: the pods follow the value while a binding of the chart "
            "still names its default ServiceAccount (a subject written as a fixed name or the "
            "full name, not the chart's serviceAccountName helper)",
            [f'the paste says: "{" ".join(said[0].split())[:300]}"', denial.text],
            "template every binding subject of the chart with its ServiceAccount helper (the "
            "one the pods use), or keep the chart's default name; as a stopgap bind the role "
            f"to ServiceAccount {ns}/{name} too", basis="inferred",
            confirm=f"kubectl get rolebindings -n {ns} -o wide; kubectl get "
                    f"clusterrolebindings -o wide | grep {ns}/"))
    return out
