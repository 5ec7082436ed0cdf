"""An operator set to watch a namespace other than its own, denied there.

Operators take the namespaces they watch from a setting (operator-sdk's WATCH_NAMESPACE
environment variable, a chart value such as `watchNamespace`, a `--watch-namespace` flag),
while their chart or manifest creates the Role and RoleBinding in the namespace it is installed
into. A RoleBinding grants only inside its own namespace, so the operator's ServiceAccount is
denied in the watched one although a grant exists (hashicorp/terraform-helm#32, fixed by #33:
with `syncWorkspace.k8WatchNamespace: dev` the chart's Role stayed in the release namespace;
the fix creates a ClusterRole and ClusterRoleBinding when the two differ). The other way round
too: a chart in its namespaced mode binds the rules for the watched namespace there, so what
the operator does in its own namespace (its leader-election lock) has no grant when that rule
sits only with the watched namespace's (chaos-mesh/chaos-mesh#2437, fixed by #2474). Inferred:
the paste shows the setting and the denial, not the bindings."""
from __future__ import annotations

import re
from typing import Any, Sequence

from k8s_skillkit.findings import finding
from k8s_skillkit.scheduling import pod_spec

from _rbac.denials import Denial
from _rbac.explain import denied_accounts

# `watchNamespace: dev`, `k8WatchNamespace: "dev"`, `WATCH_NAMESPACE=dev`, `--watch-namespace
# dev`, `watchNamespaces: [a, b]`; an env entry `- name: WATCH_NAMESPACE` then `value: dev`
# (one line each: a value never runs into the next line). Quarkus Operator SDK names it
# `quarkus.operator-sdk.controllers."<controller>".namespaces=a,b` (and, for every controller,
# `quarkus.operator-sdk.namespaces`): quarkiverse/quarkus-operator-sdk#447, fixed by #456.
# Chaos Mesh calls it `controllerManager.targetNamespace` (helm/chaos-mesh/values.yaml:65-67
# at a5589134: "targetNamespace only works with clusterScoped is false"), the chart binding
# its rules there (templates/controller-manager-rbac.yaml:157). A `key=value` assignment
# (`--set`, an env line, a flag) ends where the name does, so it may sit inside a sentence or
# a code span (`--set a.targetNamespace=x --set ...`); `key: value` runs to the line's end.
_SETTING = re.compile(r"(?P<key>[\w.-]*(?:watch|target)[_-]?namespaces?|quarkus\.operator-sdk"
                      r"\.(?:controllers\.\S+?\.)?namespaces)[\"']?(?:[ \t]*(?::|[ \t])[ \t]*"
                      r"(?P<value>\[[^\]\n]*\]|[\"']?[a-z0-9][a-z0-9, \t-]*[\"']?)[ \t]*$"
                      r"|[ \t]*=[ \t]*[\"'{]?(?P<assigned>[a-z0-9][a-z0-9-]*(?:\\?,[ \t]*"
                      r"[a-z0-9][a-z0-9-]*)*)[\"'}]?(?![\w-]))", re.I | re.M)
_ENV = re.compile(r"-[ \t]*name:[ \t]*[\"']?(?P<key>\w*WATCH_NAMESPACES?)[\"']?[ \t]*\n[ \t]+"
                  r"value:[ \t]*[\"']?(?P<value>[a-z0-9][a-z0-9, \t-]*?)[\"']?[ \t]*$",
                  re.I | re.M)
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def watched_namespaces(texts: list[str], objects: Sequence[dict[str, Any]]) -> dict[str, str]:
    """namespace -> the setting that names it, from the paste's text and its pods' env."""
    text = "\n".join(str(t) for t in texts) + "\n"
    out: dict[str, str] = {}
    for m in list(_SETTING.finditer(text)) + list(_ENV.finditer(text)):
        value = m.group("value") or m.groupdict().get("assigned") or ""
        for ns in _NAME.findall(value):
            out.setdefault(ns, f"{m.group('key')}: {value.strip()}")
    for obj in objects:
        for container in pod_spec(obj).get("containers") or []:
            for env in container.get("env") or []:
                if re.fullmatch(r"\w*WATCH_NAMESPACES?", str(env.get("name", ""))):
                    for ns in _NAME.findall(str(env.get("value") or "")):
                        out.setdefault(ns, f"env {env['name']}: {env.get('value')}")
    return out


