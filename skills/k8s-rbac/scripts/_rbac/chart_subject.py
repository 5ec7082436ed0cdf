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
