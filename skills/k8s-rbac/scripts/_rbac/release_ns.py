"""A chart's binding that names its ServiceAccount in another namespace than the chart was
rendered into, read from the helm command in the paste.

`helm template|install|upgrade ... --namespace X` renders the chart's namespaced objects
(its ServiceAccount, its Deployment) into X; a RoleBinding/ClusterRoleBinding subject whose
ServiceAccount namespace is written into the template as something else binds an account
that does not run the workload (opensearch-project/opensearch-k8s-operator#132: the v1.0
chart's ClusterRoleBindings named namespace `default`, fixed by templating the release
namespace). Inferred: the paste shows the rendering, not the running identity."""
from __future__ import annotations

import re

from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import finding
from k8s_skillkit.objects import name_of, namespace_of

_HELM = re.compile(r"\bhelm\s+(?:template|install|upgrade)\b[^\n`]*?"
                   r"(?:--namespace[= ]|(?<!\S)-n\s+)(?P<ns>[a-z0-9][a-z0-9-]*)")
_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


def release_namespace(texts: list[str]) -> str:
    """The one namespace the paste's helm commands render into ("" for none or several)."""
    lines = unwrap_free_text("\n".join(str(t) for t in texts).splitlines())  # console cuts
    found = {m["ns"] for line in lines for m in _HELM.finditer(line)}
    return found.pop() if len(found) == 1 else ""


def release_namespace_findings(objects, texts: list[str]) -> list[dict]:
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
