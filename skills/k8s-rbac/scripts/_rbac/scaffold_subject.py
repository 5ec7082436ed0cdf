"""A binding subject still holding kubebuilder's kustomize placeholder namespace `system`.

Kubebuilder (and operator-sdk, which uses its scaffolds) writes config/rbac/*_binding.yaml
with the subject `kind: ServiceAccount, name: controller-manager, namespace: system`
(go/v2 scaffolds: name `default`); config/default/kustomization.yaml then sets
`namespace: <project>-system` and `namePrefix: <project>-`, which kustomize applies to the
subject too (kubernetes-sigs/kubebuilder v4.15.0-256-g5c400728 pkg/plugins/common/kustomize/v2/
scaffolds/internal/templates/config/rbac/cluster_role_binding.go clusterRoleBindingTemplate,
leader_election_role_binding.go, namespaced_role_binding.go; kdefault/kustomization.go:48,55;
v3.15 testdata/project-v2/config/rbac/role_binding.yaml). A binding applied or templated without
that build (a Helm chart copied from config/rbac, `kubectl apply -f config/rbac`) grants an
account in a namespace `system` the operator does not run in, while its own ServiceAccount
(`<project>-controller-manager` in the install namespace) gets nothing
(redhat-cop/resource-locker-operator#61). Inferred: a cluster may have a namespace `system`;
the paste of a binding (or its `subjects:` fragment) does not show where the pods run.
"""
from __future__ import annotations

from typing import Any

import yaml

from k8s_skillkit.findings import finding

PLACEHOLDER_NS = "system"
_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


def _subject_lists(node: Any) -> list[tuple[dict, list]]:
    """(the mapping holding it, its `subjects` list) for every `subjects:` in `node`."""
    out: list[tuple[dict, list]] = []
    if isinstance(node, dict):
        if isinstance(node.get("subjects"), list):
            out.append((node, node["subjects"]))
        for value in node.values():
            if isinstance(value, (dict, list)):
                out += _subject_lists(value)
    elif isinstance(node, list):
        for item in node:
            out += _subject_lists(item)
    return out


def _fragments(texts: list[str]) -> list[tuple[dict, list]]:
    """The `subjects:` lists of YAML text the loader left as lines (a fragment of a binding
    without its kind, as users quote it from a chart or a file)."""
    text = "\n".join(str(t) for t in texts)
    if "subjects:" not in text:
        return []
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return []
    return [pair for doc in docs for pair in _subject_lists(doc)]


def findings(objects: list[dict], texts: list[str]) -> list[dict]:
    """binding_subject_mismatch, inferred, per ServiceAccount subject in namespace `system`;
    silent when the input shows that namespace or a ServiceAccount in it (then it is real)."""
    real = any(o.get("kind") == "Namespace" and (o.get("metadata") or {}).get("name")
               == PLACEHOLDER_NS or o.get("kind") == "ServiceAccount" and
               (o.get("metadata") or {}).get("namespace") == PLACEHOLDER_NS for o in objects)
    if real:
        return []
    pairs = [(o, o.get("subjects") or []) for o in objects if o.get("kind") in _BINDINGS]
    pairs += _fragments(texts)
    out, seen = [], set()
    for holder, subjects in pairs:
        for s in subjects:
            if not (isinstance(s, dict) and s.get("kind") == "ServiceAccount"
                    and s.get("namespace") == PLACEHOLDER_NS and s.get("name")):
                continue
            meta = holder.get("metadata") or {}
            key = (holder.get("kind", ""), meta.get("name", ""), s["name"])
            if key in seen:
                continue
            seen.add(key)
            out.append(_finding(holder, str(s["name"])))
    return out


def _finding(holder: dict, name: str) -> dict[str, Any]:
    meta = holder.get("metadata") or {}
    obj = ({"kind": holder.get("kind"), "namespace": meta.get("namespace", ""),
            "name": meta.get("name", "")} if holder.get("kind") else
           {"kind": "ServiceAccount", "namespace": PLACEHOLDER_NS, "name": name})
    return finding(
        "warning", "binding_subject_mismatch", obj,
        f"the binding's subject ServiceAccount {PLACEHOLDER_NS}/{name} is kubebuilder's "
        "kustomize placeholder (config/rbac/*_binding.yaml), which `kustomize build "
        "config/default` rewrites to the install namespace and prefixed name "
        "(<project>-system, <project>-" + name + "); applied or templated as is, it grants an "
        f"account in namespace {PLACEHOLDER_NS} the operator does not run as, and the "
        "operator's own ServiceAccount is denied (also a wrong namespace for the grant)",
        [f"subject: ServiceAccount {PLACEHOLDER_NS}/{name}"],
        "render the manifests with kustomize (make deploy / kustomize build config/default); "
        "in a Helm chart name the chart's own ServiceAccount and namespace: "
        "namespace: {{ .Release.Namespace }}, name: the serviceAccountName the pods use",
        basis="inferred",
        confirm="kubectl get pods -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata."
                "name,SA:.spec.serviceAccountName | grep " + name + " (the operator's account "
                "and namespace: not " + PLACEHOLDER_NS + "/" + name + ")")
