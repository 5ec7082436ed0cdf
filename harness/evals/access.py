"""The identity an agent works with: a ServiceAccount that reaches only its run.

Each run gets a ServiceAccount in its first namespace, bound in every namespace of the run
(full control there by default, or a ClusterRole the scenario names), plus one ClusterRole
with the cluster-scoped reads agents need to diagnose AI infrastructure (nodes, Kueue queues
and flavors, DRA device classes and slices, ...), the reads the scenario declares, and
get/patch/update on exactly the cluster-scoped objects the run itself applied and on its
own namespaces. The kubeconfig holds a short-lived token and sets its current context and
namespace, so parallel runs cannot touch each other's objects, whatever --context the
harness itself was given. (RBAC cannot filter a cluster-wide list by label: an agent that
lists ClusterQueues or Kueue Workloads sees other runs' queues and workloads, as a platform
engineer sees other teams'; it can change none of them, and reads nothing else outside its
namespaces: no pods, logs, events, ConfigMaps or Secrets.)

The reference fix runs with the same identity, so `eval --validate` proves that the access
a scenario declares is enough for its fix.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import json
from dataclasses import dataclass, field
from pathlib import Path

from harness.evals.errors import InfraError

if TYPE_CHECKING:
    from harness.evals.kube import Kube
    from harness.evals.sandbox import Sandbox

SERVICE_ACCOUNT = "k8s-skills-agent"
# (apiGroup, resource): cluster-scoped objects an engineer debugging AI workloads reads.
DEFAULT_CLUSTER_READS = (
    ("", "nodes"), ("", "persistentvolumes"),
    ("scheduling.k8s.io", "priorityclasses"), ("storage.k8s.io", "storageclasses"),
    ("storage.k8s.io", "csidrivers"), ("node.k8s.io", "runtimeclasses"),
    ("apiextensions.k8s.io", "customresourcedefinitions"),
    ("kueue.x-k8s.io", "clusterqueues"), ("kueue.x-k8s.io", "resourceflavors"),
    ("kueue.x-k8s.io", "cohorts"), ("kueue.x-k8s.io", "admissionchecks"),
    ("kueue.x-k8s.io", "workloadpriorityclasses"), ("kueue.x-k8s.io", "topologies"),
    ("resource.k8s.io", "deviceclasses"), ("resource.k8s.io", "resourceslices"),
    ("gateway.networking.k8s.io", "gatewayclasses"),
    # Namespaced, read in every namespace: who holds a ClusterQueue's quota is the question
    # Kueue users ask most, and its answer lives in other namespaces' Workloads.
    ("kueue.x-k8s.io", "workloads"), ("kueue.x-k8s.io", "localqueues"),
)
READ = ["get", "list", "watch"]
CHANGE_OWN = ["get", "patch", "update"]
OWNER_RULE = {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}


@dataclass
class Grant:
    """What a run's agent may do, and the kubeconfig that carries it."""
    kubeconfig: Path
    namespace: str
    user: str                       # system:serviceaccount:<ns>:<name>
    rules: list[Any] = field(default_factory=list)
    namespace_role: str = "owner"

    def describe(self) -> dict[str, Any]:
        return {"user": self.user, "namespace": self.namespace,
                "namespace_role": self.namespace_role, "cluster_rules": self.rules}