def watch_namespace_findings(texts: list[str], objects: Sequence[dict[str, Any]],
                             denials: list[Denial]) -> list[dict[str, Any]]:
    watched = watched_namespaces(texts, objects)
    out = []
    for denial, ns, name in denied_accounts(denials):
        setting = watched.get(denial.namespace)
        if denial.namespace and denial.namespace == ns and watched and ns not in watched:
            out.append(_own_namespace_finding(denial, ns, name, watched))
        if not setting or denial.namespace == ns:
            continue
        out.append(finding(
            "error", "binding_wrong_namespace",
            {"kind": "ServiceAccount", "namespace": ns, "name": name},
            f"{name} runs in namespace {ns} and is set to watch namespace {denial.namespace} "
            f"({setting}), where the API server denied it: a chart or manifest puts its Role "
            f"and RoleBinding in the namespace it is installed into ({ns}), and a RoleBinding "
            "grants only inside its own namespace",
            [f"setting: {setting}", denial.text],
            f"grant it in the watched namespace: a Role and RoleBinding in {denial.namespace} "
            f"naming ServiceAccount {ns}/{name} (the same rules as the chart's Role), or a "
            "ClusterRole with a ClusterRoleBinding when it watches several namespaces",
            basis="inferred",
            confirm=f"kubectl get rolebindings -n {denial.namespace} -o wide | grep {name}; "
                    f"{denial.can_i()}"))
    return out


def _own_namespace_finding(denial: Denial, ns: str, name: str,
                           watched: dict[str, str]) -> dict[str, Any]:
    """The operator denied in its own namespace while set to watch only others: in its
    namespaced mode the chart binds the rules meant for the watched namespaces there (a
    RoleBinding per watched namespace), and the one the operator needs at home, such as
    create on the leader-election ConfigMap or Lease, sat with them (chaos-mesh/chaos-mesh
    #2437: configmaps `*` only in the ClusterRole bound in targetNamespace, the release
    namespace's Role read-only; #2474 moved the rule to the release namespace's Role)."""
    others = sorted(watched)
    setting = watched[others[0]]
    return finding(
        "error", "binding_wrong_namespace",
        {"kind": "ServiceAccount", "namespace": ns, "name": name},
        f"{name} is set to watch namespace {', '.join(others)} ({setting}) and was denied in "
        f"its own namespace {ns}: in that mode the chart binds its rules in the watched "
        f"namespace, so a grant for {denial.verb} {denial.full_resource} made there does "
        f"not reach {ns} (a RoleBinding grants only inside its own namespace)",
        [f"setting: {setting}", denial.text],
        f"grant it in {ns}: a Role with {denial.verb} on {denial.full_resource} and a "
        f"RoleBinding in {ns} naming ServiceAccount {ns}/{name} (leader election locks live "
        "in the operator's own namespace); upgrade the chart if a release fixes it",
        basis="inferred",
        confirm=f"kubectl get rolebindings -n {others[0]} -o wide | grep {name}; "
                f"{denial.can_i()}")


def unwatched_binding_findings(texts: list[str],
                               objects: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """No denial yet: the paste sets the namespaces an operator watches and binds its
    ServiceAccount only by RoleBindings in other namespaces (no ClusterRoleBinding): it will be
    denied in every watched namespace (quarkiverse/quarkus-operator-sdk#447: the generated
    RoleBinding sat in the operator's namespace, not the watched one; fixed by #456)."""
    watched = watched_namespaces(texts, objects)
    bindings = [o for o in objects if o.get("kind") in ("RoleBinding", "ClusterRoleBinding")]
    if not watched or not bindings:
        return []
    out = []
    for account, where in _bound_accounts(bindings).items():
        if None in where or where & set(watched):
            continue  # a ClusterRoleBinding, or a RoleBinding where it watches
        places = {p for p in where if p is not None}
        ns, name = account
        missing = sorted(set(watched) - places)
        out.append(finding(
            "warning", "binding_wrong_namespace",
            {"kind": "ServiceAccount", "namespace": ns, "name": name},
            f"ServiceAccount {ns}/{name} is bound only by RoleBindings in "
            f"{', '.join(sorted(places))}, but the operator is set to watch "
            f"{', '.join(missing)} ({watched[missing[0]]}): a RoleBinding grants only inside its "
            "own namespace, so every request there will be denied",
            [f"setting: {watched[missing[0]]}",
             f"RoleBindings naming it: namespaces {', '.join(sorted(places))}"],
            f"create the RoleBinding (same roleRef) in {', '.join(missing)}, or bind the "
            "ClusterRole with a ClusterRoleBinding when it watches many namespaces",
            basis="inferred",
            confirm=f"kubectl auth can-i list <resource> -n {missing[0]} "
                    f"--as=system:serviceaccount:{ns}:{name}"))
    return out


def _bound_accounts(bindings: list[dict[str, Any]]) -> dict[tuple[str, str], set[str | None]]:
    """(namespace, name) of each ServiceAccount subject -> the namespaces of the RoleBindings
    that name it (None for a ClusterRoleBinding)."""
    out: dict[tuple[str, str], set[str | None]] = {}
    for binding in bindings:
        where = (binding.get("metadata") or {}).get("namespace") \
            if binding.get("kind") == "RoleBinding" else None
        for subject in binding.get("subjects") or []:
            if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount":
                ns = subject.get("namespace") or where or ""
                out.setdefault((ns, str(subject.get("name"))), set()).add(where)
    return out