def cluster_rules(spec: dict[str, Any], own_objects: dict[str, set[str]], namespaces: list[str]) -> list[Any]:
    """The ClusterRole's rules: default and declared reads, changes to the run's own objects.

    >>> rules = cluster_rules({"cluster_read": ["widgets.example.com"]},
    ...                       {"clusterqueues.kueue.x-k8s.io": {"ev-1-q"}}, ["a-1"])
    >>> [r for r in rules if r.get("resourceNames")][0]["resourceNames"]
    ['a-1']
    >>> rules[-1]["resources"], rules[-1]["resourceNames"]
    (['clusterqueues'], ['ev-1-q'])
    """
    reads: dict[str, list[str]] = {}
    for group, resource in DEFAULT_CLUSTER_READS:
        reads.setdefault(group, []).append(resource)
    for item in spec.get("cluster_read", []):
        resource, _, group = item.partition(".")
        reads.setdefault(group, []).append(resource)
    rules = [{"apiGroups": [group], "resources": sorted(set(res)), "verbs": READ}
             for group, res in sorted(reads.items())]
    rules.append({"apiGroups": [""], "resources": ["namespaces"],
                  "resourceNames": sorted(namespaces), "verbs": CHANGE_OWN})
    for rule in spec.get("cluster_write", []):
        rules.append({"apiGroups": [rule.get("group", "")], "resources": list(rule["resources"]),
                      "verbs": list(rule["verbs"])})
    for key, names in sorted(own_objects.items()):
        resource, _, group = key.partition(".")
        rules.append({"apiGroups": [group], "resources": [resource],
                      "resourceNames": sorted(names), "verbs": CHANGE_OWN})
    return rules


def grant(kube: Kube, sandbox: Sandbox, spec: dict[str, Any], folder: Path,
          ttl_seconds: int) -> Grant:
    """Create the run's ServiceAccount and RBAC (labelled: the sandbox's cleanup removes
    them) and write a kubeconfig for it into `folder`."""
    spec = spec or {}
    namespaces = list(sandbox.namespaces.values())
    home = sandbox.ns
    role = spec.get("namespace_role", "owner")
    name = f"{sandbox.prefix}-agent"
    subject = {"kind": "ServiceAccount", "name": SERVICE_ACCOUNT, "namespace": home}
    objects: list[dict[str, Any]] = [{"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": SERVICE_ACCOUNT, "namespace": home}}]
    for ns in namespaces:
        objects += _namespace_binding(ns, role, subject)
    rules = cluster_rules(spec, sandbox.cluster_objects, namespaces)
    objects += [{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                 "metadata": {"name": name}, "rules": rules},
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                 "metadata": {"name": name}, "subjects": [subject],
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                             "name": name}}]
    sandbox.apply(objects)
    token = _token(kube, home, max(600, int(ttl_seconds)))
    path = Path(folder) / "kubeconfig"
    path.write_text(json.dumps(kubeconfig(kube.cluster_entry(), token, home, sandbox.prefix)))
    path.chmod(0o600)
    return Grant(path, home, f"system:serviceaccount:{home}:{SERVICE_ACCOUNT}", rules, role)


def _namespace_binding(ns: str, role: str, subject: dict[str, Any]) -> list[dict[str, Any]]:
    """A RoleBinding in `ns` to the scenario's ClusterRole, or to a Role allowing
    everything inside the namespace (role "owner")."""
    meta = {"name": SERVICE_ACCOUNT, "namespace": ns}
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role}
    out = []
    if role == "owner":
        out.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                    "metadata": dict(meta), "rules": [OWNER_RULE]})
        ref = {**ref, "kind": "Role", "name": SERVICE_ACCOUNT}
    out.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": dict(meta), "subjects": [subject], "roleRef": ref})
    return out


def _token(kube: Kube, namespace: str, seconds: int) -> str:
    proc = kube.run("create", "token", SERVICE_ACCOUNT, "-n", namespace,
                    f"--duration={seconds}s", timeout=30)
    token: str = proc.stdout.strip()
    if proc.returncode != 0 or not token:
        raise InfraError(f"kubectl create token: {' '.join(proc.stderr.split())[:300]}")
    return token


def kubeconfig(cluster: dict[str, Any], token: str, namespace: str, name: str) -> dict[str, Any]:
    """A kubeconfig with one context, current, defaulting to the run's first namespace.

    >>> cfg = kubeconfig({"server": "https://127.0.0.1:6443"}, "t", "ns-1", "ev-1")
    >>> cfg["current-context"], cfg["contexts"][0]["context"]["namespace"]
    ('ev-1', 'ns-1')
    """
    return {"apiVersion": "v1", "kind": "Config", "preferences": {},
            "clusters": [{"name": name, "cluster": cluster}],
            "users": [{"name": name, "user": {"token": token}}],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name,
                                                    "namespace": namespace}}],
            "current-context": name}
